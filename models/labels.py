"""Cells named as a person reads them: ``二、收入「1、局机关」收入合计``.

A cell path (``income.0.total``) is the program's name for a cell; a clerk or a
finance official reads the place the window and the paper show instead: the tab
(or the table, where a tab holds more than one), the row by its name where it has
one, and the column's label. Everything here is derived from :mod:`models.form`.

A figure read from a workbook may also carry the cell it came from
(``收支情况!C7``): passed as ``ref`` (or ``refs`` for several cells), it is added
after the label, so the clerk can find it in the file they typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from models import form
from models.form import Bands, InstitutionRows, Names, Record, Rows, Value

if TYPE_CHECKING:
    from models.report import Report

#: Most characters of a row's name inside 「」; longer names end with "…".
NAME_CHARS = 24
#: The keys of the column that names a row (指标, 项目名称, 三级指标 …).
_NAME_KEYS = ("name", "line")


def _tab_owners() -> dict[str, str]:
    """Top-level key → the word that places it: its tab, or its own label where an
    earlier part already owns the tab (一级指标得分 shares 评分's tab)."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for node in form.REPORT.children:
        tab = getattr(node, "tab", None)
        if tab and tab not in seen:
            seen.add(tab)
            out[node.key] = tab
        else:
            out[node.key] = node.label
    out[form.INSTITUTIONS.key] = form.INCOME.tab or form.INCOME.label
    return out


_PLACES = _tab_owners()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def _row_name(rows: Rows, data: Any, index: int, report: Report | None, numbered: bool = True) -> str:
    """「3、名称」 for a row with a name (「名称」 where the number means nothing there),
    else 第 3 行."""
    name = ""
    if isinstance(data, list) and index < len(data) and isinstance(data[index], dict):
        row = data[index]
        for key in _NAME_KEYS:
            value = row.get(key)
            if isinstance(value, str) and value.strip():
                name = value
                break
        if rows is form.SCORING.child("items") and name and report is not None:
            from models.scoring import framework_of

            frame = framework_of(report)
            found = frame.line(name) if frame is not None else None
            return f"「{_short(found[2].name)}」" if found is not None else f"第 {index + 1} 行"
    if not name:
        return f"第 {index + 1} 行"
    return f"「{index + 1}、{_short(name)}」" if numbered else f"「{_short(name)}」"


def _institution_row(index: str, report: Report | None) -> str:
    if index == "summary":
        return f"「{form.SUMMARY_LABEL}」"
    i = int(index)
    if report is not None and i < len(report.institutions):
        return f"「{form.institution_label(i, report.institutions[i])}」"
    return f"第 {i + 1} 行"


def place_and_column(path: str, report: Report | None = None) -> tuple[str, str]:
    """A cell path as (place, column): ``("二、收入「1、局机关」", "收入合计")``.

    The place is what the cells of one row share; the column is empty where the path
    names a whole text or table. A path that names nothing comes back as it is.
    """
    parts = path.split(".")
    root = report.form.report if report is not None and report.flat else form.REPORT
    try:
        top = root.child(parts[0])
    except KeyError:
        return path, ""
    # A form of another family is placed by its parts' own labels, as its paper prints them.
    place = _PLACES[top.key] if root is form.REPORT else top.label
    if isinstance(top, InstitutionRows | Names):
        if len(parts) < 2:
            return place, ""
        place += _institution_row(parts[1], report)
        if isinstance(top, Names):
            return place, top.item_label
        return place, _child_label(top.row, parts[2]) if len(parts) > 2 else ""
    if top is form.INDICATORS and len(parts) == 3 and parts[2] in form.SCORING_COLUMNS:
        place = form.SCORING_TAB  # the 自评表's columns of a 定量指标 row
    data: Any = report.data.get(top.key) if report is not None else None
    node: form.Node = top
    in_row = False
    for part in parts[1:]:
        if isinstance(node, Rows):
            if not part.isdigit():
                return path, ""
            index = int(part)
            place += _row_name(node, data, index, report, numbered=place != form.SCORING_TAB)
            data = data[index] if isinstance(data, list) and index < len(data) else None
            node, in_row = node.row, True
            continue
        if not isinstance(node, Record):
            return path, ""
        if node is form.NARRATIVE_SECTIONS:
            return f"{place}·{form.section_title(part)}", ""
        try:
            child = node.child(part)
        except KeyError:
            return path, ""
        data = data.get(part) if isinstance(data, dict) else None
        if isinstance(child, Value | Names | Bands):
            return place, "" if child.label == place else child.label
        if isinstance(child, Rows):
            if in_row:  # a table inside a row: 项目「…」资金用途「…」
                place += child.label if place.endswith("」") else f"·{child.label}"
            elif child is not form.SCORING.child("items"):
                place = child.label  # a table of its own: 评价人员, 项目支出明细
        elif child is not form.NARRATIVE_SECTIONS:
            place = f"{place}·{child.label}"
        node, in_row = child, False
    return place, ""


def _child_label(record: Record, key: str) -> str:
    try:
        return record.child(key).label
    except KeyError:
        return key


def _join(place: str, column: str) -> str:
    if not column:
        return place
    if place.endswith(("」", "·")):
        return place + column
    return f"{place}·{column}"


def cell_label(path: str, report: Report | None = None, ref: str | None = None) -> str:
    """One cell as a person reads it: ``二、收入「1、局机关」收入合计``; with ``ref``, the
    workbook cell it was read from after it: ``…收入合计（收支情况!C7）``.

    Without ``report`` rows are numbered (``第 1 行``) instead of named.
    """
    text = _join(*place_and_column(path, report))
    return f"{text}（{ref}）" if ref else text


def cells_text(paths: Iterable[str], report: Report | None = None, refs: Mapping[str, str] | None = None,
               most: int = 3) -> str:
    """Several cells as one line: cells of one row share their place
    (``二、收入「1、局机关」收入合计、公共财政拨款``); after ``most`` places, how many more."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        place, column = place_and_column(path, report)
        ref = (refs or {}).get(path)
        shown = f"{column}（{ref}）" if ref and column else column
        if ref and not column:
            place = f"{place}（{ref}）"
        columns = groups.setdefault(place, [])
        if shown and shown not in columns:
            columns.append(shown)
    places = list(groups.items())
    text = ""
    previous = None
    for place, columns in places[:most]:
        prefix = _table_of(place)
        shown = place
        if previous is not None:
            # Rows of the same table: the table once (基本支出明细「1、…」金额，「2、…」金额).
            if prefix and prefix == previous and place != prefix:
                shown, text = place[len(prefix):], text + "，"
            else:
                text += "；"
        previous = prefix
        if columns:
            shown += ("" if place.endswith("」") else "·") + "、".join(columns)
        text += shown
    if len(places) > most:
        text += f"；另有 {len(places) - most} 处"
    return text


def _table_of(place: str) -> str:
    """The part of a place before its last row: ``二、收入`` of ``二、收入「1、局机关」``."""
    if not place.endswith(("」", " 行")):
        return place
    cut = max(place.rfind("「"), place.rfind("第 "))
    return place[:cut] if cut > 0 else place


def rule_title(rule: str, report: Report | None = None) -> str:
    """What a rule checks, in words (a rule id no one reads); a report of a form of
    another family is checked by its template's rules."""
    rules = report.form.rules_by_id if report is not None and report.flat else form.RULES_BY_ID
    info = rules.get(rule)
    return info.title if info is not None else rule
