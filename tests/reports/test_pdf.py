"""The printed form, checked by reading the PDF back: text, fonts, pages, marks."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from models import form, interchange
from models.form import merge_runs
from models.grades import bands_text
from models.report import Report
from reports.fonts import FontSet, MissingGlyphs
from reports.pdf import footer_text, header_grid
from reports.printed import render_pdf
from tests.helpers import explain_errors

A4 = (595.28, 841.89)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(reader: PdfReader) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            desc = font.get("/FontDescriptor")
            if descendant:
                desc = descendant[0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            found[str(font["/BaseFont"])] = desc
    return found


@pytest.fixture(scope="module")
def sample_pdf() -> tuple[Report, bytes]:
    from tests.conftest import SAMPLE

    report = interchange.read(SAMPLE)
    return report, render_pdf(report, part="A")


def test_a4_pages_numbered_with_fingerprint(sample_pdf) -> None:
    report, data = sample_pdf
    reader = read(data)
    assert 5 <= len(reader.pages) <= 8
    fingerprint = interchange.fingerprint(report)
    for n, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        text = page.extract_text()
        assert f"第 {n} 页　共 {len(reader.pages)} 页" in text
        assert f"吉首市科工信局 2023年度 绩效自评报告　数据指纹 {fingerprint}" in text
    assert reader.metadata["/Subject"] == f"数据指纹 {fingerprint}"


def test_every_font_is_embedded_and_subset(sample_pdf) -> None:
    _, data = sample_pdf
    fonts = fonts_of(read(data))
    assert fonts, "no fonts found"
    for name, descriptor in fonts.items():
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    names = {n.split("+", 1)[1] for n in fonts}
    assert names == {"UMingCN", "WenQuanYiMicroHei"}


def test_cover_and_sections_in_order(sample_pdf) -> None:
    _, data = sample_pdf
    reader = read(data)
    cover = flat(reader.pages[0].extract_text())
    for line in [
        "吉首市科工信局2023年度部门整体支出", "绩效自评报告", "部门（单位）名称（盖章）：吉首市科工信局",
        "预算编码：004001", "评价方式：吉首市科工信局绩效自评", "评价机构：吉首市科工信局评价组",
        "报告时间：2024年6月",
    ]:
        assert line in cover
    body = flat(text_of(reader))
    order = [
        "一、部门（单位）基本概况", "联系人陶毅", "二、部门（单位）收支情况", "年度收入情况（万元）",
        "部门（单位）年度支出和结余情况（万元）", "三公经费（万元）", "固定资产（万元）",
        "三、部门（单位）整体支出绩效自评情况", "整体支出绩效定量目标及实施计划完成情况",
        "绩效自评综合得分及评价等次", "四、评价人员", "评价组组长签署意见", "部门（单位）意见",
        "财政部门归口业务股室意见",
    ]
    positions = [body.find(flat(s)) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_figures_print_as_stored_and_blank_stays_blank(sample_pdf) -> None:
    _, data = sample_pdf
    body = text_of(read(data))
    assert "5374.34" in body and "538.05" in body and "4991.63" in body
    three = body[body.index("三公经费（万元）"):body.index("固定资产（万元）")]
    cells = [line.strip() for line in three.splitlines()]
    row = cells[cells.index("1、局机关") + 1: cells.index("2、二级机构1")]
    assert row == ["0.4", "0.4", "0", "0", "0"]
    assert "0.00" not in body
    assert "2、二级机构1" in body and "3、二级机构2" in body
    # The 汇总 row's 上年结转 is blank: no zero printed between 收入合计 and 公共财政拨款.
    assert re.search(r"局机关及二级机构汇总\s*5374\.34\s*3091\.34", body)


def test_indicator_and_score_lines(sample_pdf) -> None:
    _, data = sample_pdf
    body = flat(text_of(read(data)))
    assert "公用经费控制率27.6万元20.48万元" in body
    assert "产出目标（部门工作实绩" in body
    assert "评分：96" in body and "等级：优" in body
    assert "备注：90（含）—100分为优；80（含）—90分为良；60（含）—80分为较差；60分以下为差。" in body
    for name in ("张峰", "龙子卫", "田再义", "尚玉屏"):
        assert name in body
    assert "评价组组长（签字）：" in body
    assert "财政部门归口业务股室（盖章）：" in body


def test_draft_mark_while_errors_are_unexplained(sample_pdf) -> None:
    report, data = sample_pdf
    reader = read(data)
    assert all("草稿 — 审核未通过" in p.extract_text() for p in reader.pages)
    clean = read(render_pdf(explain_errors(report.copy())))
    assert all("草稿" not in p.extract_text() for p in clean.pages)


def test_output_is_deterministic(sample_pdf) -> None:
    report, data = sample_pdf
    assert render_pdf(report, part="A") == data
    assert render_pdf(report) == render_pdf(report)


def stress_report() -> Report:
    r = Report()
    r.set_text("cover.dept_name", "鄢陵县测试局〔2023〕")
    r.set_text("cover.year", "2023")
    r.set_text("basics.contact", "鄢凤仙")
    r.set_text("basics.phone", "0743-8520526")
    sentence = "负责全市工业和信息化的日常运行调节，拟订发展规划①并组织实施，面积1200㎡。"
    r.set_text("basics.duties", "\n".join([sentence * 40] * 14))  # about 21,000 characters
    for i in range(20):
        r.add_institution(f"二级机构第{i + 1}号服务中心")
        r.set_text(f"income.{i + 1}.public_budget", f"{i + 1}.05")
    r.insert_row("qualitative")
    r.set_text("qualitative.0.actual", "实际完成的情况说明，" * 2000)
    for i in range(60):
        r.insert_row("indicators")
        level1 = "产出目标" if i < 30 else ("效益目标" if i < 55 else "满意度")
        r.set_text(f"indicators.{i}.level1", level1)
        r.set_text(f"indicators.{i}.level2", "数量、质量、时效、成本指标" if i < 30 else "社会、经济、生态效益")
        r.set_text(f"indicators.{i}.name", f"指标{i + 1}")
        r.set_text(f"indicators.{i}.target", f"目标{i + 1}")
        r.set_text(f"indicators.{i}.actual", "完成" * (i * 5 + 1))
    return r


@pytest.fixture(scope="module")
def stress_pdf() -> tuple[Report, bytes]:
    report = stress_report()
    return report, render_pdf(report, part="A")


def body_text(report: Report, reader: PdfReader, *furniture: str) -> str:
    """The pages' text joined without what every page repeats (mark, footer, labels)."""
    footer = flat(footer_text(report, interchange.fingerprint(report)))
    out = []
    for page in reader.pages:
        text = flat(page.extract_text())
        text = re.sub(r"^(草稿—审核未通过)+", "", text)
        text = re.sub(re.escape(footer) + r"第\d+页共\d+页$", "", text)
        for f in furniture:
            text = text.replace(flat(f), "")
        out.append(text)
    return "".join(out)


