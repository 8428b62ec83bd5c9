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
    named = template_named(raw.get("template"), source)
    body = {k: v for k, v in raw.items() if k not in ("format", "format_version", "template")}
    try:
        report = Report.from_plain(body, source, strict=strict)
    except DocumentError as exc:
        other = _other_template(named)
        if other:
            raise DocumentError([*exc.problems, other], source) from None
        raise
    report.template = named
    return report


def template_named(value: Any, source: str | None) -> dict[str, str] | None:
    """The template a file names (``{"id", "version", "sha256"}``), or None where it
    names none (a file of an earlier version: made with the Hunan 2023 form)."""
    if value is None:
        return None
    if (not isinstance(value, dict) or set(value) != {"id", "version", "sha256"}
            or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value.values())):
        raise DocumentError(["template 应写成 { \"id\": …, \"version\": …, \"sha256\": … }，文件可能已损坏。"], source)
    return dict(value)


def _other_template(named: dict[str, str] | None) -> str | None:
    """Why a file made with another template may not read here, or None."""
    from models import form

    if named is None or (named["id"], named["version"]) == (form.TEMPLATE.id, form.TEMPLATE.version):
        return None
    return (f"这份报告按表样模板 {named['id']} 版本 {named['version']} 填写，本程序按表样模板 "
            f"{form.TEMPLATE.id} 版本 {form.TEMPLATE.version} 读取，两者的栏目不同。")


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
    """The whole interchange document as plain data, naming the template it was made with."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "template": template_of(report),
            **report.to_plain()}


def template_of(report: Report) -> dict[str, str]:
    """The template a report was made with: the one it names, else the program's form."""
    from models import form

    return dict(report.template) if report.template else form.TEMPLATE.ref


def dumps(report: Report) -> str:
    """The interchange file's text, readable and in the order of the paper."""
    return json.dumps(plain(report), ensure_ascii=False, indent=1) + "\n"


def canonical(report: Report) -> str:
    """The canonical text: sorted keys, no spaces; the fingerprint's input. It leaves
    out the template's name: the fingerprint printed on paper is of the report's
    figures and words, and stays the same for reports printed before files named
    their template."""
    body = {k: v for k, v in plain(report).items() if k != "template"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(report: Report) -> str:
    """First 16 hex digits of the SHA-256 of the canonical document."""
    return hashlib.sha256(canonical(report).encode("utf-8")).hexdigest()[:16]
