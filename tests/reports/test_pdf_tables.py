"""The form's tables on paper: merged cells that read as one, pages used to their foot,
even spacing. Read back from the PDF: text positions and the rules drawn."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from models import interchange
from models.report import Report
from reports.fonts import FontSet
from reports.pdf import (
    FIRST_COL,
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    PIECE_LINES,
    make_styles,
    pieces,
)
from reports.printed import render_pdf
from tests.pdftext import lines, rules

LEADING = 14.5  # the cells' line spacing
#: The 定量指标 table's columns: section label, 评价内容 (two), 指标 …
LEVEL1 = (MARGIN_LEFT + FIRST_COL, MARGIN_LEFT + FIRST_COL + 26 * mm)
NAMES = (MARGIN_LEFT + FIRST_COL + 46 * mm, MARGIN_LEFT + FIRST_COL + 76 * mm)


@pytest.fixture(scope="module")
def sample_a() -> bytes:
    from tests.conftest import SAMPLE

    return render_pdf(interchange.read(SAMPLE), part="A")


@pytest.fixture(scope="module")
def indicators_a() -> bytes:
    """The sample's 定量指标 on one page (without the 定性目标 before them)."""
    from tests.conftest import SAMPLE

    report = interchange.read(SAMPLE)
    report.data["qualitative"] = []
    return render_pdf(report, part="A")


def column(data: bytes, page: int, x: tuple[float, float]) -> str:
    """The text of a column of a page, top to bottom."""
    found = sorted((line for line in lines(data) if line.page == page and x[0] < line.x < x[1]),
                   key=lambda line: (-line.y, line.x))
    return "".join(line.text for line in found)


@pytest.fixture(scope="module")
def stress() -> tuple[Report, bytes]:
    from tests.reports.test_pdf import stress_report

    report = stress_report()
    return report, render_pdf(report, part="A")


def crossing(data: bytes, page: int, x: float, low: float, high: float) -> list[tuple[float, ...]]:
    """Horizontal rules crossing ``x`` strictly between heights ``low`` and ``high``."""
    return [r for r in rules(data, page)
            if abs(r[1] - r[3]) < 0.1 and min(r[0], r[2]) < x < max(r[0], r[2]) and low + 1 < r[1] < high - 1]


def test_a_merged_group_prints_as_one_cell_with_its_note_down_it(indicators_a) -> None:
    sample_a = indicators_a
    found = lines(sample_a)
    first = next(line for line in found if line.text == "公用经费控制率")
    last = next(line for line in found if line.text == "固定资产利用率")
    assert first.page == last.page
    page = first.page
    # No rule crosses the section label or either 评价内容 column inside the group …
    for x in (MARGIN_LEFT + FIRST_COL / 2, sum(LEVEL1) / 2, LEVEL1[1] + 10 * mm):
        assert crossing(sample_a, page, x, last.y, first.y + LEADING) == []
    # … while the indicators beside them are ruled off one from the next.
    assert len(crossing(sample_a, page, sum(NAMES) / 2, last.y, first.y + LEADING)) >= 7
    # The note runs down the group at its own spacing, past the first indicator's row.
    note = sorted((line for line in found if line.page == page and LEVEL1[0] < line.x < LEVEL1[1]
                   and first.y - 200 < line.y <= first.y + 1), key=lambda line: -line.y)
    text = "".join(line.text for line in note)
    assert text.startswith("产出目标（部门工作实绩，包含上级部门和市委市政府布置的重点工作、实事任务等")
    assert {round(a.y - b.y, 1) for a, b in zip(note, note[1:], strict=False)} == {LEADING}
    second_row = next(line for line in found if line.text.startswith("“三公经费”"))
    assert note[-1].y < second_row.y


def test_across_a_page_break_the_merged_cell_says_what_it_is_with_continued(stress) -> None:
    _, data = stress
    reader = PdfReader(io.BytesIO(data))
    level1 = [column(data, n, LEVEL1) for n in range(1, len(reader.pages) + 1)]
    continued = [n for n, text in enumerate(level1, 1) if text.startswith("产出目标（续）")]
    assert len(continued) > 10, "each page that goes on with 产出目标 says so at its top"
    for n in continued:
        assert column(data, n, (MARGIN_LEFT, LEVEL1[0])).startswith("整体支出绩效定量目标及实施计划完成情况（续）")
        level2 = column(data, n, (LEVEL1[1], NAMES[0])).replace("评价内容", "")  # the header spans it
        assert level2.startswith("数量、质量、时效、成本指标（续）")


