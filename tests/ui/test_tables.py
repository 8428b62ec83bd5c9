"""Point 4: tables behave like a spreadsheet."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView

from models import form
from ui.tables import COMPUTED_BG, ERROR_BG, parse_clipboard

PATH = Qt.ItemDataRole.UserRole


def _edit_cell(qtbot, view, cell, text, type_text):
    view.window().go_to(view.model().index(*cell).data(PATH))
    type_text(view, text)  # the first key opens the editor and replaces the content
    editor = view.focusWidget()
    assert editor is not view
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)


def test_typing_replaces_and_enter_moves_down(window, qtbot, type_text):
    view = window.view("income")
    _edit_cell(qtbot, view, (1, 3), "3000", type_text)
    assert window.session.report.data["income"][0]["public_budget"] == Decimal("3000")
    # the summary row the file stated keeps its figure, now a finding; computed, it follows
    assert view.model().index(0, 3).data() == "3091.34"
    assert view.model().index(0, 3).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    window.session.apply("汇总行改用自动合计", lambda r: r.drop_stated_summary())
    assert view.model().index(0, 3).data() == "3000"
    indicators = window.view("indicators")
    _edit_cell(qtbot, indicators, (2, 2), "new name", type_text)
    assert window.session.report.data["indicators"][2]["name"] == "new name"
    assert (indicators.currentIndex().row(), indicators.currentIndex().column()) == (3, 2)


def test_enter_moves_down_and_tab_right_without_editing(window, qtbot):
    view = window.view("indicators")
    window.go_to("indicators.2.name")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (3, 2)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (3, 3)


def test_tab_in_an_editor_commits_and_moves_right(window, qtbot, type_text):
    view = window.view("signatures.evaluators")
    window.go_to("signatures.evaluators.0.name")
    type_text(view, "王五")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    assert window.session.report.data["signatures"]["evaluators"][0]["name"] == "王五"
    assert view.currentIndex().column() == 1


def test_summary_row_is_computed_read_only_and_different(window):
    window.session.apply("汇总行改用自动合计", lambda r: r.drop_stated_summary())
    model = window.view("expenditure").model()
    summary = model.index(0, 1)
    assert summary.data(PATH) == "expenditure.summary.total"
    assert not (model.flags(summary) & Qt.ItemFlag.ItemIsEditable)
    assert model.index(0, 0).data() == form.SUMMARY_LABEL
    assert model.index(1, 0).data() == "1、局机关"
    assert model.index(0, 2).data(Qt.ItemDataRole.FontRole).italic()
    assert model.setData(summary, "1") is False


def test_a_stated_summary_figure_shows_as_stated_everywhere(window, tmp_path):
    """The figure a file stated in its summary row is the one the window, the paper, the
    workbook and the finding all show; it looks typed, not computed, and is read-only."""
    from reports.printed import render_pdf
    from reports.workbook import render_workbook
    from tests.reports.test_pdf import read, text_of

    session = window.session
    session.report.data["summary"]["income"]["public_budget"] = Decimal("9999.99")
    session._after_change(None)
    model = window.view("income").model()
    cell = model.index(0, 3)
    assert cell.data() == "9999.99"
    assert cell.data(Qt.ItemDataRole.FontRole) is None  # not the computed look
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "年度收入情况「局机关及二级机构汇总」的公共财政拨款填报 9999.99，而各机构合计为 3091.34" in tip
    assert "此格是导入的文件中填报的数" in tip and "各机构之和为 3091.34" in tip
    assert not (model.flags(cell) & Qt.ItemFlag.ItemIsEditable)
    assert model.index(0, 1).data(Qt.ItemDataRole.FontRole) is None  # stated 5374.34, the same as the sum
    assert "9999.99" in text_of(read(render_pdf(session.report, part="A")))
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_workbook(session.report))
    import openpyxl

    assert openpyxl.load_workbook(path)["收支情况"]["D5"].value == 9999.99


def test_blank_total_shows_the_sum_of_its_parts(window):
    session = window.session
    session.set_text("three_public.0.total", "")
    model = window.view("three_public").model()
    total = model.index(1, 1)
    assert session.report.data["three_public"][0]["total"] is None
    assert total.data() == "0.4"
    assert total.data(Qt.ItemDataRole.EditRole) == ""  # typing replaces a computed total
    assert total.data(Qt.ItemDataRole.BackgroundRole).color() == COMPUTED_BG
    assert total.data(Qt.ItemDataRole.FontRole).italic()
    assert "自动计算" in total.data(Qt.ItemDataRole.ToolTipRole)
    # a typed total is an ordinary cell again
    assert model.setData(total, "0.4")
    assert total.data(Qt.ItemDataRole.FontRole) is None


def test_a_block_from_excel_pastes_and_a_bad_cell_is_named(window, quiet_messages):
    view = window.view("income")
    view.setCurrentIndex(view.model().index(1, 2))
    QGuiApplication.clipboard().setText("12.5\t3,091.34\tabc\t\t１００\r\n")
    view.paste_clipboard()
    row = window.session.report.data["income"][0]
    assert row["carryover"] == Decimal("12.5")
    assert row["public_budget"] == Decimal("3091.34")
    assert row["gov_fund"] == Decimal("1744.35")  # refused, kept as it was
    assert row["special_account"] is None
    assert row["other"] == Decimal("100")
    assert quiet_messages.last("error") == (
        "粘贴时有 1 个单元格的内容无法使用，这些单元格未改动，其余已填入：\n"
        "年度收入情况「1、局机关」行（政府基金拨款）："
        "「abc」不是有效的政府基金拨款：请只填写数字，可带单位「万元」，例如 5374.34。"
    )
    # the whole paste is one undo step
    window.session.undo_stack.undo()
    assert window.session.report.data["income"][0]["carryover"] is None
    assert window.session.report.data["income"][0]["other"] == Decimal("538.05")


def test_a_paste_of_ten_thousand_bad_cells_is_a_short_message_with_the_whole_list(window, quiet_messages):
    view = window.view("score_items")
    view.setCurrentIndex(view.model().index(0, 1))
    view.paste_text("".join(f"第{i}分\n" for i in range(10_000)))
    shown = quiet_messages.last("error")
    lines = shown.split("\n")
    assert lines[0] == "粘贴时有 10000 个单元格的内容无法使用，这些单元格未改动，其余已填入："
    assert len(lines) == 1 + 20 + 1
    assert lines[1].startswith("一级指标得分第 1 行（指标分值）：「第0分」不是有效的指标分值")
    assert lines[-1] == "……另有 9980 处未列出，点「复制全部」可复制完整的清单。"
    whole = quiet_messages.details[-1].split("\n")
    assert len(whole) == 1 + 10_000 and whole[-1].startswith("一级指标得分第 10000 行（指标分值）：「第9999分」")


def test_pasting_into_the_summary_row_is_refused_by_name(window, quiet_messages):
    view = window.view("assets")
    view.setCurrentIndex(view.model().index(0, 2))
    view.paste_text("1\n2\n")
    assert window.session.report.data["assets"][0]["in_use"] == Decimal("2")
    assert quiet_messages.last("error") == (
        "粘贴时有 1 个单元格的内容无法使用，这些单元格未改动，其余已填入：\n"
        "固定资产「局机关及二级机构汇总」行（在用固定资产）：汇总行由各机构自动合计，不能直接填写。"
    )


def test_paste_beyond_the_institutions_is_reported(window, quiet_messages):
    view = window.view("income")
    view.setCurrentIndex(view.model().index(1, 5))
    view.paste_text("1\t2\t3\n4\t5\t6\n")
    row = window.session.report.data["income"][0]
    assert (row["special_account"], row["other"]) == (Decimal("1"), Decimal("2"))
    assert quiet_messages.last("error") == "粘贴的内容超出表格范围，有 4 个单元格未粘贴。"


def test_a_longer_block_adds_rows_to_a_table_of_rows(window, quiet_messages):
    view = window.view("indicators")
    n = view.model().rowCount()
    view.setCurrentIndex(view.model().index(n - 1, 2))
    view.paste_text("甲指标\t1家\t2家\n乙指标\t3家\t4家\n丙指标\t5家\t6家\n")
    rows = window.session.report.rows("indicators")
    assert len(rows) == n + 2
    assert [r["name"] for r in rows[-3:]] == ["甲指标", "乙指标", "丙指标"]
    assert rows[-1]["actual"] == "6家"
    assert view.model().rowCount() == n + 2
    assert quiet_messages.last("status") == "已为粘贴的内容添加 2 行。"
    window.session.undo_stack.undo()
    assert len(window.session.report.rows("indicators")) == n


def test_copy_gives_tab_separated_text(window):
    view = window.view("income")
    view.setCurrentIndex(view.model().index(1, 1))
    selection = view.selectionModel()
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    selection.select(
        QItemSelection(view.model().index(1, 1), view.model().index(1, 3)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    view.copy_selection()
    assert QGuiApplication.clipboard().text() == "5374.34\t\t3091.34\n"


def test_delete_clears_the_selected_cells(window, qtbot):
    view = window.view("income")
    window.go_to("income.0.other")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.session.report.data["income"][0]["other"] is None


def test_clipboard_parsing_honours_quotes():
    assert parse_clipboard('a\t"b\nc"\td\r\n1\t2\t3\r\n') == [["a", "b\nc", "d"], ["1", "2", "3"]]
    assert parse_clipboard("5374.34") == [["5374.34"]]
    assert parse_clipboard('"x\ty') == [['"x', "y"]]


def test_institutions_can_be_added_renamed_moved_and_removed(window, quiet_messages):
    from PySide6.QtWidgets import QPushButton

    session = window.session
    quiet_messages.answers.extend(["科技服务中心", "信息中心"])
    window.findChild(QPushButton, "income:add_institution").click()
    window.findChild(QPushButton, "income:add_institution").click()
    assert session.report.institutions == ["局机关", "科技服务中心", "信息中心"]
    for table in form.INSTITUTION_TABLES:
        assert window.view(table.key).model().rowCount() == 4
    model = window.view("expenditure").model()
    assert model.index(3, 0).data() == "3、信息中心"
    assert model.index(3, 0).data(PATH) == "institutions.2"
    # figures of an institution add into the summary (the stated one keeps its figure)
    assert model.setData(model.index(2, 5), "10")  # 科技服务中心 project
    assert session.report.summary_row(form.EXPENDITURE)["project"] == Decimal("5001.63")
    assert model.index(0, 5).data() == "4991.63"
    session.apply("汇总行改用自动合计", lambda r: r.drop_stated_summary())
    assert model.index(0, 5).data() == "5001.63"
    # rename by typing in the name column
    assert model.setData(model.index(3, 0), "信息化中心")
    assert session.report.institutions[2] == "信息化中心"
    # move 信息化中心 up
    view = window.view("expenditure")
    view.setCurrentIndex(model.index(3, 1))
    window.findChild(QPushButton, "expenditure:institution_up").click()
    assert session.report.institutions == ["局机关", "信息化中心", "科技服务中心"]
    assert session.report.data["expenditure"][2]["project"] == Decimal("10")
    # 局机关 cannot move or go
    view.setCurrentIndex(model.index(1, 1))
    quiet_messages.answers.append(True)
    window.findChild(QPushButton, "expenditure:remove_institution").click()
    assert quiet_messages.last("error") == "请先选中要删除的二级机构所在的行（部门本级不能删除）。"
    # remove one (confirmed)
    view.setCurrentIndex(model.index(3, 1))
    quiet_messages.answers.append(True)
    window.findChild(QPushButton, "expenditure:remove_institution").click()
    assert session.report.institutions == ["局机关", "信息化中心"]
    assert len(session.report.data["income"]) == 2
    session.undo_stack.undo()
    assert session.report.institutions == ["局机关", "信息化中心", "科技服务中心"]


def test_indicator_rows_can_be_added_removed_and_reordered(window, quiet_messages):
    from PySide6.QtWidgets import QPushButton

    session = window.session
    view = window.view("indicators")
    model = view.model()
    rows = session.report.rows("indicators")
    n = len(rows)
    names = [r["name"] for r in rows]
    window.findChild(QPushButton, "indicators:add_row").click()
    assert model.rowCount() == n + 1
    assert view.currentIndex().row() == n
    view.setCurrentIndex(model.index(1, 2))
    window.findChild(QPushButton, "indicators:row_down").click()
    assert [r["name"] for r in session.report.rows("indicators")][1:3] == [names[2], names[1]]
    assert view.currentIndex().row() == 2
    window.findChild(QPushButton, "indicators:row_up").click()
    assert [r["name"] for r in session.report.rows("indicators")][:n] == names
    view.setCurrentIndex(model.index(0, 2))
    window.findChild(QPushButton, "indicators:insert_row").click()
    assert session.report.rows("indicators")[0]["name"] is None
    window.findChild(QPushButton, "indicators:remove_row").click()  # blank: no question
    assert [r["name"] for r in session.report.rows("indicators")][:n] == names
    view.setCurrentIndex(model.index(0, 2))
    quiet_messages.answers.append(False)
    window.findChild(QPushButton, "indicators:remove_row").click()
    assert model.rowCount() == n + 1  # the clerk said no


def test_equal_level1_and_level2_cells_show_merged(window):
    view = window.view("indicators")
    rows = window.session.report.rows("indicators")
    first = rows[0]["level1"]
    run = 1
    while run < len(rows) and rows[run]["level1"] == first:
        run += 1
    assert run > 1
    assert view.rowSpan(0, 0) == run
    assert view.columnSpan(0, 0) == 1
    assert view.rowSpan(0, 2) == 1
    # editing a merged cell changes the whole run, so it stays merged
    assert view.model().setData(view.model().index(0, 0), "产出目标X")
    assert [r["level1"] for r in window.session.report.rows("indicators")[:run]] == ["产出目标X"] * run
    assert view.rowSpan(0, 0) == run


def test_level1_cells_carry_their_printed_note(window):
    model = window.view("indicators").model()
    assert form.LEVEL1_NOTES["产出目标"] in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_long_text_cells_edit_in_the_detail_box(window, qtbot):
    view = window.view("qualitative")
    view.setCurrentIndex(view.model().index(0, 1))
    from ui.fields import LongTextField

    detail = window.findChild(LongTextField, "qualitative:detail")
    assert detail.path == "qualitative.0.actual"
    detail.edit.setPlainText("全部完成。\n第二行")
    assert window.session.report.data["qualitative"][0]["actual"] == "全部完成。\n第二行"
    assert view.model().index(0, 1).data() == "全部完成。\n第二行"


def test_edit_triggers_make_typing_replace(window):
    view = window.view("income")
    assert view.editTriggers() & QAbstractItemView.EditTrigger.AnyKeyPressed


def test_a_long_text_cell_edits_in_place_with_new_lines(window, qtbot, type_text):
    from PySide6.QtWidgets import QPlainTextEdit

    view = window.view("indicators")
    window.go_to("indicators.0.actual")
    type_text(view, "完成")
    editor = view.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(editor, "9家")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.session.report.data["indicators"][0]["actual"] == "完成\n9家"
    assert view.currentIndex().row() == 1


def test_a_final_report_offers_no_control_that_would_change_it(window, quiet_messages):
    """定稿: every button that changes the report is disabled (they all do), paste and
    Delete leave a note instead of a refusal, 出错说明, 保存 and 撤销 are off; 重新打开
    gives them back."""
    from PySide6.QtWidgets import QPushButton

    session = window.session
    for finding in [f for f in session.findings if f.severity == "error"]:
        session.apply("出错说明", lambda r, f=finding: r.explain(f.rule, f.cells, "原表如此。"))
    window.findings.select(0)
    assert window.findings.explain.isEnabled() and window.undo_action.isEnabled()
    window.mark_final()
    assert session.readonly
    buttons = window.findChildren(QPushButton)
    assert len(buttons) > 40
    assert [b.objectName() for b in buttons if b.isEnabled()] == []
    assert not window.findings.explain.isEnabled()
    assert not window.save_action.isEnabled() and not window.final_action.isEnabled()
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    view = window.view("indicators")
    view.setCurrentIndex(view.model().index(0, 2))
    before = session.report.copy()
    QGuiApplication.clipboard().setText("新指标\t1\n")
    view.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert session.report == before
    assert quiet_messages.last("error") is None
    assert quiet_messages.last("status") == "本报告已定稿，只能查看；如需修改请「重新打开」。"
    view = window.view("income")
    assert not (view.model().flags(view.model().index(1, 2)) & Qt.ItemFlag.ItemIsEditable)

    quiet_messages.answers.append("补充附件")
    window.reopen()
    assert not session.readonly
    assert window.findChild(QPushButton, "indicators:add_row").isEnabled()
    assert window.findChild(QPushButton, "income:add_institution").isEnabled()
    assert window.findChild(QPushButton, "narrative.sections.basic_spending_text:generate").isEnabled()
    assert window.save_action.isEnabled()
    window.findings.select(0)
    assert window.findings.explain.isEnabled() and window.findings.save_button.isEnabled()


def test_a_stated_summary_row_can_be_given_up_for_the_computed_one(window):
    from PySide6.QtWidgets import QPushButton

    session = window.session
    button = window.findChild(QPushButton, "income:drop_stated_summary")
    window.go_to("income.0.total")
    assert button.isVisible()  # the sample carries the summary row as stated on paper
    model = window.view("income").model()
    assert "此格是导入的文件中填报的数" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(model.index(1, 1), "5373.74")
    assert any(f.rule == "summary.rows" for f in session.findings)
    button.click()
    assert session.report.data["summary"] is None
    assert not button.isVisible()
    assert not any(f.rule in ("summary.rows", "income.sum") for f in session.findings)
    session.undo_stack.undo()
    assert session.report.data["summary"] is not None


def test_what_is_typed_in_an_open_cell_is_stored_before_enter(window, qtbot, type_text, db_path):
    from models.store import Store

    view = window.view("income")
    window.go_to("income.0.carryover")
    type_text(view, "12.5")
    assert view.state() == QAbstractItemView.State.EditingState
    # the totals follow while typing, and the auto-save takes it
    assert window.session.report.data["income"][0]["carryover"] == Decimal("12.5")
    assert view.model().index(0, 2).data() == "12.5"
    report_id = window.session.report_id

    def saved():
        with Store(db_path) as store:
            return store.load(report_id).data["income"][0]["carryover"] == Decimal("12.5")

    qtbot.waitUntil(saved, timeout=1500)
    assert view.focusWidget().text() == "12.5"  # the editor kept every keystroke
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(10)
    window.undo_action.trigger()  # the whole typing is one undo step
    assert window.session.report.data["income"][0]["carryover"] is None


def test_escape_in_a_cell_puts_back_what_was_there(window, qtbot, type_text):
    view = window.view("income")
    window.go_to("income.0.public_budget")
    type_text(view, "77")
    assert window.session.report.data["income"][0]["public_budget"] == Decimal("77")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)
    assert view.state() != QAbstractItemView.State.EditingState
    assert window.session.report.data["income"][0]["public_budget"] == Decimal("3091.34")


def test_a_bad_value_in_a_cell_is_refused_and_the_cell_kept(window, qtbot, type_text, quiet_messages):
    view = window.view("income")
    window.go_to("income.0.public_budget")
    type_text(view, "12x")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(10)
    assert quiet_messages.last("error") == "「12x」不是有效的公共财政拨款：请只填写数字，可带单位「万元」，例如 5374.34。"
    assert window.session.report.data["income"][0]["public_budget"] == Decimal("3091.34")


def test_group_headings_stand_over_the_columns_they_cover(window):
    from ui.tables import GroupedHeader

    window.tabs.setCurrentWidget(window.pages[form.EXPENDITURE.tab])
    header = window.view("expenditure").horizontalHeader()
    assert isinstance(header, GroupedHeader)
    keys = [c.key for c in form.EXPENDITURE.columns]
    assert header.spans == [
        ("其中：", keys.index("basic") + 1, keys.index("project") + 1),
        ("其中：", keys.index("personnel") + 1, keys.index("public_use") + 1),
        ("结余", keys.index("balance_year") + 1, keys.index("balance_cum") + 1),
    ]
    assert header.levels == [0, 1, 0]
    assert header.depth() == 2 and header.depth(keys.index("personnel") + 1) == 2 and header.depth(1) == 0
    outer, inner, balance = (header.heading_rect(i) for i in range(3))
    assert outer.left() == header.sectionViewportPosition(keys.index("basic") + 1)
    assert inner.top() == outer.bottom() + 1 and balance.top() == 0
    assert header.height() >= 2 * header.band + 2 * header.fontMetrics().lineSpacing()
    for table in form.INSTITUTION_TABLES:  # tables without groups keep the plain header
        view_header = window.view(table.key).horizontalHeader()
        assert isinstance(view_header, GroupedHeader) == bool(table.groups)
        assert [h for h, _, _ in getattr(view_header, "spans", [])] == [h for h, _, _ in table.groups]


def test_an_edit_repaints_the_tables_it_changes_and_no_others(window):
    """收入合计 changes its table and the balance finding on 支出和结余;
    三公经费 and 固定资产 show nothing of it and are left alone."""
    repainted: list[str] = []
    for name in ("income", "expenditure", "three_public", "assets", "indicators"):
        window.view(name).model().dataChanged.connect(lambda *_args, name=name: repainted.append(name))
    before = window.session.finding_at("expenditure.0.balance_year")
    window.view("income").model().setData(window.view("income").model().index(1, 1), "5374.44")
    assert window.session.finding_at("expenditure.0.balance_year") != before
    assert sorted(set(repainted)) == ["expenditure", "income"]
    repainted.clear()
    window.session.set_text("basics.contact", "张三")  # a field: no table shows it or its findings
    assert repainted == []
    window.session.undo_stack.undo()  # the field's undo: its cell alone
    assert repainted == []
    # A change that names no cells (a paste, rows added, a snapshot undone): everything repaints.
    window.session.apply("联系人", lambda report: report.set_text("basics.contact", "李四"))
    assert {"income", "expenditure", "three_public", "assets", "indicators"} <= set(repainted)
