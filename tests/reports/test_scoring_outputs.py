"""附件2 the 自评表 on paper, in Word and in the workbook — and a 指标体系 file that changes them all."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from models import framework as fw
from models import scoring
from reports import workbook
from reports.docx_report import render_docx
from reports.printed import render_pdf
from reports.workbook.layout import SHEET_SCORING


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    """Text without spaces and the draft mark (the sample has unexplained errors)."""
    return re.sub(r"\s+", "", text).replace("草稿—审核未通过", "")


@pytest.fixture
def renamed(tmp_path: Path):
    """Hunan's framework as a county changed it: 成本指标 renamed, 产出 45 and 满意度 15 points."""
    raw = json.loads((fw.SHIPPED / "hunan.json").read_text(encoding="utf-8"))
    raw["level1"][1]["weight"] = "45"
    raw["level1"][3]["weight"] = "15"
    raw["level1"][1]["level2"][3]["name"] = "成本控制指标"
    (tmp_path / "hunan.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    fw.use_directories([tmp_path])
    yield
    fw.use_directories(None)


def test_the_pdf_prints_the_tree_landscape_after_part_b_with_merged_cells(sample) -> None:
    pages = _pages(render_pdf(sample, part="S"))
    reader_sizes = {tuple(round(float(x)) for x in p.mediabox[2:]) for p in PdfReader(io.BytesIO(render_pdf(sample, part="S"))).pages}
    assert reader_sizes == {(842, 595)}  # A4 landscape
    first = _flat(pages[0])
    assert first.startswith("附件2吉首市科工信局2023年度市级预算部门整体支出绩效自评表")
    everything = _flat("".join(pages))
    tree = scoring.tree(sample)
    assert tree is not None
    for leaf in tree.leaves:  # every 三级 row
        assert _flat(leaf.name)[:8] in everything, leaf.name
    for page in pages:  # the header repeats on every page, the footer too
        assert "三级指标" in page and "指标解释/评分标准" in page and "数据指纹" in page
    # merged: 产出 and 数量指标 print once over their rows (again only as （续） on a later page)
    assert first.count("产出") == 1 and first.count("数量指标") == 1
    assert first.count("新增规模企业") == 1 and first.count("培育高新技术企业") == 1
    later = _flat("".join(pages[1:]))
    assert "（续）" in later
    assert "合计10096" in everything


def test_the_whole_pdf_puts_the_attachment_after_part_b(sample) -> None:
    pages = _pages(render_pdf(sample))
    starts = [i for i, p in enumerate(pages) if _flat(p).startswith("附件2")]
    assert len(starts) == 1
    assert any("十一、其他需要说明的问题" in _flat(p) for p in pages[: starts[0]])


def test_word_has_the_attachment_with_merged_level_cells(sample) -> None:
    doc = Document(io.BytesIO(render_docx(sample)))
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells][:4] == ["一级指标", "分值", "自评得分", "二级指标"]
    xml = table._tbl.xml
    assert xml.count('w:vMerge w:val="restart"') >= 4 * 3  # 一级 runs, three columns each
    texts = [row.cells[6].text for row in table.rows]
    tree = scoring.tree(sample)
    assert tree is not None
    assert [leaf.name for leaf in tree.leaves] == [t for t in texts if t and t != "三级指标"]
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    only = Document(io.BytesIO(render_docx(sample, part="S")))
    assert len(only.tables) == 1


def test_the_workbook_sheet_has_live_sums_and_reads_back(tmp_path, sample) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(workbook.render_workbook(sample))
    ws = openpyxl.load_workbook(path)[SHEET_SCORING]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("SUM(L" in f for f in formulas) and any("'绩效自评'!" in f for f in formulas)
    assert workbook.read_workbook(path) == sample
    # a score corrected in the spreadsheet comes back, and is named
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_SCORING]
    cell = next(row[11] for row in ws.iter_rows() if row[6].value == "预算执行率")
    cell.value = 10
    wb.save(path)
    placement = workbook.place_workbook(path)
    assert placement.report.data["scoring"]["items"][0]["score"] == Decimal(10)
    assert [str(n) for n in placement.notes] == [f"{SHEET_SCORING}!{cell.coordinate}：已在表格软件中改动：8 → 10"]


def test_a_framework_file_changes_the_pdf_and_the_workbook_without_code(renamed, tmp_path, sample) -> None:
    everything = _flat("".join(_pages(render_pdf(sample, part="S"))))
    assert "成本控制指标" in everything and "成本指标" not in everything.replace("成本控制指标", "")
    assert "产出4549" in everything  # the new 分值 beside the score
    path = tmp_path / "r.xlsx"
    path.write_bytes(workbook.render_workbook(sample))
    ws = openpyxl.load_workbook(path)[SHEET_SCORING]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "成本控制指标" in values and "成本指标" not in values
    row = next(r for r in ws.iter_rows() if r[0].value == "产出")
    assert row[1].value == 45
    # and the rules speak of the new 分值: the rows were weighted for 50
    from models.rules import check

    assert "自评表「产出」：三级指标分值合计 50，而一级指标分值为 45，相差 5 分。" in [f.message for f in check(sample)]
