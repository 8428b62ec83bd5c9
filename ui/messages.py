"""The one way messages reach the clerk from the window.

Widgets never build their own dialogs: they call :func:`error`, :func:`info`,
:func:`status`, :func:`confirm`, :func:`choose`, :func:`ask_text`, the file
choosers, or :func:`run_dialog` for a dialog of the window's own. Every message
is also kept in :data:`history`, so tests read exactly what a clerk would have seen.

Tests (and the benchmark) switch :data:`interactive` off: nothing modal is
shown, and the questions take their answers from :data:`answers` (first in,
first out). A question with no answer queued raises :class:`Unanswered` and is
kept in :data:`unanswered`: a test that did not expect the question fails,
rather than the question being answered for it.

A message is never taller than a screen: a list of problems (a pasted block
with ten thousand bad cells) shows its first :data:`SHOWN` items and says how
many more there are, and the whole list can be copied with 「复制全部」 or read
under 「显示细节」 (:func:`problems`; :func:`error` and :func:`info` bound any
long text the same way).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDir, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QStatusBar, QWidget

from models import PROGRAM

#: Whether dialogs are shown (False under tests: messages are only recorded).
interactive = True
#: Every message shown, as ``(level, text)``: level is error, info, status, ask or dialog.
history: list[tuple[str, str]] = []
#: Answers for confirm/ask_text when not interactive (True/False or text/None).
answers: deque[Any] = deque()
#: Questions asked, not interactive, with no answer queued (see :class:`Unanswered`).
unanswered: list[str] = []
#: Dialogs run through :func:`run_dialog` when not interactive, for tests to look at.
dialogs: list[QDialog] = []
#: The whole text of each message that was shortened (what 「复制全部」 copies), for tests.
details: list[str] = []

#: Items of a list a message shows; the rest are counted, and can be copied.
SHOWN = 20
#: Characters of one item shown, one line of a list box (a pasted value may be a page long).
ITEM_CHARS = 56
#: Characters of a message shown at all.
MESSAGE_CHARS = 4000

#: Where passing notes go: the main window's status bar, when there is one.
_where: dict[str, QStatusBar | None] = {"bar": None}
#: The folder last chosen in a file dialog (a USB stick, say), offered next time;
#: kept in the window's settings (see :func:`use_settings`) across runs.
_folder: dict[str, Any] = {"settings": None}
FOLDER_KEY = "files/last_folder"

TITLE = PROGRAM


class Unanswered(AssertionError):
    """A question asked while not interactive with no answer queued for it."""


def _queued(question: str) -> Any:
    """The next queued answer, for ``question``; none queued is a question nobody expected."""
    if not answers:
        unanswered.append(question)
        raise Unanswered(f"no answer queued for the question: {question}")
    return answers.popleft()


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


def bounded(head: str, items: Sequence[str], tail: str = "") -> tuple[str, str | None]:
    """(what a message shows, the whole text or None): at most :data:`SHOWN` items,
    then 「另有 N 处」; in a long list each item is cut to :data:`ITEM_CHARS`, a line."""
    shown = list(items[:SHOWN])
    if len(items) > SHOWN or sum(map(len, shown)) > SHOWN * ITEM_CHARS:  # else it fits as it is
        shown = [i if len(i) <= ITEM_CHARS else i[: ITEM_CHARS - 1] + "…" for i in shown]
    lines = [head, *shown]
    if len(items) > SHOWN:
        lines.append(f"……另有 {len(items) - SHOWN} 处未列出，点「复制全部」可复制完整的清单。")
    if tail:
        lines.append(tail)
    text = "\n".join(lines)
    whole = "\n".join([head, *items, *([tail] if tail else [])])
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 1] + "…"
    return text, (whole if whole != text else None)


def _bounded_text(message: str) -> tuple[str, str | None]:
    """Any message; a long one is bounded like a list, its first line the head and its
    other lines the items (a message a few lines over, already shortened, stays whole)."""
    lines = message.split("\n")
    if len(lines) <= SHOWN + 5 and len(message) <= MESSAGE_CHARS:
        return message, None
    return bounded(lines[0], lines[1:])


def problems(head: str, items: Sequence[str], parent: QWidget | None = None, tail: str = "") -> None:
    """A list of problems the clerk must read (cells a paste could not use): the first
    :data:`SHOWN` shown, the rest counted, the whole list to copy."""
    _show("error", *bounded(head, items, tail), parent)


def error(text: str | BaseException, parent: QWidget | None = None) -> None:
    """Something the clerk must read: a dialog, and the status bar."""
    _show("error", *_bounded_text(str(text)), parent)


def info(text: str, parent: QWidget | None = None) -> None:
    _show("info", *_bounded_text(text), parent)


def message_box(level: str, text: str, whole: str | None, parent: QWidget | None = None) -> QMessageBox:
    """The box a message is shown in; a shortened one offers the whole text, to read
    (「显示细节」) and to copy (「复制全部」)."""
    icon = QMessageBox.Icon.Warning if level == "error" else QMessageBox.Icon.Information
    box = QMessageBox(icon, TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    if whole is not None:
        # Wide enough for an item a line: twenty problems stay far shorter than the screen.
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 760px; }")
        box.setDetailedText(whole)
        copy = box.addButton("复制全部", QMessageBox.ButtonRole.ActionRole)
        copy.setObjectName("message.copy_all")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(whole))
    box.setDefaultButton(box.addButton("确定", QMessageBox.ButtonRole.AcceptRole))
    return box


def _show(level: str, text: str, whole: str | None, parent: QWidget | None) -> None:
    history.append((level, text))
    if whole is not None:
        details.append(whole)
    if _where["bar"] is not None:
        _where["bar"].showMessage(text.splitlines()[0] if text else "", 15000 if level == "error" else 8000)
    if interactive:
        message_box(level, text, whole, parent).exec()


def confirm(text: str, parent: QWidget | None = None) -> bool:
    history.append(("ask", text))
    if not interactive:
        return bool(_queued(text))
    answer = QMessageBox.question(
        parent, TITLE, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    return answer == QMessageBox.StandardButton.Yes


def use_settings(settings: Any) -> None:
    """Remember the last folder of the file dialogs in these QSettings."""
    _folder["settings"] = settings


def start_folder() -> str:
    """Where a file dialog opens: the folder last used while it is still there
    (a USB stick may have been taken out), else 文档 (Documents); never the
    program's own folder."""
    settings = _folder["settings"]
    last = str(settings.value(FOLDER_KEY, "") or "") if settings is not None else _folder.get("last", "")
    if last and os.path.isdir(last):
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and os.path.isdir(documents) else QDir.homePath()


