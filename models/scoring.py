"""The 自评表 (附件2): the scoring tree from 三级指标 up to 评分, and what it computes.

The tree is laid over the report by its 指标体系 (:mod:`models.framework`):

- 一级 and 二级 lines come from the framework; their 得分 are sums, never typed;
- 三级 lines are either the framework's own (预算执行率 …, their 得分 kept in
  ``scoring.items``) or the report's 定量指标 rows — the same rows the 定量指标
  tab edits, with the 三级 columns (分值, 自评得分, 扣分原因 …) of
  :data:`models.form.SCORING_COLUMNS`: one row, two views;
- the 一级指标得分 table (``score_items``) is what the department states per 一级
  line: kept as typed and checked against the tree, like a stated 汇总 row;
  where it is blank, the tree's sums are shown (:func:`level1_items`).

Where the figures allow, a 三级 line gets a computed score (:class:`Suggestion`)
by the 评分标准 of its 指标性质 — 正向, 反向, 定性 — or of the rate the report's
figures give (预算执行率 …). It is shown beside the clerk's 得分 and never
replaces it. :func:`check` yields the rules' findings; it is a pure function
of the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from models import framework as fw
from models import measures, quantity
from models.errors import ValueInputError
from models.money import add, format_decimal
from models.quantity import Quantity
from models.report import Report

Claim = tuple[str, list[str], str]
STEP = Decimal("0.1")


def _fmt(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else "（空）"


def _round(value: Decimal) -> Decimal:
    """A computed score to 0.1 point, written as a clerk would: 10, not 10.0."""
    rounded = value.quantize(STEP, rounding=ROUND_HALF_UP)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


# ---------------------------------------------------------------------------
# Computed scores
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """The score the 评分标准 gives a 三级 line, or why there is none."""

    score: Decimal | None = None
    #: The 评分标准 applied.
    criteria: str = ""
    #: The figures it read and the arithmetic: ``完成值 99% ÷ 目标值 100% × 分值 6 = 5.9``.
    figures: str = ""
    #: Why no score could be computed (values unreadable, 达成程度 not chosen …).
    problem: str | None = None
    #: The values could not be read as numbers (said once for the report).
    unreadable: bool = False
    #: Whether the line falls short of its target (None: unknown).
    short: bool | None = None

    @property
    def text(self) -> str:
        """What the suggestion column shows."""
        if self.score is None:
            return self.problem or ""
        return format_decimal(self.score)


@lru_cache(maxsize=1024)
def _parse(text: str | None) -> Quantity | None:
    return quantity.parse(text)


@lru_cache(maxsize=1024)
def _parse_actual(text: str | None, target: Quantity) -> Quantity | None:
    return quantity.parse_actual(text, target)


def _points(weight: Decimal) -> str:
    return f"分值 {format_decimal(weight)}"


def score_by_kind(kind: str, weight: Decimal, target: Quantity, actual: Quantity) -> tuple[Decimal, bool, str]:
    """(score, short of target, arithmetic) for 正向 ("higher") or 反向 ("lower")."""
    t, a = target.base, actual.base
    if kind == "higher":
        if a >= t:
            return weight, False, f"完成值 {actual} 达到目标值 {target}，得满分 {format_decimal(weight)}"
        if t <= 0:  # pragma: no cover - a >= t covers every actual of a target of 0 or less
            return weight, False, ""
        score = _round(max(Decimal(0), weight * a / t))
        return score, True, f"完成值 {actual} ÷ 目标值 {target} × {_points(weight)} = {format_decimal(score)}"
    if a <= t:
        return weight, False, f"完成值 {actual} 未超过目标值 {target}，得满分 {format_decimal(weight)}"
    if t <= 0:
        return Decimal(0), True, f"完成值 {actual} 超过目标值 {target}，不得分"
    score = _round(max(Decimal(0), weight * (1 - (a - t) / t)))
    return score, True, (f"完成值 {actual} 超过目标值 {target}：{_points(weight)} × （1 − 超出部分 ÷ 目标值）"
                         f" = {format_decimal(score)}")


def suggest(frame: fw.Framework, leaf: Leaf, report: Report) -> Suggestion:
    """The computed score of one 三级 line."""
    weight = leaf.weight
    rule = frame.measures.get(leaf.measure) if leaf.measure else None
    if rule is not None:
        measure = measures.MEASURES_BY_KEY[rule.measure]
        rate = measures.measure_rate(report, measure)
        nature = frame.nature(rule.nature)
        target = _parse(rule.target)
        if rate is not None and nature is not None and target is not None:
            if weight is None:
                return Suggestion(criteria=rule.criteria, problem="未填分值，无法计算")
            score, short, how = score_by_kind(nature.kind, weight, target, Quantity(rate, "%"))
            return Suggestion(score, rule.criteria, f"{measures.formula_text(report, measure)}；{how}", short=short)
        if leaf.line is not None:  # a framework line: nothing typed to fall back on
            missing = "、".join(measures.figure_label(p) for p in (measure.numerator, measure.denominator)
                               if measures.figure(report, p) in (None, 0))
            return Suggestion(criteria=rule.criteria, problem=f"缺少{missing or '数字'}，无法计算{measure.name}")
    nature = leaf.nature
    if nature is None:
        if leaf.nature_typed:
            return Suggestion(problem=f"指标性质「{leaf.nature_typed}」不在指标体系中")
        return Suggestion(problem="未定指标性质，无法计算")
    # a rate's row whose figures are missing is scored by its typed values, under the rate's 评分标准
    criteria = leaf.criteria or (rule.criteria if rule is not None else nature.criteria)
    if nature.kind == "qualitative":
        share = frame.attainment_share(leaf.attainment)
        if share is None:
            words = "、".join(a.name for a in frame.attainment)
            return Suggestion(criteria=criteria, problem=f"定性指标：请选择达成程度（{words}）")
        if weight is None:
            return Suggestion(criteria=criteria, problem="未填分值，无法计算")
        score = _round(weight * share)
        return Suggestion(score, criteria, f"达成程度「{leaf.attainment}」得分值的 {quantity.number_text(share * 100)}%"
                          f" = {format_decimal(score)}", short=share < 1)
    target = _parse(leaf.target)
    if target is None:
        what = f"目标值「{_short(leaf.target)}」读不出数字" if leaf.target else "未填目标值"
        return Suggestion(criteria=criteria, problem=f"{what}，得分请自行填写", unreadable=bool(leaf.target))
    actual = _parse_actual(leaf.actual, target)
    if actual is None:
        unit = f"以「{target.unit}」为单位的" if target.unit else ""
        what = f"完成值「{_short(leaf.actual)}」读不出{unit}数字" if leaf.actual else "未填完成值"
        return Suggestion(criteria=criteria, problem=f"{what}，得分请自行填写", unreadable=bool(leaf.actual))
    if weight is None:
        return Suggestion(criteria=criteria, problem="未填分值，无法计算")
    score, short, how = score_by_kind(nature.kind, weight, target, actual)
    return Suggestion(score, criteria, how, short=short)


def _short(text: str | None, limit: int = 24) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------


@dataclass
class Leaf:
    """A 三级 line: a 定量指标 row or one of the framework's own lines."""

    name: str
    weight: Decimal | None
    score: Decimal | None
    target: str | None
    actual: str | None
    reason: str | None
    attainment: str | None
    #: The typed 评分标准 (None: the framework's).
    criteria: str | None
    nature: fw.Nature | None
    #: The 指标性质 as typed, when it is not one of the framework's.
    nature_typed: str | None
    measure: str | None
    #: The 定量指标 row's index, or None for a framework line.
    row: int | None = None
    #: The framework line, or None for a 定量指标 row.
    line: fw.Line | None = None
    #: The index of the framework line's row in ``scoring.items`` (None: nothing stored yet).
    item: int | None = None
    suggestion: Suggestion = field(default_factory=Suggestion)

    @property
    def key(self) -> str:
        """Where the line's own values live: ``indicators.3`` or ``scoring.items.0``
        (``scoring.line.{id}`` for a framework line with nothing stored yet)."""
        if self.row is not None:
            return f"indicators.{self.row}"
        if self.item is not None:
            return f"scoring.items.{self.item}"
        assert self.line is not None
        return f"scoring.line.{self.line.id}"

    def cell(self, column: str) -> str:
        """The path of one of the line's values (分值 of a framework line: its 得分 cell)."""
        if self.row is not None:
            return f"indicators.{self.row}.{column}"
        if column == "weight":
            column = "score"
        return f"{self.key}.{column}"

    @property
    def shown_criteria(self) -> str:
        if self.criteria:
            return self.criteria
        if self.suggestion.criteria:
            return self.suggestion.criteria
        if self.line is not None and self.line.criteria:
            return self.line.criteria
        return self.nature.criteria if self.nature else ""

    @property
    def lost(self) -> Decimal | None:
        if self.weight is None or self.score is None:
            return None
        return self.weight - self.score


