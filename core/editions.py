"""Editions: which one is being collected, choosing it, publishing one, listing them all.

The edition being collected is explicit, not the machine clock's: it is the edition after the
last published one, unless the coordinator chose another (``nhr edition collect``); only with
no published edition at all does it follow the calendar (the next cutoff after today). The bot,
the scheduler and the command line all ask :func:`collecting_cutoff` (or
:func:`collecting_status`, which also says how far the clock has run past it).

Publishing freezes an edition's numbering; it is allowed for the edition being collected (or
another unpublished edition after the last published one) and only if the edition renders in
every format, so a published edition always renders.
"""

from __future__ import annotations

import enum
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from core import texts
from core.assembly import assemble_edition
from core.audit import Auditor
from core.cycle import next_cutoff, require_cutoff
from core.dates import BERLIN, format_day
from core.db import insert_ignoring
from core.export import edition_json
from core.frozen import freeze
from core.models import Edition, EditionEntry, EditionState, Submission, SubmissionState
from core.numbering import project_numbers
from core.texts import cutoffs_passed
from core.view import AssembledEdition

if TYPE_CHECKING:
    from core.config import RenderOptions


class EditionError(Exception):
    """A rule was broken; ``str(err)`` is a short German message."""


class EditionDoesNotRender(EditionError):
    """Publishing stopped: the edition does not render in one of the formats."""


# -- look-ups ----------------------------------------------------------------------------------


def get_or_create_edition(session: Session, cutoff: date) -> Edition:
    """The edition at ``cutoff`` (a 01.04. or 01.10.), created as collecting if new; safe
    against another process creating it at the same moment."""
    require_cutoff(cutoff)
    edition = find_edition(session, cutoff)
    if edition is not None:
        return edition
    session.execute(
        insert_ignoring(session, Edition, "cutoff").values(
            cutoff=cutoff, state=EditionState.COLLECTING.value, from_archive_only=False
        )
    )
    return session.scalars(_EDITION_AT, {"cutoff": cutoff}).one()


def find_edition(session: Session, cutoff: date) -> Edition | None:
    """The edition at ``cutoff``, if there is one."""
    return session.scalar(_EDITION_AT, {"cutoff": cutoff})


#: Built once: every bot update and every due-check looks its edition up.
_EDITION_AT = select(Edition).where(Edition.cutoff == bindparam("cutoff"))

_FULLY_PUBLISHED = (Edition.state == EditionState.PUBLISHED) & Edition.from_archive_only.is_(False)
#: The last published edition and the coordinator's choice, in one round trip (the bot asks on
#: every update).
_COLLECTING = select(
    select(func.max(Edition.cutoff)).where(_FULLY_PUBLISHED).scalar_subquery(),
    select(func.max(Edition.cutoff))
    .where(Edition.collecting_chosen.is_(True), Edition.state == EditionState.COLLECTING)
    .scalar_subquery(),
)


def last_published_cutoff(session: Session) -> date | None:
    """The cutoff of the newest edition that was published or imported in full."""
    return session.scalar(select(func.max(Edition.cutoff)).where(_FULLY_PUBLISHED))


# -- the edition being collected ---------------------------------------------------------------


class Source(enum.StrEnum):
    """Why an edition is the one being collected."""

    CHOSEN = "chosen"  # the coordinator chose it (nhr edition collect)
    AFTER_PUBLISHED = "after_published"  # the edition after the last published one
    CALENDAR = "calendar"  # nothing published yet: the next cutoff after today


@dataclass(frozen=True)
class CollectingEdition:
    """The edition being collected, why, and how far the clock has run past it."""

    cutoff: date
    source: Source
    last_published: date | None
    today: date

    @property
    def cutoffs_since(self) -> int:
        """Cutoffs after this edition's that the clock has reached (today included)."""
        count, day = 0, next_cutoff(self.cutoff)
        while day <= self.today:
            count, day = count + 1, next_cutoff(day)
        return count

    @property
    def behind(self) -> bool:
        """The clock has passed another cutoff since this edition's: it is overdue."""
        return self.cutoffs_since > 0

    def notice(self) -> str | None:
        """One German line when the edition is overdue, else None."""
        passed = self.cutoffs_since
        if not passed:
            return None
        since = cutoffs_passed(passed)
        return texts.EDITION_OVERDUE.format(
            day=format_day(self.cutoff),
            passed=since,
            cutoff_iso=self.cutoff.isoformat(),
            next_iso=next_cutoff(self.today).isoformat(),
        )


