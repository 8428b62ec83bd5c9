"""The 自评表: the sample's tree, computed scores per 指标性质, and the scoring rules."""

from decimal import Decimal

import pytest

from models import interchange, scoring
from models.errors import ValueInputError
from models.report import Report
from models.rules import check


def by_rule(report: Report, rule: str) -> list:
    return [f for f in check(report) if f.rule == rule]


# -- the sample ----------------------------------------------------------------


def test_the_samples_tree_sums_to_96_and_reproduces_the_stated_level1_figures(sample) -> None:
    tree = scoring.tree(sample)
    assert tree is not None
    assert (tree.weight, tree.score) == (Decimal(100), Decimal(96))
    assert [(n.name, n.weight, n.score) for n in tree.level1] == [
        ("投入", 10, 8), ("产出", 50, 49), ("效益", 30, 30), ("满意度", 10, 9)]
    stated = [(i["name"], i["weight"], i["score"]) for i in sample.data["score_items"]]
    assert stated == [(n.name, n.weight, n.score) for n in tree.level1]
    output = tree.level1[1]
    assert [(g.name, g.weight, g.score, len(g.leaves)) for g in output.nodes] == [
        ("数量指标", 24, 24, 4), ("质量指标", None, None, 0), ("时效指标", 6, 6, 1), ("成本指标", 20, 19, 4)]
    # one row, two views: every 定量指标 row is a 三级 line, each once
    assert sorted(leaf.row for leaf in tree.leaves if leaf.row is not None) == list(range(13))
    assert by_rule(sample, "scoring.sum") == [] and by_rule(sample, "scoring.weights") == []


def test_the_seed_contradictions_are_reported_with_both_figures(sample) -> None:
    (budget,) = [f for f in by_rule(sample, "scoring.suggested") if f.cells == ("scoring.items.0.score",)]
    assert budget.message == (
        "自评表「投入·预算执行·预算执行率」：自评得分 8，而按评分标准「预算执行率=支出决算数÷支出预算数×100%。"
        "执行率达到100%的得满分，未达到的按执行率×分值计分。」计算应得 10 分（支出合计 5374.44 ÷ 支出预算数 "
        "5374.35 = 100%；完成值 100% 达到目标值 100%，得满分 10），相差 2 分。")
    (procurement,) = [f for f in by_rule(sample, "scoring.suggested") if f.cells == ("indicators.2.score",)]
    assert "「产出·成本指标·政府采购执行率」：自评得分 4" in procurement.message
    assert "计算应得 3.6 分（政府采购实际数 4.82 ÷ 政府采购预算数 6.7 = 71.94%" in procurement.message
    (full,) = by_rule(sample, "scoring.full")
    assert full.cells == ("indicators.7.score",)
    assert full.message.startswith("自评表「产出·时效指标·重点工作完成及时率」：未达到目标（完成值 99% ÷ 目标值 100% × 分值 6 = 5.9），却得满分 6")
    (reason,) = by_rule(sample, "scoring.reason")
    assert reason.message == "自评表「投入·预算执行·预算执行率」：扣 2 分（分值 10，自评得分 8），但未写扣分原因。"
    # the text's own claims stay the text rules' (one finding per fact)
    texts = [f.message for f in check(sample) if f.rule == "text.scores"]
    assert any("得分写 10 分而表中为 8 分" in t for t in texts)
    assert any("「2.3成本指标（扣2分）」共扣 2 分，而一级指标「产出」只扣 1 分" in t for t in texts)


