"""Part B's text read against the tables: the seed's own contradictions, and no false alarm."""

from decimal import Decimal

from models.narrative import GENERATORS
from models.rules import check


def text_findings(report):
    return [f for f in check(report) if f.rule.startswith("text.")]


def one(report, rule, first_cell):
    found = [f for f in check(report) if f.rule == rule and f.cells[0] == first_cell]
    assert len(found) == 1, [(f.rule, f.cells) for f in check(report)]
    assert found[0].severity == "warning"
    return found[0]


def test_the_seed_says_42_projects_beside_36_listed(sample) -> None:
    f = one(sample, "text.count", "narrative.projects")
    assert f.cells == ("narrative.projects", "narrative.sections.project_spending_text")
    assert f.message == "二（二）项目支出情况：正文写「一共42个专项」，而项目支出明细列出 36 个项目，相差 6 个。"


def test_the_seed_says_fixed_assets_7304_beside_7322(sample) -> None:
    f = one(sample, "text.figures", "assets.summary.total")
    assert f.message == (
        "七（二）部门整体支出绩效目标实现情况：正文写「本单位所有固定资产总额」73.04万元，"
        "而固定资产「局机关及二级机构汇总」的固定资产合计为 73.22 万元，相差 0.18 万元。"
    )
    assert "在用固定资产为 73.22 万元，相差 0.18 万元" in one(sample, "text.figures", "assets.summary.in_use").message


def test_the_seed_says_budget_execution_scored_10_beside_input_8(sample) -> None:
    f = one(sample, "text.scores", "score_items.0.score")
    assert f.message == (
        "七（二）部门整体支出绩效目标实现情况「1、预算执行率(10分，得10分，扣0分）」：一级指标「投入」"
        "（分值 10，自评得分 8）——得分写 10 分而表中为 8 分，相差 2 分；扣分写 0 分而表中扣 2 分。"
    )


def test_the_seed_deducts_2_for_cost_while_output_lost_1(sample) -> None:
    f = one(sample, "text.scores", "score_items.1.weight")
    assert f.message == (
        "七（二）部门整体支出绩效目标实现情况「2.3成本指标（扣2分）」共扣 2 分，而一级指标「产出」只扣 1 分"
        "（分值 50，自评得分 49），相差 1 分。"
    )


def test_the_seed_writes_procurement_in_yuan(sample) -> None:
    f = one(sample, "text.unit", "narrative.budget.procurement_actual")
    assert f.message == (
        "七（二）部门整体支出绩效目标实现情况：正文写「实际政府采购数4.82元」，单位是“元”，即 0.000482 万元；"
        "而「预算数与执行数」中的政府采购实际数为 4.82 万元，相差 4.819518 万元；单位应为“万元”。"
    )


def test_the_seeds_other_figures_in_the_text_agree(sample) -> None:
    rules = sorted((f.rule, f.cells[0]) for f in text_findings(sample))
    assert rules == sorted([
        ("text.count", "narrative.projects"),
        ("text.figures", "assets.summary.total"),
        ("text.figures", "assets.summary.in_use"),
        ("text.figures", "expenditure.summary.total"),  # 支出决算5374.35万元 beside 5374.44
        ("text.scores", "score_items.0.score"),
        ("text.scores", "score_items.1.weight"),
        ("text.unit", "narrative.budget.procurement_actual"),
    ])


def test_a_rate_that_does_not_follow_from_the_figures(sample) -> None:
    r = sample.copy()
    r.set_text("narrative.budget.public_use_budget", "30")
    f = one(r, "text.rates", "narrative.budget.public_use_budget")
    assert f.message == (
        "七（二）部门整体支出绩效目标实现情况：正文写公用经费控制率 74.2%，而按表中数字 20.48 ÷ 30 = 68.27%，"
        "相差 5.93 个百分点。"
    )
    # The figure sentence beside it now disagrees too.
    assert "预算安排公用经费」27.6万元，而「预算数与执行数」中的公用经费预算数为 30 万元" in one(
        r, "text.figures", "narrative.budget.public_use_budget").message


def test_the_conclusion_sentence_is_read(sample) -> None:
    r = sample.copy()
    r.set_text("score_items.1.score", "48")
    r.set_text("score.self_score", "95")
    messages = [f.message for f in text_findings(r) if f.cells[0] in ("score.self_score", "score_items.1.score")]
    assert "七（一）部门整体支出绩效评价综合结论：正文写「综合得分为96分」，而评分为 95 分，相差 1 分。" in messages
    assert "七（一）部门整体支出绩效评价综合结论：正文写「产出49分」，而一级指标「产出」自评得分为 48 分，相差 1 分。" in messages


def test_an_edited_generated_paragraph_names_the_figures_that_no_longer_match(sample) -> None:
    r = sample.copy()
    sections = r.data["narrative"]["sections"]
    sections["basic_spending_text"] = GENERATORS["basic_spending_text"].write(r).replace("津贴补贴37.51", "津贴补贴37.15")
    r.set_text("narrative.basic_items.2.amount", "15")
    (f,) = [f for f in check(r) if f.rule == "text.generated"]
    assert f.cells == ("narrative.sections.basic_spending_text",)
    assert f.message == (
        "二（一）基本支出情况：这一段与表中数字不符——「津贴补贴37.15万元」按表中数字应为 37.51万元；"
        "「奖金14万元」按表中数字应为 15万元。可核对后修改，或按「按表中数字生成」重新生成。"
    )


def test_freshly_generated_paragraphs_raise_nothing(sample) -> None:
    r = sample.copy()
    for key, generator in GENERATORS.items():
        r.data["narrative"]["sections"][key] = generator.write(r)
    rules = {(f.rule, f.cells[0]) for f in text_findings(r)}
    # What remains is the clerk's own sub-heading; the generated sentences agree with the tables.
    assert rules == {("text.scores", "score_items.1.weight")}


def test_words_that_merely_resemble_a_label_are_left_alone(sample) -> None:
    r = sample.copy()
    r.data["narrative"]["sections"]["key_work"] = (
        "完成上争资金400余万元；关于下达2022年度建设专项资金30万元；全市企业数智化改造投入资金达3.8亿元；"
        "新建项目共5个。"
    )
    assert not [f for f in text_findings(r) if "key_work" in " ".join(f.cells)]
    assert Decimal("73.22") == r.get("assets.summary.total")
