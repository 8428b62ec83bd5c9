"""One window per database file: a second start hands over to the window already open.

Two windows on one database would each save their own copy of a report over
the other's. So the first window listens on a local socket named after the
database's resolved path (:func:`key`); a later start on the same file knocks
there first (:func:`knock`), hands over what it was asked to do (raise the
window, open a file) and exits. The store's revision check still guards
everything else that writes to the file (the command line, another copy of
the program on a network share).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: How long a start waits for the running window to answer.
TIMEOUT_MS = 3000


def key(db_path: str | Path) -> str:
    """The socket's name: the same for every spelling of one database file's path."""
    resolved = str(Path(db_path).expanduser().resolve())
    return "ziping-" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24]


def knock(db_path: str | Path, request: dict[str, Any]) -> bool | None:
    """Hand ``request`` to the window open on this database.

    True: it took it. False: no window is open on it. None: one is, but it did
    not answer in time (busy, or hung).
    """
    socket = QLocalSocket()
    socket.connectToServer(key(db_path))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(TIMEOUT_MS)
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(TIMEOUT_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return True if answer.startswith(b"ok") else None


class Door(QObject):
    """Where later starts on the same database knock; :attr:`requested` carries what
    they ask for: ``{}`` to show the window, ``{"open": path}`` to open a file too."""

    requested = Signal(object)

    def __init__(self, db_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = key(db_path)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connection)

    def listen(self) -> bool:
        """Listen; False when another window started on the same file first."""
        if self.server.listen(self.name):
            return True
        if knock_alive(self.name):
            return False
        QLocalServer.removeServer(self.name)  # left behind by a program that crashed
        return self.server.listen(self.name)

    def _connection(self) -> None:
        # The sockets stay the server's children (a few per later start) and go with
        # it: deleting one while Qt still delivers its events is what crashes.
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._ready)
            self._read(socket)

    def _ready(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        socket.readyRead.disconnect(self._ready)
        line = bytes(socket.readLine().data()).decode("utf-8", "replace")
        try:
            request = json.loads(line)
        except ValueError:
            request = None
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.requested.emit(request if isinstance(request, dict) else {})


def knock_alive(name: str) -> bool:
    """Whether something answers on the socket ``name`` (a window, not a stale file)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(TIMEOUT_MS)
    socket.abort()
    return alive
