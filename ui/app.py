"""Starting the window: the application, the shipped font, settings, the store.

``run(db)`` is what ``python main.py`` calls; ``create_main_window(db_path)``
is what tests and the benchmark call.

Settings (window geometry, last report, font size) live in QSettings. Tests
keep them away from the user's by passing ``settings_path`` or by setting
``ZIPING_SETTINGS`` to an .ini file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from models import PROGRAM, resources
from models.errors import ZipingError
from models.store import Store

#: The window's face (黑体 style), shipped with its licence; see resources/fonts/README.md.
FONT_FILE = resources.path("fonts", "WenQuanYiMicroHei.ttf")
#: How long a save in the window waits for another program's write (seconds): the
#: window does not freeze while it waits, and a save that still cannot go through
#: is tried again on a timer (see ui/session.py).
WINDOW_BUSY_TIMEOUT = 1.0
#: What is loaded once per process: the font's family ("" if it failed), the translator.
_loaded: dict[str, str] = {}


def application() -> QApplication:
    """The application, once per process; raises :class:`ui.compat.BrokenQt` on a
    Python/PySide6 pair that would crash after some dozens of edits."""
    if "compat" not in _loaded:
        from ui.compat import refuse_broken_pair

        refuse_broken_pair()
        _loaded["compat"] = "checked"
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ziping")
    app.setApplicationDisplayName(PROGRAM)
    app.setOrganizationName("ziping")
    load_font(app)
    load_translations(app)
    return app


def load_translations(app: QApplication) -> str | None:
    """Qt's own words in Chinese: the standard dialogs' buttons (打开, 取消), the file
    dialog (查找范围, 文件类型), context menus (剪切, 复制, 粘贴).

    They come from the installed PySide6's translations folder (a bundle keeps
    it beside Qt's libraries); returns the file loaded, or None."""
    if "translator" not in _loaded:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        found = translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder)
        if found:
            app.installTranslator(translator)
        _loaded["translator"] = translator.filePath() if found else ""
    return _loaded["translator"] or None


def load_font(app: QApplication) -> str | None:
    """Load the shipped Chinese font once and make it the application's font."""
    if "family" not in _loaded:
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE)) if FONT_FILE.exists() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _loaded["family"] = families[0] if families else ""
    family = _loaded["family"]
    if family:
        font = QFont(app.font())
        font.setFamilies([family])
        app.setFont(font)
    return family or None


def settings_for(path: str | Path | None) -> QSettings:
    path = path or os.environ.get("ZIPING_SETTINGS")
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ziping", "ziping")


def create_main_window(db_path: str | Path | None = None, settings_path: str | Path | None = None):  # noqa: ANN201
    """The main window on a database (default: the user's), showing a report."""
    from ui.window import MainWindow

    application()
    store = Store(db_path, busy_timeout=WINDOW_BUSY_TIMEOUT)
    window = MainWindow(store, settings_for(settings_path))
    window.destroyed.connect(lambda *_: store.close())
    return window


def _show_before_exit(text: str) -> None:
    """One message box where the clerk sees no console (a GUI start on Windows).

    On a broken pair this costs a few dozen references to None, far from the
    thousands that would have to go before Python aborts."""
    from PySide6.QtWidgets import QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Critical, PROGRAM, text)
    box.exec()
    del app


def report_bug(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None, path: Path | None = None
) -> None:
    """An unexpected exception in the window: log it, tell the clerk, keep running."""
    from models.fileio import log_bug
    from ui import messages

    written = log_bug("window", error.with_traceback(tb), path)
    where = f"详细信息已写入 {written}，请把这个文件发给技术支持。" if written else ""
    messages.error(f"程序内部错误，刚才的操作可能没有完成；已填写的内容仍会自动保存。{where}")


