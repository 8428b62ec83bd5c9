"""The words clerks and official templates use for the form's labels, as data.

A workbook typed by hand, or a template a finance bureau sent out, rarely
says exactly what :mod:`models.form` says: the 决算 tables call 公共财政拨款
「一般公共预算财政拨款」, a header reads 「“三公”经费」 or 「其中：公务接待费」,
a label is broken over two lines or spaced out as 「联 系 人：」. Reading such a
workbook compares labels after :func:`normal` and accepts, besides the form's
own label, the variants its template lists for it (``aliases`` of a field or
column; ``summary_aliases`` and ``item_aliases`` of the 机构 list).

Keys name what a label stands for:

- ``section.field`` for a field (``basics.phone``, ``score.self_score``);
- ``table.column`` for a column of a table, whatever its row
  (``income.public_budget``, ``score_items.score``, ``evaluators.name``,
  ``uses.amount``);
- ``institutions`` for the column of institution names, ``summary`` for the
  row that adds up the institutions (局机关及二级机构汇总 on paper).

Next year's template that words a heading differently is a word in its file. A
variant must not be another label's word in the same place: 「分值」 is the
自评表's column, so it is no variant of the 一级指标 table's 指标分值.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from models import form
from models.paper import PAPER

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
    assert form.TEMPLATE.institutions is not None
    if key == "institutions":
        return (form.INSTITUTIONS.item_label, *form.TEMPLATE.institutions.item_aliases)
    if key == "summary":
        return (form.SUMMARY_LABEL, *form.TEMPLATE.institutions.summary_aliases)
    head, _, column = key.partition(".")
    tables = {t.key: t for t in _TABLES}
    if head in tables:
        node = tables[head].row.child(column)
    else:
        record = form.REPORT.child(head)
        assert isinstance(record, form.Record)
        node = record.child(column)
    return (node.label, *getattr(node, "aliases", ()))


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
