"""The 评价报告 (Part B) on paper and in Word, read back: headings, tables, generated figures."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.dom import minidom

import docx
import pytest
from pypdf import PdfReader

from main import main
from models import form, interchange
from models.narrative import GENERATORS
from models.report import Report
from reports.docx_report import render_docx
from reports.printed import render_pdf
from tests.helpers import explain_errors

HEADINGS = [h.text for _above, h in form.part_b_headings()]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def generated(sample: Report) -> Report:
    """The sample with every paragraph the figures can write written from them."""
    r = sample.copy()
    for key, generator in GENERATORS.items():
        r.data["narrative"]["sections"][key] = generator.write(r)
    return r


@pytest.fixture(scope="module")
def report() -> Report:
    from tests.conftest import SAMPLE

    return generated(interchange.read(SAMPLE))


@pytest.fixture(scope="module")
def whole_pdf(report) -> str:
    data = render_pdf(report)
    return flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture(scope="module")
def word(report) -> bytes:
    return render_docx(report)


def test_part_b_follows_part_a_with_every_heading_in_order(whole_pdf) -> None:
    a_end = whole_pdf.index("财政部门归口业务股室意见")
    positions = [whole_pdf.find(flat(h), a_end) for h in [form.PART_B_TITLE, *HEADINGS]]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions[1:], strict=True) if p == -1]
    assert positions == sorted(positions)


def test_the_pdf_holds_the_tables_and_the_generated_figures(whole_pdf) -> None:
    for text in [
        # 基本支出明细 with its subtotals: 362.03 beside the table's 362.23, as the seed has it.
        "类别经济分类科目金额（万元）", "人员经费小计362.03", "公用经费小计20.48", "合计382.51",
        # 项目支出明细: each project with its uses, and the total of those listed.
        "2022年科三费253.11办公费2.35", "合计4854.63",
        # 一级指标得分
        "一级指标指标分值自评得分得分率", "投入10880%", "产出504998%", "合计1009696%",
        # the generated paragraphs
        "截至2023年12月31日，吉首市科工信局人员编制23人，实有人数22人。",
        "一共36个专项", "2023年度政府基金拨款1744.35万元。",
        "综合得分为96分，本单位绩效自评结果等次为“优”，其中：投入8分，产出49分，效益30分，满意度9分。",
        "公用经费控制率：2023年本单位预算安排公用经费27.6万元，实际支出公用经费20.48万元，公用经费控制率为74.2%。",
        "固定资产利用率：本单位所有固定资产总额73.22万元",
    ]:
        assert flat(text) in whole_pdf, text
    # The score table stands after the sentence that announces it, before what follows it.
    assert whole_pdf.index("详见下表：") < whole_pdf.index("一级指标指标分值") < whole_pdf.index("（二）部门整体支出绩效目标实现情况")


def test_a_table_goes_where_the_text_announces_it(sample) -> None:
    from reports.part_b import blocks

    heading = next(h for _a, h in form.part_b_headings() if "score_items" in h.content)
    order = [value if kind == "table" else value[:6] for kind, value in blocks(sample, heading)]
    assert order == ["吉首市科工信", "score_items", "备注：详细评"]


def test_part_b_alone_and_part_a_alone(report) -> None:
    b = PdfReader(io.BytesIO(render_pdf(report, part="B")))
    first = flat(b.pages[0].extract_text())
    assert first.startswith(flat(form.PART_B_TITLE)) or flat(form.PART_B_TITLE) in first[:40]
    fingerprint = interchange.fingerprint(report)
    for n, page in enumerate(b.pages, 1):
        text = page.extract_text()
        assert f"第 {n} 页　共 {len(b.pages)} 页" in text
        assert f"数据指纹 {fingerprint}" in text
    a = PdfReader(io.BytesIO(render_pdf(report, part="A")))
    text = flat("".join(p.extract_text() for p in a.pages))
    assert flat(form.PART_B_TITLE) not in text and "四、评价人员" in text
    fonts = set()
    for page in b.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[1])
    assert "UKaiCN" in " ".join(fonts), fonts  # the 楷体 of the （一） headings


def test_explained_findings_end_the_paper_with_a_page_of_their_own(sample) -> None:
    r = explain_errors(sample.copy(), "原表如此，已向财政局说明。")
    r.explain("text.count", ("narrative.projects", "narrative.sections.project_spending_text"), "6个专项年中取消。")
    reader = PdfReader(io.BytesIO(render_pdf(r)))
    last = flat(reader.pages[-1].extract_text() + reader.pages[-2].extract_text())
    assert "审核情况说明" in last
    assert "以下4项审核发现已由填报单位作出说明" in last
    assert flat("年度收入情况「1、局机关」行·收入合计") in last
    assert flat("收入合计填报 5374.34，而 公共财政拨款 3091.34") in last
    assert "原表如此，已向财政局说明。" in last
    assert flat("评价报告「二（二）项目支出情况」") in last and "6个专项年中取消。" in last
    assert "草稿" not in flat(reader.pages[0].extract_text())
    # Without explanations, no such page.
    assert "审核情况说明" not in flat(render_pdf_text(sample))


def render_pdf_text(report: Report) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(report, part="B")))
    return reader.pages[-1].extract_text()


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------


def test_word_file_has_real_heading_styles_and_indented_body(word) -> None:
    d = docx.Document(io.BytesIO(word))
    by_style = {}
    for p in d.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"][0] == form.PART_B_TITLE
    levels = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
    for _above, h in form.part_b_headings():
        assert h.text in by_style[levels[h.level]], h.text
    body = d.styles["Normal"]
    ind = body.element.pPr.find(docx.oxml.ns.qn("w:ind"))
    assert ind.get(docx.oxml.ns.qn("w:firstLineChars")) == "200"
    assert body.font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.9, abs=0.05)
    fonts = body.element.rPr.find(docx.oxml.ns.qn("w:rFonts"))
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋_GB2312"
    heading = d.styles["Heading 1"].element.rPr.find(docx.oxml.ns.qn("w:rFonts"))
    assert heading.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    text = "".join(by_style["Normal"])
    assert "截至2023年12月31日，吉首市科工信局人员编制23人，实有人数22人。" in text
    assert "投入8分，产出49分，效益30分，满意度9分" in text


def test_word_tables_and_page_number_fields(word) -> None:
    d = docx.Document(io.BytesIO(word))
    basic, projects, scores, _attachment = d.tables  # 附件2 the 自评表 follows Part B
    assert [c.text for c in basic.rows[0].cells] == ["类别", "经济分类科目", "金额（万元）"]
    assert basic.cell(1, 0).text == "人员经费" and basic.cell(1, 1).text == "基本工资"
    assert [c.text for c in basic.rows[-1].cells][-1] == "382.51"
    names = [row.cells[1].text for row in projects.rows]
    assert "2022年科三费" in names and names[-1] == "合计"
    assert [c.text for c in scores.rows[-1].cells] == ["合计", "100", "96", "96%"]
    footer = d.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "fldChar" in footer


def test_word_parts_are_well_formed_xml_without_invalid_characters(sample) -> None:
    r = generated(sample)
    r.data["narrative"]["sections"]["other_matters"] = "无\x0b\x01其他"
    data = render_docx(r)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= set(names)
        for name in names:
            if name.endswith((".xml", ".rels")):
                minidom.parseString(z.read(name))  # raises on malformed XML
        assert "无其他" in z.read("word/document.xml").decode("utf-8")
    d = docx.Document(io.BytesIO(data))
    assert any(p.text == "无其他" for p in d.paragraphs)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_word_file(word, tmp_path: Path) -> None:
    src = tmp_path / "评价报告.docx"
    src.write_bytes(word)
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    pdf = tmp_path / "评价报告.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    body = flat(text)
    for heading in [form.PART_B_TITLE, *HEADINGS]:
        assert flat(heading) in body, heading
    pages = re.findall(r"第 (\d+) 页 共 (\d+) 页", text)
    assert pages and pages[0] == ("1", pages[0][1]) and int(pages[0][1]) > 10


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def test_convert_writes_word_and_a_part_of_the_pdf(sample_path, tmp_path, capsys) -> None:
    out = tmp_path / "评价报告.docx"
    assert main(["convert", str(sample_path), str(out)]) == 0
    assert docx.Document(str(out)).paragraphs[0].text == form.PART_B_TITLE
    pdf = tmp_path / "b.pdf"
    assert main(["convert", str(sample_path), str(pdf), "--part", "B"]) == 0
    first = PdfReader(str(pdf)).pages[0].extract_text()
    assert form.PART_B_TITLE in first
    capsys.readouterr()
    assert main(["convert", str(sample_path), str(tmp_path / "a.docx"), "--part", "A"]) == 2
    assert capsys.readouterr().err == (
        "错误：Word 文件只含评价报告（B 部分）和附件2 自评表（S 部分）；自评报告表请导出 PDF（--part A）或 Excel 工作簿。\n"
    )
    assert main(["convert", str(sample_path), str(tmp_path / "x.xlsx"), "--part", "B"]) == 2
    assert capsys.readouterr().err == (
        "错误：只有 PDF 和 Word 文件可以只含一部分；「x.xlsx」总是含整份报告，请去掉 --part。\n"
    )
