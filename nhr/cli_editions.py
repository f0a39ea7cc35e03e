"""``nhr edition``: list the editions, choose the one being collected, publish one.

:func:`register` adds the sub-commands to the ``nhr`` parser; handlers take ``(args, app)``
like those in :mod:`nhr.cli` and call :mod:`core.editions` in one short transaction each.
A refused command writes nothing and exits with 2; an edition that does not render is not
published (exit 1).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

from nhr import clock, texts
from nhr.console import cutoff_arg
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.texts import (
    COLLECT_DONE,
    COLLECT_DRY,
    COLLECT_OPEN_LEFT,
    COLLECT_UNCHANGED,
    COLLECTING_WHY,
    IMPORTED,
    LIST_COLUMNS,
    LIST_MARK,
    LIST_NOTE,
    LIST_ROW,
    NONE,
    PUBLISH_DRY,
    PUBLISHED,
    STANDING_LABEL,
)
from nhr.undo import undoable

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from core.editions import CollectingEdition, EditionSummary
    from nhr.console import AppLike

SubParsers = argparse._SubParsersAction  # argparse has no public name for it

ACTOR: Final = "cli"


def _today(app: AppLike, now: datetime) -> date:
    return now.astimezone(app.settings.tz).date()


# -- commands -----------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace, app: AppLike) -> int:
    """Every edition with its state, dates and counts, and the one being collected."""
    from core.dates import format_day
    from core.db import unit_of_work
    from core.editions import list_editions

    app.upgrade()
    today = _today(app, clock.now())
    with unit_of_work(app.sessions) as session:
        rows, status = list_editions(session, today)
    _say(LIST_ROW.format(**LIST_COLUMNS).rstrip())
    for row in rows:
        _say(
            LIST_ROW.format(
                cutoff=format_day(row.cutoff),
                standing=STANDING_LABEL[row.standing.value],
                published=_published(row, app.settings.tz),
                projects=NONE if row.projects is None else row.projects,
                submissions=row.submissions,
                mark=LIST_MARK if row.cutoff == status.cutoff else "",
            ).rstrip()
        )
    _say(
        COLLECTING_WHY[status.source.value].format(
            cutoff=format_day(status.cutoff),
            last=format_day(status.last_published) if status.last_published else "",
        )
    )
    _say(LIST_NOTE)
    _notice(status)
    return 0


def _published(row: EditionSummary, tz: ZoneInfo) -> str:
    """When it was published (local time), ``importiert`` (published by an import), or ``–``."""
    from core.dates import format_local

    if row.published_at is not None:
        return format_local(row.published_at, tz)
    return IMPORTED if row.standing.value == "published" else NONE


def _notice(status: CollectingEdition) -> None:
    notice = status.notice()
    if notice:
        _err(notice)


@undoable("edition collect")
def cmd_collect(args: argparse.Namespace, app: AppLike) -> int:
    """Choose the edition being collected (only one after the last published edition)."""
    from core.audit import Auditor
    from core.dates import format_day
    from core.db import unit_of_work
    from core.editions import EditionError, check_collecting_choice, choose_collecting

    app.upgrade()
    now = clock.now()
    today = _today(app, now)
    try:
        with unit_of_work(app.sessions) as session:
            if args.dry_run:
                choice = check_collecting_choice(session, args.edition, today)
            else:
                choice = choose_collecting(
                    session, args.edition, Auditor(session, actor=args.actor, now=now), today
                )
    except EditionError as err:
        _err(str(err))
        return 2
    cutoff, before = format_day(choice.cutoff), format_day(choice.before.cutoff)
    if choice.unchanged:
        _say(COLLECT_UNCHANGED.format(cutoff=cutoff))
        return 0
    _say((COLLECT_DRY if args.dry_run else COLLECT_DONE).format(cutoff=cutoff, before=before))
    if choice.open_left:
        _say(COLLECT_OPEN_LEFT.format(count=choice.open_left, before=before, cutoff=cutoff))
    return 0


@undoable("edition publish")
def cmd_publish(args: argparse.Namespace, app: AppLike) -> int:
    """Publish an edition: it must render; its numbering is frozen for good."""
    from core.audit import Auditor
    from core.dates import format_day
    from core.db import unit_of_work
    from core.editions import EditionDoesNotRender, EditionError, publish_edition

    app.upgrade()
    now = clock.now()
    try:
        with unit_of_work(app.sessions) as session:
            edition = publish_edition(
                session,
                args.edition,
                Auditor(session, actor=args.actor, now=now),
                now,
                app.settings.render_options,
            )
            count = len(edition.entries)
            if args.dry_run:  # everything checked and rendered; nothing kept
                session.rollback()
    except EditionDoesNotRender as err:
        _err(str(err))
        return 1
    except EditionError as err:
        _err(str(err))
        return 2
    _say(
        (PUBLISH_DRY if args.dry_run else PUBLISHED).format(
            cutoff=format_day(args.edition), count=count
        )
    )
    return 0


# -- parser -------------------------------------------------------------------------------------


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``edition list``, ``edition collect`` and ``edition publish`` to ``nhr``."""
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--actor", default=ACTOR, help=texts.HELP_ACTOR)

    edition = subparsers.add_parser("edition", help=texts.HELP_EDITION)
    edition_sub = edition.add_subparsers(dest="edition_command", required=True)

    listing = edition_sub.add_parser("list", help=texts.HELP_EDITION_LIST)
    listing.set_defaults(handler=cmd_list)

    collect = edition_sub.add_parser("collect", parents=[actor], help=texts.HELP_EDITION_COLLECT)
    collect.add_argument(
        "--edition",
        type=cutoff_arg,
        required=True,
        help=texts.HELP_COLLECT_EDITION,
    )
    collect.add_argument("--dry-run", action="store_true", help=texts.HELP_COLLECT_DRY_RUN)
    collect.set_defaults(handler=cmd_collect)

    publish = edition_sub.add_parser(
        "publish",
        parents=[actor],
        help=texts.HELP_EDITION_PUBLISH,
    )
    publish.add_argument(
        "--edition",
        type=cutoff_arg,
        required=True,
        help=texts.HELP_PUBLISH_EDITION,
    )
    publish.add_argument(
        "--dry-run",
        action="store_true",
        help=texts.HELP_PUBLISH_DRY_RUN,
    )
    publish.set_defaults(handler=cmd_publish)
