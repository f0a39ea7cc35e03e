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
    Contact,
    Department,
    Edition,
    ProjectDepartment,
    Submission,
    SubmissionContribution,
    SubmissionState,
)
from core.numbering import project_numbers
from core.permissions import is_coordinator


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


HANDED_IN = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def project_states(
    session: Session,
    edition: Edition,
    project_ids: Collection[int] | None = None,
    *,
    departments: Collection[int] | None = None,
) -> dict[int, SubmissionState | None]:
    """The newest submission state per project for ``edition`` (None: nothing yet), for all
    projects or only ``project_ids``.

    With ``departments`` (the ones a contact reports for; see :func:`contact_states`), a
    shared project's report counts as handed in only if every one of those departments that
    is responsible for it has handed it in or confirmed it: another department's report leaves
    it open (None) for them.
    """
    states: dict[int, SubmissionState | None] = {}
    if project_ids is None:
        rows = session.execute(_STATES, {"edition_id": edition.id})
    else:
        rows = session.execute(_STATES_OF, {"edition_id": edition.id, "ids": list(project_ids)})
    for pid, state in rows:
        states[pid] = state
    if departments is None:
        return states
    mine = set(departments)
    handed_in = [pid for pid, state in states.items() if state in HANDED_IN]
    if not handed_in:
        return states
    responsible: dict[int, set[int]] = {}
    for pid, dep_id in session.execute(_LINKS_OF, {"ids": handed_in}):
        if dep_id in mine:
            responsible.setdefault(pid, set()).add(dep_id)
    reported = _reported(session, edition, handed_in)
    for pid in handed_in:
        own = responsible.get(pid)
        if own:
            states[pid] = _state_for(reported.get(pid, {}), own, states[pid])
    return states


def contact_states(
    session: Session, edition: Edition, contact: Contact, project_ids: Collection[int]
) -> dict[int, SubmissionState | None]:
    """:func:`project_states` as ``contact`` sees them: for their own departments; for a
    coordinator the projects' overall state."""
    if is_coordinator(contact):
        return project_states(session, edition, project_ids)
    return project_states(
        session, edition, project_ids, departments=[d.id for d in contact.departments]
    )


_STATES = (
    select(Submission.project_id, Submission.state)
    .where(Submission.edition_id == bindparam("edition_id"))
    .order_by(Submission.id)
)
_STATES_OF = _STATES.where(Submission.project_id.in_(bindparam("ids", expanding=True)))
_LINKS_OF = select(ProjectDepartment.project_id, ProjectDepartment.department_id).where(
    ProjectDepartment.project_id.in_(bindparam("ids", expanding=True))
)
#: The departments that handed in (or confirmed) each handed-in submission of an edition.
_CONTRIBUTIONS = (
    select(
        Submission.project_id,
        Submission.id,
        Submission.state,
        SubmissionContribution.department_id,
    )
    .join(SubmissionContribution, SubmissionContribution.submission_id == Submission.id)
    .where(Submission.edition_id == bindparam("edition_id"), Submission.state.in_(HANDED_IN))
    .order_by(Submission.id)
)
_CONTRIBUTIONS_OF = _CONTRIBUTIONS.where(
    Submission.project_id.in_(bindparam("ids", expanding=True))
)


def _reported(
    session: Session, edition: Edition, project_ids: Collection[int] | None
) -> dict[int, dict[int, SubmissionState]]:
    """Per project: the departments that handed in, with the state of the newest handed-in
    submission each contributed to (oldest first, so newer ones win)."""
    if project_ids is None:
        rows = session.execute(_CONTRIBUTIONS, {"edition_id": edition.id})
    else:
        rows = session.execute(
            _CONTRIBUTIONS_OF, {"edition_id": edition.id, "ids": list(project_ids)}
        )
    reported: dict[int, dict[int, SubmissionState]] = {}
    for pid, _sub_id, state, dep_id in rows:
        reported.setdefault(pid, {})[dep_id] = state
    return reported


def _state_for(
    reported: dict[int, SubmissionState], departments: set[int], newest: SubmissionState | None
) -> SubmissionState | None:
    """The state of a project whose newest submission is handed in, for ``departments``:
    handed in only if all of them reported (submitted if any report still waits), else
    open."""
    if not departments <= reported.keys():
        return None
    if newest is SubmissionState.SUBMITTED or any(
        reported[d] is SubmissionState.SUBMITTED for d in departments
    ):
        return SubmissionState.SUBMITTED
    return SubmissionState.APPROVED


def edition_progress(session: Session, edition: Edition) -> list[DepartmentProgress]:
    """Per department: how many of its projects are open, in work, submitted, approved, returned.

    A project with several departments counts for each of them, as handed in only for the
    departments that handed it in or confirmed it.
    """
    numbers = project_numbers(session, edition.cutoff)
    states = project_states(session, edition)
    reported = _reported(session, edition, None)
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
        if state in HANDED_IN:
            state = _state_for(reported.get(pid, {}), {dep_id}, state)
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
