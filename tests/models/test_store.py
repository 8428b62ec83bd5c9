"""The store on real SQLite files: revisions, recycle bin, final state, bad files."""

import hashlib
import os
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from models import interchange
from models.errors import ReportLocked, ReportNotFound, StoreError
from models.report import Report
from models.store import SCHEMA_VERSION, Store
from tests.helpers import explain_errors, make_read_only, undo_read_only
from tests.strategies import reports


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_load_list(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        assert store.load(rid) == sample
        (info,) = store.listing()
        assert (info.id, info.dept_name, info.year, info.status_label) == (rid, "吉首市科工信局", 2023, "草稿")
        assert info.fingerprint == interchange.fingerprint(sample)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_many_reports_departments_and_years(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        for year in (2022, 2023):
            for dept in ("吉首市科工信局", "吉首市财政局"):
                r = sample.copy()
                r.set_text("cover.dept_name", dept)
                r.set_text("cover.year", str(year))
                store.create(r)
        listing = [(i.year, i.dept_name) for i in store.listing()]
        assert listing == [
            (2023, "吉首市科工信局"), (2023, "吉首市财政局"), (2022, "吉首市科工信局"), (2022, "吉首市财政局"),
        ]
        assert len(store.find("吉首市财政局", 2022)) == 1


def test_each_save_is_a_revision_that_can_be_restored(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        first = store.revisions(rid)[0].id
        r = store.load(rid)
        r.set_text("basics.contact", "张三")
        store.save(rid, r)
        assert store.save(rid, r) == store.revisions(rid)[0].id, "an unchanged save adds nothing"
        revs = store.revisions(rid)
        assert [v.kind_label for v in revs] == ["保存", "新建"]
        assert store.load_revision(rid, first).data["basics"]["contact"] == "陶毅"
        store.restore(rid, first)
        assert store.load(rid).data["basics"]["contact"] == "陶毅"
        assert [v.kind_label for v in store.revisions(rid)] == ["恢复", "保存", "新建"]
        assert store.load_revision(rid, revs[0].id).data["basics"]["contact"] == "张三"


def test_autosaves_close_together_coalesce(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        r = store.load(rid)
        own = None
        for contact in ("甲", "乙", "丙"):
            r.set_text("basics.contact", contact)
            own = store.save(rid, r, kind="auto", own=own)
        kinds = [v.kind for v in store.revisions(rid)]
        assert kinds == ["auto", "create"]
        assert store.load(rid).data["basics"]["contact"] == "丙"
        r.set_text("basics.contact", "丁")
        store.save(rid, r, kind="manual")
        r.set_text("basics.contact", "戊")
        store.save(rid, r, kind="auto", own=own)
        assert [v.kind for v in store.revisions(rid)] == ["auto", "manual", "auto", "create"]


def test_recycle_bin(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        store.delete(rid)
        assert store.listing() == []
        assert [i.id for i in store.listing(deleted=True)] == [rid]
        with pytest.raises(StoreError) as caught:
            store.save(rid, sample)
        assert str(caught.value) == f"报告 {rid} 在回收站中，请先还原再修改。"
        store.undelete(rid)
        assert [i.id for i in store.listing()] == [rid]
        assert store.load(rid) == sample
        assert [e.action for e in store.events(rid)] == ["delete", "undelete"]


def test_final_is_refused_while_errors_are_unexplained(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        with pytest.raises(StoreError) as caught:
            store.mark_final(rid)
        assert str(caught.value).startswith("还有 3 项错误未改正也未说明，不能定稿：\n  - 年度收入情况「1、局机关」")
        assert str(caught.value).endswith("请改正，或为每项错误填写出错说明。")
        assert store.info(rid).status == "draft"


def test_final_is_read_only_until_reopened_with_a_reason(db_path: Path, sample) -> None:
    explain_errors(sample, "与原始凭证核对无误，差额为原件录入错误。")
    with Store(db_path) as store:
        rid = store.create(sample)
        store.mark_final(rid)
        assert store.info(rid).status_label == "定稿"
        r = store.load(rid)
        r.set_text("basics.phone", "0743-8520526")
        with pytest.raises(ReportLocked) as caught:
            store.save(rid, r)
        assert str(caught.value) == "报告「吉首市科工信局2023」已定稿，不能修改。如需修改，请先「重新打开」并说明原因。"
        with pytest.raises(StoreError, match="必须说明原因"):
            store.reopen(rid, "  ")
        store.reopen(rid, "财政局退回：联系电话有误")
        store.save(rid, r)
        assert store.load(rid).data["basics"]["phone"] == "0743-8520526"
        events = store.events(rid)
        assert [(e.action, e.reason) for e in events] == [("final", None), ("reopen", "财政局退回：联系电话有误")]


def test_carry_over_keeps_who_and_what_and_blanks_figures(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        new = store.load(store.carry_over(rid))
    d = new.data
    assert d["cover"]["year"] == 2024
    assert d["cover"]["dept_name"] == "吉首市科工信局"
    assert d["basics"]["contact"] == "陶毅"
    assert d["institutions"] == ["局机关"]
    assert all(v is None for row in d["income"] for v in row.values())
    assert [i["name"] for i in d["indicators"]] == [i["name"] for i in sample.data["indicators"]]
    assert all(i["target"] is None and i["actual"] is None for i in d["indicators"])
    assert [i["weight"] for i in d["score_items"]] == [Decimal(10), Decimal(50), Decimal(30), Decimal(10)]
    assert all(i["score"] is None for i in d["score_items"])
    assert d["score"]["self_score"] is None
    assert d["narrative"]["projects"] == []


def test_missing_report(db_path: Path) -> None:
    with Store(db_path) as store, pytest.raises(ReportNotFound) as caught:
        store.load(42)
    assert str(caught.value) == "没有编号为 42 的报告。可用 list 查看已有的报告。"


# -- files we must not damage -------------------------------------------------------------


def test_newer_database_is_refused_untouched(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        store.create(sample)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = digest(db_path)
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    assert str(caught.value) == (
        f"数据库文件「{db_path}」由更新版本的程序创建（数据库版本 {SCHEMA_VERSION + 1}，本程序支持到版本 "
        f"{SCHEMA_VERSION}）。为免损坏数据，本程序不会打开它，文件未作任何改动；请升级程序。"
    )
    assert digest(db_path) == before


def test_corrupt_database_is_refused_untouched(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database" * 100)
    before = digest(db_path)
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    assert str(caught.value) == (
        f"数据库文件「{db_path}」已损坏或不是本程序的数据库文件（文件不是数据库或已损坏）。"
        "文件未作任何改动；请从备份恢复，或用 --db 指定其他文件。"
    )
    assert digest(db_path) == before


def test_someone_elses_sqlite_file_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = digest(db_path)
    with pytest.raises(StoreError, match="不是本程序的数据库文件"):
        Store(db_path)
    assert digest(db_path) == before


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("chattr") is None, reason="needs chattr as root")
def test_read_only_database_reads_but_refuses_to_save(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    for extra in db_path.parent.glob(db_path.name + "-*"):
        extra.unlink()
    before = digest(db_path)
    make_read_only(db_path)
    try:
        with Store(db_path) as store:
            assert store.load(rid) == sample
            r = sample.copy()
            r.set_text("basics.contact", "张三")
            with pytest.raises(StoreError) as caught:
                store.save(rid, r)
            assert str(caught.value) == (
                f"数据库文件「{db_path}」是只读的，无法保存。请检查文件权限或所在磁盘；已有的数据没有改动。"
            )
    finally:
        undo_read_only(db_path)
    assert digest(db_path) == before


# -- round trip -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports())
def test_file_to_store_to_file_is_the_same_document(tmp_path: Path, report: Report) -> None:
    text = interchange.dumps(report)
    with Store(tmp_path / "round.sqlite3") as store:
        rid = store.create(interchange.loads(text))
        assert interchange.dumps(store.load(rid)) == text


def test_a_file_from_the_previous_version_is_migrated_in_place(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    with sqlite3.connect(db_path) as conn:  # as the first release left it
        conn.execute("DROP TABLE receipts")
        conn.execute("DROP INDEX revisions_fingerprint")
        conn.execute("DROP INDEX reports_by_code")
        conn.execute("ALTER TABLE reports DROP COLUMN budget_code")
        conn.execute("ALTER TABLE reports DROP COLUMN framework")
        conn.execute("PRAGMA user_version = 1")
    with Store(db_path) as store:
        assert store.load(rid) == sample
        assert store.receipts() == {}
        assert [m.report_id for m in store.find_fingerprint(interchange.fingerprint(sample))] == [rid]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert conn.execute("SELECT budget_code FROM reports").fetchall() == [("004001",)]


def test_a_year_s_reports_by_budget_code_then_department(db_path: Path, sample) -> None:
    """The 汇总表's order, read from the database; a code typed later moves the report."""
    with Store(db_path) as store:
        ids = {}
        for name, code in (("乙局", "002"), ("甲局", "002"), ("丙局", None), ("丁局", "001"), ("戊局", None)):
            report = sample.copy()
            report.set_text("cover.dept_name", name)
            report.data["cover"]["budget_code"] = code
            ids[name] = store.create(report)
        other = sample.copy()
        other.set_text("cover.year", "2022")
        store.create(other)
        # (names in the order of their characters, as the database compares them)
        assert [r.dept_name for r in store.of_year(2023)] == ["丁局", "乙局", "甲局", "丙局", "戊局"]
        moved = store.load(ids["戊局"])
        moved.set_text("cover.budget_code", "000")
        store.save(ids["戊局"], moved)
        assert [r.dept_name for r in store.of_year(2023)][0] == "戊局"
        assert [r.dept_name for r in store.of_year(2022)] == ["吉首市科工信局"]
        assert store.frameworks(2023) == ["hunan"]


def test_daily_backups_are_kept_and_named_when_the_file_breaks(db_path: Path, sample) -> None:
    from datetime import datetime, timedelta

    from models.store import BACKUPS_KEPT, backups

    with Store(db_path) as store:
        store.create(sample)
        day = datetime(2024, 6, 1)
        first = store.backup_if_due(day)
        assert first == db_path.parent / "备份" / f"{db_path.stem}-20240601.sqlite3"
        assert store.backup_if_due(day) is None, "one a day"
        for i in range(1, 10):
            store.backup_if_due(day + timedelta(days=i))
    kept = backups(db_path)
    assert len(kept) == BACKUPS_KEPT
    assert kept[0].name == f"{db_path.stem}-20240610.sqlite3"
    with Store(kept[0]) as copy:
        assert copy.load(1) == sample
    db_path.write_bytes(b"broken" * 1000)
    for extra in db_path.parent.glob(db_path.name + "-*"):
        extra.unlink()
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    assert str(caught.value).endswith(f"最近的备份：「{kept[0]}」。")


def test_backups_of_a_similarly_named_database_are_left_alone(tmp_path: Path, sample) -> None:
    from datetime import datetime, timedelta

    from models.store import backups

    other = tmp_path / "ziping-old.sqlite3"
    with Store(other) as store:
        store.create(sample)
        for i in range(9):
            store.backup_if_due(datetime(2024, 1, 1) + timedelta(days=i))
    mine = tmp_path / "ziping.sqlite3"
    with Store(mine) as store:
        store.create(sample)
        made = store.backup_if_due(datetime(2024, 6, 1))
    assert made is not None and made.exists()
    assert backups(mine) == [made]
    assert len(backups(other)) == 7


def test_an_autosave_never_overwrites_a_version_that_was_printed_or_packed(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        r = store.load(rid)
        r.set_text("basics.contact", "甲")
        printed = store.save(rid, r, kind="auto")
        paper = store.info(rid).fingerprint
        store.note_issued(rid, "打印")
        r.set_text("basics.contact", "乙")
        later = store.save(rid, r, kind="auto", own=printed)
        assert later != printed
        assert [m.revision_id for m in store.find_fingerprint(paper)] == [printed]
        assert store.events(rid)[-1].reason == f"打印（数据指纹 {paper}）"


def _no_english(message: str, path: Path) -> None:
    import re

    rest = message.replace(str(path), "").replace("--db", "")
    assert not re.search(r"[A-Za-z]{4,}", rest), message


def test_a_schema_record_that_lies_is_said_in_chinese(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        store.create(sample)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 0")  # the tables are there, the record says none
    with pytest.raises(StoreError) as refused:
        Store(db_path)
    message = str(refused.value)
    assert message.endswith("无法使用：数据库的结构与本程序不符（版本记录被改动，或文件已损坏）")
    assert "already exists" not in message
    _no_english(message, db_path)


def test_text_that_is_not_utf8_in_the_database_is_said_without_a_dump(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE revisions SET document = CAST(X'7b22ff22c0af' || randomblob(2000) AS TEXT)")
    with Store(db_path) as store, pytest.raises(StoreError) as refused:
        store.load(rid)
    message = str(refused.value)
    assert message == (
        f"数据库文件「{db_path}」读取失败：数据库中有无法识别的文字（不是 UTF-8 编码），"
        "文件可能被其他程序改动过或已损坏。"
    )


def test_a_database_path_through_a_file_is_said_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(StoreError) as refused:
        Store(tmp_path / "a_file" / "db.sqlite3")
    message = str(refused.value)
    assert message.endswith("所在的文件夹无法创建：已有同名的文件。请用 --db 指定其他文件。"), message
    _no_english(message, tmp_path / "a_file" / "db.sqlite3")


def test_system_errors_are_described_in_chinese() -> None:
    import errno

    from models.fileio import describe

    assert describe(PermissionError(errno.EACCES, "Permission denied")) == "没有写入权限"
    assert describe(PermissionError(errno.EROFS + 999, "Permission denied")) == "没有权限"
    assert describe(OSError(errno.EXDEV, "Invalid cross-device link")) == f"系统错误（错误号 {errno.EXDEV}）"
    assert describe(OSError("no errno at all")) == "系统错误"
