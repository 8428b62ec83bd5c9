"""Opening a workbook that may have come off anyone's USB stick.

Before openpyxl sees a byte the file is checked: its size, that it is a zip
archive at all (and not an old .xls or an encrypted workbook), how large it
would be unpacked (a zip bomb is refused from its directory, without
unpacking), that no XML part declares a DOCTYPE or entities (an XML bomb
is refused before parsing; defusedxml, which openpyxl uses when installed,
refuses them again), and how many cells and rows reading it would create —
counted in a stream over the sheets' XML, merged ranges and ranged hyperlinks
by the cells they cover, so a 47 KB file with one merge J1:XFD1048576 or a
45 MB sheet is refused in a fraction of a second. A sheet's declared
dimension is not trusted (openpyxl does not use it when it reads a whole
workbook, and neither does this program). Formulas are never evaluated: cells keep the formula
text, and its cached result is read separately when needed.

Numbers are read as the exact text the file stores: openpyxl's number cast
is swapped, while this module loads a workbook, for one that gives ``int`` or
``Decimal`` — a figure from a workbook never passes through a float.
"""

from __future__ import annotations

import html
import io
import lzma
import re
import sys
import threading
import warnings
import zipfile
import zlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from models.errors import DocumentError
from models.fileio import read_input
from models.paper import PAPER

#: A report's workbook is tens of kilobytes; these limits are far above any real one.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 5000
#: Merged ranges one sheet may declare; the report uses a few dozen, openpyxl slows with each.
MAX_MERGES = 2000
#: Cells reading the workbook would create, counted from the XML before anything is
#: loaded: cells written, cells covered by merged ranges and by ranged hyperlinks
#: (openpyxl makes an object for every one of them: a single merge J1:XFD1048576 is
#: seventeen thousand million), and comments. A report's workbook has a few
#: thousand; openpyxl reads 50,000 in about half a second in 60 MB.
MAX_CELLS = 50_000
#: Rows a workbook may describe (each with a height or a style is an object too).
MAX_ROWS = 50_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LOCK = threading.Lock()


def import_openpyxl() -> Any:
    """openpyxl, imported without numpy (which it only uses for numpy cell values).

    Importing numpy costs about 80 ms of a command's start, and no value of a
    report is a numpy number.
    """
    if "openpyxl" in sys.modules:
        return sys.modules["openpyxl"]
    blocked = "numpy" not in sys.modules
    if blocked:
        sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl
    finally:
        if blocked and sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
    return openpyxl


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, refused with a clear message when it cannot be a workbook."""
    return read_input(path, MAX_FILE_BYTES, f"{PAPER.short_title}的工作簿（报告的工作簿通常不到 1 MB）")


def declared_entries(raw: bytes) -> int | None:
    """The entry count a zip's end record declares, read before zipfile parses a
    central directory that could hold a million entries (a zip64 archive declares
    65535 there)."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or end + 22 > len(raw):
        return None
    return int.from_bytes(raw[end + 10:end + 12], "little")


def check_archive(data: bytes, name: str) -> None:
    """Refuse what is not a sound .xlsx archive, from its directory alone."""
    if data.startswith(_OLE2):
        raise DocumentError(
            [
                "这是旧版 Excel（.xls）文件或加了密码的工作簿，本程序只能读取 .xlsx。"
                "请在 Excel 或 WPS 中取消密码，并“另存为” Excel 工作簿（.xlsx）后再导入。"
            ],
            name,
        )
    if not data.startswith(b"PK"):
        raise DocumentError(["这不是 Excel 工作簿（.xlsx）：文件内容不符，可能只是改了扩展名。"], name)
    declared = declared_entries(data)
    if declared is not None and declared > MAX_PARTS:
        raise DocumentError([f"工作簿内部文件过多（{declared} 个），可能是恶意文件，已拒绝打开。"], name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise DocumentError([f"工作簿内部文件过多（{len(infos)} 个），可能是恶意文件，已拒绝打开。"], name)
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise DocumentError(
                    [
                        f"工作簿解压后过大（{unpacked / 1024 / 1024:.0f} MB，上限 "
                        f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB），可能是恶意文件（压缩炸弹），已拒绝打开。"
                    ],
                    name,
                )
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise DocumentError(["这不是 Excel 工作簿（.xlsx）：压缩包中没有工作簿的内容。"], name)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise DocumentError(
                            ["工作簿含有不允许的 XML 声明（DOCTYPE/实体定义），可能是恶意文件（XML 炸弹），已拒绝打开。"],
                            name,
                        )
            _Budget(archive, name).count()
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError,
            RuntimeError, zlib.error, lzma.LZMAError):
        raise DocumentError(["工作簿已损坏或不完整（可能没有复制完），无法读取。请重新复制或重新保存后再试。"], name) from None


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row|mergeCell|hyperlink|comment)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"\bref\s*=\s*[\"']([^\"']*)[\"']")
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*\"([^\"]*)\"[^>]*?\bid\s*=\s*\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?\bId\s*=\s*\"([^\"]*)\"[^>]*?\bTarget\s*=\s*\"([^\"]*)\"")
_CHUNK = 1 << 20


