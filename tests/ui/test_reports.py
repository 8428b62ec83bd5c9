"""Point 2: the report list, new/carry-over/duplicate, recycle bin, history, final."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from models.store import Store
from ui import session as ops
from ui.dialogs import HistoryDialog, ReportsDialog, difference_lines


def _column(dialog, c):
    return [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())]


def test_the_list_shows_department_year_status_and_last_saved(window):
    dialog = ReportsDialog(window.session, window)
    assert dialog.table.horizontalHeaderItem(1).text() == "部门（单位）"
    assert _column(dialog, 1) == ["吉首市科工信局"]
    assert _column(dialog, 2) == ["2023"]
    assert _column(dialog, 3) == ["草稿（当前打开）"]
    assert len(_column(dialog, 4)[0]) == 16  # 2026-11-28 12:03


def test_new_blank_report_and_open_another(window, qtbot):
    first = window.session.report_id
    dialog = ReportsDialog(window.session, window)
    dialog.new_blank()
    assert window.session.report_id != first
    assert window.windowTitle().startswith("（未填写部门名称）（草稿）")
    assert window.field("cover.dept_name").text() == ""
    assert window.view("indicators").model().rowCount() == 0
    assert window.findings.counts()[0] >= 4  # the required fields
    dialog = ReportsDialog(window.session, window)
    dialog.select_id(first)
    dialog.open_selected()
    assert window.session.report_id == first
    assert window.field("cover.dept_name").text() == "吉首市科工信局"
    assert not window.session.undo_stack.canUndo()


def test_carry_over_from_last_year(window):
    first = window.session.report_id
    dialog = ReportsDialog(window.session, window)
    dialog.select_id(first)
    dialog.carry_over()
    report = window.session.report
    assert window.session.report_id != first
    assert report.year == 2024
    assert report.dept_name == "吉首市科工信局"
    assert report.data["income"][0]["total"] is None
    assert window.field("cover.year").text() == "2024"
    assert window.windowTitle().startswith("吉首市科工信局 2024年度（草稿）")


def test_duplicate_recycle_bin_and_restore(window, db_path, quiet_messages):
    first = window.session.report_id
    dialog = ReportsDialog(window.session, window)
    dialog.select_id(first)
    dialog.duplicate()
    copy_id = window.session.report_id
    assert copy_id != first
    assert window.session.report == Store(db_path).load(first)
    dialog = ReportsDialog(window.session, window)
    assert dialog.table.rowCount() == 2
    dialog.select_id(copy_id)
    quiet_messages.answers.append(True)  # 移到回收站？
    dialog.delete()  # the open report goes: another one opens
    assert window.session.report_id == first
    assert dialog.table.rowCount() == 1
    dialog.bin.setChecked(True)
    assert _column(dialog, 0) == [str(copy_id)]
    assert not dialog.buttons["open"].isEnabled()
    dialog.select_id(copy_id)
    dialog.undelete()
    assert dialog.table.rowCount() == 0
    dialog.bin.setChecked(False)
    assert dialog.table.rowCount() == 2


def test_deleting_the_last_report_leaves_a_blank_one(window, db_path):
    ops.delete(window.session, window.session.report_id)
    with Store(db_path) as store:
        assert len(store.listing()) == 1
        assert len(store.listing(deleted=True)) == 1
    assert window.session.report.dept_name == ""


def test_history_shows_differences_and_restores(window, qtbot, quiet_messages):
    session = window.session
    session.set_text("basics.contact", "钱七")
    session.save("manual")
    dialog = HistoryDialog(session, window)
    assert _column(dialog, 2) == ["保存", "导入"]
    assert _column(dialog, 0) == ["版本 2", "版本 1"]  # the report's own numbers
    dialog.table.selectRow(1)
    assert dialog.diff.toPlainText() == "一、基本概况 · 联系人：这个版本为「陶毅」，现在为「钱七」"
    quiet_messages.answers.append(True)  # 把报告恢复到版本 1？
    dialog.restore()
    assert session.report.data["basics"]["contact"] == "陶毅"
    assert window.field("basics.contact").text() == "陶毅"
    kinds = [r.kind for r in session.store.revisions(session.report_id)]
    assert kinds == ["restore", "manual", "import"]
    assert session.store.revisions(session.report_id)[0].note == "恢复自版本 1"


def test_history_shows_events_with_their_reasons_among_the_versions(window, quiet_messages):
    """定稿, 重新打开 with its reason, an export: all in the 历史版本, in time order."""
    session = window.session
    for finding in [f for f in session.findings if f.severity == "error"]:
        session.apply("出错说明", lambda r, f=finding: r.explain(f.rule, f.cells, "原表如此。"))
    window.mark_final()
    quiet_messages.answers.append("财政局退回修改")
    window.reopen()
    session.issued("导出 PDF")
    session.set_text("basics.contact", "钱七")
    session.save("manual")
    dialog = HistoryDialog(session, window)
    rows = [[dialog.table.item(r, c).text() for c in (0, 2, 3)] for r in range(dialog.table.rowCount())]
    fingerprint = session.store.revisions(session.report_id)[1].fingerprint
    assert rows == [
        ["版本 3", "保存", ""],
        ["—", "打印/导出", f"导出 PDF（数据指纹 {fingerprint}）"],
        ["—", "重新打开", "财政局退回修改"],
        ["—", "定稿", ""],
        ["版本 2", "保存", ""],
        ["版本 1", "导入", "随程序附带的样例报告"],
    ]
    dialog.table.selectRow(2)
    assert "重新打开\n财政局退回修改" in dialog.diff.toPlainText()
    assert not dialog.restore_button.isEnabled()  # an event is not a version to restore
    dialog.table.selectRow(4)
    assert dialog.restore_button.isEnabled()


def test_a_final_report_goes_to_the_recycle_bin_only_with_a_reason(window, quiet_messages):
    session = window.session
    for finding in [f for f in session.findings if f.severity == "error"]:
        session.apply("出错说明", lambda r, f=finding: r.explain(f.rule, f.cells, "原表如此。"))
    window.mark_final()
    report_id = session.report_id
    quiet_messages.answers.append("")  # no reason: nothing happens
    window.delete_current()
    question = quiet_messages.history[-2][1]
    assert question.startswith("报告「吉首市科工信局 2023年度（编号 1）」已定稿。定稿的报告移到回收站须说明原因")
    assert quiet_messages.last("error") == "没有说明原因：报告没有移到回收站。"
    assert session.store.info(report_id).deleted_at is None
    quiet_messages.answers.append("重复录入，以报告 2 为准")
    window.delete_current()
    assert session.store.info(report_id).deleted_at is not None
    event = session.store.events(report_id)[-1]
    assert (event.label, event.reason) == ("移入回收站", "重复录入，以报告 2 为准")


def test_differences_name_table_rows():
    from models.report import Report

    a, b = Report(), Report()
    b.set_text("income.0.total", "5")
    assert difference_lines(a, b) == ["二、收入 · 第 1 行 收入合计：这个版本为「（空）」，现在为「5」"]


def test_marking_final_is_refused_while_errors_are_unexplained(window, quiet_messages):
    window.findChild(type(window.undo_action), "action_final").trigger()
    assert quiet_messages.last("error").startswith("还有 3 项错误未改正也未说明，不能定稿：")
    assert not window.session.readonly


def test_final_makes_the_report_read_only_until_reopened_with_a_reason(window, quiet_messages):
    session = window.session
    for finding in [f for f in session.findings if f.severity == "error"]:
        session.apply("出错说明", lambda r, f=finding: r.explain(f.rule, f.cells, "原表如此。"))
    window.mark_final()
    assert session.readonly
    assert quiet_messages.last("info") == "报告已定稿。定稿后只能查看；如需修改请「重新打开」并说明原因。"
    assert "（定稿）" in window.windowTitle()
    assert window.banner.isVisible()
    assert window.field("basics.contact").isReadOnly()
    model = window.view("income").model()
    assert model.setData(model.index(1, 2), "1") is False
    assert session.report.data["income"][0]["carryover"] is None
    # reopening needs a reason, which is kept
    quiet_messages.answers.append("")
    window.reopen()
    assert quiet_messages.last("error") == "重新打开已定稿的报告必须说明原因。"
    assert session.readonly
    quiet_messages.answers.append("财政局退回修改")
    window.reopen()
    assert not session.readonly
    assert not window.banner.isVisible()
    assert not window.field("basics.contact").isReadOnly()
    assert session.store.events(session.report_id)[-1].reason == "财政局退回修改"
    assert model.setData(model.index(1, 2), "1")


def test_reports_dialog_runs_modal_without_errors(window, qtbot, quiet_messages):
    from PySide6.QtCore import QTimer

    closed: list[str] = []

    def close_modal() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            closed.append(dialog.windowTitle())
            dialog.reject()

    QTimer.singleShot(50, close_modal)
    window.show_reports()
    QTimer.singleShot(50, close_modal)
    window.show_history()
    assert closed == ["报告列表", "历史版本"]  # each ran modal, and closed
    assert [text for level, text in quiet_messages.history if level == "error"] == []


def test_print_makes_a_pdf_and_export_a_data_file(window, tmp_path, quiet_messages):
    from models import interchange

    pdf = tmp_path / "报告.pdf"
    quiet_messages.answers.append(str(pdf))
    window.export(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert quiet_messages.last("status") == f"已生成「{pdf}」。"
    data = tmp_path / "报告.json"
    quiet_messages.answers.append(str(data))
    window.export(None)
    assert interchange.read(data) == window.session.report
    quiet_messages.answers.append(str(tmp_path / "报告.txt"))
    window.export(None)
    assert quiet_messages.last("error").startswith("无法生成「报告.txt」：不支持扩展名「.txt」。")
