"""Point 6: nothing typed is lost — auto-save within a second, Ctrl+S, undo/redo,
and a process killed with SIGKILL keeps everything typed a second before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models.store import Store
from ui.session import AUTOSAVE_MS

ROOT = Path(__file__).resolve().parents[2]


def _stored(db_path, report_id):
    with Store(db_path) as store:
        return store.load(report_id)


def test_an_edit_is_saved_within_a_second(window, qtbot, db_path):
    assert AUTOSAVE_MS <= 1000
    report_id = window.session.report_id
    window.session.set_text("basics.contact", "赵六")
    assert window.isWindowModified()
    qtbot.waitUntil(lambda: _stored(db_path, report_id).data["basics"]["contact"] == "赵六", timeout=1000)
    assert not window.isWindowModified()
    with Store(db_path) as store:
        kinds = [r.kind for r in store.revisions(report_id)]
    assert kinds[0] == "auto"


def test_autosave_is_not_postponed_by_continuous_typing(window, qtbot, db_path):
    report_id = window.session.report_id
    for i in range(12):  # a keystroke every 100 ms for 1.2 s
        window.session.set_text("basics.contact", "陶" * (i + 1), merge=True)
        qtbot.wait(100)
    stored = _stored(db_path, report_id).data["basics"]["contact"]
    assert stored is not None and len(stored) >= 4  # the first second of typing is saved


def test_ctrl_s_saves_at_once_as_a_manual_revision(window, qtbot, db_path):
    report_id = window.session.report_id
    window.session.set_text("cover.budget_code", "004002")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _stored(db_path, report_id).data["cover"]["budget_code"] == "004002"
    with Store(db_path) as store:
        assert store.revisions(report_id)[0].kind == "manual"


def test_undo_and_redo_across_fields_and_tables(window, qtbot, type_text):
    session = window.session
    window.go_to("cover.budget_code")
    field = window.field("cover.budget_code")
    field.selectAll()
    type_text(field, "777")
    model = window.view("income").model()
    assert model.setData(model.index(1, 2), "5")
    session.apply("添加行", lambda r: r.insert_row("indicators"))
    assert session.report.data["cover"]["budget_code"] == "777"
    n = len(session.report.rows("indicators"))
    # undo: the row, the cell, then the whole typing of 777 at once
    window.undo_action.trigger()
    assert len(session.report.rows("indicators")) == n - 1
    assert window.view("indicators").model().rowCount() == n - 1
    window.undo_action.trigger()
    assert session.report.data["income"][0]["carryover"] is None
    assert model.index(1, 2).data() == ""
    window.undo_action.trigger()
    assert session.report.data["cover"]["budget_code"] == "004001"
    assert field.text() == "004001"
    window.redo_action.trigger()
    assert field.text() == "777"
    window.redo_action.trigger()
    assert session.report.data["income"][0]["carryover"] == Decimal("5")


def test_ctrl_z_in_a_field_is_the_windows_undo(window, qtbot, type_text):
    session = window.session
    model = window.view("income").model()
    assert model.setData(model.index(1, 2), "5")
    window.go_to("basics.contact")
    field = window.field("basics.contact")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.report.data["income"][0]["carryover"] is None
    qtbot.keyClick(field, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert session.report.data["income"][0]["carryover"] == Decimal("5")


def test_closing_saves_what_is_pending(window, db_path):
    report_id = window.session.report_id
    window.session.set_text("basics.phone", "0743-1234567")
    window.close()
    assert _stored(db_path, report_id).data["basics"]["phone"] == "0743-1234567"


CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from ui import messages
    from ui.app import create_main_window

    messages.interactive = False
    window = create_main_window({db!r}, {settings!r})
    window.show()
    window.activateWindow()
    app = QApplication.instance()
    app.processEvents()
    log = open({log!r}, "a", encoding="utf-8")
    field = window.field("basics.contact")
    field.selectAll()
    # A figure typed into a table cell whose editor stays open: no Enter, ever.
    window.go_to("income.0.carryover")
    for ch in "12.34":
        target = QApplication.focusWidget() or window.view("income")
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    assert window.view("income").state() == window.view("income").State.EditingState
    log.write(f"{{time.time()}}\\tcell\\t12.34\\n"); log.flush()
    count = [0]

    def type_one():
        count[0] += 1
        ch = "甲乙丙丁戊己庚辛壬癸"[count[0] % 10]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        log.write(f"{{time.time()}}\\ttyped\\t{{field.text()}}\\n"); log.flush()

    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(70)
    print("ready", flush=True)
    app.exec()
    """
)


@pytest.mark.slow
def test_a_killed_process_keeps_what_was_typed_a_second_before(tmp_path, db_path, settings_path):
    log = tmp_path / "typed.log"
    script = tmp_path / "child.py"
    script.write_text(
        CHILD.format(root=str(ROOT), db=str(db_path), settings=str(settings_path), log=str(log)),
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read() if child.stderr else ""
        time.sleep(2.3)  # keeps typing all along
        killed_at = time.time()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        errors = child.stderr.read() if child.stderr else ""
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL, errors
    entries = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    typed = [(float(t), text) for t, kind, text in entries if kind == "typed"]
    assert len(typed) > 15
    with Store(db_path) as store:
        [info] = store.listing()
        report = store.load(info.id)
    assert report.data["income"][0]["carryover"] == Decimal("12.34")
    stored = report.data["basics"]["contact"]
    texts = [text for _, text in typed]
    assert stored in texts
    # everything typed more than a second before the kill is there
    before = [i for i, (t, _) in enumerate(typed) if t < killed_at - 1.0]
    assert before, "the child typed nothing in its first second"
    assert texts.index(stored) >= before[-1]
