"""A report of a form of another family (records and row tables, rules as formulas):
the first such template shipped, filled with ``--rows`` indicator rows, converted as
a whole process to PDF, to a workbook and back, and checked; the same targets as the
program's own form (PDF ≤ 0.5 s, workbook out ≤ 0.3 s).

    python3 bench/bench_other_form.py [--runs N] [--rows N]

The report is made from the template alone: every record field gets a word or a
figure by its kind, every row of every row table likewise, so the bench follows
whatever the template holds.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import _common

PDF_TARGET_S = 0.5
EXPORT_TARGET_S = 0.3


def filled(rows: int):  # noqa: ANN201 - a Report; models load after the path is set
    from models import template as tpl
    from models.nodes import Record, Rows, Value
    from models.report import Report

    template = next(t for t in tpl.shipped() if t.flat)
    report = Report(None, template)

    def text_for(value: Value, i: int) -> str:
        if value.kind in ("money", "score"):
            return f"{(i * 7) % 90 + 1}.5"
        if value.kind == "int":
            low = value.minimum if value.minimum is not None else 0
            return str(max(low, 2023) if value.maximum and value.maximum >= 2023 else low + i)
        if value.kind == "yearmonth":
            return "2024年3月"
        if value.suggestions:
            return value.suggestions[i % len(value.suggestions)]
        return f"{value.label}{i}"[: value.max_length or 200]

    for part in template.report.children:
        if part.key == "explanations":
            continue
        if isinstance(part, Record):
            for value in part.values():
                report.set_text(f"{part.key}.{value.key}", text_for(value, 1))
        elif isinstance(part, Rows):
            for i in range(rows):
                report.insert_row(part.key)
                for value in part.row.children:
                    if isinstance(value, Value):
                        report.set_text(f"{part.key}.{i}.{value.key}", text_for(value, i))
    return report


def main() -> int:
    p = _common.parser(__doc__.splitlines()[0], runs=7)
    p.add_argument("--rows", type=int, default=40, help="rows of each row table (default 40)")
    args = p.parse_args()
    sys.path.insert(0, str(_common.ROOT))
    from models import interchange

    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-other-"))
    report = filled(args.rows)
    source = folder / "other.json"
    source.write_text(interchange.dumps(report), encoding="utf-8")
    py, main_py = sys.executable, str(_common.MAIN)
    _common.header(f"bench_other_form ({report.form.id}, {args.rows} rows)", args.runs, args.warmup)
    try:
        ok = _common.report("convert → PDF (whole process)", _common.time_process(
            [py, main_py, "convert", str(source), str(folder / "other.pdf")], args.runs, args.warmup), "s", PDF_TARGET_S)
        ok &= _common.report("convert → workbook (whole process)", _common.time_process(
            [py, main_py, "convert", str(source), str(folder / "other.xlsx")], args.runs, args.warmup), "s",
            EXPORT_TARGET_S)
        _common.report("workbook → JSON (whole process)", _common.time_process(
            [py, main_py, "convert", str(folder / "other.xlsx"), str(folder / "back.json")], args.runs, args.warmup),
            "s", None)
        _common.report("check (whole process, findings exit 1)", _common.time_process(
            [py, main_py, "check", str(source)], args.runs, args.warmup, ok_codes=(0, 1)), "s", None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
