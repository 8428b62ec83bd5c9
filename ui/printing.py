"""Printing: the preview, the printer and 导出 PDF all show the same PDF.

The PDF is :func:`reports.printed.render_pdf` of the report as it is in the window
(saved or not), so paper, preview and file carry the same fingerprint.

The preview and printing through Qt need the QtPdf module (in PySide6-Addons
up to Qt 6.11, the package PySide6-Pdf from 6.12). Some PCs cannot have it
(no wheel for older ARM systems): there 打印预览 and 打印 open the same PDF in
the system's PDF reader instead, to be printed from there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import interchange
from models.errors import ZipingError
from models.paper import PAPER
from models.report import Report
from ui import look, messages
from ui.print_fonts import apply_font_settings, chosen_fonts, chosen_options, set_duplex

try:  # the PySide6-Pdf package
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    HAVE_QTPDF = False

#: Resolution pages are drawn at for the printer: sharp text, bounded memory.
PRINT_DPI = 300

NO_QTPDF = (
    "本机的程序缺少 Qt PDF 组件，无法在程序内预览和打印；"
    "已用系统的 PDF 阅读器打开同一份 PDF，请在阅读器中预览或打印。"
)
#: No reader opened the file: the clerk can still open it by hand.
NO_READER = (
    "本机的程序缺少 Qt PDF 组件，无法在程序内预览和打印，也没有找到能打开 PDF 的阅读器。"
    "打印稿已保存为「{path}」，请用 PDF 阅读器打开后打印，或用「导出 PDF」保存到别处。"
)


class FontDialog(QDialog):
    """打印字体: the shipped faces, or the government standard faces this PC has."""

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        from reports.fonts import body_faces, heading_faces

        super().__init__(parent)
        self.setObjectName("print_fonts")
        self.setWindowTitle("打印字体")
        self.settings = settings
        layout = QVBoxLayout(self)
        note = QLabel(
            "随程序提供的字体在任何电脑上打印都一样；本机装有宋体、仿宋、黑体等公文常用字体时也可选用。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        current = chosen_fonts()
        self.body = QComboBox()
        self.body.setObjectName("print_fonts.body")
        self.heading = QComboBox()
        self.heading.setObjectName("print_fonts.heading")
        for combo, faces, now in ((self.body, body_faces(), current.body), (self.heading, heading_faces(), current.heading)):
            for face in faces:
                combo.addItem(face.label, face.key)
            combo.setCurrentIndex(max(0, combo.findData(now.key)))
        for label, combo in (("正文字体：", self.body), ("标题字体：", self.heading)):
            row = QHBoxLayout()
            row.addWidget(QLabel(label))
            row.addWidget(combo, 1)
            layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        ok = QPushButton("确定")
        ok.setObjectName("print_fonts.ok")
        ok.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)

    def accept(self) -> None:
        self.settings.setValue("print/body", self.body.currentData())
        self.settings.setValue("print/heading", self.heading.currentData())
        apply_font_settings(self.settings)
        messages.status(f"打印字体：{self.body.currentText()}；{self.heading.currentText()}。")
        super().accept()


def choose_fonts(settings: Any, parent: QWidget | None = None) -> FontDialog:
    dialog = FontDialog(settings, parent)
    messages.run_dialog(dialog)
    return dialog


def render(report: Report, parent: QWidget | None = None, part: str = "all") -> bytes | None:
    """The report's PDF (both parts, or ``part`` "A" / "B"); a problem (characters the
    fonts lack) goes to the clerk."""
    from reports.printed import render_pdf

    try:
        return render_pdf(report, fonts=chosen_fonts(), part=part, options=chosen_options(), printed=True)
    except ZipingError as exc:
        messages.error(exc, parent)
        return None


def pdf_name(report: Report) -> str:
    """The default file name: the handover package's name with .pdf."""
    from reports.package import package_name

    return str(Path(package_name(report)).with_suffix(".pdf"))


def save_pdf(report: Report, parent: QWidget | None = None, data: bytes | None = None) -> Path | None:
    """导出 PDF: ask where, then write the PDF (rendered now unless given)."""
    return messages.save_file(
        "导出 PDF", pdf_name(report), "PDF 文件 (*.pdf)",
        lambda: data if data is not None else render(report, parent), "已导出 PDF「{target}」。", parent,
    )


def open_externally(data: bytes) -> Path:
    """Show the PDF in the system's reader (when Qt cannot show it); where no
    reader opens it, tell the clerk where the file is."""
    folder = Path(tempfile.mkdtemp(prefix="ziping-print-"))
    path = folder / "打印稿.pdf"
    path.write_bytes(data)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        messages.info(NO_QTPDF)
    else:
        messages.info(NO_READER.format(path=path))
    return path


class PdfPages:
    """A PDF held in memory, opened with QtPdf."""

    def __init__(self, data: bytes, parent: Any = None) -> None:
        self.bytes = QByteArray(data)
        self.buffer = QBuffer(self.bytes, parent)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def count(self) -> int:
        return self.document.pageCount()


