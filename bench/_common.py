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


def ratio_line(label: str, value: float, anchor: float, target: float | None, unit: str = "×") -> bool:
    """Print ``label: value / anchor = ratio`` next to its target; return whether it is met."""
    ratio = value / anchor if anchor else float("inf")
    line = f"{label}: {ratio:.2f}{unit}"
    ok = target is None or ratio <= target
    line += "  (reference, no target)" if target is None else f"  (target ≤ {target:g}{unit})"
    if not ok:
        line += "  OVER TARGET"
    print(line, flush=True)
    return ok


def growth_exponent(counts: Sequence[float], seconds: Sequence[float]) -> float:
    """The slope of log(time) against log(count), least squares: 1 is linear, 2 quadratic."""
    import math

    xs = [math.log(c) for c in counts]
    ys = [math.log(max(s, 1e-9)) for s in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def run_measured(args: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one whole Python process, run from the
    repo root: ``args`` are the interpreter, the script and its arguments."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".peak") as peak:
        wrapped = [args[0], str(ROOT / "bench" / "_peak.py"), peak.name, *args[1:]]
        start = time.perf_counter()
        done = subprocess.run(wrapped, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
        return wall, int(Path(peak.name).read_text(encoding="ascii") or 0) / 1024
