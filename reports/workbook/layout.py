"""Where the report's cells sit in the exported workbook, and what they show.

This module writes the visible sheets that look like the paper form. Every
cell that shows a value of the report is written through :meth:`PaperSheet.put`,
which records the cell path (``income.0.total``) against the cell's address
(``收支情况!C7``); the hidden data sheet keeps those addresses, so reading our
own workbook back can tell a figure corrected in WPS or Excel from one left
as exported (:func:`shown` computes what a cell showed when written).

Labels, columns, header groups and merges all come from :mod:`models.form`;
what only paper needs (widths, fonts, sheet names) is kept here.

Every cell :meth:`PaperSheet.put` writes is one the clerk fills in: it has a light
fill on screen (not on paper), stays unlocked when the sheet is protected (no
password: formulas and labels cannot be overwritten by accident) and, for a
figure, accepts only what the form's field accepts (data validation with an
input message). A long text that would be taller than a row can be (409
points) continues on the rows below, its parts' joins left open, so the
printout holds every word (:func:`split_text`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from models import form, grades
from models.document import NOT_XML, format_year_month, level1_text, level1_word, node_at, parse_year_month
from models.form import InstitutionRows, Value
from models.money import add, format_decimal
from models.paper import PAPER
from models.report import Report
from reports.sheet_text import looks_like_formula
from reports.workbook import xlsx
from reports.workbook.xlsx import col_index, col_letter

# -- sheet names (print layout only; the data keys are the form's) -------------

SHEET_COVER = PAPER.sheets.cover
SHEET_MONEY = PAPER.sheets.money
SHEET_PERFORMANCE = PAPER.sheets.performance
SHEET_PEOPLE = PAPER.sheets.people
#: The narrative's structured tables, each on a sheet of its own name.
SHEET_BASIC_ITEMS = form.BASIC_ITEMS.label
SHEET_PROJECTS = form.PROJECTS.label
#: 附件2, the 自评表; its headings and lines are the report's 指标体系's.
SHEET_SCORING = form.SCORING_TAB
#: Section headings of the paper that the form does not name as records.
SECTION_MONEY = PAPER.money_section
SECTION_PERFORMANCE = PAPER.performance_section
VISIBLE_SHEETS = (
    SHEET_COVER, SHEET_MONEY, SHEET_PERFORMANCE, SHEET_PEOPLE, SHEET_BASIC_ITEMS, SHEET_PROJECTS, SHEET_SCORING,
)

MONEY_FORMAT = "0.00"
#: The number format of the next parts of a long text continued on the rows below its
#: first cell (text shows as typed; numbers, which such a cell never holds, are hidden).
#: No one formats a cell so by hand: reading a workbook back, it marks a continuation.
CONTINUED_FORMAT = ";;;@"
SCORE_FORMAT = "General"
PERCENT_FORMAT = "0%"
FONT_NAME = "宋体"
FONT_SIZE = 11
#: Points per printed line of 11 pt text, and the tallest row Excel allows.
LINE_POINTS = 14.5
MAX_ROW_POINTS = 409.0
#: Printed lines one part of a long text takes at most: the row's height holds them with
#: room to spare for a spreadsheet that wraps the lines a little differently.
MAX_PART_LINES = 24



def visible_text(text: str) -> str:
    """Text as a cell shows it (XML cannot carry control characters, and reads
    a carriage return as a line break); the exact text is kept in the data sheet."""
    return NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def display_width(text: str) -> int:
    """Width in half-width character cells (a Chinese character counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_lines(text: str, width: float) -> int:
    """Printed lines of ``text`` wrapped in a cell ``width`` characters wide."""
    usable = max(width * 0.92 - 1, 4)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def row_points(lines: int) -> float:
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 5)


#: Where a part of a long text may end inside a line: after the end of a sentence or clause.
_BREAKS = "。；！？;!?，,、"


@lru_cache(maxsize=2048)
def split_text(text: str, width: float) -> tuple[str, ...]:
    """``text`` in parts that each fit one row of a cell ``width`` characters wide
    (:data:`MAX_PART_LINES` printed lines); ``"".join(parts) == text``.

    A part ends at a line break where it can (the break stays at its end), else
    after a sentence or clause in the last third of the room, else where the room
    ends.
    """
    if text_lines(text, width) <= MAX_PART_LINES:
        return (text,)
    room = max(width * 0.92 - 1, 4) * MAX_PART_LINES
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if text_lines(current + line, width) <= MAX_PART_LINES:
            current += line
            continue
        if current:
            parts.append(current)
        rest = line
        while text_lines(rest, width) > MAX_PART_LINES:
            cut = _cut(rest, room)
            parts.append(rest[:cut])
            rest = rest[cut:]
        current = rest
    if current:
        parts.append(current)
    return tuple(parts)


def _cut(line: str, room: float) -> int:
    """Where to end a part of one long line that fills ``room`` half-width cells."""
    used = 0
    end = len(line)
    for i, ch in enumerate(line):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > room:
            end = i
            break
    for i in range(end - 1, max(int(end * 2 / 3), 0), -1):
        if line[i] in _BREAKS:
            return i + 1
    return max(end, 1)


def _validation(node: Value) -> xlsx.Validation | None:
    """What a cell of ``node`` accepts when typed into, with the message shown as it is selected."""
    if node.kind not in ("money", "score", "int"):
        return None
    conditions = ["ISNUMBER({cell})"]
    limits = []
    if node.kind == "int":
        conditions.append("{cell}=INT({cell})")
    else:
        conditions.append(f"ROUND({{cell}},{node.places})={{cell}}")
    low = node.minimum if node.minimum is not None else (None if node.negative else 0)
    if low is not None:
        conditions.append(f"{{cell}}>={low}")
        limits.append(f"不小于 {low}")
    else:
        limits.append("可以为负数")
    if node.maximum is not None:
        conditions.append(f"{{cell}}<={node.maximum}")
        limits.append(f"不超过 {node.maximum}")
    what = {"money": "金额（万元）", "score": "分数", "int": "整数"}[node.kind]
    if node.kind != "int":
        limits.append(f"最多 {node.places} 位小数")
    rule = "，".join(limits)
    return xlsx.Validation(
        "AND(" + ",".join(conditions) + ")",
        node.label,
        f"填写{what}，{rule}。不填写即为空白（空白不是 0）。",
        f"「{node.label}」应为{what}，{rule}。请重新填写。",
    )


