"""The user guide's pictures, taken from the real window: ``python3 docs/screenshots.py``.

Runs offscreen (no display needed; under Xvfb set QT_QPA_PLATFORM=xcb), on a
new database in a temporary folder with the shipped sample report, and writes
``docs/images/*.png``, each reduced to 256 colours so that it stays small.
Run it again after changing the window, and look at every picture before
committing it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = Path(__file__).resolve().parent / "images"
SIZE = (1280, 800)

_TMP = Path(tempfile.mkdtemp(prefix="ziping-screenshots-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_TMP / _var.lower())
os.environ["ZIPING_SETTINGS"] = str(_TMP / "settings.ini")
# A clerk's home folder, so that the file dialog shows no folder of this machine.
os.environ["HOME"] = str(_TMP / "张三")
(_TMP / "张三" / "文档").mkdir(parents=True)
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget  # noqa: E402

from ui import messages  # noqa: E402

written: list[Path] = []


def settle(ms: int = 150) -> None:
    """Let Qt lay out and paint (and QtPdf render) before a picture is taken."""
    done: list[bool] = []
    QTimer.singleShot(ms, lambda: done.append(True))
    while not done:
        QApplication.processEvents()


def shoot(widget: QWidget, name: str) -> Path:
    from PIL import Image

    widget.show()
    settle()
    path = IMAGES / f"{name}.png"
    widget.grab().save(str(path), "PNG")
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    written.append(path)
    return path


def message_box(text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    """The box :mod:`ui.messages` shows the clerk, with the text it recorded."""
    box = QMessageBox(icon, messages.TITLE, text)
    return box


def main() -> int:
    from models import interchange, resources
    from reports.package import package_name, write_package
    from ui import handover, printing
    from ui.app import create_main_window

    IMAGES.mkdir(exist_ok=True)
    for old in IMAGES.glob("*.png"):
        old.unlink()
    messages.interactive = False

    # 首次打开: an empty database opens the shipped sample.
    window = create_main_window(_TMP / "ziping.sqlite3")
    window.resize(*SIZE)
    shoot(window, "01-first-start")

    # Every tab, in the order of the paper.
    for index in range(1, window.tabs.count()):  # the first is the one above
        window.tabs.setCurrentIndex(index)
        shoot(window, f"02-tab-{index + 1:02d}")

    # 审核结果: a finding jumps to its cell; an error gets its 出错说明.
    panel = window.findings
    first_error = next(i for i, f in enumerate(window.session.findings) if f.severity == "error")
    panel.activate(first_error)
    shoot(window, "03-finding-cell")
    panel.select(first_error)
    panel.explain.setPlainText("原报告如此，已与单位财务核实：上年结转未计入合计。")
    panel.save_explanation()
    panel.select(first_error)
    shoot(panel, "04-findings-explained")
    for index, finding in enumerate(window.session.findings):  # the others, as the clerk would
        if finding.severity == "error" and not finding.explanation:
            panel.select(index)
            panel.explain.setPlainText("已与单位财务核实，原始资料如此。")
            panel.save_explanation()

    # 打印预览: the PDF exactly as it prints.
    dialog = printing.preview(window.session.report, window)
    if dialog is not None:
        dialog.resize(1000, 800)
        dialog.show()
        settle(800)
        shoot(dialog, "05-print-preview")
        dialog.close()

    # 报送包 to a USB stick: the file dialog, then the result.
    usb = Path(tempfile.gettempdir()) / "U盘"  # where a stick shows up, more or less
    shutil.rmtree(usb, ignore_errors=True)
    usb.mkdir()
    messages._remember(str(usb))
    chooser = messages.file_dialog("生成报送包", "save", "报送包 (*.zpb)", package_name(window.session.report), window)
    chooser.setOption(QFileDialog.Option.DontUseNativeDialog)
    chooser.resize(900, 560)
    shoot(chooser, "06-pack-choose")
    chooser.close()
    messages.answers.append(str(usb / package_name(window.session.report)))
    packed = handover.pack(window.session, window)
    shoot(message_box(messages.last("info") or ""), "07-pack-done")

    # The finance side: a folder of packages from the departments, imported at once.
    inbox = _TMP / "收到的报送包"
    inbox.mkdir()
    sample = interchange.read(resources.path("samples", "jishou_kegongxin_2023.json"))
    shutil.copy2(packed, inbox)
    other = sample.copy()
    other.set_text("cover.dept_name", "吉首市教育局")
    write_package(other, inbox / package_name(other), unchecked_ok=True)
    (inbox / "2023_吉首市水利局_绩效自评.zpb").write_bytes(b"PK\x03\x04 damaged on the way")
    finance = create_main_window(_TMP / "财政局.sqlite3")
    finance.resize(*SIZE)
    finance.show()
    messages.dialogs.clear()
    messages.answers.append(0)  # 替换 the sample the new database opened with
    handover.receive_packages(finance.session, [str(inbox)], finance)
    outcomes = messages.dialogs[-1]
    shoot(outcomes, "08-import-result")
    outcomes.close()
    messages.dialogs.clear()
    finance.show_summary()
    summary = messages.dialogs[-1]
    summary.resize(1100, 520)
    shoot(summary, "09-summary")
    summary.close()

    # A report in a form of another family (the shipped Chongqing template): its own tabs.
    other_form(window)

    shutil.rmtree(usb, ignore_errors=True)
    for path in written:
        print(f"{path.relative_to(ROOT)}\t{path.stat().st_size // 1024} KB")
    print(f"共 {len(written)} 张")
    return 0


def other_form(window: QWidget) -> None:
    """报告 → 按其他表样新建空白报告: the first other form offered, filled as a clerk would,
    with a typed score that disagrees and a target missed; its 绩效指标 tab."""
    from ui import session as ops

    template = ops.families()[1]
    window.new_report(template)  # type: ignore[attr-defined]
    session = window.session  # type: ignore[attr-defined]
    table = next(n for n in template.report.children if hasattr(n, "row"))
    for path, text in (("cover.dept_name", "重庆市某区教育委员会"), ("cover.year", "2023"), ("cover.contact", "王五"),
                       ("cover.phone", "023-12345678"), ("budget.adjusted", "100"), ("budget.executed", "95")):
        session.set_text(path, text)
    rows = [("培训教师人次", "人次", "定量指标", "1200", "1200", "1150", "95", "30", ""),
            ("校舍维修完成率", "%", "定量指标", "100", "100", "100", "100", "30", "25"),
            ("家长满意度", "%", "定性指标", "90", "", "88", "100", "30", "")]
    keys = [c.key for c in table.columns][:9]
    session.apply("添加行", lambda r: [r.insert_row(table.key) for _ in rows])
    for i, row in enumerate(rows):
        for key, text in zip(keys, row, strict=True):
            if text:
                session.set_text(f"{table.key}.{i}.{key}", text)
    session.flush()
    window.statusBar().clearMessage()  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(window.tabs.count() - 1)  # type: ignore[attr-defined]
    shoot(window, "10-other-form")


if __name__ == "__main__":
    sys.exit(main())
