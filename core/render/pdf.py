"""The report as a tagged, accessible PDF (PDF/UA-1), typeset by WeasyPrint from the HTML."""

from __future__ import annotations

import os
from typing import BinaryIO

# WeasyPrint ships no type information.
from weasyprint import HTML  # type: ignore[import-untyped]

from core.render.html import render_html
from core.view import AssembledEdition

#: PDF/UA-1: tagged structure tree, document language and title, embedded fonts.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(edition: AssembledEdition, target: str | os.PathLike[str] | BinaryIO) -> None:
    """Write the edition as PDF to a path or a binary file object.

    The PDF is typeset from exactly the HTML of :func:`render_html`, whose print stylesheet adds
    A4 pages, the running status legend, "Seite N" footers, table-of-contents page numbers and
    bookmarks. Fonts are found through fontconfig (DejaVu on a plain Debian) and embedded.
    """
    document = HTML(string=render_html(edition), base_url=None)
    document.write_pdf(target, pdf_variant=PDF_VARIANT)
