"""The tab 自评表 (附件2): the scoring tree, 一级 → 二级 → 三级, with computed scores.

- 一级 and 二级 lines are sums (grey, read-only), collapsible;
- 三级 lines are editable: a 定量指标 row's cells here are the same cells as on
  the 定量指标 tab (one row, two views); a line of the 指标体系 itself
  (预算执行率 …) keeps its 得分 in ``scoring.items``;
- 计算得分 is what the 评分标准 gives from the figures; 「采用」 puts it into 自评得分
  as one undoable edit — nothing is ever replaced without the clerk's click.

Column headings and every line's name come from the report's 指标体系
(:mod:`models.framework`); the figures from :mod:`models.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from models import form, scoring
from models import framework as fw
from models.errors import ReportLocked, ZipingError
from models.money import format_decimal
from ui import look, messages
from ui.pages import LazyPage
from ui.session import LOCKED_MESSAGE, Session
from ui.tables import COMPUTED_BG, COMPUTED_FG, ERROR_BG, PATH_ROLE, WARNING_BG, finding_tooltip

Index = QModelIndex | QPersistentModelIndex

#: Columns: (key, where the heading comes from). "frame:x" is the framework's heading x,
#: "form:x" the label of the 定量指标 row's column x; the rest are the program's own.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "names"),
    ("weight", "frame:weight"),
    ("score", "frame:score"),
    ("suggested", "计算得分"),
    ("adopt", ""),
    ("reason", "frame:reason"),
    ("target", "frame:target"),
    ("actual", "frame:actual"),
    ("nature", "form:nature"),
    ("attainment", "form:attainment"),
    ("category", "form:category"),
    ("criteria", "frame:criteria"),
)
KEYS = [key for key, _ in COLUMNS]
COL = {key: i for i, key in enumerate(KEYS)}
#: What a 定量指标 row's line edits; a framework line edits fewer (its 分值 and name are the framework's).
ROW_EDITS = ("name", "weight", "score", "reason", "target", "actual", "nature", "attainment", "category", "criteria")
LINE_EDITS = ("score", "reason", "target", "actual", "attainment")
CHOICES = ("nature", "attainment", "category")
ADOPT = "采用"


@dataclass
class _Item:
    level: int
    parent: int
    row: int
    children: list[int]
    node1: scoring.Node1
    node2: scoring.Node2 | None = None
    leaf: scoring.Leaf | None = None

    @property
    def key(self) -> str:
        if self.leaf is not None:
            return self.leaf.key
        if self.node2 is not None:
            return f"{self.node1.level1.id}/{self.node2.level2.id if self.node2.level2 else ''}"
        return self.node1.level1.id


def _fig(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


class ScoringModel(QAbstractItemModel):
    """The 自评表 as a tree model; index internal ids are positions in :attr:`items`."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tree: scoring.Tree | None = None
        self.items: list[_Item] = []
        self.roots: list[int] = []
        self._shape: tuple[Any, ...] = ()
        self.rebuild()
        session.changed.connect(self.refresh)

    # -- structure ---------------------------------------------------------------

    def _build(self) -> tuple[scoring.Tree | None, list[_Item], list[int], tuple[Any, ...]]:
        tree = scoring.tree(self.session.report)
        items: list[_Item] = []
        roots: list[int] = []
        if tree is not None:
            for r1, node1 in enumerate(tree.level1):
                i1 = len(items)
                items.append(_Item(1, -1, r1, [], node1))
                roots.append(i1)
                visible = [n for n in node1.nodes if n.level2 is not None or n.leaves]
                for r2, node2 in enumerate(visible):
                    i2 = len(items)
                    items.append(_Item(2, i1, r2, [], node1, node2))
                    items[i1].children.append(i2)
                    for r3, leaf in enumerate(node2.leaves):
                        i3 = len(items)
                        items.append(_Item(3, i2, r3, [], node1, node2, leaf))
                        items[i2].children.append(i3)
        shape = (id(tree.framework) if tree else None, *((it.level, it.parent, it.key) for it in items))
        return tree, items, roots, shape

    def rebuild(self) -> None:
        self.tree, self.items, self.roots, self._shape = self._build()

    def refresh(self, paths: object = None) -> None:
        """After any change: a new shape (rows moved between lines, another 指标体系)
        resets the view; otherwise every cell repaints (sums and findings move)."""
        tree, items, roots, shape = self._build()
        if shape != self._shape:
            self.beginResetModel()
            self.tree, self.items, self.roots, self._shape = tree, items, roots, shape
            self.endResetModel()
            self.layout_reset()
            return
        self.tree, self.items, self.roots = tree, items, roots
        if not roots:
            return
        last = len(COLUMNS) - 1
        self.dataChanged.emit(self.index(0, 0), self.index(len(roots) - 1, last))
        for item in items:
            if item.children:
                first = self.createIndex(0, 0, item.children[0])
                end = self.createIndex(len(item.children) - 1, last, item.children[-1])
                self.dataChanged.emit(first, end)

    def layout_reset(self) -> None:
        """Hook: the view expands the tree again (set by the page)."""

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid():
            children = self.items[parent.internalId()].children
        else:
            children = self.roots
        if not (0 <= row < len(children)) or not (0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        item = self.items[index.internalId()]
        if item.parent < 0:
            return QModelIndex()
        return self.createIndex(self.items[item.parent].row, 0, item.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self.roots)
        if parent.column() != 0:
            return 0
        return len(self.items[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return len(COLUMNS)

    def item(self, index: Index) -> _Item | None:
        return self.items[index.internalId()] if index.isValid() else None

    # -- cells -------------------------------------------------------------------

    def heading(self, column: int) -> str:
        key, source = COLUMNS[column]
        frame = self.tree.framework if self.tree else None
        if source == "names":
            if frame is None:
                return ""
            return "／".join(frame.columns[k] for k in ("level1", "level2", "level3"))
        if source.startswith("frame:"):
            return frame.columns[source[6:]] if frame else ""
        if source.startswith("form:"):
            return form.INDICATORS.row.child(source[5:]).label
        return source

    def path(self, index: Index) -> str | None:
        """The report cell a 三级 line's column shows (for findings and editing)."""
        item = self.item(index)
        if item is None or item.leaf is None:
            return None
        key = KEYS[index.column()]
        if key in ("suggested", "adopt"):
            return None
        leaf = item.leaf
        if leaf.row is not None:
            return f"indicators.{leaf.row}.{key}"
        if key in LINE_EDITS:
            return f"{leaf.key}.{key}"
        return None

    def display(self, item: _Item, key: str) -> str:
        if item.level == 1:
            node1 = item.node1
            return {"name": node1.name, "weight": _fig(node1.weight), "score": _fig(node1.score)}.get(key, "")
        if item.level == 2:
            node2 = item.node2
            assert node2 is not None
            name = node2.name or "（未选二级指标）"
            return {"name": name, "weight": _fig(node2.weight), "score": _fig(node2.score)}.get(key, "")
        leaf = item.leaf
        assert leaf is not None and self.tree is not None
        if key == "name":
            return leaf.name
        if key in ("weight", "score"):
            return _fig(getattr(leaf, key))
        if key == "suggested":
            return leaf.suggestion.text
        if key == "adopt":
            return ADOPT if self.adoptable(item) else ""
        if key == "reason":
            return leaf.reason or ""
        if key == "target":
            return scoring.shown_target(self.tree.framework, leaf)
        if key == "actual":
            return scoring.shown_actual(self.session.report, leaf)
        if key == "nature":
            if leaf.nature_typed:
                return leaf.nature_typed
            return leaf.nature.name if leaf.nature else ""
        if key == "attainment":
            return leaf.attainment or ""
        if key == "category":
            return item.node2.name if item.node2 is not None and item.node2.level2 is not None else ""
        return leaf.shown_criteria

    def stored(self, item: _Item, key: str) -> str:
        """What the editor opens with: the stored text (blank where a default shows)."""
        leaf = item.leaf
        assert leaf is not None
        if key == "nature" and leaf.row is not None:
            return self.session.report.data["indicators"][leaf.row]["nature"] or ""
        if key == "criteria":
            return leaf.criteria or "" if leaf.row is not None else ""
        if key in ("target", "actual") and leaf.row is None:
            return getattr(leaf, key) or "" if leaf.item is not None else ""
        return self.display(item, key)

    def adoptable(self, item: _Item) -> bool:
        leaf = item.leaf
        return leaf is not None and leaf.suggestion.score is not None and leaf.suggestion.score != leaf.score

    def editable(self, item: _Item, key: str) -> bool:
        if self.session.readonly or item.leaf is None:
            return False
        return key in (ROW_EDITS if item.leaf.row is not None else LINE_EDITS)

    def shown_default(self, item: _Item, key: str) -> bool:
        """A value the program shows where nothing is typed (inferred 指标性质, the
        framework's 评分标准, a rate's 目标值 and 完成值)."""
        leaf = item.leaf
        if leaf is None:
            return False
        if key == "nature":
            return leaf.row is None or not self.session.report.data["indicators"][leaf.row]["nature"]
        if key == "criteria":
            return not leaf.criteria or leaf.row is None
        if key in ("target", "actual"):
            return leaf.row is None and not getattr(leaf, key)
        return False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        key = KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, key)
        if role == Qt.ItemDataRole.EditRole:
            return self.stored(item, key) if item.leaf is not None else self.display(item, key)
        if role == PATH_ROLE:
            return self.path(index)
        path = self.path(index)
        found = self.session.finding_at(path) if path else []
        if item.level == 1 and key == "score" and item.node1.stated is not None:
            found = self.session.finding_at(f"score_items.{item.node1.stated}.score")
        computed = item.level < 3 or key == "suggested" or self.shown_default(item, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            if any(f.severity == "error" for f in found):
                return QBrush(ERROR_BG)
            if found:
                return QBrush(WARNING_BG)
            return QBrush(COMPUTED_BG) if item.level < 3 else None
        if role == Qt.ItemDataRole.ForegroundRole and computed:
            return QBrush(COMPUTED_FG)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if item.level == 1:
                font.setBold(True)
            elif computed and item.level == 3:
                font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, key, found) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("weight", "score", "suggested", "adopt"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def tooltip(self, item: _Item, key: str, found: list[Any]) -> str:
        tips = [finding_tooltip(found)] if found else []
        leaf = item.leaf
        if item.level < 3 and key in ("weight", "score"):
            tips.append("由下级指标合计（自动计算）")
            if item.level == 1 and item.node1.stated is not None:
                stated = self.session.report.data["score_items"][item.node1.stated]
                tips.append(f"一级指标得分表填报：分值 {_fig(stated['weight']) or '（空）'}，"
                            f"自评得分 {_fig(stated['score']) or '（空）'}")
        if leaf is not None and key in ("suggested", "adopt"):
            s = leaf.suggestion
            if s.score is not None:
                tips.append(f"按评分标准：{s.criteria}\n{s.figures}")
                if key == "adopt" and self.adoptable(item):
                    tips.append(f"点击把计算得分 {format_decimal(s.score)} 填入自评得分（可撤销）")
            elif s.problem:
                tips.append(s.problem)
        if leaf is not None and self.shown_default(item, key):
            tips.append("未填写，显示的是指标体系或表中数字给出的内容；直接填写则以填写的为准。")
        return "\n".join(tips)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self.item(index)
        if item is not None and self.editable(item, KEYS[index.column()]):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.heading(section)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if KEYS[section] == "suggested":
                return "按指标体系的评分标准，由目标值、完成值或表中数字算出的得分，仅供参考"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        item = self.item(index)
        key = KEYS[index.column()]
        if role != Qt.ItemDataRole.EditRole or item is None or item.leaf is None:
            return False
        text = "" if value is None else str(value)
        if text == self.stored(item, key):
            return True
        try:
            self.store(item, key, text)
        except ZipingError as exc:
            messages.error(exc)
            return False
        return True

    def store(self, item: _Item, key: str, text: str) -> None:
        leaf = item.leaf
        assert leaf is not None
        if self.session.readonly:
            raise ReportLocked(LOCKED_MESSAGE)
        if leaf.row is not None:
            self.session.set_text(f"indicators.{leaf.row}.{key}", text)
            return
        assert leaf.line is not None
        line_id = leaf.line.id
        self.session.apply(f"填写「{leaf.name}」", lambda r: scoring.set_line(r, line_id, key, text),
                           {f"{leaf.key}.{key}"})

    def adopt(self, index: Index) -> bool:
        """「采用」: the computed score becomes 自评得分, as one undoable edit."""
        item = self.item(index)
        if item is None or not self.adoptable(item):
            return False
        assert item.leaf is not None
        key, score = item.leaf.key, item.leaf.suggestion.score
        try:
            self.session.apply(f"采用计算得分「{item.leaf.name}」", lambda r: scoring.adopt(r, key), None)
        except ZipingError as exc:
            messages.error(exc)
            return False
        messages.status(f"已把计算得分 {format_decimal(score)} 填入「{item.leaf.name}」的自评得分（可撤销）。")
        return True

    def choices(self, index: Index) -> list[str]:
        item = self.item(index)
        if item is None or item.leaf is None or self.tree is None:
            return []
        frame = self.tree.framework
        key = KEYS[index.column()]
        if key == "nature":
            return [n.name for n in frame.natures]
        if key == "attainment":
            return [a.name for a in frame.attainment]
        row = self.session.report.data["indicators"][item.leaf.row] if item.leaf.row is not None else {}
        return [b.name for b in frame.category_choices(row.get("level1"))]

    def index_of(self, path: str) -> QModelIndex:
        for i, item in enumerate(self.items):
            if item.leaf is None:
                continue
            for c in range(len(COLUMNS)):
                idx = self.createIndex(item.row, c, i)
                if self.path(idx) == path:
                    return idx
            if path.startswith(item.leaf.key + "."):
                return self.createIndex(item.row, 0, i)
        if path.startswith("score_items."):
            k = int(path.split(".")[1])
            for i in self.roots:
                if self.items[i].node1.stated == k:
                    return self.createIndex(self.items[i].row, COL["score"], i)
        return QModelIndex()


class _Delegate(QStyledItemDelegate):
    """Choices from the 指标体系 for 指标性质, 达成程度 and 二级指标; a button for 「采用」."""

    def __init__(self, model: ScoringModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:  # noqa: N802
        if KEYS[index.column()] in CHOICES:
            combo = QComboBox(parent)
            combo.addItems(["", *self.model.choices(index)])
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            found = editor.findText(text)
            editor.setCurrentIndex(max(found, 0))
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(text)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()  # type: ignore[attr-defined]
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def paint(self, painter: Any, option: Any, index: Index) -> None:
        if KEYS[index.column()] == "adopt" and index.data(Qt.ItemDataRole.DisplayRole):
            button = QStyleOptionButton()
            button.rect = QRect(option.rect.adjusted(3, 2, -3, -2))
            button.text = ADOPT
            button.state = QStyle.StateFlag.State_Enabled if not self.model.session.readonly else QStyle.StateFlag.State_None
            QApplication.style().drawControl(QStyle.ControlElement.CE_PushButton, button, painter)
            return
        super().paint(painter, option, index)


#: Share of the width each column takes (the tree fits its tab: no sideways scrolling).
WEIGHTS = {"name": 15, "weight": 4, "score": 5, "suggested": 5, "adopt": 5, "reason": 11, "target": 8,
           "actual": 10, "nature": 5, "attainment": 5, "category": 7, "criteria": 16}


class _Tree(QTreeView):
    """The tree, its columns shared out over the width it has."""

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        width = self.viewport().width() - 2
        total = sum(WEIGHTS.values())
        used = 0
        for key, weight in WEIGHTS.items():
            size = max(24, width * weight // total)
            if key == KEYS[-1]:
                size = max(24, width - used)
            self.setColumnWidth(COL[key], size)
            used += size


class ScoringPage(LazyPage):
    """The tab 自评表 (made when first needed, like every tab's page)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, form.SCORING_TAB, parent)

    def _build(self) -> None:
        session = self.session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        label = QLabel(form.SCORING.child("framework").label + "：")
        label.setObjectName("fieldLabel")
        self.framework = QComboBox()
        self.framework.setObjectName("scoring.framework")
        self.framework.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.framework.setMinimumContentsLength(16)
        self.framework.setToolTip(form.SCORING.child("framework").help)  # type: ignore[union-attr]
        self.framework.activated.connect(self._choose_framework)
        top.addWidget(label)
        top.addWidget(self.framework, 1)
        self.fill = QPushButton("按自评表填入一级指标得分和评分")
        self.fill.setObjectName("scoring:fill_level1")
        self.fill.setToolTip("把自评表各一级指标的合计填入「评分」页的一级指标得分表和评分（可撤销）")
        self.fill.setAutoDefault(False)
        self.fill.clicked.connect(self.fill_level1)
        top.addWidget(self.fill)
        layout.addLayout(top)
        self.source = QLabel()
        look.label(self.source, "note")
        self.source.setWordWrap(True)
        layout.addWidget(self.source)

        self.model = ScoringModel(session, self)
        self.view = _Tree()
        self.view.setObjectName("scoring.tree")
        look.table_colours(self.view)
        self.view.setAccessibleName(form.SCORING.label)
        self.view.setModel(self.model)
        self.view.setItemDelegate(_Delegate(self.model, self.view))
        self.view.setAlternatingRowColors(False)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.clicked.connect(self._clicked)
        header = self.view.header()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model.layout_reset = self._expand  # type: ignore[method-assign]
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.total = QLabel()
        self.total.setObjectName("scoring:total")
        self.total.setWordWrap(True)
        bottom.addWidget(self.total)
        note = QLabel("灰色为由下级合计的一级、二级指标；斜体为未填写时显示的内容。"
                      "「计算得分」按评分标准算出，仅供参考，点「采用」才填入自评得分（可撤销）。")
        look.label(note, "note")
        note.setWordWrap(True)
        bottom.addWidget(note, 1)
        layout.addLayout(bottom)
        session.changed.connect(self._refresh)
        session.opened.connect(self._opened)
        self._opened()
        self._expand()  # the tree as the report stands when the page is made

    def _expand(self) -> None:
        self.view.expandAll()

    def _opened(self) -> None:
        readonly = self.session.readonly
        self.framework.setEnabled(not readonly)
        self.fill.setEnabled(not readonly)
        self._refresh()

    def _refresh(self, paths: object = None) -> None:
        frames = fw.available()
        current = self.session.report.data["scoring"]["framework"] or fw.DEFAULT
        ids = [self.framework.itemData(i) for i in range(self.framework.count())]
        if ids != [f.id for f in frames]:
            self.framework.clear()
            for frame in frames:
                self.framework.addItem(frame.name, frame.id)
        at = self.framework.findData(current)
        if at < 0:
            self.framework.addItem(f"「{current}」（本程序中没有这个指标体系）", current)
            at = self.framework.count() - 1
        self.framework.setCurrentIndex(at)
        tree = self.model.tree
        if tree is None:
            self.source.setText("找不到这个报告所用的指标体系，无法列出自评表；请另选一个指标体系。")
            self.total.setText("")
            return
        source = tree.framework.source
        short = source if len(source) <= 70 else source[:69] + "…（鼠标停留可看全文）"
        self.source.setText(f"依据：{short}")
        self.source.setToolTip(source)
        stated = self.session.report.data["score_items"]
        self.total.setText(f"{tree.framework.columns['total']}：{tree.framework.columns['weight']} "
                           f"{_fig(tree.weight)}，{tree.framework.columns['score']} {_fig(tree.score) or '—'}"
                           + ("" if stated else "（一级指标得分表未填，评分页显示这些合计）"))

    def _choose_framework(self, index: int) -> None:
        chosen = self.framework.itemData(index)
        current = self.session.report.data["scoring"]["framework"] or fw.DEFAULT
        if chosen == current:
            return
        value = None if chosen == fw.DEFAULT else chosen

        def change(r: Any) -> None:
            r.data["scoring"]["framework"] = value

        try:
            self.session.apply("更换指标体系", change, {"scoring.framework"})
        except ZipingError as exc:
            messages.error(exc, self.window())
            self._refresh()

    def _clicked(self, index: QModelIndex) -> None:
        if KEYS[index.column()] != "adopt" or not index.data(Qt.ItemDataRole.DisplayRole):
            return
        if self.session.readonly:
            messages.status(LOCKED_MESSAGE)
            return
        self.model.adopt(index)

    def fill_level1(self) -> None:
        try:
            self.session.apply("按自评表填入一级指标得分", scoring.fill_level1, None)
        except ZipingError as exc:
            messages.error(exc, self.window())
            return
        messages.status("已按自评表填入一级指标得分和评分（可撤销）。")

    def go_to(self, path: str) -> bool:
        idx = self.model.index_of(path)
        if not idx.isValid():
            return False
        self.view.setCurrentIndex(idx)
        self.view.scrollTo(idx)
        self.view.setFocus()
        return True