@dataclass
class Node2:
    """A 二级 line (or, with ``level2`` None, the rows of a 一级 line that choose none)."""

    level2: fw.Level2 | None
    leaves: list[Leaf] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.level2.name if self.level2 else ""

    @property
    def weight(self) -> Decimal | None:
        """The framework's 分值, else the sum of its 三级 分值 (blank for a line with none)."""
        if self.level2 is not None and self.level2.weight is not None:
            return self.level2.weight
        return add([leaf.weight for leaf in self.leaves])

    @property
    def derived_weight(self) -> Decimal | None:
        return add([leaf.weight for leaf in self.leaves])

    @property
    def score(self) -> Decimal | None:
        return add([leaf.score for leaf in self.leaves])

    @property
    def weights_complete(self) -> bool:
        return bool(self.leaves) and all(leaf.weight is not None for leaf in self.leaves)

    @property
    def scores_complete(self) -> bool:
        return bool(self.leaves) and all(leaf.score is not None for leaf in self.leaves)


@dataclass
class Node1:
    level1: fw.Level1
    nodes: list[Node2] = field(default_factory=list)
    #: The row of 一级指标得分 that states this line, if any.
    stated: int | None = None

    @property
    def name(self) -> str:
        return self.level1.name

    @property
    def weight(self) -> Decimal:
        return self.level1.weight

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for node in self.nodes for leaf in node.leaves]

    @property
    def score(self) -> Decimal | None:
        """The sum of its 三级 得分 (None when none is filled)."""
        return add([leaf.score for leaf in self.leaves])

    @property
    def scores_complete(self) -> bool:
        leaves = self.leaves
        return bool(leaves) and all(leaf.score is not None for leaf in leaves)


