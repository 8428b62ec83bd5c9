"""Next year's form arrives as a file: the finance bureau's edited Hunan template, once
installed, is the form the program runs from its next start — the new labels, the added
field and the new grade bands in the rules, the PDF and the workbook — and a report made
with the earlier issue still opens. Each step is a fresh process, as the clerk runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.helpers import next_year_template

ROOT = Path(__file__).resolve().parent.parent

EDITS = (
    ('{ key = "phone", label = "联系电话", required = true,',
     '{ key = "fax", label = "传真号码" },\n  { key = "phone", label = "联络电话", required = true,'),
    ('default = [["90", "优"], ["80", "良"], ["60", "较差"], ["0", "差"]]',
     'default = [["95", "优秀"], ["85", "良好"], ["60", "合格"], ["0", "不合格"]]'),
)


def program(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)


def bureau_file(tmp_path: Path) -> Path:
    text = next_year_template("2024.1")
    for old, new in EDITS:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "湖南2024.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_installed_issue_is_the_form_from_the_next_start(tmp_path: Path, sample_path: Path) -> None:
    home = tmp_path / "home"
    done = program(home, "template", "install", str(bureau_file(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "已安装表样模板 hunan-2024 版本 2024.1" in done.stdout

    new = tmp_path / "新报告.json"
    new.write_text(json.dumps({"format": "ziping-report", "format_version": 1,
                               "cover": {"dept_name": "某局", "year": 2024},
                               "score": {"self_score": "88", "grade": "良"}}, ensure_ascii=False),
                   encoding="utf-8")
    checked = program(home, "check", str(new))
    assert checked.returncode == 1, checked.stderr
    assert "一、基本概况：「联络电话」必须填写。" in checked.stdout
    assert "等级填报「良」，而评分 88 对应的等级是「良好」。" in checked.stdout

    pdf = tmp_path / "报告.pdf"
    printed = program(home, "convert", str(new), str(pdf), "--part", "A")
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "联络电话" in text and "传真号码" in text and "联系电话" not in text
    assert "95（含）—100分为优秀" in text

    book = tmp_path / "报告.xlsx"
    assert program(home, "convert", str(new), str(book)).returncode == 0
    cells = {c.value for ws in openpyxl.load_workbook(book) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    assert {"联络电话", "传真号码"} <= cells and "联系电话" not in cells

    # Last year's report, made with the shipped issue, still opens and checks under the new one.
    old = program(home, "check", str(sample_path))
    assert old.returncode == 1 and "Traceback" not in old.stderr
    assert old.stdout.startswith("吉首市科工信局 2023年度") and "审核发现：错误 3 项" in old.stdout
    assert ("这份报告按表样模板 hunan-2023 版本 2023.1 填写，现按本程序使用的表样模板 hunan-2024 版本 2024.1 "
            "显示、审核和打印（各栏按键对应）。") in old.stdout


def test_without_an_installed_issue_the_shipped_form_runs(tmp_path: Path, sample_path: Path) -> None:
    pdf = tmp_path / "报告.pdf"
    done = program(tmp_path / "home", "convert", str(sample_path), str(pdf), "--part", "A")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "联系电话" in text and "联络电话" not in text
    checked = program(tmp_path / "home", "check", str(sample_path))
    assert checked.returncode == 1 and "现按本程序使用的表样模板" not in checked.stdout
