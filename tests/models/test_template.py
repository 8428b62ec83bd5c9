"""The form as a template file: the shipped ones load, equal the form, and a broken
one is refused with messages that say where, what and how to fix it."""

from __future__ import annotations

import pytest

from models import form
from models import template as tpl
from models.template import TemplateError

HUNAN = (tpl.SHIPPED / "hunan-2023.toml").read_text(encoding="utf-8")
CHONGQING = (tpl.SHIPPED / "chongqing-2023.toml").read_text(encoding="utf-8")


def broken(text: str, old: str, new: str, name: str = "broken.toml") -> TemplateError:
    assert text.count(old) == 1, old
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(text.replace(old, new, 1).encode("utf-8"), name)
    return caught.value


# -- the shipped templates -------------------------------------------------------------


def test_hunan_template_is_the_form_node_by_node() -> None:
    # Read again with every check (its 指标体系 looked up too): the program's form is this file.
    t = tpl.load_file(tpl.SHIPPED / "hunan-2023.toml")
    assert t == form.TEMPLATE
    assert (t.id, t.version, t.year) == ("hunan-2023", "2023.1", 2023)
    assert t.title == form.REPORT.label
    assert [n.key for n in t.report.children] == [n.key for n in form.REPORT.children]
    for ours, theirs in zip(t.report.children, form.REPORT.children, strict=True):
        assert ours == theirs, ours.key
    assert t.report == form.REPORT
    assert t.rules == form.RULES
    assert t.tabs == (*form.TABS, "评价报告", "自评表")
    assert t.institution_tables == form.INSTITUTION_TABLES
    assert t.bands is not None and t.bands.default == form.DEFAULT_BANDS and t.bands.most == form.MAX_BANDS
    assert t.institutions is not None
    assert t.institutions.summary_label == form.SUMMARY_LABEL
    assert t.institutions.placeholders == form.PLACEHOLDER_INSTITUTIONS
    assert t.institutions.defaults == form.DEFAULT_INSTITUTIONS
    assert t.opinions == form.OPINIONS
    assert t.value_notes == {"indicators.level1": form.LEVEL1_NOTES}
    assert t.narrative is not None
    assert t.narrative.title == form.PART_B_TITLE
    assert t.narrative.headings == form.PART_B
    assert t.narrative.tables == form.PART_B_TABLES
    assert t.basic_items is not None
    assert {g.name: g.items for g in t.basic_items.groups} == form.BASIC_ITEM_NAMES
    assert t.framework_id == "hunan"


def test_default_template_is_read_once() -> None:
    assert tpl.default() is tpl.default()


def test_chongqing_template_loads_with_its_own_tabs_and_checks() -> None:
    t = tpl.load_file(tpl.SHIPPED / "chongqing-2023.toml")
    assert t.tabs == ("基本信息", "预算执行与目标", "绩效指标")
    assert t.bands is None and t.institutions is None
    indicators = t.part("indicators")
    assert isinstance(indicators, form.Rows)
    assert [c.label for c in indicators.columns] == [
        "指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值",
        "得分系数（%）", "指标权重（分）", "指标得分（分）", "是否核心指标"]
    assert [c.rule for c in t.checks] == [
        "budget.rate", "budget.score", "indicator.score", "indicator.coefficient", "indicator.full",
        "indicator.weights", "total"]


def test_identity_is_the_files_bytes() -> None:
    a = tpl.load_bytes(HUNAN.encode("utf-8"), "a.toml")
    b = tpl.load_bytes((HUNAN + "\n# 注释\n").encode("utf-8"), "b.toml")
    assert a.report == b.report
    assert a != b and a.digest != b.digest
    assert len(a.short_hash) == 12 and a.digest.startswith(a.short_hash)


# -- broken templates: every message says where, what and how -----------------------------


def test_bad_toml_syntax_names_line_and_column() -> None:
    exc = broken(HUNAN, 'label = "联系人"', "label = 联系人")
    assert str(exc) == ("表样模板文件「broken.toml」无法使用：第 74 行第 30 列：这里的值无法识别"
                        "（文字要加英文双引号，数字不加，列表写在 [ ] 中）。TOML 的写法见使用说明「表样模板」一节。")


def test_unknown_key_is_named_with_the_keys_allowed() -> None:
    exc = broken(HUNAN, '{ key = "phone", label = "联系电话", required = true,',
                 '{ key = "phone", lable = "联系电话", required = true,')
    assert exc.problems == [
        "第 75 行（parts[basics].fields[phone]）：不认识的键 lable。可用的键：key、type、label、kind、required、"
        "places、units、negative、minimum、maximum、default、suggestions、help、omit_blank、max_length、carry、aliases、"
        "sign_lines；请检查拼写，或删去这一行。",
        "第 75 行（parts[basics].fields[phone]）：缺少 label（文字）。",
    ]
    assert str(exc).startswith("表样模板文件「broken.toml」无法使用：共 2 处问题\n  1. 第 75 行")


def test_missing_label() -> None:
    exc = broken(HUNAN, '{ key = "reception", label = "公务接待费", kind = "money",',
                 '{ key = "reception", kind = "money",')
    assert exc.problems[0] == "第 151 行（parts[three_public].columns[reception]）：缺少 label（文字）。"


def test_wrong_kind_lists_the_kinds() -> None:
    exc = broken(HUNAN, 'label = "人员编制", kind = "int"', 'label = "人员编制", kind = "integer"')
    assert str(exc) == (
        "表样模板文件「broken.toml」无法使用：第 76 行（parts[basics].fields[staff_quota].kind）："
        "类型 \"integer\" 不认识；可用：text、longtext、int、money、score、yearmonth"
        "（text 文字、longtext 长文字、int 整数、money 金额、score 分数、yearmonth 年月）。")


