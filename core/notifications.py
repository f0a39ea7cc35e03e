"""Scheduled messages in the database: what is due, who sends it, what was sent.

The database, not the process, is the source of truth. A due-check calls
:func:`plan_notifications` (materialise the rows that are due *now*, each under a deterministic
key, idempotently), then :func:`claim_due` (take rows for sending) and, per message,
:func:`mark_sent`, :func:`mark_failed` or :func:`mark_unreachable`. Every call takes ``now``.
The bot's own messages (review announcements, nudges) go through :func:`claim` and
:func:`record_sent`; the rounds of a contact's hand-ins through :func:`collect_hand_ins` and
:func:`record_digest_copies`. Nothing outside ``core`` writes the table.

Keys::

    prompt:2026-04-01:contact:12
    reminder:2026-04-01:r1:contact:12
    escalation:2026-04-01:coordinator:3
    draft:2026-04-01:coordinator:3
    unreachable:2026-04-01:contact:12:coordinator:3
    digest:2026-04-01:contact:12:1          (the bot's: a contact's hand-ins, one round)

Delivery guarantee: at-least-once, with a window of one message per in-flight send.
Telegram has no idempotency key, so no protocol can make "sent" and "recorded as sent" one
atomic step. The window is made as small as it can be:

* Planning inserts with ``ON CONFLICT (key) DO NOTHING``: two processes, a restart or a second
  due-check never create a message twice.
* :func:`claim_due` takes rows with one ``UPDATE ... WHERE sent_at IS NULL AND (claimed_at IS
  NULL OR claimed_at < now - lease) RETURNING id``. On PostgreSQL a concurrent claimer blocks on
  the row lock and then re-checks the condition, so exactly one process owns a row for the
  lease (ten minutes). The sender sends a claimed row only while its lease has time left.
* Each message is marked sent in its own short transaction right after Telegram accepted it.
* A crash (or a lost database connection) between Telegram's "ok" and that commit leaves the
  row claimed but unsent; when the lease has run out it is sent again. That is the only way a
  message can be duplicated: at most the sends that were in flight at the crash. The
  alternative, never re-sending an unconfirmed message, would silently drop a prompt whenever
  the process died before the send; a missed prompt costs a department's whole answer, a
  duplicate costs one extra message, so rows claimed but not confirmed are re-sent.
* A failed send (network, 5xx) keeps its claim: it is retried when the lease has run out, at
  most :data:`MAX_ATTEMPTS` claims in all. A contact who blocked the bot is marked unreachable
  (their rows are no longer claimed) and every coordinator gets one notice per edition.

Catch-up after downtime (the rule): a message whose time passed while nothing ran goes out
once at the next working moment, as long as it is still useful. A prompt is useful until the
cutoff day begins, however late (weeks late, it still tells the department what to do and by
when), and a late prompt replaces the reminders that were due before it went out. A reminder
is useful until the next reminder is due (or the deadline ends), so after a long downtime only
the latest one goes out. The escalation is useful until the cutoff day; the draft from the
cutoff day's send time until the edition is published or the next collection window opens.
A row that is no longer useful is abandoned: ``attempts`` is set to :data:`MAX_ATTEMPTS` and
``last_error`` says why; it stays in the table as a record.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from core.cycle import next_cutoff, require_cutoff
from core.db import insert_ignoring
from core.editions import Source, collecting_status, find_edition, get_or_create_edition
from core.models import (
    Contact,
    ContactDepartment,
    Department,
    Edition,
    EditionState,
    Notification,
    ProjectDepartment,
    Role,
    SubmissionState,
)
from core.numbering import project_numbers
from core.progress import DepartmentProgress, edition_progress, project_states
from core.schedule import CyclePlan, ScheduleConfig, cutoffs_in_play, plan
from core.submissions import ListedHandIn, listed_hand_ins

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
EXPIRED = "expired: no longer useful"
PUBLISHED = "expired: edition published"


class Kind(enum.StrEnum):
    """What a scheduled message is."""

    PROMPT = "prompt"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    DRAFT = "draft"
    UNREACHABLE = "unreachable"
    ALERT = "alert"  # to the coordinators about the service itself (core/alerts.py)


def prompt_key(cutoff: date, contact_id: int) -> str:
    """``prompt:2026-04-01:contact:12``."""
    return f"prompt:{cutoff.isoformat()}:contact:{contact_id}"


def reminder_key(cutoff: date, label: str, contact_id: int) -> str:
    """``reminder:2026-04-01:r1:contact:12``."""
    return f"reminder:{cutoff.isoformat()}:{label}:contact:{contact_id}"


def escalation_key(cutoff: date, coordinator_id: int) -> str:
    """``escalation:2026-04-01:coordinator:3``."""
    return f"escalation:{cutoff.isoformat()}:coordinator:{coordinator_id}"


def draft_key(cutoff: date, coordinator_id: int) -> str:
    """``draft:2026-04-01:coordinator:3``."""
    return f"draft:{cutoff.isoformat()}:coordinator:{coordinator_id}"


def unreachable_key(cutoff: date, contact_id: int, coordinator_id: int) -> str:
    """``unreachable:2026-04-01:contact:12:coordinator:3``."""
    return f"unreachable:{cutoff.isoformat()}:contact:{contact_id}:coordinator:{coordinator_id}"


@dataclass(frozen=True)
class DueMessage:
    """A claimed notification with what the sender needs; plain values, no ORM object."""

    id: int
    key: str
    kind: Kind
    cutoff: date
    contact_id: int
    chat_id: int
    contact_name: str
    payload: dict[str, Any]
    claimed_at: datetime


# -- planning ------------------------------------------------------------------------------


def insert_new(session: Session, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Insert notification rows; a key that exists already is left alone. Returns the keys
    inserted now (so of two concurrent callers exactly one gets each key)."""
    if not rows:
        return []
    # executemany (SQLAlchemy batches it into multi-row INSERTs): one compiled statement per
    # set of columns, not one per number of rows. Rows with the same columns go together.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        values = {"attempts": 0, **row}
        groups.setdefault(tuple(sorted(values)), []).append(values)
    # On the table, not the mapped class: a plain INSERT, without the ORM's bulk machinery.
    table = Notification.__table__
    stmt = insert_ignoring(session, table, "key").returning(table.c.key)
    return [key for group in groups.values() for key in session.scalars(stmt, group)]


