"""A package carries the template its report was made with; a receiver who never
installed it still reads and checks the report, and is told so."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import form, interchange
from models import template as tpl
from models import template_registry as registry
from reports.package import PackageError, build_package, read_package
from tests.helpers import explain_errors
from tests.reports.test_package import members, rezip


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    registry.use_directory(tmp_path / "installed")
    yield tmp_path / "installed"
    registry.use_directory(None)


def reseal(files: dict[str, bytes]) -> bytes:
    manifest = json.loads(files["manifest.json"])
    manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                           for n, d in files.items() if n != "manifest.json"}
    return rezip({**files, "manifest.json": json.dumps(manifest, ensure_ascii=False).encode("utf-8")})


def test_a_template_the_receiver_never_installed(tmp_path: Path, folder: Path, sample) -> None:
    bureau = tmp_path / "湖南2023.2.toml"
    bureau.write_text(form.TEMPLATE.data.decode("utf-8").replace('version = "2023.1"', 'version = "2023.2"'),
                      encoding="utf-8")
    issued, _ = registry.install(bureau)
    report = explain_errors(sample)
    report.template = issued.ref
    data = build_package(report, status="final")
    files = members(data)
    assert files["template.toml"] == bureau.read_bytes()
    assert json.loads(files["manifest.json"])["template"] == issued.ref
    assert read_package(data, "a.zpb").template_note == ""  # installed here

    registry.use_directory(tmp_path / "elsewhere")  # the finance bureau's computer
    package = read_package(data, "a.zpb")
    assert package.report.template == issued.ref
    assert package.template_note == (
        f"报告所用的表样模板 hunan-2023 版本 2023.2（湖南省部门（单位）整体支出绩效自评报告（附件2-1），"
        f"指纹 {issued.short_hash}）本机没有安装，已用包内附带的模板核对；需要时可用「安装表样模板」安装它。")


def test_a_package_made_before_packages_carried_templates(sample) -> None:
    files = members(build_package(explain_errors(sample)))
    del files["template.toml"]
    package = read_package(reseal(files), "old.zpb")
    assert package.template_note == ""
    assert package.report == explain_errors(sample)


def test_a_changed_template_is_refused(sample) -> None:
    files = members(build_package(explain_errors(sample)))
    files["template.toml"] = files["template.toml"].replace(b'version = "2023.1"', b'version = "2023.9"')
    with pytest.raises(PackageError) as caught:
        read_package(reseal(files), "x.zpb")
    assert str(caught.value) == ("报送包「x.zpb」无法使用：包内的表样模板与报告数据所用的表样模板不符，文件可能被改动。"
                                 "未导入任何内容。")


def test_a_broken_template_is_refused(sample) -> None:
    files = members(build_package(explain_errors(sample)))
    files["template.toml"] = files["template.toml"].replace(b'kind = "yearmonth"', b'kind = "month"')
    with pytest.raises(PackageError) as caught:
        read_package(reseal(files), "x.zpb")
    assert str(caught.value).startswith(
        "报送包「x.zpb」无法使用：包内的表样模板（template.toml）有误："
        "第 65 行（parts[cover].fields[report_date].kind）：类型 \"month\" 不认识；")
    assert str(caught.value).endswith("。未导入任何内容。")
    assert tpl.default() is form.TEMPLATE


def test_importing_says_the_template_was_not_installed(tmp_path: Path, folder: Path, sample, db_path) -> None:
    from models.store import Store
    from reports.handover import receive

    bureau = tmp_path / "湖南2023.2.toml"
    bureau.write_text(form.TEMPLATE.data.decode("utf-8").replace('version = "2023.1"', 'version = "2023.2"'),
                      encoding="utf-8")
    issued, _ = registry.install(bureau)
    report = explain_errors(sample)
    report.template = issued.ref
    path = tmp_path / "a.zpb"
    path.write_bytes(build_package(report, status="final"))
    registry.use_directory(tmp_path / "elsewhere")
    with Store(db_path) as store:
        outcome = receive(store, path)
        assert outcome.kind == "imported"
        assert outcome.message.endswith("本机没有安装，已用包内附带的模板核对；需要时可用「安装表样模板」安装它。")
        assert outcome.report_id is not None and store.template(outcome.report_id) == issued.ref
        assert interchange.template_of(store.load(outcome.report_id)) == issued.ref
