"""The rules on the seed's report (its real mistakes) and on reports that agree."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import form, scoring
from models.narrative import GENERATORS
from models.report import Report
from models.rules import blocking, check
from tests.strategies import reports


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_seed_income_total_is_060_more_than_its_parts(sample) -> None:
    # One wrong total is one finding: the summary row, 局机关 alone, only repeats it.
    (first,) = by_rule(check(sample), "income.sum")
    assert first.severity == "error"
    assert first.cells == (
        "income.0.total",
        "income.0.public_budget",
        "income.0.gov_fund",
        "income.0.other",
        "income.summary.total",
        "income.summary.public_budget",
        "income.summary.gov_fund",
        "income.summary.other",
    )
    assert first.message == (
        "年度收入情况「1、局机关」：收入合计填报 5374.34，而 公共财政拨款 3091.34 + "
        "政府基金拨款 1744.35 + 其他收入 538.05 = 5373.74，相差 0.60（收入合计多 0.60）。"
        "「局机关及二级机构汇总」行与此相同，不另列。"
    )


def test_seed_expenditure_total_is_010_more(sample) -> None:
    found = by_rule(check(sample), "expenditure.sum")
    assert [f.cells[0] for f in found] == ["expenditure.0.total"]
    assert "expenditure.summary.total" in found[0].cells
    assert "支出合计填报 5374.44，而 基本支出 382.71 + 项目支出 4991.63 = 5374.34，相差 0.10" in found[0].message
    assert by_rule(check(sample), "expenditure.basic") == []


def test_seed_balance_is_minus_010_with_balance_blank(sample) -> None:
    found = by_rule(check(sample), "balance")
    assert [f.severity for f in found] == ["warning"]
    assert found[0].cells == (
        "income.0.total", "expenditure.0.total", "expenditure.0.balance_year",
        "income.summary.total", "expenditure.summary.total", "expenditure.summary.balance_year",
    )
    assert found[0].message == (
        "收支结余「1、局机关」：收入合计 5374.34 − 支出合计 5374.44 = -0.10，但当年结余未填写。"
        "「局机关及二级机构汇总」行与此相同，不另列。"
    )


def test_seed_personnel_items_sum_to_36203_not_36223(sample) -> None:
    (found,) = by_rule(check(sample), "narrative.basic")
    assert found.severity == "error"
    assert found.cells[0] == "expenditure.0.personnel"
    assert len(found.cells) == 13
    assert "12 项人员经费合计 362.03，而支出表「1、局机关」的人员支出为 362.23，相差 0.20" in found.message


def test_seed_projects(sample) -> None:
    found = by_rule(check(sample), "narrative.projects")
    names = {f.cells[0]: f.message for f in found}
    projects = sample.data["narrative"]["projects"]
    mismatched = {projects[int(c.split(".")[2])]["name"] for c in names if c.startswith("narrative.projects.")}
    assert "2022年科三费" in mismatched
    assert any("新增规模工业企业培育发展奖励" in n for n in mismatched)
    assert any("科技潇湘吉首行" in n for n in mismatched)
    assert len(mismatched) == 3
    texts = " ".join(names.values())
    assert "金额 253.11，而各项用途合计 253.12，相差 0.01" in texts
    assert "金额 48.26，而各项用途合计 48.25，相差 0.01" in texts
    assert "金额 30.86，而各项用途合计 30.87，相差 0.01" in texts
    total = names["expenditure.0.project"]
    assert "列出的 36 个项目合计 4854.63，而支出表「1、局机关」的项目支出为 4991.63，相差 137.00" in total
    assert all(f.severity == "warning" for f in found)


def test_seed_has_exactly_these_findings(sample) -> None:
    found = check(sample)
    assert sorted((f.rule, f.cells[0]) for f in found) == sorted(
        [
            ("income.sum", "income.0.total"),
            ("expenditure.sum", "expenditure.0.total"),
            ("balance", "income.0.total"),
            ("narrative.basic", "expenditure.0.personnel"),
            ("narrative.projects", "narrative.projects.16.amount"),
            ("narrative.projects", "narrative.projects.24.amount"),
            ("narrative.projects", "narrative.projects.35.amount"),
            ("narrative.projects", "expenditure.0.project"),
            # What the seed's text says against its own tables.
            ("text.count", "narrative.projects"),
            ("text.scores", "score_items.0.score"),
            ("text.scores", "score_items.1.weight"),
            ("text.figures", "expenditure.summary.total"),
            ("text.unit", "narrative.budget.procurement_actual"),
            ("text.figures", "assets.summary.total"),
            ("text.figures", "assets.summary.in_use"),
            # What the 自评表's scores say against the figures and the targets.
            ("scoring.suggested", "scoring.items.0.score"),
            ("scoring.reason", "scoring.items.0.reason"),
            ("scoring.suggested", "indicators.2.score"),
            ("scoring.full", "indicators.7.score"),
            ("scoring.suggested", "indicators.12.score"),
        ]
    )
    assert [f.severity for f in found] == ["error"] * 3 + ["warning"] * 17


def corrected(sample: Report) -> Report:
    """The seed with its figures made to agree."""
    r = sample.copy()
    r.set_text("income.0.other", "538.65")
    r.data["summary"] = None
    r.set_text("expenditure.0.total", "5374.34")
    r.set_text("narrative.basic_items.0.amount", "92.19")
    projects = r.data["narrative"]["projects"]
    projects[16]["amount"] = Decimal("253.12")
    projects[24]["amount"] = Decimal("48.25")
    projects[35]["amount"] = Decimal("30.87")
    projects.append({"name": "其余项目", "amount": Decimal("4991.63") - sum(
        (p["amount"] for p in projects), Decimal(0)), "uses": []})
    # The 自评表 takes the scores its 评分标准 give, and 一级指标得分 and 评分 follow it.
    scored = scoring.tree(r)
    assert scored is not None
    for leaf in scored.leaves:
        if leaf.suggestion.score is not None and leaf.suggestion.score != leaf.score:
            scoring.adopt(r, leaf.key)
    r.set_text("indicators.7.reason", "重点工作完成及时率99%，未达到100%。")
    scoring.fill_level1(r)
    # The text says what the figures say: the paragraphs the figures write are written
    # from them, and 七（二）'s sub-heading deducts what 产出 lost.
    sections = r.data["narrative"]["sections"]
    for key, generator in GENERATORS.items():
        sections[key] = generator.write(r)
    sections["target_achievement"] = sections["target_achievement"].replace("2.3成本指标（扣2分）", "2.3成本指标（扣1分）")
    return r


def test_a_report_whose_figures_agree_has_no_finding(sample) -> None:
    assert check(corrected(sample)) == []


def test_blank_total_is_computed_not_flagged(sample) -> None:
    r = corrected(sample)
    r.set_text("income.0.total", "")
    assert check(r) == []
    row = r.effective_row(form.INCOME, r.data["income"][0])
    assert row["total"] == Decimal("5374.34")
    assert r.computed_keys(form.INCOME, r.data["income"][0]) == {"total"}
    assert r.get("income.summary.total") == Decimal("5374.34")


def test_summary_sums_institutions_and_stays_blank_where_all_are_blank() -> None:
    r = Report()
    r.add_institution("市科技创新服务中心")
    r.set_text("income.0.public_budget", "100.10")
    r.set_text("income.1.public_budget", "0.05")
    r.set_text("income.1.other", "2")
    summary = r.summary_row(form.INCOME)
    assert summary["public_budget"] == Decimal("100.15")
    assert summary["other"] == Decimal("2")
    assert summary["carryover"] is None
    assert summary["total"] == Decimal("102.15")


def test_stated_summary_that_disagrees_is_found(sample) -> None:
    r = corrected(sample)
    r.data["summary"] = {t.key: r.summary_row(t) for t in form.INSTITUTION_TABLES}
    assert check(r) == []
    r.data["summary"]["assets"]["in_use"] = Decimal("73.02")
    found = by_rule(check(r), "summary.rows")
    assert len(found) == 1
    assert found[0].cells == ("assets.summary.in_use", "assets.0.in_use")
    assert found[0].message == (
        "固定资产「局机关及二级机构汇总」的在用固定资产填报 73.02，而各机构合计为 73.22，"
        "相差 0.20（汇总行少 0.20）。"
    )


def test_second_institution_rows_are_checked(sample) -> None:
    r = corrected(sample)
    r.add_institution("市墙体材料改革办公室")
    r.set_text("three_public.1.total", "1.00")
    r.set_text("three_public.1.reception", "0.50")
    (found,) = by_rule(check(r), "three_public.sum")
    assert found.cells[:2] == ("three_public.1.total", "three_public.1.reception")
    assert "three_public.summary.total" in found.cells
    assert found.message == (
        "三公经费「2、市墙体材料改革办公室」：三公经费合计填报 1.00，而 公务接待费 0.50 = 0.50，"
        "相差 0.50（三公经费合计多 0.50）。「局机关及二级机构汇总」行随之不符（三公经费合计 1.40，"
        "各项之和 0.90，相差 0.50），差额来自各机构，不另列。"
    )


def test_total_typed_with_no_parts(sample) -> None:
    r = corrected(sample)
    r.set_text("assets.0.in_use", "")
    found = by_rule(check(r), "assets.sum")
    assert [f.cells for f in found] == [("assets.0.total", "assets.summary.total")]
    assert "固定资产合计填报 73.22，而 各组成项均未填写（按 0 计） = 0，相差 73.22" in found[0].message


def test_basic_subtotal(sample) -> None:
    r = corrected(sample)
    r.set_text("expenditure.0.public_use", "20.58")
    rules = {f.rule for f in check(r)}
    assert "expenditure.basic" in rules


def test_balance_typed_wrong(sample) -> None:
    r = corrected(sample)
    r.set_text("expenditure.0.balance_year", "1.00")
    found = by_rule(check(r), "balance")
    assert found[0].message.endswith("而当年结余填报 1.00，相差 1.00（当年结余多 1.00）。「局机关及二级机构汇总」行与此相同，不另列。")


@pytest.mark.parametrize(
    ("edit", "rule", "text"),
    [
        (("score_items.0.score", "11"), "score.sum", "一级指标「投入」：自评得分 11 超过指标分值 10，多 1 分。"),
        (("score_items.0.weight", "12"), "score.sum", "一级指标分值合计为 102，应为 100，相差 2（分值合计多 2）。"),
        (("score.self_score", "95"), "score.sum", "评分填报 95，而一级指标自评得分合计为 98.2，相差 3.2（评分少 3.2）。"),
        (("score.grade", "良"), "score.grade", "等级填报「良」，而评分 98.2 对应的等级是「优」。"),
        (("basics.staff_actual", "25"), "staff", "实有人数 25 超过人员编制 23，多 2 人；如属实请说明原因。"),
        (("basics.contact", ""), "required", "一、基本概况：「联系人」必须填写。"),
        (("cover.dept_name", ""), "required", "封面：「部门（单位）名称」必须填写。"),
    ],
)
def test_each_rule_speaks(sample, edit, rule, text) -> None:
    r = corrected(sample)
    r.set_text(*edit)
    messages = [f.message for f in check(r) if f.rule == rule]
    assert text in messages


def test_grade_bands_are_data(sample) -> None:
    r = corrected(sample)
    r.data["score"]["bands"] = [[Decimal("90"), "优"], [Decimal("80"), "良"], [Decimal("60"), "中"], [Decimal("0"), "差"]]
    r.set_text("score.grade", "")
    for score, word in [("96", "优"), ("90", "优"), ("89.9", "良"), ("80", "良"), ("60", "中"), ("59.5", "差")]:
        r.set_text("score.self_score", score)
        assert r.grade() == word


def test_explained_error_no_longer_blocks(sample) -> None:
    findings = blocking(check(sample))
    assert len(findings) == 3
    first = findings[0]
    sample.explain(first.rule, first.cells, "原件收入合计含利息收入 0.60 万元，已与财政核对。")
    after = check(sample)
    explained = [f for f in after if f.cells == first.cells and f.rule == first.rule]
    assert explained[0].explanation == "原件收入合计含利息收入 0.60 万元，已与财政核对。"
    assert len(blocking(after)) == 2
    sample.explain(first.rule, first.cells, "")
    assert len(blocking(check(sample))) == 3


def test_every_rule_id_is_declared_with_a_severity(sample) -> None:
    r = corrected(sample)
    for edit in [("score_items.0.score", "11"), ("basics.staff_actual", "25"), ("basics.contact", "")]:
        r.set_text(*edit)
    for f in check(sample) + check(r):
        assert f.severity == form.RULES_BY_ID[f.rule].severity


def test_an_explanation_stays_with_its_finding_when_a_blank_part_is_filled(sample) -> None:
    (first,) = [f for f in check(sample) if f.rule == "income.sum" and f.cells[0] == "income.0.total"]
    sample.explain(first.rule, first.cells, "差额为利息收入。")
    sample.set_text("income.0.carryover", "0.10")
    (again,) = [f for f in check(sample) if f.rule == "income.sum" and f.cells[0] == "income.0.total"]
    assert "income.0.carryover" in again.cells and again.cells != first.cells
    assert again.explanation == "差额为利息收入。"
    assert len(sample.data["explanations"]) == 1


def test_an_explanation_follows_its_row_and_goes_with_it(sample) -> None:
    r = corrected(sample)
    for name in ("甲中心", "乙中心"):
        i = r.add_institution(name)
        r.set_text(f"income.{i}.total", "10")
        r.set_text(f"income.{i}.other", "5")
    first = [f for f in check(r) if f.rule == "income.sum" and f.cells[0] == "income.1.total"][0]
    r.explain(first.rule, first.cells, "甲中心：上级追加拨款 5 万元未分项。")
    r.move_institution(1, 2)
    moved = [f for f in check(r) if f.rule == "income.sum" and f.cells[0] == "income.2.total"][0]
    assert moved.explanation == "甲中心：上级追加拨款 5 万元未分项。"
    assert [f for f in check(r) if f.cells[0] == "income.1.total"][0].explanation is None
    r.remove_institution(2)
    assert r.data["explanations"] == [], "the explanation leaves with 甲中心"
    assert [f for f in check(r) if f.rule == "income.sum" and f.cells[0] == "income.1.total"][0].blocking
    # Rows tables too: a project's explanation follows it when an earlier project goes.
    projects = "narrative.projects"
    (f16,) = [f for f in check(sample) if f.cells[0] == "narrative.projects.16.amount"]
    sample.explain(f16.rule, f16.cells, "原件用途合计含尾差。")
    sample.remove_row(projects, 0)
    (after,) = [f for f in check(sample) if f.cells[0] == "narrative.projects.15.amount"]
    assert after.explanation == "原件用途合计含尾差。"
    sample.insert_row(projects, 0)
    (back,) = [f for f in check(sample) if f.cells[0] == "narrative.projects.16.amount"]
    assert back.explanation == "原件用途合计含尾差。"


def test_a_report_without_a_single_income_or_expenditure_figure_is_an_error(sample) -> None:
    blank = corrected(sample).carried_over()
    found = by_rule(check(blank), "figures.empty")
    assert [(f.severity, f.cells) for f in found] == [("error", ("income.0.total", "expenditure.0.total"))]
    assert found[0].message == (
        "「年度收入情况」和「部门（单位）年度支出和结余情况」一个数字也没有填写。"
        "请填写本年度的收入和支出；确实为零的请填 0。"
    )
    assert found[0] in blocking(check(blank))
    # One figure anywhere in the two tables, a 0 included, is a report that says something.
    for path in ("income.0.carryover", "expenditure.0.balance_cum"):
        filled = blank.copy()
        filled.set_text(path, "0")
        assert by_rule(check(filled), "figures.empty") == []
    # Other tables filled in do not count: 三公经费 and 固定资产 are not income or expenditure.
    blank.set_text("assets.0.in_use", "73.22")
    assert by_rule(check(blank), "figures.empty") != []


def test_one_wrong_total_of_the_only_institution_needs_one_explanation(sample) -> None:
    r = corrected(sample)
    r.set_text("assets.0.total", "73.23")
    (found,) = [f for f in check(r) if f.severity == "error"]
    assert found.cells == ("assets.0.total", "assets.0.in_use", "assets.summary.total", "assets.summary.in_use")
    # Explanations attach by rule and first cell, as they always have: the summary goes with it.
    r.explain(found.rule, found.cells, "固定资产卡片如此。")
    assert blocking(check(r)) == []


def test_a_summary_row_stated_by_a_file_with_its_own_figures_keeps_its_own_finding(sample) -> None:
    r = corrected(sample)
    r.data["summary"] = {t.key: r.summary_row(t) for t in form.INSTITUTION_TABLES}
    r.data["summary"]["assets"]["total"] = Decimal("80")
    found = by_rule(check(r), "assets.sum")
    assert [f.cells[0] for f in found] == ["assets.summary.total"]
    assert by_rule(check(r), "summary.rows")[0].cells[0] == "assets.summary.total"


def test_several_institutions_wrong_fold_the_summary_into_each(sample) -> None:
    r = corrected(sample)
    r.set_text("income.0.total", "5374.00")
    i = r.add_institution("甲中心")
    r.set_text(f"income.{i}.total", "2")
    r.set_text(f"income.{i}.other", "1")
    found = by_rule(check(r), "income.sum")
    assert [f.cells[0] for f in found] == ["income.0.total", "income.1.total"]
    assert all("income.summary.total" in f.cells for f in found)
    for f in found:
        r.explain(f.rule, f.cells, "已核实。")
    assert blocking(check(r)) == []


# -- rechecking after an edit -----------------------------------------------------------------


def _leaves(node: object, prefix: str = "") -> dict[str, object]:
    """Every value of a report's data by its path (``income.0.total``)."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return {prefix: node}
    out: dict[str, object] = {}
    for key, value in items:
        out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


