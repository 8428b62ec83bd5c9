"""Operations the window uses, moved into the model: they run without Qt."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from models import form
from models.errors import ValueInputError
from models.report import Report, differences, parse_bands
from models.store import Store


def test_the_grade_follows_the_score_when_it_matched(sample) -> None:
    r = sample.copy()
    r.data["score"]["grade"] = r.band_of(r.data["score"]["self_score"])
    assert r.set_score("85") == Decimal("85")
    assert r.data["score"]["grade"] == "良"
    r.data["score"]["grade"] = "优"  # typed on purpose: it stays
    r.set_score("70")
    assert r.data["score"]["grade"] == "优"


def test_rename_institution_refuses_a_blank_name(sample) -> None:
    r = sample.copy()
    r.rename_institution(0, "  局本级 ")
    assert r.institutions[0] == "局本级"
    with pytest.raises(ValueInputError, match="^机构名称不能为空。$"):
        r.rename_institution(0, " ")


def test_paste_keeps_good_cells_and_names_the_refused_ones(sample) -> None:
    r = sample.copy()
    problems = r.paste(
        [
            [("income.0.total", "1,000.5"), ("income.0.gov_fund", "abc"), (None, "ignored")],
            [("assets.summary.in_use", "3"), ("institutions.0", "局本级")],
        ]
    )
    assert r.data["income"][0]["total"] == Decimal("1000.50")
    assert r.institutions[0] == "局本级"
    assert problems[0] == "年度收入情况「1、局机关」行（政府基金拨款）：「abc」不是有效的政府基金拨款：请只填写数字，可带单位「万元」，例如 5374.34。"
    assert problems[1] == "固定资产「局机关及二级机构汇总」行（在用固定资产）：汇总行由各机构自动合计，不能直接填写。"
    assert len(problems) == 2


def test_cell_names(sample) -> None:
    assert sample.cell_name("income.summary.total") == "年度收入情况「局机关及二级机构汇总」行"
    assert sample.cell_name("institutions.1") == "机构第 2 行"
    assert sample.cell_name("indicators.1.actual") == f"{form.INDICATORS.label}第 2 行"
    assert sample.cell_name("basics.contact") == "联系人"


def test_drop_stated_summary() -> None:
    r = Report()
    r.data["summary"] = {t.key: {} for t in form.INSTITUTION_TABLES}
    r.drop_stated_summary()
    assert r.stated_summary(form.INCOME) is None


def test_bands_parse_and_refuse() -> None:
    assert parse_bands("90 优；80 良, 0 差") == [[Decimal("90"), "优"], [Decimal("80"), "良"], [Decimal("0"), "差"]]
    with pytest.raises(ValueInputError, match="^等级档次「90优」应写成「下限 等级」，例如「90 优」。$"):
        parse_bands("90优")
    with pytest.raises(ValueInputError, match="^至少要有一个等级档次"):
        parse_bands(" ；")
    r = Report()
    r.set_bands("95 优；0 差")
    assert r.bands() == [(Decimal("95"), "优"), (Decimal("0"), "差")]


def test_differences_name_each_cell() -> None:
    a, b = Report(), Report()
    b.set_text("income.0.total", "5")
    b.set_text("cover.report_date", "2024-06")
    assert differences(a, b) == [
        ("cover.report_date", "封面 · 报告时间", "（空）", "2024年6月"),
        ("income.0.total", "二、收入 · 第 1 行 收入合计", "（空）", "5"),
    ]
    assert differences(a, a.copy()) == []


def test_tab_of_follows_the_form() -> None:
    assert form.tab_of("income.0.total") == "二、收入"
    assert form.tab_of("institutions.2") == "二、收入"
    assert form.tab_of("indicators.3.actual") == "定量指标"
    assert form.tab_of("score.self_score") == "评分"
    assert form.tab_of("narrative.basic_items.0.amount") == "评价报告"
    assert form.tab_of("explanations") is None
    assert form.tab_of("nonsense.1") is None
    for tab in form.TABS:
        assert any(getattr(n, "tab", None) == tab for n in form.REPORT.children)


def test_duplicate_is_one_new_report_with_a_note(tmp_path: Path, sample) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        first = store.create(sample)
        copy_id = store.duplicate(first)
        assert copy_id != first
        assert store.load(copy_id) == sample
        [rev] = store.revisions(copy_id)
        assert (rev.kind, rev.note) == ("create", f"复制自报告 {first}")


def test_the_narrative_tables_add_up_in_the_report_blank_staying_blank() -> None:
    r = Report()
    for group, name, amount in (("人员经费", "基本工资", "10.5"), ("公用经费", "办公费", None),
                                ("人员经费", "津贴补贴", "2.25"), (None, "其他", "1")):
        i = r.insert_row("narrative.basic_items")
        r.set_text(f"narrative.basic_items.{i}.group", group)
        r.set_text(f"narrative.basic_items.{i}.name", name)
        r.set_text(f"narrative.basic_items.{i}.amount", amount)
    assert r.basic_indices("人员经费") == [0, 2]
    assert r.basic_indices("") == [3]
    assert r.basic_total("人员经费") == Decimal("12.75")
    assert r.basic_total("公用经费") is None
    assert r.basic_total() == Decimal("13.75")
    assert r.projects_total() is None
    p = r.insert_row("narrative.projects")
    assert r.uses_total(p) is None
    r.insert_row(f"narrative.projects.{p}.uses")
    r.set_text(f"narrative.projects.{p}.uses.0.amount", "0.4")
    r.set_text(f"narrative.projects.{p}.amount", "3")
    assert r.uses_total(p) == Decimal("0.4")
    assert r.projects_total() == Decimal("3")

