"""After each due-check of ``nhr run``: note it on the instance row (for ``nhr health``) and
tell the coordinators once when sending has failed for a while or when the service finds
runs it missed while it was down (see :mod:`core.alerts`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.alerts import ALERT_PREFIX, alert_missed_runs, alert_sending_failed
from core.clock import Clock
from core.db import unit_of_work
from core.health import FAILING_AFTER, due_check_allowance
from core.instance import read_holder, record_due_check
from core.schedule import ScheduleConfig
from scheduler.jobs import DueCheckReport

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


class Watch:
    """The hook the scheduler runner calls with each due-check's report.

    ``down_since`` is the previous instance's last due-check (None on a first start); a gap
    longer than a few due-check intervals is a downtime, reported after the first due-check
    that ran in office hours (then what was due has been planned and sent).
    """

    def __init__(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        clock: Clock,
        config: ScheduleConfig,
        *,
        down_since: datetime | None,
        interval: timedelta,
        failing_after: timedelta = FAILING_AFTER,
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._clock = clock
        self._config = config
        self._started = clock.now()
        gap = down_since is not None and self._started - down_since > due_check_allowance(interval)
        self._down_since = down_since if gap else None
        self._failing_after = failing_after

    async def __call__(self, report: DueCheckReport) -> None:
        """Record ``report`` and plan the alerts it calls for."""
        now = self._clock.now()
        delivery = report.delivery
        # An alert that went out says nothing about the messages that fail.
        sent = [key for key in delivery.sent if not key.startswith(ALERT_PREFIX)]
        record_due_check(self._engine, now, sent=len(sent), failed=len(delivery.failed))
        holder = read_holder(self._engine)
        with unit_of_work(self._sessions) as session:
            since = holder.failing_since if holder is not None else None
            failing = since is not None and now - since >= self._failing_after
            if (
                since is not None
                and failing
                and alert_sending_failed(session, since, now, self._config)
            ):
                log.warning("sending fails since %s: coordinators alerted", since.isoformat())
            if self._down_since is not None and not report.outside_office_hours:
                keys = alert_missed_runs(
                    session, self._down_since, self._started, now, self._config
                )
                if keys:
                    log.warning(
                        "down %s to %s: missed runs reported to %d coordinator(s)",
                        self._down_since.isoformat(),
                        self._started.isoformat(),
                        len(keys),
                    )
                self._down_since = None
