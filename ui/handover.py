"""Excel and handover: the department's export and package, the finance side's
import, paper check and consolidation (汇总).

The work is done by :mod:`reports.workbook`, :mod:`reports.package`,
:mod:`reports.handover` and :mod:`reports.consolidation`; these dialogs only
ask, show and report. Every problem reaches the clerk through :mod:`ui.messages`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import interchange
from models.errors import ZipingError
from models.fileio import is_folder
from models.money import format_decimal
from models.paper import CONSOLIDATION
from models.report import Report
from models.store import Store
from ui import messages

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


def table_texts(table: QTableWidget) -> list[list[str]]:
    """What a table shows, row by row (for tests and copying)."""
    return [[_text(table.item(r, c)) for c in range(table.columnCount())] for r in range(table.rowCount())]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def _name(report: Report) -> str:
    return f"{report.dept_name or '（未填部门名称）'} {report.year or ''}年度"


def _stamp(text: str) -> str:
    return text[:19].replace("T", " ")


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------


def workbook_name(report: Report) -> str:
    from reports.package import package_name

    return str(Path(package_name(report)).with_suffix(".xlsx"))


def export_workbook(report: Report, parent: QWidget | None = None) -> Path | None:
    """导出 Excel: the report as a workbook that looks like the paper form."""
    from reports.workbook import render_workbook

    return messages.save_file(
        "导出 Excel", workbook_name(report), "Excel 工作簿 (*.xlsx)",
        lambda: render_workbook(report), "已导出 Excel「{target}」。", parent,
    )


class PlacementDialog(QDialog):
    """What a workbook gave, before anything is written: problems by sheet!cell, notes."""

    def __init__(self, placement: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbook_import")
        self.setWindowTitle("从 Excel 导入")
        self.placement = placement
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        report = placement.report
        if placement.problems:
            head = (
                f"工作簿中有 {len(placement.problems)} 处内容未能放入报告（见下面的清单）。"
                "导入后这些单元格留空，请在程序中补填；也可以先在 Excel 中改正后再导入。"
            )
        else:
            head = "工作簿的内容都已放入报告，可以导入。"
        self.head = QLabel(f"{_name(report)}：{head}")
        self.head.setObjectName("workbook_import.head")
        self.head.setWordWrap(True)
        layout.addWidget(self.head)
        self.text = QPlainTextEdit(placement.text())
        self.text.setObjectName("workbook_import.text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.text, 1)
        layout.addWidget(QLabel("导入后作为一份新报告保存，当前打开的报告不会被改动。"))
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(
            "仍然导入（未能放入的内容留空）" if placement.problems else "导入为新报告",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok.setObjectName("workbook_import.ok")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def import_workbook(session: Any, parent: QWidget | None = None, path: Path | None = None) -> int | None:
    """从 Excel 导入 (the workbook ``path``, or one the clerk chooses): show what placed
    and what did not; with the clerk's yes, store it as a new report and open it.
    Nothing is written on cancel."""
    from reports.workbook import place_workbook

    if path is None:
        paths = messages.ask_open_paths("从 Excel 导入", "Excel 工作簿 (*.xlsx)", parent)
        if not paths:
            return None
        path = Path(paths[0])
    try:
        placement = place_workbook(path)
    except ZipingError as exc:
        messages.error(exc, parent)
        return None
    if not messages.run_dialog(PlacementDialog(placement, parent)):
        messages.status("已取消导入，什么也没有写入。")
        return None
    note = f"从 Excel 导入 {path.name}"
    if placement.problems:
        note += f"（{len(placement.problems)} 处未能放入）"
    return import_report(session, path, placement.report, note, parent)


#: What the clerk may do when a file's department and year has a report already.
FILE_CONFLICT_CHOICES = ["替换（原报告保留为历史版本）", "两份都保留"]
REPLACE_FINAL = "已定稿。替换定稿的报告须说明原因（会被记录在历史版本中，替换后报告改为草稿）："


def import_report(session: Any, path: Path, report: Report, note: str, parent: QWidget | None = None) -> int | None:
    """A report read from a file (.json, .xlsx), taken in as a package is: the same content as
    a report of its department and year opens that one; another report of that department
    and year asks whether to replace it (a final one only with a reason) or keep both.
    The report opened, or None (nothing written)."""
    from reports.handover import receive_report

    try:
        session.must_flush()
    except ZipingError as exc:
        messages.error(exc, parent)
        return None
    store: Store = session.store
    outcome = receive_report(store, path, report, "ask", note=note)
    if outcome.kind == "conflict":
        answer = messages.choose(f"「{path.name}」\n{outcome.message}", FILE_CONFLICT_CHOICES, parent)
        reason = None
        if answer == 0 and outcome.needs_reason:
            reason = messages.ask_reason(f"该部门该年度的报告{REPLACE_FINAL}", "报告没有替换，什么也没有写入。", parent)
            answer = None if reason is None else answer
        if answer is None:
            messages.status("已取消导入，什么也没有写入。")
            return None
        outcome = receive_report(store, path, report, "replace" if answer == 0 else "keep", reason, note)
    if outcome.kind in ("failed", "conflict") or outcome.report_id is None:
        messages.error(outcome.message, parent)
        return None
    try:
        session.open(outcome.report_id)
    except ZipingError as exc:
        messages.error(exc, parent)
        return None
    done = {
        "imported": f"已从「{path.name}」导入为新报告。",
        "replaced": f"已用「{path.name}」替换报告 {outcome.report_id}，原内容保留为历史版本。",
        "duplicate": f"「{path.name}」与报告 {outcome.report_id} 内容完全相同，未重复导入，已打开该报告。",
    }
    messages.status(done.get(outcome.kind, outcome.message))
    return outcome.report_id


# ---------------------------------------------------------------------------
# The department's side: the handover package
# ---------------------------------------------------------------------------


def pack(session: Any, parent: QWidget | None = None) -> Path | None:
    """生成报送包 to a chosen place (a USB stick). A report with unexplained
    errors is packed only if the clerk confirms, marked 不校验导出."""
    from reports.package import NeedsConfirmation, package_name, write_package

    report = session.report
    path = messages.ask_save_path("生成报送包", package_name(report), "报送包 (*.zpb)", parent)
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".zpb" and not is_folder(target):
        target = target.with_name(target.name + ".zpb")
    session.issued("生成报送包")
    status = "final" if session.final else "draft"
    unchecked = False
    try:
        try:
            where = write_package(report, target, status=status)
        except NeedsConfirmation as exc:
            if not messages.confirm(f"{exc}\n\n仍要生成“不校验导出”的报送包吗？", parent):
                messages.status("未生成报送包。")
                return None
            unchecked = True
            where = write_package(report, target, status=status, unchecked_ok=True)
    except ZipingError as exc:
        messages.error(exc, parent)
        return None
    state = "不校验导出，只作备份" if unchecked else ("已校验，定稿" if status == "final" else "已校验，草稿")
    messages.info(f"已生成报送包「{where}」（{state}）。", parent)
    return where


# ---------------------------------------------------------------------------
# The finance side: taking packages in
# ---------------------------------------------------------------------------

CONFLICT_CHOICES = ["替换（原报告保留为历史版本）", "两份都保留", "跳过"]


class OutcomesDialog(QDialog):
    """What happened to each package, and the count of each kind; the 报送回执 of a package
    taken in, for the department to keep."""

    def __init__(self, outcomes: list[Any], line: str, parent: QWidget | None = None,
                 store: Store | None = None) -> None:
        super().__init__(parent)
        self.outcomes = outcomes
        self.store = store
        self.setObjectName("import_outcomes")
        self.setWindowTitle("导入报送包结果")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        self.line = QLabel(line)
        self.line.setObjectName("import_outcomes.line")
        self.line.setWordWrap(True)
        layout.addWidget(self.line)
        self.table = _table(["报送包", "结果", "数据指纹", "说明"], "import_outcomes.list")
        self.table.setWordWrap(True)
        _fill(self.table, [[o.name, o.label, o.fingerprint or "", o.message] for o in outcomes])
        for r, outcome in enumerate(outcomes):
            colour = {"failed": "#fbd5d5", "conflict": "#fff1c2", "duplicate": "#eeeeee"}.get(outcome.kind)
            if colour:
                _item(self.table, r, 1).setBackground(QBrush(QColor(colour)))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "报送包的校验值只能说明传递中没有损坏，不能证明报告未被改动。请逐份核对盖章纸质报告页脚的"
            "数据指纹（「报送」菜单的「核对纸质报告」），与上面列出的数据指纹一致才是同一份报告。"
        )
        hint.setObjectName("import_outcomes.hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.receipt_button = QPushButton("打印报送回执…")
        self.receipt_button.setObjectName("import_outcomes.receipt")
        self.receipt_button.setToolTip("为所选的、已导入的报送包生成一页报送回执（PDF），签字盖章后交报送单位留存")
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.clicked.connect(self.save_receipt)
        row.addWidget(self.receipt_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._receipt_enabled)
        first = next((r for r, o in enumerate(outcomes) if self._received(o)), None)
        if first is not None:
            self.table.selectRow(first)
        self._receipt_enabled()

    def _received(self, outcome: Any) -> bool:
        return self.store is not None and outcome.report_id is not None and outcome.kind in (
            "imported", "replaced", "duplicate")

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.outcomes[rows[0].row()] if rows else None

    def _receipt_enabled(self) -> None:
        outcome = self.selected()
        self.receipt_button.setEnabled(outcome is not None and self._received(outcome))

    def save_receipt(self) -> Path | None:
        """The 报送回执 of the selected package's report, saved where the officer chooses."""
        from reports.package import safe_file_name
        from reports.receipt import render_receipt

        outcome = self.selected()
        if outcome is None or not self._received(outcome) or self.store is None:
            return None
        store, report_id = self.store, outcome.report_id
        try:
            info = store.info(report_id)
        except ZipingError as exc:
            messages.error(exc, self)
            return None
        name = safe_file_name(f"{info.year or '未填年度'}_{info.dept_name or '未填部门'}_报送回执") + ".pdf"
        where = messages.save_file(
            "保存报送回执", name, "PDF 文件 (*.pdf)", lambda: render_receipt(store, report_id),
            "已生成报送回执「{target}」，请打印、签字盖章后交报送单位。", self,
        )
        if where is not None:
            messages.attempt(store.note_receipt, report_id, f"报送回执 {Path(where).name}", parent=self)
        return where


