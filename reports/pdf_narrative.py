"""The printed 评价报告 (Part B) and the 审核情况说明 page, after the form.

Typeset like a government report (GB/T 9704): A4 with a 156 × 225 mm text
area, the title in 小标宋 style at 22 pt, ``一、`` headings in 黑体, ``（一）``
headings in 楷体, body in 仿宋 style at 16 pt (三号) with a two-character
first-line indent and a fixed 28.9 pt line (22 lines a page). Where the PC has
仿宋_GB2312 / 仿宋, 楷体_GB2312 / 楷体 or 方正小标宋 they are used; otherwise the
shipped faces. The headings, their order and the tables under them come from
:data:`models.form.PART_B`; nothing here names a section.

Pages carry the same footer as the form (page numbers, fingerprint, QR code):
:func:`reports.printed.render_pdf` builds both parts in one document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from models import form
from models.money import format_amount
from models.paper import PAPER
from models.report import Report
from models.rules import Finding
from models.scoring import level1_items
from reports.fonts import SHIPPED_KAI, Face, FontSet, load, markup, system_faces
from reports.kinsoku import Para
from reports.part_b import (
    basic_groups,
    basic_header,
    blocks,
    explained,
    explanation_header,
    explanation_intro,
    explanation_rows,
    projects_header,
    score_header,
    score_rows,
    subtotal_label,
)
from reports.part_b import texts as part_b_texts
from reports.pdf import LINE, PAGE_H, PAGE_W, BindingFrame, Carry, FormTable, pieces, stack

#: GB/T 9704: 天头 37 mm, 订口 28 mm; the text area 156 × 225 mm.
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm
FRAME_W = 156 * mm
FRAME_H = 225 * mm
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - FRAME_H
BODY_SIZE = 16  # 三号
LEADING = 28.9  # 22 lines in 225 mm
TITLE_SIZE = 22  # 二号
TABLE_SIZE = 12  # 小四
TEMPLATE = "narrative"


@dataclass(frozen=True)
class Faces:
    """The faces of Part B: body (仿宋), 楷体, 黑体 headings, the title."""

    body: Face
    kai: Face
    heading: Face
    title: Face
    chain: FontSet


@cache
def _pc_faces() -> dict[str, Face]:
    return {f.key: f for f in system_faces()}


def faces(fonts: FontSet) -> Faces:
    """Part B's faces: the PC's 仿宋/楷体/小标宋 when present, else the clerk's or shipped."""
    pc = _pc_faces()
    if fonts.body.key in ("fangsong_gb2312", "simfang"):
        body = fonts.body
    else:
        body = pc.get("fangsong_gb2312") or pc.get("simfang") or fonts.body
    kai = pc.get("kaiti_gb2312") or pc.get("simkai") or SHIPPED_KAI
    title = pc.get("fzxbs") or fonts.heading
    return Faces(body, kai, fonts.heading, title, FontSet(body=body, heading=fonts.heading))


@dataclass(frozen=True)
class Styles:
    faces: Faces
    title: ParagraphStyle
    level1: ParagraphStyle
    level2: ParagraphStyle
    level3: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    figure: ParagraphStyle
    head: ParagraphStyle
    #: How amounts print (models.money.AMOUNT_STYLES).
    amounts: str = "typed"

    def money(self, value: Decimal | None) -> str:
        return format_amount(value, self.amounts)

    def p(self, text: str | None, style: ParagraphStyle, face: Face | None = None) -> Paragraph:
        face = face or self.faces.body
        return Para(markup(text or "", face, self.faces.chain), style)


def make_styles(f: Faces, amounts: str = "typed") -> Styles:
    body = ParagraphStyle(
        "pb_body", fontName=f.body.pdf_name, fontSize=BODY_SIZE, leading=LEADING,
        firstLineIndent=2 * BODY_SIZE, alignment=TA_JUSTIFY, wordWrap="CJK",
    )
    cell = ParagraphStyle("pb_cell", fontName=f.body.pdf_name, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.35,
                          wordWrap="CJK")
    return Styles(
        faces=f,
        title=ParagraphStyle("pb_title", parent=body, fontName=f.title.pdf_name, fontSize=TITLE_SIZE,
                             leading=TITLE_SIZE * 1.6, firstLineIndent=0, alignment=TA_CENTER,
                             spaceAfter=LEADING),
        # No keepWithNext: it would hold a heading and a five-page paragraph together;
        # a conditional page break before each heading keeps it off a page's last lines.
        level1=ParagraphStyle("pb_level1", parent=body, fontName=f.heading.pdf_name),
        level2=ParagraphStyle("pb_level2", parent=body, fontName=f.kai.pdf_name),
        level3=ParagraphStyle("pb_level3", parent=body, fontName=f.kai.pdf_name),
        body=body,
        cell=cell,
        cell_center=ParagraphStyle("pb_cell_center", parent=cell, alignment=TA_CENTER),
        figure=ParagraphStyle("pb_figure", parent=cell, alignment=TA_RIGHT),
        head=ParagraphStyle("pb_head", parent=cell, fontName=f.heading.pdf_name, fontSize=TABLE_SIZE - 1,
                            alignment=TA_CENTER),
        amounts=amounts,
    )


