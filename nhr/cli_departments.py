"""``nhr department import FILE.csv``: the departments' names from a two-column CSV file.

:func:`register` adds the sub-command to ``nhr department`` (called from :mod:`nhr.cli_admin`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.texts import os_reason
from nhr.console import AppLike
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.texts import (
    CANNOT_READ,
    DRY_RUN,
    HELP_DEPARTMENTS_DRY_RUN,
    HELP_DEPARTMENTS_FILE,
    IMPORT_HELP,
    NEW,
    RENAMED,
    SUMMARY,
)
from nhr.undo import undoable


def register(
    dsub: argparse._SubParsersAction[argparse.ArgumentParser], actor: argparse.ArgumentParser
) -> None:
    """Add ``import`` to ``nhr department``."""
    imp = dsub.add_parser("import", parents=[actor], help=IMPORT_HELP)
    imp.add_argument("file", help=HELP_DEPARTMENTS_FILE)
    imp.add_argument("--dry-run", action="store_true", help=HELP_DEPARTMENTS_DRY_RUN)
    imp.set_defaults(handler=cmd_department_import)


@undoable("department import")
def cmd_department_import(args: argparse.Namespace, app: AppLike) -> int:
    """Read the file, then add or rename the departments in one transaction."""
    from core.admin import AdminError
    from core.audit import Auditor
    from core.db import unit_of_work
    from core.department_import import (
        decode,
        import_departments,
        parse_departments,
        plan_departments,
    )
    from nhr import clock

    path = Path(args.file)
    try:
        text = decode(path.read_bytes())
    except OSError as problem:
        _err(CANNOT_READ.format(path=path, reason=os_reason(problem)))
        return 2
    try:
        rows = parse_departments(text)
    except AdminError as problem:
        _err(str(problem))
        return 2
    app.upgrade()
    with unit_of_work(app.sessions) as session:
        if args.dry_run:
            plan = plan_departments(session, rows)
        else:
            plan = import_departments(
                session, Auditor(session, actor=args.actor, now=clock.now()), rows
            )
    for code, name in plan.new:
        _say(NEW.format(code=code, name=name))
    for code, old, name in plan.renamed:
        _say(RENAMED.format(code=code, old=old or "–", name=name))
    _say(
        SUMMARY.format(new=len(plan.new), renamed=len(plan.renamed), unchanged=len(plan.unchanged))
    )
    if args.dry_run:
        _say(DRY_RUN)
    return 0
