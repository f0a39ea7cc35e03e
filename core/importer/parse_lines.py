"""Source lines of an edition text and the layout noise the PDF extraction left in them.

The parser works on :class:`Line` values: one per physical line of the text (a line holding
markdown bold markers ``**`` is split into its fragments, which keep the line number). Each
line has a :class:`Kind`; the noise pass turns page numbers, the status legend and repeated
URL footnotes into ``NOISE`` so that the structural parser can treat them as a page break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a source line is, before any structure is read."""

    TEXT = "text"
    EMPTY = "empty"  # "" - in the wrapped layout a mere gap inside a paragraph
    SPACE = "space"  # whitespace only - in the wrapped layout a paragraph break
    NOISE = "noise"  # page number, legend, footnote URL: a page break


@dataclass(frozen=True)
class Line:
    """One physical line (or a ``**``-separated fragment of one)."""

    no: int  # 1-based line number in the source text
    raw: str  # the line without its newline; tabs and leading spaces kept
    kind: Kind

    @property
    def text(self) -> str:
        """The line without surrounding whitespace."""
        return self.raw.strip()

    @property
    def indented(self) -> bool:
        """True if the (non-blank) line starts with a space or tab."""
        return self.kind is Kind.TEXT and self.raw[:1] in (" ", "\t")

    def as_noise(self) -> Line:
        """The same line, marked as layout noise."""
        return Line(self.no, self.raw, Kind.NOISE)


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines; fragments glued with ``**`` become lines of their own."""
    lines: list[Line] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        pieces = raw.split("**") if "**" in raw else [raw]
        if len(pieces) > 1:
            pieces = [p for p in pieces if p.strip()] or [""]
        for piece in pieces:
            kind = Kind.EMPTY if piece == "" else Kind.SPACE if not piece.strip() else Kind.TEXT
            lines.append(Line(no, piece.rstrip("\r"), kind))
    return lines


# -- noise ---------------------------------------------------------------------------------

_LEGEND_FIRST = "umgesetzt (innerhalb des letzten halben Jahres)"
_LEGEND_REST = ("in Bearbeitung", "in Planung", "Ideenspeicher")
_LEGEND_ONE_LINE = re.compile(
    r"^umgesetzt \(innerhalb des letzten halben Jahres\)\s+in Bearbeitung\s+"
    r"in Planung\s+Ideenspeicher$"
)
_URL_ONLY = re.compile(r"^<?https?://(\S+?)/?>?$")
_STANDALONE_NUMBER = re.compile(r"^\d{1,3}$")

#: A page number is larger than the previous one, by at most this many pages. The window
#: keeps a year ("2024") or a department code below the last page number ("51") from passing.
PAGE_STEP_MAX = 40


def is_page_number(value: int, last_page: int) -> bool:
    """True if a line holding only ``value`` can be the next page number after ``last_page``.

    Page numbers only increase, by a few pages at a time. A department code standing alone
    on a line of a project list ("51", "66") is usually smaller than the last page number;
    the list reader also keeps a lone number as the department of a row that has none yet.
    """
    return last_page < value <= last_page + PAGE_STEP_MAX


def mark_noise(lines: Sequence[Line], *, skip: range = range(0)) -> tuple[list[Line], int]:
    """Mark layout noise; return the lines and the last page number seen.

    Lines whose index is in ``skip`` (the project lists) are not checked for page numbers:
    there a lone number may be a department code, which the row parser decides. The last
    page number before ``skip`` is returned so that the row parser can continue the count.
    """
    out = list(lines)
    _mark_legends(out)
    _mark_footnote_urls(out)
    last_page = 0
    last_page_before_skip = 0
    for i, line in enumerate(out):
        if line.kind is not Kind.TEXT:
            continue
        if i in skip:
            continue
        if _STANDALONE_NUMBER.match(line.text) and is_page_number(int(line.text), last_page):
            last_page = int(line.text)
            out[i] = line.as_noise()
            if not skip or i < skip.start:
                last_page_before_skip = last_page
    return out, last_page_before_skip


def _mark_legends(lines: list[Line]) -> None:
    """The status legend: one line (2025) or four lines separated by blank lines (2023)."""
    for i, line in enumerate(lines):
        if line.kind is not Kind.TEXT:
            continue
        if _LEGEND_ONE_LINE.match(line.text):
            lines[i] = line.as_noise()
        elif line.text == _LEGEND_FIRST:
            following = _next_text_indices(lines, i, len(_LEGEND_REST))
            if [lines[j].text for j in following] == list(_LEGEND_REST):
                for j in (i, *following):
                    lines[j] = lines[j].as_noise()


def _next_text_indices(lines: Sequence[Line], i: int, count: int) -> list[int]:
    found: list[int] = []
    for j in range(i + 1, len(lines)):
        if lines[j].kind is Kind.TEXT:
            found.append(j)
            if len(found) == count:
                break
    return found


def _mark_footnote_urls(lines: list[Line]) -> None:
    """A URL alone on a line that repeats a URL printed earlier is the page's footnote."""
    seen = ""
    for i, line in enumerate(lines):
        if line.kind is not Kind.TEXT:
            continue
        match = _URL_ONLY.match(line.text)
        if match:
            key = match.group(1).removeprefix("www.")
            if key in seen:
                lines[i] = line.as_noise()
                continue
        seen += line.text + "\n"
