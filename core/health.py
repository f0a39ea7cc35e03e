"""``nhr health`` and ``GET /healthz``: is the service alive and doing its work?

Read from the database only (so any process can ask): the instance row's heartbeat
(:mod:`core.instance`), the last due-check of ``nhr run``, and since when sending fails.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from core import texts
from core.dates import format_local
from core.doctor import Check, check_database, fail, ok
from core.instance import STALE, Holder, read_holder

#: Sending may fail this long (Telegram away, network) before the service counts as unhealthy.
FAILING_AFTER = timedelta(minutes=30)


def due_check_allowance(interval: timedelta) -> timedelta:
    """How old the last due-check may be: a few intervals, at least five minutes."""
    return max(3 * interval, timedelta(minutes=5))


def health(
    engine: Engine,
    now: datetime,
    tz: ZoneInfo,
    *,
    due_check_interval: timedelta,
    failing_after: timedelta = FAILING_AFTER,
) -> list[Check]:
    """The health checks at ``now``; the service is healthy when none failed."""
    reachable = check_database(engine)
    if reachable.failed:
        return [reachable]
    try:
        holder = read_holder(engine)
    except Exception:  # no instance table: the schema is older than this program
        return [
            reachable,
            fail(texts.HEALTH_SERVICE, texts.HEALTH_OLD_SCHEMA, texts.HEALTH_OLD_SCHEMA_FIX),
        ]
    service = _service(holder, now, tz)
    if service.failed or holder is None or holder.command != "run":
        return [reachable, service]
    return [
        reachable,
        service,
        _due_check(holder, now, tz, due_check_interval),
        _sending(holder, now, tz, failing_after),
    ]


def _service(holder: Holder | None, now: datetime, tz: ZoneInfo) -> Check:
    if holder is None:
        return fail(texts.HEALTH_SERVICE, texts.HEALTH_NEVER_RAN, texts.HEALTH_NEVER_RAN_FIX)
    beat = format_local(holder.heartbeat_at, tz)
    if holder.released_at is not None:
        return fail(
            texts.HEALTH_SERVICE,
            texts.HEALTH_ENDED.format(command=holder.command, beat=beat),
            texts.HEALTH_START_FIX,
        )
    if now - holder.heartbeat_at >= STALE:
        return fail(
            texts.HEALTH_SERVICE,
            texts.HEALTH_STALE.format(command=holder.command, host=holder.host, beat=beat),
            texts.HEALTH_STALE_FIX,
        )
    return ok(
        texts.HEALTH_SERVICE,
        texts.HEALTH_RUNNING.format(
            command=holder.command, host=holder.host, pid=holder.pid, beat=beat
        ),
    )


def _due_check(holder: Holder, now: datetime, tz: ZoneInfo, interval: timedelta) -> Check:
    allowance = due_check_allowance(interval)
    last = holder.due_check_at
    if last is None or last < holder.acquired_at:
        if now - holder.acquired_at < allowance:
            return ok(texts.HEALTH_SCHEDULE, texts.HEALTH_STARTING)
        return fail(texts.HEALTH_SCHEDULE, texts.HEALTH_NO_DUE_CHECK, texts.HEALTH_NO_DUE_CHECK_FIX)
    if now - last >= allowance:
        return fail(
            texts.HEALTH_SCHEDULE,
            texts.HEALTH_DUE_CHECK_OLD.format(when=format_local(last, tz)),
            texts.HEALTH_DUE_CHECK_OLD_FIX,
        )
    return ok(texts.HEALTH_SCHEDULE, texts.HEALTH_DUE_CHECK.format(when=format_local(last, tz)))


def _sending(holder: Holder, now: datetime, tz: ZoneInfo, failing_after: timedelta) -> Check:
    since = holder.failing_since
    if since is not None and now - since >= failing_after:
        return fail(
            texts.HEALTH_SENDING,
            texts.HEALTH_SENDING_FAILS.format(since=format_local(since, tz)),
            texts.HEALTH_SENDING_FAILS_FIX,
        )
    return ok(texts.HEALTH_SENDING, texts.HEALTH_SENDING_OK)
