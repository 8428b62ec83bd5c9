"""One report and the few operations that read and change it.

The window, the command line and the reports read and change a report only
through this class, so that every change passes the same checks and paths.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from models import form as FORM
from models.document import (
    band_word,
    blank,
    blank_row,
    check_band_count,
    clean_text,
    format_value,
    from_plain,
    node_at,
    parse_value,
    to_plain,
)
from models.errors import ValueInputError, quoted
from models.form import InstitutionRows, Rows, Value
from models.money import add, parse_decimal
from models.template import Template


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


class Report:
    """A report's data (see :mod:`models.document`) with computed values."""

    def __init__(self, data: dict[str, Any] | None = None, form: Template | None = None) -> None:
        #: The form the report is filled in: the program's own, or the template the report
        #: was made with where that is a :attr:`Template.flat` form of another family.
        self.form: Template = form or FORM.TEMPLATE
        self.data: dict[str, Any] = data if data is not None else self.blank_data(self.form)
        #: The template the report names (``{"id", "version", "sha256"}``) when read from a
        #: file that names one; None: made here, with the program's form.
        self.template: dict[str, str] | None = None if form is None else form.ref
        #: Why the report may only be looked at (made by a newer program, or with fields
        #: this program's form lacks), or None.
        self.readonly_reason: str | None = None
        #: The document as a newer program wrote it: what this form lacks is kept from it.
        self.kept: dict[str, Any] | None = None

    # -- construction -----------------------------------------------------

    @staticmethod
    def blank_data(template: Template | None = None) -> dict[str, Any]:
        data = blank((template or FORM.TEMPLATE).report)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_plain(cls, raw: Any, source: str | None = None, *, strict: bool = True,
                   unknown: list[str] | None = None, form: Template | None = None) -> Report:
        if form is None or form is FORM.TEMPLATE:
            return cls(from_plain(raw, source, strict=strict, unknown=unknown))
        return cls(from_plain(raw, source, strict=strict, unknown=unknown, root=form.report), form)

    def to_plain(self) -> dict[str, Any]:
        return to_plain(self.data, self.form.report)

    @property
    def flat(self) -> bool:
        """Made with a form of another family than the program's (see :attr:`Template.flat`)."""
        return self.form is not FORM.TEMPLATE and self.form.flat

    def node_at(self, path: str) -> Any:
        """The node of the report's own form a cell path names."""
        return node_at(path, self.form.report)

    def copy(self) -> Report:
        out = Report(copy.deepcopy(self.data), self.form)
        out.template = self.template
        out.readonly_reason = self.readonly_reason
        out.kept = self.kept
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Report) and self.to_plain() == other.to_plain()

    __hash__ = None  # type: ignore[assignment]

    # -- identity -----------------------------------------------------------

    def _role(self, name: str, default: str) -> Any:
        try:
            return self.get(self.form.role(name) or default)
        except (KeyError, IndexError, TypeError):
            return None

    @property
    def dept_name(self) -> str:
        return self._role("department", "cover.dept_name") or ""

    @property
    def year(self) -> int | None:
        year = self._role("year", "cover.year")
        return int(year) if year is not None else None

    @property
    def institutions(self) -> list[str]:
        return self.data["institutions"]

    # -- cells -------------------------------------------------------------

    def get(self, path: str) -> Any:
        """The value a path names, as stored (``None`` for blank).

        ``table.summary.column`` is the summary row as shown (:meth:`shown_summary`).
        """
        parts = _parts(path)
        if len(parts) == 3 and parts[1] == "summary":
            table = _institution_table(str(parts[0]))
            return self.shown_summary(table)[str(parts[2])]
        node: Any = self.data
        for part in parts:
            node = node[part]
        return node

    def put(self, path: str, value: Any) -> None:
        """Store an already-checked value at ``path``."""
        parts = _parts(path)
        if "summary" in parts:
            raise ValueInputError("汇总行由各机构自动合计，不能直接填写。", path)
        node: Any = self.data
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value

    def set_text(self, path: str, text: str | None) -> Any:
        """Check and store what a clerk typed; return the stored value."""
        node = self.node_at(path)
        if not isinstance(node, Value):
            raise KeyError(path)
        value = parse_value(node, text, path)
        if value is not None and not self.flat and node.key in _CHOSEN and path.split(".", 1)[0] in ("indicators", "scoring"):
            from models.scoring import normalise

            value = normalise(self, path, node.key, value)
        self.put(path, value)
        return value

    def set_score(self, text: str | None) -> Any:
        """Set 评分; a grade that matched the old score follows the new one."""
        score = self.data["score"]
        old_band = self.band_of(score["self_score"])
        value = self.set_text("score.self_score", text)
        if score["grade"] and score["grade"] == old_band:
            score["grade"] = self.band_of(value)
        return value

    def enter(self, path: str, text: str | None) -> Any:
        """What a clerk typed into any cell: a value, 评分 or an institution's name."""
        if path.startswith("institutions."):
            self.rename_institution(int(path.split(".")[1]), text or "")
            return self.institutions[int(path.split(".")[1])]
        if path == "score.self_score" and not self.flat:
            return self.set_score(text)
        return self.set_text(path, text)

    def paste(self, cells: list[list[tuple[str | None, str]]]) -> list[str]:
        """Store a pasted block: ``cells[r][c]`` is (path or None, text).

        A cell whose path is None is not editable and is passed over. Returns a
        message per cell that was refused (its text unreadable, or a summary
        cell), naming the cell; every other cell is kept.
        """
        problems: list[str] = []
        for row in cells:
            for path, text in row:
                if path is None:
                    continue
                try:
                    self.enter(path, text)
                except ValueInputError as exc:
                    node = self.node_at(path)
                    problems.append(f"{self.cell_name(path)}（{getattr(node, 'label', path)}）：{exc}")
        return problems

    def cell_name(self, path: str) -> str:
        """A cell as a clerk reads it: 年度收入情况「1、局机关」行, 定量指标第 2 行."""
        parts = path.split(".")
        tables = {t.key: t for t in FORM.INSTITUTION_TABLES}
        if parts[0] in tables and len(parts) == 3:
            table = tables[parts[0]]
            if parts[1] == "summary":
                row = FORM.SUMMARY_LABEL
            else:
                i = int(parts[1])
                row = FORM.institution_label(i, self.institutions[i])
            return f"{table.label.replace('（万元）', '')}「{row}」行"
        if parts[0] == "institutions":
            return f"机构第 {int(parts[1]) + 1} 行"
        node = self.node_at(path)
        if len(parts) >= 3 and parts[-2].isdigit():
            table_node = self.node_at(".".join(parts[:-2]))
            return f"{table_node.label}第 {int(parts[-2]) + 1} 行"
        return str(getattr(node, "label", path))

    def default_text(self, path: str) -> str | None:
        """The text a blank field shows by default (评价方式 from the name)."""
        node = self.node_at(path)
        if isinstance(node, Value) and node.default and self.dept_name:
            return node.default.format(**{k: v or "" for k, v in self.data["cover"].items()})
        return None

    # -- rows --------------------------------------------------------------

    def rows(self, table_path: str) -> list[dict[str, Any]]:
        rows = self.get(table_path)
        assert isinstance(rows, list)
        return rows

    def insert_row(self, table_path: str, index: int | None = None) -> int:
        node = self.node_at(table_path)
        assert isinstance(node, Rows)
        rows = self.rows(table_path)
        index = len(rows) if index is None else index
        rows.insert(index, blank_row(node.row))
        self._follow_rows((table_path,), _inserted(index))
        return index

    def remove_row(self, table_path: str, index: int) -> dict[str, Any]:
        removed = self.rows(table_path).pop(index)
        self._follow_rows((table_path,), _removed(index))
        return removed

    def move_row(self, table_path: str, index: int, to: int) -> None:
        rows = self.rows(table_path)
        self._follow_rows((table_path,), _moved(len(rows), index, to))
        rows.insert(to, rows.pop(index))

    def add_institution(self, name: str, index: int | None = None) -> int:
        name = clean_text(name, FORM.INSTITUTIONS.item_label, "institutions").strip()
        if not name:
            raise ValueInputError("机构名称不能为空。", "institutions")
        index = len(self.institutions) if index is None else index
        if index == 0:
            raise ValueInputError("第一行是部门本级，新的二级机构只能加在它后面。", "institutions")
        self.institutions.insert(index, name)
        for table in FORM.INSTITUTION_TABLES:
            self.data[table.key].insert(index, blank_row(table.row))
        self._follow_rows(_INSTITUTION_KEYS, _inserted(index))
        return index

    def rename_institution(self, index: int, name: str) -> None:
        name = clean_text(name or "", FORM.INSTITUTIONS.item_label, f"institutions.{index}").strip()
        if not name:
            raise ValueInputError("机构名称不能为空。", f"institutions.{index}")
        self.institutions[index] = name

    def remove_institution(self, index: int) -> None:
        if index == 0 or len(self.institutions) <= 1:
            raise ValueInputError("部门本级（第一个机构）不能删除。", "institutions")
        del self.institutions[index]
        for table in FORM.INSTITUTION_TABLES:
            del self.data[table.key][index]
        self._follow_rows(_INSTITUTION_KEYS, _removed(index))

    def move_institution(self, index: int, to: int) -> None:
        if index == 0 or to == 0:
            raise ValueInputError("部门本级（第一个机构）始终排在第一行。", "institutions")
        self._follow_rows(_INSTITUTION_KEYS, _moved(len(self.institutions), index, to))
        self.institutions.insert(to, self.institutions.pop(index))
        for table in FORM.INSTITUTION_TABLES:
            rows = self.data[table.key]
            rows.insert(to, rows.pop(index))

    def _follow_rows(self, tables: tuple[str, ...], moved: Callable[[int], int | None]) -> None:
        """Keep each 出错说明 on its row when rows are inserted, removed or moved: rewrite
        the row index in its cells, and drop an explanation whose own row is gone."""
        kept = []
        for item in self.data["explanations"]:
            cells: list[str] = []
            for cell in item["cells"]:
                new = _follow_cell(cell, tables, moved)
                if new is not None:
                    cells.append(new)
                elif not cells and cell == item["cells"][0]:
                    break  # the finding's own cell went with its row
            else:
                kept.append({**item, "cells": cells})
        self.data["explanations"] = kept

    # -- computed values -----------------------------------------------------

    def effective_row(self, table: InstitutionRows, row: dict[str, Any]) -> dict[str, Any]:
        """The row as shown: each blank total replaced by the sum of its parts."""
        shown = dict(row)
        for check in table.computed_order():
            if shown[check.target] is None:
                shown[check.target] = add([shown[p] for p in check.parts])
        return shown

    def computed_keys(self, table: InstitutionRows, row: dict[str, Any]) -> set[str]:
        """Columns of a row that show a computed sum rather than a typed figure."""
        shown = self.effective_row(table, row)
        return {
            c.target for c in table.sums if row[c.target] is None and shown[c.target] is not None
        }

    def summary_row(self, table: InstitutionRows) -> dict[str, Any]:
        """局机关及二级机构汇总: column sums of the institution rows as shown."""
        shown = [self.effective_row(table, r) for r in self.data[table.key]]
        return {c.key: add([r[c.key] for r in shown]) for c in table.columns}

    def stated_summary(self, table: InstitutionRows) -> dict[str, Any] | None:
        """The summary row as an imported file stated it, if it carried one."""
        summary = self.data.get("summary")
        return None if summary is None else summary[table.key]

    def stated_keys(self, table: InstitutionRows) -> set[str]:
        """Columns of the summary row that show a figure the file stated (not a sum)."""
        stated = self.stated_summary(table)
        return set() if stated is None else {k for k, v in stated.items() if v is not None}

    def shown_summary(self, table: InstitutionRows) -> dict[str, Any]:
        """局机关及二级机构汇总 as every output shows it — the window, the printed form, the
        workbook, the 汇总表 and the findings all read it here.

        Each cell shows the figure the imported file stated for it, where the file stated
        one, else the column sum of the institution rows. A cell the file left blank states
        nothing (blank is not zero): like a blank total, it shows the sum. A stated figure
        that differs from the sum is kept as stated and raised by ``summary.rows``."""
        computed = self.summary_row(table)
        stated = self.stated_summary(table)
        if stated is None:
            return computed
        return {k: stated[k] if stated.get(k) is not None else v for k, v in computed.items()}

    def drop_stated_summary(self) -> None:
        """Forget the summary row an imported file stated; it is computed from now on."""
        self.data["summary"] = None

    # -- the 评价报告's tables ------------------------------------------------------
    # The window's running sums, the rules that compare them with the expenditure
    # table and Part B's paragraphs and tables all add these up here.

    def basic_indices(self, group: str) -> list[int]:
        """The 基本支出明细 items of a 类别 (``""``: those without one), by index."""
        items = self.data["narrative"]["basic_items"]
        return [i for i, item in enumerate(items) if (item["group"] or "") == group]

    def basic_total(self, group: str | None = None) -> Decimal | None:
        """The 基本支出明细 amounts of a 类别 (None: of every item) added up; None when
        every amount is blank (blank is not zero)."""
        items = self.data["narrative"]["basic_items"]
        chosen = items if group is None else [items[i] for i in self.basic_indices(group)]
        return add([item["amount"] for item in chosen])

    def projects_total(self) -> Decimal | None:
        """The amounts of the 项目支出明细 added up (None when all are blank)."""
        return add([p["amount"] for p in self.data["narrative"]["projects"]])

    def uses_total(self, project: int) -> Decimal | None:
        """The amounts of one project's 资金用途 added up (None when all are blank)."""
        return add([u["amount"] for u in self.data["narrative"]["projects"][project]["uses"]])

    def set_bands(self, text: str) -> list[list[Any]]:
        """Set 等级档次 from what the clerk typed (``90 优；80 良；60 较差；0 差``)."""
        bands = parse_bands(text)
        self.put("score.bands", bands)
        return bands

    def bands(self) -> list[tuple[Decimal, str]]:
        """Grade bands, highest lower limit first."""
        return sorted(
            ((Decimal(lo), word) for lo, word in self.data["score"]["bands"]),
            key=lambda b: b[0],
            reverse=True,
        )

    def band_of(self, score: Decimal | None) -> str | None:
        if score is None:
            return None
        for lower, word in self.bands():
            if score >= lower:
                return word
        return None

    def grade(self) -> str | None:
        """The grade shown: as typed, or derived from the score when blank."""
        typed = self.data["score"]["grade"]
        return typed if typed else self.band_of(self.data["score"]["self_score"])

    # -- explanations --------------------------------------------------------

    @staticmethod
    def _same_finding(item: dict[str, Any], rule: str, cells: tuple[str, ...]) -> bool:
        """An explanation belongs to a finding by its rule and its first cell (the total,
        the summary cell, the field): filling in a part that was blank keeps it attached."""
        return item["rule"] == rule and bool(item["cells"]) and bool(cells) and item["cells"][0] == cells[0]

    def explanation(self, rule: str, cells: tuple[str, ...]) -> str | None:
        for item in self.data["explanations"]:
            if self._same_finding(item, rule, cells):
                return item["text"]
        return None

    def explain(self, rule: str, cells: tuple[str, ...], text: str | None) -> None:
        """Attach (or with a blank text, remove) the 出错说明 of a finding."""
        items = self.data["explanations"]
        cleaned = clean_text(text or "", FORM.EXPLANATIONS.label, "explanations", multiline=True)
        items[:] = [i for i in items if not self._same_finding(i, rule, cells)]
        if cleaned and cleaned.strip():
            items.append({"rule": rule, "cells": list(cells), "text": cleaned.strip()})

    # -- next year ------------------------------------------------------------

    def carried_over(self) -> Report:
        """A new report for the next year: who and what carried over, figures blank."""
        if self.flat:
            return self._carried_flat()
        new = Report()
        d = new.data
        d["cover"] = dict(self.data["cover"])
        d["cover"]["year"] = (self.year + 1) if self.year else None
        d["cover"]["report_date"] = None
        d["basics"] = dict(self.data["basics"])
        d["basics"]["achievements"] = None
        d["institutions"] = list(self.institutions)
        for table in FORM.INSTITUTION_TABLES:
            d[table.key] = [blank_row(table.row) for _ in self.institutions]
        d["indicators"] = [
            {**blank_row(FORM.INDICATORS.row),
             **{k: r[k] for k in ("level1", "level2", "name", "category", "nature", "weight", "criteria")}}
            for r in self.data["indicators"]
        ]
        d["scoring"]["framework"] = self.data["scoring"]["framework"]
        d["score"]["bands"] = copy.deepcopy(self.data["score"]["bands"])
        d["score_items"] = [
            {**blank_row(FORM.SCORE_ITEMS.row), "name": r["name"], "weight": r["weight"]}
            for r in self.data["score_items"]
        ]
        d["signatures"]["evaluators"] = copy.deepcopy(self.data["signatures"]["evaluators"])
        d["narrative"]["basic_items"] = [
            {**r, "amount": None} for r in self.data["narrative"]["basic_items"]
        ]
        return new


    def _carried_flat(self) -> Report:
        """Next year's report of a form of another family: its words and the rows of its
        tables carry over (who, the indicators' names and units), its figures and long
        texts (results) do not; the year is the next one."""
        new = Report(None, self.form)

        def carry(node: Any, value: Any) -> Any:
            if isinstance(node, Value):
                keep = node.carry if node.carry is not None else node.kind in ("text", "int")
                return copy.deepcopy(value) if keep else None
            if isinstance(node, Rows):
                return [carry(node.row, row) for row in value or []]
            return {c.key: carry(c, (value or {}).get(c.key)) for c in node.children}

        for part in self.form.report.children:
            if part.key != "explanations":
                new.data[part.key] = carry(part, self.data.get(part.key))
        year_path = self.form.role("year")
        if year_path and self.year:
            new.put(year_path, self.year + 1)
        return new


