"""The store on real SQLite files: revisions, recycle bin, final state, bad files."""

import hashlib
import os
import shutil
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def old_database(path: Path, version: int, documents: list[tuple[int, str, str, int | None, str]]) -> None:
    """A database as release ``version`` (1 to 3) of the program left it: its own migrations,
    then rows inserted the way it inserted them, each revision's document as plain text.

    ``documents`` are ``(report, kind, text, deleted?, status)`` in the order they were saved;
    a report's row is made at its first document and its head follows its last."""
    import sqlite_utils

    from models.store import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    db = sqlite_utils.Database(conn)
    for number, (_name, migrate) in enumerate(MIGRATIONS[:version], 1):
        with db.atomic():
            migrate(db)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("PRAGMA application_id = 1515213383")
    stamp = "2024-05-01T09:00:00.000+08:00"
    for report, kind, text, deleted, status in documents:
        plain = interchange.loads(text).data["cover"]
        if not conn.execute("SELECT 1 FROM reports WHERE id = ?", (report,)).fetchall():
            conn.execute(
                "INSERT INTO reports (id, dept_name, year, status, created_at, updated_at)"
                " VALUES (?, ?, ?, 'draft', ?, ?)",
                (report, plain["dept_name"] or "", plain["year"], stamp, stamp),
            )
        fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        revision = conn.execute(
            "INSERT INTO revisions (report_id, saved_at, kind, note, fingerprint, document) VALUES (?, ?, ?, ?, ?, ?)",
            (report, stamp, kind, None, fingerprint, text),
        ).lastrowid
        conn.execute(
            "UPDATE reports SET head = ?, dept_name = ?, year = ?, deleted_at = ?, status = ? WHERE id = ?",
            (revision, plain["dept_name"] or "", plain["year"], stamp if deleted else None, status, report),
        )
        if version >= 3:  # the third release listed each report's 预算编码
            conn.execute("UPDATE reports SET budget_code = ? WHERE id = ?", (plain["budget_code"] or "", report))
    conn.close()


def history(sample: Report) -> list[tuple[int, str, str, int | None, str]]:
    """Three reports of two departments, with edits, an auto-save, a deleted and a final one."""
    out = []
    a = sample.copy()
    out.append((1, "create", interchange.canonical(a), None, "draft"))
    for contact in ("张三", "李四", "王五"):
        a.set_text("basics.contact", contact)
        out.append((1, "manual", interchange.canonical(a), None, "draft"))
    b = sample.copy()
    b.set_text("cover.year", "2024")
    b.set_text("income.0.other", "1.23")
    out.append((2, "carry", interchange.canonical(b), None, "draft"))
    b.set_text("basics.duties", "新的职能职责。" * 50)
    out.append((2, "auto", interchange.canonical(b), None, "final"))
    c = sample.copy()
    c.set_text("cover.dept_name", "吉首市财政局")
    out.append((3, "import", interchange.canonical(c), 1, "draft"))
    a.set_text("basics.phone", "0743-1234567")
    out.append((1, "auto", interchange.canonical(a), None, "draft"))
    return out


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_database_opens_and_every_revision_reads_back_identically(
    db_path: Path, sample, version: int
) -> None:
    saved = history(sample)
    old_database(db_path, version, saved)
    old_size = db_path.stat().st_size
    with closing(sqlite3.connect(db_path)) as conn:
        old_rows = conn.execute("SELECT id, report_id, saved_at, kind, fingerprint FROM revisions ORDER BY id").fetchall()
    with Store(db_path) as store:
        for revision_id, report_id, _saved_at, _kind, fingerprint in old_rows:
            text = saved[revision_id - 1][2]
            again = store.load_revision(report_id, revision_id)
            assert interchange.canonical(again) == text
            assert interchange.fingerprint(again) == fingerprint
        assert store.load(1) == interchange.loads(saved[-1][2])
        assert [i.id for i in store.find("吉首市科工信局", 2024)] == [2]
        assert store.info(2).status == "final" and store.info(3).deleted_at is not None
        assert [m.revision_id for m in store.find_fingerprint(old_rows[1][4])] == [2]
        assert store.receipts() == {}
        r = store.load(1)
        r.set_text("basics.contact", "赵六")
        new = store.save(1, r)
        assert store.load_revision(1, new) == r
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        # The 预算编码 column (migration 3) was read from the text before it was compressed.
        assert {row[0] for row in conn.execute("SELECT budget_code FROM reports")} == {"004001"}
        # Migration 5: reports stored before name no template, but the one saved since does.
        assert conn.execute("SELECT id, template_id, template_version FROM reports ORDER BY id").fetchall() == [
            (1, "hunan-2023", "2023.1"), (2, "", ""), (3, "", "")]
        kinds = conn.execute("SELECT DISTINCT typeof(document) FROM revisions").fetchall()
        assert kinds == [("blob",)]
        new_rows = conn.execute("SELECT id, report_id, saved_at, kind, fingerprint FROM revisions ORDER BY id").fetchall()
    assert new_rows[: len(old_rows)] == old_rows
    assert db_path.stat().st_size < old_size


