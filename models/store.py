"""The store: every report of an office in one SQLite file.

- One file, opened with the standard library's ``sqlite3``; WAL, foreign keys on.
  ``sqlite-utils`` runs the migrations of an older file (loaded only then); a new
  file, on the first start, gets the same migrations through ``sqlite3`` itself.
- ``PRAGMA user_version`` counts the named migrations applied; each runs in a
  transaction. A file written by a newer program is refused before anything
  is written to it, and so is an SQLite file that is not ours.
- Each revision is the whole report as its canonical interchange text (figures
  as exact text), so a revision is lossless by construction and can be listed
  and restored. It is stored compactly (:mod:`models.deltas`): compressed, or
  as its difference from its ``base`` revision — the report's previous one, or
  for a report's first, the latest of the same department — at most
  :data:`MAX_DEPTH` differences from a whole one. A revision that is the base
  of another is never rewritten. Every save is one transaction.
- Lookups by department and year, by fingerprint and by package hash are
  indexed queries; nothing reads every report to find one.
- Nothing is deleted outright: a removed report goes to the recycle bin.
- A report marked final (定稿) is read-only until reopened with a reason.

All SQL of the program lives in this module. SQLite's errors are sorted here
into the user's conditions (a damaged, read-only or foreign file), raised as
:class:`~models.errors.StoreError` with a message for the clerk, and bugs.
"""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from models import deltas, interchange
from models.errors import (
    AlreadyExists,
    DiskFull,
    ReasonRequired,
    ReportDamaged,
    ReportLocked,
    ReportNotFound,
    StaleRevision,
    StoreBusy,
    StoreError,
    ZipingError,
)
from models.fileio import describe, shown
from models.report import Report
from models.rules import blocking, check
from models.template import Template

if TYPE_CHECKING:
    import sqlite_utils

    from models.template_choice import Carried

#: PRAGMA application_id of our files: "ZPRG".
APPLICATION_ID = 0x5A505247
#: Auto-saves within this span of the previous auto-save replace it, so that
#: saving as the clerk types does not leave a revision per keystroke.
AUTOSAVE_COALESCE = timedelta(minutes=10)
#: Most differences between a stored revision and a whole (compressed) one: reading
#: any revision decompresses at most this many small differences and one document.
MAX_DEPTH = 16


class Unreadable(sqlite3.DatabaseError):
    """A stored revision the migration cannot carry over; the text is the clerk's (Chinese)."""


STATUS_LABELS = {"draft": "草稿", "final": "定稿"}
#: The event of a stamped paper checked against the store by its fingerprint.
PAPER_CHECKED = "paper"
KIND_LABELS = {
    "create": "新建",
    "manual": "保存",
    "auto": "自动保存",
    "import": "导入",
    "restore": "恢复",
    "carry": "由上年结转",
    "aside": "未采用的修改",
}
#: What each recorded event is called in the history (历史版本, ``revisions``).
EVENT_LABELS = {
    "final": "定稿",
    "reopen": "重新打开",
    "replace": "替换",
    "replace_final": "替换定稿的报告",
    "issued": "打印/导出",
    "receipt": "打印报送回执",
    "delete": "移入回收站",
    "undelete": "从回收站还原",
    PAPER_CHECKED: "核对纸质报告",
}
#: How long a write waits for another program's write to finish (seconds). The
#: window waits less and retries on its own timer, so typing never freezes long.
BUSY_TIMEOUT = 5.0
#: Free space under which a failed write or open is put down to a full disk.
FULL_BELOW = 1 << 20


def default_path() -> Path:
    """The database in the user's data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ziping", appauthor=False)) / "ziping.sqlite3"


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


class Migrating(Protocol):
    """What a migration uses of the database: ``sqlite_utils.Database`` or :class:`_NewFile`."""

    conn: sqlite3.Connection

    def execute(self, sql: str, parameters: Any = ...) -> Any: ...


class _NewFile:
    """A new file's migrations on ``sqlite3`` alone: importing sqlite-utils costs as much
    as all the rest of the window's first start, and a migration needs only this."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def atomic(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        # Within a transaction already (the migrations of a new file run in one): nothing more.
        return contextlib.nullcontext(self.conn) if self.conn.in_transaction else _atomic(self.conn)


def _m1_initial(db: Migrating) -> None:
    db.execute(
        """
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            dept_name TEXT NOT NULL DEFAULT '',
            year INTEGER,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            head INTEGER REFERENCES revisions(id) DEFERRABLE INITIALLY DEFERRED
        )
        """
    )
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            saved_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            note TEXT,
            fingerprint TEXT NOT NULL,
            document TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT
        )
        """
    )
    db.execute("CREATE INDEX reports_listing ON reports(deleted_at, year, dept_name)")
    db.execute("CREATE INDEX revisions_report ON revisions(report_id, id)")
    db.execute("CREATE INDEX events_report ON events(report_id, id)")


def _m2_receipts(db: Migrating) -> None:
    db.execute(
        """
        CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            revision_id INTEGER NOT NULL REFERENCES revisions(id),
            received_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            checked INTEGER NOT NULL,
            status TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX receipts_sha256 ON receipts(sha256)")
    db.execute("CREATE INDEX receipts_report ON receipts(report_id, id)")
    db.execute("CREATE INDEX revisions_fingerprint ON revisions(fingerprint)")


def _m3_budget_codes(db: Migrating) -> None:
    # The 汇总表 lists a year's reports by 预算编码 then department, as the database reads them,
    # with a column for each 一级指标 of the 指标体系 the year's reports use.
    db.execute("ALTER TABLE reports ADD COLUMN budget_code TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE reports ADD COLUMN framework TEXT NOT NULL DEFAULT ''")
    for column, where in (("budget_code", "$.cover.budget_code"), ("framework", "$.scoring.framework")):
        db.execute(
            f"UPDATE reports SET {column} = coalesce((SELECT CASE WHEN json_valid(v.document)"
            f" THEN json_extract(v.document, '{where}') END FROM revisions v WHERE v.id = reports.head), '')"
        )
    db.execute("CREATE INDEX reports_by_code ON reports(year, budget_code, dept_name)")


