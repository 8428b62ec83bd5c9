"""Placing a workbook the program did not write: a clerk's own filled template.

Tables and fields are found by their labels, never by fixed coordinates: a
label matches when it reads the same after :func:`models.synonyms.normal`
(full-width characters folded, spaces, line breaks, quotes, a ``其中：``
prefix, a trailing colon and a unit removed), so ``联 系 人：`` and ``联系人``
are one label; the words clerks and official templates write instead
(``一般公共预算财政拨款`` for ``公共财政拨款``) are the template's ``aliases``
(:func:`models.synonyms.words`). Every label and column comes from
:mod:`models.form`.

A label that heads a column of a table is not a field: the 一级指标 table's
``自评得分`` is no 评分, a notes column's ``备注`` no grade bands. A row
labelled ``合计`` in a 机构 table is the summary row; the 合计 row under a
table of figures is compared with the sum of its rows. A long text the
program split over several rows (the next parts marked by their cell style)
is read back whole.

Whatever holds content but could not be placed is a :class:`Problem` naming
its sheet and cell (``收支情况!C7``); so is a figure that cannot be read, and
a formula whose file carries no computed value (formulas are never
evaluated). Nothing is imported until the clerk has seen the list and agreed.
Where each value was found is kept in :attr:`Placement.cells`, so that the
findings of 审核 can name the workbook's cells.

The placing is one object built in layers, each a class by what it places and
each using only those before it: the cells and the tables' headers, the fields,
the 机构 tables, the tables of rows, the 自评表; the last puts them in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from models import form, grades, synonyms
from models.document import blank_row, clean_text, level1_word
from models.errors import ValueInputError
from models.form import InstitutionRows, Rows, Value
from models.money import add, format_decimal
from models.paper import PAPER
from models.report import Report
from reports.workbook import layout
from reports.workbook.datasheet import DATA_SHEET
from reports.workbook.placement import Cached, Placement, Problem

#: A reference to another sheet's cell inside a formula: 'sheet'!D12.
_LINK = re.compile(r"'((?:[^']|'')+)'!\$?([A-Z]{1,3}\$?\d+)")

key = synonyms.normal
heading_key = synonyms.heading

Cell = tuple[str, int, int]


@dataclass
class _Grid:
    """The non-empty cells of the visible sheets, and which of them were used."""

    values: dict[Cell, Any] = field(default_factory=dict)
    formulas: dict[Cell, str] = field(default_factory=dict)
    #: any cell of a merged range → its top-left cell
    merged: dict[Cell, Cell] = field(default_factory=dict)
    #: top-left cell → (last row, last column)
    spans: dict[Cell, tuple[int, int]] = field(default_factory=dict)
    used: set[Cell] = field(default_factory=set)
    order: list[Cell] = field(default_factory=list)
    by_key: dict[str, list[Cell]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    #: empty cells with a border: a blank row of a table, not its end
    bordered: set[Cell] = field(default_factory=set)
    #: the next part of a long text split over rows (:data:`layout.CONTINUED_FORMAT`)
    continued: set[Cell] = field(default_factory=set)


def _grid(wb: Any) -> _Grid:
    grid = _Grid()
    for ws in wb.worksheets:
        # The data sheet is ours even when a spreadsheet has made it merely hidden, or shown it.
        if ws.sheet_state != "visible" or ws.title == DATA_SHEET:
            continue
        title = ws.title
        grid.sheets.append(title)
        for rng in ws.merged_cells.ranges:
            top = (title, rng.min_row, rng.min_col)
            grid.spans[top] = (rng.max_row, rng.max_col)
            if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > 10000:
                continue
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        grid.merged[(title, r, c)] = top
        for (r, c), cell in sorted(ws._cells.items()):
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                if cell.has_style and cell.border.bottom is not None and cell.border.bottom.style:
                    grid.bordered.add((title, r, c))
                continue
            where = (title, r, c)
            grid.values[where] = value
            grid.order.append(where)
            if cell.data_type == "f":
                grid.formulas[where] = str(value)
            elif isinstance(value, str):
                grid.by_key.setdefault(key(value), []).append(where)
                if cell.has_style and cell.number_format == layout.CONTINUED_FORMAT:
                    grid.continued.add(where)
    return grid


def _coord(where: Cell) -> str:
    return f"{layout.col_letter(where[2])}{where[1]}"


def _ref(where: Cell) -> str:
    return f"{where[0]}!{_coord(where)}"


def _words(*keys: str) -> tuple[str, ...]:
    return tuple(w for k in keys for w in synonyms.words(k))


@dataclass
class _Header:
    """Where a 机构 table's header was found: its columns, names and notes."""

    anchor: Cell
    #: column key → sheet column
    columns: dict[str, int]
    cells: list[Cell]
    name_col: int
    bottom: int
    missing: list[str]


