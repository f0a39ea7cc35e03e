"""Sending within Telegram's limits: spacing, 429 RetryAfter, blocked users, office hours."""

from __future__ import annotations

import time as wall
from collections.abc import AsyncIterator
from datetime import date, timedelta
from itertools import pairwise

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import FakeBotApi
from test_scheduler_world import (
    Harness,
    Person,
    add_people,
    ensure_department,
    load_demo,
    local,
)

from core.db import unit_of_work
from core.models import Field, Goal, Notification, Project, ProjectDepartment, Role
from core.status import Status
from scheduler.clock import FakeClock, SystemClock
from scheduler.documents import RenderedDrafts
from scheduler.jobs import DueCheck
from scheduler.ratelimit import RateLimiter
from scheduler.sender import Sender

WINDOW = local(2026, 2, 18)  # the prompts of the 01.04.2026 edition


# -- the limiter -------------------------------------------------------------------------------


async def test_the_limiter_spaces_sends_to_at_most_thirty_a_second() -> None:
    clock = FakeClock(WINDOW)
    limiter = RateLimiter(clock)
    starts = []
    for chat in range(91):
        async with limiter.slot(chat):
            starts.append(clock.monotonic())
    assert starts[0] == 0.0
    windows = [b - a for a, b in zip(starts, starts[30:], strict=False)]
    assert min(windows) >= 1.0  # any 31 consecutive sends span at least a second
    assert starts[-1] == pytest.approx(90 * 1.02 / 30)


async def test_the_limiter_sends_at_most_one_message_a_second_to_one_chat() -> None:
    clock = FakeClock(WINDOW)
    limiter = RateLimiter(clock)
    starts = []
    for _ in range(3):
        async with limiter.slot(7):
            starts.append(clock.monotonic())
    assert [round(b - a, 3) for a, b in pairwise(starts)] == [1.02, 1.02]


async def test_a_retry_after_pauses_every_sender() -> None:
    clock = FakeClock(WINDOW)
    limiter = RateLimiter(clock)
    async with limiter.slot(1):
        pass
    limiter.pause(5)
    async with limiter.slot(2):
        assert clock.monotonic() == pytest.approx(5.0)
    assert limiter.paused_seconds == pytest.approx(5.0)


# -- a crowd --------------------------------------------------------------------------------------


