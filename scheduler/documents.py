"""The draft at the cutoff: the edition assembled from the database and rendered to files.

The real renderers run in child processes (:class:`core.render.job.RenderProcesses`, shared
with the bot's /entwurf in ``nhr run``); stand-in renderers given as ``renderers`` run in a
worker thread. The files are named by :func:`core.documents.document_name`, as everywhere.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from core.config import RenderOptions
from core.db import unit_of_work
from core.documents import document_name
from core.frozen import edition_view
from core.render.job import Document, RenderJob, RenderProcesses, engine_url
from core.view import AssembledEdition

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Document", "DraftDocuments", "RenderedDrafts", "Renderer", "default_renderers"]


class DraftDocuments(Protocol):
    """Gives the draft files of an edition (PDF, DOCX ...)."""

    async def documents(self, cutoff: date) -> Sequence[Document]:
        """The files of the draft at ``cutoff``."""
        ...


Renderer = Callable[[AssembledEdition, io.BytesIO], None]


def default_renderers() -> dict[str, Renderer]:
    """PDF and DOCX from ``core.render`` (imported late: Typst and python-docx are heavy)."""
    from core.render.docx import render_docx
    from core.render.pdf import render_pdf

    return {"pdf": render_pdf, "docx": render_docx}


class RenderedDrafts:
    """Assembles and renders the draft once per cutoff and process, outside the event loop's
    process (PDF and DOCX in a child process; stand-in ``renderers`` in a thread).

    The assembled edition holds approved changes only: approving a submission is what applies it
    to the project. Every coordinator of one wave gets the same files. A failed render raises
    (:class:`core.render.job.RenderFailed`): the message is retried later.

    Without ``processes``, the child processes render with ``options`` (publisher and fonts of
    the caller's settings; without them the settings' defaults).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        renderers: Callable[[], dict[str, Renderer]] | None = None,
        *,
        processes: RenderProcesses | None = None,
        options: RenderOptions | None = None,
    ) -> None:
        self._sessions = sessions
        self._renderers = renderers
        self._processes = processes
        self._options = options
        self._cache: dict[date, tuple[Document, ...]] = {}
        self._lock = asyncio.Lock()
        self.renders = 0

    async def documents(self, cutoff: date) -> Sequence[Document]:
        """The draft files of ``cutoff``, rendered on first use."""
        async with self._lock:
            if cutoff not in self._cache:
                if self._renderers is not None:
                    files = await asyncio.to_thread(self._render, cutoff, self._renderers)
                else:
                    files = await self._render_in_child(cutoff)
                self._cache[cutoff] = files
                self.renders += 1
            return self._cache[cutoff]

    async def _render_in_child(self, cutoff: date) -> tuple[Document, ...]:
        if self._processes is None:
            bind = self._sessions.kw["bind"]
            self._processes = RenderProcesses(engine_url(bind), options=self._options)
        formats = ("pdf", "docx")
        rendered = await self._processes.render(RenderJob(cutoff, formats))
        return tuple(
            Document(document_name(cutoff, fmt, draft=True), doc.content)
            for fmt, doc in zip(formats, rendered, strict=True)
        )

    def _render(
        self, cutoff: date, renderers: Callable[[], dict[str, Renderer]]
    ) -> tuple[Document, ...]:
        with unit_of_work(self._sessions) as session:
            edition = edition_view(session, cutoff)
        files = []
        for extension, render in renderers().items():
            buffer = io.BytesIO()
            render(edition, buffer)
            files.append(Document(document_name(cutoff, extension, draft=True), buffer.getvalue()))
        return tuple(files)