# The due-check's statements, built once: it runs every minute, and on SQLite building a
# statement costs about as much as running it.
_KEYS_IN = select(Notification.key).where(Notification.key.in_(bindparam("keys", expanding=True)))
_SENDABLE = (  # every reachable contact with their departments, in one query
    select(Contact.id, Contact.role, Department.id, Department.code)
    .outerjoin(ContactDepartment, ContactDepartment.contact_id == Contact.id)
    .outerjoin(Department, Department.id == ContactDepartment.department_id)
    .where(
        Contact.active.is_(True), Contact.reachable.is_(True), Contact.telegram_user_id.is_not(None)
    )
    .order_by(Contact.id, Department.code)
)
_PROMPTS_SENT = select(Notification.contact_id, Notification.sent_at).where(
    Notification.key.in_(bindparam("keys", expanding=True)), Notification.sent_at.is_not(None)
)
_FREE = or_(Notification.claimed_at.is_(None), Notification.claimed_at < bindparam("lease_ends"))
_DUE = (
    select(Notification, Contact.telegram_user_id, Contact.name)
    .join(Contact, Contact.id == Notification.contact_id)
    .where(
        Notification.sent_at.is_(None),
        Notification.due_at <= bindparam("now"),
        Notification.attempts < MAX_ATTEMPTS,
        _FREE,
        Contact.active.is_(True),
        Contact.reachable.is_(True),
        Contact.telegram_user_id.is_not(None),
    )
    .order_by(Notification.due_at, Notification.id)
    .limit(bindparam("limit"))
)
_PUBLISHED = select(Edition.cutoff).where(Edition.state == EditionState.PUBLISHED)
_CLAIM = (
    update(Notification)
    .where(
        Notification.id.in_(bindparam("ids", expanding=True)),
        Notification.sent_at.is_(None),
        _FREE,
    )
    .values(claimed_at=bindparam("now"), attempts=Notification.attempts + 1)
    .returning(Notification.id)
    .execution_options(synchronize_session=False)
)


def _existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.scalars(_KEYS_IN, {"keys": wanted}))


@dataclass(frozen=True)
class _DepartmentRef:
    id: int
    code: str


@dataclass(frozen=True)
class _Recipient:
    """A contact the scheduler can reach: what planning reads of them (no ORM object)."""

    id: int
    role: Role
    departments: tuple[_DepartmentRef, ...]


