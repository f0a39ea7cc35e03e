"""The daily retention job: :func:`core.retention.purge_expired` at 03:30 local time."""

from __future__ import annotations

import logging
from datetime import time
from typing import TYPE_CHECKING

# APScheduler 3 ships no type information.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from core.clock import Clock
from core.db import unit_of_work
from core.retention import PurgeReport, purge_expired
from core.schedule import ScheduleConfig

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

RETENTION_JOB_ID = "nhr:retention"
RETENTION_AT = time(3, 30)  # local time: no messages go out, nobody is at work


class RetentionJob:
    """Deletes conversation state and notifications once a round's retention period is over."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, config: ScheduleConfig, days: int
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._config = config
        self.days = days

    def run(self) -> PurgeReport:
        """One retention run, committed."""
        with unit_of_work(self._sessions) as session:
            report = purge_expired(session, self._clock.now(), days=self.days, config=self._config)
        if report.conversations or report.notifications:
            log.info(
                "retention: %d conversations, %d notifications deleted",
                report.conversations,
                report.notifications,
            )
        return report

    async def _run_logged(self) -> None:
        try:
            self.run()
        except Exception:  # a failed run must not stop tomorrow's
            log.exception("retention run failed")

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        """Add the job: daily at 03:30 local time."""
        scheduler.add_job(
            self._run_logged,
            CronTrigger(
                hour=RETENTION_AT.hour, minute=RETENTION_AT.minute, timezone=self._config.tz
            ),
            id=RETENTION_JOB_ID,
            name="Aufbewahrungsfristen anwenden",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
