"""Spreadsheet-like tables, derived from the form's table nodes.

- :class:`InstitutionModel` shows an :class:`~models.form.InstitutionRows`
  table: the summary row 局机关及二级机构汇总 first, then one row per
  institution (``1、局机关`` …); column 0 is the institution's name.
- :class:`RowsModel` shows any :class:`~models.form.Rows` table.
- :class:`SheetView` makes them behave like a spreadsheet: Enter moves down,
  Tab right, typing replaces, Delete clears, Ctrl+C / Ctrl+V copy and paste
  blocks (tab-separated, as Excel and WPS put them on the clipboard).

Every cell answers ``index.data(Qt.UserRole)`` with its path
(``income.0.public_budget``, ``income.summary.total``, ``indicators.3.actual``).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from models import form
from models.document import format_value
from models.errors import ZipingError
from models.form import InstitutionRows, Rows, Value
from ui import look, messages
from ui.session import Session

PATH_ROLE = Qt.ItemDataRole.UserRole
#: Colours: computed cells, errors, warnings.
COMPUTED_BG = QColor("#eceff3")
COMPUTED_FG = QColor("#3c4a5c")
ERROR_BG = QColor("#fbd5d5")
WARNING_BG = QColor("#fff1c2")

Index = QModelIndex | QPersistentModelIndex
#: A long text longer than this shows whole in its cell's tooltip (up to LONG_TIP_MAX).
LONG_TIP, LONG_TIP_MAX = 120, 1500


def finding_tooltip(findings: list[Any]) -> str:
    lines = []
    for f in findings:
        line = f"【{f.severity_label}】{f.message}"
        if f.explanation:
            line += f"\n    出错说明：{f.explanation}"
        lines.append(line)
    return "\n".join(lines)


class CellModel(QAbstractTableModel):
    """What both table models share: paths, findings, editing through the session."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: The form this table is of. While the window changes its tabs for a report of
        #: another form, the old page's views may still ask (a resize as it goes): a table
        #: of another form than the open report's then has no rows.
        self.form = session.report.form
        #: What a repaint asks of every cell, worked out once per row (rows as shown,
        #: computed columns); forgotten whenever the table's data may have changed.
        self._known: dict[Any, Any] = {}
        self._rows = self.rowCount()
        session.changed.connect(self.refresh)

    # subclasses: rowCount, columnCount, path, column_node, display, computed, headers

    def stale(self) -> bool:
        """Whether the open report is of another form than this table's."""
        return self.session.report.form != self.form

    def path(self, index: Index) -> str | None:
        raise NotImplementedError

    def column_node(self, column: int) -> Value | None:
        raise NotImplementedError

    def stored_text(self, index: Index) -> str:
        path = self.path(index)
        node = self.column_node(index.column())
        if path is None or node is None:
            return ""
        return format_value(node, self.session.report.get(path))

    def display(self, index: Index) -> str:
        """What the cell shows: the stored text, amounts in the chosen style; in a form of
        another family, a blank cell of a ``fill`` rule shows the value it computes."""
        path = self.path(index)
        node = self.column_node(index.column())
        if path is not None and node is not None and self.session.flat:
            computed, value = self.session.computed(path)
            if computed:
                return format_value(node, value, self.session.amounts)
        if path is None or node is None or node.kind != "money":
            return self.stored_text(index)
        return format_value(node, self.session.report.get(path), self.session.amounts)

    def is_computed(self, index: Index) -> bool:
        return False

    def is_editable(self, index: Index) -> bool:
        return self.path(index) is not None and not self.session.readonly

    def index_of(self, path: str) -> QModelIndex:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                idx = self.index(r, c)
                if self.path(idx) == path:
                    return idx
        return QModelIndex()

    def roots(self) -> tuple[str, ...]:
        """The parts of the report this table shows (``income``, ``narrative``…)."""
        raise NotImplementedError

    def refresh(self, paths: object = None) -> None:
        """After a change: new rows reset the view; a change of what the table shows (its
        data, or the findings of its cells) repaints it all (a figure changes sums)."""
        rows = self.rowCount()
        if rows != self._rows:
            self._known.clear()
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows and self.columnCount() and self.session.touches(paths, *self.roots()):
            self._known.clear()
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, self.columnCount() - 1))

    def known(self, key: Any, work: Any) -> Any:
        """``work()`` once until the table's data changes."""
        try:
            return self._known[key]
        except KeyError:
            value = self._known[key] = work()
            return value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.stale():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(index)
        if role == Qt.ItemDataRole.EditRole:
            return self.stored_text(index)
        if role == PATH_ROLE:
            return self.path(index)
        path = self.path(index)
        computed = self.is_computed(index)
        if role == Qt.ItemDataRole.BackgroundRole:
            found = self.session.finding_at(path) if path else []
            if any(f.severity == "error" for f in found):
                return QBrush(ERROR_BG)
            if found:
                return QBrush(WARNING_BG)
            if computed:
                return QBrush(COMPUTED_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and computed:
            return QBrush(COMPUTED_FG)
        if role == Qt.ItemDataRole.FontRole and computed:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if path:
                found = self.session.finding_at(path)
                if found:
                    tips.append(finding_tooltip(found))
            if computed:
                tips.append(self.computed_tip(index))
            elif self.is_stated(index):
                tips.append(self.stated_tip(index))
            node = self.column_node(index.column())
            text = self.stored_text(index) if node is not None and node.kind == "longtext" else ""
            if len(text) > LONG_TIP:  # a cell shows some lines of it: the whole text, wrapped
                tips.append(text[:LONG_TIP_MAX] + ("…（全文见下方编辑框）" if len(text) > LONG_TIP_MAX else ""))
                return "<p style='white-space:pre-wrap'>" + html.escape("\n\n".join(tips)) + "</p>"
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            node = self.column_node(index.column())
            if node is not None and node.is_figure:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def computed_tip(self, index: Index) -> str:
        return "自动合计"

    def is_stated(self, index: Index) -> bool:
        return False

    def stated_tip(self, index: Index) -> str:
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.stale():
            return Qt.ItemFlag.NoItemFlags
        if self.is_editable(index):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        path = self.path(index)
        assert path is not None
        text = "" if value is None else str(value)
        if text == self.stored_text(index):
            return True
        try:
            self.store(index, path, text)
        except ZipingError as exc:
            messages.error(exc)
            return False
        return True

    def store(self, index: Index, path: str, text: str) -> None:
        self.session.set_text(path, text)

    def live(self, index: Index, text: str, key: str) -> None:
        """A keystroke in an open cell editor: store the text if it reads, so
        nothing typed waits for Enter to be saved; totals and findings follow."""
        if not index.isValid() or not self.is_editable(index) or not self.live_cell(index):
            return
        path = self.path(index)
        assert path is not None
        try:
            self.session.set_text(path, text, merge=key)
        except ZipingError:
            pass  # not readable yet ("12." on the way to "12.5"); Enter will say why

    def live_cell(self, index: Index) -> bool:
        return True

    def can_grow(self) -> bool:
        return False

    def grow(self, report: Any, rows: int) -> None:
        """Add rows at the end for a pasted block (tables of rows only)."""

    def path_at(self, row: int, column: int) -> str | None | bool:
        """The path a pasted cell goes to; None: nowhere; False: outside the table."""
        if column >= self.columnCount() or row >= self.rowCount() and not self.can_grow():
            return False
        idx = self.index(row, column)
        return self.path(idx) if idx.isValid() else None

    def paste(self, top: int, left: int, block: list[list[str]]) -> None:
        """Fill cells from (top, left); bad cells are refused and named.

        A table of rows grows to take a longer block; an institution table
        does not (its rows are the institutions).
        """
        skipped = 0
        grow = max(0, top + len(block) - self.rowCount()) if self.can_grow() else 0
        cells: list[list[tuple[str | None, str]]] = []
        for r, line in enumerate(block):
            row = []
            for c, text in enumerate(line):
                path = self.path_at(top + r, left + c)
                if path is False:
                    skipped += 1
                    continue
                row.append((path if isinstance(path, str) else None, text))
            cells.append(row)
        problems: list[str] = []

        def change(report: Any) -> None:
            self.grow(report, grow)
            problems.extend(report.paste(cells))

        try:
            self.session.apply("粘贴", change)
        except ZipingError as exc:
            messages.error(exc)
            return
        beyond = f"粘贴的内容超出表格范围，有 {skipped} 个单元格未粘贴。" if skipped else ""
        if grow:
            messages.status(f"已为粘贴的内容添加 {grow} 行。")
        if problems:
            messages.problems(
                f"粘贴时有 {len(problems)} 个单元格的内容无法使用，这些单元格未改动，其余已填入：", problems,
                tail=beyond,
            )
        elif beyond:
            messages.error(beyond)


class InstitutionModel(CellModel):
    """Summary row first, then one row per institution; column 0 the name."""

    def __init__(self, session: Session, table: InstitutionRows, parent: QObject | None = None) -> None:
        self.table = table
        self.columns = table.columns
        super().__init__(session, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.stale() else 1 + len(self.session.report.institutions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 1 + len(self.columns)

    def roots(self) -> tuple[str, ...]:
        return (self.table.key, "institutions", "summary")

    def row_key(self, row: int) -> str:
        return "summary" if row == 0 else str(row - 1)

    def path(self, index: Index) -> str | None:
        if index.column() == 0:
            return None if index.row() == 0 else f"institutions.{index.row() - 1}"
        return f"{self.table.key}.{self.row_key(index.row())}.{self.columns[index.column() - 1].key}"

    def column_node(self, column: int) -> Value | None:
        return None if column == 0 else self.columns[column - 1]

    def stored_text(self, index: Index) -> str:
        if index.column() == 0:
            return "" if index.row() == 0 else self.session.report.institutions[index.row() - 1]
        if index.row() == 0:
            return self.display(index)
        return super().stored_text(index)

    def _shown_row(self, row: int) -> dict[str, Any]:
        report = self.session.report
        if row == 0:
            return self.known(("row", 0), lambda: report.shown_summary(self.table))
        return self.known(
            ("row", row), lambda: report.effective_row(self.table, report.data[self.table.key][row - 1])
        )

    def display(self, index: Index) -> str:
        row = index.row()
        if index.column() == 0:
            if row == 0:
                return form.SUMMARY_LABEL
            return form.institution_label(row - 1, self.session.report.institutions[row - 1])
        node = self.columns[index.column() - 1]
        return format_value(node, self._shown_row(row)[node.key], self.session.amounts)

    def is_computed(self, index: Index) -> bool:
        if index.row() == 0:
            return index.column() == 0 or not self.is_stated(index)
        if index.column() == 0:
            return False
        key = self.columns[index.column() - 1].key
        row = index.row()
        report = self.session.report
        computed = self.known(
            ("computed", row), lambda: report.computed_keys(self.table, report.data[self.table.key][row - 1])
        )
        return key in computed

    def is_stated(self, index: Index) -> bool:
        """A summary cell that shows the figure an imported file stated, not the sum: it
        looks like a typed figure (and, where it differs from the sum, is a finding)."""
        if index.row() != 0 or index.column() == 0:
            return False
        stated = self.known(("stated", 0), lambda: self.session.report.stated_keys(self.table))
        return self.columns[index.column() - 1].key in stated

    def computed_tip(self, index: Index) -> str:
        if index.row() == 0:
            return f"{form.SUMMARY_LABEL}：各机构之和，自动计算，不能直接填写。"
        key = self.columns[index.column() - 1].key
        labels = {c.key: c.label for c in self.columns}
        for check in self.table.sums:
            if check.target == key:
                parts = " + ".join(labels[p] for p in check.parts)
                return f"未填写，显示的是 {parts} 的合计（自动计算）。直接填写则以填写的数为准。"
        return "自动计算"

    def stated_tip(self, index: Index) -> str:
        node = self.columns[index.column() - 1]
        computed = self.session.report.summary_row(self.table)[node.key]
        return (
            f"{form.SUMMARY_LABEL}：此格是导入的文件中填报的数，打印稿、工作簿和汇总表都用它；"
            f"各机构之和为 {format_value(node, computed) or '（空）'}。"
            "不能直接修改；要改用自动合计，点表格旁的「汇总行改用自动合计」。"
        )

    def is_editable(self, index: Index) -> bool:
        return index.row() != 0 and not self.session.readonly

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return form.INSTITUTIONS.label if section == 0 else self.columns[section - 1].label
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            key = self.columns[section - 1].key
            keys = [c.key for c in self.columns]
            heads = [
                head for head, first, last in self.table.groups
                if keys.index(first) <= keys.index(key) <= keys.index(last)
            ]
            label = self.columns[section - 1].label
            return "".join(heads) + label + f"（{self.table.unit}）"
        return None

    def live_cell(self, index: Index) -> bool:
        return index.column() != 0  # names change on Enter, not while typed

    def store(self, index: Index, path: str, text: str) -> None:
        if index.column() == 0:
            i = index.row() - 1
            self.session.apply("修改机构名称", lambda r: r.rename_institution(i, text), {path})
        else:
            self.session.set_text(path, text)


class RowsModel(CellModel):
    """Any table of rows the clerk adds and removes."""

    def __init__(self, session: Session, table: Rows, table_path: str, parent: QObject | None = None) -> None:
        self.table = table
        self.table_path = table_path
        self.columns = table.form_columns  # the 定量指标 row's 三级 columns are the 自评表's
        super().__init__(session, parent)

    def roots(self) -> tuple[str, ...]:
        if self.session.flat:  # a computed cell may read any part of the form
            return self.session.report.form.report.keys
        return (self.table_path.split(".", 1)[0],)

    def is_computed(self, index: Index) -> bool:
        path = self.path(index)
        return bool(self.session.flat and path is not None and path in self.session.shown()[1])

    def computed_tip(self, index: Index) -> str:
        path = self.path(index)
        rule = self.session.rule_filling(path) if path is not None else ""
        return f"未填写，显示的是按「{rule}」自动算出的数；直接填写则以填写的数为准。"

    def rows(self) -> list[dict[str, Any]]:
        return self.session.report.rows(self.table_path)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.stale() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def path(self, index: Index) -> str | None:
        return f"{self.table_path}.{index.row()}.{self.columns[index.column()].key}"

    def column_node(self, column: int) -> Value | None:
        return self.columns[column]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].label
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.stale():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].key in self.table.merge:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            base = super().data(index, role)
            node = self.columns[index.column()]
            own = node.key == "level1" and not self.session.flat
            note = form.LEVEL1_NOTES.get(self.stored_text(index)) if own else None
            return "\n".join(t for t in (note, base) if t) or None
        return super().data(index, role)

    def can_grow(self) -> bool:
        return True

    def grow(self, report: Any, rows: int) -> None:
        for _ in range(rows):
            report.insert_row(self.table_path)

    def path_at(self, row: int, column: int) -> str | None | bool:
        if column >= self.columnCount():
            return False
        return f"{self.table_path}.{row}.{self.columns[column].key}"

    def live_cell(self, index: Index) -> bool:
        first, last = self.merge_run(index.row(), index.column())
        return first == last  # a merged cell changes its whole run on Enter

    def merge_run(self, row: int, column: int) -> tuple[int, int]:
        """First and last row of the run of equal cells a merged cell covers."""
        key = self.columns[column].key
        if key not in self.table.merge:
            return row, row
        rows = self.rows()
        keys = self.table.merge[: self.table.merge.index(key) + 1]

        def same(a: int, b: int) -> bool:
            return all(rows[a][k] == rows[b][k] for k in keys) and rows[a][key] not in (None, "")

        first = row
        while first > 0 and same(first - 1, row):
            first -= 1
        last = row
        while last + 1 < len(rows) and same(last + 1, row):
            last += 1
        return first, last

    def store(self, index: Index, path: str, text: str) -> None:
        first, last = self.merge_run(index.row(), index.column())
        if first == last:
            self.session.set_text(path, text)
            return
        key = self.columns[index.column()].key
        paths = {f"{self.table_path}.{r}.{key}" for r in range(first, last + 1)}

        def change(report: Any) -> None:
            for p in sorted(paths):
                report.set_text(p, text)

        self.session.apply("修改合并单元格", change, paths)


# ---------------------------------------------------------------------------
# Editing
# ---------------------------------------------------------------------------


class _TextCellEditor(QPlainTextEdit):
    """Multi-line cell editor: Enter commits, Alt/Shift+Enter starts a new line."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)


class CellDelegate(QStyledItemDelegate):
    def __init__(self, model: CellModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:  # noqa: N802
        node = self.model.column_node(index.column())
        self._sessions = getattr(self, "_sessions", 0) + 1
        key = f"{index.data(PATH_ROLE)}#{self._sessions}"
        where = QPersistentModelIndex(index)
        if node is not None and node.kind == "longtext":
            text_editor = _TextCellEditor(parent)
            text_editor.setProperty("liveKey", key)
            text_editor.textChanged.connect(
                lambda: self.model.live(where, text_editor.toPlainText(), key)
            )
            return text_editor
        editor = QLineEdit(parent)
        editor.setProperty("liveKey", key)
        editor.textEdited.connect(lambda text: self.model.live(where, text, key))
        editor.setFrame(False)
        if node is not None and node.is_figure:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        if node is not None and node.suggestions:
            completer = QCompleter(list(node.suggestions), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        # Only when the editor opens: later the model changes as the editor's text
        # is typed (see CellModel.live), and the editor must keep what is typed.
        if editor.property("filled"):
            return
        editor.setProperty("filled", True)
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QPlainTextEdit):
            ok = model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            assert isinstance(editor, QLineEdit)
            ok = model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        if not ok:  # refused: what was stored while typing goes too
            self.model.session.revert_typing(str(editor.property("liveKey")))

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(editor, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            mods = event.modifiers()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier):
                    editor.insertPlainText("\n")
                    return True
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
                return True
        return super().eventFilter(editor, event)


class GroupedHeader(QHeaderView):
    """A horizontal header with the paper's group headings (其中：, 结余) above
    the columns they cover; nested groups stack. Columns outside any group
    keep the full height, like a merged cell on paper.

    ``spans`` are ``(heading, first section, last section)``.
    """

    def __init__(self, spans: list[tuple[str, int, int]], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.spans = spans
        # A group's level: how many other groups contain it (outermost 0).
        self.levels = [
            sum(1 for o in spans if o is not g and o[1] <= g[1] and g[2] <= o[2]) for g in spans
        ]
        self.sectionResized.connect(lambda *_: self.viewport().update())

    @classmethod
    def for_table(cls, table: InstitutionRows, parent: QWidget | None = None) -> GroupedHeader:
        keys = [c.key for c in table.columns]
        spans = [(head, keys.index(first) + 1, keys.index(last) + 1) for head, first, last in table.groups]
        return cls(spans, parent)

    @property
    def band(self) -> int:
        """The height of one row of group headings."""
        return int(self.fontMetrics().lineSpacing() * 1.5)

    def depth(self, section: int | None = None) -> int:
        """Group rows above a section (above the deepest one when None)."""
        if section is None:
            return max((lv + 1 for lv in self.levels), default=0)
        return sum(1 for _, first, last in self.spans if first <= section <= last)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(hint.width(), hint.height() + self.depth() * self.band)

    def heading_rect(self, index: int) -> QRect:
        """Where a group heading is drawn, in viewport coordinates."""
        _, first, last = self.spans[index]
        left = self.sectionViewportPosition(first)
        right = self.sectionViewportPosition(last) + self.sectionSize(last)
        return QRect(left, self.levels[index] * self.band, right - left, self.band)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802
        super().paintSection(painter, rect.adjusted(0, self.depth(logical) * self.band, 0, 0), logical)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        for i, (head, _, _) in enumerate(self.spans):
            option = QStyleOptionHeader()
            self.initStyleOption(option)
            option.rect = self.heading_rect(i)
            option.text = head
            option.textAlignment = Qt.AlignmentFlag.AlignCenter
            option.section = 0
            option.position = QStyleOptionHeader.SectionPosition.Middle
            self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.end()


class SheetView(QTableView):
    """A table that behaves like a spreadsheet."""

    def __init__(self, model: CellModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.cells = model
        self.setItemDelegate(CellDelegate(model, self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._set_up_header(self.horizontalHeader())
        self.setCornerButtonEnabled(False)
        look.table_colours(self)

    @staticmethod
    def _set_up_header(header: QHeaderView) -> None:
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        header.setHighlightSections(False)

    def use_groups(self, table: InstitutionRows) -> None:
        """Show the table's group headings (其中：, 结余) above its columns."""
        header = GroupedHeader.for_table(table, self)
        self.setHorizontalHeader(header)
        self._set_up_header(header)

    # -- keys -------------------------------------------------------------------

    def move_to(self, row: int, column: int) -> None:
        idx = self.model().index(row, column)
        if idx.isValid():
            self.setCurrentIndex(idx)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:  # Escape
            self.cells.session.revert_typing(str(editor.property("liveKey")))
        down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if down else hint)
        if down:
            cur = self.currentIndex()
            self.move_to(cur.row() + 1, cur.column())

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        changes = event.matches(QKeySequence.StandardKey.Paste) or (
            self.state() != QAbstractItemView.State.EditingState
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        )
        if changes and self.cells.session.readonly:  # 定稿: a note, not a refusal after the fact
            messages.status("本报告已定稿，只能查看；如需修改请「重新打开」。")
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                cur = self.currentIndex()
                self.move_to(cur.row() + 1, cur.column())
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
        super().keyPressEvent(event)

    # -- clipboard ------------------------------------------------------------------

    def _selected_rect(self) -> tuple[int, int, int, int] | None:
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        indexes = [i for i in indexes if i.isValid()]
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def copy_selection(self) -> None:
        rect = self._selected_rect()
        if rect is None:
            return
        top, left, bottom, right = rect
        model = self.model()
        lines = []
        for r in range(top, bottom + 1):
            cells = []
            for c in range(left, right + 1):
                text = str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "")
                if "\n" in text or "\t" in text or '"' in text:
                    text = '"' + text.replace('"', '""') + '"'
                cells.append(text)
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        cur = self.currentIndex()
        if not cur.isValid():
            cur = self.model().index(0, 0)
        block = parse_clipboard(text)
        if not block:
            return
        rect = self._selected_rect()
        top, left = (rect[0], rect[1]) if rect else (cur.row(), cur.column())
        # One value pasted into a selection fills every selected cell, as in Excel.
        if rect and len(block) == 1 and len(block[0]) == 1:
            block = [[block[0][0]] * (rect[3] - rect[1] + 1) for _ in range(rect[2] - rect[0] + 1)]
        self.cells.paste(top, left, block)

    def clear_selection(self) -> None:
        rect = self._selected_rect()
        if rect is None:
            return
        top, left, bottom, right = rect
        model = self.cells

        def target(r: int, c: int) -> str | None:
            idx = model.index(r, c)
            path = model.path(idx)
            if not model.is_editable(idx) or path is None or path.startswith("institutions."):
                return None  # read-only cells and names are skipped silently
            return path

        cells = [[(target(r, c), "") for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        if not any(p for row in cells for p, _ in row):
            return
        try:
            self.cells.session.apply("清除", lambda report: report.paste(cells))
        except ZipingError as exc:
            messages.error(exc)


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated text, honouring Excel's quoted cells."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            # A quoted cell: "" is a quote; it ends at a quote before a tab/newline/end.
            j = i + 1
            buf: list[str] = []
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            if j >= n or (j + 1 < n and text[j + 1] not in "\t\n"):
                cell.append(ch)  # not a well-formed quoted cell: take it literally
                i += 1
                at_start = False
                continue
            cell.extend(buf)
            i = j + 1
            at_start = False
            continue
        if ch == "\t":
            row.append("".join(cell))
            cell = []
            at_start = True
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_start = True
        else:
            cell.append(ch)
            at_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows
