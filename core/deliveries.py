"""Which Telegram updates were handled lately: a repeat delivery is recognised by its id.

Telegram delivers an update again when the bot did not confirm it (a crash after the commit,
before ``getUpdates`` moved on; a webhook answer that did not arrive). Update ids are no order:
they increase, but after a week without updates the next one is chosen at random, so "at or
below the last id" would make the bot ignore a person it has not heard from for a while.

Instead the id of every handled update is kept for :data:`KEPT` (Telegram keeps an unconfirmed
update for at most 24 hours). :func:`first_delivery` records it in the caller's transaction, the
one of the update's turn: if the turn fails, the id is not kept and the update counts as new
when it comes again. Older ids are deleted now and then (about one update in
:data:`PRUNE_EVERY`), and an old id that is still there does not count.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.orm import Session

from core.db import insert_ignoring
from core.models import SeenUpdate

#: How long a handled update's id is remembered.
KEPT = timedelta(hours=48)
#: About one update in this many deletes the ids older than :data:`KEPT`.
PRUNE_EVERY = 64

_TABLE = SeenUpdate.__table__
assert isinstance(_TABLE, Table)
_KEY = _TABLE.c.update_id
_NOW = bindparam("now", type_=_TABLE.c.seen_at.type)
_EXPIRED = bindparam("expired", type_=_TABLE.c.seen_at.type)
_VALUES = {"update_id": bindparam("key"), "seen_at": _NOW}
_INSERTS: dict[str, Any] = {}  # by dialect: the statements are built once
_RENEW = (
    update(_TABLE)
    .where(_TABLE.c.update_id == bindparam("key"), _TABLE.c.seen_at < _EXPIRED)
    .values(seen_at=_NOW)
    .returning(_KEY)
)
_PRUNE = delete(_TABLE).where(_TABLE.c.seen_at < _EXPIRED)


def first_delivery(session: Session, update_id: int, now: datetime) -> bool:
    """Record ``update_id`` as handled at ``now`` in the caller's transaction; False if it was
    handled within :data:`KEPT` already (a repeat delivery: do not act on it again)."""
    dialect = session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        insert = _INSERTS[dialect] = (
            insert_ignoring(session, _TABLE, "update_id").values(_VALUES).returning(_KEY)
        )
    values = {"key": update_id, "now": now}
    expired = now - KEPT
    if update_id % PRUNE_EVERY == 0:
        session.execute(_PRUNE, {"expired": expired})
    # RETURNING, not the row count: the driver's count is not reliable for ON CONFLICT
    if session.execute(insert, values).first() is not None:
        return True
    # Known: a repeat, unless the id is an old one that was not deleted yet.
    return session.execute(_RENEW, {**values, "expired": expired}).first() is not None
