"""The window at 1366 × 768, the common office screen: the findings panel, the print
preview, the 定性目标 rows, the sample's banner and how amounts show."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt

from models import interchange
from ui import printing
from ui import session as ops
from ui.fields import LongTextField
from ui.window import SAMPLE_TEXT

from .test_printing import needs_qtpdf


def office_screen(window, qtbot) -> None:
    window.resize(1366, 768 - 40)  # less a taskbar
    qtbot.wait(20)


def wrapped_height(widget, text: str, width: int) -> int:
    return widget.fontMetrics().boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text).height()


def test_a_finding_shows_its_whole_message_wrapped(window, qtbot):
    office_screen(window, qtbot)
    tree = window.findings.tree
    item = tree.topLevelItem(0)
    message = item.text(2)
    assert "相差 0.60（收入合计多 0.60）" in message
    rect = tree.visualItemRect(item)
    width = tree.header().sectionSize(2) - 8
    needed = wrapped_height(tree, message, width)
    assert needed > tree.fontMetrics().lineSpacing()  # it takes more than a line …
    assert rect.height() >= needed  # … and its row has room for all of them


def test_the_findings_panel_can_grow(window, qtbot):
    office_screen(window, qtbot)
    start = window.dock.height()
    assert start >= 170
    window.resizeDocks([window.dock], [500], Qt.Orientation.Vertical)  # as the clerk drags its edge
    qtbot.wait(20)
    assert window.dock.height() >= max(300, start + 100)
    window.resizeDocks([window.dock], [150], Qt.Orientation.Vertical)
    qtbot.wait(20)
    assert window.dock.height() <= 170


def test_the_first_window_fits_the_screen_it_opens_on(window):
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height() - 40


@needs_qtpdf
def test_the_print_preview_fits_the_screen(window, quiet_messages):
    dialog = printing.preview(window.session.report, window)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() - 40  # a title bar above it
    assert dialog.width() <= room.width()
    assert room.contains(dialog.geometry().topLeft())
    assert dialog.height() >= min(room.height() - 40, 700)  # as tall as there is room for
    dialog.close()


def test_qualitative_rows_show_their_whole_text(window, qtbot):
    office_screen(window, qtbot)
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.pages["三、定性目标"]))
    qtbot.wait(50)
    view = window.view("qualitative")
    text = window.session.report.data["qualitative"][0]["expected"]
    needed = wrapped_height(view, text, view.columnWidth(0) - 8)
    assert needed > view.fontMetrics().lineSpacing() * 3
    assert view.rowHeight(0) >= needed
    # a text longer than the table can show is whole in its tooltip and the box below it
    long = window.session.report.data["qualitative"][0]["actual"]
    tip = view.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert long[:200] in tip
    view.setCurrentIndex(view.model().index(0, 1))
    detail = window.pages["三、定性目标"].findChild(LongTextField, "qualitative:detail")
    assert detail.edit.toPlainText() == long


def test_the_sample_says_what_it_is_and_offers_a_report_of_ones_own(window, make_window, qtbot):
    banner = window.sample_banner
    assert banner.isVisible() and banner.text.text() == SAMPLE_TEXT
    sample = window.session.report_id
    banner.new_report.click()
    assert window.session.report_id != sample
    assert window.session.report.dept_name == ""
    assert not banner.isVisible()
    window.session.open(sample)
    assert banner.isVisible()
    banner.dismiss.click()
    assert not banner.isVisible()
    window.close()
    again = make_window()
    again.session.open(sample)
    assert not again.sample_banner.isVisible()


def test_no_banner_on_the_clerks_own_report(window, sample):
    own = ops.import_new(window.session, sample, "导入自 吉首.json")
    assert window.session.report_id == own
    assert not window.sample_banner.isVisible()


def test_amounts_as_typed_or_with_two_decimals(window, tmp_path, quiet_messages):
    model = window.view("income").model()
    three = window.view("three_public").model()
    assert model.index(1, 1).data() == "5374.34"
    assert three.index(1, 1).data() == "0.4"
    window.amount_actions["fixed"].trigger()
    assert model.index(1, 1).data() == "5,374.34"
    assert three.index(1, 1).data() == "0.40"
    assert three.index(1, 3).data() == "0.00"
    assert model.index(1, 1).data(Qt.ItemDataRole.EditRole) == "5374.34"  # what is edited stays as typed
    assert model.index(1, 2).data() == ""  # blank stays blank
    data = printing.render(window.session.report, window, "A")
    from tests.reports.test_pdf import read, text_of

    body = text_of(read(data))
    assert "5,374.34" in body and "0.40" in body
    window.amount_actions["typed"].trigger()
    assert model.index(1, 1).data() == "5374.34"
    assert window.settings.value("view/amounts") == "typed"
    assert interchange.fingerprint(window.session.report) == window.fingerprint_label.text().split()[-1]


@needs_qtpdf
def test_the_preview_prints_on_both_sides_when_asked_and_remembers_it(window, make_window, quiet_messages):
    from reports.pdf import MARGIN_LEFT, MARGIN_RIGHT
    from tests.pdftext import lines

    dialog = printing.preview(window.session.report, window)
    assert not dialog.duplex.isChecked()
    dialog.duplex.setChecked(True)
    assert window.settings.value("print/duplex") == "true"
    left = {p: min(line.x for line in lines(dialog.data) if line.page == p) for p in (2, 3)}
    assert round(left[2], 1) == round(MARGIN_RIGHT, 1) and round(left[3], 1) == round(MARGIN_LEFT, 1)
    dialog.close()
    window.close()
    again = make_window()
    assert printing.chosen_options().duplex
    dialog = printing.preview(again.session.report, again)
    assert dialog.duplex.isChecked()
    dialog.duplex.setChecked(False)
    dialog.close()