@settings(max_examples=150, deadline=None)
@given(reports(), reports(), st.data())
def test_rechecking_only_what_an_edit_touches_gives_the_findings_of_a_full_check(
    before: Report, other: Report, data: st.DataObject
) -> None:
    from models.rules import LATER, Rechecker

    rechecker = Rechecker()
    if data.draw(st.booleans()):  # a window opening the report puts the text rules off
        rechecker.check(before, later=LATER)
    else:
        assert rechecker.check(before) == check(before)
    mine, theirs = _leaves(before.data), _leaves(other.data)
    cells = sorted(p for p in mine if p in theirs and mine[p] != theirs[p])
    parts = sorted(k for k in before.data if k != "institutions" and before.data[k] != other.data[k])
    edited: set[str] = set()
    for path in data.draw(st.lists(st.sampled_from(cells), max_size=4)) if cells else []:
        *up, last = [int(k) if k.isdigit() else k for k in path.split(".")]
        node: object = before.data
        for key in up:
            node = node[key]  # type: ignore[index]
        node[last] = theirs[path]  # type: ignore[index]
        edited.add(path)
    if parts and data.draw(st.booleans()):  # a whole part replaced (rows added, removed)
        key = data.draw(st.sampled_from(parts))
        if key not in ("income", "expenditure", "three_public", "assets", "summary"):
            before.data[key] = other.data[key]
            edited.add(key)
    assert rechecker.check(before, edited) == check(before)


