"""The interchange file: a report as one UTF-8 JSON document.

This is the data inside the handover package, what ``import`` and ``convert``
take and what the tests feed in. Figures are strings so that no float ever
touches them; blank is ``null``. The canonical form (sorted keys, no spaces)
is what the fingerprint printed on paper is computed from.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from models.document import described
from models.errors import DocumentError
from models.fileio import read_input
from models.report import Report
from models.template import Template

FORMAT = "ziping-report"
FORMAT_VERSION = 1
#: A report is tens of kilobytes; anything near this is not one of ours.
MAX_FILE_BYTES = 20 * 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def loads(text: str, source: str | None = None, *, strict: bool = True,
          template: dict[str, str] | None = None, form: Template | None = None) -> Report:
    """Read an interchange document; raise :class:`DocumentError` with every problem.

    ``strict`` off is for the program's own store: invisible characters stored
    by an earlier version are removed instead of refused. ``template`` is the one
    the store's record names, for a text that names none.

    A document of a newer program (a later ``format_version``) or of a newer issue
    of the program's template is read as far as it fits this program's form, to be
    looked at only (:attr:`Report.readonly_reason`); fields the form lacks are named
    there and kept for :func:`plain`, never dropped silently. So is a stored report
    with fields the form lacks.

    A report made with a form of another family (:attr:`Template.flat`) is read with
    that template: ``form`` where given (the one a package carries), else the one
    installed or shipped under the id, version and content the report names."""
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
    if version < 1:
        raise DocumentError([f"文件格式版本 {version} 无效。"], source)
    named = template_named(raw.get("template"), source) or template
    body = {k: v for k, v in raw.items() if k not in ("format", "format_version", "template")}
    newer_format = version > FORMAT_VERSION
    own = form if form is not None and form.flat else _flat_template(named)
    if own is not None and not newer_format:
        report = Report.from_plain(body, source, strict=strict, form=own)
        report.template = named or own.ref
        return report
    newer_template = _newer_template(named)
    other_issue = _other_issue(named)
    unknown: list[str] | None = [] if newer_format or newer_template or other_issue or not strict else None
    try:
        report = Report.from_plain(body, source, strict=strict, unknown=unknown)
    except DocumentError as exc:
        other = _other_template(named)
        more = [other] if other else []
        if newer_format:
            more.append(f"文件格式版本为 {version}，本程序只支持到版本 {FORMAT_VERSION}：这个文件由更新版本的程序生成，"
                        "以上内容本程序无法读取，请升级程序后再打开。")
        if more:
            raise DocumentError([*exc.problems, *more], source) from None
        raise
    report.template = named
    if newer_format or unknown:
        report.readonly_reason = _readonly_reason(version, named if newer_template or other_issue else None,
                                                  unknown or [])
        report.kept = {k: v for k, v in raw.items() if k != "template"}
    return report


def _flat_template(named: dict[str, str] | None) -> Template | None:
    """The template of another family a report names, where this program has it."""
    from models import form, template_registry

    if named is None or template_registry.family(named["id"]) == template_registry.family(form.TEMPLATE.id):
        return None
    found = template_registry.find(named["id"], named["version"], named["sha256"])
    return found if found is not None and found.flat else None


def _other_issue(named: dict[str, str] | None) -> bool:
    """Whether a report names another issue of the program's own form than it runs."""
    from models import form
    from models.template_registry import family

    return (named is not None and family(named["id"]) == family(form.TEMPLATE.id)
            and (named["id"], named["version"]) != (form.TEMPLATE.id, form.TEMPLATE.version))


def other_issue_note(report: Report) -> str | None:
    """What the clerk is to know of a report made with another issue of the program's own
    form than it runs (one it reads fully: nothing is left out), or None."""
    from models import form

    named = report.template
    if report.flat or report.readonly_reason or named is None or not _other_issue(named):
        return None
    return (f"这份报告按表样模板 {named['id']} 版本 {named['version']} 填写，现按本程序使用的表样模板 "
            f"{form.TEMPLATE.id} 版本 {form.TEMPLATE.version} 显示、审核和打印（各栏按键对应）。")


def _newer_template(named: dict[str, str] | None) -> bool:
    """Whether a report names a later issue of the program's own form than it runs."""
    from models import form

    if named is None or (named["id"], named["version"]) == (form.TEMPLATE.id, form.TEMPLATE.version):
        return False
    from models.template_choice import is_newer

    return is_newer(named["id"], named["version"])


def _readonly_reason(version: int, newer: dict[str, str] | None, unknown: list[str]) -> str:
    """What the clerk reads of a report that may only be looked at."""
    from models import form

    if version > FORMAT_VERSION:
        why = f"这份报告由更新版本的程序生成（文件格式版本 {version}，本程序只支持到版本 {FORMAT_VERSION}）"
    elif newer is not None and _newer_template(newer):
        why = (f"这份报告按更新的表样模板 {newer['id']} 版本 {newer['version']} 填写"
               f"（本程序的表样是 {form.TEMPLATE.id} 版本 {form.TEMPLATE.version}）")
    elif newer is not None:
        why = (f"这份报告按表样模板 {newer['id']} 版本 {newer['version']} 填写，本程序现用的表样是 "
               f"{form.TEMPLATE.id} 版本 {form.TEMPLATE.version}，少了其中的栏目")
    else:
        why = "这份报告含有本程序不认识的栏目（由更新版本的程序或表样模板保存）"
    text = f"{why}，只能查看，不能修改；要修改请升级程序。"
    if unknown:
        paths = list(dict.fromkeys(re.sub(r"\.\d+(?=\.|$)", "", p) for p in unknown))
        text += f"本程序的表样没有这些栏目，它们原样保留在报告数据中，但不显示、不打印、不审核：{'、'.join(paths)}。"
    return text


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
    from models import form, template_registry

    if named is None or (named["id"], named["version"]) == (form.TEMPLATE.id, form.TEMPLATE.version):
        return None
    if named["id"] != form.TEMPLATE.id and template_registry.find(named["id"], named["version"]) is None:
        return (f"这份报告按表样模板 {named['id']} 版本 {named['version']} 填写，本机没有安装这个模板。"
                "请向下发模板的财政局索取模板文件，用「工具 → 安装表样模板」安装后再打开；"
                "财政局收到的报送包自带模板，可直接导入。")
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
    ours = {"format": FORMAT, "format_version": FORMAT_VERSION, "template": template_of(report),
            **report.to_plain()}
    if report.kept is None:
        return ours
    out = _merged(report.kept, ours)
    out["format_version"] = max(FORMAT_VERSION, report.kept.get("format_version", FORMAT_VERSION))
    return out


def _merged(kept: Any, ours: Any) -> Any:
    """Our data, with what a newer program's document has beyond it kept as it was."""
    if isinstance(kept, dict) and isinstance(ours, dict):
        return {**{k: _merged(kept[k], v) if k in kept else v for k, v in ours.items()},
                **{k: v for k, v in kept.items() if k not in ours}}
    if isinstance(kept, list) and isinstance(ours, list) and len(kept) == len(ours):
        return [_merged(a, b) for a, b in zip(kept, ours, strict=True)]
    return ours


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
