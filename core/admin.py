"""The coordinator's services: projects, departments and contacts, every change audited.

Plain functions taking a session (the caller owns the transaction), an :class:`Auditor` (who,
and when) and plain values. Rules are checked here, not in the bot or the command line; a broken
rule raises :class:`AdminError`, whose text is a short German message for the coordinator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core import texts
from core.audit import Auditor
from core.changes import MAX_LONG_TEXT, MAX_SHORT_TEXT
from core.cycle import next_cutoff
from core.dates import format_day
from core.editions import collecting_cutoff
from core.models import (
    Contact,
    ContactDepartment,
    Department,
    Edition,
    EditionEntry,
    EditionState,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    Role,
)
from core.numbering import project_numbers
from core.richtext import RichText
from core.status import Status
from core.textnorm import clean_text

# Column sizes of ``departments`` (core.models).
MAX_DEPARTMENT_CODE = 60
MAX_DEPARTMENT_NAME = 200

_GOAL_NUMBER = re.compile(r"(?:(\d+)\.)?(\d+)")


class AdminError(Exception):
    """A rule was broken; ``str(err)`` is a short German message for the coordinator."""


@dataclass(frozen=True)
class ProjectRow:
    """A project of an edition as the project list shows it."""

    id: int
    number: str
    title: str
    short_title: str
    status: Status
    departments: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentRow:
    """A department with how many projects and contacts it has."""

    code: str
    name: str
    active: bool
    projects: int  # printed in the edition asked for
    contacts: int  # active contacts


@dataclass(frozen=True)
class ContactRow:
    """A contact as the coordinator's list shows it."""

    id: int
    name: str
    role: Role
    active: bool
    bound: bool  # linked to a Telegram account
    reachable: bool
    departments: tuple[str, ...]


@dataclass(frozen=True)
class _Label:
    """How a message names an input: ``einen Titel`` (asked for), ``Der Titel`` (subject)."""

    asked: str
    subject: str


_TITLE = _Label(*texts.INPUT_TITLE)
_SHORT_TITLE = _Label(*texts.INPUT_SHORT_TITLE)
_DESCRIPTION = _Label(*texts.INPUT_DESCRIPTION)
_MUNICIPALITIES = _Label(*texts.INPUT_MUNICIPALITIES)
_REASON = _Label(*texts.INPUT_REASON)
_CODE = _Label(*texts.INPUT_DEPARTMENT_CODE)
_NAME = _Label(*texts.INPUT_DEPARTMENT_NAME)


def _clean(
    value: str, label: _Label, limit: int, *, one_line: bool = True, required: bool = True
) -> str:
    """Clean (:func:`core.textnorm.clean_text`), trim (and for one-line inputs collapse
    whitespace), then check presence and length."""
    value = clean_text(value)
    text = " ".join(value.split()) if one_line else value.strip()
    if required and not text:
        raise AdminError(texts.INPUT_MISSING.format(asked=label.asked))
    if len(text) > limit:
        raise AdminError(
            texts.INPUT_TOO_LONG.format(subject=label.subject, length=len(text), limit=limit)
        )
    return text


# -- lookups -------------------------------------------------------------------------------------


def get_project(session: Session, project_id: int) -> Project:
    """A project by its id, or a German error."""
    project = session.get(Project, project_id)
    if project is None:
        raise AdminError(texts.PROJECT_UNKNOWN.format(id=project_id))
    return project


def fields_in_order(session: Session) -> list[Field]:
    """The Themenfelder by number (the first question of a new project)."""
    return list(session.scalars(select(Field).order_by(Field.number)))


def active_goals(session: Session, field_number: int | None) -> list[Goal]:
    """The goals of Themenfeld ``field_number`` still in the report; none for an unknown one."""
    fld = session.scalar(select(Field).where(Field.number == field_number))
    return [g for g in fld.goals if g.active] if fld is not None else []


