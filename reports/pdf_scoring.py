"""附件2, the printed 自评表: the scoring tree in the paper form's layout.

A4 landscape (thirteen columns do not fit upright), on the same footer as the
form and the 评价报告 (page numbers, fingerprint, QR code: :func:`reports.printed.render_pdf`
builds all parts in one document). The 一级 and 二级 cells read as merged down
their rows — the name, 分值 and 得分 once, no line inside the run — and a page
break repeats the header row and the cut run's name with （续）. The title, the
column headings and every line's name come from the report's 指标体系
(:mod:`models.framework`); the figures from :mod:`models.scoring`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageTemplate, Paragraph, Spacer, TableStyle

from models import form, scoring
from models.money import format_decimal
from models.paper import PAPER
from models.report import Report
from reports.pdf import (
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    BindingFrame,
    Carry,
    FormTable,
    Styles,
    pieces,
)

TEMPLATE = "scoring"
PAGE_W, PAGE_H = landscape(A4)
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
#: The thirteen columns, in mm: 一级 (名称, 分值, 得分), 二级 (the same), 三级, 分值,
#: 评分标准, 目标值, 完成值, 自评得分, 扣分原因.
WIDTHS_MM = (17, 10, 10, 21, 10, 10, 30, 10, 46, 22, 22, 11, 30)
#: Columns of the merged 一级 and 二级 runs.
LEVEL1_COLS, LEVEL2_COLS = (0, 1, 2), (3, 4, 5)
SIZE = 8.5
PAD = 2.5
#: Lines of a long text per table row; longer texts continue in the next row.
PIECE_LINES = 6


def page_template(on_page: Any) -> PageTemplate:
    frame = BindingFrame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id=TEMPLATE,
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return PageTemplate(id=TEMPLATE, frames=[frame], onPage=on_page, pagesize=(PAGE_W, PAGE_H))


class _Small:
    """The table's smaller text, in the form's faces; what FormTable needs to carry a cut run."""

    def __init__(self, s: Styles) -> None:
        self.s = s
        self.cell = ParagraphStyle("sc_cell", parent=s.cell, fontSize=SIZE, leading=SIZE * 1.4, alignment=TA_LEFT)
        self.cell_center = ParagraphStyle("sc_center", parent=self.cell, alignment=TA_CENTER)
        self.head = ParagraphStyle("sc_head", parent=s.head, fontSize=SIZE, leading=SIZE * 1.35)
        self.title = ParagraphStyle("sc_title", parent=s.heading, fontSize=16, leading=24, alignment=TA_CENTER,
                                    spaceBefore=0, spaceAfter=4)
        self.attachment = ParagraphStyle("sc_attachment", parent=s.heading, fontSize=12, leading=18,
                                         spaceBefore=0, spaceAfter=2)
        self.line = ParagraphStyle("sc_line", parent=s.body, fontSize=10, leading=16)

    def p(self, text: str | None, style: ParagraphStyle | None = None) -> Paragraph:
        return self.s.p(text, style or self.cell)


def _figure(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


def cells(report: Report, scored: scoring.Tree, row: scoring.PrintedRow) -> list[str]:
    """The thirteen cells of a row (the merged ones filled on every row; printed once)."""
    n1, n2, leaf = row.node1, row.node2, row.leaf
    texts = [n1.name, _figure(n1.weight), _figure(n1.score),
             n2.name, _figure(n2.weight), _figure(n2.score)]
    if leaf is None:
        return texts + [""] * 7
    return texts + [
        leaf.name, _figure(leaf.weight), leaf.shown_criteria, scoring.shown_target(scored.framework, leaf),
        scoring.shown_actual(report, leaf), _figure(leaf.score), leaf.reason or "",
    ]


def table(report: Report, scored: scoring.Tree, s: Styles) -> FormTable:
    small = _Small(s)
    frame = scored.framework
    widths = [w * mm for w in WIDTHS_MM]
    data: list[list[Any]] = [[small.p(frame.columns[k], small.head) for k in PAPER.scoring_columns]]
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
        ("BOX", (0, 0), (-1, -1), LINE, colors.black),
        ("GRID", (0, 0), (-1, 0), LINE, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
    ]
    carry: dict[int, dict[int, Carry]] = {c: {} for c in (*LEVEL1_COLS, *LEVEL2_COLS, 6)}
    rows = scoring.printed_rows(scored)
    starts: list[int] = []
    for row in rows:
        texts = cells(report, scored, row)
        first = len(data)
        starts.append(first)
        own = [pieces(s, text, w - 2 * PAD, small.cell, PIECE_LINES) if text else [Spacer(1, small.cell.leading)]
               for text, w in zip(texts[6:], widths[6:], strict=True)]
        height = max(len(p) for p in own)
        for i in range(height):
            line: list[Any] = [""] * 6
            for parts in own:
                line.append(parts[i] if i < len(parts) else "")
            data.append(line)
        last = first + height - 1
        for c in (7, 11):  # 分值, 自评得分: centred figures
            data[first][c] = small.p(texts[c], small.cell_center)
        style.append(("LINEBELOW", (6, last), (-1, last), LINE, colors.black))
        style.append(("VALIGN", (6, first), (-1, last), "TOP"))
        if height > 1:
            style.append(("TOPPADDING", (6, first + 1), (-1, last), 0))
            style.append(("BOTTOMPADDING", (6, first), (-1, last - 1), 0))
        if row.leaf is not None:
            carry[6][first] = Carry(row.leaf.name, continued=False)
    ends = [*starts[1:], len(data)]
    for level, cols in ((1, LEVEL1_COLS), (2, LEVEL2_COLS)):
        for a, b in scoring.runs(rows, level):
            top, bottom = starts[a], ends[b] - 1
            texts = cells(report, scored, rows[a])
            for k, c in enumerate(cols):
                data[top][c] = small.p(texts[c], small.cell_center)
                carry[c][top] = Carry(texts[c], continued=k == 0)
                style.append(("LINEBELOW", (c, bottom), (c, bottom), LINE, colors.black))
            style.append(("VALIGN", (cols[0], top), (cols[-1], bottom), "MIDDLE"))
    for c in range(1, len(PAPER.scoring_columns)):
        style.append(("LINEBEFORE", (c, 0), (c, -1), LINE, colors.black))
    total = len(data)
    data.append([small.p(frame.columns["total"], small.cell_center), small.p(_figure(scored.weight), small.cell_center),
                 small.p(_figure(scored.score), small.cell_center)] + [""] * (len(PAPER.scoring_columns) - 3))
    style.append(("LINEABOVE", (0, total), (-1, total), LINE, colors.black))
    style.append(("SPAN", (3, total), (-1, total)))
    out = FormTable(data, carry=carry, styles=small, colWidths=widths, repeatRows=1)  # type: ignore[arg-type]
    out.setStyle(TableStyle(style))
    return out


def story(report: Report, s: Styles) -> list[Flowable]:
    """附件2: its label, the framework's title, who, and the table."""
    small = _Small(s)
    scored = scoring.tree(report)
    year = f"{report.year}年度" if report.year else ""
    dept = form.COVER.child("dept_name")
    head: list[Flowable] = []
    if scored is None:
        name = report.data["scoring"]["framework"]
        return [small.p(f"自评表所用的指标体系「{name}」在本程序中找不到，无法打印自评表。", small.line)]
    frame = scored.framework
    head.append(small.p(frame.attachment, small.attachment))
    head.append(small.p(f"{report.dept_name}{year}{frame.title}", small.title))
    head.append(small.p(f"{dept.label}：{report.dept_name or ''}", small.line))
    head.append(Spacer(1, 2 * mm))
    return [*head, table(report, scored, s)]


def texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text 附件2 prints, with where it comes from (for the glyph check)."""
    scored = scoring.tree(report)
    if scored is None:
        return
    frame = scored.framework
    yield f"{form.SCORING_TAB}·标题", f"{frame.attachment}{frame.title}"
    yield from ((f"{form.SCORING_TAB}·表头", text) for text in frame.columns.values())
    for row in scoring.printed_rows(scored):
        where = f"{form.SCORING_TAB}「{row.node1.name}·{row.node2.name}」"
        yield where, f"{row.node1.name}{row.node2.name}"
        if row.leaf is not None:
            for text in (row.leaf.name, row.leaf.shown_criteria, scoring.shown_target(frame, row.leaf),
                         scoring.shown_actual(report, row.leaf), row.leaf.reason or ""):
                if text:
                    yield f"{where}·{row.leaf.name}", text
