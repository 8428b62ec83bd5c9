"""A small SpreadsheetML (.xlsx) writer for the workbooks this program exports.

Why not openpyxl for writing: a command that exports a workbook must finish
in 0.3 s, and importing openpyxl alone takes about 0.1 s, its styling and
saving another 0.1 s for the sample. What we write is small and fixed in
shape — text, exact figures, formulas with their results, a few cell
styles, merges, column widths, row heights, A4 page setup with print titles
and a footer, sheet protection with data validation — so it is written
here directly, in the element order the ECMA-376 schema requires (Excel is
strict about it). Reading workbooks, ours and anyone's, is left to openpyxl
(:mod:`reports.workbook.opening`), and the tests read every export back with it
and have LibreOffice recalculate one.

Figures are written as the exact text of their ``Decimal``; no float is made.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Context, Decimal
from typing import Any

from models.document import NOT_XML
from models.money import format_decimal

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Built-in number formats (ECMA-376 18.8.30): no custom formats need declaring.
BUILTIN_FORMATS = {None: 0, "General": 0, "0": 1, "0.00": 2, "#,##0.00": 4, "0%": 9, "0.00%": 10}

_CONTEXT = Context(prec=15)


def escape(text: str) -> str:
    """XML character escapes (xml.sax.saxutils would import urllib, 17 ms of a command's start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;") + '"'


def xml_text(text: str) -> str:
    """Text safe inside an element (the caller keeps exact text elsewhere)."""
    return escape(NOT_XML.sub("", text))


@dataclass(frozen=True)
class Font:
    name: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Style:
    font: Font
    horizontal: str = "left"
    vertical: str = "center"
    wrap: bool = True
    border: bool = True
    number_format: str | None = None
    #: The sides of the border drawn, of "ltrb" (a long text's parts leave their joins open).
    sides: str = "ltrb"
    #: A solid fill (ARGB), or none.
    fill: str | None = None
    #: Locked when the sheet is protected (a cell the clerk fills in is not).
    locked: bool = True
    #: Text a spreadsheet would take for a formula when edited: the quote-prefix
    #: style keeps it text there too (the visible text is unchanged).
    quote: bool = False


#: The fill of the cells a clerk fills in (a pale yellow that prints as white: see ``blackAndWhite``).
ENTRY_FILL = "FFFFFAE5"


@dataclass(frozen=True)
class Validation:
    """What a cell accepts when typed into (Excel, WPS and LibreOffice check it).

    ``formula`` is a condition on the cell ``{cell}`` (the first of a range; the
    others follow as relative references do), e.g. ``AND(ISNUMBER({cell}),{cell}>=0)``.
    """

    formula: str
    title: str
    prompt: str
    error: str


@dataclass
class Cell:
    #: "s" text (an inline string: never a formula, whatever it starts with),
    #: "n" figure (exact text), "f" formula, None empty (styled only)
    kind: str | None
    value: Any
    style: int
    #: a formula's result: Decimal, or str ("" for a blank result)
    cached: Any = None


@dataclass
class Sheet:
    title: str
    widths: list[float]
    state: str = "visible"
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    #: A4, fitted to the page width, centred, gridlines hidden (the visible sheets)
    printable: bool = True
    landscape: bool = False
    #: Rows repeated at the top of every printed page: (first, last).
    print_rows: tuple[int, int] | None = None
    #: Columns repeated at the left of every printed page: (first, last).
    print_cols: tuple[int, int] | None = None
    #: Pages the printout is fitted across (its height runs on as it needs).
    fit_width: int = 1
    #: The printed footer, in the header/footer codes of SpreadsheetML (``&P`` the page).
    footer: str = ""
    #: Protected without a password: only the cells not ``Style.locked`` can be changed.
    protected: bool = False
    #: (row, column) → what it accepts.
    validations: dict[tuple[int, int], Validation] = field(default_factory=dict)
    #: (rows, columns) kept in view while scrolling (frozen panes), or None.
    freeze: tuple[int, int] | None = None
    #: The auto-filter's range (first row — the header —, first column, last row, last column).
    auto_filter: tuple[int, int, int, int] | None = None
    #: Rows already written by :meth:`append`, as XML, waiting in a temporary file.
    spool: Any = field(default=None, repr=False)
    #: The last row written by :meth:`append`.
    appended: int = 0

    def append(self, cells: list[Cell | None], height: float | None = None) -> int:
        """Write the next row now, and return its number: the row goes to a temporary file,
        not into memory, so a sheet of any length takes the same memory (streaming).
        ``cells`` may still hold rows below the appended ones."""
        import tempfile

        if self.spool is None:
            self.spool = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+b")
        self.appended += 1
        row = [(c, cell) for c, cell in enumerate(cells, 1) if cell is not None]
        self.spool.write(_row_xml(self.appended, row, height).encode("utf-8"))
        return self.appended


@dataclass
class Book:
    sheets: list[Sheet] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)
    title: str = ""
    creator: str = ""

    def style(self, style: Style) -> int:
        """The index of ``style`` in the cell formats (0 is the unstyled default)."""
        try:
            return self.styles.index(style) + 1
        except ValueError:
            self.styles.append(style)
            return len(self.styles)

    def sheet(self, title: str, widths: list[float], **kw: Any) -> Sheet:
        sheet = Sheet(title, widths, **kw)
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()

    def close(self) -> None:
        """Let go of the temporary files of appended rows (after :meth:`save`, or on failure)."""
        for sheet in self.sheets:
            if sheet.spool is not None:
                sheet.spool.close()
                sheet.spool = None

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, out: Any) -> None:
        """Write the workbook to a binary stream; appended rows are copied from their spool."""
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr("[Content_Types].xml", self._content_types())
            z.writestr("_rels/.rels", self._root_rels())
            z.writestr("docProps/core.xml", self._core())
            z.writestr("docProps/app.xml", self._app())
            z.writestr("xl/workbook.xml", self._workbook())
            z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            z.writestr("xl/styles.xml", self._styles())
            for i, sheet in enumerate(self.sheets, 1):
                name = f"xl/worksheets/sheet{i}.xml"
                if sheet.spool is None:
                    z.writestr(name, "".join(_sheet_parts(sheet, selected=i == 1)))
                    continue
                with z.open(name, "w", force_zip64=True) as part:
                    for chunk in _sheet_parts(sheet, selected=i == 1):
                        part.write(chunk.encode("utf-8"))
                        if chunk == _SHEET_DATA:
                            sheet.spool.seek(0)
                            while block := sheet.spool.read(1 << 20):
                                part.write(block)

    # -- package parts ---------------------------------------------------------

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        return (
            _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>"
        )

    def _root_rels(self) -> str:
        return (
            _DECL + f'<Relationships xmlns="{PKG_REL_NS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        )

    def _core(self) -> str:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            _DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(self.title)}</dc:title><dc:creator>{xml_text(self.creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{xml_text(self.creator)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _app(self) -> str:
        return (
            _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{xml_text(self.creator)}</Application></Properties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f"<sheet name={quoteattr(s.title)} sheetId=\"{i}\""
            + (f' state="{s.state}"' if s.state != "visible" else "")
            + f' r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, 1)
        )
        titles = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{xml_text(quote_sheet(s.title))}!{_absolute(*s.auto_filter)}</definedName>"
            for i, s in enumerate(self.sheets) if s.auto_filter
        ) + "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{xml_text(_print_titles(s))}</definedName>'
            for i, s in enumerate(self.sheets) if s.print_rows or s.print_cols
        )
        names = f"<definedNames>{titles}</definedNames>" if titles else ""
        return (
            _DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>{names}"
            # Excel and WPS recalculate every formula when they open the file.
            '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        n = len(self.sheets) + 1
        return (
            _DECL + f'<Relationships xmlns="{PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{n}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'
        )

    def _styles(self) -> str:
        fonts: list[Font] = [Font("宋体", 11)]
        for style in self.styles:
            if style.font not in fonts:
                fonts.append(style.font)
        font_xml = "".join(
            f"<font>{'<b/>' if f.bold else ''}<sz val=\"{f.size:g}\"/><name val={quoteattr(f.name)}/>"
            '<family val="3"/><charset val="134"/></font>'
            for f in fonts
        )
        sides = [""]  # border 0: none
        for s in self.styles:
            if s.border and s.sides not in sides:
                sides.append(s.sides)
        thin = '<{0} style="thin"><color rgb="FF000000"/></{0}>'
        border_xml = "".join(
            "<border>" + "".join(thin.format(side) if side[0] in drawn else f"<{side}/>"
                                 for side in ("left", "right", "top", "bottom")) + "<diagonal/></border>"
            for drawn in sides
        )
        custom = sorted({s.number_format for s in self.styles} - set(BUILTIN_FORMATS), key=str)
        formats = {**BUILTIN_FORMATS, **{f: 164 + i for i, f in enumerate(custom)}}
        numfmt_xml = (
            f'<numFmts count="{len(custom)}">'
            + "".join(f'<numFmt numFmtId="{formats[f]}" formatCode={quoteattr(str(f))}/>' for f in custom)
            + "</numFmts>" if custom else ""
        )
        fills: list[str | None] = [None, None]  # none and gray125, which every workbook has
        for s in self.styles:
            if s.fill is not None and s.fill not in fills:
                fills.append(s.fill)
        fill_xml = '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        fill_xml += "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="{f}"/><bgColor indexed="64"/></patternFill></fill>'
            for f in fills[2:]
        )
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for s in self.styles:
            fmt = formats[s.number_format]
            wrap = ' wrapText="1"' if s.wrap else ""
            apply_fmt = ' applyNumberFormat="1"' if fmt else ""
            border = sides.index(s.sides) if s.border else 0
            fill_id = fills.index(s.fill) if s.fill is not None else 0
            fill = ' applyFill="1"' if fill_id else ""
            protect = "" if s.locked else ' applyProtection="1"'
            quote = ' quotePrefix="1"' if s.quote else ""
            xfs.append(
                f'<xf numFmtId="{fmt}" fontId="{fonts.index(s.font)}" fillId="{fill_id}" '
                f'borderId="{border}" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"{apply_fmt}{fill}'
                f'{protect}{quote}><alignment horizontal="{s.horizontal}" vertical="{s.vertical}"{wrap}/>'
                + ("" if s.locked else '<protection locked="0"/>') + "</xf>"
            )
        return (
            _DECL + f'<styleSheet xmlns="{MAIN_NS}">{numfmt_xml}'
            f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills)}">{fill_xml}</fills>'
            f'<borders count="{len(sides)}">{border_xml}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def quote_sheet(title: str) -> str:
    """A sheet's name as a formula or defined name refers to it: ``'收支情况'``."""
    return "'" + title.replace("'", "''") + "'"