def collecting_status(session: Session, today: date) -> CollectingEdition:
    """The edition being collected on ``today`` (the office's calendar day), and why."""
    last, chosen = session.execute(_COLLECTING).one()
    return _status(last, chosen, today)


def _status(last: date | None, chosen: date | None, today: date) -> CollectingEdition:
    if chosen is not None and (last is None or chosen > last):
        return CollectingEdition(chosen, Source.CHOSEN, last, today)
    if last is not None:
        return CollectingEdition(next_cutoff(last), Source.AFTER_PUBLISHED, last, today)
    return CollectingEdition(next_cutoff(today), Source.CALENDAR, None, today)


def collecting_cutoff(session: Session, today: date) -> date:
    """The cutoff of the edition being collected (see :func:`collecting_status`)."""
    return collecting_status(session, today).cutoff


def collecting_edition(session: Session, today: date) -> Edition:
    """The edition being collected, its row created on first use.

    One round trip (every bot update asks): the rows that can decide it or be it (the last
    published edition, every later one, every chosen one) come in one query, and the choice
    of :func:`collecting_status` is made on them."""
    rows = session.scalars(_DECIDING).all()
    published = [
        e.cutoff for e in rows if e.state is EditionState.PUBLISHED and not e.from_archive_only
    ]
    chosen = [e.cutoff for e in rows if e.collecting_chosen and e.state is EditionState.COLLECTING]
    cutoff = _status(max(published, default=None), max(chosen, default=None), today).cutoff
    for edition in rows:
        if edition.cutoff == cutoff:
            return edition
    return get_or_create_edition(session, cutoff)


_LAST_PUBLISHED = select(func.max(Edition.cutoff)).where(_FULLY_PUBLISHED).scalar_subquery()
#: The editions :func:`collecting_edition` decides on: the last fully published one and all
#: after it (all, if none is published yet; a few rows: two editions a year), and every chosen one.
_DECIDING = select(Edition).where(
    or_(
        _LAST_PUBLISHED.is_(None),
        Edition.cutoff >= _LAST_PUBLISHED,
        Edition.collecting_chosen.is_(True) & (Edition.state == EditionState.COLLECTING),
    )
)


@dataclass(frozen=True)
class CollectingChoice:
    """What choosing an edition to collect does (or did)."""

    before: CollectingEdition
    cutoff: date
    open_left: int  # open submissions that stay with the edition collected before

    @property
    def unchanged(self) -> bool:
        """The edition is already being collected, and not only because of the calendar (a
        choice keeps it after its cutoff has passed)."""
        return self.before.cutoff == self.cutoff and self.before.source is not Source.CALENDAR


def check_collecting_choice(session: Session, cutoff: date, today: date) -> CollectingChoice:
    """What choosing ``cutoff`` as the edition being collected would do; a German
    :class:`EditionError` if it may not be chosen. Writes nothing."""
    require_cutoff(cutoff)
    before = collecting_status(session, today)
    last = before.last_published
    if last is not None and cutoff <= last:
        raise EditionError(
            texts.EDITION_COLLECT_PAST.format(day=format_day(cutoff), last=format_day(last))
        )
    latest = next_cutoff(today)
    if cutoff > latest:
        raise EditionError(
            texts.EDITION_COLLECT_FUTURE.format(day=format_day(cutoff), latest=format_day(latest))
        )
    existing = find_edition(session, cutoff)
    if existing is not None and existing.state is EditionState.PUBLISHED:
        raise EditionError(texts.EDITION_COLLECT_ARCHIVE_ONLY.format(day=format_day(cutoff)))
    open_left = 0
    if before.cutoff != cutoff:
        open_left = (
            session.scalar(
                select(func.count())
                .select_from(Submission)
                .join(Edition)
                .where(
                    Edition.cutoff == before.cutoff,
                    Submission.state.in_(
                        (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED)
                    ),
                )
            )
            or 0
        )
    return CollectingChoice(before, cutoff, open_left)


