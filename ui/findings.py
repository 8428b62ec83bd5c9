"""The findings panel (审核结果): every finding, live; activating one goes to its cell.

An error may carry an explanation (出错说明); it is written here and kept in the
report, and an explained error no longer blocks marking the report final.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import form
from models.errors import ZipingError
from models.labels import cells_text, rule_title
from models.report import Report
from models.rules import Finding
from ui import messages
from ui.session import Session
from ui.tables import ERROR_BG, WARNING_BG


def finding_cells(finding: Finding) -> list[str]:
    """A finding's cells in the order to go to them: a rule about the narrative's
    details (narrative.basic, narrative.projects) goes to its details first, not
    to the 支出表 figure they are compared with; a rule about the 评价报告's text
    (text.*) goes to the text."""
    cells = list(finding.cells)
    if finding.rule.startswith("narrative."):
        own = [c for c in cells if c.startswith("narrative.")]
        cells = own + [c for c in cells if c not in own]
    elif finding.rule.startswith("text."):
        # A finding about what the 评价报告 says goes to the text first.
        own = [c for c in cells if c.startswith("narrative.sections.")]
        cells = own + [c for c in cells if c not in own]
    return cells


def tab_of(report: Report, path: str) -> str | None:
    """The tab a cell path is edited on, in the report's own form."""
    if not report.flat:
        return form.tab_of(path)
    try:
        return getattr(report.form.part(path.split(".", 1)[0]), "tab", None)
    except KeyError:
        return None


def where(finding: Finding, report: Report | None = None) -> str:
    """The tab a finding's first cell is on (评价报告 for the narrative's details), in
    the form of ``report`` (the program's own when None)."""
    cells = finding_cells(finding)
    if not cells:
        return ""
    root = report.form.report if report is not None and report.flat else form.REPORT
    tab = tab_of(report, cells[0]) if report is not None else form.tab_of(cells[0])
    if tab is not None:
        return tab
    try:
        return root.child(cells[0].split(".", maxsplit=1)[0]).label
    except KeyError:
        return ""


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width (a tree view asks a
    delegate for a row's height without telling it the column's width)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return size
        width = self.tree.header().sectionSize(index.column()) - 8
        if width <= 0:
            return size
        bound = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), str(text)
        )
        return QSize(size.width(), max(size.height(), bound.height() + 4))


class FindingsPanel(QWidget):
    #: A finding was activated: go to its cells.
    activated = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findings")
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        split = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(split)
        self.tree = QTreeWidget()
        self.tree.setObjectName("findings.list")
        self.tree.setRootIsDecorated(False)
        # A message wraps in its row: the figures and the difference come at its end.
        self.tree.setUniformRowHeights(False)
        self.tree.setHeaderLabels(["类别", "位置", "说明", "出错说明"])
        self.tree.setWordWrap(True)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 160)
        # Wider or narrower, the messages wrap again.
        header.sectionResized.connect(lambda *_: self.tree.scheduleDelayedItemsLayout())
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(self._current)
        split.addWidget(self.tree)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 0, 0)
        self.explain_label = QLabel("出错说明（选中一项错误后填写）")
        self.explain_label.setWordWrap(True)
        side_layout.addWidget(self.explain_label)
        self.explain = QPlainTextEdit()
        self.explain.setObjectName("findings.explanation")
        self.explain.setTabChangesFocus(True)
        self.explain.setPlaceholderText("例如：原始凭证如此，已与财务核实。")
        side_layout.addWidget(self.explain, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton("保存出错说明")
        self.save_button.setObjectName("findings.save_explanation")
        self.save_button.clicked.connect(self.save_explanation)
        row.addStretch(1)
        row.addWidget(self.save_button)
        side_layout.addLayout(row)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 300])
        session.findings_changed.connect(self.refresh)
        session.opened.connect(lambda: self._current(None))  # 定稿 or reopened: 出错说明 follows
        self.refresh()

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def refresh(self) -> None:
        if self._update_in_place():
            return
        current = self.current_finding()
        key = (current.rule, current.cells) if current else None
        self.tree.setUpdatesEnabled(False)
        self.tree.blockSignals(True)
        self.tree.clear()
        select = None
        report = self.session.report
        for finding in self.session.findings:
            item = QTreeWidgetItem(
                [
                    finding.severity_label,
                    where(finding, report),
                    finding.message,
                    finding.explanation or "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(1, f"{rule_title(finding.rule, report)}\n涉及：{cells_text(finding.cells, report, most=6)}")
            item.setToolTip(2, finding.message)
            item.setToolTip(3, finding.explanation or "")
            item.setBackground(0, QBrush(ERROR_BG if finding.severity == "error" else WARNING_BG))
            self.tree.addTopLevelItem(item)
            if key == (finding.rule, finding.cells):
                select = item
        self.tree.blockSignals(False)
        self.tree.setUpdatesEnabled(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        else:
            self._current(None)

    def _update_in_place(self) -> bool:
        """The same findings with new figures in their messages (a figure typed): their
        rows are updated where they stand, so only what changed repaints and the columns
        sized to their contents are not measured again. False when the list changed."""
        findings = self.session.findings
        items = [item for i in range(self.tree.topLevelItemCount()) if (item := self.tree.topLevelItem(i)) is not None]
        shown = [item.data(0, Qt.ItemDataRole.UserRole) for item in items]
        if len(shown) != len(findings) or any(
            (a.rule, a.severity, a.cells) != (b.rule, b.severity, b.cells) for a, b in zip(shown, findings, strict=True)
        ):
            return False
        current = self.current_finding()
        for item, old, new in zip(items, shown, findings, strict=True):
            if old == new:
                continue
            item.setData(0, Qt.ItemDataRole.UserRole, new)
            if old.message != new.message:
                item.setText(2, new.message)
                item.setToolTip(2, new.message)
            if old.explanation != new.explanation:
                item.setText(3, new.explanation or "")
                item.setToolTip(3, new.explanation or "")
        if current is not None and self.current_finding() != current:
            self._current(self.tree.currentItem())
        return True

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for f in self.session.findings if f.severity == "error")
        return errors, len(self.session.findings) - errors

    def _current(self, item: Any, previous: Any = None) -> None:
        finding = self.current_finding()
        is_error = finding is not None and finding.severity == "error"
        self.explain.setEnabled(is_error and not self.session.readonly)
        self.save_button.setEnabled(is_error and not self.session.readonly)
        if finding is None:
            self.explain_label.setText("出错说明（选中一项错误后填写）")
            self.explain.setPlainText("")
        elif not is_error:
            self.explain_label.setText("警告无须说明；双击可转到相关单元格。")
            self.explain.setPlainText("")
        else:
            self.explain_label.setText("出错说明：如确属原表如此，请说明原因；有说明的错误不妨碍定稿。")
            self.explain.setPlainText(finding.explanation or "")

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        finding = item.data(0, Qt.ItemDataRole.UserRole)
        if finding is not None:
            self.activated.emit(finding)

    def select(self, index: int) -> None:
        item = self.tree.topLevelItem(index)
        if item is not None:
            self.tree.setCurrentItem(item)

    def activate(self, index: int) -> None:
        item = self.tree.topLevelItem(index)
        if item is not None:
            self.tree.setCurrentItem(item)
            self._activated(item)

    def save_explanation(self) -> None:
        finding = self.current_finding()
        if finding is None or finding.severity != "error":
            return
        text = self.explain.toPlainText()
        try:
            self.session.apply(
                "出错说明", lambda r: r.explain(finding.rule, finding.cells, text), None
            )
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        messages.status("出错说明已保存。" if text.strip() else "出错说明已删除。")