def test_a_file_without_the_scoring_keys_loads_keeps_its_fingerprint_and_gets_no_scoring_finding(sample) -> None:
    plain = interchange.plain(sample)
    for row in plain["indicators"]:
        for key in ("category", "nature", "attainment", "weight", "score", "criteria", "reason"):
            row.pop(key, None)
    del plain["scoring"]
    del plain["template"]  # nor did files name their template then
    old = interchange.loads(interchange.json.dumps(plain, ensure_ascii=False))
    assert old.data["indicators"][0]["weight"] is None and old.data["scoring"]["items"] == []
    assert interchange.canonical(old) == interchange.json.dumps(plain, ensure_ascii=False, sort_keys=True,
                                                               separators=(",", ":"))
    assert not [f for f in check(old) if f.rule.startswith("scoring.")]
    # what the 一级指标得分 table states is what it shows
    assert scoring.level1_items(old) == old.data["score_items"]


# -- computed scores by 指标性质, on hand-made rows ----------------------------------------


def _report(*rows: dict) -> Report:
    r = Report()
    r.data["scoring"]["framework"] = "hunan"
    for values in rows:
        i = r.insert_row("indicators")
        r.data["indicators"][i].update({"level1": "产出目标", "category": "quantity", "weight": Decimal(10), **values})
    return r


def _suggestion(**row: object) -> scoring.Suggestion:
    r = _report(row)
    tree = scoring.tree(r)
    assert tree is not None
    (leaf,) = [x for x in tree.leaves if x.row == 0]
    return leaf.suggestion


@pytest.mark.parametrize(
    ("target", "actual", "score", "short"),
    [
        ("≥50个", "50个", "10", False),  # at target
        ("≥50个", "完成80个", "10", False),  # above
        ("≥50个", "40个", "8", True),  # below: 10 × 40/50
        ("100%", "99%", "9.9", True),
        ("4家", "完成8家", "10", False),
        ("10亿元", "完成95000万元", "9.5", True),  # amounts in other units compare
    ],
)
def test_higher_is_better(target, actual, score, short) -> None:
    s = _suggestion(target=target, actual=actual, nature="正向")
    assert (s.score, s.short) == (Decimal(score), short)
    assert s.criteria.startswith("完成值达到或超过目标值的得满分")


@pytest.mark.parametrize(
    ("target", "actual", "score", "short"),
    [
        ("≤20万元", "20万元", "10", False),  # at the ceiling
        ("≤20万元", "15万元", "10", False),  # under it
        ("≤20万元", "25万元", "7.5", True),  # 25% over: 10 × (1 − 5/20)
        ("≤20万元", "45万元", "0", True),  # more than double: nothing left
    ],
)
def test_lower_is_better(target, actual, score, short) -> None:
    s = _suggestion(target=target, actual=actual, nature="反向")
    assert (s.score, s.short) == (Decimal(score), short)


@pytest.mark.parametrize(("word", "score"), [("达成", "10"), ("基本达成", "8"), ("部分达成", "6"), ("未达成", "0")])
def test_qualitative_shares_are_the_frameworks(word, score) -> None:
    s = _suggestion(target="治理达标", actual="已全面达标", nature="定性", attainment=word)
    assert s.score == Decimal(score)
    assert s.figures == f"达成程度「{word}」得分值的 {int(score) * 10}% = {score}"


def test_what_cannot_be_computed_says_why_and_leaves_the_score_to_the_clerk() -> None:
    assert _suggestion(target="治理达标情况", actual="已达标", nature="正向").problem == (
        "目标值「治理达标情况」读不出数字，得分请自行填写")
    assert _suggestion(target="≥50个", actual="基本完成", nature="正向").problem == (
        "完成值「基本完成」读不出以「个」为单位的数字，得分请自行填写")
    assert _suggestion(target="≥50个", actual="60家", nature="正向").score is None
    assert _suggestion(target="达标", actual="达标", nature="定性").problem == (
        "定性指标：请选择达成程度（达成、基本达成、部分达成、未达成）")
    # a row naming no 指标性质 is read by its target: a number is 正向, words 定性
    assert _suggestion(target="≤5%", actual="6%").score == Decimal("8")
    assert _suggestion(target="按期完成", actual="已完成").problem.startswith("定性指标：请选择达成程度")


