"""Following the collection: /stand, /erinnern <Abteilung>, /entwurf and /aenderungen.

/stand fits one phone screen (:func:`core.standing.standing`): first the departments with
nobody registered, then the overdue ones with their contacts' names and how many projects are
missing, then those still at work, then the complete ones; the deadline is that of the
scheduler's plan (:func:`core.schedule.plan` with the configured :class:`ScheduleConfig`,
``Services.schedule``). Its button "Ganze Tabelle" shows exactly
:func:`core.progress.edition_progress`, overdue departments first (overdue: the deadline has
passed and projects are still outstanding).

A nudge is claimed in the notification ledger (:func:`core.notifications.claim`) under the key
``nudge:<cutoff>:<code>:<timestamp>`` before it goes out and recorded as sent with whom it
reached (:func:`core.notifications.record_sent`), so the database says what was sent (and a
double tap within the same moment sends once).

The draft files are assembled afresh on every request (approved changes only) and rendered in
a child process (:class:`core.render.job.RenderProcesses`, a few at once; named and written by
:mod:`core.documents`, like every rendering), so the bot keeps answering everyone else
meanwhile; a render that fails or is killed is reported to the coordinator. What goes to
Telegram itself (the nudges, the files) is sent by :mod:`bot.coordinator.handlers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from bot import texts
from bot.common.buttons import Spec, in_rows, keyboard
from bot.common.callback_data import Act
from bot.common.screens import Screen, counted, esc, paragraphs, shorten
from bot.coordinator.turn import CoordTurn, Step
from core import notifications
from core.admin import AdminError, get_department, project_list
from core.dates import format_day
from core.db import unit_of_work
from core.models import Department, SubmissionState
from core.numbering import project_numbers
from core.progress import DepartmentProgress, edition_progress, project_states
from core.recipients import department_contacts
from core.schedule import ScheduleConfig, plan
from core.standing import DepartmentStanding, standing

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


NUDGE_KIND: Final = "nudge"

# -- /stand -------------------------------------------------------------------------------------


def counts(p: DepartmentProgress) -> str:
    """``offen 1 · in Arbeit 0 · eingereicht 1 · freigegeben 1 · zurückgegeben 0``."""
    return texts.STAND_COUNTS.format(
        open=p.open, draft=p.draft, submitted=p.submitted, approved=p.approved, returned=p.returned
    )


def projects(p: DepartmentProgress) -> str:
    """``3 Projekte``."""
    return counted(texts.PROJECTS_COUNT, p.projects)


def show_progress(config: ScheduleConfig) -> Step:
    """/stand under the calendar ``config``: the short overview, with the full table a button
    away."""
    return lambda turn: _short(turn, config)


def show_full_progress(config: ScheduleConfig) -> Step:
    """ "Ganze Tabelle" under the calendar ``config``: per department open / in Arbeit /
    eingereicht / freigegeben / zurückgegeben."""
    return lambda turn: _progress(turn, config)


#: Codes listed in a row before "… und n weitere": 25 short codes fit a phone screen.
CODES_SHOWN: Final = 30
#: Overdue (or open) departments listed with their contacts' names.
LINES_SHOWN: Final = 8


def _short(turn: CoordTurn, config: ScheduleConfig) -> Screen:
    edition = turn.edition
    cycle = plan(edition.cutoff, config)
    passed = turn.now >= cycle.deadline_ends
    deadline = texts.STAND_DEADLINE_PASSED if passed else texts.STAND_DEADLINE
    head = "\n".join(
        [
            texts.STAND_TITLE.format(cutoff=format_day(edition.cutoff)),
            deadline.format(deadline=format_day(cycle.deadline)),
        ]
    )
    found = standing(turn.session, edition, deadline_passed=passed)
    if found.empty:
        return Screen(paragraphs(head, texts.STAND_EMPTY))
    unregistered = (
        texts.STAND_UNREGISTERED.format(
            count=len(found.unregistered), codes=_codes(found.unregistered)
        )
        if found.unregistered
        else None
    )
    overdue = _late(texts.STAND_OVERDUE_HEAD, found.overdue)
    still_open = _late(texts.STAND_OPEN_HEAD, found.open)
    complete = (
        texts.STAND_COMPLETE.format(count=len(found.complete), codes=_codes(found.complete))
        if found.complete
        else None
    )
    submitted = _total(turn).submitted
    waiting = counted(texts.STAND_WAITING, submitted) if submitted else None
    full = keyboard(0, [[(texts.BTN_STAND_FULL, Act.STAND_FULL, None)]])
    return Screen(paragraphs(head, unregistered, overdue, still_open, complete, waiting), full)


def _codes(items: Sequence[DepartmentStanding]) -> str:
    """``60.1, 60.2, 61`` (and "… und n weitere" past :data:`CODES_SHOWN`)."""
    codes = ", ".join(esc(item.code) for item in items[:CODES_SHOWN])
    rest = len(items) - CODES_SHOWN
    return f"{codes} {texts.STAND_MORE.format(count=rest)}" if rest > 0 else codes


def _late(title: str, items: Sequence[DepartmentStanding]) -> str | None:
    """A heading and one line per department: its contacts and how many projects are open."""
    if not items:
        return None
    lines = [
        texts.STAND_LATE_LINE.format(
            code=esc(item.code),
            names=esc(", ".join(item.contacts)),
            missing=counted(texts.OF_PROJECTS, item.projects, part=item.missing),
        )
        for item in items[:LINES_SHOWN]
    ]
    if len(items) > LINES_SHOWN:
        lines.append(texts.STAND_MORE.format(count=len(items) - LINES_SHOWN))
    return "\n".join([title.format(count=len(items)), *lines])


def _progress(turn: CoordTurn, config: ScheduleConfig) -> Screen:
    edition = turn.edition
    cycle = plan(edition.cutoff, config)
    passed = turn.now >= cycle.deadline_ends
    template = texts.STAND_DEADLINE_PASSED if passed else texts.STAND_DEADLINE
    head = "\n".join(
        [
            texts.STAND_TITLE.format(cutoff=format_day(edition.cutoff)),
            template.format(deadline=format_day(cycle.deadline)),
        ]
    )
    progress = edition_progress(turn.session, edition)
    if not progress:
        return Screen(paragraphs(head, texts.STAND_EMPTY))
    overdue = [p for p in progress if passed and p.outstanding]
    on_time = [p for p in progress if p not in overdue]
    lines = [
        texts.STAND_OVERDUE.format(code=esc(p.code), projects=projects(p), counts=counts(p))
        for p in overdue
    ] + [
        texts.STAND_DEPARTMENT.format(code=esc(p.code), projects=projects(p), counts=counts(p))
        for p in on_time
    ]
    total = _total(turn)
    waiting = counted(texts.STAND_WAITING, total.submitted) if total.submitted else None
    overall = texts.STAND_TOTAL.format(projects=total.projects, counts=counts(total))
    return Screen(paragraphs(head, overall, *lines, waiting))


def show_department(code: str) -> Step:
    """/stand <Abteilung>: the department's projects, each with the state of that department's
    report (issue 18: a shared project another department handed in is still open for it)."""

    def step(turn: CoordTurn) -> Screen:
        department = get_department(turn.session, code)
        rows = project_list(turn.session, turn.edition.cutoff, department=department.code)
        title = texts.STAND_OF_DEPARTMENT.format(
            code=esc(department.code), cutoff=format_day(turn.edition.cutoff)
        )
        if not rows:
            return Screen(paragraphs(title, texts.STAND_DEPARTMENT_EMPTY))
        states = project_states(
            turn.session, turn.edition, [r.id for r in rows], departments=[department.id]
        )
        lines = [
            texts.STAND_DEPARTMENT_LINE.format(
                number=esc(r.number),
                title=esc(shorten(r.short_title, 60)),
                state=texts.SUBMISSION_STATE[states.get(r.id)],
            )
            for r in rows
        ]
        return Screen(paragraphs(title, "\n".join(lines)))

    return step


def _total(turn: CoordTurn) -> DepartmentProgress:
    """The edition's projects, each counted once (a joint project counts for each department
    in the lines below)."""
    numbers = project_numbers(turn.session, turn.edition.cutoff)
    states = project_states(turn.session, turn.edition, list(numbers))
    total = DepartmentProgress("")
    for pid in numbers:
        total.projects += 1
        match states.get(pid):
            case None:
                total.open += 1
            case SubmissionState.DRAFT:
                total.draft += 1
            case SubmissionState.SUBMITTED:
                total.submitted += 1
            case SubmissionState.APPROVED:
                total.approved += 1
            case _:
                total.returned += 1
    return total


# -- /erinnern ----------------------------------------------------------------------------------


def ask_department(turn: CoordTurn) -> Screen:
    """/erinnern without a department: the departments with outstanding projects."""
    outstanding = [p for p in edition_progress(turn.session, turn.edition) if p.outstanding]
    if not outstanding:
        return Screen(texts.NUDGE_USAGE)
    buttons: list[Spec] = [
        (
            texts.NUDGE_BUTTON.format(code=p.code, outstanding=p.outstanding),
            Act.NUDGE,
            get_department(turn.session, p.code).id,
        )
        for p in outstanding
    ]
    return Screen(paragraphs(texts.NUDGE_USAGE, texts.NUDGE_PICK), keyboard(0, in_rows(buttons, 2)))


@dataclass
class Nudge:
    """A nudge recorded and ready to go: its key and the messages (contact id, chat, text)."""

    key: str = ""
    code: str = ""
    messages: list[tuple[int, int, str]] = field(default_factory=list)


def prepare_nudge(
    code: str | None, department_id: int | None, nudge: Nudge, config: ScheduleConfig
) -> Step:
    """Record the nudge of a department's contacts (filling ``nudge``), or say why not; the
    deadline it names is that of the calendar ``config``."""

    def step(turn: CoordTurn) -> Screen | None:
        department = (
            turn.session.get(Department, department_id)
            if department_id is not None
            else get_department(turn.session, code or "")
        )
        if department is None:
            raise AdminError(texts.NUDGE_USAGE)
        code_ = department.code
        progress = {p.code: p for p in edition_progress(turn.session, turn.edition)}.get(code_)
        if progress is None or not progress.outstanding:
            return Screen(texts.NUDGE_NOTHING_OPEN.format(code=esc(code_)))
        contacts = department_contacts(turn.session, code_)
        if not contacts:
            return Screen(texts.NUDGE_NOBODY.format(code=esc(code_)))
        cutoff = turn.edition.cutoff
        key = f"{NUDGE_KIND}:{cutoff.isoformat()}:{code_}:{turn.now.isoformat()}"
        if not notifications.claim(
            turn.session,
            key,
            kind=NUDGE_KIND,
            cutoff=cutoff,
            now=turn.now,
            payload={
                "department": code_,
                "by": turn.coordinator.id,
                "contacts": [c.id for c in contacts],
            },
        ):
            return Screen(texts.NUDGE_ALREADY.format(code=esc(code_)))
        deadline = plan(cutoff, config).deadline
        ask = texts.NUDGE_DEADLINE_PASSED if turn.today > deadline else texts.NUDGE_DEADLINE
        nudge.key, nudge.code = key, code_
        for contact in contacts:
            assert contact.telegram_user_id is not None  # department_contacts: bound only
            text = texts.NUDGE_MESSAGE.format(
                name=esc(contact.name),
                cutoff=format_day(cutoff),
                code=esc(code_),
                outstanding=counted(
                    texts.OF_PROJECTS, progress.projects, part=progress.outstanding
                ),
                deadline=ask.format(deadline=format_day(deadline)),
            )
            nudge.messages.append((contact.id, contact.telegram_user_id, text))
        return None

    return step


def mark_nudge_sent(
    sessions: sessionmaker[Session], key: str, reached: Sequence[int], now: datetime
) -> None:
    """Record whom the nudge reached."""
    with unit_of_work(sessions) as session:
        notifications.record_sent(session, key, now, {"reached": list(reached)})


# -- /entwurf and /aenderungen ------------------------------------------------------------------
