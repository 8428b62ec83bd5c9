"""The report as a document: reading it from, and writing it to, plain data.

A report's data is a tree of dicts and lists shaped by :data:`models.form.REPORT`,
holding ``Decimal`` figures, ``int`` numbers, ``str`` texts and ``None`` for
blanks. :func:`from_plain` reads the JSON-shaped data of the interchange file
(figures as strings) into that tree and collects every problem it finds, each
naming its path; :func:`to_plain` writes the tree back. Both walk the form
definition, so the keys and their checks exist in one place only.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from models import form
from models.errors import DocumentError, ValueInputError, quoted
from models.form import Bands, InstitutionRows, Names, Record, Rows, Value
from models.money import format_decimal, parse_decimal, parse_int

_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")


def parse_year_month(text: str, path: str | None = None) -> str | None:
    """``2024-06`` from ``2024-06``, ``2024年6月``, ``2024.6``; None for blank."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        return None
    m = _YEAR_MONTH.match(cleaned)
    if not m or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2100):
        raise ValueInputError(f"{quoted(text)}不是有效的年月：请写成 2024-06 或 2024年6月。", path)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def format_year_month(value: str | None) -> str:
    """``2024年6月`` as printed on the cover."""
    if not value:
        return ""
    year, month = value.split("-")
    return f"{int(year)}年{int(month)}月"


def described(raw: Any) -> str:
    """A value of a JSON document as a clerk reads it in a message (never a Python repr)."""
    if raw is None:
        return "空值（null）"
    if isinstance(raw, bool):
        return f"真假值（{'true' if raw else 'false'}）"
    if isinstance(raw, (int, Decimal)):
        text = str(raw)
        return f"数字 {text if len(text) <= 40 else text[:39] + '…'}"
    if isinstance(raw, str):
        return f"文字{quoted(raw)}"
    if isinstance(raw, list):
        return "列表（[…]）"
    if isinstance(raw, dict):
        return "对象（{…}）"
    return "无法识别的内容"


def what(value: Value) -> str:
    return value.label


def parse_value(value: Value, text: str | None, path: str | None = None) -> Any:
    """What a clerk typed into one field or cell, as the report keeps it."""
    if text is None:
        return None
    if value.kind in ("money", "score"):
        return parse_decimal(
            text,
            places=value.places,
            units=value.units or ("",),
            negative=value.negative,
            what=what(value),
            path=path,
        )
    if value.kind == "int":
        return parse_int(
            text,
            units=value.units,
            minimum=value.minimum,
            maximum=value.maximum,
            what=what(value),
            path=path,
        )
    if value.kind == "yearmonth":
        return parse_year_month(text, path)
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n")
    if value.kind == "text":
        cleaned = cleaned.strip()
    elif not cleaned.strip():
        cleaned = ""
    return cleaned if cleaned else None


def format_value(value: Value, data: Any) -> str:
    """One field or cell as it is shown and printed; blank for ``None``."""
    if data is None:
        return ""
    if value.kind in ("money", "score"):
        return format_decimal(data)
    if value.kind == "yearmonth":
        return format_year_month(data)
    return str(data)


# ---------------------------------------------------------------------------
# Blank documents
# ---------------------------------------------------------------------------


def blank_row(record: Record) -> dict[str, Any]:
    return {n.key: blank(n) for n in record.children}


def blank(node: form.Node) -> Any:
    if isinstance(node, Value):
        return None
    if isinstance(node, Record):
        if node is form.SUMMARY:
            return None
        return blank_row(node)
    if isinstance(node, InstitutionRows):
        return [blank_row(node.row) for _ in form.DEFAULT_INSTITUTIONS]
    if isinstance(node, Rows):
        return []
    if isinstance(node, Names):
        return list(form.DEFAULT_INSTITUTIONS) if node is form.INSTITUTIONS else []
    if isinstance(node, Bands):
        return [[Decimal(lower), word] for lower, word in form.DEFAULT_BANDS]
    raise TypeError(node)  # pragma: no cover


# ---------------------------------------------------------------------------
# Plain (JSON-shaped) data → document
# ---------------------------------------------------------------------------


