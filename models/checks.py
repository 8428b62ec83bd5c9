"""The rules a template writes out (``[[rules]]`` with formulas), run over a report.

A finding here has the shape of every other finding: the rule's id, the cells it
concerns (the stated cell first: an explanation attaches to it) and a message
that states both figures and the difference, in the words of the template's
own labels. A cell a rule marks ``fill`` shows its computed value while blank,
as a blank total shows the sum of its parts; rules read the cells as shown.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from models import formula
from models.nodes import InstitutionRows, Record, Rows, Value
from models.quantity import number_text
from models.template import Check, Template

Finding = tuple[str, list[str], str]


def _places(template: Template, check: Check) -> int:
    """Decimals of the cell an ``equals`` rule checks (its computed value is rounded so)."""
    node = _cell_node(template, check)
    return node.places if node.kind in ("money", "score") else 0


def _cell_node(template: Template, check: Check) -> Value:
    assert check.cell is not None
    if check.each is not None:
        table = template.node_at(check.each)
        assert isinstance(table, Rows | InstitutionRows)
        node = table.row.child(check.cell)
    else:
        node = template.node_at(check.cell)
    assert isinstance(node, Value)
    return node


def _rows(data: Mapping[str, Any], path: str) -> list[dict[str, Any]]:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node if isinstance(node, list) else []


def _get(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *head, last = path.split(".")
    node: Any = data
    for part in head:
        node = node[part]
    node[last] = value


def _constants(template: Template) -> dict[str, Decimal]:
    return {k: c.value for k, c in template.constants.items()}


def computed(template: Template, check: Check, data: Mapping[str, Any], row: Mapping[str, Any] | None = None) -> Any:
    """The value an ``equals`` rule gives its cell, rounded to the cell's decimals."""
    assert check.equals is not None
    value = formula.evaluate(check.equals, formula.Scope(data, _constants(template), row))
    if isinstance(value, Decimal):
        return _plain(formula.quantize(value, _places(template, check)))
    return None


def _plain(value: Decimal) -> Decimal:
    """A computed figure as a clerk writes it: 7.6, not 7.60."""
    return Decimal(number_text(value))


def shown(template: Template, data: dict[str, Any]) -> dict[str, Any]:
    """The report's data as shown: each blank cell of a ``fill`` rule holds its computed
    value, in the order of the rules (a later rule reads an earlier one's value)."""
    filling = [c for c in template.checks if c.fill and c.equals is not None]
    if not filling:
        return data
    out = copy.deepcopy(data)
    for check in filling:
        assert check.cell is not None
        if check.each is not None:
            for row in _rows(out, check.each):
                if row.get(check.cell) is None:
                    row[check.cell] = computed(template, check, out, row)
        elif _get(out, check.cell) is None:
            _put(out, check.cell, computed(template, check, out))
    return out


def filled_cells(template: Template, data: dict[str, Any]) -> set[str]:
    """Paths of the cells that show a computed value (blank, with a ``fill`` rule)."""
    out: set[str] = set()
    view = shown(template, data)
    for check in template.checks:
        if not check.fill or check.cell is None:
            continue
        if check.each is not None:
            for i, (row, seen) in enumerate(zip(_rows(data, check.each), _rows(view, check.each), strict=True)):
                if row.get(check.cell) is None and seen.get(check.cell) is not None:
                    out.add(f"{check.each}.{i}.{check.cell}")
        elif _get(data, check.cell) is None and _get(view, check.cell) is not None:
            out.add(check.cell)
    return out