class _Cells:
    """The workbook as a grid of cells, and the headers of its tables: what every part
    of the placing reads (the parts below, each a class by what it places)."""

    def __init__(self, wb: Any, cached: Cached, name: str) -> None:
        self.grid = _grid(wb)
        self.position = {where: i for i, where in enumerate(self.grid.order)}
        self.cached = cached
        self.report = Report()
        self.placement = Placement(self.report, name, ours=False)
        self.data = self.report.data
        #: the last row rows_below() looked at
        self.last_row = 0
        #: cells that head a column of a table: never a field's label
        self.headers: set[Cell] = set()
        #: (sheet, column) of a notes column → the row of its header
        self.notes: dict[tuple[str, int], int] = {}
        self._rows: dict[tuple[str, ...], list[Cell] | None] = {}
        #: Headings only the 自评表 has (二级指标, 三级指标): a row with them is not the
        #: 一级指标 table's header.
        from models import framework as fw

        self.scoring_only = tuple(dict.fromkeys(f.columns[k] for f in fw.available() for k in ("level2", "level3")))
        self._tables: dict[str, _Header | None] = {}

    # -- cells ------------------------------------------------------------

    def problem(self, where: Cell | None, message: str) -> None:
        if where is None:
            self.placement.problems.append(Problem(message))
        else:
            self.placement.problems.append(Problem(message, where[0], _coord(where)))

    def top(self, where: Cell) -> Cell:
        return self.grid.merged.get(where, where)

    def raw(self, where: Cell) -> Any:
        """A cell's value; a formula's cached result (None, with a problem, when it has none)."""
        where = self.top(where)
        if where not in self.grid.values:
            return None
        self.grid.used.add(where)
        if where in self.grid.formulas:
            value = self.cached.value(where[0], _coord(where))
            if value is None:
                self.problem(
                    where,
                    f"单元格是公式（{self.grid.formulas[where]}），但文件中没有保存计算结果，程序不计算公式；"
                    "请在 Excel 或 WPS 中打开并保存后再导入，或直接填写数字。",
                )
            return value
        return self.grid.values[where]

    def linked_text(self, where: Cell) -> str:
        """A cell's text; a formula that shows another sheet's cell (``='绩效自评'!D12``,
        as the 自评表 shows a 定量指标 row's name) reads that cell, without calculating."""
        where = self.top(where)
        formula = self.grid.formulas.get(where)
        if formula is None:
            return self.text(where) + self.continuation(where)
        m = _LINK.search(formula)
        if m is None:
            return ""
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        letters, row = coordinate_from_string(m.group(2))
        linked = (m.group(1).replace("''", "'"), row, column_index_from_string(letters))
        return self.text(linked) + self.continuation(linked, mark=False)

    def raw_quiet(self, where: Cell) -> None:
        """Mark a computed cell (得分率) as placed without reading it."""
        where = self.top(where)
        self.grid.used.add(where)
        self.continuation(where)

    def continuation(self, where: Cell, mark: bool = True) -> str:
        """The next parts of a long text the program split over the rows below ``where``."""
        sheet, r, c = where
        parts: list[str] = []
        below = (sheet, self.grid.spans.get(where, (r, c))[0] + 1, c)
        while below in self.grid.continued:
            parts.append(str(self.grid.values[below]))
            if mark:
                self.grid.used.add(below)
            below = (sheet, self.grid.spans.get(below, (below[1], c))[0] + 1, c)
        return "".join(parts)

    def value(self, node: Value, where: Cell, path: str, at: str | None = None) -> Any:
        """The report's value of ``node`` from a cell; ``at`` (the value's own path) keeps the cell."""
        where = self.top(where)
        raw = self.raw(where)
        if isinstance(raw, str):
            raw += self.continuation(where)
            if node.kind not in ("money", "score", "int", "yearmonth"):
                raw = raw.strip()
        try:
            found = layout.unshown(node, raw, self.report, path)
        except ValueInputError as exc:
            self.problem(where, str(exc))
            return None
        if at is not None and where in self.grid.values:
            self.placement.cells[at] = _ref(where)
        return found

    def text(self, where: Cell) -> str:
        value = self.grid.values.get(self.top(where))
        return "" if value is None or self.top(where) in self.grid.formulas else str(value)

    def find(self, *words: str, sheet: str | None = None) -> list[Cell]:
        out: set[Cell] = set()
        for word in words:
            out.update(c for c in self.grid.by_key.get(key(word), []) if sheet is None or c[0] == sheet)
        return sorted(out, key=self.position.__getitem__)

    def right_of(self, where: Cell, limit: int = 4) -> Cell | None:
        """The next non-empty cell right of a label (past the label's own merge)."""
        sheet, r, c = where
        last = self.grid.spans.get(where, (r, c))[1]
        for k in range(last + 1, last + 1 + limit):
            cell = self.top((sheet, r, k))
            if cell in self.grid.values:
                return cell
        return None

    def is_label(self, where: Cell) -> bool:
        """A label that ends a table or cannot be a value (not a column of the 机构 tables,
        whose words such as 公务接待费 are also item names)."""
        text = self.text(where)
        return bool(text) and (key(text) in _STOP_KEYS or heading_key(text) in _STOP_KEYS)

    # -- table headers, found before the fields ------------------------------------

    def header_row(self, keys: tuple[str, ...]) -> list[Cell] | None:
        """Cells of the labels of ``keys`` side by side in one row (first match in sheet order).

        A row that also heads the 自评表 (二级指标, 三级指标) is the 自评表's, not this table's.
        """
        if keys in self._rows:
            return self._rows[keys]
        found = None
        for first in self.find(*synonyms.words(keys[0])):
            sheet, r, _c = first
            if keys != _SCORING_KEYS and self.in_row(sheet, r, self.scoring_only):
                continue
            cells = [first]
            for k in keys[1:]:
                hits = [w for w in self.find(*synonyms.words(k), sheet=sheet) if w[1] == r and w not in cells]
                if not hits:
                    break
                cells.append(hits[0])
            else:
                found = cells
                break
        self._rows[keys] = found
        if found is not None:
            self.headers.update(found)
            self.notes_in(found[0][0], {w[1] for w in found}, found)
        return found

    def in_row(self, sheet: str, r: int, words: tuple[str, ...]) -> bool:
        return any(w[1] == r for w in self.find(*words, sheet=sheet))

    def notes_in(self, sheet: str, rows: set[int], header: list[Cell]) -> None:
        """A 备注 column beside a table's header: its cells are the clerk's notes, not the report's."""
        first = min(w[2] for w in header)
        for w in self.find(*synonyms.NOTES, sheet=sheet):
            if w[1] in rows and w[2] > first - 1 and w not in header:
                self.headers.add(w)
                self.grid.used.add(w)
                bottom = self.grid.spans.get(w, (w[1], w[2]))[0]
                self.notes[(sheet, w[2])] = bottom

    def scoring_header(self) -> tuple[Any, list[Cell]] | None:
        """The 自评表's header, by the headings of a 指标体系."""
        from models import framework as fw

        for frame in fw.available():
            cols = frame.columns
            header = self.header_row_words([cols["level1"], cols["level2"], cols["level3"], cols["criteria"]])
            if header is not None:
                sheet, r = header[0][0], header[0][1]
                self.headers.update(w for w in self.grid.values if w[0] == sheet and w[1] == r)
                return frame, header
        return None

    def header_row_words(self, words: list[str]) -> list[Cell] | None:
        for first in self.find(words[0]):
            sheet, r, _c = first
            cells = [first]
            for word in words[1:]:
                hits = [w for w in self.find(word, sheet=sheet) if w[1] == r]
                if not hits:
                    break
                cells.append(hits[0])
            else:
                return cells
        return None


