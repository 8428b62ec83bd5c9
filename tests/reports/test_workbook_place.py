"""A clerk's own filled template: placed by its labels, what is left over reported by cell."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from main import main
from models import form, interchange
from reports.workbook import layout, place_workbook, read_workbook, render_workbook, xlsx
from reports.workbook.place import key
from tests.strategies import reports

NOTE_OUT = form.LEVEL1_NOTES["产出目标"]


def clerk_template(path: Path) -> Path:
    """Laid out like the paper form, but shifted, spaced and worded the clerk's way.

    Everything sits one column right and a few rows down; 联系电话 reads 联络电话;
    labels carry spaces and half-width brackets; the summary row holds formulas
    that openpyxl saves without results; a stray note sits beside a table.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["B2"] = "吉首市科工信局2023年度部门整体支出"
    ws["B3"] = "绩效自评报告"
    ws["B5"] = "部门(单位)名称(盖章)："
    ws["C5"] = "吉首市科工信局"
    ws["B6"] = " 预算编码 "
    ws["C6"] = "004001"
    ws["B7"] = "报告时间"
    ws["C7"] = "2024年6月"
    ws["B9"] = "一、部门（单位）基本概况"
    ws["B10"] = "联 系 人"
    ws["C10"] = "陶毅"
    ws["D10"] = "联络电话"
    ws["E10"] = "0743-8520526"
    ws["B11"] = "人员编制"
    ws["C11"] = 23
    ws["D11"] = "实有人数"
    ws["E11"] = "22人"
    ws["B12"] = "职能职责概述"
    ws["C12"] = "负责全市工业和信息化的日常运行调节。\n拟订全市新型工业化发展战略。"
    ws.merge_cells("C12:H12")

    # 年度收入情况, two header rows, the summary row as formulas
    ws["B14"] = "年度收入情况(万元)"
    ws["B15"] = "机构名称"
    ws.merge_cells("B15:B16")
    ws["C15"] = "收入合计"
    ws.merge_cells("C15:C16")
    ws["D15"] = "其中:"
    ws.merge_cells("D15:H15")
    for col, label in zip("DEFGH", ["上年结转", "公共财\n政拨款", "政府基金拨款", "纳入专户管理的非税收入拨款", "其他\n收入"], strict=True):
        ws[f"{col}16"] = label
    ws["B17"] = "局机关及二级机构汇总"
    for col in "CDEFGH":
        ws[f"{col}17"] = f"=SUM({col}18:{col}19)"
    ws["B18"] = "1、局机关"
    ws["C18"] = 5374.34
    ws["E18"] = 3091.34
    ws["F18"] = 1744.35
    ws["H18"] = "538.05"
    ws["B19"] = "2、 信息中心"
    ws["C19"] = 12.5
    ws["E19"] = 12.5
    ws["J18"] = "数据来源：财务科"

    # 三公经费 with the clerk's own brackets, 二级机构 placeholders left blank
    ws["B22"] = "机构名称"
    ws["C22"] = "三公经费合计"
    ws["D22"] = "其中："
    for col, label in zip("DEFG", ["公务接待费", "公务用车运行维护费", "公务用车购置费", "因公出国(境)费用"], strict=True):
        ws[f"{col}23"] = label
    ws["B24"] = "1、局机关"
    ws["C24"] = 0.4
    ws["D24"] = 0.4
    ws["E24"] = 0
    ws["B25"] = "2、二级机构1"

    # 定量指标: 评价内容 over three columns, 产出目标 merged down with its note
    ws["B28"] = "评价内容"
    ws.merge_cells("B28:D28")
    ws["E28"] = "绩效目标"
    ws["F28"] = "完成情况"
    ws["B29"] = "产出目标\n" + NOTE_OUT
    ws.merge_cells("B29:B30")
    ws["C29"] = "数量、质量、时效、成本指标"
    ws.merge_cells("C29:C30")
    ws["D29"] = "公用经费控制率"
    ws["E29"] = "27.6万元"
    ws["F29"] = "20.48万元"
    ws["D30"] = "新增规模企业"
    ws["E30"] = "4家"
    ws["F30"] = "完成8家"
    ws["B31"] = "满意度"
    ws["C31"] = "社会公众或服务对象满意度"
    ws["D31"] = "社会公众满意度"
    ws["E31"] = "满意度在98%以上"
    ws["F31"] = "满意度在95%以上"
    ws["B33"] = (
        "评分：96                       等级：优\n"
        "备注：90（含）—100分为优；80（含）—90分为良； 60（含）—80 分为较差；60分以下为差。"
    )

    ws["B35"] = "姓  名"
    ws["C35"] = "职务/职称"
    ws["D35"] = "单  位"
    ws["E35"] = "签  字"
    ws["B36"] = "张  峰"
    ws["C36"] = "局  长"
    ws["D36"] = "吉首市科工信局"
    ws["B38"] = "评价组组长签署意见：同意。\n评价组组长（签字）：\n      年    月    日"
    wb.save(path)
    return path


