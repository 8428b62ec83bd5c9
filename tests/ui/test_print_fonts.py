"""打印字体: the shipped faces, or the government standard faces the PC has."""

import shutil
from pathlib import Path

from PySide6.QtCore import QSettings

from reports.fonts import FONT_DIR, body_faces, heading_faces
from ui import printing


def install_windows_faces(home: Path) -> None:
    """A PC with 宋体 and 黑体 (stand-ins with the real file names)."""
    fonts = home / ".fonts"
    fonts.mkdir(parents=True)
    shutil.copy(FONT_DIR / "UMingCN.ttf", fonts / "simsun.ttc")
    shutil.copy(FONT_DIR / "WenQuanYiMicroHei.ttf", fonts / "SIMHEI.TTF")


def test_shipped_faces_only_on_a_bare_pc(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("WINDIR", raising=False)
    keys = [f.key for f in body_faces()]
    assert keys[0] == "song"
    assert [f.key for f in heading_faces()][0] == "hei"


def test_choosing_the_pcs_faces_prints_with_them(qtbot, tmp_path, monkeypatch, sample) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    install_windows_faces(tmp_path)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    printing.apply_font_settings(settings)
    assert printing.chosen_fonts().body.key == "song"
    dialog = printing.FontDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.body.itemText(1) == "宋体（本机字体）"
    assert dialog.heading.itemText(1) == "黑体（本机字体）"
    dialog.body.setCurrentIndex(1)
    dialog.heading.setCurrentIndex(1)
    dialog.accept()
    assert settings.value("print/body") == "simsun" and settings.value("print/heading") == "simhei"
    chosen = printing.chosen_fonts()
    assert (chosen.body.key, chosen.heading.key) == ("simsun", "simhei")
    assert chosen.body.path == tmp_path / ".fonts" / "simsun.ttc"
    data = printing.render(sample)
    assert data is not None and data.startswith(b"%PDF")
    # The PC loses its fonts (another PC, a reinstall): printing falls back to the shipped faces.
    shutil.rmtree(tmp_path / ".fonts")
    printing.apply_font_settings(settings)
    assert (printing.chosen_fonts().body.key, printing.chosen_fonts().heading.key) == ("song", "hei")