def _remember(path: str) -> None:
    if not path:
        return
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    _folder["last"] = folder
    if _folder["settings"] is not None:
        _folder["settings"].setValue(FOLDER_KEY, folder)


#: What a file dialog asks for: a file to write, one or several to read, a folder.
_MODES = {
    "save": QFileDialog.FileMode.AnyFile,
    "open": QFileDialog.FileMode.ExistingFile,
    "open_many": QFileDialog.FileMode.ExistingFiles,
    "folder": QFileDialog.FileMode.Directory,
}


def file_dialog(title: str, mode: str, filters: str = "", suggested: str = "", parent: QWidget | None = None) -> QFileDialog:
    """The one file dialog of the program, not yet shown.

    The system's own dialog where there is one (Windows); Qt's elsewhere, with
    its words in Chinese: Qt's translations lack two of its labels.
    """
    start = start_folder()
    where = os.path.join(start, suggested) if suggested and not os.path.dirname(suggested) else (suggested or start)
    dialog = QFileDialog(parent, title, where, filters)
    dialog.setFileMode(_MODES[mode])
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "查找范围(&L)：")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "文件类型(&T)：")
    return dialog


def _ask_paths(title: str, mode: str, filters: str = "", suggested: str = "", parent: QWidget | None = None) -> list[str]:
    dialog = file_dialog(title, mode, filters, suggested, parent)
    paths = dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
    _remember(paths[0] if paths else "")
    return [p for p in paths if p]


def ask_save_path(title: str, suggested: str, filters: str, parent: QWidget | None = None) -> str | None:
    """A file name to write, or None when cancelled."""
    history.append(("ask", title))
    if not interactive:
        answer = _queued(title)
        _remember(answer or "")
        return answer
    paths = _ask_paths(title, "save", filters, suggested, parent)
    return paths[0] if paths else None


def ask_text(label: str, parent: QWidget | None = None, text: str = "") -> str | None:
    """One line of text from the clerk, or None when cancelled."""
    history.append(("ask", label))
    if not interactive:
        return _queued(label)
    value, ok = QInputDialog.getText(parent, TITLE, label, text=text)
    return value if ok else None


def ask_reason(label: str, refused: str, parent: QWidget | None = None) -> str | None:
    """A reason the program records (to reopen, replace or delete a final report); None
    when cancelled, or when left blank (then ``refused`` says nothing was done)."""
    reason = ask_text(label, parent)
    if reason is None:
        return None
    if not reason.strip():
        error(f"没有说明原因：{refused}", parent)
        return None
    return reason.strip()


def ask_open_paths(title: str, filters: str, parent: QWidget | None = None, many: bool = False) -> list[str]:
    """Files to read (one, or several with ``many``); empty when cancelled.

    Not interactive, the answer is a path or a list of paths.
    """
    history.append(("ask", title))
    if not interactive:
        answer = _queued(title)
        paths = [] if not answer else ([answer] if isinstance(answer, str) else list(answer))
        _remember(paths[0] if paths else "")
        return paths
    return _ask_paths(title, "open_many" if many else "open", filters, parent=parent)


def ask_folder(title: str, parent: QWidget | None = None) -> str | None:
    """A folder, or None when cancelled."""
    history.append(("ask", title))
    if not interactive:
        answer = _queued(title)
        _remember(answer or "")
        return answer
    paths = _ask_paths(title, "folder", parent=parent)
    return paths[0] if paths else None


def choose(text: str, options: list[str], parent: QWidget | None = None) -> int | None:
    """One of a few answers (their button texts); its index, or None when closed.

    Not interactive, the answer is the index (or None).
    """
    history.append(("ask", text))
    if not interactive:
        return _queued(text)
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
