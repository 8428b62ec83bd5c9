"""The 评价报告 (Part B) as a Word file the clerk can go on editing in WPS or Word.

A real document, not a picture of one: the headings are the built-in styles
标题 1 / 标题 2 / 标题 3 (so the navigation pane and a table of contents see them),
body text is the 正文 style with a two-character first-line indent, the three
tables are Word tables, and the footer's page numbers are PAGE / NUMPAGES
fields. A4 with GB/T 9704's margins; Chinese faces are set on the east-Asian
font attribute, so Word picks 仿宋_GB2312 / 黑体 / 楷体_GB2312 where the PC has
them and substitutes otherwise. The headings and their order come from
:data:`models.form.PART_B`, the rows from :mod:`reports.part_b`, as for the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from models import PROGRAM, form, interchange
from models.document import NOT_XML
from models.errors import InputError
from models.paper import PAPER
from models.report import Report
from reports import part_b

#: Faces by role, as Word names them; Word substitutes where a PC lacks one.
FACE_BODY = "仿宋_GB2312"
FACE_HEADING = "黑体"
FACE_KAI = "楷体_GB2312"
FACE_TITLE = "方正小标宋简体"
FACE_LATIN = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28.9)  # 22 lines in 225 mm
TABLE_STYLE = "表格文字"
NORMAL = "Normal"



def clean(text: str | None) -> str:
    return NOT_XML.sub("", text or "")


def _fonts(style: Any, east_asia: str, size: Pt, bold: bool = False) -> None:
    font = style.font
    font.name = FACE_LATIN
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:  # pragma: no cover - font.name has made it
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _indent_chars(paragraph_format: Any, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), as Word's 首行缩进 2 字符."""
    ppr = paragraph_format.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(BODY_SIZE.pt * chars * 20)))


def _paragraph_style(style: Any, *, indent: int = 2, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
                     exact: Pt | None = LINE) -> None:
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.alignment = align
    if exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = exact
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if indent:
        _indent_chars(pf, indent)
    else:
        pf.first_line_indent = Pt(0)


def _styles(doc: Any) -> None:
    styles = doc.styles
    normal = styles[NORMAL]
    _fonts(normal, FACE_BODY, BODY_SIZE)
    _paragraph_style(normal)
    for name, face, level_indent in (("Heading 1", FACE_HEADING, 2), ("Heading 2", FACE_KAI, 2),
                                     ("Heading 3", FACE_KAI, 2)):
        style = styles[name]
        _fonts(style, face, BODY_SIZE)
        _paragraph_style(style, indent=level_indent)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _fonts(title, FACE_TITLE, TITLE_SIZE)
    _paragraph_style(title, indent=0, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None)
    title.paragraph_format.space_after = LINE
    # The built-in Title draws a rule under itself; a report's title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    cell = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.quick_style = True
    _fonts(cell, FACE_BODY, TABLE_SIZE)
    _paragraph_style(cell, indent=0, align=WD_ALIGN_PARAGRAPH.LEFT, exact=None)


#: (width, height, top, bottom, left, right) in mm: GB/T 9704's page; 附件2's landscape page.
UPRIGHT = (210, 297, 37, 35, 28, 26)
LANDSCAPE = (297, 210, 22, 26, 28, 20)


def _lay_out(section: Any, landscape: bool) -> None:
    width, height, top, bottom, left, right = (Mm(x) for x in (LANDSCAPE if landscape else UPRIGHT))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right


def _page(doc: Any) -> None:
    _lay_out(doc.sections[0], landscape=False)
    doc.sections[0].footer_distance = Mm(18)


def _field(paragraph: Any, instruction: str) -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice compute when they lay out pages."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run("1")  # shown until the reader computes the field
    char("end")


def _footer(doc: Any, report: Report) -> None:
    footer = doc.sections[0].footer
    line = footer.paragraphs[0]
    line.style = doc.styles[TABLE_STYLE]
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run("第 ")
    _field(line, "PAGE")
    line.add_run(" 页　共 ")
    _field(line, "NUMPAGES")
    line.add_run(" 页")
    note = footer.add_paragraph(style=doc.styles[TABLE_STYLE])
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = note.add_run(clean(f"{report.dept_name} {report.year or ''}年度 {form.NARRATIVE.tab}　导出时的数据指纹 "
                             f"{interchange.fingerprint(report)}"))
    run.font.size = Pt(9)