_VALIDATIONS: dict[Value, xlsx.Validation | None] = {}


def validation(node: Value) -> xlsx.Validation | None:
    if node not in _VALIDATIONS:
        _VALIDATIONS[node] = _validation(node)
    return _VALIDATIONS[node]


# -- what a cell shows --------------------------------------------------------


def shown(node: Value, value: Any, report: Report, path: str) -> Any:
    """What the workbook cell of ``path`` shows for ``value`` (None: empty)."""
    if value is None:
        default = report.default_text(path) if node.default else None
        return default
    if node.kind in ("money", "score"):
        return value
    if node.kind == "yearmonth":
        return format_year_month(value)
    if node.kind == "int":
        return value
    if path.startswith("indicators.") and path.endswith(".level1") and not report.flat:
        return visible_text(level1_text(value))
    return visible_text(str(value))


def _as_typed(value: Decimal, places: int) -> Decimal:
    """The figure a clerk typed, from the number a spreadsheet stored.

    Excel stores numbers as binary doubles written with 17 digits: 1.1 typed
    in a cell is saved as ``1.1000000000000001``. When the stored digits have
    more decimals than the column allows but are that double's rendering of a
    figure with few decimals, the figure is that shorter one (what the clerk
    typed and Excel shows). The float here only identifies the double the file
    holds; the figure is the Decimal of its shortest exact rendering.
    """
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or -exponent <= places or len(value.as_tuple().digits) < 16:
        return value
    shortest = Decimal(repr(float(value)))
    exp = shortest.as_tuple().exponent
    return shortest if isinstance(exp, int) and -exp <= places else value


def unshown(node: Value, cell: Any, report: Report, path: str) -> Any:
    """The report's value from what a cell shows (the inverse of :func:`shown`).

    Raises :class:`models.errors.ValueInputError` for what cannot be read.
    """
    from models.document import parse_value

    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if node.kind in ("money", "score", "int") and isinstance(cell, (int, Decimal)) and not isinstance(cell, bool):
        return parse_value(node, format_decimal(_as_typed(Decimal(cell), node.places)), path)
    if node.kind == "yearmonth":
        if hasattr(cell, "year") and hasattr(cell, "month"):
            return f"{cell.year:04d}-{cell.month:02d}"
        return parse_year_month(str(cell), path)
    text = str(cell)
    if node.default and report.default_text(path) == text:
        return None
    if path.startswith("indicators.") and path.endswith(".level1") and not report.flat:
        text = level1_word(text)
    return parse_value(node, text, path)


# -- the sheet writer ---------------------------------------------------------


@dataclass
class Written:
    """Where the report's values went, for the data sheet."""

    #: cell path → "sheet!A1" (the top-left cell when merged)
    refs: dict[str, str] = field(default_factory=dict)
    #: "sheet!A1" → a label or heading written there; if these move, rows or
    #: columns were inserted or deleted in a spreadsheet
    labels: dict[str, str] = field(default_factory=dict)
    #: The paper's blank rows 2、二级机构1 … a clerk may rename and fill: for each, its table,
    #: its place among them, the name it shows, and its cells (name ``""`` and columns).
    spares: list[dict[str, Any]] = field(default_factory=list)


#: The alignment of a long text's parts: each from the top of its row, so that they read on.
_TOP = {"left": "top", "center": "center_top"}


class CellStyles:
    """The few cell styles of the form: fonts, alignments, borders, number formats."""

    #: align name → (horizontal, vertical, wrap)
    ALIGNS = {
        "left": ("left", "center", True),
        "center": ("center", "center", True),
        "right": ("right", "center", True),
        "top": ("left", "top", True),
        "center_top": ("center", "top", True),
        "number": ("right", "center", False),
    }

    def __init__(self, book: xlsx.Book) -> None:
        self.book = book
        self.font = xlsx.Font(FONT_NAME, FONT_SIZE)
        self.bold = xlsx.Font(FONT_NAME, FONT_SIZE, bold=True)
        self.title = xlsx.Font(FONT_NAME, 18, bold=True)
        self.heading = xlsx.Font(FONT_NAME, 13, bold=True)
        self._ids: dict[tuple[xlsx.Font, str, bool, str | None, str, bool, bool], int] = {}

    def id(self, font: xlsx.Font, align: str, border: bool, fmt: str | None, sides: str = "ltrb",
           entry: bool = False, quote: bool = False) -> int:
        key = (font, align, border, fmt, sides, entry, quote)
        if key not in self._ids:
            horizontal, vertical, wrap = self.ALIGNS[align]
            self._ids[key] = self.book.style(xlsx.Style(
                font, horizontal, vertical, wrap, border, fmt, sides,
                fill=xlsx.ENTRY_FILL if entry else None, locked=not entry, quote=quote))
        return self._ids[key]


