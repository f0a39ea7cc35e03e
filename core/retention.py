"""Retention: what is deleted once a collection round is over (``RETENTION_DAYS_AFTER_ROUND``).

A round ends at its cutoff. ``days`` after it:

- conversation state (``conversations``: where a user stood in a dialog and what they typed)
  last changed before that cutoff is deleted; the user starts afresh at the overview;
- the round's notifications (``notifications``: prompts, reminders, drafts, review messages
  and whether they were sent) are deleted, but never while the scheduler may still plan them:
  only once the next round's window has opened, so a deleted row cannot be planned and sent
  a second time.

Submissions, the audit log and the report's content are not touched. Time comes in as ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.cycle import is_cutoff, next_cutoff, previous_cutoff
from core.models import Conversation, Notification
from core.schedule import ScheduleConfig, plan
from core.texts import RETENTION_NEGATIVE

#: Default of ``RETENTION_DAYS_AFTER_ROUND``.
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class PurgeReport:
    """What one retention run deleted (or, in a dry run, would delete)."""

    round_cutoff: date  # the newest round whose retention period is over
    conversations: int
    notifications: int
    notification_cutoffs: tuple[date, ...]


def last_expired_round(today: date, days: int) -> date:
    """The newest cutoff ``c`` with ``c + days <= today``."""
    cutoff = today if is_cutoff(today) else previous_cutoff(today)
    while cutoff + timedelta(days=days) > today:
        cutoff = previous_cutoff(cutoff)
    return cutoff


def purge_expired(
    session: Session, now: datetime, *, days: int, config: ScheduleConfig
) -> PurgeReport:
    """Delete the conversation state and notifications whose retention period is over (see the
    module docstring); the caller commits, or rolls back for a dry run."""
    if days < 0:
        raise ValueError(RETENTION_NEGATIVE)
    tz = config.tz
    today = now.astimezone(tz).date()
    cutoff = last_expired_round(today, days)
    round_start = datetime.combine(cutoff, time(), tzinfo=tz)
    conversations = _count(
        session.execute(delete(Conversation).where(Conversation.updated_at < round_start))
    )
    expired = [
        c
        for c in session.scalars(
            select(Notification.edition_cutoff).distinct().order_by(Notification.edition_cutoff)
        )
        if c <= cutoff and plan(next_cutoff(c), config).window_opens <= now
    ]
    notifications = (
        _count(
            session.execute(delete(Notification).where(Notification.edition_cutoff.in_(expired)))
        )
        if expired
        else 0
    )
    return PurgeReport(cutoff, conversations, notifications, tuple(expired))


def _count(result: Any) -> int:
    """The rows a DELETE removed."""
    return int(getattr(result, "rowcount", 0) or 0)