def test_long_texts_flow_across_pages_without_loss(stress_pdf) -> None:
    report, data = stress_pdf
    reader = read(data)
    duties = flat(report.data["basics"]["duties"])
    assert len(duties) > 20_000
    body = body_text(report, reader, "职能职责概述（续）", "职能职责概述")
    assert duties in body, "the 20,000-character text must come through whole, in order"
    actual = flat(report.data["qualitative"][0]["actual"])
    body = body_text(report, reader, "整体支出绩效定性目标及实施计划完成情况（续）", "预期目标实际完成")
    assert actual in body
    everything = flat(text_of(reader))
    assert "职能职责概述（续）" in everything
    assert "整体支出绩效定性目标及实施计划完成情况（续）" in everything
    assert len(reader.pages) > 15


def test_many_institutions_and_indicators(stress_pdf) -> None:
    report, data = stress_pdf
    body = flat(text_of(read(data)))
    for i in range(20):
        assert f"{i + 2}、二级机构第{i + 1}号服务中心" in body
    assert "二级机构1" not in body.replace("二级机构第1", "")
    for i in range(60):
        assert f"指标{i + 1}目标{i + 1}" in body
    # The summary row adds the twenty public_budget figures: 1.05 + … + 20.05.
    total = sum((Decimal(f"{i + 1}.05") for i in range(20)), Decimal(0))
    assert flat(f"局机关及二级机构汇总{total}") in body


def test_rare_characters_are_drawn(stress_pdf) -> None:
    _, data = stress_pdf
    body = text_of(read(data))
    for ch in "鄢〔〕㎡①":
        assert ch in body


def test_character_no_font_has_is_reported_before_printing() -> None:
    r = stress_report()
    r.set_text("basics.contact", "张\U0001f600三")
    with pytest.raises(MissingGlyphs) as caught:
        render_pdf(r)
    assert str(caught.value) == (
        "以下文字在打印字体中没有字形，打印出来会缺字：「\U0001f600」（一、基本概况·联系人）。"
        "请把这些字改为常用写法，或在设置中选择其他字体后再打印。"
    )


def test_header_grid_follows_the_groups_of_the_form() -> None:
    grid, spans = header_grid(form.EXPENDITURE)
    assert grid == [
        ["机构名称", "支出合计", "其中：", "", "", "", "结余", ""],
        ["", "", "基本支出", "其中：", "", "项目支出", "当年结余", "累计结余"],
        ["", "", "", "人员支出", "公用支出", "", "", ""],
    ]
    assert ((2, 0), (5, 0)) in spans and ((2, 1), (2, 2)) in spans and ((1, 0), (1, 2)) in spans
    grid, _ = header_grid(form.INCOME)
    assert grid[0][:3] == ["机构名称", "收入合计", "其中："]
    assert grid[1][2:] == ["上年结转", "公共财政拨款", "政府基金拨款", "纳入专户管理的非税收入拨款", "其他收入"]


