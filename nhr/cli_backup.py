"""``nhr backup``, ``nhr restore`` and ``nhr undo``: portable backups and restore points.

:func:`register` adds the sub-commands to the ``nhr`` parser; the work is done by
:mod:`core.backup` and :mod:`core.restore_points`.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from nhr import texts
from nhr.console import AppLike
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.undo import restore_point

if TYPE_CHECKING:
    from core.backup import Manifest
    from core.restore_points import RestorePoint

SubParsers = argparse._SubParsersAction  # argparse has no public name for it


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``backup``, ``restore`` and ``undo`` to the ``nhr`` command line."""
    backup = subparsers.add_parser("backup", help=texts.HELP_BACKUP)
    backup.add_argument(
        "file",
        metavar="DATEI",
        help=texts.HELP_BACKUP_FILE,
    )
    backup.set_defaults(handler=cmd_backup)

    restore = subparsers.add_parser("restore", help=texts.HELP_RESTORE)
    restore.add_argument("file", metavar="DATEI", help=texts.HELP_RESTORE_FILE)
    restore.add_argument(
        "--replace",
        action="store_true",
        help=texts.HELP_RESTORE_REPLACE,
    )
    restore.add_argument("--dry-run", action="store_true", help=texts.HELP_RESTORE_DRY_RUN)
    restore.set_defaults(handler=cmd_restore)

    undo = subparsers.add_parser("undo", help=texts.HELP_UNDO)
    undo.add_argument("--list", action="store_true", help=texts.HELP_UNDO_LIST)
    undo.add_argument("--dry-run", action="store_true", help=texts.HELP_UNDO_DRY_RUN)
    undo.set_defaults(handler=cmd_undo)


def _source(manifest: Manifest) -> str:
    from core.backup import describe

    return describe(manifest)


def cmd_backup(args: argparse.Namespace, app: AppLike) -> int:
    """Write every table into one archive (a consistent snapshot, also while the bot runs)."""
    from core.backup import SUFFIX, BackupError, write_backup
    from nhr import clock

    app.upgrade()
    now = clock.now()
    path = Path(args.file)
    if path.is_dir():
        path = path / f"nhr-{now:%Y-%m-%dT%H-%M-%SZ}{SUFFIX}"
    try:
        manifest = write_backup(app.engine, path, now)
    except BackupError as err:
        _err(str(err))
        return 1
    _say(texts.BACKUP_WRITTEN.format(path=path))
    _say(f"  {_source(manifest)}")
    return 0


def cmd_restore(args: argparse.Namespace, app: AppLike) -> int:
    """Load an archive into an empty database (or replace its data with ``--replace``, after a
    restore point). Refused while ``nhr run`` or ``nhr bot`` holds the database."""
    from core.backup import BackupError, load_archive, prepare_target, restore_backup
    from nhr.running import single_instance

    path = Path(args.file)
    try:
        if args.dry_run:
            return _restore_dry_run(path, app, replace=args.replace)
        load_archive(path)  # a wrong file is refused before the database is touched
        prepare_target(app.engine)  # a new database gets its schema (and the lock's table)
        with (
            single_instance(app, "restore"),
            restore_point(app, "restore") if args.replace else nullcontext(),
        ):
            manifest = restore_backup(app.engine, path, replace=args.replace)
    except BackupError as err:
        _err(str(err))
        return 1
    _say(texts.RESTORED_FROM.format(path=path))
    _say(f"  {_source(manifest)}")
    return 0


def _restore_dry_run(path: Path, app: AppLike, *, replace: bool) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from core.backup import load_archive, row_counts

    manifest, _rows = load_archive(path)  # checks revision, checksums and counts
    _say(texts.WOULD_LOAD_FROM.format(path=path))
    _say(f"  {_source(manifest)}")
    for name, table in manifest.tables.items():
        _say(f"    {name}: {table.rows}")
    try:
        present = sum(row_counts(app.engine).values())
    except SQLAlchemyError:
        present = 0  # no schema yet: the restore creates it
    if present and not replace:
        _say(texts.RESTORE_NOT_EMPTY.format(rows=present))
    elif present:
        _say(texts.RESTORE_WOULD_REPLACE.format(rows=present))
    _say(texts.NOTHING_CHANGED_DRY_RUN)
    return 0


def _point_line(point: RestorePoint) -> str:
    from core.dates import format_local

    return texts.POINT_LINE.format(
        at=format_local(point.created_at), command=point.command, rows=point.rows
    )


def cmd_undo(args: argparse.Namespace, app: AppLike) -> int:
    """Return to the newest restore point (the state before the last import, publish or edition
    change); the state it leaves becomes a restore point itself. Refused while ``nhr run`` or
    ``nhr bot`` holds the database."""
    from core.backup import BackupError
    from core.restore_points import list_points, newest_point, undo
    from nhr import clock

    directory = app.settings.backup_dir
    if args.list:
        points = list_points(directory)
        if not points:
            _say(texts.NO_POINTS.format(directory=directory))
            return 0
        _say(texts.POINTS_HEAD.format(directory=directory))
        for number, point in enumerate(points, 1):
            _say(f"  {number}. {_point_line(point)}")
            _say(f"     {point.path.name}")
        _say(texts.POINTS_HINT)
        return 0
    try:
        if args.dry_run:
            _say(texts.WOULD_RESTORE.format(point=_point_line(newest_point(directory))))
            _say(texts.NOTHING_CHANGED_DRY_RUN)
            return 0
        app.upgrade()
        from nhr.running import single_instance

        with single_instance(app, "undo"):
            done = undo(app.engine, directory, clock.now(), app.settings.restore_points_keep)
    except BackupError as err:
        _err(str(err))
        return 1
    _say(texts.RESTORED.format(point=_point_line(done.restored)))
    _say(texts.UNDO_SAVED_BEFORE)
    return 0
