"""The Gremien already named in consultations, offered as buttons when a contact adds one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Consultation


def known_gremien(session: Session, limit: int) -> list[str]:
    """The ``limit`` Gremien named most often (ties by name), blank names left out."""
    rows = session.execute(
        select(Consultation.gremium)
        .group_by(Consultation.gremium)
        .order_by(func.count().desc(), Consultation.gremium)
        .limit(limit)
    ).scalars()
    return [name for name in rows if name.strip()]
