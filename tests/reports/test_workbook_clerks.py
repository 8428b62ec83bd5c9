"""Workbooks as clerks type them, in layouts of their own: read by labels, figures exact.

Each test builds a workbook with openpyxl the way a clerk or a finance
bureau's template lays it out — titles on top, columns in another order,
merged headers, figures typed as text with thousands separators, a column of
notes, 合计 rows, the official 决算 headings — and checks that every figure
comes back exactly and that what cannot be placed is named by its cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from main import main
from models import synonyms
from models.rules import check
from reports.workbook import place_workbook

SEED_DUTIES = "负责全市工业和信息化的日常运行调节。拟订全市新型工业化发展战略、规划和相关政策措施并组织实施。"
SEED_EXPECTED = "市属规模工业增加值增长10%以上；新增规模企业6户以上。"
SEED_ACTUAL = "今年1-10月，市属规上工业完成产值39.4亿元，同比增长2.6%。\n\n企业培育方面，实现新建入规企业2家。"
NOTE_OUT = "（部门工作实绩，包含上级部门和市委市政府布置的重点工作、实事任务等，根据部门实际进行调整细化）"


def _grid(ws, top: int, left: int, rows: list[list[object]]) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=top + i, column=left + j, value=value)


def seed_like(path: Path) -> Path:
    """The seed report typed into one sheet as it stands on paper.

    Titles on top, the cover's 「label：value」 cells, the four 机构 tables with
    the paper's header rows (labels broken over lines, 其中：), the blank
    placeholder 二级机构1 renamed to a real institution, figures with stray
    spaces, 「评分：96 …等级：优\\n备注：…」 in one cell, the 一级指标 table of
    七、 with its 自评得分 header, 得分率 and 合计 row.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评报告"
    ws["A1"] = "吉首市科工信局2023年度部门整体支出"
    ws["A2"] = "绩效自评报告"
    ws["A3"] = "部门（单位）名称（盖章）：吉首市科工信局"
    ws["A4"] = "预算编码：004001"
    ws["A5"] = "评价方式：吉首市科工信局绩效自评"
    ws["A6"] = "评价机构：吉首市科工信局评价组"
    ws["A7"] = "报告时间：2024年6月"
    ws["A9"] = "一、部门（单位）基本概况"
    _grid(ws, 10, 1, [
        ["联系人", "陶毅", "联系电话", "8520526"],
        ["人员编制", 23, "实有人数", 22],
        ["职能职责概述", SEED_DUTIES],
        ["年度主要\n工作内容", "1、党建引领工作.\n\n2、工业经济运行基本平稳。"],
        ["年度部门（单位）总体运行情况及取得的成绩", "1、获得2022年省政府真抓实干激励。"],
    ])
    ws["A16"] = "二、部门（单位）收支情况"
    ws["A17"] = "年度收入情况（万元）"
    _grid(ws, 18, 1, [
        ["机构名称", "收入合计", "其中："],
        [None, None, "上年结转", "公共财\n政拨款", "政府基金拨款", "纳入专户管理的非税收入拨款", "其他\n收入"],
        ["局机关及二级机构汇总", 5386.84, None, 3103.84, 1744.35, None, 538.05],
        ["1、局机关", 5374.34, None, 3091.34, 1744.35, None, 538.05],
        ["2、信息中心", 12.5, None, 12.5],
        ["3、二级机构2"],
    ])
    ws.merge_cells("A18:A19")
    ws.merge_cells("B18:B19")
    ws.merge_cells("C18:G18")
    ws["A25"] = "部门（单位）年度支出和结余情况（万元）"
    _grid(ws, 26, 1, [
        ["机构名称", "支出合计", "其中：", None, None, None, "结余"],
        [None, None, "基本支出", "其中：", None, "项目支出", "当年结余", "累计结余"],
        [None, None, None, "人员支出", "公用支出"],
        ["局机关及二级机构汇总", " 5386.94", "395.21", "374.73 ", "20.48", "4991.73", " ", " "],
        ["1、局机关", " 5374.44", "382.71", "362.23 ", "20.48", "4991.63"],
        ["2、信息中心", "12.5", "12.5", "12.5", None, "0.1"],
        ["3、二级机构2"],
    ])
    for rng in ("A26:A28", "B26:B28", "C26:F26", "G26:H26", "C27:C28", "D27:E27", "F27:F28", "G27:G28", "H27:H28"):
        ws.merge_cells(rng)
    _grid(ws, 34, 1, [
        ["机构名称", "三公经费\n合计", "其中："],
        [None, None, "公务接待费", "公务用车运行维护费", "公务用车购置费", "因公出国（境）费用"],
        ["局机关及二级机构汇总", 0.4, 0.4, 0, 0, 0],
        ["1、局机关", 0.4, 0.4, 0, 0, 0],
        ["2、信息中心"],
        ["3、二级机构2"],
    ])
    _grid(ws, 41, 1, [
        ["机构名称", "固定资产\n合计", "其中："],
        [None, None, "在用固定资产", "出租固定资产", "其他"],
        ["局机关及二级机构汇总", 73.22, 73.22],
        ["1、局机关", 73.22, 73.22],
        ["2、信息中心"],
        ["3、二级机构2"],
    ])
    ws["A48"] = "三、部门（单位）整体支出绩效自评情况"
    _grid(ws, 49, 1, [
        ["整体支出绩效定性目标及实施计划完成情况", "预期目标", None, None, "实际完成"],
        [None, SEED_EXPECTED, None, None, SEED_ACTUAL],
    ])
    ws.merge_cells("A49:A50")
    _grid(ws, 51, 1, [
        ["整体支出\n绩效定量目标及实施计划完成情况", "评价内容", None, None, "绩效目标", "完成情况"],
        [None, "产出目标\n" + NOTE_OUT, "数量、质量、时效、成本指标", " 公用经费控制率", "27.6万元", "20.48万元"],
        [None, None, None, "新增规模企业", "4家", "完成8家"],
        [None, "满意度", "社会公众或服务对象满意度", " 社会公众满意度", "满意度在98%以上", "满意度在95%以上"],
    ])
    ws.merge_cells("A51:A54")
    ws.merge_cells("B51:D51")
    ws.merge_cells("B52:B53")
    ws.merge_cells("C52:C53")
    ws["A55"] = "绩效自评综合得分及评价等次"
    ws["B55"] = (
        "评分：96                       等级：优\n"
        "备注：90（含）—100分为优；80（含）—90分为良； 60（含）—80 分为较差；60分以下为差。"
    )
    ws["A57"] = "四、评价人员"
    _grid(ws, 58, 1, [
        ["姓  名", "职务/职称", "单  位", "签  字"],
        ["张  峰", "局  长", "吉首市科工信局"],
        ["龙子卫", "副局长", "吉首市科工信局"],
    ])
    ws["A61"] = "评价组组长签署意见：\n评价组组长（签字）：\n              年    月    日"
    ws["A62"] = ("部门（单位）意见：\n      部门（单位）负责人（签字）：                部门（单位）（盖章）：\n"
                 "                      年    月    日")
    ws["A63"] = ("财政部门归口业务股室意见：\n      财政部门归口业务股室负责人（签字）：         "
                 "财政部门归口业务股室（盖章）：\n年    月   日")
    _grid(ws, 65, 1, [
        ["一级指标", "指标分值", "自评得分", "得分率"],
        ["投入", 10, 8, "80%"],
        ["产出", 50, 49, "98%"],
        ["效益", 30, 30, "100%"],
        ["满意度", 10, 9, "90%"],
        ["合计", 100, 96, "96%"],
    ])
    wb.save(path)
    return path


