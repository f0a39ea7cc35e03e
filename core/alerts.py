"""Messages to the coordinators about the service itself, through the notifications ledger
(:mod:`core.notifications`): sending has failed for a while, or runs were missed while the
service was down (and what was done about each: sent late or skipped).

Each alert has a deterministic key per incident and coordinator, so it goes out once however
often the due-check looks::

    alert:sending-failed:2026-12-06T10:00:00+00:00:coordinator:3
    alert:missed:2026-12-06T08:00:00+00:00:coordinator:3
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Notification
from core.notifications import MAX_ATTEMPTS, Kind, insert_new, reachable_coordinators
from core.schedule import ScheduleConfig, cutoffs_in_play, plan

ALERT_PREFIX = "alert:"
LATE = "late"
SKIPPED = "skipped"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def sending_failed_key(since: datetime, coordinator_id: int) -> str:
    """``alert:sending-failed:<since>:coordinator:3``."""
    return f"alert:sending-failed:{_iso(since)}:coordinator:{coordinator_id}"


def missed_key(down_since: datetime, coordinator_id: int) -> str:
    """``alert:missed:<down since>:coordinator:3``."""
    return f"alert:missed:{_iso(down_since)}:coordinator:{coordinator_id}"


@dataclass(frozen=True)
class MissedRun:
    """A planned send moment that passed while the service was down, and its outcome."""

    cutoff: date
    kind: str  # prompt, reminder, escalation, draft
    label: str  # the reminder's label, else ""
    at: datetime
    outcome: str  # LATE or SKIPPED
    messages: int  # sent late (or about to be)

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "kind": self.kind,
            "label": self.label,
            "at": _iso(self.at),
            "outcome": self.outcome,
            "messages": self.messages,
        }


def _alert(
    session: Session,
    key_of: list[tuple[str, int]],
    now: datetime,
    config: ScheduleConfig,
    payload: dict[str, object],
) -> list[str]:
    cutoff = cutoffs_in_play(now, config)[1]
    rows = [
        {
            "edition_cutoff": cutoff,
            "key": key,
            "kind": Kind.ALERT.value,
            "contact_id": coordinator,
            "due_at": now,
            "payload": payload,
        }
        for key, coordinator in key_of
    ]
    return insert_new(session, rows)


def alert_sending_failed(
    session: Session, since: datetime, now: datetime, config: ScheduleConfig
) -> list[str]:
    """Tell every reachable coordinator once that sending fails since ``since``."""
    keys = [(sending_failed_key(since, c), c) for c in reachable_coordinators(session)]
    return _alert(session, keys, now, config, {"what": "sending-failed", "since": _iso(since)})


def missed_runs(
    session: Session, down_since: datetime, back_at: datetime, config: ScheduleConfig
) -> list[MissedRun]:
    """The send moments in ``(down_since, back_at]`` and what became of them: messages planned
    for the moment that were sent or still wait (sent late), or none (skipped: no longer
    useful, see the catch-up rule in :mod:`core.notifications`)."""
    runs: list[MissedRun] = []
    cutoffs = sorted(
        set(cutoffs_in_play(down_since, config)) | set(cutoffs_in_play(back_at, config))
    )
    for cutoff in cutoffs:
        cycle = plan(cutoff, config)
        moments = [(cycle.window_opens, Kind.PROMPT, "")]
        moments += [(r.at, Kind.REMINDER, r.label) for r in cycle.reminders]
        moments += [(cycle.escalation, Kind.ESCALATION, ""), (cycle.draft, Kind.DRAFT, "")]
        for at, kind, label in moments:
            if not down_since < at <= back_at:
                continue
            rows = session.execute(
                select(Notification.sent_at, Notification.attempts).where(
                    Notification.edition_cutoff == cutoff,
                    Notification.kind == kind.value,
                    Notification.due_at == at,
                )
            ).all()
            late = sum(
                1 for sent_at, attempts in rows if sent_at is not None or attempts < MAX_ATTEMPTS
            )
            runs.append(MissedRun(cutoff, kind.value, label, at, LATE if late else SKIPPED, late))
    return sorted(runs, key=lambda r: r.at)


def alert_missed_runs(
    session: Session,
    down_since: datetime,
    back_at: datetime,
    now: datetime,
    config: ScheduleConfig,
) -> list[str]:
    """Tell every reachable coordinator once which runs fell into the downtime and what was
    done about them; nothing if none did."""
    runs = missed_runs(session, down_since, back_at, config)
    if not runs:
        return []
    keys = [(missed_key(down_since, c), c) for c in reachable_coordinators(session)]
    return _alert(
        session,
        keys,
        now,
        config,
        {
            "what": "missed",
            "since": _iso(down_since),
            "until": _iso(back_at),
            "runs": [r.as_json() for r in runs],
        },
    )
