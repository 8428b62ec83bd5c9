"""Reports of a form of another family (the Chongqing 部门整体绩效自评表) handed over and
consolidated: a package carries the report's template, the finance side reads, checks and
keeps a report made with a template it never installed, and the 汇总表 lists such reports
beside the Hunan ones, with a sheet for the family whose columns its versions share by key."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from main import main
from models import interchange, rules
from models import template as tpl
from models import template_registry as registry
from models.report import Report
from models.store import Store, from_backup
from reports.consolidation import render_summary
from reports.handover import receive, receive_report
from reports.package import PackageError, build_package, read_package
from reports.receipt import render_receipt
from tests.helpers import SOFFICE
from tests.models.test_flat_report import CHONGQING, filled
from tests.pdftext import lines
from tests.reports.test_package import members
from tests.reports.test_package_template import reseal
from tests.reports.test_workbook_calc import resaved_by_libreoffice

#: What the bureau's next issue of the form changes: its id and version, a label, a field
#: dropped and a field added.
CHANGES = (
    ('id = "chongqing-2023"', 'id = "chongqing-2031"'),
    ('version = "2023.1"', 'version = "2023.2"'),
    ('label = "指标得分（分）"', 'label = "指标实得分（分）"'),
    ('  { key = "finance_office", label = "财政处室" },\n', ""),
    ('  { key = "executed", label = "全年执行数", kind = "money" },\n',
     '  { key = "executed", label = "全年执行数", kind = "money" },\n'
     '  { key = "other", label = "其他资金", kind = "money" },\n'),
)


def issued_2031() -> tpl.Template:
    """A Chongqing template no computer here has installed: only a package carries it."""
    text = CHONGQING.read_text(encoding="utf-8")
    for old, new in CHANGES:
        assert old in text
        text = text.replace(old, new)
    return tpl.load_bytes(text.encode("utf-8"), "chongqing-2031.toml")


def shipped() -> tpl.Template:
    found = registry.find("chongqing-2023")
    assert found is not None and found.flat
    return found


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def package(tmp_path: Path, template_folder: Path) -> Path:
    """The department's package of a report made with the 2031 issue of the form."""
    report = filled(issued_2031())
    report.set_text("budget.other", "5")
    path = tmp_path / "dept" / "重庆.zpb"
    path.parent.mkdir()
    path.write_bytes(build_package(report, unchecked_ok=True))
    return path


def test_a_package_carries_the_report_template_and_its_printed_forms(package: Path) -> None:
    files = members(package.read_bytes())
    assert set(files) == {"manifest.json", "report.json", "report.pdf", "report.xlsx", "template.toml"}
    carried = tpl.load_bytes(files["template.toml"], "template.toml")
    assert carried == issued_2031() and carried.id == "chongqing-2031"
    assert json.loads(files["manifest.json"])["template"] == carried.ref
    assert json.loads(files["report.json"])["template"] == carried.ref


def test_the_finance_side_reads_keeps_and_checks_a_report_of_a_template_it_never_installed(
        package: Path, db_path: Path, template_folder: Path) -> None:
    issued = issued_2031()
    assert registry.find("chongqing-2031") is None  # never installed here
    with Store(db_path) as store:
        outcome = receive(store, package)
        assert outcome.kind == "imported", outcome.message
        assert outcome.message.endswith(
            f"报告所用的表样模板 chongqing-2031 版本 2023.2（重庆市部门整体绩效自评表，指纹 {issued.short_hash}）"
            "本机没有安装，已用包内附带的模板核对；需要时可用「安装表样模板」安装它。"
            "这个模板已随报告保存在本数据库中，以后打开、审核和汇总这份报告都不需要安装它。")
    assert registry.find("chongqing-2031") is None  # kept with the report, not installed
    with Store(db_path) as store:  # a later run of the program
        report = store.load(1)
        assert store.load_revision(1, store.revisions(1)[0].id) == report  # its history reads with it too
        backup = store.backup_if_due()
    assert backup is not None and from_backup(backup, 1) == report  # and so does a day's backup of it
    assert report.flat and report.form == issued and report.template == issued.ref
    with Store(db_path) as store:  # the receipt names what the form has: no 预算编码 line
        text = "".join(line.text for line in lines(render_receipt(store, 1)))
    assert "重庆市某区教委" in text and "2023年度" in text and "预算编码" not in text
    assert "部门整体绩效自评表报送回执" in text and "兹收到上列单位报送的部门整体绩效自评表报送包。" in text
    assert report.node_at("indicators.0.score").label == "指标实得分（分）"
    assert report.data["budget"]["other"] == Decimal("5") and "finance_office" not in report.data["cover"]
    assert [(f.severity, f.rule, f.message) for f in rules.check(report)] == [
        ("error", "budget.rate", "部门预算执行情况（万元）：执行率（%）填报 90，而 全年执行数 95 ÷ 全年（调整）预算数 100 × 100"
                                 " = 95，相差 5（执行率（%）少 5）。"),
        ("error", "indicator.score", "绩效指标「1、培训人次」：指标实得分（分）填报 80，而 得分系数（%） 100 ÷ 100 × 指标权重（分） 90"
                                     " = 90，相差 10（指标实得分（分）少 10）。"),
        ("warning", "indicator.full", "绩效指标「1、培训人次」：全年完成值 90 未达到指标值 100，得分系数却为 100%。"
                                      "请核对完成值，或按完成比例调低得分系数。"),
    ]


