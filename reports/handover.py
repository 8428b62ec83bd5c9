"""The finance side: taking in handover packages, one or a folder of them.

One package's failure never stops the rest; each outcome says what happened
and why, in words for the finance officer.

What a package proves: its members' hashes match its manifest, so it was not
damaged on the way, and its printed form and workbook were made from its data.
Hashes can be recomputed by anyone, so they do not prove who made it or that
nothing was changed. The real check is the data fingerprint printed on every
stamped page: :func:`find_paper` (``verify``) finds the report whose data has
it, and the check is recorded for the 汇总表.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from models import interchange
from models.errors import InputError, ReasonRequired, ZipingError
from models.fileio import describe, is_folder, log_bug, shown
from models.report import Report
from models.rules import check
from models.standing import standing
from models.store import FingerprintMatch, Store
from reports.package import EXTENSION, open_package

Policy = Literal["ask", "replace", "keep"]
Kind = Literal["imported", "replaced", "duplicate", "conflict", "failed"]

KIND_LABELS = {
    "imported": "已导入",
    "replaced": "已替换",
    "duplicate": "重复",
    "conflict": "待定",
    "failed": "未导入",
}


@dataclass(frozen=True)
class Outcome:
    path: Path
    kind: Kind
    message: str
    report_id: int | None = None
    #: The data fingerprint of the package's report: to compare with the stamped paper's.
    fingerprint: str | None = None
    #: A final report stands in the way: replacing it needs a reason.
    needs_reason: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def name(self) -> str:
        """The package's file name as shown (bytes that are not UTF-8 escaped)."""
        return shown(self.path.name)


def _who(report: Report) -> str:
    return f"{report.dept_name or '（未填部门名称）'} {report.year or ''}年度"


def receive(store: Store, path: str | Path, policy: Policy = "ask", reason: str | None = None) -> Outcome:
    """Take in one package. A department and year already present is replaced
    (the old report stays as a revision), kept beside, or left for the officer
    to decide (``ask``); a byte-identical package, or one with the same content and
    status as what was received, is recognised as a duplicate. Replacing a final
    report needs ``reason``.

    Whatever goes wrong with one package is its outcome, never an exception:
    one package's failure never stops the rest."""
    p = Path(path)
    name = shown(p.name)
    try:
        return _receive(store, p, name, policy, reason)
    except ZipingError as exc:
        return Outcome(p, "failed", f"报送包「{name}」：{exc}")
    except Exception:  # noqa: BLE001 - one package's failure never stops the rest
        log = log_bug(f"receiving package {shown(p)}")
        where = f"详细信息已写入 {log}。" if log else ""
        return Outcome(p, "failed", f"报送包「{name}」未导入：程序内部错误，未导入任何内容。{where}")


def _receive(store: Store, p: Path, name: str, policy: Policy, reason: str | None) -> Outcome:
    try:
        package = open_package(p)
    except ZipingError as exc:
        return Outcome(p, "failed", str(exc))
    report = package.report
    who = _who(report)
    earlier = store.receipt_by_hash(package.sha256)
    if earlier is not None:
        where = "（该报告现在回收站中，可从回收站还原）" if store.info(earlier.report_id).deleted_at else ""
        return Outcome(
            p, "duplicate",
            f"{who}：与 {earlier.received_at[:19].replace('T', ' ')} 导入的「{earlier.file_name}」完全相同，"
            f"未重复导入{where}。",
            earlier.report_id, package.fingerprint,
        )
    for info in store.find(report.dept_name, report.year):
        receipt = store.receipt_of(info.id)
        if info.fingerprint == package.fingerprint and receipt is not None and receipt.status == package.status:
            return Outcome(
                p, "duplicate",
                f"{who}：报告内容和报送状态与 {receipt.received_at[:19].replace('T', ' ')} 导入的"
                f"「{receipt.file_name}」相同（报告 {info.id}），未重复导入。",
                info.id, package.fingerprint,
            )
    state = standing(check(report), package.status)
    paper = f"数据指纹 {package.fingerprint}，请与盖章纸质报告页脚的数据指纹核对。"
    outcome = _take_in(
        store, p, report, policy, reason,
        lambda replace, why: store.receive(
            report, file_name=name, sha256=package.sha256, checked=package.checked,
            status=package.status, replace=replace, reason=why,
        ),
        f"（{state.line()}）",
    )
    if outcome.kind in ("imported", "replaced"):
        note = package.template_note
        if note and report.flat:
            note += "这个模板已随报告保存在本数据库中，以后打开、审核和汇总这份报告都不需要安装它。"
        return Outcome(p, outcome.kind, outcome.message + paper + note, outcome.report_id, package.fingerprint)
    return outcome


