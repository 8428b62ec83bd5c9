"""A report file names the template it was made with; the fingerprint is of its data."""

from __future__ import annotations

import json

import pytest

from models import form, interchange
from models.errors import DocumentError


def test_a_written_file_names_the_programs_template(sample) -> None:
    sample.template = None
    raw = json.loads(interchange.dumps(sample))
    assert list(raw)[:3] == ["format", "format_version", "template"]
    assert raw["template"] == {"id": "hunan-2023", "version": "2023.1", "sha256": form.TEMPLATE.digest}
    assert "template" not in json.loads(interchange.canonical(sample))
    assert interchange.fingerprint(sample) == "7ff41984a0ed1b0c"


def test_a_file_naming_another_template_keeps_naming_it(sample_path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["template"] = {"id": "hunan-2023", "version": "2023.2", "sha256": "ab" * 32}
    report = interchange.loads(json.dumps(raw, ensure_ascii=False))
    assert report.template == raw["template"]
    assert json.loads(interchange.dumps(report))["template"] == raw["template"]
    assert interchange.fingerprint(report) == "7ff41984a0ed1b0c"


def test_a_file_of_another_template_that_does_not_fit_says_so(sample_path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["template"] = {"id": "chongqing-2023", "version": "2023.1", "sha256": "cd" * 32}
    raw["goals"] = {"initial": "目标"}
    with pytest.raises(DocumentError) as caught:
        interchange.loads(json.dumps(raw, ensure_ascii=False), "重庆.json")
    assert caught.value.problems == [
        "未知的字段：goals。本程序不认识这些字段，请检查文件来源或升级程序。",
        "这份报告按表样模板 chongqing-2023 版本 2023.1 填写，本程序按表样模板 hunan-2023 版本 2023.1 读取，两者的栏目不同。",
    ]


def test_a_damaged_template_name_is_refused(sample_path) -> None:
    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    raw["template"] = "hunan-2023"
    with pytest.raises(DocumentError) as caught:
        interchange.loads(json.dumps(raw, ensure_ascii=False), "x.json")
    assert caught.value.problems == ["template 应写成 { \"id\": …, \"version\": …, \"sha256\": … }，文件可能已损坏。"]


def test_the_database_records_the_template(sample_path, db_path) -> None:
    from models.store import Store

    raw = json.loads(sample_path.read_text(encoding="utf-8"))
    other = {"id": "hunan-2023", "version": "2023.2", "sha256": "ab" * 32}
    raw["template"] = other
    with Store(db_path) as store:
        made_here = store.create(interchange.loads(sample_path.read_text(encoding="utf-8")))
        named = store.create(interchange.loads(json.dumps(raw, ensure_ascii=False)))
        assert store.template(made_here) == form.TEMPLATE.ref
        assert store.template(named) == other
        again = store.load(named)
        assert again.template == other
        assert json.loads(interchange.dumps(again))["template"] == other


def test_the_sample_names_the_shipped_template(sample) -> None:
    # Changed the template file? Write the sample again: interchange.dumps(report) with
    # report.template = None names the file as it now is.
    assert sample.template == form.TEMPLATE.ref