class _Run:
    def __init__(self, template: Template, data: dict[str, Any]) -> None:
        self.template = template
        self.stated = data
        self.data = shown(template, data)
        self.constants = _constants(template)

    def label(self, check: Check, name: str) -> str:
        if check.each is not None:
            table = self.template.node_at(check.each)
            assert isinstance(table, Rows | InstitutionRows)
            if name in table.row.keys:
                return table.row.child(name).label
        if name in self.template.constants:
            return self.template.constants[name].label
        node = self.template.node_at(name)
        return node.label

    def cells(self, check: Check, tree: formula.Expr | None, index: int | None) -> list[str]:
        out: list[str] = []
        if tree is None:
            return out
        sums = _summed(tree)
        for name in formula.names(tree):
            if check.each is not None and index is not None and name in self._columns(check):
                out.append(f"{check.each}.{index}.{name}")
            elif name in self.template.constants:
                continue
            elif name in sums:
                table, _, column = name.rpartition(".")
                out.extend(f"{table}.{i}.{column}" for i in range(len(_rows(self.data, table))))
            elif "." in name:
                out.append(name)
        return out

    def _columns(self, check: Check) -> tuple[str, ...]:
        assert check.each is not None
        table = self.template.node_at(check.each)
        assert isinstance(table, Rows | InstitutionRows)
        return table.row.keys

    def where(self, check: Check, index: int | None, row: Mapping[str, Any] | None) -> str:
        if check.each is None or index is None:
            path = check.cell or next((n for n in _all_names(check) if "." in n), "")
            head = path.split(".")[0]
            if head and self.template.has(head):
                return self.template.part(head).label
            return self.template.rules_by_id[check.rule].title
        table = self.template.node_at(check.each)
        assert isinstance(table, Rows | InstitutionRows)
        name = next((v for k in ("name", *table.row.keys) if isinstance(v := (row or {}).get(k), str) and v.strip()),
                    None)
        shown_name = name if name is None or len(name) <= 24 else name[:23] + "…"
        return f"{table.label}「{index + 1}、{shown_name}」" if shown_name else f"{table.label}第 {index + 1} 行"

    def message(self, check: Check, text: str, scope: formula.Scope) -> str:
        def fill(piece: str) -> str:
            try:
                return formula.value_text(formula.evaluate(formula.parse(piece), scope))
            except formula.FormulaError:  # pragma: no cover - checked when the template was read
                return piece

        return re.sub(r"\{([^{}]*)\}", lambda m: fill(m.group(1)), text)

    def run(self, check: Check) -> Iterator[Finding]:
        if check.each is not None:
            stated_rows = _rows(self.stated, check.each)
            for i, row in enumerate(_rows(self.data, check.each)):
                yield from self.one(check, i, row, stated_rows[i] if i < len(stated_rows) else {})
        else:
            yield from self.one(check, None, None, None)

    def one(self, check: Check, index: int | None, row: Mapping[str, Any] | None,
            stated_row: Mapping[str, Any] | None) -> Iterator[Finding]:
        scope = formula.Scope(self.data, self.constants, row)
        where = self.where(check, index, row)
        if check.equals is not None and check.cell is not None:
            stated = (stated_row or {}).get(check.cell) if check.each is not None else _get(self.stated, check.cell)
            if stated is None:
                return
            value = formula.evaluate(check.equals, scope)
            if not isinstance(value, Decimal):
                return
            rounded = _plain(formula.quantize(value, _places(self.template, check)))
            if rounded == stated:
                return
            label = self.label(check, check.cell)
            cell = f"{check.each}.{index}.{check.cell}" if check.each is not None else check.cell
            cells = [cell, *(c for c in self.cells(check, check.equals, index) if c != cell)]
            text = formula.shown(check.equals, scope, lambda n: self.label(check, n))
            diff = stated - rounded
            word = "多" if diff > 0 else "少"
            message = (check.message and self.message(check, check.message, scope)) or (
                f"{label}填报 {formula.value_text(stated)}，而 {text} = {formula.value_text(rounded)}，"
                f"相差 {number_text(abs(diff))}（{label}{word} {number_text(abs(diff))}）。")
            yield check.rule, cells, f"{where}：{message}"
            return
        assert check.require is not None
        if check.when is not None and formula.evaluate(check.when, scope) is not True:
            return
        if formula.evaluate(check.require, scope) is not False:
            return
        cells = list(dict.fromkeys([*self.cells(check, check.when, index), *self.cells(check, check.require, index)]))
        if check.message:
            message = self.message(check, check.message, scope)
        else:
            names = [n for n in _all_names(check)]
            figures = "，".join(f"{self.label(check, n)} {formula.value_text(scope.value(n))}" for n in names if not _is_sum(check, n))
            title = self.template.rules_by_id[check.rule].title
            message = f"不符合「{title}」" + (f"（{figures}）" if figures else "") + "。"
        yield check.rule, cells, f"{where}：{message}"


def _summed(tree: formula.Expr) -> set[str]:
    out: set[str] = set()

    def walk(node: formula.Expr) -> None:
        if isinstance(node, formula.Call):
            if node.fn in ("sum", "count") and isinstance(node.args[0], formula.Name):
                out.add(node.args[0].path)
            for arg in node.args:
                walk(arg)
        elif isinstance(node, formula.Unary):
            walk(node.operand)
        elif isinstance(node, formula.Binary):
            walk(node.left)
            walk(node.right)

    walk(tree)
    return out


def _all_names(check: Check) -> list[str]:
    out: list[str] = []
    for tree in (check.when, check.require, check.equals):
        if tree is not None:
            out.extend(n for n in formula.names(tree) if n not in out)
    return out


def _is_sum(check: Check, name: str) -> bool:
    return any(name in _summed(t) for t in (check.when, check.require, check.equals) if t is not None)


def run(template: Template, data: dict[str, Any]) -> list[Finding]:
    """Every finding of the template's written rules, in the order of the rules."""
    r = _Run(template, data)
    out: list[Finding] = []
    for check in template.checks:
        out.extend(r.run(check))
    return out


def required(template: Template, data: Mapping[str, Any]) -> list[Finding]:
    """The ``required`` rule for any template: each required field of a part, filled."""
    out: list[Finding] = []
    for part in template.report.children:
        if not isinstance(part, Record):
            continue
        for value in part.values():
            if value.required and _get(data, f"{part.key}.{value.key}") in (None, ""):
                out.append(("required", [f"{part.key}.{value.key}"],
                            f"{part.tab or part.label}：「{value.help or value.label}」必须填写。"))
    return out
