"""A new report takes the newest template of the program's form installed for its year;
``carry`` into a year with a newer template maps values by key and names what the
template has no field for; a template of another form is named, never used silently."""

from __future__ import annotations

from pathlib import Path

from main import main
from models import template as tpl
from models import template_registry as registry
from models.store import Store
from models.template_choice import for_new_report
from tests.helpers import next_year_template

NAME = "湖南省部门（单位）整体支出绩效自评报告（附件2-1）"


def hunan_2024(tmp_path: Path, version: str = "2024.1") -> tpl.Template:
    """Next year's Hunan template: 联系电话's key renamed, 评价机构 removed."""
    text = next_year_template(version).replace('key = "phone", label = "联系电话"', 'key = "telephone", label = "联系电话"')
    lines = [line for line in text.splitlines(keepends=True) if 'key = "eval_org"' not in line]
    assert len(lines) == len(text.splitlines()) - 1
    path = tmp_path / f"湖南{version}.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return registry.install(path)[0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_report_takes_the_shipped_template_when_none_is_installed(template_folder: Path) -> None:
    choice = for_new_report(2024)
    assert choice.template == tpl.default()
    assert choice.notes == ()


def test_a_new_report_takes_the_newest_of_its_family_for_its_year(tmp_path: Path, template_folder: Path) -> None:
    older = hunan_2024(tmp_path, "2024.1")
    newer = hunan_2024(tmp_path, "2024.2")
    assert for_new_report(2024).template == newer
    assert for_new_report(2025).template == newer
    assert for_new_report(None).template == newer
    assert for_new_report(2023).template == tpl.default()
    assert older != newer
    assert for_new_report(2024).notes == (
        "表样模板 hunan-2024 版本 2024.2 有本程序的表样没有的栏目：「一、部门（单位）基本概况·联系电话」（basics.telephone）。"
        "本程序不能填写这些栏目，请升级程序后再填写。",
    )


def test_a_template_of_another_form_is_named_not_used(tmp_path: Path, template_folder: Path) -> None:
    text = (tpl.SHIPPED / "chongqing-2023.toml").read_text(encoding="utf-8")
    path = tmp_path / "重庆2024.toml"
    path.write_text(text.replace('id = "chongqing-2023"', 'id = "chongqing-2024"').replace("year = 2023", "year = 2024"),
                    encoding="utf-8")
    registry.install(path)
    choice = for_new_report(2024)
    assert choice.template == tpl.default()
    assert choice.notes == (
        "已安装的2024 年度最新表样模板是 chongqing-2024 版本 2023.1（重庆市部门整体绩效自评表），"
        f"与本程序的表样（{NAME}）不是同一种。"
        "新报告按表样模板 hunan-2023 版本 2023.1 填写；要按 重庆市部门整体绩效自评表 填写，请在新建报告时选择它。",
    )


def test_carry_into_a_newer_template_names_what_it_could_not_carry(tmp_path: Path, template_folder: Path, capsys,
                                                                    sample_path: Path, db_path: Path) -> None:
    new = hunan_2024(tmp_path)
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    code, out, _ = run(capsys, "carry", "1", *db)
    assert code == 0
    assert out == (
        "已新建报告 2：吉首市科工信局 2024年度（由报告 1 结转）。\n"
        f"新报告使用表样模板 hunan-2024 版本 2024.1（{NAME}，2024 年度）。\n"
        "表样模板 hunan-2024 版本 2024.1 有本程序的表样没有的栏目：「一、部门（单位）基本概况·联系电话」（basics.telephone）。"
        "本程序不能填写这些栏目，请升级程序后再填写。\n"
        "表样模板 hunan-2024 版本 2024.1 没有这些栏目，上年报告中的内容没有结转："
        "「封面·评价机构」（cover.eval_org）、「一、部门（单位）基本概况·联系电话」（basics.phone）。上年报告本身不变，需要时可以从中查看。\n"
    )
    with Store(db_path) as store:
        old, carried = store.load(1), store.load(2)
        assert store.template(2) == new.ref
    assert old.data["basics"]["phone"] and old.data["cover"]["eval_org"]
    assert carried.data["basics"]["phone"] is None and carried.data["cover"]["eval_org"] is None
    assert carried.data["basics"]["contact"] == old.data["basics"]["contact"] == "陶毅"
    assert carried.template == new.ref


def test_carry_without_a_newer_template_keeps_everything(template_folder: Path, sample, db_path: Path) -> None:
    with Store(db_path) as store:
        rid = store.create(sample)
        new_id, carried = store.carry(rid)
        assert store.template(new_id) == tpl.default().ref
    assert carried.notes == []
    assert carried.text() == f"新报告使用表样模板 hunan-2023 版本 2023.1（{NAME}，2023 年度）。"
    assert carried.report.data["basics"]["phone"] == sample.data["basics"]["phone"]