def test_unreadable_values_are_said_once_for_the_report() -> None:
    r = _report(
        {"name": "甲", "target": "≥50个", "actual": "基本完成", "nature": "正向", "score": Decimal(8)},
        {"name": "乙", "target": "较好", "actual": "好", "nature": "正向", "score": Decimal(9)},
    )
    (found,) = by_rule(r, "scoring.unread")
    assert found.cells == ("indicators.0.target", "indicators.1.target")
    assert found.message.startswith("自评表：2 个三级指标的目标值或完成值读不出数字，计算得分留给填报人——"
                                    "「甲」完成值「基本完成」读不出以「个」为单位的数字，得分请自行填写；"
                                    "「乙」目标值「较好」读不出数字，得分请自行填写。")
    assert by_rule(r, "scoring.suggested") == []


# -- the rules ---------------------------------------------------------------------------


def test_sums_weights_and_scores_above_weights_are_errors(sample) -> None:
    r = sample.copy()
    r.set_text("indicators.3.score", "7")
    (over,) = by_rule(r, "scoring.over")
    assert over.message == "自评表「产出·数量指标·新增规模企业」：自评得分 7 超过分值 6，多 1 分。"
    assert over.severity == "error"
    (total,) = by_rule(r, "scoring.sum")
    assert total.cells[0] == "score_items.1.score"
    assert total.message.startswith("一级指标「产出」自评得分填报 49，而自评表中其三级指标得分合计 新增规模企业 7 + ")
    assert total.message.endswith("= 50，相差 1 分。")
    r.set_text("indicators.3.weight", "8")
    (weights,) = by_rule(r, "scoring.weights")
    assert weights.message == "自评表「产出」：三级指标分值合计 52，而一级指标分值为 50，相差 2 分。"
    r.set_text("score_items.1.weight", "45")
    assert "一级指标「产出」的指标分值填报 45，而指标体系「湖南省市级预算部门整体支出绩效自评指标体系」规定为 50。" in [
        f.message for f in by_rule(r, "scoring.weights")]


def test_rows_without_a_place_are_named(sample) -> None:
    r = sample.copy()
    r.set_text("indicators.0.category", "")
    r.set_text("indicators.12.level1", "群众评价")
    messages = [f.message for f in by_rule(r, "scoring.place")]
    assert "自评表「产出」：1 个定量指标未选二级指标（「公用经费控制率」），只计入一级指标；请选择 数量指标、质量指标、时效指标、成本指标 之一。" in messages
    assert any(m.startswith("自评表：1 个定量指标的评价内容（群众评价）不在指标体系") for m in messages)


def test_an_unknown_framework_is_an_error(sample) -> None:
    r = sample.copy()
    r.data["scoring"]["framework"] = "guizhou"
    (found,) = by_rule(r, "scoring.framework")
    assert found.severity == "error"
    assert found.message.startswith("自评表使用的指标体系「guizhou」在本程序中找不到，无法核对自评表；可用的有：hunan（")


def test_names_typed_become_the_frameworks_choices(sample) -> None:
    r = sample.copy()
    r.set_text("indicators.3.category", "质量")
    assert r.data["indicators"][3]["category"] == "quality"
    r.set_text("indicators.3.category", "时效指标")
    assert r.data["indicators"][3]["category"] == "timeliness"
    assert scoring.category_name(r, "timeliness") == "时效指标"
    with pytest.raises(ValueInputError) as info:
        r.set_text("indicators.3.category", "投入")
    assert str(info.value) == "「投入」不是这一行可选的二级指标；可选：数量指标、质量指标、时效指标、成本指标。"
    with pytest.raises(ValueInputError) as info:
        r.set_text("indicators.3.nature", "正")
    assert str(info.value) == "指标性质只能是 正向、反向、定性 之一，而不是「正」。"
    with pytest.raises(ValueInputError):
        r.set_text("indicators.9.attainment", "大部分达成")