class PaperSheet:
    """One visible sheet: a row cursor, bordered cells, merges and recorded paths."""

    def __init__(self, book: xlsx.Book, title: str, widths: list[float], styles: CellStyles, written: Written,
                 node_of: Callable[[str], Any] = node_at) -> None:
        self.sheet = book.sheet(title, widths)
        #: The form node a cell path names: the program's form, or the report's own.
        self.node_of = node_of
        self.title = title
        self.widths = widths
        self.st = styles
        self.written = written
        self.row = 1

    def ref(self, row: int, col: int) -> str:
        return f"{self.title}!{col_letter(col)}{row}"

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def cell(
        self,
        row: int,
        col: int,
        value: Any = None,
        *,
        last_col: int | None = None,
        last_row: int | None = None,
        bold: bool = False,
        align: str = "left",
        border: bool = True,
        fmt: str | None = None,
        font: xlsx.Font | None = None,
        is_formula: bool = False,
        cached: Any = None,
        label: bool = True,
        sides: str = "ltrb",
        entry: bool = False,
    ) -> None:
        last_col = last_col or col
        last_row = last_row or row
        quote = not is_formula and isinstance(value, str) and looks_like_formula(value)
        style = self.st.id(font or (self.st.bold if bold else self.st.font), align, border, fmt, sides, entry, quote)
        if is_formula:
            cell = xlsx.Cell("f", value, style, cached)
        elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            # The figure's exact text goes into the file; no float touches it.
            cell = xlsx.Cell("n", Decimal(value), style)
        elif isinstance(value, str):
            # Text stays text even when it starts with "=": an inline string is never a
            # formula, and the quote-prefix style keeps it text when edited in a spreadsheet.
            cell = xlsx.Cell("s", value, style)
            if label:
                self.written.labels[self.ref(row, col)] = value
        else:
            cell = xlsx.Cell(None, None, style)
        cells = self.sheet.cells
        cells[(row, col)] = cell
        if last_col != col or last_row != row:
            covered = self.st.id(self.st.font, "left", border, fmt, sides, entry)
            for r in range(row, last_row + 1):
                for k in range(col, last_col + 1):
                    if (r, k) != (row, col) and (r, k) not in cells:
                        cells[(r, k)] = xlsx.Cell(None, None, covered)
            self.sheet.merges.append((row, col, last_row, last_col))

    def put(self, path: str, row: int, col: int, value: Any, **kw: Any) -> None:
        """A cell that shows the report's value at ``path``: one the clerk fills in."""
        self.written.refs[path] = self.ref(row, col)
        self.entry(row, col, self.node_of(path))
        self.cell(row, col, value, label=False, entry=True, **kw)

    def entry(self, row: int, col: int, node: Any) -> None:
        """What the cell at (row, col) accepts, if it is a figure."""
        rule = validation(node) if isinstance(node, Value) else None
        if rule is not None:
            self.sheet.validations[(row, col)] = rule

    def formula(self, row: int, col: int, text: str, cached: Any, path: str | None = None, **kw: Any) -> None:
        """A computed cell; ``cached`` is its result, stored for viewers that do not recalculate.
        With a ``path`` it is the value of a cell left blank (a total, the grade), which the
        clerk may fill in: it is not locked."""
        if path:
            self.written.refs[path] = self.ref(row, col)
            self.entry(row, col, self.node_of(path))
        self.cell(row, col, text, is_formula=True, cached=cached, entry=bool(path), **kw)

    def parts(self, text: str | None, first: int, last: int) -> int:
        """The rows a text takes in columns first..last (one unless it is long)."""
        return len(split_text(text, self.width(first, last))) if text else 1

    def text(self, path: str | None, row: int, col: int, text: str | None, *, rows: int = 1,
             last_col: int | None = None, **kw: Any) -> int:
        """A text over ``rows`` rows (at least): a long one in parts, one a row, the joins
        between them open; returns the rows taken. ``path`` None: a text shown, not filled in."""
        last_col = last_col or col
        parts: list[str | None] = list(split_text(text, self.width(col, last_col))) if text else [text]
        n = max(rows, len(parts))
        if len(parts) > 1:  # the parts read on from the top of each row
            kw = {**kw, "align": _TOP.get(kw.get("align", "left"), kw.get("align", "left"))}
        for i, part in enumerate(parts):
            final = i == len(parts) - 1
            sides = "ltrb" if len(parts) == 1 else "ltr" if i == 0 else "lrb" if final else "lr"
            fmt = CONTINUED_FORMAT if i else kw.get("fmt")
            options = {**kw, "fmt": fmt, "sides": sides, "last_col": last_col,
                       "last_row": row + n - 1 if final else None}
            if path is None:
                self.cell(row + i, col, part, label=False, **options)
            else:
                self.cell(row + i, col, part, label=False, entry=True, **options)
            self.fit(row + i, part, col, last_col)
        if path is not None:
            ref = self.ref(row, col)
            self.written.refs[path] = ref if len(parts) == 1 else f"{ref}:{col_letter(col)}{row + len(parts) - 1}"
        return n

    def get_height(self, row: int) -> float:
        return self.sheet.heights.get(row) or 15

    def height(self, row: int, points: float) -> None:
        self.sheet.heights[row] = max(self.sheet.heights.get(row, 0), points)

    def fit(self, row: int, text: str | None, first: int, last: int) -> None:
        """Make ``row`` tall enough for ``text`` wrapped across columns first..last."""
        if text:
            self.height(row, row_points(text_lines(text, self.width(first, last))))

    def heading(self, text: str, last_col: int, size: str = "heading") -> None:
        font = self.st.title if size == "title" else self.st.heading
        align = "center" if size == "title" else "left"
        self.cell(self.row, 1, text, last_col=last_col, border=False, font=font, align=align)
        self.height(self.row, 30 if size == "title" else 22)
        self.row += 1


def _sum_formula(cells: list[str]) -> str:
    """Sum of these cells (or ranges) that stays blank where every addend is blank (blank
    is not zero); a run of single cells is written as its range."""
    if len(cells) > 1 and _contiguous(cells):
        args = f"{cells[0]}:{cells[-1]}"
    else:
        args = ",".join(cells)
    return f'=IF(COUNT({args})=0,"",SUM({args}))'


def _range(first: str, last: str) -> str:
    """The range ``first:last``; one cell alone when they are the same."""
    return first if first == last else f"{first}:{last}"


def _contiguous(cells: list[str]) -> bool:
    parsed = [re.match(r"([A-Z]+)(\d+)", c) for c in cells]
    if not all(parsed):
        return False
    cols = [col_index(m.group(1)) for m in parsed if m]
    rows = [int(m.group(2)) for m in parsed if m]
    same_row = len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols)))
    same_col = len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows)))
    return same_row or same_col


def _blank_or(value: Any) -> Any:
    return "" if value is None else value


# -- 封面与基本概况 --------------------------------------------------------------


