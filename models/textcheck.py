"""审核 of Part B's text against the tables: what the sentences say about the figures.

A reviewer reads 「一共42个专项」 beside 36 listed projects, or 「固定资产总额73.04万元」
beside 73.22 in the table; these rules read the same. They recognise the
sentence forms reports use — ``X万元``, ``共N个``, ``得N分``, ``扣N分``, ``N%`` —
right after a label the form knows (``固定资产总额``, ``收入预算``, ``投入``, …),
and compare the figure with the table's. A sentence form they do not know is
left alone: a warning that is wrong costs a clerk's trust.

Where a section is one the figures can write (:data:`models.narrative.GENERATORS`)
the text is also laid beside what the figures write now, and every figure that
differs under the same words is named (``text.generated``).

Each check yields ``(rule, cells, message)``; :mod:`models.rules` makes them
findings. The first cell is the table's figure, so that two claims about
different figures of one section keep separate 出错说明.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from models import form, measures
from models import narrative as gen
from models.money import format_decimal
from models.report import Report

SECTIONS = "narrative.sections"
Claim = tuple[str, list[str], str]

#: What may stand before a label in a clause: years, 本单位, 其中, …
_FILLER = re.compile(
    r"^(?:\d{4}年度|\d{4}年|\d{4}|本年度|本年|全年|本单位|本部门|我单位|我局|所有|其中|实际|"
    r"一般公共预算|财政拨款|部门)+"
)
#: What may stand between a label and its figure.
_LINK = re.compile(r"(?:为|是|共|共计|合计|计|达|总额|总数|金额|总计)+$")
#: A figure with a unit of money.
_MONEY = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|万)(?![\u4e00-\u9fff]*[/每])")

#: Words reports use for the form's figures, beyond the form's own labels.
ALIASES: dict[str, str] = {
    "收入预算": "narrative.budget.income_budget",
    "支出预算": "narrative.budget.expenditure_budget",
    "预算安排公用经费": "narrative.budget.public_use_budget",
    "公用经费预算": "narrative.budget.public_use_budget",
    "三公经费预算": "narrative.budget.three_public_budget",
    "政府采购预算": "narrative.budget.procurement_budget",
    "政府采购": "narrative.budget.procurement_actual",
    "政府采购数": "narrative.budget.procurement_actual",
    "收入决算": "income.summary.total",
    "收入": "income.summary.total",
    "支出决算": "expenditure.summary.total",
    "支出公用经费": "expenditure.summary.public_use",
    "三公经费": "three_public.summary.total",
    "三公经费支出": "three_public.summary.total",
    "固定资产": "assets.summary.total",
    "政府性基金": "income.summary.gov_fund",
    "政府性基金预算支出": "income.summary.gov_fund",
    # 二、's sentences describe the department's own row, as its generators write them.
    "基本支出": "expenditure.0.basic",
    "人员经费": "expenditure.0.personnel",
    "公用经费": "expenditure.0.public_use",
    "项目支出": "expenditure.0.project",
    "市级专项资金": "expenditure.0.project",
}

#: The tables whose figures a sentence may state, with the row it means.
_OWN_ROW = {"basic", "personnel", "public_use", "project"}


def _vocabulary() -> dict[str, str]:
    words: dict[str, str] = {}
    for table in form.INSTITUTION_TABLES:
        for column in table.columns:
            if len(column.label) >= 3:
                row = "0" if table is form.EXPENDITURE and column.key in _OWN_ROW else "summary"
                words[column.label] = f"{table.key}.{row}.{column.key}"
    for value in form.BUDGET.values():
        words[value.label] = f"narrative.budget.{value.key}"
        if value.label.endswith("数"):
            words.setdefault(value.label[:-1], f"narrative.budget.{value.key}")
    words.update(ALIASES)
    return words


VOCABULARY = _vocabulary()


def _label_of(clause: str) -> str | None:
    """The form's figure a clause names, once fillers and links are taken away."""
    text = gen.plain(clause)
    text = _LINK.sub("", _FILLER.sub("", text))
    if text in VOCABULARY:
        return text
    return None


def figure_name(report: Report, path: str) -> str:
    """Where a figure sits, as a clerk reads it: 固定资产表「局机关及二级机构汇总」的固定资产合计."""
    parts = path.split(".")
    if parts[0] == "narrative" and parts[1] == "budget":
        return f"「{form.BUDGET.label}」中的{form.BUDGET.child(parts[2]).label}"
    table = next(t for t in form.INSTITUTION_TABLES if t.key == parts[0])
    row = form.SUMMARY_LABEL if parts[1] == "summary" else form.institution_label(0, report.institutions[0])
    title = table.label.replace("（万元）", "").replace("部门（单位）", "")
    return f"{title}「{row}」的{table.row.child(parts[2]).label}"


