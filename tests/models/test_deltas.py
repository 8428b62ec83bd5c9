"""Compact revisions: whole documents compressed, or differences from a base; always exact."""

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import deltas, interchange
from tests.strategies import reports

# Text with the separators the differences cut at, and characters of every width.
_PIECES = st.sampled_from(list('{}[]",:，。；：、\n 0123456789.abc吉首市局鄢〔〕①😀\u3000') + ["null", '"key":'])
texts = st.lists(_PIECES, max_size=200).map("".join)


@given(texts)
def test_tokens_join_back(text: str) -> None:
    assert "".join(deltas.tokens(text)) == text


@given(texts, texts)
def test_a_difference_rebuilds_its_text_exactly(base: str, text: str) -> None:
    blob = deltas.pack_delta(base, text)
    assert deltas.is_delta(blob)
    assert deltas.unpack(blob, base) == text


@given(texts, st.none() | texts)
def test_pack_keeps_the_smaller_and_reads_back(text: str, base: str | None) -> None:
    blob = deltas.pack(text, base)
    assert deltas.unpack(blob, base) == text
    if base is None:
        assert not deltas.is_delta(blob)


@settings(max_examples=30, deadline=None)
@given(reports(), reports())
def test_any_report_against_any_other(first, second) -> None:
    a, b = interchange.canonical(first), interchange.canonical(second)
    assert deltas.unpack(deltas.pack(b, a), a) == b


def test_one_changed_cell_costs_a_few_bytes(sample) -> None:
    before = interchange.canonical(sample)
    sample.set_text("income.0.other", "12.34")
    after = interchange.canonical(sample)
    blob = deltas.pack(after, before)
    assert deltas.is_delta(blob) and len(blob) < 100
    whole = deltas.pack(after, None)
    assert len(whole) > 10_000
    assert deltas.unpack(whole) == after


def test_damaged_bytes_are_refused() -> None:
    with pytest.raises(deltas.PackError):
        deltas.unpack(b"Z" + b"not zlib")
    with pytest.raises(deltas.PackError):
        deltas.unpack(b"X" + zlib.compress(b"text"))
    with pytest.raises(deltas.PackError):
        deltas.unpack(deltas.pack_delta("a,b", "a,c"))  # no base given
    with pytest.raises(deltas.PackError):
        deltas.unpack(b"D" + zlib.compress(b"[0,"), "a,b")
