"""The command line: verbs, exit status, and the one message a user sees."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from main import main
from models import interchange
from models.store import Store
from reports.formats import FORMATS
from tests.helpers import explain_errors

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_sample_exits_1_and_lists_findings(capsys, sample_path) -> None:
    code, out, _ = run(capsys, "check", str(sample_path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "吉首市科工信局 2023年度　指纹 7ff41984a0ed1b0c"
    assert lines[1] == "审核发现：错误 3 项，警告 17 项"
    # Cells by the names the window and the paper give them; the paths only in --json.
    assert (
        "[错误] 二、收入「1、局机关」收入合计、公共财政拨款、政府基金拨款、其他收入，"
        "「局机关及二级机构汇总」收入合计、公共财政拨款、政府基金拨款、其他收入"
    ) in lines
    assert "[错误] 支出和结余「1、局机关」人员支出；基本支出明细「1、基本工资」金额，「2、津贴补贴」金额；另有 10 处" in lines
    assert "income.0" not in out and "income.sum" not in out and "narrative." not in out


def test_check_json(capsys, sample_path) -> None:
    code, out, _ = run(capsys, "check", str(sample_path), "--json")
    assert code == 1
    findings = json.loads(out)
    assert len(findings) == 20
    assert set(findings[0]) == {"rule", "severity", "cells", "message"}
    assert findings[0]["rule"] == "income.sum"
    assert findings[0]["cells"][0] == "income.0.total"


def test_check_clean_report_exits_0(capsys, tmp_path, sample) -> None:
    explain_errors(sample)
    path = tmp_path / "explained.json"
    path.write_text(interchange.dumps(sample), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0
    assert "审核发现：错误 3 项，警告 17 项（其中 3 项错误已说明）" in out
    assert "    出错说明：已核实。" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "错误：文件「{p}」无法读取：不是有效的 JSON（第 1 行第 2 列附近）。文件可能已损坏或不完整。\n"),
        (b'{"format": "ziping-report", "format_version": 0}', "错误：文件「{p}」无法读取：文件格式版本 0 无效。\n"),
        (b'{"format": "ziping-report", "format_version": 2, "cover": {"year": "2023"}}',
         "错误：文件「{p}」无法读取：共 2 处问题\n  1. cover.year：年度应为整数，而不是文字「2023」。\n"
         "  2. 文件格式版本为 2，本程序只支持到版本 1：这个文件由更新版本的程序生成，以上内容本程序无法读取，请升级程序后再打开。\n"),
    ],
)
def test_bad_input_exits_2_with_one_message(capsys, tmp_path, content, message) -> None:
    p = tmp_path / "bad.json"
    p.write_bytes(content)
    code, out, err = run(capsys, "check", str(p))
    assert (code, out) == (2, "")
    assert err == message.format(p=p)


def test_missing_file_and_unknown_extension(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope.json"))
    assert (code, err) == (2, f"错误：找不到文件「{tmp_path / 'nope.json'}」，请检查路径。\n")
    code, _, err = run(capsys, "check", "report.doc")
    readable = "、".join(f.extension for f in FORMATS.values() if f.read)
    assert (code, err) == (2, f"错误：无法读取「report.doc」：不支持扩展名「.doc」。可读取的格式：{readable}。\n")


def test_import_export_list_round_trip(capsys, tmp_path, sample_path, db_path) -> None:
    code, out, _ = run(capsys, "import", str(sample_path), "--db", str(db_path))
    assert code == 0
    assert out.startswith(f"已导入 {sample_path} → 报告 1：吉首市科工信局 2023年度（错误 3 项，警告 17 项）")
    code, out, _ = run(capsys, "import", str(sample_path), "--db", str(db_path))
    assert code == 0
    assert out == f"{sample_path} 重复：吉首市科工信局 2023年度：与数据库中的报告 1 内容完全相同，未重复导入。\n"
    changed = tmp_path / "changed.json"
    changed.write_text(sample_path.read_text(encoding="utf-8").replace("陶毅", "张三"), encoding="utf-8")
    code, _, err = run(capsys, "import", str(changed), "--db", str(db_path))
    assert code == 2
    assert "数据库中已有该部门该年度的报告（编号 1）" in err
    assert "待定的文件可以加 --replace（替换，原报告保留为历史版本）或 --keep-both（两份都保留）再导入。" in err
    code, out, _ = run(capsys, "import", str(changed), "--keep-both", "--db", str(db_path))
    assert code == 0
    assert "数据库中同一部门同一年度的报告（编号 1）也保留（--keep-both）。" in out
    code, out, _ = run(capsys, "list", "--db", str(db_path))
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert [r[:4] for r in rows] == [["1", "2023", "吉首市科工信局", "草稿"], ["2", "2023", "吉首市科工信局", "草稿"]]
    out_path = tmp_path / "out.json"
    code, _, _ = run(capsys, "export", "1", str(out_path), "--db", str(db_path))
    assert code == 0
    assert out_path.read_text(encoding="utf-8") == sample_path.read_text(encoding="utf-8")


def test_import_goes_on_after_a_bad_file(capsys, tmp_path, sample_path, db_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad), str(sample_path), "--db", str(db_path))
    assert code == 2
    assert f"未导入「{bad}」：文件「{bad}」无法读取：文件内容应为一个报告对象（{{…}}）。" in err
    assert "共 2 个文件，1 个未导入。" in err
    assert "已导入" in out
    with Store(db_path) as store:
        assert len(store.listing()) == 1


def test_store_verbs(capsys, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    code, _, err = run(capsys, "final", "1", *db)
    assert code == 2 and err.startswith("错误：还有 3 项错误未改正也未说明，不能定稿：")
    assert run(capsys, "delete", "1", *db)[1] == "报告 1 已移入回收站，可用 undelete 还原。\n"
    assert run(capsys, "list", *db)[1] == "数据库中还没有报告。\n"
    assert run(capsys, "list", "--deleted", *db)[1].startswith("1\t2023\t吉首市科工信局\t草稿\t")
    run(capsys, "undelete", "1", *db)
    code, out, _ = run(capsys, "carry", "1", *db)
    assert out == ("已新建报告 2：吉首市科工信局 2024年度（由报告 1 结转）。\n"
                   "新报告使用表样模板 hunan-2023 版本 2023.1（湖南省部门（单位）整体支出绩效自评报告（附件2-1），2023 年度）。\n")
    code, out, _ = run(capsys, "revisions", "1", *db)
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and [line[2] for line in lines] == ["从回收站还原", "移入回收站", "导入"]
    assert lines[-1][0] == "版本 1"
    code, _, err = run(capsys, "export", "9", "x.json", *db)
    assert (code, err) == (2, "错误：没有编号为 9 的报告。可用 list 查看已有的报告。\n")


def test_convert_json_to_json(capsys, tmp_path, sample_path) -> None:
    out_path = tmp_path / "copy.json"
    code, out, _ = run(capsys, "convert", str(sample_path), str(out_path))
    assert code == 0
    assert out_path.read_bytes() == sample_path.read_bytes()
    code, _, err = run(capsys, "convert", str(sample_path), str(tmp_path / "x.txt"))
    writable = "、".join(f.extension for f in FORMATS.values() if f.render)
    assert (code, err) == (2, f"错误：无法生成「x.txt」：不支持扩展名「.txt」。可生成的格式：{writable}。\n")


def test_corrupt_database_exits_2_untouched(capsys, db_path) -> None:
    db_path.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "list", "--db", str(db_path))
    assert code == 2
    assert err.startswith(f"错误：数据库文件「{db_path}」已损坏或不是本程序的数据库文件")
    assert db_path.read_bytes() == b"garbage" * 1000


def test_usage_errors_are_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "错误：缺少参数：文件" in err
    with pytest.raises(SystemExit):
        main(["frobnicate"])
    err = capsys.readouterr().err
    assert "错误：命令：无效的选择：「frobnicate」（可选：check、import、export、list、convert、pack" in err
    assert "'" not in err


@pytest.mark.parametrize("verb", ["check", "import", "export", "list", "convert", "revisions", "restore",
                                  "delete", "undelete", "final", "reopen", "carry", "pack", "summary", "verify",
                                  "receipt"])
def test_every_verb_has_chinese_help(capsys, verb) -> None:
    with pytest.raises(SystemExit) as caught:
        main([verb, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：main.py " + verb)
    assert "显示帮助并退出" in out
    assert "usage" not in out and "show this help" not in out


def test_whole_process_exit_status(sample_path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", str(sample_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1] == "审核发现：错误 3 项，警告 17 项"
    assert proc.stderr == ""


def test_handover_verbs(capsys, tmp_path, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    code, _, err = run(capsys, "convert", str(sample_path), str(tmp_path / "a.zpb"))
    assert code == 2
    assert err.endswith("如仍要导出，报送包将标为“不校验导出”，只作备份，不作正式报送。命令行中加 --unchecked 即可。\n")
    assert not (tmp_path / "a.zpb").exists()
    assert run(capsys, "convert", str(sample_path), str(tmp_path / "a.zpb"), "--unchecked")[0] == 0
    code, out, _ = run(capsys, "check", str(tmp_path / "a.zpb"))
    assert code == 1
    # What the hashes prove, and no more; the real check is the paper's fingerprint.
    assert out.splitlines()[1:4] == [
        "报送包在传递中没有损坏（各文件与清单的校验值一致），打印稿和工作簿由包内的报告数据生成。",
        "报送状态：不校验导出；出错说明：3 项错误未说明（已说明 0 项）。",
        "校验值只能发现损坏，不能证明报告未被改动：请核对盖章纸质报告页脚的数据指纹是否为 7ff41984a0ed1b0c"
        "（财政局可用 verify 核对）。",
    ]
    code, out, _ = run(capsys, "import", str(tmp_path / "a.zpb"), str(tmp_path), *db)
    assert code == 0
    assert out.splitlines()[-3].endswith(
        "已导入为报告 1（报送状态：不校验导出；出错说明：3 项错误未说明（已说明 0 项））。"
        "数据指纹 7ff41984a0ed1b0c，请与盖章纸质报告页脚的数据指纹核对。")
    assert out.splitlines()[-2:] == [
        "共 1 个报送包：已导入 1 个。",
        "报送包的校验值只能说明传递中没有损坏，不能证明报告未被改动；请用 verify 核对每份盖章纸质报告页脚的数据指纹。",
    ]
    code, out, _ = run(capsys, "import", str(tmp_path), *db)
    assert "共 1 个报送包：重复 1 个。" in out
    code, out, _ = run(capsys, "verify", "7ff4 1984 a0ed 1b0c", *db)
    assert code == 0 and out.startswith("指纹 7ff41984a0ed1b0c 属于报告 1：吉首市科工信局 2023年度，")
    assert out.endswith("已记录这次核对，汇总表的「纸质报告核对」一栏会显示。\n")
    code, out, _ = run(capsys, "verify", "0000000000000000", *db)
    assert (code, out) == (
        1, "没有与指纹 0000000000000000 相符的报告：纸质报告与数据库中的任何报告（包括回收站中的）都不一致。\n")
    code, out, _ = run(capsys, "summary", "2023", str(tmp_path / "汇总.xlsx"), *db)
    assert code == 0 and (tmp_path / "汇总.xlsx").stat().st_size > 0
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["2023年度汇总"]
    column = [c.value for c in ws[3]].index("纸质报告核对") + 1
    assert ws.cell(4, column).value.startswith("一致（")
    folder = tmp_path / "U盘"
    folder.mkdir()
    code, out, _ = run(capsys, "pack", "1", str(folder), "--unchecked", *db)
    assert out == f"已生成报送包 {folder / '2023_吉首市科工信局_绩效自评.zpb'}（不校验导出，只作备份）。\n"


def test_import_conflict_needs_a_decision(capsys, tmp_path, sample_path, sample, db_path) -> None:
    from reports.package import build_package

    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    changed = sample.copy()
    changed.set_text("basics.phone", "8520527")
    (tmp_path / "new.zpb").write_bytes(build_package(changed, unchecked_ok=True))
    code, _, err = run(capsys, "import", str(tmp_path / "new.zpb"), *db)
    assert code == 2
    assert "[1/1] new.zpb 待定：吉首市科工信局 2023年度：数据库中已有该部门该年度的报告（编号 1）。" in err
    assert "--replace" in err and "--keep-both" in err
    code, out, _ = run(capsys, "import", str(tmp_path / "new.zpb"), "--replace", *db)
    assert code == 0 and "已替换报告 1，原内容保留为历史版本" in out


def test_no_screen_says_so_instead_of_crashing(sample_path, tmp_path) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "x.sqlite3")],
        capture_output=True, text=True, encoding="utf-8", env=env, check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "没有可用的图形界面（未设置 DISPLAY），无法打开程序窗口。可以在桌面环境中运行，或使用命令行：python3 main.py --help。\n"
    )


def test_a_carried_over_report_with_every_figure_blank_is_not_passed(capsys, tmp_path, sample_path, db_path) -> None:
    db = ["--db", str(db_path)]
    run(capsys, "import", str(sample_path), *db)
    run(capsys, "carry", "1", *db)
    code, _, err = run(capsys, "final", "2", *db)
    assert code == 2
    assert "「年度收入情况」和「部门（单位）年度支出和结余情况」一个数字也没有填写。" in err
    code, _, err = run(capsys, "pack", "2", str(tmp_path / "blank.zpb"), *db)
    assert code == 2 and err.startswith("错误：报告还有")
    assert not (tmp_path / "blank.zpb").exists()


def test_framework_lists_what_is_found_and_checks_a_file(tmp_path, capsys) -> None:
    assert main(["framework"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("hunan：湖南省市级预算部门整体支出绩效自评指标体系\n  投入 10（预算执行）；产出 50（")
    assert "sichuan：" in out and "本地的指标体系文件放在：" in out
    bad = tmp_path / "county.json"
    bad.write_text('{"format": "ziping-framework", "format_version": 1, "id": "x"}', encoding="utf-8")
    assert main(["framework", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：指标体系文件「{bad}」无法使用：共 8 处问题\n  1. 缺少键 name。")


def test_import_of_a_folder_with_a_name_that_is_not_utf8(capsys, tmp_path, sample, db_path) -> None:
    import os

    from reports.package import build_package

    folder = tmp_path / "U盘"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/" + "2023_测试".encode("gbk") + b".zpb"
    Path(os.fsdecode(bad)).write_bytes(build_package(explain_errors(sample.copy())))
    Path(os.fsdecode(os.fsencode(folder) + b"/" + "坏".encode("gbk") + b".zpb")).write_bytes(b"broken")
    other = explain_errors(sample.copy())
    other.set_text("cover.dept_name", "吉首市财政局")
    (folder / "z.zpb").write_bytes(build_package(other))
    code, out, err = run(capsys, "import", str(folder), "--db", str(db_path))
    assert code == 2  # one package was refused; the others are in
    assert "] 2023_\\xb2\\xe2\\xca\\xd4.zpb 已导入：吉首市科工信局 2023年度：已导入为报告 1" in out
    assert "] z.zpb 已导入：吉首市财政局 2023年度" in out
    assert "] \\xbb\\xb5.zpb 未导入：报送包「\\xbb\\xb5.zpb」无法使用：" in err
    assert "\n共 3 个报送包：已导入 2 个，未导入 1 个。\n" in out


HUGE = "9" * 30
LONG_NAME = "长" * 100 + "/" + "x" * 300


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["summary", HUGE, "汇总.xlsx"], "年度：「999999999999999999999999999999」不是有效的年度：请填写 2000 到 2100 之间的年份"),
        (["summary", "２０２３年", "汇总.xlsx"], "不是有效的年度"),
        (["export", HUGE, "a.json"], "报告编号：「999999999999999999999999999999」不是有效的报告编号"),
        (["restore", "1", HUGE], "版本编号：「999999999999999999999999999999」不是有效的版本编号"),
        (["final", "0"], "报告编号：「0」不是有效的报告编号：请填写 list 列出的编号（正整数）。"),
        (["export", "1", LONG_NAME + ".pdf"], "错误：无法写入「长长长"),
        (["export", "1", "x" * 300 + ".zpb"], "文件名过长"),
        (["pack", "1", "x" * 300 + ".zpb"], "文件名过长"),
        (["summary", "2023", "x" * 300 + ".xlsx"], "文件名过长"),
        (["convert", "SAMPLE", "x" * 300 + ".json"], "文件名过长"),
        (["check", "x" * 300 + ".json"], "文件名过长"),
        (["import", LONG_NAME + ".json"], "未导入「长长长"),
        (["list", "--db", "x" * 300 + ".sqlite3"], "文件名过长"),
    ],
)
def test_hostile_arguments_are_refused_in_chinese_with_exit_2(argv, said, capsys, sample_path, sample,
                                                               db_path, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store(db_path) as store:
        store.create(explain_errors(sample.copy()))
    argv = [str(sample_path) if a == "SAMPLE" else a for a in argv]
    if "--db" not in argv:
        argv += ["--db", str(db_path)] if argv[0] not in ("convert", "check") else []
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's refusal of an argument
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert said in err
    assert "程序内部错误" not in err and "Traceback" not in err
    for english in ("argument", "invalid", "Errno", "File name too long", "Python int"):
        assert english not in err
