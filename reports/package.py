"""The handover package (.zpb): a sealed file a clerk carries to the finance bureau.

A zip holding the interchange JSON, the printed PDF, the workbook, the template
file the report was made with, and a manifest: the program and format versions,
the fingerprint printed on the paper, whether the report passed its checks, and
the SHA-256 of every member. The receiver reads a report of a form of another
family with the template the package carries, installed there or not, once it is
sure that template is the very one the report names (id, version and SHA-256).

Packages come off USB sticks, so opening one trusts nothing: the size of the
file and of every member, the compression ratio, the member names (no paths,
no ``..``, nothing unexpected, UTF-8 only), every hash, and that the printed
form and the workbook state the fingerprint of the package's data are checked
before anything is kept; whether the report passes its checks is worked out
again from the report, never taken from the manifest.

The hashes show that a package was not damaged on the way, not that it was
not changed: anyone who changes a figure can recompute them. What proves the
data is the one that was signed and stamped is its fingerprint, compared with
the one printed on the paper.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import models
from models import interchange
from models.errors import InputError, ZipingError
from models.fileio import is_folder, read_input, shown, write_atomic
from models.report import Report
from models.rules import blocking, check
from models.template import Template
from reports.workbook.opening import declared_entries

FORMAT = "ziping-package"
FORMAT_VERSION = 1
EXTENSION = ".zpb"
MANIFEST = "manifest.json"
#: The form template the report was made with, as issued: the receiver needs not have it.
TEMPLATE = "template.toml"
#: Every member a package may hold, and the most bytes each may unpack to.
MEMBERS: dict[str, int] = {
    MANIFEST: 1 << 20,
    "report.json": 20 << 20,
    "report.pdf": 40 << 20,
    "report.xlsx": 40 << 20,
    TEMPLATE: 1 << 20,
}
#: Members a package of an earlier version does not have.
OPTIONAL = {TEMPLATE}
MAX_PACKAGE_BYTES = 100 << 20
#: Entries beyond this are refused from the end record alone; a few more than
#: the four members still get their own, more precise, refusal.
MAX_ENTRIES = 64
#: A member above this size that unpacks to more than RATIO times its packed size is a bomb.
RATIO_FLOOR = 1 << 20
RATIO = 200
_STAMP = (2000, 1, 1, 0, 0, 0)


class PackageError(InputError):
    """A package that cannot be used; nothing of it was kept."""


class NeedsConfirmation(ZipingError):
    """The report has unexplained errors: pack only if the clerk confirms."""


@dataclass(frozen=True)
class Package:
    """A package opened and verified: not damaged, and its printed form and workbook made
    from its data. Nothing in it proves who made it (hashes can be recomputed): the data
    fingerprint against the stamped paper does (:func:`reports.handover.find_paper`)."""

    report: Report
    manifest: dict[str, Any]
    sha256: str
    name: str
    #: What the receiver should know of the template the package carries (not
    #: installed here), or "".
    template_note: str = ""

    @property
    def checked(self) -> bool:
        """Whether the report has no unexplained error: worked out from the report when
        the package was opened, never taken from the manifest."""
        return bool(self.manifest.get("checked"))

    @property
    def status(self) -> str:
        """草稿 or 定稿 as the sender declared it: a claim, kept with the receipt and
        trusted for nothing (a received report is a draft in the finance office's store)."""
        return str(self.manifest.get("status", "draft"))

    @property
    def fingerprint(self) -> str:
        return str(self.manifest["fingerprint"])


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(text: str, limit: int = 120) -> str:
    """A file name that FAT32, NTFS and every Windows accept."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip().rstrip(". ")
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name[:limit] or "报告"


def package_name(report: Report) -> str:
    """``{year}_{dept_name}_绩效自评.zpb``, safe on FAT32 and Windows."""
    year = report.year or "未填年度"
    dept = report.dept_name or "未填部门"
    return safe_file_name(f"{year}_{dept}_绩效自评") + EXTENSION


# ---------------------------------------------------------------------------
# Packing (the department's side)
# ---------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names are UTF-8
            zf.writestr(info, data)
    return buffer.getvalue()


def build_package(report: Report, *, status: str = "draft", unchecked_ok: bool = False) -> bytes:
    """The package's bytes.

    A report with unexplained errors is refused unless ``unchecked_ok``: then
    the manifest marks it unchecked (不校验导出), a backup rather than a submission.
    """
    from reports.printed import render_pdf
    from reports.workbook import render_workbook

    findings = check(report)
    open_errors = blocking(findings)
    if open_errors and not unchecked_ok:
        raise NeedsConfirmation(
            f"报告还有 {len(open_errors)} 项错误未改正也未说明。"
            "可以先改正或填写出错说明；如仍要导出，报送包将标为“不校验导出”，只作备份，不作正式报送。"
        )
    members = {
        "report.json": interchange.dumps(report).encode("utf-8"),
        "report.pdf": render_pdf(report),
        "report.xlsx": render_workbook(report),
    }
    template = _template_file(report)
    if template is not None:
        members[TEMPLATE] = template
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "program": models.PROGRAM,
        "program_version": models.__version__,
        "report_format_version": interchange.FORMAT_VERSION,
        "dept_name": report.dept_name,
        "year": report.year,
        "fingerprint": interchange.fingerprint(report),
        "template": interchange.template_of(report),
        "status": status,
        "checked": not open_errors,
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "packed_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
        },
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    return _zip({MANIFEST: body, **members})


def _template_file(report: Report) -> bytes | None:
    """The file of the template the report was made with, where this program has it."""
    from models import form, template_registry

    ref = interchange.template_of(report)
    if ref["sha256"] == form.TEMPLATE.digest:
        return form.TEMPLATE.data
    if report.form.ref == ref:  # the report's own form: installed, shipped or kept with it
        return report.form.data
    found = template_registry.find(ref["id"], ref["version"], ref["sha256"])
    return found.data if found is not None else None


#: Why a package whose template is not the one its report names (by id, version and SHA-256) is refused.
_NOT_ITS_TEMPLATE = "包内的表样模板与报告数据所用的表样模板不符，文件可能被改动。"


def _carried_template(contents: dict[str, bytes], display: str) -> Template | None:
    """The template a package carries, read and checked (None: it carries none)."""
    from models.template import TemplateError, load_bytes

    if TEMPLATE not in contents:
        return None
    try:
        return load_bytes(contents[TEMPLATE], TEMPLATE)
    except TemplateError as exc:
        first = exc.problems[0]
        many = f"有 {len(exc.problems)} 处问题，其一：" if len(exc.problems) > 1 else "有误："
        raise _refuse(display, f"包内的表样模板（{TEMPLATE}）{many}{first}") from None


def _carried(carried: Template | None, manifest: dict[str, Any], report: Report, display: str) -> str:
    """Check the template a package carries against the report it came with (its id,
    version and SHA-256); what the receiver should know of it, or ""."""
    from models import form, template_registry

    if carried is None:
        return ""
    if manifest.get("template") != carried.ref or interchange.template_of(report) != carried.ref:
        raise _refuse(display, _NOT_ITS_TEMPLATE)
    if carried.digest == form.TEMPLATE.digest or template_registry.find(carried.id, carried.version, carried.digest):
        return ""
    return (f"报告所用的表样模板 {carried.id} 版本 {carried.version}（{carried.name}，指纹 {carried.short_hash}）"
            f"本机没有安装，已用包内附带的模板核对；需要时可用「安装表样模板」安装它。")


def write_package(report: Report, path: str | Path, *, status: str = "draft", unchecked_ok: bool = False) -> Path:
    """Build the package and write it safely (a temporary name, read back, renamed).

    ``path`` may be a folder: the package gets its usual name there.
    """
    target = Path(path)
    if is_folder(target):
        target = target / package_name(report)
    write_atomic(target, build_package(report, status=status, unchecked_ok=unchecked_ok), verify=True)
    return target


# ---------------------------------------------------------------------------
# Opening (the finance side)
# ---------------------------------------------------------------------------


def _refuse(name: str, why: str) -> PackageError:
    return PackageError(f"报送包「{name}」无法使用：{why}未导入任何内容。")


def _check_member_name(display: str, info: zipfile.ZipInfo) -> None:
    raw = info.filename
    if not info.flag_bits & 0x800 and not raw.isascii():
        raise _refuse(display, "包内文件名不是 UTF-8 编码，文件可能被改动过。")
    if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw) or ".." in re.split(r"[/\\]", raw):
        raise _refuse(display, f"包内文件「{raw}」的路径不安全（绝对路径或含“..”）。")
    if raw not in MEMBERS:
        raise _refuse(display, f"包内有不应有的文件「{raw}」。")
    if info.flag_bits & 0x1:
        raise _refuse(display, f"包内文件「{raw}」被加密。")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> bytes:
    limit = MEMBERS[info.filename]
    if info.file_size > limit:
        raise _refuse(display, f"包内文件「{info.filename}」过大（{info.file_size // 1024} KB）。")
    if info.file_size > RATIO_FLOOR and info.file_size > RATIO * max(info.compress_size, 1):
        raise _refuse(display, f"包内文件「{info.filename}」压缩比异常，疑似压缩炸弹。")
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit or len(data) != info.file_size:
        raise _refuse(display, f"包内文件「{info.filename}」的实际大小与记录不符。")
    return data


def open_package(path: str | Path) -> Package:
    """Open and verify a package; raise :class:`PackageError` naming what is wrong."""
    p = Path(path)
    raw = read_input(p, MAX_PACKAGE_BYTES, "报送包")
    return read_package(raw, shown(p.name))


#: What a damaged or hostile archive can raise from zipfile and its decompressors.
_BROKEN = (
    zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError, NotImplementedError,
    zlib.error, lzma.LZMAError, KeyError, IndexError, OverflowError,
)


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _pdf_string(data: bytes, start: int) -> bytes:
    """The PDF literal string that starts after the ``(`` at ``start``, unescaped."""
    out = bytearray()
    depth, i, end = 1, start, min(len(data), start + 4096)
    while i < end:
        ch = data[i]
        if ch == 0x5C and i + 1 < end:  # a backslash escape
            nxt = data[i + 1]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert digits is not None
                out.append(int(digits.group(0), 8) & 0xFF)
                i += 1 + len(digits.group(0))
            elif nxt in (0x0A, 0x0D):
                i += 2  # a line continued
            else:
                out.append(nxt)
                i += 2
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                break
        out.append(ch)
        i += 1
    return bytes(out)


def pdf_fingerprint(pdf: bytes) -> str | None:
    """The fingerprint a PDF printed by this program states in its document information
    (the subject ``数据指纹 …``, the same as on every page), or None."""
    found = list(re.finditer(rb"/Subject\s*\(", pdf))
    if not found:
        return None
    text = _pdf_string(pdf, found[-1].end())
    decoded = text[2:].decode("utf-16-be", errors="replace") if text.startswith(b"\xfe\xff") else text.decode(
        "latin-1")
    match = re.search(r"数据指纹 ([0-9a-f]{16})", decoded)
    return match.group(1) if match else None


def _made_from(report_fingerprint: str, contents: dict[str, bytes], display: str) -> None:
    """Refuse a package whose printed form or workbook was not made from its data: each
    states the fingerprint of the data it was made from."""
    from reports.workbook import written_fingerprint

    for label, stated in (
        ("打印稿（report.pdf）", lambda: pdf_fingerprint(contents["report.pdf"])),
        # Reads a few kilobytes of the workbook, however large or hostile it is.
        ("工作簿（report.xlsx）", lambda: written_fingerprint(contents["report.xlsx"])),
    ):
        found = stated()
        if found != report_fingerprint:
            said = f"其上的数据指纹为 {found}" if found else "其中找不到数据指纹"
            raise _refuse(
                display,
                f"包内的{label}不是由包内的报告数据生成的（{said}，报告数据的指纹为 {report_fingerprint}），"
                "报送包可能被改动过。",
            )


def read_package(raw: bytes, display: str) -> Package:
    declared = declared_entries(raw)
    if declared is not None and declared > MAX_ENTRIES:
        raise _refuse(display, f"包内文件过多（{declared} 个），不是绩效自评报送包。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except _BROKEN:
        raise _refuse(display, "文件已损坏或不完整（不是有效的报送包）。") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise _refuse(display, "包内有重名的文件。")
        for info in infos:
            _check_member_name(display, info)
        missing = [m for m in MEMBERS if m not in names and m not in OPTIONAL]
        if missing:
            raise _refuse(display, f"缺少包内文件「{'」「'.join(missing)}」。")
        try:
            contents = {info.filename: _read_member(zf, info, display) for info in infos}
        except _BROKEN:
            raise _refuse(display, "文件已损坏或不完整（包内文件无法解压）。") from None
    try:
        manifest = json.loads(contents[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(display, "清单（manifest.json）已损坏。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(display, "这不是绩效自评报送包。")
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _refuse(display, "清单中的格式版本无效。")
    if version < 1:
        raise _refuse(display, "清单中的格式版本无效。")
    # A package of a newer program is read as far as this program knows it (its report
    # to be looked at only, where its data says so); members it does not know are refused above.
    newer = version > FORMAT_VERSION
    listed = manifest.get("members")
    if (not isinstance(listed, dict) or set(listed) - OPTIONAL != set(MEMBERS) - {MANIFEST} - OPTIONAL
            or set(listed) != set(contents) - {MANIFEST}):
        raise _refuse(display, "清单中的文件列表与包内文件不符。")
    for name, entry in listed.items():
        digest = hashlib.sha256(contents[name]).hexdigest()
        if not isinstance(entry, dict) or entry.get("sha256") != digest:
            raise _refuse(display, f"包内文件「{name}」与清单记录的校验值不符，文件可能被改动或损坏。")
    # A report of a form of another family reads with the template it came with: the
    # receiver need not have installed it (whether it is the report's is checked below).
    carried = _carried_template(contents, display)
    if carried is not None and manifest.get("template") != carried.ref:
        raise _refuse(display, _NOT_ITS_TEMPLATE)
    try:
        report = interchange.loads(contents["report.json"].decode("utf-8"), display, form=carried)
    except UnicodeDecodeError:
        raise _refuse(display, "报告数据不是 UTF-8 文本。") from None
    except ZipingError as exc:
        raise _refuse(display, f"报告数据无法读取：{exc}") from None
    fingerprint = interchange.fingerprint(report)
    if fingerprint != manifest.get("fingerprint"):
        raise _refuse(display, "报告数据的指纹与清单不符，文件可能被改动。")
    _made_from(fingerprint, contents, display)
    note = _carried(carried, manifest, report, display)
    if newer:
        note = (f"这个报送包由更新版本的程序生成（报送包格式版本 {version}，本程序只支持到版本 {FORMAT_VERSION}），"
                f"本程序按其中能读懂的部分导入。{note}")
    if manifest.get("status") not in ("draft", "final"):
        raise _refuse(display, "清单中的报告状态无效。")
    # The manifest is not sealed by any hash: whether the report passed its checks
    # is worked out again from the report itself, never taken from the manifest.
    manifest = {**manifest, "checked": not blocking(check(report))}
    return Package(report, manifest, hashlib.sha256(raw).hexdigest(), display, note)


def read_report(path: Path) -> Report:
    """The report inside a package (for ``check`` and ``convert``)."""
    return open_package(path).report
