"""Issues 5 and 6, the window's parts: Excel out and in, the handover package,
and the finance side's import, paper check and 汇总."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QLabel, QProgressDialog

from models import interchange
from models.store import Store
from reports.package import open_package, write_package
from reports.workbook import place_workbook
from tests.helpers import explain_errors
from ui import handover

UNCHECKED_ASK = (
    "报告还有 3 项错误未改正也未说明。可以先改正或填写出错说明；"
    "如仍要导出，报送包将标为“不校验导出”，只作备份，不作正式报送。\n\n仍要生成“不校验导出”的报送包吗？"
)


def _action(window, name):
    return window.findChild(type(window.undo_action), name)


def _count(db_path) -> int:
    with Store(db_path) as store:
        return len(store.listing())


# -- Excel ---------------------------------------------------------------------------


def test_export_excel_writes_a_workbook_named_like_the_package(window, tmp_path, quiet_messages):
    quiet_messages.answers.append(str(tmp_path / "表"))
    _action(window, "action_export_xlsx").trigger()
    path = tmp_path / "表.xlsx"
    assert place_workbook(path).report == window.session.report
    assert quiet_messages.last("status") == f"已导出 Excel「{path}」。"
    assert handover.workbook_name(window.session.report) == "2023_吉首市科工信局_绩效自评.xlsx"


def _workbook_with_a_bad_cell(window, tmp_path) -> Path:
    path = tmp_path / "改过的.xlsx"
    quiet = []
    from ui import messages

    messages.answers.append(str(path))
    handover.export_workbook(window.session.report, window)
    quiet.append(path)
    wb = openpyxl.load_workbook(path)
    wb["收支情况"]["D6"] = "三千"
    wb.save(path)
    return path


def test_excel_import_shows_the_placement_first_and_cancel_writes_nothing(window, tmp_path, db_path, quiet_messages):
    path = _workbook_with_a_bad_cell(window, tmp_path)
    before = _count(db_path)
    opened = window.session.report_id
    quiet_messages.answers.extend([str(path), False])
    _action(window, "action_import_xlsx").trigger()
    [dialog] = quiet_messages.dialogs
    placement = place_workbook(path)
    assert dialog.text.toPlainText() == placement.text()
    assert "收支情况!D6：「三千」不是有效的公共财政拨款" in dialog.text.toPlainText()
    assert dialog.head.text().startswith("吉首市科工信局 2023年度：工作簿中有 1 处内容未能放入报告")
    assert dialog.ok.text() == "仍然导入（未能放入的内容留空）"
    assert _count(db_path) == before
    assert window.session.report_id == opened
    assert quiet_messages.last("status") == "已取消导入，什么也没有写入。"


def test_excel_import_agreed_becomes_a_new_report(window, tmp_path, db_path, quiet_messages):
    path = _workbook_with_a_bad_cell(window, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["收支情况"]["C6"] = 0.6  # a figure changed: not the same content as the open report
    wb.save(path)
    first = window.session.report_id
    quiet_messages.answers.extend([str(path), True, 1])  # the same department and year: keep both
    _action(window, "action_import_xlsx").trigger()
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert asked[-1].startswith("「改过的.xlsx」\n吉首市科工信局 2023年度：数据库中已有该部门该年度的报告（编号 1）")
    assert window.session.report_id != first
    assert window.session.report == place_workbook(path).report
    with Store(db_path) as store:
        [rev] = store.revisions(window.session.report_id)
        assert rev.note == "从 Excel 导入 改过的.xlsx（1 处未能放入）"
        assert [r.id for r in store.find("吉首市科工信局", 2023)] == [first, window.session.report_id]
        assert store.load(first) == Store(db_path).load(first)
    assert quiet_messages.last("status") == "已从「改过的.xlsx」导入为新报告。"


def test_an_excel_import_of_the_same_content_opens_the_report_it_is(window, tmp_path, db_path, quiet_messages):
    path = _workbook_with_a_bad_cell(window, tmp_path)  # the bad cell keeps its figure: the same content
    before = _count(db_path)
    quiet_messages.answers.extend([str(path), True])
    _action(window, "action_import_xlsx").trigger()
    assert _count(db_path) == before
    assert quiet_messages.last("status") == (
        f"「改过的.xlsx」与报告 {window.session.report_id} 内容完全相同，未重复导入，已打开该报告。")


def test_replacing_a_final_report_from_a_file_asks_its_reason_and_records_it(
        window, tmp_path, db_path, quiet_messages):
    session = window.session
    explain_errors(session.report)
    session._after_change(None)
    window.mark_final()
    first = session.report_id
    newer = session.report.copy()
    newer.set_text("basics.contact", "钱七")
    path = tmp_path / "新的.json"
    path.write_text(interchange.dumps(newer), encoding="utf-8")
    quiet_messages.answers.extend([True, 0, "部门重新报送"])  # import? replace; the reason
    window.open_file(str(path))
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert "已定稿，替换须说明原因" in asked[1]
    assert asked[2].startswith("该部门该年度的报告已定稿。替换定稿的报告须说明原因")
    assert session.report_id == first and not session.final
    assert session.report.data["basics"]["contact"] == "钱七"
    with Store(db_path) as store:
        event = store.events(first)[-1]
        assert (event.label, event.reason) == ("替换定稿的报告", "部门重新报送（以 导入自 新的.json 替换，改为草稿）")
        assert len(store.listing()) == 1


def test_an_unreadable_workbook_is_refused_with_its_message(window, tmp_path, db_path, quiet_messages):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    before = _count(db_path)
    quiet_messages.answers.append(str(bad))
    _action(window, "action_import_xlsx").trigger()
    assert "坏.xlsx" in quiet_messages.last("error")
    assert quiet_messages.dialogs == []
    assert _count(db_path) == before


# -- the department's side: packing ---------------------------------------------------------


def test_packing_with_unexplained_errors_asks_and_no_packs_nothing(window, tmp_path, quiet_messages):
    stick = tmp_path / "U盘"
    stick.mkdir()
    quiet_messages.answers.extend([str(stick / "pkg"), False])
    _action(window, "action_pack").trigger()
    assert quiet_messages.history[-2] == ("ask", UNCHECKED_ASK)
    assert quiet_messages.last("status") == "未生成报送包。"
    assert list(stick.iterdir()) == []


def test_packing_confirmed_is_marked_unchecked(window, tmp_path, quiet_messages):
    quiet_messages.answers.extend([str(tmp_path / "pkg"), True])
    _action(window, "action_pack").trigger()
    target = tmp_path / "pkg.zpb"
    package = open_package(target)
    assert not package.checked and package.status == "draft"
    assert package.report == window.session.report
    assert quiet_messages.last("info") == f"已生成报送包「{target}」（不校验导出，只作备份）。"


def test_a_final_report_packs_as_final(window, tmp_path, quiet_messages):
    session = window.session
    session.apply("出错说明", lambda r: explain_errors(r, "原表如此。"))
    window.mark_final()
    assert session.readonly
    quiet_messages.answers.append(str(tmp_path / "2023_吉首市科工信局_绩效自评.zpb"))
    window.pack()
    package = open_package(tmp_path / "2023_吉首市科工信局_绩效自评.zpb")
    assert package.checked and package.status == "final"
    assert quiet_messages.last("info").endswith("（已校验，定稿）。")


# -- the finance side: receiving --------------------------------------------------------------


def _packages(folder: Path, sample) -> None:
    folder.mkdir()
    for name in ("吉首市教育局", "吉首市财政局"):
        report = sample.copy()
        report.data["cover"]["dept_name"] = name
        write_package(explain_errors(report), folder)
    (folder / "坏的.zpb").write_bytes(b"not a zip")


def test_receiving_a_folder_shows_each_outcome_and_the_refusal(window, tmp_path, sample, quiet_messages):
    folder = tmp_path / "U盘"
    _packages(folder, sample)
    quiet_messages.answers.append(str(folder))
    _action(window, "action_receive_folder").trigger()
    [dialog] = quiet_messages.dialogs
    assert dialog.line.text() == "共 3 个报送包：已导入 2 个，未导入 1 个。"
    rows = handover.table_texts(dialog.table)
    assert [r[:2] for r in rows] == [
        ["2023_吉首市教育局_绩效自评.zpb", "已导入"],
        ["2023_吉首市财政局_绩效自评.zpb", "已导入"],
        ["坏的.zpb", "未导入"],
    ]
    assert rows[2][2:] == ["", "报送包「坏的.zpb」无法使用：文件已损坏或不完整（不是有效的报送包）。未导入任何内容。"]
    assert quiet_messages.last("status") == "共 3 个报送包：已导入 2 个，未导入 1 个。"


def test_a_package_name_that_is_not_utf8_is_shown_escaped(window, tmp_path, sample, quiet_messages):
    import os

    folder = tmp_path / "U盘"
    _packages(folder, sample)
    (folder / "2023_吉首市教育局_绩效自评.zpb").rename(
        os.fsdecode(os.fsencode(folder) + b"/" + "2023_测试".encode("gbk") + b".zpb"))
    quiet_messages.answers.append(str(folder))
    _action(window, "action_receive_folder").trigger()
    [dialog] = quiet_messages.dialogs
    rows = handover.table_texts(dialog.table)
    assert ["2023_\\xb2\\xe2\\xca\\xd4.zpb", "已导入"] in [r[:2] for r in rows]
    assert dialog.line.text() == "共 3 个报送包：已导入 2 个，未导入 1 个。"


def test_a_conflict_asks_replace_keep_or_skip(window, tmp_path, sample, db_path, quiet_messages):
    session = window.session
    changed = sample.copy()
    changed.data["basics"]["contact"] = "新联系人"
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        changed.data["basics"]["achievements"] = f"版本 {name}"
        write_package(explain_errors(changed.copy()), tmp_path / name)
    # skip: nothing changes
    quiet_messages.answers.extend([[str(next((tmp_path / "a").iterdir()))], 2])
    _action(window, "action_receive_files").trigger()
    assert quiet_messages.history[-3][1].startswith("「2023_吉首市科工信局_绩效自评.zpb」\n吉首市科工信局 2023年度：数据库中已有")
    assert handover.table_texts(quiet_messages.dialogs[-1].table)[0][1] == "待定"
    assert _count(db_path) == 1
    # replace: the open report shows the new content
    session.set_text("basics.contact", "未保存的改动")
    quiet_messages.answers.extend([[str(next((tmp_path / "b").iterdir()))], 0])
    window.receive_files()
    assert handover.table_texts(quiet_messages.dialogs[-1].table)[0][1] == "已替换"
    assert session.report.data["basics"]["contact"] == "新联系人"
    assert window.field("basics.contact").text() == "新联系人"
    assert _count(db_path) == 1
    # keep both
    quiet_messages.answers.extend([[str(next((tmp_path / "c").iterdir()))], 1])
    window.receive_files()
    assert handover.table_texts(quiet_messages.dialogs[-1].table)[0][1] == "已导入"
    assert _count(db_path) == 2


def test_the_import_dialog_prints_the_receipt_of_a_package_taken_in(window, tmp_path, sample, db_path,
                                                                      quiet_messages):
    from pypdf import PdfReader

    folder = tmp_path / "U盘"
    _packages(folder, sample)
    quiet_messages.answers.append(str(folder))
    _action(window, "action_receive_folder").trigger()
    [dialog] = quiet_messages.dialogs
    assert dialog.receipt_button.isEnabled()  # the first package taken in is selected
    dialog.table.selectRow(2)  # the broken one: nothing to receipt
    assert not dialog.receipt_button.isEnabled()
    dialog.table.selectRow(1)
    out = tmp_path / "回执"
    quiet_messages.answers.append(str(out))
    where = dialog.save_receipt()
    assert where == tmp_path / "回执.pdf"
    text = "".join((PdfReader(str(where)).pages[0].extract_text() or "").split())
    assert "部门整体支出绩效自评报告报送回执" in text and "吉首市财政局" in text and "草稿（部门申报）" in text
    assert quiet_messages.last("status") == f"已生成报送回执「{where}」，请打印、签字盖章后交报送单位。"
    report_id = dialog.outcomes[1].report_id
    with Store(db_path) as store:
        assert [(e.label, e.reason) for e in store.events(report_id)] == [("打印报送回执", "报送回执 回执.pdf")]
    # the report list shows each package's status as it arrived
    from ui.dialogs import ReportsDialog

    listing = ReportsDialog(window.session, window)
    table = listing.table
    assert {table.item(r, 1).text(): table.item(r, 5).text() for r in range(table.rowCount())} == {
        "吉首市科工信局": "", "吉首市教育局": "草稿（部门申报）", "吉首市财政局": "草稿（部门申报）"}


def test_a_package_over_a_final_report_asks_for_the_reason_in_the_window(window, tmp_path, sample, db_path,
                                                                        quiet_messages):
    session = window.session
    explain_errors(session.report)
    session._after_change(None)
    window.mark_final()
    changed = explain_errors(sample.copy())
    changed.data["basics"]["contact"] = "新联系人"
    write_package(changed, tmp_path)
    package = next(tmp_path.glob("*.zpb"))
    quiet_messages.answers.extend([[str(package)], 0, "部门重新报送"])
    window.receive_files()
    asked = [text for level, text in quiet_messages.history if level == "ask"]
    assert "其中报告 1 已定稿，替换须说明原因" in asked[-2]
    assert asked[-1].startswith(f"「{package.name}」：该部门该年度的报告已定稿。替换定稿的报告须说明原因")
    assert handover.table_texts(quiet_messages.dialogs[-1].table)[0][1] == "已替换"
    assert session.report.data["basics"]["contact"] == "新联系人" and not session.final
    with Store(db_path) as store:
        assert store.events(1)[-1].reason == f"部门重新报送（以 报送包 {package.name} 替换，改为草稿）"


def test_receiving_can_be_cancelled(window, tmp_path, sample, monkeypatch, quiet_messages):
    folder = tmp_path / "U盘"
    _packages(folder, sample)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    handover.receive_packages(window.session, [str(folder)], window)
    assert quiet_messages.last("status") == "共 3 个报送包：无；已取消，其余 3 个未处理。"


def test_a_folder_without_packages_is_told(window, tmp_path, quiet_messages):
    quiet_messages.answers.append(str(tmp_path))
    window.receive_folder()
    assert quiet_messages.last("error") == "所选的位置没有报送包（.zpb 文件）。"


# -- paper check and 汇总 --------------------------------------------------------------------


def test_paper_check_finds_the_report_or_says_none_match(window, quiet_messages):
    window.session.save("manual")
    fingerprint = interchange.fingerprint(window.session.report)
    dialog = handover.PaperDialog(window.session, window)
    grouped = " ".join(fingerprint[i : i + 4] for i in range(0, 16, 4)).upper()
    dialog.field.setText(grouped)
    assert dialog.verdict.text() == f"数据指纹 {fingerprint} 与下列报告相符，纸质报告即报告的当前内容。"
    rows = handover.table_texts(dialog.table)
    assert [r[1:3] for r in rows] == [["吉首市科工信局", "2023"]]
    assert rows[0][4] == "版本 1（当前版本）"
    dialog.field.setText("0123456789abcdef")
    assert dialog.verdict.text() == (
        "没有与数据指纹 0123456789abcdef 相符的报告：纸质报告与数据库中的任何报告（包括回收站中的）都不一致。")
    assert dialog.table.rowCount() == 0 and not dialog.open_button.isEnabled()
    dialog.field.setText("12345")
    assert dialog.verdict.text().startswith("没有找到 16 位的数据指纹")


def test_summary_lists_the_year_and_saves_the_table(window, tmp_path, sample, quiet_messages):
    folder = tmp_path / "U盘"
    _packages(folder, sample)
    handover.receive_packages(window.session, [str(folder)], window)
    dialog = handover.SummaryDialog(window.session, 2023, window)
    rows = handover.table_texts(dialog.table)
    assert [r[0] for r in rows] == ["吉首市教育局", "吉首市科工信局", "吉首市财政局"]
    by_name = {r[0]: r for r in rows}
    assert by_name["吉首市科工信局"][1].endswith("（本机录入）")
    assert by_name["吉首市科工信局"][2] == "有审核发现"
    assert by_name["吉首市教育局"][2] == "有审核发现"  # explained errors are still findings
    assert by_name["吉首市教育局"][3:5] == ["草稿（部门申报）", "3 项错误均已说明"]
    assert by_name["吉首市科工信局"][3:5] == ["本机录入", "3 项错误未说明（已说明 0 项）"]
    assert by_name["吉首市教育局"][5:7] == [str(sample.data["score"]["self_score"]), sample.grade()]
    assert all(len(r[7]) == 16 for r in rows)
    assert dialog.count.text() == "共 3 份报告"
    out = tmp_path / "汇总"
    quiet_messages.answers.append(str(out))
    dialog.save()
    assert zipfile.is_zipfile(tmp_path / "汇总.xlsx")
    assert quiet_messages.last("status") == f"已生成 2023 年度汇总表「{tmp_path / '汇总.xlsx'}」。"
    dialog.year.setValue(2030)
    assert dialog.table.rowCount() == 0 and dialog.count.text() == "这一年度还没有报告。"
    assert not dialog.save_button.isEnabled()


def test_import_shows_each_fingerprint_and_the_summary_whether_the_paper_was_checked(
        window, tmp_path, sample, quiet_messages):
    folder = tmp_path / "U盘"
    _packages(folder, sample)
    quiet_messages.answers.append(str(folder))
    _action(window, "action_receive_folder").trigger()
    [outcomes] = quiet_messages.dialogs
    rows = handover.table_texts(outcomes.table)
    imported = [r for r in rows if r[1] == "已导入"]
    assert all(len(r[2]) == 16 and r[3].endswith(f"数据指纹 {r[2]}，请与盖章纸质报告页脚的数据指纹核对。")
               for r in imported)
    assert outcomes.findChild(QLabel, "import_outcomes.hint").text().startswith(
        "报送包的校验值只能说明传递中没有损坏，不能证明报告未被改动。")
    summary = handover.SummaryDialog(window.session, 2023, window)
    paper_column = handover.SUMMARY_HEADERS.index("纸质报告核对")
    assert {r[0]: r[paper_column] for r in handover.table_texts(summary.table)}["吉首市财政局"] == "未核对"
    paper = handover.PaperDialog(window.session, window)
    paper.field.setText(next(r[2] for r in imported if "吉首市财政局" in r[3]))
    summary.refresh()
    assert {r[0]: r[paper_column] for r in handover.table_texts(summary.table)}["吉首市财政局"].startswith("一致（")


def test_the_menus_open_the_finance_dialogs(window, quiet_messages):
    _action(window, "action_paper").trigger()
    _action(window, "action_summary").trigger()
    assert [d.objectName() for d in quiet_messages.dialogs] == ["paper_check", "consolidation"]


def test_file_dialogs_start_in_the_folder_chosen_last(monkeypatch, tmp_path, quiet_messages, qtbot):
    from PySide6.QtWidgets import QDialog, QFileDialog

    seen = []
    usb = tmp_path / "U盘"
    usb.mkdir()

    def choose(dialog):
        seen.append(dialog.selectedFiles()[0])
        dialog.selectFile(str(usb / "a.zpb"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(quiet_messages, "interactive", True)
    monkeypatch.setattr(quiet_messages, "_folder", {"settings": None})
    monkeypatch.setattr(QFileDialog, "exec", choose)
    assert quiet_messages.ask_save_path("生成报送包", "b.zpb", "报送包 (*.zpb)") == str(usb / "a.zpb")
    quiet_messages.ask_save_path("生成报送包", "c.zpb", "报送包 (*.zpb)")
    assert Path(seen[0]).name == "b.zpb" and Path(seen[0]).parent != Path.cwd()
    assert seen[1] == str(usb / "c.zpb")
