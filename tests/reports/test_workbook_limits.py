"""Workbooks that would take minutes and gigabytes to read are refused before anything is
loaded, from the cells they would create; what is under the limits is read.

Time and memory are measured by bench/bench_hostile.py, never here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from main import main
from models.errors import DocumentError
from reports.workbook import opening as workbook_open
from reports.workbook import place_workbook
from tests import hostile

TAIL = "不像绩效自评报告，可能是恶意文件，已拒绝打开。"


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(hostile.WORKBOOKS[name]())
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        place_workbook(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("merge-J1-XFD1048576",
         "工作表「Sheet1」中的合并单元格 J1:XFD1048576 覆盖 17,170,432,000 个单元格（上限 50,000），"),
        ("merge-100000-rows-10-cols",
         "工作表「Sheet1」中的合并单元格 A3:J100002 覆盖 1,000,000 个单元格（上限 50,000），"),
        ("merge-100000-rows-1-col",
         "工作表「Sheet1」中的合并单元格 C3:C100002 覆盖 100,000 个单元格（上限 50,000），"),
        ("hyperlink-whole-sheet",
         "工作表「Sheet1」中的超链接 A1:XFD1048576 覆盖 17,179,869,184 个单元格（上限 50,000），"),
        ("sheet-45MB", "工作簿的单元格超过 50,000 个（数到工作表「Sheet1」时已超出），"),
        ("rows-1000000", "工作表「Sheet1」的行数超过 50,000，"),
    ],
)
def test_a_workbook_that_would_blow_up_is_refused_naming_file_and_range(tmp_path, name, why) -> None:
    path = _write(tmp_path, name)
    assert _refusal(path) == f"文件「{path}」无法读取：{why}{TAIL}"


def test_the_refusal_is_exit_2_on_the_command_line(tmp_path, capsys) -> None:
    path = _write(tmp_path, "merge-J1-XFD1048576")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"错误：文件「{path}」无法读取：工作表「Sheet1」中的合并单元格")


def test_the_45mb_sheet_is_refused_without_reading_it_to_its_end(tmp_path, monkeypatch) -> None:
    """The count stops at the limit: of 45 MB of XML only the first megabytes are read."""
    path = _write(tmp_path, "sheet-45MB")
    read: list[int] = []
    chunk = workbook_open._CHUNK

    class Counting:
        def __init__(self, stream):
            self.stream = stream

        def read(self, n: int = -1) -> bytes:
            data = self.stream.read(n)
            read.append(len(data))
            return data

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

    opened = workbook_open.zipfile.ZipFile.open
    monkeypatch.setattr(workbook_open.zipfile.ZipFile, "open",
                        lambda self, info, *a, **k: Counting(opened(self, info, *a, **k)))
    _refusal(path)
    assert sum(read) < 5 * chunk


def test_a_large_merge_under_the_limit_is_read(tmp_path) -> None:
    path = tmp_path / "merge.xlsx"
    path.write_bytes(hostile.merged("C3:C40002"))  # 40,000 cells in one column
    placement = place_workbook(path)
    assert placement.report.dept_name == "吉首市科工信局"
    assert placement.report.year == 2023


def test_a_stray_cell_at_the_sheets_far_corner_is_not_a_rectangle_to_walk(tmp_path) -> None:
    path = _write(tmp_path, "data-sheet-cell-at-XFD1048576")
    placement = place_workbook(path)
    assert placement.ours
    assert placement.report.dept_name == "吉首市科工信局"


def test_prefixed_tags_are_counted_too(tmp_path) -> None:
    """Files written with a namespace prefix (x:mergeCell) are no way around the count."""
    data = hostile.workbook({"Sheet1": (
        b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData/><x:mergeCells count="1"><x:mergeCell ref="A1:XFD1048576"/></x:mergeCells></x:worksheet>'
    )})
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(data)
    assert "中的合并单元格 A1:XFD1048576 覆盖 17,179,869,184 个单元格" in _refusal(path)


def test_our_own_export_is_far_under_every_limit(tmp_path, sample) -> None:
    from reports.workbook import render_workbook

    path = tmp_path / "ours.xlsx"
    path.write_bytes(render_workbook(sample))
    assert place_workbook(path).ok


def test_a_workbook_declaring_thousands_of_parts_is_refused_before_its_directory_is_read(tmp_path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(workbook_open.MAX_PARTS + 1):
            zf.writestr(f"xl/p{i}.xml", b"")
    path = tmp_path / "parts.xlsx"
    path.write_bytes(buffer.getvalue())
    assert _refusal(path) == f"文件「{path}」无法读取：工作簿内部文件过多（5001 个），可能是恶意文件，已拒绝打开。"
