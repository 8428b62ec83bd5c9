"""Point 5: findings are live, marked on their cells, listed, and explained."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from models import rules
from ui.tables import ERROR_BG, WARNING_BG


def _rules(window):
    return sorted((f.rule, f.cells[0]) for f in window.session.findings)


def test_the_sample_shows_its_known_mistakes(window):
    errors, warnings = window.findings.counts()
    assert (errors, warnings) == (3, 17)
    assert window.findings.tree.topLevelItemCount() == 20
    assert window.count_label.text() == "错误 3 项，警告 17 项"
    assert ("income.sum", "income.0.total") in _rules(window)


def test_a_cell_with_a_finding_is_marked_and_its_tooltip_says_why(window):
    model = window.view("income").model()
    total = model.index(1, 1)
    assert total.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    tip = total.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("【错误】年度收入情况「1、局机关」：收入合计填报 5374.34")
    assert "0.60" in tip
    balance = window.view("expenditure").model().index(1, 6)
    assert balance.data(Qt.ItemDataRole.BackgroundRole).color() == WARNING_BG


def test_the_list_names_rules_and_cells_in_words(window):
    item = window.findings.tree.topLevelItem(0)
    assert item.toolTip(1) == (
        "收入合计等于各项收入之和\n涉及：二、收入「1、局机关」收入合计、公共财政拨款、政府基金拨款、其他收入，"
        "「局机关及二级机构汇总」收入合计、公共财政拨款、政府基金拨款、其他收入"
    )
    for i in range(window.findings.tree.topLevelItemCount()):
        tips = [window.findings.tree.topLevelItem(i).toolTip(c) for c in range(4)]
        assert not any(f.rule in tip for tip in tips for f in window.session.findings), tips


def test_every_edit_reruns_the_rules(window):
    model = window.view("income").model()
    assert model.setData(model.index(1, 1), "5373.74")
    assert ("income.sum", "income.0.total") not in _rules(window)
    # the sample states its own summary row (5374.34), which now disagrees
    assert ("summary.rows", "income.summary.total") in _rules(window)
    expected = rules.check(window.session.report)
    assert window.session.findings == expected
    assert window.findings.tree.topLevelItemCount() == len(expected)
    errors = sum(f.severity == "error" for f in expected)
    assert window.count_label.text().startswith(f"错误 {errors} 项")

    # on a report of our own: a wrong total is marked, a right one is not
    from ui import session as ops

    ops.new_blank(window.session)
    assert model.setData(model.index(1, 3), "10")
    assert model.setData(model.index(1, 1), "11")
    assert model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert ("income.sum", "income.0.total") in _rules(window)
    assert model.setData(model.index(1, 1), "10")
    assert model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert ("income.sum", "income.0.total") not in _rules(window)


def test_a_field_with_a_finding_is_marked(window):
    window.session.set_text("basics.staff_actual", "30")
    field = window.field("basics.staff_actual")
    assert field.property("finding") == "warning"
    assert "实有人数 30 超过人员编制 23" in field.toolTip()
    window.session.set_text("basics.contact", "")
    assert window.field("basics.contact").property("finding") == "error"


def test_activating_a_finding_goes_to_its_cell(window):
    items = [f.cells[0] for f in window.session.findings]
    index = items.index("expenditure.0.total")
    window.findings.activate(index)
    assert window.tabs.currentWidget() is window.pages["支出和结余"]
    view = window.view("expenditure")
    assert view.currentIndex().data(Qt.ItemDataRole.UserRole) == "expenditure.0.total"


def test_activating_a_field_finding_focuses_the_field(window):
    window.session.set_text("basics.phone", "")
    index = [f.cells[0] for f in window.session.findings].index("basics.phone")
    window.findings.activate(index)
    assert window.tabs.currentWidget() is window.pages["一、基本概况"]
    assert window.focusWidget() is window.field("basics.phone")


def test_an_error_can_be_explained_in_the_panel(window):
    index = [f.cells[0] for f in window.session.findings].index("income.0.total")
    window.findings.select(index)
    assert window.findings.explain.isEnabled()
    window.findings.explain.setPlainText("原表如此，差额 0.60 为上年结转，已核实。")
    window.findings.save_explanation()
    finding = [f for f in window.session.findings if f.cells[0] == "income.0.total"][0]
    assert finding.explanation == "原表如此，差额 0.60 为上年结转，已核实。"
    assert not finding.blocking
    assert window.session.report.explanation("income.sum", finding.cells) == finding.explanation
    assert window.count_label.text() == "错误 3 项，警告 17 项（1 项错误已说明）"
    # the panel keeps the selection and shows the explanation
    assert window.findings.current_finding().cells == finding.cells
    assert "出错说明：原表如此" in window.view("income").model().index(1, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_warnings_take_no_explanation(window):
    index = [f.severity for f in window.session.findings].index("warning")
    window.findings.select(index)
    assert not window.findings.explain.isEnabled()


def test_the_grade_follows_the_score_as_it_is_typed(window, type_text):
    score = window.field("score.self_score")
    grade = window.field("score.grade")
    assert grade.text() == "优"
    window.go_to("score.self_score")
    score.selectAll()
    type_text(score, "85")
    assert window.session.report.data["score"]["self_score"] == Decimal("85")
    assert grade.text() == "良"
    type_text(score, ".5")
    assert grade.text() == "良"
    score.selectAll()
    type_text(score, "59")
    assert grade.text() == "差"
    assert not [f for f in window.session.findings if f.rule == "score.grade"]


def test_a_grade_typed_against_the_score_is_an_error(window):
    window.session.set_text("score.grade", "良")
    assert [f.rule for f in window.session.findings if f.rule == "score.grade"] == ["score.grade"]
    assert window.field("score.grade").property("finding") == "error"


def test_a_blank_grade_shows_the_derived_one(window):
    window.session.set_text("score.grade", "")
    assert window.field("score.grade").placeholderText() == "按评分自动确定：优"


def test_score_items_total_is_shown(window):
    label = window.findChild(type(window.count_label), "score_items:total")
    assert label.text().startswith("合计：指标分值 100，自评得分 ")


def test_every_finding_of_the_sample_can_be_activated(window, quiet_messages):
    for i, finding in enumerate(window.session.findings):
        quiet_messages.history.clear()
        window.findings.activate(i)
        assert quiet_messages.last("status") is None, finding
        focused = window.focusWidget()
        assert focused is not None
        if finding.rule.startswith("narrative."):
            assert window.tabs.currentWidget() is window.pages["评价报告"]
            assert focused.currentIndex().data(Qt.ItemDataRole.UserRole) in finding.cells


def test_undoing_the_score_brings_the_grade_back(window):
    window.session.set_text("score.self_score", "85")
    assert window.session.report.data["score"]["grade"] == "良"
    window.undo_action.trigger()
    assert window.session.report.data["score"]["self_score"] == Decimal("96")
    assert window.session.report.data["score"]["grade"] == "优"
    assert window.field("score.grade").text() == "优"
    window.redo_action.trigger()
    assert window.field("score.grade").text() == "良"


def test_a_figure_typed_updates_the_listed_findings_where_they_stand(window) -> None:
    panel = window.findings
    window.session.set_text("income.0.public_budget", "3091.35")
    count = panel.tree.topLevelItemCount()
    first = panel.tree.topLevelItem(0)
    assert "3091.35" in first.text(2)
    window.session.set_text("income.0.public_budget", "3091.36")  # the same findings, new figures
    assert panel.tree.topLevelItemCount() == count
    assert panel.tree.topLevelItem(0) is first, "the same row, its text updated"
    assert "3091.36" in first.text(2)
    listed = [panel.tree.topLevelItem(i) for i in range(count)]
    assert [item.text(2) for item in listed] == [f.message for f in window.session.findings]
    assert [item.data(0, Qt.ItemDataRole.UserRole) for item in listed] == window.session.findings
    window.session.set_text("basics.contact", "")  # a finding more: the list is made again
    assert panel.tree.topLevelItemCount() == count + 1
    assert [panel.tree.topLevelItem(i).text(2) for i in range(count + 1)] == [
        f.message for f in window.session.findings
    ]