def _letters(text: str) -> int:
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _area(ref: str) -> int:
    """Cells a range such as ``J1:XFD1048576`` covers (1 for a cell, or a ref unreadable here)."""
    m = _RANGE.match(ref.strip())
    if not m or not m.group(3):
        return 1
    rows = abs(int(m.group(4)) - int(m.group(2))) + 1
    cols = abs(_letters(m.group(3)) - _letters(m.group(1))) + 1
    return rows * cols


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → its part in the archive (``xl/worksheets/sheet1.xml``), read
    from the workbook's XML without parsing it (best effort: {} when it cannot be read)."""
    try:  # the first megabyte of each is far more than a workbook's list of sheets
        with archive.open("xl/workbook.xml") as part:
            book = part.read(_CHUNK)
        with archive.open("xl/_rels/workbook.xml.rels") as part:
            rels = part.read(_CHUNK)
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, zlib.error, EOFError, NotImplementedError):
        return {}
    targets = {rid.decode(errors="replace"): target.decode(errors="replace") for rid, target in _REL.findall(rels)}
    parts = {}
    for title, rid in _SHEET.findall(book):
        target = targets.get(rid.decode(errors="replace"), "")
        parts[html.unescape(title.decode("utf-8", errors="replace"))] = "xl/" + target.lstrip("/").removeprefix("xl/")
    return parts


class _Budget:
    """Counts, part by part and without parsing, the cells and rows reading would make;
    refuses the workbook the moment a limit is passed (a 45 MB sheet is not read to its end)."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.cells = 0
        self.sheets = self._sheet_names()

    def _sheet_names(self) -> dict[str, str]:
        return {part: title for title, part in sheet_parts(self.archive).items()}

    def count(self) -> None:
        for info in self.archive.infolist():
            part = info.filename
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                self._part(info, f"工作表「{self.sheets.get(part, part.rsplit('/', 1)[-1])}」")
            elif part.startswith("xl/comments") and part.endswith(".xml"):
                self._part(info, "工作簿的批注")

    def _refuse(self, text: str) -> DocumentError:
        return DocumentError([f"{text}不像{PAPER.short_title}，可能是恶意文件，已拒绝打开。"], self.name)

    def _part(self, info: zipfile.ZipInfo, where: str) -> None:
        rows = merges = 0
        rest = b""
        with self.archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                data = rest + chunk
                cut = data.rfind(b">") + 1 if chunk else len(data)
                rest = data[cut:]
                for tag, attrs in _TAG.findall(data[:cut]):
                    if tag in {b"c", b"comment"}:
                        self.cells += 1
                    elif tag == b"row":
                        rows += 1
                        if rows > MAX_ROWS:
                            raise self._refuse(f"{where}的行数超过 {MAX_ROWS:,}，")
                    else:
                        ref = _REF.search(attrs)
                        text = ref.group(1).decode("ascii", errors="replace") if ref else ""
                        area = _area(text)
                        self.cells += area - 1 if tag == b"mergeCell" else area
                        if tag == b"mergeCell":
                            merges += 1
                            if merges > MAX_MERGES:
                                raise self._refuse(f"{where}中合并单元格过多（{merges} 处以上），")
                        if area > MAX_CELLS:
                            kind = "合并单元格" if tag == b"mergeCell" else "超链接"
                            raise self._refuse(f"{where}中的{kind} {text} 覆盖 {area:,} 个单元格（上限 {MAX_CELLS:,}），")
                    if self.cells > MAX_CELLS:
                        raise self._refuse(f"工作簿的单元格超过 {MAX_CELLS:,} 个（数到{where}时已超出），")
                if not chunk:
                    break
                if len(rest) > _CHUNK:
                    rest = rest[-_CHUNK:]  # a tag this long is no tag we count


#: A number cell's text longer than this, or with a larger exponent, is no figure of
#: a report: refusing it keeps "1E+999999999" from being expanded into gigabytes.
MAX_NUMBER_TEXT = 40
MAX_EXPONENT = 30


def exact_number(value: str) -> int | Decimal:
    """A number cell's exact text as ``int`` or ``Decimal`` (never float)."""
    if len(value) > MAX_NUMBER_TEXT:
        raise InvalidOperation(value[:20])
    if "." in value or "E" in value or "e" in value:
        number = Decimal(value)
        exponent = number.as_tuple().exponent
        if not number.is_finite() or not isinstance(exponent, int) or abs(exponent) > MAX_EXPONENT:
            raise InvalidOperation(value)
        return number
    return int(value)


_cast_number = exact_number


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl may wrap its exception)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def load(data: bytes, name: str, *, data_only: bool) -> Any:
    """The openpyxl workbook of already-checked bytes.

    ``data_only=False`` keeps formulas as their text (``=SUM(B7:B9)``); with
    ``True`` a formula cell holds the result the file cached, or None.
    """
    openpyxl = import_openpyxl()
    from openpyxl.worksheet import _reader

    with _LOCK, warnings.catch_warnings():
        # WPS and Excel files carry extensions openpyxl warns about; they are harmless here.
        warnings.simplefilter("ignore")
        cast, from_excel = _reader._cast_number, _reader.from_excel
        _reader._cast_number = _cast_number
        _reader.from_excel = lambda value, *a, **k: from_excel(float(value), *a, **k)  # dates only
        try:
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=False, data_only=data_only, keep_links=False, keep_vba=False
            )
        except Exception as exc:  # noqa: BLE001 - anything a malformed file makes openpyxl raise
            if _defused(exc):
                raise DocumentError(
                    ["工作簿含有不允许的 XML 声明（DOCTYPE/实体定义），可能是恶意文件（XML 炸弹），已拒绝打开。"], name
                ) from None
            if isinstance(exc, (MemoryError, RecursionError)):
                raise DocumentError(["工作簿内容过于复杂，无法读取，可能是恶意文件。"], name) from None
            if isinstance(exc, InvalidOperation):
                raise DocumentError(["工作簿中有无法识别的数字，文件可能已损坏。"], name) from None
            raise DocumentError(["工作簿的内容无法解析：文件已损坏，或不是 Excel 工作簿（.xlsx）。"], name) from None
        finally:
            _reader._cast_number, _reader.from_excel = cast, from_excel
