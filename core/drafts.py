"""The contact's side of a submission: start a draft, save its changes, hand it in.

A shared project has one submission per edition for all its departments; each hand-in records
a contribution for the departments the contact reports for, so progress stays per department,
and a department may confirm ("Passt so") or extend ("Ergänzen") another department's report.
Colleagues share the draft: every entry records its author, the submission its last editor.

Each function takes the caller's session (the caller owns the transaction) and ``now``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from core import texts
from core.changes import ChangeSet
from core.models import (
    Contact,
    ContributionKind,
    Edition,
    Project,
    Submission,
    SubmissionContribution,
    SubmissionState,
)
from core.permissions import may_edit, reporting_departments
from core.status import Status
from core.submissions import AlreadyDecided, NotAllowed, SubmissionError, open_submission


def start_draft(
    session: Session,
    edition: Edition,
    project: Project,
    contact: Contact,
    now: datetime,
    *,
    none_yet: bool = False,
) -> Submission:
    """The project's open submission, or a new draft based on its version (``none_yet``: the
    caller found no submission of the project for ``edition`` in this transaction, so there
    is none to look up)."""
    if not may_edit(contact, project):
        raise NotAllowed(texts.NOT_RELEASED)
    sub = None if none_yet else open_submission(session, edition, project)
    if sub is None:
        sub = Submission(
            edition_id=edition.id,
            project_id=project.id,
            contact_id=contact.id,
            last_editor_id=contact.id,
            state=SubmissionState.DRAFT,
            base_version=project.version,
            changes={},
            created_at=now,
            updated_at=now,
            contributions=[],  # none yet: its first save need not look them up
        )
        session.add(sub)
        session.flush()
    return sub


def save_changes(
    session: Session, sub: Submission, changes: ChangeSet, contact: Contact, now: datetime
) -> None:
    """Store the draft's change set; a submitted or returned one goes back to draft (for
    ``contact``'s departments: others' hand-ins stay).

    What is new compared with the stored change set is recorded as ``contact``'s (entries
    carry their author), and ``contact`` becomes the draft's last editor.
    """
    if sub.state is SubmissionState.APPROVED:
        raise AlreadyDecided(texts.ALREADY_APPROVED)
    if not may_edit(contact, sub.project):
        raise NotAllowed(texts.NOT_RELEASED)
    changes.stamp(ChangeSet.from_json(sub.changes), contact.id, contact.name, now)
    _withdraw(sub, contact)
    sub.changes = changes.to_json()
    sub.contact_id = contact.id
    sub.last_editor_id = contact.id
    sub.state = SubmissionState.DRAFT
    _touch(sub, now)


def submit(session: Session, sub: Submission, contact: Contact, now: datetime) -> None:
    """Hand the draft to the coordinators, as the report of ``contact``'s departments."""
    changes = ChangeSet.from_json(sub.changes)
    if changes.is_empty and not changes.no_changes:
        raise SubmissionError(texts.NOTHING_TO_SUBMIT)
    if changes.new_status is Status.ENTFALLEN and not (changes.drop_reason or "").strip():
        raise SubmissionError(texts.DROP_REASON_NEEDED)
    save_changes(session, sub, changes, contact, now)
    sub.state = SubmissionState.SUBMITTED
    sub.submitted_at = now
    kind = ContributionKind.NO_CHANGES if changes.is_empty else ContributionKind.CHANGES
    _contribute(sub, contact, kind, now)
    session.flush()


def confirm_report(session: Session, sub: Submission, contact: Contact, now: datetime) -> None:
    """``contact``'s departments confirm another department's handed-in report of a shared
    project unchanged ("Passt so"); the project then counts as handed in for them too."""
    if not may_edit(contact, sub.project):
        raise NotAllowed(texts.NOT_RELEASED)
    if sub.state not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED):
        raise SubmissionError(texts.NOTHING_TO_CONFIRM)
    reported = {c.department_id for c in sub.contributions}
    _contribute(sub, contact, ContributionKind.CONFIRMED, now, skip=reported)
    session.flush()


def extend_report(session: Session, sub: Submission, contact: Contact, now: datetime) -> None:
    """The handed-in, undecided report goes back to editing so that ``contact`` can add to it
    ("Ergänzen"); earlier contributions and entries stay, it is handed in again with
    :func:`submit`. An approved report is closed (a new draft starts with
    :func:`start_draft`)."""
    if not may_edit(contact, sub.project):
        raise NotAllowed(texts.NOT_RELEASED)
    if sub.state is SubmissionState.APPROVED:
        raise AlreadyDecided(texts.ALREADY_APPROVED)
    if sub.state is not SubmissionState.SUBMITTED:
        raise SubmissionError(texts.NOTHING_TO_CONFIRM)
    _withdraw(sub, contact)
    sub.state = SubmissionState.DRAFT
    sub.last_editor_id = contact.id
    _touch(sub, now)
    session.flush()


def _touch(sub: Submission, now: datetime) -> None:
    """``updated_at`` is ``now`` (the caller's clock), also when it equals the stored value:
    an unchanged value would leave the column to its ``onupdate`` (the wall clock), and
    "Zuletzt bearbeitet … am …" would show the wall clock's time."""
    sub.updated_at = now
    flag_modified(sub, "updated_at")


def _withdraw(sub: Submission, contact: Contact) -> None:
    """The report is being edited for ``contact``'s departments: their hand-in (if any) is
    withdrawn, they hand in again; other departments' stay, so the report still counts as
    handed in for them while ``contact`` adds to it."""
    never_handed_in = sub.state is SubmissionState.DRAFT and sub.submitted_at is None
    if never_handed_in and "contributions" in inspect(sub).unloaded:
        # Nobody's hand-in to withdraw (hand-ins and confirmations set ``submitted_at`` or
        # need one): no need to look them up.
        set_committed_value(sub, "contributions", [])
        return
    mine = set(reporting_departments(contact, sub.project))
    for old in list(sub.contributions):
        if old.department_id in mine:
            sub.contributions.remove(old)


def _contribute(
    sub: Submission,
    contact: Contact,
    kind: ContributionKind,
    now: datetime,
    skip: Collection[int] = (),
) -> None:
    """Record ``contact``'s hand-in for each of their departments responsible for the project
    (but not for ``skip``)."""
    for department_id in reporting_departments(contact, sub.project):
        if department_id in skip:
            continue
        sub.contributions.append(
            SubmissionContribution(
                contact_id=contact.id,
                contact_name=contact.name,
                department_id=department_id,
                kind=kind,
                at=now,
            )
        )