def find_goal(session: Session, number: str, field_number: int | None = None) -> Goal:
    """A strategic goal by its number (``1.2``, or ``2`` within ``field_number``)."""
    match = _GOAL_NUMBER.fullmatch(number.strip())
    if match is None:
        raise AdminError(texts.GOAL_NUMBER_INVALID.format(number=number))
    fnum = int(match[1]) if match[1] is not None else field_number
    if fnum is None:
        raise AdminError(texts.GOAL_NEEDS_FIELD.format(goal=match[2]))
    if field_number is not None and fnum != field_number:
        raise AdminError(texts.GOAL_OTHER_FIELD.format(number=number.strip(), field=field_number))
    fld = session.scalar(
        select(Field).where(Field.number == fnum).options(selectinload(Field.goals))
    )
    if fld is None:
        numbers = session.scalars(select(Field.number).order_by(Field.number))
        known = ", ".join(str(n) for n in numbers)
        raise AdminError(texts.FIELD_UNKNOWN.format(number=fnum, known=known or "–"))
    goal = next((g for g in fld.goals if g.index == int(match[2])), None)
    if goal is None:
        known = ", ".join(g.number for g in fld.goals if g.active)
        raise AdminError(texts.GOAL_UNKNOWN.format(number=f"{fnum}.{match[2]}", known=known or "–"))
    if not goal.active:
        raise AdminError(texts.GOAL_INACTIVE.format(number=goal.number))
    return goal


def get_department(session: Session, code: str) -> Department:
    """A department by its code, or a German error naming the known codes."""
    dep = session.scalar(select(Department).where(Department.code == code.strip()))
    if dep is None:
        known = ", ".join(
            session.scalars(
                select(Department.code).where(Department.active.is_(True)).order_by(Department.code)
            )
        )
        raise AdminError(
            texts.ADMIN_DEPARTMENT_UNKNOWN.format(code=code.strip(), known=known or "–")
        )
    return dep


def _active_departments(session: Session, codes: Sequence[str]) -> list[Department]:
    """The departments for ``codes`` in the given order (duplicates dropped); all active."""
    result: list[Department] = []
    for code in codes:
        if not code.strip():
            continue
        dep = get_department(session, code)
        if not dep.active:
            raise AdminError(texts.DEPARTMENT_INACTIVE.format(code=dep.code))
        if dep not in result:
            result.append(dep)
    return result