class _Fields(_Cells):
    """The form's single values: each found by its label, the value beside or under it."""

    def scalar(self, path: str, node: Value, words: tuple[str, ...]) -> bool:
        """A field found by its label: the value in the same cell after a colon, or to its right."""
        for where in self.find(*words):
            if where in self.headers:
                continue
            self.grid.used.add(where)
            target = self.right_of(where)
            if target is not None and not self.is_label(target):
                self.put(path, self.value(node, target, path, at=path))
            return True  # else the label is there and its value is blank
        for where, value in self.grid.values.items():
            if where in self.grid.formulas or not isinstance(value, str):
                continue
            found = _inline(value, words)
            if found is not None:
                self.grid.used.add(where)
                try:
                    self.put(path, layout.unshown(node, found or None, self.report, path))
                except ValueInputError as exc:
                    self.problem(where, str(exc))
                else:
                    self.placement.cells[path] = _ref(where)
                return True
        return False

    def put(self, path: str, value: Any) -> None:
        self.report.put(path, value)

    def fields(self) -> None:
        for record in (form.COVER, form.BASICS):
            for node in record.values():
                path = f"{record.key}.{node.key}"
                self.scalar(path, node, synonyms.words(path))
        self.find_title()
        for score_node in form.SCORE.values():
            path = f"score.{score_node.key}"
            self.scalar(path, score_node, synonyms.words(path))
        self.bands()
        self.opinions()
        if self.data["cover"]["year"] is None:
            self.placement.notes.append(Problem("没有找到年度：请在导入后填写，或在封面写上「年度」。"))

    def find_title(self) -> None:
        """``{部门}{年度}年度部门整体支出`` — the title gives the name and year if no label does.
        Every sheet's title is a title (the first one gives the name and year)."""
        pattern = re.compile(r"^(.*?)(\d{4})?\s*年度?\s*部门(?:（单位）|\(单位\))?整体支出")
        for where, value in self.grid.values.items():
            if not isinstance(value, str) or where in self.grid.formulas:
                continue
            m = pattern.match(unicodedata.normalize("NFKC", value).strip())
            if m:
                self.grid.used.add(where)
                cover = self.data["cover"]
                if cover["dept_name"] is None and m.group(1).strip():
                    cover["dept_name"] = m.group(1).strip()
                    self.placement.cells.setdefault("cover.dept_name", _ref(where))
                if cover["year"] is None and m.group(2):
                    cover["year"] = int(m.group(2))
                    self.placement.cells.setdefault("cover.year", _ref(where))

    def bands(self) -> None:
        """备注: the grade bands. A 备注 heading a column of notes is not it; among several,
        the one that reads as bands; none found is said, never silently the default."""
        node = form.SCORE.child("bands")
        unread: list[tuple[Cell, str]] = []
        candidates: list[tuple[Cell, str]] = []
        for where in self.find(*synonyms.words("score.bands")):
            if where in self.headers:
                continue
            target = self.right_of(where)
            if target is not None and target not in self.headers:
                candidates.append((target, self.text(target)))
                self.grid.used.add(where)
        for where, value in self.grid.values.items():
            if isinstance(value, str) and where not in self.grid.formulas and where not in self.headers:
                found = _inline(value, (node.label,), to_end=True)
                if found:
                    candidates.append((where, found))
        for where, text in candidates:
            try:
                bands = grades.parse_bands_text(text)
            except ValueInputError as exc:
                unread.append((where, str(exc)))
                continue
            if bands is not None:
                self.grid.used.add(where)
                self.data["score"]["bands"] = bands
                self.placement.cells["score.bands"] = _ref(where)
                return
            if _BANDS_LIKE.search(unicodedata.normalize("NFKC", text)):
                unread.append((where, f"看不懂等级档次「{text[:40]}」"))
        default = grades.bands_text(self.data["score"]["bands"])
        for where, message in unread:
            self.grid.used.add(where)
            self.problem(where, f"{message}，已按默认档次（{default}）。")
        if not unread and any(
            self.data["score"][k] is not None for k in ("self_score", "grade")
        ):
            self.placement.notes.append(Problem(
                f"没有找到评分的备注（等级档次），按默认档次：{default}；如不同，请在导入后改正。"))

    def opinions(self) -> None:
        sign_keys = [key(line) for o in form.OPINIONS for line in o.sign_lines]
        for opinion in form.OPINIONS:
            label = key(opinion.label)
            path = f"signatures.{opinion.key}"
            for where, value in self.grid.values.items():
                if not isinstance(value, str) or where in self.grid.formulas or not key(value).startswith(label):
                    continue
                self.grid.used.add(where)
                text = _after_label(value, opinion.label)
                lines = [ln for ln in text.split("\n") if not _is_sign_line(ln, sign_keys)]
                found = "\n".join(lines).strip()
                at = where
                if not found:
                    sheet, r, c = where
                    below_row = self.grid.spans.get(where, (r, c))[0] + 1
                    below = self.top((sheet, below_row, c))
                    if below in self.grid.values and not self.is_label(below) and not _is_sign_line(
                        self.text(below), sign_keys
                    ):
                        found = (self.text(below) + self.continuation(below)).strip()
                        self.grid.used.add(below)
                        at = below
                self.data["signatures"][opinion.key] = found or None
                if found:
                    self.placement.cells[path] = _ref(at)
                break
        for where, value in self.grid.values.items():
            if isinstance(value, str) and all(_is_sign_line(ln, sign_keys) for ln in value.split("\n") if ln.strip()):
                self.grid.used.add(where)


