"""A report filled in a form of another family (the Chongqing 部门整体绩效自评表): the
report keeps its template, its rules are the template's, and it travels by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import interchange, rules
from models import template as tpl
from models import template_registry as registry
from models.errors import DocumentError
from models.report import Report
from models.store import Store
from models.template_choice import carry

CHONGQING = tpl.SHIPPED / "chongqing-2023.toml"


def filled(form: tpl.Template) -> Report:
    r = Report(None, form)
    for path, text in (("cover.dept_name", "重庆市某区教委"), ("cover.year", "2023"), ("cover.contact", "王五"),
                       ("cover.phone", "023-1234567"), ("budget.adjusted", "100"), ("budget.executed", "95"),
                       ("budget.rate", "90")):
        r.set_text(path, text)
    r.insert_row("indicators")
    for key, text in (("name", "培训人次"), ("nature", "定量指标"), ("adjusted", "100"), ("actual", "90"),
                      ("coefficient", "100"), ("weight", "90"), ("score", "80")):
        r.set_text(f"indicators.0.{key}", text)
    return r


def test_the_report_is_read_and_checked_in_its_own_form(chongqing: tpl.Template) -> None:
    r = filled(chongqing)
    assert r.flat and r.template == chongqing.ref
    assert (r.dept_name, r.year) == ("重庆市某区教委", 2023)
    assert r.cell_name("indicators.0.score") == "绩效指标第 1 行"
    found = [(f.severity, f.rule, f.message) for f in rules.check(r)]
    assert found == [
        ("error", "budget.rate", "部门预算执行情况（万元）：执行率（%）填报 90，而 全年执行数 95 ÷ 全年（调整）预算数 100 × 100"
                                 " = 95，相差 5（执行率（%）少 5）。"),
        ("error", "indicator.score", "绩效指标「1、培训人次」：指标得分（分）填报 80，而 得分系数（%） 100 ÷ 100 × 指标权重（分） 90"
                                     " = 90，相差 10（指标得分（分）少 10）。"),
        ("warning", "indicator.full", "绩效指标「1、培训人次」：全年完成值 90 未达到指标值 100，得分系数却为 100%。"
                                      "请核对完成值，或按完成比例调低得分系数。"),
    ]
    r.explain("budget.rate", ("budget.rate", "budget.executed", "budget.adjusted"), "执行率按决算口径计算。")
    explained = [f for f in rules.check(r) if f.rule == "budget.rate"]
    assert explained[0].explanation == "执行率按决算口径计算。" and not explained[0].blocking


def test_the_file_and_the_store_keep_the_template(chongqing: tpl.Template, tmp_path: Path) -> None:
    r = filled(chongqing)
    text = interchange.dumps(r)
    assert '"id": "chongqing-2023"' in text
    back = interchange.loads(text)
    assert back.flat and back == r and back.readonly_reason is None
    store = Store(tmp_path / "z.sqlite3")
    rid = store.create(r)
    assert store.load(rid) == r and store.load(rid).form.id == "chongqing-2023"
    assert store.template(rid) == chongqing.ref


def test_a_template_not_installed_is_named_with_what_to_do(chongqing: tpl.Template, tmp_path: Path) -> None:
    text = interchange.dumps(filled(chongqing)).replace('"chongqing-2023"', '"chongqing-2031"')
    with pytest.raises(DocumentError) as caught:
        interchange.loads(text, "x.json")
    assert caught.value.problems[-1] == (
        "这份报告按表样模板 chongqing-2031 版本 2023.1 填写，本机没有安装这个模板。"
        "请向下发模板的财政局索取模板文件，用「工具 → 安装表样模板」安装后再打开；财政局收到的报送包自带模板，可直接导入。")
    carried = tpl.load_bytes(CHONGQING.read_bytes().replace(b'"chongqing-2023"', b'"chongqing-2031"'), "t.toml")
    assert interchange.loads(text, form=carried).form.id == "chongqing-2031"


def test_next_year_keeps_who_and_the_indicators_not_the_results(chongqing: tpl.Template) -> None:
    new = carry(filled(chongqing)).report
    assert new.flat and new.year == 2024 and new.dept_name == "重庆市某区教委"
    row = new.data["indicators"][0]
    assert (row["name"], row["nature"], row["weight"]) == ("培训人次", "定量指标", 90)
    assert (row["actual"], row["score"], new.data["budget"]["executed"]) == (None, None, None)


def test_next_year_moves_into_a_newer_issue_of_its_family_and_names_what_it_lacks(
        chongqing: tpl.Template, tmp_path: Path) -> None:
    text = CHONGQING.read_text(encoding="utf-8")
    text = (text.replace('id = "chongqing-2023"', 'id = "chongqing-2024"').replace("year = 2023", "year = 2024")
            .replace('  { key = "finance_office", label = "财政处室" },\n', "")
            .replace('label = "部门联系人"', 'label = "联系人"'))
    path = tmp_path / "cq2024.toml"
    path.write_text(text, encoding="utf-8")
    registry.install(path)
    old = filled(chongqing)
    old.set_text("cover.finance_office", "教科文处")
    done = carry(old)
    assert done.template.id == "chongqing-2024" and done.report.form.id == "chongqing-2024"
    assert done.report.data["cover"]["contact"] == "王五"
    assert done.notes == ["表样模板 chongqing-2024 版本 2023.1 没有这些栏目，上年报告中的内容没有结转："
                          "「部门整体绩效自评表·财政处室」（cover.finance_office）。上年报告本身不变，需要时可以从中查看。"]
