"""Reading and writing a chat's conversation row (where the user stands, what they typed).

Every update reads and writes one row of ``conversations``: plain statements built once, not
ORM objects. Through the ORM, the read and the flush of that one row cost more CPU than the
step itself on most updates (the unit of work sorts and plans even a single UPDATE); the
row is written in the caller's transaction, with everything else the step changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.contacts import CONTACT_FOR_TELEGRAM
from core.models import Contact, Conversation

#: A stored conversation: its state and its data.
Stored = tuple[str, dict[str, Any]]

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


def load(session: Session, key: int) -> Stored | None:
    """(state, data) of the conversation stored under ``key``; None if there is none yet."""
    row = session.execute(_READ, {"key": key}).first()
    return None if row is None else (row.state, dict(row.data or {}))


def store(
    session: Session, key: int, state: str, data: dict[str, Any], now: datetime, *, new: bool
) -> None:
    """Write the conversation under ``key`` (``new``: :func:`load` found none)."""
    values = {"key": key, "new_state": state, "new_data": data, "now": now}
    session.execute(_INSERT if new else _UPDATE, values)


#: A turn's first statement, on every bot update: the active contact bound to the Telegram
#: user with the departments (:data:`core.contacts.CONTACT_FOR_TELEGRAM`) and the conversation
#: row under a key, in one query instead of two.
_CONTACT_AND_ROW = CONTACT_FOR_TELEGRAM.add_columns(_TABLE.c.state, _TABLE.c.data).outerjoin(
    _TABLE, _TABLE.c.telegram_user_id == bindparam("key")
)


def _contact_id(row: Row[Any]) -> int:
    return int(row[0].id)


def contact_and_conversation(
    session: Session, telegram_user_id: int, key: int
) -> tuple[Contact | None, Stored | None]:
    """The active contact bound to ``telegram_user_id`` (None: there is none) and what
    :func:`load` finds under ``key`` (None: no conversation yet, or no contact)."""
    values = {"telegram_user_id": telegram_user_id, "key": key}
    # A row per department (joined eager load), all of them read so that the collection is
    # complete; one contact at most (``telegram_user_id`` is unique).
    rows = session.execute(_CONTACT_AND_ROW, values).unique(_contact_id).all()
    if not rows:
        return None, None
    contact, state, data = rows[0]
    return contact, None if state is None else (state, dict(data or {}))
