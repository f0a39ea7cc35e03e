"""``nhr doctor`` (is the installation complete and configured?) and ``nhr health`` (is the
service running and doing its work?), plus the schema check behind ``AUTO_MIGRATE=false``.

:func:`register` adds the sub-commands to the ``nhr`` parser.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nhr import texts
from nhr.console import AppLike, Refused
from nhr.console import say as _say
from nhr.texts import (
    EMPTY,
    OUTDATED,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from core.doctor import Check

SubParsers = argparse._SubParsersAction  # argparse has no public name for it


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``doctor`` and ``health`` to the ``nhr`` command line."""
    doctor = subparsers.add_parser("doctor", help=texts.HELP_DOCTOR)
    doctor.add_argument("--json", action="store_true", help=texts.HELP_JSON)
    doctor.set_defaults(handler=cmd_doctor)
    health = subparsers.add_parser("health", help=texts.HELP_HEALTH)
    health.add_argument("--json", action="store_true", help=texts.HELP_JSON)
    health.set_defaults(handler=cmd_health)


def require_current_schema(engine: Engine) -> None:
    """Refuse (:class:`~nhr.console.Refused`) unless the database is at the program's
    revision; used instead of migrating when ``AUTO_MIGRATE=false``."""
    from migrations import current_revision, head_revision

    current, expected = current_revision(engine), head_revision()
    if current == expected:
        return
    if current is None:
        raise Refused(EMPTY.format(expected=expected))
    raise Refused(OUTDATED.format(current=current, expected=expected))


def print_checks(checks: Sequence[Check], as_json: bool) -> None:
    """One line per check (✓/!/✗, name, detail) and the hint under it; or a JSON list."""
    if as_json:
        rows = [
            {"name": c.name, "status": c.status.value, "detail": c.detail, "hint": c.hint}
            for c in checks
        ]
        _say(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for check in checks:
        _say(f"{check.status.mark} {check.name}: {check.detail}")
        if check.hint:
            _say(f"    → {check.hint}")


def cmd_doctor(args: argparse.Namespace, app: AppLike) -> int:
    """Every check, one line each; exit 1 if one failed."""
    import asyncio

    from bot.common.doctor import check_get_me
    from core import doctor
    from migrations import current_revision, head_revision
    from nhr import clock

    settings = app.settings
    now = clock.now()
    checks: list[Check] = [doctor.check_token(settings), doctor.check_webhook(settings)]
    database = doctor.check_database(app.engine)
    checks.append(database)
    schema_current = False
    if not database.failed:
        schema = doctor.check_schema(current_revision(app.engine), head_revision())
        checks.append(schema)
        schema_current = not schema.failed
    checks.append(asyncio.run(check_get_me(settings)))
    checks += [
        doctor.check_fonts(settings),
        doctor.check_typesetting(settings),
        doctor.check_folder(texts.OUTPUT_FOLDER, "OUTPUT_DIR", settings.output_dir),
        doctor.check_folder(texts.BACKUP_FOLDER, "BACKUP_DIR", settings.backup_dir),
    ]
    try:
        config = settings.schedule.config()
    except ValueError as err:
        checks.append(
            doctor.fail(
                texts.SCHEDULE_CHECK,
                texts.SCHEDULE_INVALID.format(error=err),
                texts.SCHEDULE_INVALID_HINT,
            )
        )
        config = None
    if config is not None:
        checks.append(doctor.check_timezone(settings, config))
    if schema_current:
        checks.append(doctor.check_edition(app.sessions, now, settings))
    if config is not None:
        checks.append(doctor.check_schedule(config, now, app.sessions if schema_current else None))
    print_checks(checks, args.json)
    return 1 if doctor.any_failed(checks) else 0


def cmd_health(args: argparse.Namespace, app: AppLike) -> int:
    """Healthy (exit 0) or not (exit 1), with a line per check."""
    from datetime import timedelta

    from core.doctor import any_failed
    from core.health import health
    from nhr import clock

    interval = timedelta(seconds=app.settings.schedule.due_check_seconds)
    checks = health(app.engine, clock.now(), app.settings.tz, due_check_interval=interval)
    print_checks(checks, args.json)
    return 1 if any_failed(checks) else 0
