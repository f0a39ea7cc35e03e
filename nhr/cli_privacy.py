"""``nhr contacts export|erase|purge``: a person's data (Art. 15 and 17 DSGVO) and retention.

:func:`register` adds the three commands to the ``contacts`` sub-parser of :mod:`nhr.cli_bot`;
the services are :mod:`core.privacy` and :mod:`core.retention`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session

from core.dates import format_day
from core.db import unit_of_work
from core.models import Contact
from core.privacy import AmbiguousPerson, ErasureReport, PersonError, erase_person, export_person
from core.privacy import find_person as _find_person
from core.texts import os_reason
from nhr import clock
from nhr.console import AppLike
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.texts import (
    CANDIDATE,
    CANDIDATES_HINT,
    CANNOT_WRITE,
    DRY_RUN_HELP,
    ERASE_ABORTED,
    ERASE_CONFIRM,
    ERASE_COUNTS,
    ERASE_DONE,
    ERASE_DRY_RUN,
    ERASE_HELP,
    ERASE_KEPT,
    ERASE_NEEDS_YES,
    EXPORT_HELP,
    EXPORT_SUMMARY,
    EXPORT_WRITTEN,
    OUT_HELP,
    PURGE_CONVERSATIONS,
    PURGE_DRY_RUN,
    PURGE_HEAD,
    PURGE_HELP,
    PURGE_NO_NOTIFICATIONS,
    PURGE_NOTIFICATIONS,
    TABLE_LABELS,
    WHO_HELP,
    YES_HELP,
)

ACTOR: Final = "cli"


def _find(session: Session, who: str, command: str) -> Contact | None:
    """The person, or None after printing why not (candidates for an ambiguous name)."""
    try:
        return _find_person(session, who)
    except AmbiguousPerson as err:
        _err(str(err))
        for c in err.candidates:
            _err(
                CANDIDATE.format(
                    id=c.id,
                    name=c.name,
                    departments=", ".join(d.code for d in c.departments) or "–",
                    inactive="" if c.active else ", gesperrt",
                )
            )
        _err(CANDIDATES_HINT.format(command=command, id=err.candidates[0].id))
    except PersonError as err:
        _err(str(err))
    return None


def cmd_export(args: argparse.Namespace, app: AppLike) -> int:
    """Everything stored about one person as JSON; a short summary on stderr."""
    app.upgrade()
    with unit_of_work(app.sessions) as session:
        contact = _find(session, args.who, "export")
        if contact is None:
            return 2
        record = export_person(session, contact, clock.now())
        name, contact_id = contact.name, contact.id
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        path = Path(args.out)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as err:
            _err(CANNOT_WRITE.format(path=path, reason=os_reason(err)))
            return 1
        _err(EXPORT_WRITTEN.format(path=path))
    else:
        sys.stdout.write(text)
    records = record["records"]
    parts = [f"Abteilungen: {len(record['person']['departments'])}"] + [
        f"{TABLE_LABELS.get(table, table)}: {len(rows)}" for table, rows in records.items()
    ]
    _err(EXPORT_SUMMARY.format(name=name, id=contact_id, parts=", ".join(parts)))
    return 0


def _print_counts(report: ErasureReport) -> None:
    counts = report.counts()
    for key, label in ERASE_COUNTS:
        _say(f"  {label}: {counts[key]}")


def cmd_erase(args: argparse.Namespace, app: AppLike) -> int:
    """Erase one person's personal data; ``--dry-run`` counts, without ``--yes`` it asks."""
    app.upgrade()
    # First a dry run: it checks everything and counts, and holds no lock while we ask.
    with app.sessions() as session:
        contact = _find(session, args.who, "erase")
        if contact is None:
            return 2
        name, contact_id = contact.name, contact.id
        try:
            planned = erase_person(session, contact, actor=ACTOR, now=clock.now())
        except PersonError as err:
            _err(str(err))
            return 1
        finally:
            session.rollback()
    if args.dry_run or not args.yes:
        _say(ERASE_DRY_RUN.format(name=name, id=contact_id))
        _print_counts(planned)
    if args.dry_run:
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            _err(ERASE_NEEDS_YES)
            return 2
        if input(ERASE_CONFIRM).strip().casefold() not in ("j", "ja", "y", "yes"):
            _err(ERASE_ABORTED)
            return 1
    try:
        with unit_of_work(app.sessions) as session:
            contact = session.get_one(Contact, contact_id)
            report = erase_person(session, contact, actor=ACTOR, now=clock.now())
            alias = contact.name
    except PersonError as err:
        _err(str(err))
        return 1
    _say(ERASE_DONE.format(name=name, id=contact_id, alias=alias))
    _print_counts(report)
    _say(ERASE_KEPT)
    return 0


def cmd_purge(args: argparse.Namespace, app: AppLike) -> int:
    """Delete conversation state and notifications of rounds whose retention period is over."""
    from core.retention import purge_expired

    app.upgrade()
    days = app.settings.retention_days_after_round
    config = app.settings.schedule.config()
    with app.sessions() as session:
        report = purge_expired(session, clock.now(), days=days, config=config)
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    _say(PURGE_HEAD.format(days=days, cutoff=format_day(report.round_cutoff)))
    if args.dry_run:
        _say(PURGE_DRY_RUN)
    _say(
        PURGE_CONVERSATIONS.format(
            cutoff=format_day(report.round_cutoff), count=report.conversations
        )
    )
    if report.notification_cutoffs:
        _say(
            PURGE_NOTIFICATIONS.format(
                cutoffs=", ".join(format_day(c) for c in report.notification_cutoffs),
                count=report.notifications,
            )
        )
    else:
        _say(PURGE_NO_NOTIFICATIONS)
    return 0


def register(contacts: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``, ``erase`` and ``purge`` to ``nhr contacts``."""
    export = contacts.add_parser("export", help=EXPORT_HELP)
    export.add_argument("who", help=WHO_HELP)
    export.add_argument("--out", help=OUT_HELP)
    export.set_defaults(handler=cmd_export)

    erase = contacts.add_parser("erase", help=ERASE_HELP)
    erase.add_argument("who", help=WHO_HELP)
    erase.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)
    erase.add_argument("--yes", action="store_true", help=YES_HELP)
    erase.set_defaults(handler=cmd_erase)

    purge = contacts.add_parser("purge", help=PURGE_HELP)
    purge.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)
    purge.set_defaults(handler=cmd_purge)
