"""Which template a new report takes, and a report carried into another template.

The program's own form is the one it started with (:data:`models.form.TEMPLATE`).
Installed templates of the same *family* — the same id but for its year:
``hunan-2023``, ``hunan-2024`` — are later issues of that form: a new report takes
the newest one installed for its year and records it. What such a template lacks is
not carried into it, and what it adds this program cannot fill; both are named to
the clerk, never dropped silently. A template of another family made of records and
row tables only (:attr:`Template.flat`, another province's form) is a form of its
own: a report made with it keeps it, and next year's report takes the newest of
that family.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from models import template_registry as registry
from models.nodes import Bands, InstitutionRows, Names, Node, Record, Rows, Value
from models.report import Report
from models.template import Template
from models.template_registry import family


def is_newer(template_id: str, version: str) -> bool:
    """Whether a template (by id and version) is a later issue of the program's form."""
    own = running()
    if family(template_id) != family(own.id):
        return False
    found = re.search(r"-(\d{4})$", template_id)
    year = int(found.group(1)) if found else own.year
    return (year, registry.version_key(version)) > (own.year, registry.version_key(own.version))


def running() -> Template:
    from models import form

    return form.TEMPLATE


@dataclass(frozen=True)
class Choice:
    """The template a new report takes, and what the clerk is to be told of it."""

    template: Template
    notes: tuple[str, ...] = ()


def _newest(candidates: list[Template], year: int | None) -> Template | None:
    """The newest for ``year``: of that year, else of the latest earlier year; without a
    year, the newest of all."""
    if year is not None:
        same = [t for t in candidates if t.year == year]
        candidates = same or [t for t in candidates if t.year < year]
    return max(candidates, key=lambda t: (t.year, registry.version_key(t.version))) if candidates else None


def for_new_report(year: int | None, base: Template | None = None) -> Choice:
    """The template a new report of ``year`` (None: not known yet) takes: the newest of
    the program's family installed for it, else the program's own. Given ``base``, a form
    of another family (:attr:`Template.flat`), the newest of that family instead."""
    own = running()
    if base is not None and base.flat:
        kin = [e.template for e in registry.entries()[0] if family(e.template.id) == family(base.id)]
        return Choice(_newest([*kin, base], year) or base)
    installed = [e.template for e in registry.entries()[0] if not e.shipped]
    chosen = _newest([t for t in installed if family(t.id) == family(own.id)] + [own], year) or own
    notes = list(_missing_keys(chosen))
    newest = _newest(installed, year)
    if newest is not None and family(newest.id) != family(own.id) and (newest.year, registry.version_key(
            newest.version)) >= (chosen.year, registry.version_key(chosen.version)):
        when = f"{year} 年度" if year is not None else ""
        notes.insert(0, f"已安装的{when}最新表样模板是 {newest.id} 版本 {newest.version}（{newest.name}），"
                        f"与本程序的表样（{own.name}）不是同一种。"
                        f"新报告按表样模板 {chosen.id} 版本 {chosen.version} 填写；要按 {newest.name} 填写，"
                        "请在新建报告时选择它。")
    return Choice(chosen, tuple(notes))


def template_line(template: Template) -> str:
    return f"新报告使用表样模板 {template.id} 版本 {template.version}（{template.name}，{template.year} 年度）。"


# -- keys of a template ------------------------------------------------------------


def _leaves(node: Node, path: str, above: str) -> Iterator[tuple[str, str, Node]]:
    """Each value of a form: its path without row numbers, its name for the clerk, its node."""
    here = f"{path}.{node.key}" if path else node.key
    if isinstance(node, Value | Names | Bands):
        yield here, (f"{above}·{node.label}" if above else node.label), node
    elif isinstance(node, Record):
        for child in node.children:
            yield from _leaves(child, here, above or node.label)
    elif isinstance(node, Rows | InstitutionRows):
        for child in node.row.children:
            yield from _leaves(child, here, above or node.label)


def leaves(template: Template) -> dict[str, str]:
    """Every value of a template's form: path (no row numbers) → its name for the clerk."""
    out: dict[str, str] = {}
    for part in template.report.children:
        for path, name, _ in _leaves(part, "", ""):
            out[path] = name
    return out


