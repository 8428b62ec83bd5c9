"""The visible sheets of a report made with a form of another family (:attr:`Template.flat`).

One sheet per tab of the template, in the window's order, each holding the parts edited
on that tab as the PDF prints them (:mod:`reports.flat_pdf`): a ``record`` part as a
grid of labels and values (short fields two pairs a row, long texts across), a
``rows`` part as a table under its columns' labels, repeated on every printed page.
The page turns as ``[layout.page]`` says; the columns take the template's ``widths``.
A blank cell that a ``fill`` rule computes shows the computed value, as the window
does; a clerk may type over it.

Every value goes through :meth:`reports.workbook.layout.PaperSheet.put` or ``text``, so
the data sheet records where it is shown (``written.refs``) and reading the workbook
back (:mod:`reports.workbook.reader`) takes what a clerk corrected there.
"""

from __future__ import annotations

import re
from typing import Any

from models import checks
from models.nodes import Record, Rows, Value
from models.report import Report
from reports import flat_layout
from reports.workbook import layout, xlsx
from reports.workbook.datasheet import DATA_SHEET

#: Characters across a printed page: upright, and across.
PAGE_CHARS = {False: 100.0, True: 150.0}
#: A record's grid on a sheet of no table: label, value, label, value.
GRID_WIDTHS = (0.16, 0.34, 0.16, 0.34)
#: What a sheet's name may not hold (Excel's rule), and its most characters.
_NOT_IN_NAME = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MOST = 31


def sheet_names(report: Report) -> list[tuple[str, list[Record | Rows]]]:
    """The visible sheets, in order: each tab's name and its parts (a part without a tab
    goes on the sheet before it, or the first)."""
    sheets: list[tuple[str, list[Record | Rows]]] = []
    for part in flat_layout.printed_parts(report.form):
        tab = part.tab or (sheets[-1][0] if sheets else report.form.title)
        name = _NOT_IN_NAME.sub("", tab).strip("'")[:SHEET_NAME_MOST] or report.form.name[:SHEET_NAME_MOST]
        if name == DATA_SHEET:
            name = f"{name}_"
        for title, parts in sheets:
            if title == name:
                parts.append(part)
                break
        else:
            sheets.append((name, [part]))
    return sheets


def _widths(report: Report, parts: list[Record | Rows], across: bool) -> list[float]:
    """The sheet's columns: the widest table's (in the template's proportions), else a
    grid of labels and values; across the printed page."""
    tables = [p for p in parts if isinstance(p, Rows)]
    if tables:
        widest = max(tables, key=lambda t: len(t.form_columns))
        weights = flat_layout.relative_widths(report.form, widest, widest.key)
        if len(weights) < 4:
            weights += [weights[-1]] * (4 - len(weights))
    else:
        weights = list(GRID_WIDTHS)
    total = sum(weights)
    return [round(PAGE_CHARS[across] * w / total, 1) for w in weights]


def _value(report: Report, node: Value, stored: Any, shown: Any, path: str) -> Any:
    """What the cell of ``path`` shows: the value, or the computed one while it is blank."""
    return layout.shown(node, stored if stored is not None else shown, report, path)


def _align(node: Value) -> str:
    return "number" if flat_layout.is_figure(node) else "left"


def _fmt(node: Value) -> str | None:
    return layout.MONEY_FORMAT if node.kind == "money" else layout.SCORE_FORMAT if node.kind == "score" else None


def write_record(sheet: layout.PaperSheet, report: Report, record: Record, data: dict[str, Any],
                 view: dict[str, Any], path: str) -> None:
    """Labels and values two pairs a row; a long text across the row, over as many rows as it needs."""
    last = len(sheet.widths)
    half = last // 2
    values = record.values()
    short = [v for v in values if v.kind != "longtext"]
    for at in range(0, len(short), 2):
        r = sheet.row
        taken = 1
        for j, node in enumerate(short[at:at + 2]):
            first = 1 if j == 0 else half + 1
            end = half if j == 0 else last
            where = f"{path}.{node.key}"
            sheet.cell(r, first, node.label, bold=True, align="center")
            value = _value(report, node, data.get(node.key), view.get(node.key), where)
            if isinstance(value, str):
                taken = max(taken, sheet.text(where, r, first + 1, value, last_col=end, align="left"))
            else:
                sheet.put(where, r, first + 1, value, last_col=end if end > first + 1 else None,
                          align=_align(node), fmt=_fmt(node))
        if len(short[at:at + 2]) == 1:
            sheet.cell(r, half + 1, None, last_col=last)
        sheet.height(r, 22)
        sheet.row += taken
    for node in (v for v in values if v.kind == "longtext"):
        where = f"{path}.{node.key}"
        text = _value(report, node, data.get(node.key), view.get(node.key), where)
        r = sheet.row
        rows = sheet.text(where, r, 2, text, last_col=last, align="top")
        sheet.cell(r, 1, node.label, last_row=r + rows - 1, bold=True,
                   align="center" if rows == 1 else "center_top")
        sheet.height(r, 40)
        sheet.row += rows


