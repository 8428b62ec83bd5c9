"""汇总表: the finance bureau's workbook of every department's report for a year.

One row per report, in the order the database gives them — by 预算编码, then
department — with the columns of :func:`columns`: who (预算编码, 联系人 …), when
the package came (a real date-time cell), how it stands, its 评分, its figures
with the income and expenditure broken down, its 一级指标 scores and how many
findings it has. The columns are one list of data: a column added there
(its header, width, kind and how an entry gives its value) is written, totalled
and filtered like the others. The figure columns are read from the form
definition, so a renamed label renames its column here too.

Every text from a report is a text cell (an inline string, never a formula;
one that starts like a formula also gets the quote prefix, see
:mod:`reports.sheet_text`). A 合计 row adds up the figures and counts with formulas that carry their sums,
for viewers that do not calculate. The header has an auto-filter, the panes are
frozen under it and right of the department, and the sheets print on A4
landscape with their headers repeated and a footer. The second sheet,
审核发现, lists every finding by what it checks, where (the form's words for
the cells) and what it says.

A province has thousands of reports: they are read one at a time and each row
is written as it comes (:meth:`reports.workbook.xlsx.Sheet.append`), so memory
stays the same whatever the count.

A department-year is counted once. Where the database holds several reports of
one department for the year (kept both on import, or carried over twice), none of
them is counted: which one is right is the finance officer's decision, not the
program's. Which departments those are is known from the list of the year's reports
before any is read; their reports are listed on a sheet of their own (重复报告), and
a line under the 合计 says which departments are missing from it and why.

A report made with a form of another family (:attr:`models.template.Template.flat`, such
as the Chongqing 自评表) has its row here by its template's roles (department, score, grade)
and its own findings; the columns of the program's own form (预算编码, the figures, the 一级
指标) stay blank for it, never 0. Each such family (its templates' ids but for the year) has
a sheet of its own, listing its reports with the fields of its records and, for each of its
tables, the number of rows and the sums of its figures, all by key and under its own labels:
the versions of one family share the columns of the keys they share, and a key a version
lacks is blank in its reports' rows.

Each row says how the report was handed over (:mod:`models.standing`): 定稿 or 草稿
as the department declared it, 不校验导出 as its data shows, and whether its 出错说明
were given.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from models import PROGRAM, form, interchange
from models.errors import ZipingError
from models.form import InstitutionRows
from models.money import add
from models.nodes import Record, Rows, Value
from models.paper import CONSOLIDATION as WORDS
from models.paper import PAPER
from models.report import Report
from models.rules import Finding, blocking, check
from models.standing import Standing, standing
from models.store import Receipt, ReportInfo, Store
from models.template import Template
from models.template_registry import version_key
from reports.sheet_text import looks_like_formula
from reports.workbook import xlsx
from reports.workbook.xlsx import Cell, col_letter

#: (table, column) of each figure in the summary, taken from the 汇总 row: the income and
#: the expenditure broken down as on paper, the 三公经费 and the 固定资产合计.
FIGURES: tuple[tuple[InstitutionRows, str], ...] = (
    *((form.INCOME, c.key) for c in form.INCOME.columns),
    *((form.EXPENDITURE, c.key) for c in form.EXPENDITURE.columns),
    *((form.THREE_PUBLIC, c.key) for c in form.THREE_PUBLIC.columns),
    (form.ASSETS, "total"),
)

STATUS_CLEAN, STATUS_FINDINGS, STATUS_UNCHECKED = "通过", "有审核发现", "不校验导出"
PAPER_SAME, PAPER_EARLIER, PAPER_UNCHECKED = "一致", "纸质报告为较早的版本", "未核对"
SUMMARY_SHEET = WORDS.sheet
FINDINGS_SHEET = WORDS.findings_sheet
#: Where a department has several reports for the year: none of them is counted.
STATUS_DUPLICATE = "重复：未计入合计"
DUPLICATES_SHEET = WORDS.duplicates_sheet


@dataclass(frozen=True)
class Entry:
    """One report in the consolidation: who, when received, how it stands."""

    info: ReportInfo
    report: Report
    receipt: Receipt | None
    findings: list[Finding]
    #: Fingerprints of this report's stamped papers checked (verify), with when.
    papers: dict[str, str] = field(default_factory=dict)
    #: Whether the report's template lacks a table's column (by keys); None: not known.
    lacks: Callable[[str, str], bool] | None = None

    @property
    def status(self) -> str:
        if self.receipt is not None and not self.receipt.checked:
            return STATUS_UNCHECKED
        return STATUS_FINDINGS if self.findings else STATUS_CLEAN

    @property
    def paper(self) -> str:
        """Whether the stamped paper was checked against this report's data: the real
        check of what was handed over (a package's hashes only show it was not damaged)."""
        checked = self.papers.get(self.info.fingerprint)
        if checked is not None:
            return f"{PAPER_SAME}（{checked[:10]}）"
        return PAPER_EARLIER if self.papers else PAPER_UNCHECKED

    @property
    def standing(self) -> Standing:
        """How it was handed over: the package's declared status, checked against its data."""
        return standing(self.findings, self.receipt.status if self.receipt else None)

    @property
    def received_at(self) -> str:
        stamp = self.receipt.received_at if self.receipt else self.info.updated_at
        return stamp[:19].replace("T", " ")

    @property
    def received_time(self) -> datetime | None:
        """When the package came (or, typed here, last saved), as the clock there read."""
        try:
            return datetime.fromisoformat(self.received_at)
        except ValueError:
            return None

    @cached_property
    def shown(self) -> dict[str, Any]:
        """The report's data as shown: blank cells its template's rules fill hold their
        computed values (a form of another family; the program's own form is shown as is)."""
        from models import checks

        return checks.shown(self.report.form, self.report.data) if self.report.flat else self.report.data

    def role(self, name: str) -> Any:
        """The value, as shown, of the cell the report's template gives a role
        (``score``, ``grade``), or None where it gives none."""
        path = self.report.form.role(name)
        return at(self.shown, path) if path else None

    @property
    def self_score(self) -> Decimal | None:
        """评分 as the report shows it: as typed, else the sum of its 一级 scores; for a form
        of another family, the cell its template names the score (as shown)."""
        if self.report.flat:
            score = self.role("score")
            return score if isinstance(score, Decimal) else None
        from models.scoring import self_score

        return self_score(self.report)

    @property
    def grade(self) -> str | None:
        """等级 as typed, else the band of the score; a form of another family: its template's
        grade cell, blank where it grades nothing."""
        if self.report.flat:
            return _text(self.role("grade"))
        return self.report.data["score"]["grade"] or self.report.band_of(self.self_score)

    def level1_scores(self) -> dict[str, Decimal | None]:
        """一级指标 → 自评得分, as the report's 一级指标得分 shows them (stated, else the 自评表's)."""
        from models.scoring import level1_items

        if self.report.flat:
            return {}
        return {item["name"]: item["score"] for item in level1_items(self.report) if item["name"]}

    @property
    def template_name(self) -> str:
        """Which template the report was made with: its id and version."""
        ref = interchange.template_of(self.report)
        return f"{ref['id']} 版本 {ref['version']}"

    def figure(self, table: InstitutionRows, column: str) -> Decimal | None:
        """The figure as the report shows it; blank where its template has no such column
        (never 0: a version of the form without it said nothing of it)."""
        if self.report.flat or (self.lacks is not None and self.lacks(table.key, column)):
            return None
        value = self.report.shown_summary(table)[column]
        return value if isinstance(value, Decimal) else None

    def count(self, what: str) -> int:
        """Findings that are errors, warnings, or errors explained (出错说明 given)."""
        if what == "explained":
            return sum(1 for f in self.findings if f.severity == "error" and f.explanation)
        return sum(1 for f in self.findings if f.severity == what)


def entries(store: Store, year: int) -> Iterator[Entry]:
    """Every report of the year (not in the recycle bin), by 预算编码 then department,
    read one at a time (a report is let go when the next is read)."""
    receipts = store.receipts(year)
    papers = store.paper_checks()
    known = Templates()
    for info in store.of_year(year):
        report = store.load(info.id)
        yield Entry(info, report, receipts.get(info.id), check(report), papers.get(info.id, {}),
                    known.lacks(interchange.template_of(report)))


class Templates:
    """The templates the year's reports name, each looked up once (a province's reports
    name a handful): which of the summary's columns each lacks. A template this program
    does not have (a package's, never installed) is not known: its reports' data, read
    by key, leave what it lacks blank all the same."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, str], Template | None] = {}

    def get(self, ref: dict[str, str]) -> Template | None:
        from models import template_registry

        key = (ref["id"], ref["version"], ref["sha256"])
        if key not in self._found:
            self._found[key] = (form.TEMPLATE if ref["sha256"] == form.TEMPLATE.digest
                                else template_registry.find(*key))
        return self._found[key]

    def lacks(self, ref: dict[str, str]) -> Callable[[str, str], bool] | None:
        template = self.get(ref)
        if template is None or template is form.TEMPLATE:
            return None

        def lacking(table: str, column: str) -> bool:
            part = template.part(table) if template.has(table) else None
            return not isinstance(part, InstitutionRows) or all(c.key != column for c in part.columns)

        return lacking


def duplicated(infos: list[ReportInfo]) -> set[str]:
    """The departments with several reports among ``infos`` (one year's): none is counted."""
    return {name for name, n in Counter(i.dept_name for i in infos).items() if n > 1}


def duplicates_note(conflicts: dict[str, list[int]]) -> str:
    """The line under the 合计 that says who is not counted, and why."""
    named = "；".join(
        f"{name or '（未填部门名称）'}（报告 {'、'.join(str(i) for i in ids)}）" for name, ids in conflicts.items()
    )
    return (
        f"另有 {len(conflicts)} 个部门（单位）本年度有多份报告，都未计入合计，见「{DUPLICATES_SHEET}」表：{named}。"
        "请在数据库中只保留一份（导入时替换，或把多余的移入回收站）后重新生成汇总表。"
    )


# ---------------------------------------------------------------------------
# The columns, as data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the 汇总 sheet."""

    header: str
    #: The value of an entry's cell: text, a figure, a count or a time; None is blank.
    value: Callable[[Entry], Any]
    #: text, id, time, money, score or count: how the cell looks and whether it adds up
    kind: str = "text"
    width: float = 10
    #: The heading over a run of columns (merged over them in the row above the headers).
    group: str = ""
    #: Read from the program's own form (预算编码, 联系人, the figures …): blank, never 0,
    #: for a report made with a form of another family, which has no such cell.
    own: bool = False

    def of(self, entry: Entry) -> Any:
        return None if self.own and entry.report.flat else self.value(entry)

    @property
    def totalled(self) -> bool:
        """Whether the 合计 row adds it up (figures and counts; scores of departments do not add)."""
        return self.kind in ("money", "count")


def _figure_header(table: InstitutionRows, column: str) -> str:
    return table.row.child(column).label


def _figure(table: InstitutionRows, column: str) -> Column:
    return Column(_figure_header(table, column), lambda e: e.figure(table, column), "money",
                  12 if column == "total" else 10, WORDS.figure_groups[table.key], own=True)


def level1_names(frameworks: list[str]) -> dict[str, tuple[str, ...]]:
    """The 一级指标 of the 指标体系 the year's reports use, in order (frameworks differ by
    county), each with the other names a report's 一级指标得分 may give it."""
    from models import framework as fw

    names: dict[str, tuple[str, ...]] = {}
    for frame in (fw.get(f or None) for f in frameworks):
        for node in frame.level1 if frame is not None else ():
            names[node.name] = tuple(dict.fromkeys((*names.get(node.name, (node.name,)), *node.aliases)))
    return names


def _level1(name: str, words: tuple[str, ...]) -> Column:
    def score(e: Entry) -> Decimal | None:
        scores = e.level1_scores()
        return next((scores[w] for w in words if w in scores), None)

    return Column(WORDS.level1_score.format(name=name), score, "score", 7, form.SCORE_ITEMS.label, own=True)


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def columns(frameworks: list[str]) -> list[Column]:
    """The 汇总 sheet's columns in order, with the 一级指标 of ``frameworks``. A column added
    here is written, filtered and (a figure or a count) totalled like the others."""
    who, findings, score = WORDS.who_group, WORDS.findings_group, form.SCORE.tab or form.SCORE.label
    return [
        Column(WORDS.report_id, lambda e: e.info.id, "id", 7, who),
        Column(_label(form.COVER, "budget_code"), lambda e: _text(e.report.data["cover"]["budget_code"]), "text", 10,
               who, own=True),
        Column(WORDS.department, lambda e: e.info.dept_name or "（未填部门名称）", "text", 24, who),
        Column(_label(form.BASICS, "contact"), lambda e: _text(e.report.data["basics"]["contact"]), "text", 8, who,
               own=True),
        Column(_label(form.BASICS, "phone"), lambda e: _text(e.report.data["basics"]["phone"]), "text", 13, who,
               own=True),
        Column(WORDS.received, lambda e: e.received_time, "time", 17, who),
        Column(WORDS.status, lambda e: e.status, "text", 11, who),
        Column(_label(form.SCORE, "self_score"), lambda e: e.self_score, "score", 6, score),
        Column(_label(form.SCORE, "grade"), lambda e: e.grade, "text", 6, score),
        *(_figure(t, c) for t, c in FIGURES),
        *(_level1(name, words) for name, words in level1_names(frameworks).items()),
        Column(form.SEVERITY_LABELS["error"], lambda e: e.count("error"), "count", 6, findings),
        Column(form.SEVERITY_LABELS["warning"], lambda e: e.count("warning"), "count", 6, findings),
        Column(WORDS.explained, lambda e: e.count("explained"), "count", 7, findings),
        # how it was handed over: the declared status, and the 出错说明 as its data shows them
        Column(WORDS.standing, lambda e: e.standing.label, "text", 14, findings),
        Column(form.EXPLANATIONS.label, lambda e: e.standing.explanations, "text", 16, findings),
        Column(WORDS.paper, lambda e: e.paper, "text", 14, findings),
        Column(WORDS.fingerprint, lambda e: e.info.fingerprint, "text", 18, findings),
        Column(WORDS.template, lambda e: e.template_name, "text", 14, findings),
    ]


def _label(record: form.Record, key: str) -> str:
    return record.child(key).label


#: Columns kept in view while scrolling right, and repeated on every printed page.
KEPT_COLUMNS = 3
#: The width, in characters, of the columns one landscape page holds legibly: wider, and the
#: sheet prints on two or more pages side by side (the first columns repeated on each).
PAGE_WIDTH = 190

#: The 重复报告 sheet's columns.
DUPLICATE_COLUMNS: tuple[Column, ...] = (
    Column(WORDS.department, lambda e: e.info.dept_name or "（未填部门名称）", "text", 24),
    Column(WORDS.report_id, lambda e: e.info.id, "id", 8),
    Column(WORDS.received, lambda e: e.received_time, "time", 17),
    Column(WORDS.standing, lambda e: e.standing.label, "text", 16),
    Column(form.EXPLANATIONS.label, lambda e: e.standing.explanations, "text", 26),
    Column(WORDS.fingerprint, lambda e: e.info.fingerprint, "text", 18),
    Column(f"{_figure_header(form.INCOME, 'total')}{PAPER.amount_unit}", lambda e: e.figure(form.INCOME, "total"),
           "money", 14),
    Column(f"{_figure_header(form.EXPENDITURE, 'total')}{PAPER.amount_unit}",
           lambda e: e.figure(form.EXPENDITURE, "total"), "money", 14),
)

#: The 审核发现 sheet: (header, width) of each column.
FINDING_COLUMNS: tuple[tuple[str, float], ...] = (
    (WORDS.report_id, 7), (_label(form.COVER, "budget_code"), 10), (WORDS.department, 18), (WORDS.rule, 22),
    (WORDS.severity, 7), (WORDS.place, 30), (WORDS.message, 60), (form.EXPLANATIONS.label, 30), (WORDS.blocks, 7),
)

_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_EPOCH = datetime(1899, 12, 30)
HEAD_FILL = "FFDDE7F0"
TOTAL_FILL = "FFF2F2F2"


def excel_time(when: datetime) -> Decimal:
    """A date-time as a spreadsheet keeps it: days since 1899-12-30, the time a fraction."""
    delta = when.replace(tzinfo=None) - _EPOCH
    seconds = Decimal(delta.seconds) + Decimal(delta.microseconds) / Decimal(1_000_000)
    return Decimal(delta.days) + (seconds / Decimal(86400)).quantize(Decimal("1e-10"))


class _Styles:
    def __init__(self, book: xlsx.Book) -> None:
        self.book = book
        font = xlsx.Font("宋体", 10)
        bold = xlsx.Font("宋体", 10, bold=True)
        style = book.style
        # left, unmerged: the title stands on the first page however wide the sheet is
        self.title = style(xlsx.Style(xlsx.Font("宋体", 16, bold=True), "left", "center", False, border=False))
        self.head = style(xlsx.Style(bold, "center", "center", True, fill=HEAD_FILL))
        self.text = style(xlsx.Style(font, "left", "center", True))
        self.top = style(xlsx.Style(font, "left", "top", True))
        self.center = style(xlsx.Style(font, "center", "center", True))
        self.money = style(xlsx.Style(font, "right", "center", False, number_format="0.00"))
        self.time = style(xlsx.Style(font, "center", "center", False, number_format=_TIME_FORMAT))
        self.total_label = style(xlsx.Style(bold, "center", "center", True, fill=TOTAL_FILL))
        self.total_money = style(xlsx.Style(bold, "right", "center", False, number_format="0.00", fill=TOTAL_FILL))
        self.total_count = style(xlsx.Style(bold, "center", "center", False, fill=TOTAL_FILL))
        self.note = style(xlsx.Style(font, "left", "center", True, border=False))
        # one line under a table, not wrapped: it runs on over the empty cells to its right
        self.line = style(xlsx.Style(xlsx.Font("宋体", 10, bold=True), "left", "center", False, border=False))

    def quoted(self, style: int) -> int:
        """The style with the quote prefix: a text that starts like a formula stays text when edited."""
        return self.book.style(replace(self.book.styles[style - 1], quote=True))

    def of(self, kind: str) -> int:
        return {"money": self.money, "time": self.time, "id": self.center, "score": self.center,
                "count": self.center}.get(kind, self.text)


def _cell(value: Any, kind: str, styles: _Styles) -> Cell:
    style = styles.of(kind)
    if value is None:
        return Cell(None, None, style)
    if isinstance(value, datetime):
        return Cell("n", excel_time(value), style)
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return Cell("n", Decimal(value), style)
    return _text_cell(str(value), style, styles)


def _text_cell(text: str, style: int, styles: _Styles) -> Cell:
    """A report's text as text: an inline string is never a formula, and one that starts like a
    formula gets the quote prefix, so that it stays text when edited (:mod:`reports.sheet_text`)."""
    return Cell("s", text, styles.quoted(style) if looks_like_formula(text) else style)


def _footer(title: str) -> str:
    return f"&L{title.replace('&', '&&')}&R第 &P 页 共 &N 页"


def render_summary(store: Store, year: int) -> bytes:
    """The consolidated workbook (汇总表) for ``year``."""
    if not store.of_year(year):
        raise ZipingError(f"数据库中没有 {year} 年度的报告，无法生成汇总表。")
    title = WORDS.title.format(year=year)
    with xlsx.Book(title=title, creator=PROGRAM) as book:
        return _write_summary(book, store, year, title)


def _write_summary(book: xlsx.Book, store: Store, year: int, title: str) -> bytes:
    styles = _Styles(book)
    cols = columns(store.frameworks(year))
    widths = [c.width for c in cols]
    ws = book.sheet(SUMMARY_SHEET.format(year=year), widths, landscape=True, footer=_footer(title))
    sheets = family_sheets(book, store, year, title, styles, {SUMMARY_SHEET.format(year=year), FINDINGS_SHEET,
                                                               DUPLICATES_SHEET})
    fs = book.sheet(FINDINGS_SHEET, [w for _h, w in FINDING_COLUMNS], landscape=True,
                    footer=_footer(f"{title}·{FINDINGS_SHEET}"))
    twice = duplicated(store.of_year(year))
    ds = book.sheet(DUPLICATES_SHEET, [c.width for c in DUPLICATE_COLUMNS], landscape=True,
                    footer=_footer(f"{title}·{DUPLICATES_SHEET}")) if twice else None
    last = len(cols)
    header = _heads(ws, title, cols, styles)
    fs.append([Cell("s", h, styles.head) for h, _w in FINDING_COLUMNS], height=20)
    if ds is not None:
        ds.append([Cell("s", c.header, styles.head) for c in DUPLICATE_COLUMNS], height=20)
    conflicts: dict[str, list[int]] = {}

    totals: dict[int, Decimal | None] = {i: None for i, c in enumerate(cols) if c.totalled}
    first = header + 1
    for entry in entries(store, year):
        _findings(fs, entry, styles)
        if ds is not None and entry.info.dept_name in twice:
            # one of several reports of a department: listed there, not counted here
            conflicts.setdefault(entry.info.dept_name, []).append(entry.info.id)
            listed = [c.of(entry) for c in DUPLICATE_COLUMNS]
            ds.append([_cell(v, c.kind, styles) for v, c in zip(listed, DUPLICATE_COLUMNS, strict=True)],
                      height=_height([v if isinstance(v, str) else "" for v in listed],
                                     [c.width for c in DUPLICATE_COLUMNS]))
            continue
        _row(ws, entry, cols, styles, totals)
        family = sheets.get(entry.report.form.digest) if entry.report.flat else None
        if family is not None:
            _row(family.sheet, entry, family.columns, styles, family.totals)
    data_last = ws.appended
    _total_row(ws, cols, totals, first, data_last, styles, KEPT_COLUMNS - 1)
    for family in dict.fromkeys(sheets.values()):
        family.finish(styles)
    if conflicts:
        ws.append([Cell("s", duplicates_note(conflicts), styles.line)], height=20)
    if ds is not None:
        ds.append([])
        ds.append([Cell("s", "以上部门（单位）本年度各有多份报告，都未计入汇总表的合计。请在数据库中只保留一份"
                             "（导入时替换，或把多余的移入回收站）后重新生成汇总表。", styles.line)])
        ds.freeze = (1, 1)
        ds.print_rows = (1, 1)

    ws.freeze = (header, KEPT_COLUMNS)
    ws.auto_filter = (header, 1, data_last, last)
    ws.print_rows = (1, header)
    ws.print_cols = (1, KEPT_COLUMNS)
    ws.fit_width = max(1, math.ceil(sum(widths) / PAGE_WIDTH))
    fs.freeze = (1, 3)
    fs.auto_filter = (1, 1, max(fs.appended, 2), len(FINDING_COLUMNS))
    fs.print_rows = (1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _heads(ws: xlsx.Sheet, title: str, cols: list[Column], styles: _Styles, fit: bool = False) -> int:
    """The title, the groups merged over their runs of columns and the headers (a row 42 points
    tall, or with ``fit`` taller where a header wraps to more lines); the header row."""
    ws.append([Cell("s", title, styles.title)], height=30)
    groups: list[Cell | None] = []
    for i, column in enumerate(cols):
        starts = i == 0 or cols[i - 1].group != column.group
        groups.append(Cell("s", column.group, styles.head) if starts else Cell(None, None, styles.head))
        end = i
        while starts and end + 1 < len(cols) and cols[end + 1].group == column.group:
            end += 1
        if end > i:
            ws.merges.append((2, i + 1, 2, end + 1))
    ws.append(groups, height=20)
    return ws.append([Cell("s", c.header, styles.head) for c in cols],
                     height=max(42.0, _height([c.header for c in cols], [c.width for c in cols])) if fit else 42)


def _row(ws: xlsx.Sheet, entry: Entry, cols: list[Column], styles: _Styles,
         totals: dict[int, Decimal | None]) -> None:
    """One report's row, added into the totals of the columns that add up."""
    values = [column.of(entry) for column in cols]
    ws.append([_cell(v, c.kind, styles) for v, c in zip(values, cols, strict=True)],
              height=_height([v if isinstance(v, str) else "" for v in values], [c.width for c in cols]))
    for i, total in list(totals.items()):
        value = values[i]
        if isinstance(value, (Decimal, int)):
            totals[i] = add([total, Decimal(value)])


def _total_row(ws: xlsx.Sheet, cols: list[Column], totals: dict[int, Decimal | None], first: int, last: int,
               styles: _Styles, label_at: int) -> None:
    """The 合计 row: formulas that carry their sums; a column with no figure stays blank, not 0."""
    row: list[Cell | None] = [Cell(None, None, styles.total_label) for _ in cols]
    row[label_at] = Cell("s", PAPER.total_row, styles.total_label)
    for i, total in totals.items():
        letter = col_letter(i + 1)
        args = f"{letter}{first}:{letter}{last}"
        style = styles.total_money if cols[i].kind == "money" else styles.total_count
        # the sum is stored with the formula, for viewers that do not calculate; blank is not zero
        row[i] = Cell("f", f'=IF(COUNT({args})=0,"",SUM({args}))', style, total if total is not None else "")
    ws.append(row, height=20)


# ---------------------------------------------------------------------------
# A sheet per family of forms of another family (records and row tables only)
# ---------------------------------------------------------------------------

#: The words of a family's sheet that are no label of its form.
ROW_COUNT = "行数"
COLUMN_SUM = "{label}合计"
#: Characters a spreadsheet refuses in a sheet's name, and the longest name it takes.
_SHEET_UNSAFE = str.maketrans({c: "_" for c in "[]:*?/\\'"})
SHEET_NAME_CHARS = 31


def at(data: Any, path: str) -> Any:
    """The value at a cell path (``cover.self_score``, ``indicators.0.score``) of plain data, or None."""
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _additive(value: Value) -> bool:
    """Whether a table's column adds up over its rows: a figure, but not a rate in %
    (得分系数 summed means nothing; 指标权重 and 指标得分 do)."""
    return value.is_figure and value.units[:1] != ("%",)


def _family_keys(template: Template) -> list[tuple[str, Column]]:
    """The columns one template gives its family's sheet, by shared keys: the fields of its
    records (not long texts, nor the department the sheet names already), then each row
    table's number of rows and the sums of its figures."""
    out: list[tuple[str, Column]] = []
    # the sheet names the department, and is of one year, already
    named = {template.role("department"), template.role("year")}
    for part in template.report.children:
        if part.key == form.EXPLANATIONS.key:
            continue  # the 出错说明, counted with the findings
        if isinstance(part, Rows):
            out.append((f"{part.key}.#", Column(ROW_COUNT, _row_count(part.key), "count", 5, part.label)))
            for value in part.row.children:
                if isinstance(value, Value) and _additive(value):
                    out.append((f"{part.key}.{value.key}",
                                Column(COLUMN_SUM.format(label=value.label), _column_sum(part.key, value.key),
                                       "score" if value.kind == "score" else "money", 9, part.label)))
        elif isinstance(part, Record):
            for value in part.children:
                path = f"{part.key}.{value.key}"
                if not isinstance(value, Value) or value.kind == "longtext" or path in named:
                    continue
                kind = {"money": "money", "score": "score", "int": "score"}.get(value.kind, "text")
                width = {"money": 10, "score": 8}.get(kind) or min(16, max(8, value.max_length or 10))
                out.append((path, Column(value.label, _field(path), kind, width, part.label)))
    return out


def _field(path: str) -> Callable[[Entry], Any]:
    return lambda e: at(e.shown, path)


def _row_count(table: str) -> Callable[[Entry], Any]:
    return lambda e: len(at(e.shown, table) or [])


def _column_sum(table: str, column: str) -> Callable[[Entry], Any]:
    def total(e: Entry) -> Decimal | None:
        figures = [row.get(column) for row in at(e.shown, table) or [] if isinstance(row, dict)]
        figures = [f for f in figures if isinstance(f, Decimal)]
        return add(figures) if figures else None  # no figure is blank, not 0

    return total


def _lacking(key: str, value: Callable[[Entry], Any]) -> Callable[[Entry], Any]:
    """A column's value, blank (never 0) for a report whose version of the form lacks the key."""
    def shown(e: Entry) -> Any:
        return value(e) if key in _keys_of(e.report.form) else None

    return shown


@lru_cache(maxsize=64)
def _keys_of(template: Template) -> frozenset[str]:
    return frozenset(key for key, _c in _family_keys(template))


def family_columns(templates: list[Template]) -> list[Column]:
    """The columns of a family's sheet for the versions ``templates`` (newest first, whose
    labels head the columns): the keys of every version, each where its own version places
    it; a key a version lacks is blank in its reports' rows."""
    keyed: list[tuple[str, Column]] = []
    for template in templates:
        previous = -1
        for key, column in _family_keys(template):
            found = next((i for i, (k, _c) in enumerate(keyed) if k == key), None)
            if found is None:
                keyed.insert(previous + 1, (key, column))
                found = previous + 1
            previous = found
    findings = WORDS.findings_group
    return [
        Column(WORDS.report_id, lambda e: e.info.id, "id", 7, WORDS.who_group),
        Column(WORDS.department, lambda e: e.info.dept_name or "（未填部门名称）", "text", 20, WORDS.who_group),
        *(replace(column, value=_lacking(key, column.value)) for key, column in keyed),
        Column(form.SEVERITY_LABELS["error"], lambda e: e.count("error"), "count", 6, findings),
        Column(form.SEVERITY_LABELS["warning"], lambda e: e.count("warning"), "count", 6, findings),
        Column(WORDS.explained, lambda e: e.count("explained"), "count", 7, findings),
        Column(WORDS.template, lambda e: e.template_name, "text", 16, findings),
    ]


@dataclass(eq=False)
class FamilySheet:
    """The sheet of one family of forms of another family, written as its reports come."""

    sheet: xlsx.Sheet
    columns: list[Column]
    header: int
    totals: dict[int, Decimal | None]

    def finish(self, styles: _Styles) -> None:
        last = self.sheet.appended
        _total_row(self.sheet, self.columns, self.totals, self.header + 1, last, styles, 1)
        self.sheet.freeze = (self.header, 2)
        self.sheet.auto_filter = (self.header, 1, max(last, self.header + 1), len(self.columns))
        self.sheet.print_rows = (1, self.header)
        self.sheet.print_cols = (1, 2)
        self.sheet.fit_width = max(1, math.ceil(sum(c.width for c in self.columns) / PAGE_WIDTH))


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet's name a spreadsheet takes: no []:*?/\\ or quote, 31 characters at most, not
    one of ``taken`` (compared as spreadsheets do, ignoring case)."""
    base = text.translate(_SHEET_UNSAFE).strip() or "表样"
    name, n = base[:SHEET_NAME_CHARS], 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"（{n}）"
        name = base[: SHEET_NAME_CHARS - len(suffix)] + suffix
    taken.add(name)
    return name


def family_sheets(book: xlsx.Book, store: Store, year: int, title: str, styles: _Styles,
                  taken: set[str]) -> dict[str, FamilySheet]:
    """A sheet for each family of forms of another family the year's reports were made with
    (found from the records alone, before any report is read), by each version's SHA-256."""
    from models.template_choice import family

    families: dict[str, dict[str, Template]] = {}
    refs = {tuple(ref.items()) for ref in (store.template(info.id) for info in store.of_year(year)) if ref}
    for ref in sorted(refs):  # a province's reports name a handful: each looked up once
        found = store.template_form(dict(ref))
        if found is not None and found.flat:
            families.setdefault(family(found.id), {})[found.digest] = found
    out: dict[str, FamilySheet] = {}
    for versions in families.values():
        ordered = sorted(versions.values(), reverse=True,
                         key=lambda t: (t.year, version_key(t.version), t.id))
        cols = family_columns(ordered)
        name = sheet_name(ordered[0].name or ordered[0].title, taken)
        ws = book.sheet(name, [c.width for c in cols], landscape=True, footer=_footer(f"{title}·{name}"))
        header = _heads(ws, f"{title}·{name}", cols, styles, fit=True)
        sheet = FamilySheet(ws, cols, header, {i: None for i, c in enumerate(cols) if c.totalled})
        for digest in versions:
            out[digest] = sheet
    return out


def _findings(fs: xlsx.Sheet, entry: Entry, styles: _Styles) -> None:
    """The entry's findings on 审核发现, each by what it checks and where, in the form's words."""
    from models.labels import cells_text, rule_title

    open_errors = blocking(entry.findings)
    code = None if entry.report.flat else _text(entry.report.data["cover"]["budget_code"])
    for f in entry.findings:
        # Cells of one row share their place: 二、收入「1、局机关」收入合计、… — every one of them.
        where = cells_text(f.cells, entry.report, most=len(f.cells))
        values: list[tuple[Any, int]] = [
            (entry.info.id, styles.center), (code, styles.top), (entry.info.dept_name, styles.top),
            (rule_title(f.rule, entry.report), styles.top), (f.severity_label, styles.center), (where, styles.top),
            (f.message, styles.top), (f.explanation, styles.top), ("是" if f in open_errors else "否", styles.center),
        ]
        fs.append([
            Cell("n", Decimal(v), s) if isinstance(v, int) else _text_cell(str(v), s, styles) if v not in (None, "")
            else Cell(None, None, s)
            for v, s in values
        ], height=_height([str(v or "") for v, _s in values], [w for _h, w in FINDING_COLUMNS]))


def _height(texts: list[str], widths: list[float]) -> float:
    """A row tall enough for its wrapped texts (spreadsheets do not measure them on opening)."""
    from reports.workbook.layout import row_points, text_lines

    return max(15.0, row_points(max(text_lines(t, w) for t, w in zip(texts, widths, strict=True))))
