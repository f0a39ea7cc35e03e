"""Spreadsheet cells that a spreadsheet program never runs as a formula (OWASP "CSV injection").

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what Excel
and LibreOffice read as a formula (or a command); :func:`formula_safe` prefixes such a cell with
an apostrophe, which both show as text. Numbers and dates are written as such by the XLSX
export and never pass through here.
"""

from __future__ import annotations

#: The first characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """``value`` as a spreadsheet shows it as text: prefixed with ``'`` when it could start a
    formula ("=SUM(A1)" -> "'=SUM(A1)", "-5 %" -> "'-5 %"), otherwise unchanged."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