def write_cover(sheet: PaperSheet, report: Report) -> None:
    d = report.data
    last = len(sheet.widths)
    year = report.year
    first, second = PAPER.title_lines
    sheet.heading(f"{report.dept_name}{year if year is not None else ''}年度{first}", last, "title")
    sheet.heading(second, last, "title")
    sheet.row += 1
    for node in form.COVER.values():
        path = f"cover.{node.key}"
        r = sheet.row
        sheet.cell(r, 1, node.label, bold=True, align="center")
        value = shown(node, d["cover"][node.key], report, path)
        sheet.put(path, r, 2, value, last_col=last, align="left")
        sheet.height(r, 22)
        sheet.row += 1
    sheet.row += 1
    sheet.heading(form.BASICS.label, last)
    short = [n for n in form.BASICS.values() if n.kind != "longtext"]
    long = [n for n in form.BASICS.values() if n.kind == "longtext"]
    for i in range(0, len(short), 2):
        r = sheet.row
        for j, node in enumerate(short[i : i + 2]):
            path = f"basics.{node.key}"
            sheet.cell(r, 1 + 2 * j, node.label, bold=True, align="center")
            value = shown(node, d["basics"][node.key], report, path)
            sheet.put(path, r, 2 + 2 * j, value, align="center")
        sheet.height(r, 22)
        sheet.row += 1
    for node in long:
        path = f"basics.{node.key}"
        value = d["basics"][node.key]
        text = shown(node, value, report, path)
        r = sheet.row
        rows = sheet.text(path, r, 2, text, last_col=last, align="top")
        # over several rows (a page may end among them) the label stands at the top
        sheet.cell(r, 1, node.label, last_row=r + rows - 1, bold=True, align="center" if rows == 1 else "center_top")
        sheet.height(r, 40)
        sheet.row += rows


# -- 收支情况 --------------------------------------------------------------------


def _group_depth(table: InstitutionRows, first: int, last: int) -> int:
    """How many of the table's groups enclose columns first..last (strictly larger)."""
    index = {c.key: i for i, c in enumerate(table.columns)}
    depth = 0
    for _heading, a, b in table.groups:
        ga, gb = index[a], index[b]
        if ga <= first and last <= gb and (ga, gb) != (first, last):
            depth += 1
    return depth


def header_rows(table: InstitutionRows) -> int:
    n = len(table.columns)
    deepest = max((_group_depth(table, i, i) for i in range(n)), default=0)
    return deepest + 1


def write_institution_table(sheet: PaperSheet, report: Report, table: InstitutionRows) -> None:
    columns = table.columns
    ncols = len(columns)
    index = {c.key: i for i, c in enumerate(columns)}
    last = ncols + 1
    sheet.cell(sheet.row, 1, table.label, last_col=last, bold=True, border=False, align="left")
    sheet.height(sheet.row, 22)
    sheet.row += 1
    top = sheet.row
    depth = header_rows(table)
    bottom = top + depth - 1
    sheet.cell(top, 1, form.INSTITUTIONS.item_label, last_row=bottom, bold=True, align="center")
    for heading, a, b in table.groups:
        ga, gb = index[a], index[b]
        r = top + _group_depth(table, ga, gb)
        sheet.cell(r, 2 + ga, heading, last_col=2 + gb, bold=True, align="center")
    for i, column in enumerate(columns):
        r = top + _group_depth(table, i, i)
        sheet.cell(r, 2 + i, column.label, last_row=bottom, bold=True, align="center")
        for k in range(r, bottom + 1):
            sheet.height(k, 30 if display_width(column.label) > sheet.widths[1 + i] * 0.9 else 20)
    sheet.row = bottom + 1

    institutions = report.institutions
    summary_row = sheet.row
    first_row = summary_row + 1
    rows = list(report.data[table.key])
    names = [institution_label(i, n) for i, n in enumerate(institutions)]
    if len(institutions) == 1:
        names += [institution_label(i + 1, n) for i, n in enumerate(form.PLACEHOLDER_INSTITUTIONS)]
    last_row = first_row + len(names) - 1

    # The summary row as every output shows it (Report.shown_summary): a figure the file
    # stated that differs from the sum is written as a figure, and comes back as stated;
    # every other cell is the column sum as a formula, so a figure changed in a spreadsheet
    # carries into it, and it comes back as the sum. Like the window's, the row is not to
    # be filled in (its cells stay locked); where each cell is goes to the data sheet
    # (``table.summary.column``), so that whatever a spreadsheet leaves there is read back.
    sheet.cell(summary_row, 1, form.SUMMARY_LABEL, bold=True, align="center")
    computed = report.summary_row(table)
    shown_row = report.shown_summary(table)
    for i, column in enumerate(columns):
        letter = col_letter(2 + i)
        sheet.written.refs[f"{table.key}.summary.{column.key}"] = sheet.ref(summary_row, 2 + i)
        if shown_row[column.key] != computed[column.key]:
            sheet.cell(summary_row, 2 + i, shown_row[column.key], label=False, align="number", fmt=MONEY_FORMAT)
            continue
        sheet.formula(
            summary_row,
            2 + i,
            _sum_formula([_range(f"{letter}{first_row}", f"{letter}{last_row}")]),
            _blank_or(computed[column.key]),
            align="number",
            fmt=MONEY_FORMAT,
        )
    sheet.height(summary_row, 20)

    targets = {check.target: check for check in table.sums}
    for k, name in enumerate(names):
        r = first_row + k
        sheet.height(r, 20)
        if k < len(rows):
            sheet.put(f"institutions.{k}", r, 1, visible_text(name), align="left")
            row = rows[k]
            effective = report.effective_row(table, row)
            for i, column in enumerate(columns):
                path = f"{table.key}.{k}.{column.key}"
                check = targets.get(column.key)
                if row[column.key] is None and check is not None:
                    parts = [f"{col_letter(2 + index[p])}{r}" for p in check.parts]
                    sheet.formula(
                        r, 2 + i, _sum_formula(parts), _blank_or(effective[column.key]),
                        path=path, align="number", fmt=MONEY_FORMAT,
                    )
                else:
                    sheet.put(path, r, 2 + i, row[column.key], align="number", fmt=MONEY_FORMAT)
        else:  # the blank 二级机构1, 二级机构2 of the paper: a clerk may rename and fill them
            place = k - len(rows)
            sheet.cell(r, 1, name, align="left", label=False, entry=True)
            cells = {"": f"{col_letter(1)}{r}"}
            for i, column in enumerate(columns):
                sheet.cell(r, 2 + i, None, align="number", fmt=MONEY_FORMAT, entry=True)
                sheet.entry(r, 2 + i, column)
                cells[column.key] = f"{col_letter(2 + i)}{r}"
            sheet.written.spares.append({"sheet": sheet.title, "table": table.key, "place": place,
                                         "name": form.PLACEHOLDER_INSTITUTIONS[place], "cells": cells})
    sheet.row = last_row + 2


def institution_label(index: int, name: str) -> str:
    return form.institution_label(index, name)