def choose_collecting(
    session: Session, cutoff: date, auditor: Auditor, today: date
) -> CollectingChoice:
    """Make ``cutoff`` the edition being collected (the coordinator's choice, audited)."""
    choice = check_collecting_choice(session, cutoff, today)
    if choice.unchanged:
        return choice
    for edition_id, chosen in session.execute(
        select(Edition.id, Edition.cutoff).where(Edition.collecting_chosen.is_(True))
    ):
        if chosen != cutoff:
            auditor.record_raw("editions", edition_id, "collecting_chosen", True, False)
    session.execute(
        update(Edition)
        .where(Edition.collecting_chosen.is_(True), Edition.cutoff != cutoff)
        .values(collecting_chosen=False)
    )
    edition = get_or_create_edition(session, cutoff)
    edition.collecting_chosen = True
    session.flush()
    auditor.record_raw("editions", edition.id, "collecting_chosen", False, True)
    return choice


# -- publishing --------------------------------------------------------------------------------


def check_publishable(session: Session, cutoff: date, today: date) -> Edition | None:
    """The edition at ``cutoff`` if it may be published (None: it has no row yet); a German
    :class:`EditionError` naming the reason otherwise. Writes nothing."""
    require_cutoff(cutoff)
    edition = find_edition(session, cutoff)
    day = format_day(cutoff)
    if edition is not None and edition.state is EditionState.PUBLISHED:
        if edition.from_archive_only:
            raise EditionError(texts.EDITION_PUBLISH_ARCHIVE_ONLY.format(day=day))
        raise EditionError(texts.EDITION_ALREADY_PUBLISHED.format(day=day))
    status = collecting_status(session, today)
    if cutoff == status.cutoff:
        return edition
    last = status.last_published
    if last is not None and cutoff < last:
        raise EditionError(
            texts.EDITION_BEFORE_LAST.format(
                day=day, last=format_day(last), collecting=format_day(status.cutoff)
            )
        )
    if edition is None:
        raise EditionError(
            texts.EDITION_UNKNOWN_COLLECTING.format(day=day, collecting=format_day(status.cutoff))
        )
    return edition


def publish_edition(
    session: Session,
    cutoff: date,
    auditor: Auditor,
    now: datetime,
    options: RenderOptions | None = None,
) -> Edition:
    """Freeze the edition: every printed project's number and status are recorded for good.

    Only the edition being collected on ``now``'s day, or another unpublished edition after the
    last published one, may be published (:func:`check_publishable`). The edition as frozen is
    rendered first in every format (with ``options``, the caller's publisher and fonts; else
    the settings' defaults); if one fails, :class:`EditionDoesNotRender` is raised and
    the caller's transaction must roll back. Later editions and the archive refer to these
    numbers; the edition's export becomes the baseline of the next edition's changes view.
    """
    check_publishable(session, cutoff, now.astimezone(BERLIN).date())
    edition = get_or_create_edition(session, cutoff)
    assembled = assemble_edition(session, cutoff)
    existing = {e.project_id: e for e in edition.entries}
    for block in assembled.projects():
        entry = existing.get(block.project_id)
        if entry is None:
            edition.entries.append(
                EditionEntry(project_id=block.project_id, number=block.number, status=block.status)
            )
        else:
            entry.number, entry.status = block.number, block.status
    edition.state = EditionState.PUBLISHED
    edition.from_archive_only = False
    edition.collecting_chosen = False
    edition.published_at = now
    session.flush()
    published = assemble_edition(session, cutoff)
    require_renders(published, options)
    edition.snapshot = edition_json(published, generated_at=now)
    edition.frozen = freeze(published)
    auditor.record_raw("editions", edition.id, "state", "collecting", "published")
    return edition


#: The formats a published edition must render in, and their names in messages.
FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "docx": "DOCX"}


def require_renders(edition: AssembledEdition, options: RenderOptions | None = None) -> None:
    """Render ``edition`` in every format into a temporary folder (then removed); raise
    :class:`EditionDoesNotRender` naming the format and the renderer's reason if one fails."""
    from core.config import RenderOptions
    from core.documents import render_documents

    options = options or RenderOptions()

    with tempfile.TemporaryDirectory(prefix="nhr-publish-") as folder:
        for fmt, name in FORMAT_NAMES.items():
            try:
                render_documents(edition, Path(folder), (fmt,), options=options)
            except Exception as err:  # any renderer failure stops publishing, named
                reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
                if len(reason) > 200:
                    reason = reason[:199] + "…"
                raise EditionDoesNotRender(
                    texts.EDITION_DOES_NOT_RENDER.format(
                        day=format_day(edition.cutoff), name=name, reason=reason
                    )
                ) from err


