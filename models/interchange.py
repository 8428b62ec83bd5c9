"""The interchange file: a report as one UTF-8 JSON document.

This is the data inside the handover package, what ``import`` and ``convert``
take and what the tests feed in. Figures are strings so that no float ever
touches them; blank is ``null``. The canonical form (sorted keys, no spaces)
is what the fingerprint printed on paper is computed from.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from models.document import described
from models.errors import DocumentError
from models.fileio import read_input
from models.report import Report

FORMAT = "ziping-report"
FORMAT_VERSION = 1
#: A report is tens of kilobytes; anything near this is not one of ours.
MAX_FILE_BYTES = 20 * 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def loads(text: str, source: str | None = None, *, strict: bool = True) -> Report:
    """Read an interchange document; raise :class:`DocumentError` with every problem.

    ``strict`` off is for the program's own store: invisible characters stored
    by an earlier version are removed instead of refused."""
    try:
        raw = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近）。文件可能已损坏或不完整。"],
            source,
        ) from None
    except (ValueError, RecursionError):
        raise DocumentError(["不是有效的 JSON：含有无法识别的内容、过长的数字或嵌套过深。"], source) from None
    if not isinstance(raw, dict):
        raise DocumentError(["文件内容应为一个报告对象（{…}）。"], source)
    try:  # "\ud800" escapes decode to characters no file or database can hold
        json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(["含有无效的字符（不成对的 UTF-16 代理项），文件可能已损坏。"], source) from None
    fmt = raw.get("format")
    version = raw.get("format_version")
    if fmt != FORMAT:
        raise DocumentError(
            [f"这不是绩效自评报告文件（format 应为 \"{FORMAT}\"，实为{described(fmt)}）。"], source
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError([f"format_version 应为整数，实为{described(version)}。"], source)
    if version > FORMAT_VERSION:
        raise DocumentError(
            [
                f"文件格式版本为 {version}，本程序只支持到版本 {FORMAT_VERSION}。"
                "这个文件由更新版本的程序生成，请升级程序后再打开。"
            ],
            source,
        )
    if version < 1:
        raise DocumentError([f"文件格式版本 {version} 无效。"], source)
    body = {k: v for k, v in raw.items() if k not in ("format", "format_version")}
    return Report.from_plain(body, source, strict=strict)


def read(path: str | Path) -> Report:
    """Read an interchange file from disk, with a clear message for every failure."""
    name = str(path)
    data = read_input(path, MAX_FILE_BYTES, "绩效自评报告文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(["文件不是 UTF-8 编码的文本，可能不是报告文件或已损坏。"], name) from None
    return loads(text, name)


def plain(report: Report) -> dict[str, Any]:
    """The whole interchange document as plain data."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, **report.to_plain()}


def dumps(report: Report) -> str:
    """The interchange file's text, readable and in the order of the paper."""
    return json.dumps(plain(report), ensure_ascii=False, indent=1) + "\n"


def canonical(report: Report) -> str:
    """The canonical text: sorted keys, no spaces; the fingerprint's input."""
    return json.dumps(plain(report), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(report: Report) -> str:
    """First 16 hex digits of the SHA-256 of the canonical document."""
    return hashlib.sha256(canonical(report).encode("utf-8")).hexdigest()[:16]
