"""The words the paper prints that are not a field's or a table's label, as data.

:mod:`models.form` names every field, column and table; the paper also prints
headings no record stands for (二、部门（单位）收支情况), the title on the cover,
the few words of its tables that are no column of the data (签字, 得分率, 合计)
and the names of the workbook's sheets. They are fields of :class:`Paper`, and
every output reads them from :data:`PAPER`; like the labels, they are written
in the form's template file (its ``[paper]`` and ``[consolidation]``), not here.

:class:`Consolidation` holds the words of the finance bureau's 汇总表, which
gathers the reports of a year: its title, sheets and column headings. The
figures' columns take the form's own labels.

Nothing here is logic: each field is a word, a line, or a text with ``{name}``
places filled in by :meth:`str.format` (``{year}``, ``{count}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Sheets:
    """The names of the workbook's visible sheets that no part of the form names
    (基本支出明细, 项目支出明细 and 自评表 are the tables' own)."""

    cover: str
    money: str
    performance: str
    people: str


@dataclass(frozen=True)
class Paper:
    """What the paper (the PDF, the Word file, the workbook, the window's cover) prints
    besides the labels of the form's nodes."""

    #: The title as the cover prints it, under ``{单位}{年度}年度``: its two lines. The
    #: document's title is the two run together (:attr:`title`).
    title_lines: tuple[str, str]
    #: Headings of parts of the paper that no record of the form stands for.
    money_section: str
    performance_section: str
    #: The column beside the evaluators where each signs.
    sign_column: str
    #: The date line under a signature: 年　月　日, each word after a gap to write in.
    date_words: tuple[str, ...]
    #: The row under a table of figures that adds them up, and a group's own sum.
    total_row: str
    subtotal_row: str
    #: The first column of a numbered table (项目支出明细, the 审核情况说明).
    number_column: str
    #: The column of 一级指标得分 that gives 自评得分 ÷ 指标分值.
    score_rate: str
    #: After the label of a column of amounts: 金额（万元）.
    amount_unit: str
    #: The 自评表 (附件2) printed alone: its title after the department and the year.
    scoring_title: str
    #: The 自评表's columns as printed, left to right: the keys of its 指标体系's headings.
    scoring_columns: tuple[str, ...]
    #: The page after the report that lists the findings the clerk explained: its title,
    #: the sentence under it, and the columns between 序号 and the 出错说明 itself.
    explanations_title: str
    explanations_intro: str
    explanations_columns: tuple[str, ...]
    #: The workbook's sheets.
    sheets: Sheets

    @property
    def title(self) -> str:
        """The document's title after the department and the year: 部门整体支出绩效自评报告."""
        return "".join(self.title_lines)

    @property
    def short_title(self) -> str:
        """The title as a footer or a printer's queue names the document: 绩效自评报告."""
        return self.title_lines[-1]


@dataclass(frozen=True)
class Consolidation:
    """The words of the 汇总表: its title, sheets, column groups and headings."""

    title: str
    sheet: str
    findings_sheet: str
    duplicates_sheet: str
    #: Headings over runs of columns.
    who_group: str
    findings_group: str
    #: Over each table's figures, by the table's key.
    figure_groups: dict[str, str]
    #: Column headings (the form's fields take their labels).
    report_id: str
    department: str
    received: str
    status: str
    level1_score: str
    explained: str
    standing: str
    paper: str
    fingerprint: str
    #: Which template (id and version) a report was made with.
    template: str
    #: The 审核发现 sheet's headings besides those above.
    rule: str
    severity: str
    place: str
    message: str
    blocks: str


def words(cls: type[Any], raw: Mapping[str, Any]) -> Any:
    """An instance of one of the classes above from a template's ``[paper]`` or
    ``[consolidation]`` (checked by :mod:`models.template`): lists become tuples."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        value = raw[f.name]
        if f.type == "Sheets":
            value = words(Sheets, value)
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):
            value = dict(value)
        out[f.name] = value
    return cls(**out)


#: The words of the form's template (:data:`models.form.TEMPLATE`), read when first used.
PAPER: Paper
CONSOLIDATION: Consolidation


def __getattr__(name: str) -> Any:
    if name not in ("PAPER", "CONSOLIDATION"):
        raise AttributeError(name)
    from models import template

    found = template.default()
    assert found.paper is not None and found.consolidation is not None, "the form's template has [paper]"
    globals()["PAPER"] = words(Paper, found.paper)
    globals()["CONSOLIDATION"] = words(Consolidation, found.consolidation)
    return globals()[name]
