"""汇总表: the finance bureau's workbook of every department's report for a year.

One row per report with its key figures, totals written as formulas, and a
sheet that lists every finding by department. Every text from a report is
written as a text cell (:mod:`reports.sheet_text`): a name or an 出错说明 that
starts with ``=`` is never a formula here. The figure columns are read
from the form definition, so a renamed label renames its column here too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from models import form
from models.errors import ZipingError
from models.form import InstitutionRows
from models.report import Report
from models.rules import Finding, blocking, check
from models.store import Receipt, ReportInfo, Store
from reports.sheet_text import put_text, row_cells

#: (table, column) of each figure in the summary, taken from the 汇总 row.
FIGURES: tuple[tuple[InstitutionRows, str], ...] = (
    (form.INCOME, "total"),
    (form.EXPENDITURE, "total"),
    (form.EXPENDITURE, "basic"),
    (form.EXPENDITURE, "project"),
    *((form.THREE_PUBLIC, c.key) for c in form.THREE_PUBLIC.columns),
    (form.ASSETS, "total"),
)

STATUS_CLEAN, STATUS_FINDINGS, STATUS_UNCHECKED = "通过", "有审核发现", "不校验导出"
PAPER_SAME, PAPER_EARLIER, PAPER_UNCHECKED = "一致", "纸质报告为较早的版本", "未核对"


@dataclass(frozen=True)
class Entry:
    """One report in the consolidation: who, when received, how it stands."""

    info: ReportInfo
    report: Report
    receipt: Receipt | None
    findings: list[Finding]
    #: Fingerprints of this report's stamped papers checked (verify), with when.
    papers: dict[str, str] = field(default_factory=dict)

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
    def received_at(self) -> str:
        stamp = self.receipt.received_at if self.receipt else self.info.updated_at
        return stamp[:19].replace("T", " ")

    @property
    def self_score(self) -> Decimal | None:
        """评分 as the report shows it: as typed, else the sum of its 一级 scores."""
        from models.scoring import self_score

        return self_score(self.report)

    def level1_scores(self) -> dict[str, Decimal | None]:
        """一级指标 → 自评得分, as the report's 一级指标得分 shows them (stated, else the 自评表's)."""
        from models.scoring import level1_items

        return {item["name"]: item["score"] for item in level1_items(self.report) if item["name"]}

    def figure(self, table: InstitutionRows, column: str) -> Decimal | None:
        stated = self.report.stated_summary(table)
        row = self.report.effective_row(table, stated) if stated is not None else self.report.summary_row(table)
        value = row[column]
        return value if isinstance(value, Decimal) else None


def entries(store: Store, year: int) -> list[Entry]:
    """Every report of the year (not in the recycle bin), by department."""
    receipts = store.receipts(year)
    papers = store.paper_checks()
    out = []
    for info in store.listing():
        if info.year != year:
            continue
        report = store.load(info.id)
        out.append(Entry(info, report, receipts.get(info.id), check(report), papers.get(info.id, {})))
    return sorted(out, key=lambda e: (e.info.dept_name, e.info.id))


def _label(table: InstitutionRows, column: str) -> str:
    label = table.row.child(column).label
    return label if column == "total" or table is form.EXPENDITURE else f"{table.row.label}·{label}"


def render_summary(store: Store, year: int) -> bytes:
    """The consolidated workbook (汇总表) for ``year``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows = entries(store, year)
    if not rows:
        raise ZipingError(f"数据库中没有 {year} 年度的报告，无法生成汇总表。")
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度汇总"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    headers: list[str] = ["报告编号", "部门（单位）", "收到时间", "状态", "评分", "等级", "数据指纹"]
    first_figure = len(headers) + 1
    headers += [_label(t, c) + "（万元）" for t, c in FIGURES]
    # 一级指标 as the reports name them (frameworks differ by county), in order of first sight
    level1 = list(dict.fromkeys(name for e in rows for name in e.level1_scores()))
    first_level1 = len(headers) + 1
    headers += [f"{name}得分" for name in level1]
    headers += ["错误", "警告", "纸质报告核对"]
    ws.append(row_cells(ws, [f"{year}年度部门整体支出绩效自评汇总表"]))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(row_cells(ws, headers))
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font, cell.fill, cell.alignment, cell.border = head_font, head_fill, wrap, border
    for e in rows:
        errors = sum(1 for f in e.findings if f.severity == "error")
        values: list[Any] = [
            e.info.id, e.info.dept_name, e.received_at, e.status,
            e.self_score, e.report.data["score"]["grade"] or e.report.band_of(e.self_score), e.info.fingerprint,
        ]
        values += [e.figure(t, c) for t, c in FIGURES]
        scores = e.level1_scores()
        values += [scores.get(name) for name in level1]
        values += [errors, len(e.findings) - errors, e.paper]
        ws.append(row_cells(ws, values))
    last = ws.max_row
    total_row = last + 1
    put_text(ws.cell(row=total_row, column=2), "合计")
    for col in range(first_figure, len(headers)):  # not the last, 纸质报告核对: words
        if first_level1 <= col < first_level1 + len(level1):
            continue  # scores of different departments do not add up
        letter = get_column_letter(col)
        ws.cell(row=total_row, column=col, value=f"=SUM({letter}3:{letter}{last})")
    for row in ws.iter_rows(min_row=3, max_row=total_row, max_col=len(headers)):
        for cell in row:
            cell.border = border
            if first_figure <= cell.column < first_figure + len(FIGURES):
                cell.number_format = "0.00"
    for cell in ws[total_row]:
        cell.font = head_font
    widths = [8, 22, 18, 12, 7, 7, 18] + [12] * len(FIGURES) + [8] * len(level1) + [7, 7, 20]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "C3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"

    fs = wb.create_sheet("审核发现")
    fs.append(row_cells(fs, ["报告编号", "部门（单位）", "规则", "严重程度", "单元格", "说明", "出错说明", "阻止定稿"]))
    for cell in fs[1]:
        cell.font, cell.fill, cell.alignment, cell.border = head_font, head_fill, wrap, border
    for e in rows:
        for f in e.findings:
            fs.append(row_cells(fs, [
                e.info.id, e.info.dept_name, f.rule, f.severity_label, "，".join(f.cells), f.message,
                f.explanation or "", "是" if f in blocking(e.findings) else "否",
            ]))
    for i, width in enumerate([8, 22, 18, 9, 30, 80, 40, 9], 1):
        fs.column_dimensions[get_column_letter(i)].width = width
    for row in fs.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fs.freeze_panes = "C2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
