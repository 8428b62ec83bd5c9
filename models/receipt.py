"""报送回执: the one page the finance side gives the department for a package received.

The words of the receipt live here, as data; :mod:`reports.receipt` lays them out on
paper. The department keeps the signed and stamped page as proof of which version it
handed in: the data fingerprint on it is the one printed on every page of that
version's paper report, and ``verify`` finds the report by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import form
from models.paper import PAPER
from models.report import Report
from models.standing import DECLARED_NOTE, Standing

TITLE_OF = "{title}报送回执"
STATEMENT_OF = ("兹收到上列单位报送的{title}报送包。报告数据以上列数据指纹为准："
                "纸质报告每页页脚的数据指纹与之相同的，即为本次报送的同一份报告。")
TITLE = TITLE_OF.format(title=PAPER.title)
STATEMENT = STATEMENT_OF.format(title=PAPER.title)
DECLARED_TEXT = (
    f"报送状态中的“定稿”“草稿”为报送单位申报（{DECLARED_NOTE}）；“不校验导出”、错误和出错说明"
    "由财政部门按报告数据重新审核得出。"
)
SIGNATURES = ("接收人（签字）：", "财政部门（盖章）：", "　　　　年　　月　　日")
KEEP = "本回执一式两份，报送单位和财政部门各执一份。"


@dataclass(frozen=True)
class ReceiptSheet:
    """What a 报送回执 says, line by line."""

    title: str
    #: (label, value) rows of the table, in order.
    rows: tuple[tuple[str, str], ...]
    statement: str
    notes: tuple[str, ...]
    signatures: tuple[str, ...]
    fingerprint: str


def receipt_sheet(
    report: Report,
    *,
    report_id: int,
    file_name: str,
    received_at: str,
    fingerprint: str,
    standing: Standing,
    times: int,
) -> ReceiptSheet:
    """The receipt of ``report`` as received (the version the package brought).

    ``times`` counts the packages of this report received so far (this one included)."""
    cover = report.data["cover"]
    received = received_at[:16].replace("T", " ")
    rows = [
        ("部门（单位）", report.dept_name or "（未填部门名称）"),
        # a form of another family has no 预算编码
        *(() if report.flat else ((form.COVER.child("budget_code").label, cover.get("budget_code") or "（未填写）"),)),
        ("报告年度", f"{report.year}年度" if report.year else "（未填写）"),
        ("报送包", file_name),
        ("接收时间", received),
        ("数据指纹", " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))),
        ("报送状态", standing.label),
        ("审核情况", f"错误 {standing.errors} 项，警告 {standing.warnings} 项"),
        ("出错说明", standing.explanations),
        ("接收登记", f"报告编号 {report_id}，第 {times} 次接收" if times > 1 else f"报告编号 {report_id}"),
    ]
    notes = [DECLARED_TEXT]
    if standing.contradiction:
        notes.append(standing.contradiction + "。")
    notes.append(KEEP)
    if report.flat:  # a form of another family: its own title
        return ReceiptSheet(TITLE_OF.format(title=report.form.title), tuple(rows),
                            STATEMENT_OF.format(title=report.form.title), tuple(notes), SIGNATURES, fingerprint)
    return ReceiptSheet(TITLE, tuple(rows), STATEMENT, tuple(notes), SIGNATURES, fingerprint)
