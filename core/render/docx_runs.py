"""Inline text as Word runs: formatted pieces, browser-like white space, soft hyphens, fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import pyphen  # type: ignore[import-untyped]  # pyphen ships no type information
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.text.run import CT_R
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core.render import docx_ooxml as ox

_SPACE = re.compile(r"[ \t\r\n\f]+")
#: What python-docx's ``Run.text`` writes as an element of its own (tab, line breaks).
_RUN_CONTROL = re.compile(r"([\t\r\n])")
SOFT_HYPHEN = "\u00ad"
WORD_BREAK = "\u200b"  # <wbr>: Word and LibreOffice read a zero-width space as a break chance
#: Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, ... and their presentation
#: forms), and the spaces, digits and marks between them: one right-to-left run.
_RTL_LETTER = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
_RTL = re.compile(
    f"[{_RTL_LETTER}](?:[{_RTL_LETTER} \\d\u200c-\u200f.,:;!?'\"()-]*[{_RTL_LETTER}])?"
)
#: Words this long or longer get hyphenation points (CSS ``hyphenate-limit-chars: auto``).
_HYPHENATED_WORD = re.compile(r"\w{5,}")


@dataclass(frozen=True)
class Piece:
    """A stretch of inline text with its formatting (one Word run)."""

    text: str
    bold: bool = False
    italic: bool = False
    badge: bool = False
    fill: str | None = None  # background colour of a colour swatch
    field: str | None = None  # a field instruction, e.g. "PAGE"
    raw: bool = False  # tab or line break: keep as is


def normalise(pieces: list[Piece]) -> list[Piece]:
    """Collapse white space like a browser does, across run boundaries; trim both ends."""
    out: list[Piece] = []
    after_space = True
    for piece in pieces:
        if piece.raw or piece.field or piece.fill:
            if piece.text == "\n" and out and out[-1].text.endswith(" ") and not out[-1].fill:
                out[-1] = replace(out[-1], text=out[-1].text.rstrip(" "))
            out.append(piece)
            after_space = piece.raw
            continue
        text = _SPACE.sub(" ", piece.text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            out.append(replace(piece, text=text))
            after_space = text.endswith(" ")
    while out and not (out[-1].raw or out[-1].field or out[-1].fill):
        last = out[-1].text.rstrip(" ")
        if last:
            out[-1] = replace(out[-1], text=last)
            break
        out.pop()
    return out


@cache
def _hyphenator(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang, left=2, right=2)


def hyphenate(pieces: list[Piece], lang: str) -> list[Piece]:
    """Soft hyphens at the syllable breaks of longer words, like CSS ``hyphens: auto``.

    The HTML's CSS hyphenates such text with the same (pyphen) dictionaries; Word and LibreOffice
    then break a word that does not fit ("Kantinen-ausschuss") only at these points, and need no
    hyphenation dictionary of their own for it.
    """
    hyphenator = _hyphenator(lang)

    def soft(match: re.Match[str]) -> str:
        return str(hyphenator.inserted(match.group(), hyphen=SOFT_HYPHEN))

    return [
        piece
        if piece.raw or piece.field or piece.fill
        else replace(piece, text=_HYPHENATED_WORD.sub(soft, piece.text))
        for piece in pieces
    ]


def collapse_space(text: str) -> str:
    """White space runs as single spaces, trimmed (for titles and metadata)."""
    return _SPACE.sub(" ", text).strip()


def rtl_split(pieces: list[Piece]) -> list[tuple[Piece, bool]]:
    """Each piece, split where right-to-left text (Hebrew, Arabic, ...) begins and ends; the
    flag says whether the part is such text (a Word run marked ``w:rtl``)."""
    out: list[tuple[Piece, bool]] = []
    for piece in pieces:
        if piece.raw or piece.field or piece.fill or not _RTL.search(piece.text):
            out.append((piece, False))
            continue
        start = 0
        for match in _RTL.finditer(piece.text):
            if match.start() > start:
                out.append((replace(piece, text=piece.text[start : match.start()]), False))
            out.append((replace(piece, text=match.group()), True))
            start = match.end()
        if start < len(piece.text):
            out.append((replace(piece, text=piece.text[start:]), False))
    return out


def write_runs(para: Paragraph, pieces: list[Piece]) -> None:
    """Append the pieces to a paragraph as runs (badges highlighted, swatches shaded,
    right-to-left text in runs of its own marked as such).

    The runs are built as plain elements (``w:r``, ``w:rPr``, ``w:t``) rather than through
    python-docx's run proxies, which search and reorder a run's children on every property
    set: the same XML in a fraction of the time. Only the rarer properties (right to left,
    highlight) go through python-docx.
    """
    p = para._p
    for piece, rtl in rtl_split(normalise(pieces)):
        if piece.field:
            for field_run in ox.field_runs(piece.field, cached="1"):
                p.append(field_run)
            continue
        r = ox.child(p, "w:r")
        bold = piece.bold or piece.badge
        if bold or piece.italic:
            rpr = ox.child(r, "w:rPr")  # schema order: w:b before w:i
            if bold:
                ox.child(rpr, "w:b")
            if piece.italic:
                ox.child(rpr, "w:i")
        if rtl or piece.badge:
            run = Run(r, para)
            if rtl:
                run.font.rtl = True
                run.font.cs_bold = bold or None
                run.font.cs_italic = piece.italic or None
            if piece.badge:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if SOFT_HYPHEN in piece.text:
            for index, segment in enumerate(piece.text.split(SOFT_HYPHEN)):
                if index:
                    r.append(ox.element("w:softHyphen"))
                r.add_t(segment)
        else:
            _add_text(r, piece.text)
        if piece.fill:
            ox.shade_run(r.get_or_add_rPr(), piece.fill)


def _add_text(r: CT_R, text: str) -> None:
    """``text`` as a run's content as python-docx's ``Run.text`` writes it: a tab as ``w:tab``,
    a line break or carriage return as ``w:br``, the text between them as ``w:t``."""
    for part in _RUN_CONTROL.split(text):
        if part == "\t":
            r.add_tab()
        elif part in ("\n", "\r"):
            r.add_br()
        elif part:
            r.add_t(part)
