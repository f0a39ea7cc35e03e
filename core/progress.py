"""Where each department stands for an edition: open, in work, submitted, approved, returned.

One computation for ``/stand``, the reminders and the coordinator's project list, so that they
never disagree on what is still outstanding.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.models import (
    Department,
    Edition,
    ProjectDepartment,
    Submission,
    SubmissionState,
)
from core.numbering import project_numbers


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
        rows = session.execute(_STATES_OF, {"edition_id": edition.id, "ids": list(project_ids)})
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
        select(ProjectDepartment.project_id, ProjectDepartment.department_id).where(
            ProjectDepartment.project_id.in_(numbers)
        )
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
