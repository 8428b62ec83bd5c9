"""The printed form: a PDF that mirrors the paper 自评报告, to be signed and stamped.

Built with reportlab, no Qt. A4 portrait with a wide left margin for binding;
a cover page, then 一 to 四 with the paper's table structure. Long texts are
cut into rows at sentence ends so a table can break between pages anywhere,
its header repeating and its borders continuing. Every page carries
``第 N 页 共 M 页``, the department, the year and the fingerprint of the
report's data, with a QR code of the same, so that the stamped paper can be
matched to the file on the USB stick. A report with unexplained errors prints
with a 草稿 mark on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, Protocol

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models import form, grades
from models.document import format_value, level1_text
from models.form import InstitutionRows, Value
from models.paper import PAPER
from models.report import Report
from reports.fonts import Face, FontSet, MissingGlyphs, markup, missing
from reports.kinsoku import Para

# Binary (Flate) streams: a smaller file, written faster, than ASCII85 text.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
#: The first column of the 三、 tables: the section's own label.
FIRST_COL = 18 * mm
MARGIN_LEFT = 28 * mm  # binding side
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 26 * mm  # the footer and its QR code live here
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
LINE = 0.6
#: Most lines of text in one table row; longer texts continue in the next row.
PIECE_LINES = 8
#: Padding inside table cells.
PAD = 3.5
#: Room left at a page's foot (points) from which a row of text is cut to fill it.
FILL_AT_LEAST = 30
DRAFT_MARK = "草稿 — 审核未通过"


@dataclass(frozen=True)
class PrintOptions:
    """How the clerk prints: the window's print settings, the command line's flags."""

    #: Mirrored margins for printing on both sides: the binding edge on the left of odd
    #: pages and on the right of even pages.
    duplex: bool = False
    #: How amounts print (:data:`models.money.AMOUNT_STYLES`): as typed, or fixed.
    amounts: str = "typed"


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    figure: ParagraphStyle
    head: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    title: ParagraphStyle
    cover_line: ParagraphStyle
    sign: ParagraphStyle
    options: PrintOptions = PrintOptions()

    def p(self, text: str | None, style: ParagraphStyle | None = None) -> Paragraph:
        style = style or self.cell
        face = self.fonts.heading if style.fontName == self.fonts.heading.pdf_name else self.fonts.body
        return Para(markup(text or "", face, self.fonts), style)


def make_styles(fonts: FontSet, options: PrintOptions = PrintOptions()) -> Styles:
    body, hei = fonts.body.pdf_name, fonts.heading.pdf_name
    base = ParagraphStyle("base", fontName=body, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=base, fontSize=10, leading=14.5)
    return Styles(
        fonts=fonts,
        body=base,
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        figure=ParagraphStyle("figure", parent=cell, alignment=TA_RIGHT),
        head=ParagraphStyle("head", parent=cell, fontName=hei, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        heading=ParagraphStyle("heading", parent=base, fontName=hei, fontSize=14, leading=22, spaceBefore=8,
                               spaceAfter=6),
        subheading=ParagraphStyle("subheading", parent=base, fontName=hei, fontSize=11, leading=17, spaceBefore=8,
                                  spaceAfter=4),
        title=ParagraphStyle("title", parent=base, fontName=hei, fontSize=24, leading=40, alignment=TA_CENTER),
        cover_line=ParagraphStyle("cover_line", parent=base, fontSize=15, leading=30, alignment=TA_LEFT),
        sign=ParagraphStyle("sign", parent=cell, alignment=TA_RIGHT),
        options=options,
    )


# ---------------------------------------------------------------------------
# Text pieces
# ---------------------------------------------------------------------------

class Paragraphs(Protocol):
    """What :func:`pieces` needs of a part's styles: its cell style and its paragraphs."""

    @property
    def cell(self) -> ParagraphStyle: ...

    def p(self, text: str | None, style: ParagraphStyle) -> Paragraph: ...


class Lines(Flowable):
    """Short paragraphs one under the other in one cell (the items of a list): they
    follow each other evenly, where rows of their own would be stretched by a cell beside."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self._content = content  # the name reportlab's containers use

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = [part.wrap(availWidth, availHeight) for part in self._content]
        self.width = availWidth
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for part, (_, h) in zip(self._content, self._sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The paragraphs that fit ``availHeight`` (the last one cut between lines), and the rest."""
        kept: list[Flowable] = []
        used = 0.0
        rest = list(self._content)
        while rest:
            part = rest[0]
            _, h = part.wrap(availWidth, availHeight)
            if used + h <= availHeight + 0.01:
                kept.append(rest.pop(0))
                used += h
                continue
            cut = part.split(availWidth, availHeight - used) if not isinstance(part, Spacer) else []
            if len(cut) == 2:
                kept.append(cut[0])
                rest[0] = cut[1]
            break
        while kept and isinstance(kept[-1], Spacer):
            kept.pop()
        if not kept or not rest:
            return []
        return [Lines(kept), Lines(rest)]


def _paragraphs(text: str | None) -> list[str | None]:
    """A text's paragraphs (its lines); ``None`` for blank lines between them, one for
    several, none at either end."""
    out: list[str | None] = []
    for line in (text or "").split("\n"):
        if line.strip():
            out.append(line)
        elif out and out[-1] is not None:
            out.append(None)
    while out and out[-1] is None:
        out.pop()
    return out


def _count(para: Flowable, width: float, style: ParagraphStyle) -> int:
    _, height = para.wrap(width, 1e6)
    return max(1, round(height / style.leading))


