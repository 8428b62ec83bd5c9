"""The form definition is data: invariants every consumer relies on."""

import re
from pathlib import Path

import pytest

from models import form
from models.document import node_at
from models.errors import ValueInputError
from models.form import InstitutionRows, Record, Rows
from models.report import Report

FORM_MD = Path(__file__).resolve().parents[3] / "shared" / "FORM.md"


def walk(node, path=""):
    yield path, node
    children = getattr(node, "children", None)
    if children is None and hasattr(node, "row"):
        children = node.row.children
    for child in children or ():
        yield from walk(child, f"{path}.{child.key}" if path else child.key)


def test_keys_are_unique_within_each_record() -> None:
    for _, node in walk(form.REPORT):
        if isinstance(node, Record):
            assert len(node.keys) == len(set(node.keys)), node.key


def test_keys_are_identifiers() -> None:
    for _, node in walk(form.REPORT):
        if node is not form.REPORT:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", node.key), node.key


def test_sums_name_real_columns_and_declared_rules() -> None:
    for table in form.INSTITUTION_TABLES:
        keys = {c.key for c in table.columns}
        for check in table.sums:
            assert check.target in keys and set(check.parts) <= keys
            assert check.rule in form.RULES_BY_ID
            assert all(c.kind == "money" for c in table.columns if c.key in check.parts)
        for _heading, first, last in table.groups:
            assert first in keys and last in keys


def test_every_tab_is_in_the_window_order() -> None:
    tabs = {getattr(node, "tab", None) for _, node in walk(form.REPORT)} - {None}
    # Part B and its attachment, the 自评表, follow the form's tabs.
    assert tabs - {form.NARRATIVE.tab, form.SCORING.tab} <= set(form.TABS)


def test_part_a_keys_of_form_md_exist() -> None:
    for path in [
        "cover.dept_name", "cover.budget_code", "cover.year", "cover.eval_method", "cover.eval_org",
        "cover.report_date", "basics.contact", "basics.phone", "basics.staff_quota", "basics.staff_actual",
        "basics.duties", "basics.main_work", "basics.achievements", "income.0.special_account",
        "expenditure.0.balance_cum", "three_public.0.overseas", "assets.0.leased", "qualitative.0.expected",
        "indicators.0.level2", "score.self_score", "score.grade", "score_items.0.weight",
        "signatures.evaluators.0.title", "signatures.finance_opinion", "narrative.projects.0.uses.0.amount",
        "income.summary.total",
    ]:
        assert node_at(path) is not None, path


@pytest.mark.skipif(not FORM_MD.exists(), reason="the shared form description sits beside the checkout")
def test_labels_are_the_exact_words_of_form_md() -> None:
    text = FORM_MD.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", text, flags=re.M))
    for table in (*form.INSTITUTION_TABLES, form.COVER, form.BASICS):
        columns = table.columns if isinstance(table, InstitutionRows) else table.values()
        for c in columns:
            if c.key in rows and c.key not in {"total", "other"}:
                assert rows[c.key].strip() == c.label, (c.key, rows[c.key], c.label)


def test_rule_table_matches_form_md() -> None:
    if not FORM_MD.exists():
        pytest.skip("the shared form description sits beside the checkout")
    text = FORM_MD.read_text(encoding="utf-8")
    declared = dict(re.findall(r"^\| `([a-z_.]+)` \| [^|]+ \| (error|warning) \|", text, flags=re.M))
    ours = {r.id: r.severity for r in form.RULES}
    # Every rule of the specification, with its severity; the program may add rules.
    assert {k: ours.get(k) for k in declared} == declared


def test_the_user_guide_lists_every_rule_with_its_severity() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "使用说明.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| ([a-z_.]+) \| [^|]+ \| (错误|警告) \|", guide, flags=re.M))
    assert listed == {r.id: form.SEVERITY_LABELS[r.severity] for r in form.RULES}


def test_institutions_any_number_zero_secondary_included() -> None:
    r = Report()
    assert r.institutions == ["局机关"]
    for name in ("市墙体材料改革办公室", "市科技创新服务中心", "市中小微企业服务中心"):
        r.add_institution(name)
    assert [len(r.data[t.key]) for t in form.INSTITUTION_TABLES] == [4, 4, 4, 4]
    r.set_text("income.3.other", "1")
    r.move_institution(3, 1)
    assert r.institutions[1] == "市中小微企业服务中心"
    assert str(r.get("income.1.other")) == "1"
    r.remove_institution(1)
    assert len(r.data["income"]) == 3
    with pytest.raises(ValueInputError) as caught:
        r.remove_institution(0)
    assert str(caught.value) == "部门本级（第一个机构）不能删除。"


def test_rows_and_paths() -> None:
    r = Report()
    i = r.insert_row("indicators")
    r.set_text(f"indicators.{i}.name", " 公用经费控制率 ")
    assert r.get("indicators.0.name") == "公用经费控制率"
    r.insert_row("narrative.projects")
    r.insert_row("narrative.projects.0.uses")
    r.set_text("narrative.projects.0.uses.0.amount", "２．３５")
    assert str(r.get("narrative.projects.0.uses.0.amount")) == "2.35"
    with pytest.raises(ValueInputError) as caught:
        r.set_text("income.summary.total", "1")
    assert str(caught.value) == "汇总行由各机构自动合计，不能直接填写。"
    with pytest.raises(ValueInputError) as caught:
        r.set_text("basics.staff_quota", "二十三")
    assert str(caught.value) == "「二十三」不是有效的人员编制：请填写整数。"
    assert caught.value.path == "basics.staff_quota"


def test_year_month_and_defaults() -> None:
    r = Report()
    assert r.set_text("cover.report_date", "2024年6月") == "2024-06"
    assert r.set_text("cover.report_date", "2024.6") == "2024-06"
    with pytest.raises(ValueInputError, match="不是有效的年月"):
        r.set_text("cover.report_date", "2024-13")
    r.set_text("cover.dept_name", "吉首市科工信局")
    assert r.default_text("cover.eval_method") == "吉首市科工信局绩效自评"
    assert r.default_text("cover.eval_org") == "吉首市科工信局评价组"


def test_rows_tables_have_columns() -> None:
    for _, node in walk(form.REPORT):
        if isinstance(node, Rows | InstitutionRows):
            assert node.columns or node is form.EXPLANATIONS
