"""Retention: conversation state and notifications go once a round's period is over, nothing
younger, on SQLite and PostgreSQL; daily in ``nhr run`` and by ``nhr contacts purge``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from support.guarded import run_nhr, table_checksums

from core.clock import FakeClock
from core.cycle import next_cutoff
from core.models import Conversation, Notification
from core.retention import last_expired_round, purge_expired
from core.schedule import ScheduleConfig, plan
from scheduler.retention import RETENTION_JOB_ID, RetentionJob

CONFIG = ScheduleConfig()
NOW = datetime(2026, 1, 15, 10, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def seed(session: Session, conversations: dict[int, datetime], cutoffs: list[date]) -> None:
    for key, updated in conversations.items():
        session.add(Conversation(telegram_user_id=key, state="s", data={}, updated_at=updated))
    for i, cutoff in enumerate(cutoffs):
        session.add(
            Notification(
                key=f"prompt:{cutoff}:contact:{i}",
                kind="prompt",
                edition_cutoff=cutoff,
                due_at=at(cutoff),
                payload={},
            )
        )


def test_the_newest_round_past_its_period_is_the_one_whose_cutoff_plus_days_has_come() -> None:
    assert last_expired_round(date(2026, 1, 15), 90) == date(2025, 10, 1)  # + 90 = 30.12.
    assert last_expired_round(date(2025, 12, 29), 90) == date(2025, 4, 1)
    assert last_expired_round(date(2025, 10, 1), 0) == date(2025, 10, 1)
    assert last_expired_round(date(2026, 1, 15), 400) == date(2024, 10, 1)


def test_only_what_is_old_enough_is_deleted(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        seed(
            session,
            {
                1: at(date(2025, 9, 30)),  # last touched before the round of 01.10.2025: goes
                2: at(date(2025, 10, 2)),  # after that cutoff: stays
                -3: at(date(2024, 5, 1)),  # a coordinator's dialog, long ago: goes
            },
            [date(2025, 4, 1), date(2025, 10, 1), date(2026, 4, 1)],
        )
    with sessions.begin() as session:
        report = purge_expired(session, NOW, days=90, config=CONFIG)
    assert report.round_cutoff == date(2025, 10, 1)
    assert (report.conversations, report.notifications) == (2, 1)
    with sessions() as session:
        assert session.scalars(select(Conversation.telegram_user_id)).all() == [2]
        # 01.10.2025 is past its 90 days, but its draft may still be planned until the next
        # round's window opens: deleting it now could send it twice.
        assert sorted(session.scalars(select(Notification.edition_cutoff))) == [
            date(2025, 10, 1),
            date(2026, 4, 1),
        ]


def test_a_rounds_notifications_go_once_the_next_window_has_opened(
    sessions: sessionmaker[Session],
) -> None:
    opens = plan(next_cutoff(date(2025, 10, 1)), CONFIG).window_opens
    with sessions.begin() as session:
        seed(session, {}, [date(2025, 10, 1), date(2026, 4, 1)])
    with sessions.begin() as session:
        assert (
            purge_expired(
                session, opens - timedelta(minutes=1), days=90, config=CONFIG
            ).notifications
            == 0
        )
    with sessions.begin() as session:
        report = purge_expired(session, opens, days=90, config=CONFIG)
    assert report.notification_cutoffs == (date(2025, 10, 1),)
    with sessions() as session:
        assert session.scalars(select(Notification.edition_cutoff)).all() == [date(2026, 4, 1)]


def test_the_daily_job_purges_at_the_clocks_time(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        seed(session, {1: at(date(2025, 9, 30))}, [])
    job = RetentionJob(sessions, FakeClock(at(date(2025, 12, 29))), CONFIG, 90)
    assert job.run().conversations == 0  # 01.10.2025 + 90 days is tomorrow
    job = RetentionJob(sessions, FakeClock(at(date(2025, 12, 30))), CONFIG, 90)
    assert job.run().conversations == 1


async def test_nhr_run_schedules_the_retention_job_daily(
    sessions: sessionmaker[Session],
) -> None:
    from telegram import Bot

    from scheduler.runner import build_runner

    clock = FakeClock(NOW)
    runner = build_runner(
        Bot("123:abc"), sessions, clock, CONFIG, retention=RetentionJob(sessions, clock, CONFIG, 90)
    )
    runner.due_check.run = _nothing  # type: ignore[method-assign, assignment]
    await runner.start()
    try:
        assert RETENTION_JOB_ID in runner.job_ids()
        assert runner.scheduler is not None
        job = runner.scheduler.get_job(RETENTION_JOB_ID)
        assert (job.next_run_time.hour, job.next_run_time.minute) == (3, 30)
    finally:
        await runner.shutdown()


async def _nothing() -> None:
    return None


@pytest.fixture
def old_and_new(cli_database: Engine) -> Engine:
    """A conversation and a notification of long ago and of now (the command uses the real
    clock)."""
    from core.db import make_session_factory

    now = datetime.now(UTC)
    with make_session_factory(cli_database).begin() as session:
        seed(
            session,
            {1: now - timedelta(days=3 * 365), 2: now},
            [date(2020, 4, 1), next_cutoff(now.date())],
        )
    return cli_database


def test_purge_dry_run_counts_and_changes_nothing(old_and_new: Engine) -> None:
    before = table_checksums(old_and_new)
    run = run_nhr("contacts", "purge", "--dry-run")
    assert run.code == 0, run.output
    assert "Aufbewahrung: 90 Tage nach dem Stichtag" in run.out
    assert "Probelauf, nichts gelöscht" in run.out
    assert "Gesprächsstände (zuletzt vor dem" in run.out and "): 1" in run.out
    assert "Nachrichten der Runden 01.04.2020: 1" in run.out
    assert table_checksums(old_and_new) == before


def test_purge_deletes_what_is_old_enough(
    old_and_new: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETENTION_DAYS_AFTER_ROUND", "120")
    run = run_nhr("contacts", "purge")
    assert run.code == 0, run.output
    assert "Aufbewahrung: 120 Tage" in run.out and "Probelauf" not in run.out
    from core.db import make_session_factory

    with make_session_factory(old_and_new)() as session:
        assert session.scalars(select(Conversation.telegram_user_id)).all() == [2]
        assert len(session.scalars(select(Notification)).all()) == 1
