"""In-process: all rules on the sample (target ≤ 5 ms), one save of a one-cell change (target ≤ 20 ms)
and the database's size per revision after those saves (target ≤ 10 KB).

    python3 bench/bench_models.py [--runs N] [--keep]

The save figure is ``Store.save`` on a temporary database file: each timed
save changes one cell (``income.0.other``) and so writes one new revision in
one transaction. The size is the file's (after a checkpoint of the WAL) divided
by the revisions it holds: a clerk's history of one report.
``--keep`` leaves the database behind and prints its path.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import _common

RULES_TARGET_MS = 5.0
SAVE_TARGET_MS = 20.0
SIZE_TARGET_KB = 10.0


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=200)
    p.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    args = p.parse_args()

    from models import interchange, rules
    from models.store import Store

    _common.header("bench_models", args.runs, args.warmup)
    report = interchange.read(_common.SAMPLE)
    findings = len(rules.check(report))
    ok = _common.report(
        f"rules.check (in-process, {findings} findings)",
        _common.time_calls(lambda _i: rules.check(report), args.runs, args.warmup),
        "ms",
        RULES_TARGET_MS,
    )

    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-models-"))
    try:
        with Store(folder / "bench.sqlite3") as store:
            report_id = store.create(report)
            base = Decimal(report.get("income.0.other") or 0)

            def save(i: int) -> None:
                report.set_text("income.0.other", str(base + Decimal(i + 1) / 100))
                store.save(report_id, report)

            times = _common.time_calls(save, args.runs, args.warmup)
            revisions = len(store.revisions(report_id))
        expected = 1 + args.warmup + args.runs
        if revisions != expected:
            sys.exit(f"expected {expected} revisions, found {revisions}: a save did not write")
        ok &= _common.report("Store.save (one changed cell, one revision)", times, "ms", SAVE_TARGET_MS)
        from bench_scale import size_per_revision

        kb, _ = size_per_revision(folder / "bench.sqlite3")
        fits = kb <= SIZE_TARGET_KB
        print(f"database size, one report's history: {kb:.1f} KB per revision ({revisions} revisions)  "
              f"(target ≤ {SIZE_TARGET_KB:g} KB){'' if fits else '  OVER TARGET'}", flush=True)
        ok &= fits
    finally:
        if args.keep:
            print(f"kept database: {folder / 'bench.sqlite3'}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
