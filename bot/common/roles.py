"""Who is writing: the role of the active contact bound to a Telegram user, the bot's one
look-up of it (:func:`core.contacts.bound_role`).

The gate asks :class:`RoleCache` (a routing hint, kept a few seconds); what decides asks anew:
:func:`is_bound` (an invitation), :func:`user_is_coordinator` (a shared command, the
coordinator's typed text). A turn loads its contact in its own transaction
(:mod:`bot.common.turns`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.contacts import bound_role
from core.models import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class RoleCache:
    """The gate's recent findings: the role of each bound Telegram user, for ``ttl`` seconds.

    Only a hint for routing an update (contact conversation or coordination): every turn
    looks its contact up again in its own transaction, so a revoked contact is refused with
    their next update, and every coordinator command checks the role anew. Users who are not
    bound are never kept (an invitation works at once). It saves the gate's query on almost
    every update of a conversation.
    """

    def __init__(self, ttl: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._roles: dict[int, tuple[Role, float]] = {}

    def role(self, sessions: sessionmaker[Session], telegram_user_id: int) -> Role | None:
        """The user's role (None: not an active, bound contact)."""
        now = self._clock()
        known = self._roles.get(telegram_user_id)
        if known is not None and now < known[1]:
            return known[0]
        role = bound_role(sessions, telegram_user_id)
        if role is None:
            self._roles.pop(telegram_user_id, None)
        else:
            if len(self._roles) > 10_000:  # bounded: forget the expired ones
                self._roles = {k: v for k, v in self._roles.items() if now < v[1]}
            self._roles[telegram_user_id] = (role, now + self.ttl)
        return role


def is_bound(sessions: sessionmaker[Session], telegram_user_id: int) -> bool:
    """Whether the Telegram user is an active, bound contact."""
    return bound_role(sessions, telegram_user_id) is not None


def user_is_coordinator(sessions: sessionmaker[Session], telegram_user_id: int) -> bool:
    """Whether the Telegram user is an active coordinator or admin (asked anew)."""
    return bound_role(sessions, telegram_user_id) in _COORDINATING


_COORDINATING = (Role.COORDINATOR, Role.ADMIN)