def test_merge_runs() -> None:
    assert merge_runs(["a", "a", "b", None, None, "b"]) == [(0, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


def test_bands_are_data() -> None:
    r = Report()
    r.data["score"]["bands"] = [[Decimal("90"), "优"], [Decimal("80"), "良"], [Decimal("60"), "中"], [Decimal("0"), "差"]]
    assert bands_text(r.data["score"]["bands"]) == "90（含）—100分为优；80（含）—90分为良；60（含）—80分为中；60分以下为差。"


def test_blank_report_prints(tmp_path) -> None:
    reader = read(render_pdf(Report(), fonts=FontSet()))
    assert len(reader.pages) >= 4
    body = text_of(reader)
    assert "0.00" not in body


def test_markup_characters_print_as_text() -> None:
    r = Report()
    r.set_text("cover.dept_name", "A&B<局>")
    r.set_text("basics.duties", "<b>不是粗体</b> & 1 < 2")
    body = text_of(read(render_pdf(r)))
    assert "A&B<局>" in body
    assert "<b>不是粗体</b> & 1 < 2" in body


def test_faces_can_be_swapped() -> None:
    from reports.fonts import SHIPPED_HEI, SHIPPED_SONG

    r = Report()
    r.set_text("cover.dept_name", "吉首市科工信局")
    reader = read(render_pdf(r, fonts=FontSet(body=SHIPPED_HEI, heading=SHIPPED_SONG)))
    assert "吉首市科工信局" in text_of(reader)


def test_convert_and_export_write_the_same_pdf(tmp_path, sample_path, db_path, capsys, monkeypatch) -> None:
    from main import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718000000")  # both printed at the same moment
    assert main(["convert", str(sample_path), str(tmp_path / "a.pdf")]) == 0
    assert main(["import", str(sample_path), "--db", str(db_path)]) == 0
    assert main(["export", "1", str(tmp_path / "b.pdf"), "--db", str(db_path)]) == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert main(["convert", str(tmp_path / "a.pdf"), str(tmp_path / "c.json")]) == 2
    assert "错误：无法读取「a.pdf」：不支持扩展名「.pdf」。可读取的格式：.json" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs zbar-tools and poppler-utils (installed by .ci/run)")
def test_qr_code_on_the_page_reads_back_as_the_fingerprint(sample_pdf, tmp_path) -> None:
    report, data = sample_pdf
    (tmp_path / "p.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "2", "-l", "2", str(tmp_path / "p.pdf"),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    done = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == f"ZIPING {interchange.fingerprint(report).upper()} 2023"



# -- what a re-render reuses ------------------------------------------------------------------


def _first_render(report: Report, tmp_path) -> bytes:
    """The PDF a new process makes of ``report``: nothing kept from any earlier render."""
    import sys

    from tests.conftest import ROOT

    source, out = tmp_path / "first.json", tmp_path / "first.pdf"
    source.write_text(interchange.dumps(report), encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "main.py"), "convert", str(source), str(out)],
                   check=True, capture_output=True)
    return out.read_bytes()


def test_a_re_render_after_edits_is_the_same_pdf_as_a_first_render(sample, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # both dated alike, as printed
    render_pdf(sample, printed=True)
    edits = [
        ("basics.phone", "0743-1234567"),  # a footer's fingerprint, one cell: every subset kept
        ("basics.duties", "负责全市工业和信息化的日常运行调节。" * 60),  # the pages after it move
        ("income.0.other", "1.23"),  # the money tables and the findings (draft mark)
        ("indicators.2.actual", "完成情况：鄢〔2023〕①号文件所列全部任务。"),  # characters in other subsets
    ]
    for path, text in edits:
        sample.set_text(path, text)
        again = render_pdf(sample, printed=True)
        assert again == _first_render(sample, tmp_path), path


@given(st.text(min_size=0, max_size=150))
@example("\n")
@settings(max_examples=60, deadline=None)
def test_the_qr_code_is_the_one_the_encoder_chooses(text: str) -> None:
    from reports.pdf import _qr_encoder, qr_matrix

    encoder = _qr_encoder()
    code = encoder.QRCode(None, encoder.QRErrorCorrectLevel.Q)
    code.addData(text)
    try:
        code.make()
    except ValueError:  # the encoder refuses some texts (a line break): ours refuses them too
        with pytest.raises(ValueError):
            qr_matrix.__wrapped__(text)
        return
    assert qr_matrix.__wrapped__(text) == tuple(tuple(bool(m) for m in row) for row in code.modules)
