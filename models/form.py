"""The form 部门（单位）整体支出绩效自评报告, read from its template file.

Everything else reads this module: the interchange file's keys and checks,
the store, the rules' cell names and messages, the window's tabs and tables,
the PDF and the workbook. The form itself is data: the shipped template
``resources/templates/hunan-2023.toml`` (see :mod:`models.template`), or the
newest issue of its family a finance bureau sent and the clerk installed, read
once when this module is first imported. Next year's template that renames a
label, adds a field or changes the grade bands is a file to install and no
change to the program. (A report of a form of another family carries its own
template: :attr:`models.report.Report.form`.)

The report is a tree of nodes (:mod:`models.nodes`). Cell paths are
``table.row.column`` (``income.0.total``, ``income.summary.total``) or
``section.field`` (``basics.phone``).
"""

from __future__ import annotations

from typing import Any

from models import template_registry as _registry
from models.nodes import (
    Bands,
    Heading,
    InstitutionRows,
    Kind,
    Names,
    Node,
    Opinion,
    Record,
    Rows,
    RuleInfo,
    SumCheck,
    Value,
)

__all__ = ["Bands", "Heading", "InstitutionRows", "Kind", "Names", "Node", "Opinion", "Record", "Rows",
           "RuleInfo", "SumCheck", "Value"]

#: The template the form is read from: the newest issue of the program's family that is
#: installed, else the shipped one (:func:`models.template_registry.own_form`).
TEMPLATE = _registry.own_form()


def _part(key: str) -> Any:
    return TEMPLATE.part(key)


def _child(node: Record | Rows, key: str) -> Any:
    return (node.row if isinstance(node, Rows) else node).child(key)


# ---------------------------------------------------------------------------
# Part A — 自评报告
# ---------------------------------------------------------------------------

COVER: Record = _part("cover")
BASICS: Record = _part("basics")
INSTITUTIONS: Names = _part("institutions")

assert TEMPLATE.institutions is not None
#: Label of the summary row, and the names printed when there are no 二级机构.
SUMMARY_LABEL = TEMPLATE.institutions.summary_label
PLACEHOLDER_INSTITUTIONS = TEMPLATE.institutions.placeholders
DEFAULT_INSTITUTIONS = TEMPLATE.institutions.defaults

INCOME: InstitutionRows = _part("income")
EXPENDITURE: InstitutionRows = _part("expenditure")
THREE_PUBLIC: InstitutionRows = _part("three_public")
ASSETS: InstitutionRows = _part("assets")
INSTITUTION_TABLES: tuple[InstitutionRows, ...] = TEMPLATE.institution_tables

QUALITATIVE: Rows = _part("qualitative")
INDICATORS: Rows = _part("indicators")
#: Notes printed after a word of 评价内容 (产出目标 …).
LEVEL1_NOTES: dict[str, str] = dict(TEMPLATE.value_notes.get("indicators.level1", {}))

#: The 自评表 (附件2): which 指标体系 scores the report, and the 得分 of the framework's
#: own 三级 lines (预算执行率 …); the 定量指标 rows carry theirs in their own columns.
SCORING: Record = _part("scoring")
#: The 自评表's tab, where the 三级 columns of 定量指标 rows are edited.
SCORING_TAB: str = SCORING.tab or SCORING.label
#: Columns of a 定量指标 row that only the 自评表 shows.
SCORING_COLUMNS = tuple(c.key for c in INDICATORS.columns if c.key not in INDICATORS.shown)

assert TEMPLATE.bands is not None
DEFAULT_BANDS: tuple[tuple[str, str], ...] = TEMPLATE.bands.default
#: Most grade bands a report may have. The workbook computes the grade with one
#: IF per band, and spreadsheets allow 64 levels; four is usual.
MAX_BANDS = TEMPLATE.bands.most

SCORE: Record = _part("score")
SCORE_ITEMS: Rows = _part("score_items")
SIGNATURES: Record = _part("signatures")
EVALUATORS: Rows = SIGNATURES.child("evaluators")  # type: ignore[assignment]
OPINIONS: tuple[Opinion, ...] = TEMPLATE.opinions

# ---------------------------------------------------------------------------
# Part B — 部门整体支出绩效评价报告 (structured parts and texts)
# ---------------------------------------------------------------------------

NARRATIVE: Record = _part("narrative")
BASIC_ITEMS: Rows = _child(NARRATIVE, "basic_items")
PROJECTS: Rows = _child(NARRATIVE, "projects")
PROJECT_USES: Rows = _child(PROJECTS, "uses")
#: Figures Part B's sentences need that the form's tables do not hold: the budgets
#: beside the final accounts and the government procurement. Amounts in 万元.
BUDGET: Record = _child(NARRATIVE, "budget")
#: The narrative's free-text sections, in the order of the paper (see :data:`PART_B`).
NARRATIVE_SECTIONS: Record = _child(NARRATIVE, "sections")