def test_the_command_line_imports_checks_and_lists_it(
        capsys, package: Path, tmp_path: Path, db_path: Path) -> None:
    db = ["--db", str(db_path)]
    code, out, _ = run(capsys, "check", str(package))
    assert code == 1 and "chongqing-2031 版本 2023.2" in out and "本机没有安装，已用包内附带的模板核对" in out
    assert "[错误] 绩效指标「1、培训人次」指标实得分（分）、得分系数（%）、指标权重（分）" in out
    code, out, err = run(capsys, "import", str(package), *db)
    assert code == 0, err
    assert "重庆市某区教委 2023年度：已导入为报告 1" in out and "这个模板已随报告保存在本数据库中" in out
    code, out, _ = run(capsys, "check", "1", *db)
    assert code == 1
    assert out.splitlines()[1:4] == [
        "审核发现：错误 2 项，警告 1 项",
        "[错误] 部门预算执行情况（万元）·执行率（%）、全年执行数、全年（调整）预算数",
        "    部门预算执行情况（万元）：执行率（%）填报 90，而 全年执行数 95 ÷ 全年（调整）预算数 100 × 100 = 95，相差 5（执行率（%）少 5）。",
    ]
    assert "[错误] 绩效指标「1、培训人次」指标实得分（分）、得分系数（%）、指标权重（分）" in out
    code, out, _ = run(capsys, "list", *db)
    assert code == 0 and out.startswith("1\t2023\t重庆市某区教委\t草稿\t")
    code, _, err = run(capsys, "check", "2", *db)
    assert code == 2 and err == "错误：没有编号为 2 的报告。可用 list 查看已有的报告。\n"


def test_an_interchange_file_of_a_shipped_flat_template_is_imported_and_checked(
        capsys, tmp_path: Path, db_path: Path, template_folder: Path) -> None:
    source = tmp_path / "cq.json"
    source.write_text(interchange.dumps(filled(shipped())), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(source))
    assert code == 1 and "[警告] 绩效指标「1、培训人次」得分系数（%）、全年完成值、指标性质、调整指标值、年初指标值" in out
    code, out, _ = run(capsys, "import", str(source), "--db", str(db_path))
    assert code == 0
    assert out == f"已导入 {source} → 报告 1：重庆市某区教委 2023年度（错误 2 项，警告 1 项）\n"
    with Store(db_path) as store:
        assert store.template(1) == shipped().ref and store.load(1).form.id == "chongqing-2023"


def test_new_makes_a_blank_report_of_the_template_named(capsys, db_path: Path, template_folder: Path) -> None:
    db = ["--db", str(db_path)]
    code, out, _ = run(capsys, "new", "--template", "chongqing-2023", "--dept", "重庆市某区民政局", "--year", "2023", *db)
    assert code == 0
    assert out == ("已新建报告 1：重庆市某区民政局 2023年度。"
                   "新报告使用表样模板 chongqing-2023 版本 2023.1（重庆市部门整体绩效自评表，2023 年度）。\n")
    with Store(db_path) as store:
        report = store.load(1)
    assert report.flat and report.form == shipped() and report.data["cover"]["year"] == 2023
    assert [f.message for f in rules.check(report)] == ["基本信息：「部门联系人」必须填写。", "基本信息：「联系电话」必须填写。"]
    code, _, err = run(capsys, "new", "--template", "chongqing-2023", "--dept", "重庆市某区民政局", "--year", "2023", *db)
    assert code == 2 and err == ("错误：数据库中已有 重庆市某区民政局 2023年度的报告（编号 1），没有新建。"
                                 "如确要再新建一份，加 --keep-both。\n")
    code, _, err = run(capsys, "new", "--template", "shanghai-2023", "--dept", "某局", "--year", "2023", *db)
    assert code == 2 and err == ("错误：没有编号为「shanghai-2023」的表样模板。可用的表样模板：chongqing-2023、hunan-2023"
                                 "（详见 template list）；财政局下发的模板须先用 template install 安装。\n")
    with Store(db_path) as store:
        assert [i.id for i in store.listing()] == [1]


