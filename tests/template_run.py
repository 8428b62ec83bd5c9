"""Run by tests/test_template_acceptance.py in a fresh process: the program with its
form read from another template folder, a new report checked, printed, written as a
workbook and shown in the window. Writes what it saw to ``out.json`` beside them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Run as a script, this folder comes first on the path; the program's packages must.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import models.template as tpl  # noqa: E402

tpl.SHIPPED = Path(sys.argv[1])  # before anything reads the form

from models.report import Report  # noqa: E402
from models.rules import check  # noqa: E402
from reports.printed import render_pdf  # noqa: E402
from reports.workbook import render_workbook  # noqa: E402

out = Path(sys.argv[2])
report = Report()
for path, text in (("cover.dept_name", "某局"), ("cover.year", "2023"), ("basics.contact", "张三"),
                   ("score.self_score", "88"), ("score.grade", "良")):
    report.enter(path, text)
findings = [(f.rule, f.message) for f in check(report)]
(out / "report.pdf").write_bytes(render_pdf(report, part="A", printed=True))
(out / "report.xlsx").write_bytes(render_workbook(report))

from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

app = QApplication([])
from ui.app import create_main_window  # noqa: E402

window = create_main_window(out / "reports.sqlite3", out / "settings.ini")
for page in window.pages.values():
    getattr(page, "build", lambda: None)()
labels = [label.text() for label in window.findChildren(QLabel)]
(out / "out.json").write_text(json.dumps({"findings": findings, "labels": labels}, ensure_ascii=False),
                              encoding="utf-8")