def summary_refs(refs: dict[str, str]) -> dict[str, str]:
    """Where each table's summary row stands (``income.summary.total`` → ``收支情况!B5``):
    the row above its first institution's."""
    out: dict[str, str] = {}
    for table in form.INSTITUTION_TABLES:
        for column in table.columns:
            ref = refs.get(f"{table.key}.0.{column.key}")
            m = re.match(r"^(.*)!([A-Z]+)(\d+)", ref or "")
            if m:
                out[f"{table.key}.summary.{column.key}"] = f"{m.group(1)}!{m.group(2)}{int(m.group(3)) - 1}"
    return out


_NUMBERED = re.compile(r"^\s*\d+\s*[、.．,，]\s*")


def institution_name(text: str) -> str:
    """``局机关`` from ``1、局机关`` (the row label as printed)."""
    return _NUMBERED.sub("", text, count=1).strip()


def write_money(sheet: PaperSheet, report: Report) -> None:
    last = len(sheet.widths)
    sheet.heading(SECTION_MONEY, last)
    for table in form.INSTITUTION_TABLES:
        write_institution_table(sheet, report, table)


# -- 绩效自评 --------------------------------------------------------------------


def write_performance(sheet: PaperSheet, report: Report) -> None:
    """The paper's part 三 (:data:`SECTION_PERFORMANCE`): its heading, then each of its tables in turn."""
    sheet.heading(SECTION_PERFORMANCE, len(sheet.widths))
    _write_qualitative(sheet, report)
    _write_indicators(sheet, report)
    _write_score(sheet, report)
    _write_score_items(sheet, report)


def _write_qualitative(sheet: PaperSheet, report: Report) -> None:
    """定性目标: its label down column A, 预期目标 over B:D, 实际完成 over E:F."""
    d = report.data
    q = form.QUALITATIVE
    expected, actual = q.columns
    rows = d[q.key] or [None]
    top = sheet.row
    sheet.cell(top, 2, expected.label, last_col=4, bold=True, align="center")
    sheet.cell(top, 5, actual.label, last_col=6, bold=True, align="center")
    sheet.height(top, 22)
    r = top + 1
    for k, row in enumerate(rows):
        if row is None:
            for first, lastc in ((2, 4), (5, 6)):
                sheet.cell(r, first, None, last_col=lastc, align="top")
            sheet.height(r, 60)
            r += 1
            continue
        texts = [(node, first, lastc, shown(node, row[node.key], report, f"{q.key}.{k}.{node.key}"))
                 for node, first, lastc in ((expected, 2, 4), (actual, 5, 6))]
        span = max(sheet.parts(text, first, lastc) for _node, first, lastc, text in texts)
        for node, first, lastc, text in texts:
            sheet.text(f"{q.key}.{k}.{node.key}", r, first, text, rows=span, last_col=lastc, align="top")
        r += span
    end = r - 1
    sheet.cell(top, 1, q.label, last_row=end, bold=True, align="center")
    sheet.row = end + 1


def _write_indicators(sheet: PaperSheet, report: Report) -> None:
    """定量指标: 评价内容 and 二级指标 merged down their runs, the header repeated on each page."""
    d = report.data
    ind = form.INDICATORS
    cols = {c.key: c for c in ind.columns}
    top = sheet.row
    sheet.cell(top, 2, cols["level1"].label, last_col=4, bold=True, align="center")
    sheet.cell(top, 5, cols["target"].label, bold=True, align="center")
    sheet.cell(top, 6, cols["actual"].label, bold=True, align="center")
    sheet.height(top, 22)
    sheet.sheet.print_rows = (top, top)  # the header repeats on every printed page
    rows = d[ind.key]
    place = {"level1": 2, "level2": 3, "name": 4, "target": 5, "actual": 6}
    if not rows:
        for col in place.values():
            sheet.cell(top + 1, col, None, align="center")
        sheet.height(top + 1, 30)
    starts: list[int] = []
    r = top + 1
    for k, row in enumerate(rows):
        shown_texts = {key: shown(cols[key], row[key], report, f"{ind.key}.{k}.{key}")
                       for key in ("name", "target", "actual")}
        span = max(sheet.parts(text, place[key], place[key]) for key, text in shown_texts.items())
        starts.append(r)
        for key, text in shown_texts.items():
            sheet.text(f"{ind.key}.{k}.{key}", r, place[key], text, rows=span,
                       align="left" if key != "name" else "center")
        sheet.height(r, 22)
        r += span
    starts.append(r)
    for key in ind.merge:
        col = place[key]
        # a run of the merged column never crosses a change of the columns left of it
        keys = ind.merge[: ind.merge.index(key) + 1]
        values = [tuple(row[m] for m in keys) if row[key] is not None else None for row in rows]
        for a, b in form.merge_runs(values):
            path = f"{ind.key}.{a}.{key}"
            text = shown(cols[key], rows[a][key], report, path)
            ra, rb = starts[a], starts[b + 1] - 1
            sheet.put(path, ra, col, text, last_row=rb, align="center")
            for k in range(a + 1, b + 1):
                sheet.written.refs[f"{ind.key}.{k}.{key}"] = sheet.ref(ra, col)
            if text:
                lines = text_lines(text, sheet.width(col, col))
                have = sum(sheet.get_height(k) for k in range(ra, rb + 1))
                need = row_points(lines)
                if need > have:
                    sheet.height(rb, min(MAX_ROW_POINTS, sheet.get_height(rb) + need - have))
    end = max(r - 1, top + 1)
    sheet.cell(top, 1, ind.label, last_row=end, bold=True, align="center")
    sheet.row = end + 1


def _write_score(sheet: PaperSheet, report: Report) -> None:
    """评分, 等级 (a formula of the bands when left blank) and the 等级档次."""
    d = report.data
    score = form.SCORE
    self_score = score.child("self_score")
    grade = score.child("grade")
    bands = score.child("bands")
    assert isinstance(self_score, Value) and isinstance(grade, Value)
    r = sheet.row
    sheet.cell(r, 1, score.label, last_row=r + 1, bold=True, align="center")
    sheet.cell(r, 2, self_score.label, bold=True, align="center")
    sheet.put("score.self_score", r, 3, d["score"]["self_score"], align="center", fmt=SCORE_FORMAT)
    sheet.cell(r, 4, grade.label, bold=True, align="center")
    score_ref = f"C{r}"
    if d["score"]["grade"] is None:
        sheet.formula(r, 5, _grade_formula(score_ref, report), _blank_or(report.grade()),
                      path="score.grade", last_col=6, align="center")
    else:
        sheet.put("score.grade", r, 5, visible_text(d["score"]["grade"]), last_col=6, align="center")
    sheet.height(r, 24)
    sheet.cell(r + 1, 2, bands.label, bold=True, align="center")
    text = grades.bands_text(d["score"]["bands"])
    sheet.put("score.bands", r + 1, 3, text, last_col=6, align="left")
    sheet.fit(r + 1, text, 3, 6)
    sheet.height(r + 1, 24)
    sheet.row = r + 3


