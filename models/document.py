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
from models.money import format_amount, format_decimal, parse_decimal, parse_int

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


# ---------------------------------------------------------------------------
# Invisible characters
# ---------------------------------------------------------------------------

#: Characters that end a line, whatever program wrote them (Word's manual line
#: break is \x0b), read as a line break.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: Invisible characters that change nothing a reader sees (zero-width spaces and
#: joiners, the byte-order mark, the soft hyphen): removed. They would make two
#: names that look alike differ (吉首市科工信局 with a U+200B inside, and without).
_ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff]")
#: Invisible characters that change what a reader sees or are no text at all:
#: direction overrides (U+202E shows 吉首市\u202e局信工科 as 吉首市科工信局), other
#: format characters and control characters. Refused, naming the cell.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u200e\u200f\u202a-\u202e\u2061-\u2064\u2066-\u206f\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_DIRECTION_NAMES = {
    0x200E: "从左向右标记", 0x200F: "从右向左标记", 0x061C: "阿拉伯字母标记",
    0x202A: "从左向右嵌入", 0x202B: "从右向左嵌入", 0x202C: "方向格式结束", 0x202D: "从左向右覆盖",
    0x202E: "从右向左覆盖", 0x2066: "从左向右隔离", 0x2067: "从右向左隔离", 0x2068: "首字方向隔离",
    0x2069: "方向隔离结束",
}


#: Characters no XML file (a workbook, a Word file) can carry: C0 controls but tab and
#: line breaks, lone surrogates, U+FFFE and U+FFFF. :func:`clean_text` refuses or turns
#: into line breaks the controls a clerk types; the rest can still come from a damaged
#: file, and the outputs leave them out.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def invisible_name(ch: str) -> str:
    """``U+202E（从右向左覆盖）``: an invisible character as a message names it."""
    code = ord(ch)
    if code in _DIRECTION_NAMES:
        return f"U+{code:04X}（{_DIRECTION_NAMES[code]}，会让文字显示得与实际内容不同）"
    if ch < "\x20" or "\x7f" <= ch <= "\x9f":
        return f"U+{code:04X}（控制字符）"
    return f"U+{code:04X}（格式字符）"


def clean_text(text: str, label: str, path: str | None = None, *, multiline: bool = False,
               strict: bool = True) -> str:
    """Text as the report keeps it: line breaks of every kind as ``\n``, zero-width
    characters removed, and in a one-line value (a name) tabs and line breaks as
    one space. A character that would change what a reader sees (a direction
    override) or is no text (a control character) is refused, naming the cell;
    with ``strict`` off (a report already stored) it is removed instead."""
    cleaned = _ZERO_WIDTH.sub("", _LINE_BREAKS.sub("\n", text))
    found = _INVISIBLE.search(cleaned)
    if found is not None:
        if strict:
            raise ValueInputError(
                f"{label}中有看不见的字符 {invisible_name(found.group(0))}，不能接受。"
                "请删除后重新填写；从网页或其他文件复制来的文字，可先粘贴到记事本中去掉格式再复制。",
                path,
            )
        cleaned = _INVISIBLE.sub("", cleaned)
    if not multiline:
        cleaned = re.sub(r"[ \t]*[\t\n][ \t\n]*", " ", cleaned)
    return cleaned


def band_word(text: str, path: str | None = None, *, strict: bool = True) -> str:
    """A grade word of the bands, checked like the 等级 field: one line, a word, nothing invisible."""
    grade = form.SCORE.child("grade")
    assert isinstance(grade, Value)
    word = parse_value(grade, text, path, strict=strict)
    return word or ""


def check_band_count(count: int, path: str | None = None) -> None:
    if count > form.MAX_BANDS:
        raise ValueInputError(
            f"等级档次有 {count} 档，最多 {form.MAX_BANDS} 档（表样默认为"
            f"{'、'.join(word for _, word in form.DEFAULT_BANDS)}共 {len(form.DEFAULT_BANDS)} 档）。", path
        )


def what(value: Value) -> str:
    return value.label


def parse_value(value: Value, text: str | None, path: str | None = None, *, strict: bool = True) -> Any:
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
    cleaned = clean_text(text, value.label, path, multiline=value.kind == "longtext", strict=strict)
    if value.kind == "text":
        cleaned = cleaned.strip()
    elif not cleaned.strip():
        cleaned = ""
    if strict and value.max_length is not None and len(cleaned) > value.max_length:
        raise ValueInputError(f"{value.label}{quoted(cleaned)}过长：最多 {value.max_length} 个字。", path)
    return cleaned if cleaned else None


