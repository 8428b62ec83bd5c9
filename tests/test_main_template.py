"""``template check / install / list`` on the command line: Chinese output, exit 2 on a
broken file, and a broken file installs nothing."""

from __future__ import annotations

from pathlib import Path

from main import main
from models import template as tpl
from models import template_registry as registry
from tests.helpers import next_year_template

HUNAN = (tpl.SHIPPED / "hunan-2023.toml").read_text(encoding="utf-8")


def bureau_file(tmp_path: Path, version: str = "2024.1", name: str = "湖南2024.toml", extra: str = "") -> Path:
    path = tmp_path / name
    path.write_text(next_year_template(version) + extra, encoding="utf-8")
    return path


def test_cli_check_of_a_broken_template_exits_2_without_traceback(tmp_path: Path, capsys) -> None:
    path = tmp_path / "坏模板.toml"
    path.write_text(HUNAN.replace('kind = "yearmonth"', 'kind = "month"'), encoding="utf-8")
    assert main(["template", "check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"错误：表样模板文件「{path}」无法使用：第 65 行（parts[cover].fields[report_date].kind）："
                          "类型 \"month\" 不认识")
    assert "Traceback" not in err


def test_cli_check_of_a_good_template(capsys) -> None:
    path = tpl.SHIPPED / "chongqing-2023.toml"
    assert main(["template", "check", str(path)]) == 0
    out, _ = capsys.readouterr()
    t = tpl.load_file(path)
    assert out == (f"表样模板「{path}」可以使用：chongqing-2023 版本 2023.1（重庆市部门整体绩效自评表，2023 年度），"
                   f"指纹 {t.short_hash}。\n")


def test_install_then_list(tmp_path: Path, template_folder: Path, capsys) -> None:
    path = bureau_file(tmp_path)
    assert main(["template", "install", str(path)]) == 0
    out, _ = capsys.readouterr()
    installed = tpl.load_file(template_folder / "hunan-2024-2024.1.toml")
    assert out == (f"已安装表样模板 hunan-2024 版本 2024.1（湖南省部门（单位）整体支出绩效自评报告（附件2-1），2024 年度），"
                   f"指纹 {installed.short_hash}。程序下次启动时改用这个表样：窗口、审核、打印和 Excel 按它的文字、栏目和等级档次；按早先版本填写的报告照常打开。\n")
    assert installed.data == path.read_bytes()

    assert main(["template", "install", str(path)]) == 0
    assert capsys.readouterr()[0] == "表样模板 hunan-2024 版本 2024.1 已经安装，内容相同，无需重复安装。\n"

    assert main(["template", "list"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert err == ""
    assert lines[0] == "编号\t名称\t年度\t版本\t指纹\t来源"
    shipped = {t.id: t for t in tpl.shipped()}
    assert lines[1:4] == [
        f"chongqing-2023\t重庆市部门整体绩效自评表\t2023\t2023.1\t{shipped['chongqing-2023'].short_hash}\t随程序附带",
        f"hunan-2023\t湖南省部门（单位）整体支出绩效自评报告（附件2-1）\t2023\t2023.1\t{shipped['hunan-2023'].short_hash}\t随程序附带",
        f"hunan-2024\t湖南省部门（单位）整体支出绩效自评报告（附件2-1）\t2024\t2024.1\t{installed.short_hash}\t已安装",
    ]
    assert lines[4] == f"新建报告默认使用该年度已安装的最新版本（没有时为 hunan-2023）。安装的模板放在：{template_folder}"
    assert registry.newest_for_year(2024) == installed
    assert registry.newest_for_year(2025) == installed
    assert registry.newest_for_year(2023) == tpl.default()


def test_a_broken_template_installs_nothing(tmp_path: Path, template_folder: Path, capsys) -> None:
    path = bureau_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('label = "联系人"', 'lable = "联系人"'), encoding="utf-8")
    assert main(["template", "install", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"错误：表样模板文件「{path}」无法使用：共 2 处问题\n"
                   "  1. 第 74 行（parts[basics].fields[contact]）：不认识的键 lable。可用的键：key、type、label、kind、"
                   "required、places、units、negative、minimum、maximum、default、suggestions、help、omit_blank、"
                   "max_length、carry、aliases、sign_lines；请检查拼写，或删去这一行。\n"
                   "  2. 第 74 行（parts[basics].fields[contact]）：缺少 label（文字）。\n")
    assert not template_folder.exists() or list(template_folder.iterdir()) == []


def test_same_version_with_other_content_is_refused(tmp_path: Path, template_folder: Path, capsys) -> None:
    first = bureau_file(tmp_path)
    assert main(["template", "install", str(first)]) == 0
    other = bureau_file(tmp_path, name="改过的.toml", extra="\n# 改过\n")
    capsys.readouterr()
    assert main(["template", "install", str(other)]) == 2
    _, err = capsys.readouterr()
    a, b = tpl.load_file(first), tpl.load_file(other)
    assert err == (f"错误：表样模板 hunan-2024 版本 2024.1 已经安装，但内容与「{other}」不同"
                   f"（已有的指纹 {a.short_hash}，这个文件的 {b.short_hash}）。同一版本号只能对应一份内容："
                   "请制作模板的财政局提高 version（例如 2023.2）后再发出。\n")
    assert [p.name for p in template_folder.iterdir()] == ["hunan-2024-2024.1.toml"]


def test_a_shipped_template_cannot_be_shadowed(tmp_path: Path, template_folder: Path, capsys) -> None:
    path = tmp_path / "假湖南.toml"
    path.write_text(HUNAN.replace('title = "部门（单位）整体支出绩效自评报告"', 'title = "另一个标题"'), encoding="utf-8")
    assert main(["template", "install", str(path)]) == 2
    assert "随程序附带，但内容与" in capsys.readouterr()[1]


def test_missing_file(tmp_path: Path, template_folder: Path, capsys) -> None:
    assert main(["template", "install", str(tmp_path / "没有.toml")]) == 2
    assert capsys.readouterr()[1] == (f"错误：表样模板文件「{tmp_path / '没有.toml'}」无法使用："
                                      "无法读取文件：文件夹不存在（U 盘是否已拔出？）。\n")