def test_adopt_fill_and_what_the_level1_table_shows(sample) -> None:
    r = sample.copy()
    assert scoring.adopt(r, "scoring.items.0") == Decimal(10)
    assert r.data["scoring"]["items"][0]["score"] == Decimal(10)
    r.set_text("indicators.9.attainment", "")
    with pytest.raises(ValueInputError) as info:
        scoring.adopt(r, "indicators.9")  # a 定性 row with no 达成程度 has no computed score
    assert str(info.value) == "这一行没有可采用的计算得分。"
    r.data["score_items"] = []
    r.data["score"]["self_score"] = None
    assert [(i["name"], i["score"]) for i in scoring.level1_items(r)] == [
        ("投入", 10), ("产出", 49), ("效益", 30), ("满意度", 9)]
    assert scoring.self_score(r) == Decimal(98)
    scoring.fill_level1(r)
    assert [i["score"] for i in r.data["score_items"]] == [10, 49, 30, 9]
    assert r.data["score"]["self_score"] == Decimal(98)


def test_a_framework_line_is_stored_when_typed_and_dropped_when_cleared() -> None:
    r = Report()
    scoring.set_line(r, "budget_execution_rate", "score", "9")
    assert r.data["scoring"]["items"] == [
        {"line": "budget_execution_rate", "target": None, "actual": None, "attainment": None,
         "score": Decimal(9), "reason": None}]
    scoring.set_line(r, "budget_execution_rate", "score", "")
    assert r.data["scoring"]["items"] == []
    with pytest.raises(ValueInputError):
        scoring.set_line(r, "budget_execution_rate", "score", "九")
    assert r.data["scoring"]["items"] == []


def test_the_second_framework_scores_the_same_rows_in_its_own_shape(sample) -> None:
    r = sample.copy()
    r.data["scoring"]["framework"] = "sichuan"
    tree = scoring.tree(r)
    assert tree is not None
    assert [n.name for n in tree.level1] == ["部门决策", "综合管理", "部门绩效"]
    duties = tree.level1[2].nodes[0]
    assert duties.name == "职责履行" and len(duties.leaves) == 9
    staff = next(x for x in tree.leaves if x.name == "在职人员控制率")
    assert staff.suggestion.figures.startswith("实有人数 22 ÷ 人员编制 23 = 95.65%")
    assert staff.suggestion.score is not None and staff.suggestion.score == staff.weight
    # the rows' 分值 were set for Hunan: 职责履行 is worth 25, its rows add to 50
    messages = [f.message for f in by_rule(r, "scoring.weights")]
    assert "自评表「部门绩效·职责履行」：三级指标分值合计 50，而二级指标分值为 25，相差 25 分。" in messages


def test_with_no_level1_table_the_report_shows_the_trees_sums(sample) -> None:
    from models.narrative import conclusion_text

    r = sample.copy()
    r.data["score_items"] = []
    r.data["score"]["self_score"] = None
    r.data["score"]["grade"] = None
    assert conclusion_text(r).startswith(
        "吉首市科工信局2023年度部门整体支出绩效评价综合得分为96分，本单位绩效自评结果等次为“优”，"
        "其中：投入8分，产出49分，效益30分，满意度9分。")
    assert not [f for f in check(r) if f.rule in ("score.sum", "scoring.sum")]


def test_a_file_may_name_the_level2_line_and_next_year_keeps_the_tree_not_the_scores(sample) -> None:
    r = sample.copy()
    r.data["indicators"][3]["category"] = "质量指标"  # a name, as a hand-written file may have it
    tree = scoring.tree(r)
    assert tree is not None
    assert [x.name for x in tree.level1[1].nodes[1].leaves] == ["新增规模企业"]
    nxt = sample.carried_over()
    row = nxt.data["indicators"][2]
    assert (row["category"], row["weight"], row["score"], row["reason"]) == ("cost", Decimal(5), None, None)
    assert nxt.data["scoring"] == {"framework": "hunan", "items": []}