def col_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def col_index(letters: str) -> int:
    """A → 1, AA → 27: :func:`col_letter` undone."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _number(value: Decimal) -> str:
    return format_decimal(_CONTEXT.plus(value)) if len(value.as_tuple().digits) > 15 else format_decimal(value)


def _cell_xml(ref: str, cell: Cell) -> str:
    s = f' s="{cell.style}"' if cell.style else ""
    if cell.kind == "s":
        text = str(cell.value)
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text or "  " in text else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>'
    if cell.kind == "n":
        return f'<c r="{ref}"{s}><v>{format_decimal(cell.value)}</v></c>'
    if cell.kind == "f":
        formula = xml_text(str(cell.value).removeprefix("="))
        attrs, text = cached_xml(cell.cached)
        return f'<c r="{ref}"{s}{attrs}><f>{formula}</f><v>{text}</v></c>'
    return f'<c r="{ref}"{s}/>'


def cached_xml(value: Any) -> tuple[str, str]:
    """(type attribute, <v> text) of a formula's stored result.

    Excel, WPS and LibreOffice recalculate on opening (the workbook asks
    for it); previewers and readers that do not calculate show these.
    """
    if isinstance(value, Decimal):
        return "", _number(value)
    return ' t="str"', xml_text(str(value or ""))


_SHEET_DATA = "<sheetData>"


def _print_titles(sheet: Sheet) -> str:
    """``'sheet'!$A:$C,'sheet'!$2:$3``: the columns and rows printed on every page."""
    name = quote_sheet(sheet.title)
    parts = []
    if sheet.print_cols:
        parts.append(f"{name}!${col_letter(sheet.print_cols[0])}:${col_letter(sheet.print_cols[1])}")
    if sheet.print_rows:
        parts.append(f"{name}!${sheet.print_rows[0]}:${sheet.print_rows[1]}")
    return ",".join(parts)


def _absolute(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"${col_letter(first_col)}${first_row}:${col_letter(last_col)}${last_row}"


def _row_xml(r: int, cells: list[tuple[int, Cell]], height: float | None) -> str:
    ht = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{r}"{ht}>' + "".join(_cell_xml(f"{col_letter(c)}{r}", cell) for c, cell in cells) + "</row>"


def _sheet_parts(sheet: Sheet, selected: bool) -> list[str]:
    """The sheet's XML in parts; the appended rows (see :meth:`Sheet.append`) go right after
    :data:`_SHEET_DATA`, the rows of ``sheet.cells`` after them."""
    rows: dict[int, list[tuple[int, Cell]]] = {}
    for (r, c), cell in sheet.cells.items():
        rows.setdefault(r, []).append((c, cell))
    max_row = max([*rows, *sheet.heights, sheet.appended, 1])
    max_col = max([c for (_r, c) in sheet.cells] + [len(sheet.widths), 1])
    parts = [_DECL, f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if sheet.printable:
        parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    parts.append(f'<dimension ref="A1:{col_letter(max_col)}{max_row}"/>')
    view = ' tabSelected="1"' if selected else ""
    grid = ' showGridLines="0"' if sheet.printable and not sheet.auto_filter else ""
    pane = ""
    if sheet.freeze:
        rows_kept, cols_kept = sheet.freeze
        corner = f"{col_letter(cols_kept + 1)}{rows_kept + 1}"
        split = (f' xSplit="{cols_kept}"' if cols_kept else "") + (f' ySplit="{rows_kept}"' if rows_kept else "")
        active = "bottomRight" if rows_kept and cols_kept else ("bottomLeft" if rows_kept else "topRight")
        pane = (f'<pane{split} topLeftCell="{corner}" activePane="{active}" state="frozen"/>'
                f'<selection pane="{active}" activeCell="{corner}" sqref="{corner}"/>')
    parts.append(f'<sheetViews><sheetView{grid}{view} workbookViewId="0">{pane}</sheetView></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if sheet.widths:
        parts.append("<cols>")
        parts += [
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1)
        ]
        parts.append("</cols>")
    parts.append(_SHEET_DATA)
    for r in sorted(set(rows) | set(sheet.heights)):
        if r > sheet.appended:
            parts.append(_row_xml(r, sorted(rows.get(r, [])), sheet.heights.get(r)))
    parts.append("</sheetData>")
    if sheet.protected:
        # No password: the clerk can lift it (审阅 → 撤销工作表保护); it keeps formulas from being
        # overwritten by accident. Columns and rows may still be resized, rows inserted.
        parts.append('<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0" '
                     'insertRows="0"/>')
    if sheet.auto_filter:
        first_row, first_col, last_row, last_col = sheet.auto_filter
        parts.append(f'<autoFilter ref="{col_letter(first_col)}{first_row}:{col_letter(last_col)}{last_row}"/>')
    if sheet.merges:
        parts.append(f'<mergeCells count="{len(sheet.merges)}">')
        parts += [
            f'<mergeCell ref="{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"/>' for r1, c1, r2, c2 in sheet.merges
        ]
        parts.append("</mergeCells>")
    if sheet.validations:
        parts.append(_validations_xml(sheet.validations))
    if sheet.printable:
        parts.append('<printOptions horizontalCentered="1"/>')
        parts.append('<pageMargins left="0.5" right="0.5" top="0.7" bottom="0.8" header="0.3" footer="0.35"/>')
        # blackAndWhite: the fill of the cells to fill in shows on screen, not on paper
        orientation = "landscape" if sheet.landscape else "portrait"
        mono = ' blackAndWhite="1"' if sheet.protected else ""
        parts.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="{sheet.fit_width}" '
                     f'fitToHeight="0"{mono}/>')
        if sheet.footer:
            parts.append(f"<headerFooter><oddFooter>{xml_text(sheet.footer)}</oddFooter></headerFooter>")
    parts.append("</worksheet>")
    return parts


def _validations_xml(validations: dict[tuple[int, int], Validation]) -> str:
    """One rule per run of neighbouring cells in a row that accept the same."""
    runs: list[tuple[Validation, int, int, int]] = []  # rule, row, first column, last column
    for (r, c), rule in sorted(validations.items()):
        if runs and runs[-1][0] == rule and runs[-1][1] == r and runs[-1][3] == c - 1:
            runs[-1] = (rule, r, runs[-1][2], c)
        else:
            runs.append((rule, r, c, c))
    items = []
    for rule, r, c1, c2 in runs:
        first = f"{col_letter(c1)}{r}"
        ref = first if c1 == c2 else f"{first}:{col_letter(c2)}{r}"
        items.append(
            f'<dataValidation type="custom" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
            f"errorTitle={quoteattr(rule.title[:32])} error={quoteattr(rule.error[:255])} "
            f"promptTitle={quoteattr(rule.title[:32])} prompt={quoteattr(rule.prompt[:255])} sqref=\"{ref}\">"
            f"<formula1>{xml_text(rule.formula.format(cell=first))}</formula1></dataValidation>"
        )
    return f'<dataValidations count="{len(items)}">{"".join(items)}</dataValidations>'