class _InstitutionTables(_Fields):
    """收入, 支出, 三公经费 and 固定资产: a row per 机构 under a header of the form's columns."""

    def institution_tables(self) -> None:
        found: dict[str, list[tuple[str, dict[str, Any], dict[str, Cell]]]] = {}
        summaries: dict[str, dict[str, Any]] = {}
        for table in form.INSTITUTION_TABLES:
            rows, summary = self.institution_table(table)
            found[table.key] = rows
            if summary is not None:
                summaries[table.key] = summary
        # Rows are matched across the tables by name; the n-th row of a name
        # that occurs twice matches the n-th row of that name elsewhere.
        keyed: dict[str, dict[tuple[str, int], tuple[dict[str, Any], dict[str, Cell]]]] = {}
        order: list[tuple[str, int]] = []
        for table_key, rows in found.items():
            seen: dict[str, int] = {}
            keyed[table_key] = {}
            for name, row, cells in rows:
                k = (name, seen.get(name, 0))
                seen[name] = k[1] + 1
                keyed[table_key][k] = (row, cells)
                if k not in order:
                    order.append(k)
        if not order:
            order = [(n, 0) for n in form.DEFAULT_INSTITUTIONS]
        names = [name for name, _ in order]
        self.data["institutions"] = names
        for table in form.INSTITUTION_TABLES:
            rows_by = keyed.get(table.key, {})
            self.data[table.key] = []
            for i, k in enumerate(order):
                row, cells = rows_by.get(k, (blank_row(table.row), {}))
                self.data[table.key].append(row)
                for column, where in cells.items():
                    at = f"institutions.{i}" if column == "" else f"{table.key}.{i}.{column}"
                    self.placement.cells.setdefault(at, _ref(where))
        if any(any(v is not None for v in s.values()) for s in summaries.values()):
            self.data["summary"] = {
                t.key: summaries.get(t.key, blank_row(t.row)) for t in form.INSTITUTION_TABLES
            }
        if len(names) > 1 or names != list(form.DEFAULT_INSTITUTIONS):
            self.placement.notes.append(Problem(f"找到机构 {len(names)} 个：{'、'.join(names)}。"))

    def institution_header(self, table: InstitutionRows) -> _Header | None:
        """The table's header: the anchor (its first column's label) under which most of its
        other columns are found, with the column of institution names and of notes."""
        if table.key in self._tables:
            return self._tables[table.key]
        columns = table.columns
        depth = layout.header_rows(table)
        best: tuple[tuple[int, int, int], _Header] | None = None
        for anchor in self.find(*synonyms.words(f"{table.key}.{columns[0].key}")):
            sheet, r0, c0 = anchor
            band = range(r0 - 1, r0 + depth + 1)
            where_col: dict[str, int] = {columns[0].key: c0}
            cells: list[Cell] = [anchor]
            missing: list[str] = []
            for column in columns[1:]:
                hits = [
                    w for w in self.find(*synonyms.words(f"{table.key}.{column.key}"), sheet=sheet)
                    if w[1] in band and w[2] != c0 and abs(w[2] - c0) <= 3 * len(columns) and w not in cells
                ]
                if hits:
                    where_col[column.key] = hits[0][2]
                    cells.append(hits[0])
                else:
                    missing.append(column.label)
            taken = set(where_col.values())
            names_at = sorted(
                (w for w in self.find(*synonyms.words("institutions"), sheet=sheet)
                 if w[1] in band and w[2] not in taken and abs(w[2] - c0) <= 3 * len(columns)),
                key=lambda w: (w[2] > c0, abs(w[2] - c0)),
            )
            header = _Header(anchor, where_col, cells, names_at[0][2] if names_at else c0 - 1, r0, missing)
            if names_at:
                cells.append(names_at[0])
            for heading, _a, _b in table.groups:
                cells += [w for w in self.find(heading, sheet=sheet) if w[1] in band and w[2] > c0 and w not in cells]
            score = (len(where_col), 1 if names_at else 0, 1 if key(self.text(anchor)) == key(columns[0].label) else 0)
            if len(where_col) > 1 and (best is None or score > best[0]):
                best = (score, header)
        header_found = best[1] if best else None
        if header_found is not None:
            sheet = header_found.anchor[0]
            header_found.bottom = max(self.grid.spans.get(w, (w[1], w[2]))[0] for w in header_found.cells)
            self.headers.update(header_found.cells)
            self.notes_in(sheet, {w[1] for w in header_found.cells}, header_found.cells)
        self._tables[table.key] = header_found
        return header_found

    def institution_table(
        self, table: InstitutionRows
    ) -> tuple[list[tuple[str, dict[str, Any], dict[str, Cell]]], dict[str, Any] | None]:
        columns = table.columns
        header = self.institution_header(table)
        if header is None:
            self.problem(None, f"没有找到表「{table.label}」（找不到表头「{columns[0].label}」）。")
            return [], None
        for label in header.missing:
            self.problem(None, f"表「{table.label}」中没有找到「{label}」列，该列按空白处理。")
        sheet = header.anchor[0]
        for w in header.cells:
            self.grid.used.add(w)
        for w in self.find(table.label, sheet=sheet):
            self.grid.used.add(w)
        rows: list[tuple[str, dict[str, Any], dict[str, Cell]]] = []
        summary: dict[str, Any] | None = None
        nodes = {c.key: c for c in columns}
        name_col = header.name_col
        r = header.bottom + 1
        while r <= header.bottom + 500:
            name_cell = self.top((sheet, r, name_col))
            name_text = self.text(name_cell).strip()
            figures = [(k, self.top((sheet, r, c))) for k, c in header.columns.items()]
            has_figures = any(w in self.grid.values for _, w in figures)
            if not name_text and not has_figures:
                break
            numbered = layout.institution_name(name_text) != name_text.strip()
            is_summary = synonyms.is_summary(name_text)
            if name_text and not numbered and not is_summary and self.is_label(name_cell):
                break
            if not name_text:
                self.problem(figures[0][1], f"表「{table.label}」第 {r} 行有数字但没有机构名称，未读入。")
                for _, w in figures:
                    self.grid.used.add(w)
                r += 1
                continue
            self.grid.used.add(name_cell)
            row = blank_row(table.row)
            for k, w in figures:
                row[k] = self.value(nodes[k], w, f"{table.key}.0.{k}")
            self.computed_totals(table, row, {k for k, w in figures if w in self.grid.formulas})
            cells = {k: w for k, w in figures if w in self.grid.values}
            try:
                name = clean_text(layout.institution_name(name_text), form.INSTITUTIONS.item_label).strip()
            except ValueInputError as exc:
                self.problem(name_cell, str(exc))
                r += 1
                continue
            if is_summary:
                # a summary of formulas only is computed, as the program computes it;
                # typed figures are what the source states, checked by summary.rows
                if any(w in self.grid.values and w not in self.grid.formulas for _, w in figures):
                    summary = row
                for k, w in cells.items():
                    self.placement.cells.setdefault(f"{table.key}.summary.{k}", _ref(w))
            elif name in form.PLACEHOLDER_INSTITUTIONS and all(v is None for v in row.values()):
                pass  # the paper's blank 二级机构1, 二级机构2
            else:
                rows.append((name, row, {**cells, "": name_cell}))
            r += 1
        return rows, summary

    def computed_totals(self, table: InstitutionRows, row: dict[str, Any], formulas: set[str]) -> None:
        """A total that is a formula giving the sum of its parts is the program's computed
        total: left blank, as the program shows it. Any other figure stays as found."""
        for check in reversed(table.computed_order()):
            if check.target in formulas and row[check.target] is not None:
                shown = self.report.effective_row(table, {**row, check.target: None})
                if shown[check.target] == row[check.target]:
                    row[check.target] = None


