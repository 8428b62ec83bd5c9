"""The 报送回执 on paper: one A4 page, with the printed form's fonts and QR code.

The words come from :mod:`models.receipt`; this module only lays them out. The QR code
carries the data fingerprint as every page of the paper report does, so scanning the
receipt finds the same report (``verify``).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from models import PROGRAM
from models.errors import StoreError
from models.receipt import ReceiptSheet, receipt_sheet
from models.rules import check
from models.standing import standing
from models.store import Store
from reports import pdf
from reports.fonts import FontSet, MissingGlyphs, load, missing

QR_SIZE = 32 * mm


def receipt_of(store: Store, report_id: int) -> tuple[ReceiptSheet, str]:
    """The receipt of the report's latest package, and the QR code's text."""
    info = store.info(report_id)
    receipt = store.receipt_of(report_id)
    if receipt is None:
        raise StoreError(
            f"报告 {report_id}（{info.dept_name or '（未填部门名称）'} {info.year or ''}年度）不是由报送包导入的，"
            "没有报送回执可打印。报送回执只为导入的报送包打印。"
        )
    report = store.load_revision(report_id, receipt.revision_id)
    sheet = receipt_sheet(
        report,
        report_id=report_id,
        file_name=receipt.file_name,
        received_at=receipt.received_at,
        fingerprint=receipt.fingerprint,
        standing=standing(check(report), receipt.status),
        times=store.receipt_count(report_id),
    )
    return sheet, pdf.qr_payload(report, receipt.fingerprint)


def render_receipt(store: Store, report_id: int, fonts: FontSet | None = None) -> bytes:
    """The 报送回执 of a report taken in from a package, as PDF bytes."""
    sheet, payload = receipt_of(store, report_id)
    return render_sheet(sheet, payload, fonts)


def render_sheet(sheet: ReceiptSheet, payload: str, fonts: FontSet | None = None) -> bytes:
    fonts = fonts or FontSet()
    for face in {fonts.body, fonts.heading}:
        load(face)
    texts = [("回执", t) for t in (sheet.title, sheet.statement, *sheet.notes, *sheet.signatures)]
    texts += [("回执", f"{label}{value}") for label, value in sheet.rows]
    lost = missing(texts, fonts)
    if lost:
        raise MissingGlyphs(lost)
    s = pdf.make_styles(fonts)
    label_style = ParagraphStyle("receipt_label", parent=s.cell, alignment=TA_CENTER, fontName=fonts.heading.pdf_name)
    value_style = ParagraphStyle("receipt_value", parent=s.cell, fontSize=11, leading=16)
    width = pdf.FRAME_W
    rows = [[s.p(label, label_style), s.p(value, value_style)] for label, value in sheet.rows]
    table = Table(rows, colWidths=[34 * mm, width - 34 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.body.pdf_name),
        ("GRID", (0, 0), (-1, -1), pdf.LINE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    note_style = ParagraphStyle("receipt_note", parent=s.body, fontSize=9.5, leading=14)
    sign_style = ParagraphStyle("receipt_sign", parent=s.body, fontSize=12, leading=30)
    story: list[Any] = [
        Paragraph(sheet.title, ParagraphStyle("receipt_title", parent=s.title, fontSize=18, leading=30)),
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 5 * mm),
        s.p(sheet.statement, s.body),
        Spacer(1, 2 * mm),
        *[s.p(note, note_style) for note in sheet.notes],
        Spacer(1, 14 * mm),
    ]
    signatures = Table(
        [[s.p(sheet.signatures[0], sign_style), s.p(sheet.signatures[1], sign_style)],
         ["", s.p(sheet.signatures[2], sign_style)]],
        colWidths=[width / 2, width / 2],
    )
    signatures.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.body.pdf_name),
                                    ("TOPPADDING", (0, 0), (-1, -1), 10)]))
    story.append(signatures)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=pdf.MARGIN_LEFT, rightMargin=pdf.MARGIN_RIGHT,
        topMargin=pdf.MARGIN_TOP, bottomMargin=pdf.MARGIN_BOTTOM, title=sheet.title,
        subject=f"数据指纹 {sheet.fingerprint}", creator=PROGRAM, invariant=True,
        initialFontName=fonts.body.pdf_name,
    )
    frame = Frame(pdf.MARGIN_LEFT, pdf.MARGIN_BOTTOM + QR_SIZE, pdf.FRAME_W,
                  pdf.PAGE_H - pdf.MARGIN_TOP - pdf.MARGIN_BOTTOM - QR_SIZE, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    printed = datetime.now().strftime("%Y-%m-%d %H:%M")
    font = fonts.body.pdf_name

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        x = pdf.PAGE_W - pdf.MARGIN_RIGHT - QR_SIZE
        y = pdf.MARGIN_BOTTOM
        canvas.saveState()
        canvas.translate(x, y)
        pdf.draw_qr(canvas, payload, QR_SIZE)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.drawString(pdf.MARGIN_LEFT, y + 4 * mm, f"数据指纹 {sheet.fingerprint}（右侧二维码内容相同）")
        canvas.drawString(pdf.MARGIN_LEFT, y, f"打印时间 {printed}　{PROGRAM}")
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="receipt", frames=[frame], onPage=on_page)])
    doc.build(story)
    return buffer.getvalue()
