"""Text written into a workbook stays text, whatever it starts with.

openpyxl guesses a cell's type from its value: a string that starts with
``=`` becomes a formula and ``#N/A`` an error value, so a department name
``=cmd|' /C calc'!A0`` or an 出错说明 ``=HYPERLINK(…)`` would be live in the
finance bureau's workbook. Both of the program's workbook writers (the
report's and the 汇总表's) write every text from a report as an inline
string, and one that a spreadsheet would read as a formula when edited
(:func:`looks_like_formula`: it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a line break) also gets the quote-prefix style, which Excel, WPS and
LibreOffice show as nothing — the visible text is exactly the report's.
"""

from __future__ import annotations

#: What a spreadsheet reads as the start of a formula (or of a DDE link).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text``, typed into a cell, for a formula."""
    return text.startswith(FORMULA_STARTS)
