"""The report as an .xlsx workbook: the sheets that look like the paper
(:mod:`reports.workbook.layout`) and the hidden data sheet that keeps it exactly
(:mod:`reports.workbook.datasheet`), written with :mod:`reports.workbook.xlsx`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models import PROGRAM, interchange
from models.paper import PAPER
from models.report import Report
from reports.workbook import layout, xlsx
from reports.workbook.datasheet import (
    CELL_ROW,
    CHUNK,
    DATA_MARK,
    DATA_NOTE,
    DATA_SHEET,
    DATA_VERSION,
    LABEL_ROW,
    OWN_FORM_VERSION,
    SPARE_ROW,
    TEMPLATE_ROW,
    flatten,
    is_summary_path,
    json_text,
)


def write_data_sheet(book: xlsx.Book, report: Report, written: layout.Written) -> None:
    sheet = book.sheet(DATA_SHEET, [28, 18, 60, 60], state="veryHidden", printable=False)

    def put(row: int, col: int, text: str) -> None:
        sheet.cells[(row, col)] = xlsx.Cell("s", text, 0)

    version = DATA_VERSION if report.flat else OWN_FORM_VERSION
    for col, text in enumerate((DATA_MARK, str(version), interchange.fingerprint(report), DATA_NOTE), 1):
        put(1, col, text)
    leaves: list[tuple[str, Any]] = []
    flatten(report.to_plain(), "", leaves)
    for r, (path, value) in enumerate(leaves, 2):
        put(r, 1, path)
        ref = written.refs.get(path)
        if ref:
            put(r, 2, ref)
        text = json_text(value)
        for k in range(0, len(text), CHUNK):
            put(r, 3 + k // CHUNK, text[k : k + CHUNK])
    r = len(leaves) + 2
    for path, ref in written.refs.items():
        if is_summary_path(path):
            put(r, 1, CELL_ROW)
            put(r, 2, ref)
            put(r, 3, path)
            r += 1
    for ref, label in written.labels.items():
        put(r, 1, LABEL_ROW)
        put(r, 2, ref)
        put(r, 3, json_text(label))
        r += 1
    for spare in written.spares:
        put(r, 1, SPARE_ROW)
        put(r, 2, f"{spare['sheet']}!{spare['cells']['']}")
        put(r, 3, json_text(spare))
        r += 1
    if report.flat:
        put(r, 1, TEMPLATE_ROW)
        put(r, 2, json_text(report.form.ref))
        text = json_text(report.form.data.decode("utf-8"))
        for k in range(0, len(text), CHUNK):
            put(r, 3 + k // CHUNK, text[k : k + CHUNK])


def write_workbook(report: Report, path: str | Path) -> None:
    """Export to ``path`` all or nothing (an earlier file of the name stays intact on failure)."""
    from models.fileio import write_atomic

    write_atomic(path, render_workbook(report))


def render_workbook(report: Report) -> bytes:
    """The report as an .xlsx workbook that looks like the paper form (for a report of a
    form of another family, like the template's: :mod:`reports.workbook.flat`)."""
    title = report.form.title if report.flat else PAPER.title
    book = xlsx.Book(title=f"{report.dept_name}{report.year or ''}年度{title}", creator=PROGRAM)
    if report.flat:
        from reports.workbook import flat

        written = flat.write_visible(book, report)
    else:
        written = layout.write_visible(book, report)
    write_data_sheet(book, report, written)
    return book.to_bytes()