def _sendable_contacts(session: Session) -> list[_Recipient]:
    found: dict[int, tuple[Role, list[_DepartmentRef]]] = {}
    for contact_id, role, department_id, code in session.execute(_SENDABLE):
        _, departments = found.setdefault(contact_id, (Role(role), []))
        if department_id is not None:
            departments.append(_DepartmentRef(department_id, code))
    return [_Recipient(cid, role, tuple(deps)) for cid, (role, deps) in found.items()]


def reachable_coordinators(session: Session) -> list[int]:
    """Ids of the coordinators (and admins) the scheduler can reach now."""
    return [c.id for c in _sendable_contacts(session) if _is_coordinator(c)]


def _is_coordinator(contact: Contact | _Recipient) -> bool:
    return contact.role in (Role.COORDINATOR, Role.ADMIN)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _department_rows(
    contact: _Recipient, progress: dict[str, DepartmentProgress], *, outstanding_only: bool
) -> list[dict[str, Any]]:
    rows = []
    for dep in contact.departments:
        prog = progress.get(dep.code)
        if prog is None or prog.projects == 0:
            continue
        if outstanding_only and prog.outstanding == 0:
            continue
        rows.append({"code": dep.code, "projects": prog.projects, "outstanding": prog.outstanding})
    return rows


def cutoffs_to_plan(session: Session, now: datetime, config: ScheduleConfig) -> tuple[date, ...]:
    """The editions a due-check at ``now`` looks after: the edition being collected
    (:func:`core.editions.collecting_status`). Before any edition is published the calendar
    decides, and the last cutoff (its draft may still be due) comes too."""
    status = collecting_status(session, now.astimezone(config.tz).date())
    if status.source is Source.CALENDAR:
        return cutoffs_in_play(now, config)
    return (status.cutoff,)


def plan_notifications(
    session: Session, cutoff: date, now: datetime, config: ScheduleConfig
) -> list[str]:
    """Create the notification rows of the edition at ``cutoff`` that are due at ``now``.

    Idempotent and safe to run concurrently; returns the keys created by this call. Rows are
    created only when due, from the state of the database at that moment: a reminder only for a
    contact who still has open projects (and got the prompt before the reminder's time), an
    escalation only if a department is overdue, a draft only while the edition is unpublished.
    """
    cycle = plan(require_cutoff(cutoff), config)
    if now < cycle.window_opens:
        return []
    existing = find_edition(session, cutoff)
    if existing is not None and existing.state is EditionState.PUBLISHED:
        return []
    edition = existing or get_or_create_edition(session, cutoff)
    contacts = _sendable_contacts(session)
    coordinators = [c for c in contacts if _is_coordinator(c)]
    rows: list[dict[str, Any]] = []
    progress_cache: list[dict[str, DepartmentProgress]] = []

    def progress() -> dict[str, DepartmentProgress]:
        if not progress_cache:
            progress_cache.append({p.code: p for p in edition_progress(session, edition)})
        return progress_cache[0]

    if now >= cycle.collection_ends:
        next_window = plan(next_cutoff(cutoff), config).window_opens
        if not cycle.draft <= now < next_window:
            return []
        rows += _draft_rows(session, cutoff, cycle, edition, coordinators, progress, next_window)
        return insert_new(session, rows)
    with_departments = [c for c in contacts if c.departments]
    rows += _prompt_rows(session, cutoff, cycle, with_departments, progress)
    rows += _reminder_rows(session, cycle, now, with_departments, progress)
    if cycle.escalation <= now:
        rows += _escalation_rows(session, cutoff, cycle, coordinators, progress)
    return insert_new(session, rows)


def _draft_rows(
    session: Session,
    cutoff: date,
    cycle: CyclePlan,
    edition: Edition,
    coordinators: list[_Recipient],
    progress: Callable[[], dict[str, DepartmentProgress]],
    next_window: datetime,
) -> list[dict[str, Any]]:
    """Rows sending each coordinator the draft (unless all were created already); valid
    until the next collection window opens."""
    keys = [draft_key(cutoff, c.id) for c in coordinators]
    if not _missing_keys(session, keys):
        return []
    payload = draft_payload(session, edition, progress()) | {"expires_at": _iso(next_window)}
    return [
        {
            "edition_cutoff": cutoff,
            "key": key,
            "kind": Kind.DRAFT.value,
            "contact_id": coordinator.id,
            "due_at": cycle.draft,
            "payload": payload,
        }
        for key, coordinator in zip(keys, coordinators, strict=True)
    ]


