"""Publishing an edition: freeze its numbering and keep its content as the next baseline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.assembly import assemble_edition
from core.audit import Auditor
from core.cycle import require_cutoff
from core.db import insert_ignoring
from core.export import edition_json
from core.frozen import freeze
from core.models import Edition, EditionEntry, EditionState


class EditionError(Exception):
    """A rule was broken; ``str(err)`` is a short German message."""


def get_or_create_edition(session: Session, cutoff: date) -> Edition:
    """The edition at ``cutoff`` (a 01.04. or 01.10.), created as collecting if new; safe
    against another process creating it at the same moment."""
    require_cutoff(cutoff)
    edition = find_edition(session, cutoff)
    if edition is not None:
        return edition
    session.execute(
        insert_ignoring(session, Edition, "cutoff").values(
            cutoff=cutoff, state=EditionState.COLLECTING.value, from_archive_only=False
        )
    )
    return session.scalars(_EDITION_AT, {"cutoff": cutoff}).one()


def find_edition(session: Session, cutoff: date) -> Edition | None:
    """The edition at ``cutoff``, if there is one."""
    return session.scalar(_EDITION_AT, {"cutoff": cutoff})


#: Built once: every bot update and every due-check looks its edition up.
_EDITION_AT = select(Edition).where(Edition.cutoff == bindparam("cutoff"))


def publish_edition(session: Session, cutoff: date, auditor: Auditor, now: datetime) -> Edition:
    """Freeze the edition: every printed project's number and status are recorded for good.

    Later editions and the archive refer to these numbers; the edition's export becomes the
    baseline of the next edition's changes view.
    """
    edition = get_or_create_edition(session, cutoff)
    if edition.state is EditionState.PUBLISHED and not edition.from_archive_only:
        raise EditionError("Diese Ausgabe ist bereits veröffentlicht.")
    assembled = assemble_edition(session, cutoff)
    existing = {e.project_id: e for e in edition.entries}
    for block in assembled.projects():
        entry = existing.get(block.project_id)
        if entry is None:
            edition.entries.append(
                EditionEntry(project_id=block.project_id, number=block.number, status=block.status)
            )
        else:
            entry.number, entry.status = block.number, block.status
    edition.state = EditionState.PUBLISHED
    edition.from_archive_only = False
    edition.published_at = now
    session.flush()
    published = assemble_edition(session, cutoff)
    edition.snapshot = edition_json(published, generated_at=now)
    edition.frozen = freeze(published)
    auditor.record_raw("editions", edition.id, "state", "collecting", "published")
    return edition
