"""工具 → 安装表样模板…: a good template is installed and said so; a broken one is refused
with its problems and installs nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction

from models import template as tpl
from tests.helpers import next_year_template


def bureau_file(tmp_path: Path, broken: bool = False) -> Path:
    text = next_year_template("2023.1")
    if broken:
        text = text.replace('kind = "yearmonth"', 'kind = "month"')
    path = tmp_path / ("坏模板.toml" if broken else "湖南2024.toml")
    path.write_text(text, encoding="utf-8")
    return path


def test_menu_installs_a_template(window, tmp_path: Path, template_folder: Path, quiet_messages) -> None:
    path = bureau_file(tmp_path)
    quiet_messages.answers.append(str(path))
    window.findChild(QAction, "action_install_template").trigger()
    installed = tpl.load_file(template_folder / "hunan-2024-2023.1.toml")
    assert quiet_messages.history[-2:] == [
        ("ask", "安装表样模板"),
        ("info", f"已安装表样模板 hunan-2024 版本 2023.1（湖南省部门（单位）整体支出绩效自评报告（附件2-1），2024 年度），"
                 f"指纹 {installed.short_hash}。程序下次启动时改用这个表样：窗口、审核、打印和 Excel 按它的文字、栏目和等级档次；按早先版本填写的报告照常打开。"),
    ]


def test_menu_refuses_a_broken_template(window, tmp_path: Path, template_folder: Path, quiet_messages) -> None:
    path = bureau_file(tmp_path, broken=True)
    quiet_messages.answers.append(str(path))
    window.findChild(QAction, "action_install_template").trigger()
    level, text = quiet_messages.history[-1]
    assert level == "error"
    assert text.startswith(f"表样模板文件「{path}」无法使用：第 65 行（parts[cover].fields[report_date].kind）："
                           "类型 \"month\" 不认识")
    assert not template_folder.exists()
