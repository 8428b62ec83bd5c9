"""Hostile input off a USB stick: every refusal or read within 5 s and 300 MB, as whole processes.

    python3 bench/bench_hostile.py [--runs N] [--only NAME] [--length CHARS] [--keep]

Workbooks: each hostile workbook of ``tests/hostile.py`` (a merge J1:XFD1048576,
a 100,000-row merge, a 45 MB sheet, a ranged hyperlink over the whole sheet, a
million rows, a data sheet with a cell at XFD1048576, and the slowest there is
under the limits) is checked with ``main.py check FILE``; refused files exit 2.
Long values: the sample with one one-line field (a name, a phone number, an
institution, an indicator, an evaluator) of ``--length`` characters (default
5,000) is printed with ``main.py convert long.json long.pdf``. Templates: each hostile
template file of ``tests/hostile.py`` (a key 400,000 levels deep, nesting past the stack,
too many lines or problems, a formula nested 10,000 deep) is refused by
``main.py template check FILE``.

Each line gives how the process ended, the median, min and max wall seconds
and the largest peak memory (RSS of that process) against the targets. Exits
1 if any median or peak misses its target.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import _common

TIME_TARGET_S = 5.0
MEMORY_TARGET_MB = 300.0


#: Runs one command and prints its wall seconds, peak RSS (KB) and exit status. A small
#: process of its own: on Linux a child's peak memory counts what it was forked from, and
#: this benchmark holds megabytes of hostile files.
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
wall = time.perf_counter() - start
err = done.stderr.decode("utf-8", "replace")
refused = "已拒绝打开" in err or "表样模板文件" in err and "无法使用" in err
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode, int(refused))
"""


def measure(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and how it ended (refused, or exit N) of one whole process."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], cwd=_common.ROOT, capture_output=True,
                          text=True, check=True)
    wall, rss_kb, code, refused = done.stdout.split()
    return float(wall), int(rss_kb) / 1024, "refused" if refused == "1" else f"exit {code}"


def line(label: str, runs: list[tuple[float, float, str]]) -> bool:
    times = [r[0] for r in runs]
    peak = max(r[1] for r in runs)
    ends = "/".join(sorted({r[2] for r in runs}))
    med = statistics.median(times)
    ok = med <= TIME_TARGET_S and peak <= MEMORY_TARGET_MB
    print(f"{label:<38} {ends:<8} median {med:5.2f} s  min {min(times):5.2f}  max {max(times):5.2f}  "
          f"peak {peak:4.0f} MB{'' if ok else '  OVER TARGET'}", flush=True)
    return ok


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=3)
    p.add_argument("--only", help="run only the cases whose name contains this")
    p.add_argument("--length", type=int, default=5000, help="characters of each long value (default 5000)")
    p.add_argument("--keep", action="store_true", help="keep the generated files and print their folder")
    args = p.parse_args()

    from models import interchange
    from tests import hostile

    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-hostile-"))
    py, main_py = sys.executable, str(_common.MAIN)
    _common.header("bench_hostile", args.runs, 0)
    print(f"targets: median ≤ {TIME_TARGET_S:g} s, peak ≤ {MEMORY_TARGET_MB:g} MB per process; workbooks by "
          "main.py check (refused before loading, or read: exit 1/2 for findings or cells not placed), "
          "long values by main.py convert → .pdf")
    ok = True
    try:
        print("-- workbooks")
        for name, make in hostile.WORKBOOKS.items():
            if args.only and args.only not in name:
                continue
            path = folder / f"{name}.xlsx"
            path.write_bytes(make())
            label = f"{name} ({path.stat().st_size // 1024} KB)"
            ok &= line(label, [measure([py, main_py, "check", str(path)]) for _ in range(args.runs)])
        print(f"-- one-line values of {args.length:,} characters, printed")
        sample = interchange.read(_common.SAMPLE)
        for field in hostile.ONE_LINE_FIELDS:
            if args.only and args.only not in field:
                continue
            report = sample.copy()
            hostile.long_value(report, field, args.length)
            source = folder / f"{field}.json"
            source.write_text(json.dumps(interchange.plain(report), ensure_ascii=False), encoding="utf-8")
            out = folder / f"{field}.pdf"
            ok &= line(field, [measure([py, main_py, "convert", str(source), str(out)]) for _ in range(args.runs)])
        print("-- template files, checked by main.py template check")
        for name, make in hostile.TEMPLATES.items():
            if args.only and args.only not in name:
                continue
            path = folder / "template.toml"
            path.write_bytes(make())
            label = f"{name} ({path.stat().st_size // 1024} KB)"
            ok &= line(label, [measure([py, main_py, "template", "check", str(path)]) for _ in range(args.runs)])
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