def _named(paths: list[str], names: dict[str, str]) -> str:
    return "、".join(f"「{names[p]}」（{p}）" for p in paths)


def _missing_keys(template: Template) -> Iterator[str]:
    """What the clerk is to know of a template whose fields this program lacks."""
    own = leaves(running())
    theirs = leaves(template)
    extra = [p for p in theirs if p not in own]
    if extra:
        yield (f"表样模板 {template.id} 版本 {template.version} 有本程序的表样没有的栏目：{_named(extra, theirs)}。"
               "本程序不能填写这些栏目，请升级程序后再填写。")


# -- carrying into another template -----------------------------------------------


@dataclass
class Carried:
    """Next year's report, the template it takes and what the clerk is to be told."""

    report: Report
    template: Template
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join([template_line(self.template), *self.notes])


def _blank_of(node: Node) -> Any:
    from models.document import blank

    return blank(node)


def _is_blank(value: Any) -> bool:
    return value is None or value in ("", [])


def _drop(node: Node, data: Any, path: str, keep: set[str], dropped: list[str]) -> Any:
    """``data`` with the values whose paths are not in ``keep`` blanked; their paths noted."""
    here = f"{path}.{node.key}" if path else node.key
    if isinstance(node, Value | Names | Bands):
        if here in keep or _is_blank(data):
            return data
        if here not in dropped:
            dropped.append(here)
        return _blank_of(node)
    if isinstance(node, Record) and isinstance(data, dict):
        for child in node.children:
            data[child.key] = _drop(child, data.get(child.key), here, keep, dropped)
    elif isinstance(node, Rows | InstitutionRows) and isinstance(data, list):
        for row in data:
            for child in node.row.children:
                row[child.key] = _drop(child, row.get(child.key), here, keep, dropped)
    return data


def fit(report: Report, template: Template) -> list[str]:
    """Blank in ``report`` what ``template`` has no field for; the names of what was blanked."""
    keep = set(leaves(template))
    dropped: list[str] = []
    for part in running().report.children:
        report.data[part.key] = _drop(part, report.data.get(part.key), "", keep, dropped)
    names = leaves(running())
    return [f"「{names[p]}」（{p}）" for p in dropped]


def _copied(node: Node, data: Any) -> Any:
    """``data`` in the shape of ``node``: values by key; what ``node`` adds is blank."""
    if isinstance(node, Value | Names | Bands):
        return data if data is not None else _blank_of(node)
    if isinstance(node, Record):
        source = data if isinstance(data, dict) else {}
        return {child.key: _copied(child, source.get(child.key)) for child in node.children}
    if isinstance(node, Rows | InstitutionRows):
        return [_copied(node.row, row) for row in data] if isinstance(data, list) else _blank_of(node)
    return _blank_of(node)  # pragma: no cover


def moved(report: Report, template: Template) -> tuple[Report, list[str]]:
    """``report`` in another form of its family, values mapped by key; the names of what
    the new form has no field for (they are not carried)."""
    keep = set(leaves(template))
    dropped: list[str] = []
    source = copy.deepcopy(report.data)
    for part in report.form.report.children:
        source[part.key] = _drop(part, source.get(part.key), "", keep, dropped)
    out = Report(None, template)
    for part in template.report.children:
        if part.key in source:
            out.data[part.key] = _copied(part, source[part.key])
    names = leaves(report.form)
    return out, [f"「{names[p]}」（{p}）" for p in dropped]


def carry(old: Report) -> Carried:
    """Next year's report from ``old``, in the template a new report of that year takes:
    values mapped by key; what the template lacks is named, not dropped silently."""
    new = old.carried_over()
    choice = for_new_report(new.year, old.form if old.flat else None)
    if old.flat:
        if choice.template.digest != new.form.digest:
            new, lost = moved(new, choice.template)
        else:
            lost = []
    else:
        lost = fit(new, choice.template)
    new.template = choice.template.ref
    carried = Carried(new, choice.template, list(choice.notes))
    if lost:
        carried.notes.append(
            f"表样模板 {choice.template.id} 版本 {choice.template.version} 没有这些栏目，上年报告中的内容没有结转："
            f"{'、'.join(lost)}。上年报告本身不变，需要时可以从中查看。")
    return carried
