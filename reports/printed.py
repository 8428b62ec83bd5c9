"""The whole printed report in one PDF: the form (:mod:`reports.pdf`), the 评价报告
(:mod:`reports.pdf_narrative`), its 附件2 the 自评表 (:mod:`reports.pdf_scoring`) and the
审核情况说明, on pages that carry one footer (page numbers, the fingerprint, its QR
code) and, while errors are unexplained, the 草稿 mark.

The parts import the form's building blocks from :mod:`reports.pdf`; this module
puts them together, so the arrows run one way: parts → pdf, printed → all.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak, PageTemplate

from models import PROGRAM, form, interchange
from models.paper import PAPER
from models.report import Report
from models.rules import blocking, check
from reports import pdf_narrative as part_b
from reports import pdf_scoring
from reports.fonts import FontSet, MissingGlyphs, load, missing
from reports.pdf import (
    DRAFT_MARK,
    FOOTER_SIZE,
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    NUMBER_Y,
    PAGE_H,
    QR_QUIET,
    QR_SIZE,
    QR_Y,
    RULE_Y,
    SECOND_Y,
    TEXT_Y,
    BindingFrame,
    PrintOptions,
    Styles,
    check_glyphs,
    draw_qr,
    footer_lines,
    make_styles,
    margins,
    qr_matrix,
    qr_payload,
    story,
)


class Document(BaseDocTemplate):
    """The document, its frames mirrored on even pages when printing on both sides."""

    def __init__(self, *args: Any, duplex: bool = False, **kw: Any) -> None:
        self.duplex = duplex
        super().__init__(*args, **kw)

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab's name
        width = (getattr(self.pageTemplate, "pagesize", None) or self.pagesize)[0]
        for frame in self.pageTemplate.frames:
            if isinstance(frame, BindingFrame):
                frame.place(self.page + 1, self.duplex, width)
        super().handle_pageBegin()


def numbered_canvas(report: Report, fingerprint: str, s: Styles, printed: bool = False) -> type[Canvas]:
    payload = qr_payload(report, fingerprint)
    font = s.fonts.body.pdf_name
    duplex = s.options.duplex
    module = QR_SIZE / (len(qr_matrix(payload)) + 2 * QR_QUIET)
    # Left of the code's quiet zone, with a gap; the dark modules line up with the text's right edge.
    text_width = FRAME_W - (QR_SIZE - QR_QUIET * module) - 3 * mm
    lines = footer_lines(report, fingerprint, font, text_width)

    class NumberedCanvas(Canvas):
        """Draws 第 N 页 共 M 页 once the page count is known."""

        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._pages: list[dict[str, Any]] = []
            if printed:  # the print time (or SOURCE_DATE_EPOCH) as the creation date
                from reportlab.lib.utils import TimeStamp

                self._doc._timeStamp = TimeStamp(False)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]  # 附件2's pages are landscape
            left, right_margin = margins(self._pageNumber, duplex)
            right = width - right_margin
            code_left = right + QR_QUIET * module - QR_SIZE  # the quiet zone's left edge
            self.saveState()
            self.setLineWidth(0.4)
            self.line(left, RULE_Y, code_left - 2 * mm, RULE_Y)
            self.setFont(font, FOOTER_SIZE)
            for line, y in zip(lines, (TEXT_Y, SECOND_Y), strict=False):
                self.drawString(left, y, line)
            self.setFont(font, 9.5)
            self.drawCentredString((left + right) / 2, NUMBER_Y, f"第 {self._pageNumber} 页　共 {total} 页")
            if not self.hasForm("qr"):
                # The same code on every page: drawn once, placed by reference.
                self.beginForm("qr")
                draw_qr(self, payload, QR_SIZE)
                self.endForm()
            self.saveState()
            self.translate(code_left, QR_Y)
            self.doForm("qr")
            self.restoreState()
            self.restoreState()

    return NumberedCanvas


def draft_mark(canvas: Canvas, s: Styles) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.16))
    canvas.setFont(s.fonts.heading.pdf_name, 54)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, DRAFT_MARK)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.05, 0.05))
    canvas.setFont(s.fonts.heading.pdf_name, 10)
    _, right = margins(canvas.getPageNumber(), s.options.duplex)
    canvas.drawRightString(width - right, height - MARGIN_TOP + 8 * mm, DRAFT_MARK)
    canvas.restoreState()


def pdf_title(report: Report, part: str = "all") -> str:
    """The PDF's title (its document properties): what it holds, whose, which year."""
    what = {"B": form.PART_B_TITLE, "S": PAPER.scoring_title}.get(part, PAPER.title)
    if report.flat:
        what = report.form.title
    year = f"{report.year}年度" if report.year else ""
    return f"{report.dept_name}{year}{what}"


def _document(buffer: io.BytesIO, report: Report, fingerprint: str, fonts: FontSet, options: PrintOptions,
              pagesize: tuple[float, float], title: str) -> Document:
    """The document with its properties: what it holds, whose, and the fingerprint."""
    return Document(
        buffer,
        duplex=options.duplex,
        pagesize=pagesize,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=report.dept_name or "（未填部门名称）",
        subject=f"数据指纹 {fingerprint}",
        creator=PROGRAM,
        invariant=True,
        # Never fall back to a base-14 font: every PDF font must be embedded.
        initialFontName=fonts.body.pdf_name,
    )


