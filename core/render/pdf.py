"""The report as a tagged, accessible PDF (PDF/UA-1), typeset by Typst from the HTML.

The HTML of :func:`core.render.html.render_html` is translated into Typst markup by
:mod:`core.render.typst_markup`; the page layout (cover, table of contents with page numbers,
running status legend, landscape project lists, page numbers, draft watermark, change badges)
is the Typst template ``templates/report/report.typ``. Typst writes the tagged PDF: structure
tree, document language and title, bookmarks and embedded font subsets.

The stages are separate functions (:func:`typst_source`, :func:`source_to_pdf`) so that nothing
of an earlier stage stays alive while Typst compiles, and so that ``bench/bench_pdf_memory.py``
can measure each stage of the real path.

The template's font list puts DejaVu Sans first, then Debian's colour emoji (bitmap Type 3
glyphs), Noto fonts (Arabic, Hebrew, symbols) and Droid Sans Fallback (CJK); see
``templates/report/report.typ``. A character that no installed font has (PDF/UA forbids the
empty box) does not stop the report: :func:`source_to_pdf` prints U+FFFD in its place and logs
a warning naming it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO, Final

import typst

from core.config import RenderOptions, font_folders
from core.render.environment import templates_root
from core.render.html import render_html
from core.render.typst_markup import TEMPLATE, html_to_typst, string
from core.view import AssembledEdition

log = logging.getLogger(__name__)

#: PDF/UA-1: tagged structure tree, document language and title, embedded fonts.
PDF_STANDARD: Final = "ua-1"
#: What a character no font can display is printed as.
REPLACEMENT: Final = "\ufffd"
#: Typst's PDF/UA error for a character without a glyph; the text is a Rust string literal.
_UNDISPLAYABLE = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_RUST_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]+)\}|.)")
_RUST_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}
#: The head of :func:`undisplayable`'s probe document: the template's fonts, PDF/UA's title.
_PROBE_HEAD: Final = (
    f"#import {string('/' + TEMPLATE)}: fonts\n"
    '#set document(title: "probe")\n'
    "#set text(font: fonts)"
)
#: Full compilations with replaced text before giving up (the probe finds almost all at once).
_MAX_RETRIES: Final = 20


def fonts(font_paths: Sequence[Path] | None) -> typst.Fonts:
    """The fonts Typst typesets with: the system fonts (DejaVu Sans on Debian), or only the
    folders ``font_paths`` (setting ``FONT_DIRS``), and the fonts inside Typst."""
    if font_paths is None:
        return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    return typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=True,
        font_paths=[str(p) for p in font_paths],
    )


@cache
def _fonts(font_paths: tuple[Path, ...] | None) -> typst.Fonts:
    """:func:`fonts` of the folders ``font_paths``; each set scanned once per process."""
    return fonts(font_paths)


def typst_source(edition: AssembledEdition, options: RenderOptions | None = None) -> str:
    """The Typst document of an edition (what :func:`render_pdf` compiles).

    The HTML string and its parsed tree are gone when this returns.
    """
    return html_to_typst(render_html(edition, options), "/" + TEMPLATE)


def source_to_pdf(source: str, font_paths: Sequence[Path] | None = None) -> bytes:
    """Compile a Typst document of :mod:`core.render.typst_markup` to PDF/UA-1, with the fonts
    of the folders ``font_paths`` (``RenderOptions.font_paths``; None: the system's).

    If Typst finds a character that no font can display, the characters of the document that no
    font has are printed as U+FFFD (found by :func:`undisplayable`), with a logged warning.
    """
    compiler = typst.Compiler(
        root=str(templates_root()), font_paths=_fonts(font_folders(font_paths))
    )
    replaced: set[str] = set()
    for attempt in range(_MAX_RETRIES + 1):
        try:
            pdf = compiler.compile(source.encode("utf-8"), pdf_standards=[PDF_STANDARD])
            break
        except typst.TypstError as err:
            text = _undisplayable_text(err)
            if text is None or attempt == _MAX_RETRIES:
                raise
            missing = (undisplayable(compiler, source) if not replaced else set()) or {text}
            if not any(part in source for part in missing):
                raise
            for part in missing:
                source = source.replace(part, REPLACEMENT)
            replaced |= missing
    if replaced:
        log.warning(
            "PDF: no font has %s; printed as U+FFFD",
            ", ".join(sorted(" ".join(f"U+{ord(c):04X}" for c in part) for part in replaced)),
        )
    if not isinstance(pdf, bytes):  # pragma: no cover - only image formats give several pages
        raise TypeError(f"Typst returned {type(pdf).__name__}, expected the PDF as bytes")
    return pdf


def undisplayable(compiler: typst.Compiler, source: str) -> set[str]:
    """The characters of ``source`` that no font of the template can display.

    A small probe document sets each non-ASCII character of ``source`` once in the template's
    fonts; each of Typst's errors names one character, which leaves the probe for the next try.
    """
    probe = sorted({char for char in source if ord(char) > 0x7E})
    missing: set[str] = set()
    while probe:
        chars = " ".join(f"#{string(char)}" for char in probe)
        document = f"{_PROBE_HEAD}\n{chars}\n"
        try:
            compiler.compile(document.encode("utf-8"), pdf_standards=[PDF_STANDARD])
            break
        except typst.TypstError as err:
            text = _undisplayable_text(err)
            if text is None or not any(char in probe for char in text):
                break
        missing |= {char for char in text if char in probe}
        probe = [char for char in probe if char not in text]
    return missing


def _undisplayable_text(err: typst.TypstError) -> str | None:
    """The text of Typst's "could not be displayed with font" error, or None for another error."""
    match = _UNDISPLAYABLE.search(str(err))
    if match is None:
        return None

    def unescape(escape: re.Match[str]) -> str:
        if escape.group(2):
            return chr(int(escape.group(2), 16))
        return _RUST_ESCAPES.get(escape.group(1), escape.group(1))

    return _RUST_ESCAPE.sub(unescape, match.group(1))


def html_to_pdf(html: str, font_paths: Sequence[Path] | None = None) -> bytes:
    """Typeset a report HTML document (as :func:`render_html` writes it) as PDF/UA-1."""
    return source_to_pdf(html_to_typst(html, "/" + TEMPLATE), font_paths)


def render_pdf(
    edition: AssembledEdition,
    target: str | os.PathLike[str] | BinaryIO,
    options: RenderOptions | None = None,
) -> None:
    """Write the edition as PDF to a path or a binary file object; ``options`` (publisher,
    fonts) from the caller's settings, else the settings' defaults."""
    options = options or RenderOptions()
    pdf = source_to_pdf(typst_source(edition, options), options.font_paths)
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(pdf)
    else:
        target.write(pdf)
