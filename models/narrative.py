"""The sentences of Part B (评价报告) that the figures can write.

The clerk starts from these and edits freely: what the report keeps is the
text in ``narrative.sections``; these functions only propose it. Each
generator is registered in :data:`GENERATORS` by the section it writes, so the
window offers it and the rules (:mod:`models.textcheck`) can tell which
figures of an edited paragraph no longer match the tables.

Most generators write a whole section. 七（二） is mostly the clerk's own text,
so its generator only rewrites the paragraphs of the common indicators
(预算执行率, 公用经费控制率, …) and the scores in its numbered headings,
keeping every other line as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models import form
from models.measures import MEASURES, Measure, department_row, figure, own_row, percent_text
from models.measures import measure_rate as indicator_rate
from models.money import format_decimal
from models.report import Report
from models.scoring import level1_items, self_score

MISSING = "（未填）"

#: The common indicators of 七（二）, in the order the seed writes them.
INDICATORS: tuple[Measure, ...] = tuple(m for m in MEASURES if m.paragraph)
INDICATORS_BY_KEY = {m.key: m for m in INDICATORS}


def _wan(value: Any) -> str:
    return f"{format_decimal(value)}万元" if value is not None else f"{MISSING}万元"


def _items(items: list[dict[str, Any]]) -> str:
    return "，".join(f"{i['name'] or '（未命名）'}{_wan(i['amount'])}" for i in items)


def _year(report: Report, suffix: str = "年度") -> str:
    return f"{report.year}{suffix}" if report.year else "本年度"


# ---------------------------------------------------------------------------
# Whole sections
# ---------------------------------------------------------------------------


def staff_text(report: Report) -> str:
    """一（一）: ``截至2023年12月31日，吉首市科工信局人员编制23人，实有人数22人。`` and the 二级机构."""
    basics = report.data["basics"]
    when = f"截至{report.year}年12月31日，" if report.year else ""
    name = report.dept_name or "本单位"

    def people(value: int | None) -> str:
        return f"{value}人" if value is not None else f"{MISSING}人"

    text = f"{when}{name}人员编制{people(basics['staff_quota'])}，实有人数{people(basics['staff_actual'])}。"
    others = report.institutions[1:]
    if others:
        text += f"\n我单位二级机构共{len(others)}个，分别为{'、'.join(others)}。"
    else:
        text += "\n我单位无单独核算的二级机构。"
    return text


def basic_spending_text(report: Report) -> str:
    """``2023年度一般公共预算财政拨款基本支出382.71万元，人员经费为362.23万元，其中：…。``"""
    row = own_row(report, form.EXPENDITURE)
    items = report.data["narrative"]["basic_items"]
    personnel = [items[i] for i in report.basic_indices(form.PERSONNEL_GROUP)]
    public_use = [items[i] for i in report.basic_indices(form.PUBLIC_USE_GROUP)]
    text = f"{_year(report)}一般公共预算财政拨款基本支出{_wan(row['basic'])}，人员经费为{_wan(row['personnel'])}"
    text += f"，其中：{_items(personnel)}。" if personnel else "。"
    text += f"公用经费{_wan(row['public_use'])}。"
    if public_use:
        text += f"其中：{_items(public_use)}。"
    return text


def project_spending_text(report: Report) -> str:
    """``2023年度市级专项资金4991.63万元，一共36个专项，其中：智慧城市项目经费2651.35万元，主要用于…。``"""
    row = own_row(report, form.EXPENDITURE)
    projects = report.data["narrative"]["projects"]
    text = f"{_year(report)}市级专项资金{_wan(row['project'])}，一共{len(projects)}个专项"
    parts = []
    for p in projects:
        piece = f"{p['name'] or '（未命名）'}{_wan(p['amount'])}"
        if p["uses"]:
            piece += f"，主要用于{_items(p['uses'])}"
        parts.append(piece)
    return text + (f"，其中：{'，'.join(parts)}。" if parts else "。")


def gov_fund_text(report: Report) -> str:
    """三、: ``2023年度政府基金拨款1744.35万元。`` — or ``无`` when there is none."""
    amount = department_row(report, form.INCOME)["gov_fund"]
    if amount is None or amount == 0:
        return "无"
    label = form.INCOME.row.child("gov_fund").label
    return f"{_year(report)}{label}{_wan(amount)}。"


def score_parts(report: Report) -> str:
    """``投入8分，产出49分，效益30分，满意度9分``"""
    return "，".join(
        f"{item['name'] or '（未命名）'}{format_decimal(item['score']) if item['score'] is not None else MISSING}分"
        for item in level1_items(report)
    )


def conclusion_text(report: Report) -> str:
    """七（一）: ``…综合得分为96分，本单位绩效自评结果等次为“优”，其中：投入8分，…。一级指标具体得分情况详见下表：``"""
    score = self_score(report)
    shown = format_decimal(score) if score is not None else MISSING
    grade = report.data["score"]["grade"] or report.band_of(score)
    text = (
        f"{report.dept_name or '本单位'}{_year(report)}部门整体支出绩效评价综合得分为{shown}分，"
        f"本单位绩效自评结果等次为“{grade or MISSING}”"
    )
    if level1_items(report):
        text += f"，其中：{score_parts(report)}。一级指标具体得分情况详见下表："
    else:
        text += "。"
    return text


# ---------------------------------------------------------------------------
# 七（二）: the common indicators' paragraphs and the headings' scores
# ---------------------------------------------------------------------------


def indicator_paragraph(report: Report, key: str) -> str:
    """The paragraph of one common indicator, written from its figures."""
    ind = INDICATORS_BY_KEY[key]
    value = percent_text(indicator_rate(report, ind))
    year = _year(report, "年")
    fig = {k: figure(report, getattr(ind, k)) for k in ("numerator", "denominator")}
    if key == "budget_execution":
        budget = report.data["narrative"]["budget"]
        return (
            f"{year}，本部门收入预算{_wan(budget['income_budget'])}，"
            f"收入决算{_wan(department_row(report, form.INCOME)['total'])}；"
            f"支出预算{_wan(fig['denominator'])}，支出决算{_wan(fig['numerator'])}，预算执行率{value}。"
        )
    if key == "public_use":
        return (
            f"{ind.name}：{year}本单位预算安排公用经费{_wan(fig['denominator'])}，"
            f"实际支出公用经费{_wan(fig['numerator'])}，{ind.name}为{value}。"
        )
    if key == "three_public":
        return (
            f"“三公经费”控制率：{year}本单位“三公”经费预算{_wan(fig['denominator'])}，"
            f"实际支出{_wan(fig['numerator'])}，“三公”经费控制率为{value}。"
        )
    if key == "procurement":
        return (
            f"{ind.name}：{year}政府采购预算数{_wan(fig['denominator'])}，"
            f"实际政府采购数{_wan(fig['numerator'])}，{ind.name}{value}。"
        )
    return (
        f"{ind.name}：本单位所有固定资产总额{_wan(fig['denominator'])}，"
        f"实际在用固定资产总额{_wan(fig['numerator'])}，{ind.name}{value}。"
    )


_QUOTES = re.compile(r"[“”\"'‘’\s\u3000]")


def plain(text: str) -> str:
    """Text without quotes and spaces: what label matching compares."""
    return _QUOTES.sub("", text)


#: A numbered heading of 七（二）: ``1、预算执行率(10分，得10分，扣0分）``, ``2.3成本指标（扣2分）``.
SCORE_HEADING = re.compile(
    r"^\s*(?P<num>\d+)(?:\.(?P<sub>\d+))?\s*[、.．]?\s*(?P<title>[^（(\n]*?)\s*"
    r"[（(]\s*(?:(?P<weight>\d+(?:\.\d)?)\s*分\s*[，,、]?\s*)?"
    r"(?:得\s*(?P<score>\d+(?:\.\d)?)\s*分\s*[，,、]?\s*)?"
    r"(?:扣\s*(?P<lost>\d+(?:\.\d)?)\s*分\s*)?[)）]\s*$"
)


@dataclass(frozen=True)
class ScoreHeading:
    line: int
    number: int
    sub: int | None
    title: str
    weight: Decimal | None
    score: Decimal | None
    lost: Decimal | None
    text: str


def score_headings(text: str) -> list[ScoreHeading]:
    """The numbered headings of 七（二） that state 分值, 得分 or 扣分."""
    out: list[ScoreHeading] = []
    for i, line in enumerate(text.split("\n")):
        m = SCORE_HEADING.match(line)
        if not m or not any(m.group(k) for k in ("weight", "score", "lost")):
            continue

        def dec(name: str, match: re.Match[str] = m) -> Decimal | None:
            value = match.group(name)
            return Decimal(value) if value is not None else None

        out.append(ScoreHeading(
            i, int(m.group("num")), int(m.group("sub")) if m.group("sub") else None,
            m.group("title").strip(), dec("weight"), dec("score"), dec("lost"), line.strip(),
        ))
    return out


def score_item_for(report: Report, heading: ScoreHeading) -> int | None:
    """The 一级指标 a numbered heading of 七（二） reports on: by name (产出指标 → 产出),
    else by its number (the seed's ``1、预算执行率`` is 投入, the first 一级指标)."""
    items = report.data["score_items"]
    title = plain(heading.title)
    for i, item in enumerate(items):
        if item["name"] and plain(item["name"]) in title:
            return i
    if 1 <= heading.number <= len(items):
        return heading.number - 1
    return None


def _heading_with_scores(report: Report, heading: ScoreHeading) -> str:
    index = score_item_for(report, heading)
    if index is None or heading.sub is not None:
        return heading.text
    item = report.data["score_items"][index]
    weight, score = item["weight"], item["score"]
    if weight is None or score is None:
        return heading.text
    head = heading.text[: heading.text.index(heading.title) + len(heading.title)] if heading.title else heading.text
    return (
        f"{head}（{format_decimal(weight)}分，得{format_decimal(score)}分，"
        f"扣{format_decimal(weight - score)}分）"
    )


def _is_heading(line: str) -> bool:
    return bool(re.match(r"^\s*\d+(\.\d+)?\s*[、.．]?\s*\D", line)) and len(line) < 40


def indicator_line(lines: list[str], key: str) -> int | None:
    """The line of 七（二） that holds a common indicator's paragraph."""
    name = INDICATORS_BY_KEY[key].name
    for i, line in enumerate(lines):
        flat = plain(line)
        if key == "budget_execution":
            if "收入预算" in flat and not _is_heading(line):
                return i
        elif flat.startswith(name) and (flat[len(name):len(name) + 1] in ("：", ":")):
            return i
    return None


def target_achievement_text(report: Report) -> str:
    """七（二） with its common indicators' paragraphs and its headings' scores written
    from the figures; every other line stays as the clerk wrote it. A paragraph the
    text lacks is added: 预算执行率 after its heading, the others after 成本指标."""
    current = report.data["narrative"]["sections"]["target_achievement"] or ""
    lines = current.split("\n") if current else []
    for heading in score_headings(current):
        lines[heading.line] = _heading_with_scores(report, heading)
    for ind in INDICATORS:
        paragraph = indicator_paragraph(report, ind.key)
        at = indicator_line(lines, ind.key)
        if at is not None:
            lines[at] = paragraph
            continue
        if ind.key == "budget_execution":
            head = next((i for i, ln in enumerate(lines) if "预算执行率" in plain(ln) and _is_heading(ln)), None)
            lines.insert(head + 1 if head is not None else 0, paragraph)
            continue
        placed = [indicator_line(lines, other.key) for other in INDICATORS[1:]]
        after = max((p for p in placed if p is not None), default=None)
        if after is None:
            after = next((i for i, ln in enumerate(lines) if "成本指标" in ln and _is_heading(ln)), None)
        lines.insert(after + 1 if after is not None else len(lines), paragraph)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Generator:
    section: str
    write: Callable[[Report], str]
    #: True: the generator writes the whole section; False: it rewrites some of its lines.
    whole: bool = True
    #: What the window's button says it uses.
    uses: str = ""


GENERATORS: dict[str, Generator] = {
    g.section: g
    for g in (
        Generator("staff_text", staff_text, uses="人员编制、实有人数和机构"),
        Generator("basic_spending_text", basic_spending_text, uses="基本支出明细和支出表"),
        Generator("project_spending_text", project_spending_text, uses="项目支出明细和支出表"),
        Generator("gov_fund_text", gov_fund_text, uses="收入表的政府基金拨款"),
        Generator("conclusion", conclusion_text, uses="评分、等级和一级指标得分"),
        Generator("target_achievement", target_achievement_text, whole=False,
                  uses="预算数与执行数、收支表、三公经费、固定资产和一级指标得分"),
    )
}
