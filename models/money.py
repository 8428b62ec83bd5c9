"""Exact figures: parsing what people type or paste, and printing it back.

Money is ``decimal.Decimal`` end to end and blank is ``None``; no float ever
touches a figure. A figure keeps the scale it was written with, so ``"0.4"``
prints as ``0.4`` and ``"14"`` as ``14``, exactly as the paper shows them.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from models.errors import ValueInputError, quoted

# What people paste from Excel, WPS or a Word table: spaces of every width,
# full-width digits and punctuation (NFKC folds those), a unit after the figure.
_SPACES = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")
_MINUS = {"\u2212": "-", "\u2013": "-", "\u2014": "-"}
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
# Largest figure accepted: 万元 with 13 integer digits is far beyond any budget.
MAX_INTEGER_DIGITS = 13


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    for dash, minus in _MINUS.items():
        folded = folded.replace(dash, minus)
    return _SPACES.sub("", folded)


def _strip_unit(text: str, units: tuple[str, ...]) -> str:
    for unit in units:
        if unit and text.endswith(unit):
            return text[: -len(unit)]
    return text


def parse_decimal(
    text: str | None,
    *,
    places: int = 2,
    units: tuple[str, ...] = ("万元",),
    negative: bool = True,
    what: str = "金额",
    path: str | None = None,
) -> Decimal | None:
    """Read a figure as typed; ``None`` for a blank.

    Accepts full-width digits, thousands separators, spaces and a trailing unit;
    refuses anything else, and more than ``places`` decimals, with a message
    that quotes the input.
    """
    if text is None:
        return None
    raw = str(text)
    cleaned = _normalise(raw)
    if cleaned == "":
        return None
    body = _strip_unit(cleaned, units)
    if _GROUPED.match(body):
        body = body.replace(",", "")
    if not _PLAIN.match(body):
        unit_hint = f"，可带单位「{units[0]}」" if units and units[0] else ""
        raise ValueInputError(
            f"{quoted(raw)}不是有效的{what}：请只填写数字{unit_hint}，例如 5374.34。", path
        )
    value = Decimal(body)
    if value.is_signed() and value == 0:
        value = abs(value)
    if value < 0 and not negative:
        raise ValueInputError(f"{quoted(raw)}不能为负数：{what}应大于或等于 0。", path)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > places:
        if places == 0:
            rule = "只能是整数"
        else:
            rule = f"最多保留 {places} 位小数"
        raise ValueInputError(
            f"{quoted(raw)}的小数位数过多：{what}{rule}。请核对后重新填写，程序不会自动四舍五入。",
            path,
        )
    integer_digits = len(body.lstrip("+-").split(".")[0].lstrip("0"))
    if integer_digits > MAX_INTEGER_DIGITS:
        raise ValueInputError(f"{quoted(raw)}数值过大，请核对{what}的单位和位数。", path)
    return value


def parse_int(
    text: str | int | None,
    *,
    units: tuple[str, ...] = (),
    minimum: int | None = 0,
    maximum: int | None = None,
    what: str = "数字",
    path: str | None = None,
) -> int | None:
    """Read a whole number (人数, 年度); ``None`` for a blank."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueInputError(f"真假值（{'true' if text else 'false'}）不是有效的{what}：请填写整数。", path)
    if isinstance(text, int):
        value = text
        raw = str(text)
    else:
        raw = str(text)
        cleaned = _normalise(raw)
        if cleaned == "":
            return None
        body = _strip_unit(cleaned, units)
        if not _INTEGER.match(body) or len(body) > 12:
            raise ValueInputError(f"{quoted(raw)}不是有效的{what}：请填写整数。", path)
        value = int(body)
    if minimum is not None and value < minimum:
        raise ValueInputError(f"{quoted(raw)}不是有效的{what}：不能小于 {minimum}。", path)
    if maximum is not None and value > maximum:
        raise ValueInputError(f"{quoted(raw)}不是有效的{what}：不能大于 {maximum}。", path)
    return value


def format_decimal(value: Decimal | None) -> str:
    """The figure as written, never in exponent form; blank for ``None``."""
    if value is None:
        return ""
    return format(value, "f")


#: How amounts (万元) are shown and printed: as the clerk typed them (the paper form's
#: way, the default), or with two decimals and thousands separators.
AMOUNT_STYLES = {"typed": "按填写显示（如 5374.34、0.4）", "fixed": "两位小数、千位分隔（如 5,374.34、0.40）"}


def format_amount(value: Decimal | None, style: str = "typed") -> str:
    """An amount as shown in ``style`` (see :data:`AMOUNT_STYLES`); blank for ``None``."""
    if value is None:
        return ""
    if style == "fixed":
        return format(value.quantize(Decimal("0.01")), ",.2f")
    return format_decimal(value)


def add(values: list[Decimal | None]) -> Decimal | None:
    """Sum of the non-blank values; ``None`` when every value is blank."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = Decimal(0)
    for v in present:
        total += v
    return total


def format_percent(numerator: Decimal, denominator: Decimal, places: int = 0) -> str:
    """``score / weight`` as printed in the 得分率 column: ``96%``."""
    if denominator == 0:
        return ""
    ratio = numerator * 100 / denominator
    quantum = Decimal(1).scaleb(-places)
    return format(ratio.quantize(quantum), "f") + "%"
