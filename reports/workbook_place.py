"""Placing a workbook the program did not write: a clerk's own filled template.

Tables and fields are found by their labels, never by fixed coordinates: a
label matches when it reads the same after full-width characters are folded
(``（`` → ``(``), every space is removed and a trailing colon dropped, so
``联 系 人：`` and ``联系人`` are one label; a few words clerks write instead
(``联络电话`` for ``联系电话``) are listed in :data:`ALIASES`. Every label and
column comes from :mod:`models.form`.

Whatever holds content but could not be placed is a :class:`Problem` naming
its sheet and cell (``收支情况!C7``); so is a figure that cannot be read, and
a formula whose file carries no computed value (formulas are never
evaluated). Nothing is imported until the clerk has seen the list and agreed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from models import form, grades
from models.document import blank_row, clean_text
from models.errors import ValueInputError
from models.form import InstitutionRows, Rows, Value
from models.report import Report
from reports import workbook_layout as layout
from reports.workbook import Placement, Problem, _Cached

#: Other words clerks write for a label, by cell path (the form's label always counts).
ALIASES: dict[str, tuple[str, ...]] = {
    "basics.phone": ("联络电话", "电话", "联系方式"),
    "basics.contact": ("联络人",),
    "cover.dept_name": ("部门(单位)名称", "部门名称", "单位名称"),
    "score.self_score": ("自评得分", "综合得分"),
    "score.grade": ("评价等次", "等次"),
}

#: Headings that carry no value (besides every label of the form).
_HEADINGS = (
    layout.SECTION_MONEY,
    layout.SECTION_PERFORMANCE,
    "绩效自评报告",
    "签字",
    "得分率",
    "合计",
    "其中",
    "结余",
)

#: A reference to another sheet's cell inside a formula: 'sheet'!D12.
_LINK = re.compile(r"'((?:[^']|'')+)'!\$?([A-Z]{1,3}\$?\d+)")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+|\d+|[（(][一二三四五六七八九十\d]+[）)])[、.．]?")
_UNIT_SUFFIX = re.compile(r"[（(]万元[）)]$")


def key(text: Any) -> str:
    """A label as compared: folded, without spaces, trailing colon or unit."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    folded = folded.rstrip(":")
    return _UNIT_SUFFIX.sub("", folded)