def parse_bands(text: str) -> list[list[Any]]:
    """等级档次 as typed: ``下限 等级`` pairs separated by ；or ，."""
    bands: list[list[Any]] = []
    for raw in text.replace(";", "；").replace("，", "；").replace(",", "；").split("；"):
        part = raw.strip()
        if not part:
            continue
        pieces = part.split(maxsplit=1)
        if len(pieces) != 2:
            raise ValueInputError(f"等级档次{quoted(part)}应写成「下限 等级」，例如「90 优」。", "score.bands")
        lower = parse_decimal(pieces[0], places=1, units=("分",), negative=False, what="档次下限")
        bands.append([lower, band_word(pieces[1], "score.bands")])
    if not bands:
        raise ValueInputError("至少要有一个等级档次，例如「90 优；80 良；60 较差；0 差」。", "score.bands")
    check_band_count(len(bands), "score.bands")
    return bands


# ---------------------------------------------------------------------------
# Differences between two versions (历史版本)
# ---------------------------------------------------------------------------


def path_label(path: str, report: Report | None = None) -> str:
    """A path as a clerk reads it: 封面 · 部门（单位）名称（盖章）, 二、收入 · 第 1 行 收入合计;
    with the ``report``, a 机构 table's row by its name (二、收入 · 1、局机关 收入合计), and
    its summary row (二、收入 · 局机关及二级机构汇总 收入合计)."""
    parts = path.split(".")
    if len(parts) == 3 and parts[1] == "summary":
        try:
            table = _institution_table(parts[0])
            column = table.row.child(parts[2])
        except KeyError:
            return path
        return f"{table.tab or table.label} · {FORM.SUMMARY_LABEL} {column.label}"
    root = report.form.report if report is not None else FORM.REPORT
    try:
        node = node_at(path, root)
    except KeyError:
        return path
    top = root.child(parts[0])
    head = getattr(top, "tab", None) or top.label
    if isinstance(node, Value):
        rows = [p for p in parts if p.isdigit()]
        where = f"第 {int(rows[0]) + 1} 行 " if rows else ""
        if rows and report is not None and isinstance(top, InstitutionRows) and int(rows[0]) < len(report.institutions):
            where = f"{FORM.institution_label(int(rows[0]), report.institutions[int(rows[0])])} "
        return f"{head} · {where}{node.label}"
    return f"{head} · {node.label}"