def _tampered(package: Path, change: tuple[bytes, bytes]) -> bytes:
    files = members(package.read_bytes())
    assert change[0] in files["template.toml"]
    files["template.toml"] = files["template.toml"].replace(*change)
    return reseal(files)


def test_a_carried_template_that_is_not_the_report_one_is_refused(
        package: Path, tmp_path: Path, db_path: Path) -> None:
    # another label: the file's SHA-256 is no longer the one the report names
    data = _tampered(package, ("指标实得分（分）".encode(), "指标得分（分）".encode()))
    with pytest.raises(PackageError) as caught:
        read_package(data, "重庆.zpb")
    assert str(caught.value) == ("报送包「重庆.zpb」无法使用：包内的表样模板与报告数据所用的表样模板不符，文件可能被改动。"
                                 "未导入任何内容。")
    bad = tmp_path / "重庆.zpb"
    bad.write_bytes(data)
    with Store(db_path) as store:
        outcome = receive(store, bad)
        assert outcome.kind == "failed" and outcome.message == str(caught.value)
        assert store.listing() == []


def test_a_broken_carried_template_is_refused(package: Path) -> None:
    data = _tampered(package, (b'kind = "score"', b'kind = "points"'))
    with pytest.raises(PackageError) as caught:
        read_package(data, "重庆.zpb")
    assert str(caught.value).startswith("报送包「重庆.zpb」无法使用：包内的表样模板（template.toml）")
    assert "类型 \"points\" 不认识" in str(caught.value) and str(caught.value).endswith("。未导入任何内容。")


# ---------------------------------------------------------------------------
# The 汇总表
# ---------------------------------------------------------------------------


def _department(report: Report, name: str) -> Report:
    report.set_text("cover.dept_name", name)
    return report


@pytest.fixture
def summary(tmp_path: Path, template_folder: Path, sample, db_path: Path) -> bytes:
    """A year of a Hunan report and two Chongqing reports made with two issues of the form."""
    older = _department(filled(shipped()), "重庆市某区教委")
    older.set_text("cover.finance_office", "教科文处")
    newer = _department(filled(issued_2031()), "重庆市某区卫健委")
    newer.set_text("budget.other", "5")
    newer.set_text("budget.rate", "95")
    with Store(db_path) as store:
        path = tmp_path / "hunan.json"
        path.write_text(interchange.dumps(sample), encoding="utf-8")
        assert receive_report(store, path, sample).kind == "imported"
        store.create(older)
        store.create(newer)
    assert registry.find("chongqing-2031") is None
    with Store(db_path) as store:  # the 2031 issue is known from the database alone
        return render_summary(store, 2023)


def _rows(ws, first: int = 4) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first) if any(c.value is not None for c in row)]


def test_the_main_sheet_lists_every_report_by_its_template_roles(summary: bytes) -> None:
    book = load_workbook(io.BytesIO(summary))
    assert book.sheetnames == ["2023年度汇总", "重庆市部门整体绩效自评表", "审核发现"]
    ws = book["2023年度汇总"]
    headers = [c.value for c in ws[3]]
    rows = {r[2]: dict(zip(headers, r, strict=True)) for r in _rows(ws)[:3]}
    hunan, cq = rows["吉首市科工信局"], rows["重庆市某区教委"]
    assert (hunan["预算编码"], hunan["联系人"], hunan["等级"]) == ("004001", "陶毅", "优")
    assert Decimal(str(hunan["收入合计"])) == Decimal("5374.34")
    for column in ("预算编码", "联系人", "联系电话", "等级", "收入合计", "上年结转", "固定资产合计", "投入得分"):
        assert cq[column] is None, column  # blank, never 0: the Chongqing form has no such cell
    # 评分: the cell its template names the score, as shown (执行率得分 9 + 指标得分 80)
    assert Decimal(str(cq["评分"])) == Decimal("89")
    assert (cq["错误"], cq["警告"], cq["已说明"]) == (2, 1, 0)  # its own template's findings
    assert cq["表样模板"] == "chongqing-2023 版本 2023.1"
    assert rows["重庆市某区卫健委"]["表样模板"] == "chongqing-2031 版本 2023.2"
    assert rows["重庆市某区卫健委"]["错误"] == 1  # its 执行率 is right
    total = _rows(ws)[3]
    assert total[2] == "合计"
    cached = dict(zip(headers, _rows(load_workbook(io.BytesIO(summary), data_only=True)["2023年度汇总"])[3],
                      strict=True))
    assert Decimal(str(cached["收入合计"])) == Decimal("5374.34")  # the blanks are not counted
    assert cached["错误"] == 3 + 2 + 1


