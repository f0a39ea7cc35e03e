"""``nhr project``, ``nhr department`` and ``nhr audit``: the coordinator's command line.

:func:`register` adds the sub-commands to the ``nhr`` parser; handlers take ``(args, app)``
like those in :mod:`nhr.cli` and call the services of :mod:`core.admin` in one short
transaction each. Changes are audited under the actor ``cli`` (or ``--actor NAME``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final

from core.admin import (
    AdminError,
    create_department,
    create_project,
    deactivate_department,
    drop_project,
    edit_project,
    keep_project,
    list_departments,
    project_list,
    rename_department,
)
from core.audit import Auditor
from core.audit_export import audit_entries, iter_audit_entries, write_audit_csv
from core.config import Settings
from core.dates import format_day, format_local
from core.db import unit_of_work
from core.editions import collecting_cutoff, collecting_status
from core.models import AuditLog, Project
from core.numbering import project_number
from core.status import REPORT_ORDER, Status
from core.texts import counted
from nhr import clock, texts
from nhr.console import AppLike
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.texts import (
    ACTION_LABEL,
    AUDIT_EMPTY,
    AUDIT_EXPORTED,
    AUDIT_MORE,
    BAD_DAY,
    BAD_LIMIT,
    DEPARTMENT_CREATED,
    DEPARTMENT_DEACTIVATED,
    DEPARTMENT_LIST_COLUMNS,
    DEPARTMENT_LIST_EMPTY,
    DEPARTMENT_LIST_NOTE,
    DEPARTMENT_LIST_ROW,
    DEPARTMENT_RENAMED,
    NO,
    PROJECT_CREATED,
    PROJECT_DROPPED,
    PROJECT_EDITED,
    PROJECT_KEPT,
    PROJECT_LIST_COLUMNS,
    PROJECT_LIST_EMPTY,
    PROJECT_LIST_HEAD,
    PROJECT_LIST_ROW,
    PROJECT_LIST_SCOPE,
    PROJECT_UNCHANGED,
    STATUS_LABEL,
    YES,
)

ACTOR: Final = "cli"
AUDIT_LIMIT: Final = 50


def _today(app: AppLike, now: datetime) -> date:
    return now.astimezone(app.settings.tz).date()


def _notice(text: str | None) -> None:
    """The edition being collected is overdue: say so on stderr (see core.editions)."""
    if text:
        _err(text)


def _changes(count: int) -> str:
    return counted(count, *texts.CHANGE_FORMS)


# -- nhr project --------------------------------------------------------------------------------


def cmd_project_create(args: argparse.Namespace, app: AppLike) -> int:
    """Add a project at the end of its status group."""
    app.upgrade()
    now = clock.now()
    today = _today(app, now)
    try:
        with unit_of_work(app.sessions) as session:
            cutoff = collecting_cutoff(session, today)
            project = create_project(
                session,
                Auditor(session, actor=args.actor, now=now),
                field_number=args.field,
                goal_number=args.goal,
                title=args.title,
                short_title=args.short_title,
                department_codes=args.department,
                today=today,
                description=args.description or "",
                municipalities=args.municipalities or "",
                status=Status(args.status),
            )
            number = project_number(session, cutoff, project) or "–"
            title, project_id = project.short_title, project.id
    except AdminError as err:
        _err(str(err))
        return 2
    _say(
        PROJECT_CREATED.format(title=title, id=project_id, number=number, cutoff=format_day(cutoff))
    )
    return 0


def cmd_project_edit(args: argparse.Namespace, app: AppLike) -> int:
    """Change title, short title, description, departments, Kommunen or goal."""
    app.upgrade()
    now = clock.now()
    try:
        with unit_of_work(app.sessions) as session:
            auditor = Auditor(session, actor=args.actor, now=now)
            project = edit_project(
                session,
                auditor,
                args.id,
                title=args.title,
                short_title=args.short_title,
                description=args.description,
                municipalities=args.municipalities,
                department_codes=args.department,
                goal_number=args.goal,
            )
            title, project_id = project.short_title or project.title, project.id
            changes = auditor.changes
    except AdminError as err:
        _err(str(err))
        return 2
    if changes:
        _say(PROJECT_EDITED.format(title=title, id=project_id, changes=_changes(changes)))
    else:
        _say(PROJECT_UNCHANGED.format(title=title, id=project_id))
    return 0


def cmd_project_drop(args: argparse.Namespace, app: AppLike) -> int:
    """Drop a project with a reason; it moves to "Entfallene Projekte"."""
    app.upgrade()
    now = clock.now()
    try:
        with unit_of_work(app.sessions) as session:
            project = drop_project(
                session,
                Auditor(session, actor=args.actor, now=now),
                args.id,
                args.reason,
                today=_today(app, now),
            )
            title, reason = project.short_title or project.title, project.drop_reason
    except AdminError as err:
        _err(str(err))
        return 2
    _say(PROJECT_DROPPED.format(title=title, id=args.id, reason=reason))
    return 0


def cmd_project_keep(args: argparse.Namespace, app: AppLike) -> int:
    """Keep a completed project in the report for one more edition."""
    app.upgrade()
    now = clock.now()
    try:
        with unit_of_work(app.sessions) as session:
            until = keep_project(
                session,
                Auditor(session, actor=args.actor, now=now),
                args.id,
                today=_today(app, now),
            )
            project = session.get_one(Project, args.id)
            title = project.short_title or project.title
    except AdminError as err:
        _err(str(err))
        return 2
    _say(PROJECT_KEPT.format(title=title, id=args.id, until=format_day(until)))
    return 0


def cmd_project_list(args: argparse.Namespace, app: AppLike) -> int:
    """The projects of the edition being collected, in number order."""
    app.upgrade()
    try:
        with unit_of_work(app.sessions) as session:
            status = collecting_status(session, _today(app, clock.now()))
            cutoff = status.cutoff
            rows = project_list(session, cutoff, department=args.department)
    except AdminError as err:
        _err(str(err))
        return 2
    _notice(status.notice())
    scope = PROJECT_LIST_SCOPE.format(department=args.department) if args.department else ""
    if not rows:
        _say(PROJECT_LIST_EMPTY.format(cutoff=format_day(cutoff), scope=scope))
        return 0
    _say(PROJECT_LIST_HEAD.format(cutoff=format_day(cutoff), count=len(rows), scope=scope))
    _say(PROJECT_LIST_ROW.format(**PROJECT_LIST_COLUMNS))
    for row in rows:
        _say(
            PROJECT_LIST_ROW.format(
                id=row.id,
                number=row.number,
                status=STATUS_LABEL[row.status],
                departments=", ".join(row.departments),
                title=row.short_title,
            )
        )
    return 0


# -- nhr department -----------------------------------------------------------------------------


def cmd_department_add(args: argparse.Namespace, app: AppLike) -> int:
    """Add a department (or reactivate a deactivated one)."""
    app.upgrade()
    try:
        with unit_of_work(app.sessions) as session:
            dep = create_department(
                session, Auditor(session, actor=args.actor, now=clock.now()), args.code, args.name
            )
            code, name = dep.code, dep.name
    except AdminError as err:
        _err(str(err))
        return 2
    _say(DEPARTMENT_CREATED.format(code=code, name=name))
    return 0


def cmd_department_rename(args: argparse.Namespace, app: AppLike) -> int:
    """Give a department a new name."""
    app.upgrade()
    try:
        with unit_of_work(app.sessions) as session:
            dep = rename_department(
                session, Auditor(session, actor=args.actor, now=clock.now()), args.code, args.name
            )
            code, name = dep.code, dep.name
    except AdminError as err:
        _err(str(err))
        return 2
    _say(DEPARTMENT_RENAMED.format(code=code, name=name))
    return 0


def cmd_department_deactivate(args: argparse.Namespace, app: AppLike) -> int:
    """Retire a department that no longer has projects."""
    app.upgrade()
    now = clock.now()
    try:
        with unit_of_work(app.sessions) as session:
            dep = deactivate_department(
                session,
                Auditor(session, actor=args.actor, now=now),
                args.code,
                cutoff=collecting_cutoff(session, _today(app, now)),
            )
            code = dep.code
    except AdminError as err:
        _err(str(err))
        return 2
    _say(DEPARTMENT_DEACTIVATED.format(code=code))
    return 0


def cmd_department_list(args: argparse.Namespace, app: AppLike) -> int:
    """Every department with its projects and contacts."""
    app.upgrade()
    with unit_of_work(app.sessions) as session:
        status = collecting_status(session, _today(app, clock.now()))
        cutoff = status.cutoff
        rows = list_departments(session, cutoff)
    _notice(status.notice())
    if not rows:
        _say(DEPARTMENT_LIST_EMPTY)
        return 0
    _say(DEPARTMENT_LIST_ROW.format(**DEPARTMENT_LIST_COLUMNS).rstrip())
    for row in rows:
        _say(
            DEPARTMENT_LIST_ROW.format(
                code=row.code,
                projects=row.projects,
                contacts=row.contacts,
                active=YES if row.active else NO,
                name=row.name or "–",
            ).rstrip()
        )
    _say(DEPARTMENT_LIST_NOTE.format(cutoff=format_day(cutoff)))
    return 0


# -- nhr audit ----------------------------------------------------------------------------------


def _value(value: Any, width: int = 60) -> str:
    text = f"„{value}“" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def audit_line(entry: AuditLog, settings: Settings) -> str:
    """One audit entry on one line, with the local time."""
    what = f"{entry.entity} {entry.entity_id}" if entry.entity_id is not None else entry.entity
    line = (
        f"{format_local(entry.at, settings.tz)}  {entry.actor}  "
        f"{ACTION_LABEL.get(entry.action, entry.action)}  {what}"
    )
    if entry.field:
        line += f"  {entry.field}: {_value(entry.before)} → {_value(entry.after)}"
    elif entry.after is not None:
        line += f"  {_value(entry.after, 100)}"
    return line


def cmd_audit(args: argparse.Namespace, app: AppLike) -> int:
    """The audit log, newest first; ``--csv FILE`` writes every matching entry."""
    app.upgrade()
    since = (
        datetime.combine(args.since, time(0), tzinfo=app.settings.tz)
        if args.since is not None
        else None
    )
    if args.csv:  # a path that cannot be written is a failure for nhr.errors (exit code 1)
        path = Path(args.csv)
        with (
            unit_of_work(app.sessions) as session,
            path.open("w", encoding="utf-8", newline="") as out,
        ):
            count = write_audit_csv(
                iter_audit_entries(session, since=since, entity=args.entity, limit=args.limit),
                out,
            )
        _say(AUDIT_EXPORTED.format(count=count, path=path))
        return 0
    limit = args.limit or AUDIT_LIMIT
    with unit_of_work(app.sessions) as session:
        lines = [
            audit_line(e, app.settings)
            for e in audit_entries(session, since=since, entity=args.entity, limit=limit + 1)
        ]
    if not lines:
        _say(AUDIT_EMPTY)
        return 0
    for line in lines[:limit]:
        _say(line)
    if len(lines) > limit:
        _say(AUDIT_MORE.format(limit=limit))
    return 0


# -- parser -------------------------------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(BAD_DAY) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(BAD_LIMIT) from None
    if value < 1:
        raise argparse.ArgumentTypeError(BAD_LIMIT)
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``project``, ``department`` and ``audit`` to the ``nhr`` command line."""
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--actor", default=ACTOR, help=texts.HELP_ACTOR)

    project = subparsers.add_parser("project", help=texts.HELP_PROJECT)
    psub = project.add_subparsers(dest="project_command", required=True)

    create = psub.add_parser("create", parents=[actor], help=texts.HELP_PROJECT_CREATE)
    create.add_argument("--field", type=int, required=True, help=texts.HELP_FIELD)
    create.add_argument("--goal", required=True, help=texts.HELP_GOAL)
    create.add_argument("--title", required=True, help=texts.HELP_TITLE)
    create.add_argument("--short-title", required=True, help=texts.HELP_SHORT_TITLE)
    create.add_argument(
        "--department",
        action="append",
        required=True,
        help=texts.HELP_CREATE_DEPARTMENT,
    )
    create.add_argument("--description", help=texts.HELP_DESCRIPTION)
    create.add_argument("--municipalities", help=texts.HELP_MUNICIPALITIES)
    create.add_argument(
        "--status",
        choices=[s.value for s in REPORT_ORDER],
        default=Status.IN_PLANUNG.value,
        help=texts.HELP_STATUS,
    )
    create.set_defaults(handler=cmd_project_create)

    edit = psub.add_parser("edit", parents=[actor], help=texts.HELP_PROJECT_EDIT)
    edit.add_argument("id", type=int, help=texts.HELP_PROJECT_ID_LIST)
    edit.add_argument("--title", help=texts.HELP_NEW_TITLE)
    edit.add_argument("--short-title", help=texts.HELP_NEW_SHORT_TITLE)
    edit.add_argument("--description", help=texts.HELP_NEW_DESCRIPTION)
    edit.add_argument(
        "--department",
        action="append",
        help=texts.HELP_EDIT_DEPARTMENT,
    )
    edit.add_argument("--municipalities", help=texts.HELP_EDIT_MUNICIPALITIES)
    edit.add_argument("--goal", help=texts.HELP_NEW_GOAL)
    edit.set_defaults(handler=cmd_project_edit)

    drop = psub.add_parser("drop", parents=[actor], help=texts.HELP_PROJECT_DROP)
    drop.add_argument("id", type=int, help=texts.HELP_PROJECT_ID)
    drop.add_argument("--reason", required=True, help=texts.HELP_REASON)
    drop.set_defaults(handler=cmd_project_drop)

    keep = psub.add_parser("keep", parents=[actor], help=texts.HELP_PROJECT_KEEP)
    keep.add_argument("id", type=int, help=texts.HELP_PROJECT_ID)
    keep.set_defaults(handler=cmd_project_keep)

    plist = psub.add_parser("list", help=texts.HELP_PROJECT_LIST)
    plist.add_argument("--department", help=texts.HELP_LIST_DEPARTMENT)
    plist.set_defaults(handler=cmd_project_list)

    department = subparsers.add_parser("department", help=texts.HELP_DEPARTMENT)
    dsub = department.add_subparsers(dest="department_command", required=True)
    add = dsub.add_parser("add", parents=[actor], help=texts.HELP_DEPARTMENT_ADD)
    add.add_argument("code", help=texts.HELP_CODE_EXAMPLE)
    add.add_argument("--name", required=True, help=texts.HELP_DEPARTMENT_NAME)
    add.set_defaults(handler=cmd_department_add)
    rename = dsub.add_parser("rename", parents=[actor], help=texts.HELP_DEPARTMENT_RENAME)
    rename.add_argument("code", help=texts.HELP_CODE)
    rename.add_argument("--name", required=True, help=texts.HELP_NEW_NAME)
    rename.set_defaults(handler=cmd_department_rename)
    deactivate = dsub.add_parser(
        "deactivate", parents=[actor], help=texts.HELP_DEPARTMENT_DEACTIVATE
    )
    deactivate.add_argument("code", help=texts.HELP_CODE)
    deactivate.set_defaults(handler=cmd_department_deactivate)
    dsub.add_parser("list", help=texts.HELP_DEPARTMENT_LIST).set_defaults(
        handler=cmd_department_list
    )
    from nhr import cli_departments

    cli_departments.register(dsub, actor)

    audit = subparsers.add_parser("audit", help=texts.HELP_AUDIT)
    audit.add_argument("--since", type=_day, help=texts.HELP_SINCE)
    audit.add_argument("--entity", help=texts.HELP_ENTITY)
    audit.add_argument(
        "--limit",
        type=_positive,
        help=texts.HELP_LIMIT.format(limit=AUDIT_LIMIT),
    )
    audit.add_argument("--csv", metavar="FILE", help=texts.HELP_AUDIT_CSV)
    audit.set_defaults(handler=cmd_audit)
