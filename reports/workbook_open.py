"""Opening a workbook that may have come off anyone's USB stick.

Before openpyxl sees a byte the file is checked: its size, that it is a zip
archive at all (and not an old .xls or an encrypted workbook), how large it
would be unpacked (a zip bomb is refused from its directory, without
unpacking), and that no XML part declares a DOCTYPE or entities (an XML bomb
is refused before parsing; defusedxml, which openpyxl uses when installed,
refuses them again). Formulas are never evaluated: cells keep the formula
text, and its cached result is read separately when needed.

Numbers are read as the exact text the file stores: openpyxl's number cast
is swapped, while this module loads a workbook, for one that gives ``int`` or
``Decimal`` — a figure from a workbook never passes through a float.
"""

from __future__ import annotations

import io
import lzma
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

#: A report's workbook is tens of kilobytes; these limits are far above any real one.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 5000
#: Merged ranges one sheet may declare; the report uses a few dozen, openpyxl slows with each.
MAX_MERGES = 2000

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
    return read_input(path, MAX_FILE_BYTES, "绩效自评报告的工作簿（报告的工作簿通常不到 1 MB）")


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
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    merges = archive.read(info).count(b"<mergeCell ")
                    if merges > MAX_MERGES:
                        raise DocumentError(
                            [f"工作表中合并单元格过多（{merges} 处），不像绩效自评报告，可能是恶意文件，已拒绝打开。"],
                            name,
                        )
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError,
            RuntimeError, zlib.error, lzma.LZMAError):
        raise DocumentError(["工作簿已损坏或不完整（可能没有复制完），无法读取。请重新复制或重新保存后再试。"], name) from None


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