def _prompt_rows(
    session: Session,
    cutoff: date,
    cycle: CyclePlan,
    contacts: list[_Recipient],
    progress: Callable[[], dict[str, DepartmentProgress]],
) -> list[dict[str, Any]]:
    """Rows asking each contact (not asked yet) for their departments' projects."""
    prompt_keys = {c.id: prompt_key(cutoff, c.id) for c in contacts}
    have = _existing_keys(session, prompt_keys.values())
    rows: list[dict[str, Any]] = []
    for contact in contacts:
        if prompt_keys[contact.id] in have:
            continue
        departments = _department_rows(contact, progress(), outstanding_only=False)
        if departments:
            rows.append(
                {
                    "edition_cutoff": cutoff,
                    "key": prompt_keys[contact.id],
                    "kind": Kind.PROMPT.value,
                    "contact_id": contact.id,
                    "due_at": cycle.window_opens,
                    "payload": {
                        "departments": departments,
                        "deadline": cycle.deadline.isoformat(),
                        "expires_at": _iso(cycle.collection_ends),
                    },
                }
            )
    return rows


def _escalation_rows(
    session: Session,
    cutoff: date,
    cycle: CyclePlan,
    coordinators: list[_Recipient],
    progress: Callable[[], dict[str, DepartmentProgress]],
) -> list[dict[str, Any]]:
    """Rows telling each coordinator which departments are overdue (none if none is, or if
    all were created already)."""
    keys = [escalation_key(cutoff, c.id) for c in coordinators]
    if not _missing_keys(session, keys):
        return []
    overdue = [
        {"code": p.code, "projects": p.projects, "outstanding": p.outstanding}
        for p in progress().values()
        if p.outstanding
    ]
    if not overdue:
        return []
    return [
        {
            "edition_cutoff": cutoff,
            "key": key,
            "kind": Kind.ESCALATION.value,
            "contact_id": coordinator.id,
            "due_at": cycle.escalation,
            "payload": {
                "departments": overdue,
                "deadline": cycle.deadline.isoformat(),
                "expires_at": _iso(cycle.collection_ends),
            },
        }
        for key, coordinator in zip(keys, coordinators, strict=True)
    ]


def _missing_keys(session: Session, keys: list[str]) -> bool:
    return bool(keys) and len(_existing_keys(session, keys)) < len(keys)


def _reminder_rows(
    session: Session,
    cycle: CyclePlan,
    now: datetime,
    contacts: list[_Recipient],
    progress: Callable[[], dict[str, DepartmentProgress]],
) -> list[dict[str, Any]]:
    """Rows for the latest reminder slot that is due and still useful at ``now``."""
    due = [i for i, r in enumerate(cycle.reminders) if r.at <= now]
    if not due or now >= cycle.reminder_valid_until(due[-1]):
        return []
    index = due[-1]
    slot = cycle.reminders[index]
    cutoff = cycle.cutoff
    prompted = {
        contact_id: sent_at
        for contact_id, sent_at in session.execute(
            _PROMPTS_SENT, {"keys": [prompt_key(cutoff, c.id) for c in contacts]}
        )
    }
    candidates = [
        c
        for c in contacts
        if c.id in prompted and (sent := prompted[c.id]) is not None and sent < slot.at
    ]
    keys = {c.id: reminder_key(cutoff, slot.label, c.id) for c in candidates}
    have = _existing_keys(session, keys.values())
    rows = []
    for contact in candidates:
        if keys[contact.id] in have:
            continue
        departments = _department_rows(contact, progress(), outstanding_only=True)
        if not departments:
            continue
        rows.append(
            {
                "edition_cutoff": cutoff,
                "key": keys[contact.id],
                "kind": Kind.REMINDER.value,
                "contact_id": contact.id,
                "due_at": slot.at,
                "payload": {
                    "departments": departments,
                    "deadline": cycle.deadline.isoformat(),
                    "label": slot.label,
                    "last": index == len(cycle.reminders) - 1,
                    "expires_at": _iso(cycle.reminder_valid_until(index)),
                },
            }
        )
    return rows


