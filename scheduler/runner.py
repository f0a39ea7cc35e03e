"""Wiring: APScheduler's AsyncIOScheduler inside the bot application's lifecycle.

APScheduler only triggers; the database decides what is due and what was sent, so its jobs
live in memory under fixed ids (``replace_existing=True``) and nothing is lost when the process
stops. On start the due-check runs at once, which catches up whatever fell due while the
process was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

# APScheduler 3 ships no type information.
from apscheduler.events import (  # type: ignore[import-untyped]
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]
from telegram import Bot
from telegram.ext import Application

from core.clock import Clock, PacingClock
from core.schedule import ScheduleConfig, plan
from scheduler.backups import DailyBackups
from scheduler.documents import DraftDocuments, RenderedDrafts
from scheduler.jobs import DueCheck, DueCheckReport
from scheduler.retention import RetentionJob
from scheduler.sender import Sender
from scheduler.texts import JOB_CUTOFF_DRAFT, JOB_DUE_CHECK

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DUE_CHECK_JOB_ID = "nhr:due-check"
DUE_CHECK_INTERVAL = timedelta(minutes=1)
#: How long a stop waits for jobs in progress (a due-check's current messages, a backup): within
#: systemd's TimeoutStopSec=30 of deploy/nhr.service.
STOP_GRACE = timedelta(seconds=20)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
Hook = Callable[[AnyApplication], Awaitable[None]]
#: Called with each due-check's report (``scheduler.watch.Watch``).
AfterDueCheck = Callable[[DueCheckReport], Awaitable[None]]


def cutoff_job_id(cutoff: date) -> str:
    """``nhr:cutoff-draft:2026-04-01``."""
    return f"nhr:cutoff-draft:{cutoff.isoformat()}"


class SchedulerRunner:
    """Owns the AsyncIOScheduler: a periodic due-check and one job per upcoming draft."""

    def __init__(
        self,
        due_check: DueCheck,
        clock: Clock,
        config: ScheduleConfig,
        *,
        interval: timedelta = DUE_CHECK_INTERVAL,
        after_due_check: AfterDueCheck | None = None,
        backups: DailyBackups | None = None,
        retention: RetentionJob | None = None,
    ) -> None:
        self.due_check = due_check
        self.after_due_check = after_due_check
        self.backups = backups
        self.retention = retention
        self._clock = clock
        self._config = config
        self._interval = interval
        self.scheduler: AsyncIOScheduler | None = None
        self._running = 0  # jobs submitted and not yet finished
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        """Start the scheduler on the running event loop; the first due-check runs at once."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self._due_check,
            IntervalTrigger(seconds=self._interval.total_seconds()),
            id=DUE_CHECK_JOB_ID,
            name=JOB_DUE_CHECK,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        self.scheduler = scheduler
        self._schedule_cutoff_jobs(scheduler)
        if self.backups is not None:
            self.backups.schedule(scheduler)
        if self.retention is not None:
            self.retention.schedule(scheduler)
        scheduler.add_listener(
            self._count_jobs, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        scheduler.start()
        log.info("scheduler started: %s", ", ".join(sorted(j.id for j in scheduler.get_jobs())))

    async def shutdown(self) -> None:
        """Stop triggering, let the jobs in progress finish (at most :data:`STOP_GRACE`), then
        stop the scheduler. Its executor cancels whatever still runs: without the wait a stop
        during a due-check or a backup cancelled it halfway and printed a traceback."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()
            try:
                await asyncio.wait_for(self._idle.wait(), STOP_GRACE.total_seconds())
            except TimeoutError:
                log.warning("scheduler stopped with %d job(s) still running", self._running)
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    def _count_jobs(self, event: JobEvent) -> None:
        """APScheduler's listener: how many jobs run right now."""
        if event.code == EVENT_JOB_SUBMITTED:
            self._running += 1
            self._idle.clear()
            return
        self._running = max(0, self._running - 1)
        if self._running == 0:
            self._idle.set()

    def job_ids(self) -> list[str]:
        """Ids of the scheduled jobs, sorted."""
        return sorted(j.id for j in self.scheduler.get_jobs()) if self.scheduler else []

    def _schedule_cutoff_jobs(self, scheduler: AsyncIOScheduler) -> None:
        now = self._clock.now()
        for cutoff in self.due_check.cutoffs(now):
            draft_at = plan(cutoff, self._config).draft
            if draft_at > now:
                scheduler.add_job(
                    self._cutoff_job,
                    DateTrigger(run_date=draft_at),
                    id=cutoff_job_id(cutoff),
                    name=JOB_CUTOFF_DRAFT.format(cutoff=cutoff.isoformat()),
                    replace_existing=True,
                    misfire_grace_time=None,
                )

    async def _due_check(self) -> None:
        try:
            report = await self.due_check.run()
            if self.scheduler is not None:  # the edition being collected may have changed
                self._schedule_cutoff_jobs(self.scheduler)
            if self.after_due_check is not None:
                await self.after_due_check(report)
        except Exception:  # a failed run must not stop the next one
            log.exception("due-check failed")

    async def _cutoff_job(self) -> None:
        await self._due_check()  # also schedules the next draft


def build_runner(
    bot: Bot,
    sessions: sessionmaker[Session],
    clock: PacingClock,
    config: ScheduleConfig,
    *,
    drafts: DraftDocuments | None = None,
    interval: timedelta = DUE_CHECK_INTERVAL,
    after_due_check: AfterDueCheck | None = None,
    backups: DailyBackups | None = None,
    retention: RetentionJob | None = None,
) -> SchedulerRunner:
    """The scheduler for ``bot``: sender, due-check, daily backups, retention and runner,
    composed."""
    sender = Sender(bot, sessions, clock, config, drafts or RenderedDrafts(sessions))
    return SchedulerRunner(
        DueCheck(sessions, sender, clock, config),
        clock,
        config,
        interval=interval,
        after_due_check=after_due_check,
        backups=backups,
        retention=retention,
    )


def attach(application: AnyApplication, runner: SchedulerRunner) -> None:
    """Start ``runner`` after the application initialised and stop it before it shuts down,
    keeping any ``post_init``/``post_shutdown`` hooks the bot set itself."""
    bot_post_init: Hook | None = application.post_init
    bot_post_shutdown: Hook | None = application.post_shutdown

    async def post_init(app: AnyApplication) -> None:
        if bot_post_init is not None:
            await bot_post_init(app)
        await runner.start()

    async def post_shutdown(app: AnyApplication) -> None:
        await runner.shutdown()
        if bot_post_shutdown is not None:
            await bot_post_shutdown(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
