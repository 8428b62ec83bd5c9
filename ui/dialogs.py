"""The report list (open, create, duplicate, recycle bin) and the revision history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import ReportDamaged, ZipingError
from models.report import Report, differences
from models.standing import status_label
from models.store import HistoryEntry, RevisionInfo, backups, from_backup
from ui import messages
from ui import session as ops
from ui.session import Session


def _stamp(text: str | None) -> str:
    """2026-11-28T12:03:04.123+00:00 → 2026-11-28 12:03."""
    return text[:16].replace("T", " ") if text else ""


class ReportsDialog(QDialog):
    """Every report: open, new, carry over, duplicate, recycle bin."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reports_dialog")
        self.setWindowTitle("报告列表")
        self.session = session
        self.resize(860, 460)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("reports.list")
        self.table.setHorizontalHeaderLabels(["编号", "部门（单位）", "年度", "状态", "最后保存", "报送状态"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda item: self.open_selected())
        layout.addWidget(self.table, 1)
        self.bin = QCheckBox("显示回收站中的报告")
        self.bin.setObjectName("reports.show_bin")
        self.bin.toggled.connect(self.refresh)
        layout.addWidget(self.bin)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("open", "打开", self.open_selected),
            ("new", "新建空白报告", self.new_blank),
            ("carry", "由所选（上年）报告新建", self.carry_over),
            ("duplicate", "复制", self.duplicate),
            ("delete", "移到回收站", self.delete),
            ("undelete", "还原", self.undelete),
        ):
            button = QPushButton(text)
            button.setObjectName(f"reports.{key}")
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        self.forms = QComboBox()
        self.forms.setObjectName("reports.form")
        self.forms.setToolTip("新建空白报告按哪一种表样填写")
        self.forms_label = QLabel("新建报告的表样：")
        self.forms_label.setBuddy(self.forms)
        for template in ops.families():
            self.forms.addItem(template.name, template)
        # The program's own form is first and chosen; with no other, nothing to choose.
        self.forms_label.setVisible(self.forms.count() > 1)
        self.forms.setVisible(self.forms.count() > 1)
        chooser = QHBoxLayout()
        chooser.addWidget(self.forms_label)
        chooser.addWidget(self.forms)
        chooser.addStretch(1)
        layout.addLayout(chooser)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        deleted = self.bin.isChecked()
        try:
            listing = self.session.store.listing(deleted=deleted)
            receipts = self.session.store.receipts()
        except ZipingError as exc:
            messages.error(exc, self)
            listing, receipts = [], {}
        self.table.setRowCount(len(listing))
        for r, info in enumerate(listing):
            values = [
                str(info.id),
                (info.dept_name or "（未填写部门名称）") + self._form_note(info.id),
                str(info.year or ""),
                info.status_label
                + ("（当前打开）" if info.id == self.session.report_id else "")
                + ("（已损坏，无法打开）" if info.id in self.session.damaged else ""),
                _stamp(info.updated_at),
                # as its package brought it: declared by the department, unchecked by its data
                status_label(receipts[info.id].status, receipts[info.id].checked) if info.id in receipts else "",
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                self.table.setItem(r, c, item)
            if info.id == self.session.report_id:
                self.table.selectRow(r)
        if listing and not self.table.selectedItems():
            self.table.selectRow(0)
        for key in ("open", "carry", "duplicate", "delete"):
            self.buttons[key].setEnabled(not deleted)
        self.buttons["new"].setEnabled(not deleted)
        self.buttons["undelete"].setEnabled(deleted)

    def _form_note(self, report_id: int) -> str:
        """「（重庆市部门整体绩效自评表）」 after a report filled in another family's form."""
        from models import template_registry as registry
        from models.template_choice import family, running

        try:
            named = self.session.store.template(report_id)
        except ZipingError:
            return ""
        if named is None or family(named["id"]) == family(running().id):
            return ""
        found = registry.find(named["id"], named.get("version"))
        return f"（{found.name if found is not None else named['id']}）"

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select_id(self, report_id: int) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == report_id:
                self.table.selectRow(r)

    def _run(self, fn: Any, *args: Any) -> Any:
        return messages.attempt(fn, *args, parent=self)

    def open_selected(self) -> None:
        report_id = self.selected_id()
        if report_id is None or self.bin.isChecked():
            return
        try:
            self.session.open(report_id)
        except ReportDamaged as exc:
            self.session.damaged[report_id] = str(exc)
            repaired = offer_repair(self.session, report_id, str(exc), self)
            self.refresh()
            if not repaired:
                return
        except ZipingError as exc:
            messages.error(exc, self)
            return
        if self.session.report_id == report_id:
            self.accept()

    def new_blank(self) -> None:
        """A blank report in the form chosen beside the button (the program's own unless
        another family's is chosen)."""
        chosen = self.forms.currentData() if self.forms.currentIndex() > 0 else None
        if self._run(ops.new_blank, self.session, chosen) is not None:
            self.accept()

    def carry_over(self) -> None:
        report_id = self.selected_id()
        if report_id is not None and carry_over(self.session, report_id, self) is not None:
            self.accept()

    def duplicate(self) -> None:
        report_id = self.selected_id()
        if report_id is not None and self._run(ops.duplicate, self.session, report_id) is not None:
            self.refresh()

    def delete(self) -> None:
        report_id = self.selected_id()
        if report_id is None:
            return
        go, reason = ask_delete(self.session, report_id, self)
        if go:
            self._run(ops.delete, self.session, report_id, reason)
            self.refresh()

    def undelete(self) -> None:
        report_id = self.selected_id()
        if report_id is not None:
            self._run(ops.undelete, self.session, report_id)
            self.refresh()


class HistoryDialog(QDialog):
    """The revisions of the open report, what each changed, and restoring one."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle("历史版本")
        self.session = session
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("history.list")
        self.table.setHorizontalHeaderLabels(["版本", "时间", "方式", "备注（原因）"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.show_selected)
        split.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("与当前内容相比，这个版本中不同的地方："))
        self.diff = QPlainTextEdit()
        self.diff.setObjectName("history.diff")
        self.diff.setReadOnly(True)
        right_layout.addWidget(self.diff)
        split.addWidget(right)
        split.setSizes([380, 600])
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("恢复到这个版本")
        self.restore_button.setObjectName("history.restore")
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore)
        row.addWidget(self.restore_button)
        row.addWidget(QLabel("恢复后原来的内容仍保留为一个历史版本。"))
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.entries: list[HistoryEntry] = []
        self.refresh()

    @property
    def revisions(self) -> list[RevisionInfo]:
        return [e.revision for e in self.entries if e.revision is not None]

    def refresh(self) -> None:
        """Every version and every event (定稿, 重新打开, 替换, 导出, 回收站 …) in time order,
        newest first; a version by the report's own number, an event in grey."""
        assert self.session.report_id is not None
        try:
            self.entries = self.session.store.history(self.session.report_id)
        except ZipingError as exc:
            messages.error(exc, self)
            self.entries = []
        self.table.setRowCount(len(self.entries))
        grey = QBrush(QColor("#5a6472"))
        for r, entry in enumerate(self.entries):
            number = f"版本 {entry.revision.number}" if entry.revision is not None else "—"
            for c, text in enumerate((number, _stamp(entry.at), entry.label, entry.note)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if entry.event is not None:
                    item.setForeground(grey)
                self.table.setItem(r, c, item)
        first = next((r for r, e in enumerate(self.entries) if e.revision is not None), None)
        if first is not None:
            self.table.selectRow(first)
        self.restore_button.setEnabled(not self.session.readonly)

    def selected(self) -> Any:
        """The version selected; None for an event (or nothing)."""
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()].revision if rows else None

    def show_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        entry = self.entries[rows[0].row()] if rows else None
        if entry is not None and entry.event is not None:
            self.diff.setPlainText(
                f"{_stamp(entry.at)}　{entry.label}" + (f"\n{entry.note}" if entry.note else "")
                + "\n\n这是一条记录，不是保存的版本；选中一个版本可以看它与当前内容的不同。"
            )
            self.restore_button.setEnabled(False)
            return
        self.restore_button.setEnabled(not self.session.readonly)
        rev = self.selected()
        if rev is None or self.session.report_id is None:
            self.diff.setPlainText("")
            return
        try:
            old = self.session.store.load_revision(self.session.report_id, rev.id)
        except ZipingError as exc:
            self.diff.setPlainText(str(exc))
            return
        lines = difference_lines(old, self.session.report)
        self.diff.setPlainText("\n".join(lines) if lines else "与当前内容相同。")

    def restore(self) -> None:
        rev = self.selected()
        if rev is None:
            return
        if not messages.confirm(
            f"把报告恢复到版本 {rev.number}（{_stamp(rev.saved_at)}）？当前内容仍保留为一个历史版本。", self
        ):
            return
        try:
            ops.restore_revision(self.session, rev.id)
        except ZipingError as exc:
            messages.error(exc, self)
            return
        messages.status(f"已恢复到版本 {rev.number}（{_stamp(rev.saved_at)}）。")
        self.accept()


def ask_delete(session: Session, report_id: int, parent: QWidget | None = None) -> tuple[bool, str | None]:
    """Ask before a report goes to the recycle bin: (go ahead, reason). A final report
    goes only with a reason, which is recorded; the question says it is final."""
    try:
        info = session.store.info(report_id)
    except ZipingError as exc:
        messages.error(exc, parent)
        return False, None
    name = f"{info.dept_name or '（未填写部门名称）'} {info.year or ''}年度（编号 {report_id}）"
    if info.status == "final":
        reason = messages.ask_reason(
            f"报告「{name}」已定稿。定稿的报告移到回收站须说明原因（会被记录在历史版本中；"
            "可在「报告列表」中勾选「显示回收站中的报告」后还原）：",
            "报告没有移到回收站。",
            parent,
        )
        return reason is not None, reason
    return messages.confirm(f"把报告「{name}」移到回收站？可在「报告列表」中勾选「显示回收站中的报告」后还原。", parent), None


#: Answers when next year's report of the department exists already.
CARRY_CHOICES = ["打开已有的报告", "仍然再新建一份"]


def carry_over(session: Session, report_id: int, parent: QWidget | None = None) -> int | None:
    """Next year's report from this one; when the department has it already, say so and
    offer to open it (or, deliberately, to make a second one). The report opened, or None."""
    from models.errors import AlreadyExists

    try:
        return ops.carry_over(session, report_id)
    except AlreadyExists as exc:
        ids = "、".join(str(i) for i in exc.ids)
        answer = messages.choose(
            f"由本报告结转的下一年度报告已经有了（编号 {ids}）。同一部门同一年度只应有一份报告："
            "要打开已有的报告吗？",
            CARRY_CHOICES, parent,
        )
        if answer == 0:
            return messages.attempt(_open, session, exc.ids[0], parent=parent)
        if answer == 1:
            return messages.attempt(ops.carry_over, session, report_id, True, parent=parent)
        messages.status("没有新建报告。")
        return None
    except ZipingError as exc:
        messages.error(exc, parent)
        return None


def _open(session: Session, report_id: int) -> int:
    session.open(report_id)
    return report_id


def offer_repair(session: Session, report_id: int, problem: str, parent: QWidget | None = None) -> bool:
    """A report whose current version cannot be read: offer its last good revision,
    else its copy in the newest daily backup that has one, and open it. The damaged
    version stays in the history, for support to look at. Whether it was repaired."""
    store = session.store
    try:
        info = store.info(report_id)
        good = store.last_good_revision(report_id)
    except ZipingError as exc:
        messages.error(f"{problem}\n{exc}", parent)
        return False
    name = f"{info.dept_name or '（未填写部门名称）'} {info.year or ''}年度（编号 {report_id}）"
    try:
        if good is not None:
            if not messages.confirm(
                f"{problem}\n\n报告「{name}」最近一个完好的版本是 {_stamp(good.saved_at)} 保存的"
                f"（{good.kind_label}）。是否恢复到这个版本？损坏的版本仍保留在历史版本中。",
                parent,
            ):
                return False
            store.restore(report_id, good.id)
        else:
            found = next(
                ((b, r) for b in backups(store.path) if (r := from_backup(b, report_id)) is not None), None
            )
            if found is None:
                messages.error(
                    f"{problem}\n\n报告「{name}」没有完好的历史版本，自动备份中也没有它。其他报告不受影响；"
                    f"请把数据库文件「{store.path}」交技术支持。",
                    parent,
                )
                return False
            backup, report = found
            if not messages.confirm(
                f"{problem}\n\n报告「{name}」没有完好的历史版本，自动备份「{backup.name}」中有它。"
                "是否用备份中的内容恢复？恢复后作为新版本保存，损坏的版本仍保留在历史版本中。",
                parent,
            ):
                return False
            store.save(report_id, report, kind="restore", note=f"由备份 {backup.name} 恢复")
        session.open(report_id)
    except ZipingError as exc:
        messages.error(exc, parent)
        return False
    messages.status(f"报告「{name}」已恢复并打开。")
    return True


def difference_lines(old: Report, new: Report, limit: int = 200) -> list[str]:
    """What differs between two reports, one line per cell: 这个版本 → 现在."""
    lines = [f"{label}：这个版本为「{before}」，现在为「{after}」" for _, label, before, after in differences(old, new)]
    return lines[:limit] + ["……"] if len(lines) > limit else lines
