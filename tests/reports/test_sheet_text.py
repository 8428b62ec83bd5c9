"""Text written into any workbook is text, never a formula, whatever it starts with.

Each workbook is checked twice: its XML holds no formula for a report's text
(only the program's own totals), and LibreOffice, opening and saving it again
with every formula recalculated, still holds the exact text.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from models.form import RULES_BY_ID
from models.store import Store
from reports.consolidation import render_summary
from reports.sheet_text import FORMULA_STARTS, looks_like_formula
from reports.workbook import render_workbook
from tests.reports.test_workbook_calc import RECALC_ALWAYS, SOFFICE

#: The 审核发现 sheet names a rule by what it checks.
INCOME_SUM = RULES_BY_ID["income.sum"].title
#: What a hostile department or clerk might type, each of which a spreadsheet would run.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid/","点此查看")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "#N/A",
]


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def _formulas(xml: str) -> list[str]:
    return re.findall(r"<f>(.*?)</f>", xml)


def resaved(tmp_path: Path, data: bytes, name: str) -> openpyxl.Workbook:
    """The workbook after LibreOffice opened it, recalculated every formula and saved it."""
    source = tmp_path / "in" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--calc",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return openpyxl.load_workbook(tmp_path / "out" / name)


def test_every_hostile_text_but_an_error_value_looks_like_a_formula() -> None:
    assert set(FORMULA_STARTS) <= {t[0] for t in HOSTILE}
    assert [t for t in HOSTILE if not looks_like_formula(t)] == ["#N/A"]


def _hostile_store(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        for i, name in enumerate(HOSTILE[:6]):  # a name cannot start with a tab or a line break
            report = sample.copy()
            report.set_text("cover.dept_name", name)
            report.set_text("basics.contact", f"={i}+{i}")
            report.explain("income.sum", ("income.0.total",), HOSTILE[1])
            store.create(report)


def test_the_summary_workbook_holds_no_formula_from_a_report(tmp_path, sample, db_path) -> None:
    _hostile_store(db_path, sample)
    with Store(db_path) as store:
        data = render_summary(store, 2023)
    parts = _parts(data)
    totals = _formulas(parts["xl/worksheets/sheet1.xml"])
    assert totals and all(re.fullmatch(r'IF\(COUNT\(([A-Z]+)4:\1(9)\)=0,"",SUM\(\1\d:\1\d\)\)', f) for f in totals)
    assert _formulas(parts["xl/worksheets/sheet2.xml"]) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = [r[2].value for r in wb["2023年度汇总"].iter_rows(min_row=4, max_row=9)]
    assert sorted(names) == sorted(HOSTILE[:6])
    explained = {r[7].value for r in wb["审核发现"].iter_rows(min_row=2) if r[3].value == INCOME_SUM}
    assert explained - {None} == {HOSTILE[1]}  # the summary row's finding has no 出错说明


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_evaluates_nothing_in_the_summary(tmp_path, sample, db_path) -> None:
    _hostile_store(db_path, sample)
    with Store(db_path) as store:
        data = render_summary(store, 2023)
    wb = resaved(tmp_path, data, "summary.xlsx")
    ws = wb["2023年度汇总"]
    assert sorted(r[2].value for r in ws.iter_rows(min_row=4, max_row=9)) == sorted(HOSTILE[:6])
    assert all(r[2].data_type == "s" for r in ws.iter_rows(min_row=4, max_row=9))
    findings = wb["审核发现"]
    explained = {r[7].value for r in findings.iter_rows(min_row=2) if r[3].value == INCOME_SUM}
    assert explained - {None} == {HOSTILE[1]}
    assert all(c.data_type != "f" for row in findings.iter_rows() for c in row)


def _hostile_report(sample):
    report = sample.copy()
    report.set_text("cover.dept_name", "=1+1")
    report.set_text("basics.contact", "+1+1")
    report.set_text("basics.phone", "-1+1")
    report.set_text("indicators.0.name", "@SUM(1,1)")
    report.set_text("signatures.evaluators.0.org", HOSTILE[0])
    report.set_text("qualitative.0.expected", "\t=1+1 开头是制表符")
    return report


def test_the_exported_workbook_holds_report_texts_as_text(sample) -> None:
    report = _hostile_report(sample)
    parts = _parts(render_workbook(report))
    sheets = [xml for name, xml in parts.items() if name.startswith("xl/worksheets/")]
    for xml in sheets:
        for formula in _formulas(xml):
            assert "1+1" not in formula and "cmd" not in formula and "SUM(1,1)" not in formula
    everything = "".join(sheets)
    for text in ("=1+1", "+1+1", "-1+1", "@SUM(1,1)", HOSTILE[0]):
        assert re.search(r't="inlineStr"><is><t[^>]*>' + re.escape(text) + "<", everything), text
    assert 'quotePrefix="1"' in parts["xl/styles.xml"]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_evaluates_nothing_in_the_exported_workbook(tmp_path, sample) -> None:
    report = _hostile_report(sample)
    wb = resaved(tmp_path, render_workbook(report), "report.xlsx")
    cells = {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=1+1", "+1+1", "-1+1", "@SUM(1,1)", HOSTILE[0]):
        assert text in cells, text
        assert cells[text].data_type == "s"