def get_contact(session: Session, contact_id: int) -> Contact:
    """A contact by id, or a German error."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise AdminError(texts.ADMIN_CONTACT_UNKNOWN.format(id=contact_id))
    return contact


def _end_of_group(session: Session, goal_id: int, status: Status, exclude: int | None) -> int:
    """The sort order that puts a project last in its status group under ``goal_id``."""
    query = select(func.max(Project.sort_order)).where(
        Project.goal_id == goal_id, Project.status == status
    )
    if exclude is not None:
        query = query.where(Project.id != exclude)
    return (session.scalar(query) or 0) + 1


def _short(project: Project) -> str:
    return project.short_title or project.title


# -- projects ------------------------------------------------------------------------------------


def create_project(
    session: Session,
    auditor: Auditor,
    *,
    field_number: int,
    goal_number: str,
    title: str,
    short_title: str,
    department_codes: Sequence[str],
    today: date,
    description: str = "",
    municipalities: str = "",
    status: Status = Status.IN_PLANUNG,
) -> Project:
    """Add a project, last in its status group under the goal; in the status since ``today``."""
    goal = find_goal(session, goal_number, field_number)
    title = _clean(title, _TITLE, MAX_SHORT_TEXT)
    short_title = _clean(short_title, _SHORT_TITLE, MAX_SHORT_TEXT)
    description = _clean(description, _DESCRIPTION, MAX_LONG_TEXT, one_line=False, required=False)
    municipalities = _clean(municipalities, _MUNICIPALITIES, MAX_SHORT_TEXT, required=False)
    if not status.in_report:
        raise AdminError(texts.NEW_PROJECT_DROPPED)
    departments = _active_departments(session, department_codes)
    if not departments:
        raise AdminError(texts.PROJECT_NEEDS_DEPARTMENT)
    twin = session.scalar(
        select(Project.id).where(
            Project.goal_id == goal.id,
            Project.status != Status.ENTFALLEN,
            func.lower(Project.title) == title.lower(),
        )
    )
    if twin is not None:
        raise AdminError(texts.PROJECT_TWIN.format(goal=goal.number, title=title, id=twin))
    project = Project(
        field_id=goal.field_id,
        goal_id=goal.id,
        title=title,
        short_title=short_title,
        description=description,
        municipalities=municipalities,
        status=status,
        status_since=today,
        sort_order=_end_of_group(session, goal.id, status, None),
    )
    project.department_links = [
        ProjectDepartment(department=dep, position=i) for i, dep in enumerate(departments)
    ]
    session.add(project)
    session.flush()
    auditor.created(
        project,
        {
            "goal": goal.number,
            "title": title,
            "short_title": short_title,
            "description": description,
            "municipalities": municipalities,
            "status": status,
            "status_since": today,
            "sort_order": project.sort_order,
            "departments": [d.code for d in departments],
        },
    )
    return project


def edit_project(
    session: Session,
    auditor: Auditor,
    project_id: int,
    *,
    title: str | None = None,
    short_title: str | None = None,
    description: str | None = None,
    municipalities: str | None = None,
    department_codes: Sequence[str] | None = None,
    goal_number: str | None = None,
) -> Project:
    """Change what the coordinator owns of a project; ``None`` leaves a value as it is.

    A project moved to another goal goes last in its status group there.
    """
    project = get_project(session, project_id)
    values = (title, short_title, description, municipalities, department_codes, goal_number)
    if all(v is None for v in values):
        raise AdminError(texts.NOTHING_TO_CHANGE)
    # Validate everything before changing anything.
    goal = find_goal(session, goal_number) if goal_number is not None else None
    new_texts: list[tuple[str, str | RichText]] = []
    if title is not None:
        new_texts.append(("title", _clean(title, _TITLE, MAX_SHORT_TEXT)))
    if short_title is not None:
        new_texts.append(("short_title", _clean(short_title, _SHORT_TITLE, MAX_SHORT_TEXT)))
    if description is not None:
        new_texts.append(
            (
                "description",
                RichText.from_plain(
                    _clean(description, _DESCRIPTION, MAX_LONG_TEXT, one_line=False, required=False)
                ),
            )
        )
    if municipalities is not None:
        new_texts.append(
            (
                "municipalities",
                _clean(municipalities, _MUNICIPALITIES, MAX_SHORT_TEXT, required=False),
            )
        )
    departments = None
    if department_codes is not None:
        departments = _active_departments(session, department_codes)
        if not departments:
            raise AdminError(texts.PROJECT_NEEDS_DEPARTMENT)

    if goal is not None and goal.id != project.goal_id:
        old_goal = project.goal.number if project.goal is not None else None
        project.goal = goal
        project.field = goal.field
        auditor.record(project, "goal", old_goal, goal.number)
        if project.status.in_report:
            auditor.assign(
                project, "sort_order", _end_of_group(session, goal.id, project.status, project.id)
            )
    for attr, value in new_texts:
        auditor.assign(project, attr, value)
    if departments is not None:
        _set_project_departments(project, departments, auditor)
    session.flush()
    return project


def _set_project_departments(
    project: Project, departments: list[Department], auditor: Auditor
) -> None:
    old = project.department_codes
    new = [d.code for d in departments]
    if old == new:
        return
    # Reuse the links that stay (their key is project + department), drop the others.
    existing = {link.department_id: link for link in project.department_links}
    links: list[ProjectDepartment] = []
    for pos, dep in enumerate(departments):
        link = existing.pop(dep.id, None) or ProjectDepartment(department=dep)
        link.position = pos
        links.append(link)
    project.department_links = links
    auditor.record(project, "departments", old, new)


def drop_project(
    session: Session, auditor: Auditor, project_id: int, reason: str, *, today: date
) -> Project:
    """The project is no longer pursued: it leaves the chapters for "Entfallene Projekte".

    A project that an import found missing (dropped, no reason yet) gets its reason here.
    """
    project = get_project(session, project_id)
    if project.status is Status.ENTFALLEN and project.drop_reason is not None:
        raise AdminError(texts.PROJECT_ALREADY_DROPPED.format(title=_short(project)))
    reason = _clean(reason, _REASON, MAX_LONG_TEXT, one_line=False)
    auditor.assign(project, "status", Status.ENTFALLEN)
    auditor.assign(project, "status_since", today)
    auditor.assign(project, "drop_reason", reason)
    session.flush()
    return project


def keep_project(session: Session, auditor: Auditor, project_id: int, *, today: date) -> date:
    """Print a completed project in one more edition; returns the last edition that shows it.

    A completed project is printed once, in the first edition after its completion. Kept, it
    also appears in the following edition (asked again, one more each time).
    """
    project = get_project(session, project_id)
    if project.status is not Status.UMGESETZT:
        raise AdminError(texts.KEEP_NOT_IMPLEMENTED.format(title=_short(project)))
    if project.goal is None or not project.goal.active:
        raise AdminError(texts.KEEP_GOAL_GONE.format(title=_short(project)))
    collecting = collecting_cutoff(session, today)
    completed_in = session.scalar(
        select(func.max(Edition.cutoff)).where(
            EditionEntry.project_id == project.id,
            EditionEntry.status == Status.UMGESETZT,
            EditionEntry.edition_id == Edition.id,
            Edition.cutoff < collecting,
        )
    )
    if completed_in is None:  # the collecting edition shows it anyway; kept, the next too
        keep_until = next_cutoff(collecting)
    elif project.keep_until is not None and project.keep_until >= collecting:
        keep_until = next_cutoff(project.keep_until)
    else:  # printed as completed before: kept, the collecting edition shows it once more
        _refuse_archived(session, project, collecting)
        keep_until = collecting
    auditor.assign(project, "keep_until", keep_until)
    session.flush()
    return keep_until


def _refuse_archived(session: Session, project: Project, collecting: date) -> None:
    """A completed project that a published edition already lists in its archive stays there:
    the last published edition before ``collecting`` must still print it."""
    published = (
        (Edition.state == EditionState.PUBLISHED)
        & Edition.from_archive_only.is_(False)
        & (Edition.cutoff < collecting)
    )
    last_published = session.scalar(select(func.max(Edition.cutoff)).where(published))
    printed_last = session.scalar(
        select(func.max(Edition.cutoff)).where(
            published,
            EditionEntry.edition_id == Edition.id,
            EditionEntry.project_id == project.id,
            EditionEntry.number.is_not(None),
        )
    )
    if last_published is not None and (printed_last is None or printed_last < last_published):
        raise AdminError(
            texts.KEEP_ARCHIVED.format(title=_short(project), day=format_day(last_published))
        )


def project_list(
    session: Session, cutoff: date, *, department: str | None = None
) -> list[ProjectRow]:
    """The projects the edition at ``cutoff`` prints, in number order (one department's)."""
    numbers = project_numbers(session, cutoff)
    query = (
        select(Project)
        .where(Project.id.in_(numbers))
        .options(selectinload(Project.department_links).joinedload(ProjectDepartment.department))
    )
    if department is not None:
        dep = get_department(session, department)
        responsible = select(ProjectDepartment.project_id).where(
            ProjectDepartment.department_id == dep.id
        )
        query = query.where(Project.id.in_(responsible))
    rows = [
        ProjectRow(
            id=p.id,
            number=numbers[p.id],
            title=p.title,
            short_title=_short(p),
            status=p.status,
            departments=tuple(p.department_codes),
        )
        for p in session.scalars(query)
    ]
    return sorted(rows, key=lambda r: tuple(int(x) for x in r.number.split(".")))


# -- departments ---------------------------------------------------------------------------------


def create_department(session: Session, auditor: Auditor, code: str, name: str) -> Department:
    """Add a department (a deactivated one with this code becomes active again)."""
    code = _clean(code, _CODE, MAX_DEPARTMENT_CODE)
    name = _clean(name, _NAME, MAX_DEPARTMENT_NAME)
    dep = session.scalar(select(Department).where(Department.code == code))
    if dep is None:
        dep = Department(code=code, name=name, active=True)
        session.add(dep)
        session.flush()
        auditor.created(dep, {"code": code, "name": name})
        return dep
    if dep.active:
        raise AdminError(texts.DEPARTMENT_EXISTS.format(code=code))
    auditor.assign(dep, "active", True)
    auditor.assign(dep, "name", name)
    session.flush()
    return dep


def rename_department(session: Session, auditor: Auditor, code: str, name: str) -> Department:
    """Give a department a new name (the code stays: it is printed in the report)."""
    dep = get_department(session, code)
    auditor.assign(dep, "name", _clean(name, _NAME, MAX_DEPARTMENT_NAME))
    session.flush()
    return dep


def deactivate_department(
    session: Session, auditor: Auditor, code: str, *, cutoff: date
) -> Department:
    """Retire a department; refused while it is responsible for projects of ``cutoff``."""
    dep = get_department(session, code)
    if not dep.active:
        raise AdminError(texts.DEPARTMENT_ALREADY_INACTIVE.format(code=dep.code))
    numbers = project_numbers(session, cutoff)
    count = (
        session.scalar(
            select(func.count())
            .select_from(ProjectDepartment)
            .where(
                ProjectDepartment.department_id == dep.id, ProjectDepartment.project_id.in_(numbers)
            )
        )
        or 0
    )
    if count:
        raise AdminError(texts.department_still_responsible(dep.code, count, format_day(cutoff)))
    auditor.assign(dep, "active", False)
    session.flush()
    return dep


def list_departments(session: Session, cutoff: date) -> list[DepartmentRow]:
    """Every department by code, with its projects in the edition at ``cutoff``."""
    numbers = project_numbers(session, cutoff)
    projects: dict[int, int] = {
        dep_id: n
        for dep_id, n in session.execute(
            select(ProjectDepartment.department_id, func.count())
            .where(ProjectDepartment.project_id.in_(numbers))
            .group_by(ProjectDepartment.department_id)
        )
    }
    contacts: dict[int, int] = {
        dep_id: n
        for dep_id, n in session.execute(
            select(ContactDepartment.department_id, func.count())
            .join(Contact, Contact.id == ContactDepartment.contact_id)
            .where(Contact.active.is_(True))
            .group_by(ContactDepartment.department_id)
        )
    }
    return [
        DepartmentRow(
            code=d.code,
            name=d.name,
            active=d.active,
            projects=projects.get(d.id, 0),
            contacts=contacts.get(d.id, 0),
        )
        for d in session.scalars(select(Department).order_by(Department.code))
    ]


# -- contacts ------------------------------------------------------------------------------------


def set_contact_departments(
    session: Session, auditor: Auditor, contact_id: int, department_codes: Sequence[str]
) -> Contact:
    """The departments a contact reports for (replaces the previous ones)."""
    contact = get_contact(session, contact_id)
    departments = _active_departments(session, department_codes)
    if not departments and contact.role is Role.CONTACT:
        raise AdminError(texts.CONTACT_NEEDS_DEPARTMENT)
    old = [d.code for d in contact.departments]
    new = sorted(d.code for d in departments)
    if old != new:
        contact.departments = sorted(departments, key=lambda d: d.code)
        auditor.record(contact, "departments", old, new)
        session.flush()
    return contact


def set_contact_role(session: Session, auditor: Auditor, contact_id: int, role: Role) -> Contact:
    """Make a contact an Ansprechperson, a coordinator or an admin."""
    contact = get_contact(session, contact_id)
    if role is Role.CONTACT and not contact.departments:
        raise AdminError(texts.CONTACT_ROLE_NEEDS_DEPARTMENT.format(name=contact.name))
    auditor.assign(contact, "role", role)
    session.flush()
    return contact


def list_contacts(
    session: Session, *, department: str | None = None, include_inactive: bool = False
) -> list[ContactRow]:
    """Contacts by name; only one department's, and only active ones unless asked."""
    query = (
        select(Contact)
        .options(selectinload(Contact.departments))
        .order_by(Contact.name, Contact.id)
    )
    if not include_inactive:
        query = query.where(Contact.active.is_(True))
    if department is not None:
        dep = get_department(session, department)
        members = select(ContactDepartment.contact_id).where(
            ContactDepartment.department_id == dep.id
        )
        query = query.where(Contact.id.in_(members))
    return [
        ContactRow(
            id=c.id,
            name=c.name,
            role=c.role,
            active=c.active,
            bound=c.telegram_user_id is not None,
            reachable=c.reachable,
            departments=tuple(d.code for d in c.departments),
        )
        for c in session.scalars(query)
    ]


__all__ = [
    "MAX_DEPARTMENT_CODE",
    "MAX_DEPARTMENT_NAME",
    "AdminError",
    "ContactRow",
    "DepartmentRow",
    "ProjectRow",
    "create_department",
    "create_project",
    "deactivate_department",
    "drop_project",
    "edit_project",
    "find_goal",
    "get_contact",
    "get_department",
    "get_project",
    "keep_project",
    "list_contacts",
    "list_departments",
    "project_list",
    "rename_department",
    "set_contact_departments",
    "set_contact_role",
]
