"""The form's labels live in its template files, not in the program's Python.

Every label of both shipped templates (fields, columns, parts, row names, signature
lines, Part B's headings) of four characters or more is looked for in the string
literals of models/, reports/, ui/ and main.py (docstrings aside). The labels the
program still types are listed below, each with why; the list may only shrink: a
label listed that no longer appears fails the test too, to be struck off."""

from __future__ import annotations

import ast
from pathlib import Path

from models import template as tpl
from models.nodes import InstitutionRows, Node, Record, Rows

ROOT = Path(__file__).resolve().parent.parent

#: Labels the program's Python still holds, by why.
STILL_IN_CODE = {
    # 预算编码 also names a database migration; 上年结转 is also the word of a report's history
    # (由上年结转, models/store.py).
    *("预算编码", "上年结转"),
    # The words Part B's sentences are read and written in (models/textcheck.py,
    # models/narrative.py, models/measures.py) and the rules' own messages.
    *("人员编制", "实有人数", "政府基金拨款", "基本支出", "项目支出", "在用固定资产", "三公经费",
      "固定资产", "一级指标得分", "一级指标", "自评得分", "指标分值", "基本支出明细", "项目支出明细",
      "预算数与执行数", "政府采购预算数"),
    # The 自评表's vocabulary, which its 指标体系 file defines (models/framework.py,
    # models/scoring.py, ui/scoring.py).
    *("指标性质", "评价内容", "二级指标", "三级指标", "达成程度", "评分标准", "扣分原因", "指标体系", "定量指标"),
    # Words of the window and the workbook's data sheet (ui/narrative.py,
    # reports/workbook.py), and the program's own records (出错说明 in the store and
    # receipts, the clerk's explanations of findings).
    *("经济分类科目", "评价报告正文", "出错说明"),
}


def labels() -> set[str]:
    out: set[str] = set()

    def walk(node: Node) -> None:
        out.add(node.label)
        if isinstance(node, Rows | InstitutionRows):
            walk(node.row)
        elif isinstance(node, Record):
            for child in node.children:
                walk(child)

    for template in tpl.shipped():
        walk(template.report)
        out.update(line for o in template.opinions for line in o.sign_lines)
    return {label for label in out if len(label) >= 4}


def literals() -> list[tuple[str, int, str]]:
    out = []
    files = [p for folder in ("models", "reports", "ui") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "main.py"]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        out += [(str(path.relative_to(ROOT)), n.lineno, n.value) for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
    return out


def test_no_label_of_either_form_is_typed_in_python() -> None:
    found = literals()
    typed = {label: [f"{p}:{n}" for p, n, text in found if label in text] for label in labels()}
    assert {label: where for label, where in typed.items() if where and label not in STILL_IN_CODE} == {}
    assert sorted(label for label in STILL_IN_CODE if not typed.get(label)) == []
    assert len([label for label in typed if label not in STILL_IN_CODE]) >= 80