def test_a_seed_like_workbook_needs_no_accept(tmp_path) -> None:
    """Titles, the 一级指标 table's 合计 row and a renamed 二级机构1 row are all understood."""
    placement = place_workbook(seed_like(tmp_path / "seed.xlsx"))
    assert placement.problems == []
    report = placement.report
    plain = report.to_plain()
    assert (report.dept_name, report.year) == ("吉首市科工信局", 2023)
    assert plain["cover"]["budget_code"] == "004001" and plain["cover"]["report_date"] == "2024-06"
    assert plain["cover"]["eval_method"] is None  # the default text, as the program would write it
    assert report.institutions == ["局机关", "信息中心"]
    assert plain["income"] == [
        {"total": "5374.34", "carryover": None, "public_budget": "3091.34", "gov_fund": "1744.35",
         "special_account": None, "other": "538.05"},
        {"total": "12.5", "carryover": None, "public_budget": "12.5", "gov_fund": None,
         "special_account": None, "other": None},
    ]
    assert plain["expenditure"][0] == {"total": "5374.44", "basic": "382.71", "personnel": "362.23",
                                       "public_use": "20.48", "project": "4991.63",
                                       "balance_year": None, "balance_cum": None}
    assert plain["expenditure"][1]["project"] == "0.1"
    # the typed summary rows are kept as stated, and checked by summary.rows
    assert plain["summary"]["income"]["total"] == "5386.84"
    assert plain["three_public"][0] == {"total": "0.4", "reception": "0.4", "vehicle_ops": "0",
                                        "vehicle_purchase": "0", "overseas": "0"}
    assert plain["assets"][0]["in_use"] == "73.22"
    assert plain["qualitative"] == [{"expected": SEED_EXPECTED, "actual": SEED_ACTUAL}]
    assert [(r["level1"], r["name"]) for r in plain["indicators"]] == [
        ("产出目标", "公用经费控制率"), ("产出目标", "新增规模企业"), ("满意度", "社会公众满意度")]
    assert plain["score"]["self_score"] == "96" and plain["score"]["grade"] == "优"
    assert plain["score_items"] == [
        {"name": "投入", "weight": "10", "score": "8"}, {"name": "产出", "weight": "50", "score": "49"},
        {"name": "效益", "weight": "30", "score": "30"}, {"name": "满意度", "weight": "10", "score": "9"}]
    assert [e["name"] for e in plain["signatures"]["evaluators"]] == ["张  峰", "龙子卫"]
    # where each figure stood, for the findings
    assert placement.cells["income.0.public_budget"] == "自评报告!D21"
    assert placement.cells["income.1.total"] == "自评报告!B22"
    assert placement.cells["score.self_score"] == "自评报告!B55"


