"""The rates a report's own figures give: 预算执行率, 公用经费控制率, ….

One place for them, read by Part B's paragraphs (:mod:`models.narrative`),
the text rules (:mod:`models.textcheck`) and the 自评表's computed scores
(:mod:`models.scoring`). A measure is a quotient of two figures of the report,
named by path; ``table.summary.column`` is the department's row as shown
(stated by an imported file, else computed). The names of the figures in
messages are the form's own labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models import form
from models.report import Report


def rate(numerator: Any, denominator: Any) -> Decimal | None:
    """``numerator / denominator`` in per cent, two decimals; None when it cannot be computed."""
    if numerator is None or denominator is None:
        return None
    num, den = Decimal(numerator), Decimal(denominator)
    if den == 0:
        return None
    return (num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """``74.2%`` for 74.20, ``100%`` for 100.00, as reports write rates."""
    if value is None:
        return "（缺少数字，无法计算）"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def department_row(report: Report, table: form.InstitutionRows) -> dict[str, Any]:
    """The 局机关及二级机构汇总 row as shown (stated by the file, else computed)."""
    return report.shown_summary(table)


def own_row(report: Report, table: form.InstitutionRows) -> dict[str, Any]:
    """The department's own row (1、局机关) as shown: what Part B's 二、 describes."""
    return report.effective_row(table, report.data[table.key][0])


@dataclass(frozen=True)
class Measure:
    """A rate from two figures of the report."""

    key: str
    name: str
    #: Paths of (actual, budget or total) as :func:`figure` reads them.
    numerator: str
    denominator: str
    #: Whether Part B's 七（二） writes a paragraph of it.
    paragraph: bool = True


#: Every measure; those with ``paragraph`` in the order the seed's 七（二） writes them.
MEASURES: tuple[Measure, ...] = (
    Measure("budget_execution", "预算执行率", "expenditure.summary.total", "narrative.budget.expenditure_budget"),
    Measure("public_use", "公用经费控制率", "expenditure.summary.public_use", "narrative.budget.public_use_budget"),
    Measure("three_public", "三公经费控制率", "three_public.summary.total", "narrative.budget.three_public_budget"),
    Measure("procurement", "政府采购执行率", "narrative.budget.procurement_actual", "narrative.budget.procurement_budget"),
    Measure("assets", "固定资产利用率", "assets.summary.in_use", "assets.summary.total"),
    Measure("staff", "在职人员控制率", "basics.staff_actual", "basics.staff_quota", paragraph=False),
)
MEASURES_BY_KEY = {m.key: m for m in MEASURES}


def figure(report: Report, path: str) -> Any:
    """A figure by path; ``table.summary.column`` is the department's row as shown."""
    parts = path.split(".")
    if len(parts) == 3 and parts[1] == "summary":
        table = next(t for t in form.INSTITUTION_TABLES if t.key == parts[0])
        return department_row(report, table)[parts[2]]
    return report.get(path)


def measure_rate(report: Report, measure: Measure) -> Decimal | None:
    return rate(figure(report, measure.numerator), figure(report, measure.denominator))


def figure_label(path: str) -> str:
    """A figure's name in a message: the form's label of its column or field."""
    from models.document import node_at

    parts = path.split(".")
    if len(parts) == 3 and parts[1] == "summary":
        path = f"{parts[0]}.0.{parts[2]}"
    return str(getattr(node_at(path), "label", path))


def formula_text(report: Report, measure: Measure) -> str:
    """``支出合计 5374.44 ÷ 支出预算数 5374.35 = 100%``: the figures a rate was computed from."""
    from models.money import format_decimal

    def shown(path: str) -> str:
        value = figure(report, path)
        text = "（空）" if value is None else format_decimal(Decimal(value))
        return f"{figure_label(path)} {text}"

    return (f"{shown(measure.numerator)} ÷ {shown(measure.denominator)} = "
            f"{percent_text(measure_rate(report, measure))}")
