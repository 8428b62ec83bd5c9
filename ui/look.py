"""The window's look — titles, notes, coloured fields — with palettes and fonts.

No style sheet is set on the window: Qt then draws every widget through its
style-sheet engine, which made the window's start slower by a third and each
repaint slower too. Sizes follow the application font (``QApplication.setFont``),
so a change of font size reaches every widget; the few larger or bolder texts
are set here and again by :func:`resize_texts` when the size changes.

Widgets keep their objectName and the ``finding`` / ``input`` properties, so
tests and accessibility tools find and read them as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

TITLE = QColor("#1f3a5f")
NOTE = QColor("#555555")
COUNT = QColor("#666666")
OK = QColor("#2e7d32")
BAD = QColor("#c62828")
FAILED = QColor("#b71c1c")
BANNER_BG, BANNER_FG = QColor("#fff4d6"), QColor("#6b4e00")
#: Backgrounds of a field: its finding, unreadable input, read-only.
FIELD = {
    "error": QColor("#fbd5d5"),
    "warning": QColor("#fff1c2"),
    "invalid": QColor("#ffe9e9"),
    "readonly": QColor("#f3f3f3"),
}
READONLY_TEXT = QColor("#444444")
#: Points above the application font of the larger texts, by objectName.
LARGER = {"sectionTitle": 2, "coverTitle": 6}


def _colour(widget: QWidget, role: QPalette.ColorRole, colour: QColor | None) -> None:
    """Set (or with None, give back to the parent) one colour of a widget's palette."""
    palette = widget.palette()
    if colour is None:
        parent = widget.parentWidget()
        colour = (parent.palette() if parent is not None else QApplication.palette()).color(role)
    if palette.color(role) != colour:
        palette.setColor(role, colour)
        widget.setPalette(palette)


def text_colour(widget: QWidget, colour: QColor | None) -> None:
    _colour(widget, QPalette.ColorRole.WindowText, colour)


def _font(widget: QWidget, *, bold: bool | None = None, larger: int = 0) -> None:
    font = QFont()  # only what is set here is the widget's own; the rest follows the parent
    if bold is not None:
        font.setBold(bold)
    if larger:
        font.setPointSize(QApplication.font().pointSize() + larger)
    widget.setFont(font)


def label(widget: QLabel, name: str) -> QLabel:
    """Name a label and give it the look its name stands for."""
    widget.setObjectName(name)
    if name in LARGER:
        _font(widget, bold=True, larger=LARGER[name])
        text_colour(widget, TITLE)
    elif name == "note":
        text_colour(widget, NOTE)
    elif name == "charCount":
        text_colour(widget, COUNT)
    elif name == "finalBanner":
        widget.setAutoFillBackground(True)
        _colour(widget, QPalette.ColorRole.Window, BANNER_BG)
        text_colour(widget, BANNER_FG)
        widget.setContentsMargins(12, 6, 12, 6)
    return widget


def resize_texts(top: QWidget) -> None:
    """After a change of the application's font size: the larger titles follow it."""
    for widget in top.findChildren(QLabel):
        larger = LARGER.get(widget.objectName())
        if larger:
            _font(widget, bold=True, larger=larger)


def verdict(widget: QLabel, state: str) -> None:
    """A figure that agrees (green) or not (red, bold)."""
    text_colour(widget, BAD if state == "error" else OK)
    _font(widget, bold=state == "error")


def warn(widget: QLabel, bad: bool) -> None:
    text_colour(widget, BAD if bad else None)


def failed(widget: QLabel, failed: bool) -> None:
    """The save state in the status bar: red and bold while changes cannot be saved
    (readable as the ``failed`` property)."""
    widget.setProperty("failed", failed)
    text_colour(widget, FAILED if failed else None)
    _font(widget, bold=failed)


def _plain_child(child: QWidget) -> None:
    _font(child, bold=False)
    if not child.testAttribute(Qt.WidgetAttribute.WA_SetPalette):  # notes keep their grey
        text_colour(child, QApplication.palette().color(QPalette.ColorRole.WindowText))


class _PlainChildren(QObject):
    """Keeps a section box's children in the plain font and colour: only its title is bold."""

    def eventFilter(self, box: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ChildAdded:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QWidget):
                _plain_child(child)
        return False


_plain = _PlainChildren()


def section(box: QGroupBox) -> QGroupBox:
    """A table's box: its title bold in the title colour."""
    box.setObjectName("tableSection")
    _font(box, bold=True)
    text_colour(box, TITLE)
    box.installEventFilter(_plain)
    for child in box.findChildren(QWidget):
        if child.parentWidget() is box:
            _plain_child(child)
    return box


def field(widget: QLineEdit | QPlainTextEdit) -> None:
    """A field's background from its state: unreadable input (the ``input`` property),
    then its finding (the ``finding`` property); a read-only field is grey."""
    invalid = widget.property("input") == "invalid"
    state = "invalid" if invalid else str(widget.property("finding") or "")
    readonly = widget.isReadOnly()
    colour = FIELD.get(state) or (FIELD["readonly"] if readonly else None)
    _colour(widget, QPalette.ColorRole.Base, colour)
    _colour(widget, QPalette.ColorRole.Text, READONLY_TEXT if readonly and not state else None)
    # Unreadable input also gets a red frame, the one style sheet: on this field, while it lasts.
    frame = "QLineEdit { border: 2px solid #c62828; }" if invalid and isinstance(widget, QLineEdit) else ""
    if widget.styleSheet() != frame:
        widget.setStyleSheet(frame)


def table_colours(view: QWidget) -> None:
    """Tables: light blue selection with black text, grey-blue grid and headers."""
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#cfe3ff"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#e4e9f0"))
    palette.setColor(QPalette.ColorRole.Mid, QColor("#b8c0cc"))
    view.setPalette(palette)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """``width`` × ``height`` or less: what the screen has room for, taskbar and frame
    left out, placed in the middle of that room."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    frame = 40  # a title bar and borders, which the geometry does not include
    w, h = min(width, room.width() - 16), min(height, room.height() - frame)
    widget.resize(w, h)
    widget.move(room.x() + (room.width() - w) // 2, room.y() + max(0, (room.height() - h - frame) // 2))