def crowd(session: Session, contacts: int, *, first_user_id: int = 100_000) -> list[int]:
    """Ten departments with two projects each, ``contacts`` contacts spread over them and one
    coordinator; returns the contacts' Telegram ids."""
    fld = Field(number=1, title="Energie/Klima/Umwelt")
    session.add(fld)
    session.flush()
    goal = Goal(field_id=fld.id, index=1, text="Ziel")
    session.add(goal)
    session.flush()
    codes = [f"{10 + n}.01" for n in range(10)]
    for n, code in enumerate(codes * 2):
        dep = ensure_department(session, code)
        session.add(Project(field_id=fld.id, goal_id=goal.id, title=f"P{n}", sort_order=n,
                            status=Status.IN_PLANUNG,
                            department_links=[ProjectDepartment(department_id=dep.id)]))
    people = [Person(f"Person {i}", first_user_id + i, (codes[i % 10],)) for i in range(contacts)]
    people.append(Person("Kora Koordination", 2001, role=Role.COORDINATOR))
    add_people(session, people)
    return [first_user_id + i for i in range(contacts)]


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.mark.slow
async def test_a_500_contact_wave_with_429s_reaches_everyone_exactly_once(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as session:
        users = crowd(session, 500)
    for user_id in users:
        api.user(user_id)
    api.inject_429(every_n=37, retry_after=3, methods={"sendMessage"})
    clock = FakeClock(WINDOW)
    harness = Harness(api, sessions, clock, workers=8)
    await harness.start()
    report = await harness.tick(WINDOW)
    await harness.stop()
    assert len(report.delivery.sent) == 500 and not report.delivery.failed
    assert [len(api.user(u).messages) for u in users] == [1] * 500
    refused = sum(1 for call in api.sent_log if call.status == 429)
    assert refused >= 13
    assert report.delivery.retry_after_seconds >= 3 * refused * 0.5  # overlapping pauses merge
    with unit_of_work(sessions) as session:
        unsent = session.scalar(
            select(func.count()).select_from(Notification).where(Notification.sent_at.is_(None))
        )
        assert unsent == 0


@pytest.mark.slow
async def test_a_real_time_wave_stays_within_telegrams_limits(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as session:
        users = crowd(session, 70)
    for user_id in users:
        api.user(user_id)
    clock = FakeClock(WINDOW)
    harness = Harness(api, sessions, clock, workers=8)
    await harness.start()
    assert harness.bot is not None
    sender = Sender(harness.bot, sessions, clock, harness.config,
                    RenderedDrafts(sessions), limiter=RateLimiter(SystemClock()), workers=8)
    started = wall.monotonic()
    report = await DueCheck(sessions, sender, clock, harness.config).run()
    elapsed = wall.monotonic() - started
    await harness.stop()
    assert len(report.delivery.sent) == 70
    assert api.peak_rate() <= 30
    assert max(api.peak_rate(chat_id=u) for u in users) == 1
    assert 69 / 30 <= elapsed <= 1.1 * 70 / 30 + 0.5


@pytest.mark.slow
async def test_a_wave_that_reaches_closing_time_stops_and_resumes_next_morning(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as session:
        users = crowd(session, 60)
    for user_id in users:
        api.user(user_id)
    clock = FakeClock(local(2026, 2, 18, 16, 59) + timedelta(seconds=59))
    harness = Harness(api, sessions, clock)
    await harness.start()
    evening = await harness.tick(clock.now())
    assert 0 < len(evening.delivery.sent) < 60 and evening.delivery.released
    assert (await harness.tick(local(2026, 2, 18, 20))).outside_office_hours
    morning = await harness.tick(local(2026, 2, 19, 8))
    await harness.stop()
    assert len(evening.delivery.sent) + len(morning.delivery.sent) == 60
    assert [len(api.user(u).messages) for u in users] == [1] * 60


async def test_a_blocked_coordinator_is_reported_to_the_other_coordinators_only(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as session:
        crowd(session, 1)
        add_people(session, [Person("Lars Leitung", 2002, role=Role.ADMIN)])
    for user_id in (100_000, 2001, 2002):
        api.user(user_id)
    api.block(2002)
    clock = FakeClock(local(2026, 4, 1, 9))  # the draft of 01.04.2026 goes out
    harness = Harness(api, sessions, clock)
    await harness.start()
    report = await harness.tick(clock.now())
    assert len(report.delivery.unreachable) == 1
    again = await harness.tick(local(2026, 4, 1, 10))
    await harness.stop()
    assert again.delivery.sent == [] and again.created == []
    kora = [m.text for m in api.user(2001).messages if not m.documents]
    assert any("Lars Leitung hat den Bot blockiert" in text for text in kora)
    assert api.user(2002).messages == []


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_draft_at_the_cutoff_is_the_rendered_report_as_pdf_and_docx(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    load_demo(sessions)
    with unit_of_work(sessions) as session:
        add_people(session, [Person("Kora Koordination", 2001, role=Role.COORDINATOR)])
    kora = api.user(2001)
    clock = FakeClock(local(2025, 10, 1, 9))
    harness = Harness(api, sessions, clock)
    await harness.start()
    assert harness.bot is not None
    drafts = RenderedDrafts(sessions)  # the real renderer
    sender = Sender(harness.bot, sessions, clock, harness.config, drafts)
    report = await DueCheck(sessions, sender, clock, harness.config).run()
    await harness.stop()
    assert report.delivery.sent == ["draft:2025-10-01:coordinator:1"]
    assert kora.messages[0].text.startswith(
        "Entwurf des Nachhaltigkeitsreports, Stand 01.10.2025."
    )
    pdf, docx = kora.documents
    assert pdf.filename == "Nachhaltigkeitsreport-Entwurf-2025-10-01.pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 100_000
    assert docx.filename == "Nachhaltigkeitsreport-Entwurf-2025-10-01.docx"
    assert docx.content.startswith(b"PK")
    assert drafts.renders == 1
    assert date(2025, 10, 1).isoformat() in docx.filename
