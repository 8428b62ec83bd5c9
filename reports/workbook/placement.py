"""What reading a workbook found: the report, its problems and notes, and the
formulas' cached results read when a cell needs them.

Shared by the reader of our own workbooks (:mod:`reports.workbook.reader`) and the
placing of any workbook by its labels (:mod:`reports.workbook.place`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.errors import DocumentError
from models.report import Report


@dataclass(frozen=True)
class Problem:
    """One thing the import could not place or read, where it is, and why."""

    message: str
    sheet: str | None = None
    cell: str | None = None

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


@dataclass
class Placement:
    """The report a workbook gave, and what the clerk should know before importing it."""

    report: Report
    source: str
    #: Written by this program (read exactly from the data sheet).
    ours: bool
    #: Could not be placed or read; nothing is imported unless the clerk agrees.
    problems: list[Problem] = field(default_factory=list)
    #: Worth knowing but fine (cells corrected since export, rows found).
    notes: list[Problem] = field(default_factory=list)
    #: Where each value was read: cell path → ``sheet!A1`` (``income.0.total`` → ``收支情况!B6``),
    #: so that findings can name the workbook's cells.
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        """The placement report, in Chinese, one line per item."""
        kind = "本程序导出的工作簿" if self.ours else "外来的工作簿（按表头文字定位）"
        lines = [f"「{self.source}」：{kind}"]
        if self.problems:
            lines.append(f"未能放入报告的内容 {len(self.problems)} 处：")
            lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        else:
            lines.append("所有内容都已放入报告。")
        if self.notes:
            lines.append(f"提示 {len(self.notes)} 条：")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


class PlacementError(DocumentError):
    """A workbook that did not place cleanly; carries the placement."""

    def __init__(self, placement: Placement) -> None:
        self.placement = placement
        super().__init__([str(p) for p in placement.problems], placement.source)


class Cached:
    """Cached results of formulas, loaded only when a workbook needs them.

    None means the file holds no result; "" a result that is blank (Excel, WPS
    and this program mark those ``t="str"`` with an empty value).
    """

    def __init__(self, data: bytes, name: str) -> None:
        self.data = data
        self.name = name
        self._wb: Any = None

    def value(self, sheet: str, coord: str) -> Any:
        if self._wb is None:
            from reports.workbook.opening import load

            self._wb = load(self.data, self.name, data_only=True)
        cell = self._wb[sheet][coord]
        if cell.value is None and cell.data_type == "str":
            return ""  # a text result that is empty: computed, and blank
        return cell.value