def _write_score_items(sheet: PaperSheet, report: Report) -> None:
    """一级指标得分, with 得分率 and the 合计 row as formulas."""
    d = report.data
    items = form.SCORE_ITEMS
    icols = {c.key: c for c in items.columns}
    top = sheet.row
    sheet.cell(top, 2, icols["name"].label, bold=True, align="center")
    sheet.cell(top, 3, icols["weight"].label, bold=True, align="center")
    sheet.cell(top, 4, icols["score"].label, bold=True, align="center")
    sheet.cell(top, 5, PAPER.score_rate, last_col=6, bold=True, align="center")
    sheet.height(top, 22)
    rows = d[items.key]
    for k, row in enumerate(rows):
        r = top + 1 + k
        sheet.put(f"{items.key}.{k}.name", r, 2, shown(icols["name"], row["name"], report, ""), align="center")
        sheet.put(f"{items.key}.{k}.weight", r, 3, row["weight"], align="center", fmt=SCORE_FORMAT)
        sheet.put(f"{items.key}.{k}.score", r, 4, row["score"], align="center", fmt=SCORE_FORMAT)
        sheet.formula(r, 5, f'=IF(OR(C{r}="",D{r}="",N(C{r})=0),"",D{r}/C{r})',
                      _rate(row["score"], row["weight"]), last_col=6, align="center", fmt=PERCENT_FORMAT)
        sheet.height(r, 20)
    total = top + 1 + len(rows)
    sheet.cell(total, 2, PAPER.total_row, bold=True, align="center")
    weights = [r["weight"] for r in rows]
    scores = [r["score"] for r in rows]
    from models.money import add

    first, lastr = top + 1, max(total - 1, top + 1)
    sheet.formula(total, 3, _sum_formula([_range(f"C{first}", f"C{lastr}")]), _blank_or(add(weights)),
                  align="center", fmt=SCORE_FORMAT)
    sheet.formula(total, 4, _sum_formula([_range(f"D{first}", f"D{lastr}")]), _blank_or(add(scores)),
                  align="center", fmt=SCORE_FORMAT)
    sheet.formula(total, 5, f'=IF(OR(C{total}="",D{total}="",N(C{total})=0),"",D{total}/C{total})',
                  _rate(add(scores), add(weights)), last_col=6, align="center", fmt=PERCENT_FORMAT)
    sheet.height(total, 20)
    sheet.cell(top, 1, items.label, last_row=total, bold=True, align="center")
    sheet.row = total + 2

def _rate(score: Decimal | None, weight: Decimal | None) -> Any:
    if score is None or weight is None or weight == 0:
        return ""
    return score / weight


def _grade_formula(ref: str, report: Report) -> str:
    expr = '""'
    for lower, word in sorted(report.bands(), key=lambda b: b[0]):
        word_text = visible_text(word).replace('"', '""')
        expr = f'IF({ref}>={format_decimal(lower)},"{word_text}",{expr})'
    return f'=IF({ref}="","",{expr})'


# -- 评价人员 --------------------------------------------------------------------


def write_people(sheet: PaperSheet, report: Report) -> None:
    d = report.data["signatures"]
    last = len(sheet.widths)
    sheet.heading(form.SIGNATURES.label, last)
    ev = form.EVALUATORS
    top = sheet.row
    for i, column in enumerate(ev.columns):
        sheet.cell(top, 1 + i, column.label, bold=True, align="center")
    sheet.cell(top, len(ev.columns) + 1, PAPER.sign_column, bold=True, align="center")
    sheet.height(top, 24)
    rows = d[ev.key]
    for k in range(max(len(rows), 4)):
        r = top + 1 + k
        for i, column in enumerate(ev.columns):
            if k < len(rows):
                path = f"signatures.{ev.key}.{k}.{column.key}"
                text = shown(column, rows[k][column.key], report, path)
                sheet.put(path, r, 1 + i, text, align="center")
                sheet.fit(r, text, 1 + i, 1 + i)
            else:
                sheet.cell(r, 1 + i, None)
        sheet.cell(r, len(ev.columns) + 1, None)
        sheet.height(r, 28)
    sheet.row = top + 1 + max(len(rows), 4) + 1
    for opinion in form.OPINIONS:
        node = form.SIGNATURES.child(opinion.key)
        assert isinstance(node, Value)
        path = f"signatures.{opinion.key}"
        r = sheet.row
        sheet.cell(r, 1, f"{opinion.label}：", last_col=last, bold=True, align="left")
        sheet.height(r, 22)
        text = shown(node, d[opinion.key], report, path)
        rows = sheet.text(path, r + 1, 1, text, last_col=last, align="top")
        sheet.height(r + 1, 60)
        lines = "\n".join([*(f"{line}{' ' * 16}" for line in opinion.sign_lines), "　　".join(PAPER.date_words)])
        sheet.cell(r + 1 + rows, 1, lines, last_col=last, align="right")
        sheet.height(r + 1 + rows, row_points(len(opinion.sign_lines) + 1))
        sheet.row = r + 3 + rows


# -- 基本支出明细, 项目支出明细 (the narrative's tables) ----------------------------------