def draft_payload(
    session: Session, edition: Edition, progress: dict[str, DepartmentProgress]
) -> dict[str, Any]:
    """What the draft message lists as still missing: departments with open projects, and
    submissions waiting for approval (the draft contains approved changes only)."""
    waiting = sum(
        1 for s in project_states(session, edition).values() if s is SubmissionState.SUBMITTED
    )
    return {
        "missing": [
            {"code": p.code, "projects": p.projects, "outstanding": p.outstanding}
            for p in progress.values()
            if p.outstanding
        ],
        "awaiting_approval": waiting,
    }


# -- claiming and marking ---------------------------------------------------------------------


def _expired(row: Notification, now: datetime, published: set[date]) -> str | None:
    """Why ``row`` is no longer worth sending at ``now``, or None if it still is."""
    if row.kind == Kind.DRAFT and row.edition_cutoff in published:
        return PUBLISHED
    expires = row.payload.get("expires_at") if isinstance(row.payload, dict) else None
    if expires is not None and datetime.fromisoformat(str(expires)) <= now:
        return EXPIRED
    return None


def claim_due(
    session: Session, now: datetime, *, limit: int = 100, lease: timedelta = LEASE
) -> list[DueMessage]:
    """Atomically take up to ``limit`` due, unsent rows for sending, oldest first.

    A row is free if nobody claimed it or the claim is older than ``lease``. Rows that are no
    longer useful are abandoned on the way (see the module docstring). The caller commits.
    """
    window = {"now": now, "lease_ends": now - lease}
    candidates = session.execute(_DUE, {**window, "limit": limit}).all()
    if not candidates:
        return []
    published = set(session.scalars(_PUBLISHED))
    wanted: dict[int, tuple[Notification, int, str]] = {}
    for row, chat_id, name in candidates:
        reason = _expired(row, now, published)
        if reason is not None:
            _abandon(session, row.id, reason)
            continue
        assert chat_id is not None
        wanted[row.id] = (row, chat_id, name)
    if not wanted:
        return []
    claimed = set(session.scalars(_CLAIM, {**window, "ids": list(wanted)}))
    messages = []
    for nid in sorted(claimed, key=lambda i: (wanted[i][0].due_at, i)):
        row, chat_id, name = wanted[nid]
        messages.append(
            DueMessage(
                id=row.id,
                key=row.key,
                kind=Kind(row.kind),
                cutoff=row.edition_cutoff,
                contact_id=row.contact_id or 0,
                chat_id=chat_id,
                contact_name=name,
                payload=dict(row.payload),
                claimed_at=now,
            )
        )
    return messages


def _abandon(session: Session, notification_id: int, reason: str) -> None:
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.sent_at.is_(None))
        .values(attempts=MAX_ATTEMPTS, last_error=reason)
        .execution_options(synchronize_session=False)
    )


def mark_sent(session: Session, notification_id: int, now: datetime) -> bool:
    """Record that Telegram accepted the message; False if it was already recorded."""
    result = session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.sent_at.is_(None))
        .values(sent_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_part_sent(session: Session, notification_id: int, parts_sent: int) -> None:
    """Record that the first ``parts_sent`` API calls of a message of several parts (the draft:
    text, PDF, DOCX) went out, so a retry continues with the next part instead of repeating."""
    row = session.get(Notification, notification_id)
    if row is not None and row.sent_at is None:
        row.payload = dict(row.payload) | {"parts_sent": parts_sent}
        session.flush()


def mark_failed(session: Session, notification_id: int, error: str) -> None:
    """Record a failed send; the claim stays, so the row is retried once its lease has run out
    (at most :data:`MAX_ATTEMPTS` claims in all)."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.sent_at.is_(None))
        .values(last_error=error[:1000])
        .execution_options(synchronize_session=False)
    )


def release(session: Session, notification_ids: Iterable[int]) -> None:
    """Give back claimed rows that were not attempted (office hours ended, shutdown), so the
    next due-check takes them without waiting for the lease; the attempt is not counted."""
    ids = list(notification_ids)
    if ids:
        session.execute(
            update(Notification)
            .where(Notification.id.in_(ids), Notification.sent_at.is_(None))
            .values(claimed_at=None, attempts=Notification.attempts - 1)
            .execution_options(synchronize_session=False)
        )


def mark_unreachable(session: Session, message: DueMessage, now: datetime, error: str) -> list[str]:
    """The contact blocked the bot: mark them unreachable and tell every other reachable
    coordinator once per edition. Returns the keys of the notices created."""
    contact = session.get(Contact, message.contact_id)
    session.execute(
        update(Notification)
        .where(Notification.id == message.id, Notification.sent_at.is_(None))
        .values(last_error=error[:1000], claimed_at=None, attempts=Notification.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    if contact is None:
        return []
    contact.reachable = False
    session.flush()
    payload = {
        "contact_name": contact.name,
        "departments": [d.code for d in contact.departments],
        "coordinator": _is_coordinator(contact),
    }
    rows = [
        {
            "edition_cutoff": message.cutoff,
            "key": unreachable_key(message.cutoff, contact.id, coordinator.id),
            "kind": Kind.UNREACHABLE.value,
            "contact_id": coordinator.id,
            "due_at": now,
            "payload": payload,
        }
        for coordinator in _sendable_contacts(session)
        if _is_coordinator(coordinator) and coordinator.id != contact.id
    ]
    return insert_new(session, rows)


# -- messages the bot sends itself ---------------------------------------------------------------
#
# Review announcements and nudges go out from a coordinator's or contact's turn, not from the
# scheduler. They are rows of the same ledger, without ``contact_id`` (so :func:`claim_due`
# never takes them): claimed under their key in the turn's transaction, recorded as sent with
# what the sending learnt (message ids, whom it reached) once the sending is over.

_KEYED = select(Notification).where(Notification.key == bindparam("key"))
# A prefix of a key holds no LIKE wildcard: cutoffs, ids and times are digits, dashes, colons.
_PAYLOADS_STARTING = select(Notification.payload).where(
    Notification.key.startswith(bindparam("prefix"))
)
_STARTING = select(Notification).where(Notification.key.startswith(bindparam("prefix")))


def claim(
    session: Session,
    key: str,
    *,
    kind: str,
    cutoff: date,
    now: datetime,
    payload: dict[str, Any],
) -> bool:
    """Claim the message under ``key`` for the caller to send (``INSERT … ON CONFLICT DO
    NOTHING``); False if it was claimed before (by a double tap, another process)."""
    return bool(
        insert_new(
            session,
            [
                {
                    "key": key,
                    "kind": kind,
                    "edition_cutoff": cutoff,
                    "contact_id": None,
                    "due_at": now,
                    "payload": payload,
                }
            ],
        )
    )


def record_sent(
    session: Session, key: str, now: datetime, details: dict[str, Any] | None = None
) -> bool:
    """Record that the message claimed under ``key`` went out, adding ``details`` (what the
    sending learnt) to its payload; False if there is no such message."""
    row = session.scalar(_KEYED, {"key": key})
    if row is None:
        return False
    row.payload = dict(row.payload or {}) | dict(details or {})
    row.sent_at = now
    session.flush()
    return True


def annotate(session: Session, prefix: str, details: dict[str, Any]) -> None:
    """Add ``details`` to the payload of every message whose key starts with ``prefix``."""
    for row in session.scalars(_STARTING, {"prefix": prefix}):
        row.payload = dict(row.payload or {}) | details


def payloads(session: Session, prefix: str) -> list[dict[str, Any]]:
    """The payloads of the messages whose keys start with ``prefix``."""
    return [dict(p or {}) for p in session.scalars(_PAYLOADS_STARTING, {"prefix": prefix})]


# -- hand-in digests ------------------------------------------------------------------------------
#
# A contact's hand-ins reach each coordinator as ONE message per round, edited as more arrive.
# The round is a ledger row ``digest:<cutoff>:contact:<id>:<round number>`` (no ``contact_id``,
# like the review rows) whose payload lists the submissions (in hand-in order) and, per
# coordinator, the message that shows them. A round stays open while one of its hand-ins still
# waits for a decision; a hand-in after everything was decided (or taken back) opens a new
# round, so the coordinator's phone rings again. The rows are written in the contact's turn
# (with the hand-ins) and after each sending, never by the sender before the commit.

DIGEST_KIND = "digest"
_NEWEST_STARTING = (
    select(Notification)
    .where(Notification.key.startswith(bindparam("prefix")))
    .order_by(Notification.id.desc())
    .limit(1)
)


def digest_prefix(cutoff: date, contact_id: int) -> str:
    """``digest:2026-04-01:contact:12:``: the start of the keys of a contact's rounds."""
    return f"{DIGEST_KIND}:{cutoff.isoformat()}:contact:{contact_id}:"


def digest_submissions(payload: dict[str, Any]) -> list[int]:
    """The submission ids a digest lists, in hand-in order."""
    return [i for i in payload.get("submissions") or [] if isinstance(i, int)]


def digest_copies(payload: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """Per coordinator id, (chat, message) of their copy of a digest."""
    found: dict[int, tuple[int, int]] = {}
    for cid, pair in dict(payload.get("messages") or {}).items():
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, int) for x in pair):
            found[int(cid)] = (pair[0], pair[1])
    return found


@dataclass(frozen=True)
class HandInRound:
    """A contact's round after :func:`collect_hand_ins`: its key, the submissions it lists (in
    hand-in order), each coordinator's copy of its message as recorded so far, and the listed
    hand-ins as read to decide whether the round stays open (None: they were not read, because
    the round was opened with the new hand-ins alone)."""

    key: str
    submissions: tuple[int, ...]
    copies: dict[int, tuple[int, int]]
    listed: tuple[ListedHandIn, ...] | None = None


def collect_hand_ins(
    session: Session, cutoff: date, contact_id: int, submission_ids: Sequence[int], now: datetime
) -> HandInRound:
    """Add the hand-ins ``submission_ids`` of ``contact_id`` to their current round (or open a
    new one). Runs in the transaction of the hand-ins (which it reads as they are now)."""
    prefix = digest_prefix(cutoff, contact_id)
    new = list(dict.fromkeys(submission_ids))
    row = session.scalar(_NEWEST_STARTING, {"prefix": prefix})
    read: list[ListedHandIn] | None = None
    if row is not None:
        listed = digest_submissions(row.payload or {})
        others = [i for i in listed if i not in new]
        if others:  # one query for whether one of them waits and for the round's list
            read = listed_hand_ins(session, cutoff, others + new)
            if any(h.state is SubmissionState.SUBMITTED for h in read if h.id in others):
                return _listed_in(session, row, new, read)
    number = int(row.key.removeprefix(prefix) or 0) + 1 if row is not None else 1
    key = f"{prefix}{number}"
    fresh = {"submissions": new, "messages": {}}
    if claim(session, key, kind=DIGEST_KIND, cutoff=cutoff, now=now, payload=fresh):
        mine = tuple(h for h in read if h.id in new) if read is not None else None
        return HandInRound(key, tuple(new), {}, mine)
    existing = session.scalar(_KEYED, {"key": key})  # opened meanwhile by another turn
    if existing is None:
        return HandInRound(key, tuple(new), {})
    return _listed_in(session, existing, new, None)


def _listed_in(
    session: Session, row: Notification, new: list[int], read: list[ListedHandIn] | None
) -> HandInRound:
    """The round ``row`` with the hand-ins ``new`` added to its list (those not in it yet);
    ``read``: the listed hand-ins, if the caller has read them."""
    payload = dict(row.payload or {})
    listed = digest_submissions(payload)
    ids = listed + [i for i in new if i not in listed]
    if len(ids) > len(listed):
        row.payload = payload | {"submissions": ids}
        session.flush()
    found = {h.id: h for h in read or ()}
    shown = tuple(found[i] for i in ids if i in found) if read is not None else None
    return HandInRound(row.key, tuple(ids), digest_copies(payload), shown)


def digest(session: Session, key: str) -> dict[str, Any] | None:
    """The payload of the digest under ``key`` (None: there is none)."""
    row = session.scalar(_KEYED, {"key": key})
    return dict(row.payload or {}) if row is not None else None


def digests_listing(session: Session, cutoff: date, submission_id: int) -> dict[str, Any]:
    """The digests of the edition at ``cutoff`` that list ``submission_id``: key → payload."""
    prefix = f"{DIGEST_KIND}:{cutoff.isoformat()}:"
    return {
        row.key: dict(row.payload or {})
        for row in session.scalars(_STARTING, {"prefix": prefix})
        if submission_id in digest_submissions(row.payload or {})
    }