@pytest.fixture
def template(tmp_path) -> Path:
    return clerk_template(tmp_path / "自评表.xlsx")


def test_labels_compare_folded() -> None:
    assert key(" 联 系 人：") == key("联系人")
    assert key("因公出国(境)费用") == key("因公出国（境）费用")
    assert key("金额（万元）") == "金额"


def test_clerk_template_placed_by_labels(template) -> None:
    placement = place_workbook(template)
    assert not placement.ours
    d = placement.report.data
    assert d["cover"]["dept_name"] == "吉首市科工信局"
    assert d["cover"]["year"] == 2023
    assert d["cover"]["budget_code"] == "004001"
    assert d["cover"]["report_date"] == "2024-06"
    assert d["basics"]["contact"] == "陶毅"
    assert d["basics"]["phone"] == "0743-8520526"
    assert (d["basics"]["staff_quota"], d["basics"]["staff_actual"]) == (23, 22)
    assert d["basics"]["duties"].startswith("负责全市工业和信息化")
    assert d["institutions"] == ["局机关", "信息中心"]
    income = placement.report.to_plain()["income"]
    assert income[0] == {"total": "5374.34", "carryover": None, "public_budget": "3091.34",
                         "gov_fund": "1744.35", "special_account": None, "other": "538.05"}
    assert income[1]["public_budget"] == "12.5"
    assert d["three_public"][0]["total"] == Decimal("0.4")
    assert d["three_public"][0]["vehicle_ops"] == Decimal("0")
    assert d["three_public"][1]["total"] is None
    assert d["expenditure"][0]["total"] is None  # no such table in the template
    assert [(r["level1"], r["name"]) for r in d["indicators"]] == [
        ("产出目标", "公用经费控制率"), ("产出目标", "新增规模企业"), ("满意度", "社会公众满意度"),
    ]
    assert d["indicators"][1]["level2"] == "数量、质量、时效、成本指标"
    assert d["score"]["self_score"] == Decimal("96") and d["score"]["grade"] == "优"
    assert [w for _, w in d["score"]["bands"]] == ["优", "良", "较差", "差"]
    assert d["signatures"]["evaluators"] == [{"name": "张  峰", "title": "局  长", "org": "吉首市科工信局"}]
    assert d["signatures"]["leader_opinion"] == "同意。"


def test_what_could_not_be_placed_is_listed_by_sheet_and_cell(template) -> None:
    placement = place_workbook(template)
    where = [p.where for p in placement.problems]
    # the summary row's formulas have no saved results; the stray note has no label
    assert where[:6] == [f"自评表!{c}17" for c in "CDEFGH"]
    assert "单元格是公式（=SUM(C18:C19)），但文件中没有保存计算结果" in placement.problems[0].message
    assert "自评表!J18" in where
    stray = placement.problems[where.index("自评表!J18")]
    assert stray.message == "未能放入报告的内容「数据来源：财务科」：附近没有可识别的表头或标签。"
    missing = [p.message for p in placement.problems if not p.where]
    assert "没有找到表「部门（单位）年度支出和结余情况（万元）」（找不到表头「支出合计」）。" in missing
    text = placement.text()
    assert text.startswith(f"「{template}」：外来的工作簿（按表头文字定位）\n未能放入报告的内容 ")
    assert "  - 找到机构 2 个：局机关、信息中心。" in text


