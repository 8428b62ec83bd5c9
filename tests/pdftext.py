"""Reading a rendered PDF back as lines of text with their positions."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

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
    return list(_lines(data))


@lru_cache(maxsize=8)
def _lines(data: bytes) -> tuple[Line, ...]:
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
    return tuple(out)


def rules(data: bytes, page: int) -> list[tuple[float, float, float, float]]:
    """The straight lines drawn on a page (table rules): ``(x1, y1, x2, y2)`` in points,
    read from the page's drawing operators (moveto, lineto) under its transformations."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    page_obj = reader.pages[page - 1]
    content = ContentStream(page_obj.get_contents(), reader)
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    out: list[tuple[float, float, float, float]] = []
    point: tuple[float, float] | None = None

    def apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
        return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])

    for operands, operator in content.operations:
        op = operator.decode() if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = ctm
            ctm = (a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                   e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5])
        elif op == "m":
            point = apply(ctm, float(operands[0]), float(operands[1]))
        elif op == "l" and point is not None:
            end = apply(ctm, float(operands[0]), float(operands[1]))
            out.append((round(point[0], 1), round(point[1], 1), round(end[0], 1), round(end[1], 1)))
            point = end
    return out