assert TEMPLATE.basic_items is not None
_GROUPS = {g.total.rsplit(".", 1)[-1]: g for g in TEMPLATE.basic_items.groups}
PERSONNEL_GROUP = _GROUPS["personnel"].name
PUBLIC_USE_GROUP = _GROUPS["public_use"].name
#: The 类别 of a 基本支出明细 item → the column of the expenditure table its items add up
#: to (人员经费 → 人员支出, 公用经费 → 公用支出).
BASIC_GROUP_COLUMNS: dict[str, str] = {g.name: column for column, g in _GROUPS.items()}
#: The usual economic items, offered when a clerk starts the 基本支出 list.
BASIC_ITEM_NAMES: dict[str, tuple[str, ...]] = {g.name: g.items for g in TEMPLATE.basic_items.groups}

assert TEMPLATE.narrative is not None
#: The tables Part B prints among its texts: 基本支出明细, 项目支出明细 and 一级指标得分.
PART_B_TABLES = TEMPLATE.narrative.tables
PART_B_TITLE = TEMPLATE.narrative.title
#: Part B's headings, texts and tables in the order of the paper.
PART_B: tuple[Heading, ...] = TEMPLATE.narrative.headings
SECTION_PLACES = TEMPLATE.heading_places()

EXPLANATIONS: Rows = _part("explanations")
SUMMARY: Record = _part("summary")

#: The whole report, in the order of the interchange file and of the paper: Part A,
#: the 评价报告 (Part B), its 附件2 the 自评表, and the 出错说明.
REPORT: Record = TEMPLATE.report
#: Part A, the form itself, in the order of the interchange file and of the paper.
PART_A: tuple[Node, ...] = tuple(n for n in REPORT.children if n not in (NARRATIVE, SCORING, EXPLANATIONS))


def _tabs(nodes: tuple[Node, ...]) -> tuple[str, ...]:
    """The tabs of these parts, each once, in their order (several parts may share one)."""
    return tuple(dict.fromkeys(tab for node in nodes if (tab := getattr(node, "tab", None))))


#: Tabs of the window for Part A, in the order of the paper (the nodes' own ``tab``).
TABS: tuple[str, ...] = _tabs(PART_A)

SEVERITY_LABELS = {"error": "错误", "warning": "警告"}

#: Every rule 审核 applies, with its severity; the checks live in models.rules.
RULES: tuple[RuleInfo, ...] = TEMPLATE.rules
RULES_BY_ID = {r.id: r for r in RULES}


def part_b_headings() -> list[tuple[tuple[Heading, ...], Heading]]:
    """Every heading of Part B with the headings above it, in the order of the paper."""
    out: list[tuple[tuple[Heading, ...], Heading]] = []

    def walk(items: tuple[Heading, ...], above: tuple[Heading, ...]) -> None:
        for h in items:
            out.append((above, h))
            walk(h.children, (*above, h))

    walk(PART_B, ())
    return out


def section_title(key: str) -> str:
    """How a finding names a text of Part B: ``七（二）部门整体支出绩效目标实现情况``."""
    path = SECTION_PLACES[key]
    last = path[-1]
    if not last.number and len(path) > 1:
        return f"{path[-2].text}·{last.title}"
    if last.level == 1:
        return last.text
    return "".join(h.number.rstrip("、") for h in path) + last.title


def tab_of(path: str) -> str | None:
    """The tab a cell path is edited on, from the form's ``tab`` fields.

    Institution names are edited on the income table's tab. None: the path's
    part has no tab of its own (出错说明), or the path names nothing.
    """
    parts = path.split(".")
    top = parts[0]
    if top == INSTITUTIONS.key:
        return INCOME.tab
    if top == INDICATORS.key and len(parts) == 3 and parts[2] in SCORING_COLUMNS:
        return SCORING_TAB
    try:
        node = REPORT.child(top)
    except KeyError:
        return None
    return getattr(node, "tab", None)


def merge_runs(values: list[Any]) -> list[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive values: the cells that
    print as one merged cell (:attr:`Rows.merge`). Blanks never merge."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or values[start] is None:
            runs.append((start, i - 1))
            start = i
    return runs


def institution_label(index: int, name: str) -> str:
    """How an institution row prints: ``1、局机关``."""
    return f"{index + 1}、{name}"
