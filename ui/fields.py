"""Field widgets for the values of a Record (封面, 基本概况, 评分, 意见).

Each widget's objectName is its key path (``cover.dept_name``). What is typed
goes to the report at every keystroke (consecutive keystrokes in one field
merge into one undo step), so nothing typed waits for the field to lose focus
before it can be saved. Text that cannot be read yet (``12.`` on the way to
``12.5``) marks the field; leaving the field with it says why and shows the
stored value again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.document import format_value, parse_value
from models.errors import ZipingError
from models.form import Value
from ui import look, messages
from ui.session import Session
from ui.tables import finding_tooltip


def _is_undo_key(event: Any) -> bool:
    return bool(
        event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
    )


class _Editing(QObject):
    """Follows the report's status for :func:`editing_only`; a child of the first widget,
    so that it goes, and stops listening, with its page."""

    def __init__(self, session: Session, widgets: tuple[QWidget, ...]) -> None:
        super().__init__(widgets[0])
        self.session = session
        self.widgets = widgets
        session.opened.connect(self.follow)
        self.follow()

    def follow(self) -> None:
        for widget in self.widgets:
            widget.setEnabled(not self.session.readonly)


def editing_only(session: Session, *widgets: QWidget) -> None:
    """Controls that change the report: disabled while it is final (定稿), so a clerk
    is not offered what would only be refused, and enabled again when it is reopened."""
    if widgets:
        _Editing(session, widgets)


def set_finding_state(widget: QWidget, findings: list[Any], base_tip: str) -> None:
    state = ""
    if any(f.severity == "error" for f in findings):
        state = "error"
    elif findings:
        state = "warning"
    if (widget.property("finding") or "") != state:
        widget.setProperty("finding", state)
        look.field(widget)  # type: ignore[arg-type]
    tip = finding_tooltip(findings) if findings else ""
    full = "\n".join(t for t in (base_tip, tip) if t)
    if widget.toolTip() != full:
        widget.setToolTip(full)


class WindowUndo:
    """Undo and redo belong to the window, so they work across all fields: an editor
    with this mixin lets Ctrl+Z / Ctrl+Y pass up instead of undoing on its own."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_key(event):
            event.ignore()
            return False
        return super().event(event)  # type: ignore[misc]

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if _is_undo_key(event):
            event.ignore()
            return
        super().keyPressEvent(event)  # type: ignore[misc]


class LineField(WindowUndo, QLineEdit):
    """One line: text, integer, figure or year-month."""

    def __init__(self, session: Session, path: str, node: Value, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.path = path
        self.node = node
        self.invalid: str | None = None
        self._busy = False
        self.setObjectName(path)
        self.setAccessibleName(node.label)
        if node.is_figure or node.kind == "int":
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if node.kind == "yearmonth":
            self.setPlaceholderText("例如 2024-06 或 2024年6月")
        if node.suggestions:
            completer = QCompleter(list(node.suggestions), self)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.setCompleter(completer)
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)
        session.changed.connect(self.refresh)
        session.findings_changed.connect(self.show_findings)
        session.opened.connect(self._opened)
        self.refresh(None)
        self._opened()

    def _opened(self) -> None:
        if self.isReadOnly() != self.session.readonly:
            self.setReadOnly(self.session.readonly)
            look.field(self)

    def stored_text(self) -> str:
        return format_value(self.node, self.session.report.get(self.path))

    def placeholder(self) -> str:
        if self.path == "score.grade" and not self.session.flat:
            band = self.session.report.band_of(self.session.report.data["score"]["self_score"])
            return f"按评分自动确定：{band}" if band else "按评分自动确定"
        if self.session.flat:
            computed, value = self.session.computed(self.path)
            if computed:
                return f"自动计算：{format_value(self.node, value)}"
        default = self.session.report.default_text(self.path)
        if default:
            return f"默认：{default}"
        if self.node.kind == "yearmonth":
            return "例如 2024-06 或 2024年6月"
        return ""

    def refresh(self, paths: object = None) -> None:
        # What a field shows (its value, its placeholder) comes from its own part of the report;
        # in a form of another family a blank field may show a value computed from any part.
        if paths is not None and not self.session.flat \
                and not self.session.touches(paths, self.path.split(".", 1)[0]):
            return
        stored = self.stored_text()
        if self.text() != stored and not self._busy:
            mine = self.hasFocus() and (self.invalid or self._same_value())
            if not mine:
                self.setText(stored)
                self._set_invalid(None)
        ph = self.placeholder()
        if self.placeholderText() != ph:
            self.setPlaceholderText(ph)
            if self.session.flat:  # its tooltip says whether it shows a computed value
                self.show_findings()

    def _same_value(self) -> bool:
        try:
            return parse_value(self.node, self.text()) == self.session.report.get(self.path)
        except ZipingError:
            return False

    def _edited(self, text: str) -> None:
        self._busy = True
        try:
            self.session.set_text(self.path, text, merge=True)
        except ZipingError as exc:
            self._set_invalid(str(exc))
            return
        finally:
            self._busy = False
        self._set_invalid(None)

    def _finished(self) -> None:
        if self.invalid:
            message = self.invalid
            self._set_invalid(None)
            self.setText(self.stored_text())
            messages.error(message, self.window())

    def _set_invalid(self, message: str | None) -> None:
        self.invalid = message
        state = "invalid" if message else ""
        if (self.property("input") or "") != state:
            self.setProperty("input", state)
            look.field(self)
        if message:
            self.setToolTip(message)
            messages.status(message)
        else:
            self.show_findings()

    def show_findings(self) -> None:
        changes = self.session.finding_changes
        if not self.invalid and (changes is None or self.path in changes or self.session.flat):
            set_finding_state(self, self.session.finding_at(self.path), self.base_tip())

    def base_tip(self) -> str:
        """The field's help, and for a blank field that shows a computed value, which rule computes it."""
        if self.session.flat and self.session.computed(self.path)[0]:
            rule = self.session.rule_filling(self.path)
            note = f"未填写，显示的是按「{rule}」自动算出的数；直接填写则以填写的数为准。"
            return "\n".join(t for t in (self.node.help, note) if t)
        return self.node.help



