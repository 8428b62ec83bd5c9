"""`python3 main.py check SAMPLE` as a whole process: median wall seconds (target ≤ 0.3 s).

    python3 bench/bench_check.py [--runs N] [--profile]

``--profile`` also shows where one run spends its time: the slowest imports
(``python -X importtime``) and the costliest calls (``cProfile``).
"""

from __future__ import annotations

import cProfile  # noqa: F401 - named here so a missing module fails before any timing
import io
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

import _common

TARGET_S = 0.3


def command(*python_options: str) -> list[str]:
    return [sys.executable, *python_options, str(_common.MAIN), "check", str(_common.SAMPLE)]


def profile_imports(top: int = 12) -> None:
    """Print the slowest imports of one run, by cumulative and by own time."""
    done = subprocess.run(
        command("-X", "importtime"), cwd=_common.ROOT, capture_output=True, text=True, check=False
    )
    rows: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        # "import time:  own |  cumulative | name", the name indented two spaces per nesting level
        own_us, cumulative_us, name = line.split("|")
        rows.append((int(own_us.split(":")[1]), int(cumulative_us), name[1:]))
    total = sum(r[0] for r in rows)
    print(f"\nimports: {len(rows)} modules, {total / 1e6:.3f} s in all (own time summed)")
    print("top-level imports by cumulative time:")
    top_level = [r for r in rows if not r[2].startswith(" ")]
    for own, cumulative, name in sorted(top_level, key=lambda r: -r[1])[:top]:
        print(f"  {cumulative / 1e3:8.1f} ms cumulative  {own / 1e3:6.1f} ms own  {name}")
    print("modules by own time:")
    for own, _cumulative, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"  {own / 1e3:8.1f} ms  {name.strip()}")


def profile_calls(top: int = 15) -> None:
    """Print the calls of one run by cumulative time (imports included)."""
    with tempfile.TemporaryDirectory(prefix="ziping-bench-") as folder:
        out = Path(folder) / "check.prof"
        subprocess.run(
            command("-m", "cProfile", "-o", str(out)),
            cwd=_common.ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        text = io.StringIO()
        stats = pstats.Stats(str(out), stream=text)
        stats.sort_stats("cumulative").print_stats(top)
    print("\ncalls by cumulative time (one run under cProfile, which slows it):")
    body = text.getvalue()
    print(body[body.find("   ncalls") :].rstrip())


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=20)
    p.add_argument("--profile", action="store_true", help="also profile one run (imports and calls)")
    args = p.parse_args()
    _common.header("bench_check", args.runs, args.warmup)
    ok = _common.report(
        "check (whole process)",
        _common.time_process(command(), args.runs, args.warmup, ok_codes=(0, 1)),
        "s",
        TARGET_S,
    )
    _common.report(
        "python3 -c pass (interpreter start)",
        _common.time_process([sys.executable, "-c", "pass"], args.runs, args.warmup),
        "s",
        None,
    )
    if args.profile or not ok:
        profile_imports()
        profile_calls()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