def test_a_new_file_gets_the_schema_the_migrations_make_through_sqlite_utils(tmp_path: Path) -> None:
    """A new file is migrated on sqlite3 alone (the first start), an older one through
    sqlite-utils: the same migrations, the same tables and indexes."""
    import sys

    from models.store import MIGRATIONS

    old_database(tmp_path / "utils.sqlite3", len(MIGRATIONS), [])
    loaded = sys.modules.pop("sqlite_utils", None)
    try:
        with Store(tmp_path / "new.sqlite3"):
            assert "sqlite_utils" not in sys.modules
    finally:
        if loaded is not None:
            sys.modules["sqlite_utils"] = loaded
    schemas = []
    for name in ("utils.sqlite3", "new.sqlite3"):
        with closing(sqlite3.connect(tmp_path / name)) as conn:
            schemas.append((
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall(),
                conn.execute("PRAGMA user_version").fetchone(),
                conn.execute("PRAGMA application_id").fetchone(),
            ))
    assert schemas[0] == schemas[1]
    assert len(schemas[0][0]) > 10


def test_a_database_that_does_not_read_back_is_left_as_it_was(db_path: Path, sample) -> None:
    old_database(db_path, 2, history(sample)[:2])
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE revisions SET document = x'00' WHERE id = 2")
    before = digest(db_path)
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    assert str(caught.value) == (
        f"数据库文件「{db_path}」已损坏（历史版本 2 的内容无法读出）。请从备份恢复，或用 --db 指定其他文件。"
    )
    assert digest(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


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


# -- lookups and compact storage --------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["吉首市科工信局", "吉首市财政局", ""]), st.sampled_from([None, 2022, 2023]), st.booleans()),
        max_size=10,
    )
)
def test_lookups_in_sql_agree_with_a_scan_of_the_listing(tmp_path: Path, sample, made) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, Store(Path(folder) / "s.sqlite3") as store:
        for dept, year, deleted in made:
            r = sample.copy()
            r.data["cover"]["dept_name"] = dept or None
            r.data["cover"]["year"] = year
            rid = store.create(r)
            if deleted:
                store.delete(rid)
        listing = store.listing()
        for dept in ("吉首市科工信局", "吉首市财政局", ""):
            for year in (None, 2022, 2023):
                scanned = [i for i in listing if i.dept_name == dept and i.year == year]
                assert store.find(dept, year) == sorted(scanned, key=lambda i: i.id)
        for year in (2022, 2023):
            scanned = [i for i in listing if i.year == year]
            assert store.of_year(year) == sorted(scanned, key=lambda i: (i.dept_name, i.id))
        assert store.years() == sorted({i.year for i in listing if i.year}, reverse=True)