def _m4_compact(db: Migrating) -> None:
    db.execute("ALTER TABLE revisions ADD COLUMN base INTEGER REFERENCES revisions(id)")
    db.execute("ALTER TABLE revisions ADD COLUMN depth INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX revisions_base ON revisions(base)")
    db.execute("CREATE INDEX reports_department ON reports(dept_name, year)")
    # reports.head is a deferred foreign key: each new revision looks for reports pointing at it.
    db.execute("CREATE INDEX reports_head ON reports(head)")
    conn = db.conn
    latest: dict[str, int] = {}  # department → its latest report's head, already compact
    for report_id, dept_name, head in conn.execute(
        "SELECT id, dept_name, head FROM reports ORDER BY id"
    ).fetchall():
        previous: tuple[int, str, int] | None = None  # (id, text, depth)
        if dept_name and dept_name in latest:
            other = latest[dept_name]
            previous = (other, _chain_text(conn, other), _depth(conn, other))
        for revision_id, text in conn.execute(
            "SELECT id, document FROM revisions WHERE report_id = ? ORDER BY id", (report_id,)
        ).fetchall():
            if not isinstance(text, str):
                raise Unreadable(f"历史版本 {revision_id} 的内容无法读出")
            base = previous if previous is not None and previous[2] < MAX_DEPTH else None
            blob = deltas.pack(text, base[1] if base else None)
            if deltas.is_delta(blob):
                assert base is not None
                row: tuple[int | None, int] = (base[0], base[2] + 1)
            else:
                row = (None, 0)
            if deltas.unpack(blob, base[1] if base else None) != text:  # pragma: no cover - pack checks too
                raise Unreadable(f"历史版本 {revision_id} 压缩后无法原样读出")
            conn.execute(
                "UPDATE revisions SET document = ?, base = ?, depth = ? WHERE id = ?",
                (blob, row[0], row[1], revision_id),
            )
            previous = (revision_id, text, row[1])
        if dept_name and head is not None:
            latest[dept_name] = head


