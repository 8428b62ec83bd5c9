"""The exported workbook as a clerk uses it: cells to fill in, protected formulas, the
printout (print titles, footer, every word of a long text), and LibreOffice's saving."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from models import form
from models.report import Report
from reports import workbook
from reports.workbook import place_workbook, read_workbook
from reports.workbook.layout import (
    CONTINUED_FORMAT,
    MAX_ROW_POINTS,
    SHEET_COVER,
    SHEET_MONEY,
    SHEET_PEOPLE,
    SHEET_PERFORMANCE,
    SHEET_PROJECTS,
    SHEET_SCORING,
    split_text,
)
from reports.workbook.xlsx import ENTRY_FILL
from tests.helpers import SOFFICE, export_workbook, find_cell, libreoffice, pdf_pages


def long_report(sample: Report) -> Report:
    """The sample with texts far taller than a row can be (409 points)."""
    report = sample.copy()
    duties = report.data["basics"]["duties"]
    report.data["basics"]["duties"] = "\n".join([duties] * 5) + "\n最后一句：以上职责均已履行完毕。"
    # (beside an empty 预期目标, so that the PDF's text does not interleave the two columns' lines)
    report.data["qualitative"][0]["expected"] = None
    report.data["qualitative"][0]["actual"] = "".join(f"第{i:03d}项已完成；" for i in range(1, 301)) + "全部完成。"
    report.data["indicators"][0]["actual"] = "公用经费支出明细说明，" * 60 + "控制在预算以内。"
    report.data["signatures"]["dept_opinion"] = "同意评价组意见，" * 200 + "特此说明。"
    return report


# -- cells to fill in, formulas protected ------------------------------------------------


def test_sheets_protected_without_password_and_entry_cells_open(tmp_path, sample) -> None:
    sample.data["income"][0]["total"] = None  # blank: the sum of its parts, which the clerk may type
    sample.data["summary"]["income"]["total"] = None  # the summary's 收入合计 the sum too: a formula
    sample.data["summary"]["income"]["public_budget"] = Decimal("9999.99")  # stated, not the sum
    wb = openpyxl.load_workbook(export_workbook(tmp_path, sample))
    for ws in wb.worksheets[:-1]:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        assert not ws.protection.formatColumns and not ws.protection.formatRows  # may be resized
    ws = wb[SHEET_MONEY]
    typed = ws["D6"]  # 公共财政拨款 of 局机关
    assert typed.value == Decimal("3091.34") or typed.value == 3091.34
    assert not typed.protection.locked and typed.fill.fgColor.rgb == ENTRY_FILL
    blank = ws["C6"]  # 上年结转, blank: still a cell to fill in
    assert blank.value is None and not blank.protection.locked and blank.fill.fgColor.rgb == ENTRY_FILL
    total = ws["B6"]  # a blank total shows the sum, and may be typed over
    assert str(total.value).startswith("=") and not total.protection.locked
    summary = ws["B5"]  # 局机关及二级机构汇总: a formula, locked, no fill
    assert str(summary.value).startswith("=") and summary.protection.locked
    assert summary.fill.fgColor.rgb != ENTRY_FILL
    stated = ws["D5"]  # a summary figure the file stated: shown as stated, locked all the same
    assert stated.value == 9999.99 and stated.protection.locked and stated.fill.fgColor.rgb != ENTRY_FILL
    assert ws.cell(*find_cell(ws, "机构名称")).protection.locked  # a label
    assert not ws["A6"].protection.locked  # 1、局机关: a name the clerk may change
    rate = wb[SHEET_PERFORMANCE]
    r, _ = find_cell(rate, "得分率")
    assert str(rate.cell(row=r + 1, column=5).value).startswith("=") and rate.cell(row=r + 1, column=5).protection.locked


def test_figures_accept_what_the_form_accepts_with_a_message(tmp_path, sample) -> None:
    wb = openpyxl.load_workbook(export_workbook(tmp_path, sample))
    rules = {str(dv.sqref): dv for dv in wb[SHEET_MONEY].data_validations.dataValidation}
    public = next(dv for ref, dv in rules.items() if "D6" in ref.split(":")[0] or ref.startswith("B6"))
    assert public.type == "custom" and public.allowBlank and public.showInputMessage and public.showErrorMessage
    assert public.formula1 == "AND(ISNUMBER(B6),ROUND(B6,2)=B6,B6>=0)"
    assert public.prompt == "填写金额（万元），不小于 0，最多 2 位小数。不填写即为空白（空白不是 0）。"
    assert public.error == "「收入合计」应为金额（万元），不小于 0，最多 2 位小数。请重新填写。"
    r, _ = find_cell(wb[SHEET_MONEY], "当年结余")
    balances = [dv for dv in rules.values() if dv.promptTitle == "当年结余"]
    assert balances and ">=0" not in balances[0].formula1 and "可以为负数" in balances[0].prompt
    score = [dv for dv in wb[SHEET_PERFORMANCE].data_validations.dataValidation if dv.promptTitle == "评分"]
    row = re.search(r"C(\d+)", score[0].formula1).group(1)
    assert score[0].formula1 == f"AND(ISNUMBER(C{row}),ROUND(C{row},1)=C{row},C{row}>=0,C{row}<=100)"
    assert "最多 1 位小数" in score[0].prompt
    staff = [dv for dv in wb[SHEET_COVER].data_validations.dataValidation if dv.promptTitle == "人员编制"]
    assert "=INT(" in staff[0].formula1 and staff[0].prompt.startswith("填写整数，不小于 0")


# -- the printout ------------------------------------------------------------------------


def test_long_sheets_repeat_their_header_and_every_sheet_has_a_footer(tmp_path, sample) -> None:
    wb = openpyxl.load_workbook(export_workbook(tmp_path, sample))
    titles = {ws.title: ws.print_title_rows for ws in wb.worksheets[:-1]}
    r, _ = find_cell(wb[SHEET_PROJECTS], "项目名称")
    assert titles[SHEET_PROJECTS] == f"${r}:${r + 1}"
    r, _ = find_cell(wb[SHEET_PERFORMANCE], "绩效目标")
    assert titles[SHEET_PERFORMANCE] == f"${r}:${r}"
    r, _ = find_cell(wb[SHEET_SCORING], "三级指标")
    assert titles[SHEET_SCORING] == f"${r}:${r}"
    assert wb[SHEET_SCORING].page_setup.orientation == "landscape"
    for ws in wb.worksheets[:-1]:
        footer = ws.oddFooter
        assert footer.left.text == "吉首市科工信局2023年度部门整体支出绩效自评报告", ws.title
        assert footer.right.text == "第 &P 页 共 &N 页"


def test_long_texts_continue_on_the_rows_below_and_read_back_whole(tmp_path, sample) -> None:
    report = long_report(sample)
    path = export_workbook(tmp_path, report)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[:-1]:
        assert all((d.height or 0) <= MAX_ROW_POINTS for d in ws.row_dimensions.values()), ws.title
    ws = wb[SHEET_COVER]
    r, _ = find_cell(ws, "职能职责概述")
    parts = []
    row = r
    while True:
        cell = ws.cell(row=row, column=2)
        if row > r and cell.number_format != CONTINUED_FORMAT:
            break
        parts.append(cell.value)
        row += 1
    assert len(parts) > 2
    assert "".join(parts) == report.data["basics"]["duties"]
    # the joins are open: no line between the parts of one text
    assert ws.cell(row=r, column=2).border.bottom.style is None
    assert ws.cell(row=r + 1, column=2).border.top.style is None
    assert ws.cell(row=r, column=2).border.top.style == "thin"
    back = place_workbook(path)
    assert back.ok and back.notes == [] and back.report == report
    assert back.cells["basics.duties"] == f"{SHEET_COVER}!B{r}"
    # without the data sheet, placed by labels: the parts are still joined exactly
    del wb[workbook.DATA_SHEET]
    wb.save(path)
    placed = place_workbook(path)
    got = placed.report.to_plain()
    assert got["basics"]["duties"] == report.data["basics"]["duties"]
    assert got["qualitative"] == report.to_plain()["qualitative"]
    assert got["indicators"][0]["actual"] == report.data["indicators"][0]["actual"]
    assert len(got["indicators"]) == len(report.data["indicators"])
    assert got["signatures"]["dept_opinion"] == report.data["signatures"]["dept_opinion"]
    assert all("没有保存计算结果" in p.message for p in placed.problems)


def test_split_text_keeps_every_character() -> None:
    text = "第一段。" * 300 + "\n" + "甲" * 2000 + "\n\n末尾"
    parts = split_text(text, 40)
    assert "".join(parts) == text and len(parts) > 3
    assert split_text("短文本", 40) == ("短文本",)


def test_a_text_corrected_in_one_of_its_parts_is_taken(tmp_path, sample) -> None:
    report = long_report(sample)
    path = export_workbook(tmp_path, report)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_COVER]
    r, _ = find_cell(ws, "职能职责概述")
    ws.cell(row=r + 1, column=2).value = ws.cell(row=r + 1, column=2).value.replace("负责", "主管", 1)
    wb.save(path)
    placement = place_workbook(path)
    assert placement.ok and placement.report.data["basics"]["duties"].count("主管") == 1
    assert [n.where for n in placement.notes] == [f"{SHEET_COVER}!B{r}"]


# -- the paper's blank 二级机构 rows, renamed ---------------------------------------------


def test_renaming_a_blank_institution_row_is_the_normal_use(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MONEY]
    income = find_cell(ws, "2、二级机构1")
    ws.cell(row=income[0], column=1).value = "2、信息中心"
    ws.cell(row=income[0], column=4).value = 12.5  # 公共财政拨款
    spending = [c.row for c in ws["A"] if c.value == "2、二级机构1"]
    ws.cell(row=spending[0], column=6).value = 12.5  # 项目支出, the row left with its old name
    wb.save(path)
    placement = place_workbook(path)
    assert placement.ours and placement.ok
    report = placement.report
    assert report.institutions == ["局机关", "信息中心"]
    assert report.data["income"][1]["public_budget"] == Decimal("12.5")
    assert report.data["expenditure"][1]["project"] == Decimal("12.5")
    assert [str(n) for n in placement.notes] == [
        f"{SHEET_MONEY}!A{income[0]}：已在表格软件中填写原「二级机构1」行，作为机构「信息中心」读入。"]
    assert placement.cells["income.1.public_budget"] == f"{SHEET_MONEY}!D{income[0]}"
    # everything else as exported
    assert report.data["income"][0] == sample.data["income"][0]
    assert report.data["narrative"] == sample.data["narrative"]


def test_the_data_sheet_says_what_it_is_for(tmp_path, sample) -> None:
    wb = openpyxl.load_workbook(export_workbook(tmp_path, sample))
    data = wb[workbook.DATA_SHEET]
    assert data.sheet_state == "veryHidden"
    assert data["D1"].value == workbook.DATA_NOTE
    assert "请勿修改或删除本表" in workbook.DATA_NOTE and "隐藏" in workbook.DATA_NOTE


def test_a_data_sheet_shown_in_a_spreadsheet_is_still_ours(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    wb = openpyxl.load_workbook(path)
    wb[workbook.DATA_SHEET].sheet_state = "visible"
    ws = wb[SHEET_MONEY]
    ws.insert_rows(3)  # moved labels: placed by labels, the data sheet is no clerk's table
    wb.save(path)
    placement = place_workbook(path)
    assert not any(p.sheet == workbook.DATA_SHEET for p in placement.problems)


# -- LibreOffice -------------------------------------------------------------------------

needs_libreoffice = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"),
]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_prints_titles_footers_and_every_word(tmp_path, sample) -> None:
    report = long_report(sample)
    pdf = libreoffice(tmp_path, export_workbook(tmp_path, report, "报告.xlsx"), "pdf")
    pages = pdf_pages(pdf)
    flat = [re.sub(r"\s+", "", p) for p in pages]
    assert len(pages) > 8
    for i, page in enumerate(flat, 1):
        assert "吉首市科工信局2023年度部门整体支出绩效自评报告" in page, i
        assert f"第{i}页共{len(pages)}页" in page, i
    # 项目支出明细 runs over pages: its two header rows head each of them
    names = [re.sub(r"\s+", "", p["name"])[:8] for p in report.data["narrative"]["projects"]]
    project_pages = [p for p in flat if any(name in p for name in names)]
    assert len(project_pages) >= 2 and all("项目名称" in p and "经济分类科目" in p for p in project_pages)
    # the long texts print whole, their last words included
    everything = "".join(flat)
    for tail in ("最后一句：以上职责均已履行完毕。", "全部完成。", "控制在预算以内。", "特此说明。"):
        assert tail in everything, tail
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert [i for i in range(1, 301) if f"第{i:03d}项已完成" not in text] == []


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_a_workbook_saved_by_libreoffice_reads_back_exactly(tmp_path, sample) -> None:
    report = long_report(sample)
    saved = libreoffice(tmp_path, export_workbook(tmp_path, report, "报告.xlsx"), "xlsx")
    wb = openpyxl.load_workbook(saved)
    assert wb[workbook.DATA_SHEET].sheet_state == "hidden"  # no longer very hidden: tolerated
    assert wb[SHEET_MONEY].protection.sheet and not wb[SHEET_MONEY]["D6"].protection.locked
    placement = place_workbook(saved)
    assert placement.ours and placement.ok and placement.notes == []
    assert placement.report == report
    assert read_workbook(saved) == report
    assert form.PLACEHOLDER_INSTITUTIONS[0] not in placement.report.institutions


def test_people_sheet_prints_the_opinion_before_its_signature_lines(tmp_path, sample) -> None:
    report = long_report(sample)
    ws = openpyxl.load_workbook(export_workbook(tmp_path, report))[SHEET_PEOPLE]
    r, _ = find_cell(ws, "部门（单位）意见：")
    below = [ws.cell(row=k, column=1).value for k in range(r + 1, r + 8)]
    signature = next(i for i, v in enumerate(below) if v and "部门（单位）负责人（签字）" in v)
    assert signature >= 2 and "".join(v for v in below[:signature] if v) == report.data["signatures"]["dept_opinion"]
