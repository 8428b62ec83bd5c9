"""The open report and the few operations that change it.

Every edit the window makes goes through :class:`Session`: it changes the
:class:`~models.report.Report`, pushes an undo command (a snapshot of the
report's data before and after, so undo covers every field, row and
institution alike), re-runs the rules and schedules the auto-save. Widgets
only read ``session.report`` and listen to the signals.

Auto-save: the first change after a save starts a 500 ms timer that is not
restarted by later changes, so whatever was typed is in the database within a
second, each save one transaction (``Store.save(kind="auto")``).

Saving never undoes a save made elsewhere: the session remembers the revision
its report is based on (``head``) and the store refuses a save on a stale base.
The clerk then chooses between the other version (this window's content is kept
in the history) and this window's (the other stays in the history). A save that
meets another program's lock or a full disk is retried, with growing pauses,
until it goes through; the window's title and status bar say it is unsaved.
While nothing is unsaved, a version saved elsewhere is simply loaded.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models import interchange, resources, rules
from models.errors import (
    DiskFull,
    ReportDamaged,
    ReportLocked,
    StaleRevision,
    StoreBusy,
    StoreError,
    ZipingError,
)
from models.report import Report, differences
from models.store import ReportInfo, Store
from models.template import Template
from ui import messages

AUTOSAVE_MS = 500
#: A save that met a lock or a full disk is tried again after 1 s, then 2, 4 … up to 30 s.
RETRY_FIRST_MS, RETRY_MAX_MS = 1000, 30_000
#: How often the session looks whether its report was saved elsewhere.
WATCH_MS = 2000
#: Undo steps kept; a structural step holds two copies of the report (~40 KB each).
UNDO_LIMIT = 500
SAMPLE = resources.path("samples", "jishou_kegongxin_2023.json")
#: The note of the first version of the report made from the shipped sample.
SAMPLE_NOTE = "随程序附带的样例报告"

LOCKED_MESSAGE = "报告已定稿，不能修改。如需修改，请先在「报告」菜单中选择「重新打开」并说明原因。"
READONLY_MESSAGE = "数据库文件是只读的，报告只能查看，修改无法保存。"
#: The clerk's two answers when the report was saved elsewhere meanwhile.
TAKE_THEIRS = "载入别处的版本"
KEEP_MINE = "以本窗口的内容为准保存"

_MERGE_ID = 7301


class _Snapshot(QUndoCommand):
    """One change of the report: its data before and after."""

    def __init__(self, session: Session, label: str, before: dict, after: dict, merge_key: str | None):
        super().__init__(label)
        self.session = session
        self.before = before
        self.after = after
        self.merge_key = merge_key
        self._first = True

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if isinstance(other, _Snapshot) and other.merge_key and other.merge_key == self.merge_key:
            self.after = other.after
            return True
        return False

    def redo(self) -> None:
        if self._first:  # the change is already made when the command is pushed
            self._first = False
            return
        self.session._replace_data(copy.deepcopy(self.after))

    def undo(self) -> None:
        self.session._replace_data(copy.deepcopy(self.before))


class _Cells(QUndoCommand):
    """A change of a few cells (what was typed): their values before and after.

    Much smaller than a snapshot, so a day of typing keeps a long undo history.
    """

    def __init__(self, session: Session, label: str, values: dict[str, tuple[Any, Any]], merge_key: str | None):
        super().__init__(label)
        self.session = session
        self.values = values
        self.merge_key = merge_key
        self._first = True

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if isinstance(other, _Cells) and other.merge_key and other.merge_key == self.merge_key:
            for path, (old, new) in other.values.items():
                self.values[path] = (self.values[path][0] if path in self.values else old, new)
            return True
        return False

    def _put(self, which: int) -> None:
        for path, pair in self.values.items():
            self.session.report.put(path, pair[which])
        self.session._after_change(set(self.values))

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._put(1)

    def undo(self) -> None:
        self._put(0)


class Session(QObject):
    #: The report's data changed; the argument is the set of changed paths, or
    #: None when anything may have changed (undo, rows added, another report).
    changed = Signal(object)
    #: The rules ran again.
    findings_changed = Signal()
    #: Another report was opened (or the open one's status changed).
    opened = Signal()
    #: Saved (True) or unsaved changes pending (False).
    saved_state = Signal(bool)
    #: Changes could not be saved; the text says why and what happens next.
    save_failed = Signal(str)
    #: The report opened is filled in another form than the one before (a report of a
    #: form of another family, see :attr:`Report.flat`, or back): sent before ``opened``
    #: and ``changed``, so the window rebuilds its tabs before anything reads the report.
    form_changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report_id: int | None = None
        self.report = Report()
        self.info: ReportInfo | None = None
        self.findings: list[rules.Finding] = []
        self.by_cell: dict[str, list[rules.Finding]] = {}
        self.rechecker = rules.Rechecker()
        #: The rules that follow an opening (see rules.LATER) wait for :meth:`recheck_waiting`
        #: instead of the event loop's next turn: the window holds them until its first paint.
        self.hold_later = False
        #: The cells whose findings the last edit changed; None when any may have.
        self.finding_changes: set[str] | None = None
        #: The report as shown (blank cells of the form's ``fill`` rules computed) and the
        #: cells so computed, worked out once per change (see :meth:`shown`).
        self._shown: tuple[dict[str, Any], set[str]] | None = None
        #: The open report is of a form of another family (:attr:`Report.flat`), known
        #: once per opening: widgets ask it for every cell they paint.
        self.flat = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.dirty = False
        #: How amounts show in the tables (models.money.AMOUNT_STYLES); the window's setting.
        self.amounts = "typed"
        self.is_sample = False
        #: The revision the report in the window is based on, and the last one this
        #: session wrote itself (the only one an auto-save may replace).
        self.head: int | None = None
        self.own: int | None = None
        #: The report was saved elsewhere and the clerk has not chosen yet: auto-save waits.
        self.held = False
        #: Why the last save failed (None after a save that went through).
        self.failure: str | None = None
        #: Reports found damaged when they were to be opened: id → the message.
        self.damaged: dict[int, str] = {}
        self._last_save_error: str | None = None
        self._retry_ms = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self.autosave)
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.check_outside)
        self.watch.start()

    # -- opening ---------------------------------------------------------------

    @property
    def final(self) -> bool:
        """The report is marked 定稿."""
        return self.info is not None and self.info.status == "final"

    @property
    def readonly(self) -> bool:
        """Nothing may change: the report is final, the database cannot be written, or
        the report was made by a newer program or template than this one."""
        return self.final or self.store.readonly or self.report.readonly_reason is not None

    def ensure_report(self, preferred: int | None = None) -> None:
        """Open the preferred report, else the newest, else the shipped sample.

        A report whose data cannot be read is noted in :attr:`damaged` and the
        next one is opened: one damaged report does not keep the window shut.
        The whole listing is read only when the first choice cannot be opened.
        """
        first = preferred if preferred is not None and self.store.listed(preferred) else None
        if first is None:
            newest = self.store.listing(limit=1)
            first = newest[0].id if newest else None
        others: list[int] = []
        if first is not None:
            try:
                self.open(first)
                return
            except ReportDamaged as exc:
                self.damaged[first] = str(exc)
            others = [r.id for r in self.store.listing() if r.id != first]
        for report_id in others:
            try:
                self.open(report_id)
                return
            except ReportDamaged as exc:
                self.damaged[report_id] = str(exc)
        if self.store.readonly:
            return  # nothing to show, and nothing can be created
        if first is not None:
            self.open(self.store.create(Report(), kind="create", note="新建空白报告（其他报告无法打开）"))
        else:
            sample = interchange.read(SAMPLE)
            self.open(self.store.create(sample, kind="import", note=SAMPLE_NOTE))

    def open(self, report_id: int) -> None:
        self.must_flush()
        report, head = self.store.load_head(report_id)
        self.info = self.store.info(report_id)
        self.report_id = report_id
        first = self.store.revisions(report_id)[-1]
        #: The report was made from the shipped sample (on the first start).
        self.is_sample = first.kind == "import" and first.note == SAMPLE_NOTE
        self.head, self.own = head, None
        self.held = False
        self.failure = None
        self.damaged.pop(report_id, None)
        reshaped = report.form is not self.report.form
        self.report.data = report.data
        # What the report is besides its data: the form it is filled in, the template it
        # names (kept when it is saved) and, for a newer program's report, why it is only
        # to be looked at.
        self.report.form, self.report.template, self.report.readonly_reason, self.report.kept = (
            report.form, report.template, report.readonly_reason, report.kept)
        self._shown = None
        self.flat = self.report.flat
        self.undo_stack.clear()
        self.dirty = False
        # The text rules of the 评价报告 follow in the event loop's next turn: the window
        # shows the report first (see rules.LATER).
        self._recheck(later=rules.LATER)
        if self.rechecker.waiting and not self.hold_later:
            QTimer.singleShot(0, self.recheck_waiting)
        if reshaped:
            self.form_changed.emit()
        self.opened.emit()
        self.changed.emit(None)
        self.saved_state.emit(True)

    def refresh_info(self) -> None:
        if self.report_id is not None:
            self.info = self.store.info(self.report_id)
            if self.final:  # 定稿: nothing before it can be undone into the final report
                self.undo_stack.clear()
            self.opened.emit()
            self.changed.emit(None)

    # -- saving ----------------------------------------------------------------

    def autosave(self) -> None:
        self.save("auto")

    def save(self, kind: str = "manual", ask: bool = False, note: str | None = None) -> bool:
        """Save now (one transaction). A lock or a full disk: tried again later. Saved
        elsewhere meanwhile: the clerk chooses (an auto-save asks once, then waits for
        Ctrl+S or ``ask``). Other errors go to the clerk once each."""
        self.timer.stop()
        self.retry.stop()
        if self.report_id is None:
            return True
        if not self.dirty and kind == "auto":
            return True
        if self.held and kind == "auto" and not ask:
            return False
        try:
            revision = self.store.save(
                self.report_id, self.report, kind=kind, note=note, expected_head=self.head, own=self.own
            )
        except StaleRevision as exc:
            return self._saved_elsewhere(exc)
        except ReportLocked as exc:
            return self._final_elsewhere(exc)
        except (StoreBusy, DiskFull) as exc:
            self._retry_later(exc, kind)
            return False
        except ZipingError as exc:
            self._failed(str(exc), f"未保存：{exc}")
            if str(exc) != self._last_save_error or kind != "auto":
                self._last_save_error = str(exc)
                messages.error(exc)
            return False
        self._saved(revision)
        return True

    def _saved(self, revision: int) -> None:
        if revision != self.head:
            self.own = revision  # a revision this session wrote
        self.head = revision
        self.held = False
        self.failure = None
        self._retry_ms = 0
        self._last_save_error = None
        self.dirty = False
        assert self.report_id is not None
        self.info = self.store.info(self.report_id)
        self.saved_state.emit(True)

    def _failed(self, why: str, shown: str) -> None:
        self.failure = why
        self.save_failed.emit(shown)

    def _retry_later(self, exc: StoreError, kind: str) -> None:
        self._retry_ms = min(RETRY_MAX_MS, self._retry_ms * 2 or RETRY_FIRST_MS)
        self.retry.start(self._retry_ms)
        seconds = self._retry_ms // 1000
        self._failed(str(exc), f"未保存，{seconds} 秒后自动重试")
        if kind == "auto":
            messages.status(f"{exc}程序会在 {seconds} 秒后自动重试。", self._retry_ms + 1000)
        else:
            messages.error(f"{exc}\n修改仍在窗口中，程序会在 {seconds} 秒后自动重试保存。")

    def _saved_elsewhere(self, exc: StaleRevision) -> bool:
        """The report was saved elsewhere since this window loaded it: never undo that
        silently; the clerk chooses which version becomes the current one."""
        assert self.report_id is not None
        try:
            theirs, head = self.store.load_head(self.report_id)
        except ZipingError as error:
            self._failed(str(error), f"未保存：{error}")
            messages.error(f"{exc}\n{error}")
            return False
        if theirs == self.report:  # the same content: nothing to choose
            self.head, self.own = head, None
            self._saved(head)
            return True
        self.held = True
        self._failed(str(exc), "未保存：报告已在别处更新，请选择如何处理（Ctrl+S）")
        lines = [
            f"  {label}：别处为「{a}」，本窗口为「{b}」"
            for _, label, a, b in differences(theirs, self.report)
        ]
        shown = "\n".join(lines[:12]) + (f"\n  ……另有 {len(lines) - 12} 处" if len(lines) > 12 else "")
        choice = messages.choose(
            f"{exc}\n\n别处的版本与本窗口的内容有 {len(lines)} 处不同：\n{shown}\n\n"
            f"「{TAKE_THEIRS}」：窗口显示别处的版本，本窗口的内容留存为一个历史版本（未采用的修改），可随时恢复。\n"
            f"「{KEEP_MINE}」：本窗口的内容成为最新版本，上面别处的修改就不在当前内容中了"
            "（那个版本仍保留在历史版本中，可随时恢复）。\n请选择：",
            [TAKE_THEIRS, KEEP_MINE],
        )
        if choice == 0:
            return self._take_theirs()
        if choice == 1:
            return self._keep_mine(head)
        messages.status("本窗口的修改尚未保存，自动保存已暂停；按 Ctrl+S 保存时会再次询问。", 15000)
        return False

    def _keep_aside(self, note: str) -> int | None:
        assert self.report_id is not None
        try:
            return self.store.keep_aside(self.report_id, self.report, note)
        except ZipingError as exc:
            self._failed(str(exc), f"未保存：{exc}")
            messages.error(f"{exc}\n本窗口的修改仍在窗口中；关闭窗口时可以另存为 .json 文件。")
            return None

    def _reload_keeping_aside(self, note: str) -> int | None:
        """Show the stored version, this window's content kept in the history first;
        the revision it was kept as, or None when it could not be (nothing changes)."""
        aside = self._keep_aside(note)
        if aside is not None:
            assert self.report_id is not None
            self.dirty = False
            self.open(self.report_id)
        return aside

    def _take_theirs(self) -> bool:
        aside = self._reload_keeping_aside("本窗口未保存的修改（载入别处保存的版本时留存）")
        if aside is None:
            return False
        messages.info(
            f"已载入别处保存的版本。本窗口原来的内容已留存为历史版本（编号 {aside}），"
            "可在「历史版本」中查看、比较或恢复。"
        )
        return True

    def _keep_mine(self, head: int) -> bool:
        self.head = head
        self.own = None
        self.held = False
        saved = self.save("manual", note=f"以本窗口的内容为准保存（别处保存的版本 {head} 仍在历史版本中）")
        if saved:
            messages.status("已以本窗口的内容保存为最新版本；别处保存的版本仍在「历史版本」中。", 15000)
        return saved

    def _final_elsewhere(self, exc: ReportLocked) -> bool:
        """Marked 定稿 elsewhere while this window had unsaved edits: keep them in the
        history and show the final report as it is."""
        aside = self._reload_keeping_aside("本窗口未保存的修改（报告已在别处定稿）")
        if aside is None:
            self.held = True
            return False
        messages.error(
            f"{exc}\n本窗口未保存的修改已留存为历史版本（编号 {aside}）；如需采用，"
            "请「重新打开」后在「历史版本」中恢复。"
        )
        return False

    def check_outside(self) -> None:
        """Look whether the report was changed elsewhere (the command line, another
        program): with nothing unsaved here, show the new version; otherwise save now,
        which meets the change and lets the clerk choose."""
        if self.report_id is None or self.held or self.info is None:
            return
        try:
            head, status, deleted_at = self.store.head(self.report_id)
        except ZipingError:
            return
        if (head, status, deleted_at) == (self.head, self.info.status, self.info.deleted_at):
            return
        if self.dirty:
            self.save("auto", ask=True)
            return
        try:
            if head != self.head:
                self.open(self.report_id)
                messages.status("本报告已在别处保存了新的版本，窗口已载入它。", 15000)
            else:
                self.refresh_info()
        except ZipingError as exc:
            messages.status(str(exc).splitlines()[0], 15000)

    def flush(self, ask: bool = False) -> bool:
        """Save pending changes now (before closing or opening another report);
        whether nothing is left unsaved."""
        if self.dirty:
            self.save("auto", ask=ask)
        return not self.dirty

    def stop(self) -> None:
        """The window is closing: no more saving or looking on a timer."""
        for timer in (self.timer, self.retry, self.watch):
            timer.stop()

    def must_flush(self) -> None:
        """Save pending changes, or refuse to go on (to another report) without them."""
        if not self.flush():
            raise StoreError(
                f"本报告还有修改没有保存（{self.failure or '数据库暂时无法写入'}）。为免丢失，暂不切换到其他报告；"
                "请稍后再试，或先用「报告」菜单中的「导出…」把它另存为 .json 文件。"
            )

    def issued(self, what: str) -> None:
        """The report is about to leave the program (print, export, package): save it
        and keep that version as it is, so its fingerprint stays findable."""
        self.flush()
        if self.report_id is not None:
            try:
                self.store.note_issued(self.report_id, what)
            except ZipingError:
                pass  # a read-only or locked database: printing still goes ahead

    # -- operations --------------------------------------------------------------

    def apply(
        self,
        label: str,
        change: Callable[[Report], Any],
        paths: set[str] | None = None,
        merge_key: str | None = None,
    ) -> Any:
        """Run ``change`` on the report as one undoable edit.

        A :class:`ZipingError` raised by ``change`` leaves the report as it was
        and propagates to the caller, which shows it.
        """
        if self.readonly:
            raise ReportLocked(LOCKED_MESSAGE)
        before = copy.deepcopy(self.report.data)
        try:
            result = change(self.report)
        except ZipingError:
            self.report.data = before
            raise
        after = copy.deepcopy(self.report.data)
        if after == before:
            return result
        self.undo_stack.push(_Snapshot(self, label, before, after, merge_key))
        self._after_change(paths)
        return result

    def set_text(self, path: str, text: str | None, merge: bool | str = False) -> Any:
        """What a clerk typed into a field or cell; raises ValueInputError.

        With ``merge``, consecutive calls for the same path (or the same key,
        when ``merge`` is a string) make one undo step: a run of keystrokes.
        """

        if self.readonly:
            raise ReportLocked(LOCKED_MESSAGE)
        own = path == "score.self_score" and not self.report.flat
        touched = [path, "score.grade"] if own else [path]
        before = {p: self.report.get(p) for p in touched}
        result = self.report.set_score(text) if own else self.report.set_text(path, text)
        after = {p: self.report.get(p) for p in touched}
        if after == before:
            return result
        key = merge if isinstance(merge, str) else (path if merge else None)
        values = {p: (before[p], after[p]) for p in touched if before[p] != after[p]}
        self.undo_stack.push(_Cells(self, f"填写「{_label_of(self.report, path)}」", values, key))
        self._after_change({path})
        return result

    def revert_typing(self, key: str) -> None:
        """Undo a run of keystrokes (merged under ``key``) if it is the last change."""
        index = self.undo_stack.index()
        top = self.undo_stack.command(index - 1) if index > 0 else None
        if isinstance(top, (_Snapshot, _Cells)) and top.merge_key == key:
            self.undo_stack.undo()

    def _replace_data(self, data: dict) -> None:
        self.report.data = data
        self._shown = None
        self._after_change(None)

    def _after_change(self, paths: set[str] | None) -> None:
        self._shown = None
        self.dirty = True
        if not self.timer.isActive():
            self.timer.start()
        self._recheck(paths)
        self.saved_state.emit(False)
        self.changed.emit(paths)

    def recheck_waiting(self) -> None:
        """Run the rules an opening left for later, if any still wait."""
        if self.rechecker.waiting:
            self._recheck(set())

    def _recheck(self, paths: set[str] | None = None, later: tuple[Any, ...] = ()) -> None:
        """Run again the rules that read the changed cells (all of them when ``paths`` is
        None); tell the listeners only when the findings changed, and which cells' did."""
        findings = self.rechecker.check(self.report, paths, later)
        if paths is not None and findings == self.findings:
            self.finding_changes = set()
            return
        by_cell: dict[str, list[rules.Finding]] = defaultdict(list)
        for finding in findings:
            for cell in finding.cells:
                by_cell[cell].append(finding)
        before = self.by_cell
        self.findings, self.by_cell = findings, dict(by_cell)
        self.finding_changes = (
            None if paths is None
            else {c for c in before.keys() | self.by_cell.keys() if before.get(c) != self.by_cell.get(c)}
        )
        self.findings_changed.emit()

    def touches(self, paths: object, *roots: str) -> bool:
        """Whether an edit of ``paths`` (None: anything) may show under these parts of the
        report (``income``, ``narrative``…): in their data or in their cells' findings."""
        if paths is None or self.finding_changes is None:
            return True
        assert isinstance(paths, (set, frozenset, list, tuple))
        return any(p.split(".", 1)[0] in roots for p in (*paths, *self.finding_changes))

    def finding_at(self, path: str) -> list[rules.Finding]:
        return self.by_cell.get(path, [])

    def shown(self) -> tuple[dict[str, Any], set[str]]:
        """The report's data as shown and the cells in it that show a computed value: a
        blank cell of a ``fill`` rule of the report's own form (执行率得分, 自评总分) holds
        the value the rule computes. The program's own form computes its sums elsewhere."""
        if self._shown is None:
            from models import checks

            report = self.report
            if report.flat:
                self._shown = checks.shown(report.form, report.data), checks.filled_cells(report.form, report.data)
            else:
                self._shown = report.data, set()
        return self._shown

    def computed(self, path: str) -> tuple[bool, Any]:
        """Whether a cell shows a computed value, and that value."""
        data, filled = self.shown()
        if path not in filled:
            return False, None
        value: Any = data
        for part in path.split("."):
            value = value[int(part)] if isinstance(value, list) else value[part]
        return True, value

    def rule_filling(self, path: str) -> str:
        """The title of the rule whose value a computed cell shows."""
        parts = path.split(".")
        for check in self.report.form.checks:
            if not check.fill or check.cell is None:
                continue
            if (check.each is not None and len(parts) == 3 and parts[0] == check.each and parts[2] == check.cell) \
                    or check.cell == path:
                info = self.report.form.rules_by_id.get(check.rule)
                return info.title if info is not None else ""
        return ""


