"""Watching the service: ``nhr health`` and ``GET /healthz`` (exit code / status for systemd,
cron and monitoring), one alert to the coordinators when sending fails for a while or runs
were missed during a downtime, and log lines as JSON."""

from __future__ import annotations

import io
import json
import logging
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import ApiError, FakeBotApi
from support.guarded import run_nhr
from test_scheduler_world import Harness, local, small_report

from core.clock import FakeClock
from core.db import unit_of_work
from core.doctor import Check
from core.health import health
from core.instance import InstanceGuard, record_due_check
from core.logs import configure_logging
from core.models import InstanceLock, utcnow
from core.schedule import ScheduleConfig
from nhr.healthz import serve_health
from scheduler.watch import Watch

MINUTE = timedelta(minutes=1)


# -- nhr health ------------------------------------------------------------------------------


@pytest.fixture
def running(cli_database: Engine) -> Iterator[InstanceGuard]:
    """``nhr run`` holding the database, its first due-check done just now."""
    guard = InstanceGuard(cli_database, "run")
    guard.acquire(utcnow())
    record_due_check(cli_database, utcnow(), sent=0, failed=0)
    yield guard
    guard.release(utcnow())


def age(engine: Engine, **ago: timedelta | None) -> None:
    """Set the instance row's moments to the given ages (or None)."""
    now = utcnow()
    values = {k: (None if v is None else now - v) for k, v in ago.items()}
    with engine.begin() as conn:
        conn.execute(update(InstanceLock).values(**values))


def test_health_is_exit_0_while_nhr_run_beats_and_checks_what_is_due(
    running: InstanceGuard,
) -> None:
    run = run_nhr("health")
    assert run.code == 0, run.output
    lines = run.out.splitlines()
    assert lines[1].startswith(f"✓ Dienst: „nhr run“ läuft auf {running.host} (Prozess ")
    assert lines[2].startswith("✓ Zeitplan: Letzte Fälligkeitsprüfung ")
    assert lines[3] == "✓ Senden: keine anhaltenden Fehler."


def test_health_fails_when_no_service_ever_ran(cli_database: Engine) -> None:
    run = run_nhr("health")
    assert run.code == 1
    assert "✗ Dienst: Auf dieser Datenbank lief noch kein Dienst." in run.out


def test_health_fails_when_the_heartbeat_is_older_than_two_minutes(
    running: InstanceGuard, cli_database: Engine
) -> None:
    age(cli_database, heartbeat_at=3 * MINUTE)
    run = run_nhr("health")
    assert run.code == 1
    assert "✗ Dienst: Kein Lebenszeichen von „nhr run“ auf" in run.out


def test_health_fails_when_the_last_due_check_is_long_ago(
    running: InstanceGuard, cli_database: Engine
) -> None:
    age(cli_database, due_check_at=10 * MINUTE, acquired_at=20 * MINUTE)
    running.acquired_at = utcnow() - 20 * MINUTE  # the guard's own record of its start
    run = run_nhr("health")
    assert run.code == 1
    assert "✗ Zeitplan: Letzte Fälligkeitsprüfung am " in run.out


def test_health_fails_when_sending_has_failed_for_more_than_half_an_hour(
    running: InstanceGuard, cli_database: Engine
) -> None:
    age(cli_database, failing_since=31 * MINUTE)
    run = run_nhr("health", "--json")
    assert run.code == 1
    [sending] = [c for c in json.loads(run.out) if c["name"] == "Senden"]
    assert sending["status"] == "fail"
    assert sending["detail"].startswith("Nachrichten scheitern seit ")


def test_health_fails_when_the_database_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nhr:Geheim1@127.0.0.1:9/nhr")
    run = run_nhr("health")
    assert run.code == 1
    assert run.out.startswith("✗ Datenbank: ") and "Geheim1" not in run.output


def test_healthz_answers_200_when_healthy_and_503_when_not(
    running: InstanceGuard, cli_database: Engine
) -> None:
    tz = ScheduleConfig().tz

    def checks() -> list[Check]:
        return health(cli_database, utcnow(), tz, due_check_interval=MINUTE)

    port, stop = serve_health("127.0.0.1", 0, checks)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
            assert json.loads(answer.read())["status"] == "ok"
        age(cli_database, heartbeat_at=5 * MINUTE)
        with pytest.raises(urllib.error.HTTPError) as unhealthy:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert unhealthy.value.code == 503
        body = json.loads(unhealthy.value.read())
        assert body["status"] == "fail"
        assert any(c["name"] == "Dienst" and c["status"] == "fail" for c in body["checks"])
        with pytest.raises(urllib.error.HTTPError) as elsewhere:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
        assert elsewhere.value.code == 404
    finally:
        stop()


# -- alerts to the coordinators -----------------------------------------------------------------


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


CONTACTS = (1001, 1002, 1003)
COORDINATORS = (2001, 2002)


def texts_to(api: FakeBotApi, user_id: int) -> list[str]:
    return [m.text for m in api.user(user_id).messages]