class _RowTables(_InstitutionTables):
    """The tables of rows: 定性目标, 定量指标, 一级指标得分, 评价人员 and the 评价报告's tables."""

    def is_continuation(self, sheet: str, r: int, cols: list[int]) -> bool:
        """Whether row ``r`` only continues the row above: every cell of the table is merged
        from above or the next part of a long text (nothing of a new row starts there)."""
        for c in cols:
            at = (sheet, r, c)
            top = self.grid.merged.get(at)
            if (top is not None and top[1] < r) or at in self.grid.continued:
                continue
            return False
        return bool(cols)

    def rows_below(self, header: list[Cell], cols: list[int], stop: tuple[str, ...] = ()) -> list[int]:
        sheet = header[0][0]
        bottom = max(self.grid.spans.get(w, (w[1], w[2]))[0] for w in header)
        out: list[int] = []
        r = bottom + 1
        stop_keys = {key(s) for s in stop}
        blank = 0
        while r <= bottom + 2000:
            cells = [self.top((sheet, r, c)) for c in cols]
            own = [w for w in cells if w in self.grid.values and w[1] == r]
            merged_in = [w for w in cells if w in self.grid.values and w[1] != r]
            if own or merged_in:
                if self.is_continuation(sheet, r, cols):
                    r += 1
                    continue
            if not own and not merged_in:
                # a blank row with borders is part of the table; one blank row
                # without them is skipped; two end the table
                if cells and cells[0] in self.grid.bordered and r - bottom < 500:
                    r += 1
                    continue
                blank += 1
                if blank > 1:
                    break
                r += 1
                continue
            if any(self.is_label(w) or key(self.text(w)) in stop_keys or w in self.grid.used for w in own):
                break  # a label, or a field already placed ("评分：96"), ends the table
            blank = 0
            out.append(r)
            r += 1
        self.last_row = r - 1
        return out

    def mark_table(self, header: list[Cell], table: Rows) -> None:
        for w in header:
            self.grid.used.add(w)
        for w in self.find(table.label):
            self.grid.used.add(w)

    def qualitative(self) -> None:
        table = form.QUALITATIVE
        header = self.header_row(_ROW_TABLES[0])
        if header is None:
            return
        self.mark_table(header, table)
        cols = [w[2] for w in header]
        rows: list[dict[str, Any]] = []
        for r in self.rows_below(header, cols):
            row = blank_row(table.row)
            cells = {}
            for column, c in zip(table.columns, cols, strict=True):
                cells[column.key] = (header[0][0], r, c)
                row[column.key] = self.value(column, cells[column.key], f"{table.key}.0.{column.key}")
            if any(v is not None for v in row.values()):
                self.keep_cells(f"{table.key}.{len(rows)}", cells)
                rows.append(row)
        self.data[table.key] = rows

    def keep_cells(self, prefix: str, cells: dict[str, Cell]) -> None:
        for column, where in cells.items():
            top = self.top(where)
            if top in self.grid.values:
                self.placement.cells.setdefault(f"{prefix}.{column}", _ref(top))

    def indicators(self) -> None:
        table = form.INDICATORS
        nodes = {c.key: c for c in table.columns}
        header = self.header_row(_ROW_TABLES[1])
        if header is None:
            self.problem(None, f"没有找到「{table.label}」表（找不到表头「{nodes['target'].label}」「{nodes['actual'].label}」）。")
            return
        sheet, r, ct = header[0]
        ca = header[1][2]
        first = min(ct, ca)
        level1_at = [w for w in self.find(*synonyms.words("indicators.level1"), sheet=sheet) if w[1] == r and w[2] < first]
        c1 = level1_at[0][2] if level1_at else first - 3
        named = {
            k: [w for w in self.find(*synonyms.words(f"indicators.{k}"), sheet=sheet)
                if w[1] == r and c1 < w[2] and w[2] not in (ct, ca)]
            for k in ("level2", "name")
        }
        c_name = named["name"][0][2] if named["name"] else first - 1
        c2 = named["level2"][0][2] if named["level2"] else (c1 + 1 if c1 + 1 < c_name else None)
        for w in level1_at + named["level2"] + named["name"]:
            self.headers.add(w)
        self.mark_table(header + level1_at + named["level2"] + named["name"], table)
        cols = {"level1": c1, "level2": c2, "name": c_name, "target": ct, "actual": ca}
        rows: list[dict[str, Any]] = []
        wanted = [c for c in cols.values() if c is not None]
        for row_no in self.rows_below(header + level1_at, wanted):
            row = blank_row(table.row)
            cells = {}
            for k, c in cols.items():
                if c is not None:
                    cells[k] = (sheet, row_no, c)
                    row[k] = self.value(nodes[k], cells[k], f"{table.key}.0.{k}")
            if row["level1"] is not None:
                row["level1"] = level1_word(row["level1"])
            if any(v is not None for v in row.values()):
                self.keep_cells(f"{table.key}.{len(rows)}", cells)
                rows.append(row)
        self.data[table.key] = rows

    def simple_rows(self, table: Rows, keys: tuple[str, ...], path: str,
                    extra: tuple[str, ...] = ()) -> list[dict[str, Any]] | None:
        header = self.header_row(keys)
        if header is None:
            return None
        self.mark_table(header, table)
        sheet, r, _ = header[0]
        extra_cells = [w for label in extra for w in self.find(label, sheet=sheet) if w[1] == r]
        for w in extra_cells:
            self.grid.used.add(w)
        cols = [w[2] for w in header]
        extra_cols = [w[2] for w in extra_cells]
        rows: list[dict[str, Any]] = []
        found = self.rows_below(header, cols, stop=_TOTAL_WORDS)
        for row_no in range(r + 1, self.last_row + 1):
            for c in extra_cols:
                self.raw_quiet((sheet, row_no, c))
        for row_no in found:
            row = blank_row(table.row)
            cells = {}
            for column, c in zip(table.columns, cols, strict=True):
                cells[column.key] = (sheet, row_no, c)
                row[column.key] = self.value(column, cells[column.key], f"{path}.0.{column.key}")
            if any(v is not None for v in row.values()):
                self.keep_cells(f"{path}.{len(rows)}", cells)
                rows.append(row)
        self.total_row(table, sheet, self.last_row + 1, dict(zip([c.key for c in table.columns], cols, strict=True)),
                       rows, extra_cols)
        return rows

    def total_row(self, table: Rows, sheet: str, r: int, cols: dict[str, int], rows: list[dict[str, Any]],
                  extra_cols: list[int] | None = None) -> None:
        """The 合计 row under a table of figures: the program adds the rows up itself, so a
        total that equals their sum is placed; one that differs is named, not silently dropped."""
        first = min(cols.values())
        label = next((w for c in range(first, max(cols.values()) + 1)
                      if (w := self.top((sheet, r, c))) in self.grid.values and self.text(w)
                      and key(self.text(w)) in {key(t) for t in _TOTAL_WORDS}), None)
        if label is None:
            return
        self.grid.used.add(label)
        for c in extra_cols or ():
            self.raw_quiet((sheet, r, c))
        for column in table.columns:
            at = cols.get(column.key)
            if at is None or not column.is_figure:
                continue
            where = self.top((sheet, r, at))
            if where not in self.grid.values or where == label:
                continue
            self.grid.used.add(where)
            if where in self.grid.formulas:
                continue
            try:
                typed = layout.unshown(column, self.grid.values[where], self.report, "")
            except ValueInputError as exc:
                self.problem(where, str(exc))
                continue
            computed = add([row[column.key] for row in rows])
            if typed != computed:
                self.problem(where, (
                    f"「{table.label}」合计行的{column.label}填 {_shown(typed)}，而各行之和为 {_shown(computed)}；"
                    "程序按各行计算合计，此数未读入，请核对各行。"))

    def projects(self) -> None:
        """项目支出明细: name and amount merged over the rows of its uses."""
        table = form.PROJECTS
        pcols = {c.key: c for c in table.columns}
        ucols = {c.key: c for c in form.PROJECT_USES.columns}
        header = self.header_row(_ROW_TABLES[5])
        if header is None:
            return
        sheet, r, cn = header[0]
        ca = header[1][2]
        use_name = [w for w in self.find(*synonyms.words("uses.name"), sheet=sheet) if r <= w[1] <= r + 1 and w[2] > ca]
        use_amount = [w for w in self.find(*synonyms.words("uses.amount"), sheet=sheet)
                      if r <= w[1] <= r + 1 and w[2] > ca]
        self.mark_table(header + use_name[:1] + use_amount[:1] + self.find(form.PROJECT_USES.label, sheet=sheet), table)
        cu = use_name[0][2] if use_name else None
        cua = use_amount[0][2] if use_amount else None
        cols = [c for c in (cn, ca, cu, cua) if c is not None]
        header_cells = header + use_name[:1] + use_amount[:1]
        projects: list[dict[str, Any]] = []
        for row_no in self.rows_below(header_cells, cols, stop=_TOTAL_WORDS):
            name_cell = (sheet, row_no, cn)
            if self.top(name_cell) == name_cell and (name_cell in self.grid.values or (sheet, row_no, ca) in self.grid.values):
                project = blank_row(table.row)
                base = f"narrative.projects.{len(projects)}"
                project["name"] = self.value(pcols["name"], name_cell, "narrative.projects.0.name", at=f"{base}.name")
                project["amount"] = self.value(pcols["amount"], (sheet, row_no, ca), "narrative.projects.0.amount",
                                               at=f"{base}.amount")
                projects.append(project)
            if cu is None or cua is None or not projects:
                continue
            use = blank_row(form.PROJECT_USES.row)
            cells = {"name": (sheet, row_no, cu), "amount": (sheet, row_no, cua)}
            use["name"] = self.value(ucols["name"], cells["name"], "narrative.projects.0.uses.0.name")
            use["amount"] = self.value(ucols["amount"], cells["amount"], "narrative.projects.0.uses.0.amount")
            if any(v is not None for v in use.values()):
                self.keep_cells(f"narrative.projects.{len(projects) - 1}.uses.{len(projects[-1]['uses'])}", cells)
                projects[-1]["uses"].append(use)
        self.data["narrative"]["projects"] = projects
        self.total_row(table, sheet, self.last_row + 1, {"name": cn, "amount": ca}, projects)


