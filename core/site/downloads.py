"""The files an edition offers for download on its website.

Each format is one :class:`DownloadFormat` in :data:`DOWNLOAD_FORMATS`, in the order the pages
list them. A further document is one more entry there; the builder, the
manifest and the pages need no change. The files are named and the documents
written by :mod:`core.documents`, as by ``nhr render``, with the site's publisher and fonts.
The open data (JSON, CSV, XLSX, with the JSON Schema and a note on the licence) are written
together by :func:`core.opendata.files.write_open_data`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import texts
from core.config import RenderOptions
from core.documents import write_document
from core.view import AssembledEdition


@dataclass(frozen=True)
class DownloadFormat:
    """A downloadable form of an edition."""

    fmt: str  # file extension, also the key in the pages: "pdf"
    label: str  # as the pages name it: "PDF"
    #: Writes a document (slow to make: optional with --no-documents, kept once published);
    #: None for the open data, which :func:`core.opendata.files.write_open_data` writes at once.
    write: Callable[[AssembledEdition, Path, RenderOptions], None] | None = None

    @property
    def document(self) -> bool:
        return self.write is not None


def _write_pdf(edition: AssembledEdition, path: Path, options: RenderOptions) -> None:
    write_document(edition, "pdf", path, options=options)


def _write_docx(edition: AssembledEdition, path: Path, options: RenderOptions) -> None:
    write_document(edition, "docx", path, options=options)


DOWNLOAD_FORMATS: list[DownloadFormat] = [
    DownloadFormat("pdf", texts.DOWNLOAD_LABELS["pdf"], _write_pdf),
    DownloadFormat("docx", texts.DOWNLOAD_LABELS["docx"], _write_docx),
    DownloadFormat("json", texts.DOWNLOAD_LABELS["json"]),
    DownloadFormat("csv", texts.DOWNLOAD_LABELS["csv"]),
    DownloadFormat("xlsx", texts.DOWNLOAD_LABELS["xlsx"]),
]


def format_labels() -> dict[str, str]:
    """Extension -> label, for the pages."""
    return {f.fmt: f.label for f in DOWNLOAD_FORMATS}
