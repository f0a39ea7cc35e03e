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
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot import texts
from bot.common import screens
from bot.common.buttons import keyboard
from bot.common.callback_data import Act
from bot.common.context import BotContext
from bot.common.screens import Keyboard, Screen, esc, esc_line, paragraphs, shorten
from bot.common.sending import Outgoing, send_outbox, send_screen
from core import notifications
from core.changes import ChangeSet
from core.dates import format_local
from core.db import unit_of_work
from core.models import Contact, Submission, SubmissionState
from core.numbering import project_number
from core.recipients import coordinator_chats
from core.submissions import contributors

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


# -- announcing submissions to the coordinators -------------------------------------------------

#: A hand-in to announce: its review key, the review message, the coordinators (id, chat) who
Announcement = tuple[str, Screen, list[tuple[int, int]], list[Outgoing]]


def claim_reviews(
    session: Session, subs: Sequence[Submission], now: datetime, tz: ZoneInfo
) -> list[Announcement]:
    """The review messages of hand-ins made in this transaction, each claimed under its
    review key (``INSERT … ON CONFLICT DO NOTHING``).

    It runs in the contact's own turn, so a hand-in and its claim are committed together and
    each goes out exactly once: from the turn's reply on (:func:`send_reviews`). Should the
    process die between the commit and the sending, /pruefen still lists the hand-in.
    """
    todo = {review_key(sub): sub for sub in subs}
    if not todo:
        return []
    recipients = coordinator_chats(session)
    result: list[Announcement] = []
    for key, sub in todo.items():
        header = review_header(session, sub, tz)
        outdated = [  # earlier hand-ins of the same submission lose their buttons
            Outgoing(chat, Screen(paragraphs(header, texts.REVIEW_OUTDATED)), message)
            for chat, message in review_messages(session, sub, undecided=True)
        ]
        result.append((key, review_screen(session, sub, tz, header), recipients, outdated))
    claimed = {
        key
        for key, sub in todo.items()
        if notifications.claim(
            session,
            key,
            kind=REVIEW_KIND,
            cutoff=sub.edition.cutoff,
            now=now,
            payload={"submission": sub.id},
        )
    }
    return [item for item in result if item[0] in claimed]


async def send_reviews(context: BotContext, pending: Sequence[Announcement]) -> None:
    """Send every coordinator the claimed review messages, then store their message ids (so a
    decision can update every copy). Runs as a task of its own after the contact's reply."""
    services = context.services
    for key, screen, recipients, outdated in pending:
        await send_outbox(context.bot, outdated)
        messages: dict[str, list[int]] = {}
        for coordinator_id, chat_id in recipients:
            try:
                message_id = await send_screen(context.bot, chat_id, screen)
            except TelegramError as err:  # one coordinator's failure must not cost the others
                log.warning("review %s: coordinator %s not reached: %s", key, coordinator_id, err)
                continue
            if message_id is not None:
                messages[str(coordinator_id)] = [chat_id, message_id]
        _mark_sent(services.sessions, key, messages, services.clock.now())
        log.info("review %s announced to %d coordinator(s)", key, len(messages))


def _mark_sent(
    sessions: sessionmaker[Session], key: str, messages: dict[str, list[int]], now: datetime
) -> None:
    with unit_of_work(sessions) as session:
        notifications.record_sent(session, key, now, {"messages": messages})