@dataclass
class Tree:
    framework: fw.Framework
    level1: list[Node1]
    #: 定量指标 rows that no line of the framework takes (their 评价内容 unknown).
    homeless: list[Leaf]
    #: Rows of 一级指标得分 that name no 一级 line of the framework.
    strangers: list[int]
    #: Rows of ``scoring.items`` that name no line of the framework.
    orphans: list[int]

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for node in self.level1 for leaf in node.leaves]

    @property
    def weight(self) -> Decimal:
        return sum((n.weight for n in self.level1), Decimal(0))

    @property
    def score(self) -> Decimal | None:
        return add([n.score for n in self.level1])

    @property
    def started(self) -> bool:
        """Whether the clerk has begun the 自评表 (any 分值, 得分, 二级指标 or 性质 filled)."""
        return any(
            leaf.score is not None or (leaf.row is not None and leaf.weight is not None)
            for leaf in [*self.leaves, *self.homeless]
        ) or bool(self.orphans)


def framework_of(report: Report) -> fw.Framework | None:
    return fw.get(report.data["scoring"]["framework"])


@lru_cache(maxsize=512)
def _measure_by_name(name: str | None) -> str | None:
    if not name:
        return None
    key = measures_plain(name)
    for m in measures.MEASURES:
        if measures_plain(m.name) == key:
            return m.key
    return None


