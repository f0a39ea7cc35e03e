"""The files an edition offers for download on its website.

Each format is one :class:`DownloadFormat` in :data:`DOWNLOAD_FORMATS`, in the order the pages
list them. A further export (e.g. a spreadsheet) plugs in with :func:`register_download`; the
builder, the manifest and the pages need no change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.view import AssembledEdition


@dataclass(frozen=True)
class DownloadFormat:
    """A downloadable form of an edition."""

    fmt: str  # file extension, also the key in the pages: "pdf"
    label: str  # as the pages name it: "PDF"
    write: Callable[[AssembledEdition, Path], None]
    document: bool = False  # slow to make: optional (--no-documents), kept once published


def _write_pdf(edition: AssembledEdition, path: Path) -> None:
    from core.render.pdf import render_pdf

    render_pdf(edition, path)


def _write_docx(edition: AssembledEdition, path: Path) -> None:
    from core.render.docx import render_docx

    render_docx(edition, path)


def _write_json(edition: AssembledEdition, path: Path) -> None:
    from core.export import edition_json

    path.write_text(
        json.dumps(edition_json(edition), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _write_csv(edition: AssembledEdition, path: Path) -> None:
    from core.export import project_list_csv

    path.write_text(project_list_csv(edition), encoding="utf-8")


DOWNLOAD_FORMATS: list[DownloadFormat] = [
    DownloadFormat("pdf", "PDF", _write_pdf, document=True),
    DownloadFormat("docx", "Word (DOCX)", _write_docx, document=True),
    DownloadFormat("json", "Open Data (JSON)", _write_json),
    DownloadFormat("csv", "Projektliste (CSV)", _write_csv),
]


def register_download(fmt: DownloadFormat) -> None:
    """Offer one more format (replacing a format of the same extension)."""
    for i, known in enumerate(DOWNLOAD_FORMATS):
        if known.fmt == fmt.fmt:
            DOWNLOAD_FORMATS[i] = fmt
            return
    DOWNLOAD_FORMATS.append(fmt)


def format_labels() -> dict[str, str]:
    """Extension -> label, for the pages."""
    return {f.fmt: f.label for f in DOWNLOAD_FORMATS}


def download_name(cutoff: date, fmt: str, *, draft: bool = False) -> str:
    """The file name of a download; the same names as ``nhr render`` and ``nhr export``."""
    return f"nachhaltigkeitsreport-{cutoff.isoformat()}{'-entwurf' if draft else ''}.{fmt}"
