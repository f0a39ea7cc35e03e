"""The review message: what coordinators see of a hand-in, and its announcement.

It sits between the two roles: a contact's turn hands a submission in and claims its review
message (:func:`claim_reviews`), and once the contact has their answer :func:`send_reviews`
sends it to every coordinator; the coordination (:mod:`bot.coordinator.review`) shows and
updates the same message. The change view is the contact conversation's own summary
(:func:`bot.common.screens.summary`, before → after against the project as it is now), so
contact and coordinator read the same.

Each announcement is a row of the notification ledger, claimed and recorded through
:mod:`core.notifications` (:func:`~core.notifications.claim`,
:func:`~core.notifications.record_sent`), with the key
``review:<cutoff>:<submission id>:<submitted at>`` (a resubmission is a new announcement) whose
payload keeps the message ids, so a decision can update every coordinator's copy. These rows
have no ``contact_id``: the scheduler's sender never claims them.

A contact's hand-ins reach each coordinator as one message per round
(:func:`core.notifications.collect_hand_ins`): the first one as the review message itself, later
ones edit it into a list of all of them (:func:`digest_screen`) with the review buttons of each
that still waits; if the edit fails (message deleted or too old) a new message is sent and
recorded (:func:`bot.common.sending.edit_or_send`). The sending runs after the commit, one
round at a time. A decision redraws such lists (:func:`digest_copies_of`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot import texts
from bot.common import screens
from bot.common.buttons import keyboard
from bot.common.callback_data import Act
from bot.common.context import BotContext
from bot.common.screens import Keyboard, Screen, counted, esc, esc_line, paragraphs, shorten
from bot.common.sending import Outgoing, edit_or_send, send_outbox
from core import notifications
from core.changes import ChangeSet
from core.dates import format_local
from core.db import concurrent_writers, unit_of_work
from core.models import Contact, Submission, SubmissionState
from core.numbering import numbers_of, project_number
from core.recipients import coordinator_chats
from core.submissions import contributors, submissions_by_ids

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

REVIEW_KIND: Final = "review"


# -- the review message -------------------------------------------------------------------------


def review_key(sub: Submission) -> str:
    """``review:2025-10-01:42:2025-06-16T08:00:00+00:00:1a2b3c4d``: one per submission and
    hand-in (when, and a digest of what: a revised hand-in is announced anew)."""
    handed_in = (sub.submitted_at or sub.updated_at).isoformat()
    digest = hashlib.sha256(
        json.dumps(sub.changes, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:8]
    return f"{REVIEW_KIND}:{sub.edition.cutoff.isoformat()}:{sub.id}:{handed_in}:{digest}"


def project_label(session: Session, sub: Submission, numbers: dict[int, str] | None = None) -> str:
    """``1.2.2.1 „Radwegekonzept“`` (escaped), as the edition numbers the project now
    (``numbers``: the edition's numbers by project, if the caller has them already)."""
    number = (
        numbers.get(sub.project_id)
        if numbers is not None
        else project_number(session, sub.edition.cutoff, sub.project)
    )
    title = esc(shorten(sub.project.title, 120))
    if number is None:
        return texts.PROJECT_LABEL_UNNUMBERED.format(title=title)
    return texts.PROJECT_LABEL.format(number=esc(number), title=title)


def review_header(session: Session, sub: Submission, tz: ZoneInfo) -> str:
    """Who reports what: title, number, departments, contact and when."""
    project = sub.project
    number = project_number(session, sub.edition.cutoff, project)
    title = esc_line(shorten(project.title, 200))
    head = (
        texts.REVIEW_PROJECT.format(number=esc(number), title=title)
        if number
        else texts.REVIEW_PROJECT_UNNUMBERED.format(title=title)
    )
    handed_in = sub.submitted_at or sub.updated_at
    people = [c.name for c in contributors(sub)]
    if len(people) > 1:  # colleagues or departments of a shared project (issue 18)
        origin = texts.REVIEW_FROM_ALL.format(
            departments=esc(", ".join(project.department_codes) or "–"),
            names=esc(", ".join(people)),
            when=format_local(handed_in, tz),
        )
    else:
        origin = texts.REVIEW_FROM.format(
            departments=esc(", ".join(project.department_codes) or "–"),
            name=esc(people[0] if people else sub.contact.name if sub.contact else "–"),
            when=format_local(handed_in, tz),
        )
    return "\n".join([texts.REVIEW_TITLE, head, origin])


def changes_body(sub: Submission) -> str:
    """Every proposed change, before → after: the contact's own summary without its title
    and footer (one implementation for both sides)."""
    cs = ChangeSet.from_json(sub.changes)
    if cs.is_empty:
        return texts.REVIEW_NO_CHANGES
    text = screens.summary(sub.project, cs, ()).text
    body = text.split("\n\n", 1)[1] if "\n\n" in text else text
    return body.removesuffix(texts.SUMMARY_FOOTER).rstrip()


def review_keyboard(sub: Submission) -> Keyboard:
    """Freigeben / Zurückgeben / Bearbeiten (nothing to edit in "keine Änderungen")."""
    editable = not ChangeSet.from_json(sub.changes).is_empty
    return keyboard(
        0,
        [
            [(texts.BTN_APPROVE, Act.APPROVE, sub.id), (texts.BTN_RETURN, Act.RETURN, sub.id)],
            [(texts.BTN_REVIEW_EDIT, Act.EDIT, sub.id)] if editable else [],
        ],
    )


def review_screen(
    session: Session, sub: Submission, tz: ZoneInfo, header: str | None = None
) -> Screen:
    """The review message with its buttons (or, once decided, what was decided); ``header``
    if the caller has :func:`review_header` already."""
    if sub.state is not SubmissionState.SUBMITTED:
        return decided_screen(session, sub, tz)
    header = header if header is not None else review_header(session, sub, tz)
    return Screen(paragraphs(header, changes_body(sub)), review_keyboard(sub))


def decided_line(session: Session, sub: Submission, tz: ZoneInfo) -> str:
    """ "✓ Freigegeben von … am …" or "↩ Zurückgegeben von … Grund: …"."""
    decided_by = session.get(Contact, sub.decided_by_id) if sub.decided_by_id else None
    name = esc(decided_by.name if decided_by else "–")
    when = format_local(sub.decided_at or sub.updated_at, tz)
    if sub.state is SubmissionState.RETURNED:
        reason = esc(sub.return_reason or "–")
        return texts.REVIEW_RETURNED.format(name=name, when=when, reason=reason)
    if sub.state is SubmissionState.APPROVED:
        return texts.REVIEW_APPROVED.format(name=name, when=when)
    return texts.REVIEW_IN_REVISION  # the contact took it back to change it


def decided_screen(session: Session, sub: Submission, tz: ZoneInfo) -> Screen:
    """A decided submission: who reported, and what the coordination decided (no buttons)."""
    return Screen(paragraphs(review_header(session, sub, tz), decided_line(session, sub, tz)))


def review_prefix(sub: Submission) -> str:
    """The start of every review key of the submission: ``review:<cutoff>:<id>:``."""
    return f"{REVIEW_KIND}:{sub.edition.cutoff.isoformat()}:{sub.id}:"


def review_messages(
    session: Session, sub: Submission, *, undecided: bool = False
) -> list[tuple[int, int]]:
    """(chat, message) of every coordinator's copy of the submission's review messages (only
    of hand-ins nobody decided on, with ``undecided``)."""
    found: list[tuple[int, int]] = []
    for payload in notifications.payloads(session, review_prefix(sub)):
        if undecided and payload.get("decided"):
            continue
        for pair in dict(payload.get("messages") or {}).values():
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, int) for x in pair):
                found.append((pair[0], pair[1]))
    return found


