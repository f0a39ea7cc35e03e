"""The scheduler's two jobs: the periodic due-check and the cutoff job.

Both do the same thing, read everything from the database and are safe to run at any time, in
any number of processes: plan what is due now, claim it, send it. The cutoff job only exists
so the draft leaves at its minute instead of at the next tick of the due-check.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from core.clock import Clock
from core.db import unit_of_work
from core.notifications import claim_due, cutoffs_to_plan, plan_notifications
from core.schedule import ScheduleConfig, is_working_time, working_time
from scheduler.sender import DeliveryReport, Sender

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

BATCH = 100  # rows claimed at a time: a few seconds of sending, far inside the lease


@dataclass
class DueCheckReport:
    """What one due-check did."""

    at: datetime
    outside_office_hours: bool = False
    created: list[str] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


class DueCheck:
    """Plans, claims and sends everything due; one run at a time per process."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        sender: Sender,
        clock: Clock,
        config: ScheduleConfig,
        *,
        batch: int = BATCH,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._clock = clock
        self._config = config
        self._batch = batch
        self._running = asyncio.Lock()

    def cutoffs(self, now: datetime) -> tuple[date, ...]:
        """The editions looked after at ``now``: the one being collected (see
        :func:`core.notifications.cutoffs_to_plan`)."""
        with unit_of_work(self._sessions) as session:
            return cutoffs_to_plan(session, now, self._config)

    def next_working_moment(self) -> datetime:
        """When sending is next allowed (now, during office hours)."""
        return working_time(self._clock.now(), self._config)

    async def run(self) -> DueCheckReport:
        """Plan what is due now, then send it batch by batch while office hours last."""
        async with self._running:
            now = self._clock.now()
            report = DueCheckReport(at=now)
            if not is_working_time(now, self._config):
                report.outside_office_hours = True
                return report
            with unit_of_work(self._sessions) as session:
                for cutoff in cutoffs_to_plan(session, now, self._config):
                    report.created += plan_notifications(session, cutoff, now, self._config)
            while is_working_time(now := self._clock.now(), self._config):
                with unit_of_work(self._sessions) as session:
                    claimed = claim_due(session, now, limit=self._batch)
                if not claimed:
                    break
                delivery = await self._sender.deliver(claimed)
                report.delivery.merge(delivery)
                if delivery.released:
                    break
            if report.created or report.delivery.sent or report.delivery.failed:
                log.info(
                    "due-check: %d planned, %d sent, %d failed, %d unreachable",
                    len(report.created),
                    len(report.delivery.sent),
                    len(report.delivery.failed),
                    len(report.delivery.unreachable),
                )
            return report