def heading_key(text: Any) -> str:
    return _NUMBERING.sub("", key(text), count=1)


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
    #: cell → its index in ``order`` (sorting by position without searching the list)
    position: dict[Cell, int] = field(default_factory=dict)
    by_key: dict[str, list[Cell]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    #: empty cells with a border: a blank row of a table, not its end
    bordered: set[Cell] = field(default_factory=set)


def _grid(wb: Any) -> _Grid:
    grid = _Grid()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
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
            grid.position[where] = len(grid.order)
            grid.order.append(where)
            if cell.data_type == "f":
                grid.formulas[where] = str(value)
            elif isinstance(value, str):
                grid.by_key.setdefault(key(value), []).append(where)
    return grid


def _coord(where: Cell) -> str:
    return f"{layout.col_letter(where[2])}{where[1]}"


class _Placer:
    def __init__(self, wb: Any, cached: _Cached, name: str) -> None:
        self.grid = _grid(wb)
        self.cached = cached
        self.report = Report()
        self.placement = Placement(self.report, name, ours=False)
        self.data = self.report.data
        #: the last row rows_below() looked at
        self.last_row = 0

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
            return self.text(where)
        m = _LINK.search(formula)
        if m is None:
            return ""
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        letters, row = coordinate_from_string(m.group(2))
        return self.text((m.group(1).replace("''", "'"), row, column_index_from_string(letters)))

    def raw_quiet(self, where: Cell) -> None:
        """Mark a computed cell (得分率) as placed without reading it."""
        self.grid.used.add(self.top(where))

    def value(self, node: Value, where: Cell, path: str) -> Any:
        raw = self.raw(where)
        if isinstance(raw, str) and node.kind not in ("money", "score", "int", "yearmonth"):
            raw = raw.strip()
        try:
            return layout.unshown(node, raw, self.report, path)
        except ValueInputError as exc:
            self.problem(self.top(where), str(exc))
            return None

    def text(self, where: Cell) -> str:
        value = self.grid.values.get(self.top(where))
        return "" if value is None or self.top(where) in self.grid.formulas else str(value)

    def find(self, *labels: str, sheet: str | None = None) -> list[Cell]:
        out: list[Cell] = []
        for label in labels:
            out += [c for c in self.grid.by_key.get(key(label), []) if sheet is None or c[0] == sheet]
        return sorted(set(out), key=self.grid.position.__getitem__)

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

    # -- fields -----------------------------------------------------------------

    def scalar(self, path: str, node: Value, labels: tuple[str, ...]) -> bool:
        """A field found by its label: the value in the same cell after a colon, or to its right."""
        for where in self.find(*labels):
            self.grid.used.add(where)
            target = self.right_of(where)
            if target is not None and not self.is_label(target):
                self.put(path, self.value(node, target, path))
                return True
            return True  # the label is there and its value is blank
        for where, value in self.grid.values.items():
            if where in self.grid.formulas or not isinstance(value, str):
                continue
            found = _inline(value, labels)
            if found is not None:
                self.grid.used.add(where)
                try:
                    self.put(path, layout.unshown(node, found or None, self.report, path))
                except ValueInputError as exc:
                    self.problem(where, str(exc))
                return True
        return False

    def put(self, path: str, value: Any) -> None:
        self.report.put(path, value)

    def fields(self) -> None:
        for record in (form.COVER, form.BASICS):
            for node in record.values():
                path = f"{record.key}.{node.key}"
                self.scalar(path, node, (node.label, *ALIASES.get(path, ())))
        self.find_title()
        for score_node in form.SCORE.values():
            path = f"score.{score_node.key}"
            self.scalar(path, score_node, (score_node.label, *ALIASES.get(path, ())))
        self.bands()
        self.opinions()
        if self.data["cover"]["year"] is None:
            self.placement.notes.append(Problem("没有找到年度：请在导入后填写，或在封面写上「年度」。"))

    def find_title(self) -> Cell | None:
        """``{部门}{年度}年度部门整体支出`` — the title gives the name and year if no label does."""
        pattern = re.compile(r"^(.*?)(\d{4})?\s*年度?\s*部门(?:（单位）|\(单位\))?整体支出")
        for where, value in self.grid.values.items():
            if not isinstance(value, str):
                continue
            m = pattern.match(unicodedata.normalize("NFKC", value).strip())
            if m:
                self.grid.used.add(where)
                cover = self.data["cover"]
                if cover["dept_name"] is None and m.group(1).strip():
                    cover["dept_name"] = m.group(1).strip()
                if cover["year"] is None and m.group(2):
                    cover["year"] = int(m.group(2))
                return where
        return None

    def bands(self) -> None:
        node = form.SCORE.child("bands")
        for where in self.find(node.label):
            self.grid.used.add(where)
            target = self.right_of(where)
            if target is not None:
                self.set_bands(target, self.text(target))
            return
        for where, value in self.grid.values.items():
            if isinstance(value, str) and where not in self.grid.formulas:
                found = _inline(value, (node.label,), to_end=True)
                if found:
                    self.set_bands(where, found)
                    return

    def set_bands(self, where: Cell, text: str) -> None:
        self.grid.used.add(where)
        try:
            bands = grades.parse_bands_text(text)
        except ValueInputError as exc:
            self.problem(where, str(exc))
            return
        if bands is None:
            self.problem(where, f"看不懂等级档次「{text[:40]}」，已按默认档次（{grades.bands_text(self.data['score']['bands'])}）。")
        else:
            self.data["score"]["bands"] = bands

    def opinions(self) -> None:
        sign_keys = [key(line) for o in form.OPINIONS for line in o.sign_lines]
        for opinion in form.OPINIONS:
            label = key(opinion.label)
            for where, value in self.grid.values.items():
                if not isinstance(value, str) or where in self.grid.formulas or not key(value).startswith(label):
                    continue
                self.grid.used.add(where)
                text = _after_label(value, opinion.label)
                lines = [ln for ln in text.split("\n") if not _is_sign_line(ln, sign_keys)]
                found = "\n".join(lines).strip()
                if not found:
                    sheet, r, c = where
                    below_row = self.grid.spans.get(where, (r, c))[0] + 1
                    below = self.top((sheet, below_row, c))
                    if below in self.grid.values and not self.is_label(below) and not _is_sign_line(
                        self.text(below), sign_keys
                    ):
                        found = self.text(below).strip()
                        self.grid.used.add(below)
                self.data["signatures"][opinion.key] = found or None
                break
        for where, value in self.grid.values.items():
            if isinstance(value, str) and all(_is_sign_line(ln, sign_keys) for ln in value.split("\n") if ln.strip()):
                self.grid.used.add(where)

    # -- institution tables ---------------------------------------------------------

    def institution_tables(self) -> None:
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        summaries: dict[str, dict[str, Any]] = {}
        for table in form.INSTITUTION_TABLES:
            rows, summary = self.institution_table(table)
            found[table.key] = rows
            if summary is not None:
                summaries[table.key] = summary
        # Rows are matched across the tables by name; the n-th row of a name
        # that occurs twice matches the n-th row of that name elsewhere.
        keyed: dict[str, dict[tuple[str, int], dict[str, Any]]] = {}
        order: list[tuple[str, int]] = []
        for table_key, rows in found.items():
            seen: dict[str, int] = {}
            keyed[table_key] = {}
            for name, row in rows:
                k = (name, seen.get(name, 0))
                seen[name] = k[1] + 1
                keyed[table_key][k] = row
                if k not in order:
                    order.append(k)
        if not order:
            order = [(n, 0) for n in form.DEFAULT_INSTITUTIONS]
        names = [name for name, _ in order]
        self.data["institutions"] = names
        for table in form.INSTITUTION_TABLES:
            rows_by = keyed.get(table.key, {})
            self.data[table.key] = [rows_by.get(k, blank_row(table.row)) for k in order]
        if any(any(v is not None for v in s.values()) for s in summaries.values()):
            self.data["summary"] = {
                t.key: summaries.get(t.key, blank_row(t.row)) for t in form.INSTITUTION_TABLES
            }
        if len(names) > 1 or names != list(form.DEFAULT_INSTITUTIONS):
            self.placement.notes.append(Problem(f"找到机构 {len(names)} 个：{'、'.join(names)}。"))

    def institution_table(
        self, table: InstitutionRows
    ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any] | None]:
        columns = table.columns
        anchors = self.find(columns[0].label)
        if not anchors:
            self.problem(None, f"没有找到表「{table.label}」（找不到表头「{columns[0].label}」）。")
            return [], None
        sheet, r0, c0 = anchors[0]
        depth = layout.header_rows(table)
        band = range(r0, r0 + depth + 1)
        where_col: dict[str, int] = {columns[0].key: c0}
        header_cells: list[Cell] = [anchors[0]]
        for column in columns[1:]:
            hits = [
                w for w in self.find(column.label, sheet=sheet) if w[1] in band and w[2] > c0 and w[2] <= c0 + 3 * len(columns)
            ]
            if hits:
                where_col[column.key] = hits[0][2]
                header_cells.append(hits[0])
            else:
                self.problem(None, f"表「{table.label}」中没有找到「{column.label}」列，该列按空白处理。")
        for heading, _a, _b in table.groups:
            for w in self.find(heading, sheet=sheet):
                if w[1] in band and w[2] > c0:
                    header_cells.append(w)
        names_at = [w for w in self.find(form.INSTITUTIONS.item_label, sheet=sheet) if w[1] in band and w[2] < c0]
        name_col = names_at[0][2] if names_at else c0 - 1
        header_cells += names_at[:1]
        for w in header_cells:
            self.grid.used.add(w)
        for w in self.find(table.label, sheet=sheet):
            self.grid.used.add(w)
        bottom = max(self.grid.spans.get(w, (w[1], w[2]))[0] for w in header_cells)
        rows: list[tuple[str, dict[str, Any]]] = []
        summary: dict[str, Any] | None = None
        r = bottom + 1
        nodes = {c.key: c for c in columns}
        while r <= bottom + 500:
            name_cell = self.top((sheet, r, name_col))
            name_text = self.text(name_cell).strip()
            figures = [(k, self.top((sheet, r, c))) for k, c in where_col.items()]
            has_figures = any(w in self.grid.values for _, w in figures)
            if not name_text and not has_figures:
                break
            numbered = layout.institution_name(name_text) != name_text.strip()
            if name_text and not numbered and self.is_label(name_cell) and key(name_text) != key(form.SUMMARY_LABEL):
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
            try:
                name = clean_text(layout.institution_name(name_text), form.INSTITUTIONS.item_label).strip()
            except ValueInputError as exc:
                self.problem(name_cell, str(exc))
                r += 1
                continue
            if key(name_text) == key(form.SUMMARY_LABEL) or key(name_text).endswith("汇总"):
                # a summary of formulas only is computed, as the program computes it;
                # typed figures are what the source states, checked by summary.rows
                if any(w in self.grid.values and w not in self.grid.formulas for _, w in figures):
                    summary = row
            elif name in form.PLACEHOLDER_INSTITUTIONS and all(v is None for v in row.values()):
                pass  # the paper's blank 二级机构1, 二级机构2
            else:
                rows.append((name, row))
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

    # -- row tables ------------------------------------------------------------------

    def header_row(self, labels: list[str]) -> list[Cell] | None:
        """Cells of ``labels`` side by side in one row (first match in sheet order)."""
        for first in self.find(labels[0]):
            sheet, r, _c = first
            cells = [first]
            for label in labels[1:]:
                hits = [w for w in self.find(label, sheet=sheet) if w[1] == r]
                if not hits:
                    break
                cells.append(hits[0])
            else:
                return cells
        return None

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

    def qualitative(self) -> None:
        table = form.QUALITATIVE
        labels = [c.label for c in table.columns]
        header = self.header_row(labels)
        if header is None:
            return
        for w in header:
            self.grid.used.add(w)
        for w in self.find(table.label):
            self.grid.used.add(w)
        cols = [w[2] for w in header]
        rows = []
        for r in self.rows_below(header, cols):
            row = blank_row(table.row)
            for column, c in zip(table.columns, cols, strict=True):
                row[column.key] = self.value(column, (header[0][0], r, c), f"{table.key}.0.{column.key}")
            if any(v is not None for v in row.values()):
                rows.append(row)
        self.data[table.key] = rows

    def indicators(self) -> None:
        table = form.INDICATORS
        nodes = {c.key: c for c in table.columns}
        header = self.header_row([nodes["target"].label, nodes["actual"].label])
        if header is None:
            self.problem(None, f"没有找到「{table.label}」表（找不到表头「{nodes['target'].label}」「{nodes['actual'].label}」）。")
            return
        sheet, r, ct = header[0]
        ca = header[1][2]
        level1_at = [w for w in self.find(nodes["level1"].label, sheet=sheet) if w[1] == r and w[2] < ct]
        c1 = level1_at[0][2] if level1_at else ct - 3
        named = {
            k: [w for w in self.find(nodes[k].label, sheet=sheet) if w[1] == r and c1 < w[2] < ct]
            for k in ("level2", "name")
        }
        c_name = named["name"][0][2] if named["name"] else ct - 1
        c2 = named["level2"][0][2] if named["level2"] else (c1 + 1 if c1 + 1 < c_name else None)
        for w in header + level1_at + named["level2"] + named["name"]:
            self.grid.used.add(w)
        for w in self.find(table.label):
            self.grid.used.add(w)
        cols = {"level1": c1, "level2": c2, "name": c_name, "target": ct, "actual": ca}
        rows = []
        wanted = [c for c in cols.values() if c is not None]
        for row_no in self.rows_below(header + level1_at, wanted):
            row = blank_row(table.row)
            for k, c in cols.items():
                if c is not None:
                    row[k] = self.value(nodes[k], (sheet, row_no, c), f"{table.key}.0.{k}")
            if row["level1"] is not None:
                row["level1"] = layout.level1_word(row["level1"])
            if any(v is not None for v in row.values()):
                rows.append(row)
        self.data[table.key] = rows

    def simple_rows(self, table: Rows, path: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]] | None:
        header = self.header_row([c.label for c in table.columns])
        if header is None:
            return None
        for w in header:
            self.grid.used.add(w)
        sheet, r, _ = header[0]
        for label in extra:
            for w in self.find(label, sheet=sheet):
                if w[1] == r:
                    self.grid.used.add(w)
        cols = [w[2] for w in header]
        extra_cols = [w[2] for label in extra for w in self.find(label, sheet=sheet) if w[1] == r]
        rows = []
        found = self.rows_below(header, cols, stop=("合计",))
        for row_no in range(r + 1, self.last_row + 1):
            for c in extra_cols:
                self.raw_quiet((sheet, row_no, c))
        for row_no in found:
            row = blank_row(table.row)
            for column, c in zip(table.columns, cols, strict=True):
                row[column.key] = self.value(column, (sheet, row_no, c), f"{path}.0.{column.key}")
            if any(v is not None for v in row.values()):
                rows.append(row)
        return rows

    def row_tables(self) -> None:
        self.qualitative()
        self.indicators()
        items = self.simple_rows(form.SCORE_ITEMS, form.SCORE_ITEMS.key, extra=("得分率",))
        if items is not None:
            self.data[form.SCORE_ITEMS.key] = items
            self.consume_total_row(form.SCORE_ITEMS.columns[0].label)
        evaluators = self.simple_rows(form.EVALUATORS, "signatures.evaluators", extra=("签字",))
        if evaluators is not None:
            self.data["signatures"]["evaluators"] = evaluators
        basic = self.simple_rows(form.BASIC_ITEMS, "narrative.basic_items")
        if basic is not None:
            self.data["narrative"]["basic_items"] = basic
        self.projects()
        for label in (form.SCORE_ITEMS.label, form.EVALUATORS.label, form.BASIC_ITEMS.label):
            for w in self.find(label):
                self.grid.used.add(w)
        self.scoring()

    def scoring(self) -> None:
        """附件2 the 自评表, found by a 指标体系's headings: each 三级 line's 二级指标, 分值,
        自评得分, 评分标准 and 扣分原因 go to its 定量指标 row (matched by name) or to the
        framework's own line. 一级/二级 sums and the rows' own texts are not read again."""
        from models import framework as fw
        from models import scoring

        for frame in fw.available():
            cols = frame.columns
            header = self.header_row([cols["level1"], cols["level2"], cols["level3"], cols["criteria"]])
            if header is not None:
                break
        else:
            return
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
                for k in ("score", "reason"):
                    col = place[k]
                    if col is not None:
                        item[k] = self.value(item_nodes[k], (sheet, row_no, col), f"scoring.items.0.{k}")
                if any(v is not None for k, v in item.items() if k != "line"):
                    items.append(item)
                continue
            i = next((i for i, row in enumerate(rows) if i not in taken and key(row["name"] or "") == key(name)), None)
            if i is None:
                self.problem((sheet, row_no, c3), f"自评表的三级指标「{name}」在定量指标表中找不到，其分值和得分未能放入报告。")
                continue
            taken.add(i)
            row = rows[i]
            word = row["level1"] or first
            row["category"] = frame.category_id(second, word) if second else None
            for k in ("weight", "score", "reason", "criteria"):
                col = place[k]
                if col is not None:
                    row[k] = self.value(nodes[k], (sheet, row_no, col), f"indicators.0.{k}")
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
        self.consume_total_row(cols["total"])

    def projects(self) -> None:
        """项目支出明细: name and amount merged over the rows of its uses."""
        table = form.PROJECTS
        pcols = {c.key: c for c in table.columns}
        ucols = {c.key: c for c in form.PROJECT_USES.columns}
        header = self.header_row([pcols["name"].label, pcols["amount"].label])
        if header is None:
            return
        sheet, r, cn = header[0]
        ca = header[1][2]
        use_name = [w for w in self.find(ucols["name"].label, sheet=sheet) if r <= w[1] <= r + 1 and w[2] > ca]
        use_amount = [w for w in self.find(ucols["amount"].label, sheet=sheet) if r <= w[1] <= r + 1 and w[2] > ca]
        for w in header + use_name[:1] + use_amount[:1] + self.find(form.PROJECT_USES.label, sheet=sheet):
            self.grid.used.add(w)
        for w in self.find(table.label):
            self.grid.used.add(w)
        cu = use_name[0][2] if use_name else None
        cua = use_amount[0][2] if use_amount else None
        cols = [c for c in (cn, ca, cu, cua) if c is not None]
        header_cells = header + use_name[:1] + use_amount[:1]
        projects: list[dict[str, Any]] = []
        for row_no in self.rows_below(header_cells, cols):
            name_cell = (sheet, row_no, cn)
            if self.top(name_cell) == name_cell and (name_cell in self.grid.values or (sheet, row_no, ca) in self.grid.values):
                project = blank_row(table.row)
                project["name"] = self.value(pcols["name"], name_cell, "narrative.projects.0.name")
                project["amount"] = self.value(pcols["amount"], (sheet, row_no, ca), "narrative.projects.0.amount")
                projects.append(project)
            if cu is None or cua is None or not projects:
                continue
            use = blank_row(form.PROJECT_USES.row)
            use["name"] = self.value(ucols["name"], (sheet, row_no, cu), "narrative.projects.0.uses.0.name")
            use["amount"] = self.value(ucols["amount"], (sheet, row_no, cua), "narrative.projects.0.uses.0.amount")
            if any(v is not None for v in use.values()):
                projects[-1]["uses"].append(use)
        self.data["narrative"]["projects"] = projects

    def consume_total_row(self, first_label: str) -> None:
        for w in self.find("合计"):
            sheet, r, _ = w
            self.grid.used.add(w)
            for cell in list(self.grid.values):
                if cell[0] == sheet and cell[1] == r and cell in self.grid.formulas:
                    self.grid.used.add(cell)
        del first_label

    # -- what is left ------------------------------------------------------------------

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
            self.problem(where, f"未能放入报告的内容「{shown}」：附近没有可识别的表头或标签。")

    def run(self) -> Placement:
        self.fields()
        self.institution_tables()
        self.row_tables()
        self.leftovers()
        return self.placement


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
    for aliases in ALIASES.values():
        keys.update(key(a) for a in aliases)
    keys.add(key(form.SUMMARY_LABEL))
    keys.add(key(form.INSTITUTIONS.item_label))
    keys.update(key(h) for h in _HEADINGS)
    keys.discard("")
    return keys