def write_rows(sheet: layout.PaperSheet, report: Report, table: Rows, rows: list[dict[str, Any]],
               view: list[dict[str, Any]], path: str) -> None:
    """The columns' labels, then a row per row of the table (a long text over several sheet rows)."""
    columns = table.form_columns
    top = sheet.row
    for c, column in enumerate(columns, 1):
        sheet.cell(top, c, column.label, bold=True, align="center")
        sheet.fit(top, column.label, c, c)
    sheet.height(top, 30)
    if sheet.sheet.print_rows is None:
        sheet.sheet.print_rows = (top, top)  # the header repeats on every printed page
    r = top + 1
    if not rows:
        for c in range(1, len(columns) + 1):
            sheet.cell(r, c, None)
        sheet.height(r, 22)
        r += 1
    for k, row in enumerate(rows):
        shown = {c.key: _value(report, c, row.get(c.key), view[k].get(c.key), f"{path}.{k}.{c.key}")
                 for c in columns}
        texts = {c.key for c in columns if not flat_layout.is_figure(c)}
        span = max([1, *(sheet.parts(shown[key], i, i) for i, c in enumerate(columns, 1)
                         if (key := c.key) in texts and isinstance(shown[key], str))])
        for i, column in enumerate(columns, 1):
            where = f"{path}.{k}.{column.key}"
            if column.key in texts:
                sheet.text(where, r, i, shown[column.key], rows=span, align="left")
            else:
                sheet.put(where, r, i, shown[column.key], last_row=r + span - 1 if span > 1 else None,
                          align="number", fmt=_fmt(column))
        sheet.height(r, 22)
        r += span
    sheet.row = r


def _write_part(sheet: layout.PaperSheet, report: Report, node: Record | Rows, data: Any, view: Any,
                path: str) -> None:
    last = len(sheet.widths)
    if node.label != report.form.title:
        sheet.heading(node.label, last)
    if isinstance(node, Rows):
        write_rows(sheet, report, node, data or [], view or [], path)
    else:
        write_record(sheet, report, node, data or {}, view or {}, path)
        for child in node.children:
            if isinstance(child, Record | Rows):
                _write_part(sheet, report, child, (data or {}).get(child.key), (view or {}).get(child.key),
                            f"{path}.{child.key}")
    sheet.row += 1


def write_visible(book: xlsx.Book, report: Report) -> layout.Written:
    """The report's visible sheets; where each value went, for the data sheet."""
    written = layout.Written()
    styles = layout.CellStyles(book)
    form = report.form
    across = flat_layout.landscape(form)
    view = checks.shown(form, report.data)
    sheets = sheet_names(report)
    for n, (name, parts) in enumerate(sheets):
        sheet = layout.PaperSheet(book, name, _widths(report, parts, across), styles, written,
                                  node_of=report.node_at)
        sheet.sheet.landscape = across
        if n == 0:
            sheet.heading(form.title, len(sheet.widths), "title")
            if form.issuer:
                sheet.cell(sheet.row, 1, form.issuer, last_col=len(sheet.widths), border=False, align="center")
                sheet.row += 1
            sheet.row += 1
        for part in parts:
            _write_part(sheet, report, part, report.data.get(part.key), view.get(part.key), part.key)
        if n == len(sheets) - 1:  # under the form, as on paper: where it is stamped and dated
            stamp, date = flat_layout.stamp_words(form)
            last = len(sheet.widths)
            half = max(2, last // 2)
            sheet.cell(sheet.row, half, stamp, border=False, align="right", last_col=max(half, last - 2))
            sheet.cell(sheet.row, last - 1, date, border=False, align="right", last_col=last)
            sheet.height(sheet.row, 30)
        sheet.sheet.protected = True
        sheet.sheet.footer = layout.footer(report)
    return written

