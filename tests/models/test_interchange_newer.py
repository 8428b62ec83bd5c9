"""A report of a newer program, or of a later issue of the program's template, with
fields this program's form lacks: read to be looked at, the fields named and kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models import interchange
from models.store import Store

NEWER_FORMAT = ("这份报告由更新版本的程序生成（文件格式版本 2，本程序只支持到版本 1），只能查看，不能修改；要修改请升级程序。"
                "本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：goals、indicators.unit。")


def newer(sample_path: Path, **changes: Any) -> dict[str, Any]:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["format_version"] = 2
    for row in raw["indicators"]:
        row["unit"] = "%"
    raw["goals"] = {"initial": "完成年度目标"}
    raw.update(changes)
    return raw


def test_a_newer_programs_file_is_read_to_be_looked_at(sample_path: Path, sample) -> None:
    raw = newer(sample_path)
    report = interchange.loads(json.dumps(raw, ensure_ascii=False), "新.json")
    assert report.readonly_reason == NEWER_FORMAT
    assert report.data == sample.data
    written = json.loads(interchange.dumps(report))
    assert written["format_version"] == 2
    assert written["goals"] == {"initial": "完成年度目标"}
    assert [r["unit"] for r in written["indicators"]] == ["%"] * len(sample.data["indicators"])
    assert interchange.fingerprint(report) != interchange.fingerprint(sample)


def test_a_later_issue_of_the_template_with_another_field(sample_path: Path, db_path: Path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["template"] = {"id": "hunan-2024", "version": "2024.1", "sha256": "ab" * 32}
    raw["basics"]["wechat"] = "jskgxj"
    report = interchange.loads(json.dumps(raw, ensure_ascii=False), "新.json")
    assert report.readonly_reason == (
        "这份报告按更新的表样模板 hunan-2024 版本 2024.1 填写（本程序的表样是 hunan-2023 版本 2023.1），"
        "只能查看，不能修改；要修改请升级程序。"
        "本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：basics.wechat。")
    assert json.loads(interchange.dumps(report))["basics"]["wechat"] == "jskgxj"
    with Store(db_path) as store:
        again = store.load(store.create(report))
    assert again.readonly_reason == report.readonly_reason
    assert again.template == raw["template"]


def test_a_later_issue_of_the_template_that_fits_is_read_as_usual(sample_path: Path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["template"] = {"id": "hunan-2024", "version": "2024.1", "sha256": "ab" * 32}
    assert interchange.loads(json.dumps(raw, ensure_ascii=False)).readonly_reason is None


def test_an_unknown_field_without_a_newer_program_or_template_is_still_refused(sample_path: Path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["basics"]["wechat"] = "jskgxj"
    try:
        interchange.loads(json.dumps(raw, ensure_ascii=False), "x.json")
    except Exception as exc:  # noqa: BLE001
        assert str(exc) == ("文件「x.json」无法读取：basics：未知的字段：basics.wechat。"
                            "本程序不认识这些字段，请检查文件来源或升级程序。")
    else:
        raise AssertionError("read")


def test_stored_it_stays_to_be_looked_at_with_its_fields(sample_path: Path, db_path: Path) -> None:
    report = interchange.loads(json.dumps(newer(sample_path), ensure_ascii=False))
    with Store(db_path) as store:
        rid = store.create(report)
        again = store.load(rid)
        assert store.info(rid).fingerprint == interchange.fingerprint(report)
    assert again.readonly_reason == NEWER_FORMAT
    assert json.loads(interchange.dumps(again))["goals"] == {"initial": "完成年度目标"}
