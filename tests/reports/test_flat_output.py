"""The PDF and the workbook of a report made with a form of another family (the Chongqing
部门整体绩效自评表), laid out from its template alone: a copy of the template with a
label renamed and a column added prints and exports the change with no code change."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from main import main
from models import interchange, rules
from models import template as tpl
from models import template_registry as registry
from models.errors import DocumentError
from models.nodes import Record, Rows
from models.report import Report
from reports.fonts import MissingGlyphs
from reports.pdf import DRAFT_MARK
from reports.printed import render_pdf
from reports.workbook import DATA_SHEET, place_workbook, read_workbook, render_workbook
from tests.helpers import SOFFICE, libreoffice, pdf_pages
from tests.pdftext import lines

CHONGQING = tpl.SHIPPED / "chongqing-2023.toml"


def filled(form: tpl.Template) -> Report:
    """A clean report: the rate, the scores and the total left blank, computed by the rules."""
    r = Report(None, form)
    for path, text in (("cover.dept_name", "重庆市某区教委"), ("cover.year", "2023"), ("cover.contact", "王五"),
                       ("cover.phone", "023-1234567"), ("cover.finance_office", "教科文处"),
                       ("budget.initial", "180"), ("budget.adjusted", "200"), ("budget.executed", "190"),
                       ("goals.initial", "完成全区教师培训任务，提升课堂教学质量。"),
                       ("goals.result", "全年培训教师 1,200 人次，合格率 98%。")):
        r.set_text(path, text)
    for i, row in enumerate((("教师培训人次", "人次", "定量指标", "1000", "1200", "1200", "100", "50", "是"),
                             ("培训合格率", "%", "定量指标", "95", "95", "90", "80", "40", "否"))):
        r.insert_row("indicators")
        for key, text in zip(("name", "unit", "nature", "initial", "adjusted", "actual", "coefficient", "weight",
                              "core"), row, strict=True):
            r.set_text(f"indicators.{i}.{key}", text)
    return r


def pdf_text(data: bytes) -> str:
    """The PDF's text in drawing order, a cell's lines run together (a label may wrap)."""
    return "".join(line.text for line in lines(data))


def labels(node: Record | Rows) -> list[str]:
    children = node.row.children if isinstance(node, Rows) else node.children
    return [node.label, *(label for child in children
                          for label in (labels(child) if isinstance(child, Record | Rows) else [child.label]))]


def template_labels(form: tpl.Template) -> list[str]:
    return [label for part in form.report.children if part.key != tpl.EXPLANATIONS.key for label in labels(part)]


# -- the PDF --------------------------------------------------------------------


def test_the_pdf_prints_every_label_of_the_template_and_the_computed_figures(chongqing: tpl.Template) -> None:
    r = filled(chongqing)
    assert r.data["budget"]["score"] is None and r.data["cover"]["self_score"] is None
    assert not rules.blocking(rules.check(r))
    data = render_pdf(r)
    text = pdf_text(data)
    assert chongqing.title in text
    assert [label for label in template_labels(chongqing) if label not in text] == []
    # 执行率 190 ÷ 200 = 95%, 执行率得分 9.5, 指标得分 50 and 32, 自评总分 9.5 + 50 + 32.
    shown = {line.text for line in lines(data)}
    assert {"95", "9.5", "50", "32", "91.5", "重庆市某区教委", "教师培训人次", "培训合格率"} <= shown
    assert DRAFT_MARK not in text


def test_the_pdf_is_landscape_with_the_fingerprint_and_page_numbers_on_every_page(chongqing: tpl.Template) -> None:
    r = filled(chongqing)
    for i in range(2, 40):  # enough indicators to run over pages, the header on each
        r.insert_row("indicators")
        r.set_text(f"indicators.{i}.name", f"指标{i + 1}")
    data = render_pdf(r)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 1
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in pages)
    fingerprint = interchange.fingerprint(r)
    found = lines(data)
    for n in range(1, len(pages) + 1):
        on_page = [line.text for line in found if line.page == n]
        assert f"重庆市某区教委 2023年度 {chongqing.title}　数据指纹 {fingerprint}" in on_page
        assert f"第 {n} 页　共 {len(pages)} 页" in on_page
        assert "指标名称" in on_page  # the table's header repeats on every page it runs over
    assert PdfReader(io.BytesIO(data)).metadata.title == f"重庆市某区教委2023年度{chongqing.title}"


def test_an_error_prints_the_draft_mark_and_an_explained_one_its_page(chongqing: tpl.Template) -> None:
    r = filled(chongqing)
    r.set_text("budget.rate", "90")  # not 190 ÷ 200
    assert DRAFT_MARK in pdf_text(render_pdf(r))
    r.explain("budget.rate", ("budget.rate", "budget.executed", "budget.adjusted"), "执行率按决算口径计算。")
    data = render_pdf(r)
    text = pdf_text(data)
    assert DRAFT_MARK not in text
    assert "审核情况说明" in text and "执行率按决算口径计算。" in text
    assert "部门预算执行情况（万元）·执行率（%）" in text
    # The form across, the 审核情况说明 upright on a page of its own, as after the Hunan form.
    pages = PdfReader(io.BytesIO(data)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [True, False]
    assert [line.page for line in lines(data) if line.text == "审核情况说明"] == [2]


def test_the_stamp_line_takes_the_department_field_s_label(chongqing: tpl.Template) -> None:
    found = lines(render_pdf(filled(chongqing)))
    stamp = next(line for line in found if line.text == "主管部门（盖章）：")
    date = next(line for line in found if "".join(line.text.split()) == "年月日")
    assert stamp.page == date.page == found[-1].page and stamp.y == date.y and stamp.x < date.x


def test_a_character_no_font_has_is_named_by_the_template_s_labels(chongqing: tpl.Template) -> None:
    r = filled(chongqing)
    r.set_text("indicators.1.name", "培训\U0001f600合格率")
    with pytest.raises(MissingGlyphs) as caught:
        render_pdf(r)
    assert str(caught.value) == (
        "以下文字在打印字体中没有字形，打印出来会缺字：「\U0001f600」（绩效指标第 2 行·指标名称）。"
        "请把这些字改为常用写法，或在设置中选择其他字体后再打印。")


# -- the workbook ---------------------------------------------------------------


def test_the_workbook_reads_back_equal_with_its_template(chongqing: tpl.Template, tmp_path: Path) -> None:
    r = filled(chongqing)
    r.explain("indicators.1.coefficient", ("indicators.1.coefficient",), "按完成比例计。")
    path = tmp_path / "cq.xlsx"
    path.write_bytes(render_workbook(r))
    back = read_workbook(path)
    assert back == r and back.flat and back.form == chongqing and back.template == chongqing.ref
    assert interchange.dumps(back) == interchange.dumps(r)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*chongqing.tabs, DATA_SHEET]
    for name in chongqing.tabs:
        assert wb[name].page_setup.orientation == "landscape"
    assert wb["绩效指标"].print_title_rows == "$2:$2"
    values = {c.value for ws in wb.worksheets[:3] for row in ws.iter_rows() for c in row}
    assert [label for label in template_labels(chongqing) if label not in values] == []
    # Computed while blank, as the window shows them.
    assert {Decimal("95"), Decimal("9.5"), Decimal("50"), Decimal("32"), Decimal("91.5")} <= values


def test_a_cell_corrected_in_a_spreadsheet_comes_back_and_one_typed_outside_is_named(
        chongqing: tpl.Template, tmp_path: Path) -> None:
    r = filled(chongqing)
    path = tmp_path / "cq.xlsx"
    path.write_bytes(render_workbook(r))
    wb = openpyxl.load_workbook(path)
    ws = wb["绩效指标"]
    assert ws["F3"].value == "1200" and ws["I3"].value == Decimal("50")
    ws["F3"] = "1100"
    wb["预算执行与目标"]["B3"] = 195  # 全年执行数
    ws["A6"] = "新增指标"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    placement = place_workbook(edited)
    assert [str(n) for n in placement.notes] == ["预算执行与目标!B3：已在表格软件中改动：190 → 195",
                                                 "绩效指标!F3：已在表格软件中改动：1200 → 1100"]
    assert [str(p) for p in placement.problems] == [
        "绩效指标!A6：这个单元格不属于报告的任何一栏，其中的「新增指标」没有读入；要增加一行或一项，请在本程序中添加后重新导出工作簿。"]
    back = placement.report
    assert back.data["indicators"][0]["actual"] == "1100" and back.data["budget"]["executed"] == Decimal("195")
    # The computed cells were left as exported: still blank, so they follow the new figures.
    assert back.data["budget"]["rate"] is None and back.data["cover"]["self_score"] is None


def test_rows_inserted_in_a_spreadsheet_are_a_problem_not_a_silent_shift(chongqing: tpl.Template,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "cq.xlsx"
    path.write_bytes(render_workbook(filled(chongqing)))
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"].insert_rows(3)
    wb["绩效指标"]["A3"] = "插入的指标"
    wb.save(path)
    placement = place_workbook(path)
    assert placement.report == filled(chongqing) and not placement.notes
    assert [p.message for p in placement.problems] == [
        "工作簿的版式已在表格软件中改动（绩效指标!E6 处的表头或标签不在原位，可能插入或删除了行、列）。"
        "按表样模板「重庆市部门整体绩效自评表」填写的报告只能按原来的位置读回，各工作表中的改动都没有读入，"
        "报告内容取自工作簿中保存的数据。请在本程序中修改，或只在导出的工作簿原有的单元格中改写。"]


# -- no code change ---------------------------------------------------------------


def changed_template() -> tpl.Template:
    """The Chongqing template with 全年完成值 renamed, a column 偏差原因分析 added and an issuing
    line: a file, not code."""
    text = CHONGQING.read_text(encoding="utf-8")
    text = text.replace('label = "全年完成值"', 'label = "全年实际完成值"').replace(
        '  { key = "core", label = "是否核心指标", suggestions = ["是", "否"], max_length = 2 },\n',
        '  { key = "core", label = "是否核心指标", suggestions = ["是", "否"], max_length = 2 },\n'
        '  { key = "reason", label = "偏差原因分析", kind = "longtext" },\n').replace(
        "1.6, 1.6, 1.6, 1.4]", "1.6, 1.6, 1.6, 1.4, 4]").replace('id = "chongqing-2023"', 'id = "chongqing-2023x"').replace(
        'issuer = ""', 'issuer = "重庆市某区财政局（制）"')
    return tpl.load_bytes(text.encode("utf-8"), "cq-x.toml")


def test_a_renamed_label_and_an_added_column_print_and_export_with_no_code_change(tmp_path: Path) -> None:
    form = changed_template()
    assert registry.find(form.id) is None  # not installed: the workbook carries it
    r = filled(form)
    r.set_text("indicators.1.reason", "部分学员补考未通过。")
    text = pdf_text(render_pdf(r))
    assert "全年实际完成值" in text and "偏差原因分析" in text and "部分学员补考未通过。" in text
    assert f"{form.title}重庆市某区财政局（制）" in text  # the issuing line under the title
    assert "全年完成值" not in text.replace("全年实际完成值", "")
    path = tmp_path / "x.xlsx"
    path.write_bytes(render_workbook(r))
    wb = openpyxl.load_workbook(path)
    header = [c.value for c in wb["绩效指标"][2]]
    assert header[5] == "全年实际完成值" and header[10] == "偏差原因分析"
    assert (wb["基本信息"]["A1"].value, wb["基本信息"]["A2"].value) == (form.title, "重庆市某区财政局（制）")
    placement = place_workbook(path)
    assert placement.ok and placement.report == r and placement.report.form == form
    # A layout hint of the file: 当年绩效目标 starts a page.
    data = render_pdf(r)
    assert [line.page for line in lines(data) if line.text == "当年绩效目标"] == [1]
    paged = tpl.load_bytes(form.data + b"\n[layout.goals]\npage_break = true\n", "cq-x.toml")
    data = render_pdf(Report.from_plain(r.to_plain(), form=paged))
    assert [line.page for line in lines(data) if line.text == "当年绩效目标"] == [2]
    assert [str(n) for n in placement.notes] == [
        "报告所用的表样模板 chongqing-2023x 版本 2023.1（重庆市部门整体绩效自评表）本机没有安装，"
        "已用工作簿中附带的模板读回；需要时可用「安装表样模板」安装它。"]


def test_a_carried_template_changed_in_the_data_sheet_is_refused(tmp_path: Path) -> None:
    form = changed_template()
    path = tmp_path / "x.xlsx"
    path.write_bytes(render_workbook(filled(form)))
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    row = next(r for r in ws.iter_rows() if r[0].value == "@template")
    assert row[2].value.startswith('"# 部门整体绩效自评表')
    row[2].value = row[2].value.replace("全年实际完成值", "全年完成数")
    wb.save(path)
    with pytest.raises(DocumentError) as caught:
        place_workbook(path)
    assert caught.value.problems == [
        "工作簿的数据表（ziping_data）中的表样模板 chongqing-2023x 版本 2023.1 已被改动或损坏，无法读回。"
        "请用「工具 → 安装表样模板」安装这个模板后再打开。"]


# -- the command line ---------------------------------------------------------------


def test_convert_and_export_go_through_the_template(chongqing: tpl.Template, tmp_path: Path, capsys) -> None:
    source = tmp_path / "cq.json"
    source.write_text(interchange.dumps(filled(chongqing)), encoding="utf-8")
    for out in ("cq.pdf", "cq.xlsx"):
        assert main(["convert", str(source), str(tmp_path / out)]) == 0
    assert main(["convert", str(tmp_path / "cq.xlsx"), str(tmp_path / "back.json")]) == 0
    assert interchange.read(tmp_path / "back.json") == filled(chongqing)
    db = str(tmp_path / "z.sqlite3")
    assert main(["import", str(source), "--db", db]) == 0
    assert main(["export", "1", str(tmp_path / "e.pdf"), "--db", db]) == 0
    assert PdfReader(tmp_path / "e.pdf").pages[0].mediabox.width > PdfReader(tmp_path / "e.pdf").pages[0].mediabox.height
    capsys.readouterr()
    assert main(["convert", str(source), str(tmp_path / "cq.docx")]) != 0
    assert capsys.readouterr().err.strip() == (
        "错误：这份报告按表样模板「重庆市部门整体绩效自评表」填写，只有一张表，没有评价报告和附件2："
        "可生成 PDF 或 Excel 工作簿。")


# -- a real spreadsheet -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_opens_prints_and_saves_the_workbook(chongqing: tpl.Template, tmp_path: Path) -> None:
    r = filled(chongqing)
    source = tmp_path / "in" / "cq.xlsx"
    source.parent.mkdir()
    source.write_bytes(render_workbook(r))
    pages = pdf_pages(libreoffice(tmp_path, source, "pdf"))
    text = "".join("".join(page.split()) for page in pages)
    assert chongqing.title in text and "主管部门（盖章）：" in text
    assert all(label.replace(" ", "") in text for label in template_labels(chongqing))
    assert "91.5" in text and "9.5" in text
    saved = libreoffice(tmp_path, source, "xlsx")
    placement = place_workbook(saved)
    assert placement.ok and not placement.notes and placement.report == r