def level1_text(word: str) -> str:
    """评价内容 as printed: the word and, under 产出目标 and 效益目标, its note."""
    note = form.LEVEL1_NOTES.get(word)
    return f"{word}\n{note}" if note else word


def level1_word(text: str) -> str:
    """The 评价内容 word of its printed text (the note, if there, left off)."""
    from models.synonyms import normal

    for word, note in form.LEVEL1_NOTES.items():
        if normal(text) in (normal(word + note), normal(word)):
            return word
    return text


def format_value(value: Value, data: Any, amounts: str = "typed") -> str:
    """One field or cell as it is shown and printed; blank for ``None``. ``amounts``
    is how an amount (万元) is shown (:data:`models.money.AMOUNT_STYLES`); what a
    clerk edits is always the figure as typed."""
    if data is None:
        return ""
    if value.kind == "money":
        return format_amount(data, amounts)
    if value.kind == "score":
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
    def __init__(self, strict: bool = True, unknown: list[str] | None = None) -> None:
        self.problems: list[str] = []
        #: Refuse invisible characters (a file); off, remove them (a report already stored).
        self.strict = strict
        #: Where fields this program does not know are set aside (a report of a newer
        #: program or template, read to be looked at); None: they are a problem.
        self.unknown = unknown

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
                return parse_value(node, raw, path, strict=self.strict)
            if node.kind == "int":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    self.problem(path, f"{node.label}应为整数，而不是{described(raw)}。")
                    return None
                return parse_value(node, raw, path)  # type: ignore[arg-type]
            if not isinstance(raw, str):
                self.problem(path, f"{node.label}应为文字，而不是{described(raw)}。")
                return None
            return parse_value(node, raw, path, strict=self.strict)
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
        if unknown and self.unknown is not None:
            self.unknown += [_join(path, k) for k in unknown]
        elif unknown:
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
        out = []
        for i, item in enumerate(raw):
            try:
                out.append(clean_text(item, node.item_label, _join(path, i), strict=self.strict).strip())
            except ValueInputError as exc:
                self.problem(_join(path, i), str(exc))
                out.append(clean_text(item, node.item_label, strict=False).strip())  # one problem, not two
        return out

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
                word = band_word(item[1], p, strict=self.strict)
            except ValueInputError as exc:
                self.problem(p, str(exc))
                continue
            if lower is None or not word:
                self.problem(p, "等级档次的下限和等级都不能为空。")
                continue
            out.append([lower, word])
        if not raw:
            self.problem(path, "等级档次不能为空：至少要有一档，例如 [[\"0\", \"差\"]]。")
        try:
            if self.strict:
                check_band_count(len(raw), path)
        except ValueInputError as exc:
            self.problem(path, str(exc))
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


def from_plain(raw: Any, source: str | None = None, *, strict: bool = True,
               unknown: list[str] | None = None, root: Record | None = None) -> dict[str, Any]:
    """Read a report's plain data; raise :class:`DocumentError` listing every problem.

    ``strict`` off is for a report the program stored itself (perhaps before it
    refused invisible characters): those are removed rather than refused, so
    it always opens. Given ``unknown``, fields the form does not have are listed
    there (their paths) instead of refused. ``root`` is the form of a report made
    with another template than the program's own (:attr:`Template.flat`)."""
    reader = _Reader(strict, unknown)
    if not isinstance(raw, dict):
        raise DocumentError(["文件内容应为一个报告对象（{…}）。"], source)
    if root is not None and root is not form.REPORT:
        data = reader.record(root, raw, "")
        if reader.problems:
            raise DocumentError(reader.problems, source)
        return data
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


def to_plain(data: dict[str, Any], root: Record | None = None) -> dict[str, Any]:
    """The report's data in the interchange shape (figures as exact strings)."""
    plain = _plain(root or form.REPORT, data)
    assert isinstance(plain, dict)
    return plain


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def node_at(path: str, root: Record | None = None) -> form.Node:
    """The form node a cell path names: ``income.0.total`` → 收入合计 (in the program's
    form, or in ``root``, the form of the report's own template)."""
    node: form.Node = root or form.REPORT
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
