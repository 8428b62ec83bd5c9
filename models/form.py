"""The form 部门（单位）整体支出绩效自评报告, written down once, as data.

Everything else reads this module: the interchange file's keys and checks,
the store, the rules' cell names and messages, the window's tabs and tables,
the PDF and the workbook. Next year's template that renames a label or a grade
word is a change here and nowhere else.

The report is a tree of nodes:

- :class:`Value` — one field or cell (text, long text, integer, figure, …);
- :class:`Record` — a group of named nodes (a section, a table row);
- :class:`Rows` — a table whose rows the clerk adds and removes;
- :class:`InstitutionRows` — a table with one row per institution (机构),
  under a summary row 局机关及二级机构汇总 that is the column sums;
- :class:`Names` — a list of names (the institutions);
- :class:`Bands` — the grade bands ``[[lower, word], …]``.

Cell paths are ``table.row.column`` (``income.0.total``, ``income.summary.total``)
or ``section.field`` (``basics.phone``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "longtext", "int", "money", "score", "yearmonth"]


@dataclass(frozen=True)
class Value:
    key: str
    label: str
    kind: Kind = "text"
    required: bool = False
    #: Decimal places a figure may carry (money 2, score 1).
    places: int = 2
    #: Units accepted after a figure or a number as typed ("万元", "人").
    units: tuple[str, ...] = ()
    #: Whether a figure may be negative (balances may, amounts may not).
    negative: bool = False
    minimum: int | None = None
    maximum: int | None = None
    #: Default text, formatted with the cover's fields: "{dept_name}绩效自评".
    default: str | None = None
    #: Words the clerk usually picks (the window offers them; any text is kept).
    suggestions: tuple[str, ...] = ()
    #: A longer label for the window and messages, when the short one is terse.
    help: str = ""
    #: Left out of the interchange file while blank: a key added after files were
    #: signed keeps their canonical text, and so their fingerprint, unchanged.
    omit_blank: bool = False
    #: Most characters a text may have, where a longer one cannot be meant (a word).
    max_length: int | None = None

    @property
    def is_figure(self) -> bool:
        return self.kind in ("money", "score")


@dataclass(frozen=True)
class Record:
    key: str
    label: str
    children: tuple[Node, ...]
    #: The tab this record is edited on; None when it is not a tab of its own.
    tab: str | None = None
    #: Left out of the interchange file while every value in it is blank (see Value).
    omit_blank: bool = False

    def child(self, key: str) -> Node:
        for node in self.children:
            if node.key == key:
                return node
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.children)

    def values(self) -> tuple[Value, ...]:
        return tuple(n for n in self.children if isinstance(n, Value))


@dataclass(frozen=True)
class Rows:
    key: str
    label: str
    row: Record
    tab: str | None = None
    #: Columns whose equal consecutive values print as one merged cell.
    merge: tuple[str, ...] = ()
    #: The columns the paper form's table prints and its tab edits; () all of them.
    #: The others belong to another view of the same rows (the 自评表).
    shown: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[Value, ...]:
        return self.row.values()

    @property
    def form_columns(self) -> tuple[Value, ...]:
        """The columns of this table on paper and on its tab."""
        return tuple(c for c in self.columns if not self.shown or c.key in self.shown)


@dataclass(frozen=True)
class SumCheck:
    """``target = Σ parts`` within one row; a blank target shows the sum."""

    rule: str
    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class InstitutionRows:
    key: str
    label: str
    row: Record
    sums: tuple[SumCheck, ...] = ()
    tab: str | None = None
    unit: str = "万元"
    #: Print/workbook headers: groups of columns under a common heading,
    #: ``(heading, first column, last column)``; nested groups allowed.
    groups: tuple[tuple[str, str, str], ...] = ()

    @property
    def columns(self) -> tuple[Value, ...]:
        return self.row.values()

    def computed_order(self) -> tuple[SumCheck, ...]:
        """Sum checks ordered so that a sub-total is computed before its total."""
        ordered: list[SumCheck] = []
        pending = list(self.sums)
        while pending:
            for check in pending:
                if not any(
                    other.target in check.parts for other in pending if other is not check
                ):
                    ordered.append(check)
                    pending.remove(check)
                    break
            else:  # pragma: no cover - a cycle is a mistake in this module
                raise ValueError(f"circular sums in {self.key}")
        return tuple(ordered)


@dataclass(frozen=True)
class Names:
    key: str
    label: str
    item_label: str
    tab: str | None = None


@dataclass(frozen=True)
class Bands:
    key: str
    label: str


Node = Value | Record | Rows | InstitutionRows | Names | Bands


def money(key: str, label: str, **kw: object) -> Value:
    return Value(key, label, "money", units=("万元", "万"), **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Part A — 自评报告
# ---------------------------------------------------------------------------

COVER = Record(
    "cover",
    "封面",
    (
        Value("dept_name", "部门（单位）名称（盖章）", required=True, help="部门（单位）名称"),
        Value("budget_code", "预算编码", help="预算编码，例如 004001"),
        Value("year", "年度", "int", required=True, minimum=2000, maximum=2100, units=("年",)),
        Value("eval_method", "评价方式", default="{dept_name}绩效自评"),
        Value("eval_org", "评价机构", default="{dept_name}评价组"),
        Value("report_date", "报告时间", "yearmonth"),
    ),
    tab="封面",
)

BASICS = Record(
    "basics",
    "一、部门（单位）基本概况",
    (
        Value("contact", "联系人", required=True),
        Value("phone", "联系电话", required=True),
        Value("staff_quota", "人员编制", "int", minimum=0, units=("人",)),
        Value("staff_actual", "实有人数", "int", minimum=0, units=("人",)),
        Value("duties", "职能职责概述", "longtext"),
        Value("main_work", "年度主要工作内容", "longtext"),
        Value("achievements", "年度部门（单位）总体运行情况及取得的成绩", "longtext"),
    ),
    tab="一、基本概况",
)

INSTITUTIONS = Names("institutions", "机构", "机构名称")

#: Label of the summary row, and the names printed when there are no 二级机构.
SUMMARY_LABEL = "局机关及二级机构汇总"
PLACEHOLDER_INSTITUTIONS = ("二级机构1", "二级机构2")
DEFAULT_INSTITUTIONS = ("局机关",)

INCOME = InstitutionRows(
    "income",
    "年度收入情况（万元）",
    Record(
        "income",
        "收入",
        (
            money("total", "收入合计"),
            money("carryover", "上年结转"),
            money("public_budget", "公共财政拨款"),
            money("gov_fund", "政府基金拨款"),
            money("special_account", "纳入专户管理的非税收入拨款"),
            money("other", "其他收入"),
        ),
    ),
    sums=(
        SumCheck(
            "income.sum",
            "total",
            ("carryover", "public_budget", "gov_fund", "special_account", "other"),
        ),
    ),
    tab="二、收入",
    groups=(("其中：", "carryover", "other"),),
)

EXPENDITURE = InstitutionRows(
    "expenditure",
    "部门（单位）年度支出和结余情况（万元）",
    Record(
        "expenditure",
        "支出",
        (
            money("total", "支出合计"),
            money("basic", "基本支出"),
            money("personnel", "人员支出"),
            money("public_use", "公用支出"),
            money("project", "项目支出"),
            money("balance_year", "当年结余", negative=True),
            money("balance_cum", "累计结余", negative=True),
        ),
    ),
    sums=(
        SumCheck("expenditure.sum", "total", ("basic", "project")),
        SumCheck("expenditure.basic", "basic", ("personnel", "public_use")),
    ),
    tab="支出和结余",
    groups=(
        ("其中：", "basic", "project"),
        ("其中：", "personnel", "public_use"),
        ("结余", "balance_year", "balance_cum"),
    ),
)

THREE_PUBLIC = InstitutionRows(
    "three_public",
    "三公经费（万元）",
    Record(
        "three_public",
        "三公经费",
        (
            money("total", "三公经费合计"),
            money("reception", "公务接待费"),
            money("vehicle_ops", "公务用车运行维护费"),
            money("vehicle_purchase", "公务用车购置费"),
            money("overseas", "因公出国（境）费用"),
        ),
    ),
    sums=(
        SumCheck(
            "three_public.sum",
            "total",
            ("reception", "vehicle_ops", "vehicle_purchase", "overseas"),
        ),
    ),
    tab="三公经费",
    groups=(("其中：", "reception", "overseas"),),
)

ASSETS = InstitutionRows(
    "assets",
    "固定资产（万元）",
    Record(
        "assets",
        "固定资产",
        (
            money("total", "固定资产合计"),
            money("in_use", "在用固定资产"),
            money("leased", "出租固定资产"),
            money("other", "其他"),
        ),
    ),
    sums=(SumCheck("assets.sum", "total", ("in_use", "leased", "other")),),
    tab="固定资产",
    groups=(("其中：", "in_use", "other"),),
)

INSTITUTION_TABLES: tuple[InstitutionRows, ...] = (INCOME, EXPENDITURE, THREE_PUBLIC, ASSETS)

QUALITATIVE = Rows(
    "qualitative",
    "整体支出绩效定性目标及实施计划完成情况",
    Record(
        "qualitative",
        "定性目标",
        (
            Value("expected", "预期目标", "longtext"),
            Value("actual", "实际完成", "longtext"),
        ),
    ),
    tab="三、定性目标",
)

LEVEL1_NOTES = {
    "产出目标": "（部门工作实绩，包含上级部门和市委市政府布置的重点工作、实事任务等，根据部门实际进行调整细化）",
    "效益目标": "（预期实现的效益）",
}

INDICATORS = Rows(
    "indicators",
    "整体支出绩效定量目标及实施计划完成情况",
    Record(
        "indicators",
        "定量指标",
        (
            Value("level1", "评价内容", suggestions=("产出目标", "效益目标", "满意度")),
            Value(
                "level2",
                "指标类别",
                suggestions=(
                    "数量、质量、时效、成本指标",
                    "社会、经济、生态效益",
                    "社会公众或服务对象满意度",
                ),
            ),
            Value("name", "指标"),
            Value("target", "绩效目标", "longtext"),
            Value("actual", "完成情况", "longtext"),
            # The same row as a 三级指标 of the 自评表 (附件2): where it sits, how it is scored.
            Value("category", "二级指标", omit_blank=True, help="自评表中的二级指标"),
            Value("nature", "指标性质", omit_blank=True, help="正向、反向或定性：决定计算得分的方法"),
            Value("attainment", "达成程度", omit_blank=True, help="定性指标的达成程度，如达成、基本达成"),
            Value("weight", "分值", "score", places=1, minimum=0, units=("分",), omit_blank=True),
            Value("score", "自评得分", "score", places=1, minimum=0, units=("分",), omit_blank=True),
            Value("criteria", "评分标准", "longtext", omit_blank=True,
                  help="指标解释/评分标准；不填时按指标体系中该指标性质的评分标准"),
            Value("reason", "扣分原因", "longtext", omit_blank=True),
        ),
    ),
    tab="定量指标",
    merge=("level1", "level2"),
    shown=("level1", "level2", "name", "target", "actual"),
)

#: The 自评表's tab, where the 三级 columns of 定量指标 rows are edited.
SCORING_TAB = "自评表"
#: Columns of a 定量指标 row that only the 自评表 shows.
SCORING_COLUMNS = tuple(c.key for c in INDICATORS.columns if c.key not in INDICATORS.shown)

#: The 自评表 (附件2): which 指标体系 scores the report, and the 得分 of the framework's
#: own 三级 lines (预算执行率 …); the 定量指标 rows carry theirs in their own columns.
SCORING = Record(
    "scoring",
    "自评表",
    (
        Value("framework", "指标体系", help="自评表所用的指标体系；不填为湖南省的指标体系"),
        Rows(
            "items",
            "固定三级指标",
            Record(
                "items",
                "固定三级指标",
                (
                    Value("line", "三级指标"),
                    Value("target", "目标值"),
                    Value("actual", "完成值", "longtext"),
                    Value("attainment", "达成程度"),
                    Value("score", "自评得分", "score", places=1, minimum=0, units=("分",)),
                    Value("reason", "扣分原因", "longtext"),
                ),
            ),
        ),
    ),
    tab=SCORING_TAB,
    omit_blank=True,
)

DEFAULT_BANDS: tuple[tuple[str, str], ...] = (
    ("90", "优"),
    ("80", "良"),
    ("60", "较差"),
    ("0", "差"),
)
#: Most grade bands a report may have. The workbook computes the grade with one
#: IF per band, and spreadsheets allow 64 levels; four is usual.
MAX_BANDS = 10

SCORE = Record(
    "score",
    "绩效自评综合得分及评价等次",
    (
        Value("self_score", "评分", "score", places=1, minimum=0, maximum=100, units=("分",)),
        # A grade is a word (优, 较差); the workbook's grade formula quotes it, and a
        # spreadsheet allows 255 characters a quoted text.
        Value("grade", "等级", max_length=20),
        Bands("bands", "备注"),
    ),
    tab="评分",
)

SCORE_ITEMS = Rows(
    "score_items",
    "一级指标得分",
    Record(
        "score_items",
        "一级指标",
        (
            Value("name", "一级指标", suggestions=("投入", "产出", "效益", "满意度")),
            Value("weight", "指标分值", "score", places=1, units=("分",)),
            Value("score", "自评得分", "score", places=1, units=("分",)),
        ),
    ),
    tab="评分",
)

EVALUATORS = Rows(
    "evaluators",
    "评价人员",
    Record(
        "evaluators",
        "评价人员",
        (
            Value("name", "姓名"),
            Value("title", "职务/职称"),
            Value("org", "单位"),
        ),
    ),
)


@dataclass(frozen=True)
class Opinion:
    key: str
    label: str
    #: The lines printed under the opinion, filled by hand on paper.
    sign_lines: tuple[str, ...]


OPINIONS: tuple[Opinion, ...] = (
    Opinion("leader_opinion", "评价组组长签署意见", ("评价组组长（签字）：",)),
    Opinion(
        "dept_opinion",
        "部门（单位）意见",
        ("部门（单位）负责人（签字）：", "部门（单位）（盖章）："),
    ),
    Opinion(
        "finance_opinion",
        "财政部门归口业务股室意见",
        ("财政部门归口业务股室负责人（签字）：", "财政部门归口业务股室（盖章）："),
    ),
)

SIGNATURES = Record(
    "signatures",
    "四、评价人员",
    (EVALUATORS, *(Value(o.key, o.label, "longtext") for o in OPINIONS)),
    tab="四、评价人员与意见",
)

# ---------------------------------------------------------------------------
# Part B — 部门整体支出绩效评价报告 (structured parts and texts)
# ---------------------------------------------------------------------------

PERSONNEL_GROUP = "人员经费"
PUBLIC_USE_GROUP = "公用经费"
#: The 类别 of a 基本支出明细 item → the column of the expenditure table its items add up
#: to (人员经费 → 人员支出, 公用经费 → 公用支出).
BASIC_GROUP_COLUMNS: dict[str, str] = {PERSONNEL_GROUP: "personnel", PUBLIC_USE_GROUP: "public_use"}

#: The usual economic items, offered when a clerk starts the 基本支出 list.
BASIC_ITEM_NAMES: dict[str, tuple[str, ...]] = {
    PERSONNEL_GROUP: (
        "基本工资", "津贴补贴", "奖金", "绩效工资", "机关事业单位基本养老保险缴费",
        "职工基本医疗保险缴费", "其他社会保障缴费", "住房公积金", "其他工资福利支出",
        "退休费", "生活补助", "奖励金",
    ),
    PUBLIC_USE_GROUP: (
        "办公费", "手续费", "差旅费", "培训费", "公务接待费", "委托业务费", "工会经费",
        "福利费", "其他商品和服务支出",
    ),
}

BASIC_ITEMS = Rows(
    "basic_items",
    "基本支出明细",
    Record(
        "basic_items",
        "基本支出明细",
        (
            Value("group", "类别", suggestions=(PERSONNEL_GROUP, PUBLIC_USE_GROUP)),
            Value("name", "经济分类科目"),
            money("amount", "金额"),
        ),
    ),
)

PROJECT_USES = Rows(
    "uses",
    "资金用途",
    Record("uses", "资金用途", (Value("name", "经济分类科目"), money("amount", "金额"))),
)

PROJECTS = Rows(
    "projects",
    "项目支出明细",
    Record(
        "projects",
        "项目支出明细",
        (Value("name", "项目名称", "longtext"), money("amount", "金额"), PROJECT_USES),
    ),
)

#: Figures Part B's sentences need that the form's tables do not hold: the budgets
#: beside the final accounts (预算执行率, 公用经费控制率, 三公经费控制率) and the
#: government procurement (政府采购执行率). Amounts in 万元, like the tables.
BUDGET = Record(
    "budget",
    "预算数与执行数",
    (
        money("income_budget", "收入预算数", help="本年度收入预算数（万元），用于计算预算执行率"),
        money("expenditure_budget", "支出预算数", help="本年度支出预算数（万元），用于计算预算执行率"),
        money("public_use_budget", "公用经费预算数", help="预算安排的公用经费（万元），用于计算公用经费控制率"),
        money("three_public_budget", "三公经费预算数", help="“三公”经费预算数（万元），用于计算三公经费控制率"),
        money("procurement_budget", "政府采购预算数", help="政府采购预算数（万元），用于计算政府采购执行率"),
        money("procurement_actual", "政府采购实际数", help="实际政府采购数（万元），用于计算政府采购执行率"),
    ),
)


@dataclass(frozen=True)
class Heading:
    """A heading of Part B and what follows it, in the order of the paper.

    ``content`` names, in order, the texts (keys of ``narrative.sections``) and
    the tables (:data:`PART_B_TABLES`) printed under the heading, before its
    sub-headings. Level 1 is ``一、`` (黑体), level 2 ``（一）`` (楷体), level 3 an
    unnumbered sub-heading.
    """

    number: str
    title: str
    level: int
    content: tuple[str, ...] = ()
    children: tuple[Heading, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.number}{self.title}"


#: The tables Part B prints among its texts: 基本支出明细, 项目支出明细 and 一级指标得分.
PART_B_TABLES = ("basic_items", "projects", "score_items")

PART_B_TITLE = "部门整体支出绩效评价报告"

#: Part B's headings, texts and tables as the seed report orders them.
PART_B: tuple[Heading, ...] = (
    Heading("一、", "基本情况", 1, children=(
        Heading("（一）", "部门（单位）基本情况", 2, ("basic_info", "staff_text")),
        Heading("（二）", "部门（单位）年度整体支出绩效目标、市级专项资金绩效目标", 2, ("targets",)),
    )),
    Heading("二、", "一般公共预算支出情况", 1, children=(
        Heading("（一）", "基本支出情况", 2, ("basic_spending_text", "basic_items")),
        Heading("（二）", "项目支出情况", 2, ("project_spending_text", "projects")),
    )),
    Heading("三、", "政府性基金预算支出情况", 1, ("gov_fund_text",)),
    Heading("四、", "国有资本经营预算支出情况", 1, ("state_capital_text",)),
    Heading("五、", "社会保险基金预算支出情况", 1, ("social_insurance_text",)),
    Heading("六、", "部门整体支出绩效情况", 1, ("performance_text",), children=(
        Heading("", "获得荣誉", 3, ("honors",)),
        Heading("", "重点工作完成情况", 3, ("key_work",)),
    )),
    Heading("七、", "综合评价情况及评价结论", 1, children=(
        Heading("（一）", "部门整体支出绩效评价综合结论", 2, ("conclusion", "score_items")),
        Heading("（二）", "部门整体支出绩效目标实现情况", 2, ("target_achievement",)),
    )),
    Heading("八、", "主要经验做法、存在的问题及原因分析", 1, ("experience_problems",)),
    Heading("九、", "有关建议", 1, ("suggestions",)),
    Heading("十、", "绩效自评结果拟应用和公开情况", 1, ("disclosure",)),
    Heading("十一、", "其他需要说明的问题", 1, ("other_matters",)),
)

#: What a text is, where its heading alone does not say (the window's label).
_SECTION_NOTES = {"staff_text": "人员编制和机构设置"}


def part_b_headings() -> list[tuple[tuple[Heading, ...], Heading]]:
    """Every heading of Part B with the headings above it, in the order of the paper."""
    out: list[tuple[tuple[Heading, ...], Heading]] = []

    def walk(items: tuple[Heading, ...], above: tuple[Heading, ...]) -> None:
        for h in items:
            out.append((above, h))
            walk(h.children, (*above, h))

    walk(PART_B, ())
    return out


def _section_places() -> dict[str, tuple[Heading, ...]]:
    places: dict[str, tuple[Heading, ...]] = {}
    for above, heading in part_b_headings():
        for key in heading.content:
            places.setdefault(key, (*above, heading))
    return places


SECTION_PLACES = _section_places()


def section_title(key: str) -> str:
    """How a finding names a text of Part B: ``七（二）部门整体支出绩效目标实现情况``."""
    path = SECTION_PLACES[key]
    last = path[-1]
    if not last.number and len(path) > 1:
        return f"{path[-2].text}·{last.title}"
    if last.level == 1:
        return last.text
    return "".join(h.number.rstrip("、") for h in path) + last.title


def _section_label(key: str) -> str:
    label = " ".join(h.text for h in SECTION_PLACES[key])
    note = _SECTION_NOTES.get(key)
    return f"{label}：{note}" if note else label


#: The narrative's free-text sections, in the order of the paper (see :data:`PART_B`).
NARRATIVE_SECTIONS = Record(
    "sections",
    "评价报告正文",
    tuple(
        Value(key, _section_label(key), "longtext")
        for key in SECTION_PLACES
        if key not in PART_B_TABLES
    ),
)

NARRATIVE = Record(
    "narrative",
    "部门整体支出绩效评价报告",
    (BASIC_ITEMS, PROJECTS, BUDGET, NARRATIVE_SECTIONS),
    tab="评价报告",
)

EXPLANATIONS = Rows(
    "explanations",
    "出错说明",
    Record(
        "explanations",
        "出错说明",
        (Value("rule", "规则"), Names("cells", "单元格", "单元格"), Value("text", "说明", "longtext")),
    ),
)

SUMMARY = Record(
    "summary",
    SUMMARY_LABEL,
    tuple(t.row for t in INSTITUTION_TABLES),
)

#: Part A, the form itself, in the order of the interchange file and of the paper.
PART_A: tuple[Node, ...] = (
    COVER,
    BASICS,
    INSTITUTIONS,
    *INSTITUTION_TABLES,
    SUMMARY,
    QUALITATIVE,
    INDICATORS,
    SCORE,
    SCORE_ITEMS,
    SIGNATURES,
)

#: The whole report, in the order of the interchange file and of the paper: Part A,
#: the 评价报告 (Part B), its 附件2 the 自评表, and the 出错说明.
REPORT = Record(
    "",
    "部门（单位）整体支出绩效自评报告",
    (*PART_A, NARRATIVE, SCORING, EXPLANATIONS),
)


def _tabs(nodes: tuple[Node, ...]) -> tuple[str, ...]:
    """The tabs of these parts, each once, in their order (several parts may share one)."""
    return tuple(dict.fromkeys(tab for node in nodes if (tab := getattr(node, "tab", None))))


#: Tabs of the window for Part A, in the order of the paper (the nodes' own ``tab``).
TABS: tuple[str, ...] = _tabs(PART_A)

SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Literal["error", "warning"]
    title: str


#: Every rule 审核 applies, with its severity; the checks live in models.rules.
RULES: tuple[RuleInfo, ...] = (
    RuleInfo("income.sum", "error", "收入合计等于各项收入之和"),
    RuleInfo("figures.empty", "error", "年度收入与年度支出不能全部空白"),
    RuleInfo("expenditure.sum", "error", "支出合计等于基本支出与项目支出之和"),
    RuleInfo("expenditure.basic", "error", "基本支出等于人员支出与公用支出之和"),
    RuleInfo("three_public.sum", "error", "三公经费合计等于各项之和"),
    RuleInfo("assets.sum", "error", "固定资产合计等于各项之和"),
    RuleInfo("summary.rows", "error", "汇总行等于各机构之和"),
    RuleInfo("balance", "warning", "收入合计减支出合计等于当年结余"),
    RuleInfo("score.sum", "error", "一级指标得分之和等于评分，得分不超过分值，分值合计为 100"),
    RuleInfo("score.grade", "error", "等级与评分所在档次一致"),
    RuleInfo("score.blank", "warning", "有一级指标得分时评分已填写"),
    RuleInfo("staff", "warning", "实有人数不超过人员编制"),
    RuleInfo("required", "error", "必填项已填写"),
    RuleInfo("narrative.basic", "error", "基本支出明细之和等于人员支出、公用支出"),
    RuleInfo("narrative.projects", "warning", "项目支出明细之和等于项目支出，各项目用途之和等于其金额"),
    RuleInfo("text.count", "warning", "评价报告正文中的项目个数与项目支出明细一致"),
    RuleInfo("text.figures", "warning", "评价报告正文中的金额与表中数字一致"),
    RuleInfo("text.unit", "warning", "评价报告正文中的金额单位为万元"),
    RuleInfo("text.scores", "warning", "评价报告正文中的得分、扣分、等次与评分表一致"),
    RuleInfo("text.rates", "warning", "评价报告正文中的比率与表中数字算出的一致"),
    RuleInfo("text.generated", "warning", "按表中数字生成的段落改动后与表中数字一致"),
    RuleInfo("scoring.framework", "error", "自评表所用的指标体系可以找到"),
    RuleInfo("scoring.sum", "error", "自评表各级得分等于下级得分之和，一级指标得分与自评表一致"),
    RuleInfo("scoring.over", "error", "自评表的得分不超过分值"),
    RuleInfo("scoring.weights", "error", "自评表下级分值之和等于上级分值"),
    RuleInfo("scoring.place", "warning", "定量指标在自评表中有所属的一级、二级指标"),
    RuleInfo("scoring.suggested", "warning", "自评得分与按评分标准计算的得分一致"),
    RuleInfo("scoring.full", "warning", "未达到目标值的指标不得满分"),
    RuleInfo("scoring.reason", "warning", "扣分的指标写明扣分原因"),
    RuleInfo("scoring.unread", "warning", "定量指标的目标值、完成值可以读出数字"),
)

RULES_BY_ID = {r.id: r for r in RULES}


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
