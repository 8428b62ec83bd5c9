"""Workbooks off a USB stick: each bad file is refused quickly, with the message the clerk sees."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from main import main
from models.errors import DocumentError, InputError
from reports.workbook import opening as workbook_open
from reports.workbook import read_workbook, render_workbook

BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _refused(path: Path, message: str, error: type[Exception] = DocumentError) -> None:
    with pytest.raises(error) as caught:
        read_workbook(path)
    assert str(caught.value) == message


def test_xml_bomb_refused(tmp_path, sample) -> None:
    parts = _parts(render_workbook(sample))
    parts["xl/workbook.xml"] = BOMB.encode()
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_zip(parts))
    _refused(
        path,
        f"文件「{path}」无法读取：工作簿含有不允许的 XML 声明（DOCTYPE/实体定义），可能是恶意文件（XML 炸弹），已拒绝打开。",
    )


def test_xml_bomb_past_the_first_kilobytes_refused_by_defusedxml(tmp_path, sample) -> None:
    """The quick scan reads only the start of each part; defusedxml catches the rest."""
    parts = _parts(render_workbook(sample))
    head, _, rest = BOMB.partition("\n")
    parts["xl/workbook.xml"] = (head + "\n<!--" + " " * 8000 + "-->\n" + rest).encode()
    path = tmp_path / "late-bomb.xlsx"
    path.write_bytes(_zip(parts))
    _refused(
        path,
        f"文件「{path}」无法读取：工作簿含有不允许的 XML 声明（DOCTYPE/实体定义），可能是恶意文件（XML 炸弹），已拒绝打开。",
    )


def test_zip_bomb_refused_without_unpacking(tmp_path, sample) -> None:
    parts = _parts(render_workbook(sample))
    parts["xl/worksheets/sheet1.xml"] = b" " * (workbook_open.MAX_UNPACKED_BYTES + 1)
    path = tmp_path / "zipbomb.xlsx"
    path.write_bytes(_zip(parts))
    assert path.stat().st_size < 200_000
    _refused(
        path,
        f"文件「{path}」无法读取：工作簿解压后过大（50 MB，上限 50 MB），可能是恶意文件（压缩炸弹），已拒绝打开。",
    )


def test_truncated_file_refused(tmp_path, sample) -> None:
    data = render_workbook(sample)
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _refused(path, f"文件「{path}」无法读取：工作簿已损坏或不完整（可能没有复制完），无法读取。请重新复制或重新保存后再试。")


def test_renamed_file_refused(tmp_path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("这其实是一个文本文件", encoding="utf-8")
    _refused(path, f"文件「{path}」无法读取：这不是 Excel 工作簿（.xlsx）：文件内容不符，可能只是改了扩展名。")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    _refused(
        path,
        f"文件「{path}」无法读取：这是旧版 Excel（.xls）文件或加了密码的工作簿，本程序只能读取 .xlsx。"
        "请在 Excel 或 WPS 中取消密码，并“另存为” Excel 工作簿（.xlsx）后再导入。",
    )
    path.write_bytes(_zip({"hello.txt": b"hi"}))
    _refused(path, f"文件「{path}」无法读取：这不是 Excel 工作簿（.xlsx）：压缩包中没有工作簿的内容。")


def test_broken_workbook_inside_a_sound_zip_refused(tmp_path, sample) -> None:
    parts = _parts(render_workbook(sample))
    parts["xl/workbook.xml"] = b"<workbook><sheets><sheet"
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_zip(parts))
    _refused(path, f"文件「{path}」无法读取：工作簿的内容无法解析：文件已损坏，或不是 Excel 工作簿（.xlsx）。")


def test_oversized_file_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as f:
        f.truncate(workbook_open.MAX_FILE_BYTES + 1024 * 1024)
    _refused(
        path,
        f"文件「{path}」过大（21 MB），不是绩效自评报告的工作簿（报告的工作簿通常不到 1 MB）。",
        InputError,
    )


def test_missing_file(tmp_path) -> None:
    _refused(tmp_path / "nope.xlsx", f"找不到文件「{tmp_path / 'nope.xlsx'}」，请检查路径。", InputError)


def test_command_line_says_it_once_and_exits_2(capsys, tmp_path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("x", encoding="utf-8")
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"错误：文件「{path}」无法读取：这不是 Excel 工作簿（.xlsx）：文件内容不符，可能只是改了扩展名。\n"


def test_openpyxl_parses_with_defusedxml() -> None:
    workbook_open.import_openpyxl()
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def _rewrite(data: bytes, change) -> bytes:
    """The same workbook with one part's bytes changed by ``change(name, bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    return out.getvalue()


def test_damaged_compressed_part_is_refused_not_crashed(tmp_path: Path, sample) -> None:
    data = bytearray(render_workbook(sample))
    start = data.index(b"xl/worksheets/sheet1.xml") + 100
    for i in range(start, start + 200):
        data[i] ^= 0x5A
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as caught:
        read_workbook(path)
    assert str(caught.value).startswith(f"文件「{path}」无法读取：")


def test_a_number_with_a_huge_exponent_is_refused(tmp_path: Path, sample) -> None:
    import re

    def bomb(name: str, part: bytes) -> bytes:
        typed = re.compile(rb'(<c r="B6" s="\d+"><v>)5374.34(</v>)')
        if name.startswith("xl/worksheets/") and typed.search(part):
            return typed.sub(rb"\g<1>1E+999999999\g<2>", part, count=1)
        return part

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_rewrite(render_workbook(sample), bomb))
    with pytest.raises(DocumentError) as caught:
        read_workbook(path)
    assert "工作簿中有无法识别的数字" in str(caught.value)
    assert len(str(caught.value)) < 300
    assert re.search("9{9}", str(caught.value)) is None


def test_a_flood_of_merged_cells_is_refused_before_parsing(tmp_path: Path, sample) -> None:
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(1, 3001))

    def flood(name: str, part: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return part.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)
        return part

    path = tmp_path / "merges.xlsx"
    path.write_bytes(_rewrite(render_workbook(sample), flood))
    with pytest.raises(DocumentError) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        f"文件「{path}」无法读取：工作表「封面与基本概况」中合并单元格过多（2001 处以上），"
        "不像绩效自评报告，可能是恶意文件，已拒绝打开。"
    )


def test_workbooks_are_parsed_by_defusedxml_even_with_lxml_installed() -> None:
    """python-docx brings lxml; openpyxl must not switch to it for workbooks."""
    import lxml  # noqa: F401 - installed with python-docx
    from openpyxl.xml import DEFUSEDXML, LXML

    assert DEFUSEDXML and not LXML
