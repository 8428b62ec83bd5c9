"""Reading a workbook back: ours exactly from its data sheet, checked against what
its visible sheets show now; any other by its labels (:mod:`reports.workbook.place`).

The file is first checked for what a hostile or broken archive holds
(:mod:`reports.workbook.opening`). Our own export, untouched since, is read by our own
reader (:mod:`reports.workbook.own_reader`), a fifth of openpyxl's time; anything
else (edited in WPS or Excel, a clerk's template) is read with openpyxl.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from models import PROGRAM, checks, form, grades
from models.document import clean_text, described, node_at
from models.errors import DocumentError, ValueInputError
from models.form import Bands, Names, Value
from models.interchange import template_named
from models.money import format_decimal
from models.report import Report
from models.template import Template
from reports.workbook import layout
from reports.workbook.datasheet import (
    CELL_ROW,
    DATA_MARK,
    DATA_SHEET,
    DATA_VERSION,
    LABEL_ROW,
    SPARE_ROW,
    TEMPLATE_ROW,
    is_summary_path,
    unflatten,
)
from reports.workbook.placement import Cached, Placement, PlacementError, Problem


def _first_cell(ref: str) -> str:
    """``收支情况!B12`` of a value shown from B12 on (``收支情况!B12:B14``, a long text's parts)."""
    return ref.split(":", 1)[0]


def _split_ref(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.rpartition("!")
    return sheet, cell


_STAMP = re.compile(
    r'<c r="A1"[^>]*>\s*<is>\s*<t[^>]*>' + DATA_MARK + r'</t>.*?<c r="C1"[^>]*>\s*<is>\s*<t[^>]*>([0-9a-f]{16})</t>',
    re.DOTALL,
)


def written_fingerprint(data: bytes) -> str | None:
    """The fingerprint of the data this program wrote the workbook from (the data
    sheet's first row), read without loading the workbook; None if it has none.

    For a check of a package's members, where reading the whole workbook back
    would cost more than the rest of the import."""
    import io
    import lzma
    import zipfile
    import zlib

    from reports.workbook.opening import MAX_PARTS, declared_entries, sheet_parts

    declared = declared_entries(data)
    if declared is None or declared > MAX_PARTS:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = sheet_parts(archive).get(DATA_SHEET)
            if part is None:
                return None
            with archive.open(part) as stream:
                head = stream.read(16384).decode("utf-8", errors="replace")
    except (KeyError, OSError, ValueError, RuntimeError, EOFError, NotImplementedError, zipfile.BadZipFile,
            zlib.error, lzma.LZMAError):
        return None
    found = _STAMP.search(head)
    return found.group(1) if found else None


def _is_ours(wb: Any) -> bool:
    if DATA_SHEET not in wb.sheetnames:
        return False
    return wb[DATA_SHEET].cell(row=1, column=1).value == DATA_MARK


def _present_rows(ws: Any, min_row: int) -> list[dict[int, Any]]:
    """The cells present in a sheet from ``min_row`` down, row by row as {column: value}.

    Only the cells the file holds are visited: a stray cell at XFD1048576 does not
    make the sheet seventeen thousand million cells to walk (``iter_rows`` would)."""
    cells = ws._cells if hasattr(ws, "_cells") else ws.cells
    rows: dict[int, dict[int, Any]] = {}
    for (r, c), cell in cells.items():
        if r >= min_row:
            rows.setdefault(r, {})[c] = cell.value
    return [rows[r] for r in sorted(rows)]


@dataclass
class _Stored:
    """What the data sheet holds besides the report."""

    refs: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    spares: list[dict[str, Any]] = field(default_factory=list)
    #: The template a report of another family names, and the file's text it carries.
    template: dict[str, str] | None = None
    template_text: str = ""
    #: Where the template came from, when not installed here (a note for the clerk).
    template_note: str = ""


def _read_data_sheet(wb: Any, name: str) -> tuple[Report, _Stored]:
    ws = wb[DATA_SHEET]
    version = ws.cell(row=1, column=2).value
    if str(version) not in {str(v) for v in range(1, DATA_VERSION + 1)}:
        if str(version).isdigit() and int(str(version)) > DATA_VERSION:
            raise DocumentError(
                [f"工作簿的数据格式版本为 {version}，本程序只支持到版本 {DATA_VERSION}，请升级程序后再打开。"], name
            )
        raise DocumentError([f"工作簿的数据表（{DATA_SHEET}）的版本{described(version)}无效。"], name)
    leaves: list[tuple[str, Any]] = []
    stored = _Stored()
    try:
        for row in _present_rows(ws, min_row=2):
            path = row.get(1)
            if path is None:
                continue
            path = str(path)
            text = "".join(str(row[c]) for c in sorted(row) if c >= 3 and row[c] is not None)
            if path == LABEL_ROW:
                stored.labels[str(row.get(2))] = json.loads(text)
                continue
            if path == SPARE_ROW:
                spare = json.loads(text)
                if not isinstance(spare, dict) or not isinstance(spare.get("cells"), dict):
                    raise ValueError(SPARE_ROW)
                stored.spares.append(spare)
                continue
            if path == CELL_ROW:
                if is_summary_path(text) and row.get(2):
                    stored.refs[text] = str(row[2])
                continue
            if path == TEMPLATE_ROW:
                stored.template = template_named(json.loads(str(row.get(2))), name)
                stored.template_text = json.loads(text)
                if not isinstance(stored.template_text, str):
                    raise ValueError(TEMPLATE_ROW)
                continue
            leaves.append((path, json.loads(text, parse_float=Decimal)))
            if row.get(2):
                stored.refs[path] = str(row[2])
        plain = unflatten(leaves)
    except (ValueError, TypeError):
        raise DocumentError(
            [f"工作簿的数据表（{DATA_SHEET}）已被改动或损坏，无法读回。可删除该表后按表头文字导入。"], name
        ) from None
    if stored.template is None:
        return Report.from_plain(plain, name), stored
    own = _own_form(stored, name)
    report = Report.from_plain(plain, name, form=own)
    report.template = own.ref
    return report, stored


def _own_form(stored: _Stored, name: str) -> Template:
    """The template of another family a workbook's report names: the one installed or
    shipped, else the file the workbook carries (where it is that very file)."""
    from models import template_registry
    from models.template import TemplateError, load_bytes

    named = stored.template
    assert named is not None
    found = template_registry.find(named["id"], named["version"], named["sha256"])
    if found is None:
        try:
            found = load_bytes(stored.template_text.encode("utf-8"), f"{name}（{TEMPLATE_ROW}）")
        except TemplateError:
            found = None
        if found is None or found.ref != named:
            raise DocumentError([f"工作簿的数据表（{DATA_SHEET}）中的表样模板 {named['id']} 版本 {named['version']} "
                                 "已被改动或损坏，无法读回。请用「工具 → 安装表样模板」安装这个模板后再打开。"], name)
        stored.template_note = (f"报告所用的表样模板 {found.id} 版本 {found.version}（{found.name}）本机没有安装，"
                                "已用工作簿中附带的模板读回；需要时可用「安装表样模板」安装它。")
    if not found.flat:
        raise DocumentError([f"工作簿的数据表（{DATA_SHEET}）已被改动或损坏，无法读回。"], name)
    return found


def _same(expected: Any, actual: Any) -> bool:
    if expected is None or expected == "":
        return actual is None or (isinstance(actual, str) and not actual.strip())
    if isinstance(expected, (Decimal, int)) and not isinstance(expected, bool):
        return isinstance(actual, (Decimal, int)) and not isinstance(actual, bool) and Decimal(actual) == expected
    if isinstance(actual, str):
        return actual == expected
    return False


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _no_result(formula: Any, sheet: str, coord: str) -> Problem:
    """A formula cell whose file holds no computed value (formulas are never evaluated)."""
    return Problem(f"单元格是公式（{formula}），但文件中没有保存计算结果；请在 Excel 或 WPS 中打开并保存后再导入，"
                   "或直接填写数字。", sheet, coord)


def _compare_visible(
    wb: Any, report: Report, refs: dict[str, str], cached: Cached, placement: Placement
) -> None:
    """Take every visible cell corrected since export; list what cannot be read."""
    stored = report.copy()
    for path, ref in refs.items():
        if is_summary_path(path):
            continue  # after every other cell: the summary follows the rows as read
        sheet, coord = _split_ref(ref)
        if sheet not in wb.sheetnames:
            continue
        if ":" in coord:  # a long text shown in parts, one a row: read back whole
            coord, actual = _joined(wb[sheet], coord)
            cell = wb[sheet][coord]
        else:
            cell = wb[sheet][coord]
            actual = cell.value
        value = stored.get(path)
        node = node_at(path)
        formula = cell.data_type == "f"
        if formula and value is None:
            continue  # still the computed blank total or grade
        if formula:
            result = cached.value(sheet, coord)
            if result is None:
                placement.problems.append(_no_result(actual, sheet, coord))
                continue
            actual = result
        try:
            if isinstance(node, Names):
                expected: Any = layout.visible_text(layout.institution_label(int(path.split(".")[1]), value))
                if _same(expected, actual):
                    continue
                new: Any = clean_text(layout.institution_name(str(actual or "")), form.INSTITUTIONS.item_label,
                                      path).strip()
                if not new:
                    raise ValueInputError("机构名称不能为空。", path)
            elif isinstance(node, Bands):
                expected = grades.bands_text(value)
                if _same(expected, actual):
                    continue
                new = grades.parse_bands_text(str(actual or ""))
                if new is None:
                    raise ValueInputError(
                        "看不懂等级档次，请写成“90（含）—100分为优；……；60分以下为差。”", path)
            elif isinstance(node, Value):
                expected = layout.shown(node, value, stored, path)
                if _same(expected, actual):
                    continue
                new = layout.unshown(node, actual, stored, path)
                if new == value:
                    continue
            else:  # pragma: no cover - refs only name values, names and bands
                continue
        except ValueInputError as exc:
            placement.problems.append(Problem(str(exc), sheet, coord))
            continue
        report.put(path, new)
        placement.notes.append(Problem(
            f"已在表格软件中改动：{_show(_plain_value(value)) or '（空）'} → {_show(_plain_value(new)) or '（空）'}",
            sheet, coord))
    _summary_from_visible(wb, report, stored, refs, cached, placement)


def _summary_from_visible(
    wb: Any, report: Report, stored: Report, refs: dict[str, str], cached: Cached, placement: Placement
) -> None:
    """The summary row as the clerk left it in the spreadsheet.

    A cell as exported stays as it was. Otherwise a formula that gives the sum of the
    institution rows (as they were read back) is the computed sum, as the program shows
    it; a figure typed over it, or a formula giving another figure, is what the workbook
    states, kept as stated and checked by ``summary.rows``; a cleared cell states nothing
    and shows the sum (blank is not zero)."""
    from models import form

    tables = {t.key: t for t in form.INSTITUTION_TABLES}
    for path, ref in refs.items():
        if not is_summary_path(path):
            continue
        sheet, coord = _split_ref(ref)
        table_key, _, key = path.split(".")
        table = tables.get(table_key)
        if sheet not in wb.sheetnames or table is None or key not in {c.key for c in table.columns}:
            continue
        node = table.row.child(key)
        assert isinstance(node, Value)
        cell = wb[sheet][coord]
        formula = cell.data_type == "f"
        actual = cached.value(sheet, coord) if formula else cell.value
        computed = report.summary_row(table)[key]
        try:
            # A formula whose file keeps no result shows what the spreadsheet computes: the sum.
            new = computed if formula and actual is None else layout.unshown(node, actual, report, path)
        except ValueInputError as exc:
            placement.problems.append(Problem(str(exc), sheet, coord))
            continue
        was = stored.shown_summary(table)[key]
        if new == was:
            continue  # as exported
        if formula and new == computed:
            _state_summary(report, table_key, key, None)  # the sum, as the program shows it
            continue
        _state_summary(report, table_key, key, new)
        placement.notes.append(Problem(
            f"汇总行已在表格软件中改填：{_show(_plain_value(was)) or '（空）'} → "
            f"{_show(_plain_value(new)) or '（空）'}，按填报的数与各机构之和核对",
            sheet, coord))
    summary = report.data.get("summary")
    if summary is not None and all(v is None for row in summary.values() for v in row.values()):
        report.data["summary"] = None


def _state_summary(report: Report, table_key: str, key: str, value: Any) -> None:
    """Set one cell of the stated summary row (None: not stated), making the row if need be."""
    from models import form
    from models.document import blank_row

    if report.data.get("summary") is None:
        if value is None:
            return
        report.data["summary"] = {t.key: blank_row(t.row) for t in form.INSTITUTION_TABLES}
    report.data["summary"][table_key][key] = value


_RANGE = re.compile(r"^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$")


def _joined(ws: Any, coord: str) -> tuple[str, Any]:
    """The first cell of a column range and the text of its cells joined (a long text's parts)."""
    m = _RANGE.match(coord)
    if m is None or m.group(1) != m.group(3) or int(m.group(4)) - int(m.group(2)) > 1000:
        raise DocumentError([f"工作簿的数据表（{DATA_SHEET}）已被改动或损坏：单元格「{coord}」无效。"])
    letters, first, last = m.group(1), int(m.group(2)), int(m.group(4))
    values = [ws[f"{letters}{r}"].value for r in range(first, last + 1)]
    if all(v is None for v in values):
        return f"{letters}{first}", None
    return f"{letters}{first}", "".join("" if v is None else str(v) for v in values)


def _take_spares(wb: Any, report: Report, spares: list[dict[str, Any]], cached: Cached,
                 placement: Placement) -> None:
    """The paper's blank 二级机构1/2 rows, renamed or filled in a spreadsheet: new institutions.

    The n-th blank row of every table is the same institution; its name is the one a
    clerk wrote in any of them (二级机构1 kept when none was renamed)."""
    found: dict[int, list[tuple[dict[str, Any], str, dict[str, Any]]]] = {}
    for spare in spares:
        sheet = str(spare.get("sheet"))
        table = next((t for t in form.INSTITUTION_TABLES if t.key == spare.get("table")), None)
        if sheet not in wb.sheetnames or table is None:
            continue
        ws = wb[sheet]
        cells: dict[str, str] = spare["cells"]
        try:
            name = clean_text(layout.institution_name(str(ws[cells[""]].value or "")),
                              form.INSTITUTIONS.item_label).strip()
        except ValueInputError as exc:
            placement.problems.append(Problem(str(exc), sheet, cells[""]))
            continue
        figures: dict[str, Any] = {}
        for column in table.columns:
            coord = cells.get(column.key)
            if coord is None:
                continue
            cell = ws[coord]
            value = cell.value
            if cell.data_type == "f":
                value = cached.value(sheet, coord)
                if value is None:
                    placement.problems.append(_no_result(cell.value, sheet, coord))
                    continue
            try:
                figures[column.key] = layout.unshown(column, value, report, f"{table.key}.0.{column.key}")
            except ValueInputError as exc:
                placement.problems.append(Problem(str(exc), sheet, coord))
        if name == spare.get("name") and all(v is None for v in figures.values()):
            continue
        found.setdefault(int(spare.get("place", 0)), []).append((spare, name, figures))
    for place in sorted(found):
        rows = found[place]
        renamed = list(dict.fromkeys(n for spare, n, _f in rows if n and n != spare.get("name")))
        first_spare = rows[0][0]
        where = (first_spare["sheet"], first_spare["cells"][""])
        if len(renamed) > 1:
            placement.problems.append(Problem(
                f"原「{first_spare['name']}」行在各表中的机构名称不同（{'、'.join(renamed)}），请改为同一名称。", *where))
            continue
        name = renamed[0] if renamed else str(first_spare.get("name") or "")
        if not name or name in report.institutions:
            placement.problems.append(Problem(f"机构「{name}」已在报告中，原「{first_spare['name']}」行未读入。", *where))
            continue
        index = report.add_institution(name)
        placement.cells[f"institutions.{index}"] = f"{where[0]}!{where[1]}"
        for spare, _n, figures in rows:
            for key, value in figures.items():
                path = f"{spare['table']}.{index}.{key}"
                report.put(path, value)
                placement.cells[path] = f"{spare['sheet']}!{spare['cells'][key]}"
        placement.notes.append(Problem(
            f"已在表格软件中填写原「{first_spare['name']}」行，作为机构「{name}」读入。", *where))


def _plain_value(value: Any) -> Any:
    if isinstance(value, list):
        return grades.bands_text(value)
    return "" if value is None else value


def place_workbook(path: str | Path) -> Placement:
    """Read any workbook: ours exactly, a clerk's own template by its labels."""
    from reports.workbook import own_reader
    from reports.workbook.opening import check_archive, load, read_bytes

    name = str(path)
    data = read_bytes(path)
    check_archive(data, name)
    cached = Cached(data, name)
    # Our own export, untouched since, is read without openpyxl (a fifth of the time).
    wb = own_reader.read(data, PROGRAM)
    if wb is None or not _is_ours(wb):
        wb = load(data, name, data_only=False)
    if not _is_ours(wb):
        from reports.workbook.place import place

        return place(wb, cached, name)
    report, stored = _read_data_sheet(wb, name)
    if report.flat:
        return _place_flat(wb, report, stored, cached, name)
    refs = stored.refs
    moved = _moved_labels(wb, stored.labels)
    if moved is None:
        placement = Placement(report, name, ours=True)
        placement.cells = {**{path: _first_cell(ref) for path, ref in refs.items()}, **layout.summary_refs(refs)}
        _compare_visible(wb, report, refs, cached, placement)
        _take_spares(wb, report, stored.spares, cached, placement)
        shown = {_split_ref(ref)[0] for ref in refs.values()}
        for sheet in sorted(shown - set(wb.sheetnames), key=list(layout.VISIBLE_SHEETS).index):
            placement.notes.append(Problem(f"工作表「{sheet}」已被删除，其中的内容取自工作簿中保存的数据。"))
        return placement
    # Rows or columns were inserted or deleted: the stored places no longer hold.
    if not hasattr(wb, "worksheets"):
        wb = load(data, name, data_only=False)
    from reports.workbook.place import place

    placement = place(wb, cached, name)
    placed = placement.report.data
    placed["narrative"]["sections"] = report.data["narrative"]["sections"]
    placed["explanations"] = report.data["explanations"]
    placement.notes.insert(0, Problem(
        f"工作簿的版式已在表格软件中改动（{moved} 处的表头或标签不在原位，可能插入或删除了行、列），"
        "已改为按表头文字定位；评价报告正文和出错说明取自工作簿中保存的数据。"))
    return placement


def _place_flat(wb: Any, report: Report, stored: _Stored, cached: Cached, name: str) -> Placement:
    """A workbook of a report made with a form of another family: the data sheet exactly,
    and what a clerk corrected in the visible sheets, cell by cell where it was written
    (:mod:`reports.workbook.flat`). What cannot be taken is a problem, never dropped
    silently: rows or columns inserted (the places no longer hold), anything typed
    outside the report's cells, a cell that cannot be read."""
    placement = Placement(report, name, ours=True)
    if stored.template_note:
        placement.notes.append(Problem(stored.template_note))
    moved = _moved_labels(wb, stored.labels)
    if moved is not None:
        placement.problems.append(Problem(
            f"工作簿的版式已在表格软件中改动（{moved} 处的表头或标签不在原位，可能插入或删除了行、列）。"
            f"按表样模板「{report.form.name}」填写的报告只能按原来的位置读回，各工作表中的改动都没有读入，"
            "报告内容取自工作簿中保存的数据。请在本程序中修改，或只在导出的工作簿原有的单元格中改写。"))
        return placement
    refs = stored.refs
    placement.cells = {path: _first_cell(ref) for path, ref in refs.items()}
    stored_report = report.copy()
    view = checks.shown(report.form, stored_report.data)
    for path, ref in refs.items():
        sheet, coord = _split_ref(ref)
        if sheet not in wb.sheetnames:
            continue
        if ":" in coord:  # a long text shown in parts, one a row: read back whole
            coord, actual = _joined(wb[sheet], coord)
        else:
            actual = wb[sheet][coord].value
        if wb[sheet][coord].data_type == "f":
            actual = cached.value(sheet, coord)
            if actual is None:
                placement.problems.append(_no_result(wb[sheet][coord].value, sheet, coord))
                continue
        node = report.node_at(path)
        if not isinstance(node, Value):  # pragma: no cover - the writer puts values only
            continue
        value = stored_report.get(path)
        # A blank cell a rule computes showed the computed figure: left so, it stays blank.
        expected = layout.shown(node, value if value is not None else _at(view, path), stored_report, path)
        if _same(expected, actual):
            continue
        try:
            new = layout.unshown(node, actual, stored_report, path)
        except ValueInputError as exc:
            placement.problems.append(Problem(str(exc), sheet, coord))
            continue
        if new == value:
            continue
        report.put(path, new)
        placement.notes.append(Problem(
            f"已在表格软件中改动：{_show(_plain_value(value)) or '（空）'} → {_show(_plain_value(new)) or '（空）'}",
            sheet, coord))
    written = {_split_ref(ref)[0] for ref in [*refs.values(), *stored.labels]}
    for sheet in sorted(written - set(wb.sheetnames)):
        placement.notes.append(Problem(f"工作表「{sheet}」已被删除，其中的内容取自工作簿中保存的数据。"))
    placement.problems += _strays(wb, refs, stored.labels, written)
    return placement


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data.get(part)
    return data


def _strays(wb: Any, refs: dict[str, str], labels: dict[str, str], sheets: set[str]) -> list[Problem]:
    """What was typed in the visible sheets outside every cell the program wrote: not read."""
    from reports.workbook.xlsx import col_letter

    ours: set[str] = set(labels)
    for ref in refs.values():
        sheet, coord = _split_ref(ref)
        m = _RANGE.match(coord)
        if m is None:
            ours.add(ref)
            continue
        ours.update(f"{sheet}!{m.group(1)}{r}" for r in range(int(m.group(2)), int(m.group(4)) + 1))
    out: list[Problem] = []
    for sheet in sorted(sheets & set(wb.sheetnames), key=wb.sheetnames.index):
        ws = wb[sheet]
        cells = ws._cells if hasattr(ws, "_cells") else ws.cells
        for (r, c), cell in sorted(cells.items()):
            coord = f"{col_letter(c)}{r}"
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()) or f"{sheet}!{coord}" in ours:
                continue
            text = _show(value)
            text = text if len(text) <= 20 else f"{text[:19]}…"
            out.append(Problem(f"这个单元格不属于报告的任何一栏，其中的「{text}」没有读入；"
                               "要增加一行或一项，请在本程序中添加后重新导出工作簿。", sheet, coord))
    return out


def _moved_labels(wb: Any, labels: dict[str, str]) -> str | None:
    """The first label not where it was written ("收支情况!A7"), or None."""
    for ref, text in labels.items():
        sheet, coord = _split_ref(ref)
        if sheet not in wb.sheetnames:
            continue  # a deleted sheet: its part is taken from the data sheet
        value = wb[sheet][coord].value
        if not isinstance(value, str) or value != text:
            return ref
    return None


def read_workbook(path: str | Path) -> Report:
    """The report of a workbook that placed cleanly; else :class:`PlacementError`."""
    placement = place_workbook(path)
    if placement.problems:
        raise PlacementError(placement)
    return placement.report
