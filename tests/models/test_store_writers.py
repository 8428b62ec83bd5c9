"""Several writers on one database, and faults met at start: nothing is silently undone.

Two programs on one file (a window and the command line, say) each read a
report and save it; the second save must not quietly revert the first. A
write waits for another's lock and then says so; a full disk is called a full
disk; one report whose data cannot be read leaves the others readable.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models.errors import DiskFull, StaleRevision, StoreBusy, StoreError
from models.store import Store, backup_if_due, backups, from_backup
from tests.helpers import fill


def test_a_save_based_on_a_version_that_is_no_longer_current_is_refused(db_path: Path, sample) -> None:
    with Store(db_path) as window, Store(db_path) as command_line:
        rid = window.create(sample)
        mine, head = window.load_head(rid)
        theirs = command_line.load(rid)
        theirs.set_text("basics.contact", "张三")
        newer = command_line.save(rid, theirs, kind="import", note="报送包 吉首.zpb")
        mine.set_text("basics.phone", "0743-1234567")
        before = window.revisions(rid)
        with pytest.raises(StaleRevision) as caught:
            window.save(rid, mine, kind="auto", expected_head=head)
        saved_at = command_line.revisions(rid)[0].saved_at[:16].replace("T", " ")
        assert str(caught.value) == (
            f"报告 {rid} 在您编辑期间已在别处（另一个窗口或命令行）保存了新的版本（{saved_at}，导入：报送包 吉首.zpb）。"
            "为免覆盖那个版本，本次保存没有写入。"
        )
        assert caught.value.head == newer
        assert window.revisions(rid) == before
        assert window.load(rid).data["basics"]["contact"] == "张三"
        # Based on the current version, the same save goes through.
        mine.set_text("basics.contact", "张三")
        assert window.save(rid, mine, expected_head=newer) > newer


def test_an_autosave_never_replaces_a_revision_it_did_not_write(db_path: Path, sample) -> None:
    with Store(db_path) as first, Store(db_path) as second:
        rid = first.create(sample)
        r, head = first.load_head(rid)
        r.set_text("basics.contact", "甲")
        theirs = first.save(rid, r, kind="auto", expected_head=head)
        # Another window opens the report on that auto-save and types on.
        r2, head2 = second.load_head(rid)
        assert head2 == theirs
        r2.set_text("basics.contact", "乙")
        ours = second.save(rid, r2, kind="auto", expected_head=head2, own=None)
        assert ours != theirs
        assert second.load_revision(rid, theirs).data["basics"]["contact"] == "甲"
        # Its own auto-saves it does replace, as before.
        r2.set_text("basics.contact", "丙")
        assert second.save(rid, r2, kind="auto", expected_head=ours, own=ours) == ours
        assert [v.kind for v in second.revisions(rid)] == ["auto", "auto", "create"]


def test_a_write_waits_for_another_programs_lock_then_says_so(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program in the middle of its write
    try:
        with Store(db_path, busy_timeout=0.2) as store:
            r = store.load(rid)
            r.set_text("basics.contact", "张三")
            with pytest.raises(StoreBusy) as caught:
                store.save(rid, r)
            assert str(caught.value) == (
                f"数据库文件「{db_path}」正被其他程序使用，暂时无法保存；已有的数据没有改动。请稍后再试。"
            )
            other.execute("COMMIT")
            store.save(rid, r)
            assert store.load(rid).data["basics"]["contact"] == "张三"
    finally:
        other.close()


def test_kept_aside_a_version_is_in_the_history_but_not_current(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        r = store.load(rid)
        r.set_text("basics.contact", "张三")
        aside = store.keep_aside(rid, r, "本窗口未保存的修改")
        assert store.load(rid) == sample
        assert [(v.id, v.kind_label, v.note) for v in store.revisions(rid)][0] == (aside, "未采用的修改", "本窗口未保存的修改")
        store.restore(rid, aside)
        assert store.load(rid).data["basics"]["contact"] == "张三"


def _damage(db_path: Path, revision: int) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE revisions SET document = '{\"format\": \"ziping-report\", \"cov' WHERE id = ?", (revision,))


def test_a_damaged_revision_leaves_the_other_reports_and_an_earlier_version(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        good = store.create(sample)
        rid = store.create(sample)
        r = store.load(rid)
        r.set_text("basics.contact", "张三")
        head = store.save(rid, r)
        first = store.revisions(rid)[1]
    _damage(db_path, head)
    with Store(db_path) as store:
        assert store.load(good) == sample
        with pytest.raises(StoreError) as caught:
            store.load(rid)
        assert str(caught.value).startswith(f"报告 {rid} 的数据已损坏，无法打开：")
        assert store.last_good_revision(rid) == first
        store.restore(rid, first.id)
        assert store.load(rid) == sample


def test_a_report_is_read_back_from_a_backup_without_writing_to_it(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    made = backup_if_due(db_path)
    assert made is not None and backups(db_path) == [made]
    before = made.read_bytes()
    assert from_backup(made, rid) == sample
    assert from_backup(made, rid + 1) is None
    assert made.read_bytes() == before
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]


def test_a_full_disk_is_called_a_full_disk_not_a_damaged_file(small_disk: Path, sample) -> None:
    path = small_disk / "ziping.sqlite3"
    with Store(path) as store:
        rid = store.create(sample)
    fill(small_disk)
    with pytest.raises(DiskFull) as caught:
        Store(path)
    assert str(caught.value) == (
        f"数据库文件「{path}」所在的磁盘已满（剩余 0 KB），无法读写数据库。文件没有损坏，也未作任何改动；"
        "请清理磁盘空间（删除不用的文件、清空回收站）后再打开程序。"
    )
    (small_disk / "filler").unlink()
    with Store(path) as store:
        assert store.load(rid) == sample


def test_a_save_on_a_full_disk_says_so_and_keeps_the_file(small_disk: Path, sample) -> None:
    path = small_disk / "ziping.sqlite3"
    with Store(path) as store:
        rid = store.create(sample)
        fill(small_disk)
        r = store.load(rid)
        r.set_text("basics.duties", "很长的职能职责。" * 4000)
        with pytest.raises(DiskFull) as caught:
            store.save(rid, r)
        assert str(caught.value) == (
            f"数据库文件「{path}」所在磁盘已满，本次保存未完成；已有的数据没有改动。请清理磁盘后再保存。"
        )
        (small_disk / "filler").unlink()
        assert store.load(rid) == sample
        store.save(rid, r)
    with Store(path) as store:
        assert store.load(rid) == r


def test_a_database_busy_with_another_programs_write_still_opens(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store(db_path, busy_timeout=0.1) as store:
            assert not store.readonly
            assert store.load(rid) == sample
    finally:
        other.execute("COMMIT")
        other.close()
