"""The window on a report of a form of another family (the Chongqing 部门整体绩效自评表):
its own tabs, fields and tables made from the template's parts, the values its rules
compute shown in blank cells, its findings, and back to the program's own form."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from models import template_registry as registry
from models.store import Store
from ui.dialogs import ReportsDialog
from ui.tables import COMPUTED_BG, ERROR_BG
from ui.window import window_tabs

TABS = ("基本信息", "预算执行与目标", "绩效指标")


@pytest.fixture
def chongqing(template_folder: Path):
    found = registry.find("chongqing-2023")
    assert found is not None and found.flat
    return found


@pytest.fixture
def flat(window, chongqing, quiet_messages, qtbot):
    """The window with a new blank report in the Chongqing form, made from the report list."""
    sample = window.session.report_id
    dialog = ReportsDialog(window.session, window)
    assert dialog.forms.isVisibleTo(dialog)
    names = [dialog.forms.itemText(i) for i in range(dialog.forms.count())]
    assert names[0] == "湖南省部门（单位）整体支出绩效自评报告（附件2-1）"  # the program's own, chosen
    assert dialog.forms.currentIndex() == 0
    dialog.forms.setCurrentIndex(names.index("重庆市部门整体绩效自评表"))
    dialog.new_blank()
    assert window.session.report_id != sample
    window.sample = sample
    window.activateWindow()  # keys go to the widget with the focus
    qtbot.waitUntil(window.isActiveWindow)
    return window


def tabs(window) -> tuple[str, ...]:
    return tuple(window.tabs.tabText(i) for i in range(window.tabs.count()))


def type_into_field(window, path: str, text: str, type_text) -> None:
    assert window.go_to(path), path
    field = window.field(path)
    field.selectAll()
    type_text(field, text)


def type_into_cell(window, path: str, text: str, type_text) -> None:
    assert window.go_to(path), path
    type_text(QApplication.focusWidget(), text)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # the editor closes in the event loop's next turn


def test_a_new_report_in_another_form_is_recorded_with_its_tabs_and_labels(flat, chongqing) -> None:
    session = flat.session
    assert session.report.flat and session.report.form == chongqing
    assert session.store.template(session.report_id) == chongqing.ref
    assert tabs(flat) == TABS  # no 评价报告, 自评表 or other tab of the program's own form
    flat.build_pages()
    labels = {label.text() for label in flat.findChildren(QLabel, "fieldLabel")}
    assert {"* 主管部门", "财政处室", "* 年度", "自评总分（分）", "* 部门联系人", "* 联系电话",
            "年初预算数", "执行率得分（分）", "年初绩效目标", "全年目标实际完成情况"} <= labels
    assert flat.field("goals.result").metaObject().className() == "_PlainEdit"  # a long text: many lines
    assert flat.field("budget.executed").alignment() & Qt.AlignmentFlag.AlignRight  # a figure
    model = flat.view("indicators").model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值",
                       "得分系数（%）", "指标权重（分）", "指标得分（分）", "是否核心指标"]
    # The table's columns keep the template's proportions (指标名称 5 : 计量单位 1.6) and its
    # labels two lines, at any font size.
    view = flat.view("indicators")
    flat.tabs.setCurrentIndex(TABS.index("绩效指标"))
    QApplication.processEvents()
    header = view.horizontalHeader()
    assert header.sectionSize(0) > 2.5 * header.sectionSize(1)
    before = header.minimumHeight()
    flat.apply_font_size(16)
    assert header.minimumHeight() > before and header.sectionSize(0) > 2.5 * header.sectionSize(1)
    flat.apply_font_size(11)
    assert not flat.findChild(QAction, "action_export_docx").isEnabled()
    assert flat.windowTitle() == "（未填写部门名称）（草稿）[*] — 重庆市部门整体绩效自评表 — 绩效自评填报"
    # The words the template suggests are offered as the clerk types.
    assert model.rowCount() == 0  # a new report has no rows yet
    flat.findChild(QPushButton, "indicators:add_row").click()
    editor = view.itemDelegate().createEditor(view.viewport(), None, model.index(0, 2))
    assert editor.completer().model().stringList() == ["定量指标", "定性指标"]
    editor.deleteLater()
    assert flat.findChild(QAction, "action_new").isEnabled()


def test_figures_typed_show_the_computed_scores_and_the_forms_findings(flat, type_text, db_path) -> None:
    session = flat.session
    type_into_field(flat, "cover.dept_name", "重庆市某区教委", type_text)
    type_into_field(flat, "budget.adjusted", "200", type_text)
    type_into_field(flat, "budget.executed", "190", type_text)
    assert flat.field("budget.rate").placeholderText() == "自动计算：95"
    assert flat.field("budget.score").placeholderText() == "自动计算：9.5"
    assert "执行率得分等于执行率乘以执行率权重（10 分）" in flat.field("budget.score").toolTip()
    view = flat.view("indicators")
    flat.findChild(QPushButton, "indicators:add_row").click()
    model = view.model()
    assert model.rowCount() == 1
    type_into_cell(flat, "indicators.0.name", "培训人次", type_text)
    # A block from a spreadsheet: 指标性质 … 指标权重 of the first row, pasted at 指标性质.
    view.setCurrentIndex(model.index(0, 2))
    QGuiApplication.clipboard().setText("定量指标\t\t100\t90\t100\t60\r\n")
    view.paste_clipboard()
    row = session.report.data["indicators"][0]
    assert (row["nature"], row["adjusted"], row["actual"], row["coefficient"], row["weight"]) == (
        "定量指标", "100", "90", Decimal("100"), Decimal("60"))
    score = model.index(0, 8)
    assert score.data() == "60" and model.is_computed(score)
    assert score.data(Qt.ItemDataRole.BackgroundRole).color() == COMPUTED_BG
    assert "指标得分等于得分系数乘以指标权重" in score.data(Qt.ItemDataRole.ToolTipRole)
    assert flat.field("cover.self_score").placeholderText() == "自动计算：69.5"
    found = [(f.severity, f.message) for f in session.findings]
    assert found == [
        ("error", "基本信息：「年度」必须填写。"),
        ("error", "基本信息：「部门联系人」必须填写。"),
        ("error", "基本信息：「联系电话」必须填写。"),
        ("error", "绩效指标：各指标权重合计 60 分，加执行率权重 10 分为 70 分，应为 100 分。"),
        ("warning", "绩效指标「1、培训人次」：全年完成值 90 未达到指标值 100，得分系数却为 100%。"
                    "请核对完成值，或按完成比例调低得分系数。"),
    ]
    weight = model.index(0, 7)
    assert weight.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    tree = flat.findings.tree
    assert [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())] == ["基本信息"] * 3 + ["绩效指标"] * 2
    # A score typed replaces the computed one; the findings follow.
    type_into_cell(flat, "indicators.0.weight", "90", type_text)
    type_into_cell(flat, "indicators.0.score", "80", type_text)
    assert not model.is_computed(score) and score.data() == "80"
    assert [f.rule for f in session.findings][3:] == ["indicator.score", "indicator.full"]
    assert session.findings[3].message == (
        "绩效指标「1、培训人次」：指标得分（分）填报 80，而 得分系数（%） 100 ÷ 100 × 指标权重（分） 90 = 90，"
        "相差 10（指标得分（分）少 10）。")
    # Undo: the score typed goes, the computed one shows again.
    flat.undo_action.trigger()
    assert session.report.data["indicators"][0]["score"] is None and score.data() == "90"
    assert flat.field("cover.self_score").placeholderText() == "自动计算：99.5"
    # The paste is one step: undo the weight, the name typed stays.
    flat.undo_action.trigger()
    flat.undo_action.trigger()
    assert session.report.data["indicators"][0]["nature"] is None
    assert session.report.data["indicators"][0]["name"] == "培训人次"
    flat.redo_action.trigger()
    assert session.flush()
    with Store(db_path) as fresh:
        saved = fresh.load(session.report_id)
    assert saved.flat and saved.dept_name == "重庆市某区教委"
    assert saved.data["indicators"][0]["weight"] == Decimal("60")
    assert saved.data["budget"]["executed"] == Decimal("190") and saved.data["budget"]["score"] is None


def test_a_finding_goes_to_its_cell_on_the_forms_tab(flat) -> None:
    session = flat.session
    session.apply("行", lambda r: r.insert_row("indicators"))
    session.set_text("indicators.0.coefficient", "120")
    flat.tabs.setCurrentIndex(0)
    rules = [f.rule for f in session.findings]
    flat.findings.activate(rules.index("indicator.coefficient"))
    assert flat.tabs.tabText(flat.tabs.currentIndex()) == "绩效指标"
    view = flat.view("indicators")
    assert view.currentIndex().data(Qt.ItemDataRole.UserRole) == "indicators.0.coefficient"
    assert session.findings[rules.index("indicator.coefficient")].message == (
        "绩效指标第 1 行：得分系数为 120%，应在 0 到 100% 之间。")
    # An error explained (出错说明) is kept in the report and no longer blocks 定稿.
    flat.findings.select(rules.index("indicator.coefficient"))
    flat.findings.explain.setPlainText("按上级批复的口径计算。")
    flat.findings.save_explanation()
    explained = next(f for f in session.findings if f.rule == "indicator.coefficient")
    assert explained.explanation == "按上级批复的口径计算。" and not explained.blocking


def test_switching_to_the_programs_form_and_back_keeps_every_edit(flat, type_text, db_path) -> None:
    flat_id = flat.session.report_id
    type_into_field(flat, "cover.contact", "王五", type_text)
    assert flat.session.dirty  # not saved yet: opening another report saves it first
    dialog = ReportsDialog(flat.session, flat)
    names = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert names == {str(flat.sample): "吉首市科工信局", str(flat_id): "（未填写部门名称）（重庆市部门整体绩效自评表）"}
    dialog.select_id(flat.sample)
    dialog.open_selected()
    assert flat.session.report_id == flat.sample and not flat.session.report.flat
    assert tabs(flat) == window_tabs()
    assert flat.field("basics.contact").text() == "陶毅"
    type_into_field(flat, "basics.contact", "张峰", type_text)
    with Store(db_path) as fresh:
        assert fresh.load(flat_id).data["cover"]["contact"] == "王五"
    dialog = ReportsDialog(flat.session, flat)
    dialog.select_id(flat_id)
    dialog.open_selected()
    assert tabs(flat) == TABS
    assert flat.field("cover.contact").text() == "王五"
    with Store(db_path) as fresh:
        assert fresh.load(flat.sample).data["basics"]["contact"] == "张峰"
    flat.findChild(QAction, "action_new").trigger()  # Ctrl+N: the program's own form again
    assert tabs(flat) == window_tabs() and not flat.session.report.flat


def test_the_menu_offers_a_new_report_in_each_other_form(window, chongqing, quiet_messages) -> None:
    window.list_forms()
    items = [a for a in window.new_form_menu.actions() if a.objectName().startswith("action_new:")]
    assert [a.text() for a in items] == ["重庆市部门整体绩效自评表"]
    items[0].trigger()
    session = window.session
    assert session.report.flat and session.store.template(session.report_id) == chongqing.ref
    assert tabs(window) == TABS and window.tabs.currentIndex() == 0
    assert quiet_messages.history == []


@pytest.mark.soak
def test_the_window_survives_a_few_hundred_edits_of_a_flat_report(flat, qtbot, db_path) -> None:
    from tests.ui.test_soak import Clerk

    flat.activateWindow()
    session = flat.session
    report_id = session.report_id
    session.apply("行", lambda r: [r.insert_row("indicators") for _ in range(3)])
    clerk = Clerk(flat)
    cycle = 0
    while clerk.changes < 300:
        cycle += 1
        n = cycle % 10
        clerk.type_into_field("cover.contact", "王五赵六"[n % 4] + "峰")
        clerk.type_into_field("budget.executed", f"9{n}.5")
        clerk.type_into_cell(f"indicators.{n % 3}.weight", f"{n}0")
        clerk.type_into_cell(f"indicators.{n % 3}.name", f"指标{n}")
        clerk.paste("indicators.0.initial", f"{n}\t{n + 1}\t{n + 2}\t{n}\n")
        clerk.type_into_field("goals.result", "完成")
        clerk.undo()
        clerk.redo()
        clerk.type_into_cell("indicators.1.score", str(n))
        clerk.undo()
    last = Decimal(f"{cycle}.75")
    clerk.type_into_cell("indicators.2.coefficient", str(last))
    qtbot.waitUntil(lambda: not session.dirty, timeout=5000)
    clerk.check()
    assert session.report.data["indicators"][2]["coefficient"] == last
    with Store(db_path) as fresh:
        assert fresh.load(report_id).data["indicators"][2]["coefficient"] == last
    assert clerk.saves >= 2


def test_any_form_of_records_and_row_tables_shows_in_its_own_tabs(window, chongqing, tmp_path, quiet_messages) -> None:
    """No tab, label or field of the window is written for one form: another family's
    template with a label renamed and a tab added shows as its file says."""
    from models import template as tpl

    text = (tpl.SHIPPED / "chongqing-2023.toml").read_text(encoding="utf-8")
    text = text.replace('id = "chongqing-2023"', 'id = "xinan-2023"').replace(
        'name = "重庆市部门整体绩效自评表"', 'name = "某省部门绩效自评表"').replace(
        'label = "财政处室"', 'label = "归口处室"')
    rules_at = text.index("# -----", text.index('key = "indicators"'))
    part = ('[[parts]]\nkey = "notes"\ntype = "record"\nlabel = "附注"\ntab = "附注"\n'
            'fields = [ { key = "remark", label = "其他需要说明的事项", kind = "longtext" } ]\n\n')
    path = tmp_path / "xinan.toml"
    path.write_text(text[:rules_at] + part + text[rules_at:], encoding="utf-8")
    other = registry.install(path)[0]
    window.list_forms()
    items = {a.text(): a for a in window.new_form_menu.actions()}
    assert list(items) == ["重庆市部门整体绩效自评表", "某省部门绩效自评表"]
    items["某省部门绩效自评表"].trigger()
    assert window.session.store.template(window.session.report_id) == other.ref
    assert tabs(window) == (*TABS, "附注")
    window.build_pages()
    labels = {label.text() for label in window.findChildren(QLabel, "fieldLabel")}
    assert {"归口处室", "其他需要说明的事项"} <= labels and "财政处室" not in labels
    window.session.set_text("notes.remark", "第一行\n第二行")
    assert window.field("notes.remark").toPlainText() == "第一行\n第二行"


def test_next_years_report_of_another_form_opens_in_that_form(flat, quiet_messages) -> None:
    session = flat.session
    for path, text in (("cover.dept_name", "重庆市某区教委"), ("cover.year", "2023"), ("cover.contact", "王五")):
        session.set_text(path, text)
    session.apply("行", lambda r: r.insert_row("indicators"))
    session.set_text("indicators.0.name", "培训人次")
    session.set_text("indicators.0.actual", "90")
    dialog = ReportsDialog(session, flat)
    dialog.select_id(session.report_id)
    dialog.carry_over()
    assert session.report.flat and (session.report.dept_name, session.report.year) == ("重庆市某区教委", 2024)
    assert tabs(flat) == TABS
    assert flat.field("cover.contact").text() == "王五"
    model = flat.view("indicators").model()
    assert (model.index(0, 0).data(), model.index(0, 5).data()) == ("培训人次", "")  # 全年完成值 is not carried
    assert quiet_messages.last("status").startswith("已由上年报告结转新建本年度报告。新报告使用表样模板 chongqing-2023")


def test_the_next_start_opens_the_last_report_in_its_own_form(flat, make_window) -> None:
    flat_id = flat.session.report_id
    flat.session.set_text("cover.dept_name", "重庆市某区教委")
    flat.close()
    again = make_window()
    assert again.session.report_id == flat_id and again.session.report.flat
    assert tabs(again) == TABS and again.field("cover.dept_name").text() == "重庆市某区教委"
    assert again.windowTitle().startswith("重庆市某区教委（草稿）")


def test_the_preview_of_another_forms_report_is_its_own_pdf(flat, quiet_messages) -> None:
    flat.session.set_text("cover.dept_name", "重庆市某区教委")
    flat.findChild(QAction, "action_preview").trigger()
    [dialog] = quiet_messages.dialogs
    assert dialog.objectName() == "print_preview" and not dialog.part.isVisibleTo(dialog)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(dialog.data)).pages)
    assert "重庆市某区教委" in text and "指标名称" in text


def test_changing_forms_with_every_tab_seen_asks_nothing_of_the_tables_gone(flat, qtbot) -> None:
    """The old form's tables may still be asked for their rows while their tabs go (a
    header resized as they are taken off the window): they answer for no report of theirs."""
    mine = flat.session.report_id
    flat.resize(1366, 768)
    for _ in range(2):
        for report in (flat.sample, mine):
            flat.session.open(report)
            for i in range(flat.tabs.count()):  # every tab made and shown, as a clerk looks through them
                flat.tabs.setCurrentIndex(i)
                qtbot.wait(5)
                flat.tabs.currentWidget().repaint()
    assert tabs(flat) == TABS and flat.session.report.flat
