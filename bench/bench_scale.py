"""A database of 10,000 reports: `main.py list` (target ≤ 1 s), opening one report (target ≤ 50 ms)
and the file's size per stored revision (target ≤ 10 KB).

    python3 bench/bench_scale.py [--runs N] [--reports N] [--keep | --reuse PATH]

The database is built in a temporary folder (not timed) from copies of the
sample through ``Store.create``: 1,000 departments of ten years each, each year's
figures different (every figure of the four institution tables moved by a
year-dependent amount), the texts as in the sample.
``--keep`` leaves it there and prints its path; ``--reuse PATH`` uses that file
if it exists, otherwise builds it there, and never deletes it.

Timed: ``python3 main.py list --db PATH`` as a whole process, and in-process
``Store(PATH).load(id)`` (open the file, read one report, close) for random ids.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common

LIST_TARGET_S = 1.0
LOAD_TARGET_MS = 50.0
YEARS = range(2015, 2025)
SIZE_TARGET_KB = 10.0


def vary(report: Any, year: int) -> None:
    """Each year's figures differ, as a department's do from one year to the next."""
    from decimal import Decimal

    from models import form

    step = Decimal(year - YEARS[0]) / 100
    for table in form.INSTITUTION_TABLES:
        for row in report.data[table.key]:
            for key, value in row.items():
                if isinstance(value, Decimal):
                    row[key] = value + step


def size_per_revision(path: Path) -> tuple[float, int]:
    """KB of the database file per stored revision (after a checkpoint of the WAL)."""
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    finally:
        conn.close()
    return path.stat().st_size / 1024 / max(count, 1), count


def build(path: Path, count: int) -> None:
    """``count`` reports: the sample under a different name and year each."""
    from models import interchange
    from models.store import Store

    report = interchange.read(_common.SAMPLE)
    name = report.dept_name
    start = time.perf_counter()
    with Store(path) as store:
        for i in range(count):
            copy = report.copy()
            copy.data["cover"]["dept_name"] = f"{name}{i // len(YEARS):05d}"
            copy.data["cover"]["year"] = YEARS[i % len(YEARS)]
            vary(copy, YEARS[i % len(YEARS)])
            store.create(copy)
            if (i + 1) % 1000 == 0:
                print(f"  built {i + 1} of {count} reports ({time.perf_counter() - start:.0f} s)", flush=True)
    print(
        f"built {count} reports in {time.perf_counter() - start:.1f} s, {path.stat().st_size / 1e6:.0f} MB",
        flush=True,
    )


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=10)
    p.add_argument("--reports", type=int, default=10_000, help="reports to build (default 10000)")
    p.add_argument("--load-runs", type=int, default=200, help="timed loads of random reports (default 200)")
    keep = p.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true", help="keep the built database and print its path")
    keep.add_argument(
        "--reuse", metavar="PATH", type=Path, help="use this database; build it there first if missing"
    )
    args = p.parse_args()

    from models.store import Store

    _common.header("bench_scale", args.runs, args.warmup)
    folder = None
    if args.reuse:
        path = args.reuse.resolve()
        if not path.exists():
            print(f"building {path}", flush=True)
            build(path, args.reports)
    else:
        folder = Path(tempfile.mkdtemp(prefix="ziping-bench-scale-"))
        path = folder / "scale.sqlite3"
        print(f"building {path}", flush=True)
        build(path, args.reports)
    try:
        with Store(path) as store:
            ids = [r.id for r in store.listing()]
        count = len(ids)
        print(f"database: {path} ({count} reports)", flush=True)
        kb, revisions = size_per_revision(path)
        ok = kb <= SIZE_TARGET_KB
        print(f"database size: {path.stat().st_size / 1e6:.0f} MB, {kb:.1f} KB per revision ({revisions} revisions)  "
              f"(target ≤ {SIZE_TARGET_KB:g} KB){'' if ok else '  OVER TARGET'}", flush=True)
        ok &= _common.report(
            f"list, {count} reports (whole process)",
            _common.time_process(
                [sys.executable, str(_common.MAIN), "list", "--db", str(path)], args.runs, args.warmup
            ),
            "s",
            LIST_TARGET_S,
        )

        picks = random.Random(2023).choices(ids, k=args.warmup + args.load_runs)

        def load(i: int) -> None:
            with Store(path) as store:
                store.load(picks[i])

        ok &= _common.report(
            f"Store(path).load(random id), {args.load_runs} runs (in-process)",
            _common.time_calls(load, args.load_runs, args.warmup),
            "ms",
            LOAD_TARGET_MS,
        )
        with Store(path) as store:
            _common.report(
                "load(random id) on an open Store (in-process)",
                _common.time_calls(lambda i: store.load(picks[i]), args.load_runs, args.warmup),
                "ms",
                None,
            )
    finally:
        if args.keep:
            print(f"kept database: {path}  (next time: --reuse {path})")
        elif folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
