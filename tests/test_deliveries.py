"""Repeat deliveries are recognised by the ids handled lately, not by their order (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.deliveries import KEPT, PRUNE_EVERY, first_delivery
from core.models import SeenUpdate

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def deliver(sessions: sessionmaker[Session], update_id: int, now: datetime = NOW) -> bool:
    with unit_of_work(sessions) as session:
        return first_delivery(session, update_id, now)


def test_an_update_is_new_once_and_a_repeat_within_the_window(
    sessions: sessionmaker[Session],
) -> None:
    assert deliver(sessions, 500)
    assert not deliver(sessions, 500, NOW + timedelta(hours=1))
    assert not deliver(sessions, 500, NOW + KEPT - timedelta(minutes=1))


def test_a_lower_id_than_the_last_one_is_new(sessions: sessionmaker[Session]) -> None:
    assert deliver(sessions, 900_000)
    assert deliver(sessions, 17, NOW + timedelta(days=8))
    assert deliver(sessions, 18, NOW + timedelta(days=8))


def test_an_id_seen_longer_ago_than_the_window_counts_as_new_again(
    sessions: sessionmaker[Session],
) -> None:
    assert deliver(sessions, 501)
    later = NOW + KEPT + timedelta(minutes=1)
    assert deliver(sessions, 501, later)
    assert not deliver(sessions, 501, later + timedelta(minutes=1))


def test_an_update_whose_turn_failed_is_not_remembered(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        assert first_delivery(session, 502, NOW)
        raise RuntimeError("the step failed")
    assert deliver(sessions, 502)


def test_now_and_then_an_update_deletes_the_ids_older_than_the_window(
    sessions: sessionmaker[Session],
) -> None:
    for update_id in range(1, 6):
        deliver(sessions, update_id)
    later = NOW + KEPT + timedelta(hours=1)
    deliver(sessions, 7 * PRUNE_EVERY + 1, later)  # not one that prunes
    assert count(sessions) == 6

    deliver(sessions, 8 * PRUNE_EVERY, later)

    assert count(sessions) == 2


def count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(SeenUpdate)) or 0
