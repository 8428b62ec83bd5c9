"""Grade bands (等级档次) as the paper writes them in the 备注 of the score line.

``[[90, 优], [80, 良], [60, 较差], [0, 差]]`` prints as
``90（含）—100分为优；80（含）—90分为良；60（含）—80分为较差；60分以下为差。``;
the words and limits are data (other regions say 中 for 较差).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from models.money import format_decimal


def bands_text(bands: list[list[Any]]) -> str:
    """The 备注 under the score: ``90（含）—100分为优；…；60分以下为差。``"""
    ordered = sorted(bands, key=lambda b: b[0], reverse=True)
    parts: list[str] = []
    upper: Decimal | None = None
    for lower, word in ordered:
        lo = format_decimal(lower)
        if upper is None:
            parts.append(f"{lo}（含）—100分为{word}")
        elif lower == 0:
            parts.append(f"{format_decimal(upper)}分以下为{word}")
        else:
            parts.append(f"{lo}（含）—{format_decimal(upper)}分为{word}")
        upper = lower
    return "；".join(parts) + "。" if parts else ""


_BAND = re.compile(r"(\d+(?:\.\d+)?)\s*[（(]\s*含\s*[）)]\s*[—\-－~～至到]+\s*\d+(?:\.\d+)?\s*分?\s*为\s*([^；;。，,\s]+)")
_BAND_BELOW = re.compile(r"(\d+(?:\.\d+)?)\s*分?\s*以下\s*为\s*([^；;。，,\s]+)")


def parse_bands_text(text: str, path: str | None = "score.bands") -> list[list[Any]] | None:
    """Grade bands read back from a 备注 text; None when it names none.

    Raises :class:`models.errors.ValueInputError` for a grade word that cannot
    be one (invisible characters, too long) or too many bands."""
    from models.document import band_word, check_band_count

    folded = unicodedata.normalize("NFKC", text)
    bands: list[list[Any]] = [[Decimal(lo), band_word(word, path)] for lo, word in _BAND.findall(folded)]
    below = _BAND_BELOW.findall(folded)
    if below and not any(lo == 0 for lo, _ in bands):
        bands.append([Decimal(0), band_word(below[-1][1], path)])
    if not bands:
        return None
    check_band_count(len(bands), path)
    return sorted(bands, key=lambda b: b[0], reverse=True)
