"""Files a report can be read from or written to, chosen by their extension.

``convert``, ``export``, ``import`` and ``check`` all go through this table, so
a new format (PDF, workbook, handover package) is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import interchange
from models.errors import InputError
from models.fileio import write_atomic
from models.report import Report


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    read: Callable[[Path], Report] | None
    render: Callable[[Report], bytes] | None

    @property
    def has_parts(self) -> bool:
        """Whether the file can hold the form (A), the 评价报告 (B) or both."""
        return self.extension in (".pdf", ".docx")


def _render_json(report: Report) -> bytes:
    return interchange.dumps(report).encode("utf-8")


def _render_pdf(report: Report, part: str = "all", options: Any = None) -> bytes:
    from reports.printed import render_pdf

    return render_pdf(report, part=part, options=options, printed=True)


def _render_docx(report: Report, part: str = "all") -> bytes:
    from reports.docx_report import render_docx

    return render_docx(report, part=part)


def _read_xlsx(path: Path) -> Report:
    from reports.workbook import read_workbook

    return read_workbook(path)


def _render_xlsx(report: Report) -> bytes:
    from reports.workbook import render_workbook

    return render_workbook(report)


def _read_zpb(path: Path) -> Report:
    from reports.package import read_report as read_package_report

    return read_package_report(path)


def _render_zpb(report: Report) -> bytes:
    from reports.package import build_package

    return build_package(report)


FORMATS: dict[str, Format] = {
    ".json": Format(".json", "报告数据文件（JSON）", interchange.read, _render_json),
    ".pdf": Format(".pdf", "打印用 PDF", None, _render_pdf),
    ".docx": Format(".docx", "Word 文档（.docx，评价报告）", None, _render_docx),
    ".xlsx": Format(".xlsx", "Excel 工作簿（.xlsx）", _read_xlsx, _render_xlsx),
    ".zpb": Format(".zpb", "报送包（.zpb）", _read_zpb, _render_zpb),
}


def _format(path: Path, want: str) -> Format:
    ext = path.suffix.lower()
    fmt = FORMATS.get(ext)
    usable = [f.extension for f in FORMATS.values() if getattr(f, want) is not None]
    if fmt is None or getattr(fmt, want) is None:
        verb = "读取" if want == "read" else "生成"
        raise InputError(
            f"无法{verb}「{path.name}」：不支持扩展名「{ext or '（无）'}」。"
            f"可{verb}的格式：{'、'.join(usable)}。"
        )
    return fmt


def read_report(path: str | Path) -> Report:
    p = Path(path)
    reader = _format(p, "read").read
    assert reader is not None
    return reader(p)


#: What ``--part`` names, as the clerk reads it.
PART_LABELS = {
    "all": "全部（自评报告表、评价报告和附件2 自评表）",
    "A": "自评报告表（A 部分）",
    "B": "评价报告（B 部分）",
    "S": "附件2 自评表（S 部分）",
}


def write_report(report: Report, path: str | Path, part: str = "all", options: Any = None) -> None:
    """Write ``report`` in the format of the path's extension; ``part`` chooses the
    form (A), the 评价报告 (B) or both, for a PDF or a Word file; ``options``
    (:class:`reports.pdf.PrintOptions`: 双面打印, 金额显示) are for a PDF."""
    p = Path(path)
    fmt = _format(p, "render")
    assert fmt.render is not None
    if part not in PART_LABELS:
        raise InputError(f"「{part}」不是可打印的部分：可选 {'、'.join(PART_LABELS)}。")
    if report.flat and (fmt.extension == ".docx" or part in ("B", "S")):
        raise InputError(f"这份报告按表样模板「{report.form.name}」填写，只有一张表，没有评价报告和附件2："
                         f"可生成 PDF 或 Excel 工作簿{'' if fmt.extension == '.docx' else '，请去掉 --part'}。")
    if options is not None and options != type(options)() and fmt.extension != ".pdf":
        raise InputError(f"双面打印和金额显示的设置只用于 PDF 打印稿；「{p.name}」不是 PDF，请去掉 --duplex、--amounts。")
    if fmt.extension == ".pdf":
        data = _render_pdf(report, part, options)
    elif fmt.has_parts:
        data = fmt.render(report, part)  # type: ignore[call-arg]
    elif part != "all":
        raise InputError(f"只有 PDF 和 Word 文件可以只含一部分；「{p.name}」总是含整份报告，请去掉 --part。")
    else:
        data = fmt.render(report)
    write_atomic(p, data)
