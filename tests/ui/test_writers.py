"""The window among other writers and faults: nothing typed is silently undone or dropped.

- A version saved elsewhere (the command line's ``import --replace``) is loaded
  when nothing is unsaved, and otherwise the clerk chooses; neither side's
  content is ever lost.
- A save that meets another program's lock is retried until it goes through.
- Closing with edits that cannot be written offers a .json file.
- A second start on the same database hands over to the open window.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from main import main
from models import interchange
from models.store import Store
from reports.package import write_package
from ui.session import KEEP_MINE, TAKE_THEIRS

ROOT = Path(__file__).resolve().parents[2]


def _stored(db_path: Path, report_id: int):
    with Store(db_path) as store:
        return store.load(report_id)


def _package(tmp_path: Path, contact: str) -> Path:
    """The same department and year, as a package from elsewhere would bring it."""
    report = interchange.read(ROOT / "resources" / "samples" / "jishou_kegongxin_2023.json")
    report.set_text("basics.contact", contact)
    return write_package(report, tmp_path / f"{contact}.zpb", unchecked_ok=True)


def _import_replace(capsys, package: Path, db_path: Path) -> None:
    assert main(["import", "--replace", str(package), "--db", str(db_path)]) == 0
    assert "已替换报告" in capsys.readouterr().out


def test_a_version_saved_elsewhere_is_shown_when_nothing_is_unsaved(window, qtbot, db_path, tmp_path, capsys,
                                                                   quiet_messages):
    _import_replace(capsys, _package(tmp_path, "李四"), db_path)
    qtbot.waitUntil(lambda: window.field("basics.contact").text() == "李四", timeout=5000)
    assert quiet_messages.last("status") == "本报告已在别处保存了新的版本，窗口已载入它。"
    assert not window.isWindowModified()


def test_import_replace_while_the_clerk_types_is_reported_and_the_clerk_keeps_both(
    window, qtbot, db_path, tmp_path, capsys, quiet_messages
):
    session = window.session
    report_id = session.report_id
    session.set_text("basics.phone", "0743-1111111")  # typed; the auto-save has not run yet
    _import_replace(capsys, _package(tmp_path, "李四"), db_path)
    quiet_messages.answers.append(0)  # the clerk takes the other version
    qtbot.waitUntil(lambda: window.field("basics.contact").text() == "李四", timeout=5000)
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert len(asked) == 1
    assert asked[0].startswith(f"报告 {report_id} 在您编辑期间已在别处（另一个窗口或命令行）保存了新的版本（")
    assert "导入：报送包 李四.zpb）。为免覆盖那个版本，本次保存没有写入。" in asked[0]
    assert "别处的版本与本窗口的内容有 2 处不同：\n" in asked[0]
    assert "联系电话：别处为「8520526」，本窗口为「0743-1111111」" in asked[0]
    assert "联系人：别处为「李四」，本窗口为「陶毅」" in asked[0]
    assert asked[0].endswith(
        "「载入别处的版本」：窗口显示别处的版本，本窗口的内容留存为一个历史版本（未采用的修改），可随时恢复。\n"
        "「以本窗口的内容为准保存」：本窗口的内容成为最新版本，上面别处的修改就不在当前内容中了"
        "（那个版本仍保留在历史版本中，可随时恢复）。\n请选择："
    )
    with Store(db_path) as store:
        revisions = store.revisions(report_id)
        assert store.load(report_id).data["basics"]["contact"] == "李四"
        aside = [r for r in revisions if r.kind == "aside"]
        assert len(aside) == 1
        kept = store.load_revision(report_id, aside[0].id)
    assert kept.data["basics"]["phone"] == "0743-1111111", "what the clerk typed is in the history"
    assert quiet_messages.last("info") == (
        f"已载入别处保存的版本。本窗口原来的内容已留存为历史版本（编号 {aside[0].id}），"
        "可在「历史版本」中查看、比较或恢复。"
    )


def test_the_clerk_may_keep_the_windows_version_on_top(window, qtbot, db_path, tmp_path, capsys, quiet_messages):
    session = window.session
    report_id = session.report_id
    session.set_text("basics.phone", "0743-1111111")
    _import_replace(capsys, _package(tmp_path, "李四"), db_path)
    quiet_messages.answers.append(1)
    qtbot.waitUntil(lambda: not session.dirty, timeout=5000)
    stored = _stored(db_path, report_id)
    assert (stored.data["basics"]["phone"], stored.data["basics"]["contact"]) == ("0743-1111111", "陶毅")
    with Store(db_path) as store:
        revisions = store.revisions(report_id)
        imported = next(r for r in revisions if r.kind == "import" and r.note == "报送包 李四.zpb")
        assert (revisions[0].kind, revisions[0].note) == (
            "manual", f"以本窗口的内容为准保存（别处保存的版本 {imported.id} 仍在历史版本中）"
        )
        assert store.load_revision(report_id, imported.id).data["basics"]["contact"] == "李四"
    assert quiet_messages.last("status") == "已以本窗口的内容保存为最新版本；别处保存的版本仍在「历史版本」中。"


def test_undecided_the_edits_wait_unsaved_and_ctrl_s_asks_again(window, qtbot, db_path, tmp_path, capsys,
                                                                quiet_messages):
    session = window.session
    report_id = session.report_id
    session.set_text("basics.phone", "0743-1111111")
    quiet_messages.answers.append(None)  # the question is closed without a choice
    _import_replace(capsys, _package(tmp_path, "李四"), db_path)
    qtbot.waitUntil(lambda: session.held, timeout=5000)  # asked; no answer (cancelled)
    assert window.save_label.text() == "未保存：报告已在别处更新，请选择如何处理（Ctrl+S）"
    assert window.isWindowModified()
    qtbot.wait(1200)  # neither the auto-save nor the look for changes overwrites anything meanwhile
    assert _stored(db_path, report_id).data["basics"]["contact"] == "李四"
    assert [level for level, _ in quiet_messages.history].count("ask") == 1
    quiet_messages.answers.append(1)
    window.save()
    assert _stored(db_path, report_id).data["basics"]["phone"] == "0743-1111111"
    assert [level for level, _ in quiet_messages.history].count("ask") == 2


def test_the_two_choices_read_as_a_clerk_needs_them():
    assert (TAKE_THEIRS, KEEP_MINE) == ("载入别处的版本", "以本窗口的内容为准保存")


@pytest.fixture
def lock(db_path):
    """Another program holding the database's write lock until released."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("COMMIT")
    conn.close()