def digest_copies_of(session: Session, sub: Submission) -> dict[tuple[int, int], tuple[int, ...]]:
    """(chat, message) of every copy of a digest listing ``sub`` with other hand-ins: the
    submission ids it lists."""
    found: dict[tuple[int, int], tuple[int, ...]] = {}
    for payload in notifications.digests_listing(session, sub.edition.cutoff, sub.id).values():
        ids = tuple(notifications.digest_submissions(payload))
        if len(ids) > 1:
            for pair in notifications.digest_copies(payload).values():
                found[pair] = ids
    return found


def _outdated(session: Session, sub: Submission, tz: ZoneInfo) -> list[Outgoing]:
    """The updates that take the buttons off earlier hand-ins of ``sub`` (a list of several
    keeps its last state); the header and the lists are looked up only if there are any (a
    first hand-in has none)."""
    earlier = review_messages(session, sub, undecided=True)
    if not earlier:
        return []
    lists = digest_copies_of(session, sub)
    header = review_header(session, sub, tz)
    screen = Screen(paragraphs(header, texts.REVIEW_OUTDATED))
    return [
        Outgoing(chat, screen, message) for chat, message in earlier if (chat, message) not in lists
    ]


# -- announcing submissions to the coordinators -------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """Hand-ins of one contact to announce: the round (digest) key, the review keys claimed, and
    the updates that take the buttons off older copies (the coordinators who get them are
    looked up when they are sent, off the contact's turn)."""

    digest_key: str
    review_keys: tuple[str, ...]
    outdated: tuple[Outgoing, ...]


def claim_reviews(
    session: Session,
    subs: Sequence[Submission],
    now: datetime,
    tz: ZoneInfo,
    first: Collection[int] = (),
) -> list[Announcement]:
    """The announcements of hand-ins made in this transaction, each claimed under its review
    key (``INSERT … ON CONFLICT DO NOTHING``) and added to its contact's round.

    It runs in the contact's own turn, so a hand-in and its claim are committed together and
    each goes out exactly once: from the turn's reply on (:func:`send_reviews`). Should the
    process die between the commit and the sending, /pruefen still lists the hand-in (and the
    contact's next hand-in shows it in the round's message). ``first``: the ids of submissions
    handed in for the first time (no earlier review message to take the buttons off).
    """
    todo = {review_key(sub): sub for sub in subs}
    if not todo:
        return []
    rounds: dict[tuple[object, int], list[tuple[str, Submission, list[Outgoing]]]] = {}
    for key, sub in todo.items():
        outdated = [] if sub.id in first else _outdated(session, sub, tz)
        if notifications.claim(
            session,
            key,
            kind=REVIEW_KIND,
            cutoff=sub.edition.cutoff,
            now=now,
            payload={"submission": sub.id},
        ):
            group = (sub.edition.cutoff, sub.contact_id or 0)
            rounds.setdefault(group, []).append((key, sub, outdated))
    result = []
    for items in rounds.values():
        leading = items[0][1]
        digest_key = notifications.collect_hand_ins(
            session,
            leading.edition.cutoff,
            leading.contact_id or 0,
            [s.id for _, s, _ in items],
            now,
        )
        result.append(
            Announcement(
                digest_key,
                tuple(key for key, _, _ in items),
                tuple(out for _, _, outdated in items for out in outdated),
            )
        )
    return result


def digest_screen(session: Session, submission_ids: Sequence[int], tz: ZoneInfo) -> Screen:
    """A round's message: the review message of a single hand-in, else every hand-in of the
    round (project, what changed in short or what was decided) with the review buttons of
    each one still waiting."""
    subs = submissions_by_ids(session, submission_ids)  # one query, not one per hand-in
    if not subs:
        return Screen(texts.REVIEW_GONE)
    if len(subs) == 1:
        return review_screen(session, subs[0], tz)
    contact = subs[-1].contact
    codes = sorted(d.code for d in contact.departments) if contact else []
    codes = codes or sorted({code for sub in subs for code in sub.project.department_codes})
    last = max(sub.submitted_at or sub.updated_at for sub in subs)
    head = "\n".join(
        [
            texts.DIGEST_TITLE.format(
                name=esc(contact.name if contact else "–"), departments=esc(", ".join(codes))
            ),
            counted(texts.DIGEST_COUNT, len(subs), when=format_local(last, tz)),
        ]
    )
    numbers = numbers_of(session, subs[0].edition.cutoff, [sub.project for sub in subs])
    items, rows = [], []
    for index, sub in enumerate(subs, 1):
        if sub.state is SubmissionState.SUBMITTED:
            changes = ChangeSet.from_json(sub.changes)
            state = in_short(changes)
            rows.append(
                [
                    (texts.BTN_DIGEST_APPROVE.format(index=index), Act.APPROVE, sub.id),
                    (texts.BTN_DIGEST_RETURN.format(index=index), Act.RETURN, sub.id),
                ]
                + (
                    []
                    if changes.is_empty
                    else [(texts.BTN_DIGEST_EDIT.format(index=index), Act.EDIT, sub.id)]
                )
            )
        else:
            state = decided_line(session, sub, tz)
        project = project_label(session, sub, numbers)
        items.append(texts.DIGEST_ITEM.format(index=index, project=project, state=state))
    footer = texts.DIGEST_FOOTER if rows else None
    return Screen(paragraphs(head, *items, footer), keyboard(0, rows) if rows else None)


def in_short(changes: ChangeSet) -> str:
    """What a hand-in changes, in a few words (``Geändert: Bemerkung, 2 geplant``)."""
    if changes.is_empty:
        return texts.REVIEW_NO_CHANGES
    parts = [texts.DIGEST_STATUS] if changes.status else []
    done = len(changes.milestones_done) + len(changes.completed_planned)
    for forms, count in (
        (texts.DIGEST_DONE, done),
        (texts.DIGEST_PLANNED, len(changes.milestones_planned)),
        (texts.DIGEST_STEPS, len(changes.planning_steps)),
        (texts.DIGEST_CONSULTATIONS, len(changes.consultations)),
    ):
        if count:
            parts.append(counted(forms, count))
    if changes.remark is not None:
        parts.append(texts.DIGEST_REMARK)
    if changes.description is not None:
        parts.append(texts.DIGEST_DESCRIPTION)
    return texts.DIGEST_WAITING.format(what=", ".join(parts))


#: One lock per round: its hand-ins go out in order, and the first copy's message id is
#: recorded before a later hand-in edits it (the process is the only sender: core.instance).
#: Per event loop, as a lock belongs to one.
_ROUND_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


async def send_reviews(context: BotContext, pending: Sequence[Announcement]) -> None:
    """Show every coordinator the round of the claimed hand-ins (a new message for the first,
    an edit for later ones), then store the message ids (so a decision can update every copy).
    Runs as a task of its own after the contact's reply."""
    for announcement in pending:
        locks = _ROUND_LOCKS.setdefault(asyncio.get_running_loop(), {})
        lock = locks.setdefault(announcement.digest_key, asyncio.Lock())
        async with lock:
            await _announce(context, announcement)


def _read_round(
    sessions: sessionmaker[Session], digest_key: str, tz: ZoneInfo
) -> tuple[dict[str, Any], list[int], Screen, list[tuple[int, int]]]:
    """The round as it stands now: its payload, its hand-ins, its message and the coordinators
    (id, chat) who get it (reads only)."""
    with sessions() as session:
        payload = notifications.digest(session, digest_key) or {}
        ids = notifications.digest_submissions(payload)
        return payload, ids, digest_screen(session, ids, tz), coordinator_chats(session)


async def _announce(context: BotContext, announcement: Announcement) -> None:
    services = context.services
    # Read in a worker thread, so that the other users' updates go on meanwhile (only reads:
    # they wait for no lock, on SQLite neither).
    payload, ids, screen, recipients = await asyncio.to_thread(
        _read_round, services.sessions, announcement.digest_key, services.tz
    )
    copies = notifications.digest_copies(payload)
    shown = set(copies.values())
    await send_outbox(
        context.bot,
        [o for o in announcement.outdated if (o.chat_id, o.edit_message_id) not in shown],
    )
    messages: dict[int, tuple[int, int]] = {}
    for coordinator_id, chat_id in recipients:
        try:
            copy = copies.get(coordinator_id)
            mine = copy[1] if copy is not None and copy[0] == chat_id else None
            message_id = await edit_or_send(context.bot, chat_id, mine, screen)
        except TelegramError as err:  # one coordinator's failure must not cost the others
            log.warning(
                "round %s: coordinator %s not reached: %s",
                announcement.digest_key,
                coordinator_id,
                err,
            )
            continue
        if message_id is not None:
            messages[coordinator_id] = (chat_id, message_id)
    now = services.clock.now()
    if concurrent_writers(services.sessions):  # off the event loop, as the reading above
        await asyncio.to_thread(_mark_sent, services.sessions, announcement, messages, now)
    else:  # SQLite: in the loop's thread, as every other write (one writer at a time)
        _mark_sent(services.sessions, announcement, messages, now)
    log.info(
        "round %s: %d hand-in(s) shown to %d coordinator(s)",
        announcement.digest_key,
        len(ids),
        len(messages),
    )


def _mark_sent(
    sessions: sessionmaker[Session],
    announcement: Announcement,
    messages: dict[int, tuple[int, int]],
    now: datetime,
) -> None:
    with unit_of_work(sessions) as session:
        notifications.record_round_sent(
            session, announcement.digest_key, announcement.review_keys, now, messages
        )
