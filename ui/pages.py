"""One page per tab, built from the form nodes that carry that tab.

Nothing here re-types a label or a column: a Record becomes fields, an
InstitutionRows or Rows becomes a table, in the order models.form lists them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models import form
from models.document import format_value
from models.errors import ZipingError
from models.form import Bands, InstitutionRows, Record, Rows, Value
from models.money import add, format_decimal
from models.paper import PAPER
from ui import look, messages
from ui.fields import LineField, LongTextField, editing_only
from ui.session import Session
from ui.tables import GroupedHeader, InstitutionModel, RowsModel, SheetView


def nodes_for_tab(tab: str, root: Record | None = None) -> list[Any]:
    """The parts of a form (the program's own unless ``root`` is given) on a tab."""
    return [n for n in (root or form.REPORT).children if getattr(n, "tab", None) == tab]


def _title(text: str) -> QLabel:
    label = look.label(QLabel(text), "sectionTitle")
    label.setWordWrap(True)
    return label


def _note(text: str) -> QLabel:
    label = look.label(QLabel(text), "note")
    label.setWordWrap(True)
    return label


def _button(text: str, tip: str, slot: Any, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setObjectName(name)
    button.clicked.connect(slot)
    button.setAutoDefault(False)
    return button


class LazyPage(QWidget):
    """A tab's page whose widgets are made when first needed: the window shows its
    first tab at once and makes the others right after (or when one is opened first).
    ``fields`` and ``views`` map paths / table keys to widgets once it is built."""

    def __init__(self, session: Session, tab: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tab = tab
        self.setObjectName(f"page:{tab}")
        self.views: dict[str, SheetView] = {}
        self.fields: dict[str, QWidget] = {}
        self.built = False

    def build(self) -> None:
        if not self.built:
            self.built = True
            self._build()

    def _build(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.build()
        super().showEvent(event)


class Page(LazyPage):
    """A tab's page of the form's nodes that carry that tab: the program's form, or
    ``root``, the parts of a form of another family (records and row tables only)."""

    def __init__(self, session: Session, tab: str, root: Record | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, tab, parent)
        self.root = root

    def _build(self) -> None:
        session = self.session
        nodes = nodes_for_tab(self.tab, self.root)
        stretchy = any(
            isinstance(n, Rows) and any(c.kind == "longtext" for c in n.columns) for n in nodes
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        body.setObjectName("pageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        for node in nodes:
            if isinstance(node, Record):
                self._record(node, layout)
            elif isinstance(node, InstitutionRows):
                layout.addWidget(InstitutionSection(session, node, self))
            elif isinstance(node, Rows):
                layout.addWidget(RowsSection(session, node, node.key, self), 1 if stretchy else 0)
        if stretchy:
            outer.addWidget(body)
        else:
            layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(body)
            outer.addWidget(scroll)

    def _record(self, record: Record, layout: QVBoxLayout) -> None:
        layout.addWidget(_title(record.label))
        if record is form.COVER:
            layout.addWidget(CoverTitle(self.session))
        shorts = [n for n in record.children if isinstance(n, Value) and n.kind != "longtext"]
        longs = [n for n in record.children if isinstance(n, Value) and n.kind == "longtext"]
        per_row = 2 if len(shorts) > 3 and record is not form.COVER else 1
        if self.session.flat:  # a form of another family may say how many fields a line holds
            per_row = int(self.session.report.form.layout.get(record.key, {}).get("per_row", per_row))
        if shorts or any(isinstance(n, Bands) for n in record.children):
            box = QWidget()
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(8)
            for i, node in enumerate(shorts):
                path = f"{record.key}.{node.key}"
                field = LineField(self.session, path, node)
                self.fields[path] = field
                label = QLabel(("* " if node.required else "") + node.label)
                label.setBuddy(field)
                label.setObjectName("fieldLabel")
                r, c = divmod(i, per_row)
                grid.addWidget(label, r, c * 2)
                grid.addWidget(field, r, c * 2 + 1)
            for c in range(per_row):
                grid.setColumnStretch(c * 2 + 1, 1)
            row = (len(shorts) + per_row - 1) // per_row
            for child in record.children:
                if isinstance(child, Bands):
                    bands = BandsField(self.session, f"{record.key}.{child.key}")
                    self.fields[bands.objectName()] = bands
                    label = QLabel(child.label)
                    label.setObjectName("fieldLabel")
                    grid.addWidget(label, row, 0)
                    grid.addWidget(bands, row, 1, 1, per_row * 2 - 1)
                    row += 1
            if per_row == 1:
                box.setMaximumWidth(820)
            layout.addWidget(box)
        for child in record.children:
            if isinstance(child, Rows):
                section = RowsSection(self.session, child, f"{record.key}.{child.key}", self)
                layout.addWidget(section)
        opinions = {o.key: o for o in self.session.report.form.opinions}
        for node in longs:
            path = f"{record.key}.{node.key}"
            lines = 10 if record is form.BASICS else 4
            text = LongTextField(self.session, path, node, min_lines=lines)
            if record is not form.BASICS:
                text.edit.setMaximumHeight(int(text.edit.fontMetrics().lineSpacing() * 7 + 12))
            self.fields[path] = text.edit
            layout.addWidget(text)
            if node.key in opinions:
                sign = "　　".join(opinions[node.key].sign_lines) + "　　年　　月　　日"
                layout.addWidget(_note(f"（纸面签字栏：{sign}）"))


class CoverTitle(QLabel):
    """The title as printed: {dept_name}{year}年度部门整体支出 / 绩效自评报告."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        look.label(self, "coverTitle")
        self.setContentsMargins(12, 12, 12, 12)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        session.changed.connect(self.refresh)
        self.refresh()

    def refresh(self, paths: object = None) -> None:
        if not self.session.touches(paths, "cover"):
            return
        r = self.session.report
        year = f"{r.year}年度" if r.year else "____年度"
        first, second = PAPER.title_lines
        self.setText(f"{r.dept_name or '（部门名称）'}{year}{first}\n{second}")


class BandsField(QLineEdit):
    """The grade bands as one line: 90 优；80 良；60 较差；0 差."""

    def __init__(self, session: Session, path: str) -> None:
        super().__init__()
        self.session = session
        self.setObjectName(path)
        self.setToolTip("等级档次：每档写「下限 等级」，用「；」隔开。某分数属于下限不超过它的最高一档。")
        self.editingFinished.connect(self._finished)
        session.changed.connect(self.refresh)
        session.opened.connect(self._opened)
        self.refresh()

    def _opened(self) -> None:
        self.setReadOnly(self.session.readonly)

    def stored_text(self) -> str:
        return "；".join(f"{format_decimal(lo)} {word}" for lo, word in self.session.report.bands())

    def refresh(self, paths: object = None) -> None:
        if not self.session.touches(paths, "score"):
            return
        if not self.hasFocus() and self.text() != self.stored_text():
            self.setText(self.stored_text())

    def _finished(self) -> None:
        if self.text() == self.stored_text():
            return
        try:
            text = self.text()
            self.session.apply("修改等级档次", lambda r: r.set_bands(text), {"score.bands"})
        except ZipingError as exc:
            self.setText(self.stored_text())
            messages.error(exc, self.window())


class Section(QGroupBox):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        look.section(self)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)
        self.box.setSpacing(6)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)

    def relayout(self) -> None:
        """After a change of font size."""

    def fit_height(self, view: SheetView) -> None:
        """Show every row without a vertical scroll bar (short tables of one-line rows)."""
        rows = view.verticalHeader()
        rows.setDefaultSectionSize(int(view.fontMetrics().lineSpacing() * 1.6))
        header = view.horizontalHeader()
        height = max(header.minimumHeight(), header.sizeHint().height()) + 2 * view.frameWidth() + 4
        height += rows.defaultSectionSize() * view.model().rowCount()
        view.setFixedHeight(height)


class InstitutionSection(Section):
    """An institution table with the buttons for 二级机构."""

    def __init__(self, session: Session, table: InstitutionRows, page: Page) -> None:
        super().__init__(table.label, page)
        self.session = session
        self.table = table
        self.model = InstitutionModel(session, table, self)
        self.view = SheetView(self.model, table.key)
        self.view.setAccessibleName(table.label)
        page.views[table.key] = self.view
        if table.groups:
            self.view.use_groups(table)
        header = self.view.horizontalHeader()
        header.setMinimumHeight(self.header_height())
        from PySide6.QtWidgets import QHeaderView

        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().hide()
        self.box.addWidget(self.view)
        edits = [
            _button(text, tip, slot, f"{table.key}:{name}")
            for text, tip, slot, name in (
                ("添加二级机构", "在四张收支表中都加一行二级机构", self.add, "add_institution"),
                ("删除二级机构", "删除当前行的二级机构（四张表中的该行一并删除）", self.remove, "remove_institution"),
                ("上移", "把当前二级机构上移一行", lambda: self.shift(-1), "institution_up"),
                ("下移", "把当前二级机构下移一行", lambda: self.shift(1), "institution_down"),
            )
        ]
        for button in edits:
            self.buttons.addWidget(button)
        self.stated = _button(
            "汇总行改用自动合计",
            "导入的文件自带汇总行，审核时核对它是否等于各机构之和。"
            "点此弃用文件中的汇总数，汇总行改由各机构自动合计（可撤销）。",
            self.drop_stated_summary,
            f"{table.key}:drop_stated_summary",
        )
        self.buttons.addWidget(self.stated)
        editing_only(session, *edits, self.stated)
        self.buttons.addStretch(1)
        self.buttons.addWidget(
            _note("灰色斜体为自动合计（汇总行和未填写的合计栏）；汇总行中的正体数字是导入的文件填报的；"
                  "红色为错误，黄色为警告，鼠标停留可看说明。")
        )
        self.box.addLayout(self.buttons)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model.modelReset.connect(lambda: self.fit_height(self.view))
        self.fit_height(self.view)
        session.changed.connect(self._stated_visible)
        self._stated_visible()

    def _stated_visible(self, paths: object = None) -> None:
        if self.session.touches(paths, "summary"):
            self.stated.setVisible(self.session.report.data.get("summary") is not None)

    def drop_stated_summary(self) -> None:
        try:
            self.session.apply("汇总行改用自动合计", lambda r: r.drop_stated_summary(), None)
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        messages.status("汇总行已改由各机构自动合计。")

    def header_height(self) -> int:
        """Room for two-line column labels, and the group headings above them."""
        header = self.view.horizontalHeader()
        bands = header.depth() * header.band if isinstance(header, GroupedHeader) else 0
        return int(self.view.fontMetrics().lineSpacing() * 3.2) + bands

    def relayout(self) -> None:
        header = self.view.horizontalHeader()
        header.setMinimumHeight(self.header_height())
        self.fit_height(self.view)

    def current_institution(self) -> int | None:
        row = self.view.currentIndex().row()
        return row - 1 if row >= 1 else None

    def add(self) -> None:
        name = messages.ask_text("新二级机构的名称：", self.window())
        if name is None:
            return
        try:
            index = self.session.apply(
                "添加二级机构", lambda r: r.add_institution(name), None
            )
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        self.view.setCurrentIndex(self.model.index(index + 1, 1))

    def remove(self) -> None:
        i = self.current_institution()
        if i is None or i == 0:
            messages.error("请先选中要删除的二级机构所在的行（部门本级不能删除）。", self.window())
            return
        name = form.institution_label(i, self.session.report.institutions[i])
        if not messages.confirm(f"删除「{name}」？它在收入、支出、三公经费、固定资产四张表中的数字将一并删除（可撤销）。", self.window()):
            return
        try:
            self.session.apply("删除二级机构", lambda r: r.remove_institution(i), None)
        except ZipingError as exc:
            messages.error(exc, self.window())

    def shift(self, step: int) -> None:
        i = self.current_institution()
        count = len(self.session.report.institutions)
        if i is None or i == 0 or not (1 <= i + step < count):
            messages.status("部门本级始终排在第一行；请选中一个二级机构再移动。")
            return
        column = max(self.view.currentIndex().column(), 0)
        try:
            self.session.apply("移动二级机构", lambda r: r.move_institution(i, i + step), None)
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        self.view.setCurrentIndex(self.model.index(i + step + 1, column))


class RowsSection(Section):
    """A table of rows the clerk adds, removes and reorders."""

    def __init__(self, session: Session, table: Rows, path: str, page: Page) -> None:
        super().__init__(table.label, page)
        self.session = session
        self.table = table
        self.path = path
        self.model = RowsModel(session, table, path, self)
        self.view = SheetView(self.model, path)
        self.view.setAccessibleName(table.label)
        page.views[path] = self.view
        self.columns = table.form_columns
        self.longtext = [i for i, c in enumerate(self.columns) if c.kind == "longtext"]
        # 定性目标 has few rows of long text: the table takes most of the room, so a row shows it whole.
        self.box.addWidget(self.view, 3 if path == "qualitative" else 1)
        for text, tip, slot, name in (
            ("添加行", "在表格末尾添加一行", self.append, "add_row"),
            ("插入行", "在当前行之前插入一行", self.insert, "insert_row"),
            ("删除行", "删除当前行", self.remove, "remove_row"),
            ("上移", "把当前行上移一行", lambda: self.shift(-1), "row_up"),
            ("下移", "把当前行下移一行", lambda: self.shift(1), "row_down"),
        ):
            button = _button(text, tip, slot, f"{path}:{name}")
            editing_only(session, button)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self.total = QLabel()
        self.total.setObjectName(f"{path}:total")
        self.buttons.addWidget(self.total)
        self.box.addLayout(self.buttons)
        self.detail: LongTextField | None = None
        if self.longtext:
            self.detail = LongTextField(session, None, self.columns[self.longtext[0]], min_lines=3)
            self.detail.setObjectName(f"{path}:detail")
            self.detail.label.setText("当前单元格（长文字在此编辑，Enter 换行）")
            self.box.addWidget(self.detail, 0)
            # Five lines to edit in: the table above shows the rows' texts whole.
            self.detail.edit.setMaximumHeight(int(self.detail.edit.fontMetrics().lineSpacing() * 5 + 12))
            self.view.selectionModel().currentChanged.connect(self._current_changed)
            self.model.modelReset.connect(self._start_at_text)
            self._start_at_text()
        # Long texts wrap in their cells; the 一级/二级 columns are narrower.
        if self.longtext:
            self._widths()
            # Wrapped rows need new heights when the columns change width.
            self._heights_timer = QTimer(self)
            self._heights_timer.setSingleShot(True)
            self._heights_timer.setInterval(0)
            self._heights_timer.timeout.connect(self._row_heights)
            self.view.horizontalHeader().sectionResized.connect(lambda *_: self._heights_timer.start())
            if path == "qualitative":  # its rows are as tall as the table: they follow its height
                self.view.viewport().installEventFilter(self)
        else:
            self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.model.modelReset.connect(lambda: self.fit_height(self.view))
            self.fit_height(self.view)
        #: The columns' relative widths a form of another family gives for its table
        #: (``[layout.<table>] widths``): the screen keeps the paper's proportions.
        self.shares: list[float] = []
        hints = session.report.form.layout.get(path, {}) if session.flat else {}
        widths = hints.get("widths")
        if isinstance(widths, list) and len(widths) == len(self.columns) and not self.longtext:
            self.shares = [float(w) for w in widths]
            from PySide6.QtWidgets import QHeaderView

            self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            self.view.viewport().installEventFilter(self)
            self._header_lines()
        session.changed.connect(self.refresh)
        self.refresh(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.longtext:
            self._heights_timer.start()
        elif event.type() == QEvent.Type.Resize and self.shares:
            self._share_width()
        return False

    def _header_lines(self) -> None:
        """Room for column labels on two lines (narrow columns wrap theirs)."""
        header = self.view.horizontalHeader()
        header.setMinimumHeight(int(self.view.fontMetrics().lineSpacing() * 2.6))
        self.fit_height(self.view)

    def _share_width(self) -> None:
        """Columns as wide as their shares of the table's width."""
        header = self.view.horizontalHeader()
        room = self.view.viewport().width()
        total = sum(self.shares)
        used = 0
        for i, share in enumerate(self.shares):
            width = room - used if i == len(self.shares) - 1 else int(room * share / total)
            header.resizeSection(i, max(width, header.minimumSectionSize()))
            used += width

    def _widths(self) -> None:
        from PySide6.QtWidgets import QHeaderView

        header = self.view.horizontalHeader()
        em = self.view.fontMetrics().horizontalAdvance("国")
        for i, column in enumerate(self.columns):
            if column.kind != "longtext":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                chars = 7 if column.key in ("level1", "level2") else 9
                header.resizeSection(i, int(em * chars + 12))

    def refresh(self, paths: object = None) -> None:
        if not self.session.touches(paths, self.path.split(".", 1)[0]):
            return
        if self.table.merge:
            self._spans()
        if self.longtext and paths is None:
            self._row_heights()
        if self.path == "score_items" and not self.session.flat:
            rows = self.model.rows()
            weight = add([r["weight"] for r in rows])
            score = add([r["score"] for r in rows])
            w = format_decimal(weight) if weight is not None else "—"
            s = format_decimal(score) if score is not None else "—"
            rate = ""
            if weight and score is not None:
                rate = f"，得分率 {format_decimal((score / weight * 100).quantize(1))}%"
            self.total.setText(f"合计：指标分值 {w}，自评得分 {s}{rate}")

    def relayout(self) -> None:
        if self.longtext:
            self._widths()
            self._row_heights()
        elif self.shares:
            self._header_lines()
            self._share_width()
        else:
            self.fit_height(self.view)

    def _row_heights(self) -> None:
        """Rows as tall as their text: up to six lines where the table has many rows,
        up to the table's whole height in 定性目标 (a longer text scrolls within it, and
        the box below shows the current cell whole)."""
        view = self.view
        limit = view.fontMetrics().lineSpacing() * 6 + 8
        if self.path == "qualitative":
            limit = max(limit, view.viewport().height() - 2)
        view.resizeRowsToContents()
        for r in range(self.model.rowCount()):
            if view.rowHeight(r) > limit:
                view.setRowHeight(r, int(limit))

    def _spans(self) -> None:
        view = self.view
        view.clearSpans()
        rows = self.model.rowCount()
        for c, column in enumerate(self.columns):
            if column.key not in self.table.merge:
                continue
            r = 0
            while r < rows:
                first, last = self.model.merge_run(r, c)
                if last > first:
                    view.setSpan(first, c, last - first + 1, 1)
                r = last + 1

    def _start_at_text(self) -> None:
        """Put the cursor on the first long text, so the detail box shows it."""
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, self.longtext[0]))
        self._current_changed(self.view.currentIndex())

    def _current_changed(self, current: Any, previous: Any = None) -> None:
        if self.detail is None:
            return
        column = current.column() if current.isValid() else -1
        if column in self.longtext:
            node = self.columns[column]
            self.detail.node = node
            self.detail.label.setText(f"第 {current.row() + 1} 行「{node.label}」（长文字在此编辑，Enter 换行）")
            self.detail.bind(f"{self.path}.{current.row()}.{node.key}")
        else:
            self.detail.label.setText("选中「" + "」或「".join(self.columns[i].label for i in self.longtext) + "」单元格后可在此编辑长文字")
            self.detail.bind(None)

    def current_row(self) -> int | None:
        row = self.view.currentIndex().row()
        return row if row >= 0 else None

    def _select(self, row: int) -> None:
        column = max(self.view.currentIndex().column(), 0)
        idx = self.model.index(row, column)
        if idx.isValid():
            self.view.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _do(self, label: str, change: Any) -> Any:
        return messages.attempt(self.session.apply, label, change, None, parent=self.window())

    def append(self) -> None:
        row = self._do("添加行", lambda r: r.insert_row(self.path))
        if row is not None:
            self._select(row)

    def insert(self) -> None:
        at = self.current_row() or 0
        row = self._do("插入行", lambda r: r.insert_row(self.path, at))
        if row is not None:
            self._select(row)

    def remove(self) -> None:
        row = self.current_row()
        if row is None:
            messages.error("请先选中要删除的行。", self.window())
            return
        values = [format_value(c, self.model.rows()[row][c.key]) for c in self.table.columns]
        if any(values) and not messages.confirm(f"删除「{self.table.label}」第 {row + 1} 行？（可撤销）", self.window()):
            return
        self._do("删除行", lambda r: r.remove_row(self.path, row))
        if self.model.rowCount():
            self._select(min(row, self.model.rowCount() - 1))

    def shift(self, step: int) -> None:
        row = self.current_row()
        if row is None or not (0 <= row + step < self.model.rowCount()):
            return
        self._do("移动行", lambda r: r.move_row(self.path, row, row + step))
        self._select(row + step)
