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


_SEPARATORS = frozenset(",:]}，。；：、")


def _common_prefix(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share (slices compared in halves: fast)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _runs(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, n)`` with ``a[i:i + n] == b[j:j + n]``, in order in both.

    Tokens that occur once in each (a key, a sentence) pair up; the longest chain of
    pairs in the same order in both is kept, and each pair grows into the run of equal
    tokens around it (this is "patience" diffing). Fast on documents of one shape,
    and exact whatever the texts: a token left unmatched is written out in full.
    """
    from bisect import bisect_left

    once_a: dict[str, int] = {}
    for i, token in enumerate(a):
        once_a[token] = -1 if token in once_a else i
    once_b: dict[str, int] = {}
    for j, token in enumerate(b):
        once_b[token] = -1 if token in once_b else j
    pairs = [(i, once_b[t]) for t, i in once_a.items() if i >= 0 and once_b.get(t, -1) >= 0]
    pairs.sort()
    # The longest chain of pairs whose positions in b increase too.
    tails: list[int] = []  # the smallest last j of a chain of each length
    ends: list[int] = []  # the pair ending that chain
    before: list[int] = []  # each pair's predecessor in its chain
    for k, (_, j) in enumerate(pairs):
        n = bisect_left(tails, j)
        before.append(ends[n - 1] if n else -1)
        if n == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[n], ends[n] = j, k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = before[k]
    chain.reverse()
    runs: list[tuple[int, int, int]] = []
    done_a = done_b = 0
    for i, j in chain:
        if i < done_a or j < done_b:
            continue  # inside the run grown from the last pair
        back = 0
        while i - back > done_a and j - back > done_b and a[i - back - 1] == b[j - back - 1]:
            back += 1
        ahead = 1
        while i + ahead < len(a) and j + ahead < len(b) and a[i + ahead] == b[j + ahead]:
            ahead += 1
        runs.append((i - back, j - back, back + ahead))
        done_a, done_b = i + ahead, j + ahead
    return runs


def _ops(base: str, text: str) -> list[int | str]:
    # The usual edit touches one place: the ends the texts share are copied whole,
    # cut back to a token boundary, and only the middle is compared token by token.
    head = _common_prefix(base, text)
    while head and base[head - 1] not in _SEPARATORS:
        head -= 1
    tail = _common_prefix(base[head:][::-1], text[head:][::-1])
    while tail and base[len(base) - tail - 1] not in _SEPARATORS:
        tail -= 1
    a, b = tokens(base[head : len(base) - tail]), tokens(text[head : len(text) - tail])
    offsets = [head]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    ops: list[int | str] = []

    def copy(start: int, end: int) -> None:
        if end <= start:
            return
        if len(ops) >= 2 and isinstance(ops[-1], int) and ops[-1] == start:
            ops[-1] = end  # continues the previous copy
        else:
            ops.extend((start, end))

    copy(0, head)
    j0 = 0
    for i, j, n in _runs(a, b):
        if j > j0:
            ops.append("".join(b[j0:j]))
        copy(offsets[i], offsets[i + n])
        j0 = j + n
    if j0 < len(b):
        ops.append("".join(b[j0:]))
    copy(len(base) - tail, len(base))
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
