"""The report as an Excel workbook: export, exact read-back, edits made in a spreadsheet."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from models import form, interchange
from models.errors import DocumentError
from models.grades import bands_text, parse_bands_text
from models.report import Report
from models.rules import check
from reports import workbook
from reports.workbook import place_workbook, read_workbook
from reports.workbook.layout import (
    SHEET_BASIC_ITEMS,
    SHEET_COVER,
    SHEET_MONEY,
    SHEET_PEOPLE,
    SHEET_PERFORMANCE,
    SHEET_PROJECTS,
    SHEET_SCORING,
)
from tests.helpers import export_workbook, find_cell
from tests.strategies import reports


def _load(path: Path, data_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, data_only=data_only)


# -- round trip ------------------------------------------------------------------


def test_sample_round_trip_is_exact(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    placement = place_workbook(path)
    assert placement.ours and placement.ok and placement.notes == []
    assert placement.report == sample
    assert interchange.dumps(read_workbook(path)) == interchange.dumps(sample)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=reports())
def test_any_report_round_trips(tmp_path, report) -> None:
    path = export_workbook(tmp_path, report)
    placement = place_workbook(path)
    assert placement.problems == [] and placement.notes == []
    assert placement.report.to_plain() == report.to_plain()


def test_many_institutions_and_long_texts_round_trip(tmp_path, sample) -> None:
    for i in range(7):
        sample.add_institution(f"二级机构{i}号")
        sample.set_text(f"income.{i + 1}.public_budget", f"{i}.5")
    long_text = "长" * 40000 + "\n" + "第二段"
    sample.set_text("basics.duties", long_text)
    sample.insert_row("indicators")
    path = export_workbook(tmp_path, sample)
    back = read_workbook(path)
    assert back == sample
    assert back.data["basics"]["duties"] == long_text


def test_figures_come_back_as_written(tmp_path, sample) -> None:
    back = read_workbook(export_workbook(tmp_path, sample))
    assert back.to_plain()["three_public"][0] == {
        "total": "0.4", "reception": "0.4", "vehicle_ops": "0", "vehicle_purchase": "0", "overseas": "0",
    }
    assert back.data["expenditure"][0]["balance_year"] is None


# -- what the sheets look like ---------------------------------------------------------


def test_sheets_in_the_order_of_the_paper_and_a_hidden_data_sheet(tmp_path, sample) -> None:
    wb = _load(export_workbook(tmp_path, sample))
    assert wb.sheetnames == [SHEET_COVER, SHEET_MONEY, SHEET_PERFORMANCE, SHEET_PEOPLE, SHEET_BASIC_ITEMS,
                             SHEET_PROJECTS, SHEET_SCORING, workbook.DATA_SHEET]
    assert (SHEET_BASIC_ITEMS, SHEET_PROJECTS) == ("基本支出明细", "项目支出明细")
    assert [ws.sheet_state for ws in wb.worksheets][-1] == "veryHidden"
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets[:-1])
    data = wb[workbook.DATA_SHEET]
    assert data["A1"].value == workbook.DATA_MARK
    rows = {r[0]: r for r in data.iter_rows(min_row=2, values_only=True)}
    assert rows["income.0.total"][1:3] == ("收支情况!B6", '"5374.34"')
    assert rows["three_public.0.total"][2] == '"0.4"'
    assert rows["expenditure.0.balance_year"][2] == "null"


def test_no_narrative_sheets_without_their_tables(tmp_path) -> None:
    wb = _load(export_workbook(tmp_path, Report()))
    # 附件2 the 自评表 is part of every report: its lines are the 指标体系's
    assert wb.sheetnames == [SHEET_COVER, SHEET_MONEY, SHEET_PERFORMANCE, SHEET_PEOPLE, SHEET_SCORING,
                             workbook.DATA_SHEET]


def test_money_sheet_headers_merged_as_on_paper(tmp_path, sample) -> None:
    ws = _load(export_workbook(tmp_path, sample))[SHEET_MONEY]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 年度收入情况: 机构名称 and 收入合计 over two header rows, 其中： over the five parts
    r, c = find_cell(ws, form.INCOME.columns[0].label)
    assert f"A{r}:A{r + 1}" in merged and f"B{r}:B{r + 1}" in merged and f"C{r}:G{r}" in merged
    # 支出: three header rows; 其中： over basic..project, a second 其中： over personnel..public_use
    r, c = find_cell(ws, "支出合计")
    assert ws.cell(row=r, column=3).value == "其中："
    assert f"C{r}:F{r}" in merged and f"D{r + 1}:E{r + 1}" in merged and f"G{r}:H{r}" in merged
    assert ws.cell(row=r + 2, column=4).value == "人员支出"
    assert ws.cell(row=r, column=7).value == "结余"
    # the paper's blank rows when there are no 二级机构
    labels = [ws.cell(row=k, column=1).value for k in range(r + 3, r + 7)]
    assert labels == [form.SUMMARY_LABEL, "1、局机关", "2、二级机构1", "3、二级机构2"]


def test_summary_and_blank_totals_are_formulas_typed_totals_stay(tmp_path, sample) -> None:
    sample.drop_stated_summary()  # computed: every summary cell a formula
    sample.data["income"][0]["total"] = None  # blank: shown as the sum of its parts
    path = export_workbook(tmp_path, sample)
    ws = _load(path)[SHEET_MONEY]
    assert ws["B5"].value == '=IF(COUNT(B6:B8)=0,"",SUM(B6:B8))'  # the summary row
    assert ws["B6"].value == '=IF(COUNT(C6:G6)=0,"",SUM(C6:G6))'  # the blank 收入合计
    r, _ = find_cell(ws, "支出合计")
    assert ws.cell(row=r + 4, column=2).value == Decimal("5374.44") or ws.cell(row=r + 4, column=2).value == 5374.44
    assert ws["C6"].value is None and ws["C6"].number_format == "0.00"
    cached = _load(path, data_only=True)[SHEET_MONEY]
    assert cached["B6"].value == 5373.74  # cached for viewers that do not recalculate
    assert cached["C5"].value in (None, "")  # blank where every addend is blank


def test_a_stated_summary_figure_that_differs_from_the_sum_is_written_as_stated(tmp_path, sample) -> None:
    """The summary row shows what every output shows: the stated figure where it differs
    from the sum (typed, as the window and the paper show it), the sum elsewhere."""
    sample.data["summary"]["income"]["public_budget"] = Decimal("9999.99")
    path = export_workbook(tmp_path, sample)
    ws = _load(path)[SHEET_MONEY]
    assert ws["D5"].value == 9999.99 and ws["D5"].data_type == "n"
    assert ws["B5"].value == '=IF(COUNT(B6:B8)=0,"",SUM(B6:B8))'  # stated 5374.34 = the sum: a formula
    assert read_workbook(path) == sample


def test_print_setup_a4_fitted_to_width(tmp_path, sample) -> None:
    wb = _load(export_workbook(tmp_path, sample))
    for ws in wb.worksheets[:-1]:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    ws = wb[SHEET_COVER]
    r, _ = find_cell(ws, "职能职责概述")
    assert ws.cell(row=r, column=2).alignment.wrap_text
    assert ws.row_dimensions[r].height > 100
    assert ws.column_dimensions["B"].width > 20


def test_indicator_levels_merge_and_print_their_notes(tmp_path, sample) -> None:
    ws = _load(export_workbook(tmp_path, sample))[SHEET_PERFORMANCE]
    r, c = find_cell(ws, "产出目标\n" + form.LEVEL1_NOTES["产出目标"])
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert f"B{r}:B{r + 8}" in merged  # nine 产出目标 rows
    assert ws.cell(row=r, column=4).value == "公用经费控制率"


def test_text_that_looks_like_a_formula_stays_text(tmp_path) -> None:
    report = Report()
    report.set_text("basics.contact", "=1+1")
    path = export_workbook(tmp_path, report)
    ws = _load(path)[SHEET_COVER]
    r, _ = find_cell(ws, "=1+1")
    assert ws.cell(row=r, column=2).data_type == "s"
    assert read_workbook(path) == report


def test_bands_text_reads_back() -> None:
    bands = [[Decimal(90), "优"], [Decimal(80), "良"], [Decimal(60), "较差"], [Decimal(0), "差"]]
    text = bands_text(bands)
    assert text == "90（含）—100分为优；80（含）—90分为良；60（含）—80分为较差；60分以下为差。"
    assert parse_bands_text(text) == bands
    assert parse_bands_text("90（含）—100分为优；80（含）—90分为良；60（含）—80 分为较差；60分以下为差。") == bands


# -- corrected in a spreadsheet ---------------------------------------------------------


def _edit(path: Path, sheet: str, cell: str, value) -> None:
    """What a clerk does in WPS or Excel: change one cell and save (formula results are lost)."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def test_figure_corrected_in_a_spreadsheet_is_taken_and_noted(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    _edit(path, SHEET_MONEY, "C6", 0.6)  # 上年结转 of 局机关, blank before
    placement = place_workbook(path)
    assert placement.ok
    assert placement.report.data["income"][0]["carryover"] == Decimal("0.6")
    assert [str(n) for n in placement.notes] == ["收支情况!C6：已在表格软件中改动：（空） → 0.6"]
    # everything else is exactly as exported
    placement.report.data["income"][0]["carryover"] = None
    assert placement.report == sample


