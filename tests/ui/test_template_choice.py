"""报告 → 新建 and 结转 in the window: the template a new report takes is recorded and,
where another form's template or a template with other fields is installed, said."""

from __future__ import annotations

from pathlib import Path

from models import template as tpl
from models import template_registry as registry
from ui.dialogs import ReportsDialog

NAME = "湖南省部门（单位）整体支出绩效自评报告（附件2-1）"


def install(tmp_path: Path, shipped: str, new_id: str, change: tuple[str, str] = ("", "")) -> tpl.Template:
    text = (tpl.SHIPPED / f"{shipped}.toml").read_text(encoding="utf-8")
    text = text.replace(f'id = "{shipped}"', f'id = "{new_id}"').replace("year = 2023", "year = 2024")
    if change[0]:
        assert change[0] in text
        text = text.replace(*change)
    path = tmp_path / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return registry.install(path)[0]


def test_new_report_says_another_forms_template_is_not_used(window, tmp_path: Path, template_folder: Path,
                                                            quiet_messages) -> None:
    install(tmp_path, "chongqing-2023", "chongqing-2024")
    ReportsDialog(window.session, window).new_blank()
    assert quiet_messages.history[-1] == (
        "info", "已安装的最新表样模板是 chongqing-2024 版本 2023.1（重庆市部门整体绩效自评表），"
        f"与本程序的表样（{NAME}）不是同一种。"
        "新报告按表样模板 hunan-2023 版本 2023.1 填写；要按 重庆市部门整体绩效自评表 填写，请在新建报告时选择它。")
    assert window.session.store.template(window.session.report_id) == tpl.default().ref


def test_new_report_records_the_newest_template_of_its_form(window, tmp_path: Path, template_folder: Path,
                                                            quiet_messages) -> None:
    newer = install(tmp_path, "hunan-2023", "hunan-2024", ('label = "联系人"', 'label = "联络人"'))
    ReportsDialog(window.session, window).new_blank()
    # Installed while the window was open: it shows the form the program started with
    # until the next start, and says so.
    assert quiet_messages.history == [
        ("status", "这份报告按表样模板 hunan-2024 版本 2023.1 填写，现按本程序使用的表样模板 hunan-2023 版本 2023.1 "
                   "显示、审核和打印（各栏按键对应）。")]
    assert window.session.store.template(window.session.report_id) == newer.ref


def test_carry_says_which_template_and_what_was_not_carried(window, tmp_path: Path, template_folder: Path,
                                                            quiet_messages) -> None:
    install(tmp_path, "hunan-2023", "hunan-2024", ('{ key = "phone", label = "联系电话"', '{ key = "tel", label = "联系电话"'))
    dialog = ReportsDialog(window.session, window)
    dialog.select_id(window.session.report_id)
    dialog.carry_over()
    assert window.session.report.year == 2024
    assert window.field("basics.phone").text() == ""
    assert quiet_messages.history[-1] == (
        "info", "已由上年报告结转新建本年度报告。\n"
        f"新报告使用表样模板 hunan-2024 版本 2023.1（{NAME}，2024 年度）。\n"
        "表样模板 hunan-2024 版本 2023.1 有本程序的表样没有的栏目：「一、部门（单位）基本概况·联系电话」（basics.tel）。"
        "本程序不能填写这些栏目，请升级程序后再填写。\n"
        "表样模板 hunan-2024 版本 2023.1 没有这些栏目，上年报告中的内容没有结转："
        "「一、部门（单位）基本概况·联系电话」（basics.phone）。上年报告本身不变，需要时可以从中查看。")


def test_a_new_report_keeps_its_template_when_saved(window, tmp_path: Path, template_folder: Path, quiet_messages) -> None:
    newer = install(tmp_path, "hunan-2023", "hunan-2024", ('label = "联系人"', 'label = "联络人"'))
    ReportsDialog(window.session, window).new_blank()
    window.session.apply("部门", lambda r: r.set_text("cover.dept_name", "吉首市教育局"))
    assert window.session.flush()
    assert window.session.store.template(window.session.report_id) == newer.ref
    assert window.session.store.load(window.session.report_id).dept_name == "吉首市教育局"


def test_a_newer_programs_report_opens_read_only_with_a_banner(window, tmp_path: Path, quiet_messages) -> None:
    import json

    from models import interchange

    raw = json.loads(interchange.dumps(window.session.report))
    raw["format_version"] = 2
    raw["cover"]["dept_name"] = "吉首市教育局"
    raw["goals"] = {"initial": "完成年度目标"}
    path = tmp_path / "新版.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    quiet_messages.answers.append(True)  # import and open?
    window.open_file(str(path))
    session = window.session
    reason = ("这份报告由更新版本的程序生成（文件格式版本 2，本程序只支持到版本 1），只能查看，不能修改；要修改请升级程序。"
              "本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：goals。")
    assert session.report.dept_name == "吉首市教育局"
    assert session.readonly
    assert window.banner.isVisible() and window.banner.text() == reason
    assert "，只读）" in window.windowTitle()
    assert window.field("basics.contact").isReadOnly()
    model = window.view("income").model()
    assert model.setData(model.index(1, 2), "1") is False
    assert json.loads(interchange.dumps(session.store.load(session.report_id)))["goals"] == {"initial": "完成年度目标"}
