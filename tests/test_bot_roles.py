"""The gate's role look-up and its short memory (bot.common.roles)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from support.bot_seed import add_contact

from bot.common.roles import RoleCache
from core.models import Contact, Role

ANNA, STRANGER = 1001, 6666


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_role_is_kept_for_its_time_and_then_looked_up_again(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        add_contact(session, "Anna Abt", [], telegram_user_id=ANNA)
    ticks = Ticks()
    roles = RoleCache(ttl=10.0, clock=ticks)
    assert roles.role(sessions, ANNA) is Role.CONTACT
    with sessions.begin() as session:
        session.execute(update(Contact).values(role=Role.COORDINATOR))

    ticks.now = 9.9
    kept = roles.role(sessions, ANNA)
    ticks.now = 10.0
    fresh = roles.role(sessions, ANNA)

    assert (kept, fresh) == (Role.CONTACT, Role.COORDINATOR)


def test_someone_not_bound_is_looked_up_on_every_update(sessions: sessionmaker[Session]) -> None:
    roles = RoleCache(ttl=10.0, clock=Ticks())
    assert roles.role(sessions, STRANGER) is None
    with sessions.begin() as session:  # the stranger redeems an invitation
        add_contact(
            session, "Kora Koordination", [], telegram_user_id=STRANGER, role=Role.COORDINATOR
        )

    assert roles.role(sessions, STRANGER) is Role.COORDINATOR