def receive_packages(session: Any, paths: list[str], parent: QWidget | None = None) -> list[Any]:
    """导入报送包: every package named (folders opened), with a progress dialog
    that can be cancelled; each conflict is asked about; a summary at the end."""
    from reports.handover import package_files, receive, receive_all, summary_line

    store: Store = session.store
    files = package_files(paths)
    if not files:
        messages.error("所选的位置没有报送包（.zpb 文件）。", parent)
        return []
    session.flush()
    dialog = QProgressDialog("正在导入报送包…", "取消", 0, len(files), parent)
    dialog.setObjectName("import_progress")
    dialog.setWindowTitle("导入报送包")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    def progress(done: int, total: int, outcome: Any) -> None:
        dialog.setValue(done)
        dialog.setLabelText(f"已处理 {done} / {total} 个报送包：{outcome.name}")
        QApplication.processEvents()

    def cancelled() -> bool:
        QApplication.processEvents()
        return dialog.wasCanceled()

    outcomes = receive_all(store, files, "ask", progress, cancelled)
    dialog.close()
    dialog.deleteLater()
    for i, outcome in enumerate(outcomes):
        if outcome.kind != "conflict":
            continue
        answer = messages.choose(
            f"「{outcome.name}」\n{outcome.message}", CONFLICT_CHOICES, parent
        )
        reason = None
        if answer == 0 and outcome.needs_reason:
            reason = messages.ask_reason(
                f"「{outcome.name}」：该部门该年度的报告{REPLACE_FINAL}", "该报送包没有导入。", parent
            )
            answer = None if reason is None else answer
        if answer in (0, 1):
            outcomes[i] = receive(store, outcome.path, "replace" if answer == 0 else "keep", reason)
    line = summary_line(outcomes, len(files))
    if session.report_id is not None and any(
        o.kind == "replaced" and o.report_id == session.report_id for o in outcomes
    ):
        session.open(session.report_id)  # the open report was replaced: show the new content
    messages.status(line)
    messages.run_dialog(OutcomesDialog(outcomes, line, parent, store))
    return outcomes