def measures_plain(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"'‘’")


def _row_leaf(frame: fw.Framework, i: int, row: dict[str, Any], default_nature: str | None) -> Leaf:
    typed = row["nature"]
    nature = frame.nature(typed) if typed else None
    measure = _measure_by_name(row["name"])
    if nature is None and not typed:
        nature = _inferred_nature(frame, row, default_nature)
    return Leaf(
        name=row["name"] or "", weight=row["weight"], score=row["score"], target=row["target"],
        actual=row["actual"], reason=row["reason"], attainment=row["attainment"], criteria=row["criteria"],
        nature=nature, nature_typed=typed if typed and nature is None else None,
        measure=measure if measure in frame.measures else None, row=i,
    )


def _inferred_nature(frame: fw.Framework, row: dict[str, Any], default: str | None) -> fw.Nature | None:
    """指标性质 of a row that names none: its 二级 line's, else by its target —
    ``≤…`` 反向, a number 正向, words 定性."""
    if default and frame.nature(default):
        return frame.nature(default)
    target = _parse(row["target"])
    if target is None:
        return frame.nature_of_kind("qualitative")
    return frame.nature_of_kind("lower" if target.comparator in ("≤", "<") else "higher")


def build(report: Report, frame: fw.Framework) -> Tree:
    """The 自评表 of a report under a framework, with every line's computed score."""
    d = report.data
    nodes1 = [Node1(top, [Node2(second) for second in top.level2]) for top in frame.level1]
    by_id = {n.level1.id: n for n in nodes1}
    unplaced: dict[str, Node2] = {}
    homeless: list[Leaf] = []
    items = d["scoring"]["items"]
    item_at: dict[str, int] = {}
    for j, item in enumerate(items):
        item_at.setdefault(item["line"], j)
    orphans = [j for j, item in enumerate(items) if frame.line(item["line"]) is None]
    # the framework's own lines first, in their order
    for node1 in nodes1:
        for node2 in node1.nodes:
            assert node2.level2 is not None
            for line in node2.level2.lines:
                at = item_at.get(line.id)
                item = items[at] if at is not None else {}
                nature = frame.nature(line.nature) if line.nature else None
                node2.leaves.append(Leaf(
                    name=line.name, weight=line.weight, score=item.get("score"),
                    target=item.get("target") or line.target, actual=item.get("actual"), reason=item.get("reason"),
                    attainment=item.get("attainment"), criteria=line.criteria if not line.measure else None,
                    nature=nature, nature_typed=None, measure=line.measure, line=line, item=at,
                ))
    for i, row in enumerate(d["indicators"]):
        taken = frame.taker(row["level1"])
        if taken is None:
            homeless.append(_row_leaf(frame, i, row, None))
            continue
        top, second = taken
        node1 = by_id[top.id]
        if second is None:  # an id as the window stores it, or a name as a hand-written file may
            found = frame.level2(frame.category_id(row["category"], row["level1"]))
            second = found[1] if found and found[0].id == top.id and not found[1].lines else None
        if second is None:
            group = unplaced.setdefault(top.id, Node2(None))
            group.leaves.append(_row_leaf(frame, i, row, None))
            continue
        node2 = next(n for n in node1.nodes if n.level2 is second)
        node2.leaves.append(_row_leaf(frame, i, row, second.nature))
    for top_id, group in unplaced.items():
        by_id[top_id].nodes.append(group)
    stated = d["score_items"]
    strangers: list[int] = []
    for k, item in enumerate(stated):
        named = frame.level1_named(item["name"])
        if named is None:
            if item["name"] or item["weight"] is not None or item["score"] is not None:
                strangers.append(k)
        elif by_id[named.id].stated is None:
            by_id[named.id].stated = k
    tree = Tree(frame, nodes1, homeless, strangers, orphans)
    for leaf in [*tree.leaves, *homeless]:
        leaf.suggestion = suggest(frame, leaf, report)
    return tree