class _Scoring(_RowTables):
    """附件2 the 自评表, placed on the 定量指标 rows by the 指标体系's headings."""

    def scoring(self) -> None:
        """附件2 the 自评表, found by a 指标体系's headings: each 三级 line's 二级指标, 分值,
        自评得分, 评分标准 and 扣分原因 go to its 定量指标 row (matched by name) or to the
        framework's own line. 一级/二级 sums and the rows' own texts are not read again."""
        from models import scoring

        found = self.scoring_header()
        if found is None:
            return
        frame, header = found
        cols = frame.columns
        sheet, r, c3 = header[0][0], header[0][1], header[2][2]
        row_cells = sorted((w for w in self.grid.values if w[0] == sheet and w[1] == r), key=lambda w: w[2])
        for w in row_cells:
            self.grid.used.add(w)
        at = {key(self.text(w)): w[2] for w in row_cells if w[2] > c3}
        at_all = {key(self.text(w)): w[2] for w in row_cells}
        place = {k: at.get(key(cols[k])) for k in ("weight", "criteria", "target", "actual", "reason")}
        scores = [w[2] for w in row_cells if key(self.text(w)) == key(cols["score"]) and w[2] > c3]
        place["score"] = scores[-1] if scores else None
        c1, c2 = at_all.get(key(cols["level1"])), at_all.get(key(cols["level2"]))
        for w in self.find(frame.attachment, sheet=sheet):
            self.grid.used.add(w)
        for where, value in self.grid.values.items():
            if where[0] == sheet and where[1] < r and isinstance(value, str) and frame.title in value:
                self.grid.used.add(where)
        self.data["scoring"]["framework"] = frame.id
        rows = self.data["indicators"]
        taken: set[int] = set()
        nodes = {c.key: c for c in form.INDICATORS.columns}
        item_nodes = {c.key: c for c in form.SCORING.child("items").row.values()}  # type: ignore[union-attr]
        for row_no in self.rows_below(header, [c3], stop=(cols["total"],)):
            for c in range(1, c3):  # the merged 一级 and 二级 cells: names and sums
                self.raw_quiet((sheet, row_no, c))
            name = self.linked_text((sheet, row_no, c3)).strip()
            self.grid.used.add(self.top((sheet, row_no, c3)))
            for linked in (place["target"], place["actual"]):
                if linked is not None:
                    self.raw_quiet((sheet, row_no, linked))
            if not name:
                continue
            second = self.text((sheet, row_no, c2)).strip() if c2 else ""
            first = self.text((sheet, row_no, c1)).strip() if c1 else ""
            line = next((x for a, b, x in frame.lines() if key(x.name) == key(name) and key(b.name) == key(second)),
                        None)
            if line is not None:  # its 分值 and 评分标准 are the framework's
                for fixed in (place["weight"], place["criteria"]):
                    if fixed is not None:
                        self.raw_quiet((sheet, row_no, fixed))
                items = self.data["scoring"]["items"]
                item = blank_row(form.SCORING.child("items").row)  # type: ignore[union-attr]
                item["line"] = line.id
                cells = {}
                for k in ("score", "reason"):
                    col = place[k]
                    if col is not None:
                        cells[k] = (sheet, row_no, col)
                        item[k] = self.value(item_nodes[k], cells[k], f"scoring.items.0.{k}")
                if any(v is not None for k, v in item.items() if k != "line"):
                    self.keep_cells(f"scoring.items.{len(items)}", cells)
                    items.append(item)
                continue
            i = next((i for i, row in enumerate(rows) if i not in taken and key(row["name"] or "") == key(name)), None)
            if i is None:
                self.problem((sheet, row_no, c3), f"{form.SCORING_TAB}的三级指标「{name}」在{form.INDICATORS.row.label}表中找不到，其分值和得分未能放入报告。")
                continue
            taken.add(i)
            row = rows[i]
            word = row["level1"] or first
            row["category"] = frame.category_id(second, word) if second else None
            for k in ("weight", "score", "reason", "criteria"):
                col = place[k]
                if col is not None:
                    row[k] = self.value(nodes[k], (sheet, row_no, col), f"indicators.0.{k}", at=f"indicators.{i}.{k}")
            if row["criteria"] is not None:
                probe = Report()
                probe.data["scoring"]["framework"] = self.data["scoring"]["framework"]
                probe.data["indicators"] = [{**row, "criteria": None}]
                built = scoring.tree(probe)
                shown = next((x.shown_criteria for x in built.leaves if x.row == 0), None) if built else None
                if shown is not None and key(shown) == key(row["criteria"]):
                    row["criteria"] = None  # the framework's own 评分标准, not typed
        for row_no in range(r + 1, self.last_row + 1):  # 二级 lines with no 三级 line under them
            if not self.linked_text((sheet, row_no, c3)).strip():
                for c in range(1, c3 + 1):
                    self.raw_quiet((sheet, row_no, c))
        self.scoring_total(sheet, self.last_row + 1, cols["total"])

    def scoring_total(self, sheet: str, r: int, word: str) -> None:
        """The 自评表's 合计 row: its sums are the program's; a typed total that differs is named."""
        from models import scoring

        label = next((w for w in self.find(word, sheet=sheet) if w[1] == r), None)
        if label is None:
            return
        self.grid.used.add(label)
        tree = scoring.tree(self.report)
        sums = {tree.weight, tree.score} if tree is not None else set()
        for where in [w for w in self.grid.values if w[0] == sheet and w[1] == r and w != label]:
            self.grid.used.add(where)
            value = self.grid.values[where]
            if where in self.grid.formulas or not isinstance(value, (int, Decimal)) or isinstance(value, bool):
                continue
            if Decimal(value) not in sums:
                self.problem(where, f"自评表合计行填 {_shown(Decimal(value))}，与各行分值之和、得分之和都不符；"
                                    "程序按各行计算合计，此数未读入，请核对各行。")


