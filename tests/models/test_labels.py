"""Cells named as a person reads them, derived from the form."""

import pytest

from models import form
from models.labels import cell_label, cells_text, rule_title


@pytest.mark.parametrize(
    ("path", "named", "numbered"),
    [
        ("income.0.total", "二、收入「1、局机关」收入合计", "二、收入第 1 行·收入合计"),
        ("income.summary.other", "二、收入「局机关及二级机构汇总」其他收入", "二、收入「局机关及二级机构汇总」其他收入"),
        ("expenditure.0.balance_year", "支出和结余「1、局机关」当年结余", "支出和结余第 1 行·当年结余"),
        ("institutions.0", "二、收入「1、局机关」机构名称", "二、收入第 1 行·机构名称"),
        ("basics.phone", "一、基本概况·联系电话", "一、基本概况·联系电话"),
        ("cover.dept_name", "封面·部门（单位）名称（盖章）", "封面·部门（单位）名称（盖章）"),
        ("qualitative.0.expected", "三、定性目标第 1 行·预期目标", "三、定性目标第 1 行·预期目标"),
        ("indicators.7.actual", "定量指标「8、重点工作完成及时率」完成情况", "定量指标第 8 行·完成情况"),
        ("indicators.7.score", "自评表「重点工作完成及时率」自评得分", "自评表第 8 行·自评得分"),
        ("score.self_score", "评分", "评分"),
        ("score.grade", "评分·等级", "评分·等级"),
        ("score_items.0.score", "一级指标得分「1、投入」自评得分", "一级指标得分第 1 行·自评得分"),
        ("signatures.evaluators.1.name", "评价人员「2、龙子卫」姓名", "评价人员第 2 行·姓名"),
        ("signatures.leader_opinion", "四、评价人员与意见·评价组组长签署意见", "四、评价人员与意见·评价组组长签署意见"),
        ("narrative.basic_items.3.amount", "基本支出明细「4、绩效工资」金额", "基本支出明细第 4 行·金额"),
        ("narrative.projects.16.uses.2.amount", "项目支出明细「17、2022年科三费」资金用途「3、邮电费」金额",
         "项目支出明细第 17 行·资金用途第 3 行·金额"),
        ("narrative.projects", "项目支出明细", "项目支出明细"),
        ("narrative.sections.target_achievement", "评价报告·七（二）部门整体支出绩效目标实现情况",
         "评价报告·七（二）部门整体支出绩效目标实现情况"),
        ("narrative.budget.income_budget", "评价报告·预算数与执行数·收入预算数", "评价报告·预算数与执行数·收入预算数"),
        ("scoring.items.0.score", "自评表「预算执行率」自评得分", "自评表第 1 行·自评得分"),
    ],
)
def test_a_path_reads_as_its_place_row_and_column(sample, path, named, numbered) -> None:
    assert cell_label(path, sample) == named
    assert cell_label(path) == numbered


def test_a_workbook_cell_follows_the_label(sample) -> None:
    assert cell_label("income.0.total", sample, "收支情况!C7") == "二、收入「1、局机关」收入合计（收支情况!C7）"
    assert cells_text(["income.0.total", "income.0.other"], sample, {"income.0.total": "收支情况!C7"}) == (
        "二、收入「1、局机关」收入合计（收支情况!C7）、其他收入"
    )


def test_a_path_that_names_nothing_stays_as_it_is() -> None:
    assert cell_label("nonsense.x") == "nonsense.x"
    assert cell_label("income.0.bogus") == "二、收入第 1 行·bogus"


def test_cells_of_one_row_share_their_place_and_the_rest_are_counted(sample) -> None:
    cells = ["income.0.total", "income.0.public_budget", "income.summary.total"]
    assert cells_text(cells, sample) == "二、收入「1、局机关」收入合计、公共财政拨款，「局机关及二级机构汇总」收入合计"
    items = ["expenditure.0.personnel", *(f"narrative.basic_items.{i}.amount" for i in range(12))]
    assert cells_text(items, sample) == (
        "支出和结余「1、局机关」人员支出；基本支出明细「1、基本工资」金额，「2、津贴补贴」金额；另有 10 处"
    )


def test_every_cell_of_every_table_has_a_label_without_a_key(sample) -> None:
    """No cell path of the form comes out with a program key in it."""
    keys = {n.key for n in form.REPORT.children} - {""}
    for table in form.INSTITUTION_TABLES:
        for column in table.columns:
            label = cell_label(f"{table.key}.0.{column.key}", sample)
            assert not any(k in label for k in (*keys, column.key)), label
    for table in (form.QUALITATIVE, form.INDICATORS, form.SCORE_ITEMS):
        for column in table.columns:
            label = cell_label(f"{table.key}.0.{column.key}", sample)
            assert column.label in label and column.key not in label, label


def test_rule_title_names_what_a_rule_checks() -> None:
    assert rule_title("summary.rows") == "汇总行等于各机构之和"
