"""The command line keeps one truth between the department and the finance side: final
reports are not overwritten unseen, events are visible, a department-year is one report,
a package's status travels, verify finds every version, and a receipt records the handover."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from main import main
from models import interchange
from models.store import Store
from reports.package import build_package
from tests.helpers import explain_errors


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _final_package(capsys, tmp_path: Path, sample, name: str = "dept.sqlite3") -> tuple[Path, str]:
    """A department's database with the sample explained and marked final, packed."""
    db = ["--db", str(tmp_path / name)]
    source = tmp_path / "explained.json"
    source.write_text(interchange.dumps(explain_errors(sample.copy(), "原表如此。")), encoding="utf-8")
    assert run(capsys, "import", str(source), *db)[0] == 0
    assert run(capsys, "final", "1", *db)[0] == 0
    package = tmp_path / "out" / "final.zpb"
    package.parent.mkdir(exist_ok=True)
    assert run(capsys, "pack", "1", str(package), *db)[0] == 0
    return package, interchange.fingerprint(explain_errors(sample.copy(), "原表如此。"))


def test_a_final_report_is_replaced_or_deleted_only_with_a_reason_which_is_recorded(
        capsys, tmp_path, sample, db_path) -> None:
    db = ["--db", str(db_path)]
    package, _ = _final_package(capsys, tmp_path, sample)
    assert run(capsys, "import", str(package), *db)[0] == 0
    assert run(capsys, "final", "1", *db)[0] == 0  # the finance side marks it final too
    newer = explain_errors(sample.copy(), "原表如此。")
    newer.set_text("basics.contact", "钱七")
    (tmp_path / "newer.zpb").write_bytes(build_package(newer))
    code, _, err = run(capsys, "import", str(tmp_path / "newer.zpb"), "--replace", *db)
    assert code == 2
    assert ("数据库中的报告 1（吉首市科工信局 2023年度）已定稿。替换定稿的报告须说明原因（会被记录），"
            "替换后改为草稿；命令行加 --reason \"原因\"。") in err
    assert "替换已定稿的报告须说明原因：加 --replace --reason \"原因\" 再导入" in err
    with Store(db_path) as store:
        assert store.info(1).status == "final" and len(store.revisions(1)) == 1
    code, out, _ = run(capsys, "import", str(tmp_path / "newer.zpb"), "--replace", "--reason", "部门更正联系人", *db)
    assert code == 0 and "已替换报告 1" in out
    with Store(db_path) as store:
        assert store.info(1).status == "draft"
        assert store.load(1).data["basics"]["contact"] == "钱七"
    code, out, _ = run(capsys, "revisions", "1", *db)
    assert "替换定稿的报告\t部门更正联系人（以 报送包 newer.zpb 替换，改为草稿）" in out
    # deleting a final report
    assert run(capsys, "final", "1", *db)[0] == 0
    code, _, err = run(capsys, "delete", "1", *db)
    assert (code, err) == (2, "错误：报告 1（吉首市科工信局 2023年度）已定稿。定稿的报告移入回收站须说明原因（会被记录）；"
                              "命令行加 --reason \"原因\"。\n")
    assert run(capsys, "delete", "1", "--reason", "重复报送", *db)[0] == 0
    assert "移入回收站\t重复报送" in run(capsys, "revisions", "1", *db)[1]


