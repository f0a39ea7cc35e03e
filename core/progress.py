"""Where each department stands for an edition: open, in work, submitted, approved, returned.

One computation for ``/stand``, the reminders and the coordinator's project list, so that they
never disagree on what is still outstanding.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from core.models import (
    Contact,
    Department,
    Edition,
    Project,
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
    shared project counts as handed in only if each of those departments responsible for it
    handed it in or confirmed it (:func:`department_state`).
    """
    if departments is None:
        return {
            pid: state for pid, (_sub_id, state) in _newest(session, edition, project_ids).items()
        }
    # One query: each submission (oldest first) with the departments that contributed to it
    # and those of ``departments`` responsible for its project.
    params = {"edition_id": edition.id, "departments": list(departments)}
    if project_ids is None:
        rows = session.execute(_STATES_FOR, params)
    else:
        rows = session.execute(_STATES_FOR_OF, params | {"ids": list(project_ids)})
    newest: dict[int, _Sub] = {}
    reported: dict[int, dict[int, _Sub]] = {}
    responsible: dict[int, set[int]] = {}
    for pid, sub_id, state, contributed, own in rows:
        newest[pid] = (sub_id, state)
        if contributed is not None:
            reported.setdefault(pid, {})[contributed] = (sub_id, state)
        if own is not None:
            responsible.setdefault(pid, set()).add(own)
    states: dict[int, SubmissionState | None] = {}
    for pid, latest in newest.items():
        own_departments = responsible.get(pid)
        if own_departments:
            found = {
                department_state(latest, reported.get(pid, {}).get(d)) for d in own_departments
            }
            states[pid] = _least(found)
        else:
            states[pid] = latest[1]
    return states


def contact_states(
    session: Session, edition: Edition, contact: Contact, project_ids: Collection[int]
) -> dict[int, SubmissionState | None]:
    """:func:`project_states` as ``contact`` sees them (their walk-through and overview): for
    their own departments; for a coordinator the projects' overall state."""
    if is_coordinator(contact):
        return project_states(session, edition, project_ids)
    return project_states(
        session, edition, project_ids, departments=[d.id for d in contact.departments]
    )


def contact_state_of(
    session: Session,
    edition: Edition,
    contact: Contact,
    project: Project,
    latest: Submission | None,
) -> SubmissionState | None:
    """:func:`contact_states` of one project whose newest submission (``latest``) and
    departments the caller has already (a project card): without looking them up again."""
    if latest is None:
        return None
    if is_coordinator(contact):
        return latest.state
    mine = {d.id for d in contact.departments}
    own = {link.department_id for link in project.department_links if link.department_id in mine}
    if not own:
        return latest.state
    reported = _reported(session, edition, [project.id]).get(project.id, {})
    return _least({department_state((latest.id, latest.state), reported.get(d)) for d in own})


#: A submission: its id and state.
_Sub = tuple[int, SubmissionState]

_STATES = (
    select(Submission.project_id, Submission.id, Submission.state)
    .where(Submission.edition_id == bindparam("edition_id"))
    .order_by(Submission.id)
)
_STATES_OF = _STATES.where(Submission.project_id.in_(bindparam("ids", expanding=True)))
#: :data:`_STATES` with, per submission, each department that contributed to it and each of
#: the ``departments`` responsible for its project (a row per pair; NULL where there is none).
_STATES_FOR = (
    select(
        Submission.project_id,
        Submission.id,
        Submission.state,
        SubmissionContribution.department_id,
        ProjectDepartment.department_id,
    )
    .outerjoin(SubmissionContribution, SubmissionContribution.submission_id == Submission.id)
    .outerjoin(
        ProjectDepartment,
        and_(
            ProjectDepartment.project_id == Submission.project_id,
            ProjectDepartment.department_id.in_(bindparam("departments", expanding=True)),
        ),
    )
    .where(Submission.edition_id == bindparam("edition_id"))
    .order_by(Submission.id)
)
_STATES_FOR_OF = _STATES_FOR.where(Submission.project_id.in_(bindparam("ids", expanding=True)))
#: The departments that handed in (or confirmed) each submission of an edition.
_CONTRIBUTIONS = (
    select(
        Submission.project_id,
        Submission.id,
        Submission.state,
        SubmissionContribution.department_id,
    )
    .join(SubmissionContribution, SubmissionContribution.submission_id == Submission.id)
    .where(Submission.edition_id == bindparam("edition_id"))
    .order_by(Submission.id)
)
_CONTRIBUTIONS_OF = _CONTRIBUTIONS.where(
    Submission.project_id.in_(bindparam("ids", expanding=True))
)


def _newest(
    session: Session, edition: Edition, project_ids: Collection[int] | None
) -> dict[int, _Sub]:
    """The newest submission (id, state) per project of ``edition``."""
    if project_ids is None:
        rows = session.execute(_STATES, {"edition_id": edition.id})
    else:
        rows = session.execute(_STATES_OF, {"edition_id": edition.id, "ids": list(project_ids)})
    return {pid: (sub_id, state) for pid, sub_id, state in rows}


def _reported(
    session: Session, edition: Edition, project_ids: Collection[int] | None
) -> dict[int, dict[int, _Sub]]:
    """Per project and department: the newest submission the department contributed to."""
    if project_ids is None:
        rows = session.execute(_CONTRIBUTIONS, {"edition_id": edition.id})
    else:
        rows = session.execute(
            _CONTRIBUTIONS_OF, {"edition_id": edition.id, "ids": list(project_ids)}
        )
    reported: dict[int, dict[int, _Sub]] = {}
    for pid, sub_id, state, dep_id in rows:
        reported.setdefault(pid, {})[dep_id] = (sub_id, state)
    return reported


def department_state(newest: _Sub | None, contributed: _Sub | None) -> SubmissionState | None:
    """One department's state of a project, from the project's newest submission and the
    newest one the department contributed to (handed in or confirmed).

    - Handed in (submitted or approved): only if the department contributed to it; a report
      of theirs approved earlier still counts as approved; else the project is open for them
      (None): another department's report is not theirs.
    - In work (draft) after another department reopened it to add to it ("Ergänzen"): still
      handed in (submitted) for the departments whose report it keeps.
    - Returned: returned for all of them.
    """
    if newest is None:
        return None
    sub_id, state = newest
    if contributed is not None and contributed[0] == sub_id:
        return SubmissionState.SUBMITTED if state is SubmissionState.DRAFT else state
    if state not in HANDED_IN:
        return state
    if contributed is not None and contributed[1] is SubmissionState.APPROVED:
        return SubmissionState.APPROVED
    return None


#: From least to most done: a contact of several departments sees the least done one.
_ORDER: tuple[SubmissionState | None, ...] = (
    None,
    SubmissionState.RETURNED,
    SubmissionState.DRAFT,
    SubmissionState.SUBMITTED,
    SubmissionState.APPROVED,
)


def _least(states: set[SubmissionState | None]) -> SubmissionState | None:
    return min(states, key=_ORDER.index)


def edition_progress(session: Session, edition: Edition) -> list[DepartmentProgress]:
    """Per department: how many of its projects are open, in work, submitted, approved, returned.

    A project with several departments counts for each of them, as handed in only for the
    departments that handed it in or confirmed it.
    """
    numbers = project_numbers(session, edition.cutoff)
    newest = _newest(session, edition, None)
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
        state = department_state(newest.get(pid), reported.get(pid, {}).get(dep_id))
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