def pieces(s: Paragraphs, text: str | None, width: float, style: ParagraphStyle | None = None,
           lines: int = PIECE_LINES, *, together: bool = False) -> list[Flowable]:
    """A long text as flowables of at most ``lines`` lines each, cut where the
    text wraps anyway, so that the rows of a table that hold them read as one
    cell and the table can break between pages between any two of them.

    The text's lines (a list's items) follow each other in a piece; a blank line
    between them is half a line, not a line and a half. No piece but the first is a
    single line where the one before can give it company (no line left alone on
    the next page under （续））. With ``together`` the whole text is one paragraph
    (a word and its note in one cell)."""
    style = style or s.cell
    out: list[list[Flowable]] = []
    chunk: list[Flowable] = []
    used = 0.0  # lines in the chunk
    for paragraph in [text or ""] if together else _paragraphs(text):
        if paragraph is None:
            if chunk:
                chunk.append(Spacer(1, style.leading / 2))
                used += 0.5
            continue
        rest: Flowable = s.p(paragraph, style)
        while True:
            count = _count(rest, width, style)
            room = int(lines - used)
            if count <= room:
                chunk.append(rest)
                used += count
                break
            parts = rest.split(width, style.leading * room + 1) if room >= 1 else []
            if len(parts) == 2:
                chunk.append(parts[0])
                rest = parts[1]
            elif not chunk:  # cannot be cut (no room): a piece of its own
                chunk.append(rest)
                break
            out.append(chunk)
            chunk, used = [], 0.0
    if chunk:
        out.append(chunk)
    _no_lone_line(out, width, style)
    return [c[0] if len(c) == 1 else Lines(c) for c in out] or [Spacer(1, style.leading)]


def _no_lone_line(chunks: list[list[Flowable]], width: float, style: ParagraphStyle) -> None:
    """The last piece of one line takes the last whole paragraph of the piece before it."""
    if len(chunks) < 2 or len(chunks[-1]) != 1 or _count(chunks[-1][0], width, style) != 1:
        return
    before = chunks[-2]
    while before and isinstance(before[-1], Spacer):
        before.pop()
    if len(before) > 1 and not getattr(before[-1], "_splitpara", False):
        chunks[-1].insert(0, before.pop())


#: Most characters of a run's text repeated at the top of the next page (the text itself
#: is printed in full where the run starts).
CARRY_CHARS = 40


@dataclass(frozen=True)
class Carry:
    """A cell whose text heads a run of rows, repeated where a page break cuts the run."""

    text: str
    continued: bool = True  # print （续） after the text on the next page


class FormTable(Table):
    """A table whose rows may break between pages anywhere.

    ``carry`` maps a column to the rows that start a run in it (a label beside a
    long text, an indicator's 评价内容 over several indicators). Where a page
    break falls inside a run, the next page's first row repeats the run's text,
    so no page starts with an unlabelled cell. Merged-looking cells are runs of
    rows rather than spans: reportlab cannot break a table inside a span.
    """

    def __init__(self, data: list[list[Any]], *args: Any, carry: dict[int, dict[int, Carry]] | None = None,
                 styles: Styles | None = None, spreads: Sequence[Spread] = (), **kw: Any) -> None:
        kw.setdefault("longTableOptimize", 0)  # split parts re-measure their rows
        super().__init__(data, *args, **kw)
        self._carry = carry or {}
        self._styles = styles
        #: Texts read as one cell down several rows (see :func:`_spread`).
        self._spreads = list(spreads)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        inside_row = False
        if len(parts) == 2:
            n = parts[0]._nrows
            gap = availHeight - sum(self._rowHeights[:n])
            if gap >= FILL_AT_LEAST and self._text_row(n):
                # The page has room for more lines of the next row's text: it is cut there.
                cut = self._splitRows(availHeight, doInRowSplit=True)
                if len(cut) == 2:
                    parts, inside_row = cut, True
        if len(parts) != 2:
            return parts
        first, second = parts
        assert isinstance(first, FormTable) and isinstance(second, FormTable)
        head = self._head()
        # The row of this table that heads the second part (cut, it is in both).
        start = first._nrows - 1 if inside_row else first._nrows
        # A table closes with a rule at the foot of a page, and opens again under its
        # repeated header at the head of the next.
        first.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), LINE, colors.black)]))
        second.setStyle(TableStyle([("LINEABOVE", (0, head), (-1, head), LINE, colors.black)]))
        second._styles = self._styles
        if self._spreads and self._styles is not None:
            self._split_spreads(first, second, start, inside_row, availWidth, availHeight)
        if not self._carry or self._styles is None:
            return [first, second]
        carried: dict[int, dict[int, Carry]] = {}
        for col, runs in self._carry.items():
            moved = {row - start + head: c for row, c in runs.items() if row > start or (row == start and not inside_row)}
            inside = max((row for row in runs if row < start or (row == start and inside_row)), default=None)
            # Where a piece of the run's own text continues here, it stays: it is the text.
            cell = second._cellvalues[head][col]
            if isinstance(cell, list | tuple) and len(cell) == 0:
                cell = ""
            if inside is not None and head not in moved and (cell in ("", None) or isinstance(cell, Spacer)):
                run = runs[inside]
                text = run.text if len(run.text) <= CARRY_CHARS else run.text[: CARRY_CHARS - 1] + "…"
                text = f"{text}（续）" if run.continued else text
                second._cellvalues[head][col] = self._styles.p(text, self._styles.cell_center)
                moved[head] = run
            carried[col] = moved
        second._carry = carried
        return [first, second]

    def _text_row(self, n: int) -> bool:
        """Whether row ``n`` holds only pieces of text, which may be cut between lines."""
        if n >= self._nrows or any(n in (sp.first, sp.last) for sp in self._spreads):
            return False
        cells = [v for cell in self._cellvalues[n]
                 for v in (cell if isinstance(cell, list | tuple) else [cell]) if v not in ("", None)]
        return bool(cells) and all(isinstance(v, Paragraph | Lines) for v in cells)

    def _head(self) -> int:
        return self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)

    def _split_spreads(self, first: Any, second: Any, start: int, inside_row: bool, width: float,
                       height: float) -> None:
        """A page break inside a merged cell: the lines that fit its rows on this page stay
        here, at their top; the next page's first row says what the cell is, with （续）,
        and goes on with the rest."""
        assert self._styles is not None
        head = self._head()
        first._spreads, second._spreads = [], []
        first.wrap(width, height)
        cell = self._cellStyles
        for sp in self._spreads:
            if sp.last < start:
                first._spreads.append(sp)
                continue
            if sp.first > start or (sp.first == start and not inside_row):
                second._spreads.append(replace(sp, first=sp.first - start + head, last=sp.last - start + head))
                continue
            room = (sum(first._rowHeights[sp.first:]) - cell[sp.first][sp.col].topPadding
                    - cell[start - 1][sp.col].bottomPadding)
            kept, rest = _cut_lines(sp.content, sp.width, int((room + 0.01) // sp.leading))
            first._cellvalues[sp.first][sp.col] = Overflow(kept, 0)
            first._spreads.append(replace(sp, last=first._nrows - 1, content=kept, offset=0))
            # The next page: what the cell is, with （续）, then the rest of its text.
            content = [self._styles.p(f"{sp.label}（续）", sp.style), *rest]
            moved = replace(sp, first=head, last=sp.last - start + head, content=content, offset=0)
            second._cellvalues[head][sp.col] = Overflow(content, 0)
            text_h = sum(part.wrap(sp.width, 1e7)[1] for part in content)
            rows = self._rowHeights[start:sp.last + 1]
            inside = sum(rows) - cell[start][sp.col].topPadding - cell[sp.last][sp.col].bottomPadding
            if text_h > inside:  # its last row there takes what is left
                above = sum(rows[:-1]) - cell[start][sp.col].topPadding
                if moved.last == head:
                    second._cellvalues[head][sp.col] = [Overflow(content, 0), Spacer(1, text_h)]
                else:
                    second._cellvalues[moved.last][sp.col] = Spacer(1, text_h - above - cell[sp.last][sp.col].topPadding)
            second._spreads.append(moved)


def grid_style(s: Styles, header_rows: int = 0) -> list[tuple[Any, ...]]:
    style: list[tuple[Any, ...]] = [
        # Even empty cells set a font: it must be an embedded one.
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
        ("BOX", (0, 0), (-1, -1), LINE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
    ]
    if header_rows:
        style.append(("GRID", (0, 0), (-1, header_rows - 1), LINE, colors.black))
        style.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), LINE, colors.black))
    return style


