"""The hidden data sheet (``ziping_data``, very hidden): its names, and a report as its rows.

One row per leaf of the interchange document: the cell path, the visible cell it is
shown in, and its JSON text split over as many cells as needed; besides, rows that
record where each label, blank 二级机构 row and summary cell was written. The writer
(:mod:`reports.workbook.writer`) writes it, the reader (:mod:`reports.workbook.reader`)
starts from it.
"""

from __future__ import annotations

import json
from typing import Any

from models import PROGRAM
from models.document import NOT_XML

DATA_SHEET = "ziping_data"
DATA_MARK = "ziping-workbook"
#: 2: a long text shown in parts is referred to by the range of its parts (``B12:B14``),
#: and the paper's blank 二级机构 rows are listed (``@spare``). 3: a report made with a form
#: of another family names its template, and carries its file (``@template``). Versions 1
#: and 2 are read too; a report of the program's own form is still written as version 2.
DATA_VERSION = 3
#: The version a report of the program's own form is written as (its workbook as before).
OWN_FORM_VERSION = 2
#: Characters of JSON text per data cell (Excel allows 32,767 UTF-16 units).
CHUNK = 15000
#: Column A of the data sheet's rows that record a label's place (not a value).
LABEL_ROW = "@label"
#: Column A of the rows that record a blank 二级机构 row a clerk may rename and fill.
SPARE_ROW = "@spare"
#: Column A of the rows that record where a cell shown but not stored sits: the summary
#: row's cells (``income.summary.total``), which read back as the clerk left them.
CELL_ROW = "@cell"
#: Column A of the row that names the template a report of another family was made with
#: (column B its id, version and SHA-256 as JSON) and carries the template's file (its
#: text as JSON, from column C on), so that the workbook reads back where the template
#: is not installed.
TEMPLATE_ROW = "@template"
#: What the data sheet is, said in the sheet itself (a spreadsheet may show it).
DATA_NOTE = (
    f"本表是「{PROGRAM}」程序保存的报告全部数据，每行一项：单元格路径、显示在哪个单元格、内容。"
    "程序读回本工作簿时以本表为准，并逐项核对其他工作表中改动过的单元格。请勿修改或删除本表；"
    "删除后程序只能按表头文字读回，评价报告正文和出错说明将丢失。表格软件保存后本表可能变为“隐藏”，不影响读回。"
)


def flatten(value: Any, path: str, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            flatten(item, f"{path}.{i}", out)
    else:
        out.append((path, value))


def unflatten(leaves: list[tuple[str, Any]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for path, value in leaves:
        parts = path.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(path)
        if parts[-1] in node:
            raise ValueError(path)
        node[parts[-1]] = value

    def lists(node: Any) -> Any:
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                keys = sorted(node, key=int)
                if [int(k) for k in keys] != list(range(len(keys))):
                    raise ValueError("gap")
                return [lists(node[k]) for k in keys]
            return {k: lists(v) for k, v in node.items()}
        return node

    result = lists(root)
    assert isinstance(result, dict)
    return result


def json_text(value: Any) -> str:
    """A leaf's JSON text; the few characters XML cannot carry are written as escapes."""
    text = json.dumps(value, ensure_ascii=False)
    return NOT_XML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def is_summary_path(path: str) -> bool:
    """``income.summary.total``: a cell of a summary row (shown, not a leaf of the data)."""
    parts = path.split(".")
    return len(parts) == 3 and parts[1] == "summary"
