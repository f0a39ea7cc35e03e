"""Project numbers: the one rule for which project an edition prints under which number.

Numbers read ``field.goal.group.n`` (DOMAIN.md): within a goal and status group, projects count
by their sort order; dropped projects and projects archived by the cutoff get none. The
assembly of an unpublished edition (:mod:`core.assembly`) and the bot's lean look-ups both ask
this module, so there is one numbering rule, computed by the database without loading project
contents (the bot asks for numbers on most updates).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.models import (
    Edition,
    EditionEntry,
    Field,
    Goal,
    Project,
    ProjectDepartment,
)
from core.status import Status


def number_key(number: str) -> tuple[int, ...]:
    """Sort key for printed numbers such as ``1.2.2.10`` or ``1.1.1 + 1.2.1``."""
    head = number.split("+")[0]
    return tuple(int(p) for p in head.strip().split(".") if p.strip().isdigit())


#: The statements of :func:`project_numbers`, built once (the bot asks for numbers on most
#: updates). The database counts each group (goal and status) with a window function, so a
#: caller that wants a few numbers gets a few rows.
_COMPLETED_BEFORE = (  # printed as umgesetzt in an earlier edition
    select(EditionEntry.id)
    .join(Edition)
    .where(
        EditionEntry.project_id == Project.id,
        Edition.cutoff < bindparam("cutoff"),
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
    Project.id.label("project_id"),
    Project.goal_id,
    Project.status,
    func.row_number()
    .over(partition_by=(Project.goal_id, Project.status), order_by=(Project.sort_order, Project.id))
    .label("n"),
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
        query = query.where(
            ranked.c.project_id.in_(
                select(ProjectDepartment.project_id).where(
                    ProjectDepartment.department_id.in_(bindparam("departments", expanding=True))
                )
            )
        )
    return query


_ALL_NUMBERS = _numbers(_PRINTED)
_PEER_NUMBERS = _numbers(
    _PRINTED.where(Project.goal_id == bindparam("goal_id"), Project.status == bindparam("status"))
)
_DEPARTMENT_NUMBERS = _numbers(_PRINTED, of_departments=True)
#: Every printed project's number parts (columns ``project_id``, ``number``, ``index``,
#: ``status``, ``n``; parameter ``cutoff``), to join to a query that lists projects with other
#: columns; :func:`printed_number` makes the number of them.
NUMBERS = _ALL_NUMBERS.subquery("numbers")


def printed_number(field: int, index: int, status: Status, n: int) -> str:
    """``field.goal.group.n``, e.g. ``1.2.2.1``."""
    return f"{field}.{index}.{status.group_index}.{n}"


def project_numbers(
    session: Session,
    cutoff: date,
    *,
    peers_of: Project | None = None,
    departments: Collection[int] | None = None,
) -> dict[int, str]:
    """Printed number of every project the edition at ``cutoff`` will show (lean queries).

    The numbers :func:`core.assembly.assemble_edition` prints in an unpublished edition (it
    asks this function). ``peers_of`` limits the work to that project's group (its goal and
    status), which is all its own number depends on (see :func:`project_number`);
    ``departments`` gives only the numbers of those departments' projects.
    """
    if peers_of is not None:
        rows = session.execute(
            _PEER_NUMBERS,
            {
                "cutoff": cutoff,
                "goal_id": peers_of.goal_id,
                "status": peers_of.status,
            },
        )
    elif departments is not None:
        rows = session.execute(
            _DEPARTMENT_NUMBERS, {"cutoff": cutoff, "departments": list(departments)}
        )
    else:
        rows = session.execute(_ALL_NUMBERS, {"cutoff": cutoff})
    return {pid: printed_number(field, index, status, n) for pid, field, index, status, n in rows}


def project_number(session: Session, cutoff: date, project: Project) -> str | None:
    """The printed number of one project in the edition at ``cutoff`` (None: not shown)."""
    if project.goal_id is None or project.status is Status.ENTFALLEN:
        return None
    return project_numbers(session, cutoff, peers_of=project).get(project.id)
