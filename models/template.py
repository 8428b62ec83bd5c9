"""表样模板: the form as a file a finance bureau issues, read and checked here.

A template defines everything the program derives from the paper form: its
parts and tabs, every field and column with its label, kind, units and limits,
the institution tables with their sums and header groups, the row sets (定性目标,
定量指标 with merged columns and notes, 一级指标得分, 评价人员, Part B's tables),
the grade bands and words (or none), the rules and their parameters, the cover's
issuing line, the 自评表's 指标体系 (by id or written out), and paper layout hints
keyed by the same names. :func:`load_file` reads one and returns a
:class:`Template` whose nodes are the classes of :mod:`models.nodes`, so the
Hunan template read from ``resources/templates/hunan-2023.toml`` equals the
form the program has always had, node by node.

Why TOML. A template is written and read by people at a finance bureau, kept
for years beside the reports made with it, and compared between versions.
TOML is plain text with comments (the file explains itself to its next
editor), has no indentation rules to get wrong (unlike YAML, whose ``no``
becomes false and whose tabs break a file), no significant commas and
quotes everywhere (unlike JSON, which has no comments), and Python reads it
with the standard library (:mod:`tomllib`), so no parser is added to the
program. Long lists sit one item a line; a version control tool shows a
changed label as one changed line.

Every mistake is collected (none stops at the first) and reported as one
:class:`TemplateError` whose lines name the file, the line (where it can be
found) and the key path (``parts[income].columns[carryover].label``), say
what is wrong and how to fix it. Nothing in a template is executed: its
checks are formulas of :mod:`models.formula`, read by a parser of their own.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import resources
from models.errors import InputError
from models.nodes import (
    Bands,
    Heading,
    InstitutionRows,
    Names,
    Node,
    Opinion,
    Record,
    Rows,
    RuleInfo,
    SumCheck,
    Value,
)

if TYPE_CHECKING:
    import tomllib

    from models import formula

FORMAT = "ziping-template"
FORMAT_VERSION = 1
#: A template is tens of kilobytes; anything near this is not one.
MAX_BYTES = 1024 * 1024
#: Most lines of a template (the Hunan form has under a thousand), and most problems
#: listed: each is placed by a search of the lines, and nobody reads past the first few.
MAX_LINES = 20_000
MAX_PROBLEMS = 30
#: Most parts of a dotted key or table name (``[kinds.money]`` has two). The TOML reader's
#: time and memory grow with the square of a key's depth: a key of 16,000 parts, 32 KB
#: of text, takes it a gigabyte. Such a key is refused before the file is read.
MAX_KEY_PARTS = 16
_SEGMENT = r"""(?:[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
_DEEP_KEY = re.compile(rf"""(?<![A-Za-z0-9_\-"'.]){_SEGMENT}(?:[ \t]*+\.[ \t]*+{_SEGMENT}){{{MAX_KEY_PARTS}}}""")
SHIPPED = resources.path("templates")
#: The form every report was made with before reports named their template.
DEFAULT_ID = "hunan-2023"
#: The modules whose code shapes a template as read: a change to one sets the cache aside.
_READERS = tuple(str(Path(__file__).with_name(name)) for name in ("nodes.py", "formula.py", "paper.py"))

KINDS = ("text", "longtext", "int", "money", "score", "yearmonth")
FIGURE_KINDS = ("int", "money", "score")
SEVERITIES = ("error", "warning")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
#: Top-level keys of a report that no part may take: the interchange file's own.
RESERVED = ("format", "format_version", "template", "explanations")

#: What the program reads through a role, and the kinds each may have.
ROLES: dict[str, tuple[tuple[str, ...], bool]] = {
    "department": (("text",), True),
    "year": (("int",), True),
    "score": (("score",), False),
    "grade": (("text",), False),
}

#: Rules the program itself implements, and the parts of the form each reads:
#: a template that enables one must have them (keys, not labels).
BUILTIN_RULES: dict[str, tuple[str, ...]] = {
    "required": (),
    "figures.empty": ("income.total", "expenditure.total"),
    "summary.rows": ("summary",),
    "balance": ("income.total", "expenditure.total", "expenditure.balance_year"),
    "score.sum": ("score.self_score", "score_items.name", "score_items.weight", "score_items.score"),
    "score.grade": ("score.self_score", "score.grade", "score.bands"),
    "score.blank": ("score.self_score", "score_items.score"),
    "staff": ("basics.staff_quota", "basics.staff_actual"),
    "narrative.basic": ("narrative.basic_items.amount", "expenditure.total"),
    "narrative.projects": ("narrative.projects.amount", "narrative.projects.uses.amount", "expenditure.project"),
    **{f"text.{k}": ("narrative.sections", "narrative.projects", "narrative.basic_items", "score_items",
                     "income.total", "expenditure.project")
       for k in ("count", "figures", "unit", "scores", "rates", "generated")},
    **{f"scoring.{k}": ("scoring.framework", "scoring.items", "indicators.category", "indicators.nature",
                        "indicators.weight", "indicators.score", "score_items.name")
       for k in ("framework", "sum", "over", "weights", "place", "suggested", "full", "reason", "unread")},
}

#: Paper layout hints and the parts they may be given for.
LAYOUT_HINTS = {
    "widths": "表格各栏的相对宽度（数字的列表，每栏一个）",
    "lines": "长文字栏在窗口中显示的行数（1—40）",
    "per_row": "窗口中每行排几个栏目（1—4）",
    "page_break": "在打印稿上另起一页（true 或 false）",
}
PAGE_HINTS = {"orientation": "纸张方向：portrait 纵向、landscape 横向"}

#: The program's own part of every report: the clerk's explanations of findings.
EXPLANATIONS = Rows(
    "explanations",
    "出错说明",
    Record(
        "explanations",
        "出错说明",
        (Value("rule", "规则"), Names("cells", "单元格", "单元格"), Value("text", "说明", "longtext")),
    ),
)


class TemplateError(InputError):
    """A template file that cannot be used; carries every problem."""

    def __init__(self, problems: list[str], source: str, *, more: bool = False) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"表样模板文件「{source}」无法使用："
        if len(problems) == 1 and not more:
            text = head + problems[0]
        else:
            shown = problems[:30]
            count = f"超过 {len(problems)} 处问题" if more else f"共 {len(problems)} 处问题"
            text = head + count + "\n" + "\n".join(f"  {i}. {p}" for i, p in enumerate(shown, 1))
            if more:
                text += "\n  ……问题太多，以下不再查找：请先改正以上各处。"
            elif len(problems) > len(shown):
                text += f"\n  ……另有 {len(problems) - len(shown)} 处未列出"
        super().__init__(text)


# ---------------------------------------------------------------------------
# What a template holds besides the nodes of the form
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionsSpec:
    """The 机构 list the institution tables have a row each of."""

    node: Names
    #: The first row of every institution table: the column sums.
    summary_label: str
    #: Names printed for empty rows when a department has no 二级机构.
    placeholders: tuple[str, ...]
    #: The institutions of a new report.
    defaults: tuple[str, ...]
    #: Other words workbooks title the summary row and the column of names with.
    summary_aliases: tuple[str, ...] = ()
    item_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class BandsSpec:
    """Grade bands: where they are kept, the default ones, and how many a report may have."""

    path: str
    default: tuple[tuple[str, str], ...]
    most: int


@dataclass(frozen=True)
class BasicGroup:
    """A class of 基本支出明细 items and the cell their amounts add up to."""

    name: str
    #: The cell of the institution table's first row the group's items add up to.
    total: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class BasicItemsSpec:
    """基本支出明细: the table, the column naming an item's group, and the groups."""

    table: str
    column: str
    groups: tuple[BasicGroup, ...]


@dataclass(frozen=True)
class NarrativeSpec:
    """Part B: its title, headings, the tables printed among its texts, notes on texts."""

    title: str
    headings: tuple[Heading, ...]
    tables: tuple[str, ...]
    notes: Mapping[str, str]


@dataclass(frozen=True)
class Constant:
    """A named number a template's formulas may use (a weight)."""

    key: str
    label: str
    value: Decimal


@dataclass(frozen=True)
class Check:
    """A rule the template writes out (see :mod:`models.formula`).

    ``cell`` + ``equals``: the cell must equal the formula (compared after rounding the
    formula's value to the cell's decimals); ``fill``: a blank cell shows the value.
    ``when`` + ``require``: where ``when`` holds (always, without it), ``require`` must.
    ``each``: the path of a table; the rule applies to each of its rows, whose columns
    the formulas name by their keys."""

    rule: str
    each: str | None = None
    cell: str | None = None
    equals: formula.Expr | None = None
    fill: bool = False
    when: formula.Expr | None = None
    require: formula.Expr | None = None
    message: str | None = None


@dataclass(frozen=True, eq=False)
class Template:
    """A form template as read and checked: its identity, its form and what the program derives from it."""

    id: str
    name: str
    year: int
    version: str
    issuer: str
    title: str
    report: Record
    rules: tuple[RuleInfo, ...]
    checks: tuple[Check, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)
    institutions: InstitutionsSpec | None = None
    bands: BandsSpec | None = None
    #: Notes printed after a word of a column: ``{"indicators.level1": {"产出目标": "（…）"}}``.
    value_notes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    opinions: tuple[Opinion, ...] = ()
    narrative: NarrativeSpec | None = None
    basic_items: BasicItemsSpec | None = None
    constants: Mapping[str, Constant] = field(default_factory=dict)
    layout: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The 自评表's 指标体系: an id, or one written out in the template.
    framework_id: str | None = None
    framework: Any = None
    #: The words printed that are no label (``[paper]``, ``[consolidation]``; see
    #: :mod:`models.paper`), or None where the template has none.
    paper: Mapping[str, Any] | None = None
    consolidation: Mapping[str, Any] | None = None
    source: str = ""
    #: The file's bytes, as read: what a handover package carries.
    data: bytes = b""

    # -- identity -------------------------------------------------------------

    @property
    def digest(self) -> str:
        """SHA-256 of the file's bytes: two files with one id and version that differ
        are told apart by it."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def short_hash(self) -> str:
        return self.digest[:12]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Template) and self.data == other.data

    def __hash__(self) -> int:
        return hash(self.data)

    @property
    def ref(self) -> dict[str, str]:
        """How a report names the template it was made with (its file, package and record)."""
        return {"id": self.id, "version": self.version, "sha256": self.digest}

    # -- the form ---------------------------------------------------------------

    def part(self, key: str) -> Node:
        return self.report.child(key)

    def has(self, key: str) -> bool:
        return key in self.report.keys

    @property
    def tabs(self) -> tuple[str, ...]:
        """The window's tabs in the order of the paper: each part's tab, once."""
        out: list[str] = []
        for node in self.report.children:
            tab = getattr(node, "tab", None)
            if tab and tab not in out:
                out.append(tab)
        return tuple(out)

    @property
    def flat(self) -> bool:
        """Whether the form is made of records and row tables only, with no 机构 tables,
        评价报告 or 自评表: a form the program shows, checks, prints and consolidates from
        its parts and written rules alone (the Chongqing family is one). False: a form of
        the program's own family, which its paper layout and rules know part by part."""
        return (self.institutions is None and self.narrative is None and not self.institution_tables
                and self.bands is None and not self.has("scoring"))

    def role(self, name: str) -> str | None:
        """The cell path of a role (``department``, ``year``, ``score``, ``grade``), or None."""
        return self.roles.get(name)

    @property
    def institution_tables(self) -> tuple[InstitutionRows, ...]:
        return tuple(n for n in self.report.children if isinstance(n, InstitutionRows))

    @property
    def summary(self) -> Record | None:
        node = self.report.child("summary") if self.has("summary") else None
        return node if isinstance(node, Record) else None

    def node_at(self, path: str) -> Node:
        """The node a cell path names (``income.0.total``, ``narrative.projects``)."""
        return _node_at(self.report, path)

    @property
    def rules_by_id(self) -> dict[str, RuleInfo]:
        return {r.id: r for r in self.rules}

    def heading_places(self) -> dict[str, tuple[Heading, ...]]:
        """Each text or table of Part B with the headings it is printed under."""
        return _section_places(self.narrative.headings) if self.narrative else {}


# ---------------------------------------------------------------------------
# Paths inside the file, and the line each is on
# ---------------------------------------------------------------------------

Segment = str | tuple[str, int, str | None]


@dataclass(frozen=True)
class _Place:
    """Where a value sits in the file: ``parts[income].columns[carryover].label``."""

    segments: tuple[Segment, ...] = ()

    def key(self, name: str) -> _Place:
        return _Place((*self.segments, name))

    def item(self, name: str, index: int, key: str | None) -> _Place:
        return _Place((*self.segments, (name, index, key)))

    def __str__(self) -> str:
        out = ""
        for seg in self.segments:
            if isinstance(seg, str):
                out += f".{seg}" if out else seg
            else:
                name, index, key = seg
                out += (f".{name}" if out else name) + (f"[{key}]" if key else f"[第{index + 1}项]")
        return out


class _Lines:
    """Finds the line a key path stands on, by reading the file's text forward: the
    table header or ``name =`` of each step, an item by its ``key = "…"`` or ``id = "…"``.
    A best effort: where a step is not found, the line of the last step found."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _find(self, start: int, *patterns: re.Pattern[str]) -> int | None:
        """The first line from ``start`` on that one of the patterns finds (outside a comment)."""
        for i in range(start, len(self.lines)):
            text = self.lines[i].split("#", 1)[0] if '"' not in self.lines[i] else self.lines[i]
            if any(p.search(text) for p in patterns):
                return i
        return None

    def line(self, place: _Place) -> int | None:
        pos: int | None = None
        start = 0
        for seg in place.segments:
            if isinstance(seg, str):
                header = re.compile(rf"^\s*\[\[?\s*[\w.]*\b{re.escape(seg)}\s*\]\]?")
                assign = re.compile(rf"(^|[\s{{,]){re.escape(seg)}\s*=")
                found = self._find(start, header, assign)
            else:
                array, index, key = seg
                if key:
                    named = re.compile(rf'\b(key|id)\s*=\s*"{re.escape(key)}"')
                    found = self._find(start, named)
                else:
                    n = re.escape(array)
                    headers = [i for i in range(start, len(self.lines))
                               if re.match(rf"^\s*\[\[\s*[\w.]*\b{n}\s*\]\]", self.lines[i])]
                    opener = self._find(start, re.compile(rf"(^|[\s{{,]){n}\s*=\s*\["))
                    if opener is not None and (not headers or opener < headers[0]):
                        # An inline list: on its opening line, or one item a line below it.
                        rest = self.lines[opener].split("=", 1)[1]
                        one_line = rest.count("[") == rest.count("]")
                        below = opener + 1 + index
                        found = opener if one_line or below >= len(self.lines) else below
                    elif len(headers) > index:
                        found = headers[index]
                    else:
                        found = None
            if found is None:
                break
            pos = start = found
        return None if pos is None else pos + 1


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


class _TooMany(Exception):
    """More problems than are worth reading: the file is not a template being edited."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


class _Reader:
    def __init__(self, text: str) -> None:
        self.problems: list[str] = []
        self.lines = _Lines(text)

    def problem(self, place: _Place, text: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany(self.problems)
        line = self.lines.line(place) if place.segments else None
        where = str(place)
        if line is not None:
            where = f"第 {line} 行（{where}）" if where else f"第 {line} 行"
        self.problems.append(f"{where}：{text}" if where else text)

    def keys(self, raw: Mapping[str, Any], place: _Place, allowed: tuple[str, ...],
             required: tuple[str, ...] = (), what: str = "") -> None:
        unknown = [k for k in raw if k not in allowed]
        if unknown:
            self.problem(place, f"{what}不认识的键 {'、'.join(unknown)}。可用的键：{'、'.join(allowed)}；"
                                "请检查拼写，或删去这一行。")
        for key in required:
            if key not in raw:
                self.problem(place, f"缺少 {key}。")

    def text(self, raw: Mapping[str, Any], key: str, place: _Place, *, required: bool = True,
             empty: bool = False, one_line: bool = True, most: int = 500) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.problem(place, f"缺少 {key}（文字）。")
            return None
        if not isinstance(value, str):
            self.problem(place.key(key), f"应为带双引号的文字，例如 {key} = \"…\"，而不是 {_shown(value)}。")
            return None
        cleaned = value.strip()
        if not cleaned and not empty:
            self.problem(place.key(key), "不能为空。")
            return None
        if one_line and ("\n" in cleaned or "\r" in cleaned):
            self.problem(place.key(key), "应为一行文字，不能换行。")
            return None
        if len(cleaned) > most:
            self.problem(place.key(key), f"过长（{len(cleaned)} 个字，最多 {most} 个）。")
            return None
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in cleaned):
            self.problem(place.key(key), "含有看不见的控制字符，请删去后重新输入。")
            return None
        return cleaned

    def key_of(self, raw: Mapping[str, Any], place: _Place, what: str) -> str | None:
        value = raw.get("key")
        if value is None:
            self.problem(place, f"{what}缺少 key（程序内部的名字，如 key = \"total\"）。")
            return None
        if not isinstance(value, str) or not _KEY.match(value):
            self.problem(place.key("key"), f"key 应为小写英文字母开头、由小写字母、数字和下划线组成的名字"
                                           f"（不超过 40 个字符），例如 \"staff_quota\"，而不是 {_shown(value)}。")
            return None
        return value

    def flag(self, raw: Mapping[str, Any], key: str, place: _Place) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.problem(place.key(key), f"应为 true 或 false，而不是 {_shown(value)}。")
            return False
        return value

    def integer(self, raw: Mapping[str, Any], key: str, place: _Place, low: int, high: int) -> int | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(place.key(key), f"应为 {low} 到 {high} 之间的整数（不加引号），而不是 {_shown(value)}。")
            return None
        return value

    def words(self, raw: Mapping[str, Any], key: str, place: _Place, *, empty: bool = True) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() and "\n" not in v for v in value):
            self.problem(place.key(key), f"应为文字的列表，例如 {key} = [\"甲\", \"乙\"]。")
            return ()
        if not value and not empty:
            self.problem(place.key(key), "至少要有一项。")
        return tuple(v.strip() for v in value)

    def table(self, raw: Mapping[str, Any], key: str, place: _Place) -> Mapping[str, Any] | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(place.key(key), f"应为表（[{key}] 下的若干行，或 {{ … }}），而不是 {_shown(value)}。")
            return None
        return value

    def items(self, raw: Mapping[str, Any], key: str, place: _Place) -> list[tuple[_Place, dict[str, Any]]]:
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(place.key(key), f"应为列表：[[{key}]] 写成的若干段，或 {key} = [ {{ … }}, … ]。")
            return []
        out = []
        for i, item in enumerate(value):
            k = item.get("key") or item.get("id") if isinstance(item, dict) else None
            where = place.item(key, i, k if isinstance(k, str) else None)
            if not isinstance(item, dict):
                self.problem(where, f"应为 {{ key = …, label = … }} 这样的一项，而不是 {_shown(item)}。")
                continue
            out.append((where, item))
        return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"\"{value if len(value) <= 30 else value[:29] + '…'}\""
    if isinstance(value, list):
        return "列表 […]"
    if isinstance(value, dict):
        return "表 { … }"
    return str(value)


#: Keys a value (field or column) may have.
_VALUE_KEYS = ("key", "type", "label", "kind", "required", "places", "units", "negative", "minimum", "maximum",
               "default", "suggestions", "help", "omit_blank", "max_length", "carry", "aliases")
_KIND_KEYS = ("units", "places", "negative", "max_length")


class _Builder:
    """Builds the nodes of the form from the file's ``parts``, collecting every problem."""

    def __init__(self, r: _Reader, kinds: Mapping[str, Mapping[str, Any]]) -> None:
        self.r = r
        self.kinds = kinds
        self.notes: dict[str, dict[str, str]] = {}
        self.opinions: list[Opinion] = []
        self.bands: BandsSpec | None = None
        self.institutions: InstitutionsSpec | None = None
        self.sections: list[tuple[_Place, str, str]] = []  # (place, path, label)

    # -- values -------------------------------------------------------------------

    def value(self, raw: dict[str, Any], place: _Place, path: str, *, in_rows: bool, in_record: bool) -> Value | None:
        r = self.r
        extra = (("notes",) if in_rows else ()) + (("sign_lines",) if in_record else ())
        r.keys(raw, place, _VALUE_KEYS + extra)
        key = r.key_of(raw, place, "栏目")
        label = r.text(raw, "label", place)
        kind = raw.get("kind", "text")
        known = kind in KINDS
        if not known:
            r.problem(place.key("kind"), f"类型 {_shown(kind)} 不认识；可用：{'、'.join(KINDS)}"
                                         "（text 文字、longtext 长文字、int 整数、money 金额、score 分数、yearmonth 年月）。")
            kind = "text"
        defaults = self.kinds.get(kind, {})
        options: dict[str, Any] = {}
        units = r.words(raw, "units", place) if "units" in raw else tuple(defaults.get("units", ()))
        if units:
            options["units"] = units
        places = r.integer(raw, "places", place, 0, 6) if "places" in raw else defaults.get("places")
        if places is not None:
            options["places"] = places
        negative = r.flag(raw, "negative", place) if "negative" in raw else defaults.get("negative", False)
        if negative:
            options["negative"] = True
        for bound in ("minimum", "maximum"):
            if bound in raw:
                number = r.integer(raw, bound, place, -10**9, 10**9)
                if number is not None:
                    options[bound] = number
        if "minimum" in options and "maximum" in options and options["minimum"] > options["maximum"]:
            r.problem(place.key("minimum"), f"minimum {options['minimum']} 大于 maximum {options['maximum']}。")
        if ("minimum" in options or "maximum" in options) and known and kind not in FIGURE_KINDS:
            r.problem(place, "只有数字栏（int、money、score）可以有 minimum、maximum。")
        most = r.integer(raw, "max_length", place, 1, 100000) if "max_length" in raw else defaults.get("max_length")
        if most is not None:
            options["max_length"] = most
        for flag in ("required", "omit_blank"):
            if r.flag(raw, flag, place):
                options[flag] = True
        for word in ("default", "help"):
            text = r.text(raw, word, place, required=False)
            if text:
                options[word] = text
        if "default" in options:
            self._default(options["default"], place.key("default"))
        if "carry" in raw:
            options["carry"] = r.flag(raw, "carry", place)
        aliases = r.words(raw, "aliases", place)
        if aliases:
            options["aliases"] = aliases
        suggestions = r.words(raw, "suggestions", place)
        if suggestions:
            options["suggestions"] = suggestions
        if in_rows and "notes" in raw:
            notes = r.table(raw, "notes", place)
            if notes is not None:
                bad = [k for k, v in notes.items() if not isinstance(v, str) or not v.strip()]
                if bad:
                    r.problem(place.key("notes"), f"说明应为文字：{'、'.join(bad)}。写法：notes = {{ \"词\" = \"说明\" }}。")
                else:
                    self.notes[path] = {k: v.strip() for k, v in notes.items()}
        if in_record and "sign_lines" in raw:
            lines = r.words(raw, "sign_lines", place, empty=False)
            if kind != "longtext":
                r.problem(place, "有签字行（sign_lines）的意见栏应为 kind = \"longtext\"。")
            if key and label and lines:
                self.opinions.append(Opinion(key, label, lines))
        if key is None or label is None:
            return None
        return Value(key, label, kind, **options)

    def _default(self, text: str, place: _Place) -> None:
        for token in re.findall(r"\{[^{}]*\}|[{}]", text):
            if not re.fullmatch(r"\{[a-z][a-z0-9_]*\}", token):
                self.r.problem(place, f"默认文字中的 {token} 无法理解：只能用 {{键}} 代入封面上的栏目，例如 "
                                      "\"{dept_name}绩效自评\"。")

    # -- nodes ------------------------------------------------------------------------

    def child(self, raw: dict[str, Any], place: _Place, path: str, *, in_rows: bool) -> Node | None:
        kind = raw.get("type", "value")
        allowed = ("value", "rows", "names") + (() if in_rows else ("record", "bands", "sections"))
        if kind not in allowed:
            self.r.problem(place.key("type"), f"此处的 type 只能是 {'、'.join(allowed)}，而不是 {_shown(kind)}。")
            return None
        if kind == "value":
            return self.value(raw, place, path, in_rows=in_rows, in_record=not in_rows)
        if kind == "rows":
            return self.rows(raw, place, path)
        if kind == "names":
            self.r.keys(raw, place, ("key", "type", "label", "item_label"), ("label", "item_label"))
            key, label = self.r.key_of(raw, place, "列表"), self.r.text(raw, "label", place)
            item = self.r.text(raw, "item_label", place)
            return Names(key, label, item) if key and label and item else None
        if kind == "record":
            return self.record(raw, place, path)
        if kind == "bands":
            return self.band_field(raw, place, path)
        self.r.keys(raw, place, ("key", "type", "label"), ("label",))
        key, label = self.r.key_of(raw, place, "正文"), self.r.text(raw, "label", place)
        if key and label:
            self.sections.append((place, path, label))
            return Record(key, label, ())  # its texts come from [narrative] once that is read
        return None

    def record(self, raw: dict[str, Any], place: _Place, path: str, *, top: bool = False) -> Record | None:
        r = self.r
        r.keys(raw, place, ("key", "type", "label", "tab", "omit_blank", "fields"), ("label",))
        key = r.key_of(raw, place, "部分")
        label = r.text(raw, "label", place)
        tab = r.text(raw, "tab", place, required=False)
        if tab and not top:
            r.problem(place.key("tab"), "只有最外层的部分（parts）可以有自己的标签页（tab）。")
        children = self.children(raw, "fields", place, path, in_rows=False)
        if key is None or label is None:
            return None
        options: dict[str, Any] = {"tab": tab} if tab else {}
        if r.flag(raw, "omit_blank", place):
            options["omit_blank"] = True
        return Record(key, label, children, **options)

    def children(self, raw: dict[str, Any], name: str, place: _Place, path: str, *, in_rows: bool) -> tuple[Node, ...]:
        out: list[Node] = []
        seen: set[str] = set()
        items = self.r.items(raw, name, place)
        if not items and name in raw or name not in raw:
            self.r.problem(place, f"缺少 {name}，或其中没有任何栏目：至少要有一栏。")
        for i, (where, item) in enumerate(items):
            key = item.get("key")
            node = self.child(item, where, f"{path}.{key}" if path else str(key), in_rows=in_rows)
            if node is None:
                continue
            if node.key in seen:
                # Placed by its position: its key would find the first of the two.
                again = _Place((*where.segments[:-1], (name, i, None)))
                self.r.problem(again.key("key"), f"键 \"{node.key}\" 重复：同一部分中每个栏目的键都应不同，请改用另一个键。")
                continue
            seen.add(node.key)
            out.append(node)
        return tuple(out)

    def rows(self, raw: dict[str, Any], place: _Place, path: str, *, top: bool = False) -> Rows | None:
        r = self.r
        r.keys(raw, place, ("key", "type", "label", "row_label", "tab", "merge", "shown", "columns"), ("label",))
        key, label = r.key_of(raw, place, "表"), r.text(raw, "label", place)
        row_label = r.text(raw, "row_label", place, required=False) or label
        tab = r.text(raw, "tab", place, required=False)
        if tab and not top:
            r.problem(place.key("tab"), "只有最外层的部分（parts）可以有自己的标签页（tab）。")
        columns = self.children(raw, "columns", place, path, in_rows=True)
        keys = {c.key for c in columns}
        merge, shown = r.words(raw, "merge", place), r.words(raw, "shown", place)
        for name, listed in (("merge", merge), ("shown", shown)):
            unknown = [k for k in listed if k not in keys]
            if unknown:
                r.problem(place.key(name), f"{'、'.join(unknown)} 不是这张表的栏目（栏目：{'、'.join(keys)}）。")
        if key is None or label is None or row_label is None:
            return None
        options: dict[str, Any] = {}
        if tab:
            options["tab"] = tab
        if merge:
            options["merge"] = merge
        if shown:
            options["shown"] = shown
        return Rows(key, label, Record(key, row_label, columns), **options)

    def institution_rows(self, raw: dict[str, Any], place: _Place) -> InstitutionRows | None:
        r = self.r
        r.keys(raw, place, ("key", "type", "label", "row_label", "tab", "unit", "columns", "sums", "groups"),
               ("label",))
        key, label = r.key_of(raw, place, "表"), r.text(raw, "label", place)
        row_label = r.text(raw, "row_label", place, required=False) or label
        tab = r.text(raw, "tab", place, required=False)
        unit = r.text(raw, "unit", place, required=False)
        columns = self.children(raw, "columns", place, key or "", in_rows=True)
        values = {c.key: c for c in columns if isinstance(c, Value)}
        for c in columns:
            if not isinstance(c, Value):
                r.problem(place.item("columns", 0, c.key), "机构收支表的栏目只能是数值栏，不能是表或列表。")
        sums: list[SumCheck] = []
        for where, item in r.items(raw, "sums", place):
            r.keys(item, where, ("rule", "total", "parts"), ("rule", "total", "parts"))
            rule, total = r.text(item, "rule", where), r.text(item, "total", where)
            parts = r.words(item, "parts", where, empty=False)
            for name in (total, *parts):
                if name and name not in values:
                    r.problem(where, f"{name} 不是这张表的栏目（栏目：{'、'.join(values)}）。")
                elif name and values[name].kind not in FIGURE_KINDS:
                    r.problem(where, f"{name} 不是数字栏，不能参与合计。")
            if total in parts:
                r.problem(where, f"合计栏 {total} 不能同时是它自己的组成项。")
            if rule and total and parts:
                sums.append(SumCheck(rule, total, parts))
        groups: list[tuple[str, str, str]] = []
        raw_groups = raw.get("groups", [])
        if not isinstance(raw_groups, list):
            r.problem(place.key("groups"), "应为列表，每项写成 [\"标题\", \"第一栏\", \"最后一栏\"]。")
            raw_groups = []
        order = list(values)
        for i, g in enumerate(raw_groups):
            where = place.item("groups", i, None)
            if not (isinstance(g, list) and len(g) == 3 and all(isinstance(x, str) and x for x in g)):
                r.problem(where, "每个表头分组写成 [\"标题\", \"第一栏\", \"最后一栏\"]。")
                continue
            if g[1] not in values or g[2] not in values:
                r.problem(where, f"分组的栏目 {g[1]}、{g[2]} 应为这张表的栏目。")
            elif order.index(g[1]) > order.index(g[2]):
                r.problem(where, f"分组的第一栏 {g[1]} 排在最后一栏 {g[2]} 之后。")
            else:
                groups.append((g[0], g[1], g[2]))
        if key is None or label is None or row_label is None:
            return None
        options: dict[str, Any] = {}
        if tab:
            options["tab"] = tab
        if unit:
            options["unit"] = unit
        table = InstitutionRows(key, label, Record(key, row_label, columns), tuple(sums), groups=tuple(groups),
                                **options)
        try:
            table.computed_order()
        except ValueError:
            r.problem(place.key("sums"), "合计关系首尾相连成了圈（甲是乙的组成项，乙又是甲的组成项），请检查 total 和 parts。")
        return table

    def band_field(self, raw: dict[str, Any], place: _Place, path: str) -> Bands | None:
        r = self.r
        r.keys(raw, place, ("key", "type", "label", "default", "max"), ("label", "default"))
        key, label = r.key_of(raw, place, "等级档次"), r.text(raw, "label", place)
        most = r.integer(raw, "max", place, 1, 60) or 10
        default: list[tuple[str, str]] = []
        raw_default = raw.get("default")
        if not isinstance(raw_default, list) or not raw_default:
            r.problem(place.key("default"), "默认等级档次应写成 [[\"90\", \"优\"], [\"80\", \"良\"], …]，至少一档。")
        else:
            for i, band in enumerate(raw_default):
                where = place.item("default", i, None)
                if not (isinstance(band, list) and len(band) == 2 and all(isinstance(x, str) for x in band)):
                    r.problem(where, "每一档写成 [\"下限\", \"等级\"]，例如 [\"90\", \"优\"]，两项都带引号。")
                    continue
                lower, word = band[0].strip(), band[1].strip()
                try:
                    number = Decimal(lower)
                    ok = number.is_finite() and 0 <= number <= 100 and number == number.quantize(Decimal("0.1"))
                except InvalidOperation:
                    ok = False
                if not ok:
                    r.problem(where, f"下限 {_shown(band[0])} 应为 0 到 100 之间的分数（最多一位小数）。")
                elif not word or len(word) > 20 or any(ch.isspace() for ch in word):
                    r.problem(where, f"等级 {_shown(band[1])} 应为不含空格、不超过 20 个字的词，例如 \"优\"。")
                else:
                    default.append((lower, word))
            if len({w for _, w in default}) < len(default) or len({lo for lo, _ in default}) < len(default):
                r.problem(place.key("default"), "等级档次中有重复的下限或等级。")
            if len(raw_default) > most:
                r.problem(place.key("default"), f"默认档次有 {len(raw_default)} 档，超过 max = {most}。")
        if key is None or label is None:
            return None
        if self.bands is not None:
            r.problem(place, "一个模板只能有一处等级档次（type = \"bands\"）。")
        self.bands = BandsSpec(path, tuple(default), most)
        return Bands(key, label)

    def institutions_part(self, raw: dict[str, Any], place: _Place) -> Names | None:
        r = self.r
        r.keys(raw, place, ("key", "type", "label", "item_label", "summary_label", "placeholders", "defaults",
                            "summary_aliases", "item_aliases"),
               ("label", "item_label", "summary_label", "defaults"))
        key, label = r.key_of(raw, place, "机构"), r.text(raw, "label", place)
        item, summary = r.text(raw, "item_label", place), r.text(raw, "summary_label", place)
        placeholders = r.words(raw, "placeholders", place)
        defaults = r.words(raw, "defaults", place, empty=False)
        if not (key and label and item and summary and defaults):
            return None
        if self.institutions is not None:
            r.problem(place, "一个模板只能有一个机构列表（type = \"institutions\"）。")
        node = Names(key, label, item)
        self.institutions = InstitutionsSpec(node, summary, placeholders, defaults,
                                             r.words(raw, "summary_aliases", place), r.words(raw, "item_aliases", place))
        return node


def _node_at(report: Record, path: str) -> Node:
    node: Node = report
    for part in path.split("."):
        if isinstance(node, Record):
            node = node.child(part)
        elif isinstance(node, Rows | InstitutionRows):
            if part.isdigit() or part == "summary":
                node = node.row
            else:
                node = node.row.child(part)
        elif isinstance(node, Names) and part.isdigit():
            return node
        else:
            raise KeyError(path)
    return node


def _section_places(headings: tuple[Heading, ...]) -> dict[str, tuple[Heading, ...]]:
    places: dict[str, tuple[Heading, ...]] = {}

    def walk(items: tuple[Heading, ...], above: tuple[Heading, ...]) -> None:
        for h in items:
            for key in h.content:
                places.setdefault(key, (*above, h))
            walk(h.children, (*above, h))

    walk(headings, ())
    return places


def _outline(flat: list[tuple[int, str, str, tuple[str, ...]]]) -> tuple[Heading, ...]:
    """Headings written one a line, each with its level, as the tree they make: a
    heading belongs under the nearest one above it with a smaller level."""

    def build(start: int, level: int) -> tuple[list[Heading], int]:
        out: list[Heading] = []
        i = start
        while i < len(flat) and flat[i][0] > level:
            lvl, number, title, content = flat[i]
            children, i = build(i + 1, lvl)
            out.append(Heading(number, title, lvl, content, tuple(children)))
        return out, i

    tree, _ = build(0, 0)
    return tuple(tree)


def _narrative(r: _Reader, raw: Mapping[str, Any] | None) -> NarrativeSpec | None:
    if raw is None:
        return None
    place = _Place(("narrative",))
    r.keys(raw, place, ("title", "tables", "notes", "headings"), ("title", "headings"))
    title = r.text(raw, "title", place)
    tables = r.words(raw, "tables", place)
    notes_raw = r.table(raw, "notes", place) or {}
    notes = {k: v.strip() for k, v in notes_raw.items() if isinstance(v, str) and v.strip()}
    if len(notes) != len(notes_raw):
        r.problem(place.key("notes"), "说明应为文字，写成 notes = { 键 = \"说明\" }。")
    flat: list[tuple[int, str, str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for where, item in r.items(raw, "headings", place):
        r.keys(item, where, ("level", "number", "title", "content"), ("level", "title"))
        level = r.integer(item, "level", where, 1, 3)
        number = r.text(item, "number", where, required=False, empty=True) or ""
        heading = r.text(item, "title", where)
        content = r.words(item, "content", where)
        for key in content:
            if not _KEY.match(key):
                r.problem(where.key("content"), f"内容 {_shown(key)} 应为键（小写英文字母、数字和下划线）。")
            elif key in seen:
                r.problem(where.key("content"), f"内容 {key} 在前面的标题下已经出现过，每段只能出现一次。")
            seen.add(key)
        if not flat and level not in (None, 1):
            r.problem(where.key("level"), "第一个标题应为一级标题（level = 1）。")
        if level and heading:
            flat.append((level, number, heading, content))
    if not flat:
        r.problem(place.key("headings"), "评价报告至少要有一个标题。")
    for key in notes:
        if key not in seen:
            r.problem(place.key("notes"), f"说明的段 {key} 不在任何标题的 content 中。")
    if title is None:
        return None
    return NarrativeSpec(title, _outline(flat), tables, notes)


def _section_label(places: dict[str, tuple[Heading, ...]], notes: Mapping[str, str], key: str) -> str:
    label = " ".join(h.text for h in places[key])
    note = notes.get(key)
    return f"{label}：{note}" if note else label


def _resolve(report: Record, path: str) -> Node | None:
    try:
        return _node_at(report, path)
    except KeyError:
        return None


def _kind_of(node: Node | None) -> str | None:
    if isinstance(node, Value):
        return "num" if node.kind in FIGURE_KINDS else "text"
    if isinstance(node, Rows | InstitutionRows):
        return "rows"
    return None


def _rows_path(report: Record, path: str) -> bool:
    """Whether a path runs through a table (so it names a column of every row)."""
    node: Node = report
    for part in path.split(".")[:-1]:
        if isinstance(node, Record):
            node = node.child(part)
        else:
            return True
    return isinstance(node, Rows | InstitutionRows)


def _checks(r: _Reader, raw_rules: list[tuple[_Place, dict[str, Any]]], report: Record,
            constants: Mapping[str, Constant], sums: set[str], has_basic: bool,
            framework: bool) -> tuple[tuple[RuleInfo, ...], tuple[Check, ...]]:
    infos: list[RuleInfo] = []
    checks: list[Check] = []
    seen: set[str] = set()
    for where, item in raw_rules:
        r.keys(item, where, ("id", "severity", "title", "each", "cell", "equals", "fill", "when", "require",
                             "message"), ("id", "severity", "title"))
        rule = item.get("id")
        if not isinstance(rule, str) or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*", rule):
            r.problem(where.key("id"), f"规则编号应为小写英文字母、数字、下划线和点，例如 \"indicator.score\"，而不是 {_shown(rule)}。")
            continue
        if rule in seen:
            r.problem(where.key("id"), f"规则编号 {rule} 重复。")
            continue
        seen.add(rule)
        severity = item.get("severity")
        if severity not in SEVERITIES:
            r.problem(where.key("severity"), f"严重程度应为 \"error\"（错误）或 \"warning\"（警告），而不是 {_shown(severity)}。")
        title = r.text(item, "title", where)
        written = any(k in item for k in ("cell", "equals", "when", "require"))
        if written:
            check = _check(r, where, item, rule, report, constants)
            if check is not None:
                checks.append(check)
        elif rule in sums:
            pass
        elif rule not in BUILTIN_RULES:
            r.problem(where, f"程序没有内置编号为 {rule} 的规则。自己写的规则要有 cell 和 equals（某格等于某式），"
                             "或 require（必须成立的条件）；机构收支表的合计规则写在该表的 sums 中。")
        else:
            missing = [p for p in BUILTIN_RULES[rule] if _resolve(report, p) is None]
            if rule == "narrative.basic" and not has_basic:
                missing.append("[basic_items]")
            if rule.startswith("scoring.") and not framework:
                missing.append("framework")
            if missing:
                r.problem(where, f"内置规则 {rule} 要用到模板中没有的 {'、'.join(missing)}；"
                                 "请删去这条规则，或在模板中加上这些部分。")
        if isinstance(severity, str) and severity in SEVERITIES and title:
            infos.append(RuleInfo(rule, severity, title))  # type: ignore[arg-type]
    for rule in sorted(sums - seen):
        r.problem(_Place(("rules",)), f"合计规则 {rule}（见机构收支表的 sums）没有在 [[rules]] 中列出："
                                      "请加上它的 id、severity 和 title。")
    return tuple(infos), tuple(checks)


def _check(r: _Reader, where: _Place, item: dict[str, Any], rule: str, report: Record,
           constants: Mapping[str, Constant]) -> Check | None:
    from models import formula  # read only where a template writes its own rules

    each = r.text(item, "each", where, required=False)
    row: Record | None = None
    if each is not None:
        node = _resolve(report, each)
        if not isinstance(node, Rows | InstitutionRows) or _rows_path(report, each):
            r.problem(where.key("each"), f"each 应为一张表的名字（如 \"indicators\"），{_shown(each)} 不是。")
            return None
        row = node.row

    def resolve(name: str, over_rows: bool) -> formula.Type:
        if row is not None and not over_rows and name in row.keys:
            kind = _kind_of(row.child(name))
            if kind is None:
                raise formula.FormulaError(f"「{name}」是这张表中的表，不能直接计算")
            return kind
        if name in constants and not over_rows:
            return "num"
        node = _resolve(report, name)
        kind = _kind_of(node)
        if kind is None:
            hint = f"这张表的栏目：{'、'.join(row.keys)}；" if row is not None else ""
            consts = f"常数：{'、'.join(constants)}；" if constants else ""
            raise formula.FormulaError(f"「{name}」不是模板中的栏目（{hint}{consts}其他部分的栏目写成 部分.栏目，如 budget.executed）")
        through = _rows_path(report, name) or kind == "rows"
        if through and not over_rows:
            raise formula.FormulaError(f"「{name}」是表中每一行的栏目：请用 sum({name}) 求和，或在规则中写 each")
        if over_rows and not through:
            raise formula.FormulaError(f"「{name}」不是表中的栏目，不能求和或计数")
        return kind

    def read(key: str, want: str) -> formula.Expr | None:
        text = item.get(key)
        if text is None:
            return None
        if not isinstance(text, str):
            r.problem(where.key(key), f"公式应为带双引号的文字，例如 {key} = \"a + b\"。")
            return None
        try:
            tree = formula.parse(text)
            formula.check_types(tree, resolve, want)
        except formula.FormulaError as exc:
            r.problem(where.key(key), f"公式 \"{text}\" 有误：{exc}。")
            return None
        return tree

    cell = r.text(item, "cell", where, required=False)
    equals = read("equals", "num")
    when = read("when", "bool")
    require = read("require", "bool")
    fill = r.flag(item, "fill", where)
    message = r.text(item, "message", where, required=False)
    if ("cell" in item) != ("equals" in item):
        r.problem(where, "cell 和 equals 要一起写：cell 为要核对的格，equals 为它应等于的式子。")
    if "equals" in item and "require" in item:
        r.problem(where, "一条规则写 equals 或 require 其中之一；两项检查请分成两条规则。")
    if "when" in item and "require" not in item:
        r.problem(where, "when 是 require 的前提条件：有 when 就要有 require。")
    if fill and "equals" not in item:
        r.problem(where.key("fill"), "fill 只用于有 equals 的规则。")
    if cell is not None:
        try:
            kind = resolve(cell, False)
            if kind != "num":
                raise formula.FormulaError(f"「{cell}」不是数字栏")
        except formula.FormulaError as exc:
            r.problem(where.key("cell"), f"cell 有误：{exc}。")
            cell = None
    if message is not None:
        for piece in re.findall(r"\{([^{}]*)\}", message):
            try:
                tree = formula.parse(piece)
                formula.check_types(tree, resolve, _type_of(tree, resolve))
            except formula.FormulaError as exc:
                r.problem(where.key("message"), f"提示文字中的 {{{piece}}} 有误：{exc}。")
    if (equals is None or cell is None) and require is None:
        return None
    return Check(rule, each, cell, equals, fill, when, require, message)


def _type_of(tree: formula.Expr, resolve: Callable[[str, bool], formula.Type]) -> formula.Type:
    from models import formula

    for want in ("num", "text", "bool"):
        try:
            formula.check_types(tree, resolve, want)
            return want
        except formula.FormulaError:
            continue
    formula.check_types(tree, resolve, "num")  # raises the reason
    return "num"  # pragma: no cover


def parse(raw: Mapping[str, Any], source: str, text: str = "", data: bytes = b"", *,
          frameworks: bool = True) -> Template:
    """A template from its TOML data; raises :class:`TemplateError` listing every problem.

    ``frameworks``: whether to look up the 指标体系 the template names by id (that reads
    the report model, which itself reads the form: the form's own template skips it)."""
    r = _Reader(text)
    top = _Place()
    if raw.get("format") != FORMAT:
        found = "文件中没有这一行" if "format" not in raw else f"实为 {_shown(raw['format'])}"
        raise TemplateError([f"这不是表样模板文件：第一行应为 format = \"{FORMAT}\"，{found}。"], source)
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TemplateError([f"format_version 应为正整数（不加引号），实为 {_shown(version)}。"], source)
    if version > FORMAT_VERSION:
        raise TemplateError([f"模板格式版本为 {version}，本程序只认识到版本 {FORMAT_VERSION}：模板由更新的程序制作，"
                             "请升级程序。"], source)
    r.keys(raw, top, ("format", "format_version", "template", "kinds", "roles", "constants", "parts", "narrative",
                      "basic_items", "rules", "framework", "layout", "paper", "consolidation"),
           ("template", "roles", "parts", "rules"))

    # -- [template] -------------------------------------------------------------------------
    head = r.table(raw, "template", top) or {}
    place = _Place(("template",))
    r.keys(head, place, ("id", "name", "year", "version", "issuer", "title", "framework"),
           ("id", "name", "year", "version", "title"))
    tid = head.get("id")
    if tid is not None and (not isinstance(tid, str) or not _ID.match(tid)):
        r.problem(place.key("id"), f"id 应为小写英文字母、数字、点、横线组成的名字（不超过 64 个字符），"
                                   f"例如 \"hunan-2023\"，而不是 {_shown(tid)}。")
        tid = None
    name = r.text(head, "name", place)
    year = r.integer(head, "year", place, 2000, 2100) if "year" in head else None
    ver = head.get("version")
    if ver is not None and (not isinstance(ver, str) or not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}", ver)):
        r.problem(place.key("version"), f"version 应为带引号的版本号，例如 \"2023.1\"，而不是 {_shown(ver)}。")
        ver = None
    issuer = r.text(head, "issuer", place, required=False, empty=True) or ""
    title = r.text(head, "title", place)
    framework_id = r.text(head, "framework", place, required=False)

    # -- [kinds] ----------------------------------------------------------------------------
    kinds: dict[str, dict[str, Any]] = {}
    for kind, spec in (r.table(raw, "kinds", top) or {}).items():
        where = _Place(("kinds", kind))
        if kind not in KINDS:
            r.problem(where, f"类型 {kind} 不认识；可用：{'、'.join(KINDS)}。")
            continue
        if not isinstance(spec, dict):
            r.problem(where, "应为表，例如 [kinds.money] 下写 units = [\"万元\"]。")
            continue
        r.keys(spec, where, _KIND_KEYS)
        kinds[kind] = {}
        if "units" in spec:
            kinds[kind]["units"] = r.words(spec, "units", where)
        if "places" in spec:
            kinds[kind]["places"] = r.integer(spec, "places", where, 0, 6)
        if "negative" in spec:
            kinds[kind]["negative"] = r.flag(spec, "negative", where)
        if "max_length" in spec:
            kinds[kind]["max_length"] = r.integer(spec, "max_length", where, 1, 100000)

    # -- [constants] ------------------------------------------------------------------------
    constants: dict[str, Constant] = {}
    for key, spec in (r.table(raw, "constants", top) or {}).items():
        where = _Place(("constants", key))
        if not _KEY.match(key):
            r.problem(where, f"常数的名字 {key} 应为小写英文字母、数字和下划线。")
            continue
        if not isinstance(spec, dict):
            r.problem(where, f"常数写成 {key} = {{ label = \"分值\", value = \"10\" }}。")
            continue
        r.keys(spec, where, ("label", "value"), ("label", "value"))
        label = r.text(spec, "label", where)
        value = spec.get("value")
        try:
            number = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            r.problem(where.key("value"), f"常数的值应为带引号的数，例如 \"10\"，而不是 {_shown(value)}。")
        elif label:
            constants[key] = Constant(key, label, number)

    # -- parts --------------------------------------------------------------------------------
    narrative = _narrative(r, r.table(raw, "narrative", top))
    b = _Builder(r, kinds)
    nodes: list[Node] = []
    seen: set[str] = set()
    summary_at: tuple[int, _Place] | None = None
    raw_parts = r.items(raw, "parts", top)
    if not raw_parts and "parts" in raw:
        r.problem(top.key("parts"), "模板至少要有一个部分（[[parts]]）。")
    for where, item in raw_parts:
        part_type = item.get("type")
        node: Node | None = None
        if part_type == "record":
            node = b.record(item, where, str(item.get("key", "")), top=True)
        elif part_type == "rows":
            node = b.rows(item, where, str(item.get("key", "")), top=True)
        elif part_type == "institution_rows":
            node = b.institution_rows(item, where)
        elif part_type == "institutions":
            node = b.institutions_part(item, where)
        elif part_type == "summary":
            r.keys(item, where, ("key", "type"))
            summary_key = r.key_of(item, where, "汇总行")
            if summary_key:
                summary_at = (len(nodes), where)
                node = Record(summary_key, "", ())
        else:
            r.problem(where.key("type") if "type" in item else where,
                      f"部分的 type 应为 record（一组栏目）、rows（可增删行的表）、institution_rows（每个机构一行的表）、"
                      f"institutions（机构列表）或 summary（汇总行）之一，而不是 {_shown(part_type)}。")
        if node is None:
            continue
        if node.key in RESERVED:
            r.problem(where.key("key"), f"键 \"{node.key}\" 留给报告文件自身使用，请换一个。")
            continue
        if node.key in seen:
            r.problem(where.key("key"), f"键 \"{node.key}\" 重复：每个部分的键都应不同。")
            continue
        if node.key in constants:
            r.problem(where.key("key"), f"键 \"{node.key}\" 与常数同名，公式中无法区分，请换一个。")
        seen.add(node.key)
        nodes.append(node)

    tables = [n for n in nodes if isinstance(n, InstitutionRows)]
    if tables and b.institutions is None:
        r.problem(top.key("parts"), "有每个机构一行的表（institution_rows），但没有机构列表（type = \"institutions\"）。")
    if summary_at is not None:
        index, where = summary_at
        if b.institutions is None or not tables:
            r.problem(where, "汇总行（type = \"summary\"）要有机构列表和至少一张每个机构一行的表。")
            del nodes[index]
        else:
            nodes[index] = Record(nodes[index].key, b.institutions.summary_label, tuple(t.row for t in tables))

    # Part B's texts, now that its headings are read.
    places = _section_places(narrative.headings) if narrative else {}
    if b.sections and narrative is None:
        r.problem(b.sections[0][0], "正文（type = \"sections\"）的各段由 [narrative] 中的标题生成，但模板中没有 [narrative]。")
    if narrative is not None and not b.sections:
        r.problem(_Place(("narrative",)), "有 [narrative]，但没有放正文的栏目（type = \"sections\"）。")
    report = Record("", title or "", (*nodes, EXPLANATIONS))
    if narrative is not None and b.sections:
        texts = tuple(Value(k, _section_label(places, narrative.notes, k), "longtext")
                      for k in places if k not in narrative.tables)
        report = _replace_sections(report, {p for _, p, _ in b.sections}, texts)
        for key in narrative.tables:
            if not isinstance(_find_rows(report, key), Rows):
                r.problem(_Place(("narrative", "tables")), f"{key} 不是模板中的表（rows）。")

    # -- roles ------------------------------------------------------------------------------------
    roles_raw = r.table(raw, "roles", top) or {}
    roles: dict[str, str] = {}
    r.keys(roles_raw, _Place(("roles",)), tuple(ROLES), tuple(k for k, (_, need) in ROLES.items() if need))
    for role, path in roles_raw.items():
        if role not in ROLES or not isinstance(path, str):
            continue
        node = _resolve(report, path)
        kinds_ok = ROLES[role][0]
        if not isinstance(node, Value) or _rows_path(report, path):
            r.problem(_Place(("roles", role)), f"{path} 不是模板中某个部分的栏目（写成 部分.栏目，如 cover.dept_name）。")
        elif node.kind not in kinds_ok:
            r.problem(_Place(("roles", role)), f"{path} 的类型是 {node.kind}，{role} 应为 {'、'.join(kinds_ok)}。")
        else:
            roles[role] = path
    dept = roles.get("department")
    if dept:
        cover = _resolve(report, dept.rsplit(".", 1)[0])
        fields = set(cover.keys) if isinstance(cover, Record) else set()
        for path, value in _values(report):
            for token in re.findall(r"\{([a-z][a-z0-9_]*)\}", value.default or ""):
                if token not in fields:
                    r.problem(_Place(()), f"{path} 的默认文字中的 {{{token}}} 不是部门名称所在部分的栏目"
                                          f"（可用：{'、'.join(sorted(fields))}）。")

    # -- [basic_items] ----------------------------------------------------------------------------
    basic = _basic_items(r, r.table(raw, "basic_items", top), report)
    if basic is not None:
        report = _suggest_groups(report, basic)

    # -- the 指标体系 -------------------------------------------------------------------------------
    inline = None
    if "framework" in raw:
        inline = _framework(r, raw["framework"], source)
        if framework_id:
            r.problem(_Place(("template", "framework")), "指标体系写了 id 又写了 [framework]，请只留一处。")
    elif framework_id and frameworks:
        from models import framework as fw

        if fw.get(framework_id) is None:
            found = "、".join(f.id for f in fw.available())
            r.problem(_Place(("template", "framework")), f"找不到 id 为 {framework_id} 的指标体系（可用：{found}）。"
                                                         "请先安装该指标体系文件，或把它写在模板的 [framework] 中。")

    # -- rules --------------------------------------------------------------------------------------
    sums = {c.rule for t in tables for c in t.sums}
    rules, checks = _checks(r, r.items(raw, "rules", top), report, constants, sums, basic is not None,
                            framework_id is not None or inline is not None)
    layout = _layout(r, r.table(raw, "layout", top), report)
    paper, consolidation = _paper_words(r, raw, report)

    if r.problems:
        raise TemplateError(r.problems, source)
    assert tid and name and year and ver and title is not None
    return Template(
        id=tid, name=name, year=year, version=ver, issuer=issuer, title=title, report=report, rules=rules,
        checks=checks, roles=roles, institutions=b.institutions, bands=b.bands, value_notes=b.notes,
        opinions=tuple(b.opinions), narrative=narrative, basic_items=basic, constants=constants, layout=layout,
        framework_id=framework_id, framework=inline, paper=paper, consolidation=consolidation, source=source,
        data=data,
    )


def _values(node: Node, path: str = "") -> Iterator[tuple[str, Value]]:
    if isinstance(node, Value):
        yield path, node
    elif isinstance(node, Record):
        for child in node.children:
            yield from _values(child, f"{path}.{child.key}" if path else child.key)
    elif isinstance(node, Rows | InstitutionRows):
        yield from _values(node.row, path)


def _find_rows(report: Record, key: str) -> Node | None:
    """A table anywhere in the form by its key (Part B names its tables by key alone)."""
    def walk(node: Node) -> Node | None:
        if isinstance(node, Rows | InstitutionRows) and node.key == key:
            return node
        if isinstance(node, Record):
            for child in node.children:
                found = walk(child)
                if found is not None:
                    return found
        return None

    return walk(report)


def _replace_sections(report: Record, paths: set[str], texts: tuple[Value, ...]) -> Record:
    def walk(node: Node, path: str) -> Node:
        if isinstance(node, Record):
            if path in paths:
                return Record(node.key, node.label, texts, node.tab, node.omit_blank)
            children = tuple(walk(c, f"{path}.{c.key}" if path else c.key) for c in node.children)
            return Record(node.key, node.label, children, node.tab, node.omit_blank)
        return node

    out = walk(report, "")
    assert isinstance(out, Record)
    return out


def _suggest_groups(report: Record, basic: BasicItemsSpec) -> Record:
    """The group column of 基本支出明细 offers the groups' names."""
    names = tuple(g.name for g in basic.groups)

    def walk(node: Node, path: str) -> Node:
        if isinstance(node, Record):
            children = tuple(walk(c, f"{path}.{c.key}" if path else c.key) for c in node.children)
            return Record(node.key, node.label, children, node.tab, node.omit_blank)
        if isinstance(node, Rows) and path == basic.table:
            row = node.row
            columns = tuple(
                Value(**{**c.__dict__, "suggestions": names}) if isinstance(c, Value) and c.key == basic.column else c
                for c in row.children)
            return Rows(node.key, node.label, Record(row.key, row.label, columns, row.tab, row.omit_blank),
                        node.tab, node.merge, node.shown)
        return node

    out = walk(report, "")
    assert isinstance(out, Record)
    return out


def _basic_items(r: _Reader, raw: Mapping[str, Any] | None, report: Record) -> BasicItemsSpec | None:
    if raw is None:
        return None
    place = _Place(("basic_items",))
    r.keys(raw, place, ("table", "column", "groups"), ("table", "column", "groups"))
    table, column = r.text(raw, "table", place), r.text(raw, "column", place)
    node = _resolve(report, table) if table else None
    if table and not isinstance(node, Rows):
        r.problem(place.key("table"), f"{table} 不是模板中的表（rows）。")
    elif column and isinstance(node, Rows) and column not in node.row.keys:
        r.problem(place.key("column"), f"{column} 不是表 {table} 的栏目（栏目：{'、'.join(node.row.keys)}）。")
    groups: list[BasicGroup] = []
    for where, item in r.items(raw, "groups", place):
        r.keys(item, where, ("name", "total", "items"), ("name", "total"))
        name, total = r.text(item, "name", where), r.text(item, "total", where)
        target = _resolve(report, total) if total else None
        if total and (not isinstance(target, Value) or not isinstance(_resolve(report, total.split(".")[0]),
                                                                      InstitutionRows)):
            r.problem(where.key("total"), f"{total} 应为机构收支表的一栏，例如 \"expenditure.personnel\"。")
        if name and total:
            groups.append(BasicGroup(name, total, r.words(item, "items", where)))
    if not groups:
        r.problem(place.key("groups"), "至少要有一类，例如 { name = \"人员经费\", total = \"expenditure.personnel\" }。")
    if not (table and column) or r.problems:
        return None if not (table and column) else BasicItemsSpec(table, column, tuple(groups))
    return BasicItemsSpec(table, column, tuple(groups))


def _framework(r: _Reader, raw: Any, source: str) -> Any:
    from models import framework as fw

    if not isinstance(raw, dict):
        r.problem(_Place(("framework",)), "应为表：[framework] 下写出指标体系（与指标体系文件的内容相同）。")
        return None
    data = {"format": fw.FORMAT, "format_version": fw.FORMAT_VERSION, **raw}
    try:
        return fw.parse(data, source)
    except fw.FrameworkError as exc:
        for problem in exc.problems:
            r.problem(_Place(("framework",)), problem)
        return None


def _layout(r: _Reader, raw: Mapping[str, Any] | None, report: Record) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path, hints in (raw or {}).items():
        place = _Place(("layout", path))
        if not isinstance(hints, dict):
            r.problem(place, "应为表，例如 [layout.indicators] 下写 widths = [1, 2, 2]。")
            continue
        if path == "page":
            r.keys(hints, place, tuple(PAGE_HINTS))
            if hints.get("orientation", "portrait") not in ("portrait", "landscape"):
                r.problem(place.key("orientation"), "纸张方向应为 \"portrait\"（纵向）或 \"landscape\"（横向）。")
            out[path] = dict(hints)
            continue
        node = _resolve(report, path)
        if node is None or path == "":
            r.problem(place, f"{path} 不是模板中的部分或栏目：打印提示按部分的键写，例如 [layout.indicators]。")
            continue
        r.keys(hints, place, tuple(LAYOUT_HINTS))
        widths = hints.get("widths")
        if widths is not None:
            columns = _printed_columns(node)
            if (not isinstance(widths, list) or not all(isinstance(w, int | float) and not isinstance(w, bool)
                                                        and w > 0 for w in widths)):
                r.problem(place.key("widths"), "widths 应为正数的列表，例如 [1, 2, 2]。")
            elif columns is not None and len(widths) != columns:
                r.problem(place.key("widths"), f"这张表打印 {columns} 栏，widths 却有 {len(widths)} 个数。")
        if "lines" in hints:
            r.integer(hints, "lines", place, 1, 40)
        if "per_row" in hints:
            r.integer(hints, "per_row", place, 1, 4)
        if "page_break" in hints:
            r.flag(hints, "page_break", place)
        out[path] = dict(hints)
    return out


def _paper_words(r: _Reader, raw: Mapping[str, Any], report: Record
                 ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``[paper]`` and ``[consolidation]``: every word :mod:`models.paper` names, none else.
    A template prints with the program only when it has both."""
    from models import paper

    out: list[dict[str, Any] | None] = []
    for name, cls in (("paper", paper.Paper), ("consolidation", paper.Consolidation)):
        table = r.table(raw, name, _Place())
        out.append(None if table is None else _words_of(r, table, cls, _Place((name,))))
    if ("paper" in raw) != ("consolidation" in raw):
        r.problem(_Place(("paper" if "paper" not in raw else "consolidation",)),
                  "[paper] 和 [consolidation] 要一起写：打印稿和汇总表上的字都要有。")
    groups = (out[1] or {}).get("figure_groups") or {}
    for key in groups:
        if not isinstance(_resolve(report, key), InstitutionRows):
            r.problem(_Place(("consolidation", "figure_groups")),
                      f"{key} 不是模板中每个机构一行的表（institution_rows）的键。")
    return out[0], out[1]


def _words_of(r: _Reader, raw: Mapping[str, Any], cls: type[Any], place: _Place) -> dict[str, Any] | None:
    import dataclasses as dc

    names = tuple(f.name for f in dc.fields(cls))
    r.keys(raw, place, names, names)
    out: dict[str, Any] = {}
    for f in dc.fields(cls):
        if f.name not in raw:
            continue
        kind = str(f.type)
        if kind == "Sheets":
            from models.paper import Sheets

            table = r.table(raw, f.name, place)
            out[f.name] = None if table is None else _words_of(r, table, Sheets, place.key(f.name))
        elif kind.startswith("tuple"):
            listed = r.words(raw, f.name, place, empty=False)
            if kind == "tuple[str, str]" and listed and len(listed) != 2:
                r.problem(place.key(f.name), f"应为两项文字的列表，例如 {f.name} = [\"甲\", \"乙\"]。")
            out[f.name] = list(listed)
        elif kind.startswith("dict"):
            table = r.table(raw, f.name, place) or {}
            if not all(isinstance(v, str) and v.strip() for v in table.values()):
                r.problem(place.key(f.name), f"应写成 {f.name} = {{ 键 = \"文字\" }}，每项都是文字。")
            out[f.name] = {k: v.strip() for k, v in table.items() if isinstance(v, str)}
        else:
            out[f.name] = r.text(raw, f.name, place)
    return out if all(v is not None for v in out.values()) and len(out) == len(names) else None


def _printed_columns(node: Node) -> int | None:
    if isinstance(node, InstitutionRows):
        return 1 + len(node.columns)
    if isinstance(node, Rows):
        return len(node.form_columns)
    if isinstance(node, Record):
        return 2
    return None


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

_TOML_MESSAGES = (
    ("Invalid value", "这里的值无法识别（文字要加英文双引号，数字不加，列表写在 [ ] 中）"),
    ("Expected '=' after a key", "键后面应为 =（键 = 值）"),
    ("Invalid statement", "这一行无法识别（每行应为「键 = 值」、[表名] 或 [[表名]]）"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Unclosed array", "列表的方括号 [ ] 没有配对"),
    ("Unclosed inline table", "花括号 { } 没有配对，或 { } 中换了行（{ } 必须写在一行内）"),
    ("Unterminated string", "文字的双引号没有配对"),
    ("Illegal character", "含有不允许的字符（如文字中的换行，请用三个引号的多行文字）"),
    ("Invalid initial character for a key part", "键只能用英文字母、数字、下划线和横线"),
    ("Expected newline or end of document", "一行只能写一个「键 = 值」"),
    ("Invalid hex value", "转义字符写法有误"),
    ("Unescaped", "文字中的反斜杠 \\ 要写成 \\\\"),
)


def _toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else ("文件末尾" if "end of document" in text else "")
    what = next((zh for en, zh in _TOML_MESSAGES if text.startswith(en)), "TOML 格式有误")
    head = f"{where}：" if where else ""
    return f"{head}{what}。TOML 的写法见使用说明「表样模板」一节。"


def load_bytes(data: bytes, source: str, *, frameworks: bool = True) -> Template:
    """Read and check a template from its file's bytes (a package carries them)."""
    if len(data) > MAX_BYTES:
        raise TemplateError([f"文件过大（超过 {MAX_BYTES // 1024} KB），不是表样模板文件。"], source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(["文件不是 UTF-8 编码的文本：请在记事本或 WPS 中另存为 UTF-8 编码。"], source) from None
    import tomllib

    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise TemplateError([f"文件有 {lines} 行（表样模板最多 {MAX_LINES} 行），不是表样模板文件。"], source)
    deep = _DEEP_KEY.search(text)
    if deep is not None:
        line = text.count("\n", 0, deep.start()) + 1
        raise TemplateError([f"第 {line} 行：键的层次过多（一个键最多 {MAX_KEY_PARTS} 层，例如 kinds.money 为 2 层），"
                             "不是表样模板文件。"], source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError([_toml_problem(exc)], source) from None
    except RecursionError:
        raise TemplateError(["嵌套过深，不是表样模板文件。"], source) from None
    try:
        return parse(raw, source, text, data, frameworks=frameworks)
    except _TooMany as many:
        raise TemplateError(many.problems, source, more=True) from None
    except RecursionError:
        raise TemplateError(["嵌套过深，不是表样模板文件。"], source) from None


def load_file(path: str | Path, *, frameworks: bool = True) -> Template:
    """Read and check one template file."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        from models.fileio import describe

        raise TemplateError([f"无法读取文件：{describe(exc)}。"], name) from None
    return load_bytes(data, name, frameworks=frameworks)


def shipped() -> list[Template]:
    """The templates that come with the program, in the order of their file names."""
    return [load_file(p) for p in sorted(SHIPPED.glob("*.toml"))]


@functools.cache
def default() -> Template:
    """The Hunan 2023 template shipped with the program: the form of every report that
    names no template. Read once a run, from the cache when the file was read before."""
    return cached(SHIPPED / f"{DEFAULT_ID}.toml")


def _cache_file(data: bytes) -> Path:
    """Where the template read from ``data`` is kept ready, for this program's code: the
    key covers the file's bytes and the modules that read it and make its nodes."""
    import platformdirs

    stamp = hashlib.sha256(data)
    for module in (__file__, *_READERS):
        try:
            info = Path(module).stat()
            stamp.update(f"{module}:{info.st_mtime_ns}:{info.st_size};".encode())
        except OSError:
            stamp.update(module.encode())
    return Path(platformdirs.user_cache_dir("ziping", appauthor=False)) / "templates" / f"{stamp.hexdigest()[:32]}.pickle"


#: What a cache file starts with; then the SHA-256 of the rest, then the pickled template.
_CACHE_MAGIC = b"ziping-template-cache 1\n"
#: A cached template is tens of kilobytes: a file far larger is not one of ours.
_CACHE_MAX = 16 * MAX_BYTES
#: The only things a cache file may name: the template's own classes and Decimal. A file
#: someone else put there cannot make the program run anything else.
_CACHE_MODULES = ("models.nodes", "models.template", "models.formula", "models.paper")


def _cache_dump(template: Template) -> bytes:
    import pickle

    body = pickle.dumps(template, protocol=pickle.HIGHEST_PROTOCOL)
    return _CACHE_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def _cache_load(blob: bytes) -> Any:
    """The object a cache file holds, or None where it is damaged, cut short or not ours."""
    import io
    import pickle

    head = len(_CACHE_MAGIC)
    if not blob.startswith(_CACHE_MAGIC) or blob[head + 64:head + 65] != b"\n":
        return None
    body = blob[head + 65:]
    if hashlib.sha256(body).hexdigest().encode("ascii") != blob[head:head + 64]:
        return None

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) == ("decimal", "Decimal"):
                return Decimal
            if module in _CACHE_MODULES:
                found = getattr(__import__(module, fromlist=[name]), name, None)
                if isinstance(found, type) and dataclasses.is_dataclass(found):
                    return found
            raise pickle.UnpicklingError(f"{module}.{name}")

    return Restricted(io.BytesIO(body)).load()


def cached(path: Path) -> Template:
    """A shipped template (checked as it ships, its 指标体系 not looked up), from a cache
    of the program's own: reading and checking the file is most of the form's share of
    the window's start. A cache file that is damaged, cut short, of another template or
    not the program's own is passed over (it carries the SHA-256 of its content and may
    name only the template's classes); the file is read again and the cache rewritten.
    A cache folder that cannot be written only means reading the file next time too."""
    data = path.read_bytes()
    where = _cache_file(data)
    try:
        found = None
        if where.stat().st_size <= _CACHE_MAX:
            found = _cache_load(where.read_bytes())
        if isinstance(found, Template) and found.data == data:
            return found if found.source == str(path) else dataclasses.replace(found, source=str(path))
    except Exception:  # noqa: BLE001 - a stale or damaged cache is only a slower start
        pass
    template = load_bytes(data, str(path), frameworks=False)
    try:
        from models.fileio import write_atomic

        where.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(where, _cache_dump(template))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only a slower start
        pass
    return template
