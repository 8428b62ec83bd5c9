"""The form is data: a copy of the Hunan template with a label renamed, a field added,
other grade bands and other paper words changes the rules, the PDF, the workbook and
the window with no change to the program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from models import template as tpl

ROOT = Path(__file__).resolve().parent.parent


def edited(folder: Path) -> None:
    text = (tpl.SHIPPED / "hunan-2023.toml").read_text(encoding="utf-8")
    for old, new in (
        ('{ key = "phone", label = "联系电话", required = true,',
         '{ key = "fax", label = "传真号码" },\n  { key = "phone", label = "联络电话", required = true,'),
        ('default = [["90", "优"], ["80", "良"], ["60", "较差"], ["0", "差"]]',
         'default = [["95", "优秀"], ["85", "良好"], ["60", "合格"], ["0", "不合格"]]'),
        ('version = "2023.1"', 'version = "2023.2"'),
        ('sign_column = "签字"', 'sign_column = "本人签名"'),
        ('cover = "封面与基本概况"', 'cover = "封面及概况"'),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    folder.mkdir()
    (folder / "hunan-2023.toml").write_text(text, encoding="utf-8")
    for other in tpl.SHIPPED.glob("*.toml"):
        if other.name != "hunan-2023.toml":
            (folder / other.name).write_bytes(other.read_bytes())


@pytest.mark.slow
def test_an_edited_template_changes_every_output(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    edited(folder)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "template_run.py"), str(folder), str(tmp_path)],
                         cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    seen = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))

    # The rules: their messages in the new words, the grade by the new bands.
    assert ["required", "一、基本概况：「联络电话」必须填写。"] in seen["findings"]
    assert ["score.grade", "等级填报「良」，而评分 88 对应的等级是「良好」。"] in seen["findings"]

    # The window.
    assert "* 联络电话" in seen["labels"] and "传真号码" in seen["labels"]
    assert not any("联系电话" in label for label in seen["labels"])

    # The PDF.
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "联络电话" in text and "传真号码" in text and "联系电话" not in text
    assert "95（含）—100分为优秀；85（含）—95分为良好；60（含）—85分为合格；" in text
    assert "本人签名" in text  # a word of [paper]: the evaluators' 签字 column

    # The workbook.
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    cells = {c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"联络电话", "传真号码"} <= cells and "联系电话" not in cells
    assert "封面及概况" in book.sheetnames and "封面与基本概况" not in book.sheetnames
    assert "95（含）—100分为优秀；85（含）—95分为良好；60（含）—85分为合格；60分以下为不合格。" in cells