def tree(report: Report) -> Tree | None:
    """The report's 自评表; None when its 指标体系 cannot be found."""
    frame = framework_of(report)
    return build(report, frame) if frame is not None else None


def shown_target(frame: fw.Framework, leaf: Leaf) -> str:
    """目标值 as shown: as typed; a rate's line with none typed shows the framework's."""
    if leaf.target:
        return leaf.target
    rule = frame.measures.get(leaf.measure) if leaf.measure else None
    return rule.target if rule is not None and leaf.line is not None else ""


def shown_actual(report: Report, leaf: Leaf) -> str:
    """完成值 as shown: as typed; a rate's line with none typed shows the rate its figures give."""
    if leaf.actual:
        return leaf.actual
    if leaf.line is not None and leaf.measure:
        rate = measures.measure_rate(report, measures.MEASURES_BY_KEY[leaf.measure])
        return measures.percent_text(rate) if rate is not None else ""
    return ""


@dataclass(frozen=True)
class PrintedRow:
    """One row of the printed 自评表: a 三级 line, or an empty 二级 line's own row."""

    node1: Node1
    node2: Node2
    leaf: Leaf | None


def printed_rows(scored: Tree) -> list[PrintedRow]:
    """The 自评表's rows in the order of the paper: every 二级 line, with its 三级 lines."""
    out = []
    for node1 in scored.level1:
        for node2 in node1.nodes:
            if node2.level2 is None and not node2.leaves:
                continue
            leaves: list[Leaf | None] = [*node2.leaves] or [None]
            for leaf in leaves:
                out.append(PrintedRow(node1, node2, leaf))
    return out


def runs(rows: list[PrintedRow], level: int) -> list[tuple[int, int]]:
    """(first, last) of each run of rows under one 一级 (level 1) or 二级 (level 2) line:
    the cells that print merged."""
    keys = [id(r.node1) if level == 1 else id(r.node2) for r in rows]
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


# ---------------------------------------------------------------------------
# What 一级指标得分 and 评分 show
# ---------------------------------------------------------------------------


def level1_items(report: Report, scored: Tree | None = None) -> list[dict[str, Any]]:
    """一级指标得分 as shown: the stated rows, their blank 分值 and 得分 filled from the
    tree; with no stated rows, one row per 一级 line of the tree once any 得分 is in it."""
    stated = report.data["score_items"]
    if stated and all(i["weight"] is not None and i["score"] is not None for i in stated):
        return [dict(item) for item in stated]  # all stated: nothing to fill in
    scored = scored if scored is not None else tree(report)
    if scored is None:
        return [dict(item) for item in stated]
    if not stated:
        if scored.score is None:
            return []
        return [{"name": n.name, "weight": n.weight, "score": n.score if n.scores_complete else None}
                for n in scored.level1]
    out = []
    for k, item in enumerate(stated):
        node = next((n for n in scored.level1 if n.stated == k), None)
        row = dict(item)
        if node is not None:
            if row["weight"] is None:
                row["weight"] = node.weight
            if row["score"] is None and node.scores_complete:
                row["score"] = node.score
        out.append(row)
    return out


def self_score(report: Report, scored: Tree | None = None) -> Decimal | None:
    """评分 as shown: as typed, else the sum of the 一级 scores when every one is there."""
    typed = report.data["score"]["self_score"]
    if typed is not None:
        return typed
    items = level1_items(report, scored)
    scores = [i["score"] for i in items]
    if not items or any(s is None for s in scores):
        return None
    return add(scores)


# ---------------------------------------------------------------------------
# Typing into the tree
# ---------------------------------------------------------------------------


