"""The 汇总表 of reports made with different versions of a template: each figure by its
key, blank (never 0, nor counted as 0 in the 合计) where a report's version has no such
column, and each row naming the template (id and version) it was made with."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models import form, interchange
from models import template_registry as registry
from models.store import Store
from reports.consolidation import FIGURES, render_summary
from reports.handover import receive_report
from tests.helpers import SOFFICE
from tests.reports.test_workbook_calc import resaved_by_libreoffice

#: The column the later version of the template leaves out.
GONE = (form.INCOME, "gov_fund")


def without_gov_fund(tmp_path: Path) -> Path:
    """The Hunan template as a finance bureau issued it again: 政府基金拨款 dropped, version 2023.2."""
    text = "".join(line for line in form.TEMPLATE.data.decode("utf-8").splitlines(keepends=True)
                   if '{ key = "gov_fund",' not in line)
    for old, new in (('version = "2023.1"', 'version = "2023.2"'),
                     ('"public_budget", "gov_fund", ', '"public_budget", ')):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "湖南2023.2.toml"
    path.write_text(text, encoding="utf-8")
    return path


def made_with(tmp_path: Path, sample, ref: dict[str, str], dept: str, code: str) -> Path:
    """The sample as a department made it with the template ``ref`` names: an interchange
    file whose data has only that template's keys."""
    plain = interchange.plain(sample)
    plain["template"] = ref
    plain["cover"]["dept_name"], plain["cover"]["budget_code"] = dept, code
    if ref["version"] == "2023.2":
        for row in (*plain["income"], plain["summary"]["income"]):
            del row["gov_fund"]
    path = tmp_path / f"{dept}.json"
    path.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def summary(tmp_path: Path, template_folder: Path, sample, db_path: Path) -> bytes:
    later, new = registry.install(without_gov_fund(tmp_path))
    assert new and not later.has("gov_fund") and all(c.key != "gov_fund" for c in later.part("income").columns)
    with Store(db_path) as store:
        for ref, dept, code in ((form.TEMPLATE.ref, "吉首市科工信局", "001001"),
                                (later.ref, "吉首市财政局", "001002")):
            path = made_with(tmp_path, sample, ref, dept, code)
            assert receive_report(store, path, interchange.read(path)).kind == "imported"
        return render_summary(store, 2023)


def test_a_column_a_version_lacks_stays_blank_and_each_row_names_its_template(summary) -> None:
    ws = load_workbook(io.BytesIO(summary))["2023年度汇总"]
    headers = [c.value for c in ws[3]]
    assert headers[-2:] == ["数据指纹", "表样模板"]
    gone = 9 + FIGURES.index((GONE[0], GONE[1]))
    assert headers[gone] == "政府基金拨款"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert [(r[2], r[-1]) for r in rows] == [("吉首市科工信局", "hunan-2023 版本 2023.1"),
                                            ("吉首市财政局", "hunan-2023 版本 2023.2")]
    assert Decimal(str(rows[0][gone])) == Decimal("1744.35")
    assert rows[1][gone] is None  # not 0: that version of the form has no such column
    # the columns both versions share are there for both
    assert [Decimal(str(r[9])) for r in rows] == [Decimal("5374.34")] * 2
    total = [c.value for c in ws[6]]
    assert total[2] == "合计" and total[-1] is None  # nor do the templates' names add up
    letter = ws.cell(row=3, column=gone + 1).column_letter
    assert total[gone] == f'=IF(COUNT({letter}4:{letter}5)=0,"",SUM({letter}4:{letter}5))'
    cached = [c.value for c in load_workbook(io.BytesIO(summary), data_only=True)["2023年度汇总"][6]]
    assert Decimal(str(cached[gone])) == Decimal("1744.35")  # the blank is not counted as 0
    assert Decimal(str(cached[9])) == Decimal("5374.34") * 2


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_a_spreadsheet_recalculates_the_total_without_the_blank(summary, tmp_path: Path) -> None:
    source = tmp_path / "in" / "汇总表.xlsx"
    source.parent.mkdir()
    # saved again by openpyxl, which keeps the formulas but not their cached results:
    # only a real recalculation can pass
    load_workbook(io.BytesIO(summary)).save(source)
    assert load_workbook(source, data_only=True)["2023年度汇总"]["J6"].value is None
    ws = load_workbook(resaved_by_libreoffice(tmp_path, source), data_only=True)["2023年度汇总"]
    gone = 9 + FIGURES.index((GONE[0], GONE[1]))
    assert ws.cell(row=5, column=gone + 1).value is None
    assert Decimal(str(ws.cell(row=6, column=gone + 1).value)) == Decimal("1744.35")
    assert ws.cell(row=5, column=len(ws[3])).value == "hunan-2023 版本 2023.2"
