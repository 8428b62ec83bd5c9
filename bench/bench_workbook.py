"""Excel workbooks: export of the sample as a whole process (target ≤ 0.3 s) and import (target ≤ 0.3 s).

    python3 bench/bench_workbook.py [--runs N] [--keep]

Export is ``main.py convert sample.json out.xlsx``, a whole process: Python's
start, reading the sample, importing openpyxl, laying out the sheets, writing
the file. Import is timed twice: ``place_workbook`` in-process (what the window
calls; target ≤ 0.3 s) and ``main.py convert out.xlsx back.json`` as a whole
process (reference); a workbook exported and not saved by a spreadsheet since
is read without openpyxl (reports/workbook/own_reader.py). For scale, the same process
with ``.json`` on both sides is printed as the floor every command pays.
``--keep`` leaves the files behind. Where PYTHONDONTWRITEBYTECODE is set, every
process compiles its modules afresh and the whole-process figures grow by some
50 ms.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import _common

EXPORT_TARGET_S = 0.3
IMPORT_TARGET_S = 0.3


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=10)
    p.add_argument("--keep", action="store_true", help="keep the generated files and print their folder")
    args = p.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-workbook-"))
    xlsx = folder / "sample.xlsx"
    back = folder / "back.json"
    py, main_py, sample = sys.executable, str(_common.MAIN), str(_common.SAMPLE)
    _common.header("bench_workbook", args.runs, args.warmup)
    try:
        _common.report(
            "floor: main.py convert sample.json copy.json (whole process)",
            _common.time_process([py, main_py, "convert", sample, str(folder / "copy.json")], args.runs, args.warmup),
            "s",
            None,
        )
        ok = _common.report(
            "export: main.py convert sample.json sample.xlsx (whole process)",
            _common.time_process([py, main_py, "convert", sample, str(xlsx)], args.runs, args.warmup),
            "s",
            EXPORT_TARGET_S,
        )

        from models import interchange
        from reports.workbook import place_workbook, render_workbook

        report = interchange.read(_common.SAMPLE)
        _common.report(
            "render_workbook (in-process)",
            _common.time_calls(lambda _i: render_workbook(report), args.runs, args.warmup),
            "s",
            None,
        )

        def read(_i: int) -> None:
            placement = place_workbook(xlsx)
            if not placement.ok or placement.report != report:
                sys.exit("the workbook did not read back as the sample")

        ok &= _common.report(
            "import: place_workbook (in-process, exact read-back checked)",
            _common.time_calls(read, args.runs, args.warmup),
            "s",
            IMPORT_TARGET_S,
        )
        _common.report(
            "import: main.py convert sample.xlsx back.json (whole process)",
            _common.time_process([py, main_py, "convert", str(xlsx), str(back)], args.runs, args.warmup),
            "s",
            None,
        )
        if back.read_bytes() != _common.SAMPLE.read_bytes():
            sys.exit("back.json differs from the sample")
    finally:
        if args.keep:
            print(f"kept files in: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