def _m5_templates(db: Migrating) -> None:
    # Each report names the form template it was made with. Reports stored before
    # were made with the Hunan 2023 form built into the program: '' stands for it.
    for column in ("template_id", "template_version", "template_sha256"):
        db.execute(f"ALTER TABLE reports ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def _m6_kept_templates(db: Migrating) -> None:
    # A report of a form of another family is read with its template. The finance side
    # receives reports made with templates it never installed, and a database moves between
    # computers: each such template is kept here, by its SHA-256, with the reports.
    db.execute(
        "CREATE TABLE templates (sha256 TEXT PRIMARY KEY, id TEXT NOT NULL, version TEXT NOT NULL,"
        " data BLOB NOT NULL, kept_at TEXT NOT NULL)"
    )


#: Named migrations, in order; user_version is how many have run.
MIGRATIONS: tuple[tuple[str, Callable[[Migrating], None]], ...] = (
    ("initial: reports, revisions, events", _m1_initial),
    ("receipts of handover packages; revisions by fingerprint", _m2_receipts),
    ("reports by 预算编码", _m3_budget_codes),
    ("revisions stored compressed or as differences; reports by department", _m4_compact),
    ("reports name their form template: id, version, SHA-256", _m5_templates),
    ("the templates of reports of another family, kept with them", _m6_kept_templates),
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class ReportInfo:
    id: int
    dept_name: str
    year: int | None
    status: str
    created_at: str
    updated_at: str
    deleted_at: str | None
    fingerprint: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class RevisionInfo:
    #: The revision's id in the whole database (what the program uses inside).
    id: int
    report_id: int
    saved_at: str
    kind: str
    note: str | None
    fingerprint: str
    #: The report's own version number: 1 for its first revision, 2 for the next …
    #: (what the clerk sees: 版本 3).
    number: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Event:
    at: str
    action: str
    reason: str | None

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a report's history: a saved version or an event, in time order."""

    at: str
    revision: RevisionInfo | None = None
    event: Event | None = None

    @property
    def label(self) -> str:
        if self.revision is not None:
            return self.revision.kind_label
        assert self.event is not None
        return self.event.label

    @property
    def note(self) -> str:
        if self.revision is not None:
            return self.revision.note or ""
        assert self.event is not None
        return self.event.reason or ""


@dataclass(frozen=True)
class Receipt:
    """A handover package received by the finance side."""

    id: int
    report_id: int
    revision_id: int
    received_at: str
    file_name: str
    sha256: str
    fingerprint: str
    checked: bool
    status: str


@dataclass(frozen=True)
class FingerprintMatch:
    report_id: int
    revision_id: int
    saved_at: str
    current: bool
    dept_name: str
    year: int | None
    #: The report's own version number of the revision (版本 3).
    number: int
    #: When the report went to the recycle bin, if it is there.
    deleted_at: str | None


class Store:
    """One SQLite file of reports. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path | None = None, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.readonly = False
        self.busy_timeout = busy_timeout
        #: Templates kept in this database, read once, by SHA-256.
        self._templates: dict[str, Template] = {}
        self._open()

    # -- opening --------------------------------------------------------------

    def _fail(self, what: str) -> StoreError:
        return StoreError(f"数据库文件「{shown(self.path)}」{what}")

    def _full(self, exc: BaseException) -> DiskFull | None:
        """The failure read as what it is when the disk is full (SQLite may call a full
        disk an I/O error, and the file is then not damaged at all)."""
        text = str(exc).lower()
        try:
            free = shutil.disk_usage(self.path.parent if self.path.parent.exists() else Path.cwd()).free
        except OSError:
            free = None
        full = (
            "full" in text
            or getattr(exc, "errno", None) == errno.ENOSPC
            or (free is not None and free < FULL_BELOW and ("i/o" in text or "unable to open" in text))
        )
        if not full:
            return None
        left = f"（剩余 {free // 1024} KB）" if free is not None else ""
        return DiskFull(
            f"数据库文件「{shown(self.path)}」所在的磁盘已满{left}，无法读写数据库。文件没有损坏，也未作任何改动；"
            "请清理磁盘空间（删除不用的文件、清空回收站）后再打开程序。"
        )

    def _open(self) -> None:
        try:
            if self.path.is_dir():
                raise self._fail("是一个文件夹，不是数据库文件。请用 --db 指定一个文件。")
            missing = not self.path.exists()
        except OSError as exc:
            raise self._fail(f"无法使用：{describe(exc)}。请用 --db 指定其他文件。") from None
        if missing:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._full(exc) or self._fail(
                    f"所在的文件夹无法创建：{describe(exc)}。请用 --db 指定其他文件。") from None
        try:
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=self.busy_timeout)
        except sqlite3.Error as exc:
            raise self._full(exc) or self._fail(f"无法打开：{_reason(exc)}") from None
        self.conn = conn
        try:
            self._check_and_migrate()
        except BaseException:
            conn.close()
            raise

    @property
    def db(self) -> sqlite_utils.Database:
        """The file through ``sqlite-utils``, for tools (loaded on first use)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)

    def _check_and_migrate(self) -> None:
        conn = self.conn
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            full = self._full(exc)
            if full is not None:
                raise full from None
            if _is_readonly(exc):  # not damaged: the file or its folder cannot be written
                raise self._fail(
                    "无法打开：文件或所在的文件夹是只读的（数据库需要在同一文件夹中写入临时文件）。"
                    "文件未作任何改动；请检查文件权限，或复制到可写的文件夹后用 --db 指定它。"
                ) from None
            raise self._fail(
                f"已损坏或不是本程序的数据库文件（{_reason(exc)}）。"
                f"文件未作任何改动；请从备份恢复，或用 --db 指定其他文件。{self._backup_hint()}"
            ) from None
        if tables and app_id != APPLICATION_ID:
            raise self._fail(
                "不是本程序的数据库文件。文件未作任何改动；请用 --db 指定其他文件。"
            )
        if version > SCHEMA_VERSION:
            raise self._fail(
                f"由更新版本的程序创建（数据库版本 {version}，本程序支持到版本 {SCHEMA_VERSION}）。"
                "为免损坏数据，本程序不会打开它，文件未作任何改动；请升级程序。"
            )
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and version < SCHEMA_VERSION:
                raise sqlite3.OperationalError("attempt to write a readonly database")
            self.readonly = mode.lower() != "wal"
            # FULL: a saved edit survives a power cut, not only a crash of the program.
            conn.execute("PRAGMA synchronous = FULL")
            if version == SCHEMA_VERSION and not self.readonly:
                self._probe_write()
            if version < SCHEMA_VERSION:
                db: Any
                if tables:
                    import sqlite_utils

                    db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
                else:
                    db = _NewFile(conn)
                # All or nothing: a migration that fails leaves the file as it was.
                with db.atomic():
                    for number, (_name, migrate) in enumerate(MIGRATIONS, 1):
                        if number <= version:
                            continue
                        with db.atomic():
                            migrate(db)
                            conn.execute(f"PRAGMA user_version = {number}")
                            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                if 0 < version < 4 and tables:
                    # The revisions were rewritten compactly: give the space back once.
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("VACUUM")
        except sqlite3.OperationalError as exc:
            if _is_readonly(exc):
                if version == SCHEMA_VERSION:
                    self.readonly = True
                    return
                raise self._fail("是只读的，无法写入。请检查文件权限或所在磁盘。") from None
            raise self._full(exc) or self._fail(f"无法使用：{_reason(exc)}") from None
        except sqlite3.DatabaseError as exc:
            raise self._full(exc) or self._fail(
                f"已损坏（{_reason(exc)}）。请从备份恢复，或用 --db 指定其他文件。"
            ) from None

    def _probe_write(self) -> None:
        """A write that changes nothing: refused when the file cannot be written (a
        read-only file, folder or disk), so the window knows before the clerk types.
        Another program's lock only means the file is busy, not read-only."""
        try:
            self.conn.execute("UPDATE reports SET id = id WHERE 0")
        except sqlite3.OperationalError as exc:
            if _is_readonly(exc):
                self.readonly = True
            elif "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                raise

    def _backup_hint(self) -> str:
        found = backups(self.path)
        return f"最近的备份：「{found[0]}」。" if found else ""

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, begun IMMEDIATE: the write lock is taken (waiting up to the
        busy timeout for another program's write) before anything is read, so what is
        read inside is what the write is based on. SQLite's failures become messages
        for the clerk; nothing is written unless all of it is."""
        if self.readonly:
            raise self._fail("是只读的，无法保存。请检查文件权限或所在磁盘；已有的数据没有改动。")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._write_error(exc) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._write_error(exc) from None
            raise

    def _write_error(self, exc: sqlite3.DatabaseError) -> StoreError:
        text = str(exc).lower()
        if _is_readonly(exc):
            return self._fail("是只读的，无法保存。请检查文件权限或所在磁盘；已有的数据没有改动。")
        if self._full(exc) is not None:
            return DiskFull(
                f"数据库文件「{self.path}」所在磁盘已满，本次保存未完成；已有的数据没有改动。请清理磁盘后再保存。"
            )
        if "locked" in text or "busy" in text:
            return StoreBusy(
                f"数据库文件「{self.path}」正被其他程序使用，暂时无法保存；已有的数据没有改动。请稍后再试。"
            )
        return self._fail(f"写入失败：{_reason(exc)}。已有的数据没有改动。")

    def _query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self.conn.execute(sql, params)
            return list(cursor.fetchall())
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"读取失败：{_reason(exc)}。") from None

    def _row(self, report_id: int) -> tuple[Any, ...]:
        rows = self._query(
            "SELECT r.id, r.dept_name, r.year, r.status, r.created_at, r.updated_at, r.deleted_at,"
            " v.fingerprint, v.document, v.id, r.template_id, r.template_version, r.template_sha256"
            " FROM reports r JOIN revisions v ON v.id = r.head"
            " WHERE r.id = ?",
            (report_id,),
        )
        if not rows:
            raise ReportNotFound(f"没有编号为 {report_id} 的报告。可用 list 查看已有的报告。")
        return tuple(rows[0])

    @staticmethod
    def _info(row: tuple[Any, ...]) -> ReportInfo:
        return ReportInfo(*row[:8])

    def _text(self, revision_id: int, report_id: int) -> str:
        """The canonical text of a stored revision."""
        try:
            return _chain_text(self.conn, revision_id)
        except deltas.PackError as exc:
            raise StoreError(f"报告 {report_id} 的数据已损坏，无法打开：版本 {revision_id} 无法读出（{exc}）。") from None
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"读取失败：{_reason(exc)}。") from None

    def _base_for(
        self, db: sqlite3.Connection, report_id: int, dept_name: str, known: tuple[int, str] | None = None
    ) -> tuple[int, str, int] | None:
        """What a new revision is stored against: the report's latest revision, or for its
        first, the latest of the same department (last year's report, say): (id, text, depth).
        ``known`` is a revision whose text was just read: (id, text)."""
        rows = db.execute("SELECT head FROM reports WHERE id = ? AND head IS NOT NULL", (report_id,)).fetchall()
        if not rows and dept_name:
            rows = db.execute(
                "SELECT head FROM reports WHERE dept_name = ? AND id != ? AND head IS NOT NULL"
                " ORDER BY updated_at DESC, id DESC LIMIT 1",
                (dept_name, report_id),
            ).fetchall()
        if not rows:
            return None
        base = int(rows[0][0])
        depth = db.execute("SELECT depth FROM revisions WHERE id = ?", (base,)).fetchone()[0]
        if depth >= MAX_DEPTH:
            return None
        text = known[1] if known is not None and known[0] == base else self._text(base, report_id)
        return base, text, int(depth)

    @staticmethod
    def _pack(document: str, base: tuple[int, str, int] | None) -> tuple[bytes, int | None, int]:
        """The stored bytes of ``document``, its base revision and depth."""
        blob = deltas.pack(document, base[1] if base else None)
        if base is not None and deltas.is_delta(blob):
            return blob, base[0], base[2] + 1
        return blob, None, 0

    def _rewrite(self, db: sqlite3.Connection, revision_id: int, report_id: int, document: str) -> None:
        """Replace an auto-save's document in place, against the base it already has."""
        base_id = db.execute("SELECT base FROM revisions WHERE id = ?", (revision_id,)).fetchone()[0]
        base = None
        if base_id is not None:
            depth = db.execute("SELECT depth FROM revisions WHERE id = ?", (base_id,)).fetchone()[0]
            base = (int(base_id), self._text(base_id, report_id), int(depth))
        blob, base_id, depth = self._pack(document, base)
        db.execute(
            "UPDATE revisions SET saved_at = ?, fingerprint = ?, document = ?, base = ?, depth = ? WHERE id = ?",
            (now(), _fingerprint(document), blob, base_id, depth, revision_id),
        )

    @staticmethod
    def _insert_report(db: sqlite3.Connection, report: Report) -> int:
        """A new report's row, a draft; its first revision follows."""
        stamp = now()
        cursor = db.execute(
            "INSERT INTO reports (dept_name, year, budget_code, framework, status, created_at, updated_at,"
            " template_id, template_version, template_sha256) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
            (report.dept_name, report.year, *_listed(report), stamp, stamp, *_template(report)),
        )
        report_id = cursor.lastrowid
        assert report_id is not None
        return report_id

    def _insert_revision(
        self, db: sqlite3.Connection, report_id: int, report: Report, kind: str, note: str | None,
        known: tuple[int, str] | None = None,
    ) -> int:
        document = interchange.canonical(report)
        blob, base, depth = self._pack(document, self._base_for(db, report_id, report.dept_name, known))
        # A note names a file; a name that is not UTF-8 is kept with its bytes escaped.
        cursor = db.execute(
            "INSERT INTO revisions (report_id, saved_at, kind, note, fingerprint, document, base, depth)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (report_id, now(), kind, None if note is None else shown(note), _fingerprint(document), blob, base, depth),
        )
        revision = cursor.lastrowid
        assert revision is not None
        self._keep_template(db, report)
        db.execute(
            "UPDATE reports SET head = ?, updated_at = ?, dept_name = ?, year = ?, budget_code = ?, framework = ?,"
            " template_id = ?, template_version = ?, template_sha256 = ? WHERE id = ?",
            (revision, now(), report.dept_name, report.year, *_listed(report), *_template(report), report_id),
        )
        return revision

    # -- reports ----------------------------------------------------------------

    def create(self, report: Report, kind: str = "create", note: str | None = None) -> int:
        """Store a new report; return its id."""
        with self._write() as db:
            report_id = self._insert_report(db, report)
            self._insert_revision(db, report_id, report, kind, note)
        return report_id

    def save(
        self,
        report_id: int,
        report: Report,
        kind: str = "manual",
        note: str | None = None,
        *,
        expected_head: int | None = None,
        own: int | None = None,
    ) -> int:
        """Save a report as a new revision (one transaction); return the revision id.

        ``expected_head`` is the revision this copy of the report was loaded from
        (or last saved as): if the report has been saved since, by another window
        or the command line, :class:`StaleRevision` is raised and nothing is
        written, so that save is never silently undone. Saving what is already
        the latest revision adds nothing. An auto-save replaces the previous
        auto-save (close in time, nothing issued since) only when that one is
        ``own``, the revision the caller itself wrote: never someone else's.
        """
        document = interchange.canonical(report)
        row = self._row(report_id)
        seen = int(row[9])
        current = self._text(seen, report_id)
        if current == document and expected_head in (None, seen) and row[6] is None and row[3] != "final":
            return seen  # nothing to write: no need to wait for the write lock
        with self._write() as db:
            row = self._row(report_id)
            info = self._info(row)
            head = int(row[9])
            if head != seen:
                current = self._text(head, report_id)
            if info.deleted_at is not None:
                raise StoreError(f"报告 {report_id} 在回收站中，请先还原再修改。")
            if info.status == "final":
                raise ReportLocked(
                    f"报告「{info.dept_name}{info.year or ''}」已定稿，不能修改。"
                    "如需修改，请先「重新打开」并说明原因。"
                )
            if expected_head is not None and head != expected_head:
                raise self._stale(report_id, head)
            if current == document:
                return head
            if kind == "auto" and own is not None and own == head:
                last = self._query("SELECT kind, saved_at FROM revisions WHERE id = ?", (head,))[0]
                # Never overwrite a version that left the program (printed, exported,
                # packed) or that a status change refers to: an event since it bars that.
                since = self._query(
                    "SELECT count(*) FROM events WHERE report_id = ? AND at >= ?", (report_id, last[1])
                )[0][0]
                # Nor one that another revision is stored against.
                based = self._query("SELECT count(*) FROM revisions WHERE base = ?", (head,))[0][0]
                if last[0] == "auto" and _age(last[1]) < AUTOSAVE_COALESCE and not since and not based:
                    self._rewrite(db, head, report_id, document)
                    db.execute(
                        "UPDATE reports SET updated_at = ?, dept_name = ?, year = ?, budget_code = ?, framework = ?"
                        " WHERE id = ?",
                        (now(), report.dept_name, report.year, *_listed(report), report_id),
                    )
                    return head
            return self._insert_revision(db, report_id, report, kind, note, known=(head, current))

    def _stale(self, report_id: int, head: int) -> StaleRevision:
        rows = self._query("SELECT saved_at, kind, note FROM revisions WHERE id = ?", (head,))
        saved_at, kind, note = rows[0] if rows else ("", "", None)
        what = KIND_LABELS.get(kind, kind) + (f"：{note}" if note else "")
        return StaleRevision(
            f"报告 {report_id} 在您编辑期间已在别处（另一个窗口或命令行）保存了新的版本"
            f"（{saved_at[:16].replace('T', ' ')}，{what}）。为免覆盖那个版本，本次保存没有写入。",
            head,
        )

    def load_head(self, report_id: int) -> tuple[Report, int]:
        """The report and the revision it is, read together (for a later save's check)."""
        row = self._row(report_id)
        return _named(_document(self._text(int(row[9]), report_id), report_id, row, self._kept(row[12])), row), int(
            row[9])

    # -- templates kept with the reports -----------------------------------------

    def _keep_template(self, db: sqlite3.Connection, report: Report) -> None:
        """Keep the template of a report of another family, once: the report reads with it
        wherever the database goes, installed there or not."""
        if not report.flat:
            return
        form = report.form
        # Always written (a rolled-back transaction takes it back with the report).
        db.execute(
            "INSERT OR IGNORE INTO templates (sha256, id, version, data, kept_at) VALUES (?, ?, ?, ?, ?)",
            (form.digest, form.id, form.version, form.data, now()),
        )
        self._templates[form.digest] = form

    def _kept(self, sha256: str | None) -> Template | None:
        """The template kept here under this SHA-256, or None."""
        from models import form

        if not sha256 or sha256 == form.TEMPLATE.digest:
            return None
        if sha256 in self._templates:
            return self._templates[sha256]
        rows = self._query("SELECT id, version, data FROM templates WHERE sha256 = ?", (sha256,))
        found = _kept_template(rows, sha256)
        if found is not None:
            self._templates[sha256] = found
        return found

    def template_form(self, ref: dict[str, str]) -> Template | None:
        """The template a report names: the program's own, one installed or shipped, or
        one kept in this database (a handover package's); None where none is here."""
        from models import form, template_registry

        if ref["sha256"] == form.TEMPLATE.digest:
            return form.TEMPLATE
        return template_registry.find(ref["id"], ref["version"], ref["sha256"]) or self._kept(ref["sha256"])

    def head(self, report_id: int) -> tuple[int, str, str | None]:
        """(current revision, status, deleted_at): a cheap look for changes made elsewhere."""
        rows = self._query("SELECT head, status, deleted_at FROM reports WHERE id = ?", (report_id,))
        if not rows:
            raise ReportNotFound(f"没有编号为 {report_id} 的报告。可用 list 查看已有的报告。")
        return int(rows[0][0]), rows[0][1], rows[0][2]

    def keep_aside(self, report_id: int, report: Report, note: str) -> int:
        """Keep a version in the report's history without making it the current one
        (edits that lost to a version saved elsewhere): listed, comparable, restorable."""
        self._row(report_id)
        document = interchange.canonical(report)
        with self._write() as db:
            blob, base, depth = self._pack(document, self._base_for(db, report_id, report.dept_name))
            cursor = db.execute(
                "INSERT INTO revisions (report_id, saved_at, kind, note, fingerprint, document, base, depth)"
                " VALUES (?, ?, 'aside', ?, ?, ?, ?, ?)",
                (report_id, now(), note, _fingerprint(document), blob, base, depth),
            )
        revision = cursor.lastrowid
        assert revision is not None
        return revision

    def last_good_revision(self, report_id: int) -> RevisionInfo | None:
        """The newest revision of a report whose data can still be read."""
        for rev in self.revisions(report_id):
            try:
                self.load_revision(report_id, rev.id)
            except StoreError:
                continue
            return rev
        return None

    def load(self, report_id: int) -> Report:
        row = self._row(report_id)
        return _named(_document(self._text(row[9], report_id), report_id, row, self._kept(row[12])), row)

    def template(self, report_id: int) -> dict[str, str] | None:
        """The template a stored report names; None: the Hunan 2023 form, stored before
        reports named their template."""
        return _named(Report(), self._row(report_id)).template

    def info(self, report_id: int) -> ReportInfo:
        return self._info(self._row(report_id))

    def listing(self, deleted: bool = False, limit: int = -1) -> list[ReportInfo]:
        """Reports (or with ``deleted`` those in the recycle bin), newest year first;
        the first ``limit`` of them when given."""
        where = "r.deleted_at IS NOT NULL" if deleted else "r.deleted_at IS NULL"
        rows = self._query(
            "SELECT r.id, r.dept_name, r.year, r.status, r.created_at, r.updated_at, r.deleted_at,"
            f" v.fingerprint FROM reports r JOIN revisions v ON v.id = r.head WHERE {where}"
            " ORDER BY r.year DESC, r.dept_name, r.id LIMIT ?",
            (limit,),
        )
        return [ReportInfo(*row) for row in rows]

    def of_year(self, year: int) -> list[ReportInfo]:
        """The reports of one year (not in the recycle bin) by 预算编码 (those without one
        last), then department, then id: the order of the 汇总表."""
        rows = self._query(
            "SELECT r.id, r.dept_name, r.year, r.status, r.created_at, r.updated_at, r.deleted_at,"
            " v.fingerprint FROM reports r JOIN revisions v ON v.id = r.head"
            " WHERE r.year = ? AND r.deleted_at IS NULL"
            " ORDER BY r.budget_code = '', r.budget_code, r.dept_name, r.id",
            (year,),
        )
        return [ReportInfo(*row) for row in rows]

    def frameworks(self, year: int) -> list[str]:
        """The 指标体系 the year's reports use ("" for the default one), those used most first."""
        rows = self._query(
            "SELECT framework FROM reports WHERE year = ? AND deleted_at IS NULL"
            " GROUP BY framework ORDER BY count(*) DESC, framework",
            (year,),
        )
        return [str(row[0]) for row in rows]

    def listed(self, report_id: int) -> bool:
        """Whether a report exists and is not in the recycle bin."""
        return bool(self._query("SELECT 1 FROM reports WHERE id = ? AND deleted_at IS NULL", (report_id,)))

    def find(self, dept_name: str, year: int | None) -> list[ReportInfo]:
        """Reports of the same department and year (not in the recycle bin), by id."""
        rows = self._query(
            "SELECT r.id, r.dept_name, r.year, r.status, r.created_at, r.updated_at, r.deleted_at,"
            " v.fingerprint FROM reports r JOIN revisions v ON v.id = r.head"
            " WHERE r.dept_name = ? AND r.year IS ? AND r.deleted_at IS NULL ORDER BY r.id",
            (dept_name, year),
        )
        return [ReportInfo(*row) for row in rows]

    def years(self) -> list[int]:
        """The years that have reports (not in the recycle bin), newest first."""
        rows = self._query(
            "SELECT DISTINCT year FROM reports WHERE deleted_at IS NULL AND year IS NOT NULL ORDER BY year DESC"
        )
        return [int(row[0]) for row in rows]

    # -- revisions ---------------------------------------------------------------

    def revisions(self, report_id: int) -> list[RevisionInfo]:
        """The report's revisions, newest first, each with its own version number."""
        self._row(report_id)
        rows = self._query(
            "SELECT id, report_id, saved_at, kind, note, fingerprint FROM revisions"
            " WHERE report_id = ? ORDER BY id DESC",
            (report_id,),
        )
        # Numbered here, newest first: a window function would make SQLite scan a subquery.
        return [RevisionInfo(a, b, c, d, e, f, len(rows) - i) for i, (a, b, c, d, e, f) in enumerate(rows)]

    def number_of(self, report_id: int, revision_id: int) -> int:
        """The report's own version number of a revision (1 for its first)."""
        rows = self._query(
            "SELECT count(*) FROM revisions WHERE report_id = ? AND id <= ?", (report_id, revision_id)
        )
        return int(rows[0][0])

    def revision_numbered(self, report_id: int, number: int) -> RevisionInfo:
        """A revision by the report's own version number (版本 3 is its third)."""
        for rev in self.revisions(report_id):
            if rev.number == number:
                return rev
        count = len(self.revisions(report_id))
        raise ReportNotFound(f"报告 {report_id} 没有版本 {number}（共 {count} 个版本，可用 revisions 查看）。")

    def history(self, report_id: int) -> list[HistoryEntry]:
        """The report's versions and events (定稿, 重新打开, 替换, 导出, 回收站 …) in one
        list, newest first; at the same moment a version comes before what was done to it."""
        oldest_first = list(reversed(self.revisions(report_id)))
        timeline = [(_instant(r.saved_at), 0, i, HistoryEntry(r.saved_at, revision=r)) for i, r in enumerate(oldest_first)]
        timeline += [(_instant(e.at), 1, i, HistoryEntry(e.at, event=e)) for i, e in enumerate(self.events(report_id))]
        timeline.sort(key=lambda t: t[:3])
        return [t[3] for t in reversed(timeline)]

    def load_revision(self, report_id: int, revision_id: int) -> Report:
        rows = self._query("SELECT id FROM revisions WHERE id = ? AND report_id = ?", (revision_id, report_id))
        if not rows:
            raise ReportNotFound(f"报告 {report_id} 没有编号为 {revision_id} 的历史版本。")
        text = self._text(revision_id, report_id)
        row = self._row(report_id)
        own = self.template_form({"id": row[10], "version": row[11], "sha256": row[12]}) if row[10] else None
        if own is not None and own.flat:
            # A revision's text does not name its template: a report of a form of another
            # family reads its versions with its own.
            return _named(_document(text, report_id, row, own), row)
        return _document(text, report_id)

    def restore(self, report_id: int, revision_id: int) -> int:
        """Make an old revision the current one, as a new revision (nothing is lost)."""
        old = self.load_revision(report_id, revision_id)
        number = self.number_of(report_id, revision_id)
        return self.save(report_id, old, kind="restore", note=f"恢复自版本 {number}")

    # -- recycle bin ----------------------------------------------------------------

    def delete(self, report_id: int, reason: str | None = None) -> None:
        """Move to the recycle bin. A final report goes only with a reason, which is kept."""
        info = self.info(report_id)
        if info.deleted_at is not None:
            return
        reason = (reason or "").strip() or None
        if info.status == "final" and reason is None:
            raise ReasonRequired(
                f"报告 {report_id}（{_who(info)}）已定稿。定稿的报告移入回收站须说明原因（会被记录）；"
                "命令行加 --reason \"原因\"。"
            )
        with self._write() as db:
            db.execute("UPDATE reports SET deleted_at = ? WHERE id = ?", (now(), report_id))
            self._event(db, report_id, "delete", reason)

    def undelete(self, report_id: int) -> None:
        """Bring back from the recycle bin."""
        self.info(report_id)
        with self._write() as db:
            db.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", (report_id,))
            self._event(db, report_id, "undelete", None)

    # -- final ---------------------------------------------------------------------

    def mark_final(self, report_id: int) -> None:
        """Mark 定稿; refused while an error has no explanation."""
        info = self.info(report_id)
        if info.status == "final":
            return
        if info.deleted_at is not None:
            raise StoreError(f"报告 {report_id} 在回收站中，不能定稿。")
        open_errors = blocking(check(self.load(report_id)))
        if open_errors:
            lines = "\n".join(f"  - {f.message}" for f in open_errors[:10])
            more = f"\n  ……另有 {len(open_errors) - 10} 项" if len(open_errors) > 10 else ""
            raise StoreError(
                f"还有 {len(open_errors)} 项错误未改正也未说明，不能定稿：\n{lines}{more}\n"
                "请改正，或为每项错误填写出错说明。"
            )
        with self._write() as db:
            db.execute("UPDATE reports SET status = 'final', updated_at = ? WHERE id = ?", (now(), report_id))
            self._event(db, report_id, "final", None)

    def reopen(self, report_id: int, reason: str) -> None:
        """Make a final report editable again; the reason is kept."""
        if not reason or not reason.strip():
            raise StoreError("重新打开已定稿的报告必须说明原因。")
        info = self.info(report_id)
        if info.status != "final":
            raise StoreError(f"报告 {report_id} 尚未定稿，无需重新打开。")
        with self._write() as db:
            db.execute("UPDATE reports SET status = 'draft', updated_at = ? WHERE id = ?", (now(), report_id))
            self._event(db, report_id, "reopen", reason.strip())

    def events(self, report_id: int) -> list[Event]:
        rows = self._query(
            "SELECT at, action, reason FROM events WHERE report_id = ? ORDER BY id", (report_id,)
        )
        return [Event(*row) for row in rows]

    @staticmethod
    def _event(db: sqlite3.Connection, report_id: int, action: str, reason: str | None) -> None:
        db.execute(
            "INSERT INTO events (report_id, at, action, reason) VALUES (?, ?, ?, ?)",
            (report_id, now(), action, None if reason is None else shown(reason)),
        )

    # -- handover packages (the finance side) ------------------------------------------

    def receive(
        self,
        report: Report,
        *,
        file_name: str,
        sha256: str,
        checked: bool,
        status: str,
        replace: int | None = None,
        reason: str | None = None,
    ) -> int:
        """Take in a package's report, with its receipt, in one transaction.

        With ``replace`` the report becomes the newest revision of that report
        (the old one stays in its history); otherwise it is a new report. A final
        report is replaced only with a ``reason`` (:class:`ReasonRequired`).
        """
        stamp = now()
        with self._write() as db:
            if replace is None:
                report_id = self._insert_report(db, report)
                revision = self._insert_revision(db, report_id, report, "import", f"报送包 {file_name}")
            else:
                report_id = replace
                revision = self._replace(db, report_id, report, f"报送包 {file_name}", reason)
            db.execute(
                "INSERT INTO receipts (report_id, revision_id, received_at, file_name, sha256, fingerprint,"
                " checked, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, revision, stamp, shown(file_name), sha256, interchange.fingerprint(report),
                 int(checked), status),
            )
        return report_id

    def replace(self, report_id: int, report: Report, note: str, reason: str | None = None) -> int:
        """Replace a report's content with one read from a file (a new revision; the old
        one stays in its history); return the revision. A final report is replaced only
        with a ``reason`` and becomes a draft; the replacement is recorded either way."""
        with self._write() as db:
            return self._replace(db, report_id, report, note, reason)

    def _replace(
        self, db: sqlite3.Connection, report_id: int, report: Report, note: str, reason: str | None
    ) -> int:
        info = self._info(self._row(report_id))
        reason = (reason or "").strip() or None
        if info.status == "final" and reason is None:
            raise ReasonRequired(
                f"数据库中的报告 {report_id}（{_who(info)}）已定稿。替换定稿的报告须说明原因（会被记录），"
                "替换后改为草稿；命令行加 --reason \"原因\"。"
            )
        row = self._row(report_id)
        same = row[7] == interchange.fingerprint(report)  # the same content: no new version
        revision = int(row[9]) if same else self._insert_revision(db, report_id, report, "import", note)
        # The record follows the version it concerns (at the same moment, it is listed after it).
        if info.status == "final":
            db.execute("UPDATE reports SET status = 'draft' WHERE id = ?", (report_id,))
            self._event(db, report_id, "replace_final", f"{reason}（以 {note} 替换，改为草稿）")
        else:
            self._event(db, report_id, "replace", f"{reason}（以 {note} 替换）" if reason else f"以 {note} 替换")
        if info.deleted_at is not None:
            db.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", (report_id,))
            self._event(db, report_id, "undelete", "替换时从回收站还原")
        return revision

    def receipt_by_hash(self, sha256: str) -> Receipt | None:
        rows = self._query(
            "SELECT id, report_id, revision_id, received_at, file_name, sha256, fingerprint, checked, status"
            " FROM receipts WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
            (sha256,),
        )
        return Receipt(*rows[0]) if rows else None

    def receipts(self, year: int | None = None) -> dict[int, Receipt]:
        """The latest receipt of each report (of one year)."""
        where, params = ("WHERE r.year = ?", (year,)) if year is not None else ("", ())
        rows = self._query(
            "SELECT c.id, c.report_id, c.revision_id, c.received_at, c.file_name, c.sha256, c.fingerprint,"
            " c.checked, c.status FROM receipts c JOIN reports r ON r.id = c.report_id"
            f" {where} ORDER BY c.id",
            params,
        )
        latest: dict[int, Receipt] = {}
        for row in rows:
            receipt = Receipt(*row)
            latest[receipt.report_id] = receipt
        return latest

    def receipt_of(self, report_id: int) -> Receipt | None:
        """The latest receipt of a report taken in from a handover package."""
        rows = self._query(
            "SELECT id, report_id, revision_id, received_at, file_name, sha256, fingerprint, checked, status"
            " FROM receipts WHERE report_id = ? ORDER BY id DESC LIMIT 1",
            (report_id,),
        )
        return Receipt(*rows[0]) if rows else None

    def receipt_count(self, report_id: int) -> int:
        """How many packages of this report were received."""
        return int(self._query("SELECT count(*) FROM receipts WHERE report_id = ?", (report_id,))[0][0])

    def find_fingerprint(self, fingerprint: str) -> list[FingerprintMatch]:
        """Every saved version whose data has this fingerprint (the one on paper), those of
        reports in the recycle bin included (each says so)."""
        rows = self._query(
            "SELECT v.report_id, v.id, v.saved_at, v.id = r.head, r.dept_name, r.year,"
            " (SELECT count(*) FROM revisions w WHERE w.report_id = v.report_id AND w.id <= v.id),"
            " r.deleted_at FROM revisions v JOIN reports r ON r.id = v.report_id"
            " WHERE v.fingerprint = ? ORDER BY r.deleted_at IS NOT NULL, v.id DESC",
            (fingerprint.lower(),),
        )
        return [FingerprintMatch(a, b, c, bool(d), e, f, g, h) for a, b, c, d, e, f, g, h in rows]

    def note_paper(self, report_id: int, fingerprint: str) -> None:
        """Record that a stamped paper of this report, bearing ``fingerprint``, was checked
        against the store (``verify``, 核对纸质报告). Once per report and fingerprint; a
        read-only store records nothing."""
        if self.readonly or fingerprint in self.paper_checks().get(report_id, {}):
            return
        with self._write() as db:
            self._event(db, report_id, PAPER_CHECKED, fingerprint.lower())

    def paper_checks(self) -> dict[int, dict[str, str]]:
        """For each report, the fingerprints of its papers checked, with when."""
        rows = self._query("SELECT report_id, at, reason FROM events WHERE action = ? ORDER BY id", (PAPER_CHECKED,))
        checks: dict[int, dict[str, str]] = {}
        for report_id, at, fingerprint in rows:
            checks.setdefault(report_id, {}).setdefault(fingerprint, at)
        return checks

    def duplicate(self, report_id: int) -> int:
        """A copy of a report as a new report (one transaction); return its id."""
        return self.create(self.load(report_id), kind="create", note=f"复制自报告 {report_id}")

    def note_receipt(self, report_id: int, what: str) -> None:
        """Record that a 报送回执 of the report's latest receipt was printed."""
        self.info(report_id)
        if self.readonly:
            return
        with self._write() as db:
            self._event(db, report_id, "receipt", what)

    def note_issued(self, report_id: int, what: str) -> None:
        """Record that the current version left the program (printed, exported, packed):
        its revision is then kept as it is, so the fingerprint on paper stays findable."""
        info = self.info(report_id)
        if self.readonly:
            return
        with self._write() as db:
            self._event(db, report_id, "issued", f"{what}（数据指纹 {info.fingerprint}）")

    # -- backups --------------------------------------------------------------------

    def backup_if_due(self, now_: datetime | None = None) -> Path | None:
        """Keep one copy of the database a day; see :func:`backup_if_due`."""
        return backup_if_due(self.path, now_)

    # -- next year -----------------------------------------------------------------

    def carry_over(self, report_id: int, keep_both: bool = False) -> int:
        """Start next year's report from this one; return the new id (see :meth:`carry`)."""
        return self.carry(report_id, keep_both)[0]

    def carry(self, report_id: int, keep_both: bool = False) -> tuple[int, Carried]:
        """Start next year's report from this one, in the template a new report of that
        year takes; return the new id and what the clerk is to be told of the template.
        Refused with :class:`AlreadyExists` when the department has next year's report
        already, unless ``keep_both``: one department-year is one report."""
        from models.template_choice import carry

        carried = carry(self.load(report_id))
        new = carried.report
        existing = self.find(new.dept_name, new.year) if new.year is not None else []
        if existing and not keep_both:
            ids = "、".join(str(r.id) for r in existing)
            raise AlreadyExists(
                f"{new.dept_name or '（未填部门名称）'} {new.year}年度的报告已经有了（编号 {ids}），没有再新建。"
                "请打开已有的报告；确需再建一份时，命令行加 --keep-both。",
                [r.id for r in existing],
            )
        return self.create(new, kind="carry", note=f"由报告 {report_id} 结转"), carried


#: How many daily backups are kept beside the database.
BACKUPS_KEPT = 7


def backup_if_due(db_path: str | Path, now_: datetime | None = None) -> Path | None:
    """Keep one copy of the database a day, the last :data:`BACKUPS_KEPT` kept; return
    the new copy, or None when today's exists or none could be made.

    Opens a connection of its own (SQLite's backup API, a consistent snapshot even
    while the window writes), so the window runs it in a thread after it is shown.
    """
    path = Path(db_path)
    when = now_ or datetime.now()
    target = backup_folder(path) / f"{path.stem}-{when:%Y%m%d}.sqlite3"
    if target.exists():
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            copy = sqlite3.connect(str(partial))
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        partial.replace(target)
    except (OSError, sqlite3.Error):
        return None  # a backup that cannot be made must not stop the clerk's work
    for old in backups(path)[BACKUPS_KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def from_backup(backup: Path, report_id: int) -> Report | None:
    """A report as a backup holds it (read without writing to the backup), or None."""
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            rows = conn.execute(
                "SELECT v.id, v.document FROM reports r JOIN revisions v ON v.id = r.head WHERE r.id = ?",
                (report_id,),
            ).fetchall()
            # A backup made before revisions were stored compactly holds their text.
            text = (rows[0][1] if isinstance(rows[0][1], str) else _chain_text(conn, rows[0][0])) if rows else None
            kept = _backup_template(conn, report_id)
        finally:
            conn.close()
        return _document(text, report_id, form=kept) if text is not None else None
    except (OSError, sqlite3.Error, StoreError, deltas.PackError):
        return None


def _kept_template(rows: list[Any], sha256: str) -> Template | None:
    """The template of a ``templates`` row (id, version, data) if it is the one named."""
    if not rows:
        return None
    from models.template import TemplateError, load_bytes

    try:
        found = load_bytes(bytes(rows[0][2]), f"{rows[0][0]}-{rows[0][1]}.toml")
    except TemplateError:
        return None
    return found if found.digest == sha256 else None


def _backup_template(conn: sqlite3.Connection, report_id: int) -> Template | None:
    """The template a backup keeps for a report of another family (a backup made before
    templates were kept with the reports has none: the report reads as it did then)."""
    try:
        named = conn.execute("SELECT template_sha256 FROM reports WHERE id = ?", (report_id,)).fetchall()
        sha256 = named[0][0] if named else ""
        rows = conn.execute("SELECT id, version, data FROM templates WHERE sha256 = ?", (sha256,)).fetchall()
    except sqlite3.Error:
        return None
    return _kept_template(rows, sha256) if sha256 else None


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "备份"


def backups(db_path: str | Path) -> list[Path]:
    """The backups of a database, newest first (readable without opening it)."""
    folder = backup_folder(Path(db_path))
    own = re.compile(re.escape(Path(db_path).stem) + r"-\d{8}\.sqlite3")
    try:
        found = [p for p in folder.iterdir() if own.fullmatch(p.name)]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _listed(report: Report) -> tuple[str, str]:
    """What the listing of a year's reports reads without loading them: 预算编码 and 指标体系."""
    code = report.data.get("cover", {}).get("budget_code") if isinstance(report.data.get("cover"), dict) else None
    framework = (report.data.get("scoring") or {}).get("framework")
    return str(code or "").strip(), str(framework or "")


def _template(report: Report) -> tuple[str, str, str]:
    """What the record of a report says of its template (see :func:`interchange.template_of`)."""
    ref = interchange.template_of(report)
    return ref["id"], ref["version"], ref["sha256"]


def _named(report: Report, row: tuple[Any, ...]) -> Report:
    """A stored report with the template its record names."""
    if row[10]:
        report.template = {"id": row[10], "version": row[11], "sha256": row[12]}
    return report


def _who(info: ReportInfo) -> str:
    return f"{info.dept_name or '（未填部门名称）'} {info.year or ''}年度"


def _instant(stamp: str) -> datetime:
    """A stored time, comparable whatever time zone it was written in."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)
    return when if when.tzinfo is not None else when.astimezone()


@contextlib.contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction on a connection in autocommit mode (``isolation_level=None``)."""
    conn.execute("BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


#: A revision and the revisions it is stored against, the whole one first.
_CHAIN = """
WITH RECURSIVE chain(id, base, document, n) AS (
    SELECT id, base, document, 0 FROM revisions WHERE id = ?
    UNION ALL
    SELECT v.id, v.base, v.document, c.n + 1 FROM revisions v JOIN chain c ON v.id = c.base
    WHERE c.n < 4 * MAX_DEPTH
)
SELECT document FROM chain ORDER BY n DESC
""".replace("MAX_DEPTH", str(MAX_DEPTH))


def _chain_text(conn: sqlite3.Connection, revision_id: int) -> str:
    """The text of a revision: its whole document, then each difference in turn.

    Raises :class:`models.deltas.PackError` for bytes that do not read back."""
    text: str | None = None
    rows = conn.execute(_CHAIN, (revision_id,)).fetchall()
    if not rows:
        raise deltas.PackError(f"revision {revision_id} is missing")
    for (stored,) in rows:
        # Text: a revision the migration to compact storage has not reached yet.
        text = stored if isinstance(stored, str) else deltas.unpack(stored, text)
    assert text is not None
    return text


def _depth(conn: sqlite3.Connection, revision_id: int) -> int:
    return int(conn.execute("SELECT depth FROM revisions WHERE id = ?", (revision_id,)).fetchone()[0])


def _age(stamp: str) -> timedelta:
    try:
        return datetime.now().astimezone() - datetime.fromisoformat(stamp)
    except ValueError:
        return AUTOSAVE_COALESCE


def _fingerprint(document: str) -> str:
    import hashlib

    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]


def _document(text: str, report_id: int, row: tuple[Any, ...] | None = None, form: Template | None = None) -> Report:
    """A stored report's text read; ``row``, its record, names its template; ``form`` is
    that template where the database keeps it."""
    named = {"id": row[10], "version": row[11], "sha256": row[12]} if row is not None and row[10] else None
    try:
        return interchange.loads(text, f"报告 {report_id}", strict=False, template=named, form=form)
    except ZipingError as exc:
        raise ReportDamaged(f"报告 {report_id} 的数据已损坏，无法打开：{exc}") from None


def _is_readonly(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


#: SQLite's English messages, by a part of them, as the clerk reads them.
_SQLITE_REASONS = {
    "file is not a database": "文件不是数据库或已损坏",
    "database disk image is malformed": "数据库文件已损坏",
    "unable to open database file": "无法打开数据库文件",
    "disk i/o error": "磁盘读写错误",
    "could not decode to utf-8": "数据库中有无法识别的文字（不是 UTF-8 编码），文件可能被其他程序改动过或已损坏",
    "already exists": "数据库的结构与本程序不符（版本记录被改动，或文件已损坏）",
    "no such table": "数据库的结构与本程序不符（版本记录被改动，或文件已损坏）",
    "no such column": "数据库的结构与本程序不符（版本记录被改动，或文件已损坏）",
    "has no column": "数据库的结构与本程序不符（版本记录被改动，或文件已损坏）",
    "locked": "数据库正被其他程序使用",
    "busy": "数据库正被其他程序使用",
    "full": "磁盘空间不足",
    "readonly": "文件是只读的",
    "read-only": "文件是只读的",
    "out of memory": "内存不足",
    "too big": "数据过大",
    "constraint failed": "数据不符合数据库的约束",
}


def _reason(exc: sqlite3.Error) -> str:
    """SQLite's reason in Chinese; never its English text (which may quote the data)."""
    if isinstance(exc, Unreadable):
        return str(exc)
    text = str(exc).lower()
    for english, chinese in _SQLITE_REASONS.items():
        if english in text:
            return chinese
    code = getattr(exc, "sqlite_errorcode", None)
    return f"数据库出错（错误代码 {code}）" if code is not None else "数据库出错"
