"""Starting the window: the application, the shipped font, settings, the store.

``run(db)`` is what ``python main.py`` calls; ``create_main_window(db_path)``
is what tests and the benchmark call.

Settings (window geometry, last report, font size) live in QSettings. Tests
keep them away from the user's by passing ``settings_path`` or by setting
``ZIPING_SETTINGS`` to an .ini file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from models.errors import ZipingError
from models.store import Store

#: The window's face (黑体 style), shipped with its licence; see resources/fonts/README.md.
FONT_FILE = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "WenQuanYiMicroHei.ttf"
#: What is loaded once per process: the font's family ("" if it failed), the translator.
_loaded: dict[str, str] = {}


def application() -> QApplication:
    """The application, once per process; raises :class:`ui.compat.BrokenQt` on a
    Python/PySide6 pair that would crash after some dozens of edits."""
    if "compat" not in _loaded:
        from ui.compat import refuse_broken_pair

        refuse_broken_pair()
        _loaded["compat"] = "checked"
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ziping")
    app.setApplicationDisplayName("绩效自评填报")
    app.setOrganizationName("ziping")
    load_font(app)
    load_translations(app)
    return app


def load_translations(app: QApplication) -> None:
    """Qt's own words (Yes/No, Cut/Copy/Paste in context menus) in Chinese."""
    if "translator" in _loaded:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
    _loaded["translator"] = "qtbase_zh_CN"


def load_font(app: QApplication) -> str | None:
    """Load the shipped Chinese font once and make it the application's font."""
    if "family" not in _loaded:
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE)) if FONT_FILE.exists() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _loaded["family"] = families[0] if families else ""
    family = _loaded["family"]
    if family:
        font = QFont(app.font())
        font.setFamilies([family])
        app.setFont(font)
    return family or None


def settings_for(path: str | Path | None) -> QSettings:
    path = path or os.environ.get("ZIPING_SETTINGS")
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ziping", "ziping")


def create_main_window(db_path: str | Path | None = None, settings_path: str | Path | None = None):  # noqa: ANN201
    """The main window on a database (default: the user's), showing a report."""
    from ui.window import MainWindow

    application()
    store = Store(db_path)
    window = MainWindow(store, settings_for(settings_path))
    window.destroyed.connect(lambda *_: store.close())
    return window


def _show_before_exit(text: str) -> None:
    """One message box where the clerk sees no console (a GUI start on Windows).

    On a broken pair this costs a few dozen references to None, far from the
    thousands that would have to go before Python aborts."""
    from PySide6.QtWidgets import QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Critical, "绩效自评填报", text)
    box.exec()
    del app


def report_bug(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None, path: Path | None = None
) -> None:
    """An unexpected exception in the window: log it, tell the clerk, keep running."""
    from models.fileio import log_bug
    from ui import messages

    written = log_bug("window", error.with_traceback(tb), path)
    where = f"详细信息已写入 {written}，请把这个文件发给技术支持。" if written else ""
    messages.error(f"程序内部错误，刚才的操作可能没有完成；已填写的内容仍会自动保存。{where}")


def open_backup_instead(db: str | Path | None, error: ZipingError) -> Any:
    """The database cannot be opened: say so, and offer a copy of the latest daily backup.

    The damaged file is left as it is; the backup itself is not opened either
    (it stays a backup): a copy of it is, under a new name beside the database.
    """
    import shutil
    from datetime import datetime

    from models.store import backups, default_path
    from ui import messages

    path = Path(db) if db else default_path()
    found = backups(path)
    if not found:
        messages.error(error)
        return None
    latest = found[0]
    if not messages.confirm(
        f"{error}\n\n是否打开最近一份自动备份（{latest.name}）的副本继续工作？"
        "原数据库文件保持不动，可交技术支持检查。"
    ):
        return None
    copy = path.with_name(f"{path.stem}-由备份恢复-{datetime.now():%Y%m%d-%H%M%S}.sqlite3")
    try:
        shutil.copyfile(latest, copy)
        window = create_main_window(copy)
    except (OSError, ZipingError) as exc:
        messages.error(f"备份也无法打开：{exc}")
        return None
    messages.info(f"已打开备份的副本「{copy}」。以后启动时请用 --db 指定它，或把它改名为原文件名。")
    return window


def run(db: str | None = None) -> int:
    from ui.compat import BrokenQt

    try:
        app = application()
    except BrokenQt as exc:
        print(exc, file=sys.stderr)
        _show_before_exit(str(exc))
        return 2

    try:
        window = create_main_window(db)
    except ZipingError as exc:
        window = open_backup_instead(db, exc)
        if window is None:
            return 2
    window.session.store.backup_if_due()
    window.show()
    previous, sys.excepthook = sys.excepthook, report_bug
    try:
        code = app.exec()
    finally:
        sys.excepthook = previous
    window.session.store.close()
    return int(code)