def test_a_figure_changed_in_a_spreadsheet_carries_into_the_summary_row(tmp_path, sample) -> None:
    """The summary row comes back as the clerk sees it: its formula follows a changed figure
    (here without a saved result, as openpyxl leaves it), so no stale stated figure stays."""
    path = export_workbook(tmp_path, sample)
    _edit(path, SHEET_MONEY, "D6", 3091.94)  # 公共财政拨款 of 局机关: 0.60 more, the 收入合计 agrees
    placement = place_workbook(path)
    report = placement.report
    assert placement.ok
    assert report.data["income"][0]["public_budget"] == Decimal("3091.94")
    assert report.shown_summary(form.INCOME)["public_budget"] == Decimal("3091.94")
    assert not [f for f in check(report) if f.rule in ("income.sum", "summary.rows")]
    assert [str(n) for n in placement.notes] == ["收支情况!D6：已在表格软件中改动：3091.34 → 3091.94"]


def test_a_figure_typed_over_the_summary_row_is_stated_and_checked(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    _edit(path, SHEET_MONEY, "D5", 3100)  # typed over the 汇总 formula of 公共财政拨款
    placement = place_workbook(path)
    report = placement.report
    assert report.data["summary"]["income"]["public_budget"] == Decimal("3100")
    assert report.shown_summary(form.INCOME)["public_budget"] == Decimal("3100")
    (found,) = [f for f in check(report) if f.rule == "summary.rows"]
    assert found.message == (
        "年度收入情况「局机关及二级机构汇总」的公共财政拨款填报 3100，而各机构合计为 3091.34，"
        "相差 8.66（汇总行多 8.66）。"
    )
    assert "收支情况!D5：汇总行已在表格软件中改填：3091.34 → 3100，按填报的数与各机构之和核对" in [
        str(n) for n in placement.notes]
    # cleared, it states nothing and shows the sum again
    _edit(path, SHEET_MONEY, "D5", None)
    report = place_workbook(path).report
    assert report.shown_summary(form.INCOME)["public_budget"] == Decimal("3091.34")
    assert not [f for f in check(report) if f.rule == "summary.rows"]


def test_unreadable_correction_is_a_problem_with_its_cell(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    _edit(path, SHEET_MONEY, "D6", "三千")
    placement = place_workbook(path)
    assert [p.where for p in placement.problems] == ["收支情况!D6"]
    assert "「三千」不是有效的公共财政拨款" in placement.problems[0].message
    with pytest.raises(workbook.PlacementError) as caught:
        read_workbook(path)
    assert "收支情况!D6：「三千」不是有效的公共财政拨款" in str(caught.value)


def test_tampered_data_sheet_is_refused(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    wb = openpyxl.load_workbook(path)
    wb[workbook.DATA_SHEET]["C2"] = "{broken"
    wb.save(path)
    with pytest.raises(DocumentError) as caught:
        read_workbook(path)
    assert "数据表（ziping_data）已被改动或损坏" in str(caught.value)


def test_excel_float_noise_is_the_typed_figure(tmp_path, sample) -> None:
    """Excel saves 1.1 as 1.1000000000000001; that is the figure 1.1, not a refusal."""
    path = export_workbook(tmp_path, sample)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    assert '<c r="D6" s=' in sheet
    import re

    sheet = re.sub(r'(<c r="D6"[^>]*><v>)3091.34(</v>)', r"\g<1>3091.3400000000001\g<2>", sheet)
    parts["xl/worksheets/sheet2.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    path.write_bytes(buffer.getvalue())
    placement = place_workbook(path)
    assert placement.ok and placement.notes == []
    assert placement.report == sample


def test_characters_a_cell_cannot_show_come_back_exactly(tmp_path) -> None:
    report = Report()
    odd = " 前导空格\t制表符\n换行\ufffe非字符𠀀扩展 "  # control characters are refused at entry
    report.data["basics"]["duties"] = odd
    path = export_workbook(tmp_path, report)
    placement = place_workbook(path)
    assert placement.ok and placement.notes == []
    assert placement.report.data["basics"]["duties"] == odd
    assert placement.report == report


def test_rows_inserted_in_a_spreadsheet_are_placed_by_their_labels(tmp_path, sample) -> None:
    """A clerk adds a 二级机构 by inserting a row: the stored places no longer hold."""
    path = export_workbook(tmp_path, sample)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MONEY]
    ws.insert_rows(7)  # under 1、局机关 of 年度收入情况; openpyxl moves cells, not merges
    ws["A7"] = "2、信息中心"
    ws["D7"] = 12.5
    wb.save(path)
    placement = place_workbook(path)
    assert not placement.ours
    assert placement.notes[0].message.startswith("工作簿的版式已在表格软件中改动（收支情况!")
    report = placement.report
    assert report.institutions == ["局机关", "信息中心"]
    assert report.data["income"][1]["public_budget"] == Decimal("12.5")
    assert report.data["income"][0]["public_budget"] == Decimal("3091.34")
    assert report.data["narrative"]["sections"] == sample.data["narrative"]["sections"]


def test_deleted_sheet_is_taken_from_the_data_sheet(tmp_path, sample) -> None:
    path = export_workbook(tmp_path, sample)
    wb = openpyxl.load_workbook(path)
    del wb[SHEET_PEOPLE]
    wb.save(path)
    placement = place_workbook(path)
    assert placement.ok and placement.report == sample
    assert [str(n) for n in placement.notes] == ["工作表「评价人员」已被删除，其中的内容取自工作簿中保存的数据。"]


@pytest.mark.parametrize("fast", [True, False], ids=["own-reader", "openpyxl"])
def test_both_readers_give_the_same_report(tmp_path, sample, monkeypatch, fast) -> None:
    """An untouched export is read without openpyxl; anything else with it. Both are exact."""
    from reports.workbook import own_reader as workbook_own

    if not fast:
        monkeypatch.setattr(workbook_own, "read", lambda _data, _program: None)
    sample.add_institution("信息中心")
    sample.data["income"][0]["total"] = None
    sample.data["score"]["grade"] = None
    path = export_workbook(tmp_path, sample)
    placement = place_workbook(path)
    assert placement.ours and placement.ok and placement.notes == []
    assert placement.report == sample
