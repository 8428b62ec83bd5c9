"""绩效自评填报 — the front door.

``python main.py`` opens the window; ``python main.py VERB …`` runs a verb
from the command line. Exit status: 0 done, 1 the report has errors
(findings of severity error), 2 unusable input, 3 an internal error (logged).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from models import PROGRAM

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


def _command() -> str:
    """How the clerk started the program: ``ziping`` when installed (or bundled), else main.py."""
    return "ziping" if Path(sys.argv[0]).stem in ("ziping", "ziping-gui") else "main.py"

# argparse speaks English; these are the phrases it prints to a user.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "invalid %(type)s value: %(value)r": "无效的值：「%(value)s」",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def _check_value(self, action: argparse.Action, value: Any) -> None:
        # argparse lists the choices as Python reprs ('check', 'import'); say them plainly.
        if action.choices is not None and value not in action.choices:
            choices = "、".join(str(c) for c in action.choices)
            raise argparse.ArgumentError(action, f"无效的选择：「{value}」（可选：{choices}）")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"错误：{message}\n请用 {self.prog} --help 查看用法。\n")


#: The largest id SQLite can hold; a larger one names no report.
_MAX_ID = 2**63 - 1


def _number(text: str, what: str, low: int, high: int, hint: str) -> int:
    """A whole number typed on the command line, refused in Chinese when out of range."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text).strip()
    shown = text if len(text) <= 30 else text[:30] + "…"
    if not cleaned.lstrip("-").isdigit() or len(cleaned) > 25:
        raise argparse.ArgumentTypeError(f"「{shown}」不是有效的{what}：{hint}")
    value = int(cleaned)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"「{shown}」不是有效的{what}：{hint}")
    return value


def _report_id(text: str) -> int:
    return _number(text, "报告编号", 1, _MAX_ID, "请填写 list 列出的编号（正整数）。")


def _revision_id(text: str) -> int:
    return _number(text, "版本编号", 1, _MAX_ID, "请填写 revisions 列出的版本编号（正整数）。")


def _year(text: str) -> int:
    return _number(text, "年度", 2000, 2100, "请填写 2000 到 2100 之间的年份，例如 2023。")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="文件", help="数据库文件（默认在用户数据目录中）")


def _accept_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--accept",
        action="store_true",
        help="Excel 工作簿（.xlsx）中有未能放入报告的单元格时，仍然接受放入的部分"
        "（未能放入的内容被舍弃）；不加此选项时列出这些单元格并拒绝（退出码 2）",
    )


def _reason_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--reason", metavar="原因", help=text)


def _part_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--part",
        choices=("all", "A", "B", "S"),
        default="all",
        help="PDF 和 Word 文件包含的部分：A 为自评报告表，B 为评价报告，S 为附件2 自评表，all 为全部（默认）",
    )


def _print_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duplex",
        action="store_true",
        help="PDF 按双面打印排版：单数页装订边在左，双数页装订边在右（页边距左右交替）",
    )
    parser.add_argument(
        "--amounts",
        choices=("typed", "fixed"),
        default="typed",
        help="PDF 中金额的写法：typed 按填写显示（默认，与纸质原表一致），fixed 两位小数并加千位分隔符（5,374.34）",
    )


def _options(args: argparse.Namespace) -> Any:
    """The print options the command line names (None: the defaults)."""
    if not getattr(args, "duplex", False) and getattr(args, "amounts", "typed") == "typed":
        return None
    from reports.pdf import PrintOptions

    return PrintOptions(duplex=args.duplex, amounts=args.amounts)


def _unchecked_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unchecked",
        action="store_true",
        help="报告还有未说明的错误时仍然生成报送包，标为“不校验导出”（只作备份，不作正式报送）",
    )


