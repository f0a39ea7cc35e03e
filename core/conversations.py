"""Reading and writing a chat's conversation row (where the user stands, what they typed).

Every update reads and writes one row of ``conversations``: plain statements built once, not
ORM objects. Through the ORM, the read and the flush of that one row cost more CPU than the
step itself on most updates (the unit of work sorts and plans even a single UPDATE); the
row is written in the caller's transaction, with everything else the step changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.models import Conversation

_TABLE = Conversation.__table__
assert isinstance(_TABLE, Table)
_READ = select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.telegram_user_id == bindparam("key"))
_VALUES = {
    "state": bindparam("new_state"),
    "data": bindparam("new_data", type_=_TABLE.c.data.type),
    "updated_at": bindparam("now", type_=_TABLE.c.updated_at.type),
}
_UPDATE = update(_TABLE).where(_TABLE.c.telegram_user_id == bindparam("key")).values(_VALUES)
_INSERT = insert(_TABLE).values(telegram_user_id=bindparam("key"), **_VALUES)


def load(session: Session, key: int) -> tuple[str, dict[str, Any]] | None:
    """(state, data) of the conversation stored under ``key``; None if there is none yet."""
    row = session.execute(_READ, {"key": key}).first()
    return None if row is None else (row.state, dict(row.data or {}))


def store(
    session: Session, key: int, state: str, data: dict[str, Any], now: datetime, *, new: bool
) -> None:
    """Write the conversation under ``key`` (``new``: :func:`load` found none)."""
    values = {"key": key, "new_state": state, "new_data": data, "now": now}
    session.execute(_INSERT if new else _UPDATE, values)
