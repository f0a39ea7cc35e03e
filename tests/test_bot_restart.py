"""The bot as a real process: killed with SIGKILL mid-conversation, started again, nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from support import fixtures
from support.bot_harness import has_keyboard
from support.bot_seed import add_contact, seed_small_report
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser

from bot import texts
from core.changes import ChangeSet, NewEntry
from core.db import make_engine, make_session_factory
from core.models import Submission

api = fixtures.fake_bot_api

REPO = Path(__file__).resolve().parents[1]
ANNA = 1001
STARTUP_SECONDS = 30.0


class BotProcess:
    """``python -m bot`` in a subprocess, configured through the environment."""

    def __init__(self, api: FakeBotApi, database_url: str, workdir: Path) -> None:
        self.api = api
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO),
        }
        self.workdir = workdir
        self.log = workdir / "bot.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the process and wait until it polls for updates."""
        polls_before = self._polls()
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP_SECONDS
        while self._polls() == polls_before:
            if self.process.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"the bot did not start:\n{self.log.read_text()}")
            await asyncio.sleep(0.05)

    def _polls(self) -> int:
        return self.api.polls_started

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        assert await self.process.wait() == -signal.SIGKILL

    async def stop(self) -> None:
        """SIGTERM if still running (the test's cleanup)."""
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


@asynccontextmanager
async def bot_process(
    api: FakeBotApi, database_url: str, workdir: Path
) -> AsyncIterator[BotProcess]:
    """A started bot process, stopped at the end."""
    process = BotProcess(api, database_url, workdir)
    await process.start()
    try:
        yield process
    finally:
        await process.stop()


def containing(text: str) -> Callable[[BotMessage], bool]:
    """A screen (message with buttons) whose text contains ``text``."""
    return lambda m: has_keyboard(m) and text in m.text


async def press(user: FakeUser, label: str) -> None:
    """Press ``label`` on the newest message that shows it."""
    for message in reversed(user.current_messages):
        if label in [text for text, _ in user.buttons(message)]:
            await user.press_button(message, label)
            return
    raise AssertionError(f"no button {label!r}")


@pytest.mark.slow
async def test_a_killed_bot_continues_at_the_same_step_with_nothing_lost(
    api: FakeBotApi, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = make_engine(database_url)
    from migrations import upgrade

    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        report = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
    anna = api.user(ANNA, "Anna")
    wait = anna.wait_for_message

    async with bot_process(api, database_url, tmp_path) as bot:
        await anna.send("/projekte")
        await wait(containing("Ihre Projekte"))
        await press(anna, texts.BTN_START)
        await wait(containing("Projekt 1 von 3"))
        await press(anna, texts.BTN_EDIT)
        await wait(containing("Was möchten Sie ändern?"))
        await press(anna, texts.BTN_DONE)
        await wait(containing("Wann wurde der Meilenstein abgeschlossen?"))
        await anna.send("Mitte 2024")
        await wait(containing("Verstanden als Mitte 2024."))
        await anna.send("Erster Meilenstein")
        await wait(containing("+ Meilenstein Mitte 2024 – Erster Meilenstein"))
        await press(anna, texts.BTN_DONE)
        await wait(containing("Wann wurde der Meilenstein abgeschlossen?"))
        await anna.send("15.3.25")
        await wait(containing("Verstanden als 15.03.2025."))
        await anna.send("Zweiter Meilenstein")
        await wait(containing("+ Meilenstein 15.03.2025 – Zweiter Meilenstein"))

        await bot.kill()
        await press(anna, texts.BTN_PLANNED)  # tapped while the bot is down
        await bot.start()
        await wait(containing("Wann ist der Meilenstein geplant?"), timeout=10)
        await anna.send("2026")
        await wait(containing("Verstanden als 2026."))

        await bot.kill()  # again, in the middle of an entry
        await bot.start()
        await anna.send("Bau der ersten Strecke")
        menu = await wait(containing("+ geplant 2026 – Bau der ersten Strecke"), timeout=10)
        await press(anna, texts.BTN_SUMMARY)
        summary = await wait(containing("Zusammenfassung"))

    assert "Projekt 1 von 3" in menu.text
    assert "+ Meilenstein Mitte 2024 – Erster Meilenstein" in summary.text
    assert "+ Meilenstein 15.03.2025 – Zweiter Meilenstein" in summary.text
    with sessions() as session:
        sub = session.scalars(
            select(Submission).where(Submission.project_id == report.projects["waerme"])
        ).one()
        assert ChangeSet.from_json(sub.changes) == ChangeSet(
            milestones_done=[
                NewEntry("2024-MID", "Erster Meilenstein"),
                NewEntry("2025-03-15", "Zweiter Meilenstein"),
            ],
            milestones_planned=[NewEntry("2026", "Bau der ersten Strecke")],
        )
    assert anna.failed_calls == []
    assert "Traceback" not in (tmp_path / "bot.log").read_text()
    engine.dispose()
