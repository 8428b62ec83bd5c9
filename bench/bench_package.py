"""Handover packages at a province's scale: packing the sample; importing folders of
50 / 500 (/ 5,000) packages and writing the 汇总表 of what was imported, with the growth
of each; and importing 500 packages into a database that already holds 10,000 reports.

    python3 bench/bench_package.py [--runs N] [--sizes 50,500[,5000]] [--full 10000] [--keep]

Targets:
- packing the sample (``convert → .zpb``, whole process): ≤ 0.8 s;
- importing 500 packages into a database holding ``--full`` reports: ≤ 1.3× the time
  of importing them into an empty one, measured in the same run;
- import and 汇总表 grow linearly with the number of reports: the slope of log(time)
  against log(count) over ``--sizes`` (the growth exponent) ≤ 1.2;
- the 汇总表's peak memory ≤ 150 MB whatever the count;
- 500 packages imported and summarised: ≤ 20 s in all.

Anchor: the standard library's ``sqlite3`` reading back N rows of the sample's
text (``SELECT * FROM t`` on a table of its own, built untimed in the same run, the
text as plain as the first releases stored it), so a loaded machine shows as a slow
anchor rather than a slow program, and the anchor does not change with the program.

The packages are variants of the sample (each its own department) made by re-sealing
one built package with a changed report.json (its printed form and workbook restamped
with the new fingerprint), so building them is quick; every one is verified on import
exactly as a real one is. Import and 汇总表 run as whole processes (``main.py import
FOLDER --db DB``, ``main.py summary 2023 OUT.xlsx --db DB``); peak memory is each
process's own maximum resident set size. The database of ``--full`` reports is built as
``bench_scale.py`` builds its own (not timed).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import _common

PACK_TARGET_S = 0.8
FOLDER_TARGET_S = 20.0
FULL_RATIO_TARGET = 1.3
GROWTH_TARGET = 1.2
SUMMARY_MEMORY_TARGET_MB = 150


def restamp_pdf(pdf: bytes, old: str, new: str) -> bytes:
    """The PDF with the fingerprint in its document information replaced (same length:
    the subject is UTF-16, each digit written as an escaped zero byte and the digit)."""
    def utf16(text: str) -> bytes:
        return b"".join(b"\\000" + ch.encode() for ch in text)

    assert utf16(old) in pdf
    return pdf.replace(utf16(old), utf16(new))


def restamp_workbook(xlsx: bytes, old: str, new: str) -> bytes:
    """The workbook with the fingerprint its data sheet states replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<t>{old}</t>".encode(), f"<t>{new}</t>".encode())
            dst.writestr(info, data)
    return out.getvalue()


def variants(folder: Path, count: int) -> None:
    from models import interchange
    from reports.package import build_package

    report = interchange.read(_common.SAMPLE)
    sealed = build_package(report, unchecked_ok=True)
    with zipfile.ZipFile(io.BytesIO(sealed)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(members["manifest.json"])
    original = interchange.fingerprint(report)
    for i in range(count):
        variant = report.copy()
        variant.set_text("cover.dept_name", f"吉首市第{i + 1:04d}号部门")
        body = interchange.dumps(variant).encode("utf-8")
        fingerprint = interchange.fingerprint(variant)
        # The printed form and the workbook state the fingerprint they were made from:
        # restamped here rather than rendered 500 times.
        stamped = {"report.pdf": restamp_pdf(members["report.pdf"], original, fingerprint),
                   "report.xlsx": restamp_workbook(members["report.xlsx"], original, fingerprint)}
        manifest["dept_name"] = variant.dept_name
        manifest["fingerprint"] = fingerprint
        for name, data in (("report.json", body), *stamped.items()):
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        files = {**members, **stamped, "report.json": body,
                 "manifest.json": json.dumps(manifest, ensure_ascii=False).encode()}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                zf.writestr(name, data)
        (folder / f"2023_{variant.dept_name}_绩效自评.zpb").write_bytes(buffer.getvalue())


def subset(source: Path, target: Path, count: int) -> Path:
    """A folder with the first ``count`` packages of ``source`` (hard links)."""
    target.mkdir()
    for path in sorted(source.iterdir())[:count]:
        os.link(path, target / path.name)
    return target


def scan(folder: Path, count: int) -> float:
    """The anchor: seconds for the standard library to read ``count`` rows of the sample's
    text from a table of their own (made first, not timed)."""
    from models import interchange

    path = folder / f"anchor{count}.sqlite3"
    text = interchange.canonical(interchange.read(_common.SAMPLE))
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, document TEXT)")
        conn.executemany("INSERT INTO t (document) VALUES (?)", ((text,) for _ in range(count)))
        conn.commit()
    finally:
        conn.close()
    start = time.perf_counter()
    conn = sqlite3.connect(str(path))
    try:
        for _row in conn.execute("SELECT * FROM t"):
            pass
    finally:
        conn.close()
    elapsed = time.perf_counter() - start
    path.unlink()
    return elapsed


