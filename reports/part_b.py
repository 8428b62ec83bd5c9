"""What the 评价报告 (Part B) shows, in order, for every output: PDF and Word alike.

Walks :data:`models.form.PART_B` and the report's data; knows nothing of pages,
fonts or file formats. :mod:`reports.pdf_narrative` and :mod:`reports.docx_report`
lay out what this module lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from models import form
from models.money import add, format_decimal, format_percent
from models.paper import PAPER
from models.report import Report
from models.rules import Finding, check
from models.scoring import level1_items


def money(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


def paragraphs(text: str | None) -> list[str]:
    """A text's paragraphs, one a line, blank lines dropped."""
    return [p.strip() for p in (text or "").replace("\r", "").split("\n") if p.strip()]


def announces_table(paragraph: str) -> bool:
    """Whether a paragraph says the table follows (…详见下表：)."""
    return "下表" in paragraph


def blocks(report: Report, heading: form.Heading) -> Iterator[tuple[str, str]]:
    """What follows a heading, in order: ("text", paragraph) and ("table", key).

    A table goes after the paragraph of the text before it that announces it
    (``…详见下表：``) and the rest of that text after the table; else after the text.
    """
    sections = report.data["narrative"]["sections"]
    pending: list[str] = []
    for key in heading.content:
        if key in form.PART_B_TABLES:
            cut = next((i for i, p in enumerate(pending) if announces_table(p)), len(pending) - 1)
            for p in pending[: cut + 1]:
                yield "text", p
            yield "table", key
            pending = pending[cut + 1:]
            continue
        for p in pending:
            yield "text", p
        pending = paragraphs(sections.get(key))
    for p in pending:
        yield "text", p


def basic_groups(report: Report) -> list[tuple[str, list[dict[str, Any]], Decimal | None]]:
    """基本支出明细 by 类别, in the order they first appear: (类别, items, 小计)."""
    items = report.data["narrative"]["basic_items"]
    groups = list(dict.fromkeys(i["group"] or "" for i in items))
    return [(group, [items[i] for i in report.basic_indices(group)], report.basic_total(group)) for group in groups]


def amount_heading(label: str) -> str:
    """A column of amounts as its heading prints: 金额（万元）."""
    return f"{label}{PAPER.amount_unit}"


def basic_header() -> list[str]:
    """基本支出明细's headings: 类别, 经济分类科目, 金额（万元）."""
    cols = {c.key: c.label for c in form.BASIC_ITEMS.columns}
    return [cols["group"], cols["name"], amount_heading(cols["amount"])]


def subtotal_label(group: str) -> str:
    """The row under a 类别's items: 人员经费小计 (小计 alone for items without one)."""
    return f"{group}{PAPER.subtotal_row}"


def projects_header() -> list[str]:
    """项目支出明细's headings: 序号, the project, its amount, and each use's name and amount."""
    pcols = {c.key: c.label for c in form.PROJECTS.columns}
    ucols = {c.key: c.label for c in form.PROJECT_USES.columns}
    return [PAPER.number_column, pcols["name"], amount_heading(pcols["amount"]),
            f"{form.PROJECT_USES.label}：{ucols['name']}", amount_heading(ucols["amount"])]


def score_rate(score: Decimal | None, weight: Decimal | None) -> str:
    if score is None or weight is None or weight == 0:
        return ""
    return format_percent(score, weight)


def score_rows(report: Report) -> list[list[str]]:
    """一级指标得分: a row per 一级指标 (名称, 分值, 得分, 得分率), then 合计."""
    items = level1_items(report)
    rows = [[item["name"] or "", money(item["weight"]), money(item["score"]), score_rate(item["score"], item["weight"])]
            for item in items]
    weight, score = add([i["weight"] for i in items]), add([i["score"] for i in items])
    rows.append([PAPER.total_row, money(weight), money(score), score_rate(score, weight)])
    return rows


def score_header() -> list[str]:
    return [c.label for c in form.SCORE_ITEMS.columns] + [PAPER.score_rate]


def texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text of Part B printed from the data, with where it comes from."""
    sections = report.data["narrative"]["sections"]
    for node in form.NARRATIVE_SECTIONS.values():
        if sections.get(node.key):
            yield form.section_title(node.key), sections[node.key]
    for i, item in enumerate(report.data["narrative"]["basic_items"]):
        for key in ("group", "name"):
            if item[key]:
                yield f"{form.BASIC_ITEMS.label}第 {i + 1} 行", item[key]
    for i, project in enumerate(report.data["narrative"]["projects"]):
        if project["name"]:
            yield f"{form.PROJECTS.label}第 {i + 1} 行", project["name"]
        for use in project["uses"]:
            if use["name"]:
                yield f"{form.PROJECTS.label}第 {i + 1} 行的用途", use["name"]
    for i, item in enumerate(report.data["score_items"]):
        if item["name"]:
            yield f"{form.SCORE_ITEMS.label}第 {i + 1} 行", item["name"]


# ---------------------------------------------------------------------------
# 审核情况说明
# ---------------------------------------------------------------------------


def place(report: Report, finding: Finding) -> str:
    """Where a finding is, as the official reading the paper looks for it."""
    for cell in finding.cells:
        if cell.startswith("narrative.sections.") and not report.flat:
            return f"{form.NARRATIVE.tab}「{form.section_title(cell.rsplit('.', 1)[1])}」"
    cell = finding.cells[0] if finding.cells else ""
    try:
        node = report.node_at(cell)
        name = report.cell_name(cell)
        if report.flat and "." in cell and not cell.split(".")[1].isdigit():
            name = f"{report.node_at(cell.split('.')[0]).label}·{name}"  # the part, then the field
    except (KeyError, IndexError, ValueError):
        return cell
    label = getattr(node, "label", "")
    return name if not label or label in name else f"{name}·{label}"


def explained(report: Report) -> list[Finding]:
    """The findings that carry a 出错说明, in the order of the paper."""
    return [f for f in check(report) if f.explanation]


def explanation_intro(count: int) -> str:
    return PAPER.explanations_intro.format(count=count)


def explanation_header() -> list[str]:
    """The 审核情况说明 table's headings: 序号, 位置, 审核发现, 出错说明."""
    return [PAPER.number_column, *PAPER.explanations_columns, form.EXPLANATIONS.label]


def explanation_rows(report: Report, findings: list[Finding]) -> list[list[str]]:
    return [
        [str(n), place(report, f), f"【{f.severity_label}】{f.message}", f.explanation or ""]
        for n, f in enumerate(findings, 1)
    ]
