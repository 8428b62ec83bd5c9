"""汇总表: one row per report by 预算编码 then department, filterable, totals as formulas
that carry their sums, every finding in words, and a printout a finance official can read."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models import interchange
from models.errors import ZipingError
from models.rules import check
from models.store import Store
from reports.consolidation import FIGURES, FINDINGS_SHEET, columns, render_summary
from reports.handover import receive
from reports.package import build_package
from tests.helpers import SOFFICE, explain_errors, libreoffice, pdf_pages


@pytest.fixture
def made(tmp_path, sample, db_path) -> tuple[bytes, int]:
    """Four departments of 2023 (one of them explained, one without a 预算编码, one received
    as a package) and one of 2022."""
    second = sample.copy()
    second.set_text("cover.dept_name", "吉首市财政局")
    second.set_text("cover.budget_code", "003001")
    explain_errors(second, "已核实")
    third = sample.copy()
    third.set_text("cover.dept_name", "吉首市教育局")
    third.set_text("cover.budget_code", "001002")
    third.data["income"][0]["other"] = None
    third.data["summary"] = None  # its 汇总 the sum of its rows: 其他收入 blank
    fourth = sample.copy()
    fourth.set_text("cover.dept_name", "吉首市民政局")
    fourth.data["cover"]["budget_code"] = None
    other_year = sample.copy()
    other_year.set_text("cover.year", "2022")
    (tmp_path / "b.zpb").write_bytes(build_package(second))
    with Store(db_path) as store:
        store.create(sample)
        store.create(other_year)
        assert receive(store, tmp_path / "b.zpb").kind == "imported"
        store.create(third)
        store.create(fourth)
        data = render_summary(store, 2023)
        with pytest.raises(ZipingError, match="没有 2019 年度的报告"):
            render_summary(store, 2019)
    return data, sum(len(check(r)) for r in (sample, second, third, fourth))


@pytest.fixture
def summary(made) -> bytes:
    """The 汇总表 of :func:`made`."""
    return made[0]


def test_one_row_per_report_by_budget_code_then_department(summary, sample) -> None:
    wb = load_workbook(io.BytesIO(summary))
    ws = wb["2023年度汇总"]
    assert ws["A1"].value == "2023年度部门整体支出绩效自评汇总表"
    headers = [c.value for c in ws[3]]
    assert headers[:9] == ["报告编号", "预算编码", "部门（单位）", "联系人", "联系电话", "收到时间", "状态", "评分", "等级"]
    # the income broken down, 人员/公用支出, 当年/累计结余, as the form labels them
    assert headers[9:15] == ["收入合计", "上年结转", "公共财政拨款", "政府基金拨款", "纳入专户管理的非税收入拨款", "其他收入"]
    assert headers[15:22] == ["支出合计", "基本支出", "人员支出", "公用支出", "项目支出", "当年结余", "累计结余"]
    assert headers[9 + len(FIGURES):] == ["投入得分", "产出得分", "效益得分", "满意度得分", "错误", "警告", "已说明",
                                          "报送状态", "出错说明", "纸质报告核对", "数据指纹", "表样模板"]
    groups = {str(m) for m in ws.merged_cells.ranges}
    assert "J2:O2" in groups and ws["J2"].value == "年度收入（万元）"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=7)]
    assert [(r[1], r[2]) for r in rows] == [("001002", "吉首市教育局"), ("003001", "吉首市财政局"),
                                          ("004001", "吉首市科工信局"), (None, "吉首市民政局")]
    assert rows[2][3:5] == ["陶毅", "8520526"]
    assert [r[6] for r in rows] == ["有审核发现"] * 4
    assert rows[2][-2:] == [interchange.fingerprint(sample), "hunan-2023 版本 2023.1"]
    assert Decimal(str(rows[2][9])) == Decimal("5374.34") and rows[0][14] is None  # blank stays blank
    assert rows[2][9 + len(FIGURES):-2] == [8, 49, 30, 9, 3, 17, 0, "本机录入", "3 项错误未说明（已说明 0 项）", "未核对"]
    assert rows[1][-8:-5] == [3, 17, 3]  # its errors explained
    # received as a package: its declared status, and its 出错说明 as its data shows them
    assert rows[1][-5:-3] == ["草稿（部门申报）", "3 项错误均已说明"]
    # 收到时间 is a date-time a spreadsheet can sort and filter
    assert all(isinstance(r[5], datetime) for r in rows)
    assert rows[1][5] == datetime.fromisoformat(rows[1][5].isoformat())


def test_filter_frozen_panes_and_print_setup(summary) -> None:
    wb = load_workbook(io.BytesIO(summary))
    ws = wb["2023年度汇总"]
    last = 3 + len(columns([""]))
    assert ws.auto_filter.ref == f"A3:{ws.cell(row=3, column=last - 3).column_letter}7"
    assert ws.freeze_panes == "D4"
    assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$C"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.oddFooter.left.text == "2023年度部门整体支出绩效自评汇总表"
    assert ws.oddFooter.right.text == "第 &P 页 共 &N 页"


def test_the_total_row_carries_its_sums(summary) -> None:
    ws = load_workbook(io.BytesIO(summary))["2023年度汇总"]
    total = [c.value for c in ws[8]]
    assert total[2] == "合计"
    assert total[9] == '=IF(COUNT(J4:J7)=0,"",SUM(J4:J7))'
    assert total[7] is None and total[9 + len(FIGURES)] is None  # scores of departments do not add up
    cached = [c.value for c in load_workbook(io.BytesIO(summary), data_only=True)["2023年度汇总"][8]]
    assert Decimal(str(cached[9])) == Decimal("5374.34") * 4
    assert cached[10] in (None, "")  # 上年结转 blank everywhere: its total is blank, not 0
    assert Decimal(str(cached[14])) == Decimal("538.05") * 3
    assert cached[-8:-5] == [12, 68, 3]
    assert total[-5:-3] == [None, None]  # nor the words of 报送状态 and 出错说明
    assert total[-3] is None and total[-1] is None  # nor do the words of 纸质报告核对 and 表样模板


def test_findings_in_words_with_page_setup(made) -> None:
    wb = load_workbook(io.BytesIO(made[0]))
    fs = wb[FINDINGS_SHEET]
    assert [c.value for c in fs[1]] == ["报告编号", "预算编码", "部门（单位）", "审核内容", "严重程度", "位置", "说明",
                                        "出错说明", "阻止定稿"]
    listed = [[c.value for c in row] for row in fs.iter_rows(min_row=2)]
    assert len(listed) == made[1]
    first = next(r for r in listed if r[2] == "吉首市科工信局")
    assert first[3] == "收入合计等于各项收入之和" and first[4] == "错误"
    assert first[5] == ("二、收入「1、局机关」收入合计、公共财政拨款、政府基金拨款、其他收入，"
                        "「局机关及二级机构汇总」收入合计、公共财政拨款、政府基金拨款、其他收入")
    assert not any(re.search(r"\b[a-z_]+\.(\d+|summary)\.[a-z_]+\b", str(r[5])) for r in listed)
    assert not any(r[3] in {"income.sum", "score.sum"} for r in listed)
    assert {r[8] for r in listed if r[2] == "吉首市财政局" and r[4] == "错误"} == {"否"}
    assert {r[8] for r in listed if r[2] == "吉首市科工信局" and r[4] == "错误"} == {"是"}
    assert [r[7] for r in listed if r[2] == "吉首市财政局" and r[4] == "错误"][0] == "已核实"
    assert fs.page_setup.orientation == "landscape" and fs.print_title_rows == "$1:$1"
    assert fs.freeze_panes == "D2" and fs.auto_filter.ref.startswith("A1:I")
    assert fs["G2"].alignment.wrap_text and fs.row_dimensions[2].height > 15


def test_the_summary_reads_one_report_at_a_time(sample, db_path, monkeypatch) -> None:
    import weakref

    with Store(db_path) as store:
        for i in range(12):
            r = sample.copy()
            r.set_text("cover.dept_name", f"第{12 - i:02d}号部门")
            r.data["cover"]["budget_code"] = None
            store.create(r)
        loaded: list[weakref.ref] = []
        most = 0
        original = store.load

        def load(report_id: int):
            nonlocal most
            most = max(most, sum(1 for ref in loaded if ref() is not None))
            report = original(report_id)
            loaded.append(weakref.ref(report))
            return report

        monkeypatch.setattr(store, "load", load)
        data = render_summary(store, 2023)
    assert len(loaded) == 12
    assert most <= 1, "every report before the one being read has been let go but the last"
    ws = load_workbook(io.BytesIO(data))["2023年度汇总"]
    assert [row[2].value for row in ws.iter_rows(min_row=4, max_row=15)] == [f"第{i:02d}号部门" for i in range(1, 13)]
    assert ws["C16"].value == "合计" and ws["J16"].value == '=IF(COUNT(J4:J15)=0,"",SUM(J4:J15))'


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_prints_the_summary_with_titles_and_footers(summary, tmp_path) -> None:
    source = tmp_path / "汇总表.xlsx"
    source.write_bytes(summary)
    pages = [re.sub(r"\s+", "", p) for p in pdf_pages(libreoffice(tmp_path, source, "pdf"))]
    assert len(pages) >= 3
    for i, page in enumerate(pages, 1):
        assert page.startswith("2023年度部门整体支出绩效自评汇总表") or "审核内容" in page, i
        assert f"第{i}页共{len(pages)}页" in page, i
    summary_pages = [p for p in pages if "审核内容" not in p]
    finding_pages = [p for p in pages if "审核内容" in p]
    assert len(summary_pages) >= 2 and len(finding_pages) >= 2
    # every page of the 汇总 repeats its header rows and its first columns
    assert all("报告编号" in p and "部门（单位）" in p and "吉首市科工信局" in p for p in summary_pages)
    assert any("收入合计" in p for p in summary_pages) and any("已说明" in p for p in summary_pages)
    assert all(p.startswith("报告编号预算编码部门（单位）审核内容") for p in finding_pages)


def test_a_department_year_is_never_counted_twice(tmp_path, sample, db_path) -> None:
    """Two reports of one department and year (kept both): neither is counted; both are
    listed on the 重复报告 sheet and a line under the 合计 says so. A final report's package
    arrives with its status."""
    other = sample.copy()
    other.set_text("cover.dept_name", "吉首市财政局")
    explain_errors(other, "已核实")
    (tmp_path / "final.zpb").write_bytes(build_package(other, status="final"))
    changed = sample.copy()
    changed.set_text("income.0.other", "600")
    with Store(db_path) as store:
        first = store.create(sample)
        second = store.create(changed)
        assert receive(store, tmp_path / "final.zpb").kind == "imported"
        wb = load_workbook(io.BytesIO(render_summary(store, 2023)))
    ws = wb["2023年度汇总"]
    headers = [c.value for c in ws[3]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[2] for r in rows[:2]] == ["吉首市财政局", "合计"]
    status = headers.index("报送状态")
    assert rows[0][status:status + 2] == ["定稿（部门申报）", "3 项错误均已说明"]
    assert rows[1][9] == '=IF(COUNT(J4:J4)=0,"",SUM(J4:J4))'  # only the one department counted
    assert rows[2][0] == (
        f"另有 1 个部门（单位）本年度有多份报告，都未计入合计，见「重复报告」表：吉首市科工信局（报告 {first}、{second}）。"
        "请在数据库中只保留一份（导入时替换，或把多余的移入回收站）后重新生成汇总表。"
    )
    listed = [[c.value for c in row] for row in wb["重复报告"].iter_rows(min_row=2, max_row=3)]
    assert [r[:2] for r in listed] == [["吉首市科工信局", first], ["吉首市科工信局", second]]
    assert [Decimal(str(r[6])) for r in listed] == [Decimal("5374.34"), Decimal("5374.34")]
    # their findings are listed all the same
    assert {r[0].value for r in wb[FINDINGS_SHEET].iter_rows(min_row=2)} >= {first, second}
