"""Faults met at start, named truly, and nothing that delays the first window.

A read-only database opens read-only and says so; a full disk is a full disk;
one report whose data cannot be read does not keep the window shut and offers
its last good version; the daily backup is made after the window is shown.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from models.errors import DiskFull
from models.store import Store, backups
from tests.helpers import fill, make_read_only, undo_read_only


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("chattr") is None, reason="needs chattr as root")
def test_a_read_only_database_opens_read_only_with_a_banner(make_window, db_path, sample, type_text,
                                                           quiet_messages):
    with Store(db_path) as store:
        report_id = store.create(sample)
    for extra in db_path.parent.glob(db_path.name + "-*"):
        extra.unlink()
    make_read_only(db_path)
    try:
        window = make_window()
        session = window.session
        assert session.report_id == report_id and session.readonly and not session.final
        assert window.banner.isVisible()
        assert window.banner.text().startswith(f"数据库文件「{db_path}」是只读的：报告只能查看，不能修改")
        assert "（草稿，只读）" in window.windowTitle()
        assert [b.objectName() for b in window.findChildren(QPushButton) if b.isEnabled()] == []
        assert not window.save_action.isEnabled() and not window.final_action.isEnabled()
        field = window.field("basics.contact")
        assert field.isReadOnly()
        window.go_to("basics.contact")
        type_text(field, "张三")
        assert session.report == sample and not session.dirty
        assert quiet_messages.last("error") is None
    finally:
        undo_read_only(db_path)
    with Store(db_path) as store:
        assert store.load(report_id) == sample


def _damage_head(db_path: Path, report_id: int) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE revisions SET document = '{\"format\": \"ziping-re' WHERE id = (SELECT head FROM reports WHERE id = ?)",
            (report_id,),
        )


def _two_reports(db_path: Path, settings_path: Path, sample) -> tuple[int, int]:
    """Two reports; the second, the one opened last time, edited once and then damaged."""
    from PySide6.QtCore import QSettings

    with Store(db_path) as store:
        other = store.create(sample)
        damaged = store.create(sample)
        r = store.load(damaged)
        r.set_text("basics.contact", "张三")
        store.save(damaged, r)
    _damage_head(db_path, damaged)
    QSettings(str(settings_path), QSettings.Format.IniFormat).setValue("report/last", damaged)
    return other, damaged


def test_a_damaged_report_does_not_keep_the_window_shut_and_offers_its_last_good_version(
    make_window, qtbot, db_path, settings_path, sample, quiet_messages
):
    other, damaged = _two_reports(db_path, settings_path, sample)
    quiet_messages.answers.append(True)  # 恢复到最近一个完好的版本？
    window = make_window()
    qtbot.waitUntil(lambda: window.session.report_id == damaged, timeout=5000)
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert asked[0].startswith(f"报告 {damaged} 的数据已损坏，无法打开：")
    assert f"报告「吉首市科工信局 2023年度（编号 {damaged}）」最近一个完好的版本是 " in asked[0]
    assert asked[0].endswith("是否恢复到这个版本？损坏的版本仍保留在历史版本中。")
    assert window.session.report == sample
    with Store(db_path) as store:
        assert store.load(damaged) == sample
        assert len(store.revisions(damaged)) == 3, "the damaged version is kept for support"


def test_a_damaged_report_left_as_it_is_is_marked_in_the_report_list(
    make_window, qtbot, db_path, settings_path, sample, quiet_messages
):
    from ui.dialogs import ReportsDialog

    other, damaged = _two_reports(db_path, settings_path, sample)
    quiet_messages.answers.append(False)
    window = make_window()
    assert window.session.report_id == other
    qtbot.waitUntil(lambda: any(level == "ask" for level, _ in quiet_messages.history), timeout=5000)
    dialog = ReportsDialog(window.session, window)
    qtbot.addWidget(dialog)
    states = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert states == {str(other): "草稿（当前打开）", str(damaged): "草稿（已损坏，无法打开）"}


def test_without_a_good_version_the_report_comes_back_from_the_daily_backup(
    make_window, qtbot, db_path, settings_path, sample, quiet_messages
):
    from models.store import backup_if_due

    with Store(db_path) as store:
        store.create(sample)
        damaged = store.create(sample)
    backup = backup_if_due(db_path)
    assert backup is not None
    _damage_head(db_path, damaged)
    from PySide6.QtCore import QSettings

    QSettings(str(settings_path), QSettings.Format.IniFormat).setValue("report/last", damaged)
    quiet_messages.answers.append(True)
    window = make_window()
    qtbot.waitUntil(lambda: window.session.report_id == damaged, timeout=5000)
    asked = [text for level, text in quiet_messages.history if level == "ask"][0]
    assert f"没有完好的历史版本，自动备份「{backup.name}」中有它。" in asked
    with Store(db_path) as store:
        assert store.load(damaged) == sample
        assert store.revisions(damaged)[0].note == f"由备份 {backup.name} 恢复"


def test_the_daily_backup_is_made_after_the_window_is_shown(qtbot, db_path, settings_path, sample):
    from ui.app import create_main_window

    with Store(db_path) as store:
        store.create(sample)
    window = create_main_window(db_path, settings_path)
    qtbot.addWidget(window)
    assert backups(db_path) == [], "building the window makes no backup"
    window.show()
    qtbot.waitUntil(lambda: len(backups(db_path)) == 1, timeout=10000)
    assert window.backup_thread is not None and window.backup_thread.name == "daily-backup"


def test_the_window_paints_first_and_the_text_rules_and_other_tabs_follow(qtbot, db_path, settings_path, sample):
    from PySide6.QtCore import QEvent, QObject

    from models import rules
    from ui.app import create_main_window

    with Store(db_path) as store:
        store.create(sample)
    window = create_main_window(db_path, settings_path)
    qtbot.addWidget(window)
    at_first_paint: list[tuple[bool, bool, bool]] = []

    class Watch(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and not at_first_paint:
                at_first_paint.append((window.pages_built(), window.session.rechecker.waiting,
                                       window.backup_thread is None, window.new_form_menu.isEnabled()))
            return False

    watch = Watch()
    window.installEventFilter(watch)
    window.show()
    qtbot.waitUntil(lambda: bool(at_first_paint))
    # The other tabs, the text rules, the backup and the templates read for 按其他表样新建.
    assert at_first_paint == [(False, True, True, False)], "the first paint waits for none of them"
    qtbot.waitUntil(window.new_form_menu.isEnabled)  # the shipped Chongqing form is offered
    qtbot.waitUntil(window.pages_built)
    assert not window.session.rechecker.waiting
    assert window.session.findings == rules.check(window.session.report)
    qtbot.waitUntil(lambda: len(backups(db_path)) == 1, timeout=10000)


def test_a_window_not_shown_still_runs_the_text_rules_and_makes_no_backup(qtbot, db_path, settings_path, sample):
    from models import rules
    from ui.app import create_main_window

    with Store(db_path) as store:
        store.create(sample)
    window = create_main_window(db_path, settings_path)
    qtbot.addWidget(window)
    assert window.session.rechecker.waiting
    qtbot.waitUntil(lambda: not window.session.rechecker.waiting)
    assert window.session.findings == rules.check(window.session.report)
    assert window.backup_thread is None and backups(db_path) == []


def test_a_full_disk_at_start_is_named_and_no_backup_is_offered_for_it(small_disk, sample, quiet_messages):
    from models.store import backup_folder
    from ui.app import open_backup_instead

    db = small_disk / "ziping.sqlite3"
    with Store(db) as store:
        store.create(sample)
    backup_folder(db).mkdir()
    shutil.copyfile(db, backup_folder(db) / "ziping-20240601.sqlite3")  # yesterday's backup
    fill(small_disk)
    with pytest.raises(DiskFull) as caught:
        Store(db)
    assert open_backup_instead(db, caught.value) is None
    assert quiet_messages.history == [("error", str(caught.value))]
    assert "所在的磁盘已满" in str(caught.value) and "已损坏" not in str(caught.value)