def normalise(report: Report, path: str, key: str, value: str) -> str:
    """A typed 二级指标, 指标性质 or 达成程度 as the report keeps it: the 二级 line's id
    (from its name, ``成本指标`` or ``成本``), a 指标性质 or 达成程度 of the framework."""
    frame = framework_of(report)
    if frame is None:
        return value
    if key == "category":
        parts = path.split(".")
        word = report.data["indicators"][int(parts[1])]["level1"] if parts[0] == "indicators" else None
        found = frame.category_id(value, word)
        if found is None:
            names = "、".join(b.name for b in frame.category_choices(word)) or "（这一评价内容不分二级指标）"
            raise ValueInputError(f"「{value}」不是这一行可选的二级指标；可选：{names}。", path)
        return found
    words = [n.name for n in frame.natures] if key == "nature" else [a.name for a in frame.attainment]
    if value not in words:
        what = "指标性质" if key == "nature" else "达成程度"
        raise ValueInputError(f"{what}只能是 {'、'.join(words)} 之一，而不是「{value}」。", path)
    return value


def category_name(report: Report, value: str | None) -> str:
    """A stored 二级指标 as shown: the line's name (the text itself when unknown)."""
    frame = framework_of(report)
    found = frame.level2(value) if frame is not None else None
    return found[1].name if found else (value or "")


def set_line(report: Report, line_id: str, key: str, text: str | None) -> Any:
    """Type into a framework line's row of ``scoring.items`` (made when first needed,
    dropped when it holds nothing)."""
    items = report.data["scoring"]["items"]
    j = next((k for k, item in enumerate(items) if item["line"] == line_id), None)
    if j is None:
        j = report.insert_row("scoring.items")
        items[j]["line"] = line_id
    try:
        value = report.set_text(f"scoring.items.{j}.{key}", text)
    except ValueInputError:
        if all(v is None for k, v in items[j].items() if k != "line"):
            del items[j]
        raise
    if all(v is None for k, v in items[j].items() if k != "line"):
        del items[j]
    return value


def adopt(report: Report, leaf_key: str) -> Decimal:
    """「采用」: the computed score becomes the line's 自评得分."""
    scored = tree(report)
    leaf = next((x for x in (scored.leaves if scored else []) if x.key == leaf_key), None)
    if leaf is None or leaf.suggestion.score is None:
        raise ValueInputError("这一行没有可采用的计算得分。", leaf_key)
    text = format_decimal(leaf.suggestion.score)
    if leaf.row is not None:
        report.set_text(f"indicators.{leaf.row}.score", text)
    else:
        assert leaf.line is not None
        set_line(report, leaf.line.id, "score", text)
    return leaf.suggestion.score


def fill_level1(report: Report) -> None:
    """Write the tree's 一级 sums into 一级指标得分 and 评分 (rows for every 一级 line)."""
    scored = tree(report)
    if scored is None or scored.score is None:
        raise ValueInputError("自评表还没有得分，无法填入一级指标得分。", "score_items")
    rows = []
    for node in scored.level1:
        rows.append({"name": node.name, "weight": node.weight, "score": node.score})
    report.data["score_items"] = rows
    report.set_score(format_decimal(scored.score))


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------


def check(report: Report) -> Iterator[Claim]:
    """Every finding of the scoring rules (see :data:`models.form.RULES`)."""
    name = report.data["scoring"]["framework"]
    frame = fw.get(name)
    if frame is None:
        yield ("scoring.framework", ["scoring.framework"],
               f"自评表使用的指标体系「{name or fw.DEFAULT}」在本程序中找不到，无法核对自评表；"
               f"可用的有：{'、'.join(f'{f.id}（{f.name}）' for f in fw.available()) or '（无）'}。")
        return
    scored = build(report, frame)
    if not scored.started:
        return
    yield from _placement(report, scored)
    yield from _weights(report, scored)
    yield from _sums(report, scored)
    yield from _lines(scored)