def import_folder(folder: Path, db: Path) -> tuple[float, float]:
    return _common.run_measured([sys.executable, str(_common.MAIN), "import", str(folder), "--db", str(db)])


def summary(db: Path, out: Path) -> tuple[float, float]:
    return _common.run_measured([sys.executable, str(_common.MAIN), "summary", "2023", str(out), "--db", str(db)])


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=5)
    p.add_argument("--sizes", default="50,500", help="package counts to import and summarise (default 50,500)")
    p.add_argument("--full", type=int, default=10_000,
                   help="reports already in the database for the 500-package import (default 10000; 0 skips)")
    p.add_argument("--keep", action="store_true", help="keep the folder and print its path")
    args = p.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    _common.header("bench_package", args.runs, args.warmup)
    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-package-"))
    try:
        out = folder / "sample.zpb"
        ok = _common.report(
            "pack the sample (convert → .zpb, whole process)",
            _common.time_process(
                [sys.executable, str(_common.MAIN), "convert", str(_common.SAMPLE), str(out), "--unchecked"],
                args.runs, args.warmup,
            ),
            "s",
            PACK_TARGET_S,
        )
        every = folder / "every"
        every.mkdir()
        wanted = max([*sizes, 500 if args.full else 0])
        started = time.perf_counter()
        variants(every, wanted)
        print(f"built {wanted} packages in {time.perf_counter() - started:.1f} s (not timed)", flush=True)

        imports: dict[int, float] = {}
        summaries: dict[int, float] = {}
        for n in sizes:
            stick = subset(every, folder / f"stick{n}", n)
            db = folder / f"empty{n}.sqlite3"
            import_s, import_mb = import_folder(stick, db)
            anchor = scan(folder, n)
            summary_s, summary_mb = summary(db, folder / f"汇总{n}.xlsx")
            imports[n], summaries[n] = import_s, summary_s
            size_kb = db.stat().st_size / 1024
            print(
                f"{n:>5} packages: import {import_s:6.2f} s ({import_s / n * 1000:.1f} ms each, {import_mb:.0f} MB); "
                f"汇总表 {summary_s:6.2f} s ({summary_mb:.0f} MB); sqlite3 scan {anchor * 1000:.1f} ms; "
                f"database {size_kb / n:.1f} KB per report",
                flush=True,
            )
            _common.ratio_line(f"      import time against the sqlite3 scan ({n} reports)", import_s, anchor, None)
            _common.ratio_line(f"      汇总表 time against the sqlite3 scan ({n} reports)", summary_s, anchor, None)
            verdict = "" if summary_mb <= SUMMARY_MEMORY_TARGET_MB else "  OVER TARGET"
            print(f"      汇总表 peak memory ({n} reports): {summary_mb:.0f} MB  "
                  f"(target ≤ {SUMMARY_MEMORY_TARGET_MB} MB){verdict}", flush=True)
            ok &= summary_mb <= SUMMARY_MEMORY_TARGET_MB
            if n == 500:
                total = import_s + summary_s
                verdict = "" if total <= FOLDER_TARGET_S else "  OVER TARGET"
                print(f"      500 packages imported and summarised: {total:.1f} s in all  "
                      f"(target ≤ {FOLDER_TARGET_S:g} s){verdict}", flush=True)
                ok &= total <= FOLDER_TARGET_S
        if len(sizes) >= 2:
            counts = list(imports)
            for label, times in (("import", imports), ("汇总表", summaries)):
                exponent = _common.growth_exponent(counts, [times[n] for n in counts])
                verdict = "" if exponent <= GROWTH_TARGET else "  OVER TARGET"
                print(f"growth exponent of {label} over {counts}: {exponent:.2f}  "
                      f"(1 is linear; target ≤ {GROWTH_TARGET:g}){verdict}", flush=True)
                ok &= exponent <= GROWTH_TARGET

        if args.full:
            sys.path.insert(0, str(Path(__file__).parent))
            from bench_scale import build

            full = folder / "full.sqlite3"
            print(f"building a database of {args.full} reports (not timed)", flush=True)
            build(full, args.full)
            stick = folder / "stick500" if (folder / "stick500").exists() else subset(every, folder / "stick500", 500)
            empty = folder / "empty500-again.sqlite3"
            # The two imports of the same 500 packages, one after the other in this run.
            empty_s, _ = import_folder(stick, empty)
            full_s, full_mb = import_folder(stick, full)
            print(f"500 packages into an empty database: {empty_s:.2f} s; into one holding {args.full} reports: "
                  f"{full_s:.2f} s ({full_mb:.0f} MB)", flush=True)
            ok &= _common.ratio_line(
                f"import into {args.full} reports against into an empty database", full_s, empty_s, FULL_RATIO_TARGET
            )
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
