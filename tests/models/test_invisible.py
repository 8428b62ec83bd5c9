"""Invisible and spoofing characters: refused (or, when harmless, removed) wherever
text enters a report — typed, pasted, or read from a file, a workbook or a package."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile

import openpyxl
import pytest

from models import interchange
from models.document import clean_text
from models.errors import DocumentError, ValueInputError
from models.report import Report
from models.store import Store
from reports.package import PackageError, build_package, open_package
from reports.workbook import place_workbook, render_workbook
from reports.workbook.layout import SHEET_COVER
from tests.helpers import explain_errors

SPOOFED = "吉首市\u202e局信工科"  # shows as 吉首市科工信局
RLO_REFUSED = (
    "部门（单位）名称（盖章）中有看不见的字符 U+202E（从右向左覆盖，会让文字显示得与实际内容不同），不能接受。"
    "请删除后重新填写；从网页或其他文件复制来的文字，可先粘贴到记事本中去掉格式再复制。"
)


def test_a_direction_override_in_a_name_is_refused_naming_the_field(sample) -> None:
    report = sample.copy()
    with pytest.raises(ValueInputError) as refused:
        report.set_text("cover.dept_name", SPOOFED)
    assert str(refused.value) == RLO_REFUSED
    assert refused.value.path == "cover.dept_name"
    assert report.dept_name == "吉首市科工信局"


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202d", "U+202D（从左向右覆盖"),
        ("\u2067", "U+2067（从右向左隔离"),
        ("\u200f", "U+200F（从右向左标记"),
        ("\x07", "U+0007（控制字符）"),
        ("\x00", "U+0000（控制字符）"),
        ("\x1b", "U+001B（控制字符）"),
        ("\x9b", "U+009B（控制字符）"),
        ("\u2062", "U+2062（格式字符）"),
        ("\U000e0041", "U+E0041（格式字符）"),
    ],
)
def test_every_kind_is_refused_in_names_and_long_texts(char, named) -> None:
    report = Report()
    for path in ("basics.contact", "basics.duties", "basics.phone"):
        with pytest.raises(ValueInputError) as refused:
            report.set_text(path, f"甲{char}乙")
        assert named in str(refused.value)
        assert report.get(path) is None


def test_harmless_invisibles_are_removed_and_line_breaks_kept_where_they_belong() -> None:
    report = Report()
    report.set_text("cover.dept_name", "\ufeff吉首市科工\u200b信局\u00ad")
    assert report.dept_name == "吉首市科工信局"
    report.set_text("cover.eval_org", "吉首市\t科工信局\r\n评价组")  # one line: tab and break read as a space
    assert report.data["cover"]["eval_org"] == "吉首市 科工信局 评价组"
    report.set_text("basics.duties", "一、职责\x0b二、任务\u2028三、\t其他\r\n")  # Word's line break, a tab kept
    assert report.data["basics"]["duties"] == "一、职责\n二、任务\n三、\t其他\n"


def test_institution_names_grades_bands_and_explanations_are_checked(sample) -> None:
    report = sample.copy()
    with pytest.raises(ValueInputError, match="机构名称中有看不见的字符 U\\+202E") as refused:
        report.rename_institution(0, "局\u202e关机")
    assert refused.value.path == "institutions.0"
    with pytest.raises(ValueInputError, match="机构名称中有看不见的字符 U\\+0008"):
        report.add_institution("中心\x08")
    with pytest.raises(ValueInputError, match="等级中有看不见的字符 U\\+202E"):
        report.set_text("score.grade", "\u202e优")
    with pytest.raises(ValueInputError, match="等级中有看不见的字符 U\\+2066"):
        report.set_bands("90 优；0 \u2066差")
    with pytest.raises(ValueInputError, match="出错说明中有看不见的字符 U\\+202E"):
        report.explain("income.sum", ("income.0.total",), "已核实\u202e")
    assert report.institutions == sample.institutions
    assert report.data["score"] == sample.data["score"]


def test_a_paste_names_each_refused_cell(sample) -> None:
    report = sample.copy()
    problems = report.paste([[("indicators.0.name", "公用经费\u202e率制控"), ("indicators.0.target", "27.6万元")]])
    assert problems == [
        "整体支出绩效定量目标及实施计划完成情况第 1 行（指标）：指标中有看不见的字符 U+202E"
        "（从右向左覆盖，会让文字显示得与实际内容不同），不能接受。"
        "请删除后重新填写；从网页或其他文件复制来的文字，可先粘贴到记事本中去掉格式再复制。"
    ]
    assert report.data["indicators"][0]["name"] == sample.data["indicators"][0]["name"]


def _plain(sample) -> dict:
    return interchange.plain(sample)


def test_an_interchange_file_is_refused_naming_each_cell(sample, tmp_path) -> None:
    doc = _plain(sample)
    doc["cover"]["dept_name"] = SPOOFED
    doc["basics"]["contact"] = "陶\x07毅"
    doc["institutions"][0] = "局\u2067机关"
    doc["score"]["bands"][0][1] = "\u202e优"
    path = tmp_path / "spoofed.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DocumentError) as refused:
        interchange.read(path)
    message = str(refused.value)
    assert message.startswith(f"文件「{path}」无法读取：共 4 处问题")
    assert f"cover.dept_name：{RLO_REFUSED}" in message
    assert "basics.contact：联系人中有看不见的字符 U+0007（控制字符），不能接受。" in message
    assert "institutions.0：机构名称中有看不见的字符 U+2067（从右向左隔离" in message
    assert "score.bands.0：等级中有看不见的字符 U+202E" in message


def test_a_package_with_a_spoofed_name_is_refused_naming_file_and_cell(sample, tmp_path) -> None:
    data = build_package(explain_errors(sample.copy()))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    body = files["report.json"].decode().replace('"吉首市科工信局"', json.dumps(SPOOFED, ensure_ascii=False), 1)
    files["report.json"] = body.encode()
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["report.json"]["sha256"] = hashlib.sha256(files["report.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    (tmp_path / "p.zpb").write_bytes(buffer.getvalue())
    with pytest.raises(PackageError) as refused:
        open_package(tmp_path / "p.zpb")
    assert str(refused.value).startswith("报送包「p.zpb」无法使用：报告数据无法读取：文件「p.zpb」无法读取：")
    assert f"cover.dept_name：{RLO_REFUSED}" in str(refused.value)


def test_a_workbook_cell_with_a_spoofed_name_is_a_problem_at_its_cell(sample, tmp_path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_workbook(sample))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_COVER]
    where = next(c.coordinate for row in ws.iter_rows() for c in row if c.value == "陶毅")
    ws[where] = "陶\u202e毅"
    wb.save(path)
    placement = place_workbook(path)
    [problem] = [p for p in placement.problems if p.cell == where]
    assert problem.sheet == SHEET_COVER
    assert problem.message.startswith("联系人中有看不见的字符 U+202E（从右向左覆盖")
    assert placement.report.data["basics"]["contact"] != "陶\u202e毅"


def test_a_report_stored_before_the_check_still_opens_without_them(db_path, sample) -> None:
    from models import deltas

    with Store(db_path) as store:
        rid = store.create(sample)
    # The stored text with the spoofing character in it, stored as the store stores a text.
    stored = interchange.canonical(sample).replace("吉首市科工信局", SPOOFED)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE revisions SET document = ?, base = NULL, depth = 0", (deltas.pack_full(stored),))
    with Store(db_path) as store:
        assert store.load(rid).dept_name == "吉首市局信工科"


def test_clean_text_leaves_ordinary_chinese_alone() -> None:
    text = "吉首市科工信局（盖章）〔2023〕0002号 ①② 𠀀 — “引号” ‘单引号’"
    assert clean_text(text, "x") == text
    assert clean_text(text, "x", multiline=True) == text