def _placement(report: Report, scored: Tree) -> Iterator[Claim]:
    rows = report.data["indicators"]
    if scored.homeless:
        words = "、".join(dict.fromkeys(rows[x.row]["level1"] or "（空）" for x in scored.homeless if x.row is not None))
        takers = "、".join(w for a in scored.framework.level1 for w in (*a.indicators, *(w for b in a.level2 for w in b.indicators)))
        yield ("scoring.place", [x.cell("level1") for x in scored.homeless],
               f"自评表：{len(scored.homeless)} 个定量指标的评价内容（{words}）不在指标体系「{scored.framework.name}」中，"
               f"没有计入任何一级指标；评价内容应为 {takers} 之一。")
    for node in scored.level1:
        for group in node.nodes:
            if group.level2 is None and group.leaves:
                names = "、".join(f"「{_short(x.name, 16)}」" for x in group.leaves)
                choices = "、".join(b.name for b in node.level1.level2 if not b.lines)
                yield ("scoring.place", [x.cell("category") for x in group.leaves],
                       f"自评表「{node.name}」：{len(group.leaves)} 个定量指标未选二级指标（{names}），"
                       f"只计入一级指标；请选择 {choices} 之一。")
    for k in scored.strangers:
        item = report.data["score_items"][k]
        yield ("scoring.place", [f"score_items.{k}.name"],
               f"一级指标得分第 {k + 1} 行「{item['name'] or '（空）'}」不是指标体系「{scored.framework.name}」的一级指标"
               f"（{'、'.join(a.name for a in scored.framework.level1)}）。")
    for j in scored.orphans:
        line = report.data["scoring"]["items"][j]["line"]
        yield ("scoring.place", [f"scoring.items.{j}.score"],
               f"自评表中保存的三级指标「{line or '（空）'}」不在指标体系「{scored.framework.name}」中，其得分没有计入。")


def _weights(report: Report, scored: Tree) -> Iterator[Claim]:
    for node in scored.level1:
        leaves = node.leaves
        framed = [g for g in node.nodes if g.level2 is not None]
        fixed = all(g.level2 is not None and g.level2.weight is not None for g in framed) and not any(
            g.level2 is None and g.leaves for g in node.nodes)
        if not leaves:
            yield ("scoring.weights", [f"score_items.{node.stated}.score"] if node.stated is not None else ["indicators"],
                   f"自评表「{node.name}」（分值 {_fmt(node.weight)}）没有三级指标，这部分分值无从得分。")
        elif fixed:
            for group in framed:
                second = group.level2
                assert second is not None and second.weight is not None
                if not group.leaves and not second.lines:
                    yield ("scoring.weights", [f"score_items.{node.stated}.score"] if node.stated is not None
                           else ["indicators"],
                           f"自评表「{node.name}·{second.name}」（分值 {_fmt(second.weight)}）没有三级指标，"
                           "这部分分值无从得分。")
                elif group.weights_complete and not second.lines:
                    total = group.derived_weight
                    if total is not None and total != second.weight:
                        yield ("scoring.weights", [x.cell("weight") for x in group.leaves],
                               f"自评表「{node.name}·{second.name}」：三级指标分值合计 {_fmt(total)}，而二级指标分值为 "
                               f"{_fmt(second.weight)}，相差 {format_decimal(abs(total - second.weight))} 分。")
        elif all(x.weight is not None for x in leaves):
            total = add([x.weight for x in leaves])
            if total is not None and total != node.weight:
                typed = [x.cell("weight") for x in leaves if x.row is not None]
                yield ("scoring.weights", typed or [leaves[0].cell("weight")],
                       f"自评表「{node.name}」：三级指标分值合计 {_fmt(total)}，而一级指标分值为 "
                       f"{_fmt(node.weight)}，相差 {format_decimal(abs(total - node.weight))} 分。")
        if node.stated is not None:
            stated = report.data["score_items"][node.stated]["weight"]
            if stated is not None and stated != node.weight:
                yield ("scoring.weights", [f"score_items.{node.stated}.weight"],
                       f"一级指标「{node.name}」的指标分值填报 {_fmt(stated)}，而指标体系「{scored.framework.name}」"
                       f"规定为 {_fmt(node.weight)}。")