# ---------------------------------------------------------------------------
# The finance side: 核对纸质报告
# ---------------------------------------------------------------------------


class PaperDialog(QDialog):
    """Type, paste or scan the fingerprint of a stamped page; see whose report it is."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paper_check")
        self.setWindowTitle("核对纸质报告")
        self.session = session
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("输入纸质报告页脚“数据指纹”后的 16 位字母数字，或用扫码枪扫描页上的二维码：")
        )
        self.field = QLineEdit()
        self.field.setObjectName("paper_check.fingerprint")
        self.field.setPlaceholderText("例如 3f2a 9c01 77be 4d10")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.look_up)
        layout.addWidget(self.field)
        self.verdict = QLabel()
        self.verdict.setObjectName("paper_check.result")
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.table = _table(["报告", "部门（单位）", "年度", "保存时间", "版本"], "paper_check.list")
        self.table.itemDoubleClicked.connect(lambda *_: self.open_selected())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("打开这份报告")
        self.open_button.setObjectName("paper_check.open")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        row.addWidget(self.open_button)
        row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.matches: list[Any] = []
        self.look_up("")

    def look_up(self, text: str) -> None:
        from reports.handover import find_paper

        if not text.strip():
            fingerprint, self.matches = None, []
            self.verdict.setText("")
        else:
            try:
                fingerprint, self.matches = find_paper(self.session.store, text)
            except ZipingError as exc:
                fingerprint, self.matches = None, []
                self.verdict.setText(str(exc))
            if fingerprint is None:
                self.verdict.setText("没有找到 16 位的数据指纹：请输入页脚“数据指纹”后的 16 位字母数字，或扫描二维码。")
            elif not self.matches:
                self.verdict.setText(
                    f"没有与数据指纹 {fingerprint} 相符的报告：纸质报告与数据库中的任何报告（包括回收站中的）都不一致。"
                )
            else:
                current = any(m.current for m in self.matches)
                deleted = "其中有报告在回收站中（见「版本」一栏），可在「报告列表」中还原。" if any(
                    m.deleted_at for m in self.matches) else ""
                self.verdict.setText(
                    f"数据指纹 {fingerprint} 与下列报告相符"
                    + ("，纸质报告即报告的当前内容。" if current else "；这是较早的版本，报告此后又有修改。")
                    + deleted
                )
        _fill(
            self.table,
            [
                [
                    str(m.report_id),
                    m.dept_name or "（未填部门名称）",
                    str(m.year or ""),
                    _stamp(m.saved_at),
                    (f"版本 {m.number}（当前版本）" if m.current else f"版本 {m.number}（较早的版本）")
                    + ("，报告在回收站中" if m.deleted_at else ""),
                ]
                for m in self.matches
            ],
        )
        if self.matches:
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(self.matches))

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        match = self.matches[rows[0].row()]
        if match.deleted_at:
            messages.error(f"报告 {match.report_id} 在回收站中：请先在「报告列表」中勾选「显示回收站中的报告」，还原后再打开。", self)
            return
        try:
            self.session.open(match.report_id)
        except ZipingError as exc:
            messages.error(exc, self)
            return
        self.accept()


# ---------------------------------------------------------------------------
# The finance side: 汇总
# ---------------------------------------------------------------------------

SUMMARY_HEADERS = ["部门（单位）", "接收时间", "状态", "报送状态", "出错说明", "评分", "等级", "数据指纹", "纸质报告核对"]


def summary_rows(store: Store, year: int) -> list[list[str]]:
    """One row per report of the year, as the 汇总 view shows it; the reports of a department
    that has several for the year are marked, as the 汇总表 leaves them out of its 合计."""
    from reports.consolidation import STATUS_DUPLICATE, duplicated, entries

    twice = duplicated(store.of_year(year))
    rows = []
    for entry in entries(store, year):
        score = entry.self_score
        fingerprint = entry.receipt.fingerprint if entry.receipt else interchange.fingerprint(entry.report)
        rows.append(
            [
                entry.info.dept_name or "（未填部门名称）",
                entry.received_at if entry.receipt else f"{entry.received_at}（本机录入）",
                f"{STATUS_DUPLICATE}（报告 {entry.info.id}）" if entry.info.dept_name in twice else entry.status,
                entry.standing.label,
                entry.standing.explanations,
                format_decimal(score) if isinstance(score, Decimal) else "",
                (entry.grade if entry.report.flat else entry.report.grade()) or "",
                fingerprint,
                entry.paper,
            ]
        )
    return rows


class SummaryDialog(QDialog):
    """汇总: every report of a year, and saving the 汇总表."""

    def __init__(self, session: Any, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consolidation")
        self.setWindowTitle("汇总")
        self.session = session
        self.resize(1000, 520)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setObjectName("consolidation.year")
        self.year.setRange(2000, 2100)
        years = session.store.years()
        self.year.setValue(year or session.report.year or (years[0] if years else 2023))
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(self.refresh)
        row.addWidget(self.year)
        self.count = QLabel()
        self.count.setObjectName("consolidation.count")
        row.addWidget(self.count)
        row.addStretch(1)
        self.save_button = QPushButton("保存汇总表…")
        self.save_button.setObjectName("consolidation.save")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.table = _table(SUMMARY_HEADERS, "consolidation.list")
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel("状态：通过＝审核无问题；有审核发现＝有错误或警告；不校验导出＝报送时仍有未说明的错误，只作备份；"
                   "重复＝该部门本年度有多份报告，汇总表都不计入合计。\n"
                   "报送状态：定稿、草稿为报送包中部门申报的状态；不校验导出和出错说明按报告数据核定。\n"
                   "纸质报告核对：一致＝盖章纸质报告的数据指纹已核对，与报告当前内容相同；未核对＝还没有用"
                   "「核对纸质报告」核对过（报送包的校验值不能证明报告未被改动）。")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = summary_rows(self.session.store, self.year.value())
        except ZipingError as exc:
            messages.error(exc, self)
            rows = []
        _fill(self.table, rows)
        for r, line in enumerate(rows):
            item = _item(self.table, r, SUMMARY_HEADERS.index("数据指纹"))
            item.setFont(_mono(item.font()))
            colour = {"通过": "#e3f4e1", "有审核发现": "#fff1c2", "不校验导出": "#fbd5d5"}.get(line[2], "#fbd5d5")
            if colour:
                _item(self.table, r, 2).setBackground(QBrush(QColor(colour)))
        self.count.setText(f"共 {len(rows)} 份报告" if rows else "这一年度还没有报告。")
        self.save_button.setEnabled(bool(rows))

    def save(self) -> Path | None:
        from reports.consolidation import render_summary

        year = self.year.value()
        return messages.save_file(
            "保存汇总表", f"{CONSOLIDATION.title.format(year=year)}.xlsx", "Excel 工作簿 (*.xlsx)",
            lambda: render_summary(self.session.store, year), f"已生成 {year} 年度汇总表「{{target}}」。", self,
        )


def _mono(font: Any) -> Any:
    mono = QFont(font)
    mono.setFamilies(["DejaVu Sans Mono", "Consolas", "monospace", *font.families()])
    mono.setStyleHint(QFont.StyleHint.Monospace)
    return mono