def test_revisions_lists_versions_by_number_and_events_in_time_order(capsys, tmp_path, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    explained = tmp_path / "explained.json"
    report = explain_errors(interchange.read(sample_path), "原表如此。")
    explained.write_text(interchange.dumps(report), encoding="utf-8")
    assert run(capsys, "import", str(explained), "--replace", *db)[0] == 0
    assert run(capsys, "final", "1", *db)[0] == 0
    assert run(capsys, "reopen", "1", "--reason", "财政局退回修改", *db)[0] == 0
    assert run(capsys, "pack", "1", str(tmp_path / "p.zpb"), *db)[0] == 0
    assert run(capsys, "delete", "1", *db)[0] == 0
    assert run(capsys, "undelete", "1", *db)[0] == 0
    code, out, _ = run(capsys, "revisions", "1", *db)
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0
    assert [(line[0], line[2]) for line in lines] == [
        ("　　——", "从回收站还原"), ("　　——", "移入回收站"), ("　　——", "打印/导出"), ("　　——", "重新打开"),
        ("　　——", "定稿"), ("　　——", "替换"), ("版本 2", "导入"), ("版本 1", "导入"),
    ]
    assert lines[3][3] == "财政局退回修改"
    assert lines[2][3] == f"报送包 p.zpb（数据指纹 {interchange.fingerprint(report)}）"
    assert lines[5][3] == "以 导入自 explained.json 替换"
    # restore by the report's own number; an old database-wide id still works
    code, out, _ = run(capsys, "restore", "1", "1", *db)
    assert (code, out) == (0, "报告 1 已恢复为版本 1 的内容（新版本 3）。\n")
    with Store(db_path) as store:
        other = store.create(interchange.read(sample_path))  # its revision takes id 4
        store.save(other, explain_errors(store.load(other)))  # id 5: version 2 of report 2
    code, out, _ = run(capsys, "restore", str(other), "4", *db)
    assert code == 0 and out.splitlines() == [
        "（4 按数据库内部编号理解，即本报告的版本 1。）", f"报告 {other} 已恢复为版本 1 的内容（新版本 3）。"]
    code, out, _ = run(capsys, "restore", str(other), "3", *db)
    assert (code, out) == (0, f"报告 {other} 的当前内容已与版本 3 相同，没有新建版本。\n")
    code, _, err = run(capsys, "restore", "1", "9", *db)
    assert (code, err) == (2, "错误：报告 1 没有版本 9（共 3 个版本，可用 revisions 查看）。\n")


def test_one_department_year_is_one_report(capsys, tmp_path, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    assert run(capsys, "carry", "1", *db)[0] == 0
    code, _, err = run(capsys, "carry", "1", *db)
    assert (code, err) == (2, "错误：吉首市科工信局 2024年度的报告已经有了（编号 2），没有再新建。"
                              "请打开已有的报告；确需再建一份时，命令行加 --keep-both。\n")
    assert run(capsys, "carry", "1", "--keep-both", *db)[0] == 0
    # the same content from a workbook is recognised; another is a conflict until chosen
    xlsx = tmp_path / "r.xlsx"
    assert run(capsys, "convert", str(sample_path), str(xlsx))[0] == 0
    code, out, _ = run(capsys, "import", str(xlsx), *db)
    assert code == 0 and "与数据库中的报告 1 内容完全相同，未重复导入。" in out
    # the 汇总表 of 2024 counts neither copy, and says so
    assert run(capsys, "summary", "2024", str(tmp_path / "s.xlsx"), *db)[0] == 0
    wb = load_workbook(tmp_path / "s.xlsx")
    rows = [[c.value for c in row] for row in wb["2024年度汇总"].iter_rows(min_row=4)]
    assert rows[0][2] == "合计" and rows[1][0].startswith("另有 1 个部门（单位）本年度有多份报告，都未计入合计")
    assert [r[1] for r in wb["重复报告"].iter_rows(min_row=2, max_row=3, values_only=True)] == [2, 3]


def test_a_final_package_arrives_with_its_status(capsys, tmp_path, sample, db_path) -> None:
    package, fingerprint = _final_package(capsys, tmp_path, sample)
    code, out, _ = run(capsys, "check", str(package))
    assert code == 0
    assert "报送状态：定稿（部门申报）；出错说明：3 项错误均已说明。" in out.splitlines()
    db = ["--db", str(db_path)]
    code, out, _ = run(capsys, "import", str(package), *db)
    assert "已导入为报告 1（报送状态：定稿（部门申报）；出错说明：3 项错误均已说明）" in out
    code, out, _ = run(capsys, "list", *db)
    first = out.splitlines()[0].split("\t")
    assert first[5] == "报送状态：定稿（部门申报）；出错说明：无未说明的错误"
    assert out.splitlines()[-1] == ("（报送状态来自报送包：定稿、草稿为部门申报，不校验导出和出错说明按报告数据核定；"
                                    "错误和出错说明的项数见 check、汇总表或报送回执。）")
    assert run(capsys, "summary", "2023", str(tmp_path / "s.xlsx"), *db)[0] == 0
    ws = load_workbook(tmp_path / "s.xlsx")["2023年度汇总"]
    headers, row = [c.value for c in ws[3]], [c.value for c in ws[4]]
    status = headers.index("报送状态")
    assert row[status:status + 2] == ["定稿（部门申报）", "3 项错误均已说明"]
    assert row[headers.index("数据指纹")] == fingerprint


def test_a_package_claiming_final_with_unexplained_errors_is_taken_as_unchecked(capsys, tmp_path, sample) -> None:
    (tmp_path / "claim.zpb").write_bytes(build_package(sample, status="final", unchecked_ok=True))
    code, out, _ = run(capsys, "check", str(tmp_path / "claim.zpb"))
    assert code == 1
    assert ("报送状态：不校验导出；出错说明：3 项错误未说明（已说明 0 项）（报送包申报为定稿，但报告有 3 项错误未说明，"
            "定稿的报告不会如此；按“不校验导出”对待）。") in out.splitlines()


def test_verify_finds_reports_in_the_recycle_bin_and_numbers_versions_per_report(
        capsys, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    with Store(db_path) as store:
        store.create(interchange.read(sample_path))  # another report's revision in between: id 2
        report = store.load(1)
        report.set_text("basics.contact", "钱七")
        store.save(1, report)  # id 3, the report's version 2
    assert run(capsys, "delete", "1", *db)[0] == 0
    code, out, _ = run(capsys, "verify", interchange.fingerprint(report), *db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"指纹 {interchange.fingerprint(report)} 属于报告 1：吉首市科工信局 2023年度，")
    assert lines[0].endswith("保存的版本 2，即当前内容。")
    assert lines[1].startswith("    注意：报告 1 已于 ") and lines[1].endswith("移入回收站（可用 undelete 1 还原）。")
    # the sample's own fingerprint: version 1 of report 1 (in the bin) and of report 2
    code, out, _ = run(capsys, "verify", interchange.fingerprint(interchange.read(sample_path)), *db)
    assert "属于报告 2" in out.splitlines()[0] and "版本 1，即当前内容" in out.splitlines()[0]
    assert "属于报告 1" in out.splitlines()[1] and "版本 1，是较早的版本" in out.splitlines()[1]


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbar-tools and poppler-utils read the QR code")
def test_receipt_of_a_received_package(capsys, tmp_path, sample, db_path) -> None:
    package, fingerprint = _final_package(capsys, tmp_path, sample)
    db = ["--db", str(db_path)]
    run(capsys, "import", str(package), *db)
    out_pdf = tmp_path / "回执.pdf"
    code, out, _ = run(capsys, "receipt", "1", str(out_pdf), *db)
    assert (code, out) == (0, f"已生成报告 1 的报送回执 → {out_pdf}\n")
    reader = PdfReader(io.BytesIO(out_pdf.read_bytes()))
    assert len(reader.pages) == 1
    text = "".join((reader.pages[0].extract_text() or "").split())
    for expected in ("部门整体支出绩效自评报告报送回执", "吉首市科工信局", "2023年度", "final.zpb",
                     " ".join(fingerprint[i:i + 4] for i in range(0, 16, 4)).replace(" ", ""),
                     "定稿（部门申报）", "错误3项，警告17项", "3项错误均已说明", "接收人（签字）", "财政部门（盖章）"):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(out_pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=False)
    assert fingerprint in scanned.stdout.lower()  # the code carries it in capitals
    # the scan finds the report: the receipt is proof of the version handed in
    code, out, _ = run(capsys, "verify", scanned.stdout.strip(), *db)
    assert code == 0 and "即当前内容" in out
    assert "打印报送回执\t报送回执 回执.pdf" in run(capsys, "revisions", "1", *db)[1]
    # a report typed in locally has no receipt
    with Store(db_path) as store:
        local = store.create(sample.copy())
    code, _, err = run(capsys, "receipt", str(local), str(tmp_path / "x.pdf"), *db)
    assert code == 2 and "不是由报送包导入的，没有报送回执可打印" in err
    code, _, err = run(capsys, "receipt", "1", str(tmp_path / "x.txt"), *db)
    assert (code, err) == (2, "错误：报送回执只能保存为 .pdf 文件，而不是「x.txt」。\n")