def test_nothing_is_read_until_the_clerk_agrees(template, tmp_path, capsys) -> None:
    with pytest.raises(Exception) as caught:
        read_workbook(template)
    assert "自评表!C17" in str(caught.value)
    out_path = tmp_path / "out.json"
    code = main(["convert", str(template), str(out_path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and not out_path.exists()
    assert "自评表!J18：未能放入报告的内容「数据来源：财务科」" in err
    assert err.rstrip().endswith("确认无误后可加 --accept 接受已放入的内容（未能放入的内容将被舍弃）。")
    code = main(["convert", str(template), str(out_path), "--accept"])
    assert code == 0
    capsys.readouterr()
    saved = json.loads(out_path.read_text(encoding="utf-8"))
    assert saved["basics"]["phone"] == "0743-8520526"
    code = main(["check", str(template), "--accept", "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert any(f["rule"] == "expenditure.sum" or f["rule"] == "income.sum" for f in json.loads(out))


def test_our_own_sheets_place_without_the_data_sheet(tmp_path, sample) -> None:
    """Delete the hidden sheet: the visible sheets alone still give the report's tables."""
    path = tmp_path / "ours.xlsx"
    path.write_bytes(render_workbook(sample))
    wb = openpyxl.load_workbook(path)
    del wb["ziping_data"]
    wb.save(path)
    placement = place_workbook(path)
    assert not placement.ours
    # openpyxl saved the formulas without their results: only those are problems
    assert all("没有保存计算结果" in p.message for p in placement.problems)
    got, want = placement.report.to_plain(), sample.to_plain()
    for part in ("institutions", "income", "expenditure", "three_public", "assets", "qualitative",
                 "score", "score_items", "signatures", "scoring"):
        assert got[part] == want[part], part
    # the 自评表 gives each row its 二级指标, 分值, 得分 and 扣分原因; 达成程度 is not on paper
    assert got["indicators"] == [{k: v for k, v in row.items() if k != "attainment"} for row in want["indicators"]]
    assert got["basics"] == want["basics"]
    assert len(got["narrative"]["projects"]) == len(want["narrative"]["projects"])


def test_command_line_round_trip_through_a_workbook(tmp_path, sample_path, capsys) -> None:
    xlsx = tmp_path / "report.xlsx"
    back = tmp_path / "back.json"
    assert main(["convert", str(sample_path), str(xlsx)]) == 0
    assert main(["convert", str(xlsx), str(back)]) == 0
    assert back.read_bytes() == sample_path.read_bytes()
    capsys.readouterr()
    code = main(["check", str(xlsx)])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert out.splitlines()[1] == "审核发现：错误 3 项，警告 17 项"
    assert interchange.fingerprint(read_workbook(xlsx)) == "7ff41984a0ed1b0c"


def test_help_mentions_accept_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "--accept" in out and "未能放入报告的单元格" in out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=reports())
def test_visible_sheets_alone_give_the_institution_tables(tmp_path, report) -> None:
    """Placing by labels never fails on our own layout, and finds every 机构 figure."""
    book = xlsx.Book()
    layout.write_visible(book, report)  # no data sheet: placed like a clerk's template
    for sheet in book.sheets:  # Excel calls a workbook with overlapping merges damaged
        covered: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in sheet.merges:
            cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            assert not cells & covered, (sheet.title, r1, c1, r2, c2)
            covered |= cells
    path = tmp_path / "visible.xlsx"
    path.write_bytes(book.to_bytes())
    placement = place_workbook(path)
    assert not placement.ours
    got, want = placement.report.to_plain(), report.to_plain()
    # (blank rows of the other tables may end them early: those rows are then listed as problems)
    assert got["institutions"] == want["institutions"]
    for table in form.INSTITUTION_TABLES:
        assert got[table.key] == want[table.key], table.key


def test_template_over_several_sheets_with_saved_formula_results(tmp_path) -> None:
    """As WPS saves it: parts on sheets of their own, formulas with their results."""
    book = xlsx.Book()
    cover = book.sheet("封面", [20, 30])
    money = book.sheet("收支表", [20] + [10] * 8)

    def text(sheet: xlsx.Sheet, ref: tuple[int, int], value: str) -> None:
        sheet.cells[ref] = xlsx.Cell("s", value, 0)

    def number(sheet: xlsx.Sheet, ref: tuple[int, int], value: str) -> None:
        sheet.cells[ref] = xlsx.Cell("n", Decimal(value), 0)

    def formula(sheet: xlsx.Sheet, ref: tuple[int, int], f: str, result: object) -> None:
        sheet.cells[ref] = xlsx.Cell("f", f, 0, result)

    text(cover, (1, 1), "部门（单位）名称（盖章）")
    text(cover, (1, 2), "某某局")
    text(cover, (2, 1), "年 度")
    number(cover, (2, 2), "2024")
    # 支出: three header rows, shifted to row 4, column C
    text(money, (4, 3), "机构名称")
    text(money, (4, 4), "支出合计")
    text(money, (4, 5), "其中：")
    text(money, (4, 9), "结余")
    text(money, (5, 5), "基本支出")
    text(money, (5, 6), "其中：")
    text(money, (5, 8), "项目支出")
    text(money, (5, 9), "当年结余")
    text(money, (5, 10), "累计结余")
    text(money, (6, 6), "人员支出")
    text(money, (6, 7), "公用支出")
    money.merges += [(4, 3, 6, 3), (4, 4, 6, 4), (4, 5, 4, 8), (4, 9, 4, 10), (5, 6, 5, 7)]
    text(money, (7, 3), "局机关及二级机构汇总")
    formula(money, (7, 4), "=SUM(D8:D9)", Decimal("110"))
    text(money, (8, 3), "1、某某局本级")
    formula(money, (8, 4), "=E8+H8", Decimal("100"))  # the sum of its parts: computed
    formula(money, (8, 5), "=F8+G8", Decimal("60"))
    number(money, (8, 6), "50")
    formula(money, (8, 7), "=5+5", Decimal("10"))  # a typed figure written as a formula: kept
    number(money, (8, 8), "40")
    formula(money, (8, 9), '=IF(D8="","",0)', "")  # an empty text result: blank
    text(money, (9, 3), "2、某某中心")
    number(money, (9, 4), "10")  # a typed total stays typed
    number(money, (9, 8), "9")
    path = tmp_path / "wps.xlsx"
    path.write_bytes(book.to_bytes())

    placement = place_workbook(path)
    d = placement.report.data
    assert (d["cover"]["dept_name"], d["cover"]["year"]) == ("某某局", 2024)
    assert d["institutions"] == ["某某局本级", "某某中心"]
    rows = placement.report.to_plain()["expenditure"]
    assert rows[0] == {"total": None, "basic": None, "personnel": "50", "public_use": "10", "project": "40",
                       "balance_year": None, "balance_cum": None}
    assert rows[1]["total"] == "10" and rows[1]["project"] == "9"
    assert d["summary"] is None  # formulas only: computed, not stated
    assert [p.message for p in placement.problems if p.where] == []


def test_import_verb_takes_workbooks(tmp_path, sample_path, capsys, db_path) -> None:
    xlsx_path = tmp_path / "report.xlsx"
    assert main(["convert", str(sample_path), str(xlsx_path)]) == 0
    template = clerk_template(tmp_path / "自评表.xlsx")
    capsys.readouterr()
    code = main(["import", str(xlsx_path), str(template), "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.startswith(f"已导入 {xlsx_path} → 报告 1：吉首市科工信局 2023年度")
    assert f"未导入「{template}」：「{template}」中有" in err
    code = main(["import", str(template), "--accept", "--db", str(db_path)])
    assert code == 2  # the same department and year: replace, or keep both
    assert "数据库中已有该部门该年度的报告（编号 1）" in capsys.readouterr().err
    code = main(["import", str(template), "--accept", "--keep-both", "--db", str(db_path)])
    assert code == 0
    assert "已导入" in capsys.readouterr().out
