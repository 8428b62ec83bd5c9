"""The tab 评价报告: Part B's structured parts and its texts.

- 基本支出明细 (``narrative.basic_items``): economic items by 类别, with the sums of
  人员经费 and 公用经费 beside the table against 支出表「1、局机关」.
- 项目支出明细 (``narrative.projects``): master/detail — the projects, and the uses
  (``narrative.projects.N.uses``) of the selected project in a second table whose
  objectName is ``narrative.projects.uses``; its cells answer their full path.
- 预算数与执行数 (``narrative.budget``): the budgets the common indicators need.
- 报告正文 (``narrative.sections``): one long-text editor per section; where the
  figures can write a section (:data:`models.narrative.GENERATORS`) a button
  proposes it, undoably, and the clerk's edits stay until asked again.

Every change goes through :class:`~ui.session.Session`, like the other tables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import form
from models import narrative as narrative_text
from models.document import format_value
from models.errors import ZipingError
from models.form import Value
from models.money import format_amount, format_decimal
from models.paper import PAPER
from ui import look, messages
from ui.fields import LineField, LongTextField, editing_only
from ui.pages import LazyPage
from ui.session import Session
from ui.tables import CellModel, Index, RowsModel, SheetView

BASIC = "narrative.basic_items"
PROJECTS = "narrative.projects"
USES = "narrative.projects.uses"
SECTIONS = "narrative.sections"
BUDGET = "narrative.budget"
#: Sections whose sentences the figures can write (models.narrative).
GENERATED = narrative_text.GENERATORS

#: The inner tabs of the page, by the first parts of the paths they hold.
PART_BASIC, PART_PROJECTS, PART_BUDGET, PART_TEXT = range(4)


def _amount(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else "—"


def _difference(total: Decimal | None, stated: Decimal | None) -> tuple[str, str]:
    """Text and state ("", "error") of 明细合计 − stated."""
    if total is None or stated is None:
        return "", ""
    diff = total - stated
    if diff == 0:
        return "相符", "ok"
    return f"差 {format_decimal(diff)}", "error"


class ProjectsModel(RowsModel):
    """The projects, with a read-only 用途合计 column after 项目名称 and 金额."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(session, form.PROJECTS, PROJECTS, parent)
        self.extra = len(self.columns)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def path(self, index: Index) -> str | None:
        if index.column() >= len(self.columns):
            return None
        return super().path(index)

    def path_at(self, row: int, column: int) -> str | None | bool:
        if column == self.extra:
            return None
        return super().path_at(row, column)

    def column_node(self, column: int) -> Value | None:
        return None if column >= len(self.columns) else self.columns[column]

    def uses_total(self, row: int) -> Decimal | None:
        if not 0 <= row < len(self.rows()):
            return None
        return self.session.report.uses_total(row)

    def display(self, index: Index) -> str:
        if index.column() == self.extra:
            return format_amount(self.uses_total(index.row()), self.session.amounts)
        return super().display(index)

    def is_computed(self, index: Index) -> bool:
        return index.column() == self.extra

    def computed_tip(self, index: Index) -> str:
        return "这个项目各项用途的金额之和（自动计算）；用途在右边的表中填写。"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self.extra:
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return CellModel.data(self, index, role)
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and section == self.extra:
            return "用途合计" if role == Qt.ItemDataRole.DisplayRole else None
        return super().headerData(section, orientation, role)