def write_basic_items(sheet: PaperSheet, report: Report) -> None:
    n = report.data["narrative"]
    items = form.BASIC_ITEMS
    last = len(sheet.widths)
    sheet.heading(items.label, last)
    cols = {c.key: c for c in items.columns}
    top = sheet.row
    sheet.sheet.print_rows = (top, top)
    for i, column in enumerate(items.columns):
        sheet.cell(top, 1 + i, column.label + (PAPER.amount_unit if column.kind == "money" else ""),
                   bold=True, align="center")
    sheet.height(top, 22)
    rows = n[items.key]
    for k, row in enumerate(rows):
        r = top + 1 + k
        name_path = f"narrative.{items.key}.{k}.name"
        name = shown(cols["name"], row["name"], report, name_path)
        sheet.put(name_path, r, 2, name, align="left")
        sheet.put(f"narrative.{items.key}.{k}.amount", r, 3, row["amount"], align="number", fmt=MONEY_FORMAT)
        sheet.height(r, 20)
        sheet.fit(r, name, 2, 2)
    # 人员经费 and 公用经费 print once, over their items, as on paper
    for a, b in form.merge_runs([row["group"] for row in rows]):
        path = f"narrative.{items.key}.{a}.group"
        text = shown(cols["group"], rows[a]["group"], report, path)
        sheet.put(path, top + 1 + a, 1, text, last_row=top + 1 + b, align="center")
        for k in range(a + 1, b + 1):
            sheet.written.refs[f"narrative.{items.key}.{k}.group"] = sheet.ref(top + 1 + a, 1)
    sheet.row = top + len(rows) + 2


def write_projects(sheet: PaperSheet, report: Report) -> None:
    n = report.data["narrative"]
    projects = form.PROJECTS
    sheet.heading(projects.label, len(sheet.widths))
    top = sheet.row
    sheet.sheet.print_rows = (top, top + 1)
    pcols = {c.key: c for c in projects.columns}
    ucols = {c.key: c for c in form.PROJECT_USES.columns}
    sheet.cell(top, 1, pcols["name"].label, last_row=top + 1, bold=True, align="center")
    sheet.cell(top, 2, pcols["amount"].label + PAPER.amount_unit, last_row=top + 1, bold=True, align="center")
    sheet.cell(top, 3, form.PROJECT_USES.label, last_col=4, bold=True, align="center")
    sheet.cell(top + 1, 3, ucols["name"].label, bold=True, align="center")
    sheet.cell(top + 1, 4, ucols["amount"].label + PAPER.amount_unit, bold=True, align="center")
    r = top + 2
    for k, project in enumerate(n[projects.key]):
        uses = project["uses"]
        span = max(len(uses), 1)
        base = f"narrative.{projects.key}.{k}"
        name = shown(pcols["name"], project["name"], report, f"{base}.name")
        sheet.put(f"{base}.name", r, 1, name, last_row=r + span - 1, align="left")
        sheet.put(f"{base}.amount", r, 2, project["amount"], last_row=r + span - 1,
                  align="number", fmt=MONEY_FORMAT)
        for j in range(span):
            sheet.height(r + j, 20)
            if j < len(uses):
                upath = f"{base}.uses.{j}"
                use_name = shown(ucols["name"], uses[j]["name"], report, f"{upath}.name")
                sheet.put(f"{upath}.name", r + j, 3, use_name, align="left")
                sheet.put(f"{upath}.amount", r + j, 4, uses[j]["amount"], align="number", fmt=MONEY_FORMAT)
                sheet.fit(r + j, use_name, 3, 3)
            else:
                sheet.cell(r + j, 3, None)
                sheet.cell(r + j, 4, None, fmt=MONEY_FORMAT)
        if name:
            need = row_points(text_lines(name, sheet.width(1, 1)))
            have = sum(sheet.get_height(r + j) for j in range(span))
            if need > have:
                sheet.height(r + span - 1, sheet.get_height(r + span - 1) + need - have)
        r += span
    sheet.row = r + 1


# -- 自评表 (附件2) ------------------------------------------------------------------



def _linked(sheet: PaperSheet, row: int, col: int, source: str | None, cached: str, rows: int = 1, **kw: Any) -> None:
    """A cell that shows another sheet's cell (the 定量指标 row's own name, target, actual):
    one row, two views, so a correction there shows here too. A text too long for one row
    here, or shown there in parts, is written out in parts instead."""
    if source is None or ":" in source or sheet.parts(cached, col, col) > 1:
        sheet.text(None, row, col, cached or None, rows=rows, **kw)
        return
    where, _, coord = source.rpartition("!")
    ref = f"'{where}'!{coord}"
    sheet.formula(row, col, f'=IF({ref}="","",{ref})', cached, last_row=row + rows - 1, **kw)


def _put_text(sheet: PaperSheet, path: str | None, row: int, col: int, text: str | None, rows: int, **kw: Any) -> None:
    """A text of the report (``path``) or one only shown (None) over ``rows`` rows."""
    sheet.text(path, row, col, text or None, rows=rows, **kw)


