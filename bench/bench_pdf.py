"""The printed form (Part A): the sample's PDF as a whole process (target ≤ 0.5 s), re-rendered
after an edit in a running process, as the preview does (target ≤ 80 ms), and its size (≤ 300 KB).
The form with the 评价报告 after it, and the Word file, are measured by bench_part_b.py.

    python3 bench/bench_pdf.py [--runs N]

The whole-process figure is ``python3 main.py convert SAMPLE out.pdf --part A``; the font
metrics cache in the user's cache folder is warm after the warm-up run, as it is
on a clerk's PC after the first print.

Anchor: reportlab drawing the same text — every text Part A prints, in the same
faces, as plain lines of 40 characters on A4 pages (no layout, no tables), its
fonts subset and embedded — timed in the same process, alternating with the
re-render, so the ratio shows what the form's layout costs over reportlab itself.
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import _common

CONVERT_TARGET_S = 0.5
RERENDER_TARGET_MS = 80.0
SIZE_TARGET_KB = 300


def anchor_fonts() -> tuple[str, str]:
    """The shipped faces registered with plain reportlab (nothing of the program's own
    font handling), under names of their own: the anchor's fonts."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from reports.fonts import FontSet

    fonts = FontSet()
    names = ("BenchAnchorBody", "BenchAnchorHeading")
    for name, face in zip(names, (fonts.body, fonts.heading), strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(face.path), subfontIndex=face.index)
            # reportlab hands out the font first registered for a face of the same name:
            # a name of its own keeps the anchor's font apart from the program's.
            font.face.name = name.encode("ascii") + b"-" + font.face.name
            pdfmetrics.registerFont(font)
    return names


def draw_same_text(report: Any) -> bytes:
    """The anchor: Part A's texts drawn as plain lines with the same faces, by reportlab alone."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from reports.pdf import part_a_texts

    body, heading = anchor_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    y = 800.0
    for where, text in part_a_texts(report):
        canvas.setFont(heading, 10)
        canvas.drawString(60, y, where)
        y -= 15
        canvas.setFont(body, 10)
        for paragraph in text.split("\n"):
            for start in range(0, max(len(paragraph), 1), 40):
                if y < 60:
                    canvas.showPage()
                    canvas.setFont(body, 10)
                    y = 800.0
                canvas.drawString(60, y, paragraph[start:start + 40])
                y -= 15
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> int:
    args = _common.parser(__doc__.splitlines()[0], runs=10).parse_args()
    from models import interchange
    from reports.printed import render_pdf

    _common.header("bench_pdf", args.runs, args.warmup)
    folder = Path(tempfile.mkdtemp(prefix="ziping-bench-pdf-"))
    try:
        out = folder / "sample.pdf"
        ok = _common.report(
            "convert sample → PDF (whole process)",
            _common.time_process(
                [sys.executable, str(_common.MAIN), "convert", str(_common.SAMPLE), str(out), "--part", "A"],
                args.runs,
                args.warmup,
            ),
            "s",
            CONVERT_TARGET_S,
        )
        size_kb = out.stat().st_size / 1024
        ok_size = size_kb <= SIZE_TARGET_KB
        print(f"PDF size: {size_kb:.0f} KB  (target ≤ {SIZE_TARGET_KB} KB){'' if ok_size else '  OVER TARGET'}")
        report = interchange.read(_common.SAMPLE)
        render_pdf(report, part="A")  # fonts loaded once per process, as in the window

        def after_an_edit(i: int) -> None:
            # Each preview follows an edit, so nothing of the last render (the QR code) is reused.
            report.set_text("basics.phone", f"0743-852{i:04d}")
            render_pdf(report, part="A")

        draw_same_text(report)
        rerender: list[float] = []
        anchor: list[float] = []
        for i in range(args.runs):  # alternating, so that a loaded machine slows both alike
            rerender += _common.time_calls(lambda _i, i=i: after_an_edit(i + 100), 1, 0)
            anchor += _common.time_calls(lambda _i: draw_same_text(report), 1, 0)
        ok &= _common.report("re-render after an edit in a running process (preview)", rerender, "ms",
                             RERENDER_TARGET_MS)
        _common.report("anchor: reportlab drawing the same text (plain lines, same faces)", anchor, "ms", None)
        _common.ratio_line("re-render against the anchor (medians)", statistics.median(rerender),
                           statistics.median(anchor), None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok and ok_size else 1


if __name__ == "__main__":
    sys.exit(main())