# -- the edition a render or export shows ------------------------------------------------------


def edition_to_show(session: Session, requested: date | None, *, draft: bool, today: date) -> date:
    """The edition ``nhr render``/``nhr export`` show: the requested one, else the newest
    published one, or with ``draft`` the edition being collected. An unpublished edition is
    shown only with ``draft``; a German :class:`EditionError` says why not otherwise."""
    if requested is None:
        if draft:
            return collecting_cutoff(session, today)
        last = last_published_cutoff(session)
        if last is None:
            raise EditionError(texts.EDITION_NONE_PUBLISHED)
        return last
    require_cutoff(requested)
    day = format_day(requested)
    edition = find_edition(session, requested)
    if edition is not None and edition.state is EditionState.PUBLISHED:
        if edition.from_archive_only:
            raise EditionError(texts.EDITION_RENDER_ARCHIVE_ONLY.format(day=day))
        return requested
    if edition is None and requested != collecting_cutoff(session, today):
        raise EditionError(texts.EDITION_UNKNOWN.format(day=day))
    if not draft:
        raise EditionError(texts.EDITION_UNPUBLISHED_NEEDS_DRAFT.format(day=day))
    return requested


# -- the list of editions ----------------------------------------------------------------------


class Standing(enum.StrEnum):
    """Where an edition stands."""

    PUBLISHED = "published"
    COLLECTING = "collecting"  # the edition being collected
    UNPUBLISHED = "unpublished"  # an unpublished edition that is not being collected
    ARCHIVE_ONLY = "archive_only"  # known only from another edition's archive table


@dataclass(frozen=True)
class EditionSummary:
    """One edition as ``nhr edition list`` shows it."""

    cutoff: date
    standing: Standing
    published_at: datetime | None
    projects: int | None  # printed (published: as frozen; else as of now); None: archive only
    submissions: int  # every submission made for it


def list_editions(session: Session, today: date) -> tuple[list[EditionSummary], CollectingEdition]:
    """Every edition, oldest first, with the edition being collected (listed even before its
    row exists)."""
    status = collecting_status(session, today)
    printed: dict[int, int] = {
        edition_id: count
        for edition_id, count in session.execute(
            select(EditionEntry.edition_id, func.count())
            .where(EditionEntry.number.is_not(None))
            .group_by(EditionEntry.edition_id)
        )
    }
    submitted: dict[int, int] = {
        edition_id: count
        for edition_id, count in session.execute(
            select(Submission.edition_id, func.count()).group_by(Submission.edition_id)
        )
    }
    rows: list[EditionSummary] = []
    seen = False
    for ed_id, cutoff, state, archive_only, published_at in session.execute(
        select(
            Edition.id,
            Edition.cutoff,
            Edition.state,
            Edition.from_archive_only,
            Edition.published_at,
        ).order_by(Edition.cutoff)
    ):
        if state is EditionState.PUBLISHED:
            standing = Standing.ARCHIVE_ONLY if archive_only else Standing.PUBLISHED
            projects: int | None = None if archive_only else printed.get(ed_id, 0)
        else:
            standing = Standing.COLLECTING if cutoff == status.cutoff else Standing.UNPUBLISHED
            projects = len(project_numbers(session, cutoff))
        seen = seen or cutoff == status.cutoff
        rows.append(
            EditionSummary(cutoff, standing, published_at, projects, submitted.get(ed_id, 0))
        )
    if not seen:
        rows.append(
            EditionSummary(
                status.cutoff,
                Standing.COLLECTING,
                None,
                len(project_numbers(session, status.cutoff)),
                0,
            )
        )
        rows.sort(key=lambda r: r.cutoff)
    return rows, status


__all__ = [
    "CollectingChoice",
    "CollectingEdition",
    "EditionDoesNotRender",
    "EditionError",
    "EditionSummary",
    "Source",
    "Standing",
    "check_collecting_choice",
    "check_publishable",
    "choose_collecting",
    "collecting_cutoff",
    "collecting_edition",
    "collecting_status",
    "edition_to_show",
    "find_edition",
    "get_or_create_edition",
    "last_published_cutoff",
    "list_editions",
    "publish_edition",
    "require_renders",
]
