"""The sentence forms of the narrative's 二、一般公共预算支出情况, generated from the figures.

The clerk starts from these and edits freely: what the report keeps is the
text in ``narrative.sections``; these functions only propose it.
"""

from __future__ import annotations

from typing import Any

from models import form
from models.money import format_decimal
from models.report import Report


def _wan(value: Any) -> str:
    return f"{format_decimal(value)}万元" if value is not None else "（未填）万元"


def _items(items: list[dict[str, Any]]) -> str:
    return "，".join(f"{i['name'] or '（未命名）'}{_wan(i['amount'])}" for i in items)


def basic_spending_text(report: Report) -> str:
    """``2023年度一般公共预算财政拨款基本支出382.71万元，人员经费为362.23万元，其中：…。``"""
    row = report.effective_row(form.EXPENDITURE, report.data["expenditure"][0])
    items = report.data["narrative"]["basic_items"]
    personnel = [i for i in items if i["group"] == form.PERSONNEL_GROUP]
    public_use = [i for i in items if i["group"] == form.PUBLIC_USE_GROUP]
    year = f"{report.year}年度" if report.year else "本年度"
    text = f"{year}一般公共预算财政拨款基本支出{_wan(row['basic'])}，人员经费为{_wan(row['personnel'])}"
    text += f"，其中：{_items(personnel)}。" if personnel else "。"
    text += f"公用经费{_wan(row['public_use'])}。"
    if public_use:
        text += f"其中：{_items(public_use)}。"
    return text


def project_spending_text(report: Report) -> str:
    """``2023年度市级专项资金4991.63万元，一共36个专项，其中：智慧城市项目经费2651.35万元，主要用于…。``"""
    row = report.effective_row(form.EXPENDITURE, report.data["expenditure"][0])
    projects = report.data["narrative"]["projects"]
    year = f"{report.year}年度" if report.year else "本年度"
    text = f"{year}市级专项资金{_wan(row['project'])}，一共{len(projects)}个专项"
    parts = []
    for p in projects:
        piece = f"{p['name'] or '（未命名）'}{_wan(p['amount'])}"
        if p["uses"]:
            piece += f"，主要用于{_items(p['uses'])}"
        parts.append(piece)
    return text + (f"，其中：{'，'.join(parts)}。" if parts else "。")