def test_an_edit_reruns_only_the_checks_that_read_it(sample: Report, monkeypatch) -> None:
    from models import rules

    ran: list[str] = []
    counted, reads = [], {}
    for run in rules.CHECKS:
        def counting(checker, run=run) -> None:
            ran.append(run.__name__)
            run(checker)
        counted.append(counting)
        reads[counting] = rules.READS[run]
    monkeypatch.setattr(rules, "CHECKS", tuple(counted))
    monkeypatch.setattr(rules, "READS", reads)
    rechecker = rules.Rechecker()
    rechecker.check(sample)
    assert len(ran) == len(rules.CHECKS)
    ran.clear()
    sample.set_text("basics.contact", "张三")
    found = rechecker.check(sample, {"basics.contact"})
    assert ran == ["required", "text", "scoring"]  # these two read every part
    assert found == check(sample)
    ran.clear()
    sample.set_text("income.0.other", "1.00")
    found = rechecker.check(sample, {"income.0.other"})
    assert ran == ["figures", "sums", "summary", "balance", "text", "scoring"]
    assert found == check(sample)


def test_checks_put_off_run_at_the_next_call(sample: Report) -> None:
    from models.rules import LATER, Rechecker

    rechecker = Rechecker()
    first = rechecker.check(sample, later=LATER)
    assert rechecker.waiting
    assert first == [f for f in check(sample) if not f.rule.startswith("text.")]
    assert len(first) < len(check(sample)), "the sample's 评价报告 has text findings"
    assert rechecker.check(sample, set()) == check(sample)
    assert not rechecker.waiting
