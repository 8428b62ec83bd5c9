"""The paper form's headings, titles and labels are written in models/ (and the form's
template file it reads) only.

The outputs (reports/), the window (ui/) and the command line (main.py) take them
from :mod:`models.form` and :mod:`models.paper`. A string literal there that holds
one of these words is a second copy that can drift from the first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Headings and titles: no string literal outside models/ may contain them.
CONTAINED = (
    "二、部门（单位）收支情况",
    "三、部门（单位）整体支出绩效自评情况",
    "四、评价人员",
    "部门整体支出",
    "绩效自评报告",
    "部门（单位）整体支出绩效自评报告",
    "绩效自评汇总表",
    "审核情况说明",
    "封面与基本概况",
    "定性目标",
    "定量指标",
)
#: Short words of the paper's tables, sheets and groups: no string literal (or piece of
#: an f-string) outside models/ may be exactly one of them. They also occur inside the
#: clerk's messages (签字盖章, 自动合计), which is not a copy of the label.
WHOLE = (
    "签字",
    "合计",
    "小计",
    "得分率",
    "序号",
    "（万元）",
    "人员经费",
    "公用经费",
    "收支情况",
    "绩效自评",
    "评价人员",
    "绩效自评表",
    "重复报告",
    "审核发现",
    "年度汇总",
    "{year}年度汇总",
)


def _sources() -> list[Path]:
    return sorted([*(ROOT / "reports").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "main.py"])


def _literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of the file but its docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _copies() -> list[str]:
    found = []
    for path in _sources():
        for line, text in _literals(path):
            words = [w for w in CONTAINED if w in text] + [w for w in WHOLE if text.strip() == w]
            found += [f"{path.relative_to(ROOT)}:{line}: {w}" for w in words]
    return found


def test_paper_words_are_written_in_models_only() -> None:
    assert _copies() == []


@pytest.mark.parametrize("word", CONTAINED + WHOLE)
def test_each_paper_word_is_in_models(word: str) -> None:
    """The list above names words the form really prints: each is written in models/ or
    in the form's template file, which models/ reads."""
    models = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "models").glob("*.py")))
    template = (ROOT / "resources" / "templates" / "hunan-2023.toml").read_text(encoding="utf-8")
    assert word in models + template


def test_a_copy_outside_models_is_found(tmp_path: Path) -> None:
    """The scan sees a heading inside an f-string and a label standing alone."""
    source = tmp_path / "copy.py"
    source.write_text('"""合计 in a docstring is prose."""\nx = f"{a}二、部门（单位）收支情况"\ny = ("签字", "签字盖章")\n',
                      encoding="utf-8")
    texts = [t for _line, t in _literals(source)]
    assert [w for t in texts for w in CONTAINED if w in t] == ["二、部门（单位）收支情况"]
    assert [w for t in texts for w in WHOLE if t.strip() == w] == ["签字"]
