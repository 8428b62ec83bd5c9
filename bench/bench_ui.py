"""Benchmarks of the window; prints medians (no assertions).

    python bench/bench_ui.py [--runs N]

- cold start: a fresh process imports the window, opens the sample report on an
  empty database and shows the window with its first paint done; measured inside
  the process from before the first import of Qt, and also as the whole process
  wall time (interpreter start included) up to that point;
- keystroke: a figure typed into an income cell (the commit of a cell editor) to
  the updated summary row, blank totals and findings, repaint included;
- tab switch: showing another tab, repaint included;
- memory: resident set size with the sample open.

Targets (issue 3): start ≤ 0.8 s, keystroke ≤ 30 ms, tab switch ≤ 50 ms, RSS ≤ 200 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import time
t0 = time.perf_counter()
import os, sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
from ui import messages
from ui.app import create_main_window
messages.interactive = False
window = create_main_window({db!r}, {settings!r})
window.show()
QApplication.processEvents()
window.grab()  # the first paint is done
t1 = time.perf_counter()
print(f"{{t1 - t0:.6f}} {{time.time():.6f}}")
"""


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cold_start(runs: int) -> tuple[list[float], list[float]]:
    inside, whole = [], []
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            code = CHILD.format(root=str(ROOT), db=f"{tmp}/r.sqlite3", settings=f"{tmp}/s.ini")
            started = time.time()
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout.split()
            inside.append(float(out[0]))
            whole.append(float(out[1]) - started)
    return inside, whole


def in_process(runs: int) -> dict[str, list[float] | float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from ui import messages
    from ui.app import create_main_window

    messages.interactive = False
    tmp = tempfile.mkdtemp()
    window = create_main_window(f"{tmp}/r.sqlite3", f"{tmp}/s.ini")
    window.resize(1366, 768)
    window.show()
    app = QApplication.instance()
    app.processEvents()
    window.go_to("income.0.public_budget")
    app.processEvents()
    model = window.view("income").model()
    cell = model.index(1, 3)
    keystroke = []
    for i in range(runs):
        started = time.perf_counter()
        model.setData(cell, f"{3000 + i}.5")
        app.processEvents()
        window.view("income").viewport().repaint()
        keystroke.append(time.perf_counter() - started)
    # a key pressed in an open cell editor: stored as typed, totals and findings follow
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    view = window.view("income")
    window.go_to("income.0.carryover")
    app.processEvents()
    live = []
    for i in range(runs):
        target = app.focusWidget() or view
        ch = str(i % 10)
        started = time.perf_counter()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(target, QKeyEvent(kind, ord(ch), Qt.KeyboardModifier.NoModifier, ch))
        app.processEvents()
        view.viewport().repaint()
        live.append(time.perf_counter() - started)
        if len(app.focusWidget().text() if hasattr(app.focusWidget(), "text") else "") > 8:
            app.sendEvent(app.focusWidget(), QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
            app.processEvents()
    # typing in a form field (one keystroke: model, rules, every listener)
    field = window.field("basics.contact")
    typing = []
    for i in range(runs):
        started = time.perf_counter()
        field.setText(f"陶毅{i}")
        field.textEdited.emit(field.text())
        app.processEvents()
        typing.append(time.perf_counter() - started)
    switch = []
    tabs = window.tabs
    for _ in range(runs):
        started = time.perf_counter()
        tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())
        app.processEvents()
        tabs.currentWidget().repaint()
        switch.append(time.perf_counter() - started)
    memory = rss_mb()
    window.close()
    return {"keystroke": keystroke, "live": live, "typing": typing, "switch": switch, "rss": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--starts", type=int, default=7)
    args = parser.parse_args()
    inside, whole = cold_start(args.starts)
    print(f"cold start (in process, imports to first paint): median {statistics.median(inside) * 1000:.0f} ms  [target ≤ 800 ms]")
    print(f"cold start (whole process, interpreter start included): median {statistics.median(whole) * 1000:.0f} ms")
    result = in_process(args.runs)
    ms = {k: statistics.median(v) * 1000 for k, v in result.items() if isinstance(v, list)}
    print(f"cell committed (Enter) → totals and findings: median {ms['keystroke']:.1f} ms  [target ≤ 30 ms]")
    print(f"key pressed in an open cell editor → totals and findings: median {ms['live']:.1f} ms  [target ≤ 30 ms]")
    print(f"keystroke in a form field → findings: median {ms['typing']:.1f} ms")
    print(f"switching tabs: median {ms['switch']:.1f} ms  [target ≤ 50 ms]")
    print(f"memory with the sample open: {result['rss']:.0f} MB RSS  [target ≤ 200 MB]")


if __name__ == "__main__":
    main()