@pytest.mark.slow
async def test_coordinators_hear_once_when_sending_has_failed_for_half_an_hour(
    api: FakeBotApi, sessions: sessionmaker[Session], engine: Engine
) -> None:
    with unit_of_work(sessions) as session:
        small_report(session)
    for user_id in CONTACTS + COORDINATORS:
        api.user(user_id)
    api.set_fault_policy(
        lambda method, chat: ApiError(500, "Internal Server Error") if chat in CONTACTS else None
    )
    start = local(2026, 2, 18, 9, 30)  # the prompts of 01.04.2026 are due
    harness = Harness(api, sessions, FakeClock(start))
    guard = InstanceGuard(engine, "run")
    guard.acquire(start)
    watch = Watch(engine, sessions, harness.clock, harness.config, down_since=None, interval=MINUTE)
    await harness.start()
    for minutes in (0, 15, 31, 32, 45, 62, 63, 95, 96):
        report = await harness.tick(start + minutes * MINUTE)
        await watch(report)
    await harness.stop()
    for coordinator in COORDINATORS:
        alerts = [t for t in texts_to(api, coordinator) if t.startswith("Hinweis zum Betrieb")]
        assert alerts == [
            "Hinweis zum Betrieb: Seit Mi., 18.02.2026, 09:30 scheitert das Senden von "
            "Nachrichten. Der Bot versucht es weiter. Bitte geben Sie der IT Bescheid "
            "(nhr health, nhr doctor)."
        ]
    assert all(texts_to(api, c) == [] for c in CONTACTS)


async def test_after_a_downtime_coordinators_hear_once_what_was_missed_and_what_was_done(
    api: FakeBotApi, sessions: sessionmaker[Session], engine: Engine
) -> None:
    with unit_of_work(sessions) as session:
        small_report(session)
    for user_id in CONTACTS + COORDINATORS:
        api.user(user_id)
    before = InstanceGuard(engine, "run")
    before.acquire(local(2026, 2, 17, 8))
    record_due_check(engine, local(2026, 2, 17, 12), sent=0, failed=0)
    before.release(local(2026, 2, 17, 12))

    back = local(2026, 2, 26, 10)  # the prompt (18.02.) and reminder 1 (25.02.) were missed
    clock = FakeClock(back)
    after = InstanceGuard(engine, "run")
    after.acquire(back)
    assert after.previous is not None
    harness = Harness(api, sessions, clock)
    watch = Watch(
        engine,
        sessions,
        clock,
        harness.config,
        down_since=after.previous.due_check_at,
        interval=MINUTE,
    )
    await harness.start()
    for minutes in (0, 1, 2, 60):
        await watch(await harness.tick(back + minutes * MINUTE))
    await harness.stop()
    expected = (
        "Hinweis zum Betrieb: Der Dienst lief von Di., 17.02.2026, 12:00 bis "
        "Do., 26.02.2026, 10:00 nicht. In dieser Zeit war geplant:\n"
        "• Aufruf zum Stichtag 01.04.2026, fällig Mi., 18.02.2026, 09:00: "
        "nachgeholt (3 Nachrichten)\n"
        "• Erinnerung 1 zum Stichtag 01.04.2026, fällig Mi., 25.02.2026, 09:00: "
        "übersprungen (nicht mehr sinnvoll)"
    )
    for coordinator in COORDINATORS:
        assert texts_to(api, coordinator) == [expected]
    assert all(len(texts_to(api, c)) == 1 for c in CONTACTS)  # the late prompt, once


async def test_a_short_restart_is_no_downtime_worth_a_message(
    api: FakeBotApi, sessions: sessionmaker[Session], engine: Engine
) -> None:
    with unit_of_work(sessions) as session:
        small_report(session)
    for user_id in CONTACTS + COORDINATORS:
        api.user(user_id)
    back = local(2026, 2, 18, 9, 2)
    clock = FakeClock(back)
    harness = Harness(api, sessions, clock)
    guard = InstanceGuard(engine, "run")
    guard.acquire(back)
    watch = Watch(
        engine, sessions, clock, harness.config, down_since=back - 3 * MINUTE, interval=MINUTE
    )
    await harness.start()
    for minutes in (0, 1):
        await watch(await harness.tick(back + minutes * MINUTE))
    await harness.stop()
    assert all(texts_to(api, c) == [] for c in COORDINATORS)


# -- logs ----------------------------------------------------------------------------------------


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_log_format_json_writes_one_object_per_line_with_the_extra_fields(
    restored_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    configure_logging("INFO", "json")
    logging.getLogger("nhr.test").info("due-check: %d sent", 3, extra={"sent": 3})
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot123:x/")
    [line] = err.getvalue().splitlines()
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "message", "sent")} == {
        "level": "INFO",
        "logger": "nhr.test",
        "message": "due-check: 3 sent",
        "sent": 3,
    }
    assert entry["time"].endswith("+00:00")


def test_log_format_text_is_one_readable_line(
    restored_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    configure_logging("INFO", "text")
    logging.getLogger("nhr.test").info("bot ready")
    assert err.getvalue().rstrip().endswith("INFO    nhr.test: bot ready")