def _diff(a: Decimal, b: Decimal) -> str:
    return format_decimal(abs(a - b))


def _show(value: Decimal) -> str:
    return format_decimal(value.normalize()) if value == value.to_integral() else format_decimal(value)


def _wan(value: Decimal) -> str:
    """A converted amount in 万元, without trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class _Section:
    key: str
    text: str
    #: Character spans of the text already read by a rule (matched or not).
    claimed: list[tuple[int, int]]

    @property
    def path(self) -> str:
        return f"{SECTIONS}.{self.key}"

    @property
    def title(self) -> str:
        return form.section_title(self.key)

    def claim(self, start: int, end: int) -> None:
        self.claimed.append((start, end))

    def is_claimed(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.claimed)


def _sections(report: Report) -> list[_Section]:
    texts = report.data["narrative"]["sections"]
    return [_Section(key, texts[key], []) for key in form.SECTION_PLACES if texts.get(key)]


_BOUNDARY_CHARS = frozenset("，。；：:,;！？!?\n（(、）)")


def _clause_before(text: str, start: int) -> tuple[int, str]:
    """The clause that ends at ``start``: back to the last punctuation mark (clauses are short)."""
    cut = start
    while cut > 0 and text[cut - 1] not in _BOUNDARY_CHARS:
        cut -= 1
    return cut, text[cut:start]


# ---------------------------------------------------------------------------
# X万元 beside a label the form knows
# ---------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _money_mentions(text: str) -> tuple[tuple[int, int, str, str, str, str], ...]:
    """(start, end, clause, label, number, unit) of each amount after a known label.
    Texts change far less often than the figures are checked: kept per text."""
    out = []
    for m in _MONEY.finditer(text):
        cut, clause = _clause_before(text, m.start())
        label = _label_of(clause)
        if label is not None:
            out.append((cut, m.end(), clause, label, m.group("num"), m.group("unit")))
    return tuple(out)


def money_claims(report: Report, section: _Section) -> Iterator[Claim]:
    for cut, end, clause, label, number, unit in _money_mentions(section.text):
        section.claim(cut, end)
        path = VOCABULARY[label]
        stated = measures.figure(report, path)
        if stated is None:
            continue
        num = Decimal(number)
        in_wan = {"万元": num, "万": num, "亿元": num * 10000, "元": num / 10000}[unit]
        if in_wan == stated:
            continue
        said = f"{clause.strip()}{number}{unit}"
        where = figure_name(report, path)
        cells = [path, section.path]
        if unit == "元" and num == stated:
            yield (
                "text.unit",
                cells,
                f"{section.title}：正文写「{said}」，单位是“元”，即 {_wan(in_wan)} 万元；而{where}为 "
                f"{format_decimal(stated)} 万元，相差 {_wan(abs(stated - in_wan))} 万元；单位应为“万元”。",
            )
            continue
        shown = f"{number}{unit}" if unit in ("万元", "万") else f"{number}{unit}（{_wan(in_wan)} 万元）"
        yield (
            "text.figures",
            cells,
            f"{section.title}：正文写「{clause.strip()}」{shown}，而{where}为 {format_decimal(stated)} 万元，"
            f"相差 {_wan(abs(stated - in_wan))} 万元。",
        )


# ---------------------------------------------------------------------------
# 共N个 beside the list it counts
# ---------------------------------------------------------------------------

_COUNT = re.compile(r"(?:一共|共计|共有|共)\s*(?P<n>\d+)\s*个\s*(?P<what>专项|项目)")
#: Sections whose 共N个专项 counts 项目支出明细.
COUNTED = {"project_spending_text": "projects"}


def count_claims(report: Report, section: _Section) -> Iterator[Claim]:
    if section.key not in COUNTED:
        return
    listed = report.data["narrative"][COUNTED[section.key]]
    for m in _COUNT.finditer(section.text):
        section.claim(m.start(), m.end())
        said = int(m.group("n"))
        if not listed or said == len(listed):
            continue
        yield (
            "text.count",
            [f"narrative.{COUNTED[section.key]}", section.path],
            f"{section.title}：正文写「{m.group(0)}」，而{form.PROJECTS.label}列出 {len(listed)} 个项目，"
            f"相差 {abs(said - len(listed))} 个。",
        )


# ---------------------------------------------------------------------------
# 得N分, 扣N分, 等次为“优”
# ---------------------------------------------------------------------------

_TOTAL = re.compile(r"综合得分为?\s*(?P<n>\d+(?:\.\d)?)\s*分")
_GRADE = re.compile(r"等次为\s*[“\"「]?\s*(?P<word>[^”\"」，。；\s]{1,3}?)\s*[”\"」]")


def _item_pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(name) + r"(?:绩效|指标)?(?:得分)?(?:为)?\s*(?P<n>\d+(?:\.\d)?)\s*分")


def conclusion_claims(report: Report, section: _Section) -> Iterator[Claim]:
    if section.key != "conclusion":
        return
    text = section.text
    score = report.data["score"]["self_score"]
    for m in _TOTAL.finditer(text):
        section.claim(m.start(), m.end())
        said = Decimal(m.group("n"))
        if score is not None and said != score:
            yield (
                "text.scores",
                ["score.self_score", section.path],
                f"{section.title}：正文写「{m.group(0)}」，而评分为 {format_decimal(score)} 分，"
                f"相差 {_diff(said, score)} 分。",
            )
    grade = report.grade()
    for m in _GRADE.finditer(text):
        section.claim(m.start(), m.end())
        if grade and m.group("word") != grade:
            yield (
                "text.scores",
                ["score.grade", section.path],
                f"{section.title}：正文写等次为“{m.group('word')}”，而评分 "
                f"{format_decimal(score) if score is not None else '（空）'} 分的等级是“{grade}”。",
            )
    for i, item in enumerate(report.data["score_items"]):
        if not item["name"] or item["score"] is None:
            continue
        for m in _item_pattern(item["name"]).finditer(text):
            if section.is_claimed(m.start(), m.end()):
                continue
            section.claim(m.start(), m.end())
            said = Decimal(m.group("n"))
            if said != item["score"]:
                yield (
                    "text.scores",
                    [f"score_items.{i}.score", section.path],
                    f"{section.title}：正文写「{m.group(0)}」，而一级指标「{item['name']}」自评得分为 "
                    f"{format_decimal(item['score'])} 分，相差 {_diff(said, item['score'])} 分。",
                )


def heading_claims(report: Report, section: _Section) -> Iterator[Claim]:
    """The numbered headings of 七（二）: each 一级指标's 分值/得分/扣分, and the
    deductions of its sub-headings (2.3成本指标（扣2分）) within its own."""
    if section.key != "target_achievement":
        return
    items = report.data["score_items"]
    headings = gen.score_headings(section.text)
    lines = section.text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for h in headings:
        section.claim(offsets[h.line], offsets[h.line + 1])
    for h in headings:
        index = gen.score_item_for(report, h)
        if index is None:
            continue
        item = items[index]
        weight, score = item["weight"], item["score"]
        if weight is None or score is None:
            continue
        lost = weight - score
        name = item["name"] or f"第 {index + 1} 项"
        cells = [f"score_items.{index}.score", section.path]
        if h.sub is None:
            wrong = []
            if h.weight is not None and h.weight != weight:
                wrong.append(f"分值写 {_show(h.weight)} 分而表中为 {format_decimal(weight)} 分")
            if h.score is not None and h.score != score:
                wrong.append(f"得分写 {_show(h.score)} 分而表中为 {format_decimal(score)} 分，相差 {_diff(h.score, score)} 分")
            if h.lost is not None and h.lost != lost:
                wrong.append(f"扣分写 {_show(h.lost)} 分而表中扣 {format_decimal(lost)} 分")
            if wrong:
                yield (
                    "text.scores",
                    cells,
                    f"{section.title}「{h.text}」：一级指标「{name}」（分值 {format_decimal(weight)}，"
                    f"自评得分 {format_decimal(score)}）——{'；'.join(wrong)}。",
                )
            continue
    for number in sorted({h.number for h in headings if h.sub is not None}):
        subs = [h for h in headings if h.number == number and h.sub is not None and h.lost is not None]
        if not subs:
            continue
        index = gen.score_item_for(report, subs[0])
        top = next((h for h in headings if h.number == number and h.sub is None), None)
        if top is not None:
            index = gen.score_item_for(report, top)
        if index is None:
            continue
        item = items[index]
        if item["weight"] is None or item["score"] is None:
            continue
        lost = item["weight"] - item["score"]
        said = sum((h.lost for h in subs if h.lost is not None), Decimal(0))
        if said > lost:
            named = "、".join(f"「{h.text}」" for h in subs)
            yield (
                "text.scores",
                [f"score_items.{index}.weight", section.path],
                f"{section.title}{named}共扣 {_show(said)} 分，而一级指标「{item['name'] or ''}」"
                f"只扣 {format_decimal(lost)} 分（分值 {format_decimal(item['weight'])}，自评得分 "
                f"{format_decimal(item['score'])}），相差 {_diff(said, lost)} 分。",
            )


# ---------------------------------------------------------------------------
# N% of the common indicators
# ---------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _rate_mentions(text: str) -> tuple[tuple[str, int, int, str], ...]:
    """(indicator key, start, end, the rate as written) of each ``指标名 N%`` in a text."""
    flat = gen.plain(text)
    named = [ind for ind in gen.INDICATORS if gen.plain(ind.name) in flat]
    if not named:
        return ()
    flat_map = [i for i, ch in enumerate(text) if not gen._QUOTES.match(ch)]
    out = []
    for ind in named:
        pattern = re.compile(re.escape(gen.plain(ind.name)) + r"(?:为|是|达到|达)?(?P<n>\d+(?:\.\d+)?)%")
        for m in pattern.finditer(flat):
            out.append((ind.key, flat_map[m.start()], flat_map[m.end() - 1] + 1, m.group("n")))
    return tuple(out)


def rate_claims(report: Report, section: _Section) -> Iterator[Claim]:
    for key, start, end, written in _rate_mentions(section.text):
        ind = gen.INDICATORS_BY_KEY[key]
        section.claim(start, end)
        computed = measures.measure_rate(report, ind)
        if computed is None:
            continue
        said = Decimal(written)
        places = len(written.partition(".")[2])
        shown = computed.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown == said:
            continue
        num, den = (measures.figure(report, p) for p in (ind.numerator, ind.denominator))
        yield (
            "text.rates",
            [ind.denominator, section.path],
            f"{section.title}：正文写{ind.name} {written}%，而按表中数字 "
            f"{format_decimal(num)} ÷ {format_decimal(den)} = {measures.percent_text(computed)}，"
            f"相差 {_wan(abs(said - computed))} 个百分点。",
        )


# ---------------------------------------------------------------------------
# A generated section, edited since: which figures differ from what the figures write
# ---------------------------------------------------------------------------

_FIGURE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|个|人|分|%)")


@dataclass(frozen=True)
class _Token:
    label: str
    value: Decimal
    unit: str
    start: int
    end: int
    said: str


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[_Token, ...]:
    out = []
    for m in _FIGURE.finditer(text):
        cut, clause = _clause_before(text, m.start())
        label = gen.plain(clause)
        out.append(_Token(label, Decimal(m.group("num")), m.group("unit"), cut, m.end(),
                          f"{clause.strip()}{m.group('num')}{m.group('unit')}"))
    return tuple(out)


def _similar(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def generated_claims(report: Report, section: _Section) -> Iterator[Claim]:
    generator = gen.GENERATORS.get(section.key)
    if generator is None:
        return
    written = generator.write(report)
    if written == section.text:
        return
    have = [t for t in _tokens(section.text) if not section.is_claimed(t.start, t.end)]
    want = _tokens(written)
    matcher = difflib.SequenceMatcher(None, [t.label for t in have], [t.label for t in want], autojunk=False)
    differ: list[tuple[_Token, _Token]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a2 - a1 == b2 - b1):
            for x, y in zip(have[a1:a2], want[b1:b2], strict=True):
                if x.unit == y.unit and _similar(x.label, y.label) and x.value != y.value:
                    differ.append((x, y))
    if not differ:
        return
    shown = "；".join(f"「{x.said}」按表中数字应为 {format_decimal(y.value)}{y.unit}" for x, y in differ[:6])
    more = f"等 {len(differ)} 处" if len(differ) > 6 else ""
    yield (
        "text.generated",
        [section.path],
        f"{section.title}：这一段与表中数字不符——{shown}{more}。可核对后修改，"
        "或按「按表中数字生成」重新生成。",
    )


CHECKS = (count_claims, conclusion_claims, heading_claims, rate_claims, money_claims, generated_claims)


def check_text(report: Report) -> Iterator[Claim]:
    """Every claim of Part B's text that the tables contradict, section by section."""
    for section in _sections(report):
        for run in CHECKS:
            yield from run(report, section)
