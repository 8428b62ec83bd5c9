"""指标体系: which 一级/二级/三级 lines a 自评表 has, their 分值 and 评分标准 — as data.

A framework is one JSON file (``resources/frameworks/*.json`` ships Hunan's and a
second of another shape, found through :mod:`models.resources`); a county's own is one more file, put in the
``frameworks`` folder of the program's data directory (beside the database),
where a file with the id of a shipped one replaces it. Every label the 自评表
prints — the title, the column headings, the names of the lines, the words
for 指标性质 and 达成程度, the 评分标准 — is in the file; none is in code.

The shape::

    {"format": "ziping-framework", "format_version": 1,
     "id": "hunan", "name": "…", "source": "what the file is based on",
     "attachment": "附件2", "title": "市级预算部门整体支出绩效自评表",
     "columns": {"level1": "一级指标", …, "total": "合计"},
     "natures": [{"name": "正向", "kind": "higher", "criteria": "…"}, …],
     "attainment": [{"name": "达成", "share": "1"}, …],
     "measures": [{"measure": "budget_execution", "nature": "正向", "target": "100%", "criteria": "…"}],
     "level1": [{"id": "output", "name": "产出", "weight": "50", "indicators": ["产出目标"],
                 "level2": [{"id": "cost", "name": "成本指标", "nature": "反向"}, …]}, …]}

A 一级 or 二级 line with ``indicators`` takes the report's 定量指标 rows whose
评价内容 is one of those words (a 一级 line's rows choose their 二级 line by
their ``category``); a 二级 line's ``lines`` are fixed 三级 lines of the
framework itself (预算执行率, 绩效目标合理性 …). :func:`load_file` reads and checks
a file and raises :class:`FrameworkError` naming every problem by its place
in the file (``level1[2].level2[1].weight``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from models import resources
from models.errors import InputError
from models.measures import MEASURES_BY_KEY

FORMAT = "ziping-framework"
FORMAT_VERSION = 1
DEFAULT = "hunan"
SHIPPED = resources.path("frameworks")
#: Kinds of 指标性质 the program computes: higher is better, lower is better, 定性.
KINDS = ("higher", "lower", "qualitative")
COLUMNS = ("level1", "level2", "level3", "weight", "score", "criteria", "target", "actual", "reason", "total")
MAX_BYTES = 1024 * 1024


class FrameworkError(InputError):
    """A framework file that cannot be used; carries every problem."""

    def __init__(self, problems: list[str], source: str) -> None:
        self.problems = list(problems)
        head = f"指标体系文件「{source}」无法使用："
        if len(problems) == 1:
            text = head + problems[0]
        else:
            text = head + f"共 {len(problems)} 处问题\n" + "\n".join(f"  {i}. {p}" for i, p in enumerate(problems, 1))
        super().__init__(text)


@dataclass(frozen=True)
class Nature:
    name: str
    kind: str
    criteria: str


@dataclass(frozen=True)
class Attainment:
    name: str
    share: Decimal


@dataclass(frozen=True)
class MeasureRule:
    """How the framework scores a rate the figures give (预算执行率 …)."""

    measure: str
    nature: str
    target: str
    criteria: str


@dataclass(frozen=True)
class Line:
    """A fixed 三级 line of the framework (not a 定量指标 row)."""

    id: str
    name: str
    weight: Decimal
    measure: str | None = None
    nature: str | None = None
    target: str | None = None
    criteria: str | None = None


@dataclass(frozen=True)
class Level2:
    id: str
    name: str
    weight: Decimal | None = None
    lines: tuple[Line, ...] = ()
    indicators: tuple[str, ...] = ()
    #: 指标性质 of its 定量指标 rows when a row names none (成本指标: 反向).
    nature: str | None = None
    criteria: str | None = None


@dataclass(frozen=True)
class Level1:
    id: str
    name: str
    weight: Decimal
    level2: tuple[Level2, ...] = ()
    indicators: tuple[str, ...] = ()
    #: Other names the 一级指标得分 table may give it (投入指标 for 投入).
    aliases: tuple[str, ...] = ()
    criteria: str | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    source: str
    attachment: str
    title: str
    columns: dict[str, str]
    natures: tuple[Nature, ...]
    attainment: tuple[Attainment, ...]
    measures: dict[str, MeasureRule]
    level1: tuple[Level1, ...]
    path: str = ""
    _level2: dict[str, tuple[Level1, Level2]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for top in self.level1:
            for second in top.level2:
                self._level2[second.id] = (top, second)

    def nature(self, name: str | None) -> Nature | None:
        return next((n for n in self.natures if n.name == name), None)

    def nature_of_kind(self, kind: str) -> Nature:
        return next(n for n in self.natures if n.kind == kind)

    def attainment_share(self, name: str | None) -> Decimal | None:
        return next((a.share for a in self.attainment if a.name == name), None)

    def level2(self, id: str | None) -> tuple[Level1, Level2] | None:  # noqa: A002 - the file's key
        return self._level2.get(id or "")

    def lines(self) -> list[tuple[Level1, Level2, Line]]:
        return [(a, b, c) for a in self.level1 for b in a.level2 for c in b.lines]

    def line(self, id: str | None) -> tuple[Level1, Level2, Line] | None:  # noqa: A002
        return next((t for t in self.lines() if t[2].id == id), None)

    def taker(self, word: str | None) -> tuple[Level1, Level2 | None] | None:
        """The line that takes 定量指标 rows of this 评价内容: a 一级 (rows choose their
        二级) or a 二级 line."""
        if not word:
            return None
        for top in self.level1:
            if word in top.indicators:
                return top, None
            for second in top.level2:
                if word in second.indicators:
                    return top, second
        return None

    def level1_named(self, name: str | None) -> Level1 | None:
        """The 一级 line a row of 一级指标得分 names (by name or alias)."""
        if not name:
            return None
        key = _plain(name)
        for top in self.level1:
            if key in (_plain(top.name), *(_plain(a) for a in top.aliases)):
                return top
        return None

    def category_choices(self, word: str | None) -> tuple[Level2, ...]:
        """The 二级 lines a 定量指标 row of this 评价内容 may be placed under."""
        taken = self.taker(word)
        if taken is None:
            return ()
        top, second = taken
        if second is not None:
            return (second,)
        return tuple(b for b in top.level2 if not b.lines)

    def category_id(self, text: str | None, word: str | None = None) -> str | None:
        """A 二级 line's id from its id, name or a name without 指标 (成本 → cost)."""
        if not text:
            return None
        key = _plain(text)
        pool = self.category_choices(word) or tuple(b for a in self.level1 for b in a.level2)
        for second in pool:
            if key in (second.id, _plain(second.name), _plain(second.name).removesuffix("指标")):
                return second.id
        return None


