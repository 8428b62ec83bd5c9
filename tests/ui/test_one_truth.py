"""One truth: for any report, every figure of the 收支 tables agrees between the window's
model, the printed PDF, the workbook recalculated by a real spreadsheet, the handover
package's data, the finance database after import and its 汇总表 — and a stated summary
figure that differs from the sum is the one the finding quotes.

Hypothesis draws the reports; LibreOffice recalculates all their workbooks in one run
at the end (it is the slow part), so the examples stay few.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from pypdf import PdfReader

from models import form
from models.document import format_value
from models.report import Report
from models.rules import check
from models.store import Store
from reports.consolidation import FIGURES, render_summary
from reports.handover import receive
from reports.package import build_package, read_package
from reports.printed import render_pdf
from reports.workbook import render_workbook
from reports.workbook.layout import SHEET_MONEY
from tests.strategies import reports

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"),
]

#: Figures up to this size (and their sums) print on one line in the PDF's narrowest column.
LIMIT = 99
NAMES = ["局机关", "信息中心", "服务中心", "执法大队"]


def stated_sample() -> Report:
    """The sample, its stated 公共财政拨款 summary set to 9999.99 (the sum is 3091.34)."""
    from models import interchange, resources

    report = interchange.read(resources.path("samples", "jishou_kegongxin_2023.json"))
    report.data["summary"]["income"]["public_budget"] = Decimal("9999.99")
    return report


def shown_rows(report: Report, table: form.InstitutionRows) -> list[dict[str, Any]]:
    """The summary row then each institution's row, as every output must show them."""
    return [report.shown_summary(table)] + [report.effective_row(table, r) for r in report.data[table.key]]


def _cents(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(Decimal("0.01"))


def _window_rows(qapp: Any, store: Store, report_id: int, table: form.InstitutionRows) -> list[list[str]]:
    from ui.session import Session
    from ui.tables import InstitutionModel

    session = Session(store)
    session.open(report_id)
    model = InstitutionModel(session, table)
    rows = [[model.index(r, 1 + c).data() for c in range(len(table.columns))] for r in range(model.rowCount())]
    session.watch.stop()
    session.deleteLater()
    return rows


def _pdf_figures(data: bytes) -> Counter[str]:
    """The figures printed in 二、部门（单位）收支情况 (footers and row numbers left out)."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    start = text.index("二、部门（单位）收支情况")
    end = text.index("三、部门（单位）整体支出绩效自评情况", start)
    lines = [ln for ln in text[start:end].splitlines() if "数据指纹" not in ln and not re.search(r"第 \d+ 页", ln)]
    # not the 1 of 二级机构1 (a placeholder row's name), nor the 1 of 1、局机关
    return Counter(re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\d、])", "\n".join(lines)))


def _sheet_rows(ws: Any, table: form.InstitutionRows, count: int) -> list[list[Decimal | None]]:
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == table.columns[0].label)
    summary = next(r for r in range(header, ws.max_row + 1) if ws.cell(row=r, column=1).value == form.SUMMARY_LABEL)
    return [[_cents(ws.cell(row=summary + k, column=2 + i).value) for i in range(len(table.columns))]
            for k in range(count)]


def test_every_figure_agrees_on_screen_paper_workbook_package_and_at_the_finance_bureau(
        tmp_path: Path, qapp: Any) -> None:
    from tests.reports.test_workbook_calc import resaved_by_libreoffice

    workbooks: dict[Path, Report] = {}
    counter = itertools.count()

    @settings(max_examples=4, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(reports(limit=LIMIT))
    @example(stated_sample())
    def agree(report: Report) -> None:
        report.data["institutions"] = NAMES[: len(report.institutions)]
        case = tmp_path / f"case{next(counter)}"
        case.mkdir()
        with Store(case / "finance.sqlite3") as store:
            # the window, from the department's own database
            local = store.create(report)
            for table in form.INSTITUTION_TABLES:
                want = [[format_value(c, row[c.key]) for c in table.columns] for row in shown_rows(report, table)]
                assert _window_rows(qapp, store, local, table) == want, table.key
            # paper: the figures of the 收支 section, no more and no fewer
            printed = Counter(
                format_value(c, row[c.key]) for t in form.INSTITUTION_TABLES for row in shown_rows(report, t)
                for c in t.columns if row[c.key] is not None
            )
            assert _pdf_figures(render_pdf(report, part="A")) == printed
            # the package's data, and the finance database after import
            package = case / "report.zpb"
            package.write_bytes(build_package(report, unchecked_ok=True))
            carried = read_package(package.read_bytes(), package.name).report
            store.delete(local)
            outcome = receive(store, package)
            assert outcome.kind == "imported", outcome.message
            received = store.load(outcome.report_id)
            summary = openpyxl.load_workbook(io.BytesIO(render_summary(store, report.year))) if report.year else None
        for table in form.INSTITUTION_TABLES:
            want_rows = shown_rows(report, table)
            assert shown_rows(carried, table) == want_rows, table.key
            assert shown_rows(received, table) == want_rows, table.key
        if summary is not None:
            sheet = summary[f"{report.year}年度汇总"]
            headers = [c.value for c in sheet[3]]
            first = headers.index(form.INCOME.row.child("total").label)  # the figures, in the order of FIGURES
            got = [_cents(c.value) for c in sheet[4][first:first + len(FIGURES)]]
            assert got == [_cents(report.shown_summary(t)[c]) for t, c in FIGURES]
        # the finding about a stated summary figure quotes the figure shown
        for finding in check(report):
            if finding.rule == "summary.rows":
                table_key, _, key = finding.cells[0].split(".")
                table = next(t for t in form.INSTITUTION_TABLES if t.key == table_key)
                assert f"填报 {format_value(table.row.child(key), report.shown_summary(table)[key])}，" in finding.message
        path = tmp_path / "in" / f"{case.name}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(render_workbook(report))
        workbooks[path] = report

    agree()
    # the sample's stated 9999.99 among them, shown as stated everywhere
    assert any(report.shown_summary(form.INCOME)["public_budget"] == Decimal("9999.99") for report in workbooks.values())
    first = resaved_by_libreoffice(tmp_path, *workbooks)
    for path, report in workbooks.items():
        ws = openpyxl.load_workbook(first.with_name(path.name), data_only=True)[SHEET_MONEY]
        for table in form.INSTITUTION_TABLES:
            want = [[_cents(row[c.key]) for c in table.columns] for row in shown_rows(report, table)]
            assert _sheet_rows(ws, table, len(want)) == want, (path.name, table.key)
