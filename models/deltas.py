"""Revisions stored compactly: a whole document compressed, or its difference from another.

A stored revision is bytes whose first byte says which:

- ``Z`` then zlib of the UTF-8 text: the whole document;
- ``D`` then zlib of a JSON list: the document rebuilt from a *base* text. The list
  holds pairs of integers ``start, end`` (copy ``base[start:end]``) and strings
  (insert them), in order.

Consecutive revisions of a report differ by the cells typed between two saves, and
a department's report differs from its last year's mostly in figures, so a difference
is usually a few hundred bytes where the whole document is ten or more kilobytes.

The difference is computed over tokens that end at JSON separators and Chinese
punctuation (a value, a sentence), so an edit costs about the sentence it touches.
Everything here is exact: :func:`unpack` gives back the very text that was packed,
and :func:`pack_delta` checks that before it returns.
"""

from __future__ import annotations

import json
import re
import zlib
from difflib import SequenceMatcher

FULL = b"Z"
DELTA = b"D"
#: A difference this small is kept without comparing it with the whole document.
SMALL = 1024
#: Otherwise a difference is kept when it is at most this share of the whole document.
SHARE = 0.6

_TOKEN = re.compile(r"[^,:\]}，。；：、]*[,:\]}，。；：、]?")


class PackError(ValueError):
    """Stored bytes that are not a revision (a damaged file)."""


def tokens(text: str) -> list[str]:
    """``text`` cut after each separator; the pieces join to ``text`` again."""
    return [t for t in _TOKEN.findall(text) if t]


def pack_full(text: str) -> bytes:
    return FULL + zlib.compress(text.encode("utf-8"), 9)


def is_delta(blob: bytes) -> bool:
    return blob[:1] == DELTA


def _ops(base: str, text: str) -> list[int | str]:
    a, b = tokens(base), tokens(text)
    offsets = [0]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    # The usual edit touches one place: match the common ends first, then the middle.
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    ops: list[int | str] = []

    def copy(i1: int, i2: int) -> None:
        if i2 <= i1:
            return
        start, end = offsets[i1], offsets[i2]
        if len(ops) >= 2 and isinstance(ops[-1], int) and ops[-1] == start:
            ops[-1] = end  # continues the previous copy
        else:
            ops.extend((start, end))

    def insert(j1: int, j2: int) -> None:
        if j2 > j1:
            ops.append("".join(b[j1:j2]))

    copy(0, head)
    # autojunk: tokens as common as "null," do not start a match, which keeps this fast.
    middle = SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=True)
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        if tag == "equal":
            copy(head + i1, head + i2)
        else:
            insert(head + j1, head + j2)
    copy(len(a) - tail, len(a))
    return ops


def pack_delta(base: str, text: str) -> bytes:
    """``text`` as its difference from ``base``."""
    ops = _ops(base, text)
    blob = DELTA + zlib.compress(json.dumps(ops, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9)
    if unpack(blob, base) != text:  # never store what would not read back
        raise RuntimeError("a difference that does not rebuild its text")
    return blob


def pack(text: str, base: str | None) -> bytes:
    """The smaller of the whole document and its difference from ``base`` (when given)."""
    if base is not None:
        delta = pack_delta(base, text)
        if len(delta) <= SMALL:
            return delta
        full = pack_full(text)
        return delta if len(delta) <= SHARE * len(full) else full
    return pack_full(text)


def unpack(blob: bytes, base: str | None = None) -> str:
    """The text ``blob`` holds; a difference needs the text of its base."""
    kind, body = bytes(blob[:1]), blob[1:]
    try:
        raw = zlib.decompress(body)
        if kind == FULL:
            return raw.decode("utf-8")
        if kind != DELTA:
            raise PackError(f"unknown kind {kind!r}")
        if base is None:
            raise PackError("a difference without its base")
        ops = json.loads(raw.decode("utf-8"))
        parts: list[str] = []
        i = 0
        while i < len(ops):
            op = ops[i]
            if isinstance(op, str):
                parts.append(op)
                i += 1
            else:
                parts.append(base[op : ops[i + 1]])
                i += 2
        return "".join(parts)
    except (zlib.error, UnicodeDecodeError, ValueError, TypeError, IndexError) as exc:
        if isinstance(exc, PackError):
            raise
        raise PackError(str(exc)) from None
