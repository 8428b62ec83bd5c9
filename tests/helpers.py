"""Small helpers the tests share."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