def _label_of(report: Report, path: str) -> str:
    try:
        return getattr(report.node_at(path), "label", path)
    except KeyError:
        return path


# ---------------------------------------------------------------------------
# Report-level operations (the 报告 menu); each raises ZipingError for the clerk
# ---------------------------------------------------------------------------


def new_blank(session: Session, base: Template | None = None) -> int:
    """A blank report in the newest template of the program's form installed; the clerk
    is told when a template of another form is the newest installed. Given ``base``, a
    template of another family (:attr:`Template.flat`), the newest of that family."""
    from models.template_choice import for_new_report

    session.must_flush()
    if base is not None and base.flat:
        choice = for_new_report(None, base)
        report = Report(None, choice.template)
    else:
        choice = for_new_report(None)
        report = Report()
    report.template = choice.template.ref
    report_id = session.store.create(report, kind="create", note="新建空白报告")
    session.open(report_id)
    if choice.notes:
        messages.info("\n".join(choice.notes))
    return report_id


def families() -> list[Template]:
    """The forms a new report may be filled in, one per family: the program's own first
    (the newest of it is chosen when the report is made), then each other family's newest
    template, installed or shipped (:func:`models.template_choice.family`)."""
    from models import template_registry as registry
    from models.template_choice import family, for_new_report, running

    own = running()
    out: dict[str, Template] = {family(own.id): own}
    for entry in registry.entries()[0]:
        template = entry.template
        if template.flat and family(template.id) not in out:
            out[family(template.id)] = for_new_report(None, template).template
    return list(out.values())


