"""Targets and actuals as clerks type them: ``≥50个``, ``满意度在98%以上``, ``完成8家``.

The 定量指标 table holds text, not figures: a target is written ``4家``,
``100%``, ``满意度在98%以上`` or ``≤27.6万元``, an actual ``完成8家`` or a sentence
with the number in it. :func:`parse` reads such a text as one :class:`Quantity` —
number, unit and comparator — when it holds exactly one quantity (dates such as
``2023年10月`` do not count); :func:`parse_actual` reads an actual in the unit
of its target, so ``入企走访40多家企业，宣传政策……`` is 40 家. Anything else is
None: the text cannot be read, and the score stays the clerk's.

Amounts in 元, 万元 and 亿元 compare with each other (:meth:`Quantity.base`);
other units compare only with themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: ≥ at least, ≤ at most, > more than, < less than, = as written.
COMPARATORS = ("≥", "≤", ">", "<", "=")

#: Words before a number that set its comparator (longest first when matched).
BEFORE: dict[str, str] = {
    "≥": "≥", ">=": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥", "至少": "≥", "大于等于": "≥",
    "达到": "≥", "达": "≥",
    "≤": "≤", "<=": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤", "小于等于": "≤",
    "最多": "≤", "控制在": "≤",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
}
#: Words after a number and its unit that set its comparator.
AFTER: dict[str, str] = {
    "及以上": "≥", "以上": "≥", "或以上": "≥",
    "及以下": "≤", "以下": "≤", "以内": "≤", "或以下": "≤",
}
#: 40多家, 800余人次: more than the number.
APPROX = ("多", "余", "+")

#: Amounts: the factor to 万元.
MONEY: dict[str, Decimal] = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}

#: Units read after a number, longest first; any other text after a number is no unit.
UNITS: tuple[str, ...] = tuple(sorted(
    {
        *MONEY, "%", "个百分点", "万人次", "万人", "万户", "人次", "人", "家", "个", "项", "件", "次", "篇",
        "册", "份", "户", "座", "所", "公里", "千米", "平方米", "米", "亩", "吨", "天", "日", "小时", "个月",
        "月", "年", "批", "场", "期", "台", "套", "辆", "条", "处", "名", "位", "部", "本", "张", "分", "万", "亿",
    },
    key=len,
    reverse=True,
))

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")
_BEFORE = sorted(BEFORE, key=len, reverse=True)
_AFTER = sorted(AFTER, key=len, reverse=True)
#: Longest text read; a target is a few words, an actual a paragraph at most.
MAX_TEXT = 2000


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str = ""
    comparator: str = "="

    @property
    def family(self) -> str:
        """Units that compare: every amount is "万元"; others only themselves."""
        return "万元" if self.unit in MONEY else self.unit

    @property
    def base(self) -> Decimal:
        """The value in its family's unit (amounts in 万元)."""
        return self.value * MONEY[self.unit] if self.unit in MONEY else self.value

    def __str__(self) -> str:
        sign = "" if self.comparator == "=" else self.comparator
        return f"{sign}{number_text(self.value)}{self.unit}"


def number_text(value: Decimal) -> str:
    """A number without trailing zeros or exponent: 98, 27.6, 0.4."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text[:MAX_TEXT])
    return re.sub(r"\s+", "", folded).replace("％", "%")


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    quantity: Quantity
    date: bool


def _matches(text: str) -> list[_Match]:
    out: list[_Match] = []
    for m in _NUMBER.finditer(text):
        digits = m.group(1).replace(",", "") + (m.group(2) or "")
        try:
            value = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the pattern admits digits only
            continue
        start, pos = m.start(), m.end()
        approx = False
        if text[pos:pos + 1] in APPROX:
            approx, pos = True, pos + 1
        unit = next((u for u in UNITS if text.startswith(u, pos)), "")
        pos += len(unit)
        if not approx and text[pos:pos + 1] in APPROX and unit:
            approx, pos = True, pos + 1
        comparator = ">" if approx else "="
        before = text[max(0, start - 4):start]
        for word in _BEFORE:
            if before.endswith(word):
                comparator = BEFORE[word]
                break
        for word in _AFTER:
            if text.startswith(word, pos):
                comparator = AFTER[word]
                pos += len(word)
                break
        # 2023年, 10月 after a year, 5日: dates, not quantities
        date = (unit == "年" and len(m.group(1)) == 4 and not m.group(2)) or (
            unit in ("月", "日") and text[start - 1:start] in ("年", "月", "-", "—", "~")
        ) or (unit == "" and text[pos:pos + 1] in ("-", "—", "~", "/"))
        out.append(_Match(start, pos, Quantity(value, unit, comparator), date))
    return out


def parse(text: str | None) -> Quantity | None:
    """The one quantity a text states; None when it states none or several."""
    if not text:
        return None
    found = [m.quantity for m in _matches(_normal(text)) if not m.date]
    return found[0] if len(found) == 1 else None


def parse_actual(text: str | None, target: Quantity) -> Quantity | None:
    """An actual in the unit of its target: the one quantity of that unit in the text,
    else the text's one quantity when it has no unit either."""
    if not text:
        return None
    found = [m.quantity for m in _matches(_normal(text)) if not m.date]
    same = [q for q in found if q.family == target.family]
    if len(same) == 1:
        return same[0]
    if not same and len(found) == 1 and (found[0].unit == "" or target.unit == ""):
        return found[0]
    return None
