"""The printed form of a report made with a form of another family (:attr:`Template.flat`):
its parts in the order of the template, laid out from the parts alone.

Nothing here knows a form: the heading is the template's ``title`` (and its issuing
line), each ``record`` part a bordered grid of labels and values (short fields two
pairs a row, long texts across), each ``rows`` part a bordered table under its
columns' labels (repeated on every page; widths from the template's
``[layout.<part>] widths``; figures right-aligned), the page upright or across as
``[layout.page] orientation`` says, a part with ``page_break`` on a new page. A blank
cell that a ``fill`` rule computes prints the computed value
(:func:`models.checks.shown`), as the window shows it. Under the form, the line for
the stamp and the date.

:func:`reports.printed.render_pdf` puts this story on the pages every printout has
(the footer with the page numbers, the fingerprint and its QR code; the 草稿 mark;
the 审核情况说明 of the explained findings).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from models import checks
from models.document import format_value
from models.nodes import Record, Rows, Value
from models.report import Report
from reports import flat_layout
from reports.pdf import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAD,
    Carry,
    Styles,
    block_rows,
    block_style,
    form_table,
    grid_style,
    pieces,
    stack,
    with_start,
)

#: A label column of a record's grid: as wide as its longest label, within these bounds.
LABEL_LEAST, LABEL_MOST = 24 * mm, 56 * mm


def page_size(report: Report) -> tuple[float, float]:
    """A4, across where the template's ``[layout.page]`` says ``landscape``."""
    return landscape(A4) if flat_layout.landscape(report.form) else A4


def frame_width(report: Report) -> float:
    return page_size(report)[0] - MARGIN_LEFT - MARGIN_RIGHT


def texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text printed, with where it comes from: the template's words and the report's."""
    form = report.form
    for where, text in (("表样模板", form.title), ("表样模板", form.issuer)):
        if text:
            yield where, text

    def walk(node: Record | Rows, data: Any) -> Iterator[tuple[str, str]]:
        yield "表样模板", node.label
        if isinstance(node, Rows):
            for column in node.form_columns:
                yield "表样模板", column.label
            for i, row in enumerate(data or []):
                for column in node.form_columns:
                    if isinstance(row.get(column.key), str):
                        yield f"{node.label}第 {i + 1} 行·{column.label}", row[column.key]
            return
        for child in node.children:
            if isinstance(child, Value):
                yield "表样模板", child.label
                if isinstance((data or {}).get(child.key), str):
                    yield f"{node.label}·{child.label}", data[child.key]
            elif isinstance(child, Record | Rows):
                yield from walk(child, (data or {}).get(child.key))

    for part in flat_layout.printed_parts(report.form):
        yield from walk(part, report.data.get(part.key))


def _styles(s: Styles) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("flat_title", parent=s.title, fontSize=18, leading=28, spaceAfter=2),
        "issuer": ParagraphStyle("flat_issuer", parent=s.cell_center, fontSize=11, leading=16),
        "part": ParagraphStyle("flat_part", parent=s.subheading, spaceBefore=10, spaceAfter=4),
    }


def _cell(s: Styles, node: Value, value: Any, width: float) -> list[Flowable]:
    """A value as printed in a cell ``width`` wide: a figure on the right, text in pieces."""
    text = format_value(node, value, s.options.amounts)
    if flat_layout.is_figure(node):
        return [s.p(text, s.figure)]
    return pieces(s, text, width - 2 * PAD)


def _label_width(s: Styles, labels: list[str]) -> float:
    widest = max((stringWidth(label, s.cell_center.fontName, s.cell_center.fontSize) for label in labels), default=0)
    return max(LABEL_LEAST, min(LABEL_MOST, widest + 2 * PAD + 2))


def record_grid(s: Styles, record: Record, data: dict[str, Any], width: float) -> Flowable | None:
    """A record's values: label and value, two pairs a row; a long text's label beside it,
    the text across the rest of the row, in pieces a page may break between."""
    values = record.values()
    if not values:
        return None
    label_w = _label_width(s, [v.label for v in values])
    value_w = (width - 2 * label_w) / 2
    style = grid_style(s)
    rows: list[list[Any]] = []
    short = [v for v in values if v.kind != "longtext"]
    for at in range(0, len(short), 2):
        cells: list[list[Any]] = []
        for node in short[at:at + 2]:
            cells += [[s.p(node.label, s.cell_center)], _cell(s, node, data.get(node.key), value_w)]
        while len(cells) < 4:
            cells.append([""])
        first = len(rows)
        rows += stack(cells)
        block_style(style, first, len(rows) - 1, 4)
    labels: dict[int, Carry] = {}
    across = len(rows)
    for node in (v for v in values if v.kind == "longtext"):
        block = block_rows(s, node.label, [data.get(node.key)], [width - label_w], len(rows), style, labels)
        rows += [[r[0], r[1], "", ""] for r in block]
    # A long text runs across the three columns right of its label.
    style += [("SPAN", (1, i), (3, i)) for i in range(across, len(rows))]
    return form_table(rows, [label_w, value_w, label_w, value_w], style, s, carry={0: labels})


def column_widths(report: Report, table: Rows, width: float, path: str) -> list[float]:
    """The table's columns across ``width``, in the template's proportions (or by kind)."""
    weights = flat_layout.relative_widths(report.form, table, path)
    total = sum(weights)
    return [width * w / total for w in weights]


def rows_table(report: Report, s: Styles, table: Rows, rows: list[dict[str, Any]], width: float,
               path: str) -> Flowable:
    """A table of rows under its columns' labels, repeated on every page it runs over."""
    columns = table.form_columns
    widths = column_widths(report, table, width, path)
    data: list[list[Any]] = [[s.p(c.label, s.head) for c in columns]]
    style = grid_style(s, 1)
    style.append(("VALIGN", (0, 0), (-1, 0), "MIDDLE"))
    carry: dict[int, Carry] = {}
    for row in rows or [dict.fromkeys(c.key for c in columns)]:
        first = len(data)
        data += stack([_cell(s, c, row.get(c.key), w) for c, w in zip(columns, widths, strict=True)])
        last = len(data) - 1
        block_style(style, first, last, len(columns))
        style.append(("VALIGN", (0, first), (-1, last), "TOP" if last > first else "MIDDLE"))
        lead = row.get(columns[0].key) if not flat_layout.is_figure(columns[0]) else None
        if lead:
            carry[first] = Carry(format_value(columns[0], lead), continued=False)
    return form_table(data, widths, style, s, repeat=1, carry={0: carry} if carry else None)


