"""The report as an Excel workbook (.xlsx) that WPS, Excel and LibreOffice open — and back.

What the window and the command line call:

- :func:`render_workbook` ``(report) -> bytes`` (or :func:`write_workbook`
  ``(report, path)``) — the workbook: one sheet per part of the paper form (see
  :mod:`reports.workbook.layout`), and a hidden data sheet that keeps the report
  exactly;
- :func:`place_workbook` ``(path) -> Placement`` — any workbook, ours or a
  clerk's own filled template: the report that could be built from it, the
  problems (what could not be placed or read, each by sheet and cell, such as
  ``收支情况!C7``) and the notes (cells corrected in a spreadsheet since the
  program exported it). Show ``placement.text()`` and import only when
  ``placement.ok`` or the clerk agrees;
- :func:`read_workbook` ``(path) -> Report`` — the same, refusing (with every
  problem listed) unless the workbook placed cleanly.

The hidden data sheet (``ziping_data``, very hidden) holds one row per leaf of
the interchange document (:func:`models.interchange.plain`): the cell path
(``income.0.total``, ``cover.dept_name``, ``score.bands.0.1``), the visible
cell it is shown in (``收支情况!C7``, or empty), and its JSON text split over
as many cells as needed (a cell holds at most 32,767 characters). Reading our
own workbook starts from this sheet — so ``"0.4"`` comes back as ``"0.4"``
although the sheet shows ``0.40`` — and then compares every visible cell with
what it showed when exported: a figure or text corrected in WPS or Excel
replaces the stored one and is listed in the notes; a cell that cannot be read
is a problem. The sheet also records where each label was written (rows
``@label``); when labels have moved — rows or columns were inserted or deleted
in a spreadsheet — the stored places no longer hold, and the visible sheets
are placed by their labels instead, like a clerk's own template.

Modules, each importing only those above it:

- :mod:`~reports.workbook.xlsx` — writing SpreadsheetML: the one .xlsx writer, for
  the report and for the 汇总表 (:mod:`reports.consolidation`);
- :mod:`~reports.workbook.layout` — where each cell sits on the paper's sheets, what
  it shows;
- :mod:`~reports.workbook.datasheet` — the hidden data sheet's rows;
- :mod:`~reports.workbook.flat` — the sheets of a report made with a form of another
  family (:attr:`Template.flat`), laid out from its template alone;
- :mod:`~reports.workbook.writer` — the workbook written;
- :mod:`~reports.workbook.opening` — refusing hostile files, reading with openpyxl;
- :mod:`~reports.workbook.own_reader` — reading our own untouched export;
- :mod:`~reports.workbook.placement` — what a read found (problems, notes);
- :mod:`~reports.workbook.place` — placing any workbook by its labels;
- :mod:`~reports.workbook.reader` — reading a workbook back.

One writer, two readers. Our own reader reads only what our writer writes (inline
strings, our styles, our sheet order), in a fifth of openpyxl's time: an export
read back (a package's members, a double-clicked file) is the common case.
Anything else — a workbook saved by WPS or Excel, shared strings, a clerk's own
template — goes to openpyxl, which reads what any spreadsheet writes; our reader
gives up on the first thing it does not expect, and openpyxl takes over.
"""

from reports.workbook.datasheet import DATA_MARK, DATA_NOTE, DATA_SHEET
from reports.workbook.placement import Placement, PlacementError, Problem
from reports.workbook.reader import place_workbook, read_workbook, written_fingerprint
from reports.workbook.writer import render_workbook, write_workbook

__all__ = [
    "DATA_MARK",
    "DATA_NOTE",
    "DATA_SHEET",
    "Placement",
    "PlacementError",
    "Problem",
    "place_workbook",
    "read_workbook",
    "render_workbook",
    "write_workbook",
    "written_fingerprint",
]
