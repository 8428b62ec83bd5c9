"""Qt's own dialogs speak Chinese, and file dialogs open in 文档 or the folder last used."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, QSettings
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QMessageBox

from ui import messages
from ui.app import application, load_translations

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's 文档 folder, as a Chinese Linux desktop names it in user-dirs.dirs."""
    config = tmp_path / "config"
    config.mkdir()
    folder = tmp_path / "home" / "文档"
    folder.mkdir(parents=True)
    (config / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{folder}"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return folder


@pytest.fixture
def settings(tmp_path: Path):
    saved = messages._folder.copy()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    messages.use_settings(settings)
    yield settings
    messages._folder.clear()
    messages._folder.update(saved)


def _english(text: str) -> bool:
    """A word of English (not an accelerator like &S, not a file pattern like *.pdf)."""
    return bool(re.search(r"(?<![&.])\b[A-Za-z]{3,}", text))


def test_qt_translations_load_from_the_installed_pyside6(qtbot) -> None:
    app = application()
    loaded = load_translations(app)
    assert loaded is not None
    assert Path(loaded).name == "qtbase_zh_CN.qm"
    assert Path(loaded).parent == Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    box = QMessageBox(QMessageBox.Icon.Question, "绩效自评填报", "是否保存？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消"])


def test_the_file_dialog_has_no_english_word(qtbot, documents, settings) -> None:
    application()
    dialog = messages.file_dialog("导出 PDF", "save", "PDF 文件 (*.pdf)", "报告.pdf")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux desktops
    qtbot.addWidget(dialog)
    labels = {w.objectName(): w.text() for w in dialog.findChildren(QLabel) if w.text()}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert labels["fileNameLabel"] == "文件名称(&N)："
    texts = [*labels.values()] + [b.text() or b.toolTip() for b in dialog.findChildren(QAbstractButton)]
    assert "保存(&S)" in texts and "取消" in texts
    assert [t for t in texts if _english(t)] == []


def test_a_file_dialog_opens_in_documents_never_in_the_programs_folder(
    qtbot, documents, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    application()
    monkeypatch.chdir(ROOT)
    dialog = messages.file_dialog("导出 PDF", "save", "PDF 文件 (*.pdf)", "报告.pdf")
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == documents
    assert Path(dialog.selectedFiles()[0]) == documents / "报告.pdf"
    opened = messages.file_dialog("导入报送包", "open_many", "报送包 (*.zpb)")
    qtbot.addWidget(opened)
    assert Path(opened.directory().absolutePath()) == documents != Path(os.getcwd())


def test_the_folder_last_used_is_offered_next_time_while_it_is_there(
    qtbot, tmp_path: Path, documents, settings, quiet_messages
) -> None:
    application()
    usb = tmp_path / "U盘"
    usb.mkdir()
    quiet_messages.answers.append(str(usb / "2023_吉首市科工信局_绩效自评.zpb"))
    messages.ask_save_path("生成报送包", "x.zpb", "报送包 (*.zpb)")
    # Another run of the program: the same settings file, read anew.
    messages.use_settings(QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert messages.start_folder() == str(usb)
    dialog = messages.file_dialog("导入报送包", "folder")
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == usb
    usb.rmdir()  # the stick was taken out
    assert messages.start_folder() == str(documents)


def test_the_window_remembers_the_folder_in_its_settings(window, tmp_path: Path, settings_path, quiet_messages) -> None:
    from PySide6.QtGui import QAction

    usb = tmp_path / "U盘"
    usb.mkdir()
    quiet_messages.answers.append(str(usb / "打印稿.pdf"))
    window.findChild(QAction, "action_export_pdf").trigger()
    assert (usb / "打印稿.pdf").exists()
    window.settings.sync()
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(messages.FOLDER_KEY) == str(usb)
