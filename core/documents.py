"""The report's documents: one file-name rule and one way to write an edition into files.

Every place that hands out a rendering of an edition names and writes it here: ``nhr render``
and ``nhr demo``, the bot's /entwurf and /aenderungen and the draft at the cutoff (both through
the child process of :mod:`core.render.job`), and the website's downloads
(:mod:`core.site.downloads`). So a file is called the same wherever it comes from::

    nachhaltigkeitsreport-2026-04-01.pdf               a published edition
    nachhaltigkeitsreport-2026-04-01-entwurf.pdf       a draft
    nachhaltigkeitsreport-2026-04-01-aenderungen.pdf   the changes view

Each renderer is imported when its format is written: a PDF loads neither python-docx nor the
DOCX writer, HTML neither of the two. What the renderers need of the settings (publisher, fonts)
the caller hands over as :class:`core.config.RenderOptions`: the settings are read once, by
``nhr`` or the bot, never here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.view import AssembledEdition

if TYPE_CHECKING:
    from core.config import RenderOptions

#: The formats an edition is rendered in, in the order ``nhr render`` writes them.
FORMATS = ("pdf", "docx", "html")


def document_name(cutoff: date, fmt: str, *, draft: bool, changes: bool = False) -> str:
    """``nachhaltigkeitsreport-2026-04-01.pdf``; a draft ends in ``-entwurf``, the changes view
    in ``-aenderungen`` (it is always of a draft, so it says only that)."""
    suffix = "-aenderungen" if changes else ("-entwurf" if draft else "")
    return f"nachhaltigkeitsreport-{cutoff.isoformat()}{suffix}.{fmt}"


def edition_document_name(edition: AssembledEdition, fmt: str) -> str:
    """:func:`document_name` of an assembled edition (draft and changes view as it says)."""
    return document_name(edition.cutoff, fmt, draft=edition.draft, changes=edition.show_changes)


def write_document(
    edition: AssembledEdition, fmt: str, path: Path, *, options: RenderOptions
) -> None:
    """Write ``edition`` in ``fmt`` (one of :data:`FORMATS`) to ``path``."""
    if fmt == "html":
        from core.render.html import render_html

        path.write_text(render_html(edition, options), encoding="utf-8")
    elif fmt == "pdf":
        from core.render.pdf import render_pdf

        render_pdf(edition, path, options)
    elif fmt == "docx":
        from core.render.docx import render_docx

        render_docx(edition, path, options)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def render_documents(
    edition: AssembledEdition,
    folder: Path,
    formats: Iterable[str] = FORMATS,
    *,
    options: RenderOptions,
    on_done: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write the edition in each format into ``folder`` under its :func:`document_name`;
    returns the paths in the order of ``formats``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for fmt in formats:
        path = folder / edition_document_name(edition, fmt)
        write_document(edition, fmt, path, options=options)
        paths.append(path)
        if on_done is not None:
            on_done(path)
    return paths
