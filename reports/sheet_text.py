"""Text written into a workbook stays text, whatever it starts with.

openpyxl guesses a cell's type from its value: a string that starts with
``=`` becomes a formula and ``#N/A`` an error value, so a department name
``=cmd|' /C calc'!A0`` or an 出错说明 ``=HYPERLINK(…)`` would be live in the
finance bureau's workbook. Every text that comes from a report goes through
:func:`text_cell` (or :func:`put_text` on a cell already placed): the cell is
typed as a string explicitly, and one that a spreadsheet would read as a
formula when edited (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
line break) also gets the quote-prefix style, which Excel, WPS and LibreOffice
show as nothing — the visible text is exactly the report's.

The functions take any openpyxl worksheet, write-only ones included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.document import NOT_XML

#: What a spreadsheet reads as the start of a formula (or of a DDE link).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text``, typed into a cell, for a formula."""
    return text.startswith(FORMULA_STARTS)


def put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl cell as a string, never a formula or an error."""
    cell.value = NOT_XML.sub("", text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def text_cell(ws: Any, text: str) -> Any:
    """A new cell of ``ws`` holding ``text`` as a string, for ``ws.append``."""
    from openpyxl.cell.cell import Cell

    return put_text(Cell(ws), text)


def row_cells(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append`` in which every string is a text cell."""
    return [text_cell(ws, v) if isinstance(v, str) else v for v in values]
