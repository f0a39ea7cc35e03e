"""Submissions: departments propose changes, the coordinator approves or returns them.

All functions take a session (the caller owns the transaction) and ``now`` (time is injected).
Rights are checked here, not in the bot: a contact only reaches their departments' projects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from core.assembly import number_key
from core.audit import Auditor
from core.changes import ChangeSet, NewConsultation, NewEntry
from core.dates import BERLIN
from core.editions import collecting_edition
from core.fuzzydate import FuzzyDate
from core.models import (
    AuditLog,
    Consultation,
    Contact,
    ContactDepartment,
    Department,
    Edition,
    EditionEntry,
    EntryKind,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    ProjectEntry,
    Role,
    Submission,
    SubmissionState,
)
from core.richtext import RichText
from core.status import REPORT_ORDER, Status

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


# -- editions and numbering --------------------------------------------------------------------


#: The statements of :func:`project_numbers`, built once (the bot asks for numbers on most
#: updates). The database counts each group (goal and status) with a window function, so a
#: caller that wants a few numbers gets a few rows.
_COMPLETED_BEFORE = (  # printed as umgesetzt in an earlier edition
    select(EditionEntry.id)
    .join(Edition)
    .where(
        EditionEntry.project_id == Project.id, Edition.cutoff < bindparam("cutoff"),
        EditionEntry.status == Status.UMGESETZT,
    )
    .exists()
)
_ARCHIVED = and_(  # completed before and not kept for this edition: in the archive by now
    Project.status == Status.UMGESETZT,
    _COMPLETED_BEFORE,
    or_(Project.keep_until.is_(None), Project.keep_until < bindparam("cutoff")),
)
_PRINTED = select(
    Project.id.label("project_id"), Project.goal_id, Project.status,
    func.row_number().over(
        partition_by=(Project.goal_id, Project.status), order_by=(Project.sort_order, Project.id)
    ).label("n"),
).where(Project.status != Status.ENTFALLEN, Project.goal_id.is_not(None), ~_ARCHIVED)


def _numbers(printed: Select[Any], *, of_departments: bool = False) -> Select[Any]:
    """(project id, field number, goal index, status, n) of the ranked ``printed`` rows; only
    the projects of the ``departments`` parameter with ``of_departments`` (filtered after the
    ranking: a number counts every peer)."""
    ranked = printed.subquery()
    query = (
        select(ranked.c.project_id, Field.number, Goal.index, ranked.c.status, ranked.c.n)
        .join(Goal, Goal.id == ranked.c.goal_id)
        .join(Field, Field.id == Goal.field_id)
    )
    if of_departments:
        query = query.where(ranked.c.project_id.in_(
            select(ProjectDepartment.project_id).where(
                ProjectDepartment.department_id.in_(bindparam("departments", expanding=True))
            )
        ))
    return query


_ALL_NUMBERS = _numbers(_PRINTED)
_PEER_NUMBERS = _numbers(
    _PRINTED.where(Project.goal_id == bindparam("goal_id"), Project.status == bindparam("status"))
)
_DEPARTMENT_NUMBERS = _numbers(_PRINTED, of_departments=True)


def project_numbers(
    session: Session, cutoff: date, *, peers_of: Project | None = None,
    departments: Collection[int] | None = None,
) -> dict[int, str]:
    """Printed number of every project the edition at ``cutoff`` will show (lean queries).

    Same rules as :func:`core.assembly.assemble_edition`, without loading project contents.
    ``peers_of`` limits the work to that project's group (its goal and status), which is all
    its own number depends on (see :func:`project_number`); ``departments`` gives only the
    numbers of those departments' projects.
    """
    if peers_of is not None:
        rows = session.execute(_PEER_NUMBERS, {
            "cutoff": cutoff, "goal_id": peers_of.goal_id, "status": peers_of.status,
        })
    elif departments is not None:
        rows = session.execute(
            _DEPARTMENT_NUMBERS, {"cutoff": cutoff, "departments": list(departments)}
        )
    else:
        rows = session.execute(_ALL_NUMBERS, {"cutoff": cutoff})
    return {
        pid: f"{field}.{index}.{status.group_index}.{n}"
        for pid, field, index, status, n in rows
    }


def project_number(session: Session, cutoff: date, project: Project) -> str | None:
    """The printed number of one project in the edition at ``cutoff`` (None: not shown)."""
    if project.goal_id is None or project.status is Status.ENTFALLEN:
        return None
    return project_numbers(session, cutoff, peers_of=project).get(project.id)


# -- who sees what -------------------------------------------------------------------------------


def is_coordinator(contact: Contact) -> bool:
    """Coordinators and admins review submissions and see every project."""
    return contact.active and contact.role in (Role.COORDINATOR, Role.ADMIN)


def may_edit(contact: Contact, project: Project) -> bool:
    """A contact changes only projects of their own departments."""
    if not contact.active:
        return False
    if is_coordinator(contact):
        return True
    own = {d.id for d in contact.departments}
    return any(link.department_id in own for link in project.department_links)


_PROJECTS_BY_ID = select(Project).where(Project.id.in_(bindparam("ids", expanding=True))).options(
    selectinload(Project.department_links).joinedload(ProjectDepartment.department)
)


def _contact_numbers(session: Session, contact: Contact, cutoff: date) -> dict[int, str]:
    """Printed number (by project id) of the projects ``contact`` is responsible for."""
    if not contact.active:
        return {}
    if is_coordinator(contact):
        return project_numbers(session, cutoff)
    return project_numbers(session, cutoff, departments=[d.id for d in contact.departments])


def contact_projects(session: Session, contact: Contact, cutoff: date) -> list[tuple[str, Project]]:
    """(number, project) of the edition at ``cutoff`` that ``contact`` is responsible for."""
    numbers = _contact_numbers(session, contact, cutoff)
    if not numbers:
        return []
    projects = session.scalars(_PROJECTS_BY_ID, {"ids": list(numbers)}).all()
    return sorted(((numbers[p.id], p) for p in projects), key=lambda t: number_key(t[0]))


@dataclass(frozen=True)
class ProjectLine:
    """One project as a list shows it: its printed number and titles."""

    number: str
    project_id: int
    title: str
    short_title: str


_LINES = select(Project.id, Project.title, Project.short_title).where(
    Project.id.in_(bindparam("ids", expanding=True))
)


def contact_project_lines(session: Session, contact: Contact, cutoff: date) -> list[ProjectLine]:
    """What :func:`contact_projects` finds, as list lines: no project objects to load (the
    contact's overview, on every walk through their projects)."""
    numbers = _contact_numbers(session, contact, cutoff)
    if not numbers:
        return []
    lines = [
        ProjectLine(numbers[pid], pid, title, short)
        for pid, title, short in session.execute(_LINES, {"ids": list(numbers)})
    ]
    return sorted(lines, key=lambda line: number_key(line.number))


#: The rights check needs the departments: loaded with the project, in one query. A prebuilt
#: statement, not ``session.get`` with options, which builds its query anew on every call
#: (a third of the load's cost; it runs on most bot updates).
_PROJECT_WITH_DEPARTMENTS = (
    select(Project)
    .where(Project.id == bindparam("project_id"))
    .options(joinedload(Project.department_links))
)


def get_project_for(session: Session, contact: Contact, project_id: int) -> Project:
    """The project if ``contact`` may change it; else :class:`NotAllowed` (no details leak)."""
    project = session.scalars(
        _PROJECT_WITH_DEPARTMENTS, {"project_id": project_id}
    ).unique().one_or_none()
    if project is None or not may_edit(contact, project):
        raise NotAllowed("Dieses Projekt ist für Sie nicht freigegeben.")
    return project


# -- the contact's side --------------------------------------------------------------------------


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
    return session.scalar(
        _LATEST_SUBMISSION, {"edition_id": edition.id, "project_id": project.id}
    )


def start_draft(
    session: Session, edition: Edition, project: Project, contact: Contact, now: datetime
) -> Submission:
    """The department's open submission for the project, or a new draft based on its version."""
    if not may_edit(contact, project):
        raise NotAllowed("Dieses Projekt ist für Sie nicht freigegeben.")
    sub = open_submission(session, edition, project)
    if sub is None:
        sub = Submission(
            edition_id=edition.id, project_id=project.id, contact_id=contact.id,
            state=SubmissionState.DRAFT, base_version=project.version, changes={},
            created_at=now, updated_at=now,
        )
        session.add(sub)
        session.flush()
    return sub


def save_changes(
    session: Session, sub: Submission, changes: ChangeSet, contact: Contact, now: datetime
) -> None:
    """Store the draft's change set; a submitted or returned one goes back to draft."""
    if sub.state is SubmissionState.APPROVED:
        raise AlreadyDecided("Diese Meldung ist bereits freigegeben.")
    if not may_edit(contact, sub.project):
        raise NotAllowed("Dieses Projekt ist für Sie nicht freigegeben.")
    sub.changes = changes.to_json()
    sub.contact_id = contact.id
    sub.state = SubmissionState.DRAFT
    sub.updated_at = now


def submit(session: Session, sub: Submission, contact: Contact, now: datetime) -> None:
    """Hand the draft to the coordinators."""
    changes = ChangeSet.from_json(sub.changes)
    if changes.is_empty and not changes.no_changes:
        raise SubmissionError("Es gibt noch nichts einzureichen.")
    if changes.new_status is Status.ENTFALLEN and not (changes.drop_reason or "").strip():
        raise SubmissionError("Bitte nennen Sie einen Grund, warum das Projekt entfällt.")
    save_changes(session, sub, changes, contact, now)
    sub.state = SubmissionState.SUBMITTED
    sub.submitted_at = now


# -- the coordinator's side ----------------------------------------------------------------------


@dataclass
class ApplyResult:
    """What an approval changed."""

    submission_id: int
    project_id: int
    audit_entries: int


def _claim(
    session: Session, sub_id: int, new_state: SubmissionState, coordinator: Contact,
    now: datetime, reason: str | None = None,
) -> None:
    """Atomically move a submitted submission on; exactly one concurrent caller wins."""
    values: dict[str, object] = {
        "state": new_state, "decided_at": now, "decided_by_id": coordinator.id, "updated_at": now,
    }
    if reason is not None:
        values["return_reason"] = reason
    _update_submitted(session, sub_id, values)


def _update_submitted(session: Session, sub_id: int, values: dict[str, object]) -> None:
    """Set ``values`` on the submission only while it is still submitted, in one conditional
    UPDATE: of concurrent callers exactly one succeeds, the others get :class:`AlreadyDecided`.
    """
    try:
        result = session.execute(
            update(Submission)
            .where(Submission.id == sub_id, Submission.state == SubmissionState.SUBMITTED)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    except OperationalError as err:
        # Another coordinator's transaction holds the lock (SQLite: "database is locked" once
        # the busy timeout ran out). Nothing was changed; the caller rolls back.
        if not _is_contention(err):
            raise
        raise AlreadyDecided(
            "Diese Meldung wird gerade von jemand anderem bearbeitet. "
            "Bitte versuchen Sie es gleich noch einmal."
        ) from err
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyDecided("Diese Meldung wurde bereits bearbeitet.")


# PostgreSQL: serialization failure, deadlock detected, lock not available.
_CONTENTION_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def _is_contention(err: OperationalError) -> bool:
    """Whether the database refused because a concurrent transaction holds a lock."""
    if getattr(err.orig, "sqlstate", None) in _CONTENTION_SQLSTATES:
        return True
    message = str(err.orig).lower()
    return "database is locked" in message or "database is busy" in message


def approve(
    session: Session, sub_id: int, coordinator: Contact, now: datetime, *, force: bool = False
) -> ApplyResult:
    """Apply a submitted change set to its project, audited, in the caller's transaction.

    Raises :class:`Conflict` if the project changed since the draft began (unless ``force``)
    and :class:`AlreadyDecided` if another coordinator was first.
    """
    if not is_coordinator(coordinator):
        raise NotAllowed("Nur die Koordination kann Meldungen freigeben.")
    sub = session.get(Submission, sub_id)
    if sub is None:
        raise AlreadyDecided("Diese Meldung gibt es nicht mehr.")
    if sub.state is not SubmissionState.SUBMITTED:
        raise AlreadyDecided("Diese Meldung wurde bereits bearbeitet.")
    project = sub.project
    changes = ChangeSet.from_json(sub.changes)
    # "Keine Änderungen" applies nothing, so it cannot overwrite anything: no conflict.
    if project.version != sub.base_version and not force and not changes.is_empty:
        # Read the state afresh (after the project): if another coordinator has just approved
        # this very submission, that explains the new version; say so instead of "conflict".
        state = session.scalar(select(Submission.state).where(Submission.id == sub_id))
        if state is not SubmissionState.SUBMITTED:
            raise AlreadyDecided("Diese Meldung wurde bereits bearbeitet.")
        raise Conflict(
            "Das Projekt wurde geändert, nachdem diese Meldung begonnen wurde.",
            sub.id, project.version,
        )
    seen_version = project.version
    _claim(session, sub.id, SubmissionState.APPROVED, coordinator, now)
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw("submissions", sub.id, "state", SubmissionState.SUBMITTED.value,
                       SubmissionState.APPROVED.value, action="approve")
    try:
        apply_changeset(session, project, changes, auditor, now.astimezone(BERLIN).date())
        session.flush()
    except StaleDataError as err:
        # The project row changed after it was read here (its version moved on): someone else
        # committed a change in between. The caller rolls back; nothing is applied.
        raise Conflict(
            "Das Projekt wurde soeben von jemand anderem geändert. "
            "Bitte prüfen Sie die Meldung noch einmal.",
            sub_id, seen_version,
        ) from err
    session.refresh(sub)
    return ApplyResult(sub.id, project.id, auditor.changes)


@dataclass(frozen=True)
class BatchApproval:
    """What :func:`approve_unchanged` did: approved submissions, and how many it left."""

    approved: list[Submission]
    left: int


def approve_unchanged(
    session: Session, edition: Edition, coordinator: Contact, now: datetime
) -> BatchApproval:
    """Approve every waiting "Keine Änderungen" report of ``edition`` in the caller's
    transaction, each exactly as :func:`approve` would (audited, once). Reports another
    coordinator decides at the same moment are left out; if the database is busy, the batch
    stops there and the rest stays waiting (``left``)."""
    if not is_coordinator(coordinator):
        raise NotAllowed("Nur die Koordination kann Meldungen freigeben.")
    unchanged = [
        sub for sub in waiting_submissions(session, edition=edition)
        if ChangeSet.from_json(sub.changes).is_empty
    ]
    approved: list[Submission] = []
    for n, sub in enumerate(unchanged):
        try:
            approve(session, sub.id, coordinator, now)
        except AlreadyDecided as err:
            if isinstance(err.__cause__, OperationalError):  # busy: stop, keep what is done
                return BatchApproval(approved, len(unchanged) - n)
            continue  # decided by someone else just now (nothing was written)
        approved.append(sub)
    return BatchApproval(approved, 0)


def return_submission(
    session: Session, sub_id: int, coordinator: Contact, reason: str, now: datetime
) -> Submission:
    """Send a submission back to its department with a reason."""
    if not is_coordinator(coordinator):
        raise NotAllowed("Nur die Koordination kann Meldungen zurückgeben.")
    reason = reason.strip()
    if not reason:
        raise SubmissionError("Bitte nennen Sie einen Grund für die Rückgabe.")
    previous_reason = session.scalar(
        select(Submission.return_reason).where(Submission.id == sub_id)
    )
    _claim(session, sub_id, SubmissionState.RETURNED, coordinator, now, reason)
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw("submissions", sub_id, "state", SubmissionState.SUBMITTED.value,
                       SubmissionState.RETURNED.value, action="return")
    auditor.record_raw("submissions", sub_id, "return_reason", previous_reason, reason,
                       action="return")
    sub = session.get(Submission, sub_id)
    assert sub is not None
    session.refresh(sub)
    return sub


def revise_submission(
    session: Session, sub_id: int, coordinator: Contact, changes: ChangeSet, now: datetime
) -> Submission:
    """The coordinator adjusts a submitted change set before deciding; it stays submitted.

    Atomic like :func:`approve`: if another coordinator decided first, :class:`AlreadyDecided`.
    """
    if not is_coordinator(coordinator):
        raise NotAllowed("Nur die Koordination kann Meldungen bearbeiten.")
    if changes.is_empty and not changes.no_changes:
        raise SubmissionError(
            "Ohne diesen Eintrag wäre die Meldung leer. Bitte geben Sie sie stattdessen zurück."
        )
    if changes.new_status is Status.ENTFALLEN and not (changes.drop_reason or "").strip():
        raise SubmissionError("Bitte nennen Sie einen Grund, warum das Projekt entfällt.")
    before = session.scalar(select(Submission.changes).where(Submission.id == sub_id))
    after = changes.to_json()
    _update_submitted(session, sub_id, {"changes": after, "updated_at": now})
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw("submissions", sub_id, "changes", before, after, action="revise")
    sub = session.get(Submission, sub_id)
    assert sub is not None
    session.refresh(sub)
    return sub


def was_revised(session: Session, sub_id: int) -> bool:
    """Whether a coordinator adjusted the submission's change set (:func:`revise_submission`)."""
    return session.scalar(
        select(AuditLog.id).where(
            AuditLog.entity == "submissions", AuditLog.entity_id == sub_id,
            AuditLog.action == "revise",
        ).limit(1)
    ) is not None


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


_WAITING = (
    select(Submission)
    .where(Submission.state == SubmissionState.SUBMITTED)
    .options(
        joinedload(Submission.project).selectinload(Project.department_links)
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


def department_contacts(session: Session, code: str) -> list[Contact]:
    """The active contacts of a department who can be reached in the bot (bound), by name."""
    return list(
        session.scalars(
            select(Contact)
            .join(ContactDepartment, ContactDepartment.contact_id == Contact.id)
            .join(Department, Department.id == ContactDepartment.department_id)
            .where(
                Department.code == code, Contact.active.is_(True),
                Contact.telegram_user_id.is_not(None),
            )
            .order_by(Contact.name, Contact.id)
        )
    )


_REVIEWERS = (
    Contact.active.is_(True), Contact.telegram_user_id.is_not(None),
    Contact.role.in_([Role.COORDINATOR, Role.ADMIN]),
)
_COORDINATORS = select(Contact).where(*_REVIEWERS).order_by(Contact.id)
_COORDINATOR_CHATS = (
    select(Contact.id, Contact.telegram_user_id).where(*_REVIEWERS).order_by(Contact.id)
)


def coordinators(session: Session) -> list[Contact]:
    """Active coordinators and admins bound to Telegram (who review submissions), by id."""
    return list(session.scalars(_COORDINATORS))


def coordinator_chats(session: Session) -> list[tuple[int, int]]:
    """(contact id, Telegram chat) of every coordinator, as :func:`coordinators` (no objects)."""
    return [(cid, chat) for cid, chat in session.execute(_COORDINATOR_CHATS) if chat is not None]


def apply_changeset(
    session: Session, project: Project, cs: ChangeSet, auditor: Auditor, today: date
) -> None:
    """Apply ``cs`` to ``project``; every actual change is audited. An empty change set
    ("Keine Änderungen") leaves the project, and so its version, untouched."""
    if cs.is_empty:
        return
    new_status = cs.new_status
    if new_status is not None and new_status is not project.status:
        auditor.assign(project, "status", new_status)
        auditor.assign(project, "status_since", cs.status_since_day or today)
        if new_status is Status.ENTFALLEN:
            auditor.assign(project, "drop_reason", (cs.drop_reason or "").strip())
        else:
            auditor.assign(project, "sort_order", _next_sort_order(session, project, new_status))
    for completed in cs.completed_planned:
        _complete_planned(project, completed.planned_text, completed.planned_date,
                          completed.date, auditor)
    _add_entries(project, EntryKind.DONE, cs.milestones_done, auditor)
    _add_entries(project, EntryKind.PLANNING, cs.planning_steps, auditor)
    _add_entries(project, EntryKind.PLANNED, cs.milestones_planned, auditor)
    _add_consultations(project, cs.consultations, auditor)
    if cs.remark is not None:
        auditor.assign(project, "remark", RichText.from_plain(cs.remark.strip()))
    if cs.description is not None:
        auditor.assign(project, "description", RichText.from_plain(cs.description.strip()))
    # Bump the version even when only child rows changed, so older drafts see a conflict;
    # flagged, because an unchanged value (same clock reading) would not write the row.
    project.updated_at = auditor.now
    flag_modified(project, "updated_at")
    session.flush()


def _next_sort_order(session: Session, project: Project, status: Status) -> int:
    current = session.scalars(
        select(Project.sort_order).where(
            Project.goal_id == project.goal_id, Project.status == status, Project.id != project.id
        )
    ).all()
    return max(current, default=0) + 1


def _entry_key(date_value: FuzzyDate | None) -> tuple[int, tuple[object, ...]]:
    return (1, ()) if date_value is None else (0, date_value.sort_key())


def _renumber(items: list[ProjectEntry] | list[Consultation]) -> None:
    ordered: list[ProjectEntry | Consultation] = sorted(
        items, key=lambda e: (_entry_key(e.date), e.position)
    )
    for pos, item in enumerate(ordered):
        item.position = pos


def _add_entries(
    project: Project, kind: EntryKind, new: list[NewEntry], auditor: Auditor
) -> None:
    if not new:
        return
    before = [[e.date.storage() if e.date else None, e.text] for e in project.entries_of(kind)]
    start = len(before)
    for i, item in enumerate(new):
        project.entries.append(
            ProjectEntry(kind=kind, position=start + i, date=item.fuzzy, text=item.text.strip())
        )
    _renumber(project.entries_of(kind))
    after = [[e.date.storage() if e.date else None, e.text]
             for e in sorted(project.entries_of(kind), key=lambda e: e.position)]
    auditor.record(project, f"entries:{kind.value}", before, after)


def _complete_planned(
    project: Project, text: str, planned_date: str | None, done_date: str, auditor: Auditor
) -> None:
    for entry in project.entries_of(EntryKind.PLANNED):
        stored = entry.date.storage() if entry.date else None
        if entry.text == text and stored == planned_date:
            auditor.record(project, "entries:planned->done", [stored, text], [done_date, text])
            entry.kind = EntryKind.DONE
            entry.date = FuzzyDate.from_storage(done_date)
            entry.position = 10_000
            _renumber(project.entries_of(EntryKind.DONE))
            _renumber(project.entries_of(EntryKind.PLANNED))
            return
    raise SubmissionError(f"Der geplante Meilenstein „{text}“ ist nicht mehr vorhanden.")


def _add_consultations(project: Project, new: list[NewConsultation], auditor: Auditor) -> None:
    if not new:
        return
    before = [_consultation_json(c) for c in project.consultations]
    start = len(project.consultations)
    for i, c in enumerate(new):
        project.consultations.append(
            Consultation(position=start + i, date=c.fuzzy, gremium=c.gremium.strip(),
                         vorlagenart=c.vorlagenart, nummer=c.nummer, note=c.note)
        )
    _renumber(project.consultations)
    after = [_consultation_json(c) for c in sorted(project.consultations, key=lambda c: c.position)]
    auditor.record(project, "consultations", before, after)


def _consultation_json(c: Consultation) -> list[str | None]:
    return [c.date.storage() if c.date else None, c.gremium, c.vorlagenart, c.nummer, c.note]


# -- progress ------------------------------------------------------------------------------------


@dataclass
class DepartmentProgress:
    """Where a department stands for an edition (for /stand and reminders)."""

    code: str
    projects: int = 0
    open: int = 0  # nothing entered yet
    draft: int = 0  # in Arbeit
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    project_ids_open: list[int] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Projects submitted or approved."""
        return self.submitted + self.approved

    @property
    def outstanding(self) -> int:
        """Projects still waiting for the department (open, in draft or returned)."""
        return self.open + self.draft + self.returned


def project_states(
    session: Session, edition: Edition, project_ids: Collection[int] | None = None
) -> dict[int, SubmissionState | None]:
    """The newest submission state per project for ``edition`` (None: nothing yet), for all
    projects or only ``project_ids``."""
    states: dict[int, SubmissionState | None] = {}
    if project_ids is None:
        rows = session.execute(_STATES, {"edition_id": edition.id})
    else:
        rows = session.execute(
            _STATES_OF, {"edition_id": edition.id, "ids": list(project_ids)}
        )
    for pid, state in rows:
        states[pid] = state
    return states


_STATES = (
    select(Submission.project_id, Submission.state)
    .where(Submission.edition_id == bindparam("edition_id"))
    .order_by(Submission.id)
)
_STATES_OF = _STATES.where(Submission.project_id.in_(bindparam("ids", expanding=True)))


def edition_progress(session: Session, edition: Edition) -> list[DepartmentProgress]:
    """Per department: how many of its projects are open, in work, submitted, approved, returned.

    A project with several departments counts for each of them.
    """
    numbers = project_numbers(session, edition.cutoff)
    states = project_states(session, edition)
    links = session.execute(
        select(ProjectDepartment.project_id, ProjectDepartment.department_id)
        .where(ProjectDepartment.project_id.in_(numbers))
    ).all()
    codes = {d.id: d.code for d in session.scalars(select(Department))}
    result: dict[str, DepartmentProgress] = {}
    for pid, dep_id in links:
        code = codes[dep_id]
        prog = result.setdefault(code, DepartmentProgress(code))
        prog.projects += 1
        state = states.get(pid)
        if state is None:
            prog.open += 1
            prog.project_ids_open.append(pid)
        elif state is SubmissionState.DRAFT:
            prog.draft += 1
            prog.project_ids_open.append(pid)
        elif state is SubmissionState.SUBMITTED:
            prog.submitted += 1
        elif state is SubmissionState.APPROVED:
            prog.approved += 1
        else:
            prog.returned += 1
            prog.project_ids_open.append(pid)
    return sorted(result.values(), key=lambda p: p.code)


__all__ = [
    "REPORT_ORDER",
    "AlreadyDecided",
    "ApplyResult",
    "BatchApproval",
    "Conflict",
    "DepartmentProgress",
    "NotAllowed",
    "ProjectLine",
    "SubmissionError",
    "apply_changeset",
    "approve",
    "approve_unchanged",
    "changes_since_draft",
    "collecting_edition",
    "contact_project_lines",
    "contact_projects",
    "coordinator_chats",
    "coordinators",
    "department_contacts",
    "edition_progress",
    "get_project_for",
    "is_coordinator",
    "latest_submission",
    "may_edit",
    "open_submission",
    "project_number",
    "project_numbers",
    "project_states",
    "return_submission",
    "revise_submission",
    "save_changes",
    "start_draft",
    "submit",
    "waiting_submissions",
    "was_revised",
]