def test_lookups_and_saves_never_scan_a_table(db_path: Path, sample) -> None:
    """Every statement of importing, saving, finding and loading searches an index: the time
    they take does not grow with the number of reports in the file."""
    with Store(db_path) as store:
        store.create(sample)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        rid = store.create(sample)
        r = store.load(rid)
        r.set_text("basics.contact", "张三")
        store.save(rid, r, kind="auto")
        r.set_text("basics.contact", "李四")
        store.save(rid, r, kind="auto")
        store.save(rid, r, kind="manual")
        store.receive(sample, file_name="a.zpb", sha256="0" * 64, checked=True, status="draft", replace=rid)
        store.find(sample.dept_name, sample.year)
        store.of_year(2023)
        store.years()
        store.find_fingerprint(interchange.fingerprint(sample))
        store.receipt_by_hash("0" * 64)
        store.load_revision(rid, store.revisions(rid)[-1].id)
        store.conn.set_trace_callback(None)
        scans = []
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE")):
                continue
            for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql):
                detail = row[3]
                if detail.startswith("SCAN") and detail not in ("SCAN c", "SCAN chain"):
                    scans.append((detail, sql))
    assert scans == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "new"]),
            st.sampled_from(["auto", "manual", "restore"]),
            st.sampled_from(["basics.contact", "income.0.other", "basics.duties", "cover.year"]),
            st.integers(0, 99),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_every_revision_reads_back_exactly_however_it_is_stored(tmp_path: Path, sample, steps) -> None:
    """Saves of two reports of one department and new reports of it, auto-saves that
    coalesce, restores: each revision ever written reads back as it was saved."""
    import tempfile

    from models.store import MAX_DEPTH

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, Store(Path(folder) / "s.sqlite3") as store:
        ids = {"a": store.create(sample), "b": store.create(sample)}
        current = {key: sample.copy() for key in ids}
        saved: dict[int, str] = {}
        for which, kind, path, n in steps:
            if which == "new":
                r = sample.copy()
                r.set_text("basics.contact", f"新{n}")
                ids[f"new{n}"] = rid = store.create(r)
                current[f"new{n}"] = r
                saved[store.revisions(rid)[0].id] = interchange.canonical(r)
                continue
            rid, r = ids[which], current[which]
            if kind == "restore":
                old = store.revisions(rid)[-1].id
                revision = store.restore(rid, old)
                current[which] = r = store.load(rid)
            else:
                text = {"basics.contact": f"联系人{n}", "income.0.other": f"{n}.5",
                        "basics.duties": "职能职责。" * n, "cover.year": str(2000 + n)}[path]
                r.set_text(path, text)
                revision = store.save(rid, r, kind=kind)
            saved[revision] = interchange.canonical(r)
        for key, rid in ids.items():
            assert store.load(rid) == current[key]
            for info in store.revisions(rid):
                text = interchange.canonical(store.load_revision(rid, info.id))
                if info.id in saved:
                    assert text == saved[info.id]
                assert interchange.fingerprint(store.load_revision(rid, info.id)) == info.fingerprint
        depths = [row[0] for row in store.conn.execute("SELECT depth FROM revisions")]
        assert max(depths) <= MAX_DEPTH


def test_a_revision_others_are_stored_against_is_never_rewritten(db_path: Path, sample) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        r = store.load(rid)
        r.set_text("basics.contact", "甲")
        base = store.save(rid, r, kind="auto")
        next_year = sample.copy()
        next_year.set_text("cover.year", "2024")
        other = store.create(next_year)  # the same department: stored against its latest revision
        with closing(sqlite3.connect(db_path)) as conn:
            assert conn.execute("SELECT base FROM revisions WHERE report_id = ?", (other,)).fetchone()[0] == base
        r.set_text("basics.contact", "乙")
        later = store.save(rid, r, kind="auto")  # would have replaced the auto-save in place
        assert later != base
        assert store.load(other) == next_year
        assert store.load_revision(rid, base).data["basics"]["contact"] == "甲"


def test_a_clerks_history_is_stored_as_small_differences(db_path: Path, sample) -> None:
    from models.store import MAX_DEPTH

    with Store(db_path) as store:
        rid = store.create(sample)
        r = store.load(rid)
        for i in range(3 * MAX_DEPTH):
            r.set_text("income.0.other", f"{i}.25")
            store.save(rid, r)
        assert store.load(rid) == r
    with closing(sqlite3.connect(db_path)) as conn:
        sizes = [(len(blob), depth) for blob, depth in conn.execute("SELECT document, depth FROM revisions")]
    whole = [size for size, depth in sizes if depth == 0]
    differences = [size for size, depth in sizes if depth > 0]
    assert len(whole) == 3 and max(depth for _, depth in sizes) == MAX_DEPTH
    assert max(differences) < 200
    assert min(whole) > 10_000