def test_the_family_sheet_has_its_fields_and_its_tables_sums_shared_by_key(summary: bytes) -> None:
    ws = load_workbook(io.BytesIO(summary))["重庆市部门整体绩效自评表"]
    assert ws["A1"].value == "2023年度部门整体支出绩效自评汇总表·重庆市部门整体绩效自评表"
    groups = [c.value for c in ws[2]]
    headers = [c.value for c in ws[3]]
    assert headers == [
        "报告编号", "部门（单位）", "财政处室", "自评总分（分）", "部门联系人", "联系电话",
        "年初预算数", "全年（调整）预算数", "全年执行数", "其他资金", "执行率（%）", "执行率得分（分）",
        "行数", "指标权重（分）合计", "指标实得分（分）合计", "错误", "警告", "已说明", "表样模板"]
    assert [g for g in groups if g] == ["报告", "部门整体绩效自评表", "部门预算执行情况（万元）", "绩效指标", "审核发现"]
    rows = _rows(ws)
    # in the order of the main sheet: by department
    assert [r[1] for r in rows[:2]] == ["重庆市某区卫健委", "重庆市某区教委"]
    newer, older = (dict(zip(headers, r, strict=True)) for r in rows[:2])
    assert older["财政处室"] == "教科文处" and newer["财政处室"] is None  # 2031 has no such field
    assert older["其他资金"] is None and Decimal(str(newer["其他资金"])) == Decimal("5")  # nor 2023
    assert older["年初预算数"] is None  # not filled: blank, not 0
    for row in (older, newer):
        assert row["联系电话"] == "023-1234567"
        assert Decimal(str(row["全年（调整）预算数"])) == Decimal("100")
        assert (row["行数"], Decimal(str(row["指标权重（分）合计"])), Decimal(str(row["指标实得分（分）合计"]))) == (
            1, Decimal("90"), Decimal("80"))
    assert Decimal(str(older["执行率得分（分）"])) == Decimal("9")  # as shown: computed where blank
    assert Decimal(str(older["自评总分（分）"])) == Decimal("89")
    assert Decimal(str(newer["自评总分（分）"])) == Decimal("89.5")
    assert (older["错误"], older["警告"], newer["错误"]) == (2, 1, 1)
    assert (older["表样模板"], newer["表样模板"]) == ("chongqing-2023 版本 2023.1", "chongqing-2031 版本 2023.2")
    total = dict(zip(headers, [c.value for c in ws[6]], strict=True))
    assert total["部门（单位）"] == "合计"
    assert total["年初预算数"] == '=IF(COUNT(G4:G5)=0,"",SUM(G4:G5))'
    assert total["指标权重（分）合计"] is None and total["执行率（%）"] is None  # scores and rates do not add


def test_the_window_lists_them_in_its_summary(summary: bytes, db_path: Path) -> None:
    from ui.handover import summary_rows

    with Store(db_path) as store:
        rows = summary_rows(store, 2023)
    assert [(r[0], r[5], r[6]) for r in rows] == [
        ("吉首市科工信局", "96", "优"), ("重庆市某区卫健委", "89.5", ""), ("重庆市某区教委", "89", "")]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_a_spreadsheet_opens_the_family_sheet_with_its_blanks(summary: bytes, tmp_path: Path) -> None:
    source = tmp_path / "in" / "汇总表.xlsx"
    source.parent.mkdir()
    source.write_bytes(summary)
    book = load_workbook(resaved_by_libreoffice(tmp_path, source), data_only=True)
    ws = book["重庆市部门整体绩效自评表"]
    headers = [c.value for c in ws[3]]
    newer, older, total = (dict(zip(headers, r, strict=True)) for r in _rows(ws)[:3])
    assert older["其他资金"] is None and newer["财政处室"] is None and older["年初预算数"] is None
    assert Decimal(str(newer["指标实得分（分）合计"])) == Decimal("80")
    assert total["年初预算数"] in (None, "")  # no figure: the 合计 stays blank, not 0
    assert Decimal(str(total["全年（调整）预算数"])) == Decimal("200")
    main_sheet = book["2023年度汇总"]
    heads = [c.value for c in main_sheet[3]]
    cq = dict(zip(heads, [c.value for c in main_sheet[6]], strict=True))
    assert cq["部门（单位）"] == "重庆市某区教委" and cq["收入合计"] is None and cq["预算编码"] is None
    assert Decimal(str(cq["评分"])) == Decimal("89")
