"""The notification ledger has one writer: core. The bot's own messages (review announcements,
nudges) are claimed and recorded through :mod:`core.notifications` like the scheduler's.

Runs on SQLite and PostgreSQL (the ``backend`` fixture).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import notifications
from core.models import Notification

CUTOFF = date(2026, 4, 1)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def claim_nudge(session: Session, key: str = "nudge:2026-04-01:FB1:t") -> bool:
    return notifications.claim(
        session, key, kind="nudge", cutoff=CUTOFF, now=NOW, payload={"department": "FB1"}
    )


def test_a_message_is_claimed_once_under_its_key(session: Session) -> None:
    assert claim_nudge(session)
    assert not claim_nudge(session)
    session.commit()
    assert session.scalars(select(Notification.key)).all() == ["nudge:2026-04-01:FB1:t"]


def test_a_message_the_bot_sends_itself_is_never_claimed_by_the_scheduler(
    session: Session,
) -> None:
    claim_nudge(session)
    session.commit()
    assert notifications.claim_due(session, NOW + timedelta(days=1)) == []


def test_recording_a_message_as_sent_keeps_what_the_sending_learnt(session: Session) -> None:
    claim_nudge(session)
    later = NOW + timedelta(seconds=5)

    assert notifications.record_sent(session, "nudge:2026-04-01:FB1:t", later, {"reached": [3]})
    session.commit()

    row = session.scalars(select(Notification)).one()
    assert row.sent_at == later
    assert row.payload == {"department": "FB1", "reached": [3]}


def test_recording_an_unknown_message_changes_nothing(session: Session) -> None:
    assert not notifications.record_sent(session, "nudge:2026-04-01:FB9:t", NOW)
    assert session.scalars(select(Notification)).all() == []


def test_details_are_added_to_every_message_of_a_key_prefix(session: Session) -> None:
    for key in ("review:2026-04-01:7:a", "review:2026-04-01:7:b", "review:2026-04-01:8:a"):
        notifications.claim(session, key, kind="review", cutoff=CUTOFF, now=NOW, payload={})

    notifications.annotate(session, "review:2026-04-01:7:", {"decided": True})
    session.commit()

    assert notifications.payloads(session, "review:2026-04-01:7:") == [
        {"decided": True},
        {"decided": True},
    ]
    assert notifications.payloads(session, "review:2026-04-01:8:") == [{}]


def test_only_core_writes_the_notification_table() -> None:
    writes = re.compile(
        r"\bNotification\(|(insert|update|delete)\(Notification\b|\binsert_new\b"
        r"|\bNotification\.__table__"
    )
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "scheduler", "nhr")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []
