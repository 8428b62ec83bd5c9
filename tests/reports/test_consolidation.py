"""汇总表: one row per department with its key figures, totals as formulas, findings listed."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models import interchange
from models.errors import ZipingError
from models.rules import check
from models.store import Store
from reports.consolidation import FIGURES, render_summary
from reports.handover import receive
from reports.package import build_package
from tests.helpers import explain_errors


def test_summary_workbook(tmp_path, sample, db_path) -> None:
    second = sample.copy()
    second.set_text("cover.dept_name", "吉首市财政局")
    explain_errors(second, "已核实")
    other_year = sample.copy()
    other_year.set_text("cover.year", "2022")
    (tmp_path / "b.zpb").write_bytes(build_package(second))
    with Store(db_path) as store:
        store.create(sample)
        store.create(other_year)
        assert receive(store, tmp_path / "b.zpb").kind == "imported"
        data = render_summary(store, 2023)
        with pytest.raises(ZipingError, match="没有 2019 年度的报告"):
            render_summary(store, 2019)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["2023年度汇总"]
    assert ws["A1"].value == "2023年度部门整体支出绩效自评汇总表"
    headers = [c.value for c in ws[2]]
    assert headers[:7] == ["报告编号", "部门（单位）", "收到时间", "状态", "评分", "等级", "数据指纹"]
    assert headers[7] == "收入合计（万元）" and headers[-3:] == ["错误", "警告", "纸质报告核对"]
    # the 一级 scores per department, after the figures
    assert headers[7 + len(FIGURES):-3] == ["投入得分", "产出得分", "效益得分", "满意度得分"]
    assert len(headers) == 7 + len(FIGURES) + 4 + 3
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=4)]
    assert [r[1] for r in rows] == ["吉首市科工信局", "吉首市财政局"]
    assert [r[3] for r in rows] == ["有审核发现", "有审核发现"]
    assert rows[0][6] == interchange.fingerprint(sample)
    assert Decimal(str(rows[0][7])) == Decimal("5374.34")
    assert rows[0][-7:] == [8, 49, 30, 9, 3, 17, "未核对"]
    total = [c.value for c in ws[5]]
    assert total[1] == "合计"
    assert total[7] == "=SUM(H3:H4)"
    assert total[-7:-3] == [None] * 4  # scores of different departments do not add up
    assert total[-1] is None  # nor do the words of 纸质报告核对
    findings = wb["审核发现"]
    listed = [[c.value for c in row] for row in findings.iter_rows(min_row=2)]
    assert len(listed) == len(check(sample)) + len(check(second))
    assert listed[0][:4] == [1, "吉首市科工信局", "income.sum", "错误"]
    assert {r[7] for r in listed if r[1] == "吉首市财政局" and r[3] == "错误"} == {"否"}
    assert {r[7] for r in listed if r[1] == "吉首市科工信局" and r[3] == "错误"} == {"是"}
    assert [r[6] for r in listed if r[1] == "吉首市财政局" and r[3] == "错误"][0] == "已核实"
