"""Run a script as ``__main__`` and write its own peak resident memory (kB) to a file.

    python3 bench/_peak.py OUTFILE SCRIPT [ARGS…]

The peak is the process's ``VmHWM`` read at exit. The usual figure, ``ru_maxrss``
of a child, also counts the memory of the parent it was forked from, which a
benchmark that built its test data in memory would wrongly add to the child's.
"""

import atexit
import runpy
import sys
from pathlib import Path


def _write_peak(out: str) -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                Path(out).write_text(line.split()[1], encoding="ascii")


if __name__ == "__main__":
    out, script = sys.argv[1], sys.argv[2]
    atexit.register(_write_peak, out)
    sys.argv = sys.argv[2:]
    sys.path[0] = str(Path(script).resolve().parent)
    runpy.run_path(script, run_name="__main__")
