"""``nhr backup``, ``nhr restore`` and ``nhr undo``: portable backups and restore points.

:func:`register` adds the sub-commands to the ``nhr`` parser; the work is done by
:mod:`core.backup` and :mod:`core.restore_points`.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

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
    backup = subparsers.add_parser("backup", help="Die Datenbank in eine Sicherungsdatei schreiben")
    backup.add_argument(
        "file",
        metavar="DATEI",
        help="Zieldatei (.nhrbak) oder ein Ordner für einen Namen mit Zeitstempel",
    )
    backup.set_defaults(handler=cmd_backup)

    restore = subparsers.add_parser("restore", help="Eine Sicherung in die Datenbank laden")
    restore.add_argument("file", metavar="DATEI", help="Sicherungsdatei (nhr backup)")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="vorhandene Daten ersetzen (sonst nur in eine leere Datenbank)",
    )
    restore.add_argument("--dry-run", action="store_true", help="nur anzeigen, was geladen würde")
    restore.set_defaults(handler=cmd_restore)

    undo = subparsers.add_parser(
        "undo",
        help="Den letzten Import, die letzte Veröffentlichung "
        "oder Ausgabenänderung rückgängig machen",
    )
    undo.add_argument("--list", action="store_true", help="Wiederherstellungspunkte anzeigen")
    undo.add_argument(
        "--dry-run", action="store_true", help="nur anzeigen, was wiederhergestellt würde"
    )
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
    _say(f"Sicherung geschrieben: {path}")
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
    _say(f"Wiederhergestellt aus {path}:")
    _say(f"  {_source(manifest)}")
    return 0


def _restore_dry_run(path: Path, app: AppLike, *, replace: bool) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from core.backup import load_archive, row_counts

    manifest, _rows = load_archive(path)  # checks revision, checksums and counts
    _say(f"Würde laden aus {path}:")
    _say(f"  {_source(manifest)}")
    for name, table in manifest.tables.items():
        _say(f"    {name}: {table.rows}")
    try:
        present = sum(row_counts(app.engine).values())
    except SQLAlchemyError:
        present = 0  # no schema yet: the restore creates it
    if present and not replace:
        _say(
            f"Die Datenbank ist nicht leer ({present} Zeilen): ohne --replace würde nichts geladen."
        )
    elif present:
        _say(f"Die {present} Zeilen der Datenbank würden ersetzt.")
    _say("Nichts geändert (--dry-run).")
    return 0


def _point_line(point: RestorePoint) -> str:
    from core.dates import format_local

    return f"{format_local(point.created_at)}, vor „{point.command}“ ({point.rows} Zeilen)"


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
            _say(f"Keine Wiederherstellungspunkte in {directory}.")
            return 0
        _say(f"Wiederherstellungspunkte in {directory} (neueste zuerst):")
        for number, point in enumerate(points, 1):
            _say(f"  {number}. {_point_line(point)}")
            _say(f"     {point.path.name}")
        _say("nhr undo stellt den ersten wieder her; einen älteren: nhr restore DATEI --replace")
        return 0
    try:
        if args.dry_run:
            _say(f"Würde wiederherstellen: {_point_line(newest_point(directory))}")
            _say("Nichts geändert (--dry-run).")
            return 0
        app.upgrade()
        from nhr.running import single_instance

        with single_instance(app, "undo"):
            done = undo(app.engine, directory, clock.now(), app.settings.restore_points_keep)
    except BackupError as err:
        _err(str(err))
        return 1
    _say(f"Wiederhergestellt: Stand {_point_line(done.restored)}.")
    _say("Der Stand davor ist gesichert; nhr undo macht dies wieder rückgängig.")
    return 0
