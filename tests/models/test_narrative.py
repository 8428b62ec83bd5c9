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