def stack(columns: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The rows of one logical row whose cells run over several table rows: column
    ``i`` holds ``columns[i][k]`` in its ``k``-th row, blank below its end."""
    height = max([1, *(len(c) for c in columns)])
    return [[c[k] if k < len(c) else "" for c in columns] for k in range(height)]


def block_style(style: list[tuple[Any, ...]], first: int, last: int, ncols: int, *, line_from: int = 0,
                 tight_from: int = 0) -> None:
    """Lines around a block of rows and between its columns, none between its rows; from
    column ``tight_from`` on, its pieces of text follow each other with no gap."""
    style.append(("LINEBELOW", (line_from, last), (-1, last), LINE, colors.black))
    for c in range(1, ncols):
        style.append(("LINEBEFORE", (c, first), (c, last), LINE, colors.black))
    if last > first:
        style.append(("VALIGN", (tight_from, first), (-1, last), "TOP"))
        style.append(("TOPPADDING", (tight_from, first + 1), (-1, last), 0))
        style.append(("BOTTOMPADDING", (tight_from, first), (-1, last - 1), 0))


def block_rows(
    s: Styles,
    label: str | None,
    columns: Sequence[str | None],
    widths: Sequence[float],
    first_row: int,
    style: list[tuple[Any, ...]],
    carry: dict[int, Carry] | None,
    *,
    line_from: int = 0,
) -> list[list[Any]]:
    """Rows for one logical row whose long texts continue over several table rows.

    The label sits in column 0 of the first row; texts fill the other columns
    piece by piece; lines are drawn around the block, not between its pieces.
    """
    texts = [pieces(s, text, w - 2 * PAD) for text, w in zip(columns, widths, strict=True)]
    rows = stack([[s.p(label, s.cell_center)] if label else [], *texts])
    last = first_row + len(rows) - 1
    block_style(style, first_row, last, 1 + len(columns), line_from=line_from, tight_from=1)
    style.append(("VALIGN", (1, first_row), (-1, last), "TOP"))
    if label and carry is not None:
        carry[first_row] = Carry(label)
    return rows


@dataclass(frozen=True)
class Spread:
    """A text in column ``col`` that reads as one cell down rows ``first`` to ``last``."""

    col: int
    first: int
    last: int
    label: str  # what the cell is, repeated with （续） where a page breaks it
    style: ParagraphStyle
    content: list[Flowable] = field(default_factory=list)
    offset: float = 0.0
    width: float = 0.0

    @property
    def leading(self) -> float:
        return float(self.style.leading)


class Overflow(Flowable):
    """A merged cell's text: drawn down from the top of its first row over the rows under
    it (their cells in its column stay empty), line after line at its own spacing,
    whatever the rows' heights. It takes no height of its own in its row."""

    def __init__(self, content: list[Flowable], offset: float) -> None:
        super().__init__()
        self._content = content  # the name reportlab's containers use
        self.offset = offset

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = [part.wrap(availWidth, 1e7) for part in self._content]
        self.width = availWidth
        self.height = 0
        return availWidth, 0

    def draw(self) -> None:
        y = -self.offset
        for part, (_, h) in zip(self._content, self._sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)


def _cut_lines(content: list[Flowable], width: float, lines: int) -> tuple[list[Flowable], list[Flowable]]:
    """The first ``lines`` lines of a merged cell's text, and the rest."""
    kept: list[Flowable] = []
    rest = list(content)
    while rest and lines > 0:
        part = rest.pop(0)
        _, height = part.wrap(width, 1e7)
        leading = getattr(getattr(part, "style", None), "leading", height) or height
        count = max(1, round(height / leading))
        if count <= lines:
            kept.append(part)
            lines -= count
            continue
        part.allowOrphans = 1  # one line may end the page: the cell goes on on the next
        try:
            pieces_ = part.split(width, lines * leading + 0.01)
        finally:
            del part.allowOrphans  # the paragraph may be printed elsewhere too
        if len(pieces_) == 2:
            kept.append(pieces_[0])
            rest.insert(0, pieces_[1])
        else:
            rest.insert(0, part)
        break
    return kept, rest


#: A merged cell's text taller than this (typed so) runs on piece by piece in its rows
#: and rows added below them, as a long text does, rather than in one cell.
LONG_SPREAD = 250
#: A merged cell at most this tall has its text in its middle, as on paper; a taller one
#: (it may run over pages) has it at its top.
CENTRED_UP_TO = 200


def _spread(s: Styles, data: list[list[Any]], widths: Sequence[float], style: list[tuple[Any, ...]],
            spreads: list[Spread]) -> list[Spread]:
    """Put each merged cell's text in its first row as an :class:`Overflow`, drawn down
    its rows; where the rows are shorter than the text, the last one is made taller.
    Merged cells are rows, not spans, so the table still breaks between pages inside
    them (reportlab cannot break inside a span): :meth:`FormTable.split` cuts the text."""
    for sp in spreads:
        for r in range(sp.first, sp.last + 1):
            data[r][sp.col] = ""
    probe = Table(data, colWidths=list(widths))
    probe.setStyle(TableStyle(style))
    probe.wrap(sum(widths), 1e7)
    heights = list(probe._rowHeights)
    cells = probe._cellStyles
    placed: list[Spread] = []
    # Narrower merged cells first: a taller last row of theirs moves the ones around them.
    for sp in sorted(spreads, key=lambda sp: -sp.col):
        width = widths[sp.col] - 2 * PAD
        content = list(sp.content) or [s.p(sp.label, sp.style)]
        text_h = sum(part.wrap(width, 1e7)[1] for part in content)
        top = cells[sp.first][sp.col].topPadding
        last_top, bottom = cells[sp.last][sp.col].topPadding, cells[sp.last][sp.col].bottomPadding
        group = sum(heights[sp.first:sp.last + 1])
        inside = group - top - bottom
        offset = (inside - text_h) / 2 if inside > text_h and group <= CENTRED_UP_TO else 0.0
        if sp.last == sp.first:
            data[sp.first][sp.col] = [Overflow(content, offset), Spacer(1, text_h)]
        else:
            data[sp.first][sp.col] = Overflow(content, offset)
            if text_h > inside:  # the last row takes what is left of the text
                rest = text_h + top - sum(heights[sp.first:sp.last]) - last_top
                data[sp.last][sp.col] = Spacer(1, rest)
                heights[sp.last] = max(heights[sp.last], rest + last_top + bottom)
        placed.append(replace(sp, content=content, offset=offset, width=width))
    return placed


#: How much of a table its heading keeps with it: the header and this many rows ...
START_ROWS = 2
#: ... but never more than this (a row of a long text may be eight lines tall).
START_MOST = 250


class StartFits(CondPageBreak):
    """Before a heading: a new page unless the heading, its table's header and its first
    rows fit on this one. (Keeping a heading with its whole table would leave the rest
    of a page blank whenever the table is longer than what is left.)"""

    def __init__(self, headings: Sequence[Flowable], table: Table, rows: int = START_ROWS) -> None:
        super().__init__(0)
        self.headings = list(headings)
        self.table = table
        self.rows = rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        need = 0.0
        for heading in self.headings:
            need += heading.wrap(availWidth, availHeight)[1] + heading.getSpaceBefore() + heading.getSpaceAfter()
        self.table.wrap(availWidth, 1e7)
        repeat = self.table.repeatRows if isinstance(self.table.repeatRows, int) else len(self.table.repeatRows)
        start = sum(self.table._rowHeights[: repeat + self.rows])
        self.height = need + min(start, START_MOST)
        return super().wrap(availWidth, availHeight)


def with_start(headings: Sequence[Flowable], table: Table) -> list[Flowable]:
    """Headings and their table, kept together as far as the table's first rows."""
    return [StartFits(headings, table), *headings, table]


def form_table(data: list[list[Any]], widths: Sequence[float], style: list[tuple[Any, ...]], s: Styles,
           *, repeat: int = 0, carry: dict[int, dict[int, Carry]] | None = None,
           spreads: Sequence[Spread] = ()) -> FormTable:
    table = FormTable(data, carry=carry, styles=s, colWidths=list(widths), repeatRows=repeat, spreads=spreads)
    table.setStyle(TableStyle(style))
    return table


# ---------------------------------------------------------------------------
# The parts of the form
# ---------------------------------------------------------------------------


#: The cover's type as printed for a usual name, and the least it shrinks to for a long one.
COVER_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
#: The cover's gaps above the title and below it, as printed for a usual name.
COVER_GAPS = (55 * mm, 45 * mm)


def _cover(report: Report, s: Styles) -> list[Flowable]:
    """The cover, on one page: a long department name (up to 60 characters and more)
    sets the title and the lines below it smaller and closes the gaps, rather than
    pushing 评价机构 and 报告时间 onto a second page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cover = report.data["cover"]
    name = cover["dept_name"] or ""
    year = f"{cover['year']}年度" if cover["year"] else "    年度"
    room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 2  # a little under the frame, for rounding
    values = [v for v in form.COVER.values() if v.key != "year"]
    texts = [format_value(v, cover[v.key]) or (report.default_text(f"cover.{v.key}") or "") for v in values]
    for scale in COVER_SCALES:
        title = ParagraphStyle(f"title{scale}", parent=s.title, fontSize=s.title.fontSize * scale,
                               leading=s.title.leading * scale)
        line = ParagraphStyle(f"cover_line{scale}", parent=s.cover_line, fontSize=s.cover_line.fontSize * scale,
                              leading=s.cover_line.leading * scale)
        label_w = max(stringWidth(f"{v.label}：", line.fontName, line.fontSize) for v in values) + 8
        first, second = PAPER.title_lines
        head = [s.p(f"{name}{year}{first}", title), s.p(second, title)]
        value_w = FRAME_W - label_w - 6 * mm
        rows: list[list[Any]] = []
        for value, text in zip(values, texts, strict=True):
            # A name longer still runs on over more rows (and pages), never one row taller than a page.
            rows += stack([[s.p(f"{value.label}：", line)], pieces(s, text, value_w - 6, line)])
        table = Table(rows, colWidths=[label_w, value_w], hAlign="CENTER")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 2),
        ]))
        used = sum(f.wrap(FRAME_W, room)[1] for f in [*head, table])
        spare = room - used
        if spare >= 0.6 * sum(COVER_GAPS) or scale == COVER_SCALES[-1]:
            break
    # The usual gaps where they fit; else the room there is, shared in the same proportion.
    share = max(0.0, min(1.0, spare / sum(COVER_GAPS)))
    top, middle = (gap * share for gap in COVER_GAPS)
    return [Spacer(1, top), *head, Spacer(1, middle), table, PageBreak()]


def _basics(report: Report, s: Styles) -> list[Flowable]:
    basics = report.data["basics"]
    fields = {v.key: v for v in form.BASICS.values()}
    label_w = 30 * mm
    value_w = (FRAME_W - 2 * label_w) / 2
    style = grid_style(s)
    data: list[list[Any]] = []
    # The short fields two a row, in the order of the form; the long texts below, across.
    short = [v.key for v in form.BASICS.values() if v.kind != "longtext"]
    for at in range(0, len(short), 2):
        cells: list[list[Any]] = []
        for key in short[at:at + 2]:
            text = format_value(fields[key], basics.get(key))
            cells += [[s.p(fields[key].label, s.cell_center)], pieces(s, text, value_w - 2 * PAD, s.cell_center)]
        while len(cells) < 4:
            cells.append([""])
        first = len(data)
        data += stack(cells)
        block_style(style, first, len(data) - 1, 4)
    long_from = len(data)
    labels: dict[int, Carry] = {}
    for key in (v.key for v in form.BASICS.values() if v.kind == "longtext"):
        first = len(data)
        rows = block_rows(s, fields[key].label, [basics.get(key)], [FRAME_W - label_w], first, style, labels)
        for r in rows:
            data.append([r[0], r[1], "", ""])
    # The long texts run across the three value columns.
    for i in range(long_from, len(data)):
        style.append(("SPAN", (1, i), (3, i)))
    return with_start([s.p(form.BASICS.label, s.heading)],
                      form_table(data, [label_w, value_w, label_w, value_w], style, s, carry={0: labels}))


def header_grid(table: InstitutionRows) -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The multi-level header of an institution table, derived from its groups.

    Returns the header rows (``机构名称`` first) and the spans as
    ``((col, row), (col, row))`` pairs. A column sits under the groups that
    cover it; its label spans down to the last header row.
    """
    keys = [c.key for c in table.columns]
    index = {k: i + 1 for i, k in enumerate(keys)}

    def covers(group: tuple[str, str, str], key: str) -> bool:
        return index[group[1]] <= index[key] <= index[group[2]]

    chains = {k: [g for g in table.groups if covers(g, k)] for k in keys}
    for chain in chains.values():
        chain.sort(key=lambda g: index[g[2]] - index[g[1]], reverse=True)
    depth = 1 + max((len(c) for c in chains.values()), default=0)
    grid = [["" for _ in range(len(keys) + 1)] for _ in range(depth)]
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    grid[0][0] = form.INSTITUTIONS.item_label
    spans.append(((0, 0), (0, depth - 1)))
    placed: set[tuple[str, str, str]] = set()
    for key in keys:
        chain = chains[key]
        for level, group in enumerate(chain):
            if group in placed:
                continue
            placed.add(group)
            grid[level][index[group[1]]] = group[0]
            spans.append(((index[group[1]], level), (index[group[2]], level)))
        row = len(chain)
        grid[row][index[key]] = table.row.child(key).label
        if row < depth - 1:
            spans.append(((index[key], row), (index[key], depth - 1)))
    return grid, spans


def institution_rows(report: Report, table: InstitutionRows) -> list[tuple[str, dict[str, Any] | None]]:
    """(label, row as printed) for the summary row then each institution, with the
    paper's blank placeholders when there is no 二级机构."""
    summary = report.shown_summary(table)
    rows: list[tuple[str, dict[str, Any] | None]] = [(form.SUMMARY_LABEL, summary)]
    for i, (name, row) in enumerate(zip(report.institutions, report.data[table.key], strict=True)):
        rows.append((form.institution_label(i, name), report.effective_row(table, row)))
    if len(report.institutions) == 1:
        for j, name in enumerate(form.PLACEHOLDER_INSTITUTIONS, start=1):
            rows.append((form.institution_label(j, name), None))
    return rows


def _institution_table(report: Report, table: InstitutionRows, s: Styles) -> Flowable:
    grid, spans = header_grid(table)
    depth = len(grid)
    name_w = 40 * mm
    ncols = len(table.columns)
    widths = [name_w] + [(FRAME_W - name_w) / ncols] * ncols
    data: list[list[Any]] = [[s.p(text, s.head) if text else "" for text in row] for row in grid]
    style = grid_style(s, depth)
    for label, row in institution_rows(report, table):
        cells: list[list[Any]] = [pieces(s, label, name_w - 2 * PAD)]  # a long name runs on below
        for column in table.columns:
            cells.append([s.p(format_value(column, row[column.key], s.options.amounts) if row else "", s.figure)])
        first = len(data)
        data += stack(cells)
        block_style(style, first, len(data) - 1, len(cells))
    style += [("SPAN", a, b) for a, b in spans]
    return form_table(data, widths, style, s, repeat=depth)


def _money(report: Report, s: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    heading: list[Flowable] = [s.p(PAPER.money_section, s.heading)]
    for table in form.INSTITUTION_TABLES:
        out += with_start([*heading, s.p(table.label, s.subheading)], _institution_table(report, table, s))
        heading = []
    return out


def _qualitative(report: Report, s: Styles) -> list[Flowable]:
    label_w = FIRST_COL
    col_w = (FRAME_W - label_w) / 2
    columns = form.QUALITATIVE.columns
    data: list[list[Any]] = [[s.p("", s.head)] + [s.p(c.label, s.head) for c in columns]]
    style = grid_style(s, 1)
    rows = report.data["qualitative"] or [{c.key: None for c in columns}]
    for row in rows:
        first = len(data)
        data += block_rows(s, None, [row[c.key] for c in columns], [col_w, col_w], first, style, None,
                            line_from=1)
    # The section label heads the first column, as on paper; a continued page repeats it.
    style.append(("VALIGN", (0, 1), (0, -1), "TOP"))
    style.append(("LINEAFTER", (0, 0), (0, -1), LINE, colors.black))
    widths = [label_w, col_w, col_w]
    placed = _spread(s, data, widths, style, [Spread(0, 1, len(data) - 1, form.QUALITATIVE.label, s.cell_center)])
    return with_start([s.p(PAPER.performance_section, s.heading)],
                      form_table(data, widths, style, s, repeat=1, carry={0: {1: Carry(form.QUALITATIVE.label)}},
                             spreads=placed))


def _indicators(report: Report, s: Styles) -> list[Flowable]:
    rows = report.data["indicators"] or [{c.key: None for c in form.INDICATORS.columns}]
    widths = [FIRST_COL, 26 * mm, 20 * mm, 30 * mm, 28 * mm]
    widths.append(FRAME_W - sum(widths))
    cols = {c.key: c for c in form.INDICATORS.columns}
    head = [s.p("", s.head), s.p(cols["level1"].label, s.head), "", "",
            s.p(cols["target"].label, s.head), s.p(cols["actual"].label, s.head)]
    data: list[list[Any]] = [head]
    style = grid_style(s, 1)
    style.append(("SPAN", (1, 0), (3, 0)))
    carry: dict[int, dict[int, Carry]] = {0: {1: Carry(form.INDICATORS.label)}, 1: {}, 2: {}, 3: {}}
    # Equal consecutive 评价内容 read as one cell: the text (and 产出目标's note) once, down
    # the run's rows, no line inside the run; a page break repeats it with （续）. A text
    # longer than a page could hold (typed so) runs on piece by piece below its rows.
    runs: list[tuple[int, int, int, str, Flowable]] = []  # column, first and last indicator, word, text
    waiting_for: dict[int, dict[int, list[Flowable]]] = {1: {}, 2: {}}
    for key, col in (("level1", 1), ("level2", 2)):
        values = [r[key] for r in rows]
        for a, b in form.merge_runs(values):
            value = values[a] or ""
            text = level1_text(value) if key == "level1" else value
            para = s.p(text, s.cell_center)
            if para.wrap(widths[col] - 2 * PAD, 1e7)[1] > LONG_SPREAD:
                waiting_for[col][a] = pieces(s, text, widths[col] - 2 * PAD, s.cell_center, together=True)
            runs.append((col, a, b, value, para))
    ends_at = {(col, a): b for col, a, b, _, _ in runs}
    waiting: dict[int, list[Flowable]] = {1: [], 2: []}
    ending: dict[int, int] = {1: -1, 2: -1}
    starts: list[int] = []
    for i, row in enumerate(rows):
        first = len(data)
        starts.append(first)
        for col in (1, 2):
            if i in waiting_for[col]:
                waiting[col] = list(waiting_for[col][i])
                ending[col] = ends_at[(col, i)]
        texts = [pieces(s, row[k], w - 2 * PAD) for k, w in (("name", widths[3]), ("target", widths[4]),
                                                              ("actual", widths[5]))]
        height = max([1, *(len(t) for t in texts), *(len(waiting[c]) for c in (1, 2) if ending[c] == i)])
        for k in range(height):
            data.append(["", *(waiting[c].pop(0) if waiting[c] else "" for c in (1, 2)),
                         *(t[k] if k < len(t) else "" for t in texts)])
        last = len(data) - 1
        carry[3][first] = Carry(row["name"] or "", continued=False)
        block_style(style, first, last, 6, line_from=3, tight_from=1)
        style.append(("VALIGN", (1, first), (-1, last), "TOP"))
    ends = [*starts[1:], len(data)]
    spreads = [Spread(0, 1, len(data) - 1, form.INDICATORS.label, s.cell_center)]
    for col, a, b, value, para in runs:
        top, bottom = starts[a], ends[b] - 1
        if a not in waiting_for[col]:
            spreads.append(Spread(col, top, bottom, value, s.cell_center, [para]))
        carry[col][top] = Carry(value)
        style.append(("LINEBELOW", (col, bottom), (col, bottom), LINE, colors.black))
    style.append(("VALIGN", (0, 1), (0, -1), "TOP"))
    style.append(("LINEAFTER", (0, 0), (0, -1), LINE, colors.black))
    placed = _spread(s, data, widths, style, spreads)
    return [form_table(data, widths, style, s, repeat=1, carry=carry, spreads=placed)]


def _score(report: Report, s: Styles) -> list[Flowable]:
    score = report.data["score"]
    self_score = form.SCORE.child("self_score")
    assert isinstance(self_score, Value)
    from models.scoring import self_score as shown_score

    total = shown_score(report)  # as typed, else the sum of the 一级 scores
    value = format_value(self_score, total)
    grade = score["grade"] or report.band_of(total) or ""
    inner_w = FRAME_W - FIRST_COL - 2 * PAD
    score_text = f"{self_score.label}：{value}"
    grade_text = f"{form.SCORE.child('grade').label}：{grade}"
    note = pieces(s, f"{form.SCORE.child('bands').label}：{grades.bands_text(report.data['score']['bands'])}",
                  inner_w)
    cells: list[Any]
    if len(grade) <= 20:
        line = Table([[s.p(score_text), s.p(grade_text)]], colWidths=[inner_w * 0.45, inner_w * 0.55])
        line.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        cells = [[line, note[0]], *note[1:]]  # the score line and the 备注 in one cell, as on paper
    else:  # a grade longer than a word (stored before words were limited) runs on below
        cells = [s.p(score_text), *pieces(s, grade_text, inner_w), *note]
    data = stack([[s.p(form.SCORE.label, s.cell_center)], cells])
    style = grid_style(s)
    block_style(style, 0, len(data) - 1, 2, tight_from=1)
    return [form_table(data, [FIRST_COL, FRAME_W - FIRST_COL], style, s)]


def _sign_block(s: Styles, labels: Sequence[str]) -> Table:
    """Signature lines, one under the other with room to sign, then 年 月 日."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    inner = FRAME_W - 12
    gap = 40 * mm
    label_w = max(stringWidth(label, s.cell.fontName, s.cell.fontSize) for label in labels) + 2 * PAD + 2
    rows: list[list[Any]] = [["", s.p(label), ""] for label in labels]
    year, month, day = PAPER.date_words
    date = Table([[s.p(year), "", s.p(month), "", s.p(day)]],
                 colWidths=[6 * mm, 14 * mm, 6 * mm, 14 * mm, 6 * mm], hAlign="RIGHT")
    date.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    rows.append(["", date, ""])
    table = Table(rows, colWidths=[inner - label_w - gap, label_w, gap],
                  rowHeights=[9 * mm] * len(labels) + [8 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
        ("SPAN", (1, -1), (2, -1)),
        ("ALIGN", (1, -1), (2, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _signatures(report: Report, s: Styles) -> list[Flowable]:
    sig = report.data["signatures"]
    cols = form.EVALUATORS.columns
    widths = [28 * mm, 34 * mm]
    widths += [FRAME_W - sum(widths) - 38 * mm, 38 * mm]
    data: list[list[Any]] = [[s.p(c.label, s.head) for c in cols] + [s.p(PAPER.sign_column, s.head)]]
    people = list(sig["evaluators"])
    while len(people) < 4:
        people.append({c.key: None for c in cols})
    style = grid_style(s, 1)
    for person in people:
        first = len(data)
        # At least room to sign; a long name or title runs on below.
        data += stack([*(pieces(s, person[c.key], w - 2 * PAD, s.cell_center) for c, w in zip(cols, widths,
                                                                                              strict=False)),
                        [Spacer(1, 11 * mm - 2 * PAD)]])
        block_style(style, first, len(data) - 1, len(cols) + 1)
    table = FormTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    out: list[Flowable] = with_start([s.p(form.SIGNATURES.label, s.heading)], table)
    for opinion in form.OPINIONS:
        rows: list[list[Any]] = [[s.p(f"{opinion.label}：", s.subheading)]]
        rows += [[piece] for piece in pieces(s, sig[opinion.key], FRAME_W - 12)]
        rows.append([Spacer(1, 12 * mm)])
        rows.append([_sign_block(s, opinion.sign_lines)])
        block = Table(rows, colWidths=[FRAME_W])
        block.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.body.pdf_name),
            ("BOX", (0, 0), (-1, -1), LINE, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ]))
        out.append(KeepTogether([block]) if len(rows) < 14 else block)
    return out


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def footer_text(report: Report, fingerprint: str, name: str | None = None) -> str:
    name = name if name is not None else (report.dept_name or "（未填部门名称）")
    year = f"{report.year}年度" if report.year else ""
    return f"{name} {year} {short_title(report)}　数据指纹 {fingerprint}"


def short_title(report: Report) -> str:
    """What the footer calls the document: the paper's short title, or the title of the
    report's own form where that is of another family."""
    return report.form.title if report.flat else PAPER.short_title


#: The footer's type size, and the size of the QR code with its quiet zone.
FOOTER_SIZE = 8.5
QR_SIZE = 20 * mm
#: Light modules around the code, as the standard asks (ISO/IEC 18004: four).
QR_QUIET = 4
#: The footer's lines: the rule, the text (one or two lines), the page number; from the page's foot.
RULE_Y, TEXT_Y, SECOND_Y, NUMBER_Y = 22 * mm, 18.5 * mm, 15 * mm, 9.5 * mm
QR_Y = 4 * mm  # the foot of the code's quiet zone: the code itself starts above a printer's unprintable edge


def footer_lines(report: Report, fingerprint: str, font: str, width: float) -> list[str]:
    """The footer's text in ``width``: one line where it fits; else the department on a
    line of its own (shortened with … where even that is too long) above the year and the
    fingerprint. The fingerprint is always printed whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(text: str) -> bool:
        return stringWidth(text, font, FOOTER_SIZE) <= width

    whole = footer_text(report, fingerprint)
    if fits(whole):
        return [whole]
    name = report.dept_name
    rest = footer_text(report, fingerprint, "").strip()
    if fits(name):
        return [name, rest]
    low, high = 0, len(name)  # the longest start of the name that fits, with "…"
    while low < high:
        middle = (low + high + 1) // 2
        if fits(name[:middle] + "…"):
            low = middle
        else:
            high = middle - 1
    return [name[:low] + "…", rest]


def qr_payload(report: Report, fingerprint: str) -> str:
    """What the QR code on each page carries: the fingerprint and the year. Capital
    letters, digits and spaces only (the QR code's alphanumeric mode), so the code has
    25 × 25 modules whatever the department's name, and reads from an office scan.
    ``verify`` takes it, or the fingerprint alone, or the older codes that named the department."""
    return f"ZIPING {fingerprint.upper()} {report.year or ''}".rstrip()


class BindingFrame(Frame):
    """The text area of a page; printed on both sides, its binding edge (the wider
    margin) is on the left of odd pages and on the right of even ones."""

    def place(self, page: int, duplex: bool, page_width: float) -> None:
        state = self.__dict__
        odd: float = state.setdefault("_odd_x", state["_x1"])
        width: float = state["_width"]
        x = page_width - odd - width if duplex and page % 2 == 0 else odd
        if x != self._x1:
            self.x1 = x


def margins(page: int, duplex: bool) -> tuple[float, float]:
    """(left, right) margins of page ``page`` (from 1)."""
    return (MARGIN_RIGHT, MARGIN_LEFT) if duplex and page % 2 == 0 else (MARGIN_LEFT, MARGIN_RIGHT)


@cache
def _qr_encoder() -> Any:
    """reportlab's QR encoder, without importing reportlab.graphics.barcode.

    The encoder is one self-contained module, but importing it the usual way
    runs the barcode package, which loads every barcode widget: a tenth of a
    second of each PDF's start-up. Loaded from its file it costs two
    milliseconds; the usual import remains the fallback.
    """
    import importlib.util
    from pathlib import Path

    import reportlab

    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("_ziping_qrencoder", path)
    if spec is not None and spec.loader is not None and path.exists():
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    from reportlab.graphics.barcode import qrencoder  # pragma: no cover

    return qrencoder  # pragma: no cover


@lru_cache(maxsize=16)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a QR code of ``payload``, error level Q
    (a quarter of the code may be smudged or stamped over).

    Kept for the last few payloads: preview, print and export of one version
    encode it once.
    """
    encoder = _qr_encoder()
    code = encoder.QRCode(None, encoder.QRErrorCorrectLevel.Q)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, _best_mask(encoder, code))
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


#: The finder-like run the encoder penalises (its rule 3), as text of 1s and 0s.
_FINDER_RUN = "10111010000"


def _best_mask(encoder: Any, code: Any) -> int:
    """The mask the encoder's own ``make()`` would choose (the lowest of its penalty
    scores), scored on text and integers instead of lists: a tenth of the time."""
    code.makeImpl(True, 0)
    n = len(code.modules)
    base = [row[:] for row in code.modules]
    # Fewer bits than places: the places left over are taken below.
    data = list(zip(code.dataPosIterator(), code.dataBitIterator(code.dataCache), strict=False))
    best, best_score = 0, None
    for k in range(8):
        mask = encoder.QRUtil.getMask(k)
        rows = [row[:] for row in base]
        for (col, row), dark in data:
            rows[row][col] = dark ^ mask(row, col)
        # Positions past the data bits keep mask 0's light-xor-mask value; give them mask k's.
        for col, row in code.dataPosIterator()[len(data):]:
            rows[row][col] = False ^ mask(row, col)
        text = ["".join("1" if m else "0" for m in row) for row in rows]
        columns = ["".join(column) for column in zip(*text, strict=True)]
        score = _penalty(text, columns, n)
        if best_score is None or score < best_score:
            best, best_score = k, score
    return best


def _penalty(rows: list[str], columns: list[str], n: int) -> int:
    """reportlab's QRUtil.getLostPoint of a matrix given as rows and columns of 1s and 0s."""
    score = 0
    for line in (*rows, *columns):  # rule 1: runs of five or more alike
        for run in _RUNS.findall(line):
            score += len(run) - 2
    ints = [int(row, 2) for row in rows]
    inner = (1 << (n - 1)) - 1
    for upper, lower in zip(ints, ints[1:], strict=False):  # rule 2: 2×2 blocks alike
        alike = ~(upper ^ lower)
        score += 3 * ((alike & (alike >> 1) & ~(upper ^ (upper >> 1))) & inner).bit_count()
    # Rule 3: the finder-like run, left to right, not overlapping, and not reaching the
    # last module. The encoder scores its columns too, but compares a tuple with a list
    # there, which is never equal: so rows only, to choose the same mask.
    for line in rows:
        j = line.find(_FINDER_RUN, 0, n - 1)
        while j >= 0:
            score += 40
            j = line.find(_FINDER_RUN, j + len(_FINDER_RUN), n - 1)
    dark = sum(row.count("1") for row in rows)  # rule 4: the share of dark modules
    score += 10 * (abs(100 * dark // (n * n) - 50) // 5)
    return score


_RUNS = re.compile(r"0{5,}|1{5,}")


def draw_qr(canvas: Canvas, payload: str, size: float) -> None:
    """A QR code of ``payload``, ``size`` points wide, at the canvas's origin (the
    footer's code, for other pages the program prints: the 报送回执)."""
    _draw_qr(canvas, payload, size)


def _draw_qr(canvas: Canvas, payload: str, size: float) -> None:
    """A QR code of ``payload`` as filled squares, ``size`` points wide with its quiet
    zone, at the origin."""
    matrix = qr_matrix(payload)
    count = len(matrix)
    quiet = QR_QUIET
    module = size / (count + 2 * quiet)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for r in range(count):
        c = 0
        while c < count:
            if matrix[r][c]:
                start = c
                while c < count and matrix[r][c]:
                    c += 1
                x = (start + quiet) * module
                y = size - (r + quiet + 1) * module
                path.rect(x, y, (c - start) * module, module)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)


def part_a_texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text printed from the report's data, with the path it comes from."""
    d = report.data
    for section in (form.COVER, form.BASICS):
        for value in section.values():
            v = d[section.key][value.key]
            if isinstance(v, str):
                yield f"{section.tab}·{value.label}", v
    for i, name in enumerate(d["institutions"]):
        yield f"{form.INSTITUTIONS.label} {i + 1}", name
    for table in (form.QUALITATIVE, form.INDICATORS):
        for i, row in enumerate(d[table.key]):
            for c in table.columns:
                if isinstance(row[c.key], str):
                    yield f"{table.row.label}第 {i + 1} 行·{c.label}", row[c.key]
    score = f"{form.SCORE.tab}·{form.SCORE.child('grade').label}"
    if d["score"]["grade"]:
        yield score, d["score"]["grade"]
    for _, word in d["score"]["bands"]:
        yield f"{score}档次", word
    for i, person in enumerate(d["signatures"]["evaluators"]):
        for c in form.EVALUATORS.columns:
            if isinstance(person[c.key], str):
                yield f"{form.EVALUATORS.label}第 {i + 1} 行·{c.label}", person[c.key]
    for opinion in form.OPINIONS:
        if d["signatures"][opinion.key]:
            yield opinion.label, d["signatures"][opinion.key]


def check_glyphs(report: Report, fonts: FontSet | None = None) -> None:
    """Raise :class:`MissingGlyphs` before printing if any character would be lost."""
    fonts = fonts or FontSet()
    lost = missing(part_a_texts(report), fonts)
    if lost:
        raise MissingGlyphs(lost)


def story(report: Report, s: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    out += _cover(report, s)
    out += _basics(report, s)
    out += _money(report, s)
    out += _qualitative(report, s)
    out.append(Spacer(1, 3 * mm))
    out += _indicators(report, s)
    out += _score(report, s)
    out += _signatures(report, s)
    return out


def faces_used(fonts: FontSet | None = None) -> tuple[Face, Face]:
    fonts = fonts or FontSet()
    return fonts.body, fonts.heading
