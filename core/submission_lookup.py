"""A submission by its id, for the coordinator's buttons (which carry the id).

Kept apart from :mod:`core.submissions` while that module is split by concern; it belongs
with the submission queries there.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Submission


def submission_by_id(session: Session, submission_id: int | None) -> Submission | None:
    """The submission with that id; None if there is none (or no id was given)."""
    return session.get(Submission, submission_id) if submission_id is not None else None
