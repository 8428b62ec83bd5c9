"""Soak: the real window under a clerk's day of typing, through its own event loop.

More than two thousand edits go into the window the way a clerk makes them:
keys typed into fields and table cells, blocks pasted from the clipboard with
Ctrl+V, Ctrl+Z / Ctrl+Y through the window's actions, and the event loop left
to run between them so the auto-save and the findings refresh happen as they
would. The test asserts that the process is still there, that Python's
reference counts of None, True and False have not drifted down, and that the
last edit is in the database as a fresh connection reads it.

Why: PySide6 6.12.0 on Python 3.11 drops a reference to None on every empty
Qt return (and one to True per ``Signal(object)`` carrying None), about 180
per keystroke in this window, and Python aborts with ``Fatal Python error:
none_dealloc`` after some dozens of typed figures. Short tests never see it.
To reproduce the upstream fault (this test then fails after four or five
edits, at its reference check; without that check Python aborts with exit
status 134 after 116-140 edits)::

    python3.11 -m venv /tmp/bad && /tmp/bad/bin/pip install PySide6-Essentials==6.12.0 \\
        PySide6-Pdf==6.12.0.140 openpyxl reportlab rl_accel sqlite-utils platformdirs \\
        defusedxml python-docx pytest pytest-qt hypothesis
    ZIPING_SOAK_BROKEN_PAIR=1 /tmp/bad/bin/python -m pytest tests/ui/test_soak.py -p no:cacheprovider

``ZIPING_SOAK_BROKEN_PAIR`` only lets this test past the start-up refusal of
a broken pair (ui/compat.py), so that the window itself shows the fault. Or
in three lines, without the window::

    from PySide6.QtCore import QObject; import sys
    o = QObject(); r = sys.getrefcount(None)
    for _ in range(1000): o.property("x")
    print(r - sys.getrefcount(None))   # 1000 on the broken pair, 0 on a sound one
"""

from __future__ import annotations

import gc
import os
import sys
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from models.store import Store

#: Edits made in all; the fault above aborted the window after 47-85.
EDITS = 2000
#: How far the reference counts may go down from where they started. Objects
#: freed along the way (an undo step dropped, an editor closed) hold a few
#: references each; the fault loses about 180 per keystroke.
DRIFT = 400

BROKEN_PAIR_ENV = "ZIPING_SOAK_BROKEN_PAIR"


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


class Clerk:
    """Types into the window as a person does; counts the edits it makes."""

    def __init__(self, window) -> None:
        self.window = window
        self.edits = 0
        #: Changes the report went through (a keystroke of "12." on the way to
        #: "12.5" is an edit that changes nothing yet).
        self.changes = 0
        #: Auto-saves done (the timer fired and the store took the report).
        self.saves = 0
        window.session.changed.connect(self._changed)
        window.session.saved_state.connect(self._saved)
        # Garbage that earlier tests in this process left (an openpyxl workbook holds
        # thousands of references to False in reference cycles) would be collected
        # during the soak and read as references lost: collected before counting.
        gc.collect()
        self.start = _counts()
        self.lowest = self.start

    def _changed(self, paths: object) -> None:
        self.changes += 1

    def _saved(self, saved: bool) -> None:
        self.saves += saved

    def settle(self) -> None:
        """Let the event loop run (timers: auto-save, findings refresh)."""
        QApplication.processEvents()

    def check(self) -> None:
        counts = _counts()
        self.lowest = (min(self.lowest[0], counts[0]), min(self.lowest[1], counts[1]), min(self.lowest[2], counts[2]))
        for name, start, now in zip(("None", "True", "False"), self.start, counts, strict=True):
            assert start - now <= DRIFT, (
                f"{name} lost {start - now} references after {self.edits} edits: this "
                "Python/PySide6 pair corrupts reference counts and would abort the window"
            )

    def edited(self, count: int = 1) -> None:
        self.edits += count
        self.settle()
        self.check()

    def key(self, widget, text: str) -> None:
        """One character typed into the widget that has the focus (or ``widget``)."""
        target = QApplication.focusWidget() or widget
        key = ord(text.upper()) if text.isascii() and text.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))

    def type_into_field(self, path: str, text: str) -> None:
        self.window.go_to(path)
        field = self.window.field(path)
        field.selectAll()
        for ch in text:
            self.key(field, ch)
            self.edited()

    def type_into_cell(self, path: str, text: str) -> None:
        assert self.window.go_to(path), path
        view = QApplication.focusWidget()
        for ch in text:
            self.key(view, ch)
            self.edited()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        self.settle()

    def paste(self, path: str, block: str) -> None:
        assert self.window.go_to(path), path
        QGuiApplication.clipboard().setText(block)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        self.edited()

    def undo(self) -> None:
        QTest.keyClick(QApplication.focusWidget() or self.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        self.edited()

    def redo(self) -> None:
        QTest.keyClick(QApplication.focusWidget() or self.window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        self.edited()


@pytest.fixture
def sound_pair_or_proof(monkeypatch):
    """The start-up refusal of a broken pair stays on, except when this test is
    run on purpose to show the fault (see the module's docstring)."""
    if os.environ.get(BROKEN_PAIR_ENV):
        from ui import app

        monkeypatch.setitem(app._loaded, "compat", "skipped to show the fault")


@pytest.mark.soak
def test_the_window_survives_a_day_of_typing(sound_pair_or_proof, make_window, qtbot, db_path):
    window = make_window()
    window.activateWindow()
    report_id = window.session.report_id
    clerk = Clerk(window)
    names = "陶毅张峰李娜王五赵六"
    cycle = 0
    while clerk.changes < EDITS:
        cycle += 1
        n = cycle % 10
        clerk.type_into_field("basics.contact", names[n % len(names)] + names[(n + 3) % len(names)])
        clerk.type_into_field("basics.phone", f"0743-85{n}")
        clerk.type_into_cell("income.0.carryover", f"{n}.{cycle % 100:02d}")
        clerk.type_into_cell("indicators.1.actual", f"完成{n}家")
        clerk.paste("expenditure.0.personnel", f"36{n}.23\t20.48\n")
        clerk.type_into_field("basics.duties", "职能")
        clerk.undo()
        clerk.undo()
        clerk.redo()
        clerk.paste("three_public.0.reception", f"0.{n}\t0\t0\t0\n")
        clerk.type_into_cell("score_items.0.score", str(n % 8))
        clerk.undo()
        clerk.type_into_field("score.self_score", f"9{n}")
    # The last edit: a figure nobody typed before, in a cell.
    last = Decimal(f"{cycle}.99")
    clerk.type_into_cell("assets.0.leased", str(last))
    qtbot.waitUntil(lambda: not window.session.dirty, timeout=5000)  # the auto-save ran
    clerk.check()
    assert window.session.report.data["assets"][0]["leased"] == last
    with Store(db_path) as fresh:
        assert fresh.load(report_id).data["assets"][0]["leased"] == last
    assert clerk.changes >= EDITS
    assert clerk.saves >= 2  # the auto-save ran while the clerk typed, not only at the end
    print(f"\nsoak: {clerk.edits} edits, {clerk.changes} changes, {clerk.saves} auto-saves; references "
          f"to None/True/False at the start {clerk.start}, lowest {clerk.lowest}, end {_counts()}")
