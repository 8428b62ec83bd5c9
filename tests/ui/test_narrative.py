"""The tab 评价报告: 基本支出明细, 项目支出明细 (master/detail) and the texts of Part B."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton

from models import form
from models.store import Store
from ui import session as ops
from ui.tables import ERROR_BG, WARNING_BG

PATH = Qt.ItemDataRole.UserRole


def _page(window):
    return window.pages["评价报告"]


def _rules(window, rule):
    return [f for f in window.session.findings if f.rule == rule]


def _button(window, name):
    button = window.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _label(window, name):
    label = window.findChild(QLabel, name)
    assert label is not None, name
    return label


def test_the_tab_follows_part_a_and_names_its_widgets_by_path(window):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names.index("评价报告") == names.index("四、评价人员与意见") + 1
    basic = window.view("narrative.basic_items").model()
    assert basic.rowCount() == 21
    assert basic.index(0, 0).data(PATH) == "narrative.basic_items.0.group"
    assert basic.index(0, 2).data(PATH) == "narrative.basic_items.0.amount"
    assert basic.index(0, 1).data() == "基本工资"
    projects = window.view("narrative.projects").model()
    assert projects.rowCount() == 36
    assert projects.index(3, 1).data(PATH) == "narrative.projects.3.amount"
    assert projects.headerData(2, Qt.Orientation.Horizontal) == "用途合计"
    assert projects.index(3, 2).data(PATH) is None
    assert not projects.flags(projects.index(3, 2)) & Qt.ItemFlag.ItemIsEditable
    for node in form.NARRATIVE_SECTIONS.children:
        path = f"narrative.sections.{node.key}"
        edit = window.field(path)
        assert isinstance(edit, QPlainTextEdit), path
        assert edit.toPlainText() == (window.session.report.get(path) or "")
        assert path in _page(window).fields


def test_the_uses_table_shows_the_selected_project(window):
    page = _page(window)
    page.select_project(3)
    uses = window.view("narrative.projects.uses").model()
    stored = window.session.report.data["narrative"]["projects"][3]["uses"]
    assert uses.rowCount() == len(stored)
    assert uses.index(0, 1).data(PATH) == "narrative.projects.3.uses.0.amount"
    page.select_project(16)
    assert uses.rowCount() == 8
    assert uses.index(1, 0).data() == "印刷费"
    assert uses.index(1, 1).data(PATH) == "narrative.projects.16.uses.1.amount"
    projects = window.view("narrative.projects").model()
    assert projects.index(16, 2).data() == "253.12"  # 用途合计, computed
    assert projects.index(16, 1).data() == "253.11"


def test_editing_a_basic_item_clears_the_finding_and_undo_brings_it_back(window):
    assert len(_rules(window, "narrative.basic")) == 1
    model = window.view("narrative.basic_items").model()
    salary = model.index(0, 2)
    assert salary.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert "362.03" in salary.data(Qt.ItemDataRole.ToolTipRole)
    assert _label(window, "narrative.basic_items:personnel:total").text() == "362.03"
    assert _label(window, "narrative.basic_items:personnel:stated").text() == "362.23"
    assert _label(window, "narrative.basic_items:personnel:difference").text() == "差 -0.20"

    assert model.setData(salary, "92.19")
    assert _rules(window, "narrative.basic") == []
    assert window.session.report.data["narrative"]["basic_items"][0]["amount"] == Decimal("92.19")
    assert salary.data(Qt.ItemDataRole.BackgroundRole) is None
    assert _label(window, "narrative.basic_items:personnel:total").text() == "362.23"
    assert _label(window, "narrative.basic_items:personnel:difference").text() == "相符"

    window.undo_action.trigger()
    assert window.session.report.data["narrative"]["basic_items"][0]["amount"] == Decimal("91.99")
    assert len(_rules(window, "narrative.basic")) == 1
    assert salary.data() == "91.99"
    window.redo_action.trigger()
    assert _rules(window, "narrative.basic") == []


def test_the_usual_items_fill_an_empty_table(window):
    ops.new_blank(window.session)
    view = window.view("narrative.basic_items")
    fill = _button(window, "narrative.basic_items:fill")
    assert view.model().rowCount() == 0
    assert fill.isEnabled()
    fill.click()
    items = window.session.report.data["narrative"]["basic_items"]
    expected = [(g, n) for g, names in form.BASIC_ITEM_NAMES.items() for n in names]
    assert [(i["group"], i["name"]) for i in items] == expected
    assert all(i["amount"] is None for i in items)
    assert view.model().rowCount() == len(expected)
    assert not fill.isEnabled()
    window.session.set_text("narrative.basic_items.0.amount", "10")
    window.session.set_text("expenditure.0.personnel", "12")
    assert _label(window, "narrative.basic_items:personnel:difference").text() == "差 -2"
    assert len(_rules(window, "narrative.basic")) == 1
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.session.report.data["narrative"]["basic_items"] == []
    assert fill.isEnabled()


def test_basic_rows_are_added_moved_and_removed(window, quiet_messages):
    view = window.view("narrative.basic_items")
    model = view.model()
    _button(window, "narrative.basic_items:add_row").click()
    assert model.rowCount() == 22
    assert view.currentIndex().row() == 21
    assert model.setData(model.index(21, 0), "公用经费")
    assert model.setData(model.index(21, 1), "印刷费")
    assert model.setData(model.index(21, 2), "1.00")
    assert _label(window, "narrative.basic_items:public_use:total").text() == "21.48"
    _button(window, "narrative.basic_items:row_up").click()
    assert model.index(20, 1).data() == "印刷费"
    quiet_messages.answers.append(True)
    _button(window, "narrative.basic_items:remove_row").click()
    assert model.rowCount() == 21
    assert "印刷费" not in [model.index(r, 1).data() for r in range(21)]


def test_a_project_and_its_use_are_added_and_undone(window):
    page = _page(window)
    projects = window.view("narrative.projects")
    uses = window.view("narrative.projects.uses")
    _button(window, "narrative.projects:add_row").click()
    assert projects.model().rowCount() == 37
    assert projects.currentIndex().row() == 36
    assert page.project == 36
    assert uses.model().rowCount() == 0
    pm = projects.model()
    assert pm.setData(pm.index(36, 0), "新项目")
    assert pm.setData(pm.index(36, 1), "10")
    _button(window, "narrative.projects.uses:add_row").click()
    um = uses.model()
    assert um.rowCount() == 1
    assert um.index(0, 1).data(PATH) == "narrative.projects.36.uses.0.amount"
    assert um.setData(um.index(0, 0), "办公费")
    assert um.setData(um.index(0, 1), "9.5")
    project = window.session.report.data["narrative"]["projects"][36]
    assert project["name"] == "新项目"
    assert project["uses"] == [{"name": "办公费", "amount": Decimal("9.5")}]
    assert pm.index(36, 2).data() == "9.5"
    mismatch = [f for f in _rules(window, "narrative.projects") if f.cells[0] == "narrative.projects.36.amount"]
    assert len(mismatch) == 1
    assert um.index(0, 1).data(Qt.ItemDataRole.BackgroundRole).color() == WARNING_BG
    assert "新项目" in page.uses.title()

    window.undo_action.trigger()  # the use's amount
    window.undo_action.trigger()  # its name
    window.undo_action.trigger()  # the use's row
    assert um.rowCount() == 0
    for _ in range(3):  # amount, name, the project's row
        window.undo_action.trigger()
    assert pm.rowCount() == 36
    assert len(window.session.report.data["narrative"]["projects"]) == 36


def test_the_projects_total_is_shown_against_the_expenditure_table(window):
    label = _label(window, "narrative.projects:total")
    assert label.text().startswith("36 个项目合计 4854.63 万元；支出表「1、局机关」项目支出 4991.63 万元")
    assert "差 -137.00" in label.text()


def test_the_uses_table_needs_a_project(window, quiet_messages):
    ops.new_blank(window.session)
    _button(window, "narrative.projects.uses:add_row").click()
    assert quiet_messages.last("status") == "请先在左边的表中选中一个项目。"
    assert window.session.report.data["narrative"]["projects"] == []


def test_removing_a_project_asks_and_the_uses_follow(window, quiet_messages):
    page = _page(window)
    page.select_project(16)
    quiet_messages.answers.append(False)
    _button(window, "narrative.projects:remove_row").click()
    assert quiet_messages.last("ask").startswith("删除项目「2022年科三费」及其 8 项用途？")
    assert len(window.session.report.data["narrative"]["projects"]) == 36
    quiet_messages.answers.append(True)
    _button(window, "narrative.projects:remove_row").click()
    assert len(window.session.report.data["narrative"]["projects"]) == 35
    uses = window.view("narrative.projects.uses").model()
    assert page.project == 16
    assert uses.index(0, 0).data(PATH) == "narrative.projects.16.uses.0.name"
    assert uses.rowCount() == len(window.session.report.data["narrative"]["projects"][16]["uses"])


def test_activating_a_project_finding_selects_the_project_and_cell(window):
    findings = window.session.findings
    index = next(
        i for i, f in enumerate(findings)
        if f.rule == "narrative.projects" and f.cells[0] == "narrative.projects.24.amount"
    )
    window.findings.activate(index)
    assert window.tabs.currentWidget() is _page(window)
    assert _page(window).parts.currentIndex() == 1
    projects = window.view("narrative.projects")
    assert projects.currentIndex().data(PATH) == "narrative.projects.24.amount"
    assert window.focusWidget() is projects
    uses = window.view("narrative.projects.uses")
    assert uses.model().index(0, 1).data(PATH) == "narrative.projects.24.uses.0.amount"


def test_go_to_reaches_uses_basic_items_and_sections(window):
    assert window.go_to("narrative.projects.35.uses.1.amount")
    uses = window.view("narrative.projects.uses")
    assert uses.currentIndex().data(PATH) == "narrative.projects.35.uses.1.amount"
    assert window.view("narrative.projects").currentIndex().row() == 35
    assert window.go_to("narrative.basic_items.4.amount")
    assert window.view("narrative.basic_items").currentIndex().data(PATH) == "narrative.basic_items.4.amount"
    assert _page(window).parts.currentIndex() == 0
    assert window.go_to("narrative.sections.suggestions")
    assert window.focusWidget() is window.field("narrative.sections.suggestions")
    assert not window.go_to("narrative.projects.99.amount")


def test_the_basic_finding_is_listed_on_this_tab_and_goes_to_the_items(window):
    index = next(i for i, f in enumerate(window.session.findings) if f.rule == "narrative.basic")
    assert window.findings.tree.topLevelItem(index).text(1) == "评价报告"
    window.findings.activate(index)
    view = window.view("narrative.basic_items")
    assert view.currentIndex().data(PATH) == "narrative.basic_items.0.amount"


def test_a_section_text_is_saved_and_undone(window, qtbot, db_path):
    report_id = window.session.report_id
    edit = window.field("narrative.sections.other_matters")
    box = edit.parent()
    edit.setPlainText("无其他需要说明的问题。")
    assert box.count.text() == "11 字"
    assert window.session.report.data["narrative"]["sections"]["other_matters"] == "无其他需要说明的问题。"

    def stored():
        with Store(db_path) as store:
            return store.load(report_id).data["narrative"]["sections"]["other_matters"]

    qtbot.waitUntil(lambda: stored() == "无其他需要说明的问题。", timeout=2000)
    window.undo_action.trigger()
    assert edit.toPlainText() == window.session.report.data["narrative"]["sections"]["other_matters"]
    assert edit.toPlainText() != "无其他需要说明的问题。"


def test_the_parts_fit_1366_by_768(window, qtbot):
    from PySide6.QtWidgets import QAbstractScrollArea

    from ui.tables import SheetView

    window.resize(1366, 768)
    window.tabs.setCurrentWidget(_page(window))
    for size in (11, 16):
        window.apply_font_size(size)
        for i in range(_page(window).parts.count()):
            _page(window).parts.setCurrentIndex(i)
            qtbot.wait(5)
            part = _page(window).parts.currentWidget()
            for area in part.findChildren(QAbstractScrollArea):
                if area.isVisible():
                    assert not area.horizontalScrollBar().isVisible(), (i, size)
            for view in part.findChildren(SheetView):
                header = view.horizontalHeader()
                used = sum(header.sectionSize(c) for c in range(header.count()))
                assert used <= view.viewport().width() + 1, (view.objectName(), size)
    window.apply_font_size(11)


def test_a_paragraph_is_generated_from_the_figures_and_can_be_undone(window, quiet_messages):
    from models.narrative import project_spending_text
    from ui import messages

    edit = window.field("narrative.sections.project_spending_text")
    before = edit.toPlainText()
    assert "一共42个专项" in before
    messages.answers.append(False)
    _button(window, "narrative.sections.project_spending_text:generate").click()
    assert messages.history[-1] == ("ask", "这一段已有文字，按表中数字生成会替换它（可以撤销）。是否继续？")
    assert edit.toPlainText() == before
    messages.answers.append(True)
    _button(window, "narrative.sections.project_spending_text:generate").click()
    assert edit.toPlainText() == project_spending_text(window.session.report)
    assert "一共36个专项" in edit.toPlainText()
    window.undo_action.trigger()
    assert edit.toPlainText() == before


def test_every_paragraph_the_figures_can_write_has_its_button_and_undo(window, quiet_messages):
    from models.narrative import GENERATORS

    for key, generator in GENERATORS.items():
        path = f"narrative.sections.{key}"
        edit = window.field(path)
        before = edit.toPlainText()
        quiet_messages.answers.append(True)
        _button(window, f"{path}:generate").click()
        assert edit.toPlainText() == generator.write(window.session.report), key
        window.undo_action.trigger()
        assert edit.toPlainText() == before, key
    assert _button(window, "narrative.sections.target_achievement:generate").text() == "按表中数字更新指标段落"


def test_staff_paragraph_follows_the_figures_and_the_clerks_edit_is_kept(window, quiet_messages):
    edit = window.field("narrative.sections.staff_text")
    quiet_messages.answers.append(True)
    _button(window, "narrative.sections.staff_text:generate").click()
    assert edit.toPlainText().startswith("截至2023年12月31日，吉首市科工信局人员编制23人，实有人数22人。")
    assert not [f for f in window.session.findings if f.rule == "text.generated"]
    window.session.set_text("basics.staff_actual", "21")
    # The clerk's text stays as it was; the rule says which figure no longer matches.
    assert "实有人数22人" in window.session.report.get("narrative.sections.staff_text")
    (found,) = [f for f in window.session.findings if f.rule == "text.generated"]
    assert found.message == (
        "一（一）部门（单位）基本情况：这一段与表中数字不符——「实有人数22人」按表中数字应为 21人。"
        "可核对后修改，或按「按表中数字生成」重新生成。"
    )


def test_budget_figures_are_edited_on_their_own_part_and_feed_the_rules(window, quiet_messages):
    page = _page(window)
    field = window.field("narrative.budget.procurement_actual")
    assert field.text() == "4.82"
    unit = [f for f in window.session.findings if f.rule == "text.unit"]
    assert len(unit) == 1
    assert window.go_to(unit[0].cells[0])
    assert page.parts.currentIndex() == 2
    from tests.ui.conftest import send_text

    field.selectAll()
    field.setFocus()
    send_text(field, "482")
    field.editingFinished.emit()
    assert window.session.report.get("narrative.budget.procurement_actual") == Decimal("482")
    assert not [f for f in window.session.findings if f.rule == "text.unit"]
    window.undo_action.trigger()
    assert window.session.report.get("narrative.budget.procurement_actual") == Decimal("4.82")


def test_a_text_finding_takes_the_clerk_to_the_text(window):
    from ui.findings import finding_cells

    (count,) = [f for f in window.session.findings if f.rule == "text.count"]
    assert finding_cells(count)[0] == "narrative.sections.project_spending_text"
    window.go_to_finding(count)
    assert _page(window).parts.currentIndex() == 3
    assert window.focusWidget() is window.field("narrative.sections.project_spending_text")
