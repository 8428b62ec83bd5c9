"""Chinese line breaking: the rules on characters, then on every printed page."""

from __future__ import annotations

import pytest

from models import interchange
from reports.kinsoku import CANNOT_END, CANNOT_START, balanced_width, line_breaks
from reports.printed import render_pdf
from tests.pdftext import lines


def broken(text: str, per_line: int, *, hang: bool = False) -> list[str]:
    """``text`` broken at ``per_line`` characters of width 1 (digits and Latin letters 0.5)."""
    widths = [0.5 if ch.isascii() else 1.0 for ch in text]
    return [text[a:b] for a, b, _ in line_breaks(list(text), widths, [per_line], hang=hang)]


def test_a_point_never_starts_a_line() -> None:
    assert broken("一二三四，五六七八", 4) == ["一二三", "四，五六", "七八"]
    # several in a row move down together with the character before them
    assert broken("一二三四）。五六七", 4) == ["一二三", "四）。五", "六七"]


def test_an_opening_mark_never_ends_a_line() -> None:
    assert broken("职能职责概述（续）", 7) == ["职能职责概述", "（续）"]
    assert broken("职能职责概述（续）", 8) == ["职能职责概述", "（续）"]
    assert broken("一二三《四五》", 4) == ["一二三", "《四五》"]


def test_numbers_and_doubled_marks_stay_whole() -> None:
    assert broken("合计5374.34万元", 5) == ["合计", "5374.34", "万元"]
    assert broken("合计金额5374.34万元", 6) == ["合计金额", "5374.34万元"]
    assert broken("一二三……四五", 4) == ["一二", "三……", "四五"]


def test_justified_text_hangs_one_point_in_the_margin() -> None:
    assert broken("一二三四，五六七八", 4, hang=True) == ["一二三四，", "五六七八"]
    # an opening mark is not a point: it moves down
    assert broken("一二三（四五）", 4, hang=True) == ["一二三", "（四五）"]


def test_no_last_line_of_one_character() -> None:
    assert broken("公共财政拨款", 5) == ["公共财政", "拨款"]
    assert broken("一二三四五六七八九", 4) == ["一二三四", "五六七", "八九"]
    # not where the line above would then end on an opening mark
    assert broken("一二三四五（六", 4) == ["一二三四", "五（六"]


def test_a_line_break_of_the_text_is_kept() -> None:
    text = list("一二\n三四五六")
    text[2] = ""  # a <br/> is a glyph of no text
    spans = line_breaks(text, [1.0] * 7, [10], hard=frozenset({2}))
    assert spans == [(0, 3, True), (3, 7, False)]


def test_centred_text_balances_its_lines() -> None:
    chars = list("公共财政拨款")
    width = balanced_width(chars, [10.0] * 6, 50)
    spans = line_breaks(chars, [10.0] * 6, [width])
    assert ["".join(chars[a:b]) for a, b, _ in spans] == ["公共财", "政拨款"]
    assert balanced_width(list("联系人"), [10.0] * 3, 50) == 50


@pytest.fixture(scope="module")
def sample_all() -> bytes:
    from tests.conftest import SAMPLE

    return render_pdf(interchange.read(SAMPLE))


def test_no_printed_line_starts_or_ends_against_the_rules(sample_all) -> None:
    """Every line of the form, the 评价报告 and 附件2 (the sample had lines starting with "，")."""
    found = lines(sample_all)
    assert len(found) > 1000
    bad = [line for line in found if line.text[0] in CANNOT_START or line.text[-1] in CANNOT_END]
    assert bad == []


def test_header_cells_are_balanced(sample_all) -> None:
    texts = [line.text for line in lines(sample_all) if line.page == 3]
    assert "公共财" in texts and "政拨款" in texts
    assert "款" not in texts
