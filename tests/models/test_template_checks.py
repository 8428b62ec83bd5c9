"""A template's own rules (formulas), run over a report of the Chongqing form."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from models import checks
from models import template as tpl

CHONGQING = tpl.load_file(tpl.SHIPPED / "chongqing-2023.toml")


def report() -> dict[str, Any]:
    return {
        "cover": {"dept_name": "某局", "year": 2023, "self_score": D("95"), "contact": None, "phone": "1"},
        "budget": {"initial": D("100"), "adjusted": D("120"), "executed": D("114"), "rate": None, "score": None},
        "indicators": [
            {"name": "培训人次", "unit": "人次", "nature": "定量指标", "initial": "≥100", "adjusted": None,
             "actual": "90", "coefficient": D("100"), "weight": D("50"), "score": D("45"), "core": "是"},
            {"name": "满意度", "unit": "%", "nature": "定量指标", "initial": "≥90", "adjusted": None,
             "actual": "95", "coefficient": D("100"), "weight": D("30"), "score": None, "core": "否"},
        ],
    }


def test_blank_cells_show_their_computed_values() -> None:
    data = report()
    shown = checks.shown(CHONGQING, data)
    assert shown["budget"]["rate"] == D("95") and shown["budget"]["score"] == D("9.5")
    assert shown["indicators"][1]["score"] == D("30")
    assert data["budget"]["rate"] is None  # the report itself is not changed
    assert checks.filled_cells(CHONGQING, data) == {"budget.rate", "budget.score", "indicators.1.score"}


def test_findings_state_both_figures_in_the_templates_words() -> None:
    data = report()
    assert checks.required(CHONGQING, data) == [("required", ["cover.contact"], "基本信息：「部门联系人」必须填写。")]
    assert checks.run(CHONGQING, data) == [
        ("indicator.score", ["indicators.0.score", "indicators.0.coefficient", "indicators.0.weight"],
         "绩效指标「1、培训人次」：指标得分（分）填报 45，而 得分系数（%） 100 ÷ 100 × 指标权重（分） 50 = 50，"
         "相差 5（指标得分（分）少 5）。"),
        ("indicator.full", ["indicators.0.coefficient", "indicators.0.actual", "indicators.0.nature",
                            "indicators.0.adjusted", "indicators.0.initial"],
         "绩效指标「1、培训人次」：全年完成值 90 未达到指标值 ≥100，得分系数却为 100%。请核对完成值，或按完成比例调低得分系数。"),
        ("indicator.weights", ["indicators.0.weight", "indicators.1.weight"],
         "绩效指标：各指标权重合计 80 分，加执行率权重 10 分为 90 分，应为 100 分。"),
        ("total", ["cover.self_score", "budget.score", "indicators.0.score", "indicators.1.score"],
         "部门整体绩效自评表：自评总分（分）填报 95，而 执行率得分（分） 9.5 + 各行指标得分（分）之和 75 = 84.5，"
         "相差 10.5（自评总分（分）多 10.5）。"),
    ]


def test_a_consistent_report_has_no_findings() -> None:
    data = report()
    data["cover"]["contact"] = "张三"
    data["indicators"][0].update(actual="100", score=None)
    data["indicators"][1]["weight"] = D("40")
    data["indicators"][1]["score"] = D("40")
    data["cover"]["self_score"] = D("99.5")
    assert checks.required(CHONGQING, data) == []
    assert checks.run(CHONGQING, data) == []


def test_blank_figures_say_nothing() -> None:
    data = report()
    data["budget"]["adjusted"] = None
    data["budget"]["executed"] = None
    assert checks.shown(CHONGQING, data)["budget"]["rate"] is None
