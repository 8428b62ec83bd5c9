"""Handover packages: sealed on the department's side, verified on the finance side."""

import errno
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from models import form, interchange
from models.errors import FileWriteError
from models.report import Report
from models.store import Store
from reports import package as pkg
from reports.handover import find_paper, receive, receive_all, summary_line
from reports.package import (
    NeedsConfirmation,
    PackageError,
    build_package,
    open_package,
    package_name,
    safe_file_name,
    write_package,
)
from tests.helpers import explain_errors


@pytest.fixture(scope="module")
def clean_report() -> Report:
    from tests.conftest import SAMPLE

    return explain_errors(interchange.read(SAMPLE))


@pytest.fixture(scope="module")
def clean_bytes(clean_report) -> bytes:
    return build_package(clean_report, status="final")


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(files: dict[str, bytes], *, utf8: bool = True, names: list[str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            if utf8:
                info.flag_bits |= 0x800
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_package_holds_json_pdf_workbook_and_a_manifest(clean_report, clean_bytes) -> None:
    files = members(clean_bytes)
    assert set(files) == {"manifest.json", "report.json", "report.pdf", "report.xlsx", "template.toml"}
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "ziping-package" and manifest["format_version"] == 1
    assert manifest["program_version"] == "0.1.0" and manifest["report_format_version"] == 1
    assert manifest["fingerprint"] == interchange.fingerprint(clean_report)
    assert manifest["checked"] is True and manifest["status"] == "final"
    for name in ("report.json", "report.pdf", "report.xlsx", "template.toml"):
        assert manifest["members"][name]["sha256"] == hashlib.sha256(files[name]).hexdigest()
    assert files["template.toml"] == form.TEMPLATE.data
    assert manifest["template"] == form.TEMPLATE.ref
    assert files["report.pdf"].startswith(b"%PDF")
    assert interchange.loads(files["report.json"].decode()) == clean_report


def test_unexplained_errors_need_confirmation_and_mark_the_package(sample) -> None:
    with pytest.raises(NeedsConfirmation) as caught:
        build_package(sample)
    assert str(caught.value) == (
        "报告还有 3 项错误未改正也未说明。可以先改正或填写出错说明；"
        "如仍要导出，报送包将标为“不校验导出”，只作备份，不作正式报送。"
    )
    manifest = json.loads(members(build_package(sample, unchecked_ok=True))["manifest.json"])
    assert manifest["checked"] is False and manifest["errors"] == 3


def test_file_names_are_safe_on_fat32_and_windows(clean_report) -> None:
    assert package_name(clean_report) == "2023_吉首市科工信局_绩效自评.zpb"
    assert safe_file_name('a<b>:c"d/e\\f|g?h*i. ') == "a_b__c_d_e_f_g_h_i"
    assert safe_file_name("CON") == "_CON"
    r = Report()
    assert package_name(r) == "未填年度_未填部门_绩效自评.zpb"


def test_write_to_a_folder_reads_back_and_opens(tmp_path, clean_report, clean_bytes) -> None:
    path = write_package(clean_report, tmp_path, status="final")
    assert path == tmp_path / "2023_吉首市科工信局_绩效自评.zpb"
    opened = open_package(path)
    assert opened.report == clean_report
    assert opened.checked and opened.status == "final"
    assert [p.name for p in tmp_path.iterdir()] == [path.name], "no temporary file is left behind"


def test_full_disk_leaves_the_earlier_package_intact(tmp_path, clean_report, monkeypatch) -> None:
    target = tmp_path / "2023_吉首市科工信局_绩效自评.zpb"
    target.write_bytes(b"the earlier package")
    real_fdopen = os.fdopen

    class FullDisk(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def write(self, data) -> int:  # noqa: ANN001
            self.inner.write(bytes(data)[:1000])
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self) -> int:
            return self.inner.fileno()

        def close(self) -> None:
            self.inner.close()
            super().close()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: FullDisk(fd))
    with pytest.raises(FileWriteError) as caught:
        write_package(clean_report, target)
    assert str(caught.value) == (
        f"无法写入「{target}」：磁盘空间不足。文件没有写成；原有的同名文件（如有）未受影响。"
    )
    monkeypatch.undo()
    assert target.read_bytes() == b"the earlier package"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_stick_pulled_out_midway(tmp_path, clean_report, monkeypatch) -> None:
    target = tmp_path / "p.zpb"
    target.write_bytes(b"old")

    def gone(*_a, **_k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", gone)
    with pytest.raises(FileWriteError) as caught:
        write_package(clean_report, target)
    assert "磁盘读写错误（U 盘是否已拔出？）" in str(caught.value)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"


# -- hostile and broken packages ------------------------------------------------------


def refused(data: bytes, tmp_path: Path, name: str = "x.zpb") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PackageError) as caught:
        open_package(path)
    return str(caught.value)


def test_path_traversal_is_refused(tmp_path, clean_bytes) -> None:
    files = members(clean_bytes)
    files["../../evil.json"] = b"{}"
    assert refused(rezip(files), tmp_path) == (
        "报送包「x.zpb」无法使用：包内文件「../../evil.json」的路径不安全（绝对路径或含“..”）。未导入任何内容。"
    )
    files = members(clean_bytes)
    files["/etc/passwd"] = b"x"
    assert "路径不安全" in refused(rezip(files), tmp_path)
    assert not (tmp_path.parent / "evil.json").exists()


def test_unexpected_member_and_non_utf8_names(tmp_path, clean_bytes) -> None:
    files = members(clean_bytes)
    files["run.exe"] = b"MZ"
    assert refused(rezip(files), tmp_path) == "报送包「x.zpb」无法使用：包内有不应有的文件「run.exe」。未导入任何内容。"
    files = members(clean_bytes)
    files["XXXX.txt"] = b"x"
    # A name written by a tool that stores GBK without saying so (no UTF-8 flag).
    gbk = rezip(files, utf8=False).replace(b"XXXX.txt", "报告.txt".encode("gbk"))
    assert refused(gbk, tmp_path) == (
        "报送包「x.zpb」无法使用：包内文件名不是 UTF-8 编码，文件可能被改动过。未导入任何内容。"
    )


def test_zip_bomb_is_refused_before_unpacking(tmp_path, clean_bytes, monkeypatch) -> None:
    files = members(clean_bytes)
    files["report.xlsx"] = b"\0" * (30 << 20)
    assert refused(rezip(files), tmp_path) == (
        "报送包「x.zpb」无法使用：包内文件「report.xlsx」压缩比异常，疑似压缩炸弹。未导入任何内容。"
    )
    monkeypatch.setitem(pkg.MEMBERS, "report.pdf", 1000)
    assert "包内文件「report.pdf」过大" in refused(clean_bytes, tmp_path)


def test_tampered_member_is_refused(tmp_path, clean_bytes) -> None:
    files = members(clean_bytes)
    files["report.json"] = files["report.json"].replace(b"5374.34", b"5374.35", 1)
    assert refused(rezip(files), tmp_path) == (
        "报送包「x.zpb」无法使用：包内文件「report.json」与清单记录的校验值不符，文件可能被改动或损坏。未导入任何内容。"
    )


def test_truncated_and_not_a_package(tmp_path, clean_bytes) -> None:
    assert refused(clean_bytes[: len(clean_bytes) // 2], tmp_path) == (
        "报送包「x.zpb」无法使用：文件已损坏或不完整（不是有效的报送包）。未导入任何内容。"
    )
    assert "文件已损坏或不完整" in refused(b"PK\x03\x04 garbage", tmp_path)
    assert "文件已损坏或不完整" in refused(b"", tmp_path)


def test_a_newer_package_is_read_as_far_as_this_program_knows_it(tmp_path, clean_bytes) -> None:
    files = members(clean_bytes)
    manifest = json.loads(files["manifest.json"])
    manifest["format_version"] = 3
    files["manifest.json"] = json.dumps(manifest).encode()
    (tmp_path / "x.zpb").write_bytes(rezip(files))
    package = open_package(tmp_path / "x.zpb")
    assert package.template_note == "这个报送包由更新版本的程序生成（报送包格式版本 3，本程序只支持到版本 1），本程序按其中能读懂的部分导入。"
    assert package.report.readonly_reason is None
    files["extra.bin"] = b"x"
    assert refused(rezip(files), tmp_path) == "报送包「x.zpb」无法使用：包内有不应有的文件「extra.bin」。未导入任何内容。"


def test_a_package_of_a_newer_report_format_opens_to_be_looked_at(tmp_path, clean_report, db_path) -> None:
    raw = json.loads(interchange.dumps(clean_report))
    raw["format_version"] = 2
    raw["goals"] = {"initial": "完成年度目标"}
    newer = interchange.loads(json.dumps(raw, ensure_ascii=False))
    path = tmp_path / "新.zpb"
    path.write_bytes(build_package(newer, status="final"))
    package = open_package(path)
    reason = ("这份报告由更新版本的程序生成（文件格式版本 2，本程序只支持到版本 1），只能查看，不能修改；要修改请升级程序。"
              "本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：goals。")
    assert package.report.readonly_reason == reason
    with Store(db_path) as store:
        got = receive(store, path)
        assert got.kind == "imported"
        assert f"）。{reason}数据指纹 " in got.message
        assert store.load(got.report_id).readonly_reason == reason
        assert json.loads(interchange.dumps(store.load(got.report_id)))["goals"] == {"initial": "完成年度目标"}


# -- the finance side ---------------------------------------------------------------------


def test_import_duplicate_replace_and_keep(tmp_path, clean_report, clean_bytes, db_path) -> None:
    first = tmp_path / "a.zpb"
    first.write_bytes(clean_bytes)
    with Store(db_path) as store:
        got = receive(store, first)
        assert (got.kind, got.report_id) == ("imported", 1)
        again = receive(store, first)
        assert again.kind == "duplicate"
        assert again.message.startswith("吉首市科工信局 2023年度：与 ")
        assert again.message.endswith("导入的「a.zpb」完全相同，未重复导入。")
        changed = clean_report.copy()
        changed.set_text("basics.phone", "0743-8520526")
        second = tmp_path / "b.zpb"
        second.write_bytes(build_package(changed))
        asked = receive(store, second)
        assert asked.kind == "conflict"
        assert asked.message == (
            "吉首市科工信局 2023年度：数据库中已有该部门该年度的报告（编号 1）。"
            "请选择替换（旧报告保留为历史版本）或两份都保留。"
        )
        replaced = receive(store, second, "replace")
        assert (replaced.kind, replaced.report_id) == ("replaced", 1)
        assert store.load(1).data["basics"]["phone"] == "0743-8520526"
        assert [r.kind_label for r in store.revisions(1)] == ["导入", "导入"]
        third = tmp_path / "c.zpb"
        changed.set_text("basics.phone", "8520527")
        third.write_bytes(build_package(changed))
        kept = receive(store, third, "keep")
        assert (kept.kind, kept.report_id) == ("imported", 2)
        assert len(store.listing()) == 2


def test_one_failure_never_stops_the_rest(tmp_path, clean_bytes, db_path) -> None:
    folder = tmp_path / "U盘"
    folder.mkdir()
    (folder / "1_good.zpb").write_bytes(clean_bytes)
    (folder / "2_broken.zpb").write_bytes(clean_bytes[:100])
    (folder / "readme.txt").write_text("not a package")
    seen = []
    with Store(db_path) as store:
        outcomes = receive_all(store, [folder], progress=lambda i, n, o: seen.append((i, n, o.kind)))
    assert [(o.path.name, o.kind) for o in outcomes] == [("1_good.zpb", "imported"), ("2_broken.zpb", "failed")]
    assert seen == [(1, 2, "imported"), (2, 2, "failed")]
    assert summary_line(outcomes, 2) == "共 2 个报送包：已导入 1 个，未导入 1 个。"


def test_cancel_stops_between_packages(tmp_path, clean_bytes, db_path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.zpb").write_bytes(clean_bytes)
    calls = []
    with Store(db_path) as store:
        outcomes = receive_all(store, [tmp_path], cancelled=lambda: len(calls) >= 1,
                               progress=lambda *a: calls.append(a))
    assert len(outcomes) == 1
    assert summary_line(outcomes, 3) == "共 3 个报送包：已导入 1 个；已取消，其余 2 个未处理。"


def test_verify_the_paper_by_fingerprint(tmp_path, clean_report, clean_bytes, db_path) -> None:
    (tmp_path / "a.zpb").write_bytes(clean_bytes)
    fingerprint = interchange.fingerprint(clean_report)
    with Store(db_path) as store:
        receive(store, tmp_path / "a.zpb")
        for typed in (fingerprint, fingerprint.upper(), f"ZIPING {fingerprint} 2023 吉首市科工信局",
                      " ".join(fingerprint[i:i + 4] for i in range(0, 16, 4))):
            found, matches = find_paper(store, typed)
            assert found == fingerprint
            assert [(m.report_id, m.current, m.dept_name) for m in matches] == [(1, True, "吉首市科工信局")]
        assert find_paper(store, "0123456789abcdef") == ("0123456789abcdef", [])
        assert find_paper(store, "不是指纹") == (None, [])


def test_damaged_deflate_and_odd_archives_are_refused_not_crashed(tmp_path, clean_bytes) -> None:
    data = bytearray(clean_bytes)
    start = data.index(b"report.pdf") + 200  # inside the PDF's compressed stream
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    assert "文件已损坏或不完整" in refused(bytes(data), tmp_path)
    odd = bytearray(clean_bytes)
    central = odd.index(b"PK\x01\x02")
    odd[central + 6:central + 8] = (99).to_bytes(2, "little")  # "version needed to extract": from the future
    message = refused(bytes(odd), tmp_path)
    assert message.startswith("报送包「x.zpb」无法使用：") and message.endswith("未导入任何内容。")


def test_a_lone_surrogate_in_the_report_is_refused(tmp_path, clean_bytes) -> None:
    files = members(clean_bytes)
    body = files["report.json"].decode().replace('"陶毅"', '"\\ud800"')
    files["report.json"] = body.encode()
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["report.json"]["sha256"] = hashlib.sha256(files["report.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    assert "不成对的 UTF-16 代理项" in refused(rezip(files), tmp_path)


def test_checked_is_worked_out_from_the_report_not_taken_from_the_manifest(tmp_path, sample) -> None:
    files = members(build_package(sample, unchecked_ok=True))
    manifest = json.loads(files["manifest.json"])
    manifest["checked"] = "yes"
    files["manifest.json"] = json.dumps(manifest).encode()
    (tmp_path / "p.zpb").write_bytes(rezip(files))
    assert open_package(tmp_path / "p.zpb").checked is False


def test_one_broken_package_does_not_stop_a_batch(tmp_path, clean_bytes, db_path) -> None:
    data = bytearray(clean_bytes)
    start = data.index(b"report.pdf") + 200
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    (tmp_path / "a_broken.zpb").write_bytes(bytes(data))
    (tmp_path / "b_good.zpb").write_bytes(clean_bytes)
    with Store(db_path) as store:
        outcomes = receive_all(store, [tmp_path])
        assert [o.kind for o in outcomes] == ["failed", "imported"]
        assert len(store.listing()) == 1


def test_a_package_declaring_thousands_of_entries_is_refused_before_parsing(tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(5000):
            zf.writestr(f"f{i}", b"")
    assert refused(buffer.getvalue(), tmp_path) == (
        "报送包「x.zpb」无法使用：包内文件过多（5000 个），不是绩效自评报送包。未导入任何内容。"
    )


def test_written_files_get_the_usual_permissions(tmp_path, clean_report) -> None:
    path = write_package(clean_report, tmp_path / "p.zpb")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_duplicate_of_a_report_in_the_recycle_bin_says_where_it_is(tmp_path, clean_bytes, db_path) -> None:
    (tmp_path / "a.zpb").write_bytes(clean_bytes)
    with Store(db_path) as store:
        first = receive(store, tmp_path / "a.zpb")
        store.delete(first.report_id)
        again = receive(store, tmp_path / "a.zpb")
    assert again.kind == "duplicate"
    assert again.message.endswith("完全相同，未重复导入（该报告现在回收站中，可从回收站还原）。")


def _gbk_name(folder: Path, stem: str) -> Path:
    """A file name as a Windows zip tool writes it in GBK, seen on a Linux stick (not UTF-8)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + stem.encode("gbk") + b".zpb"))


def test_a_name_that_is_not_utf8_is_imported_and_shown_escaped(tmp_path, clean_report, clean_bytes,
                                                                db_path) -> None:
    other = clean_report.copy()
    other.set_text("cover.dept_name", "吉首市财政局")
    _gbk_name(tmp_path, "2023_测试").write_bytes(clean_bytes)
    _gbk_name(tmp_path, "2023_坏").write_bytes(b"PK not a package")
    (tmp_path / "z_good.zpb").write_bytes(build_package(other))
    with Store(db_path) as store:
        outcomes = receive_all(store, [tmp_path])
        shown = {o.name: o for o in outcomes}
        assert set(shown) == {"2023_\\xb2\\xe2\\xca\\xd4.zpb", "2023_\\xbb\\xb5.zpb", "z_good.zpb"}
        assert shown["2023_\\xb2\\xe2\\xca\\xd4.zpb"].kind == "imported"
        assert shown["z_good.zpb"].kind == "imported"
        bad = shown["2023_\\xbb\\xb5.zpb"]
        assert bad.kind == "failed"
        assert bad.message.startswith("报送包「2023_\\xbb\\xb5.zpb」无法使用：")
        receipts = store.receipts(2023)
        assert sorted(r.file_name for r in receipts.values()) == ["2023_\\xb2\\xe2\\xca\\xd4.zpb", "z_good.zpb"]
        note = store.revisions(shown["2023_\\xb2\\xe2\\xca\\xd4.zpb"].report_id or 0)[0].note
        assert note == "报送包 2023_\\xb2\\xe2\\xca\\xd4.zpb"


def test_an_unexpected_failure_of_one_package_is_its_outcome(tmp_path, clean_bytes, db_path, monkeypatch) -> None:
    (tmp_path / "a.zpb").write_bytes(clean_bytes)
    other = members(clean_bytes)
    (tmp_path / "b.zpb").write_bytes(rezip(other))  # the same report, other bytes: a conflict asked about
    with Store(db_path) as store:
        real = store.receive

        def failing_once(*args, **kw):
            monkeypatch.setattr(store, "receive", real)
            raise RuntimeError("disk controller on fire")

        monkeypatch.setattr(store, "receive", failing_once)
        outcomes = receive_all(store, [tmp_path], policy="keep")
    assert [o.kind for o in outcomes] == ["failed", "imported"]
    assert outcomes[0].message.startswith("报送包「a.zpb」未导入：程序内部错误，未导入任何内容。")
    assert "disk controller" not in outcomes[0].message


def _forged(clean_report, clean_bytes, *, regenerate: tuple[str, ...]) -> tuple[bytes, str]:
    """The package with one figure changed in its data and every hash (and the manifest's
    fingerprint) recomputed, as anyone can; ``regenerate`` names the members made anew."""
    from reports.printed import render_pdf
    from reports.workbook import render_workbook

    forged = clean_report.copy()
    forged.set_text("income.0.other", "5380.05")
    files = members(clean_bytes)
    files["report.json"] = interchange.dumps(forged).encode()
    if "report.pdf" in regenerate:
        files["report.pdf"] = render_pdf(forged)
    if "report.xlsx" in regenerate:
        files["report.xlsx"] = render_workbook(forged)
    manifest = json.loads(files["manifest.json"])
    manifest["fingerprint"] = interchange.fingerprint(forged)
    for name in ("report.json", "report.pdf", "report.xlsx"):
        manifest["members"][name]["sha256"] = hashlib.sha256(files[name]).hexdigest()
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return rezip(files), interchange.fingerprint(forged)


def test_changed_data_with_recomputed_hashes_is_caught_by_the_printed_form(tmp_path, clean_report,
                                                                           clean_bytes) -> None:
    data, forged = _forged(clean_report, clean_bytes, regenerate=())
    message = refused(data, tmp_path)
    original = interchange.fingerprint(clean_report)
    assert message == (
        f"报送包「x.zpb」无法使用：包内的打印稿（report.pdf）不是由包内的报告数据生成的（其上的数据指纹为 {original}，"
        f"报告数据的指纹为 {forged}），报送包可能被改动过。未导入任何内容。"
    )
    data, forged = _forged(clean_report, clean_bytes, regenerate=("report.pdf",))
    assert refused(data, tmp_path) == (
        f"报送包「x.zpb」无法使用：包内的工作簿（report.xlsx）不是由包内的报告数据生成的（其上的数据指纹为 {original}，"
        f"报告数据的指纹为 {forged}），报送包可能被改动过。未导入任何内容。"
    )


def test_a_package_forged_throughout_passes_its_hashes_and_fails_the_paper(tmp_path, clean_report, clean_bytes,
                                                                          db_path) -> None:
    """Hashes detect damage, not forgery: only the stamped paper's fingerprint tells."""
    from reports.consolidation import entries

    data, forged = _forged(clean_report, clean_bytes, regenerate=("report.pdf", "report.xlsx"))
    (tmp_path / "forged.zpb").write_bytes(data)
    paper = interchange.fingerprint(clean_report)  # printed on the page that was signed and stamped
    with Store(db_path) as store:
        outcome = receive(store, tmp_path / "forged.zpb")
        assert outcome.kind == "imported"
        assert outcome.fingerprint == forged != paper
        assert outcome.message.endswith(f"数据指纹 {forged}，请与盖章纸质报告页脚的数据指纹核对。")
        assert find_paper(store, paper) == (paper, [])  # the paper matches nothing received
        [entry] = entries(store, 2023)
        assert entry.paper == "未核对"


def test_a_checked_paper_shows_in_the_summary(tmp_path, clean_report, clean_bytes, db_path) -> None:
    from reports.consolidation import entries

    (tmp_path / "a.zpb").write_bytes(clean_bytes)
    with Store(db_path) as store:
        rid = receive(store, tmp_path / "a.zpb").report_id
        assert rid is not None
        assert next(entries(store, 2023)).paper == "未核对"
        find_paper(store, interchange.fingerprint(clean_report))
        find_paper(store, interchange.fingerprint(clean_report))  # checked twice: recorded once
        assert len([e for e in store.events(rid) if e.action == "paper"]) == 1
        assert next(entries(store, 2023)).paper.startswith("一致（")
        changed = store.load(rid)
        changed.set_text("basics.phone", "8520527")
        store.save(rid, changed)
        assert next(entries(store, 2023)).paper == "纸质报告为较早的版本"


def test_the_manifests_claims_are_trusted_for_nothing(tmp_path, sample, db_path) -> None:
    from reports.consolidation import entries

    files = members(build_package(sample, unchecked_ok=True))
    manifest = json.loads(files["manifest.json"])
    manifest.update(status="final", checked=True, errors=0, warnings=0, dept_name="别的部门", year=1999)
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    (tmp_path / "claims.zpb").write_bytes(rezip(files))
    with Store(db_path) as store:
        outcome = receive(store, tmp_path / "claims.zpb")
        assert outcome.kind == "imported" and (
            "（报送状态：不校验导出；出错说明：3 项错误未说明（已说明 0 项）（报送包申报为定稿，但报告有 3 项错误未说明，"
            "定稿的报告不会如此；按“不校验导出”对待））。") in outcome.message
        info = store.info(outcome.report_id or 0)
        assert (info.status, info.dept_name, info.year) == ("draft", "吉首市科工信局", 2023)
        [entry] = entries(store, 2023)
        assert entry.status == "不校验导出" and entry.standing.label == "不校验导出"


def test_a_package_whose_workbook_is_not_ours_is_refused(tmp_path, clean_report, clean_bytes) -> None:
    files = members(clean_bytes)
    files["report.xlsx"] = b"PK\x05\x06" + b"\x00" * 18  # an empty zip: no data sheet, no fingerprint
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["report.xlsx"]["sha256"] = hashlib.sha256(files["report.xlsx"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    assert refused(rezip(files), tmp_path) == (
        "报送包「x.zpb」无法使用：包内的工作簿（report.xlsx）不是由包内的报告数据生成的（其中找不到数据指纹，"
        f"报告数据的指纹为 {interchange.fingerprint(clean_report)}），报送包可能被改动过。未导入任何内容。"
    )
