"""The one way messages reach the clerk from the window.

Widgets never build their own dialogs: they call :func:`error`, :func:`info`,
:func:`status`, :func:`confirm`, :func:`choose`, :func:`ask_text`, the file
choosers, or :func:`run_dialog` for a dialog of the window's own. Every message
is also kept in :data:`history`, so tests read exactly what a clerk would have seen.

Tests (and the benchmark) switch :data:`interactive` off: nothing modal is
shown, and the questions take their answers from :data:`answers` (first in,
first out).
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QStatusBar, QWidget

#: Whether dialogs are shown (False under tests: messages are only recorded).
interactive = True
#: Every message shown, as ``(level, text)``: level is error, info, status, ask or dialog.
history: list[tuple[str, str]] = []
#: Answers for confirm/ask_text when not interactive (True/False or text/None).
answers: deque[Any] = deque()
#: Dialogs run through :func:`run_dialog` when not interactive, for tests to look at.
dialogs: list[QDialog] = []

#: Where passing notes go: the main window's status bar, when there is one.
_where: dict[str, QStatusBar | None] = {"bar": None}
#: The folder last chosen in a file dialog (a USB stick, say), offered next time.
_folder: dict[str, str] = {}

TITLE = "绩效自评填报"


def attempt(fn: Any, *args: Any, parent: QWidget | None = None) -> Any:
    """Run a report operation; its known failure goes to the clerk and gives None."""
    from models.errors import ZipingError

    try:
        return fn(*args)
    except ZipingError as exc:
        error(exc, parent)
        return None


def save_file(
    title: str,
    suggested: str,
    filters: str,
    make: Any,
    done: str,
    parent: QWidget | None = None,
) -> Any:
    """Ask where, then write what ``make()`` returns there, all or nothing.

    The extension of ``suggested`` is added when the clerk leaves it off; a
    failure (the file could not be made or written) goes to the clerk. ``done``
    is the status shown afterwards, with ``{target}`` for the file. Returns the
    path written, or None.
    """
    from pathlib import Path

    from models.errors import ZipingError
    from models.fileio import write_atomic

    path = ask_save_path(title, suggested, filters, parent)
    if not path:
        return None
    target = Path(path)
    extension = Path(suggested).suffix
    if target.suffix.lower() != extension:
        target = target.with_name(target.name + extension)
    try:
        data = make()
        if data is None:
            return None
        write_atomic(target, data)
    except ZipingError as exc:
        error(exc, parent)
        return None
    status(done.format(target=target))
    return target


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
    if "last" in _folder and os.path.dirname(suggested) == "":
        suggested = os.path.join(_folder["last"], suggested)
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    _remember(path)
    return path or None


def _remember(path: str) -> None:
    if path:
        _folder["last"] = path if os.path.isdir(path) else os.path.dirname(path)


def ask_text(label: str, parent: QWidget | None = None, text: str = "") -> str | None:
    """One line of text from the clerk, or None when cancelled."""
    history.append(("ask", label))
    if not interactive:
        return answers.popleft() if answers else None
    value, ok = QInputDialog.getText(parent, TITLE, label, text=text)
    return value if ok else None


def ask_open_paths(title: str, filters: str, parent: QWidget | None = None, many: bool = False) -> list[str]:
    """Files to read (one, or several with ``many``); empty when cancelled.

    Not interactive, the answer is a path or a list of paths.
    """
    history.append(("ask", title))
    if not interactive:
        answer = answers.popleft() if answers else None
        return [] if not answer else ([answer] if isinstance(answer, str) else list(answer))
    start = _folder.get("last", "")
    if many:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, start, filters)
        _remember(paths[0] if paths else "")
        return list(paths)
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    _remember(path)
    return [path] if path else []


def ask_folder(title: str, parent: QWidget | None = None) -> str | None:
    """A folder, or None when cancelled."""
    history.append(("ask", title))
    if not interactive:
        return answers.popleft() if answers else None
    folder = QFileDialog.getExistingDirectory(parent, title, _folder.get("last", ""))
    _remember(folder)
    return folder or None


def choose(text: str, options: list[str], parent: QWidget | None = None) -> int | None:
    """One of a few answers (their button texts); its index, or None when closed.

    Not interactive, the answer is the index (or None).
    """
    history.append(("ask", text))
    if not interactive:
        return answers.popleft() if answers else None
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in options]
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


def run_dialog(dialog: QDialog) -> bool:
    """Run a dialog of the window's own (a preview, a list to agree to); True if accepted.

    Not interactive, the dialog is kept in :data:`dialogs` and the answer
    (True/False) comes from :data:`answers`; without one it is cancelled.
    """
    history.append(("dialog", dialog.windowTitle()))
    if not interactive:
        dialogs.append(dialog)
        return bool(answers.popleft()) if answers else False
    return dialog.exec() == QDialog.DialogCode.Accepted
