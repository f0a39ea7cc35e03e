"""CSV that a spreadsheet opens as data, never as formulas: every CSV we write goes through here.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM(…)``); OWASP's rule
("CSV Injection") prefixes such a cell with a single quote, which the spreadsheet shows as text.
The rule is applied to text as it is, so a text cell "-5" gets the prefix too; numbers written as
numbers (``int``/``float``), empty cells and project numbers like "1.2.3.4" are unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Final, Protocol

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """``value`` neutralised for a spreadsheet: text starting like a formula gets a leading
    ``'``; numbers, ``None`` and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """A :func:`csv.writer` whose rows pass through :func:`safe_cell`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        """Write one row, each cell neutralised."""
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write several rows, each cell neutralised."""
        for row in rows:
            self.writerow(row)


def writer(out: _Writable, **options: Any) -> SafeWriter:
    """A CSV writer for ``out`` (lines end in ``\\n`` unless ``lineterminator`` is given) that
    neutralises formula cells; the only way this project writes CSV."""
    return SafeWriter(out, **options)


__all__ = ["FORMULA_STARTS", "SafeWriter", "safe_cell", "writer"]
