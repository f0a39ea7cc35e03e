"""Who sees what: a contact reaches only their departments' projects; coordinators reach all.

Rights are checked here, in the core, not in the bot; a refusal is :class:`NotAllowed` with a
short German message that leaks no details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from core import texts
from core.models import (
    Contact,
    Project,
    ProjectDepartment,
    Role,
)
from core.numbering import number_key, project_numbers
from core.submissions import NotAllowed


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


def reporting_departments(contact: Contact, project: Project) -> list[int]:
    """The departments (ids, in printed order) that ``contact`` reports for on ``project``:
    their own among the project's; a coordinator outside them reports for all of them."""
    own = {d.id for d in contact.departments}
    linked = [link.department_id for link in project.department_links]
    return [d for d in linked if d in own] or (linked if is_coordinator(contact) else [])


_PROJECTS_BY_ID = (
    select(Project)
    .where(Project.id.in_(bindparam("ids", expanding=True)))
    .options(selectinload(Project.department_links).joinedload(ProjectDepartment.department))
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
    project = (
        session.scalars(_PROJECT_WITH_DEPARTMENTS, {"project_id": project_id})
        .unique()
        .one_or_none()
    )
    if project is None or not may_edit(contact, project):
        raise NotAllowed(texts.NOT_RELEASED)
    return project
