"""The tab 自评表: the tree, edits shared with 定量指标, 「采用」 undoable, a framework file, 定稿."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from models import form
from models import framework as fw
from ui.scoring import COL, ScoringPage


def _page(window) -> ScoringPage:
    page = window.pages[form.SCORING.tab]
    assert isinstance(page, ScoringPage)
    window.tabs.setCurrentWidget(page)
    return page


def _rows(model, parent=QModelIndex()):  # noqa: B008
    for r in range(model.rowCount(parent)):
        idx = model.index(r, 0, parent)
        yield idx
        yield from _rows(model, idx)


def _find(page: ScoringPage, name: str, column: str = "name") -> QModelIndex:
    model = page.model
    for idx in _rows(model):
        if idx.data() == name:
            return model.index(idx.row(), COL[column], idx.parent())
    raise AssertionError(name)


def test_the_tab_shows_the_samples_tree_with_sums_and_computed_scores(window) -> None:
    page = _page(window)
    model = page.model
    level1 = [(model.index(r, 0).data(), model.index(r, COL["weight"]).data(), model.index(r, COL["score"]).data())
              for r in range(model.rowCount())]
    assert level1 == [("投入", "10", "8"), ("产出", "50", "49"), ("效益", "30", "30"), ("满意度", "10", "9")]
    output = model.index(1, 0)
    assert [model.index(r, 0, output).data() for r in range(model.rowCount(output))] == [
        "数量指标", "质量指标", "时效指标", "成本指标"]
    assert page.view.isExpanded(output)
    budget = _find(page, "预算执行率", "suggested")
    assert budget.data() == "10"
    assert _find(page, "预算执行率", "adopt").data() == "采用"
    assert _find(page, "新增规模企业", "adopt").data() == ""  # already the computed score
    assert _find(page, "预算执行率", "score").data(Qt.ItemDataRole.BackgroundRole) is not None  # a finding
    assert page.total.text().startswith("合计：分值 100，自评得分 96")
    assert model.headerData(COL["criteria"], Qt.Orientation.Horizontal) == "指标解释/评分标准"


def test_one_row_two_views(window) -> None:
    page = _page(window)
    idx = _find(page, "新增规模企业", "score")
    assert page.model.setData(idx, "5")
    assert window.session.report.data["indicators"][3]["score"] == Decimal(5)
    assert window.view("indicators").model().index(3, 2).data() == "新增规模企业"
    # the name typed on the 定量指标 tab is the 三级 line's name here
    assert window.view("indicators").model().setData(window.view("indicators").model().index(3, 2), "新增规上企业")
    assert _find(page, "新增规上企业", "score").data() == "5"
    assert [c.label for c in form.INDICATORS.form_columns] == ["评价内容", "指标类别", "指标", "绩效目标", "完成情况"]
    assert window.view("indicators").model().columnCount() == 5


def test_adopt_is_one_undoable_edit(window, qtbot) -> None:
    page = _page(window)
    idx = _find(page, "预算执行率", "adopt")
    rect = page.view.visualRect(idx)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    items = window.session.report.data["scoring"]["items"]
    assert items[0]["score"] == Decimal(10)
    assert _find(page, "投入", "score").data() == "10"
    assert _find(page, "预算执行率", "adopt").data() == ""
    window.session.undo_stack.undo()
    assert window.session.report.data["scoring"]["items"][0]["score"] == Decimal(8)
    assert window.session.undo_stack.undoText() != "采用计算得分「预算执行率」"


def test_a_framework_line_and_a_choice_from_the_framework(window, quiet_messages) -> None:
    page = _page(window)
    assert page.model.setData(_find(page, "预算执行率", "reason"), "年中追加预算未及时执行。")
    assert window.session.report.data["scoring"]["items"][0]["reason"] == "年中追加预算未及时执行。"
    assert page.model.setData(_find(page, "新增规模企业", "category"), "质量指标")
    assert window.session.report.data["indicators"][3]["category"] == "quality"
    quality = _find(page, "质量指标")
    assert page.model.rowCount(quality) == 1
    assert not page.model.setData(_find(page, "新增规模企业", "nature"), "向上")
    assert quiet_messages.history[-1] == ("error", "指标性质只能是 正向、反向、定性 之一，而不是「向上」。")


def test_a_framework_file_changes_the_tab_without_code(tmp_path: Path, make_window) -> None:
    raw = json.loads((fw.SHIPPED / "hunan.json").read_text(encoding="utf-8"))
    raw["level1"][1]["weight"] = "45"
    raw["level1"][3]["weight"] = "15"
    raw["level1"][1]["level2"][3]["name"] = "成本控制指标"
    (tmp_path / "hunan.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    fw.use_directories([tmp_path])
    try:
        page = _page(make_window())
        assert _find(page, "产出", "weight").data() == "45"
        assert _find(page, "满意度", "weight").data() == "15"
        assert _find(page, "成本控制指标", "score").data() == "19"
    finally:
        fw.use_directories(None)


def test_choosing_another_framework_is_undoable(window) -> None:
    page = _page(window)
    at = page.framework.findData("sichuan")
    page.framework.setCurrentIndex(at)
    page.framework.activated.emit(at)
    assert window.session.report.data["scoring"]["framework"] == "sichuan"
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["部门决策", "综合管理", "部门绩效"]
    window.session.undo_stack.undo()
    assert page.model.index(0, 0).data() == "投入"


def test_a_final_report_is_read_only_here_too(window, quiet_messages, qtbot) -> None:
    from tests.helpers import explain_errors
    from ui import session as ops

    window.session.apply("说明", explain_errors)
    assert ops.mark_final(window.session)
    page = _page(window)
    idx = _find(page, "新增规模企业", "score")
    assert not (page.model.flags(idx) & Qt.ItemFlag.ItemIsEditable)
    assert not page.fill.isEnabled() and not page.framework.isEnabled()
    rect = page.view.visualRect(_find(page, "预算执行率", "adopt"))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.report.data["scoring"]["items"][0]["score"] == Decimal(8)
    assert quiet_messages.history[-1][0] == "status"


def test_a_finding_goes_to_its_line(window) -> None:
    finding = next(f for f in window.session.findings if f.rule == "scoring.full")
    window.go_to_finding(finding)
    page = _page(window)
    assert window.tabs.currentWidget() is page
    assert page.view.currentIndex().data(Qt.ItemDataRole.UserRole) == "indicators.7.score"


def test_fill_level1_from_the_tree(window) -> None:
    page = _page(window)
    window.session.apply("清空", lambda r: r.data.update(score_items=[]))
    page.fill.click()
    assert [i["score"] for i in window.session.report.data["score_items"]] == [8, 49, 30, 9]
    window.session.undo_stack.undo()
    assert window.session.report.data["score_items"] == []
