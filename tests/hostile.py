"""Hostile files, made on the spot: the tests and bench/bench_hostile.py build them here
(nothing of the kind is kept in the repository).

Workbooks are written as SpreadsheetML by hand, so that each is exactly the
attack it is named for: a small file that unpacks to a huge merge, a sheet of
45 MB, a flood of rows, a ranged hyperlink over the whole sheet.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from models.report import Report

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_xml(rows: Iterable[str], tail: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    return (head + "<sheetData>" + "".join(rows) + "</sheetData>" + tail + "</worksheet>").encode()


def workbook(sheets: dict[str, bytes]) -> bytes:
    """An .xlsx with these sheets (name → worksheet XML), as a spreadsheet writes one."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        + "</sheets></workbook>"
    )
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, name in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
    return out.getvalue()


_LABELS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>部门（单位）名称（盖章）</t></is></c>'
           '<c r="B1" t="inlineStr"><is><t>吉首市科工信局</t></is></c></row>'
           '<row r="2"><c r="A2" t="inlineStr"><is><t>年度</t></is></c><c r="B2"><v>2023</v></c></row>')


def merged(ref: str) -> bytes:
    """A small clerk's workbook whose one sheet declares the merged range ``ref``."""
    return workbook({"Sheet1": _sheet_xml([_LABELS], f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')})


def hyperlinked(ref: str) -> bytes:
    """A small workbook with a hyperlink over the range ``ref`` (openpyxl makes each cell of it)."""
    tail = f'<hyperlinks><hyperlink ref="{ref}" location="Sheet1!A1" display="x"/></hyperlinks>'
    return workbook({"Sheet1": _sheet_xml([_LABELS], tail)})


def big_sheet(megabytes: int = 45) -> bytes:
    """A sheet whose XML is ``megabytes`` MB of numbers: about 40,000 cells a megabyte."""
    template = '<row r="%d">' + "".join(f'<c r="{col}%d"><v>%d</v></c>' for col in "ABCDEFGHIJ") + "</row>"
    rows = [_LABELS]
    size, r = 0, 3
    while size < megabytes * 1_000_000:
        batch = [template % ((k,) * 21) for k in range(r, r + 10_000)]
        rows += batch
        size += sum(map(len, batch))
        r += 10_000
    return workbook({"Sheet1": _sheet_xml(rows)})


def many_rows(count: int = 1_000_000) -> bytes:
    """A sheet of ``count`` empty rows, each with a height (each is an object when read)."""
    rows = [_LABELS] + [f'<row r="{r}" ht="20" customHeight="1"/>' for r in range(3, count + 3)]
    return workbook({"Sheet1": _sheet_xml(rows)})


def far_cell_data_sheet() -> bytes:
    """A workbook claiming to be this program's, with a data sheet whose one stray cell sits at
    XFD1048576: reading it by rows and columns would walk seventeen thousand million cells."""
    rows = [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>ziping-workbook</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>1</t></is></c></row>',
        '<row r="2"><c r="A2" t="inlineStr"><is><t>cover.dept_name</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>"吉首市科工信局"</t></is></c></row>',
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>1</t></is></c></row>',
    ]
    return workbook({"Sheet1": _sheet_xml([_LABELS]), "ziping_data": _sheet_xml(rows)})


_FORM_LABELS = ("收入合计", "支出合计", "部门（单位）名称（盖章）", "联系人", "评分", "机构名称", "合计", "其中：",
                "1、局机关", "年度")


def grid(cells: int, labels: bool) -> bytes:
    """A sheet of ``cells`` cells in rows of ten: the form's labels over and over (each one
    a place to look for a table), or figures. Under the limits, the worst to read."""
    rows = [_LABELS]
    for r in range(3, cells // 10 + 3):
        if labels:
            row = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{_FORM_LABELS[(r + i) % 10]}</t></is></c>'
                          for i, c in enumerate("ABCDEFGHIJ"))
        else:
            row = "".join(f'<c r="{c}{r}"><v>{r}.{i}</v></c>' for i, c in enumerate("ABCDEFGHIJ"))
        rows.append(f'<row r="{r}">{row}</row>')
    return workbook({"Sheet1": _sheet_xml(rows)})


#: Every hostile workbook by name: refused before loading, or read (the last ones).
WORKBOOKS = {
    "merge-J1-XFD1048576": lambda: merged("J1:XFD1048576"),
    "merge-100000-rows-10-cols": lambda: merged("A3:J100002"),
    "merge-100000-rows-1-col": lambda: merged("C3:C100002"),
    "hyperlink-whole-sheet": lambda: hyperlinked("A1:XFD1048576"),
    "sheet-45MB": lambda: big_sheet(45),
    "rows-1000000": lambda: many_rows(1_000_000),
    "data-sheet-cell-at-XFD1048576": far_cell_data_sheet,
    # Just under the limits: read, and the slowest there is to read.
    "merge-49000-cells": lambda: merged("C3:C49002"),
    "rows-49990": lambda: many_rows(49_990),
    "labels-49900-cells": lambda: grid(49_900, labels=True),
    "figures-49900-cells": lambda: grid(49_900, labels=False),
}

#: Fields of one line (their cells were never meant for long text) and where they print.
ONE_LINE_FIELDS = (
    "cover.dept_name", "cover.budget_code", "cover.eval_method", "cover.eval_org",
    "basics.contact", "basics.phone", "institutions.0", "institutions.1",
    "indicators.0.level1", "indicators.0.level2", "indicators.0.name", "indicators.1.level2",
    "signatures.evaluators.0.name", "signatures.evaluators.0.title", "signatures.evaluators.0.org",
    "score_items.0.name", "narrative.basic_items.0.group", "narrative.basic_items.0.name",
    "narrative.projects.0.name", "narrative.projects.0.uses.0.name",
)


def set_one_line(report: Report, path: str, text: str) -> None:
    """Put ``text`` at ``path`` as a clerk would type it; an institution is added if need be."""
    if path.startswith("institutions."):
        index = int(path.split(".")[1])
        while len(report.institutions) <= index:
            report.add_institution(f"二级机构{len(report.institutions)}")
        report.rename_institution(index, text)
    else:
        report.set_text(path, text)


def long_value(report: Report, path: str, length: int) -> str:
    """Put a one-line value of ``length`` characters at ``path`` and return it: distinct
    sentences, so that any part of it can be told from another."""
    pieces: list[str] = []
    while sum(map(len, pieces)) < length:
        pieces.append(f"第{len(pieces)}段长文字，")
    text = "".join(pieces)[:length]
    set_one_line(report, path, text)
    return text


def _with_rule(equals: str) -> bytes:
    """The Hunan template with one more rule of this formula."""
    from models import form

    return form.TEMPLATE.data + (
        '\n[[rules]]\nid = "x.check"\nseverity = "error"\ntitle = "试一试"\ncell = "score.self_score"\n'
        f'equals = "{equals}"\n').encode()


#: Template files that are not templates, each the attack it is named for (tests/models/
#: test_template_hostile.py checks the messages; bench/bench_hostile.py times the refusals).
TEMPLATES = {
    "key of 400,000 levels": lambda: b"x" + b".a" * 400_000 + b" = 1\n",
    "table name of 400,000 levels": lambda: b"[x" + b".a" * 400_000 + b"]\n",
    "arrays nested 500,000 deep": lambda: b"x = " + b"[" * 500_000 + b"]" * 500_000,
    "80,000 lines": lambda: b"[[parts]]\n" * 80_000,
    "19,000 empty parts": lambda: b'format = "ziping-template"\nformat_version = 1\n' + b"[[parts]]\n" * 19_000,
    "one list of 36,000 fields": lambda: (
        b'format = "ziping-template"\nformat_version = 1\n[[parts]]\nkey = "a"\ntype = "record"\nlabel = "a"\n'
        b"fields = [" + b'{ key = "a", label = "b" },' * 36_000 + b"]\n"),
    "formula nested 10,000 deep": lambda: _with_rule("(" * 10_000 + "1" + ")" * 10_000),
    "formula nested 240 deep": lambda: _with_rule("(" * 240 + "1" + ")" * 240),
    "formula 9**9**9": lambda: _with_rule("9**9**9"),
}
