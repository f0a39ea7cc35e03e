"""The daily backup of ``nhr run``: :func:`core.restore_points.daily_backup` on a timer.

The job runs at start and then every hour; the backup folder, not memory, says whether
today's backup exists, so a process that was down at night catches up at once and a day never
gets two. The archive is written in a worker thread: the bot keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

# APScheduler 3 ships no type information.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from core.backup import BackupError
from core.clock import Clock
from core.restore_points import DailyBackup, daily_backup
from scheduler.texts import JOB_DAILY_BACKUP

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

DAILY_BACKUP_JOB_ID = "nhr:daily-backup"
DAILY_BACKUP_INTERVAL = timedelta(hours=1)


class DailyBackups:
    """Keeps one backup a day in ``directory`` for ``keep_days`` days."""

    def __init__(self, engine: Engine, directory: Path, keep_days: int, clock: Clock) -> None:
        self._engine = engine
        self._directory = directory
        self._keep_days = keep_days
        self._clock = clock

    async def run(self) -> DailyBackup | None:
        """Write today's backup if it is missing and prune old ones; None if it failed (the
        failure is logged, the next run tries again)."""
        try:
            result = await asyncio.to_thread(
                daily_backup, self._engine, self._directory, self._clock.now(), self._keep_days
            )
        except BackupError as err:
            log.error("daily backup failed: %s", err)
            return None
        except Exception:  # a failed run must not stop the next one
            log.exception("daily backup failed")
            return None
        if result.written is not None:
            log.info(
                "daily backup written: %s (%d old removed)", result.written, len(result.pruned)
            )
        return result

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        """Add the job: at once, then every hour."""
        scheduler.add_job(
            self.run,
            IntervalTrigger(seconds=DAILY_BACKUP_INTERVAL.total_seconds()),
            id=DAILY_BACKUP_JOB_ID,
            name=JOB_DAILY_BACKUP,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
