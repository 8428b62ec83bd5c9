"""``check`` and ``import`` of a report a newer program wrote: it is checked as far as it
fits this program's form, and the fields it cannot read are named."""

from __future__ import annotations

import json
from pathlib import Path

from main import main

REASON = ("这份报告由更新版本的程序生成（文件格式版本 2，本程序只支持到版本 1），只能查看，不能修改；要修改请升级程序。"
          "本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：goals。")


def newer_file(tmp_path: Path, sample_path: Path) -> Path:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["format_version"] = 2
    raw["goals"] = {"initial": "完成年度目标"}
    path = tmp_path / "新版.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_of_a_newer_file_still_checks(capsys, tmp_path: Path, sample_path: Path) -> None:
    code = main(["check", str(newer_file(tmp_path, sample_path))])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert code == 1 and err == ""
    assert lines[0].startswith("吉首市科工信局 2023年度　指纹 ")
    assert lines[1] == f"{REASON}以下按本程序的表样审核。"
    assert lines[2] == "审核发现：错误 3 项，警告 17 项"


def test_import_of_a_newer_file_says_it_is_to_be_looked_at(capsys, tmp_path: Path, sample_path: Path,
                                                           db_path: Path) -> None:
    code = main(["import", str(newer_file(tmp_path, sample_path)), "--db", str(db_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[1] == f"    {REASON}"