def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, text: str) -> None:
        self.problems.append(f"{path}：{text}" if path else text)

    def value(self, node: Value, raw: Any, path: str) -> Any:
        if raw is None:
            return None
        try:
            if node.kind in ("money", "score"):
                if not isinstance(raw, str):
                    self.problem(path, f"{node.label}应写成带引号的文字，例如 \"5374.34\"，而不是{described(raw)}。")
                    return None
                return parse_value(node, raw, path)
            if node.kind == "int":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    self.problem(path, f"{node.label}应为整数，而不是{described(raw)}。")
                    return None
                return parse_value(node, raw, path)  # type: ignore[arg-type]
            if not isinstance(raw, str):
                self.problem(path, f"{node.label}应为文字，而不是{described(raw)}。")
                return None
            return parse_value(node, raw, path)
        except ValueInputError as exc:
            self.problem(path, str(exc))
            return None

    def record(self, node: Record, raw: Any, path: str) -> dict[str, Any]:
        out = blank_row(node)
        if raw is None:
            return out
        if not isinstance(raw, dict):
            self.problem(path, f"{node.label}应为对象（{{…}}），而不是{described(raw)}。")
            return out
        unknown = [k for k in raw if k not in node.keys]
        if unknown:
            names = "、".join(_join(path, k) for k in unknown)
            self.problem(path, f"未知的字段：{names}。本程序不认识这些字段，请检查文件来源或升级程序。")
        for child in node.children:
            out[child.key] = self.node(child, raw.get(child.key), _join(path, child.key))
        return out

    def rows(self, node: Rows | InstitutionRows, raw: Any, path: str) -> list[dict[str, Any]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(path, f"{node.label}应为列表（[…]）。")
            return []
        return [self.record(node.row, item, _join(path, i)) for i, item in enumerate(raw)]

    def names(self, node: Names, raw: Any, path: str) -> list[str]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.problem(path, f"{node.label}应为文字的列表。")
            return []
        return [x.strip() for x in raw]

    def bands(self, node: Bands, raw: Any, path: str) -> list[list[Any]]:
        if raw is None:
            return blank(node)
        out: list[list[Any]] = []
        if not isinstance(raw, list):
            self.problem(path, "等级档次应为 [[下限, 等级], …] 的列表。")
            return blank(node)
        for i, item in enumerate(raw):
            p = _join(path, i)
            if (
                not isinstance(item, list)
                or len(item) != 2
                or not all(isinstance(x, str) for x in item)
            ):
                self.problem(p, "每个等级档次应写成 [\"90\", \"优\"]。")
                continue
            try:
                lower = parse_decimal(item[0], places=1, units=("分",), what="档次下限", path=p)
            except ValueInputError as exc:
                self.problem(p, str(exc))
                continue
            if lower is None or not item[1].strip():
                self.problem(p, "等级档次的下限和等级都不能为空。")
                continue
            out.append([lower, item[1].strip()])
        if not raw:
            self.problem(path, "等级档次不能为空：至少要有一档，例如 [[\"0\", \"差\"]]。")
        return out

    def node(self, node: form.Node, raw: Any, path: str) -> Any:
        if isinstance(node, Value):
            return self.value(node, raw, path)
        if isinstance(node, Record):
            if node is form.SUMMARY:
                return None if raw is None else self.record(node, raw, path)
            return self.record(node, raw, path)
        if isinstance(node, (Rows, InstitutionRows)):
            return self.rows(node, raw, path)
        if isinstance(node, Names):
            return self.names(node, raw, path)
        if isinstance(node, Bands):
            return self.bands(node, raw, path)
        raise TypeError(node)  # pragma: no cover


def from_plain(raw: Any, source: str | None = None) -> dict[str, Any]:
    """Read a report's plain data; raise :class:`DocumentError` listing every problem."""
    reader = _Reader()
    if not isinstance(raw, dict):
        raise DocumentError(["文件内容应为一个报告对象（{…}）。"], source)
    data = reader.record(form.REPORT, raw, "")
    institutions = data["institutions"]
    if not institutions:
        if "institutions" in raw:
            reader.problem("institutions", "至少要有一个机构（第一个为部门本级，如「局机关」）。")
        institutions = data["institutions"] = list(form.DEFAULT_INSTITUTIONS)
    for i, name in enumerate(institutions):
        if not name:
            reader.problem(f"institutions.{i}", "机构名称不能为空。")
    for table in form.INSTITUTION_TABLES:
        rows = data[table.key]
        if table.key not in raw or raw[table.key] is None:
            data[table.key] = [blank_row(table.row) for _ in institutions]
        elif len(rows) != len(institutions):
            reader.problem(
                table.key,
                f"{table.label}有 {len(rows)} 行，但机构有 {len(institutions)} 个"
                "（每个机构一行，顺序与 institutions 相同）。",
            )
    if "score" in raw and isinstance(raw["score"], dict) and "bands" not in raw["score"]:
        data["score"]["bands"] = blank(form.SCORE.child("bands"))
    if reader.problems:
        raise DocumentError(reader.problems, source)
    return data


# ---------------------------------------------------------------------------
# Document → plain data
# ---------------------------------------------------------------------------


def _plain(node: form.Node, data: Any) -> Any:
    if isinstance(node, Value):
        if data is None:
            return None
        if node.kind in ("money", "score"):
            return format_decimal(data)
        return data
    if isinstance(node, Record):
        if data is None:
            return None
        out = {}
        for child in node.children:
            value = _plain(child, data.get(child.key))
            if getattr(child, "omit_blank", False) and _blank_plain(value):
                continue
            out[child.key] = value
        return out
    if isinstance(node, (Rows, InstitutionRows)):
        return [_plain(node.row, row) for row in data or []]
    if isinstance(node, Names):
        return list(data or [])
    if isinstance(node, Bands):
        return [[format_decimal(lower), word] for lower, word in data or []]
    raise TypeError(node)  # pragma: no cover


def _blank_plain(value: Any) -> bool:
    """Nothing in it: None, an empty list, or an object of blanks."""
    if isinstance(value, dict):
        return all(_blank_plain(v) for v in value.values())
    return value is None or value == []


def to_plain(data: dict[str, Any]) -> dict[str, Any]:
    """The report's data in the interchange shape (figures as exact strings)."""
    plain = _plain(form.REPORT, data)
    assert isinstance(plain, dict)
    return plain


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def node_at(path: str) -> form.Node:
    """The form node a cell path names: ``income.0.total`` → 收入合计."""
    node: form.Node = form.REPORT
    for part in path.split("."):
        if isinstance(node, Record):
            node = node.child(part)
        elif isinstance(node, (Rows, InstitutionRows)):
            if not (part.isdigit() or part == "summary"):
                raise KeyError(path)
            node = node.row
        elif isinstance(node, Names) and part.isdigit():
            return node
        else:
            raise KeyError(path)
    return node
