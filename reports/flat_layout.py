"""How a form of another family (:attr:`Template.flat`) is laid out on paper and in a
workbook, from its parts and its ``[layout]`` hints alone: which parts print, which way
the page turns, how wide a table's columns are. Shared by the PDF
(:mod:`reports.flat_pdf`) and the workbook (:mod:`reports.workbook.flat`); no
reportlab, no spreadsheet.
"""

from __future__ import annotations

from models import template as tpl
from models.nodes import Record, Rows, Value
from models.paper import PAPER
from models.template import Template

#: Kinds printed as figures: right-aligned, exact.
FIGURES = ("int", "money", "score")
#: Relative widths of a table's columns where the template gives none: by the column's kind.
KIND_WIDTHS = {"longtext": 3.0, "text": 2.0, "yearmonth": 1.2, "int": 1.0, "money": 1.2, "score": 1.0}


def landscape(form: Template) -> bool:
    """Whether the template's ``[layout.page]`` turns the page across."""
    return (form.layout.get("page") or {}).get("orientation") == "landscape"


def printed_parts(form: Template) -> list[Record | Rows]:
    """The template's parts in order, but the clerk's explanations (kept apart)."""
    return [n for n in form.report.children if isinstance(n, Record | Rows) and n.key != tpl.EXPLANATIONS.key]


def relative_widths(form: Template, table: Rows, path: str) -> list[float]:
    """A table's columns' widths, relative: the template's ``widths`` where it gives them
    (``[layout.<path>]``), else by each column's kind."""
    columns = table.form_columns
    hint = (form.layout.get(path) or {}).get("widths")
    if hint and len(hint) == len(columns):
        return [float(w) for w in hint]
    return [KIND_WIDTHS.get(c.kind, 1.5) for c in columns]


def is_figure(node: Value) -> bool:
    return node.kind in FIGURES


def stamp_words(form: Template) -> tuple[str, str]:
    """The line under the form where the department stamps and dates it: the label of
    the department's field with 盖章, and the date's words with room to write in."""
    department = form.role("department")
    label = getattr(form.node_at(department), "label", "") if department else ""
    gap = "　" * 3
    return f"{label}（盖章）：", gap + gap.join(PAPER.date_words)