def record_digest_copies(
    session: Session, key: str, now: datetime, copies: dict[int, tuple[int, int]]
) -> None:
    """Record the message each coordinator's copy of the digest is now (sent or edited)."""
    row = session.scalar(_KEYED, {"key": key})
    if row is None:
        return
    payload = dict(row.payload or {})
    messages = dict(payload.get("messages") or {})
    messages |= {str(cid): [chat, message] for cid, (chat, message) in copies.items()}
    row.payload = payload | {"messages": messages}
    row.sent_at = row.sent_at or now
    session.flush()


_KEYS_ROWS = select(Notification).where(Notification.key.in_(bindparam("keys", expanding=True)))


def record_round_sent(
    session: Session,
    digest_key: str,
    review_keys: Sequence[str],
    now: datetime,
    copies: dict[int, tuple[int, int]],
) -> None:
    """:func:`record_digest_copies` of the round and :func:`record_sent` of its hand-ins'
    review messages (each gets ``copies`` as its ``messages``) in one query and one flush:
    it runs after every hand-in."""
    rows = {
        row.key: row for row in session.scalars(_KEYS_ROWS, {"keys": [digest_key, *review_keys]})
    }
    listed = {str(cid): [chat, message] for cid, (chat, message) in copies.items()}
    round_row = rows.get(digest_key)
    if round_row is not None:
        payload = dict(round_row.payload or {})
        messages = dict(payload.get("messages") or {}) | listed
        if messages != payload.get("messages"):  # a new copy (an edit keeps the message)
            round_row.payload = payload | {"messages": messages}
        round_row.sent_at = round_row.sent_at or now
    for key in review_keys:
        row = rows.get(key)
        if row is not None and key != digest_key:
            row.payload = dict(row.payload or {}) | {"messages": listed}
            row.sent_at = now
    session.flush()


# -- overview ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    """One line of the plan overview: when, what, for how many, how many already sent."""

    at: datetime
    kind: Kind
    label: str  # "" or the reminder label
    recipients: int
    sent: int


def overview(
    session: Session, cutoff: date, config: ScheduleConfig
) -> tuple[CyclePlan, list[PlannedItem]]:
    """The edition's plan with today's recipient counts (who would get each message if it went
    out now) and how many of each were sent already."""
    cycle = plan(cutoff, config)
    contacts = _sendable_contacts(session)
    coordinators = [c for c in contacts if _is_coordinator(c)]
    edition = find_edition(session, cutoff)
    progress = (
        {p.code: p for p in edition_progress(session, edition)} if edition is not None else {}
    )
    if edition is None:
        numbers = set(project_numbers(session, cutoff))
        prompted_contacts = _contacts_with_projects(session, contacts, numbers)
        open_contacts = prompted_contacts
        overdue = bool(numbers)
    else:
        prompted_contacts = sum(
            1 for c in contacts if _department_rows(c, progress, outstanding_only=False)
        )
        open_contacts = sum(
            1 for c in contacts if _department_rows(c, progress, outstanding_only=True)
        )
        overdue = any(p.outstanding for p in progress.values())
    sent = _sent_counts(session, cutoff)
    items = [
        PlannedItem(
            cycle.window_opens, Kind.PROMPT, "", prompted_contacts, sent.get(("prompt", ""), 0)
        )
    ]
    items += [
        PlannedItem(r.at, Kind.REMINDER, r.label, open_contacts, sent.get(("reminder", r.label), 0))
        for r in cycle.reminders
    ]
    items.append(
        PlannedItem(
            cycle.escalation,
            Kind.ESCALATION,
            "",
            len(coordinators) if overdue else 0,
            sent.get(("escalation", ""), 0),
        )
    )
    items.append(
        PlannedItem(cycle.draft, Kind.DRAFT, "", len(coordinators), sent.get(("draft", ""), 0))
    )
    return cycle, items


def _contacts_with_projects(session: Session, contacts: list[_Recipient], numbers: set[int]) -> int:
    departments = set(
        session.scalars(
            select(ProjectDepartment.department_id).where(ProjectDepartment.project_id.in_(numbers))
        )
    )
    return sum(1 for c in contacts if any(d.id in departments for d in c.departments))


def _sent_counts(session: Session, cutoff: date) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for kind, key in session.execute(
        select(Notification.kind, Notification.key).where(
            Notification.edition_cutoff == cutoff, Notification.sent_at.is_not(None)
        )
    ):
        label = key.split(":")[2] if kind == Kind.REMINDER else ""
        counts[(kind, label)] = counts.get((kind, label), 0) + 1
    return counts