def test_a_table_closes_with_a_rule_at_the_foot_of_a_page(stress) -> None:
    _, data = stress
    reader = PdfReader(io.BytesIO(data))
    split_pages = 0
    for n in range(2, len(reader.pages)):
        texts = [line for line in lines(data) if line.page == n]
        if not any("（续）" in line.text for line in texts):
            continue
        split_pages += 1
        lowest = min(line.y for line in texts if line.y > MARGIN_BOTTOM)
        closing = [r for r in rules(data, n) if abs(r[1] - r[3]) < 0.1 and r[1] < lowest
                   and min(r[0], r[2]) <= MARGIN_LEFT + 0.5 and max(r[0], r[2]) >= MARGIN_LEFT + FRAME_W - 0.5
                   and r[1] > MARGIN_BOTTOM - 1]
        assert closing, f"page {n}: the table is closed at its foot"
    assert split_pages > 40


def test_long_texts_fill_their_pages(stress) -> None:
    """A table that goes on over pages uses each page to its foot: its last row of text is cut
    between lines where the page ends, rather than going whole to the next page."""
    _, data = stress
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 84  # 92 when a row went whole to the next page
    found = lines(data)
    going_on = {line.page for line in found if line.text.endswith("（续）")}
    assert len(going_on) > 60
    for n in going_on - {len(reader.pages)}:
        if n + 1 not in going_on:
            continue  # the table ends on this page
        body = [line.y for line in found if line.page == n and line.y > MARGIN_BOTTOM]
        assert min(body) < MARGIN_BOTTOM + 3 * LEADING + 10, f"page {n} ends early"


def test_a_heading_keeps_with_its_table_start_not_the_whole_table(stress) -> None:
    """二、 follows the end of 一、 on the same page; it is not pushed to a page of its own."""
    _, data = stress
    found = lines(data)
    heading = next(line for line in found if line.text == "二、部门（单位）收支情况")
    on_its_page = [line for line in found if line.page == heading.page]
    assert any(line.y > heading.y and line.x > MARGIN_LEFT + 30 * mm for line in on_its_page)  # 一、's text above
    assert any(line.y < heading.y and line.text == "机构名称" for line in on_its_page)  # and its table's start


def test_list_items_are_evenly_spaced_and_not_pushed_by_their_label(sample, sample_a) -> None:
    items = [item for item in sample.data["basics"]["main_work"].split("\n") if item]
    ys = sorted({line.y for line in lines(sample_a) if line.page == 2 and line.text in items}, reverse=True)
    assert len(ys) == len(items) == 7
    assert {round(a - b, 1) for a, b in zip(ys, ys[1:], strict=False)} == {LEADING}


def test_a_blank_line_is_half_a_line_and_several_are_one(sample) -> None:
    report = sample.copy()
    report.set_text("basics.main_work", "第一项\n\n\n\n第二项\n第三项\n\n")
    data = render_pdf(report, part="A")
    found = {line.text: line.y for line in lines(data) if line.page == 2}
    assert abs(found["第一项"] - found["第二项"] - LEADING * 1.5) < 0.1
    assert abs(found["第二项"] - found["第三项"] - LEADING) < 0.1


def test_no_piece_of_a_long_text_is_a_single_line_on_its_own() -> None:
    s = make_styles(FontSet())
    text = "\n".join(f"{i}、一项工作。" for i in range(1, PIECE_LINES + 2))  # one line more than a piece
    chunks = pieces(s, text, 300)
    assert len(chunks) == 2
    counts = [round(c.wrap(300, 1e6)[1] / s.cell.leading) for c in chunks]
    assert counts == [PIECE_LINES - 1, 2]


def test_continued_labels_never_break_inside_their_brackets(stress) -> None:
    from reports.kinsoku import CANNOT_END, CANNOT_START

    _, data = stress
    found = lines(data)
    assert not [line for line in found if line.text[0] in CANNOT_START or line.text[-1] in CANNOT_END]
    label = [line.text for line in found if line.x < MARGIN_LEFT + 30 * mm and "续" in line.text]
    assert label and all(text.endswith("（续）") for text in label)
