"""Chinese line breaking (禁则) for every paragraph the PDFs print.

reportlab breaks CJK text after any character that fits, so a line may start
with "，" or end with "（", and "职能职责概述（续）" may split inside its
brackets. Here the break is chosen as a typesetter would:

- no line starts with a closing mark or a point (，。、；：？！）」』》…);
- no line ends with an opening mark (（「『《“);
- a number or a Latin word stays whole (5374.34, 0743-8520526), and so do
  "……" and "——";
- where the break must move, the line gives its last characters to the next
  one; in justified text (the 评价报告's body) one point may instead hang in
  the margin, as Word's 允许标点溢出边界 does, so the line stays full;
- a paragraph does not end on a line of one character (孤字) where the line
  above can give it a second one;
- centred text (headers, labels) is balanced: its lines are made as even as
  the same number of lines allows, so "公共财政拨款" reads 公共财/政拨款,
  never 公共财政拨/款.

:class:`Para` is the paragraph every part of the PDF uses (:mod:`reports.pdf`,
:mod:`reports.pdf_narrative`, :mod:`reports.pdf_scoring`); the breaking itself
(:func:`line_breaks`) works on characters and widths and knows nothing of PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines, _handleBulletWidth
from reportlab.rl_config import _FUZZ

#: Characters no line may start with: points, closing marks, signs that follow a figure.
CANNOT_START = frozenset(
    "，。、；：？！）」』》〉】〕］｝〗〙”’…‥—～·．,.;:?!)]}%％‰℃°′″々ゝゞヽヾー"
)
#: Characters no line may end with: opening marks and signs that precede a figure.
CANNOT_END = frozenset("（「『《〈【〔［｛〖〘“‘([{￥$#＃№")
#: Points that may hang in the margin of justified text (their ink is at the left).
HANGING = frozenset("，。、；：？！,.;:?!")
#: Marks that come in pairs and are never split: …… and ——.
_DOUBLED = frozenset("…—‥")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isprintable() and not ch.isspace()


def allowed(before: str, after: str) -> bool:
    """Whether a line may end after ``before`` with the next one starting at ``after``."""
    if not before or not after:  # a line break of the text itself, or an inline object
        return True
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before == after and before in _DOUBLED:
        return False
    return not (_latin(before) and _latin(after))


Line = tuple[int, int, bool]  # first character, one past the last, ended by the text's own line break


def line_breaks(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float], *,
                hang: bool = False, hard: frozenset[int] = frozenset()) -> list[Line]:
    """The lines of a text: ``(start, end, hard)`` per line, ``chars[start:end]`` on it.

    ``max_widths[k]`` is the room on line ``k`` (the last one for the rest); an index in
    ``hard`` is a line break of the text itself (it ends its line). With ``hang`` a
    point that does not fit may hang past the room instead of moving a character down.
    """
    lines: list[Line] = []
    n = len(chars)
    start = i = 0
    used = 0.0
    last_room = len(max_widths) - 1
    room = max_widths[0] + _FUZZ
    while i < n:
        if hard and i in hard:
            lines.append((start, i + 1, True))
            start = i = i + 1
            used = 0.0
            room = max_widths[min(len(lines), last_room)] + _FUZZ
            continue
        used += widths[i]
        if used > room and i > start:
            end = _break(chars, start, i, hang)
            lines.append((start, end, False))
            start = i = end
            used = 0.0
            room = max_widths[min(len(lines), last_room)] + _FUZZ
            continue
        i += 1
    if start < n or not lines:
        lines.append((start, n, False))
    if not hang:
        _no_lone_last(chars, widths, max_widths, lines)
    return lines


def _break(chars: Sequence[str], start: int, i: int, hang: bool) -> int:
    """Where the line that overflows at ``chars[i]`` ends (its next line starts)."""
    if allowed(chars[i - 1], chars[i]):
        return i
    if hang and chars[i] in HANGING and chars[i - 1] not in CANNOT_END and (
        i + 1 >= len(chars) or allowed(chars[i], chars[i + 1])
    ):
        return i + 1
    # Move characters down, as many as it takes; a run with no place to break at all
    # (a number or web address longer than the line) is cut where it overflows.
    for j in range(i - 1, start, -1):
        if allowed(chars[j - 1], chars[j]):
            return j
    return i


def _no_lone_last(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                  lines: list[Line]) -> None:
    """A paragraph's last line of one character takes a second from the line above."""
    for k in range(1, len(lines)):
        start, end, hard = lines[k]
        last_of_paragraph = hard or k == len(lines) - 1
        above_start, above_end, above_hard = lines[k - 1]
        shown = [c for c in chars[start:end] if c.strip()]
        if not last_of_paragraph or above_hard or len(shown) != 1 or above_end - above_start < 3:
            continue
        j = above_end - 1
        room = max_widths[min(k, len(max_widths) - 1)]
        if allowed(chars[j - 1], chars[j]) and sum(widths[j:end]) <= room + _FUZZ:
            lines[k - 1] = (above_start, j, above_hard)
            lines[k] = (j, end, hard)


