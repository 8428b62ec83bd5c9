"""Issue 4, the window's part: 打印预览, 打印 and 导出 PDF show one and the same PDF,
and the status bar shows the fingerprint the paper prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from models import interchange
from ui import printing

MISSING = (
    "以下文字在打印字体中没有字形，打印出来会缺字：「𫝀」（一、基本概况·联系人）。"
    "请把这些字改为常用写法，或在设置中选择其他字体后再打印。"
)

needs_qtpdf = pytest.mark.skipif(not printing.HAVE_QTPDF, reason="QtPdf (the PySide6-Pdf package) is not installed")


def _action(window, name):
    return window.findChild(type(window.undo_action), name)


def test_the_status_bar_shows_the_fingerprint_the_paper_prints(window, qtbot):
    """Fingerprinted when saved, not at every keystroke: printing saves first."""
    label = window.fingerprint_label
    before = interchange.fingerprint(window.session.report)
    assert label.text() == f"数据指纹 {before}"
    window.session.set_text("basics.contact", "钱七")
    assert label.text() == "数据指纹 （保存后更新）"
    after = interchange.fingerprint(window.session.report)
    assert after != before and len(after) == 16
    qtbot.waitUntil(lambda: not window.session.dirty, timeout=3000)  # the auto-save
    assert label.text() == f"数据指纹 {after}"


def test_export_pdf_names_the_file_like_the_package_and_writes_the_unsaved_report(window, tmp_path, quiet_messages):
    window.session.set_text("basics.contact", "钱七")  # not saved yet
    target = tmp_path / "out"
    quiet_messages.answers.append(str(target))
    _action(window, "action_export_pdf").trigger()
    pdf = tmp_path / "out.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "钱七" in text
    assert interchange.fingerprint(window.session.report) in text
    assert quiet_messages.last("status") == f"已导出 PDF「{pdf}」。"
    assert printing.pdf_name(window.session.report) == "2023_吉首市科工信局_绩效自评.pdf"


def test_missing_glyphs_are_told_before_printing_and_nothing_prints(window, tmp_path, quiet_messages):
    window.session.set_text("basics.contact", "陶\U0002b740")
    quiet_messages.answers.append(str(tmp_path / "printed.pdf"))
    _action(window, "action_print").trigger()
    assert quiet_messages.last("error") == MISSING
    assert not (tmp_path / "printed.pdf").exists()
    assert ("ask", "打印") not in quiet_messages.history  # the print dialog never opened
    _action(window, "action_preview").trigger()
    assert quiet_messages.dialogs == []


@needs_qtpdf
def test_print_sends_the_same_pages_through_the_print_dialog(window, tmp_path, quiet_messages):
    out = tmp_path / "printed.pdf"
    quiet_messages.answers.append(str(out))  # the "printer" is a PDF file
    _action(window, "action_print").trigger()
    expected = len(PdfReader(io.BytesIO(printing.render(window.session.report))).pages)
    printed = PdfReader(out)
    assert len(printed.pages) == expected
    box = printed.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, as the PDF
    assert quiet_messages.last("status") == f"已发送到打印机，共 {expected} 页。"


@needs_qtpdf
def test_cancelling_the_print_dialog_prints_nothing(window, quiet_messages):
    quiet_messages.answers.append(False)
    assert printing.print_report(window.session.report, window) is False
    assert quiet_messages.last("status") is None


@needs_qtpdf
def test_preview_shows_the_current_report_and_can_print_and_save(window, tmp_path, quiet_messages):
    window.session.set_text("basics.contact", "钱七")
    _action(window, "action_preview").trigger()
    [dialog] = quiet_messages.dialogs
    assert dialog.objectName() == "print_preview"
    assert dialog.windowTitle() == "打印预览 — 吉首市科工信局2023年度"
    fingerprint = interchange.fingerprint(window.session.report)
    assert dialog.pages.count == len(PdfReader(io.BytesIO(dialog.data)).pages) > 1
    assert dialog.info.text() == f"共 {dialog.pages.count} 页　数据指纹 {fingerprint}"
    assert "钱七" in PdfReader(io.BytesIO(dialog.data)).pages[1].extract_text() + PdfReader(
        io.BytesIO(dialog.data)
    ).pages[2].extract_text()
    quiet_messages.answers.append(str(tmp_path / "a.pdf"))
    dialog.save()
    assert (tmp_path / "a.pdf").read_bytes() == dialog.data
    quiet_messages.answers.append(str(tmp_path / "printed.pdf"))
    dialog.print_()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dialog.pages.count


def test_without_qtpdf_the_system_reader_opens_the_same_pdf(window, monkeypatch, quiet_messages):
    opened = []
    monkeypatch.setattr(printing, "HAVE_QTPDF", False)
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    _action(window, "action_preview").trigger()
    _action(window, "action_print").trigger()
    assert len(opened) == 2
    with open(opened[0], "rb") as f:
        assert interchange.fingerprint(window.session.report) in "".join(
            p.extract_text() for p in PdfReader(f).pages
        )
    assert quiet_messages.last("info") == printing.NO_QTPDF


def test_without_qtpdf_or_a_reader_the_clerk_is_told_where_the_pdf_is(window, monkeypatch, quiet_messages):
    monkeypatch.setattr(printing, "HAVE_QTPDF", False)
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: False)
    _action(window, "action_preview").trigger()
    text = quiet_messages.last("info")
    path = text.split("打印稿已保存为「")[1].split("」")[0]
    assert text == printing.NO_READER.format(path=path)
    assert Path(path).name == "打印稿.pdf"
    assert interchange.fingerprint(window.session.report) in "".join(p.extract_text() for p in PdfReader(path).pages)


@needs_qtpdf
def test_a_page_range_prints_only_those_pages(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    data = printing.render(window.session.report)
    pages = printing.PdfPages(data)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert printing.paint_pages(pages.document, printer, dpi=100) == 2
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2


@needs_qtpdf
def test_preview_prints_the_form_the_evaluation_report_or_both(window, tmp_path, quiet_messages):
    from models import form

    _action(window, "action_preview").trigger()
    [dialog] = quiet_messages.dialogs
    both = dialog.pages.count
    assert [dialog.part.itemText(i) for i in range(dialog.part.count())] == [
        "全部（自评报告表、评价报告和附件2 自评表）", "自评报告表（A 部分）", "评价报告（B 部分）", "附件2 自评表（S 部分）"]
    dialog.part.setCurrentIndex(3)
    assert "附件2" in PdfReader(io.BytesIO(dialog.data)).pages[0].extract_text()
    only_s = dialog.pages.count
    dialog.part.setCurrentIndex(2)
    first = PdfReader(io.BytesIO(dialog.data)).pages[0].extract_text()
    assert form.PART_B_TITLE in first
    only_b = dialog.pages.count
    dialog.part.setCurrentIndex(1)
    only_a = dialog.pages.count
    assert only_a + only_b + only_s == both and only_a < only_b
    assert dialog.info.text().startswith(f"共 {only_a} 页")
    quiet_messages.answers.append(str(tmp_path / "a.pdf"))
    dialog.save()
    assert len(PdfReader(tmp_path / "a.pdf").pages) == only_a


def test_the_evaluation_report_exports_to_word(window, tmp_path, quiet_messages):
    import docx

    window.session.set_text("narrative.sections.other_matters", "本年度无其他需要说明的问题。")
    quiet_messages.answers.append(str(tmp_path / "评价报告.docx"))
    _action(window, "action_export_docx").trigger()
    assert ("ask", "导出") in quiet_messages.history
    d = docx.Document(str(tmp_path / "评价报告.docx"))
    texts = [p.text for p in d.paragraphs]
    at = texts.index("十一、其他需要说明的问题")  # Part B's last heading; 附件2 follows
    assert d.paragraphs[at].style.name == "Heading 1" and texts[at + 1] == "本年度无其他需要说明的问题。"
    assert "附件2" in texts[at + 2:at + 4]  # after the section break