def _cell(cell: Any, text: str, style_id: str, *, align: Any = WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id  # by id: a lookup by name walks every style, per cell
    paragraph.alignment = align
    run = paragraph.add_run(clean(text))
    if bold:
        run.bold = True


def _table(doc: Any, header: list[str], rows: list[list[str]], widths_mm: list[float],
           right: tuple[int, ...] = (), center: tuple[int, ...] = (), size: Pt | None = None) -> list[list[Any]]:
    """A Word table with a repeating header row; returns its cells, row by row."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    style_id = doc.styles[TABLE_STYLE].style_id
    grid = [row.cells for row in table.rows]
    for c, text in enumerate(header):
        _cell(grid[0][c], text, style_id, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    # The header repeats on every page the table runs onto.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    head = OxmlElement("w:tblHeader")
    head.set(qn("w:val"), "true")
    trpr.append(head)
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row):
            align = (WD_ALIGN_PARAGRAPH.RIGHT if c in right else
                     WD_ALIGN_PARAGRAPH.CENTER if c in center else WD_ALIGN_PARAGRAPH.LEFT)
            _cell(grid[r][c], text, style_id, align=align)
    table.autofit = False
    for c, width in enumerate(widths_mm):
        table.columns[c].width = Mm(width)  # the grid LibreOffice and WPS lay out by
        for cells in grid:
            cells[c].width = Mm(width)
    if size is not None:
        for cells in grid:
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = size
    doc.add_paragraph(style=TABLE_STYLE)
    return grid


def _merge_down(grid: list[list[Any]], first: int, last: int, column: int) -> None:
    """Rows ``first``..``last`` of a column as one cell (w:vMerge), its text in the first."""
    for r in range(first, last + 1):
        merge = OxmlElement("w:vMerge")
        if r == first:
            merge.set(qn("w:val"), "restart")
        grid[r][column]._tc.get_or_add_tcPr().append(merge)


def _merge_across(grid: list[list[Any]], row: int, first: int, last: int) -> None:
    """Columns ``first``..``last`` of a row as one cell (w:gridSpan)."""
    tr = grid[row][first]._tc.getparent()
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(last - first + 1))
    grid[row][first]._tc.get_or_add_tcPr().append(span)
    for c in range(first + 1, last + 1):
        tr.remove(grid[row][c]._tc)


def _basic_items(doc: Any, report: Report) -> None:
    if not report.data["narrative"]["basic_items"]:
        return
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    for group, items, subtotal in part_b.basic_groups(report):
        first = len(rows) + 1
        for i, item in enumerate(items):
            rows.append([group if i == 0 else "", item["name"] or "", part_b.money(item["amount"])])
        rows.append(["", part_b.subtotal_label(group), part_b.money(subtotal)])
        spans.append((first, len(rows)))
    rows.append([PAPER.total_row, "", part_b.money(report.basic_total())])
    grid = _table(doc, part_b.basic_header(), rows, [34, 82, 40], right=(2,))
    for first, last in spans:
        _merge_down(grid, first, last, 0)
    _merge_across(grid, len(rows), 0, 1)


def _projects(doc: Any, report: Report) -> None:
    projects = report.data["narrative"]["projects"]
    if not projects:
        return
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    for n, project in enumerate(projects, 1):
        first = len(rows) + 1
        uses = project["uses"] or [{"name": None, "amount": None}]
        for i, use in enumerate(uses):
            lead = [str(n), project["name"] or "", part_b.money(project["amount"])] if i == 0 else ["", "", ""]
            rows.append([*lead, use["name"] or "", part_b.money(use["amount"])])
        spans.append((first, len(rows)))
    rows.append(["", PAPER.total_row, part_b.money(report.projects_total()), "", ""])
    grid = _table(doc, part_b.projects_header(), rows, [12, 56, 27, 34, 27], right=(2, 4), center=(0,))
    # A project over several uses reads as one cell: merged down its rows.
    for first, last in spans:
        if last > first:
            for c in range(3):
                _merge_down(grid, first, last, c)


def _scores(doc: Any, report: Report) -> None:
    from models.scoring import level1_items

    if level1_items(report):
        _table(doc, part_b.score_header(), part_b.score_rows(report), [39, 39, 39, 39], center=(0, 1, 2, 3))


TABLES = {"basic_items": _basic_items, "projects": _projects, "score_items": _scores}


def _section(doc: Any, landscape: bool) -> None:
    """A new section on a new page, upright or (for 附件2) landscape; the footer carries on."""
    from docx.enum.section import WD_SECTION

    _lay_out(doc.add_section(WD_SECTION.NEW_PAGE), landscape)


def _scoring(doc: Any, report: Report, new_section: bool) -> None:
    """附件2 the 自评表: the 指标体系's headings, 一级/二级 cells merged down their rows."""
    from models import scoring
    from reports.pdf_scoring import LEVEL1_COLS, LEVEL2_COLS, cells

    scored = scoring.tree(report)
    if new_section:
        _section(doc, landscape=True)
    else:
        _lay_out(doc.sections[0], landscape=True)
    if scored is None:
        name = report.data["scoring"]["framework"]
        doc.add_paragraph(clean(f"自评表所用的指标体系「{name}」在本程序中找不到，无法生成自评表。"))
        return
    frame = scored.framework
    doc.add_paragraph(clean(frame.attachment), style="Heading 3")
    year = f"{report.year}年度" if report.year else ""
    title = doc.add_paragraph(clean(f"{report.dept_name}{year}{frame.title}"), style="Heading 1")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = scoring.printed_rows(scored)
    body = [cells(report, scored, row) for row in rows]
    body.append([frame.columns["total"], part_b.money(scored.weight), part_b.money(scored.score)]
                + [""] * (len(PAPER.scoring_columns) - 3))
    grid = _table(doc, [frame.columns[k] for k in PAPER.scoring_columns], body,
                  [17, 10, 10, 21, 10, 10, 28, 10, 44, 20, 20, 11, 32], center=(1, 2, 4, 5, 7, 11),
                  size=Pt(9))
    for level, cols in ((1, LEVEL1_COLS), (2, LEVEL2_COLS)):
        for a, b in scoring.runs(rows, level):
            if b > a:
                for c in cols:
                    for r in range(a + 2, b + 2):  # the text once, in the run's first row
                        grid[r][c].paragraphs[0].clear()
                    _merge_down(grid, a + 1, b + 1, c)
    _merge_across(grid, len(body), 3, len(PAPER.scoring_columns) - 1)


def _explanations(doc: Any, report: Report, after_scoring: bool = False) -> None:
    findings = part_b.explained(report)
    if not findings:
        return
    if after_scoring:
        _section(doc, landscape=False)
    else:
        doc.add_page_break()
    doc.add_paragraph(PAPER.explanations_title, style="Title")
    doc.add_paragraph(clean(part_b.explanation_intro(len(findings))))
    _table(doc, part_b.explanation_header(), part_b.explanation_rows(report, findings), [12, 34, 64, 46],
           center=(0,))


def render_docx(report: Report, part: str = "all") -> bytes:
    """The 评价报告, its 附件2 the 自评表 (and the 审核情况说明) as the bytes of a .docx file;
    ``part`` "B" or "S" gives one of them."""
    if part == "A":
        raise InputError("Word 文件只含评价报告（B 部分）和附件2 自评表（S 部分）；自评报告表请导出 PDF（--part A）或 Excel 工作簿。")
    doc = Document()
    _styles(doc)
    _page(doc)
    _footer(doc, report)
    props = doc.core_properties
    props.title = clean(f"{report.dept_name}{report.year or ''}年度{form.PART_B_TITLE}")
    props.author = clean(report.dept_name)
    props.subject = f"数据指纹 {interchange.fingerprint(report)}"
    props.comments = f"由{PROGRAM}程序生成"
    if part in ("all", "B"):
        doc.add_paragraph(form.PART_B_TITLE, style="Title")
        levels = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
        for _above, heading in form.part_b_headings():
            doc.add_paragraph(heading.text, style=levels[heading.level])
            for kind, value in part_b.blocks(report, heading):
                if kind == "text":
                    doc.add_paragraph(clean(value))
                else:
                    TABLES[value](doc, report)
    if part in ("all", "S"):
        _scoring(doc, report, new_section=part == "all")
    _explanations(doc, report, after_scoring=part in ("all", "S"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
