"""No value the form accepts fails to print: a long one-line value (a name, a phone
number, an indicator) wraps in its cell and runs on over rows and pages like the
long texts, and every character of it is on the paper, inside the page.

Time and memory of these renders are measured by bench/bench_hostile.py.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from models import interchange
from reports.pdf import FOOTER_SIZE, PAGE_H, PAGE_W, footer_lines, qr_payload
from reports.printed import render_pdf
from tests.hostile import ONE_LINE_FIELDS, set_one_line

LENGTH = 5000


def _drawn(pdf: bytes, ch: str) -> tuple[int, list[tuple[float, float]]]:
    """How often ``ch`` is drawn, and where (x, y) each piece of text holding it starts."""
    where: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if ch in text:
            where.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]))

    count = sum(page.extract_text(visitor_text=visit).count(ch) for page in PdfReader(io.BytesIO(pdf)).pages)
    return count, where


@pytest.fixture(scope="module")
def sample():
    from tests.conftest import SAMPLE

    return interchange.read(SAMPLE)


def _part(path: str) -> str:
    """The part of the paper a value prints in (each printed alone: the test reads it all back)."""
    return "B" if path.startswith(("narrative.", "score_items.")) else "A"


@pytest.mark.parametrize("path", ONE_LINE_FIELDS)
def test_a_5000_character_value_prints_whole(sample, path) -> None:
    report = sample.copy()
    set_one_line(report, path, "鄢" * LENGTH)  # a character the sample does not hold
    pdf = render_pdf(report, part=_part(path))
    count, where = _drawn(pdf, "鄢")
    # Every character drawn (a name also heads the cover and each footer; an institution
    # prints in each of the four tables).
    assert count >= LENGTH * (4 if path.startswith("institutions.") else 1)
    assert all(0 <= x <= PAGE_W and 0 <= y <= PAGE_H for x, y in where)


@pytest.mark.parametrize("path", ["basics.phone", "indicators.0.name", "institutions.1",
                                  "narrative.projects.0.uses.0.name"])
def test_a_long_value_without_a_place_to_break_prints_whole(sample, path) -> None:
    report = sample.copy()
    set_one_line(report, path, "Q" * LENGTH)
    count, where = _drawn(render_pdf(report, part=_part(path)), "Q")
    assert count >= LENGTH
    assert all(0 <= x <= PAGE_W for x, _ in where)


def test_the_whole_paper_prints_with_a_long_name(sample) -> None:
    report = sample.copy()
    set_one_line(report, "cover.dept_name", "鄢" * LENGTH)
    count, _ = _drawn(render_pdf(report), "鄢")
    assert count >= 2 * LENGTH  # the cover's title and its name line, and shortened in each footer


def test_the_footer_keeps_the_fingerprint_whole_and_shortens_the_name(sample) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.fonts import FontSet, load

    report = sample.copy()
    report.set_text("cover.dept_name", "湘西土家族苗族自治州吉首市" * 20)
    font = FontSet().body
    load(font)
    footer = footer_lines(report, "5b8c951e35023ee6", font.pdf_name, 400)
    assert footer[0].startswith("湘西土家族苗族自治州吉首市") and footer[0].endswith("…")
    assert footer[1] == "2023年度 绩效自评报告　数据指纹 5b8c951e35023ee6"
    assert all(stringWidth(line, font.pdf_name, FOOTER_SIZE) <= 400 for line in footer)
    short = footer_lines(sample, "5b8c951e35023ee6", font.pdf_name, 400)
    assert short == ["吉首市科工信局 2023年度 绩效自评报告　数据指纹 5b8c951e35023ee6"]
    # The QR code names no department: it stays as small, and as readable, whatever the name.
    assert qr_payload(report, "5b8c951e35023ee6") == "ZIPING 5B8C951E35023EE6 2023"


def test_a_long_grade_word_is_refused_at_entry(sample) -> None:
    from models.errors import ValueInputError

    report = sample.copy()
    with pytest.raises(ValueInputError) as refused:
        report.set_text("score.grade", "优" * 21)
    assert str(refused.value) == f"等级「{'优' * 21}」过长：最多 20 个字。"
    with pytest.raises(ValueInputError, match="等级档次有 11 档，最多 10 档"):
        report.set_bands("；".join(f"{90 - i} 档{i}" for i in range(11)))
