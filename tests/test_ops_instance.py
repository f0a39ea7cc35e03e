"""One instance per database: ``nhr run`` and ``nhr bot`` hold a lock; a second one refuses
and names the holder (SQLite: a lock row with a heartbeat; PostgreSQL: an advisory lock)."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, update
from support import fixtures
from support.fake_bot_api import FakeBotApi
from support.guarded import run_nhr

from core.instance import STALE, InstanceBusy, InstanceGuard, read_holder
from core.models import InstanceLock, utcnow


def test_a_second_guard_is_refused_and_told_who_holds_the_database(engine: Engine) -> None:
    first, second = InstanceGuard(engine, "run"), InstanceGuard(engine, "bot")
    first.acquire(utcnow())
    try:
        with pytest.raises(InstanceBusy) as busy:
            second.acquire(utcnow())
        holder = busy.value.holder
        assert holder is not None
        assert (holder.command, holder.pid, holder.host) == ("run", first.pid, first.host)
    finally:
        first.release(utcnow())


def test_after_a_clean_stop_the_next_instance_takes_over_and_sees_the_last_one(
    engine: Engine,
) -> None:
    first = InstanceGuard(engine, "run")
    first.acquire(utcnow())
    first.release(utcnow())
    second = InstanceGuard(engine, "bot")
    second.acquire(utcnow())
    try:
        assert second.previous is not None and second.previous.released_at is not None
        holder = read_holder(engine)
        assert holder is not None and holder.command == "bot" and holder.released_at is None
    finally:
        second.release(utcnow())


def test_the_heartbeat_keeps_the_row_fresh_while_the_lock_is_held(engine: Engine) -> None:
    guard = InstanceGuard(engine, "run")
    start = utcnow()
    guard.acquire(start)
    try:
        assert guard.heartbeat(start + timedelta(seconds=30))
        holder = read_holder(engine)
        assert holder is not None and holder.heartbeat_at == start + timedelta(seconds=30)
    finally:
        guard.release(utcnow())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_on_sqlite_a_holder_without_heartbeat_for_two_minutes_is_taken_over(
    engine: Engine,
) -> None:
    stuck = InstanceGuard(engine, "run")
    long_ago = utcnow() - STALE - timedelta(seconds=1)
    stuck.acquire(long_ago)
    successor = InstanceGuard(engine, "run")
    successor.acquire(utcnow())
    assert successor.previous is not None and successor.previous.heartbeat_at == long_ago
    assert not stuck.heartbeat(utcnow())  # the stuck one learns it lost the lock
    successor.release(utcnow())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_on_sqlite_a_killed_holder_on_this_host_is_taken_over_at_once(engine: Engine) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    crashed = InstanceGuard(engine, "run")
    crashed.acquire(utcnow())
    with engine.begin() as conn:  # the row as a process killed with SIGKILL leaves it
        conn.execute(update(InstanceLock).values(pid=int(dead.stdout)))
    successor = InstanceGuard(engine, "run")
    successor.acquire(utcnow())
    assert successor.previous is not None and successor.previous.pid == int(dead.stdout)
    successor.release(utcnow())


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_the_advisory_lock_decides_not_the_row(engine: Engine) -> None:
    """A row with a fresh heartbeat but no advisory lock behind it (its process died with
    its connection) does not keep a new instance out."""
    ghost = InstanceGuard(engine, "run")
    ghost.acquire(utcnow())
    ghost_key_released = InstanceGuard(engine, "run")
    ghost.release(utcnow())
    with engine.begin() as conn:  # as if it had died: the row still says "running"
        conn.execute(update(InstanceLock).values(released_at=None, heartbeat_at=utcnow()))
    ghost_key_released.acquire(utcnow())
    ghost_key_released.release(utcnow())


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_on_postgresql_a_guard_lost_without_release_leaves_no_lock_in_the_pool(
    engine: Engine,
) -> None:
    """The advisory lock lives on a connection of its own, out of the pool: when a guard is
    lost without ``release`` (an error on the way out), its session ends with it, and no
    pooled connection holding the lock is handed to other work or keeps the next instance
    out."""
    lost = InstanceGuard(engine, "run")
    lost.acquire(utcnow())
    del lost
    gc.collect()
    other = create_engine(engine.url, connect_args={"options": _search_path(engine)})
    try:
        with other.begin() as conn:  # as if it had died: the row still says "running"
            conn.execute(update(InstanceLock).values(released_at=None, heartbeat_at=utcnow()))
        successor = InstanceGuard(other, "bot")
        successor.acquire(utcnow())
        successor.release(utcnow())
    finally:
        other.dispose()


def _search_path(engine: Engine) -> str:
    """The ``options`` connect argument that puts a connection in the test's schema."""
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar_one()
    return f"-csearch_path={schema}"