#: What can be printed: the form (A), the 评价报告 (B), its 附件2 the 自评表 (S), or all.
PARTS = ("all", "A", "B", "S")


def render_pdf(report: Report, fonts: FontSet | None = None, draft: bool | None = None,
               part: str = "all", options: PrintOptions | None = None, printed: bool = False) -> bytes:
    """The report's printed form as PDF bytes: the form (Part A), then the 评价报告
    (Part B, :mod:`reports.pdf_narrative`), its 附件2 the 自评表
    (:mod:`reports.pdf_scoring`), then the 审核情况说明 of any explained finding;
    ``part`` "A", "B" or "S" prints one of them.

    ``draft`` defaults to whether any error lacks an explanation; ``options`` are the
    clerk's print settings (mirrored margins, how amounts print). ``printed`` dates the
    file now (or at ``SOURCE_DATE_EPOCH``): a print, an export; otherwise it carries a
    fixed date, so the same report gives the same bytes.
    """
    if part not in PARTS:
        raise ValueError(part)
    if report.flat:
        return _render_flat(report, fonts or FontSet(), draft, options or PrintOptions(), printed)
    fonts = fonts or FontSet()
    for face in {fonts.body, fonts.heading}:
        load(face)
    check_glyphs(report, fonts)
    options = options or PrintOptions()
    s = make_styles(fonts, options)
    b_styles, b_story, explained = part_b.build(report, fonts, part, options.amounts)
    if part in ("all", "B"):
        lost = missing(part_b.part_b_texts(report), b_styles.faces.chain)
        if lost:
            raise MissingGlyphs(lost)
    if part in ("all", "S"):
        lost = missing(pdf_scoring.texts(report), fonts)
        if lost:
            raise MissingGlyphs(lost)
    if draft is None:
        draft = bool(blocking(check(report)))
    fingerprint = interchange.fingerprint(report)
    buffer = io.BytesIO()
    doc = _document(buffer, report, fingerprint, fonts, options, A4, pdf_title(report, part))
    frame = BindingFrame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if draft:
            draft_mark(canvas, s)

    templates = [PageTemplate(id="page", frames=[frame], onPage=on_page), part_b.page_template(on_page),
                 pdf_scoring.page_template(on_page)]
    first = {"B": 1, "S": 2}.get(part, 0)
    templates.insert(0, templates.pop(first))  # the first page's template comes first
    doc.addPageTemplates(templates)
    content: list[Flowable] = story(report, s) if part in ("all", "A") else []
    content += part_b.start(first=part == "B") + b_story if b_story else []
    if part in ("all", "S"):
        if part != "S":
            content += [NextPageTemplate(pdf_scoring.TEMPLATE), PageBreak()]
        content += pdf_scoring.story(report, s)
    if explained and part in ("all", "S"):  # back to an upright page after 附件2
        content.append(NextPageTemplate(part_b.TEMPLATE))
    content += part_b.explanations_story(report, b_styles, explained)
    doc.build(content, canvasmaker=numbered_canvas(report, fingerprint, s, printed))
    return buffer.getvalue()




def _render_flat(report: Report, fonts: FontSet, draft: bool | None, options: PrintOptions,
                 printed: bool) -> bytes:
    """A report of a form of another family (:attr:`Report.flat`): its form as the template
    lays it out (:mod:`reports.flat_pdf`), whatever part is asked for (the form is all it
    has), then the 审核情况说明, on the pages and footer of every printout."""
    from reports import flat_pdf

    for face in {fonts.body, fonts.heading}:
        load(face)
    lost = missing(flat_pdf.texts(report), fonts)
    if lost:
        raise MissingGlyphs(lost)
    s = make_styles(fonts, options)
    b_styles, _story, explained = part_b.build(report, fonts, "A", options.amounts)
    if draft is None:
        draft = bool(blocking(check(report)))
    fingerprint = interchange.fingerprint(report)
    size = flat_pdf.page_size(report)
    buffer = io.BytesIO()
    doc = _document(buffer, report, fingerprint, fonts, options, size, pdf_title(report))
    frame = BindingFrame(MARGIN_LEFT, MARGIN_BOTTOM, flat_pdf.frame_width(report),
                         size[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if draft:
            draft_mark(canvas, s)

    # The 审核情况说明 on an upright page, as after the program's own form.
    upright = BindingFrame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="upright",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page, pagesize=size),
                          PageTemplate(id="upright", frames=[upright], onPage=on_page, pagesize=A4)])
    content = flat_pdf.story(report, s)
    if explained:
        content.append(NextPageTemplate("upright"))
    content += part_b.explanations_story(report, b_styles, explained)
    doc.build(content, canvasmaker=numbered_canvas(report, fingerprint, s, printed))
    return buffer.getvalue()
