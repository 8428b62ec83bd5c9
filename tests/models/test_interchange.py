"""The interchange file: exact round trips, and every bad file refused with a message."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from models import interchange
from models.errors import DocumentError, InputError
from models.report import Report
from tests.strategies import reports


def doc(sample_path: Path) -> dict:
    return json.loads(sample_path.read_text(encoding="utf-8"))


def test_sample_reads_completely(sample) -> None:
    d = sample.data
    assert d["cover"]["dept_name"] == "吉首市科工信局"
    assert d["cover"]["year"] == 2023
    assert len(d["indicators"]) == 13
    assert len(d["signatures"]["evaluators"]) == 4
    groups = [i["group"] for i in d["narrative"]["basic_items"]]
    assert groups.count("人员经费") == 12 and groups.count("公用经费") == 9
    assert len(d["narrative"]["projects"]) == 36
    assert d["three_public"][0]["total"] is not None
    assert str(d["three_public"][0]["total"]) == "0.4"
    assert d["income"][0]["carryover"] is None


def test_sample_file_is_already_canonical(sample_path: Path, sample) -> None:
    """What we ship is exactly what the program writes."""
    assert interchange.dumps(sample) == sample_path.read_text(encoding="utf-8")


def test_figures_keep_their_written_form(sample) -> None:
    plain = interchange.plain(sample)
    assert plain["three_public"][0] == {
        "total": "0.4",
        "reception": "0.4",
        "vehicle_ops": "0",
        "vehicle_purchase": "0",
        "overseas": "0",
    }
    items = {i["name"]: i["amount"] for i in plain["narrative"]["basic_items"]}
    assert items["奖金"] == "14"
    assert items["其他社会保障缴费"] == "1.60"


def test_absent_keys_and_empty_rows_are_blank(sample_path: Path) -> None:
    d = doc(sample_path)
    d["institutions"] = ["局机关", "二级机构1"]
    for table in ("income", "expenditure", "three_public", "assets"):
        d[table].append({})
    del d["basics"]["duties"]
    r = interchange.loads(json.dumps(d, ensure_ascii=False))
    assert r.data["income"][1]["total"] is None
    assert r.data["basics"]["duties"] is None


@settings(max_examples=60, deadline=None)
@given(reports())
def test_round_trip_is_lossless(report: Report) -> None:
    text = interchange.dumps(report)
    again = interchange.loads(text)
    assert again == report
    assert interchange.dumps(again) == text
    assert interchange.fingerprint(again) == interchange.fingerprint(report)


def test_fingerprint_changes_with_any_figure(sample) -> None:
    before = interchange.fingerprint(sample)
    assert len(before) == 16 and int(before, 16) >= 0
    sample.set_text("assets.0.in_use", "73.21")
    assert interchange.fingerprint(sample) != before


# -- bad files ------------------------------------------------------------------------


def refused(text: str) -> str:
    with pytest.raises(DocumentError) as caught:
        interchange.loads(text, "a.json")
    return str(caught.value)


def test_malformed_json() -> None:
    assert refused('{"format": "ziping-report",') == (
        "文件「a.json」无法读取：不是有效的 JSON（第 1 行第 28 列附近）。文件可能已损坏或不完整。"
    )


def test_not_a_report() -> None:
    assert refused("[1, 2]") == "文件「a.json」无法读取：文件内容应为一个报告对象（{…}）。"
    assert refused('{"format": "other"}') == (
        "文件「a.json」无法读取：这不是绩效自评报告文件（format 应为 \"ziping-report\"，实为文字「other」）。"
    )


def test_a_newer_format_that_does_not_fit_is_refused_with_the_version_named() -> None:
    assert refused('{"format": "ziping-report", "format_version": 7, "cover": []}') == (
        "文件「a.json」无法读取：共 2 处问题\n  1. cover：封面应为对象（{…}），而不是列表（[…]）。\n"
        "  2. 文件格式版本为 7，本程序只支持到版本 1：这个文件由更新版本的程序生成，以上内容本程序无法读取，请升级程序后再打开。"
    )


def test_unknown_keys_are_named(sample_path: Path) -> None:
    d = doc(sample_path)
    d["income"][0]["totl"] = "1"
    d["colour"] = "red"
    message = refused(json.dumps(d, ensure_ascii=False))
    assert "未知的字段：colour。" in message
    assert "未知的字段：income.0.totl。" in message


def test_wrong_types_are_all_listed(sample_path: Path) -> None:
    d = doc(sample_path)
    d["income"][0]["total"] = 5374.34
    d["basics"]["staff_quota"] = "23"
    d["cover"]["dept_name"] = ["x"]
    d["expenditure"][0]["basic"] = "38o.71"
    message = refused(json.dumps(d, ensure_ascii=False))
    assert message.startswith("文件「a.json」无法读取：共 4 处问题")
    # Said as a clerk reads it: no Python representation (Decimal('5374.34'), '23', ['x']).
    assert "income.0.total：收入合计应写成带引号的文字，例如 \"5374.34\"，而不是数字 5374.34。" in message
    assert "basics.staff_quota：人员编制应为整数，而不是文字「23」。" in message
    assert "cover.dept_name：部门（单位）名称（盖章）应为文字，而不是列表（[…]）。" in message
    assert "expenditure.0.basic：「38o.71」不是有效的基本支出" in message
    assert "Decimal" not in message and "'" not in message


def test_rows_must_match_institutions(sample_path: Path) -> None:
    d = doc(sample_path)
    d["institutions"] = ["局机关", "市科技创新服务中心"]
    message = refused(json.dumps(d, ensure_ascii=False))
    assert "income：年度收入情况（万元）有 1 行，但机构有 2 个" in message


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        interchange.read(tmp_path / "无.json")
    assert str(caught.value) == f"找不到文件「{tmp_path / '无.json'}」，请检查路径。"
    bad = tmp_path / "gbk.json"
    bad.write_bytes("{\"format\": \"绩效\"}".encode("gbk"))
    with pytest.raises(DocumentError) as caught2:
        interchange.read(bad)
    assert "文件不是 UTF-8 编码的文本" in str(caught2.value)


def test_empty_grade_bands_are_refused(sample_path: Path) -> None:
    d = doc(sample_path)
    d["score"]["bands"] = []
    assert "score.bands：等级档次不能为空" in refused(json.dumps(d, ensure_ascii=False))
