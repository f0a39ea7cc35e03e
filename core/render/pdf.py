"""The report as a tagged, accessible PDF (PDF/UA-1), typeset by Typst from the HTML.

The HTML of :func:`core.render.html.render_html` is translated into Typst markup by
:mod:`core.render.typst_markup`; the page layout (cover, table of contents with page numbers,
running status legend, landscape project lists, page numbers, draft watermark, change badges)
is the Typst template ``templates/report/report.typ``. Typst writes the tagged PDF: structure
tree, document language and title, bookmarks and embedded font subsets.

The stages are separate functions (:func:`typst_source`, :func:`source_to_pdf`) so that nothing
of an earlier stage stays alive while Typst compiles, and so that ``bench/bench_pdf_memory.py``
can measure each stage of the real path.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import BinaryIO, Final

import typst

from core.render.environment import templates_root
from core.render.html import render_html
from core.render.typst_markup import TEMPLATE, html_to_typst
from core.view import AssembledEdition

#: PDF/UA-1: tagged structure tree, document language and title, embedded fonts.
PDF_STANDARD: Final = "ua-1"


def fonts(font_paths: list[Path] | None) -> typst.Fonts:
    """The fonts Typst typesets with: the system fonts (DejaVu Sans on Debian), or only the
    folders ``font_paths`` (setting ``FONT_DIRS``), and the fonts inside Typst."""
    if font_paths is None:
        return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                       font_paths=[str(p) for p in font_paths])


@cache
def _fonts() -> typst.Fonts:
    """:func:`fonts` of the settings; scanned once per process."""
    from core.config import get_settings

    return fonts(get_settings().font_paths)


def typst_source(edition: AssembledEdition) -> str:
    """The Typst document of an edition (what :func:`render_pdf` compiles).

    The HTML string and its parsed tree are gone when this returns.
    """
    return html_to_typst(render_html(edition), "/" + TEMPLATE)


def source_to_pdf(source: str) -> bytes:
    """Compile a Typst document of :mod:`core.render.typst_markup` to PDF/UA-1."""
    compiler = typst.Compiler(root=str(templates_root()), font_paths=_fonts())
    pdf = compiler.compile(source.encode("utf-8"), pdf_standards=[PDF_STANDARD])
    if not isinstance(pdf, bytes):  # pragma: no cover - only image formats give several pages
        raise TypeError(f"Typst returned {type(pdf).__name__}, expected the PDF as bytes")
    return pdf


def html_to_pdf(html: str) -> bytes:
    """Typeset a report HTML document (as :func:`render_html` writes it) as PDF/UA-1."""
    return source_to_pdf(html_to_typst(html, "/" + TEMPLATE))


def render_pdf(edition: AssembledEdition, target: str | os.PathLike[str] | BinaryIO) -> None:
    """Write the edition as PDF to a path or a binary file object."""
    pdf = source_to_pdf(typst_source(edition))
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(pdf)
    else:
        target.write(pdf)
