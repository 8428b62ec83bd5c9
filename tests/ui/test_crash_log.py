"""The window has no console: a fatal crash in it leaves its lines in the log."""

from __future__ import annotations

import subprocess
import sys

from tests.models.test_fileio import ROOT, _crash_env, _log_in

CRASHING_WINDOW = """
import faulthandler, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from ui import app

opened = app.create_main_window

def create(db):
    window = opened(db)
    QTimer.singleShot(500, faulthandler._sigsegv)
    return window

app.create_main_window = create
sys.exit(app.run({db!r}))
"""


def test_the_window_sends_a_fatal_crash_to_the_log(tmp_path) -> None:
    script = CRASHING_WINDOW.format(root=str(ROOT), db=str(tmp_path / "db.sqlite3"))
    done = subprocess.run([sys.executable, "-c", script], env=_crash_env(tmp_path), capture_output=True,
                          timeout=120, check=False)
    assert done.returncode != 0, done.stderr.decode(errors="replace")
    text = _log_in(tmp_path).read_text(encoding="utf-8")
    assert "window started" in text and "Fatal Python error: Segmentation fault" in text
    assert "in run" in text  # the window's event loop, where the crash happened