def _plain(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"'‘’")


# ---------------------------------------------------------------------------
# Reading and checking a file
# ---------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}：{text}" if where else text)

    def keys(self, raw: dict[str, Any], where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        unknown = [k for k in raw if k not in required + optional]
        if unknown:
            self.problem(where, f"未知的键 {'、'.join(unknown)}（可用的键：{'、'.join(required + optional)}）。")
        for key in required:
            if key not in raw:
                self.problem(where, f"缺少键 {key}。")

    def text(self, raw: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{where}.{key}" if where else key, f"应为非空的文字，而不是 {value!r}。")
            return None
        return value.strip()

    def weight(self, raw: dict[str, Any], where: str) -> Decimal | None:
        value = raw.get("weight")
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            weight = Decimal(value)
            if not weight.is_finite() or weight <= 0 or weight > 100 or weight != weight.quantize(Decimal("0.1")):
                raise InvalidOperation
        except InvalidOperation:
            self.problem(f"{where}.weight", f"分值应写成字符串形式的正数（最多一位小数，不超过 100），例如 \"10\"，而不是 {value!r}。")
            return None
        return weight

    def words(self, raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{where}.{key}", "应为文字的列表，例如 [\"产出目标\"]。")
            return ()
        return tuple(v.strip() for v in value)

    def items(self, raw: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            self.problem(f"{where}.{key}" if where else key, "应为列表（[…]）。")
            return []
        out = []
        for i, item in enumerate(value):
            place = f"{where}.{key}[{i}]" if where else f"{key}[{i}]"
            if not isinstance(item, dict):
                self.problem(place, "应为对象（{…}）。")
                continue
            out.append((place, item))
        return out


def parse(raw: Any, source: str) -> Framework:
    """A framework from its JSON data; raises :class:`FrameworkError` listing every problem."""
    from models.quantity import parse as parse_quantity

    r = _Reader()
    if not isinstance(raw, dict):
        raise FrameworkError(["内容应为一个对象（{…}）。"], source)
    if raw.get("format") != FORMAT:
        raise FrameworkError([f"这不是指标体系文件（format 应为 \"{FORMAT}\"，实为 {raw.get('format')!r}）。"], source)
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FrameworkError([f"format_version 应为正整数，实为 {version!r}。"], source)
    if version > FORMAT_VERSION:
        raise FrameworkError([f"文件格式版本为 {version}，本程序只支持到版本 {FORMAT_VERSION}，请升级程序。"], source)
    r.keys(raw, "", ("format", "format_version", "id", "name", "source", "attachment", "title", "columns",
                     "natures", "attainment", "level1"), ("measures",))
    texts = {k: r.text(raw, k, "") for k in ("id", "name", "source", "attachment", "title")}

    columns: dict[str, str] = {}
    raw_columns = raw.get("columns")
    if isinstance(raw_columns, dict):
        r.keys(raw_columns, "columns", COLUMNS, ())
        for key in COLUMNS:
            value = r.text(raw_columns, key, "columns")
            if value:
                columns[key] = value
    elif raw_columns is not None:
        r.problem("columns", "应为对象，列出各栏的表头文字。")

    natures: list[Nature] = []
    for where, item in r.items(raw, "natures", ""):
        r.keys(item, where, ("name", "kind", "criteria"), ())
        name, kind, criteria = (r.text(item, k, where) for k in ("name", "kind", "criteria"))
        if kind is not None and kind not in KINDS:
            r.problem(f"{where}.kind", f"应为 {'、'.join(KINDS)} 之一（higher 正向、lower 反向、qualitative 定性），而不是 {kind!r}。")
        elif name and kind and criteria:
            natures.append(Nature(name, kind, criteria))
    for kind in KINDS:
        if natures and not any(n.kind == kind for n in natures):
            r.problem("natures", f"缺少 kind 为 {kind} 的指标性质。")
    # every named 指标性质 counts as known, so one bad entry is one problem, not a cascade
    nature_names = {str(i.get("name")) for _, i in r.items(raw, "natures", "") if isinstance(i.get("name"), str)}
    r.problems = list(dict.fromkeys(r.problems))

    def known_nature(value: str | None, where: str) -> str | None:
        if value is not None and natures and value not in nature_names:
            r.problem(where, f"指标性质「{value}」不在 natures 中（可用：{'、'.join(sorted(nature_names))}）。")
            return None
        return value

    attainment: list[Attainment] = []
    for where, item in r.items(raw, "attainment", ""):
        r.keys(item, where, ("name", "share"), ())
        name = r.text(item, "name", where)
        share = item.get("share")
        try:
            portion = Decimal(share) if isinstance(share, str) else None
        except InvalidOperation:
            portion = None
        if portion is None or not portion.is_finite() or not (0 <= portion <= 1):
            r.problem(f"{where}.share", f"应为 \"0\" 到 \"1\" 之间的数（得分占分值的比例），而不是 {share!r}。")
        elif name:
            attainment.append(Attainment(name, portion))
    if not attainment and "attainment" in raw and isinstance(raw["attainment"], list) and not raw["attainment"]:
        r.problem("attainment", "至少要有一档达成程度，例如 {\"name\": \"达成\", \"share\": \"1\"}。")

    measures: dict[str, MeasureRule] = {}
    for where, item in r.items(raw, "measures", ""):
        r.keys(item, where, ("measure", "nature", "target", "criteria"), ())
        mkey, target, criteria = (r.text(item, k, where) for k in ("measure", "target", "criteria"))
        nature = r.text(item, "nature", where)
        known_nature(nature, f"{where}.nature")
        if mkey is not None and mkey not in MEASURES_BY_KEY:
            r.problem(f"{where}.measure", f"不认识的比率「{mkey}」（可用：{'、'.join(MEASURES_BY_KEY)}）。")
        elif target is not None and parse_quantity(target) is None:
            r.problem(f"{where}.target", f"目标值「{target}」读不出数字，例如应写成 \"100%\"。")
        elif mkey and nature and target and criteria:
            if mkey in measures:
                r.problem(where, f"比率「{mkey}」重复列出。")
            measures[mkey] = MeasureRule(mkey, nature, target, criteria)

    ids: set[str] = set()
    taken: dict[str, str] = {}

    def unique(value: str | None, where: str) -> None:
        if value is None:
            return
        if value in ids:
            r.problem(f"{where}.id", f"id「{value}」重复：每个一级、二级、三级指标的 id 都应不同。")
        ids.add(value)

    def takes(words: tuple[str, ...], where: str) -> None:
        for word in words:
            if word in taken:
                r.problem(f"{where}.indicators", f"评价内容「{word}」已由 {taken[word]} 接收，不能重复。")
            taken[word] = where

    level1: list[Level1] = []
    for where1, item1 in r.items(raw, "level1", ""):
        r.keys(item1, where1, ("id", "name", "weight", "level2"), ("indicators", "aliases", "criteria"))
        id1, name1 = r.text(item1, "id", where1), r.text(item1, "name", where1)
        unique(id1, where1)
        weight1 = r.weight(item1, where1)
        if "weight" in item1 and weight1 is None:
            pass
        elif weight1 is None:
            r.problem(where1, "一级指标必须有分值（weight）。")
        words1 = r.words(item1, "indicators", where1)
        takes(words1, where1)
        seconds: list[Level2] = []
        for where2, item2 in r.items(item1, "level2", where1):
            r.keys(item2, where2, ("id", "name"), ("weight", "lines", "indicators", "nature", "criteria"))
            id2, name2 = r.text(item2, "id", where2), r.text(item2, "name", where2)
            unique(id2, where2)
            weight2 = r.weight(item2, where2)
            words2 = r.words(item2, "indicators", where2)
            takes(words2, where2)
            nature2 = known_nature(r.text(item2, "nature", where2), f"{where2}.nature")
            lines: list[Line] = []
            for where3, item3 in r.items(item2, "lines", where2):
                r.keys(item3, where3, ("id", "name", "weight"), ("measure", "nature", "target", "criteria"))
                id3, name3 = r.text(item3, "id", where3), r.text(item3, "name", where3)
                unique(id3, where3)
                weight3 = r.weight(item3, where3)
                measure = r.text(item3, "measure", where3)
                nature3 = known_nature(r.text(item3, "nature", where3), f"{where3}.nature")
                target = r.text(item3, "target", where3)
                if measure is not None and measure not in measures:
                    r.problem(f"{where3}.measure", f"比率「{measure}」没有在 measures 中给出评分办法。")
                if measure is None and nature3 is None:
                    r.problem(where3, "三级指标应给出 measure（按比率计分）或 nature（指标性质）。")
                if target is not None and parse_quantity(target) is None:
                    r.problem(f"{where3}.target", f"目标值「{target}」读不出数字。")
                if id3 and name3 and weight3 is not None:
                    lines.append(Line(id3, name3, weight3, measure, nature3, target, r.text(item3, "criteria", where3)))
            if item2.get("lines") and words2:
                r.problem(where2, "二级指标不能既有固定的三级指标（lines）又接收定量指标（indicators）。")
            if not item2.get("lines") and not words2 and not words1:
                r.problem(where2, "二级指标应有三级指标（lines），或接收定量指标（indicators），或其一级指标接收定量指标。")
            if weight2 is not None and lines and all(x.weight is not None for x in lines):
                total = sum((x.weight for x in lines), Decimal(0))
                if total != weight2:
                    r.problem(where2, f"三级指标分值合计 {total}，与二级指标分值 {weight2} 不符。")
            if id2 and name2:
                seconds.append(Level2(id2, name2, weight2, tuple(lines), words2, nature2,
                                      r.text(item2, "criteria", where2)))
        if not seconds and "level2" in item1:
            r.problem(f"{where1}.level2", "至少要有一个二级指标。")
        if weight1 is not None and seconds and all(b.weight is not None for b in seconds):
            total = sum((b.weight for b in seconds if b.weight is not None), Decimal(0))
            if total != weight1:
                r.problem(where1, f"二级指标分值合计 {total}，与一级指标分值 {weight1} 不符。")
        if id1 and name1 and weight1 is not None:
            level1.append(Level1(id1, name1, weight1, tuple(seconds), words1, r.words(item1, "aliases", where1),
                                 r.text(item1, "criteria", where1)))
    if not level1 and not r.problems:
        r.problem("level1", "至少要有一个一级指标。")
    total = sum((a.weight for a in level1), Decimal(0))
    if level1 and len(level1) == len(raw.get("level1") or []) and total != 100:
        r.problem("level1", f"一级指标分值合计 {total}，应为 100。")
    if r.problems:
        raise FrameworkError(r.problems, source)
    assert all(texts.values())
    return Framework(
        id=str(texts["id"]), name=str(texts["name"]), source=str(texts["source"]),
        attachment=str(texts["attachment"]), title=str(texts["title"]), columns=columns,
        natures=tuple(natures), attainment=tuple(attainment), measures=measures, level1=tuple(level1),
        path=source,
    )


def load_file(path: str | Path) -> Framework:
    """Read and check one framework file."""
    name = str(path)
    try:
        data = Path(path).read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise FrameworkError([f"无法读取文件（{exc.strerror or exc}）。"], name) from None
    if len(data) > MAX_BYTES:
        raise FrameworkError(["文件过大，不是指标体系文件。"], name)
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FrameworkError(["文件不是 UTF-8 编码的文本。"], name) from None
    except json.JSONDecodeError as exc:
        raise FrameworkError([f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近：{exc.msg}）。"], name) from None
    except (ValueError, RecursionError):
        raise FrameworkError(["不是有效的 JSON。"], name) from None
    return parse(raw, name)


# ---------------------------------------------------------------------------
# Where frameworks are found
# ---------------------------------------------------------------------------


def user_directory() -> Path:
    """Where a county's own framework files go: ``frameworks`` beside the database."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ziping", appauthor=False)) / "frameworks"


class _Found:
    """The frameworks found, loaded once. ``extra``: folders searched after the shipped
    one (a later folder's file replaces an earlier one with the same id); None: the
    user's data directory, looked up when first needed."""

    def __init__(self) -> None:
        self.extra: list[Path] | None = None
        self.cache: dict[str, Framework] | None = None
        self.problems: list[str] = []

    def load(self) -> dict[str, Framework]:
        if self.cache is not None:
            return self.cache
        if self.extra is None:
            self.extra = [user_directory()]
        found: dict[str, Framework] = {}
        problems: list[str] = []
        for folder in [SHIPPED, *self.extra]:
            try:
                files = sorted(folder.glob("*.json"))
            except OSError:
                continue
            for path in files:
                try:
                    framework = load_file(path)
                except FrameworkError as exc:
                    problems.append(str(exc))
                    continue
                found[framework.id] = framework
        self.problems = problems
        self.cache = found
        return found


_found = _Found()


def use_directories(folders: list[Path] | None) -> None:
    """Search these folders (after the shipped one) from now on; None: the default."""
    _found.extra = None if folders is None else list(folders)
    _found.cache = None


def _load_all() -> dict[str, Framework]:
    return _found.load()


def available() -> list[Framework]:
    """Every framework found, the default first."""
    frameworks = _load_all()
    return sorted(frameworks.values(), key=lambda f: (f.id != DEFAULT, f.id))


def problems() -> list[str]:
    """Why any framework file found could not be used."""
    _load_all()
    return list(_found.problems)


def get(id: str | None) -> Framework | None:  # noqa: A002 - the file's key
    """The framework of this id (the default for None); None when none is found."""
    return _load_all().get(id or DEFAULT)
