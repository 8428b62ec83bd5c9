"""Handover packages: packing the sample as a whole process (target ≤ 0.8 s), and the
finance side importing 500 packages from a folder then writing the consolidated
workbook (target ≤ 20 s in all, peak memory ≤ 300 MB).

    python3 bench/bench_package.py [--runs N] [--packages N] [--keep]

The 500 packages are variants of the sample (each its own department) made by
re-sealing one built package with a changed report.json (its printed form and
workbook restamped with the new fingerprint), so building them is quick; every
one is verified on import exactly as a real one is. The import is
timed as one whole process: ``main.py import FOLDER --db NEW`` then
``main.py summary 2023 OUT.xlsx --db NEW``; peak memory is the larger of the two
processes' maximum resident set size.
"""

from __future__ import annotations

import hashlib
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import _common

PACK_TARGET_S = 0.8
FOLDER_TARGET_S = 20.0
MEMORY_TARGET_MB = 300


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
        variant.set_text("cover.dept_name", f"吉首市第{i + 1:03d}号部门")
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


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=_common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {proc.returncode}:\n{err.decode(errors='replace')}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=5)
    p.add_argument("--packages", type=int, default=500, help="packages in the folder (default 500)")
    p.add_argument("--keep", action="store_true", help="keep the folder and print its path")
    args = p.parse_args()
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
        stick = folder / "stick"
        stick.mkdir()
        variants(stick, args.packages)
        db = folder / "finance.sqlite3"
        import_s, import_mb = timed([sys.executable, str(_common.MAIN), "import", str(stick), "--db", str(db)])
        summary_s, summary_mb = timed(
            [sys.executable, str(_common.MAIN), "summary", "2023", str(folder / "汇总.xlsx"), "--db", str(db)]
        )
        total = import_s + summary_s
        peak = max(import_mb, summary_mb)
        verdict = "" if total <= FOLDER_TARGET_S else "  OVER TARGET"
        print(f"import {args.packages} packages from a folder: {import_s:.1f} s; summary workbook: {summary_s:.1f} s; "
              f"in all {total:.1f} s  (target ≤ {FOLDER_TARGET_S:g} s){verdict}")
        mem_verdict = "" if peak <= MEMORY_TARGET_MB else "  OVER TARGET"
        print(f"peak memory (largest process): {peak:.0f} MB  (target ≤ {MEMORY_TARGET_MB} MB){mem_verdict}")
        ok = ok and total <= FOLDER_TARGET_S and peak <= MEMORY_TARGET_MB
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