def write_scoring(sheet: PaperSheet, report: Report) -> None:
    from models import scoring

    scored = scoring.tree(report)
    if scored is None:  # pragma: no cover - the sheet is left out (see write_visible)
        return
    frame = scored.framework
    last = len(sheet.widths)
    sheet.heading(frame.attachment, last)
    sheet.heading(f"{report.dept_name}{report.year or ''}{'年度' if report.year else ''}{frame.title}", last, "title")
    top = sheet.row
    sheet.sheet.print_rows = (top, top)  # the header repeats on every printed page
    sheet.sheet.landscape = True  # as 附件2 prints
    for c, key in enumerate(PAPER.scoring_columns, 1):
        sheet.cell(top, c, frame.columns[key], bold=True, align="center")
    sheet.height(top, 30)
    rows = scoring.printed_rows(scored)
    first = top + 1
    refs = sheet.written.refs
    starts: list[int] = []
    r = first
    for printed in rows:
        starts.append(r)
        leaf = printed.leaf
        if leaf is None:
            sheet.height(r, 22)
            for c in range(7, last + 1):
                sheet.cell(r, c, None, align="left")
            r += 1
            continue
        texts = {
            "name": visible_text(leaf.name),
            "criteria": visible_text(leaf.shown_criteria or ""),
            "target": visible_text(scoring.shown_target(frame, leaf) or ""),
            "actual": visible_text(scoring.shown_actual(report, leaf) or ""),
            "reason": visible_text(leaf.reason or ""),
        }
        base: str | None
        if leaf.row is not None:
            base = f"indicators.{leaf.row}"
        else:
            base = leaf.key if leaf.item is not None else None
        stored = {key: report.get(f"{base}.{key}") if base and leaf.row is None else None
                  for key in ("target", "actual")}
        for key in ("target", "actual"):
            if stored[key] is not None:
                texts[key] = visible_text(str(stored[key]))
        if leaf.criteria and leaf.row is not None:
            texts["criteria"] = visible_text(leaf.criteria)
        columns = {"name": 7, "criteria": 9, "target": 10, "actual": 11, "reason": 13}
        span = max(sheet.parts(texts[key], c, c) for key, c in columns.items())
        sheet.height(r, 22)
        if leaf.row is not None:
            _linked(sheet, r, 7, refs.get(f"{base}.name"), texts["name"], rows=span, align="left")
            sheet.put(f"{base}.weight", r, 8, leaf.weight, last_row=r + span - 1, align="center", fmt=SCORE_FORMAT)
            for c, key in ((10, "target"), (11, "actual")):
                _linked(sheet, r, c, refs.get(f"{base}.{key}"), texts[key], rows=span, align="left")
        else:
            _put_text(sheet, None, r, 7, texts["name"], span, align="left")
            sheet.cell(r, 8, leaf.weight, last_row=r + span - 1, align="center", fmt=SCORE_FORMAT, label=False)
            for c, key in ((10, "target"), (11, "actual")):
                path = f"{base}.{key}" if base and stored[key] is not None else None
                _put_text(sheet, path, r, c, texts[key], span, align="left")
        criteria_path = f"{base}.criteria" if leaf.criteria and leaf.row is not None else None
        _put_text(sheet, criteria_path, r, 9, texts["criteria"], span, align="left")
        if base:
            sheet.put(f"{base}.score", r, 12, leaf.score, last_row=r + span - 1, align="center", fmt=SCORE_FORMAT)
            sheet.text(f"{base}.reason", r, 13, texts["reason"] or None, rows=span, align="left")
        else:
            sheet.cell(r, 12, None, last_row=r + span - 1, align="center", fmt=SCORE_FORMAT)
            sheet.cell(r, 13, None, last_row=r + span - 1, align="left")
        r += span
    starts.append(r)
    # 一级 and 二级 lines: merged down their rows, 分值 and 得分 the live sums of their 三级 lines
    level1_tops: list[int] = []
    for level, (name_col, weight_col, score_col) in ((1, (1, 2, 3)), (2, (4, 5, 6))):
        for a, b in scoring.runs(rows, level):
            ra, rb = starts[a], starts[b + 1] - 1
            node: Any = rows[a].node1 if level == 1 else rows[a].node2
            sheet.cell(ra, name_col, visible_text(node.name) or None, last_row=rb, align="center", label=False)
            fixed = rows[a].node1.weight if level == 1 else (node.level2.weight if node.level2 else None)
            if fixed is not None:  # the 指标体系's 分值; its 三级 lines are checked against it
                sheet.cell(ra, weight_col, fixed, last_row=rb, align="center", fmt=SCORE_FORMAT)
            for col, letter in ((weight_col, "H"), (score_col, "L")):
                if col == weight_col and fixed is not None:
                    continue
                sheet.formula(ra, col, _sum_formula([_range(f"{letter}{ra}", f"{letter}{rb}")]),
                              _blank_or(_sum_of(rows[a:b + 1], letter)), last_row=rb, align="center",
                              fmt=SCORE_FORMAT)
            if level == 1:
                level1_tops.append(ra)
    total = r
    sheet.cell(total, 1, frame.columns["total"], bold=True, align="center")
    for col, letter, cached in ((2, "B", scored.weight), (3, "C", _sum_of(rows, "L"))):
        cells = [f"{letter}{t}" for t in level1_tops] or [f"{letter}{first}"]
        sheet.formula(total, col, _sum_formula(cells), _blank_or(cached), align="center", fmt=SCORE_FORMAT)
    sheet.cell(total, 4, None, last_col=last)
    sheet.height(total, 22)
    sheet.row = total + 2


def _sum_of(rows: list[Any], letter: str) -> Decimal | None:
    """What a live sum over these rows' 分值 (H) or 得分 (L) computes: blank when all are blank."""
    leaves = [r.leaf for r in rows if r.leaf is not None]
    return add([leaf.weight if letter == "H" else leaf.score for leaf in leaves])


#: Column widths of each visible sheet, in characters.
WIDTHS: dict[str, list[float]] = {
    SHEET_COVER: [22, 34, 16, 34],
    SHEET_MONEY: [24, 12, 12, 12, 12, 12, 12, 12],
    SHEET_PERFORMANCE: [12, 16, 16, 22, 22, 34],
    SHEET_PEOPLE: [16, 18, 34, 20],
    SHEET_BASIC_ITEMS: [16, 36, 16],
    SHEET_PROJECTS: [48, 14, 28, 14],
    SHEET_SCORING: [10, 6, 6, 12, 6, 6, 20, 6, 32, 14, 18, 7, 22],
}

WRITERS = {
    SHEET_COVER: write_cover,
    SHEET_MONEY: write_money,
    SHEET_PERFORMANCE: write_performance,
    SHEET_PEOPLE: write_people,
    SHEET_BASIC_ITEMS: write_basic_items,
    SHEET_PROJECTS: write_projects,
    SHEET_SCORING: write_scoring,
}

#: The narrative's table each optional sheet shows; the sheet is left out when it is empty.
OPTIONAL = {SHEET_BASIC_ITEMS: form.BASIC_ITEMS.key, SHEET_PROJECTS: form.PROJECTS.key}


def write_visible(book: xlsx.Book, report: Report) -> Written:
    written = Written()
    styles = CellStyles(book)
    from models import scoring

    for title in VISIBLE_SHEETS:
        if title in OPTIONAL and not report.data["narrative"][OPTIONAL[title]]:
            continue
        if title == SHEET_SCORING and scoring.framework_of(report) is None:
            continue
        sheet = PaperSheet(book, title, WIDTHS[title], styles, written)
        WRITERS[title](sheet, report)
        sheet.sheet.protected = True
        sheet.sheet.footer = footer(report)
    return written


def footer(report: Report) -> str:
    """The printed footer: the department and year on the left, 第 N 页 共 M 页 on the right."""
    year = f"{report.year}年度" if report.year is not None else ""
    title = report.form.title if report.flat else PAPER.title
    who = f"{report.dept_name}{year}{title}".replace("&", "&&")
    return f"&L&9{who}&R&9第 &P 页 共 &N 页"