def test_duplicate_key_points_at_the_second_one() -> None:
    exc = broken(HUNAN, '{ key = "phone", label = "联系电话"', '{ key = "contact", label = "联系电话"')
    assert exc.problems == [
        "第 75 行（parts[basics].fields[第2项].key）：键 \"contact\" 重复：同一部分中每个栏目的键都应不同，请改用另一个键。"]


def test_duplicate_part_key() -> None:
    exc = broken(HUNAN, 'key = "qualitative"\ntype = "rows"', 'key = "indicators"\ntype = "rows"')
    assert "键 \"indicators\" 重复：每个部分的键都应不同。" in str(exc)


def test_check_formula_naming_a_missing_column() -> None:
    exc = broken(CHONGQING, 'equals = "coefficient / 100 * weight"', 'equals = "coeficient / 100 * weight"')
    assert exc.problems == [
        "第 124 行（rules[indicator.score].equals）：公式 \"coeficient / 100 * weight\" 有误："
        "「coeficient」不是模板中的栏目（这张表的栏目：name、unit、nature、initial、adjusted、actual、"
        "coefficient、weight、score、core；常数：budget_weight；其他部分的栏目写成 部分.栏目，如 budget.executed）。"]


def test_sum_naming_a_missing_column() -> None:
    exc = broken(HUNAN, 'parts = ["basic", "project"]', 'parts = ["basic", "projects"]')
    assert exc.problems == [
        "第 134 行（parts[expenditure].sums[第1项]）：projects 不是这张表的栏目"
        "（栏目：total、basic、personnel、public_use、project、balance_year、balance_cum）。"]


STAFF_RULE = 'id = "staff"'


def test_builtin_rule_needing_a_missing_part() -> None:
    text = "".join(line for line in HUNAN.splitlines(keepends=True) if '{ key = "staff_quota",' not in line)
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(text.encode("utf-8"), "t.toml")
    assert caught.value.problems == [
        f"第 {text.splitlines().index(STAFF_RULE) + 1} 行（rules[staff]）：内置规则 staff 要用到模板中没有的 basics.staff_quota；"
        "请删去这条规则，或在模板中加上这些部分。"]


def test_bad_grade_band() -> None:
    exc = broken(HUNAN, '["60", "较差"]', '["六十", "较差"]')
    assert exc.problems == [
        "第 231 行（parts[score].fields[bands].default[第3项]）：下限 \"六十\" 应为 0 到 100 之间的分数（最多一位小数）。"]


def test_every_problem_is_listed_at_once() -> None:
    text = HUNAN.replace('label = "联系人"', 'lable = "联系人"').replace('kind = "yearmonth"', 'kind = "month"')
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(text.encode("utf-8"), "t.toml")
    assert len(caught.value.problems) == 3  # unknown key, so no label; unknown kind


def test_not_a_template_and_newer_format() -> None:
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(b'title = "x"\n', "x.toml")
    assert str(caught.value) == ("表样模板文件「x.toml」无法使用：这不是表样模板文件：第一行应为 "
                                 "format = \"ziping-template\"，文件中没有这一行。")
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(HUNAN.replace("format_version = 1", "format_version = 2").encode("utf-8"), "n.toml")
    assert str(caught.value) == ("表样模板文件「n.toml」无法使用：模板格式版本为 2，本程序只认识到版本 1："
                                 "模板由更新的程序制作，请升级程序。")


def test_not_utf8() -> None:
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(HUNAN.encode("gbk"), "gbk.toml")
    assert caught.value.problems == ["文件不是 UTF-8 编码的文本：请在记事本或 WPS 中另存为 UTF-8 编码。"]


def test_paper_words_are_the_templates() -> None:
    from models import paper

    t = tpl.default()
    assert t.paper is not None and t.consolidation is not None
    assert paper.words(paper.Paper, t.paper) == paper.PAPER
    assert paper.PAPER.title == "部门整体支出绩效自评报告" and paper.PAPER.sheets.cover == "封面与基本概况"
    assert paper.CONSOLIDATION.figure_groups["income"] == "年度收入（万元）"


def test_paper_words_unknown_and_missing() -> None:
    exc = broken(HUNAN, 'sign_column = "签字"', 'sign_colum = "签字"')
    assert exc.problems == [
        "第 " + str(HUNAN.splitlines().index("[paper]") + 1) + " 行（paper）：不认识的键 sign_colum。可用的键："
        "title_lines、money_section、performance_section、sign_column、date_words、total_row、subtotal_row、"
        "number_column、score_rate、amount_unit、scoring_title、scoring_columns、explanations_title、"
        "explanations_intro、explanations_columns、sheets；请检查拼写，或删去这一行。",
        "第 " + str(HUNAN.splitlines().index("[paper]") + 1) + " 行（paper）：缺少 sign_column。",
    ]


def test_paper_title_has_two_lines() -> None:
    exc = broken(HUNAN, 'title_lines = ["部门整体支出", "绩效自评报告"]', 'title_lines = ["部门整体支出绩效自评报告"]')
    line = next(i for i, s in enumerate(HUNAN.splitlines(), 1) if s.startswith("title_lines"))
    assert exc.problems == [f"第 {line} 行（paper.title_lines）：应为两项文字的列表，例如 title_lines = [\"甲\", \"乙\"]。"]


def test_consolidation_groups_name_institution_tables() -> None:
    exc = broken(HUNAN, 'assets = "固定资产（万元）"', 'asset = "固定资产（万元）"')
    assert exc.problems == [
        f"第 {next(i for i, s in enumerate(HUNAN.splitlines(), 1) if s.startswith('figure_groups'))} 行"
        "（consolidation.figure_groups）："
        "asset 不是模板中每个机构一行的表（institution_rows）的键。"]
