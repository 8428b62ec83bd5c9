"""Reading a rendered PDF back as lines of text with their positions."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    x: float  # where the line starts, in points from the left
    y: float  # its baseline, in points from the bottom
    text: str


def lines(data: bytes) -> list[Line]:
    """Every line of text, in drawing order. reportlab draws a paragraph's line as one
    or more strings (one per font subset) that all start at the line's origin; they are
    joined back into the line."""
    out: list[Line] = []
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        found: dict[tuple[float, float], list[str]] = {}

        def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object,
                  found: dict[tuple[float, float], list[str]] = found) -> None:
            x = round(tm[4] * cm[0] + cm[4], 1)
            y = round(tm[5] * cm[3] + cm[5], 1)
            found.setdefault((x, y), []).append(text)

        page.extract_text(visitor_text=visit)
        for (x, y), parts in found.items():
            text = "".join(parts).replace("\n", "").strip()
            if text:
                out.append(Line(n, x, y, text))
    return out
