"""What the benchmarks share: the repo root on sys.path, timing and the printed line.

Standard library only. Every figure is printed as median, min and max of the
timed runs, next to its target; a script exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "jishou_kegongxin_2023.json"
MAIN = ROOT / "main.py"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parser(description: str, runs: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--runs", type=int, default=runs, help=f"timed runs per figure (default {runs})")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    return p


def time_calls(call: Callable[[int], object], runs: int, warmup: int) -> list[float]:
    """Seconds per call of ``call(i)``; the warm-up calls are not timed."""
    for i in range(warmup):
        call(i)
    times = []
    for i in range(warmup, warmup + runs):
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    return times


def run_process(args: Sequence[str], ok_codes: tuple[int, ...] = (0,)) -> None:
    """Run one whole process from the repo root, output discarded; fail on a surprising exit."""
    done = subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode not in ok_codes:
        sys.exit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")


def time_process(
    args: Sequence[str], runs: int, warmup: int, ok_codes: tuple[int, ...] = (0,)
) -> list[float]:
    return time_calls(lambda _i: run_process(args, ok_codes), runs, warmup)


UNITS = {"s": 1.0, "ms": 1000.0}


def report(label: str, seconds: Sequence[float], unit: str, target: float | None) -> bool:
    """Print ``label: median … min … max … (target ≤ …)``; return whether the median meets it."""
    scale = UNITS[unit]
    med, lo, hi = (statistics.median(seconds) * scale, min(seconds) * scale, max(seconds) * scale)
    line = f"{label}: median {med:.2f} {unit}  min {lo:.2f}  max {hi:.2f}"
    ok = target is None or med <= target
    if target is None:
        line += "  (reference, no target)"
    else:
        line += f"  (target ≤ {target:g} {unit})"
        if not ok:
            line += "  OVER TARGET"
    print(line, flush=True)
    return ok


def header(title: str, runs: int, warmup: int) -> None:
    print(f"{title} — {runs} timed runs after {warmup} warm-up; Python {sys.version.split()[0]}", flush=True)
