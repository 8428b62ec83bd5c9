"""Reading back, without openpyxl, a workbook this program wrote and nothing has saved since.

Importing openpyxl and loading a workbook with it takes about 0.2 s; a
workbook exported by :mod:`reports.workbook.xlsx` and not opened and saved
by a spreadsheet since (its ``docProps/app.xml`` still names this program,
it has no shared strings) has only the few cell forms that module writes,
and is read here in a few milliseconds. Anything else — a workbook WPS,
Excel or LibreOffice saved, or anything unexpected here — returns None, and
openpyxl reads it. The archive has already passed
:func:`reports.workbook.opening.check_archive`, and the XML is parsed with
defusedxml.

The objects returned offer the small part of openpyxl's interface that
:mod:`reports.workbook.reader` uses: ``sheetnames``, ``wb[title]``,
``ws[coord].value``/``.data_type``, ``ws.cell(row, column)`` and
``ws.iter_rows(min_row, values_only=True)``.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from reports.workbook.opening import exact_number
from reports.workbook.xlsx import MAIN_NS, REL_NS, col_index

_M = "{" + MAIN_NS + "}"
_R = "{" + REL_NS + "}"
_COORD = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


class _Cell:
    __slots__ = ("data_type", "value")

    def __init__(self, value: Any = None, data_type: str = "n") -> None:
        self.value = value
        self.data_type = data_type


_EMPTY = _Cell()


class Sheet:
    def __init__(self, title: str, cells: dict[tuple[int, int], _Cell]) -> None:
        self.title = title
        self.cells = cells

    def __getitem__(self, coord: str) -> _Cell:
        m = _COORD.match(coord)
        if not m:
            raise KeyError(coord)
        return self.cells.get((int(m.group(2)), col_index(m.group(1))), _EMPTY)

    def cell(self, row: int, column: int) -> _Cell:
        return self.cells.get((row, column), _EMPTY)

    def iter_rows(self, min_row: int = 1, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        assert values_only
        rows: dict[int, dict[int, Any]] = {}
        for (r, c), cell in self.cells.items():
            if r >= min_row:
                rows.setdefault(r, {})[c] = cell.value
        for r in sorted(rows):
            row = rows[r]
            yield tuple(row.get(c) for c in range(1, max(row) + 1))


class Book:
    def __init__(self, sheets: list[Sheet]) -> None:
        self.sheets = {s.title: s for s in sheets}
        self.sheetnames = [s.title for s in sheets]

    def __getitem__(self, title: str) -> Sheet:
        return self.sheets[title]


def _number(text: str) -> int | Decimal:
    return exact_number(text)


def _sheet_cells(xml: bytes) -> dict[tuple[int, int], _Cell]:
    from defusedxml.ElementTree import fromstring

    cells: dict[tuple[int, int], _Cell] = {}
    root = fromstring(xml)
    for c in root.iter(f"{_M}c"):
        m = _COORD.match(c.get("r", ""))
        if not m:
            raise ValueError("cell without address")
        where = (int(m.group(2)), col_index(m.group(1)))
        kind = c.get("t", "n")
        f = c.find(f"{_M}f")
        v = c.find(f"{_M}v")
        if f is not None:
            cells[where] = _Cell("=" + (f.text or ""), "f")
        elif kind == "inlineStr":
            t = c.find(f"{_M}is/{_M}t")
            if t is None:
                raise ValueError("rich text")
            cells[where] = _Cell(t.text or "", "s")
        elif kind == "n" and v is not None and v.text is not None:
            cells[where] = _Cell(_number(v.text), "n")
        elif v is None:
            continue  # an empty, styled cell
        else:
            raise ValueError(f"cell type {kind}")
    return cells


def read(data: bytes, program: str) -> Book | None:
    """The cells of a workbook written by ``program`` and untouched since; else None."""
    try:
        from defusedxml.ElementTree import fromstring

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "xl/sharedStrings.xml" in names or "docProps/app.xml" not in names:
                return None
            app = fromstring(z.read("docProps/app.xml"))
            application = next((e.text for e in app.iter() if e.tag.endswith("Application")), None)
            if application != program:
                return None
            rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            workbook = fromstring(z.read("xl/workbook.xml"))
            sheets = []
            for sheet in workbook.iter(f"{_M}sheet"):
                target = targets[sheet.get(f"{_R}id")]
                part = "xl/" + target.lstrip("/").removeprefix("xl/")
                sheets.append(Sheet(sheet.get("name", ""), _sheet_cells(z.read(part))))
            return Book(sheets)
    except (KeyError, ValueError, InvalidOperation, zipfile.BadZipFile, SyntaxError, RuntimeError, zlib.error,
            lzma.LZMAError, NotImplementedError, EOFError, OSError):
        return None  # not in the shape we write: openpyxl reads it, and says what is wrong
