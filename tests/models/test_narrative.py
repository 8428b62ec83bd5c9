"""The narrative's sentence forms, generated from the figures as the seed writes them."""

from models.narrative import basic_spending_text, project_spending_text
from models.report import Report


def test_basic_spending_sentence_reads_like_the_seed(sample) -> None:
    text = basic_spending_text(sample)
    assert text.startswith(
        "2023年度一般公共预算财政拨款基本支出382.71万元，人员经费为362.23万元，其中：基本工资91.99万元，津贴补贴37.51万元，"
    )
    assert "，奖励金1.54万元。公用经费20.48万元。其中：办公费0.48万元，" in text
    assert text.endswith("其他商品和服务支出3.49万元。")
    # The seed's own paragraph starts the same way: the clerk edits from here.
    assert sample.data["narrative"]["sections"]["basic_spending_text"].startswith(text[:60])


def test_project_sentence_counts_the_projects_listed(sample) -> None:
    text = project_spending_text(sample)
    assert text.startswith("2023年度市级专项资金4991.63万元，一共36个专项，其中：智慧城市项目经费2651.35万元，主要用于委托业务费2651.35万元，")
    assert "2022年科三费253.11万元，主要用于办公费2.35万元，印刷费4.60万元，" in text
    assert "一共42个专项" in sample.data["narrative"]["sections"]["project_spending_text"], "the seed's text says 42"


def test_blank_report() -> None:
    r = Report()
    assert basic_spending_text(r) == "本年度一般公共预算财政拨款基本支出（未填）万元，人员经费为（未填）万元。公用经费（未填）万元。"
    assert project_spending_text(r) == "本年度市级专项资金（未填）万元，一共0个专项。"


def test_staff_paragraph_names_quota_actual_and_secondary_institutions(sample) -> None:
    from models.narrative import staff_text

    assert staff_text(sample) == "截至2023年12月31日，吉首市科工信局人员编制23人，实有人数22人。\n我单位无单独核算的二级机构。"
    r = sample.copy()
    r.add_institution("市科技创新服务中心")
    r.add_institution("市中小微企业服务中心")
    assert staff_text(r).endswith("我单位二级机构共2个，分别为市科技创新服务中心、市中小微企业服务中心。")


def test_gov_fund_and_conclusion_from_the_figures(sample) -> None:
    from models.narrative import conclusion_text, gov_fund_text

    assert gov_fund_text(sample) == "2023年度政府基金拨款1744.35万元。"
    assert conclusion_text(sample) == (
        "吉首市科工信局2023年度部门整体支出绩效评价综合得分为96分，本单位绩效自评结果等次为“优”，"
        "其中：投入8分，产出49分，效益30分，满意度9分。一级指标具体得分情况详见下表："
    )
    assert gov_fund_text(Report()) == "无"


def test_common_indicators_are_rewritten_in_place_and_the_rest_is_kept(sample) -> None:
    from models.narrative import target_achievement_text

    before = sample.data["narrative"]["sections"]["target_achievement"].split("\n")
    after = target_achievement_text(sample).split("\n")
    assert len(after) == len(before)
    changed = {i: (a, b) for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert after[0] == "1、预算执行率（10分，得8分，扣2分）"
    assert after[1] == (
        "2023年，本部门收入预算5374.35万元，收入决算5374.34万元；支出预算5374.35万元，支出决算5374.44万元，预算执行率100%。"
    )
    assert "公用经费控制率：2023年本单位预算安排公用经费27.6万元，实际支出公用经费20.48万元，公用经费控制率为74.2%。" in after
    assert "政府采购执行率：2023年政府采购预算数6.7万元，实际政府采购数4.82万元，政府采购执行率71.94%。" in after
    assert "固定资产利用率：本单位所有固定资产总额73.22万元，实际在用固定资产总额73.22万元，固定资产利用率100%。" in after
    # Only the headings' scores and the five indicator paragraphs change.
    assert len(changed) == 7, changed
    assert "2.3成本指标（扣2分）" in after  # a sub-heading's deduction is the clerk's to correct


def test_missing_indicator_paragraphs_are_added_where_they_belong() -> None:
    from models.narrative import target_achievement_text

    r = Report()
    r.data["narrative"]["sections"]["target_achievement"] = "1、预算执行率（10分，得10分，扣0分）\n2.3成本指标\n3、效益指标"
    lines = target_achievement_text(r).split("\n")
    assert lines[1].startswith("本年度，本部门收入预算（未填）万元")
    assert lines[1].endswith("预算执行率（缺少数字，无法计算）。")
    assert [ln.split("：")[0] for ln in lines[3:7]] == ["公用经费控制率", "“三公经费”控制率", "政府采购执行率", "固定资产利用率"]
    assert lines[-1] == "3、效益指标"