def receive_report(
    store: Store, path: str | Path, report: Report, policy: Policy = "ask", reason: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Take in a report read from a file (.json, .xlsx) as a package is taken in: the same
    content as a report of the department and year is a duplicate; another report of
    that department and year is replaced, kept beside, or left to decide (``ask``)."""
    p = Path(path)
    note = note or f"导入自 {shown(p.name)}"
    try:
        fingerprint = interchange.fingerprint(report)
        for info in store.find(report.dept_name, report.year):
            if info.fingerprint == fingerprint:
                return Outcome(
                    p, "duplicate", f"{_who(report)}：与数据库中的报告 {info.id} 内容完全相同，未重复导入。", info.id
                )
        return _take_in(
            store, p, report, policy, reason,
            lambda replace, why: store.create(report, kind="import", note=note) if replace is None
            else _replaced(store, replace, report, note, why),
            "",
        )
    except ZipingError as exc:
        return Outcome(p, "failed", f"「{shown(p.name)}」：{exc}")


def _replaced(store: Store, report_id: int, report: Report, note: str, reason: str | None) -> int:
    store.replace(report_id, report, note, reason)
    return report_id


def _take_in(
    store: Store, p: Path, report: Report, policy: Policy, reason: str | None,
    write: Callable[[int | None, str | None], int], note: str,
) -> Outcome:
    """The department-year rule, the same for packages and files: one department-year is
    one report unless the user chose to keep both."""
    who = _who(report)
    same = store.find(report.dept_name, report.year)
    final = [r for r in same if r.status == "final"]
    if same and policy == "ask":
        ids = "、".join(str(r.id) for r in same)
        locked = "；其中报告 " + "、".join(str(r.id) for r in final) + " 已定稿，替换须说明原因" if final else ""
        return Outcome(
            p, "conflict",
            f"{who}：数据库中已有该部门该年度的报告（编号 {ids}{locked}）。"
            "请选择替换（旧报告保留为历史版本）或两份都保留。",
            needs_reason=bool(final),
        )
    replace = same[0].id if same and policy == "replace" else None
    only_read = report.readonly_reason or ""
    try:
        report_id = write(replace, reason)
    except ReasonRequired as exc:
        return Outcome(p, "conflict", f"{who}：{exc}", replace, needs_reason=True)
    if replace is not None:
        several = f"（该部门该年度共有 {len(same)} 份报告，替换的是编号最小的一份）" if len(same) > 1 else ""
        return Outcome(
            p, "replaced", f"{who}：已替换报告 {report_id}{several}，原内容保留为历史版本{note}。{only_read}",
            report_id,
        )
    kept = "；该部门该年度的报告 " + "、".join(str(r.id) for r in same) + " 也保留" if same else ""
    return Outcome(p, "imported", f"{who}：已导入为报告 {report_id}{note}{kept}。{only_read}", report_id)


def package_files(paths: Iterable[str | Path]) -> list[Path]:
    """The packages named, with the folders among them opened (not their subfolders)."""
    out: dict[Path, Path] = {}
    for item in paths:
        p = Path(item)
        try:
            found = sorted(f for f in p.iterdir() if f.suffix.lower() == EXTENSION and f.is_file()) if is_folder(p) else [p]
        except OSError as exc:
            raise InputError(f"无法读取文件夹「{shown(p)}」：{describe(exc)}。") from None
        for f in found:
            out.setdefault(f.resolve(), f)
    return list(out.values())


def receive_all(
    store: Store,
    paths: Iterable[str | Path],
    policy: Policy = "ask",
    progress: Callable[[int, int, Outcome], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    reason: str | None = None,
) -> list[Outcome]:
    """Take in many packages; ``progress(done, total, outcome)`` after each, and stop
    between packages when ``cancelled()`` says so."""
    files = package_files(paths)
    outcomes: list[Outcome] = []
    for i, path in enumerate(files, 1):
        if cancelled is not None and cancelled():
            break
        outcome = receive(store, path, policy, reason)
        outcomes.append(outcome)
        if progress is not None:
            progress(i, len(files), outcome)
    return outcomes


def summary_line(outcomes: list[Outcome], total: int) -> str:
    counts = {k: sum(1 for o in outcomes if o.kind == k) for k in KIND_LABELS}
    parts = [f"{KIND_LABELS[k]} {n} 个" for k, n in counts.items() if n]
    text = f"共 {total} 个报送包：" + "，".join(parts or ["无"])
    if len(outcomes) < total:
        text += f"；已取消，其余 {total - len(outcomes)} 个未处理"
    return text + "。"


def find_paper(store: Store, text: str) -> tuple[str | None, list[FingerprintMatch]]:
    """The fingerprint typed or scanned from a stamped page, and the reports it matches;
    each report found is recorded as having its paper checked (shown in the 汇总表).

    Accepts the 16 hex digits alone or the whole text of the page's QR code.
    """
    import re

    pattern = r"(?<![0-9a-fA-F])([0-9a-fA-F]{16})(?![0-9a-fA-F])"
    # The QR code's text as scanned, or the digits as typed, perhaps in groups.
    match = re.search(pattern, text) or re.search(pattern, re.sub(r"[\s\-]", "", text))
    if not match:
        return None, []
    fingerprint = match.group(1).lower()
    matches = store.find_fingerprint(fingerprint)
    for report_id in dict.fromkeys(m.report_id for m in matches):
        store.note_paper(report_id, fingerprint)
    return fingerprint, matches
