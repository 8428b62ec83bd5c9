"""The words the paper prints that are not a field's or a table's label, as data.

:mod:`models.form` names every field, column and table; the paper also prints
headings no record stands for (二、部门（单位）收支情况), the title on the cover,
the few words of its tables that are no column of the data (签字, 得分率, 合计)
and the names of the workbook's sheets. They are written here once, as fields of
:class:`Paper`, and every output reads them from :data:`PAPER`; the
form definition owns them, as it owns the labels.

:class:`Consolidation` holds the words of the finance bureau's 汇总表, which
gathers the reports of a year: its title, sheets and column headings. The
figures' columns take the form's own labels.

Nothing here is logic: each field is a word, a line, or a text with ``{name}``
places filled in by :meth:`str.format` (``{year}``, ``{count}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sheets:
    """The names of the workbook's visible sheets that no part of the form names
    (基本支出明细, 项目支出明细 and 自评表 are the tables' own)."""

    cover: str = "封面与基本概况"
    money: str = "收支情况"
    performance: str = "绩效自评"
    people: str = "评价人员"


@dataclass(frozen=True)
class Paper:
    """What the paper (the PDF, the Word file, the workbook, the window's cover) prints
    besides the labels of the form's nodes."""

    #: The title as the cover prints it, under ``{单位}{年度}年度``: its two lines. The
    #: document's title is the two run together (:attr:`title`).
    title_lines: tuple[str, str] = ("部门整体支出", "绩效自评报告")
    #: Headings of parts of the paper that no record of the form stands for.
    money_section: str = "二、部门（单位）收支情况"
    performance_section: str = "三、部门（单位）整体支出绩效自评情况"
    #: The column beside the evaluators where each signs.
    sign_column: str = "签字"
    #: The date line under a signature: 年　月　日, each word after a gap to write in.
    date_words: tuple[str, ...] = ("年", "月", "日")
    #: The row under a table of figures that adds them up, and a group's own sum.
    total_row: str = "合计"
    subtotal_row: str = "小计"
    #: The first column of a numbered table (项目支出明细, the 审核情况说明).
    number_column: str = "序号"
    #: The column of 一级指标得分 that gives 自评得分 ÷ 指标分值.
    score_rate: str = "得分率"
    #: After the label of a column of amounts: 金额（万元）.
    amount_unit: str = "（万元）"
    #: The 自评表 (附件2) printed alone: its title after the department and the year.
    scoring_title: str = "绩效自评表"
    #: The 自评表's columns as printed, left to right: the keys of its 指标体系's headings.
    scoring_columns: tuple[str, ...] = (
        "level1", "weight", "score", "level2", "weight", "score", "level3", "weight", "criteria",
        "target", "actual", "score", "reason",
    )
    #: The page after the report that lists the findings the clerk explained: its title,
    #: the sentence under it, and the columns between 序号 and the 出错说明 itself.
    explanations_title: str = "审核情况说明"
    explanations_intro: str = "本报告经审核，以下 {count} 项审核发现已由填报单位作出说明，随报告一并报送，供财政部门审阅。"
    explanations_columns: tuple[str, ...] = ("位置", "审核发现")
    #: The workbook's sheets.
    sheets: Sheets = field(default_factory=Sheets)

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

    title: str = "{year}年度部门整体支出绩效自评汇总表"
    sheet: str = "{year}年度汇总"
    findings_sheet: str = "审核发现"
    duplicates_sheet: str = "重复报告"
    #: Headings over runs of columns.
    who_group: str = "报告"
    findings_group: str = "审核发现"
    #: Over each table's figures, by the table's key.
    figure_groups: dict[str, str] = field(default_factory=lambda: {
        "income": "年度收入（万元）", "expenditure": "年度支出和结余（万元）",
        "three_public": "三公经费（万元）", "assets": "固定资产（万元）",
    })
    #: Column headings (the form's fields take their labels).
    report_id: str = "报告编号"
    department: str = "部门（单位）"
    received: str = "收到时间"
    status: str = "状态"
    level1_score: str = "{name}得分"
    explained: str = "已说明"
    standing: str = "报送状态"
    paper: str = "纸质报告核对"
    fingerprint: str = "数据指纹"
    #: The 审核发现 sheet's headings besides those above.
    rule: str = "审核内容"
    severity: str = "严重程度"
    place: str = "位置"
    message: str = "说明"
    blocks: str = "阻止定稿"


PAPER = Paper()
CONSOLIDATION = Consolidation()
