"""The 评价报告 (Part B): the sample's whole PDF (form, then 评价报告) and its Word file,
each as a whole process, and each rendered again after an edit in a running process.

    python3 bench/bench_part_b.py [--runs N]

Whole processes are ``python3 main.py convert SAMPLE out.pdf`` (both parts, the
default) and ``python3 main.py convert SAMPLE out.docx``, with the font metrics
cache warm after the warm-up run, as on a clerk's PC after the first print.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import _common

PDF_TARGET_S = 1.5
DOCX_TARGET_S = 0.8
RERENDER_PDF_TARGET_MS = 800.0
RERENDER_DOCX_TARGET_MS = 300.0


def main() -> int:
    args = _common.parser(__doc__.splitlines()[0], runs=10).parse_args()
    from models import interchange
    from reports.docx_report import render_docx
    from reports.printed import render_pdf

    _common.header("bench_part_b", args.runs, args.warmup)
    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-part-b-"))
    ok = True
    try:
        for out, label, target in (
            (folder / "sample.pdf", "convert sample → PDF, form and 评价报告 (whole process)", PDF_TARGET_S),
            (folder / "sample.docx", "convert sample → Word .docx, 评价报告 (whole process)", DOCX_TARGET_S),
        ):
            ok &= _common.report(
                label,
                _common.time_process([sys.executable, str(_common.MAIN), "convert", str(_common.SAMPLE), str(out)],
                                     args.runs, args.warmup),
                "s",
                target,
            )
            print(f"    {out.suffix} size: {out.stat().st_size / 1024:.0f} KB", flush=True)
        report = interchange.read(_common.SAMPLE)
        render_pdf(report)  # fonts loaded once per process, as in the window

        def edit(i: int) -> None:
            report.set_text("narrative.sections.other_matters", f"无（第 {i} 次修改）")

        ok &= _common.report(
            "whole PDF again after an edit, in a running process",
            _common.time_calls(lambda i: (edit(i), render_pdf(report)), args.runs, args.warmup),
            "ms",
            RERENDER_PDF_TARGET_MS,
        )
        ok &= _common.report(
            "Word file again after an edit, in a running process",
            _common.time_calls(lambda i: (edit(i), render_docx(report)), args.runs, args.warmup),
            "ms",
            RERENDER_DOCX_TARGET_MS,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
