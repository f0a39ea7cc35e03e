"""Import of published editions (their extracted text) into the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources

from sqlalchemy.orm import Session

from core.assembly import assemble_edition
from core.export import edition_json
from core.importer.load import (
    Disappeared,
    ImportReport,
    LinkError,
    Progress,
    Successor,
    load_edition,
)
from core.importer.parsed import ParsedEdition
from core.importer.serialize import from_json
from core.models import Edition

DEMO_RESOURCE = "edition-2025-04-01.json"

__all__ = [
    "Disappeared", "ImportReport", "LinkError", "Successor", "demo_edition", "import_parsed",
]


def import_parsed(
    session: Session, parsed: ParsedEdition, *, actor: str = "import",
    progress: Progress | None = None, same: Sequence[tuple[str, str]] = (),
) -> ImportReport:
    """Load ``parsed`` and store the edition's snapshot (baseline for the changes view).

    ``same``: (OLD TITLE, NEW TITLE) pairs of renamed projects, see :func:`load_edition`.
    """
    report = load_edition(session, parsed, actor=actor, progress=progress, same=same)
    if report.is_current:
        edition = session.query(Edition).filter_by(cutoff=parsed.cutoff).one()
        session.flush()
        edition.snapshot = edition_json(assemble_edition(session, parsed.cutoff))
    return report


def demo_edition() -> ParsedEdition:
    """The 01.04.2025 edition as the parser read it, shipped with the package."""
    raw = resources.files("core.demo").joinpath(DEMO_RESOURCE).read_text(encoding="utf-8")
    return from_json(json.loads(raw))
