"""Audit trail: every change to the data is recorded with who, when, before and after."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from core.fuzzydate import FuzzyDate
from core.models import AuditLog, Base
from core.richtext import RichText


def to_json(value: Any) -> Any:
    """A JSON-serialisable form of a model attribute value."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, FuzzyDate):
        return value.storage()
    if isinstance(value, RichText):
        return value.to_plain()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


class Auditor:
    """Applies attribute changes and writes one audit entry per actual change.

    ``now`` is required: every entry of one auditor carries the moment its caller's clock gave.
    """

    def __init__(
        self,
        session: Session,
        *,
        actor: str,
        now: datetime,
        actor_contact_id: int | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.actor_contact_id = actor_contact_id
        self.now = now
        self.changes = 0

    def _entry(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        fld: str | None,
        before: Any,
        after: Any,
    ) -> None:
        self.session.add(
            AuditLog(
                at=self.now,
                actor=self.actor,
                actor_contact_id=self.actor_contact_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                field=fld,
                before=to_json(before),
                after=to_json(after),
            )
        )
        self.changes += 1

    def assign(self, obj: Base, attr: str, value: Any) -> bool:
        """Set ``obj.attr = value`` and audit it, if it differs; returns whether it changed."""
        old = getattr(obj, attr)
        if old == value:
            return False
        setattr(obj, attr, value)
        self.record(obj, attr, old, value)
        return True

    def record(self, obj: Base, fld: str, before: Any, after: Any) -> None:
        """Audit a change already made to ``obj`` (lists, relationships)."""
        self._entry("update", obj.__tablename__, _identity(obj), fld, before, after)

    def created(self, obj: Base, data: dict[str, Any]) -> None:
        """Audit the creation of ``obj`` (flushed, so it has an id)."""
        self._entry("create", obj.__tablename__, _identity(obj), None, None, data)

    def record_raw(
        self,
        entity: str,
        entity_id: int | None,
        fld: str | None,
        before: Any,
        after: Any,
        *,
        action: str = "update",
    ) -> None:
        """Audit a change that is not an ORM attribute assignment."""
        self._entry(action, entity, entity_id, fld, before, after)


def _identity(obj: Base) -> int | None:
    ident = inspect(obj).identity
    if ident and len(ident) == 1 and isinstance(ident[0], int):
        return ident[0]
    return None
