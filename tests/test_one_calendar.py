"""One collection calendar for every part: the bot's /stand and /erinnern, the scheduler's
reminders and ``nhr schedule`` all read ``SCHEDULE_*`` through
the one :class:`core.config.Settings` (``settings.schedule``) and name the same deadline."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import running_bot
from support.bot_seed import FakeClock, add_contact, seed_small_report
from support.fake_bot_api import FakeBotApi, FakeUser
from support.guarded import run_nhr
from test_scheduler_world import Harness, local

from core.clock import FakeClock as SchedulerClock
from core.config import Settings
from core.models import Role
from core.schedule_settings import ScheduleSettings
from nhr.cli import App
from nhr.cli_schedule import register

api = fixtures.fake_bot_api

ANNA, KORA = 1001, 3001
THREE_WEEKS_BEFORE = "10.09.2025"  # the deadline of the 01.10.2025 edition under weeks=3
DEFAULT_DEADLINE = "17.09.2025"  # two weeks before, the default


def seed(sessions: sessionmaker[Session]) -> None:
    """The small report; Anna (80.01) and Kora (coordinator) bound."""
    with sessions.begin() as session:
        seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)


async def said(user: FakeUser, text: str) -> str:
    """Send ``text``; the text of the bot's next message."""
    await user.send(text)
    return (await user.wait_for_message(timeout=10)).text


def nhr_schedule(
    engine: Engine, capsys: pytest.CaptureFixture[str], schedule: ScheduleSettings | None = None
) -> str:
    """``nhr schedule --edition 2025-10-01``'s output (with ``schedule`` as the settings' own
    calendar, else the one of the environment)."""
    parser = argparse.ArgumentParser(prog="nhr")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["schedule", "--edition", "2025-10-01"])
    settings = Settings(database_url=str(engine.url))
    if schedule is not None:
        settings = settings.model_copy(update={"schedule": schedule})
    assert args.handler(args, App(settings)) == 0
    return capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_stand_reminders_and_nhr_schedule_name_the_same_configured_deadline(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCHEDULE_DEADLINE_WEEKS", "3")
    seed(sessions)
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")

    async with running_bot(api, sessions, FakeClock()):
        stand = await said(kora, "/stand")
        await said(kora, "/erinnern 80.01")
        nudge = anna.messages[-1].text
    harness = Harness(
        api, sessions, SchedulerClock(local(2025, 8, 20)), Settings().schedule.config()
    )
    await harness.start()
    await harness.tick(local(2025, 8, 20))  # the call
    await harness.tick(local(2025, 9, 3))  # the first reminder
    await harness.stop()
    reminder = anna.messages[-1].text
    plan = nhr_schedule(engine, capsys)

    assert f"Frist der Abteilungen: {THREE_WEEKS_BEFORE}" in stand
    assert f"Bitte melden Sie bis {THREE_WEEKS_BEFORE}." in nudge
    assert f"Erinnerung: Bitte melden Sie den Stand bis Mittwoch, {THREE_WEEKS_BEFORE}." in reminder
    assert plan.splitlines()[0] == (
        f"Ausgabe Stand 01.10.2025 – Frist für die Abteilungen: Mittwoch, {THREE_WEEKS_BEFORE}"
    )
    assert DEFAULT_DEADLINE not in stand + nudge + reminder + plan


def test_the_calendar_is_part_of_the_settings_under_its_own_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SCHEDULE_WINDOW_WEEKS=5\n", encoding="utf-8")
    monkeypatch.setenv("SCHEDULE_DEADLINE_WEEKS", "3")
    monkeypatch.setenv("SCHEDULE_REMINDERS", "1w")

    schedule = Settings().schedule

    assert (schedule.window_weeks, schedule.deadline_weeks, schedule.reminders) == (5, 3, "1w")
    assert schedule.config() == ScheduleSettings().config()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_nhr_schedule_plans_with_the_calendar_of_the_settings_it_was_handed(
    sessions: sessionmaker[Session],
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SCHEDULE_DEADLINE_WEEKS", raising=False)
    seed(sessions)

    plan = nhr_schedule(engine, capsys, ScheduleSettings(deadline_weeks=3))

    assert plan.splitlines()[0] == (
        f"Ausgabe Stand 01.10.2025 – Frist für die Abteilungen: Mittwoch, {THREE_WEEKS_BEFORE}"
    )


def test_a_schedule_setting_that_does_not_validate_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCHEDULE_WINDOW_WEEKS", "sechs")

    run = run_nhr("project", "list")

    assert run.code == 1
    assert run.err.strip() == ("Ungültige Einstellung (Umgebung oder .env): SCHEDULE_WINDOW_WEEKS.")