class _Placer(_Scoring):
    """A clerk's workbook placed: the headers first, then each part, then what is left."""

    def find_headers(self) -> None:
        """Every table's header: a column's label there is no field (自评得分 is not 评分)."""
        for table in form.INSTITUTION_TABLES:
            self.institution_header(table)
        for keys in _ROW_TABLES:
            self.header_row(keys)
        self.scoring_header()

    def row_tables(self) -> None:
        self.qualitative()
        self.indicators()
        items = self.simple_rows(form.SCORE_ITEMS, _ROW_TABLES[2], form.SCORE_ITEMS.key, extra=(PAPER.score_rate,))
        if items is not None:
            self.data[form.SCORE_ITEMS.key] = items
        evaluators = self.simple_rows(form.EVALUATORS, _ROW_TABLES[3], "signatures.evaluators", extra=(PAPER.sign_column,))
        if evaluators is not None:
            self.data["signatures"]["evaluators"] = evaluators
        basic = self.simple_rows(form.BASIC_ITEMS, _ROW_TABLES[4], "narrative.basic_items")
        if basic is not None:
            self.data["narrative"]["basic_items"] = basic
        self.projects()
        for label in (form.SCORE_ITEMS.label, form.EVALUATORS.label, form.BASIC_ITEMS.label):
            for w in self.find(label):
                self.grid.used.add(w)
        self.scoring()

    # -- what is left ------------------------------------------------------------

    def leftovers(self) -> None:
        for where in self.grid.order:
            if where in self.grid.used:
                continue
            value = self.grid.values[where]
            if isinstance(value, str) and (
                heading_key(value) in _HEADING_KEYS or key(value) in _HEADING_KEYS
            ):
                continue
            shown = str(value).replace("\n", " ")
            if len(shown) > 30:
                shown = shown[:30] + "…"
            if self.is_title(where):
                continue
            note_row = self.notes.get((where[0], where[2]))
            if note_row is not None and where[1] > note_row:
                self.problem(where, f"「备注」栏中的内容「{shown}」不是报告中的一项，未读入。")
                continue
            self.problem(where, f"未能放入报告的内容「{shown}」：附近没有可识别的表头或标签。")

    def is_title(self, where: Cell) -> bool:
        """A sheet's title: text alone in its row, above every table and label of the sheet,
        that names a table or report (``部门收支情况表``) and carries no value after a colon."""
        value = self.grid.values[where]
        if not isinstance(value, str) or where in self.grid.formulas:
            return False
        text = key(value)
        if ":" in text or not text.endswith(_TITLE_ENDS):
            return False
        sheet, r, _c = where
        others = [w for w in self.grid.values if w[0] == sheet and w[1] == r and w != where]
        if any(not (isinstance(self.grid.values[w], str) and key(self.grid.values[w]) in _HEADING_KEYS)
               for w in others):
            return False
        return all(w[1] > r for w in self.grid.used if w[0] == sheet)

    def run(self) -> Placement:
        self.find_headers()
        self.fields()
        self.institution_tables()
        self.row_tables()
        self.leftovers()
        return self.placement


