"""Import of published editions (their extracted text) into the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.assembly import assemble_edition
from core.export import edition_json
from core.frozen import freeze
from core.importer.load import (
    Disappeared,
    ImportReport,
    LinkError,
    Progress,
    Successor,
    load_edition,
)
from core.importer.parsed import ParsedEdition
from core.importer.printed import imported_view
from core.importer.serialize import from_json
from core.models import Edition

DEMO_RESOURCE = "edition-2025-04-01.json"

__all__ = [
    "Disappeared",
    "ImportReport",
    "LinkError",
    "Successor",
    "demo_edition",
    "import_parsed",
]


def import_parsed(
    session: Session,
    parsed: ParsedEdition,
    *,
    now: datetime,
    actor: str = "import",
    progress: Progress | None = None,
    same: Sequence[tuple[str, str]] = (),
) -> ImportReport:
    """Load ``parsed``, freeze the edition as printed and store its snapshot (the baseline
    for the next edition's changes view).

    ``same``: (OLD TITLE, NEW TITLE) pairs of renamed projects, see :func:`load_edition`.
    """
    report = load_edition(session, parsed, now=now, actor=actor, progress=progress, same=same)
    session.flush()
    edition = session.scalars(select(Edition).where(Edition.cutoff == parsed.cutoff)).one()
    view = imported_view(session, parsed, report.project_ids, report.archive_ids)
    frozen = freeze(view)
    if edition.frozen != frozen:
        edition.frozen = frozen
    if report.is_current:
        snapshot = edition_json(assemble_edition(session, parsed.cutoff))
        if _without_time(edition.snapshot) != _without_time(snapshot):
            edition.snapshot = snapshot  # an identical re-import keeps the first one's time
    return report


def _without_time(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """An edition snapshot without the moment it was made (``generated_at``)."""
    if snapshot is None:
        return None
    return {k: v for k, v in snapshot.items() if k != "generated_at"}


def demo_edition() -> ParsedEdition:
    """The 01.04.2025 edition as the parser read it, shipped with the package."""
    raw = resources.files("core.demo").joinpath(DEMO_RESOURCE).read_text(encoding="utf-8")
    return from_json(json.loads(raw))