def balanced_width(chars: Sequence[str], widths: Sequence[float], width: float,
                   hard: frozenset[int] = frozenset()) -> float:
    """The least width at which the text still takes as few lines as at ``width``:
    its lines then come out as even as they can (centred labels, headers)."""
    count = len(line_breaks(chars, widths, [width], hard=hard))
    if count < 2:
        return width
    low, high = max(widths, default=0.0), width
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(line_breaks(chars, widths, [middle], hard=hard)) <= count:
            high = middle
        else:
            low = middle
    return high


def _rejoin(lines: Any, start: int, stop: int) -> list[Any]:
    """The text of lines ``start`` to ``stop`` as fragments again, for the part of a
    split paragraph on the next page: joined as they are (reportlab's own joining adds
    a space at each line end, which Chinese text must not have)."""
    return [word.clone() for line in lines.lines[start:stop] for word in line.words]


@lru_cache(maxsize=64)
def _char_widths(font: str, size: float) -> dict[str, float]:
    """Widths of the characters met so far in one face and size (filled as text comes)."""
    return {}


def _width(table: dict[str, float], ch: str, font: str, size: float) -> float:
    width = table.get(ch)
    if width is None:
        width = table[ch] = float(stringWidth(ch, font, size))
    return width


class Para(Paragraph):
    """A paragraph broken by :func:`line_breaks` (text set with ``wordWrap="CJK"``)."""

    def _get_split_blParaFunc(self) -> Any:  # noqa: N802 - reportlab's name
        return _rejoin if self.blPara.kind == 1 else super()._get_split_blParaFunc()

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab's names
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara  # the first part of a split keeps its lines
        frags = self.frags
        if not frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)
        chars: list[str] = []
        owner: list[int] = []  # the fragment each character comes from
        widths: list[float] = []
        hard: set[int] = set()
        for k, frag in enumerate(frags):
            text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
            if hasattr(frag, "lineBreak"):
                hard.update(range(len(chars), len(chars) + max(1, len(text))))
            if hasattr(frag, "cbDefn"):
                each = float(getattr(frag.cbDefn, "width", 0))
                for ch in text or [""]:
                    chars.append(ch)
                    owner.append(k)
                    widths.append(each)
                continue
            if not text:
                chars.append("")
                owner.append(k)
                widths.append(0.0)
                continue
            table = _char_widths(frag.fontName, frag.fontSize)
            chars.extend(text)
            owner.extend([k] * len(text))
            widths.extend([table[ch] if ch in table else _width(table, ch, frag.fontName, frag.fontSize)
                           for ch in text])
        breaks = frozenset(hard)
        shown = list(maxWidths)
        room = shown
        if style.alignment == TA_CENTER and len(set(shown)) == 1:
            room = [balanced_width(chars, widths, shown[0], breaks)]
        lines = line_breaks(chars, widths, room, hang=style.alignment == TA_JUSTIFY, hard=breaks)
        out = []
        for k, (start, end, ended) in enumerate(lines):
            width = shown[min(k, len(shown) - 1)]
            used = sum(widths[start:end])
            out.append(_line(frags, chars, owner, start, end, width, used, ended))
        return ParaLines(kind=1, lines=out)


def _line(frags: Any, chars: list[str], owner: list[int], start: int, end: int, width: float, used: float,
          ended: bool) -> FragLine:
    """One line as reportlab draws it: a fragment per run of characters of one fragment."""
    words = []
    size = ascent = descent = 0.0
    a = start
    while a < end:
        k = owner[a]
        b = a + 1
        while b < end and owner[b] == k:
            b += 1
        frag = frags[k]
        word = frag.clone()
        word.text = "".join(chars[a:b])
        words.append(word)
        up, down = getAscentDescent(frag.fontName, frag.fontSize)
        size, ascent, descent = max(size, frag.fontSize), max(ascent, up), min(descent, down)
        a = b
    return FragLine(kind=1, extraSpace=width - used, wordCount=1, words=words, fontSize=size, ascent=ascent,
                    descent=descent, maxWidth=width, currentWidth=used, lineBreak=ended)
