"""指标体系 files: the shipped ones, a county's own, and the messages a bad one gets."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from models import framework as fw

SHIPPED = fw.SHIPPED


@pytest.fixture
def hunan_raw() -> dict:
    return json.loads((SHIPPED / "hunan.json").read_text(encoding="utf-8"))


@pytest.fixture
def own_folder(tmp_path: Path):
    fw.use_directories([tmp_path])
    yield tmp_path
    fw.use_directories(None)


def test_the_shipped_frameworks_load_and_add_up() -> None:
    found = {f.id: f for f in fw.available()}
    assert set(found) >= {"hunan", "sichuan"}
    assert fw.available()[0].id == fw.DEFAULT
    assert fw.problems() == []
    hunan = found["hunan"]
    assert [(a.name, a.weight) for a in hunan.level1] == [
        ("投入", Decimal(10)), ("产出", Decimal(50)), ("效益", Decimal(30)), ("满意度", Decimal(10))]
    assert [b.name for b in hunan.level1[1].level2] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert [b.name for b in hunan.level1[2].level2] == ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
    assert hunan.line("budget_execution_rate")[2].measure == "budget_execution"  # type: ignore[index]
    sichuan = found["sichuan"]
    assert [(a.name, a.weight) for a in sichuan.level1] == [
        ("部门决策", Decimal(25)), ("综合管理", Decimal(30)), ("部门绩效", Decimal(45))]
    # another shape: the 定量指标 rows are taken by 二级 lines, not by 一级 ones
    assert sichuan.taker("产出目标")[1].name == "职责履行"  # type: ignore[index,union-attr]
    for frame in found.values():
        assert set(frame.columns) == set(fw.COLUMNS)
        assert "source" and len(frame.source) > 40


def test_the_source_note_says_what_each_file_is_based_on() -> None:
    hunan, sichuan = fw.get("hunan"), fw.get("sichuan")
    assert hunan is not None and sichuan is not None
    assert "财预〔2020〕10号" in hunan.source and "样例" in hunan.source
    assert "财预〔2013〕53号" in sichuan.source and "示例" in sichuan.source


def test_a_countys_file_is_found_and_may_replace_a_shipped_one(own_folder: Path, hunan_raw: dict) -> None:
    hunan_raw["level1"][1]["level2"][3]["name"] = "成本控制指标"
    (own_folder / "hunan.json").write_text(json.dumps(hunan_raw, ensure_ascii=False), encoding="utf-8")
    hunan = fw.get("hunan")
    assert hunan is not None and hunan.level1[1].level2[3].name == "成本控制指标"
    assert hunan.path == str(own_folder / "hunan.json")


def test_a_broken_file_is_listed_with_its_problem_and_the_others_still_load(own_folder: Path) -> None:
    (own_folder / "bad.json").write_text("{", encoding="utf-8")
    assert fw.get("hunan") is not None
    (problem,) = fw.problems()
    assert problem == f"指标体系文件「{own_folder / 'bad.json'}」无法使用：不是有效的 JSON（第 1 行第 2 列附近：Expecting property name enclosed in double quotes）。"


def _problems(raw: dict, tmp_path: Path) -> list[str]:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(fw.FrameworkError) as info:
        fw.load_file(path)
    return info.value.problems


def test_every_problem_is_named_by_its_place_in_the_file(hunan_raw: dict, tmp_path: Path) -> None:
    hunan_raw["level1"][1]["weight"] = "55"
    hunan_raw["level1"][1]["level2"][0]["colour"] = "红"
    del hunan_raw["level1"][0]["level2"][0]["lines"][0]["name"]
    hunan_raw["level1"][3]["indicators"].append("产出目标")
    hunan_raw["natures"][0]["kind"] = "up"
    assert _problems(hunan_raw, tmp_path) == [
        "natures[0].kind：应为 higher、lower、qualitative 之一（higher 正向、lower 反向、qualitative 定性），而不是 'up'。",
        "natures：缺少 kind 为 higher 的指标性质。",
        "level1[0].level2[0].lines[0]：缺少键 name。",
        "level1[1].level2[0]：未知的键 colour（可用的键：id、name、weight、lines、indicators、nature、criteria）。",
        "level1[3].indicators：评价内容「产出目标」已由 level1[1] 接收，不能重复。",
        "level1：一级指标分值合计 105，应为 100。",
    ]


def test_weights_that_do_not_add_up_and_unknown_words(hunan_raw: dict, tmp_path: Path) -> None:
    line = hunan_raw["level1"][0]["level2"][0]["lines"][0]
    line["weight"] = "8"
    line["measure"] = "speed"
    hunan_raw["level1"][1]["level2"][3]["nature"] = "向上"
    hunan_raw["attainment"][1]["share"] = "1.5"
    assert _problems(hunan_raw, tmp_path) == [
        "attainment[1].share：应为 \"0\" 到 \"1\" 之间的数（得分占分值的比例），而不是 '1.5'。",
        "level1[0].level2[0].lines[0].measure：比率「speed」没有在 measures 中给出评分办法。",
        "level1[0].level2[0]：三级指标分值合计 8，与二级指标分值 10 不符。",
        "level1[1].level2[3].nature：指标性质「向上」不在 natures 中（可用：反向、定性、正向）。",
    ]


def test_not_a_framework_file(tmp_path: Path) -> None:
    assert _problems({"format": "ziping-report"}, tmp_path) == [
        "这不是指标体系文件（format 应为 \"ziping-framework\"，实为 'ziping-report'）。"]
    assert _problems({"format": "ziping-framework", "format_version": 9}, tmp_path) == [
        "文件格式版本为 9，本程序只支持到版本 1，请升级程序。"]
    with pytest.raises(fw.FrameworkError) as info:
        fw.load_file(tmp_path / "none.json")
    assert str(info.value).startswith(f"指标体系文件「{tmp_path / 'none.json'}」无法使用：无法读取文件")
