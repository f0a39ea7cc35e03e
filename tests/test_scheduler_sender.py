"""Sending within Telegram's limits: spacing, 429 RetryAfter, blocked users, office hours.

The limits are checked on the rate limiter's own (fake) clock, where machine load cannot move
them; how a wave fares in real time against the fake Bot API is measured by
``bench/bench_prompts.py`` (``--contacts 70 --p429 0`` is the wave this file once timed).
"""

from __future__ import annotations

import asyncio
import heapq
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st
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

from core.clock import FakeClock
from core.db import unit_of_work
from core.models import Field, Goal, Notification, Project, ProjectDepartment, Role
from core.status import Status
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


class BusyClock(FakeClock):
    """A fake clock on a busy machine: sleepers wake one at a time in the order of their
    deadlines, the ``n``-th sleeper ``late[n]`` seconds after its deadline while the other
    tasks go on running, as an event loop held up by other work wakes a task late.
    :meth:`run` moves the time."""

    def __init__(self, start: datetime, late: dict[int, float]) -> None:
        super().__init__(start)
        self._late = late
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._sleeps = 0

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has reached ``seconds`` from now, and then some."""
        n = self._sleeps
        self._sleeps += 1
        late = self._late.get(n, 0.0)
        woken = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.monotonic() + max(seconds, 0.0) + late, n, woken))
        await woken

    async def run(self) -> None:
        """Every few turns of the event loop, wake the sleeper with the earliest deadline."""
        while True:
            for _ in range(3):
                await asyncio.sleep(0)
            if self._sleepers:
                at, _, woken = heapq.heappop(self._sleepers)
                if at > self.monotonic():
                    self.advance(at - self.monotonic())
                woken.set_result(None)


def schedule(
    chats: list[int],
    workers: int,
    round_trips: list[int],
    pauses: dict[int, float],
    late: dict[int, float],
) -> list[tuple[float, int]]:
    """(start, chat) of every send when ``workers`` tasks share one limiter on a busy fake clock
    (:class:`BusyClock` with ``late``) and send to ``chats`` in turn; send ``n`` takes
    ``round_trips[n]`` turns of the event loop (others go ahead meanwhile) and is answered with
    a 429 of ``pauses[n]`` seconds."""
    clock = BusyClock(WINDOW, late)
    limiter = RateLimiter(clock)
    queue = list(enumerate(chats))
    starts: list[tuple[float, int]] = []

    async def worker() -> None:
        while queue:
            n, chat = queue.pop(0)
            async with limiter.slot(chat):
                starts.append((clock.monotonic(), chat))
                for _ in range(round_trips[n % len(round_trips)]):
                    await asyncio.sleep(0)
                if n in pauses:
                    limiter.pause(pauses[n])

    async def wave() -> None:
        time = asyncio.create_task(clock.run())
        await asyncio.gather(*(worker() for _ in range(workers)))
        time.cancel()

    asyncio.run(wave())
    return starts


def crowd_chats(size: int, repeated: list[int]) -> list[int]:
    """``size`` sends to distinct chats, except that those at ``repeated`` go to chat 0."""
    return [0 if n in repeated else 1000 + n for n in range(size)]


@given(
    chats=st.builds(crowd_chats, st.integers(31, 150), st.lists(st.integers(0, 149), max_size=8)),
    workers=st.integers(1, 8),
    round_trips=st.lists(st.integers(0, 3), min_size=1, max_size=8),
    pauses=st.dictionaries(st.integers(0, 149), st.floats(0.1, 3.0), max_size=3),
    late=st.dictionaries(st.integers(0, 150), st.floats(0.01, 1.5), max_size=4),
)
def test_concurrent_senders_on_a_busy_machine_never_exceed_thirty_a_second_or_one_per_chat(
    chats: list[int],
    workers: int,
    round_trips: list[int],
    pauses: dict[int, float],
    late: dict[int, float],
) -> None:
    starts = schedule(chats, workers, round_trips, pauses, late)

    times = sorted(at for at, _ in starts)
    assert len(times) == len(chats)
    assert all(last - first >= 1.0 for first, last in zip(times, times[30:], strict=False))
    per_chat: dict[int, list[float]] = defaultdict(list)
    for at, chat in starts:
        per_chat[chat].append(at)
    assert all(b - a >= 1.0 for ats in per_chat.values() for a, b in pairwise(sorted(ats)))


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
        session.add(
            Project(
                field_id=fld.id,
                goal_id=goal.id,
                title=f"P{n}",
                sort_order=n,
                status=Status.IN_PLANUNG,
                department_links=[ProjectDepartment(department_id=dep.id)],
            )
        )
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
async def test_a_wave_of_seventy_reaches_everyone_once_through_seventy_spaced_slots(
    api: FakeBotApi, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as session:
        users = crowd(session, 70)
    for user_id in users:
        api.user(user_id)
    clock = FakeClock(WINDOW)
    harness = Harness(api, sessions, clock, workers=8)
    await harness.start()
    report = await harness.tick(WINDOW)
    await harness.stop()
    assert len(report.delivery.sent) == 70
    assert [len(api.user(u).messages) for u in users] == [1] * 70
    # every message took its own slot: 69 spacings on the limiter's (fake) clock, give or take
    # a window the limiter adds when a sender woke late
    assert 69 * 1.02 / 30 - 1e-9 <= clock.monotonic() <= 69 * 1.02 / 30 + 1.02


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
    assert kora.messages[0].text.startswith("Entwurf des Nachhaltigkeitsreports, Stand 01.10.2025.")
    pdf, docx = kora.documents
    assert pdf.filename == "nachhaltigkeitsreport-2025-10-01-entwurf.pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 100_000
    assert docx.filename == "nachhaltigkeitsreport-2025-10-01-entwurf.docx"
    assert docx.content.startswith(b"PK")
    assert drafts.renders == 1
    assert date(2025, 10, 1).isoformat() in docx.filename