def paint_pages(document: Any, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Draw every page of a QPdfDocument onto the printer, one sheet each; the count."""
    pages = document.pageCount()
    if pages == 0:
        return 0
    chosen = range(pages)
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        chosen = range(max(printer.fromPage(), 1) - 1, min(printer.toPage(), pages))
    printer.setFullPage(True)  # the PDF has its own margins
    first = document.pagePointSize(0)
    printer.setPageLayout(
        QPageLayout(QPageSize(first, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, printer.pageLayout().margins())
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer")
    try:
        for n, i in enumerate(chosen):
            if n:
                printer.newPage()
            size = document.pagePointSize(i)
            image = document.render(i, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)))
            area = painter.viewport()
            scale = min(area.width() / image.width(), area.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h), image)
    finally:
        painter.end()
    return len(chosen)


def print_pdf(data: bytes, parent: QWidget | None = None) -> bool:
    """Print the PDF's pages through the system's print dialog; True if printed."""
    if not HAVE_QTPDF:
        open_externally(data)
        return False
    pages = PdfPages(data)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(PAPER.short_title)
    printer.setFromTo(1, pages.count)
    if not ask_printer(printer, parent):
        return False
    try:
        count = paint_pages(pages.document, printer)
    except OSError:
        messages.error("无法开始打印：打印机没有响应。请检查打印机是否已连接、已开机，或选择其他打印机。", parent)
        return False
    messages.status(f"已发送到打印机，共 {count} 页。")
    return True


def ask_printer(printer: QPrinter, parent: QWidget | None = None) -> bool:
    """The system's print dialog.

    Not interactive, the answer is False (cancel) or the name of a PDF file
    that the pages are "printed" to.
    """
    messages.history.append(("ask", "打印"))
    if not messages.interactive:
        answer = messages.answers.popleft() if messages.answers else False
        if isinstance(answer, str):
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(answer)
            return True
        return bool(answer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(printer.fromPage(), printer.toPage())
    return dialog.exec() == QDialog.DialogCode.Accepted


class PreviewDialog(QDialog):
    """打印预览: the pages exactly as they will print, with 打印 and 导出 PDF."""

    def __init__(self, report: Report, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview")
        self.report = report
        self.data = data
        name = report.dept_name or "（未填写部门名称）"
        self.setWindowTitle(f"打印预览 — {name}{report.year or ''}年度")
        self.pages = PdfPages(data, self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("preview.print")
        self.print_button.clicked.connect(self.print_)
        self.save_button = QPushButton("导出 PDF…")
        self.save_button.setObjectName("preview.save")
        self.save_button.clicked.connect(self.save)
        from reports.formats import PART_LABELS

        self.part = QComboBox()
        self.part.setObjectName("preview.part")
        self.part.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.part.setMinimumContentsLength(12)
        for key, label in PART_LABELS.items():
            self.part.addItem(label, key)
        self.part.currentIndexChanged.connect(self._part)
        # A form of another family prints as one: no 评价报告 or 自评表 to choose.
        self.part.setVisible(not report.flat)
        self.zoom = QComboBox()
        self.zoom.setObjectName("preview.zoom")
        self.zoom.addItems(["适合宽度", "整页", "50%", "75%", "100%", "150%"])
        self.zoom.currentIndexChanged.connect(self._zoom)
        self.duplex = QCheckBox("双面打印")
        self.duplex.setObjectName("preview.duplex")
        self.duplex.setToolTip("双面打印时装订边左右交替：单数页装订边在左，双数页在右（页边距对称）。")
        self.duplex.setChecked(chosen_options().duplex)
        self.duplex.toggled.connect(self._duplex)
        self.info = QLabel(f"共 {self.pages.count} 页　数据指纹 {interchange.fingerprint(report)}")
        self.info.setObjectName("preview.info")
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        part_label = QLabel("打印内容：")
        part_label.setVisible(not report.flat)
        for w in (self.print_button, self.save_button, part_label, self.part, QLabel("显示比例："), self.zoom,
                  self.duplex):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(close)
        layout.addLayout(bar)
        self.view = QPdfView(self)
        self.view.setObjectName("preview.pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.pages.document)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("background: #7a7f87;")
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self.zoom.setCurrentIndex(1)  # 整页: a whole sheet at a glance
        self._zoom(1)
        look.fit_to_screen(self, 1100, 1100)  # as tall as the screen has room for: a page at a glance

    def _part(self, _index: int = 0) -> None:
        """Show (and print, and save) the chosen part: the form, the 评价报告 or both."""
        data = render(self.report, self, self.part.currentData())
        if data is None:
            return
        self.data = data
        self.pages = PdfPages(data, self)
        self.view.setDocument(self.pages.document)
        self.info.setText(f"共 {self.pages.count} 页　数据指纹 {interchange.fingerprint(self.report)}")

    def _duplex(self, on: bool) -> None:
        set_duplex(on)
        self._part()

    def _zoom(self, index: int) -> None:
        if index == 0:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif index == 1:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(int(self.zoom.itemText(index).rstrip("%")) / 100)

    def print_(self) -> None:
        if print_pdf(self.data, self):
            self.accept()

    def save(self) -> None:
        save_pdf(self.report, self, self.data)


def preview(report: Report, parent: QWidget | None = None) -> PreviewDialog | None:
    """打印预览 of the report as it is now (unsaved changes included)."""
    data = render(report, parent)
    if data is None:
        return None
    if not HAVE_QTPDF:
        open_externally(data)
        return None
    dialog = PreviewDialog(report.copy(), data, parent)
    messages.run_dialog(dialog)
    return dialog


def print_report(report: Report, parent: QWidget | None = None) -> bool:
    """打印 (Ctrl+P): the same PDF's pages through the system's print dialog."""
    data = render(report, parent)
    return data is not None and print_pdf(data, parent)