def test_an_autosave_that_meets_a_lock_is_retried_until_it_is_written(window, qtbot, db_path, quiet_messages):
    session = window.session
    report_id = session.report_id
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        session.set_text("basics.contact", "张三")
        qtbot.waitUntil(lambda: session.failure is not None, timeout=5000)
        assert window.save_label.text() == "未保存，1 秒后自动重试"
        assert quiet_messages.last("error") is None, "no dialog for a lock: it is retried"
        assert quiet_messages.last("status") == (
            f"数据库文件「{db_path}」正被其他程序使用，暂时无法保存；已有的数据没有改动。请稍后再试。"
            "程序会在 1 秒后自动重试。"
        )
        assert session.dirty and window.isWindowModified()
    finally:
        conn.execute("COMMIT")
        conn.close()
    qtbot.waitUntil(lambda: not session.dirty, timeout=10000)
    assert _stored(db_path, report_id).data["basics"]["contact"] == "张三"
    assert window.save_label.text().startswith("已保存")


def test_closing_with_edits_that_cannot_be_written_offers_a_json_file(window, qtbot, db_path, tmp_path, lock,
                                                                     quiet_messages):
    session = window.session
    report_id = session.report_id
    session.set_text("basics.contact", "张三")
    quiet_messages.answers.append(None)  # first: cancel, the window stays open
    window.close()
    assert window.isVisible()
    question = [text for level, text in quiet_messages.history if level == "ask"][-1]
    assert question == (
        f"本报告还有修改没有保存：数据库文件「{db_path}」正被其他程序使用，暂时无法保存；已有的数据没有改动。"
        "请稍后再试。\n\n可以把当前内容另存为一个 .json 文件（报告数据文件，以后可用「导入」读回），或再试一次保存。"
    )
    target = tmp_path / "未保存的内容.json"
    quiet_messages.answers.extend([0, str(target)])
    window.close()
    assert not window.isVisible()
    saved = interchange.read(target)
    assert saved.data["basics"]["contact"] == "张三"
    assert saved == session.report
    assert quiet_messages.last("status") == f"已把未保存的内容另存为「{target}」，可用「导入」读回。"
    lock.execute("COMMIT")
    qtbot.wait(1500)  # the window is closed: nothing more is written behind the clerk's back
    assert _stored(db_path, report_id).data["basics"]["contact"] == "陶毅"