class _PlainEdit(WindowUndo, QPlainTextEdit):
    pass


class LongTextField(QWidget):
    """A long text in a multi-line editor with its character count."""

    def __init__(
        self,
        session: Session,
        path: str | None,
        node: Value,
        parent: QWidget | None = None,
        *,
        min_lines: int = 6,
        show_label: bool = True,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.node = node
        self.path: str | None = None
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.label = QLabel(node.label)
        self.label.setObjectName("fieldLabel")
        self.label.setWordWrap(True)
        self.count = look.label(QLabel(), "charCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.label, 1)
        head.addWidget(self.count)
        layout.addLayout(head)
        if not show_label:
            self.label.hide()
        self.edit = _PlainEdit(self)
        self.edit.setUndoRedoEnabled(False)
        self.edit.setTabChangesFocus(True)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.edit.setAccessibleName(node.label)
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(int(line * min_lines + 12))
        layout.addWidget(self.edit, 1)
        self.label.setBuddy(self.edit)
        self.edit.textChanged.connect(self._changed)
        session.changed.connect(self.refresh)
        session.findings_changed.connect(self.show_findings)
        session.opened.connect(self._opened)
        self.bind(path)

    def bind(self, path: str | None) -> None:
        """Edit another path (the detail editor of a table follows the current cell)."""
        self.path = path
        if path is not None:
            self.edit.setObjectName(path)
            if not self.objectName():
                self.setObjectName(f"{path}:box")
        self.edit.setEnabled(path is not None)
        self._opened()
        self.refresh(None)

    def _opened(self) -> None:
        if self.edit.isReadOnly() != self.session.readonly:
            self.edit.setReadOnly(self.session.readonly)
            look.field(self.edit)

    def stored_text(self) -> str:
        if self.path is None:
            return ""
        try:
            return format_value(self.node, self.session.report.get(self.path))
        except (KeyError, IndexError):
            return ""

    def refresh(self, paths: object = None) -> None:
        if self._updating:
            return
        if paths is not None and (self.path is None or not self.session.touches(paths, self.path.split(".", 1)[0])):
            return
        stored = self.stored_text()
        if self.edit.toPlainText() != stored:
            self._updating = True
            try:
                self.edit.setPlainText(stored)
            finally:
                self._updating = False
        self._count()
        self.show_findings()

    def _count(self) -> None:
        text = self.edit.toPlainText()
        chars = len(text.replace("\n", ""))
        self.count.setText(f"{chars} 字")

    def _changed(self) -> None:
        self._count()
        if self._updating or self.path is None:
            return
        self._updating = True
        try:
            self.session.set_text(self.path, self.edit.toPlainText(), merge=True)
        except ZipingError as exc:
            messages.error(exc, self.window())
        finally:
            self._updating = False

    def show_findings(self) -> None:
        if self.path is not None:
            set_finding_state(self.edit, self.session.finding_at(self.path), "")