class UsesModel(RowsModel):
    """The uses of one project (the one selected in the projects table)."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        self.project: int | None = None
        super().__init__(session, form.PROJECT_USES, USES, parent)

    def valid(self) -> bool:
        projects = self.session.report.data["narrative"]["projects"]
        return self.project is not None and 0 <= self.project < len(projects)

    def rows(self) -> list[dict[str, Any]]:
        if not self.valid():
            return []
        return self.session.report.rows(self.table_path)

    def select(self, project: int | None) -> None:
        if project == self.project and self.rowCount() == self._rows:
            return
        self.beginResetModel()
        self.project = project
        self.table_path = f"{PROJECTS}.{project}.uses" if project is not None else USES
        self._rows = self.rowCount()
        self.endResetModel()

    def can_grow(self) -> bool:
        return self.valid()

    def path_at(self, row: int, column: int) -> str | None | bool:
        if not self.valid():
            return False
        return super().path_at(row, column)


class TableBox(QGroupBox):
    """A table of rows with 添加行 / 插入行 / 删除行 / 上移 / 下移."""

    def __init__(self, session: Session, title: str, model: RowsModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        look.section(self)
        self.session = session
        self.model = model
        self._chars: dict[int, int] | None = None
        self.view = SheetView(model, name)
        self.view.setAccessibleName(title)
        self.view.installEventFilter(self)
        self.view.verticalHeader().setDefaultSectionSize(int(self.view.fontMetrics().lineSpacing() * 1.6))
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)
        self.box.setSpacing(6)
        self.box.addWidget(self.view, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        for text, tip, slot, key in (
            ("添加行", "在表格末尾添加一行", self.append, "add_row"),
            ("插入行", "在当前行之前插入一行", self.insert, "insert_row"),
            ("删除行", "删除当前行", self.remove, "remove_row"),
            ("上移", "把当前行上移一行", lambda: self.shift(-1), "row_up"),
            ("下移", "把当前行下移一行", lambda: self.shift(1), "row_down"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setObjectName(f"{name}:{key}")
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            editing_only(session, button)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self.box.addLayout(self.buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A new font size (视图 menu): columns measured in characters follow it.
        if watched is self.view and event.type() == QEvent.Type.FontChange and self._chars is not None:
            self.widths(self._chars)
            self.view.verticalHeader().setDefaultSectionSize(int(self.view.fontMetrics().lineSpacing() * 1.6))
        return super().eventFilter(watched, event)

    def widths(self, chars: dict[int, int]) -> None:
        """Columns of a fixed width in characters; the others share the rest."""
        self._chars = chars
        header = self.view.horizontalHeader()
        em = self.view.fontMetrics().horizontalAdvance("国")
        for column in range(self.model.columnCount()):
            if column in chars:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(column, int(em * chars[column] + 16))
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def current_row(self) -> int | None:
        row = self.view.currentIndex().row()
        return row if row >= 0 else None

    def select(self, row: int, column: int | None = None) -> None:
        if column is None:
            column = max(self.view.currentIndex().column(), 0)
        idx = self.model.index(row, column)
        if idx.isValid():
            self.view.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(idx)

    def _do(self, label: str, change: Any) -> Any:
        return messages.attempt(self.session.apply, label, change, None, parent=self.window())

    def ready(self) -> bool:
        """Whether the table can take rows now (the uses table needs a project)."""
        return True

    def append(self) -> None:
        if not self.ready():
            return
        path = self.model.table_path
        row = self._do("添加行", lambda r: r.insert_row(path))
        if row is not None:
            self.select(row, 0)
            self.view.setFocus()

    def insert(self) -> None:
        if not self.ready():
            return
        path = self.model.table_path
        at = self.current_row() or 0
        row = self._do("插入行", lambda r: r.insert_row(path, at))
        if row is not None:
            self.select(row, 0)
            self.view.setFocus()

    def remove(self) -> None:
        row = self.current_row()
        if row is None or not self.ready():
            messages.error("请先选中要删除的行。", self.window())
            return
        path = self.model.table_path
        if self.describe(row) and not messages.confirm(self.confirm_text(row), self.window()):
            return
        self._do("删除行", lambda r: r.remove_row(path, row))
        if self.model.rowCount():
            self.select(min(row, self.model.rowCount() - 1))

    def describe(self, row: int) -> str:
        """The row's contents in a few words; empty when the row is blank."""
        values = self.model.rows()[row]
        return "".join(format_value(c, values[c.key]) for c in self.model.columns)

    def confirm_text(self, row: int) -> str:
        return f"删除「{self.title()}」第 {row + 1} 行？（可撤销）"

    def shift(self, step: int) -> None:
        row = self.current_row()
        if row is None or not (0 <= row + step < self.model.rowCount()):
            return
        path = self.model.table_path
        self._do("移动行", lambda r: r.move_row(path, row, row + step))
        self.select(row + step)


class ProjectsBox(TableBox):
    def describe(self, row: int) -> str:
        uses = self.model.rows()[row]["uses"]
        return f"{len(uses)} 项用途" if uses else super().describe(row)

    def confirm_text(self, row: int) -> str:
        project = self.model.rows()[row]
        uses = f"及其 {len(project['uses'])} 项用途" if project["uses"] else ""
        name = project["name"] or "（未命名）"
        return f"删除项目「{name}」{uses}？（可撤销）"


class UsesBox(TableBox):
    model: UsesModel

    def ready(self) -> bool:
        if self.model.valid():
            return True
        messages.status("请先在左边的表中选中一个项目。")
        return False