def test_closing_without_saving_must_be_confirmed(window, lock, quiet_messages):
    window.session.set_text("basics.contact", "张三")
    quiet_messages.answers.extend([2, False, 2, True])
    window.close()
    assert not window.isVisible()
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert asked.count("确定不保存就关闭窗口吗？本窗口中未保存的修改将会丢失。") == 2


SECOND_START = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from main import main
sys.exit(main(["--db", {db!r}, {file!r}]))
"""


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no window stack
def test_a_second_start_on_the_same_database_hands_over_to_the_open_window(make_window, qtbot, db_path,
                                                                          tmp_path, quiet_messages):
    from ui.instance import Door

    window = make_window()
    door = Door(db_path, window)
    assert door.listen()
    door.requested.connect(window.take_request)
    report = interchange.read(ROOT / "resources" / "samples" / "jishou_kegongxin_2023.json")
    report.set_text("cover.year", "2024")
    given = tmp_path / "下一年.json"
    given.write_text(interchange.dumps(report), encoding="utf-8")
    quiet_messages.answers.append(True)  # 导入并打开？
    script = tmp_path / "second.py"
    # The same file by another spelling of its path is the same database.
    other_spelling = str(db_path.parent / ".." / db_path.parent.name / db_path.name)
    script.write_text(SECOND_START.format(root=str(ROOT), db=other_spelling, file=str(given)), encoding="utf-8")
    second = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=15000)  # the window answers meanwhile
    out, err = second.communicate()
    assert second.returncode == 0, err
    assert out == "这个数据库已在程序窗口中打开，已切换到那个窗口。\n"
    qtbot.waitUntil(lambda: window.session.report.year == 2024, timeout=5000)
    with Store(db_path) as store:
        assert sorted(r.year for r in store.listing()) == [2023, 2024]
    assert quiet_messages.last("status") == "已从「下一年.json」导入为新报告。"
    assert Decimal(str(window.session.report.data["income"][0]["total"])) == Decimal("5374.34")


def test_a_report_file_given_at_start_is_imported_and_opened(qtbot, db_path, settings_path, tmp_path, monkeypatch,
                                                            quiet_messages):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    report = interchange.read(ROOT / "resources" / "samples" / "jishou_kegongxin_2023.json")
    report.set_text("cover.dept_name", "吉首市教育局")
    given = tmp_path / "教育局.json"
    given.write_text(interchange.dumps(report), encoding="utf-8")
    monkeypatch.setenv("ZIPING_SETTINGS", str(settings_path))
    quiet_messages.answers.append(True)
    seen = []

    def look_and_close():
        for w in QApplication.topLevelWidgets():
            if w.objectName() == "main_window" and w.isVisible():
                seen.append(w.windowTitle())
                w.close()

    QTimer.singleShot(500, look_and_close)
    assert main(["--db", str(db_path), str(given)]) == 0
    assert seen and seen[0].startswith("吉首市教育局 2023年度（草稿）")
    assert [text for level, text in quiet_messages.history if level == "ask"] == [
        "把「教育局.json」（吉首市教育局 2023年度）导入并打开？"
    ]


def test_marked_final_elsewhere_while_the_clerk_types_keeps_the_typing_in_the_history(
    make_window, qtbot, db_path, sample, quiet_messages
):
    from tests.helpers import explain_errors

    with Store(db_path) as store:
        report_id = store.create(explain_errors(sample.copy()))
    window = make_window()
    session = window.session
    session.set_text("basics.phone", "0743-2222222")
    with Store(db_path) as other:
        other.mark_final(report_id)  # the command line's `final`, before the auto-save ran
    qtbot.waitUntil(lambda: session.final, timeout=5000)
    assert window.banner.isVisible() and not session.dirty
    with Store(db_path) as store:
        aside = store.revisions(report_id)[0]
        assert (aside.kind, aside.note) == ("aside", "本窗口未保存的修改（报告已在别处定稿）")
        assert store.load_revision(report_id, aside.id).data["basics"]["phone"] == "0743-2222222"
        assert store.load(report_id).data["basics"]["phone"] == "8520526"
    assert quiet_messages.last("error").endswith(
        f"本窗口未保存的修改已留存为历史版本（编号 {aside.id}）；如需采用，请「重新打开」后在「历史版本」中恢复。"
    )
