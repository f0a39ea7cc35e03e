"""Submissions: the rows in which departments propose changes, and the look-ups of them.

The workflow's errors (a short German message each) live here because every step raises them:
the contact's side (:mod:`core.drafts`), the coordinator's side (:mod:`core.approval`) and the
rights check (:mod:`core.permissions`). Numbering, rights, recipients and progress each have
their own module; all functions take the caller's session (the caller owns the transaction).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from core.models import (
    AuditLog,
    Contact,
    Edition,
    Project,
    ProjectDepartment,
    Submission,
    SubmissionState,
)

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