def test_the_seed_like_workbook_imports_on_the_command_line_without_accept(tmp_path, capsys) -> None:
    path = seed_like(tmp_path / "seed.xlsx")
    out = tmp_path / "seed.json"
    assert main(["convert", str(path), str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["score"]["self_score"] == "96"
    capsys.readouterr()


def test_the_official_headings_are_every_label_variant() -> None:
    for word, meant in (("一般公共预算财政拨款", "income.public_budget"), ("政府性基金拨款", "income.gov_fund"),
                        ("非税收入拨款", "income.special_account"), ("“三公”经费", "three_public.total"),
                        ("其中：公务接待费", "three_public.reception"), ("本年结余", "expenditure.balance_year")):
        assert synonyms.normal(word) in {synonyms.normal(w) for w in synonyms.words(meant)}, word
    assert synonyms.normal("其中：\n“三公”经费\n合计（万元）") == synonyms.normal("三公经费合计")
    assert synonyms.normal("联 系 人：") == synonyms.normal("联系人")
    assert synonyms.is_summary("合计") and synonyms.is_summary("局机关及二级机构汇总") and not synonyms.is_summary("局机关")


def official(path: Path) -> Path:
    """A finance bureau's template: a sheet per part, the 决算 headings, a flat header row,
    a 合计 row for the summary, text figures with thousands separators, a 备注 column."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "基本情况"
    cover["A1"] = "2023年度部门整体支出绩效自评表（基本情况）"
    _grid(cover, 3, 1, [
        ["单位名称", "某某县交通运输局"],
        ["预算编码", "108001"],
        ["年度", 2023],
        ["联系人", "李明", "联系电话", "0743-1234567"],
        ["编制人数", "45", "实有人数", "43人"],
    ])
    money = wb.create_sheet("收支情况表")
    money["A1"] = "部门收支情况表"
    money["H2"] = "单位：万元"
    _grid(money, 3, 1, [
        ["单位名称", "收入总计", "上年结转结余", "一般公共预算财政拨款", "政府性基金拨款", "非税收入拨款", "其他收入", "备注"],
        ["合计", "12,345.67", "100.00", "10,000.00", "2,000.00", "200.00", "45.67", None],
        ["局本级", "12,000.00", "100.00", "9,700.00", "2,000.00", "200.00", None, "含追加预算"],
        ["路政所", "345.67", None, "300.00", None, None, "45.67", None],
    ])
    _grid(money, 9, 1, [
        ["单位名称", "支出合计", "基本支出", "人员经费", "公用经费", "项目支出", "本年结余", "年末结转和结余", "备注"],
        ["合计", "12,300.00", "2,300.00", "2,000.00", "300.00", "10,000.00", "45.67", "145.67"],
        ["局本级", "11,960.00", "2,000.00", "1,750.00", "250.00", "9,960.00", "40.00", "140.00"],
        ["路政所", "340.00", "300.00", "250.00", "50.00", "40.00", "5.67", "5.67", "人员经费含临聘"],
    ])
    _grid(money, 15, 1, [
        ["单位名称", "“三公”经费", "其中：公务接待费", "公务用车运行维护费", "公务用车购置费", "因公出国（境）费"],
        ["合计", "12.50", "2.50", "10.00", "0.00", "0.00"],
        ["局本级", "12.50", "2.50", "10.00", "0.00", "0.00"],
        ["路政所", None, None, None, None, None],
    ])
    _grid(money, 21, 1, [
        ["单位名称", "固定资产", "在用", "出租", "其他"],
        ["合计", "1,234.56", "1,200.00", "34.56"],
        ["局本级", "1,234.56", "1,200.00", "34.56"],
    ])
    score = wb.create_sheet("评分")
    score["A1"] = "评分：88.5　等级：良"
    score["A2"] = "备注：85（含）—100分为优；75（含）—85分为良；60（含）—75分为较差；60分以下为差。"
    _grid(score, 4, 1, [
        ["一级指标", "指标分值", "自评得分", "备注"],
        ["投入", 10, 9, None],
        ["产出", 50, 45, "扣分见自评表"],
        ["效益", 30, 26.5],
        ["满意度", 10, 8],
        ["合计", 100, 88.5],
    ])
    wb.save(path)
    return path


def test_an_official_template_with_notes_columns_and_total_rows(tmp_path) -> None:
    placement = place_workbook(official(tmp_path / "template.xlsx"))
    report = placement.report
    plain = report.to_plain()
    assert (report.dept_name, report.year) == ("某某县交通运输局", 2023)
    assert (plain["basics"]["staff_quota"], plain["basics"]["staff_actual"]) == (45, 43)
    # 合计 is the summary, not a third institution: income is not counted twice
    assert report.institutions == ["局本级", "路政所"]
    assert plain["income"][0] == {"total": "12000.00", "carryover": "100.00", "public_budget": "9700.00",
                                  "gov_fund": "2000.00", "special_account": "200.00", "other": None}
    assert plain["income"][1]["other"] == "45.67"
    assert plain["summary"]["income"]["total"] == "12345.67"
    assert plain["expenditure"][1] == {"total": "340.00", "basic": "300.00", "personnel": "250.00",
                                       "public_use": "50.00", "project": "40.00", "balance_year": "5.67",
                                       "balance_cum": "5.67"}
    # the whole 三公 table under its 「“三公”经费」 header
    assert plain["three_public"][0] == {"total": "12.50", "reception": "2.50", "vehicle_ops": "10.00",
                                        "vehicle_purchase": "0.00", "overseas": "0.00"}
    assert plain["assets"][0] == {"total": "1234.56", "in_use": "1200.00", "leased": "34.56", "other": None}
    # 「评分：88.5　等级：良」 with one full-width space; the bands of 85/75 survive the notes columns
    assert (plain["score"]["self_score"], plain["score"]["grade"]) == ("88.5", "良")
    assert plain["score"]["bands"] == [["85", "优"], ["75", "良"], ["60", "较差"], ["0", "差"]]
    assert [i["score"] for i in plain["score_items"]] == ["9", "45", "26.5", "8"]
    # the clerk's notes are named, cell by cell, and nothing else is left over
    assert [(p.where, p.message) for p in placement.problems] == [
        ("", "没有找到「整体支出绩效定量目标及实施计划完成情况」表（找不到表头「绩效目标」「完成情况」）。"),
        ("收支情况表!H5", "「备注」栏中的内容「含追加预算」不是报告中的一项，未读入。"),
        ("收支情况表!I12", "「备注」栏中的内容「人员经费含临聘」不是报告中的一项，未读入。"),
        ("评分!D6", "「备注」栏中的内容「扣分见自评表」不是报告中的一项，未读入。"),
    ]
    assert placement.cells["income.1.other"] == "收支情况表!G6"


def reordered(path: Path) -> Path:
    """Columns in the clerk's order, the name column on the right, labels and values in
    separate cells, units in the headers, numbers with float noise, a blank 评分."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["B1"] = "某某镇人民政府2024年度部门整体支出绩效自评报告"
    _grid(ws, 3, 1, [
        ["部门名称", "某某镇人民政府", None, "年度", "2024年"],
        ["联系人", "王 芳", None, "联系电话", 13907431234],
    ])
    _grid(ws, 6, 1, [
        ["公共财政拨款（万元）", "其他收入（万元）", "上年结转（万元）", "政府基金拨款（万元）",
         "纳入专户管理的非税收入拨款（万元）", "收入合计（万元）", "机构名称"],
        [800.3, None, 12, None, None, None, "镇本级"],
    ])
    _grid(ws, 10, 1, [
        ["项目支出", "基本支出", "人员支出", "公用支出", "支出合计", "当年结余", "累计结余", "机构名称"],
        [300, 512.3, 450.25, 62.05, 812.3, 0, 12, "镇本级"],
    ])
    _grid(ws, 14, 1, [
        ["机构名称", "三公经费合计", "公务接待费", "公务用车运行维护费", "公务用车购置费", "因公出国（境）费用"],
        ["镇本级", 3.2, 1.2, 2, None, None],
    ])
    _grid(ws, 17, 1, [
        ["机构名称", "固定资产合计", "在用固定资产", "出租固定资产", "其他"],
        ["镇本级", 500, 480, None, 20],
    ])
    _grid(ws, 20, 1, [
        ["一级指标", "指标分值", "自评得分", "得分率"],
        ["投入", 20, 18, 0.9],
        ["产出", 40, 38, 0.95],
        ["效益", 30, 28, 0.9333],
        ["满意度", 10, 10, 1],
        ["合计", "=SUM(B21:B24)", "=SUM(C21:C24)", None],
    ])
    _grid(ws, 27, 1, [["等级", "优"], ["备注", "90（含）—100分为优；80（含）—90分为良；60（含）—80分为中；60分以下为差。"]])
    # 定量指标 with 完成情况 before 绩效目标 and the indicator's own heading
    _grid(ws, 30, 1, [
        ["评价内容", "指标类别", "指标名称", "完成情况", "绩效目标"],
        ["产出目标", "数量指标", "改造农村公路", "完成12.5公里", "10公里"],
        ["满意度", "满意度指标", "群众满意度", "96%", "≥95%"],
    ])
    wb.save(path)
    return path


def test_reordered_columns_and_a_blank_score_reported(tmp_path) -> None:
    placement = place_workbook(reordered(tmp_path / "own.xlsx"))
    report = placement.report
    plain = report.to_plain()
    assert placement.problems == []
    assert (report.dept_name, report.year) == ("某某镇人民政府", 2024)
    assert plain["basics"]["contact"] == "王 芳" and plain["basics"]["phone"] == "13907431234"
    assert report.institutions == ["镇本级"]
    assert plain["income"][0] == {"total": None, "carryover": "12", "public_budget": "800.3", "gov_fund": None,
                                  "special_account": None, "other": None}
    assert plain["expenditure"][0] == {"total": "812.3", "basic": "512.3", "personnel": "450.25",
                                       "public_use": "62.05", "project": "300", "balance_year": "0",
                                       "balance_cum": "12"}
    assert plain["three_public"][0]["vehicle_ops"] == "2" and plain["assets"][0]["other"] == "20"
    assert [w for _, w in plain["score"]["bands"]] == ["优", "良", "中", "差"]
    # 自评得分 heads the 一级指标 table's column: it is no 评分, and the blank 评分 is reported
    assert plain["score"]["self_score"] is None
    assert [i["score"] for i in plain["score_items"]] == ["18", "38", "28", "10"]
    assert [(r["level1"], r["level2"], r["name"], r["target"], r["actual"]) for r in plain["indicators"]] == [
        ("产出目标", "数量指标", "改造农村公路", "10公里", "完成12.5公里"),
        ("满意度", "满意度指标", "群众满意度", "≥95%", "96%")]
    blank = [f for f in check(report) if f.rule == "score.blank"]
    assert len(blank) == 1 and blank[0].cells == ("score.self_score",)
    assert blank[0].message == "评分未填写；一级指标自评得分合计为 94，打印和汇总时按此显示。请核对后填写评分。"


def merged(path: Path) -> Path:
    """Headers merged over two and three rows, the institution rows under a 合计 at the
    bottom, a 三公经费 header over its parts, a label and its long text below it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门整体支出"
    ws.merge_cells("A1:H1")
    ws["A1"] = "某某局2023年度部门整体支出绩效自评报告"
    ws["A2"] = "部门（单位）名称（盖章）：某某局　　　　年度：2023"
    # income: 「收入」 over everything, the parts under 「其中」
    _grid(ws, 4, 1, [
        ["机构名称", "年度收入情况", None, None, None, None, None],
        [None, "收入合计", "其中", None, None, None, None],
        [None, None, "上年结转", "一般公共预算拨款", "政府性基金预算拨款", "财政专户管理资金", "其他收入"],
        ["1、局机关", "1,000.50", None, "1,000.50", None, None, None],
        ["2、二级机构1", None, None, None, None, None, None],
        ["合计", "1,000.50", None, "1,000.50", None, None, None],
    ])
    for rng in ("A4:A6", "B4:G4", "B5:B6", "C5:G5"):
        ws.merge_cells(rng)
    _grid(ws, 11, 1, [
        ["机构名称", "支出合计", "基本支出", None, None, "项目支出", "结余", None],
        [None, None, "小计", "人员经费", "公用经费", None, "当年结余", "累计结余"],
        ["1、局机关", "1,000.00", "600.00", "500.00", "100.00", "400.00", "0.50", "0.50"],
    ])
    ws["C12"] = "基本支出"
    ws["C11"] = "其中"
    for rng in ("A11:A12", "B11:B12", "C11:E11", "F11:F12", "G11:H11"):
        ws.merge_cells(rng)
    _grid(ws, 15, 1, [
        ["机构名称", "三公经费", None, None, None, None],
        [None, "合计", "公务接待费", "公务用车运行维护费", "公务用车购置费", "因公出国（境）费用"],
        ["1、局机关", 5, 5, None, None, None],
    ])
    ws.merge_cells("A15:A16")
    ws.merge_cells("B15:F15")
    ws["B16"] = "三公经费合计"
    _grid(ws, 19, 1, [
        ["机构名称", "固定资产合计", "其中：", None, None],
        [None, None, "在用固定资产", "出租固定资产", "其他"],
        ["1、局机关", 88.8, 88.8],
    ])
    ws.merge_cells("A19:A20")
    ws.merge_cells("B19:B20")
    ws.merge_cells("C19:E19")
    ws["A23"] = "职能职责概述"
    ws["B23"] = "负责全局的交通运输管理，\n组织实施年度计划。"
    ws.merge_cells("B23:H23")
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=4, max_row=21, max_col=8):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A25"] = "评分：92"
    ws["B25"] = "等级：优"
    wb.save(path)
    return path


def test_merged_headers_and_a_total_row_below_the_institutions(tmp_path) -> None:
    placement = place_workbook(merged(tmp_path / "merged.xlsx"))
    report = placement.report
    plain = report.to_plain()
    assert [str(p) for p in placement.problems] == [
        "没有找到「整体支出绩效定量目标及实施计划完成情况」表（找不到表头「绩效目标」「完成情况」）。"]
    assert (report.dept_name, report.year) == ("某某局", 2023)
    assert report.institutions == ["局机关"]
    assert plain["income"] == [{"total": "1000.50", "carryover": None, "public_budget": "1000.50",
                                "gov_fund": None, "special_account": None, "other": None}]
    assert plain["summary"]["income"]["total"] == "1000.50"
    assert plain["expenditure"][0] == {"total": "1000.00", "basic": "600.00", "personnel": "500.00",
                                       "public_use": "100.00", "project": "400.00", "balance_year": "0.50",
                                       "balance_cum": "0.50"}
    assert plain["three_public"][0]["total"] == "5" and plain["assets"][0]["total"] == "88.8"
    assert plain["basics"]["duties"] == "负责全局的交通运输管理，\n组织实施年度计划。"
    assert (plain["score"]["self_score"], plain["score"]["grade"]) == ("92", "优")
    # no 备注 anywhere: the default bands, said so
    assert any("没有找到评分的备注" in n.message for n in placement.notes)


@pytest.mark.parametrize("build", [seed_like, official, reordered, merged])
def test_checking_a_workbook_names_its_cells(tmp_path, build, capsys) -> None:
    """Findings from an .xlsx name the workbook's cells (收支情况!C7), not the program's paths."""
    path = build(tmp_path / "book.xlsx")
    main(["check", str(path), "--accept"])
    out = capsys.readouterr().out
    places = [line.split("] ", 1)[1] for line in out.splitlines() if line.startswith("[")]
    assert places
    for where in places:  # the form's labels, a workbook's cells beside them; never a program's path
        assert not re.search(r"[a-z_]+\.[a-z0-9_]+", where), where


def test_a_finding_names_the_cells_of_a_clerk_s_workbook(tmp_path, capsys) -> None:
    main(["check", str(official(tmp_path / "book.xlsx")), "--accept"])
    out = capsys.readouterr().out
    # the bands of 85/75 were read: 88.5 is 优 there, not the 良 typed beside it
    assert "[错误] 评分·等级（评分!A1）；评分（评分!A1）\n    等级填报「良」，而评分 88.5 对应的等级是「优」。" in out
    main(["check", str(official(tmp_path / "book.xlsx")), "--accept", "--json"])
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["cells"] == ["score.grade", "score.self_score"] and listed[0]["where"] == ["评分!A1", "评分!A1"]