def _walk(data: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _walk(value, f"{path}.{key}" if path else key, out)
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        for i, value in enumerate(data):
            _walk(value, f"{path}.{i}", out)
    else:
        out[path] = data


def shown_text(path: str, value: Any, limit: int = 60, report: Report | None = None) -> str:
    """A plain (interchange) value as the clerk sees it, shortened."""
    if value is None:
        return "（空）"
    try:
        node = node_at(path, report.form.report if report is not None else None)
    except KeyError:
        node = None
    if isinstance(node, Value) and node.kind == "yearmonth":
        text = format_value(node, value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def differences(old: Report, new: Report) -> list[tuple[str, str, str, str]]:
    """What differs between two reports, one item per cell:
    ``(path, label, old_text, new_text)``, in the order of the form."""
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _walk(old.to_plain(), "", a)
    _walk(new.to_plain(), "", b)
    out = []
    for path in list(dict.fromkeys([*a, *b])):
        if a.get(path) == b.get(path):
            continue
        out.append((path, path_label(path, new if new.flat else None), shown_text(path, a.get(path), report=new),
                    shown_text(path, b.get(path), report=new)))
    return out


_INSTITUTION_KEYS = ("institutions", *(t.key for t in FORM.INSTITUTION_TABLES))
#: Values of the 自评表 chosen from the 指标体系: typed names become what the report keeps.
_CHOSEN = ("category", "nature", "attainment")


def _inserted(at: int) -> Callable[[int], int | None]:
    return lambda i: i + 1 if i >= at else i


def _removed(at: int) -> Callable[[int], int | None]:
    return lambda i: None if i == at else (i - 1 if i > at else i)


def _moved(count: int, index: int, to: int) -> Callable[[int], int | None]:
    order = list(range(count))
    order.insert(to, order.pop(index))
    new = {old: position for position, old in enumerate(order)}
    return lambda i: new.get(i, i)


def _follow_cell(cell: str, tables: tuple[str, ...], moved: Callable[[int], int | None]) -> str | None:
    """``cell`` with its row index under one of ``tables`` mapped by ``moved``."""
    for table in tables:
        prefix = table + "."
        if cell.startswith(prefix):
            head, _, rest = cell[len(prefix):].partition(".")
            if head.isdigit():
                index = moved(int(head))
                if index is None:
                    return None
                return f"{prefix}{index}" + (f".{rest}" if rest else "")
    return cell


def _institution_table(key: str) -> InstitutionRows:
    for table in FORM.INSTITUTION_TABLES:
        if table.key == key:
            return table
    raise KeyError(key)


def institution_table(key: str) -> InstitutionRows:
    return _institution_table(key)