def import_new(session: Session, report: Report, note: str) -> int:
    """A report read from a file, stored as a new report and opened."""
    session.must_flush()
    report_id = session.store.create(report, kind="import", note=note)
    session.open(report_id)
    return report_id


def carry_over(session: Session, report_id: int, keep_both: bool = False) -> int:
    """Next year's report from this one; :class:`AlreadyExists` when it has one already
    (unless ``keep_both``). Says which template it takes, and what that template could
    not take."""
    session.must_flush()
    new_id, carried = session.store.carry(report_id, keep_both=keep_both)
    session.open(new_id)
    if carried.notes:
        messages.info(f"已由上年报告结转新建本年度报告。\n{carried.text()}")
    else:
        messages.status(f"已由上年报告结转新建本年度报告。{carried.text()}")
    return new_id


def duplicate(session: Session, report_id: int) -> int:
    session.must_flush()
    new_id = session.store.duplicate(report_id)
    session.open(new_id)
    return new_id


def delete(session: Session, report_id: int, reason: str | None = None) -> None:
    """Move to the recycle bin (a final report only with a ``reason``); the open report
    moves on to another one."""
    if report_id == session.report_id:
        session.must_flush()
    session.store.delete(report_id, reason)
    if report_id == session.report_id:
        session.report_id = None
        session.dirty = False
        if session.store.listing(limit=1):
            session.ensure_report()
        else:
            new_blank(session)


def undelete(session: Session, report_id: int) -> None:
    session.store.undelete(report_id)


def mark_final(session: Session) -> bool:
    if session.report_id is None:
        return False
    if not session.save("manual"):
        return False
    session.store.mark_final(session.report_id)
    session.refresh_info()
    return True


def reopen(session: Session, reason: str) -> None:
    if session.report_id is None:
        return
    session.store.reopen(session.report_id, reason)
    session.refresh_info()


def restore_revision(session: Session, revision_id: int) -> None:
    if session.report_id is None:
        return
    session.must_flush()
    session.store.restore(session.report_id, revision_id)
    session.open(session.report_id)