def _shown(value: Decimal | None) -> str:
    return "（空）" if value is None else format_decimal(value)


#: The row tables' header columns, as label keys (see :mod:`models.synonyms`).
_ROW_TABLES: tuple[tuple[str, ...], ...] = (
    ("qualitative.expected", "qualitative.actual"),
    ("indicators.target", "indicators.actual"),
    ("score_items.name", "score_items.weight", "score_items.score"),
    ("evaluators.name", "evaluators.title", "evaluators.org"),
    ("basic_items.group", "basic_items.name", "basic_items.amount"),
    ("projects.name", "projects.amount"),
)
#: Not a header key: the 自评表's header is found by a 指标体系's headings.
_SCORING_KEYS: tuple[str, ...] = ("scoring",)
#: The label of the row under a table of figures that adds them up.
_TOTAL_WORDS = (PAPER.total_row, "总计")
#: How the title of a sheet ends (部门收支情况表, 绩效自评报告).
_TITLE_ENDS = ("表", "报告", "情况", "报表")
#: Text that is meant as grade bands though it does not read as them.
_BANDS_LIKE = re.compile(r"分为|分以下|以上为|\d+\s*[~～\-—－]+\s*\d+")


def _label_keys() -> set[str]:
    keys: set[str] = set()

    def add(node: form.Node) -> None:
        keys.add(key(node.label))
        if isinstance(node, form.Record):
            for child in node.children:
                add(child)
        elif isinstance(node, (Rows, InstitutionRows)):
            add(node.row)
            if isinstance(node, InstitutionRows):
                for heading, _a, _b in node.groups:
                    keys.add(key(heading))
    add(form.REPORT)
    for k in synonyms.keys():
        keys.update(key(w) for w in synonyms.words(k))
    keys.update(key(h) for h in synonyms.HEADINGS)
    keys.update(key(h) for h in (PAPER.money_section, PAPER.performance_section))
    keys.discard("")
    return keys


_LABEL_KEYS = _label_keys()
_HEADING_KEYS = _LABEL_KEYS | {heading_key(h) for h in (*synonyms.HEADINGS, PAPER.money_section,
                                                        PAPER.performance_section)}
_STOP_KEYS = (_LABEL_KEYS - {
    key(w) for t in form.INSTITUTION_TABLES for c in t.columns for w in synonyms.words(f"{t.key}.{c.key}")
} - {key(h) for t in form.INSTITUTION_TABLES for h, _a, _b in t.groups} - {
    key(w) for w in synonyms.words("summary")
}) | {
    key(w) for t in form.INSTITUTION_TABLES for w in synonyms.words(f"{t.key}.{t.columns[0].key}")
}
#: Field labels that end a value written after another label in the same cell ("评分：96　等级：优").
_FIELD_WORDS = sorted(
    {key(w) for record in (form.COVER, form.BASICS, form.SCORE) for n in record.children
     for w in (synonyms.words(f"{record.key}.{n.key}") if isinstance(n, Value) else (n.label,))},
    key=len, reverse=True,
)


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in key(label))


_NEXT_FIELD = re.compile(r"\s+(?=[^\s:]{1,16}\s*:)|(?=(?:" + "|".join(_label_pattern(w) for w in _FIELD_WORDS) + r")\s*:)")


@lru_cache(maxsize=256)
def _inline_pattern(label: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)" + _label_pattern(label) + r"\s*:\s*")


def _inline(text: str, words: tuple[str, ...], to_end: bool = False) -> str | None:
    """``value`` from ``label：value`` inside one cell; None when no label is there.

    The value ends at a line break, at two spaces, or where the next ``label：``
    begins — after one space (``评分：96　等级：优``, a full-width space) or none.
    """
    if ":" not in text and "：" not in text and "﹕" not in text and "︓" not in text:
        return None  # no colon, no label: the common case, decided without folding the text
    folded = unicodedata.normalize("NFKC", text)
    for word in words:
        m = _inline_pattern(word).search(folded)
        if m:
            rest = folded[m.end() :]
            if to_end:
                return rest.strip()
            first = re.split(r"\s{2,}|\n", rest, maxsplit=1)[0]
            return _NEXT_FIELD.split(first, maxsplit=1)[0].strip()
    return None


def _after_label(text: str, label: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    m = re.match(r"\s*" + _label_pattern(label) + r"\s*:?", folded)
    return folded[m.end() :] if m else ""


_DATE_LINE = re.compile(r"^年\s*月\s*日$")


def _is_sign_line(line: str, sign_keys: list[str]) -> bool:
    k = key(line)
    if not k:
        return False
    if _DATE_LINE.match(k):
        return True
    rest = k
    for s in sign_keys:
        rest = rest.replace(s.rstrip(":") + ":", "").replace(s.rstrip(":"), "")
    rest = rest.replace("年月日", "")
    return rest == "" and k != ""


def place(wb: Any, cached: Cached, name: str) -> Placement:
    """The report a clerk's own workbook gives, and what could not be placed."""
    return _Placer(wb, cached, name).run()