def _sums(report: Report, scored: Tree) -> Iterator[Claim]:
    for node in scored.level1:
        if node.stated is None or not node.scores_complete:
            continue
        stated = report.data["score_items"][node.stated]["score"]
        total = node.score
        if stated is None or total is None or stated == total:
            continue
        parts = " + ".join(f"{_short(x.name, 12)} {_fmt(x.score)}" for x in node.leaves)
        yield ("scoring.sum", [f"score_items.{node.stated}.score", *(x.cell("score") for x in node.leaves)],
               f"一级指标「{node.name}」自评得分填报 {_fmt(stated)}，而自评表中其三级指标得分合计 {parts} = "
               f"{_fmt(total)}，相差 {format_decimal(abs(stated - total))} 分。")
    if not report.data["score_items"]:
        typed = report.data["score"]["self_score"]
        complete = all(n.scores_complete or not n.leaves for n in scored.level1)
        total = scored.score
        if typed is not None and total is not None and complete and typed != total:
            yield ("scoring.sum", ["score.self_score"],
                   f"评分填报 {_fmt(typed)}，而自评表各级得分合计为 {_fmt(total)}，相差 "
                   f"{format_decimal(abs(typed - total))} 分。")


def _lines(scored: Tree) -> Iterator[Claim]:
    qualitative = scored.framework.nature_of_kind("qualitative").name
    unread: list[Leaf] = []
    for node in scored.level1:
        for group in node.nodes:
            for leaf in group.leaves:
                where = f"自评表「{node.name}·{group.name or '未选二级指标'}·{_short(leaf.name, 20)}」"
                s, w = leaf.score, leaf.weight
                if s is not None and w is not None and s > w:
                    yield ("scoring.over", [leaf.cell("score"), leaf.cell("weight")],
                           f"{where}：自评得分 {_fmt(s)} 超过分值 {_fmt(w)}，多 {format_decimal(s - w)} 分。")
                    continue
                sug = leaf.suggestion
                if s is not None and w is not None and s == w and sug.short:
                    yield ("scoring.full", [leaf.cell("score")],
                           f"{where}：未达到目标（{sug.figures}），却得满分 {_fmt(s)}；按评分标准「{_short(sug.criteria, 60)}」"
                           f"应得 {_fmt(sug.score)} 分。")
                elif s is not None and sug.score is not None and s != sug.score:
                    yield ("scoring.suggested", [leaf.cell("score")],
                           f"{where}：自评得分 {_fmt(s)}，而按评分标准「{_short(sug.criteria, 60)}」计算应得 "
                           f"{_fmt(sug.score)} 分（{sug.figures}），相差 {format_decimal(abs(s - sug.score))} 分。")
                if s is not None and w is not None and s < w and not (leaf.reason or "").strip():
                    yield ("scoring.reason", [leaf.cell("reason")],
                           f"{where}：扣 {format_decimal(w - s)} 分（分值 {_fmt(w)}，自评得分 {_fmt(s)}），但未写扣分原因。")
                if sug.unreadable and leaf.row is not None:
                    unread.append(leaf)
    if unread:
        shown = "；".join(f"「{_short(x.name, 16)}」{x.suggestion.problem}" for x in unread[:8])
        more = f"等 {len(unread)} 个" if len(unread) > 8 else ""
        yield ("scoring.unread", [x.cell("target") for x in unread],
               f"自评表：{len(unread)} 个三级指标的目标值或完成值读不出数字，计算得分留给填报人——{shown}{more}。"
               f"目标值可写成「≥50个」「100%」「满意度在98%以上」，或把指标性质定为「{qualitative}」并选择达成程度。")