_LABEL_KEYS = _label_keys()
_HEADING_KEYS = _LABEL_KEYS | {heading_key(h) for h in _HEADINGS}
_STOP_KEYS = (_LABEL_KEYS - {
    key(c.label) for t in form.INSTITUTION_TABLES for c in t.columns
} - {key(h) for t in form.INSTITUTION_TABLES for h, _a, _b in t.groups} - {key("合计")}) | {
    key(t.columns[0].label) for t in form.INSTITUTION_TABLES
}


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in key(label))


@lru_cache(maxsize=256)
def _inline_pattern(label: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)" + _label_pattern(label) + r"\s*:\s*")


def _inline(text: str, labels: tuple[str, ...], to_end: bool = False) -> str | None:
    """``value`` from ``label：value`` inside one cell; None when no label is there."""
    if ":" not in text and "：" not in text and "﹕" not in text and "︓" not in text:
        return None  # no colon, no label: the common case, decided without folding the text
    folded = unicodedata.normalize("NFKC", text)
    for label in labels:
        m = _inline_pattern(label).search(folded)
        if m:
            rest = folded[m.end() :]
            if to_end:
                return rest.strip()
            return re.split(r"\s{2,}|\n", rest, maxsplit=1)[0].strip()
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


def place(wb: Any, cached: _Cached, name: str) -> Placement:
    """The report a clerk's own workbook gives, and what could not be placed."""
    return _Placer(wb, cached, name).run()