def open_backup_instead(db: str | Path | None, error: ZipingError) -> Any:
    """The database cannot be opened: say so, and offer a copy of the latest daily backup.

    The damaged file is left as it is; the backup itself is not opened either
    (it stays a backup): a copy of it is, under a new name beside the database.
    """
    import shutil
    from datetime import datetime

    from models.errors import DiskFull, StoreBusy
    from models.store import backups, default_path
    from ui import messages

    path = Path(db) if db else default_path()
    found = backups(path)
    if not found or isinstance(error, (DiskFull, StoreBusy)):  # the file itself is sound
        messages.error(error)
        return None
    latest = found[0]
    if not messages.confirm(
        f"{error}\n\n是否打开最近一份自动备份（{latest.name}）的副本继续工作？"
        "原数据库文件保持不动，可交技术支持检查。"
    ):
        return None
    copy = path.with_name(f"{path.stem}-由备份恢复-{datetime.now():%Y%m%d-%H%M%S}.sqlite3")
    try:
        shutil.copyfile(latest, copy)
        window = create_main_window(copy)
    except (OSError, ZipingError) as exc:
        from models.fileio import describe

        messages.error(f"备份也无法打开：{describe(exc) if isinstance(exc, OSError) else exc}")
        return None
    messages.info(f"已打开备份的副本「{copy}」。以后启动时请用 --db 指定它，或把它改名为原文件名。")
    return window


def _quit_when_shown(app: QApplication, window: Any) -> None:
    """ZIPING_SMOKE=1: once the window is on screen, say what it shows and quit.

    How an installation is checked without a person: the line names the
    report opened (the sample, on an empty database), the tabs, the font and
    Qt's translations actually loaded."""
    from PySide6.QtCore import QTimer

    from ui.printing import HAVE_QTPDF

    def report() -> None:
        lines = (
            f"窗口已打开：{window.windowTitle().replace('[*]', '')}" if window.isVisible() else "窗口未能显示",
            f"页签：{window.tabs.count()} 个",
            f"界面字体：{_loaded.get('family') or '未载入'}",
            f"Qt 译文：{'已载入' if load_translations(app) else '未载入'}",
            f"打印预览：{'程序内预览' if HAVE_QTPDF else '系统 PDF 阅读器'}",
        )
        if sys.stdout is not None:
            print("\n".join(lines), flush=True)
        app.exit(0 if window.isVisible() else 3)

    QTimer.singleShot(0, report)


#: What a start says when the database is open in a window that does not answer.
BUSY_WINDOW = (
    "这个数据库已在另一个程序窗口中打开，但那个窗口没有及时响应（可能正忙）。"
    "请切换到那个窗口；如果它已无响应，请先关闭它再启动程序。"
)


def hand_over(db: str | None, open_path: str | None) -> int | None:
    """A window is already open on this database: hand it the start's request
    (show yourself; open this file) and say so. None when no window is open."""
    from models.store import default_path
    from ui.instance import knock

    request = {"open": str(Path(open_path).resolve())} if open_path else {}
    answer = knock(Path(db) if db else default_path(), request)
    if answer is False:
        return None
    if answer is None:
        print(BUSY_WINDOW, file=sys.stderr)
        _show_before_exit(BUSY_WINDOW)
        return 2
    print("这个数据库已在程序窗口中打开，已切换到那个窗口。")
    return 0


def run(db: str | None = None, open_path: str | None = None) -> int:
    from models.fileio import log_fatal_crashes
    from models.store import default_path
    from ui.compat import BrokenQt
    from ui.instance import Door

    try:
        app = application()
    except BrokenQt as exc:
        print(exc, file=sys.stderr)
        _show_before_exit(str(exc))
        return 2

    handed = hand_over(db, open_path)
    if handed is not None:
        return handed
    door = Door(Path(db) if db else default_path())
    if not door.listen():  # another start on the same file was quicker
        handed = hand_over(db, open_path)
        return handed if handed is not None else 2
    log_fatal_crashes()  # the window has no console: a fatal crash leaves its lines in the log
    try:
        window = create_main_window(db)
    except ZipingError as exc:
        window = open_backup_instead(db, exc)
        if window is None:
            return 2
    door.setParent(window)
    door.requested.connect(window.take_request)
    window.show()  # the daily backup follows, in a thread of its own (MainWindow.showEvent)
    if os.environ.get("ZIPING_SMOKE"):
        _quit_when_shown(app, window)
    if open_path:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: window.open_file(str(Path(open_path).resolve())))
    previous, sys.excepthook = sys.excepthook, report_bug
    try:
        code = app.exec()
    finally:
        sys.excepthook = previous
    window.session.store.close()
    return int(code)
