"""The open report and the few operations that change it.

Every edit the window makes goes through :class:`Session`: it changes the
:class:`~models.report.Report`, pushes an undo command (a snapshot of the
report's data before and after, so undo covers every field, row and
institution alike), re-runs the rules and schedules the auto-save. Widgets
only read ``session.report`` and listen to the signals.

Auto-save: the first change after a save starts a 500 ms timer that is not
restarted by later changes, so whatever was typed is in the database within a
second, each save one transaction (``Store.save(kind="auto")``).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models import interchange, resources, rules
from models.errors import ReportLocked, ZipingError
from models.report import Report
from models.store import ReportInfo, Store
from ui import messages

AUTOSAVE_MS = 500
#: Undo steps kept; a structural step holds two copies of the report (~40 KB each).
UNDO_LIMIT = 500
SAMPLE = resources.path("samples", "jishou_kegongxin_2023.json")

LOCKED_MESSAGE = "报告已定稿，不能修改。如需修改，请先在「报告」菜单中选择「重新打开」并说明原因。"

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

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report_id: int | None = None
        self.report = Report()
        self.info: ReportInfo | None = None
        self.findings: list[rules.Finding] = []
        self.by_cell: dict[str, list[rules.Finding]] = {}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.dirty = False
        self._last_save_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)

    # -- opening ---------------------------------------------------------------

    @property
    def readonly(self) -> bool:
        return self.info is not None and self.info.status == "final"

    def ensure_report(self, preferred: int | None = None) -> None:
        """Open the preferred report, else the newest, else the shipped sample."""
        listing = self.store.listing()
        ids = [r.id for r in listing]
        if preferred in ids:
            self.open(preferred)
        elif ids:
            self.open(ids[0])
        else:
            sample = interchange.read(SAMPLE)
            self.open(self.store.create(sample, kind="import", note="随程序附带的样例报告"))

    def open(self, report_id: int) -> None:
        self.flush()
        report = self.store.load(report_id)
        self.report_id = report_id
        self.info = self.store.info(report_id)
        self.report.data = report.data
        self.undo_stack.clear()
        self.dirty = False
        self._recheck()
        self.opened.emit()
        self.changed.emit(None)
        self.saved_state.emit(True)

    def refresh_info(self) -> None:
        if self.report_id is not None:
            self.info = self.store.info(self.report_id)
            if self.readonly:  # 定稿: nothing before it can be undone into the final report
                self.undo_stack.clear()
            self.opened.emit()
            self.changed.emit(None)

    # -- saving ----------------------------------------------------------------

    def autosave(self) -> None:
        self.save("auto")

    def save(self, kind: str = "manual") -> bool:
        """Save now (one transaction); errors go to the clerk once each."""
        self.timer.stop()
        if self.report_id is None:
            return True
        if not self.dirty and kind == "auto":
            return True
        try:
            self.store.save(self.report_id, self.report, kind=kind)
        except ZipingError as exc:
            if str(exc) != self._last_save_error or kind != "auto":
                self._last_save_error = str(exc)
                messages.error(exc)
            return False
        self._last_save_error = None
        self.dirty = False
        self.info = self.store.info(self.report_id)
        self.saved_state.emit(True)
        return True

    def flush(self) -> None:
        """Save pending changes now (before closing or opening another report)."""
        if self.dirty:
            self.save("auto")

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
        touched = [path, "score.grade"] if path == "score.self_score" else [path]
        before = {p: self.report.get(p) for p in touched}
        result = self.report.set_score(text) if path == "score.self_score" else self.report.set_text(path, text)
        after = {p: self.report.get(p) for p in touched}
        if after == before:
            return result
        key = merge if isinstance(merge, str) else (path if merge else None)
        values = {p: (before[p], after[p]) for p in touched if before[p] != after[p]}
        self.undo_stack.push(_Cells(self, f"填写「{_label_of(path)}」", values, key))
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
        self._after_change(None)

    def _after_change(self, paths: set[str] | None) -> None:
        self.dirty = True
        if not self.timer.isActive():
            self.timer.start()
        self._recheck()
        self.saved_state.emit(False)
        self.changed.emit(paths)

    def _recheck(self) -> None:
        self.findings = rules.check(self.report)
        by_cell: dict[str, list[rules.Finding]] = defaultdict(list)
        for finding in self.findings:
            for cell in finding.cells:
                by_cell[cell].append(finding)
        self.by_cell = dict(by_cell)
        self.findings_changed.emit()

    def finding_at(self, path: str) -> list[rules.Finding]:
        return self.by_cell.get(path, [])


def _label_of(path: str) -> str:
    from models.document import node_at

    try:
        return getattr(node_at(path), "label", path)
    except KeyError:
        return path


# ---------------------------------------------------------------------------
# Report-level operations (the 报告 menu); each raises ZipingError for the clerk
# ---------------------------------------------------------------------------


def new_blank(session: Session) -> int:
    session.flush()
    report_id = session.store.create(Report(), kind="create", note="新建空白报告")
    session.open(report_id)
    return report_id


def carry_over(session: Session, report_id: int) -> int:
    session.flush()
    new_id = session.store.carry_over(report_id)
    session.open(new_id)
    return new_id


def duplicate(session: Session, report_id: int) -> int:
    session.flush()
    new_id = session.store.duplicate(report_id)
    session.open(new_id)
    return new_id


def delete(session: Session, report_id: int) -> None:
    """Move to the recycle bin; the open report moves on to another one."""
    if report_id == session.report_id:
        session.flush()
    session.store.delete(report_id)
    if report_id == session.report_id:
        session.report_id = None
        session.dirty = False
        if session.store.listing():
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
    session.flush()
    session.store.restore(session.report_id, revision_id)
    session.open(session.report_id)
