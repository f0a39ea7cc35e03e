"""Restore points and daily backups in the backup folder (``BACKUP_DIR``).

- A *restore point* is a backup taken just before a damaging command (an import, a publish,
  an edition change, a restore) and kept only if the command changed the database, so the
  newest point is always the state before the last real change. :func:`undo` returns to it,
  after taking a point of the state it leaves: undoing twice returns to where one was.
  Named ``2026-12-06T18-03-12Z-vor-import-report.nhrbak``; the newest
  ``RESTORE_POINTS_KEEP`` are kept.
- A *daily backup* (``2026-12-06-taeglich.nhrbak``, the day in Europe/Berlin) is written by
  ``nhr run`` once a day; those of the last ``BACKUP_KEEP_DAYS`` days are kept.

Time comes in as ``now`` (aware UTC); nothing here reads a clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from core import texts
from core.backup import (
    SUFFIX,
    BackupError,
    Manifest,
    checksums,
    read_manifest,
    restore_backup,
    write_backup,
)
from core.dates import BERLIN
from core.texts import os_reason

POINT_KIND = "restore-point"
DAILY_KIND = "daily"
_DAILY = re.compile(r"^(\d{4}-\d{2}-\d{2})-taeglich" + re.escape(SUFFIX) + "$")


@dataclass(frozen=True)
class RestorePoint:
    """A backup of the database as it was before ``command``."""

    path: Path
    created_at: datetime
    command: str
    rows: int
    sums: dict[str, str] = field(repr=False, default_factory=dict)

    @classmethod
    def of(cls, path: Path, manifest: Manifest) -> RestorePoint:
        return cls(
            path, manifest.created_at, manifest.command or "?", manifest.rows, manifest.checksums()
        )


@dataclass(frozen=True)
class Undone:
    """What :func:`undo` did: the point it restored, and the point of the state it left."""

    restored: RestorePoint
    saved: RestorePoint


def _folder(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BackupError(
            texts.BACKUP_DIR_NOT_CREATABLE.format(directory=directory, reason=os_reason(err))
        ) from err
    return directory


def _slug(command: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-") or "befehl"


def point_path(directory: Path, now: datetime, command: str) -> Path:
    """A new file name for a point taken at ``now`` before ``command``."""
    stem = f"{now.astimezone(UTC):%Y-%m-%dT%H-%M-%SZ}-vor-{_slug(command)}"
    path, n = directory / f"{stem}{SUFFIX}", 2
    while path.exists():
        path, n = directory / f"{stem}-{n}{SUFFIX}", n + 1
    return path


def take_point(
    engine: Engine, directory: Path, command: str, now: datetime, keep: int
) -> RestorePoint:
    """Back up the database as a restore point before ``command``; prune to ``keep`` points."""
    path = point_path(_folder(directory), now, command)
    manifest = write_backup(engine, path, now, kind=POINT_KIND, command=command)
    prune_points(directory, keep)
    return RestorePoint.of(path, manifest)


def list_points(directory: Path) -> list[RestorePoint]:
    """The restore points in ``directory``, newest first (unreadable files are left out)."""
    points: list[RestorePoint] = []
    for path in directory.glob(f"*-vor-*{SUFFIX}") if directory.is_dir() else ():
        try:
            manifest = read_manifest(path)
        except BackupError:
            continue
        if manifest.kind == POINT_KIND:
            points.append(RestorePoint.of(path, manifest))
    return sorted(points, key=lambda p: (p.created_at, p.path.name), reverse=True)


def prune_points(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` restore points; returns the deleted files."""
    gone = [p.path for p in list_points(directory)[max(keep, 1) :]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def discard_if_unchanged(engine: Engine, point: RestorePoint) -> bool:
    """Delete ``point`` if the database still equals it (the command wrote nothing), so the
    newest point always undoes a real change. True if it was deleted."""
    if checksums(engine) != point.sums:
        return False
    point.path.unlink(missing_ok=True)
    return True


def newest_point(directory: Path) -> RestorePoint:
    """The point :func:`undo` would restore; :class:`BackupError` if there is none."""
    points = list_points(directory)
    if not points:
        raise BackupError(texts.NO_RESTORE_POINT.format(directory=directory))
    return points[0]


def undo(engine: Engine, directory: Path, now: datetime, keep: int) -> Undone:
    """Restore the newest restore point, after taking a point of the current state (so this
    undo can be undone in turn). Nothing changes if the restore fails."""
    target = newest_point(directory)
    saved = take_point(engine, directory, "undo", now, keep + 1)  # target must survive pruning
    try:
        restore_backup(engine, target.path, replace=True)
    except BaseException:
        saved.path.unlink(missing_ok=True)
        raise
    prune_points(directory, keep)
    return Undone(target, saved)


# -- daily backups ------------------------------------------------------------------------


@dataclass(frozen=True)
class DailyBackup:
    """What one run of :func:`daily_backup` did."""

    written: Path | None
    pruned: list[Path]


def daily_path(directory: Path, day: date) -> Path:
    """``2026-12-06-taeglich.nhrbak``."""
    return directory / f"{day.isoformat()}-taeglich{SUFFIX}"


def daily_backup(
    engine: Engine, directory: Path, now: datetime, keep_days: int, tz: ZoneInfo = BERLIN
) -> DailyBackup:
    """Write today's backup (the day at ``now`` in ``tz``) unless it exists, and delete the
    daily backups older than ``keep_days`` days. Safe to run any number of times a day."""
    today = now.astimezone(tz).date()
    path = daily_path(_folder(directory), today)
    written = None
    if not path.exists():
        write_backup(engine, path, now, kind=DAILY_KIND)
        written = path
    oldest = today - timedelta(days=max(keep_days, 1) - 1)
    pruned = []
    for old in sorted(directory.iterdir()):
        match = _DAILY.match(old.name)
        if match and date.fromisoformat(match[1]) < oldest:
            old.unlink(missing_ok=True)
            pruned.append(old)
    return DailyBackup(written, pruned)
