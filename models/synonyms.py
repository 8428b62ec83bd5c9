"""The words clerks and official templates use for the form's labels, as data.

A workbook typed by hand, or a template a finance bureau sent out, rarely
says exactly what :mod:`models.form` says: the 决算 tables call 公共财政拨款
「一般公共预算财政拨款」, a header reads 「“三公”经费」 or 「其中：公务接待费」,
a label is broken over two lines or spaced out as 「联 系 人：」. Reading such a
workbook compares labels after :func:`normal` and accepts, besides the form's
own label, the variants listed here in :data:`SYNONYMS`.

Keys name what a label stands for:

- ``section.field`` for a field (``basics.phone``, ``score.self_score``);
- ``table.column`` for a column of a table, whatever its row
  (``income.public_budget``, ``score_items.score``, ``evaluators.name``,
  ``uses.amount``);
- ``institutions`` for the column of institution names, ``summary`` for the
  row that adds up the institutions (局机关及二级机构汇总 on paper).

Next year's template that words a heading differently is a line here. A
variant must not be another label's word in the same place: 「分值」 is the
自评表's column, so it is no variant of the 一级指标 table's 指标分值.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from models import form
from models.paper import PAPER

#: Variants of each label besides the form's own (see the module's docstring for keys).
SYNONYMS: dict[str, tuple[str, ...]] = {
    # 封面
    "cover.dept_name": ("部门(单位)名称", "部门名称", "单位名称", "部门(单位)名称(章)", "单位名称(盖章)",
                        "部门名称(盖章)", "预算单位名称", "填报单位"),
    "cover.budget_code": ("预算单位编码", "单位编码", "部门编码", "预算代码", "部门预算编码", "单位代码"),
    "cover.year": ("评价年度", "报告年度", "年份", "所属年度"),
    "cover.eval_method": ("评价形式",),
    "cover.eval_org": ("评价单位", "评价组织"),
    "cover.report_date": ("报告日期", "填报日期", "填报时间", "报送时间"),
    # 一、基本概况
    "basics.contact": ("联络人", "填报人", "经办人"),
    "basics.phone": ("联络电话", "电话", "联系方式", "电话号码", "联系人电话"),
    "basics.staff_quota": ("编制人数", "编制数", "核定编制", "编制"),
    "basics.staff_actual": ("实有人员", "在职人数", "实有在职人数", "实有人员数"),
    "basics.duties": ("职能职责", "部门职能", "主要职能", "部门职能职责", "职能职责概况"),
    "basics.main_work": ("主要工作内容", "年度主要工作", "年度重点工作内容"),
    "basics.achievements": ("总体运行情况及取得的成绩", "年度总体运行情况及取得的成绩", "取得的成绩",
                            "年度部门总体运行情况及取得的成绩"),
    # 二、收支情况：机构 and the summary row
    "institutions": ("单位名称", "机构", "单位", "部门(单位)", "部门(单位)名称", "预算单位"),
    "summary": ("合计", "总计", "汇总", "部门合计", "单位合计", "局机关及二级机构合计", "部门汇总", "合计数"),
    # 年度收入情况
    "income.total": ("收入总计", "本年收入合计", "年度收入合计", "收入合计数"),
    "income.carryover": ("上年结转结余", "年初结转和结余", "年初结转结余", "上年结转和结余", "上年结余"),
    "income.public_budget": ("一般公共预算财政拨款", "一般公共预算拨款", "一般公共预算财政拨款收入",
                             "一般公共预算", "公共预算拨款", "公共财政预算拨款", "财政拨款"),
    "income.gov_fund": ("政府性基金拨款", "政府性基金预算拨款", "政府性基金预算财政拨款",
                        "政府性基金预算财政拨款收入", "政府性基金", "政府基金"),
    "income.special_account": ("非税收入拨款", "专户管理的非税收入拨款", "纳入专户管理的非税收入",
                               "财政专户管理资金", "财政专户管理资金收入", "非税收入"),
    "income.other": ("其他",),
    # 年度支出和结余情况
    "expenditure.total": ("支出总计", "本年支出合计", "年度支出合计", "支出合计数"),
    "expenditure.basic": ("基本支出合计",),
    "expenditure.personnel": ("人员经费", "人员经费支出", "人员支出合计"),
    "expenditure.public_use": ("公用经费", "公用经费支出", "日常公用经费", "公用支出合计"),
    "expenditure.project": ("项目支出合计",),
    "expenditure.balance_year": ("本年结余", "当年结转结余", "本年结转结余", "当年结转和结余"),
    "expenditure.balance_cum": ("年末结转和结余", "年末结转结余", "累计结转结余", "累计结转和结余"),
    # 三公经费
    "three_public.total": ("三公经费", "三公经费支出合计", "三公经费支出", "三公经费总额"),
    "three_public.reception": ("公务接待", "公务接待费支出"),
    "three_public.vehicle_ops": ("公务用车运行费", "公务车运行维护费", "公务用车运行维护", "公务用车运行维护费支出"),
    "three_public.vehicle_purchase": ("公务车购置费", "公务用车购置", "公务用车购置费支出"),
    "three_public.overseas": ("因公出国(境)费", "因公出国境费用", "因公出国费用", "出国(境)费", "因公出国(境)经费"),
    # 固定资产
    "assets.total": ("固定资产", "固定资产总额", "固定资产总计", "固定资产原值合计"),
    "assets.in_use": ("在用", "在用资产"),
    "assets.leased": ("出租", "出租出借固定资产", "出租资产"),
    "assets.other": ("其他固定资产",),
    # 三、绩效自评情况
    "qualitative.expected": ("年度预期目标", "预期目标内容"),
    "qualitative.actual": ("实际完成情况", "目标完成情况"),
    "indicators.level1": ("评价内容(一级指标)",),
    "indicators.level2": ("指标类型",),
    "indicators.name": ("指标名称", "具体指标"),
    "indicators.target": ("年度绩效目标", "绩效目标值", "年度目标"),
    "indicators.actual": ("实际完成", "完成值情况", "实际完成情况"),
    "score.self_score": ("自评得分", "综合得分", "自评综合得分", "综合评分", "总得分", "自评分"),
    "score.grade": ("评价等次", "等次", "评价等级", "自评等级", "等级评定", "自评等次"),
    "score_items.name": ("一级指标名称",),
    "score_items.weight": ("标准分值", "指标分值(分)", "权重分值"),
    "score_items.score": ("实际得分", "得分"),
    # 四、评价人员
    "evaluators.name": ("评价人姓名",),
    "evaluators.title": ("职务、职称", "职务职称", "职务", "职称"),
    "evaluators.org": ("工作单位", "所在单位"),
    # 评价报告的表
    "basic_items.name": ("科目名称", "经济科目", "支出科目"),
    "projects.name": ("项目", "专项名称"),
    "projects.amount": ("项目金额", "支出金额"),
}

#: Cells that carry no value but often stand on a clerk's sheet: titles, notes on units, headings.
HEADINGS: tuple[str, ...] = (
    PAPER.short_title,
    PAPER.title,
    form.REPORT.label,
    "附件1",
    "附件",
    "单位:万元",
    "金额单位:万元",
    "单位:万元、人",
    PAPER.sign_column,
    PAPER.score_rate,
    PAPER.total_row,
    "其中",
    "结余",
)

#: Headers of a column of notes a clerk adds beside a table: its cells are no part of the report.
NOTES: tuple[str, ...] = ("备注", "说明", "附注", "备注说明")

_QUOTES = re.compile("[\"'“”‘’「」『』]")
_REQUIRED_MARK = re.compile(r"^\*+")
_WITHIN = re.compile(r"^其中:?(?=.)")
_UNIT = re.compile(r"[(](?:单位:)?(?:万元|元|人|分|个|%|百分比)[)]$")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+|\d+|[(][一二三四五六七八九十\d]+[)])[、.．]?")


def normal(text: object) -> str:
    """A label as compared: full-width folded, without spaces, line breaks, quotes,
    a ``其中：`` prefix, a trailing colon or a unit in brackets.

    ``「其中：“三公”经费\\n合计（万元）」`` and ``三公经费合计`` are one label.
    """
    folded = unicodedata.normalize("NFKC", str(text))
    folded = re.sub(r"\s+", "", folded)
    folded = _QUOTES.sub("", folded)
    folded = _REQUIRED_MARK.sub("", folded).rstrip(":")
    folded = _WITHIN.sub("", folded)
    return _UNIT.sub("", folded)


def heading(text: object) -> str:
    """A heading as compared: :func:`normal` without its numbering (``一、`` ``（二）`` ``3.``)."""
    return _NUMBERING.sub("", normal(text), count=1)


#: The tables whose columns have labels to find (their keys are the first part of a label key).
_TABLES: tuple[form.InstitutionRows | form.Rows, ...] = (
    *form.INSTITUTION_TABLES, form.QUALITATIVE, form.INDICATORS, form.SCORE_ITEMS, form.EVALUATORS,
    form.BASIC_ITEMS, form.PROJECTS, form.PROJECT_USES,
)


@cache
def words(key: str) -> tuple[str, ...]:
    """Every way of writing the label of ``key``: the form's label first, then its variants."""
    return (_form_label(key), *SYNONYMS.get(key, ()))


def _form_label(key: str) -> str:
    if key == "institutions":
        return form.INSTITUTIONS.item_label
    if key == "summary":
        return form.SUMMARY_LABEL
    head, _, column = key.partition(".")
    tables = {t.key: t for t in _TABLES}
    if head in tables:
        return tables[head].row.child(column).label
    node = form.REPORT.child(head)
    assert isinstance(node, form.Record)
    return node.child(column).label


def keys() -> list[str]:
    """Every key that has a label: the form's fields and columns, ``institutions`` and ``summary``."""
    out = ["institutions", "summary"]
    for record in (form.COVER, form.BASICS, form.SCORE):
        out += [f"{record.key}.{n.key}" for n in record.values()]
    for table in _TABLES:
        out += [f"{table.key}.{c.key}" for c in table.columns]
    return out


def is_summary(text: object) -> bool:
    """Whether a row label names the row that adds up the institutions (合计, 总计, …汇总)."""
    folded = normal(text)
    return folded in {normal(w) for w in words("summary")} or folded.endswith("汇总")
