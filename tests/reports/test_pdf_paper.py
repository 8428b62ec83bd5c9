"""What a finance official notices first on paper: the footer and its QR code with a
long department name, the cover, printing on both sides, the file's properties."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from models import interchange
from reports.fonts import FontSet
from reports.pdf import (
    FOOTER_SIZE,
    FRAME_W,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    QR_QUIET,
    QR_SIZE,
    PrintOptions,
    footer_lines,
    qr_matrix,
    qr_payload,
)
from reports.printed import render_pdf
from tests.pdftext import lines

#: Sixty characters: the longest name the cover keeps on one page.
LONG_NAME = ("湘西土家族苗族自治州吉首市工业和信息化局科学技术局及其所属事业单位综合服务中心管理办公室" * 2)[:60]


def with_name(report, name: str):
    report = report.copy()
    report.set_text("cover.dept_name", name)
    report.set_text("cover.eval_method", None)  # the defaults repeat the name: longer still
    report.set_text("cover.eval_org", None)
    return report


@pytest.fixture(scope="module")
def long_name_pdf():
    from tests.conftest import SAMPLE

    report = with_name(interchange.read(SAMPLE), LONG_NAME)
    return report, render_pdf(report)


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs zbar-tools and poppler-utils (installed by .ci/run)")
def test_every_page_qr_code_reads_from_a_150_dpi_scan_with_the_longest_name(long_name_pdf, tmp_path) -> None:
    report, data = long_name_pdf
    (tmp_path / "p.pdf").write_bytes(data)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages > 30  # the form, the 评价报告, 附件2 (landscape) and the 审核情况说明
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "150", str(tmp_path / "p.pdf"), str(tmp_path / "page")],
                   check=True)
    scans = sorted(tmp_path.glob("page*.png"))
    assert len(scans) == pages
    fingerprint = interchange.fingerprint(report)
    for scan in scans:
        done = subprocess.run(["zbarimg", "-q", "--raw", str(scan)], capture_output=True, text=True, check=False)
        assert done.stdout.strip() == f"ZIPING {fingerprint.upper()} 2023", scan.name


def test_the_code_does_not_grow_with_the_name(sample) -> None:
    short = qr_matrix(qr_payload(sample, interchange.fingerprint(sample)))
    long = with_name(sample, LONG_NAME * 5)
    assert len(qr_matrix(qr_payload(long, interchange.fingerprint(long)))) == len(short) == 25
    # 25 modules and the quiet zone in 20 mm: each module 0.6 mm, 3.6 dots of a 150 dpi scan
    assert QR_SIZE / (25 + 2 * QR_QUIET) / mm * 150 / 25.4 > 3.5


def test_verify_takes_the_new_code_and_the_old(tmp_path, sample, db_path) -> None:
    from models.store import Store
    from reports.handover import find_paper

    fingerprint = interchange.fingerprint(sample)
    with Store(db_path) as store:
        store.create(sample, kind="import")
        for scanned in (qr_payload(sample, fingerprint), f"ZIPING {fingerprint} 2023 吉首市科工信局"):
            found, matches = find_paper(store, scanned)
            assert found == fingerprint and [m.dept_name for m in matches] == ["吉首市科工信局"]


@pytest.mark.parametrize("length", [7, 20, 25, 34, 60, 300])
def test_the_footer_fits_any_name_and_prints_the_fingerprint_whole(sample, length) -> None:
    name = (LONG_NAME * 6)[:length]
    report = with_name(sample, name)
    fingerprint = interchange.fingerprint(report)
    font = FontSet().body.pdf_name
    room = FRAME_W - (QR_SIZE - QR_QUIET * QR_SIZE / 33) - 3 * mm
    footer = footer_lines(report, fingerprint, font, room)
    assert all(stringWidth(line, font, FOOTER_SIZE) <= room for line in footer)
    assert footer[-1].endswith(f"2023年度 绩效自评报告　数据指纹 {fingerprint}")
    assert len(footer) == (1 if length <= 20 else 2)
    assert footer[0].startswith(name[:20]) and (footer[0] == name or length <= 20 or footer[0].endswith("…"))


def test_on_paper_the_footer_stays_left_of_the_code(long_name_pdf) -> None:
    report, data = long_name_pdf
    fingerprint = interchange.fingerprint(report)
    code_left = 595.28 - MARGIN_RIGHT + QR_QUIET * QR_SIZE / 33 - QR_SIZE
    font = FontSet().body.pdf_name
    seen = 0
    for line in lines(data):
        if fingerprint in line.text:
            seen += 1
            assert line.text.endswith(f"数据指纹 {fingerprint}")
            if line.x < 300:  # upright pages
                assert line.x + stringWidth(line.text, font, FOOTER_SIZE) < code_left
    assert seen == len(PdfReader(io.BytesIO(data)).pages)


def test_the_cover_stays_one_page_for_a_name_of_sixty_characters(long_name_pdf) -> None:
    _, data = long_name_pdf
    reader = PdfReader(io.BytesIO(data))
    cover = reader.pages[0].extract_text()
    assert "报告时间" in cover and "2024年6月" in cover and f"{LONG_NAME[-6:]}评价组" in cover.replace("\n", "")
    assert "一、部门（单位）基本概况" in reader.pages[1].extract_text()


def test_printed_on_both_sides_the_binding_edge_alternates(sample) -> None:
    plain = render_pdf(sample, part="A")
    duplex = render_pdf(sample, part="A", options=PrintOptions(duplex=True))

    def left_edge(data: bytes, page: int) -> float:
        return min(line.x for line in lines(data) if line.page == page)

    assert round(left_edge(plain, 2), 1) == round(left_edge(plain, 3), 1) == round(MARGIN_LEFT, 1)
    assert round(left_edge(duplex, 3), 1) == round(MARGIN_LEFT, 1)  # odd: binding on the left
    assert round(left_edge(duplex, 2), 1) == round(MARGIN_RIGHT, 1)  # even: on the right
    assert len(PdfReader(io.BytesIO(duplex)).pages) == len(PdfReader(io.BytesIO(plain)).pages)


def test_the_file_says_what_it_is_whose_and_when_it_was_printed(sample, monkeypatch) -> None:
    meta = PdfReader(io.BytesIO(render_pdf(sample, part="B"))).metadata
    assert meta.title == "吉首市科工信局2023年度部门整体支出绩效评价报告"
    assert meta.author == "吉首市科工信局"
    assert meta.subject == f"数据指纹 {interchange.fingerprint(sample)}"
    assert meta.creation_date.year == 2000  # not printed: the same report, the same bytes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718000000")
    printed = PdfReader(io.BytesIO(render_pdf(sample, printed=True))).metadata
    assert printed.title == "吉首市科工信局2023年度部门整体支出绩效自评报告"
    assert printed.creation_date.astimezone(UTC) == datetime.fromtimestamp(1718000000, UTC)


def test_the_command_line_prints_on_both_sides_with_fixed_amounts(tmp_path, sample_path, capsys) -> None:
    from main import main

    out = tmp_path / "双面.pdf"
    assert main(["convert", str(sample_path), str(out), "--part", "A", "--duplex", "--amounts", "fixed"]) == 0
    data = out.read_bytes()
    text = "".join(line.text for line in lines(data))
    assert "5,374.34" in text and "0.40" in text
    assert round(min(line.x for line in lines(data) if line.page == 2), 1) == round(MARGIN_RIGHT, 1)
    assert main(["convert", str(sample_path), str(tmp_path / "a.xlsx"), "--duplex"]) == 2
    assert "双面打印和金额显示的设置只用于 PDF 打印稿；「a.xlsx」不是 PDF，请去掉 --duplex、--amounts。" in capsys.readouterr().err
