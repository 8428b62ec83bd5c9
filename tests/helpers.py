"""Small helpers the tests share."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models.report import Report
from models.rules import check


def explain_errors(report: Report, text: str = "已核实。") -> Report:
    """Give every error of ``report`` the same 出错说明, as a clerk would one by one."""
    for finding in check(report):
        if finding.severity == "error":
            report.explain(finding.rule, finding.cells, text)
    return report


def make_read_only(path: Path) -> None:
    """Read-only even for root: the immutable attribute; chmod for others."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)


def undo_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o644)


def fill(folder: Path) -> None:
    """Fill the filesystem of ``folder`` up to the last byte (a file named filler)."""
    with open(folder / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
        except OSError:
            pass
        try:
            filler.close()
        except OSError:
            pass


#: LibreOffice, which renders and saves workbooks as the clerks' spreadsheets do (.ci/run installs it).
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(tmp_path: Path, source: Path, to: str, settings: str | None = None,
                more: Sequence[Path] = ()) -> Path:
    """``source`` opened by LibreOffice (headless, a private profile) and saved as ``to``
    ("pdf", "xlsx") in a folder of its own; ``settings`` the profile's registrymodifications.xcu.
    The files in ``more`` are converted by the same start, saved beside it."""
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"
    if settings is not None:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(settings, encoding="utf-8")
    out = tmp_path / f"lo-{to}"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--calc",
         "--convert-to", to, "--outdir", str(out), str(source), *map(str, more)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    result = out / f"{source.stem}.{to}"
    assert result.exists(), proc.stdout + proc.stderr
    return result


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, layout kept)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def export_workbook(tmp_path: Path, report: Report, name: str = "report.xlsx") -> Path:
    """The report's workbook written to ``tmp_path / name``."""
    from reports.workbook import render_workbook

    path = tmp_path / name
    path.write_bytes(render_workbook(report))
    return path


def find_cell(ws: Any, text: str) -> tuple[int, int]:
    """(row, column) of the first cell of an openpyxl sheet that holds ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not on {ws.title}")


def next_year_template(version: str = "2024.1") -> str:
    """The shipped Hunan template's text issued again for 2024, as ``version``."""
    from models import template as tpl

    text = (tpl.SHIPPED / "hunan-2023.toml").read_text(encoding="utf-8")
    text = text.replace('id = "hunan-2023"', 'id = "hunan-2024"').replace("year = 2023", "year = 2024")
    return text.replace('version = "2023.1"', f'version = "{version}"')
