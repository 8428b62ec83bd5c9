"""How a handed-over report stands: 定稿, 草稿 or 不校验导出, and whether its 出错说明
were given — in the words the finance database, ``list``, ``check``, the 汇总表 and the
报送回执 all use.

What is derived and what is declared, and why:

- A package's manifest is sealed by nothing: its hashes can be recomputed by whoever
  changes it, so nothing it claims is trusted. What can be worked out again from the
  report's data is: its errors, which of them carry an 出错说明, and so whether it had
  unexplained errors when packed (不校验导出). These are always derived, never read.
- Whether the report was marked 定稿 cannot be derived: marking final is an act in the
  department's own database, not a property of the data. It is shown as the department
  declared it, and said to be declared (部门申报): the stamped paper, whose fingerprint
  ``verify`` checks, is what backs it.
- The data can contradict the claim: a report with an unexplained error cannot have been
  marked final (marking final is refused then). Such a package is 不校验导出 whatever the
  manifest says, and the contradiction is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The status a department declares in its package, as the finance side shows it.
DECLARED = {"final": "定稿", "draft": "草稿"}
UNCHECKED = "不校验导出"
#: A report not taken in from a package (typed here, or imported from a file).
LOCAL = "本机录入"
#: What the declared status is called wherever it is shown.
DECLARED_NOTE = "部门申报"


@dataclass(frozen=True)
class Standing:
    """A report's standing at handover."""

    #: 'final' or 'draft' as the sender declared it; None for a report not from a package.
    declared: str | None
    errors: int
    explained: int
    warnings: int

    @property
    def open_errors(self) -> int:
        return self.errors - self.explained

    @property
    def unchecked(self) -> bool:
        """Unexplained errors remain: packed as 不校验导出, a backup, not a submission."""
        return self.open_errors > 0

    @property
    def label(self) -> str:
        """定稿（部门申报） / 草稿（部门申报） / 不校验导出 / 本机录入."""
        return status_label(self.declared, not self.unchecked)

    @property
    def contradiction(self) -> str | None:
        """The department declared 定稿 but the data shows it cannot have been."""
        if self.declared == "final" and self.unchecked:
            return (
                f"报送包申报为定稿，但报告有 {self.open_errors} 项错误未说明，定稿的报告不会如此；"
                "按“不校验导出”对待"
            )
        return None

    @property
    def explanations(self) -> str:
        """Whether the 出错说明 were given: 无错误 / 3 项错误均已说明 / 2 项错误未说明（已说明 1 项）."""
        if self.errors == 0:
            return "无错误，无需说明"
        if self.open_errors == 0:
            return f"{self.errors} 项错误均已说明"
        return f"{self.open_errors} 项错误未说明（已说明 {self.explained} 项）"

    def line(self) -> str:
        """One line for the command line and the window: the status and the 出错说明."""
        text = f"报送状态：{self.label}；出错说明：{self.explanations}"
        if self.contradiction:
            text += f"（{self.contradiction}）"
        return text


def status_label(declared: str | None, checked: bool) -> str:
    """The status word alone, from what a receipt keeps: the declared status and whether the
    data had no unexplained error (worked out from the data when it was received)."""
    if declared is None:
        return LOCAL
    if not checked:
        return UNCHECKED
    return f"{DECLARED.get(declared, declared)}（{DECLARED_NOTE}）"


def receipt_line(declared: str, checked: bool) -> str:
    """The status and whether the 出错说明 were given, from what a receipt keeps (no count:
    that needs the report's findings) — for listing many reports at once."""
    given = "无未说明的错误" if checked else "有错误未说明"
    return f"报送状态：{status_label(declared, checked)}；出错说明：{given}"


def standing(findings: Sequence[Any], declared: str | None) -> Standing:
    """The standing of a report with these findings, declared 'final'/'draft' by its package
    (None: not from a package)."""
    errors = [f for f in findings if f.severity == "error"]
    return Standing(
        declared=declared,
        errors=len(errors),
        explained=sum(1 for f in errors if f.explanation),
        warnings=len(findings) - len(errors),
    )
