"""The coordinator's side of a submission: approve, return or revise it.

Deciding is atomic: of two coordinators deciding the same submission at once exactly one wins,
the other gets :class:`AlreadyDecided`; an approval of a project changed since the draft began
is a :class:`Conflict`. Functions run in the caller's transaction and take ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import texts
from core.apply_changes import apply_changeset
from core.audit import Auditor
from core.changes import ChangeSet
from core.dates import BERLIN
from core.models import (
    Contact,
    Edition,
    Submission,
    SubmissionState,
)
from core.permissions import is_coordinator
from core.status import Status
from core.submissions import (
    AlreadyDecided,
    Conflict,
    NotAllowed,
    SubmissionError,
    waiting_submissions,
)


@dataclass
class ApplyResult:
    """What an approval changed."""

    submission_id: int
    project_id: int
    audit_entries: int


def _claim(
    session: Session,
    sub_id: int,
    new_state: SubmissionState,
    coordinator: Contact,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Atomically move a submitted submission on; exactly one concurrent caller wins."""
    values: dict[str, object] = {
        "state": new_state,
        "decided_at": now,
        "decided_by_id": coordinator.id,
        "updated_at": now,
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
        raise AlreadyDecided(texts.DECISION_BUSY) from err
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyDecided(texts.ALREADY_DECIDED)


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
        raise NotAllowed(texts.ONLY_COORDINATORS_APPROVE)
    sub = session.get(Submission, sub_id)
    if sub is None:
        raise AlreadyDecided(texts.SUBMISSION_GONE)
    if sub.state is not SubmissionState.SUBMITTED:
        raise AlreadyDecided(texts.ALREADY_DECIDED)
    project = sub.project
    changes = ChangeSet.from_json(sub.changes)
    # "Keine Änderungen" applies nothing, so it cannot overwrite anything: no conflict.
    if project.version != sub.base_version and not force and not changes.is_empty:
        # Read the state afresh (after the project): if another coordinator has just approved
        # this very submission, that explains the new version; say so instead of "conflict".
        state = session.scalar(select(Submission.state).where(Submission.id == sub_id))
        if state is not SubmissionState.SUBMITTED:
            raise AlreadyDecided(texts.ALREADY_DECIDED)
        raise Conflict(
            texts.CONFLICT_CHANGED,
            sub.id,
            project.version,
        )
    seen_version = project.version
    _claim(session, sub.id, SubmissionState.APPROVED, coordinator, now)
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw(
        "submissions",
        sub.id,
        "state",
        SubmissionState.SUBMITTED.value,
        SubmissionState.APPROVED.value,
        action="approve",
    )
    try:
        apply_changeset(session, project, changes, auditor, now.astimezone(BERLIN).date())
        session.flush()
    except StaleDataError as err:
        # The project row changed after it was read here (its version moved on): someone else
        # committed a change in between. The caller rolls back; nothing is applied.
        raise Conflict(
            texts.CONFLICT_JUST_CHANGED,
            sub_id,
            seen_version,
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
        raise NotAllowed(texts.ONLY_COORDINATORS_APPROVE)
    unchanged = [
        sub
        for sub in waiting_submissions(session, edition=edition)
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
        raise NotAllowed(texts.ONLY_COORDINATORS_RETURN)
    reason = reason.strip()
    if not reason:
        raise SubmissionError(texts.RETURN_REASON_NEEDED)
    previous_reason = session.scalar(
        select(Submission.return_reason).where(Submission.id == sub_id)
    )
    _claim(session, sub_id, SubmissionState.RETURNED, coordinator, now, reason)
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw(
        "submissions",
        sub_id,
        "state",
        SubmissionState.SUBMITTED.value,
        SubmissionState.RETURNED.value,
        action="return",
    )
    auditor.record_raw(
        "submissions", sub_id, "return_reason", previous_reason, reason, action="return"
    )
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
        raise NotAllowed(texts.ONLY_COORDINATORS_REVISE)
    if changes.is_empty and not changes.no_changes:
        raise SubmissionError(texts.REVISION_EMPTY)
    if changes.new_status is Status.ENTFALLEN and not (changes.drop_reason or "").strip():
        raise SubmissionError(texts.DROP_REASON_NEEDED)
    before = session.scalar(select(Submission.changes).where(Submission.id == sub_id))
    changes.stamp(ChangeSet.from_json(before), coordinator.id, coordinator.name, now)
    after = changes.to_json()
    _update_submitted(session, sub_id, {"changes": after, "updated_at": now})
    auditor = Auditor(session, actor=coordinator.name, actor_contact_id=coordinator.id, now=now)
    auditor.record_raw("submissions", sub_id, "changes", before, after, action="revise")
    sub = session.get(Submission, sub_id)
    assert sub is not None
    session.refresh(sub)
    return sub
