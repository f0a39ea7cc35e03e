"""Render an edition into files: one call for the CLI, the scheduler and the bot."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from core.render.html import render_html
from core.view import AssembledEdition

FORMATS = ("pdf", "docx", "html")


def report_filename(edition: AssembledEdition, fmt: str) -> str:
    """``nachhaltigkeitsreport-2025-04-01.pdf``; drafts and the changes view say so."""
    suffix = "-aenderungen" if edition.show_changes else ("-entwurf" if edition.draft else "")
    return f"nachhaltigkeitsreport-{edition.cutoff.isoformat()}{suffix}.{fmt}"


def render_files(
    edition: AssembledEdition,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    *,
    on_done: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write the edition in each format into ``out_dir``; returns the paths in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for fmt in formats:
        path = out_dir / report_filename(edition, fmt)
        if fmt == "html":
            path.write_text(render_html(edition), encoding="utf-8")
        elif fmt == "pdf":
            from core.render.pdf import render_pdf  # WeasyPrint: imported only when needed

            render_pdf(edition, path)
        elif fmt == "docx":
            from core.render.docx import render_docx  # python-docx and lxml: likewise

            render_docx(edition, path)
        else:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
        paths.append(path)
        if on_done is not None:
            on_done(path)
    return paths
