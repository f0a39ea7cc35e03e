"""Submissions: the rows in which departments propose changes, and the look-ups of them.

The workflow's errors (a short German message each) live here because every step raises them:
the contact's side (:mod:`core.drafts`), the coordinator's side (:mod:`core.approval`) and the
rights check (:mod:`core.permissions`). Numbering, rights, recipients and progress each have
their own module; all functions take the caller's session (the caller owns the transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from core import texts
from core.changes import ChangeSet
from core.dates import format_local
from core.models import (
    AuditLog,
    Contact,
    ContributionKind,
    Edition,
    Project,
    ProjectDepartment,
    Submission,
    SubmissionState,
)
from core.numbering import NUMBERS, printed_number

OPEN_STATES = (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED)


class SubmissionError(Exception):
    """A rule was broken; ``str(err)`` is a short German message for the user."""


class NotAllowed(SubmissionError):
    """The contact may not see or change this."""


class AlreadyDecided(SubmissionError):
    """Someone else approved or returned the submission first."""


class Conflict(SubmissionError):
    """The project changed after the draft began."""

    def __init__(self, message: str, submission_id: int, project_version: int) -> None:
        super().__init__(message)
        self.submission_id = submission_id
        self.project_version = project_version


def open_submission(session: Session, edition: Edition, project: Project) -> Submission | None:
    """The project's submission for ``edition`` that is not yet approved, if any."""
    return session.scalar(
        select(Submission)
        .where(
            Submission.edition_id == edition.id,
            Submission.project_id == project.id,
            Submission.state.in_(OPEN_STATES),
        )
        .order_by(Submission.id.desc())
        .limit(1)
    )


_LATEST_SUBMISSION = (
    select(Submission)
    .where(
        Submission.edition_id == bindparam("edition_id"),
        Submission.project_id == bindparam("project_id"),
    )
    .order_by(Submission.id.desc())
    .limit(1)
)


def latest_submission(session: Session, edition: Edition, project: Project) -> Submission | None:
    """The project's newest submission for ``edition`` in any state (approved included)."""
    return session.scalar(_LATEST_SUBMISSION, {"edition_id": edition.id, "project_id": project.id})


_WAITING = (
    select(Submission)
    .where(Submission.state == SubmissionState.SUBMITTED)
    .options(
        joinedload(Submission.project)
        .selectinload(Project.department_links)
        .joinedload(ProjectDepartment.department),
        joinedload(Submission.contact),
        joinedload(Submission.edition),
    )
    .order_by(Submission.submitted_at, Submission.id)
)
_WAITING_OF_EDITION = _WAITING.where(Submission.edition_id == bindparam("edition_id"))
_WAITING_OF_CONTACT = _WAITING.where(Submission.contact_id == bindparam("contact_id"))
_WAITING_OF_BOTH = _WAITING_OF_EDITION.where(Submission.contact_id == bindparam("contact_id"))


def waiting_submissions(
    session: Session, *, edition: Edition | None = None, contact: Contact | None = None
) -> list[Submission]:
    """Submissions waiting for a coordinator's decision, oldest first (of one edition, or
    sent in by one contact), with project (and its departments), contact and edition."""
    values: dict[str, object]
    if edition is not None and contact is not None:
        query, values = _WAITING_OF_BOTH, {"edition_id": edition.id, "contact_id": contact.id}
    elif edition is not None:
        query, values = _WAITING_OF_EDITION, {"edition_id": edition.id}
    elif contact is not None:
        query, values = _WAITING_OF_CONTACT, {"contact_id": contact.id}
    else:
        query, values = _WAITING, {}
    return list(session.scalars(query, values).unique())


def was_revised(session: Session, sub_id: int) -> bool:
    """Whether a coordinator adjusted the submission's change set
    (:func:`core.approval.revise_submission`)."""
    return (
        session.scalar(
            select(AuditLog.id)
            .where(
                AuditLog.entity == "submissions",
                AuditLog.entity_id == sub_id,
                AuditLog.action == "revise",
            )
            .limit(1)
        )
        is not None
    )


def changes_since_draft(session: Session, sub_id: int) -> list[AuditLog]:
    """What changed in the submission's project since its draft began, oldest first: the
    audit entries of the project from the draft's start on (what a :class:`Conflict` is about).
    """
    sub = session.get(Submission, sub_id)
    if sub is None:
        return []
    return list(
        session.scalars(
            select(AuditLog)
            .where(
                AuditLog.entity == Project.__tablename__,
                AuditLog.entity_id == sub.project_id,
                AuditLog.at >= sub.created_at,
            )
            .order_by(AuditLog.id)
        )
    )


def submission_by_id(session: Session, submission_id: int | None) -> Submission | None:
    """The submission with that id; None if there is none (or no id was given) — for the
    coordinator's buttons, which carry the id."""
    return session.get(Submission, submission_id) if submission_id is not None else None


@dataclass(frozen=True)
class ListedHandIn:
    """A hand-in as a coordinator's round lists it (:func:`listed_hand_ins`): no objects."""

    id: int
    state: SubmissionState
    changes: dict[str, Any]
    handed_in: datetime  # submitted_at, else updated_at
    decided: datetime  # decided_at, else updated_at
    decided_by: str | None  # the deciding coordinator's name
    return_reason: str | None
    contact_id: int | None
    project_id: int
    title: str  # the project's
    number: str | None  # the project's printed number (None: the edition does not print it)