def _part(report: Report, s: Styles, node: Record | Rows, data: Any, width: float, path: str,
          heading: ParagraphStyle, title: str) -> list[Flowable]:
    """A part under its label (left out where it only repeats the form's title)."""
    head = [s.p(node.label, heading)] if node.label != title else []
    if isinstance(node, Rows):
        return with_start(head, rows_table(report, s, node, data or [], width, path))
    out: list[Flowable] = []
    grid = record_grid(s, node, data or {}, width)
    if grid is not None:
        out += with_start(head, grid)
        head = []
    for child in node.children:  # a table or a group within the part, under its own label
        if isinstance(child, Record | Rows):
            out += head + _part(report, s, child, (data or {}).get(child.key), width, f"{path}.{child.key}",
                                heading, title)
            head = []
    return out


#: The stamp line's height under the form: with room to stamp where the page has it, and
#: at least one line's (so that it stays on the form's last page rather than alone on a new one).
SIGN_ROOM, SIGN_LEAST = 18 * mm, 8 * mm


class SignLine(Flowable):
    """Where the department stamps and dates the form: its name's label (盖章) and 年 月 日,
    at the foot of as much of :data:`SIGN_ROOM` as the page has left."""

    def __init__(self, report: Report, s: Styles, width: float) -> None:
        super().__init__()
        self.cells = [s.p(text, style) for text, style in zip(flat_layout.stamp_words(report.form),
                                                               (s.cell, s.sign), strict=True)]
        self.font = s.fonts.body.pdf_name
        self.line_w = width
        self.widths = [stringWidth(text, s.cell.fontName, s.cell.fontSize) + 2 * PAD + 2
                       for text in flat_layout.stamp_words(report.form)]

    def _table(self, height: float) -> Table:
        stamp_w, date_w = self.widths
        table = Table([["", self.cells[0], "", self.cells[1]]],
                      colWidths=[self.line_w * 0.45, stamp_w, max(0.0, self.line_w * 0.55 - stamp_w - date_w),
                                 date_w], rowHeights=[height])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ]))
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = max(SIGN_LEAST, min(SIGN_ROOM, availHeight))
        self.table = self._table(self.height)
        self.table.wrap(availWidth, self.height)
        self.width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)


def story(report: Report, s: Styles) -> list[Flowable]:
    """The form, part by part, with the figures as the window shows them."""
    form = report.form
    width = frame_width(report)
    own = _styles(s)
    out: list[Flowable] = [s.p(form.title, own["title"])]
    if form.issuer:
        out.append(s.p(form.issuer, own["issuer"]))
    out.append(Spacer(1, 3 * mm))
    shown = checks.shown(form, report.data)
    for node in flat_layout.printed_parts(report.form):
        if (form.layout.get(node.key) or {}).get("page_break"):
            out.append(PageBreak())  # [layout.<part>] page_break: the part starts a page
        out += _part(report, s, node, shown.get(node.key), width, node.key, own["part"], form.title)
    out.append(SignLine(report, s, width))
    return out
