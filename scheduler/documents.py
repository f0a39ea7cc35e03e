"""The draft at the cutoff: the edition assembled from the database and rendered to files."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.frozen import edition_view
from core.view import AssembledEdition
from scheduler import texts


@dataclass(frozen=True)
class Document:
    """A file to send: its name and content."""

    filename: str
    content: bytes


class DraftDocuments(Protocol):
    """Gives the draft files of an edition (PDF, DOCX ...)."""

    async def documents(self, cutoff: date) -> Sequence[Document]:
        """The files of the draft at ``cutoff``."""
        ...


Renderer = Callable[[AssembledEdition, io.BytesIO], None]


def default_renderers() -> dict[str, Renderer]:
    """PDF and DOCX from ``core.render`` (imported late: WeasyPrint is heavy)."""
    from core.render.docx import render_docx
    from core.render.pdf import render_pdf

    return {"pdf": render_pdf, "docx": render_docx}


class RenderedDrafts:
    """Assembles and renders the draft once per cutoff and process, off the event loop.

    The assembled edition holds approved changes only: approving a submission is what applies it
    to the project. Every coordinator of one wave gets the same files.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        renderers: Callable[[], dict[str, Renderer]] = default_renderers,
    ) -> None:
        self._sessions = sessions
        self._renderers = renderers
        self._cache: dict[date, tuple[Document, ...]] = {}
        self._lock = asyncio.Lock()
        self.renders = 0

    async def documents(self, cutoff: date) -> Sequence[Document]:
        """The draft files of ``cutoff``, rendered on first use."""
        async with self._lock:
            if cutoff not in self._cache:
                self._cache[cutoff] = await asyncio.to_thread(self._render, cutoff)
                self.renders += 1
            return self._cache[cutoff]

    def _render(self, cutoff: date) -> tuple[Document, ...]:
        with unit_of_work(self._sessions) as session:
            edition = edition_view(session, cutoff)
        files = []
        for extension, render in self._renderers().items():
            buffer = io.BytesIO()
            render(edition, buffer)
            files.append(Document(texts.draft_filename(cutoff, extension), buffer.getvalue()))
        return tuple(files)
