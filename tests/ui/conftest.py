"""Fixtures for the window's tests: a window on a temporary database and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

# Qt's offscreen platform warns on every top-level window with a layout; it is
# not ours to fix, and a warning fails a test (qt_log_level_fail = WARNING).
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def quiet_messages():
    """No modal dialogs: messages are recorded, answers come from a queue."""
    from ui import messages

    messages.interactive = False
    messages.history.clear()
    messages.answers.clear()
    messages.dialogs.clear()
    messages.details.clear()
    messages.unanswered.clear()
    yield messages
    unanswered = list(messages.unanswered)
    messages.unanswered.clear()
    messages.answers.clear()
    messages.dialogs.clear()
    # a question the test queued no answer for, even one a slot's caller swallowed
    assert unanswered == [], f"questions asked with no answer queued: {unanswered}"


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, db_path: Path, settings_path: Path):
    """Open a main window (again) on the test's database and settings."""

    def make(db: Path | None = None):
        from ui.app import create_main_window

        window = create_main_window(db or db_path, settings_path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.pages_built)  # the other tabs are made just after showing
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()


def send_text(widget, text: str) -> None:
    """Type text, Chinese included (QTest.keyClicks only knows ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for i, ch in enumerate(text):
        # After the first key the focus may have moved (a cell's editor opened).
        target = widget if i == 0 else (QApplication.focusWidget() or widget)
        key = ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def type_text():
    return send_text
