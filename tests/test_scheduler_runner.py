"""The scheduler inside the bot application's lifecycle, and its command line."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from support.bot_harness import eventually
from support.fake_bot_api import FakeBotApi
from support.ptb_polling import polling
from test_scheduler_world import local, small_report, tiny_renderers

from core.clock import FakeClock
from core.config import Settings
from core.db import unit_of_work
from core.models import Edition, EditionState
from core.schedule import ScheduleConfig
from nhr.cli import App
from nhr.cli_editions import register as register_editions
from nhr.cli_schedule import register
from scheduler.documents import RenderedDrafts
from scheduler.runner import DUE_CHECK_JOB_ID, attach, build_runner, cutoff_job_id


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.mark.slow
async def test_the_scheduler_starts_and_stops_with_the_bot_and_its_button_opens_the_overview(
    api: FakeBotApi, sessions: sessionmaker[Session], engine: Engine
) -> None:
    from bot.app import build_application

    with unit_of_work(sessions) as session:
        small_report(session)
    anna = api.user(1001, first_name="Anna")
    clock = FakeClock(local(2026, 2, 18, 9, 30))  # the prompts of 01.04.2026 are due
    settings = Settings(
        database_url=str(engine.url),
        telegram_bot_token=api.token,
        telegram_api_base_url=api.base_url,
    )
    application = build_application(settings, sessions, clock)
    bot_hook = application.post_init
    runner = build_runner(
        application.bot,
        sessions,
        clock,
        ScheduleConfig(),
        drafts=RenderedDrafts(sessions, renderers=tiny_renderers),
    )
    attach(application, runner)
    assert application.post_init is not bot_hook
    async with polling(application):
        assert application.post_init is not None
        await application.post_init(application)  # what run_polling does after initialize
        assert runner.job_ids() == [cutoff_job_id(date(2026, 4, 1)), DUE_CHECK_JOB_ID]
        assert api.commands(), "the bot's own post_init ran too"
        prompt = await anna.wait_for_message(timeout=10)
        assert "Ihre Abteilung 80.01 ist für 3 Projekte verantwortlich." in prompt.text
        await anna.press(prompt, "open")
        overview = await anna.wait_for_message(timeout=10)
        assert overview.text
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
        assert runner.job_ids() == []
    # The catch-up run at the start marked what it sent: nothing is due any more.
    report = await runner.due_check.run()
    assert report.delivery.sent == [] and report.created == []


async def test_a_due_check_that_fails_does_not_stop_the_next_one(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    from telegram import Bot

    clock = FakeClock(local(2026, 2, 18, 9, 30))
    bot = Bot(api.token, base_url=api.base_url)
    # APScheduler triggers on real time: a short interval lets the next run come soon
    runner = build_runner(bot, sessions, clock, ScheduleConfig(), interval=timedelta(seconds=0.05))
    calls: list[int] = []

    async def broken() -> None:
        calls.append(1)
        raise RuntimeError("database gone")

    runner.due_check.run = broken  # type: ignore[method-assign]
    await runner.start()
    await eventually(lambda: len(calls) >= 2)  # the first run failed, and the next one came
    await runner.shutdown()
    assert runner.job_ids() == []  # the failures were logged, and it shut down cleanly


async def test_a_stop_during_a_due_check_lets_it_finish_instead_of_cancelling_it(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    from telegram import Bot

    clock = FakeClock(local(2026, 2, 18, 9, 30))
    bot = Bot(api.token, base_url=api.base_url)
    runner = build_runner(bot, sessions, clock, ScheduleConfig())
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def slow_run() -> None:
        runs.append("started")
        started.set()
        await release.wait()  # the messages of this due-check are still going out
        runs.append("finished")

    runner.due_check.run = slow_run  # type: ignore[method-assign]
    await runner.start()
    await asyncio.wait_for(started.wait(), 10)
    stopping = asyncio.create_task(runner.shutdown())
    await asyncio.sleep(0)  # the stop has begun and waits for the job
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 10)
    # every run that had begun finished, none was cancelled halfway (the cutoff job of a past
    # draft may run the due-check a second time)
    assert runs.count("started") >= 1
    assert runs.count("finished") == runs.count("started")
    assert runner.job_ids() == []


# -- command line ----------------------------------------------------------------------------


def cli(engine: Engine, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nhr")
    commands = parser.add_subparsers(dest="command", required=True)
    register(commands)
    register_editions(commands)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # a usage error, as the console script exits
        return int(exit_.code or 0)
    handler = args.handler
    return int(handler(args, App(Settings(database_url=str(engine.url)))))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_nhr_schedule_prints_the_plan_with_german_dates(
    engine: Engine, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    with unit_of_work(sessions) as session:
        small_report(session)
    assert cli(engine, "schedule", "--edition", "2026-04-01") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Ausgabe Stand 01.04.2026 – Frist für die Abteilungen: Mittwoch, 18.03.2026",
        "  Mi., 18.02.2026, 09:00  Aufruf – 3 Ansprechpersonen",
        "  Mi., 25.02.2026, 09:00  Erinnerung 1 – 3 Ansprechpersonen",
        "  Mi., 11.03.2026, 09:00  Erinnerung 2 – 3 Ansprechpersonen",
        "  Mo., 16.03.2026, 09:00  Erinnerung 3 – 3 Ansprechpersonen",
        "  Do., 19.03.2026, 09:00  Überfällige Abteilungen an die Koordination – "
        "2 aus der Koordination",
        "  Mi., 01.04.2026, 09:00  Entwurf an die Koordination – 2 aus der Koordination",
        "Gesendet wird nur werktags 8–17 Uhr (Europe/Berlin), nicht an Feiertagen in NRW.",
    ]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_nhr_schedule_rejects_a_day_that_is_no_cutoff(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(engine, "schedule", "--edition", "2026-05-01") == 2
    assert "kein Stichtag" in capsys.readouterr().err
    assert cli(engine, "schedule", "--edition", "morgen") == 2
    assert "kein Datum" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_nhr_edition_publish_freezes_the_numbering_once(
    engine: Engine,
    sessions: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import nhr.clock as module

    monkeypatch.setattr(module, "CLOCK", FakeClock(local(2026, 3, 20, 10)))  # collecting 01.04.
    with unit_of_work(sessions) as session:
        small_report(session)
    assert cli(engine, "edition", "publish", "--edition", "2026-04-01") == 0
    assert capsys.readouterr().out.strip() == (
        "Ausgabe Stand 01.04.2026 veröffentlicht: 6 Projekte, Nummern festgeschrieben."
    )
    with unit_of_work(sessions) as session:
        edition = session.scalar(select(Edition).where(Edition.cutoff == date(2026, 4, 1)))
        assert edition is not None and edition.state is EditionState.PUBLISHED
    assert cli(engine, "edition", "publish", "--edition", "2026-04-01") == 2
    assert "bereits veröffentlicht" in capsys.readouterr().err


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_nhr_schedule_run_due_needs_a_token_during_office_hours(
    engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import nhr.clock as module
    from core.clock import FakeClock as Fake

    monkeypatch.setattr(module, "CLOCK", Fake(local(2026, 2, 18, 10)))
    assert cli(engine, "schedule", "--run-due") == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setattr(module, "CLOCK", Fake(local(2026, 2, 21, 10)))
    assert cli(engine, "schedule", "--run-due") == 0
    assert capsys.readouterr().out.strip() == (
        "Außerhalb der Bürozeit – nichts gesendet. Nächster Versand ab Mo., 23.02.2026, 08:00."
    )
