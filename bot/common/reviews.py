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
recorded (:func:`bot.common.sending.edit_or_send`). The round's message is composed in the
hand-in's turn, from the round's list as it read it (one query,
:func:`core.submissions.listed_hand_ins`); the sending and its record run after the commit, in
the event loop's thread, one round at a time, and the process remembers the copies it sent
(:class:`bot.common.rounds.Rounds`). A decision redraws such lists (:func:`digest_copies_of`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final
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
from core.db import unit_of_work
from core.models import Contact, Project, Submission, SubmissionState
from core.numbering import project_number
from core.recipients import coordinator_chats
from core.submissions import ListedHandIn, contributors, listed_hand_ins

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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


def project_label(session: Session, sub: Submission) -> str:
    """``1.2.2.1 „Radwegekonzept“`` (escaped), as the edition numbers the project now."""
    number = project_number(session, sub.edition.cutoff, sub.project)
    return _label(number, sub.project.title)


def _label(number: str | None, title: str) -> str:
    title = esc(shorten(title, 120))
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
    return _decided(
        sub.state,
        decided_by.name if decided_by else None,
        sub.decided_at or sub.updated_at,
        sub.return_reason,
        tz,
    )


def _decided(
    state: SubmissionState, name: str | None, when: datetime, reason: str | None, tz: ZoneInfo
) -> str:
    who = esc(name if name is not None else "–")
    if state is SubmissionState.RETURNED:
        return texts.REVIEW_RETURNED.format(
            name=who, when=format_local(when, tz), reason=esc(reason or "–")
        )
    if state is SubmissionState.APPROVED:
        return texts.REVIEW_APPROVED.format(name=who, when=format_local(when, tz))
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


def redrawn(
    session: Session,
    sub: Submission,
    tz: ZoneInfo,
    screen: Screen | None = None,
    *,
    skip: Collection[tuple[int, int]] = (),
    also: Iterable[tuple[int, int]] = (),
    lists_too: bool = True,
) -> list[Outgoing]:
    """The edits that show every coordinator's copy of the submission as it stands now: its
    review messages of hand-ins not decided before (and the messages ``also``, but not those
    of ``skip``) show ``screen`` (default: :func:`review_screen`), the round lists that list it
    show the list anew (not with ``lists_too=False``, for a change a list does not show: they
    stay as they are, an edit to the same text would be refused)."""
    lists = digest_copies_of(session, sub)
    seen = set(skip)
    found: list[Outgoing] = []
    for chat, message in [*review_messages(session, sub, undecided=True), *also]:
        if (chat, message) not in seen and (chat, message) not in lists:
            seen.add((chat, message))
            screen = screen if screen is not None else review_screen(session, sub, tz)
            found.append(Outgoing(chat, screen, edit_message_id=message))
    rendered: dict[tuple[int, ...], Screen] = {}
    for (chat, message), ids in lists.items() if lists_too else ():
        if ids not in rendered:
            rendered[ids] = digest_screen(session, sub.edition.cutoff, ids, tz)
        found.append(Outgoing(chat, rendered[ids], edit_message_id=message))
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
class Owner:
    """Whose round it is: the contact's name and department codes (the list's title)."""

    name: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Announcement:
    """Hand-ins of one contact to announce: the round's key and its message as the hand-in's
    turn composed it, the coordinators (id, chat) who get it, the copies the ledger knew then,
    the review keys claimed, the updates that take the buttons off older copies, and how many
    hand-ins the message lists."""

    digest_key: str
    screen: Screen
    recipients: tuple[tuple[int, int], ...]
    copies: dict[int, tuple[int, int]]
    review_keys: tuple[str, ...]
    outdated: tuple[Outgoing, ...]
    listed: int


def claim_reviews(
    session: Session,
    subs: Sequence[Submission],
    now: datetime,
    tz: ZoneInfo,
    first: Collection[int] = (),
) -> list[Announcement]:
    """The announcements of hand-ins made in this transaction, each claimed under its review
    key (``INSERT … ON CONFLICT DO NOTHING``) and added to its contact's round, whose message
    is composed here, from the round's list as :func:`~core.notifications.collect_hand_ins`
    read it (one query, no objects loaded).

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
    if not rounds:
        return []
    recipients = tuple(coordinator_chats(session))
    result = []
    for items in rounds.values():
        leading = items[0][1]
        cutoff = leading.edition.cutoff
        hand_ins = notifications.collect_hand_ins(
            session, cutoff, leading.contact_id or 0, [s.id for _, s, _ in items], now
        )
        listed = hand_ins.listed
        contact = leading.contact
        screen = (
            round_screen(session, listed, tz, _owner(contact) if contact else None)
            if listed is not None  # as read (a hand-in gone since is left out, as there)
            else digest_screen(session, cutoff, hand_ins.submissions, tz)
        )
        result.append(
            Announcement(
                hand_ins.key,
                screen,
                recipients,
                hand_ins.copies,
                tuple(key for key, _, _ in items),
                tuple(out for _, _, outdated in items for out in outdated),
                len(hand_ins.submissions),
            )
        )
    return result


def _owner(contact: Contact) -> Owner:
    return Owner(contact.name, tuple(sorted(d.code for d in contact.departments)))


def digest_screen(
    session: Session, cutoff: date, submission_ids: Sequence[int], tz: ZoneInfo
) -> Screen:
    """A round's message: the review message of a single hand-in, else every hand-in of the
    round (project, what changed in short or what was decided) with the review buttons of
    each one still waiting. The list is read in one query, without loading the hand-ins
    (``cutoff``: the edition's, for the projects' numbers)."""
    if len(submission_ids) == 1:
        single = session.get(Submission, submission_ids[0])
        return review_screen(session, single, tz) if single else Screen(texts.REVIEW_GONE)
    return round_screen(session, listed_hand_ins(session, cutoff, submission_ids), tz)


def round_screen(
    session: Session, listed: Sequence[ListedHandIn], tz: ZoneInfo, owner: Owner | None = None
) -> Screen:
    """:func:`digest_screen` of the round's hand-ins as read already (in hand-in order);
    ``owner``: whose round it is, if the caller knows (else looked up)."""
    if len(listed) <= 1:
        single = session.get(Submission, listed[0].id) if listed else None
        return review_screen(session, single, tz) if single else Screen(texts.REVIEW_GONE)
    if owner is None:
        contact_id = listed[-1].contact_id
        contact = session.get(Contact, contact_id) if contact_id is not None else None
        owner = _owner(contact) if contact is not None else Owner("–", ())
    codes = list(owner.departments)
    if not codes:  # nobody's departments to name: those of the projects
        projects = [session.get(Project, item.project_id) for item in listed]
        codes = sorted({code for p in projects if p for code in p.department_codes})
    last = max(item.handed_in for item in listed)
    head = "\n".join(
        [
            texts.DIGEST_TITLE.format(name=esc(owner.name), departments=esc(", ".join(codes))),
            counted(texts.DIGEST_COUNT, len(listed), when=format_local(last, tz)),
        ]
    )
    items, rows = [], []
    for index, item in enumerate(listed, 1):
        if item.state is SubmissionState.SUBMITTED:
            changes = ChangeSet.from_json(item.changes)
            state = in_short(changes)
            rows.append(
                [
                    (texts.BTN_DIGEST_APPROVE.format(index=index), Act.APPROVE, item.id),
                    (texts.BTN_DIGEST_RETURN.format(index=index), Act.RETURN, item.id),
                ]
                + (
                    []
                    if changes.is_empty
                    else [(texts.BTN_DIGEST_EDIT.format(index=index), Act.EDIT, item.id)]
                )
            )
        else:
            state = _decided(item.state, item.decided_by, item.decided, item.return_reason, tz)
        project = _label(item.number, item.title)
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


async def send_reviews(context: BotContext, pending: Sequence[Announcement]) -> None:
    """Show every coordinator the round of the claimed hand-ins (a new message for the first,
    an edit for later ones), then store the message ids (so a decision can update every copy).
    Runs as a task of its own after the contact's reply; a round's hand-ins go out one after
    the other (:class:`bot.common.rounds.Rounds`)."""
    rounds = context.services.rounds
    for announcement in pending:
        async with rounds.sending(announcement.digest_key):
            await _announce(context, announcement)


async def _announce(context: BotContext, announcement: Announcement) -> None:
    services = context.services
    key = announcement.digest_key
    # What the ledger knew in the hand-in's turn, and what this process sent since (a hand-in
    # claimed while the one before was still being sent edits that one's message too).
    copies = announcement.copies | services.rounds.copies(key)
    shown = set(copies.values())
    await send_outbox(
        context.bot,
        [o for o in announcement.outdated if (o.chat_id, o.edit_message_id) not in shown],
    )
    messages: dict[int, tuple[int, int]] = {}
    for coordinator_id, chat_id in announcement.recipients:
        try:
            copy = copies.get(coordinator_id)
            mine = copy[1] if copy is not None and copy[0] == chat_id else None
            message_id = await edit_or_send(context.bot, chat_id, mine, announcement.screen)
        except TelegramError as err:  # one coordinator's failure must not cost the others
            log.warning("round %s: coordinator %s not reached: %s", key, coordinator_id, err)
            continue
        if message_id is not None:
            messages[coordinator_id] = (chat_id, message_id)
    services.rounds.sent(key, copies | messages)
    # In the loop's thread, as every turn: one short transaction on the connection the turns
    # keep warm (a worker thread would take another one, and wait for the GIL).
    with unit_of_work(services.sessions) as session:
        notifications.record_round_sent(
            session, key, announcement.review_keys, services.clock.now(), messages
        )
    log.info(
        "round %s: %d hand-in(s) shown to %d coordinator(s)",
        key,
        announcement.listed,
        len(messages),
    )
