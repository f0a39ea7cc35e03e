"""The contact's side of a submission: start a draft, save its changes, hand it in.

Each function takes the caller's session (the caller owns the transaction) and ``now``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.changes import ChangeSet
from core.models import (
    Contact,
    Edition,
    Project,
    Submission,
    SubmissionState,
)
from core.permissions import may_edit
from core.status import Status
from core.submissions import AlreadyDecided, NotAllowed, SubmissionError, open_submission


def start_draft(
    session: Session, edition: Edition, project: Project, contact: Contact, now: datetime
) -> Submission:
    """The department's open submission for the project, or a new draft based on its version."""
    if not may_edit(contact, project):
        raise NotAllowed("Dieses Projekt ist für Sie nicht freigegeben.")
    sub = open_submission(session, edition, project)
    if sub is None:
        sub = Submission(
            edition_id=edition.id,
            project_id=project.id,
            contact_id=contact.id,
            state=SubmissionState.DRAFT,
            base_version=project.version,
            changes={},
            created_at=now,
            updated_at=now,
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
