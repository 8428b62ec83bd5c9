"""Points 1, 3, 7 and 8: the window opens on the sample, tabs in paper order,
every field by its key path, the shipped font and the font-size setting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableView

from models import form
from models.form import Record, Rows, Value
from models.store import Store


def test_first_start_shows_the_sample_report(window, db_path):
    assert window.windowTitle().startswith("吉首市科工信局 2023年度（草稿）")
    assert "绩效自评填报" in window.windowTitle()
    with Store(db_path) as store:
        [info] = store.listing()
    assert info.dept_name == "吉首市科工信局"
    assert window.session.report_id == info.id
    cell = window.view("income").model().index(1, 1)
    assert cell.data() == "5374.34"
    assert window.field("cover.dept_name").text() == "吉首市科工信局"


def test_tabs_follow_the_paper(window):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == [*form.TABS, form.NARRATIVE.tab, form.SCORING.tab]
    assert names[:2] == ["封面", "一、基本概况"]


def _value_paths():
    for record in (form.COVER, form.BASICS, form.SCORE, form.SIGNATURES):
        for node in record.children:
            if isinstance(node, Value):
                yield f"{record.key}.{node.key}", node


def test_every_field_of_part_a_has_a_widget_named_by_its_path(window):
    for path, node in _value_paths():
        widget = window.field(path)
        if node.kind == "longtext":
            assert isinstance(widget, QPlainTextEdit), path
        else:
            assert isinstance(widget, QLineEdit), path
    assert isinstance(window.field("score.bands"), QLineEdit)


def test_every_table_is_a_view_named_by_its_key_and_cells_know_their_path(window):
    tables = {t.key: t for t in form.INSTITUTION_TABLES}
    for key, table in tables.items():
        view = window.view(key)
        assert isinstance(view, QTableView)
        model = view.model()
        assert model.index(0, 1).data(Qt.ItemDataRole.UserRole) == f"{key}.summary.{table.columns[0].key}"
        for c, column in enumerate(table.columns, 1):
            assert model.index(1, c).data(Qt.ItemDataRole.UserRole) == f"{key}.0.{column.key}"
            assert model.headerData(c, Qt.Orientation.Horizontal) == column.label
    for path, rows in (("qualitative", form.QUALITATIVE), ("indicators", form.INDICATORS),
                       ("score_items", form.SCORE_ITEMS), ("signatures.evaluators", form.EVALUATORS)):
        model = window.view(path).model()
        assert model.rowCount() == len(window.session.report.rows(path))
        for c, column in enumerate(rows.form_columns):
            assert model.index(0, c).data(Qt.ItemDataRole.UserRole) == f"{path}.0.{column.key}"
    assert window.view("indicators").model().index(3, 4).data(Qt.ItemDataRole.UserRole) == "indicators.3.actual"


def test_tabs_hold_the_nodes_the_form_assigns_them(window):
    for tab in form.TABS:
        page = window.pages[tab]
        for node in form.REPORT.children:
            if getattr(node, "tab", None) != tab:
                continue
            if isinstance(node, Record):
                for child in node.children:
                    if isinstance(child, Value):
                        assert f"{node.key}.{child.key}" in page.fields
                    elif isinstance(child, Rows):
                        assert f"{node.key}.{child.key}" in page.views
            else:
                assert node.key in page.views


def test_long_texts_are_multi_line_with_a_character_count(window, qtbot):
    edit = window.field("basics.duties")
    box = edit.parent()
    text = window.session.report.data["basics"]["duties"]
    assert edit.toPlainText() == text
    assert box.count.text() == f"{len(text.replace(chr(10), ''))} 字"
    edit.setPlainText("一二三\n四五")
    assert box.count.text() == "5 字"
    assert window.session.report.data["basics"]["duties"] == "一二三\n四五"


def test_typing_in_a_field_stores_it(window, type_text):
    field = window.field("basics.contact")
    field.setFocus()
    field.selectAll()
    type_text(field, "李四")
    assert window.session.report.data["basics"]["contact"] == "李四"
    assert window.windowTitle().endswith("— 绩效自评填报")


def test_a_bad_number_in_a_field_is_refused_with_the_message(window, type_text, quiet_messages):
    field = window.field("basics.staff_quota")
    field.setFocus()
    field.selectAll()
    type_text(field, "二十")
    assert window.session.report.data["basics"]["staff_quota"] == 23
    assert field.property("input") == "invalid"
    field.editingFinished.emit()
    assert quiet_messages.last("error") == "「二十」不是有效的人员编制：请填写整数。"
    assert field.text() == "23"


def test_a_spoofing_character_in_a_name_is_refused_at_entry(window, quiet_messages):
    from PySide6.QtGui import QGuiApplication

    field = window.field("cover.dept_name")
    field.setFocus()
    QGuiApplication.clipboard().setText("吉首市\u202e局信工科")  # from a web page
    field.selectAll()
    field.paste()
    assert window.session.report.dept_name == "吉首市科工信局"
    assert field.property("input") == "invalid"
    field.editingFinished.emit()
    assert quiet_messages.last("error").startswith(
        "部门（单位）名称（盖章）中有看不见的字符 U+202E（从右向左覆盖，会让文字显示得与实际内容不同），不能接受。")
    assert field.text() == "吉首市科工信局"


def test_defaults_show_as_placeholders(window):
    window.field("cover.eval_method").setText("")
    window.session.set_text("cover.eval_method", "")
    assert window.field("cover.eval_method").placeholderText() == "默认：吉首市科工信局绩效自评"


def test_the_shipped_font_is_the_application_font(window):
    from ui.app import FONT_FILE

    assert FONT_FILE.exists() and FONT_FILE.stat().st_size < 10 * 1024 * 1024
    assert (FONT_FILE.parent / "README.md").exists()
    assert QFontInfo(QApplication.font()).family() == "WenQuanYi Micro Hei"


def test_font_size_setting_changes_and_is_remembered(window, make_window):
    from ui.window import DEFAULT_POINT_SIZE

    assert QApplication.font().pointSize() == DEFAULT_POINT_SIZE
    window.findChild(type(window.undo_action), "action_font_bigger").trigger()
    window.findChild(type(window.undo_action), "action_font_bigger").trigger()
    assert QApplication.font().pointSize() == DEFAULT_POINT_SIZE + 2
    window.close()
    again = make_window()
    assert QApplication.font().pointSize() == DEFAULT_POINT_SIZE + 2
    again.apply_font_size(DEFAULT_POINT_SIZE)


def test_geometry_and_last_report_are_remembered(window, make_window):
    from ui import session as ops

    first = window.session.report_id
    window.resize(760, 580)
    ops.new_blank(window.session)
    second = window.session.report_id
    assert second != first
    window.close()
    again = make_window()
    assert again.session.report_id == second
    assert (again.width(), again.height()) == (760, 580)


def test_main_py_opens_the_window(qtbot, db_path, settings_path, monkeypatch):
    from PySide6.QtCore import QTimer

    import main

    monkeypatch.setenv("ZIPING_SETTINGS", str(settings_path))
    seen = []

    def look_and_close():
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()]
        seen.extend(w.windowTitle() for w in windows)
        for w in windows:
            w.close()

    QTimer.singleShot(300, look_and_close)
    assert main.main(["--db", str(db_path)]) == 0
    assert seen and seen[0].startswith("吉首市科工信局 2023年度（草稿）")
    assert settings_path.exists()


def test_qt_dialog_words_are_chinese(window):
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"


def test_undo_menu_names_the_field(window):
    window.session.set_text("basics.contact", "某某")
    assert window.undo_action.text() == "撤销 填写「联系人」"


def test_an_unexpected_error_is_logged_and_told(tmp_path, quiet_messages):
    from ui.app import report_bug

    log = tmp_path / "ziping.log"
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report_bug(type(exc), exc, exc.__traceback__, log)
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert quiet_messages.last("error") == (
        f"程序内部错误，刚才的操作可能没有完成；已填写的内容仍会自动保存。详细信息已写入 {log}，请把这个文件发给技术支持。"
    )


def test_forms_fit_1366_by_768_without_horizontal_scrolling(window, qtbot):
    """Every table and page the clerk can see, on every tab and sub-tab (Qt lays out
    a hidden table when it is shown)."""
    from PySide6.QtWidgets import QAbstractScrollArea, QTabWidget

    from ui.tables import SheetView

    window.resize(1366, 768)
    assert window.width() == 1366
    for size in (11, 16):
        window.apply_font_size(size)
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            qtbot.wait(5)
            page = window.tabs.currentWidget()
            assert page.width() <= 1366
            parts = page.findChildren(QTabWidget)
            checked = set()
            for j in range(max(1, *(p.count() for p in parts)) if parts else 1):
                for sub in parts:
                    sub.setCurrentIndex(min(j, sub.count() - 1))
                qtbot.wait(5)
                for area in page.findChildren(QAbstractScrollArea):
                    if area.isVisible():
                        assert not area.horizontalScrollBar().isVisible(), (window.tabs.tabText(i), size)
                for view in page.findChildren(SheetView):
                    if view.isVisible():
                        header = view.horizontalHeader()
                        used = sum(header.sectionSize(c) for c in range(header.count()))
                        assert used <= view.viewport().width() + 1, (view.objectName(), size)
                        checked.add(view.objectName())
            assert checked == {view.objectName() for view in page.findChildren(SheetView)}
    window.apply_font_size(11)


def test_a_broken_database_offers_a_copy_of_the_latest_backup(qtbot, tmp_path, sample, monkeypatch) -> None:
    from models.errors import StoreError
    from models.store import Store
    from ui import app, messages

    db = tmp_path / "reports.sqlite3"
    with Store(db) as store:
        store.create(sample)
        backup = store.backup_if_due()
    assert backup is not None
    db.write_bytes(b"broken" * 1000)
    for extra in tmp_path.glob(db.name + "-*"):
        extra.unlink()
    monkeypatch.setenv("ZIPING_SETTINGS", str(tmp_path / "settings.ini"))
    try:
        Store(db)
    except StoreError as exc:
        error = exc
    messages.answers.append(False)
    assert app.open_backup_instead(db, error) is None
    assert db.read_bytes() == b"broken" * 1000
    messages.answers.append(True)
    window = app.open_backup_instead(db, error)
    qtbot.addWidget(window)
    assert window.session.report.dept_name == "吉首市科工信局"
    copies = list(tmp_path.glob("reports-由备份恢复-*.sqlite3"))
    assert len(copies) == 1
    assert messages.history[-1] == ("info", f"已打开备份的副本「{copies[0]}」。以后启动时请用 --db 指定它，或把它改名为原文件名。")
    assert db.read_bytes() == b"broken" * 1000, "the damaged file is left for support"


def test_the_first_tab_is_made_at_once_and_the_others_just_after(qtbot, db_path, settings_path) -> None:
    from PySide6.QtCore import Qt

    from ui.app import create_main_window

    window = create_main_window(db_path, settings_path)
    qtbot.addWidget(window)
    assert [tab for tab, page in window.pages.items() if page.built] == [window.tabs.tabText(0)]
    # An edit before a page is made shows on it when it is: it reads the report as it is then.
    window.session.set_text("expenditure.0.personnel", "1.50")
    assert window.go_to("expenditure.0.personnel")  # made when needed, before any event
    page = window.pages["支出和结余"]
    assert page.built and window.tabs.currentWidget() is page
    view = page.views["expenditure"]
    assert view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "1.50"
    window.show()
    qtbot.waitUntil(window.pages_built)
    assert window.field("basics.contact").text() == "陶毅"