def page_template(on_page: Any) -> PageTemplate:
    """Part B's page: GB/T 9704's text area; the footer is the form's."""
    frame = BindingFrame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, FRAME_H, id="narrative", leftPadding=0,
                         rightPadding=0, topPadding=0, bottomPadding=0)
    return PageTemplate(id=TEMPLATE, frames=[frame], onPage=on_page)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def _grid(s: Styles, header_rows: int = 1) -> list[tuple[Any, ...]]:
    return [
        ("FONTNAME", (0, 0), (-1, -1), s.faces.body.pdf_name),
        ("GRID", (0, 0), (-1, -1), LINE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93)),
    ]


def _wrap(data: list[list[Any]], widths: list[float], style: list[tuple[Any, ...]],
          carry: dict[int, dict[int, Carry]] | None = None, styles: Any = None) -> list[Flowable]:
    table = FormTable(data, carry=carry, styles=styles, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    return [Spacer(1, 4), table, Spacer(1, LEADING / 2)]


#: Padding either side of a cell's text (as :func:`_grid` sets it).
_PAD = 4


def _block(cells: list[list[Any]], style: list[tuple[Any, ...]], first: int, lines_from: int = 0) -> list[list[Any]]:
    """One row of the table whose cells run on over several table rows (a long name cut
    into pieces): no lines between its rows from column ``lines_from`` on."""
    rows = stack(cells)
    last = first + len(rows) - 1
    if last > first:
        style.append(("LINEBELOW", (lines_from, first), (-1, last - 1), 0.01, colors.white))
        style.append(("VALIGN", (0, first), (-1, last), "TOP"))
    return rows


def _cut(s: Styles, text: str | None, width: float, style: ParagraphStyle) -> list[Flowable]:
    return pieces(s, text, width - 2 * _PAD, style)


def basic_items_table(report: Report, s: Styles) -> list[Flowable]:
    """基本支出明细: the items by 类别, each 类别's 小计, and the 合计."""
    items = report.data["narrative"]["basic_items"]
    if not items:
        return []
    widths = [34 * mm, 82 * mm, 40 * mm]
    data: list[list[Any]] = [[s.p(text, s.head, s.faces.heading) for text in basic_header()]]
    style = _grid(s)
    labels: dict[int, Carry] = {}
    for group, rows, subtotal in basic_groups(report):
        first = len(data)
        waiting = _cut(s, group, widths[0], s.cell_center)  # the 类别 runs down its items' rows
        for i, item in enumerate(rows):
            name = _cut(s, item["name"], widths[1], s.cell)
            if i == len(rows) - 1:
                name += [""] * (len(waiting) - len(name))
            label = [waiting.pop(0) for _ in range(min(len(waiting), max(1, len(name))))]
            data += _block([label, name, [s.p(s.money(item["amount"]), s.figure)]], style, len(data), 1)
        data += _block([[], _cut(s, subtotal_label(group), widths[1], s.cell_center),
                           [s.p(s.money(subtotal), s.figure)]], style, len(data), 1)
        last = len(data) - 1
        # The 类别 reads as one cell: no lines inside it; repeated where a page cuts it.
        style.append(("LINEBELOW", (0, first), (0, last - 1), 0.01, colors.white))
        style.append(("VALIGN", (0, first), (0, last), "TOP"))
        labels[first] = Carry(group)
    data.append([s.p(PAPER.total_row, s.cell_center), "", s.p(s.money(report.basic_total()), s.figure)])
    style.append(("SPAN", (0, len(data) - 1), (1, len(data) - 1)))
    return _wrap(data, widths, style, {0: labels}, _CarryStyles(s))


def projects_table(report: Report, s: Styles) -> list[Flowable]:
    """项目支出明细: each project, its amount and its uses (one row per use)."""
    projects = report.data["narrative"]["projects"]
    if not projects:
        return []
    widths = [12 * mm, 56 * mm, 27 * mm, 34 * mm, 27 * mm]
    data: list[list[Any]] = [[s.p(text, s.head, s.faces.heading) for text in projects_header()]]
    style = _grid(s)
    names: dict[int, Carry] = {}
    for n, project in enumerate(projects, 1):
        first = len(data)
        uses = project["uses"] or [{"name": None, "amount": None}]
        waiting = _cut(s, project["name"], widths[1], s.cell)  # the project's name runs down its uses' rows
        for i, use in enumerate(uses):
            use_name = _cut(s, use["name"], widths[3], s.cell)
            if i == len(uses) - 1:
                use_name += [""] * (len(waiting) - len(use_name))
            name = [waiting.pop(0) for _ in range(min(len(waiting), max(1, len(use_name))))]
            lead = [[s.p(str(n), s.cell_center)], name, [s.p(s.money(project["amount"]), s.figure)]]
            if i:
                lead = [[], name, []]
            data += _block([*lead, use_name, [s.p(s.money(use["amount"]), s.figure)]], style, len(data), 3)
        last = len(data) - 1
        if last > first:
            # One project reads as one cell: no lines inside its first three columns.
            style.append(("LINEBELOW", (0, first), (2, last - 1), 0.01, colors.white))
            style.append(("VALIGN", (0, first), (2, last), "TOP"))
        names[first] = Carry(project["name"] or "")
    data.append(["", s.p(PAPER.total_row, s.cell_center), s.p(s.money(report.projects_total()), s.figure), "", ""])
    return _wrap(data, widths, style, {1: names}, _CarryStyles(s))


def score_table(report: Report, s: Styles) -> list[Flowable]:
    """一级指标得分: 指标分值, 自评得分, 得分率, and 合计."""
    if not level1_items(report):
        return []
    data: list[list[Any]] = [[s.p(c, s.head, s.faces.heading) for c in score_header()]]
    style = _grid(s)
    for row in score_rows(report):
        data += _block([_cut(s, v, 39 * mm, s.cell_center) for v in row], style, len(data))
    return _wrap(data, [39 * mm] * 4, style)


class _CarryStyles:
    """What :class:`reports.pdf.FormTable` needs to repeat a cut cell's text: ``p`` and
    ``cell_center``, here in Part B's table face."""

    def __init__(self, s: Styles) -> None:
        self._s = s
        self.cell_center = s.cell_center

    def p(self, text: str | None, style: ParagraphStyle) -> Paragraph:
        return self._s.p(text, style)


TABLES = {"basic_items": basic_items_table, "projects": projects_table, "score_items": score_table}


# ---------------------------------------------------------------------------
# Texts and headings
# ---------------------------------------------------------------------------


def narrative_story(report: Report, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [s.p(form.PART_B_TITLE, s.title, s.faces.title)]
    level_style = {1: (s.level1, s.faces.heading), 2: (s.level2, s.faces.kai), 3: (s.level3, s.faces.kai)}
    for _above, heading in form.part_b_headings():
        style, face = level_style[heading.level]
        out.append(CondPageBreak(LEADING * 3))
        out.append(s.p(heading.text, style, face))
        for kind, value in blocks(report, heading):
            if kind == "text":
                out.append(s.p(value, s.body))
            else:
                out += TABLES[value](report, s)
    return out


def explanations_story(report: Report, s: Styles, findings: list[Finding]) -> list[Flowable]:
    """The page 审核情况说明: each explained finding, where, its figures, the explanation."""
    if not findings:
        return []
    out: list[Flowable] = [PageBreak(), s.p(PAPER.explanations_title, s.title, s.faces.title),
                           s.p(explanation_intro(len(findings)), s.body)]
    data: list[list[Any]] = [[s.p(h, s.head, s.faces.heading) for h in explanation_header()]]
    widths = [12 * mm, 34 * mm, 64 * mm, 46 * mm]
    style = _grid(s)
    style.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    for row in explanation_rows(report, findings):
        cells = [_cut(s, v, w, s.cell_center if k == 0 else s.cell) for k, (v, w) in enumerate(zip(row, widths,
                                                                                                strict=True))]
        data += _block(cells, style, len(data))
    return out + _wrap(data, widths, style)


def build(report: Report, fonts: FontSet, part: str, amounts: str = "typed") -> tuple[Styles, list[Flowable],
                                                                                          list[Finding]]:
    """Part B's story (empty for Part A alone) and the explained findings' page."""
    f = faces(fonts)
    findings = explained(report)
    if part != "A" or findings:  # the form alone needs none of Part B's faces
        for face in {f.body, f.kai, f.heading, f.title}:
            load(face)
    s = make_styles(f, amounts)
    story: list[Flowable] = []
    if part in ("B", "all"):
        story += narrative_story(report, s)
    return s, story, findings


def start(first: bool) -> list[Flowable]:
    """What switches the document to Part B's pages."""
    return [] if first else [NextPageTemplate(TEMPLATE), PageBreak()]


__all__ = ["PAGE_W", "build", "explanations_story", "page_template", "part_b_texts", "start"]
