"""Reading the audit trail back: newest first, filtered, and as CSV for the records."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.models import AuditLog
from core.opendata.cells import formula_safe

#: Columns of the CSV export; ``at`` is ISO 8601 in UTC, ``before``/``after`` are JSON.
CSV_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "field", "before", "after")


def audit_query(
    *, since: datetime | None = None, entity: str | None = None, limit: int | None = None
) -> Select[AuditLog]:
    """Audit entries at or after ``since`` (aware), of one table, newest first."""
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if entity is not None:
        query = query.where(AuditLog.entity == entity)
    if limit is not None:
        query = query.limit(limit)
    return query


def audit_entries(
    session: Session,
    *,
    since: datetime | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditLog]:
    """The matching audit entries, newest first."""
    return list(session.scalars(audit_query(since=since, entity=entity, limit=limit)))


def iter_audit_entries(
    session: Session,
    *,
    since: datetime | None = None,
    entity: str | None = None,
    limit: int | None = None,
    batch: int = 1000,
) -> Iterator[AuditLog]:
    """Like :func:`audit_entries`, fetched in batches (an import writes thousands)."""
    query = audit_query(since=since, entity=entity, limit=limit)
    yield from session.scalars(query.execution_options(yield_per=batch))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_row(entry: AuditLog) -> list[str]:
    """One entry as CSV cells in :data:`CSV_COLUMNS` order."""
    return [
        str(entry.id),
        entry.at.astimezone(UTC).isoformat(),
        entry.actor,
        entry.action,
        entry.entity,
        "" if entry.entity_id is None else str(entry.entity_id),
        entry.field or "",
        _json(entry.before),
        _json(entry.after),
    ]


def write_audit_csv(entries: Iterable[AuditLog], out: TextIO) -> int:
    """Write a header and one row per entry, every cell formula-safe; returns the number of
    rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow([formula_safe(cell) for cell in csv_row(entry)])
        count += 1
    return count


__all__ = [
    "CSV_COLUMNS",
    "audit_entries",
    "audit_query",
    "csv_row",
    "iter_audit_entries",
    "write_audit_csv",
]