class NarrativePage(LazyPage):
    """The tab 评价报告. Like :class:`ui.pages.Page`: ``views`` and ``fields``."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, form.NARRATIVE.tab or form.NARRATIVE.label, parent)

    def _build(self) -> None:
        session = self.session
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        self.parts = QTabWidget()
        self.parts.setObjectName("narrative.parts")
        outer.addWidget(self.parts)
        self.parts.addTab(self._basic_part(), form.BASIC_ITEMS.label)
        self.parts.addTab(self._projects_part(), form.PROJECTS.label)
        self.parts.addTab(self._budget_part(), form.BUDGET.label)
        self.parts.addTab(self._text_part(), form.NARRATIVE_SECTIONS.label)
        session.changed.connect(self.refresh)
        self.refresh(None)

    # -- 基本支出明细 -----------------------------------------------------------------

    def _basic_part(self) -> QWidget:
        part = QWidget()
        row = QHBoxLayout(part)
        row.setContentsMargins(4, 4, 4, 4)
        self.basic_model = RowsModel(self.session, form.BASIC_ITEMS, BASIC, self)
        self.basic = TableBox(self.session, form.BASIC_ITEMS.label, self.basic_model, BASIC)
        self.basic.widths({0: 6, 2: 7})
        # Explicit minimum widths: the window may still be made narrow (760 px).
        self.basic.setMinimumWidth(320)
        self.views[BASIC] = self.basic.view
        row.addWidget(self.basic, 3)

        side = look.section(QGroupBox("与支出表核对"))
        column = QVBoxLayout(side)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        for c, head in enumerate(("", "明细合计", "支出表", "")):
            label = look.label(QLabel(head), "note")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, 0, c)
        self.basic_sums: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for r, (group, key) in enumerate(form.BASIC_GROUP_COLUMNS.items(), 1):
            stated_label = form.EXPENDITURE.row.child(key).label
            grid.addWidget(QLabel(f"{group}{PAPER.total_row}"), r, 0)
            labels = (QLabel(), QLabel(), QLabel())
            for i, label in enumerate(labels):
                label.setObjectName(f"{BASIC}:{key}:{('total', 'stated', 'difference')[i]}")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, r, i + 1)
            labels[1].setToolTip(f"支出表「1、{{机构}}」的{stated_label}（在「{form.EXPENDITURE.tab}」页签中填写）")
            self.basic_sums[key] = labels
        column.addLayout(grid)
        self.stated_note = look.label(QLabel(), "note")
        self.stated_note.setWordWrap(True)
        column.addWidget(self.stated_note)
        self.fill_button = QPushButton("填入常用科目")
        self.fill_button.setObjectName(f"{BASIC}:fill")
        self.fill_button.setAutoDefault(False)
        groups, group_label = "、".join(form.BASIC_GROUP_COLUMNS), form.BASIC_ITEMS.row.child("group").label
        self.fill_button.setToolTip(f"表格为空时，按{groups}填入常用的经济分类科目（金额留空，可撤销）。")
        self.fill_button.clicked.connect(self.fill_usual_items)
        column.addWidget(self.fill_button)
        note = QLabel(
            f"「{group_label}」填写{'或'.join(form.BASIC_GROUP_COLUMNS)}，合计按类别计算。明细合计与支出表不符时，"
            "相关单元格显示为红色，鼠标停留可看说明。"
        )
        look.label(note, "note")
        note.setWordWrap(True)
        column.addWidget(note)
        column.addStretch(1)
        side.setMinimumWidth(240)
        row.addWidget(side, 2)
        return part

    def fill_usual_items(self) -> None:
        if self.session.report.rows(BASIC):
            messages.status("表中已有科目；「填入常用科目」只用于空表。")
            return

        def fill(report: Any) -> None:
            for group, names in form.BASIC_ITEM_NAMES.items():
                for name in names:
                    i = report.insert_row(BASIC)
                    report.set_text(f"{BASIC}.{i}.group", group)
                    report.set_text(f"{BASIC}.{i}.name", name)

        try:
            self.session.apply("填入常用科目", fill, None)
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        self.basic.select(0, 2)
        messages.status("已填入常用科目，请填写金额；不用的科目可删除。")

    def _refresh_basic(self) -> None:
        report = self.session.report
        items = report.rows(BASIC)
        row = report.effective_row(form.EXPENDITURE, report.data["expenditure"][0])
        for group, key in form.BASIC_GROUP_COLUMNS.items():
            total = report.basic_total(group)
            stated = row[key]
            labels = self.basic_sums[key]
            labels[0].setText(_amount(total))
            labels[1].setText(_amount(stated))
            text, state = _difference(total, stated)
            labels[2].setText(text)
            look.verdict(labels[2], state)
        columns = "、".join(form.EXPENDITURE.row.child(key).label for key in form.BASIC_GROUP_COLUMNS.values())
        self.stated_note.setText(
            f"支出表为「{form.institution_label(0, report.institutions[0])}」行的"
            f"{columns}（只读，在「{form.EXPENDITURE.tab}」页签中修改）。"
        )
        self.fill_button.setEnabled(not items and not self.session.readonly)

    # -- 项目支出明细 -----------------------------------------------------------------

    def _projects_part(self) -> QWidget:
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(4, 4, 4, 4)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("narrative.projects:split")
        split.setChildrenCollapsible(False)
        self.projects_model = ProjectsModel(self.session, self)
        self.projects = ProjectsBox(self.session, form.PROJECTS.label, self.projects_model, PROJECTS)
        self.projects.widths({1: 7, 2: 7})
        self.views[PROJECTS] = self.projects.view
        self.uses_model = UsesModel(self.session, self)
        self.uses = UsesBox(self.session, form.PROJECT_USES.label, self.uses_model, USES)
        self.uses.widths({1: 7})
        self.views[USES] = self.uses.view
        self.projects.setMinimumWidth(360)
        self.uses.setMinimumWidth(260)
        split.addWidget(self.projects)
        split.addWidget(self.uses)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        column.addWidget(split, 1)
        self.projects_total = QLabel()
        self.projects_total.setObjectName(f"{PROJECTS}:total")
        self.projects_total.setWordWrap(True)
        column.addWidget(self.projects_total)
        self.projects.view.selectionModel().currentChanged.connect(self._project_changed)
        self.projects_model.modelReset.connect(self._projects_reset)
        self.project: int | None = None
        self._project_changed(self.projects.view.currentIndex())
        return part

    def _project_changed(self, current: Any, previous: Any = None) -> None:
        row = current.row() if current.isValid() else None
        if row is None and self.project is not None and self.project < self.projects_model.rowCount():
            return  # a reset lost the current index; _projects_reset puts it back
        self.project = row
        self.uses_model.select(row)
        self._uses_title()

    def _projects_reset(self) -> None:
        count = self.projects_model.rowCount()
        if not count:
            self.project = None
            self.uses_model.select(None)
        else:
            row = min(self.project if self.project is not None else 0, count - 1)
            self.project = row
            self.projects.select(row, 0)
            self.uses_model.select(row)
        self._uses_title()

    def _uses_title(self) -> None:
        rows = self.projects_model.rows()
        if self.project is None or self.project >= len(rows):
            self.uses.setTitle(f"{form.PROJECT_USES.label}（请先在左边选中一个项目）")
            return
        name = rows[self.project]["name"] or "（未命名）"
        if len(name) > 16:
            name = name[:15] + "…"
        self.uses.setTitle(f"第 {self.project + 1} 个项目「{name}」的{form.PROJECT_USES.label}")

    def select_project(self, row: int, column: int = 0) -> None:
        self.projects.select(row, column)
        self.project = row
        self.uses_model.select(row)
        self._uses_title()

    def _refresh_projects(self) -> None:
        report = self.session.report
        projects = report.rows(PROJECTS)
        total = report.projects_total()
        stated = report.effective_row(form.EXPENDITURE, report.data["expenditure"][0])["project"]
        text, state = _difference(total, stated)
        line = (
            f"{len(projects)} 个项目合计 {_amount(total)} 万元；支出表「"
            f"{form.institution_label(0, report.institutions[0])}」项目支出 {_amount(stated)} 万元"
        )
        if text:
            line += f"（{text}）"
        self.projects_total.setText(line)
        look.warn(self.projects_total, state == "error")
        if self.project is not None and self.project >= len(projects):
            self._projects_reset()
        self._uses_title()

    # -- 预算数与执行数 ---------------------------------------------------------------------

    def _budget_part(self) -> QWidget:
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(12, 12, 12, 12)
        note = QLabel(
            "评价报告七（二）的预算执行率、公用经费控制率、三公经费控制率、政府采购执行率由这些数字和"
            "收支表、三公经费表、固定资产表算出（单位：万元）。"
        )
        look.label(note, "note")
        note.setWordWrap(True)
        column.addWidget(note)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        for r, node in enumerate(form.BUDGET.values()):
            path = f"{BUDGET}.{node.key}"
            field = LineField(self.session, path, node)
            field.setToolTip(node.help)
            self.fields[path] = field
            label = QLabel(node.label)
            label.setBuddy(field)
            grid.addWidget(label, r, 0)
            grid.addWidget(field, r, 1)
        grid.setColumnStretch(2, 1)
        column.addLayout(grid)
        column.addStretch(1)
        return part

    # -- 报告正文 -------------------------------------------------------------------------

    def _text_part(self) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(10)
        for node in form.NARRATIVE_SECTIONS.children:
            if not isinstance(node, Value):
                continue
            path = f"{SECTIONS}.{node.key}"
            field = LongTextField(self.session, path, node, min_lines=4)
            field.edit.setMaximumHeight(int(field.edit.fontMetrics().lineSpacing() * 10 + 12))
            self.fields[path] = field.edit
            column.addWidget(field)
            if node.key in GENERATED:
                generator = GENERATED[node.key]
                button = QPushButton("按表中数字生成" if generator.whole else "按表中数字更新指标段落")
                button.setObjectName(f"{path}:generate")
                what = "写出这一段" if generator.whole else "改写其中的预算执行率等指标段落和标题中的得分（其余文字不变）"
                button.setToolTip(f"用{generator.uses}的数字{what}；生成后仍可修改，可撤销。")
                button.clicked.connect(lambda _=False, key=node.key: self.generate(key))
                editing_only(self.session, button)
                row = QHBoxLayout()
                row.addWidget(button)
                row.addStretch(1)
                column.addLayout(row)
        column.addStretch(1)
        self.text_scroll = QScrollArea()
        self.text_scroll.setObjectName(f"{SECTIONS}:scroll")
        self.text_scroll.setWidgetResizable(True)
        self.text_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.text_scroll.setWidget(body)
        return self.text_scroll

    def generate(self, key: str) -> None:
        """Write a paragraph from the figures (the clerk edits it afterwards; undoable)."""
        path = f"{SECTIONS}.{key}"
        generator = GENERATED[key]
        text = generator.write(self.session.report)
        current = self.session.report.get(path)
        if current == text:
            messages.status("这一段已与表中数字一致，无需生成。")
            return
        question = (
            "这一段已有文字，按表中数字生成会替换它（可以撤销）。是否继续？"
            if generator.whole
            else "将按表中数字改写这一段中的指标段落和标题中的得分，其余文字不变（可以撤销）。是否继续？"
        )
        if current and not messages.confirm(question, self.window()):
            return
        try:
            self.session.apply("按表中数字生成", lambda report: report.set_text(path, text), None)
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        messages.status("已按表中数字生成，请核对后按需修改。")

    # -- both ---------------------------------------------------------------------------------

    def refresh(self, paths: object = None) -> None:
        if not self.session.touches(paths, "narrative", "expenditure", "institutions"):
            return
        self._refresh_basic()
        self._refresh_projects()
        if paths is None:
            self.projects.view.resizeRowsToContents()
            limit = int(self.projects.view.fontMetrics().lineSpacing() * 3 + 8)
            for r in range(self.projects_model.rowCount()):
                if self.projects.view.rowHeight(r) > limit:
                    self.projects.view.setRowHeight(r, limit)

    def go_to(self, path: str) -> bool:
        """Show the cell or section a path names: its part, its project, its cell."""
        parts = path.split(".")
        if path.startswith(BUDGET + "."):
            widget = self.fields.get(path)
            if widget is None:
                return False
            self.parts.setCurrentIndex(PART_BUDGET)
            widget.setFocus()
            return True
        if path.startswith(SECTIONS + "."):
            widget = self.fields.get(path)
            if widget is None:
                return False
            self.parts.setCurrentIndex(PART_TEXT)
            widget.setFocus()
            self.text_scroll.ensureWidgetVisible(widget)
            return True
        if path.startswith(BASIC + ".") and len(parts) == 4:
            self.parts.setCurrentIndex(PART_BASIC)
            return self._focus(self.basic, path)
        if path.startswith(PROJECTS + ".") and len(parts) >= 4 and parts[2].isdigit():
            row = int(parts[2])
            if row >= self.projects_model.rowCount():
                return False
            self.parts.setCurrentIndex(PART_PROJECTS)
            if parts[3] == "uses" and len(parts) == 6:
                self.select_project(row, 1)
                return self._focus(self.uses, path)
            self.select_project(row)
            return self._focus(self.projects, path)
        return False

    @staticmethod
    def _focus(box: TableBox, path: str) -> bool:
        idx = box.model.index_of(path)
        if not idx.isValid():
            return False
        box.select(idx.row(), idx.column())
        box.view.setFocus()
        return True
