"""The one way messages reach the clerk from the window.

Widgets never build their own dialogs: they call :func:`error`, :func:`info`,
:func:`status`, :func:`confirm` or :func:`ask_text`. Every message is also kept
in :data:`history`, so tests read exactly what a clerk would have seen.

Tests (and the benchmark) switch :data:`interactive` off: nothing modal is
shown, and :func:`confirm` / :func:`ask_text` take their answers from
:data:`answers` (first in, first out).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QStatusBar, QWidget

#: Whether dialogs are shown (False under tests: messages are only recorded).
interactive = True
#: Every message shown, as ``(level, text)``: level is error, info, status or ask.
history: list[tuple[str, str]] = []
#: Answers for confirm/ask_text when not interactive (True/False or text/None).
answers: deque[Any] = deque()

#: Where passing notes go: the main window's status bar, when there is one.
_where: dict[str, QStatusBar | None] = {"bar": None}

TITLE = "绩效自评填报"


def set_status_bar(bar: QStatusBar | None) -> None:
    _where["bar"] = bar


def last(level: str | None = None) -> str | None:
    """The latest message (of a level); for tests."""
    for lv, text in reversed(history):
        if level is None or lv == level:
            return text
    return None


def status(text: str, timeout_ms: int = 8000) -> None:
    """A passing note in the status bar."""
    history.append(("status", text))
    if _where["bar"] is not None:
        _where["bar"].showMessage(text, timeout_ms)


def error(text: str | BaseException, parent: QWidget | None = None) -> None:
    """Something the clerk must read: a dialog, and the status bar."""
    message = str(text)
    history.append(("error", message))
    if _where["bar"] is not None:
        _where["bar"].showMessage(message.splitlines()[0], 15000)
    if interactive:
        QMessageBox.warning(parent, TITLE, message)


def info(text: str, parent: QWidget | None = None) -> None:
    history.append(("info", text))
    if _where["bar"] is not None:
        _where["bar"].showMessage(text.splitlines()[0], 8000)
    if interactive:
        QMessageBox.information(parent, TITLE, text)


def confirm(text: str, parent: QWidget | None = None) -> bool:
    history.append(("ask", text))
    if not interactive:
        return bool(answers.popleft()) if answers else True
    answer = QMessageBox.question(
        parent, TITLE, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(title: str, suggested: str, filters: str, parent: QWidget | None = None) -> str | None:
    """A file name to write, or None when cancelled."""
    history.append(("ask", title))
    if not interactive:
        return answers.popleft() if answers else None
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def ask_text(label: str, parent: QWidget | None = None, text: str = "") -> str | None:
    """One line of text from the clerk, or None when cancelled."""
    history.append(("ask", label))
    if not interactive:
        return answers.popleft() if answers else None
    value, ok = QInputDialog.getText(parent, TITLE, label, text=text)
    return value if ok else None
