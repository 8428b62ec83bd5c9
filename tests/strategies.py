"""Hypothesis strategies that build any report the form allows, from the form itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from models import form
from models.form import Bands, InstitutionRows, Names, Record, Rows, Value
from models.report import Report

# Chinese text with the characters forms really carry: CJK, digits, punctuation, rare ones.
_ALPHABET = st.sampled_from(
    list("吉首市科工信局部门单位绩效自评报告收入支出项目经费万元年月日一二三四五六七八九十")
    + list("鄢〔〕㎡①②（）【】“”、，。；：%．0123456789abcXYZ -_/")
)
_text = st.text(_ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
_long = st.lists(_text, min_size=1, max_size=4).map("\n".join)


def _figure(node: Value, limit: int = 99999999) -> st.SearchStrategy[Decimal]:
    places = st.integers(min_value=0, max_value=node.places)
    low = -limit if node.negative else 0
    return st.builds(
        lambda units, p: Decimal(units).scaleb(-p),
        st.integers(min_value=low * 100, max_value=limit * 100),
        places,
    )


def value(node: Value, limit: int = 99999999) -> st.SearchStrategy[Any]:
    if node.kind in ("money", "score"):
        inner: st.SearchStrategy[Any] = _figure(node, limit)
    elif node.kind == "int":
        inner = st.integers(node.minimum or 0, node.maximum or 10_000)
    elif node.kind == "yearmonth":
        inner = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2100), st.integers(1, 12))
    elif node.kind == "longtext":
        inner = _long
    elif node.max_length is not None:
        inner = st.text(_ALPHABET, min_size=1, max_size=node.max_length).map(str.strip).filter(bool)
    else:
        inner = _text
    return st.none() | inner


_GRADE = next(v for v in form.SCORE.values() if v.key == "grade")


def _grade_word(text: str) -> str:
    return text[: _GRADE.max_length].strip()  # text starts with no space: never empty


def record(node: Record, limit: int = 99999999) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        child.key: value(child, limit) if isinstance(child, Value) else
        record(child, limit) if isinstance(child, Record) else _node(child)
        for child in node.children
    })


def _node(node: form.Node) -> st.SearchStrategy[Any]:
    if isinstance(node, Value):
        return value(node)
    if isinstance(node, Record):
        return record(node)
    if isinstance(node, Rows):
        return st.lists(record(node.row), max_size=3)
    if isinstance(node, Names):
        return st.lists(_text, max_size=3)
    if isinstance(node, Bands):
        return st.lists(
            st.tuples(_figure(Value("b", "b", "score", places=1)), _text.map(_grade_word)).map(list),
            min_size=1,
            max_size=4,
        )
    raise TypeError(node)


@st.composite
def reports(draw: st.DrawFn, limit: int = 99999999) -> Report:
    """Any report the form allows; the figures of its institution tables and summary row
    at most ``limit`` (in magnitude)."""
    data: dict[str, Any] = {}
    institutions = draw(st.lists(_text, min_size=1, max_size=4))
    for node in form.REPORT.children:
        if node is form.INSTITUTIONS:
            data[node.key] = institutions
        elif isinstance(node, InstitutionRows):
            data[node.key] = [draw(record(node.row, limit)) for _ in institutions]
        elif node is form.SUMMARY:
            data[node.key] = draw(st.none() | record(node, limit))
        else:
            data[node.key] = draw(_node(node))
    return Report(data)
