"""``nhr health`` and ``GET /healthz``: is the service alive and doing its work?

Read from the database only (so any process can ask): the instance row's heartbeat
(:mod:`core.instance`), the last due-check of ``nhr run``, and since when sending fails.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

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
            fail(
                "Dienst",
                "Die Datenbank kennt noch keinen Dienst (altes Schema).",
                "nhr db upgrade, dann den Dienst starten.",
            ),
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
        return fail(
            "Dienst",
            "Auf dieser Datenbank lief noch kein Dienst.",
            "nhr run starten (systemctl start nhr).",
        )
    beat = format_local(holder.heartbeat_at, tz)
    if holder.released_at is not None:
        return fail(
            "Dienst",
            f"„nhr {holder.command}“ wurde am {beat} beendet.",
            "Dienst starten (systemctl start nhr).",
        )
    if now - holder.heartbeat_at >= STALE:
        return fail(
            "Dienst",
            f"Kein Lebenszeichen von „nhr {holder.command}“ auf {holder.host} seit {beat}.",
            "Dienst prüfen (systemctl status nhr, journalctl -u nhr).",
        )
    return ok(
        "Dienst",
        f"„nhr {holder.command}“ läuft auf {holder.host} "
        f"(Prozess {holder.pid}), Lebenszeichen {beat}.",
    )


def _due_check(holder: Holder, now: datetime, tz: ZoneInfo, interval: timedelta) -> Check:
    allowance = due_check_allowance(interval)
    last = holder.due_check_at
    if last is None or last < holder.acquired_at:
        if now - holder.acquired_at < allowance:
            return ok("Zeitplan", "Dienst startet gerade.")
        return fail(
            "Zeitplan",
            "Seit dem Start lief keine Fälligkeitsprüfung.",
            "Protokoll prüfen (journalctl -u nhr).",
        )
    if now - last >= allowance:
        return fail(
            "Zeitplan",
            f"Letzte Fälligkeitsprüfung am {format_local(last, tz)}.",
            "Protokoll prüfen (journalctl -u nhr); Dienst neu starten.",
        )
    return ok("Zeitplan", f"Letzte Fälligkeitsprüfung {format_local(last, tz)}.")


def _sending(holder: Holder, now: datetime, tz: ZoneInfo, failing_after: timedelta) -> Check:
    since = holder.failing_since
    if since is not None and now - since >= failing_after:
        return fail(
            "Senden",
            f"Nachrichten scheitern seit {format_local(since, tz)}.",
            "Protokoll prüfen; ist Telegram erreichbar (nhr doctor)?",
        )
    return ok("Senden", "keine anhaltenden Fehler.")
