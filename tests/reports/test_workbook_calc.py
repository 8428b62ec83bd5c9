"""A real spreadsheet recalculates the exported workbook and finds the program's totals.

LibreOffice (installed by .ci/run) opens the workbook headless with a private
profile told to recalculate every formula on load, and saves it again; the
results it stores must be the figures the program computes. The cached
results the program writes are replaced by 999 first, so that only a real
recalculation can pass.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from models import form
from models.report import Report
from reports import workbook
from reports.workbook import xlsx as workbook_xlsx
from reports.workbook.layout import SHEET_MONEY, SHEET_PERFORMANCE
from tests.helpers import SOFFICE, libreoffice

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"),
]

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def saved_by_libreoffice(tmp_path: Path, report: Report) -> Path:
    """The workbook after LibreOffice opened it, recalculated it and saved it."""
    source = tmp_path / "in" / "report.xlsx"
    source.parent.mkdir()
    source.write_bytes(workbook.render_workbook(report))
    return resaved_by_libreoffice(tmp_path, source)


def resaved_by_libreoffice(tmp_path: Path, *sources: Path) -> Path:
    """LibreOffice opens each workbook, recalculates every formula and saves it (one
    start for all of them); the first one saved is returned, the rest beside it."""
    return libreoffice(tmp_path, sources[0], "xlsx", RECALC_ALWAYS, sources[1:])


def recalculated(tmp_path: Path, report: Report, monkeypatch) -> openpyxl.Workbook:
    monkeypatch.setattr(workbook_xlsx, "cached_xml", lambda _value: ("", "999"))
    return openpyxl.load_workbook(saved_by_libreoffice(tmp_path, report), data_only=True)


def _figure(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def test_libreoffice_finds_the_same_totals(tmp_path, sample, monkeypatch) -> None:
    sample.drop_stated_summary()  # the summary row as the program computes it: formulas throughout
    sample.add_institution("信息中心")
    for path, text in {
        "income.1.public_budget": "12.5", "income.1.other": "0.75",
        "expenditure.1.personnel": "8.1", "expenditure.1.public_use": "2.2", "expenditure.1.project": "1",
        "assets.1.in_use": "3.3",
    }.items():
        sample.set_text(path, text)
    sample.data["income"][0]["total"] = None  # blank: the sum of its parts
    sample.data["score"]["grade"] = None  # blank: the band of the score
    wb = recalculated(tmp_path, sample, monkeypatch)
    ws = wb[SHEET_MONEY]
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    for table in form.INSTITUTION_TABLES:
        # each table's rows: find the summary row that follows its header
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == table.columns[0].label)
        summary = next(r for r in range(header, ws.max_row + 1) if ws.cell(row=r, column=1).value == form.SUMMARY_LABEL)
        want = sample.shown_summary(table)
        got = {c.key: _figure(ws.cell(row=summary, column=2 + i).value) for i, c in enumerate(table.columns)}
        assert got == {k: _cents(v) for k, v in want.items()}, table.key
        for k, row in enumerate(sample.data[table.key]):
            shown = sample.effective_row(table, row)
            r = summary + 1 + k
            got = {c.key: _figure(ws.cell(row=r, column=2 + i).value) for i, c in enumerate(table.columns)}
            assert got == {key: _cents(v) for key, v in shown.items()}, (table.key, k)
    assert rows  # the sheet was read
    income = wb[SHEET_MONEY]
    assert _figure(income["B6"].value) == Decimal("5373.74")  # 局机关's blank 收入合计 = 3091.34 + 1744.35 + 538.05
    assert _figure(income["B5"].value) == Decimal("5386.99")  # 汇总 = 5373.74 + 12.5 + 0.75

    perf = wb[SHEET_PERFORMANCE]
    cells = {perf.cell(row=r, column=c).value: (r, c) for r in range(1, perf.max_row + 1) for c in range(1, 7)}
    r, c = cells["等级"]
    assert perf.cell(row=r, column=c + 1).value == "优"
    r, c = cells["合计"]
    assert [perf.cell(row=r, column=k).value for k in (c + 1, c + 2)] == [100, 96]
    assert perf.cell(row=r, column=c + 3).value == pytest.approx(0.96)


def test_saved_by_libreoffice_still_reads_back_exactly(tmp_path, sample) -> None:
    """A clerk opens the workbook in a spreadsheet and saves it: nothing changes."""
    placement = workbook.place_workbook(saved_by_libreoffice(tmp_path, sample))
    assert placement.ours and placement.ok and placement.notes == []
    assert placement.report == sample


def test_libreoffice_recalculates_the_scoring_sheet_to_the_same_totals(tmp_path, sample, monkeypatch) -> None:
    from models import scoring
    from reports.workbook.layout import SHEET_SCORING

    ws = recalculated(tmp_path, sample, monkeypatch)[SHEET_SCORING]
    tree = scoring.tree(sample)
    assert tree is not None
    level1 = {row[0].value: (row[1].value, row[2].value) for row in ws.iter_rows() if row[0].value}
    for node in tree.level1:
        assert level1[node.name] == (int(node.weight), int(node.score)), node.name
    assert level1["合计"] == (100, 96)
    level2 = {row[3].value: (row[4].value, row[5].value) for row in ws.iter_rows(min_row=4) if row[3].value}
    assert level2["成本指标"] == (20, 19)
    assert level2["数量指标"] == (24, 24)
    assert level2["质量指标"] == (None, None)  # nothing under it: blank, not 0


def test_a_figure_changed_and_recalculated_in_a_spreadsheet_comes_back_as_the_clerk_sees_it(tmp_path, sample) -> None:
    """收支情况!D6 changed and the workbook recalculated by a real spreadsheet: the 汇总 formula
    follows, and the import takes the 汇总 as computed (no stale stated figure, no 0.60 error
    the clerk cannot clear); a figure typed over a 汇总 cell comes back as stated, a finding."""
    from models.rules import check

    source = tmp_path / "in" / "report.xlsx"
    source.parent.mkdir()
    source.write_bytes(workbook.render_workbook(sample))
    wb = openpyxl.load_workbook(source)
    wb[SHEET_MONEY]["D6"] = 3091.94  # the 收入合计 5374.34 now agrees with its parts
    wb[SHEET_MONEY]["E5"] = 1750  # typed over the 汇总 of 政府基金拨款
    wb.save(source)
    saved = resaved_by_libreoffice(tmp_path, source)
    assert openpyxl.load_workbook(saved, data_only=True)[SHEET_MONEY]["D5"].value == 3091.94
    placement = workbook.place_workbook(saved)
    report = placement.report
    assert placement.ok
    assert report.shown_summary(form.INCOME)["public_budget"] == Decimal("3091.94")
    assert report.shown_summary(form.INCOME)["gov_fund"] == Decimal("1750")
    found = {f.rule: f.message for f in check(report) if f.rule in ("income.sum", "summary.rows")}
    assert found == {
        "summary.rows": "年度收入情况「局机关及二级机构汇总」的政府基金拨款填报 1750，"
                        "而各机构合计为 1744.35，相差 5.65（汇总行多 5.65）。",
        # the summary row's own total no longer adds up with the figure typed into it
        "income.sum": "年度收入情况「局机关及二级机构汇总」：收入合计填报 5374.34，而 公共财政拨款 3091.94 + "
                      "政府基金拨款 1750 + 其他收入 538.05 = 5379.99，相差 5.65（收入合计少 5.65）。",
    }