# -- two real processes ----------------------------------------------------------------------

api = fixtures.fake_bot_api
REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 30.0


class Nhr:
    """``nhr ARGV`` as a process of its own, on the test's database and fake Bot API."""

    def __init__(self, api: FakeBotApi, workdir: Path, *argv: str) -> None:
        self.api = api
        self.argv = argv
        self.log = workdir / f"{'-'.join(argv)}.log"
        self.workdir = workdir
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_API_BASE_URL": self.api.base_url,
            "PYTHONPATH": str(REPO),
        }
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "nhr.cli",
                *self.argv,
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=log,
            )

    async def polling(self) -> None:
        """Start and wait until the bot asks for updates."""
        before = self.api.polls_started
        await self.start()
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP_SECONDS
        while self.api.polls_started == before:
            if self.process.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"nhr {self.argv} did not start:\n{self.output}")
            await asyncio.sleep(0.05)

    async def finished(self) -> int:
        """Start and wait for the exit code."""
        await self.start()
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), STARTUP_SECONDS)

    async def stop(self) -> int:
        """SIGTERM, as systemd stops the service; the exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        return await self.process.wait()

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


async def _until(condition: object, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    while not condition():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.mark.slow
async def test_a_second_nhr_bot_refuses_while_nhr_run_holds_the_database_and_starts_after_it(
    api: FakeBotApi, cli_database: Engine, tmp_path: Path
) -> None:
    first = Nhr(api, tmp_path, "run")
    await first.polling()
    try:
        await _until(lambda: (h := read_holder(cli_database)) and h.due_check_at, "due-check")
        healthy = await asyncio.to_thread(run_nhr, "health")
        second = Nhr(api, tmp_path, "bot")
        code = await second.finished()
    finally:
        stopped = await first.stop()
    assert code == 1
    assert "Auf dieser Datenbank läuft bereits „nhr run“" in second.output
    assert f"Rechner {socket.gethostname()}, Prozess {first.process.pid}" in second.output  # type: ignore[union-attr]
    assert "Traceback" not in second.output
    assert healthy.code == 0, healthy.output
    assert "✓ Dienst: „nhr run“ läuft" in healthy.output
    assert stopped == 0

    after = await asyncio.to_thread(run_nhr, "health")
    assert after.code == 1 and "✗ Dienst: „nhr run“ wurde am" in after.output

    third = Nhr(api, tmp_path, "bot")
    await third.polling()
    assert await third.stop() == 0
    assert "Traceback" not in first.output + third.output
    assert "bot @nhr_test_bot ready" in first.output
    assert api.token not in first.output + second.output + third.output  # logs at INFO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
async def test_nhr_run_in_webhook_mode_answers_healthz_on_the_health_port(
    api: FakeBotApi, cli_database: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    health_port = _free_port()
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.kreis-soest.de:8443/telegram")
    monkeypatch.setenv("WEBHOOK_PORT", str(_free_port()))
    monkeypatch.setenv("HEALTH_PORT", str(health_port))
    service = Nhr(api, tmp_path, "run")
    await service.start()

    def healthz() -> tuple[int, dict[str, object]]:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{health_port}/healthz", timeout=5
            ) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())
        except OSError:
            return 0, {}

    try:
        await _until(lambda: api.webhook_url is not None, "setWebhook")
        await _until(lambda: (h := read_holder(cli_database)) and h.due_check_at, "due-check")
        status, body = await asyncio.to_thread(healthz)
    finally:
        assert await service.stop() == 0
    assert api.webhook_url == "https://bot.kreis-soest.de:8443/telegram"
    assert status == 200, (body, service.output)
    assert body["status"] == "ok"
    assert "Traceback" not in service.output
