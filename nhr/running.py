"""What ``nhr run`` and ``nhr bot`` do around the bot: hold the instance lock (one per
database, see :mod:`core.instance`) with its heartbeat, and refuse when another holds it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.dates import format_local
from core.instance import Holder, InstanceBusy, InstanceGuard
from nhr import clock
from nhr.console import AppLike, Refused
from nhr.texts import (
    BUSY,
    BUSY_HOLDER,
    BUSY_UNKNOWN,
)


def busy_message(holder: Holder | None, app: AppLike) -> str:
    """The German refusal naming who holds the database."""
    if holder is None:
        return BUSY.format(who=BUSY_UNKNOWN)
    tz = app.settings.tz
    who = BUSY_HOLDER.format(
        command=holder.command,
        host=holder.host,
        pid=holder.pid,
        since=format_local(holder.acquired_at, tz),
        beat=format_local(holder.heartbeat_at, tz),
    )
    return BUSY.format(who=who)


@contextmanager
def single_instance(app: AppLike, command: str) -> Iterator[InstanceGuard]:
    """Hold the database's instance lock while the block runs (heartbeat in a thread);
    :class:`~nhr.console.Refused` with the holder's name when another process has it."""
    guard = InstanceGuard(app.engine, command)
    try:
        guard.acquire(clock.now())
    except InstanceBusy as busy:
        raise Refused(busy_message(busy.holder, app)) from None
    stop = guard.keep_alive()
    try:
        yield guard
    finally:
        stop()
        guard.release(clock.now())


@contextmanager
def health_endpoint(app: AppLike) -> Iterator[None]:
    """``GET /healthz`` on ``HEALTH_PORT`` while the block runs (0: none)."""
    settings = app.settings
    if not settings.health_port:
        yield
        return
    from datetime import timedelta

    from core.health import health
    from nhr.healthz import serve_health

    interval = timedelta(seconds=settings.schedule.due_check_seconds)
    _port, stop = serve_health(
        settings.webhook_listen,
        settings.health_port,
        lambda: health(app.engine, clock.now(), settings.tz, due_check_interval=interval),
    )
    try:
        yield
    finally:
        stop()