_Decider = aliased(Contact)
#: A round's hand-ins by id (parameters ``ids``, ``cutoff``), as its list shows them, with
#: their projects' numbers: columns only, one query (built once).
_LISTED = (
    select(
        Submission.id,
        Submission.state,
        Submission.changes,
        func.coalesce(Submission.submitted_at, Submission.updated_at),
        func.coalesce(Submission.decided_at, Submission.updated_at),
        _Decider.name,
        Submission.return_reason,
        Submission.contact_id,
        Project.id,
        Project.title,
        NUMBERS.c.number,
        NUMBERS.c.index,
        NUMBERS.c.status,
        NUMBERS.c.n,
    )
    .join(Project, Project.id == Submission.project_id)
    .outerjoin(_Decider, _Decider.id == Submission.decided_by_id)
    .outerjoin(NUMBERS, NUMBERS.c.project_id == Submission.project_id)
    .where(Submission.id.in_(bindparam("ids", expanding=True)))
)


def listed_hand_ins(
    session: Session, cutoff: date, submission_ids: Sequence[int]
) -> list[ListedHandIn]:
    """The submissions with those ids, in that order (missing ones left out), as a round's
    list shows them, with their projects' numbers in the edition at ``cutoff``: in one query,
    without loading projects or contacts."""
    if not submission_ids:
        return []
    found: dict[int, ListedHandIn] = {}
    for row in session.execute(_LISTED, {"ids": list(submission_ids), "cutoff": cutoff}):
        sid, state, changes, handed_in, decided, decider, reason, contact_id = row[:8]
        project_id, title, field, index, status, n = row[8:]
        number = printed_number(field, index, status, n) if field is not None else None
        found[sid] = ListedHandIn(
            sid, state, changes, handed_in, decided, decider, reason, contact_id,
            project_id, title, number,
        )  # fmt: skip
    return [found[i] for i in submission_ids if i in found]


# -- who took part (issue 18: shared projects and colleagues) ------------------------------------


@dataclass(frozen=True)
class Contributor:
    """A person who took part in a submission: their entries and hand-ins, and when last."""

    contact_id: int | None
    name: str
    entries: int  # entries and fields of the change set they made
    handed_in: bool  # handed in or confirmed for a department
    last_at: datetime | None


def contributors(sub: Submission) -> list[Contributor]:
    """Everyone who made an entry of the submission's change set or handed it in (or
    confirmed it), first contribution first; a person without id (erased) is counted by name.
    """
    found: dict[tuple[int | None, str], Contributor] = {}

    def note(contact_id: int | None, name: str, at: datetime | None, *, entry: bool) -> None:
        key = (contact_id, "" if contact_id is not None else name)
        old = found.get(key, Contributor(contact_id, name, 0, False, None))
        last = old.last_at if at is None or (old.last_at is not None and old.last_at > at) else at
        found[key] = Contributor(
            contact_id,
            name or old.name,
            old.entries + (1 if entry else 0),
            old.handed_in or not entry,
            last,
        )

    events: list[tuple[datetime | None, int | None, str, bool]] = [
        (a.moment, a.by, a.by_name, True) for a in ChangeSet.from_json(sub.changes).all_authors()
    ]
    events += [(c.at, c.contact_id, c.contact_name, False) for c in sub.contributions]
    events.sort(key=lambda e: e[0] or datetime.min.replace(tzinfo=UTC))
    for at, contact_id, name, entry in events:
        note(contact_id, name, at, entry=entry)
    return [
        c if c.name else Contributor(c.contact_id, texts.SOMEONE, c.entries, c.handed_in, c.last_at)
        for c in found.values()
    ]


@dataclass(frozen=True)
class ForeignReport:
    """Another department's hand-in of a shared project: who, for which department, when,
    and what (a :class:`core.models.ContributionKind`)."""

    department: str  # its code
    name: str
    at: datetime
    kind: ContributionKind

    @property
    def text(self) -> str:
        """``Gemeldet von 70.01 (Erika Muster) am 16.06.2025, 10:00: Keine Änderungen``."""
        return texts.REPORTED_BY.format(
            department=self.department,
            name=self.name or texts.SOMEONE,
            at=format_local(self.at),
            what=texts.CONTRIBUTION_WHAT[self.kind.value],
        )


def reports_by_others(
    session: Session, edition: Edition, project: Project, contact: Contact
) -> tuple[Submission, list[ForeignReport]] | None:
    """The project's handed-in report (submitted or approved) that other departments made and
    ``contact``'s departments have not yet handed in or confirmed, with those departments'
    contributions; None when there is none (or theirs is in it already).

    The bot shows it with [Passt so] (:func:`core.drafts.confirm_report`) and [Ergänzen]
    (:func:`core.drafts.extend_report`) instead of skipping the project.
    """
    from core.permissions import reporting_departments

    sub = latest_submission(session, edition, project)
    if sub is None or sub.state not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED):
        return None
    mine = set(reporting_departments(contact, project))
    reported = {c.department_id for c in sub.contributions}
    if not mine or mine <= reported:
        return None
    others = [
        ForeignReport(c.department.code, c.contact_name, c.at, c.kind)
        for c in sub.contributions
        if c.department_id not in mine
    ]
    return (sub, others) if others else None


def last_edit_by_other(sub: Submission, viewer: Contact) -> str | None:
    """``Zuletzt bearbeitet von Erika Muster am 16.06.2025, 10:00`` when someone other than
    ``viewer`` changed the draft last (a colleague's card says so); else None."""
    if sub.last_editor_id is None or sub.last_editor_id == viewer.id:
        return None
    editor = sub.last_editor
    name = editor.name if editor is not None else texts.SOMEONE
    return texts.LAST_EDITED_BY.format(name=name, at=format_local(sub.updated_at))