def build_parser() -> argparse.ArgumentParser:
    from models import form

    parser = _Parser(
        prog=_command(),
        description=f"{PROGRAM}：{form.REPORT.label}的填报、审核与导出。"
        "不带命令运行时打开程序窗口；给出一个报告文件（.json .xlsx .zpb）时在窗口中打开它。"
        "同一个数据库只开一个窗口：再次启动会切换到已打开的窗口。",
        epilog="退出码：0 完成；1 报告有错误；2 输入无法使用；3 程序内部错误。",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="命令", parser_class=_Parser)
    verbs.required = False

    def verb(name: str, text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run)
        return sub

    def report_verb(name: str, text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        """A verb on one report of the database: 报告编号 first, --db among its options."""
        sub = verb(name, text, run)
        sub.add_argument("report_id", metavar="报告编号", type=_report_id, help="报告编号（见 list）")
        _db_option(sub)
        return sub

    p = verb("check", "审核一个报告文件或数据库中的一份报告，列出发现的问题", cmd_check)
    p.add_argument("file", metavar="文件", help="报告文件（.json、Excel 工作簿 .xlsx 或报送包 .zpb），或数据库中的报告编号（见 list）")
    p.add_argument("--json", action="store_true", help="以 JSON 列表输出审核结果（单元格以程序内部的路径表示）")
    _accept_option(p)
    _db_option(p)

    p = verb("import", "把报告文件、报送包（.zpb）或装有报送包的文件夹导入数据库", cmd_import)
    p.add_argument("files", metavar="文件", nargs="+", help="报告文件（.json、.xlsx）、报送包（.zpb）或文件夹")
    _accept_option(p)
    existing = p.add_mutually_exclusive_group()
    existing.add_argument("--replace", action="store_true",
                          help="该部门该年度已有报告时替换它（原报告保留为历史版本）")
    existing.add_argument("--keep-both", action="store_true", help="该部门该年度已有报告时两份都保留")
    _reason_option(p, "替换已定稿的报告时须说明原因（会被记录）")
    _db_option(p)

    p = report_verb("export", "把数据库中的报告导出为文件", cmd_export)
    p.add_argument("out", metavar="输出文件", help="输出文件，格式由扩展名决定（.json .xlsx .pdf .docx .zpb）")
    _unchecked_option(p)
    _part_option(p)
    _print_options(p)

    p = verb("list", "列出数据库中的报告：编号、年度、部门、状态、最后保存时间", cmd_list)
    p.add_argument("--deleted", action="store_true", help="列出回收站中的报告")
    _db_option(p)

    p = verb("convert", "把报告从一种文件格式转换为另一种（按扩展名：.json .xlsx .pdf .docx .zpb）", cmd_convert)
    p.add_argument("input", metavar="输入文件")
    p.add_argument("out", metavar="输出文件")
    _accept_option(p)
    _unchecked_option(p)
    _part_option(p)
    _print_options(p)

    p = report_verb("pack", "把数据库中的报告打成报送包（.zpb），交财政局", cmd_pack)
    p.add_argument("out", metavar="输出", help="报送包文件（.zpb）或文件夹（使用标准文件名）")
    _unchecked_option(p)

    p = verb("summary", "生成某年度所有报告的汇总表（.xlsx）", cmd_summary)
    p.add_argument("year", metavar="年度", type=_year)
    p.add_argument("out", metavar="输出文件", help="汇总表文件（.xlsx）")
    _db_option(p)

    p = verb("verify", "按纸质报告上的数据指纹（或扫描的二维码文字）查找对应的报告", cmd_verify)
    p.add_argument("text", metavar="指纹", help="16 位数据指纹，或二维码扫描出的整段文字")
    _db_option(p)

    report_verb("revisions", "列出报告的历史版本（版本 1、2、3……）和定稿、重新打开、替换、导出、回收站等记录", cmd_revisions)

    p = report_verb("restore", "把报告恢复为某个历史版本（当前内容仍保留在历史中）", cmd_restore)
    p.add_argument("revision_id", metavar="版本编号", type=_revision_id, help="revisions 列出的版本号（版本 1、2、3……）")

    p = report_verb("delete", "把报告移入回收站", cmd_delete)
    _reason_option(p, "已定稿的报告移入回收站时须说明原因（会被记录）")

    report_verb("undelete", "从回收站还原报告", cmd_undelete)

    report_verb("final", "把报告标记为定稿（定稿后只读）", cmd_final)

    p = report_verb("reopen", "重新打开已定稿的报告（须说明原因）", cmd_reopen)
    p.add_argument("--reason", metavar="原因", required=True, help="重新打开的原因（会被记录）")

    p = report_verb("carry", "以某份报告为基础新建下一年度的报告（数字留空）", cmd_carry)
    p.add_argument("--keep-both", action="store_true", help="该部门下一年度已有报告时仍再新建一份")

    p = verb("new", "按表样模板新建一份空白报告", cmd_new)
    p.add_argument("--dept", metavar="部门名称", required=True, help="部门（单位）名称")
    p.add_argument("--year", metavar="年度", type=_year, required=True, help="报告年度，例如 2023")
    p.add_argument("--template", metavar="模板编号",
                   help="表样模板编号（见 template list）；不填则用该年度默认的表样模板")
    p.add_argument("--keep-both", action="store_true", help="该部门该年度已有报告时仍再新建一份")
    _db_option(p)

    p = report_verb("receipt", "财政局：为由报送包导入的报告打印一页报送回执（PDF）", cmd_receipt)
    p.add_argument("out", metavar="输出文件", help="回执文件（.pdf）")

    p = verb("framework", "列出可用的自评表指标体系，或核对一个指标体系文件（.json）", cmd_framework)
    p.add_argument("file", metavar="文件", nargs="?", help="要核对的指标体系文件；不填则列出程序找到的指标体系")

    p = verb("template", "表样模板：财政局下发的表样文件（.toml）的安装、列出与核对", cmd_template)
    actions = p.add_subparsers(dest="action", metavar="操作", parser_class=_Parser)
    actions.required = True
    sub = actions.add_parser("install", help="核对并安装一个表样模板文件", description="核对并安装一个表样模板文件")
    sub.add_argument("file", metavar="文件", help="表样模板文件（.toml）")
    sub = actions.add_parser("list", help="列出可用的表样模板：编号、名称、年度、版本、指纹",
                             description="列出可用的表样模板：编号、名称、年度、版本、指纹")
    sub = actions.add_parser("check", help="只核对一个表样模板文件，不安装", description="只核对一个表样模板文件，不安装")
    sub.add_argument("file", metavar="文件", help="表样模板文件（.toml）")
    return parser


# -- verbs ------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> Any:
    from models.store import Store

    return Store(args.db)


def _counts(findings: Sequence[Any]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    explained = sum(1 for f in findings if f.severity == "error" and f.explanation)
    text = f"错误 {errors} 项，警告 {warnings} 项"
    if explained:
        text += f"（其中 {explained} 项错误已说明）"
    return text


def _write(report: Any, out: str, *, unchecked: bool = False, status: str = "draft", part: str = "all",
           options: Any = None) -> str:
    """Write a report to ``out`` in the format its extension names; return where."""
    from models.fileio import is_folder

    if Path(out).suffix.lower() == ".zpb" or is_folder(out):
        from models.errors import InputError
        from reports.package import NeedsConfirmation, write_package

        if part != "all":
            raise InputError("报送包总是含整份报告，请去掉 --part。")
        if options is not None:
            raise InputError("报送包中的 PDF 按默认方式排版，请去掉 --duplex、--amounts。")

        try:
            return str(write_package(report, out, status=status, unchecked_ok=unchecked))
        except NeedsConfirmation as exc:
            raise InputError(f"{exc}命令行中加 --unchecked 即可。") from None
    from reports.formats import write_report

    write_report(report, out, part=part, options=options)
    return out


def _read(name: str, accept: bool) -> Any:
    """A report from a file; a workbook's placement report goes to stderr first."""
    return _read_placed(name, accept)[0]


def _read_placed(name: str, accept: bool) -> tuple[Any, dict[str, str]]:
    """A report from a file, and for a workbook where each of its values stood
    (cell path → ``收支情况!C7``); a workbook's placement report goes to stderr first."""
    if Path(name).suffix.lower() != ".xlsx":
        from reports.formats import read_report

        return read_report(name), {}
    from models.errors import InputError
    from reports.workbook import place_workbook

    placement = place_workbook(name)
    if placement.problems or placement.notes:
        print(placement.text(), file=sys.stderr)
    if placement.problems and not accept:
        raise InputError(
            f"「{name}」中有 {len(placement.problems)} 处内容未能放入报告，什么也没有读入。"
            "请核对上面的清单；确认无误后可加 --accept 接受已放入的内容（未能放入的内容将被舍弃）。"
        )
    return placement.report, placement.cells


def _where(path: str, cells: dict[str, str]) -> str:
    """A finding's cell as the clerk finds it: the workbook's cell, else the form's label."""
    from models.report import path_label

    return cells.get(path) or path_label(path)


def cmd_check(args: argparse.Namespace) -> int:
    from models import interchange
    from models.labels import cells_text
    from models.rules import blocking, check

    package = None
    cells: dict[str, str] = {}
    if Path(args.file).suffix.lower() == ".zpb":
        from reports.package import open_package

        package = open_package(args.file)
        report = package.report
    elif args.file.strip().isdigit() and not Path(args.file).exists():
        # a report of the database, by the number list shows
        from models.errors import InputError

        try:
            report_id = _report_id(args.file)
        except argparse.ArgumentTypeError as exc:
            raise InputError(str(exc)) from None
        with _store(args) as store:
            report = store.load(report_id)
    else:
        report, cells = _read_placed(args.file, args.accept)
    findings = check(report)
    if args.json:
        listed = [f.as_dict() for f in findings]
        if cells:  # a workbook: where each cell stands in it
            for item, f in zip(listed, findings, strict=True):
                item["where"] = [_where(c, cells) for c in f.cells]
        print(json.dumps(listed, ensure_ascii=False, indent=1))
    else:
        title = f"{report.dept_name or '（未填部门名称）'} {report.year or ''}年度"
        print(f"{title}　指纹 {interchange.fingerprint(report)}")
        if report.readonly_reason:
            print(f"{report.readonly_reason}以下按本程序的表样审核。")
        if note := interchange.other_issue_note(report):
            print(note)
        if package is not None:
            from models.standing import standing

            print("报送包在传递中没有损坏（各文件与清单的校验值一致），打印稿和工作簿由包内的报告数据生成。")
            if package.template_note:
                print(package.template_note)
            print(standing(findings, package.status).line() + "。")
            print(f"校验值只能发现损坏，不能证明报告未被改动：请核对盖章纸质报告页脚的数据指纹是否为 "
                  f"{interchange.fingerprint(report)}（财政局可用 verify 核对）。")
        if not findings:
            print("审核通过：没有发现问题。")
        else:
            print(f"审核发现：{_counts(findings)}")
            for f in findings:
                # Where, as the window and the paper name it (and a workbook's cell, where the
                # figure was read from one); the cell paths are in --json.
                print(f"[{f.severity_label}] {cells_text(f.cells, report, cells)}")
                print(f"    {f.message}")
                if f.explanation:
                    print(f"    出错说明：{f.explanation}")
    return EXIT_FINDINGS if blocking(findings) else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from models.errors import ZipingError
    from models.fileio import is_folder, shown
    from models.rules import check
    from reports.handover import Outcome, Policy, receive_all, receive_report, summary_line

    packages = [n for n in args.files if is_folder(n) or Path(n).suffix.lower() == ".zpb"]
    others = [n for n in args.files if n not in packages]
    policy: Policy = "replace" if args.replace else ("keep" if args.keep_both else "ask")
    outcomes: list[Outcome] = []

    def show(outcome: Outcome, where: str = "") -> None:
        stream = sys.stderr if outcome.kind in ("failed", "conflict") else sys.stdout
        print(f"{where}{outcome.label}：{outcome.message}", file=stream, flush=True)

    with _store(args) as store:
        if packages:
            def progress(done: int, total: int, outcome: Any) -> None:
                show(outcome, f"[{done}/{total}] {outcome.name} ")

            from reports.handover import package_files

            total = len(package_files(packages))
            received = receive_all(store, packages, policy, progress, reason=args.reason)
            print(summary_line(received, total))
            if any(o.fingerprint for o in received):
                print("报送包的校验值只能说明传递中没有损坏，不能证明报告未被改动；"
                      "请用 verify 核对每份盖章纸质报告页脚的数据指纹。")
            outcomes += received
        for name in others:
            try:
                report = _read(name, args.accept)
            except ZipingError as exc:
                outcome = Outcome(Path(name), "failed", f"未导入「{shown(name)}」：{exc}")
            else:
                same = store.find(report.dept_name, report.year)
                outcome = receive_report(store, name, report, policy, args.reason)
            outcomes.append(outcome)
            who = f"{report.dept_name} {report.year or ''}年度" if outcome.report_id else ""
            if outcome.kind == "imported":
                print(f"已导入 {shown(name)} → 报告 {outcome.report_id}：{who}（{_counts(check(report))}）")
                if report.readonly_reason:
                    print(f"    {report.readonly_reason}")
                if same:
                    ids = "、".join(str(r.id) for r in same)
                    print(f"    数据库中同一部门同一年度的报告（编号 {ids}）也保留（--keep-both）。")
            elif outcome.kind == "replaced":
                print(f"已替换 {shown(name)} → 报告 {outcome.report_id}：{who}，原内容保留为历史版本"
                      f"（{_counts(check(report))}）")
            elif outcome.kind == "failed":
                print(outcome.message, file=sys.stderr)
            else:
                show(outcome, f"{shown(name)} ")
    failed = sum(1 for o in outcomes if o.kind in ("failed", "conflict"))
    if any(o.kind == "conflict" and not o.needs_reason for o in outcomes):
        print("待定的文件可以加 --replace（替换，原报告保留为历史版本）或 --keep-both（两份都保留）再导入。",
              file=sys.stderr)
    if any(o.needs_reason for o in outcomes):
        print("替换已定稿的报告须说明原因：加 --replace --reason \"原因\" 再导入（原因会被记录，报告改为草稿）。",
              file=sys.stderr)
    if failed:
        if others:
            print(f"共 {len(args.files)} 个文件，{failed} 个未导入。", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        report = store.load(args.report_id)
        status = store.info(args.report_id).status
        where = _write(report, args.out, unchecked=args.unchecked, status=status, part=args.part,
                       options=_options(args))
        store.note_issued(args.report_id, f"导出 {Path(where).name}")
    print(f"已导出报告 {args.report_id} → {where}")
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    from models.rules import blocking, check

    with _store(args) as store:
        report = store.load(args.report_id)
        status = store.info(args.report_id).status
        where = _write(report, args.out, unchecked=args.unchecked, status=status)
        store.note_issued(args.report_id, f"报送包 {Path(where).name}")
    state = "不校验导出，只作备份" if blocking(check(report)) else "已校验"
    print(f"已生成报送包 {where}（{state}）。")
    return EXIT_OK


def _only(out: str, extension: str, what: str) -> None:
    """Refuse an output file of another kind than ``what`` is made as."""
    if Path(out).suffix.lower() != extension:
        from models.errors import InputError

        raise InputError(f"{what}只能保存为 {extension} 文件，而不是「{Path(out).name}」。")


def cmd_summary(args: argparse.Namespace) -> int:
    from models.fileio import write_atomic
    from reports.consolidation import render_summary

    _only(args.out, ".xlsx", "汇总表")
    with _store(args) as store:
        data = render_summary(store, args.year)
    write_atomic(args.out, data)
    print(f"已生成 {args.year} 年度汇总表 → {args.out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from reports.handover import find_paper

    with _store(args) as store:
        fingerprint, matches = find_paper(store, args.text)
    if fingerprint is None:
        print("没有找到 16 位的数据指纹：请输入纸质报告页脚“数据指纹”后的 16 位字母数字，或扫描二维码。",
              file=sys.stderr)
        return EXIT_INPUT
    if not matches:
        print(f"没有与指纹 {fingerprint} 相符的报告：纸质报告与数据库中的任何报告（包括回收站中的）都不一致。")
        return EXIT_FINDINGS
    for m in matches:
        when = m.saved_at[:19].replace("T", " ")
        state = "即当前内容" if m.current else "是较早的版本，报告此后又有修改"
        print(f"指纹 {fingerprint} 属于报告 {m.report_id}：{m.dept_name} {m.year or ''}年度，"
              f"{when} 保存的版本 {m.number}，{state}。")
        if m.deleted_at:
            print(f"    注意：报告 {m.report_id} 已于 {m.deleted_at[:19].replace('T', ' ')} 移入回收站"
                  f"（可用 undelete {m.report_id} 还原）。")
    print("已记录这次核对，汇总表的「纸质报告核对」一栏会显示。")
    return EXIT_OK


def cmd_framework(args: argparse.Namespace) -> int:
    from models import framework as fw

    if args.file:
        found = [fw.load_file(args.file)]  # a bad file raises FrameworkError: exit 2 with its problems
    else:
        found = fw.available()
        for problem in fw.problems():
            print(problem, file=sys.stderr)
    for frame in found:
        lines = "；".join(f"{a.name} {a.weight}（{'、'.join(b.name for b in a.level2)}）" for a in frame.level1)
        print(f"{frame.id}：{frame.name}\n  {lines}\n  文件：{frame.path}")
    if not args.file:
        print(f"本地的指标体系文件放在：{fw.user_directory()}（与随程序附带的同名 id 时以本地的为准）")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from models import template_registry as registry
    from models.template import load_file

    if args.action == "check":
        found = load_file(args.file)  # a bad file raises TemplateError: exit 2 with every problem
        print(f"表样模板「{args.file}」可以使用：{found.id} 版本 {found.version}（{found.name}，{found.year} 年度），"
              f"指纹 {found.short_hash}。")
        return EXIT_OK
    if args.action == "install":
        print(registry.installed_text(*registry.install(args.file)))
        return EXIT_OK
    entries, problems = registry.entries()
    for problem in problems:
        print(problem, file=sys.stderr)
    print("编号\t名称\t年度\t版本\t指纹\t来源")
    for entry in entries:
        t = entry.template
        print(f"{t.id}\t{t.name}\t{t.year}\t{t.version}\t{t.short_hash}\t{entry.where}")
    print(f"新建报告默认使用该年度已安装的最新版本（没有时为 {registry.tpl.DEFAULT_ID}）。"
          f"安装的模板放在：{registry.directory()}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from models import template_registry as registry
    from models.errors import InputError
    from models.report import Report
    from models.template_choice import for_new_report, template_line

    notes: tuple[str, ...] = ()
    if args.template:
        template = registry.find(args.template.strip())
        if template is None:
            ids = "、".join(dict.fromkeys(t.id for t in registry.available()))
            raise InputError(f"没有编号为「{args.template}」的表样模板。可用的表样模板：{ids}（详见 template list）；"
                             "财政局下发的模板须先用 template install 安装。")
    else:
        choice = for_new_report(args.year)
        template, notes = choice.template, choice.notes
    if not args.dept.strip():
        raise InputError("部门名称不能为空：请用 --dept 填写部门（单位）名称。")
    report = Report(None, template) if template.flat else Report()
    report.template = template.ref
    for role, default, text in (("department", "cover.dept_name", args.dept.strip()),
                                ("year", "cover.year", str(args.year))):
        report.set_text(template.role(role) or default, text)
    with _store(args) as store:
        same = store.find(report.dept_name, report.year)
        if same and not args.keep_both:
            ids = "、".join(str(r.id) for r in same)
            raise InputError(f"数据库中已有 {report.dept_name} {report.year}年度的报告（编号 {ids}），没有新建。"
                             "如确要再新建一份，加 --keep-both。")
        report_id = store.create(report, kind="create", note="新建空白报告")
    print(f"已新建报告 {report_id}：{report.dept_name} {report.year}年度。{template_line(template)}")
    for note in notes:
        print(note)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from models.standing import receipt_line

    with _store(args) as store:
        infos = store.listing(deleted=args.deleted)
        receipts = store.receipts()
    handed = {r.id: receipt_line(receipts[r.id].status, receipts[r.id].checked) for r in infos if r.id in receipts}
    if not infos:
        print("回收站是空的。" if args.deleted else "数据库中还没有报告。")
        return EXIT_OK
    for r in infos:
        saved = r.updated_at[:19].replace("T", " ")
        line = f"{r.id}\t{r.year or '----'}\t{r.dept_name or '（未填部门名称）'}\t{r.status_label}\t{saved}"
        if args.deleted and r.deleted_at:
            line += f"\t删除于 {r.deleted_at[:19].replace('T', ' ')}"
        if r.id in handed:
            line += f"\t{handed[r.id]}"
        print(line)
    if handed:
        print("（报送状态来自报送包：定稿、草稿为部门申报，不校验导出和出错说明按报告数据核定；"
              "错误和出错说明的项数见 check、汇总表或报送回执。）")
    return EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    report = _read(args.input, args.accept)
    where = _write(report, args.out, unchecked=args.unchecked, part=args.part, options=_options(args))
    print(f"已转换 {args.input} → {where}")
    return EXIT_OK


def cmd_revisions(args: argparse.Namespace) -> int:
    with _store(args) as store:
        history = store.history(args.report_id)
    for item in history:
        when = item.at[:19].replace("T", " ")
        note = f"\t{item.note}" if item.note else ""
        if item.revision is not None:
            print(f"版本 {item.revision.number}\t{when}\t{item.label}\t{item.revision.fingerprint}{note}")
        else:
            print(f"　　——\t{when}\t{item.label}\t{note.strip()}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    with _store(args) as store:
        revisions = store.revisions(args.report_id)
        number = args.revision_id
        if not any(r.number == number for r in revisions):
            # Earlier versions of the program listed the database-wide id of a revision:
            # a number no version of this report has, but one of its ids, is taken as that.
            old = next((r for r in revisions if r.id == number), None)
            if old is not None:
                print(f"（{number} 按数据库内部编号理解，即本报告的版本 {old.number}。）")
                number = old.number
        target = store.revision_numbered(args.report_id, number)
        before = revisions[0].id
        after = store.restore(args.report_id, target.id)
        now = store.number_of(args.report_id, after)
    if after == before:
        print(f"报告 {args.report_id} 的当前内容已与版本 {number} 相同，没有新建版本。")
    else:
        print(f"报告 {args.report_id} 已恢复为版本 {number} 的内容（新版本 {now}）。")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.delete(args.report_id, args.reason)
    print(f"报告 {args.report_id} 已移入回收站，可用 undelete 还原。")
    return EXIT_OK


def cmd_undelete(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.undelete(args.report_id)
    print(f"报告 {args.report_id} 已从回收站还原。")
    return EXIT_OK


def cmd_final(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.mark_final(args.report_id)
    print(f"报告 {args.report_id} 已定稿，现为只读。")
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.reopen(args.report_id, args.reason)
    print(f"报告 {args.report_id} 已重新打开，原因已记录。")
    return EXIT_OK


def cmd_carry(args: argparse.Namespace) -> int:
    with _store(args) as store:
        new_id, carried = store.carry(args.report_id, keep_both=args.keep_both)
        info = store.info(new_id)
    print(f"已新建报告 {new_id}：{info.dept_name} {info.year or ''}年度（由报告 {args.report_id} 结转）。")
    print(carried.text())
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    from models.fileio import write_atomic
    from reports.receipt import render_receipt

    _only(args.out, ".pdf", "报送回执")
    with _store(args) as store:
        data = render_receipt(store, args.report_id)
        write_atomic(args.out, data)
        store.note_receipt(args.report_id, f"报送回执 {Path(args.out).name}")
    print(f"已生成报告 {args.report_id} 的报送回执 → {args.out}")
    return EXIT_OK


def _no_screen() -> bool:
    """A Linux session without a display, where Qt would abort instead of opening."""
    import os

    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


#: Files the window opens when given instead of a verb (a double-clicked report).
WINDOW_FILES = (".json", ".xlsx", ".zpb")


def open_window(db: str | None, open_path: str | None = None) -> int:
    if _no_screen():
        command = "python3 main.py" if _command() == "main.py" else _command()
        print("没有可用的图形界面（未设置 DISPLAY），无法打开程序窗口。"
              f"可以在桌面环境中运行，或使用命令行：{command} --help。", file=sys.stderr)
        return EXIT_INPUT
    try:
        from ui.app import run
    except ImportError as exc:
        print(f"程序窗口所需的组件没有安装好（{exc.name or exc}）。"
              "请先运行 python3 -m pip install -e . 再打开。", file=sys.stderr)
        return EXIT_INPUT
    return int(run(db, open_path))


# -- the door ---------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    # --db may stand before the verb as well as after it: main.py --db x.sqlite3 list
    front = _Parser(prog=_command(), add_help=False)
    _db_option(front)
    known, rest = front.parse_known_args(args_list) if args_list[:1] and args_list[0].startswith("--db") else (
        argparse.Namespace(db=None), args_list)
    if not rest:
        return open_window(known.db)
    if len(rest) == 1 and Path(rest[0]).suffix.lower() in WINDOW_FILES and Path(rest[0]).is_file():
        return open_window(known.db, rest[0])
    args = parser.parse_args(rest)
    if known.db is not None and hasattr(args, "db"):
        args.db = args.db or known.db
    if not getattr(args, "verb", None):
        return open_window(getattr(args, "db", None))
    from models.errors import ZipingError

    try:
        return int(args.run(args))
    except ZipingError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader of our output went away (``| head``): nothing to report.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # A file or folder the user named that the system refuses: said in Chinese, and
        # logged in case it was our mistake after all.
        from models.fileio import describe, log_bug, shown

        log_bug(repr(sys.argv))
        where = f"「{shown(exc.filename)}」" if exc.filename else ""
        print(f"错误：无法使用文件{where}：{describe(exc)}。", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the one place that catches bugs
        from models.fileio import log_bug

        log = log_bug(repr(sys.argv))
        where = f"详细信息已写入 {log}，请把这个文件发给技术支持。" if log else ""
        print(f"程序内部错误，操作未完成。{where}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
