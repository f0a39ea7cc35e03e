"""A half-year on a fake clock: window opens, reminders, escalation, the draft at the cutoff.

The scheduler talks real Bot API HTTP to the fake server; the clock is fake, so months pass in
seconds and nothing sleeps. Messages are read the way users see them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import date, datetime, time, timedelta

import holidays
import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import FakeBotApi
from test_scheduler_world import (
    BERLIN,
    SMALL_PEOPLE,
    Harness,
    Person,
    add_people,
    answer,
    load_demo,
    local,
    projects_of,
    small_report,
    telegram_names,
)

from core.approval import approve
from core.audit import Auditor
from core.clock import FakeClock
from core.db import unit_of_work
from core.editions import choose_collecting
from core.models import Contact, Notification, Role, Submission, SubmissionState, utcnow

NRW = holidays.country_holidays("DE", subdiv="NW", years=range(2025, 2031))
OFFICE_TICKS = [
    time(7, 30),
    time(8),
    time(9),
    time(9, 30),
    time(10),
    time(11),
    time(12),
    time(13),
    time(14),
    time(15),
    time(16),
    time(16, 45),
    time(17, 30),
    time(22),
]
CLOSED_TICKS = [time(9), time(12)]


class Crash(BaseException):
    """The process dies (not an error the sender would catch and record)."""


class CrashingClock(FakeClock):
    """A fake clock that can kill the process the next time someone sleeps on it."""

    crash_on_sleep = False

    async def sleep(self, seconds: float) -> None:
        if self.crash_on_sleep and seconds > 0:
            self.crash_on_sleep = False
            raise Crash
        await super().sleep(seconds)


async def crashes(run: Awaitable[object]) -> bool:
    """Run ``run``; True if the process died in it (a Crash, alone or in a task group)."""
    died = False
    try:
        await run
    except* Crash:
        died = True
    return died


def ticks(first: date, last: date) -> Iterator[datetime]:
    """Due-check times: often on working days (also before and after hours), twice on closed
    days, which must send nothing."""
    day = first
    while day <= last:
        closed = day.weekday() >= 5 or day in NRW
        for t in CLOSED_TICKS if closed else OFFICE_TICKS:
            yield datetime.combine(day, t, tzinfo=BERLIN)
        day += timedelta(days=1)


Action = tuple[datetime, Callable[[Session, datetime], None]]


async def simulate(
    harness: Harness,
    first: date,
    last: date,
    actions: list[Action],
    *,
    downtime: Callable[[datetime], bool] = lambda _t: False,
) -> None:
    """Run the due-check at every tick, doing each user action once its time has come."""
    pending = sorted(actions, key=lambda a: a[0])
    for tick in ticks(first, last):
        while pending and pending[0][0] <= tick:
            at, act = pending.pop(0)
            harness.clock.set(max(at, harness.clock.now()))
            with unit_of_work(harness.sessions) as session:
                act(session, at)
        if downtime(tick):
            continue
        await harness.tick(tick)


def assert_all_in_office_hours(harness: Harness) -> None:
    for received in harness.received():
        moment = datetime.strptime(received.when[4:], "%d.%m.%Y %H:%M")
        assert moment.weekday() < 5, received
        assert moment.date() not in NRW, (received, NRW.get(moment.date()))
        assert time(8) <= moment.time() < time(17), received


# -- the demo half-year -------------------------------------------------------------------------

DEMO_PEOPLE = (
    Person("Anna Albers", 1001, ("80.01",)),  # answers everything at once
    Person("Bernd Brandt", 1002, ("61",)),  # answers half, the rest after the second reminder
    Person("Clara Conrad", 1003, ("70.01", "70.02")),  # never answers
    Person("Dieter Dorn", 1004, ("wfg",)),  # blocked the bot
    Person("Emil Ernst", None, ("65",)),  # never started the bot
    Person("Kora Koordination", 2001, role=Role.COORDINATOR),
    Person("Lars Leitung", 2002, role=Role.ADMIN),
)


@pytest_asyncio.fixture
async def api(clock: FakeClock) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(clock=clock.timestamp) as server:
        yield server


@pytest.fixture
def clock() -> CrashingClock:
    return CrashingClock(local(2025, 10, 1, 6))


@pytest.mark.slow
async def test_a_demo_half_year_sends_exactly_the_planned_messages_on_working_days(
    api: FakeBotApi, sessions: sessionmaker[Session], clock: CrashingClock
) -> None:
    load_demo(sessions)  # last published 01.04.2025: the coordinator chooses the edition
    with unit_of_work(sessions) as session:
        ids = add_people(session, DEMO_PEOPLE)
        choose_collecting(
            session,
            date(2028, 10, 1),
            Auditor(session, actor="test", now=utcnow()),
            date(2028, 10, 2),
        )
    cutoff = date(2029, 4, 1)  # Easter Sunday: Ostermontag and Karfreitag are close
    clock.set(local(2028, 10, 2, 6))
    names = telegram_names(DEMO_PEOPLE)
    for user_id, name in names.items():
        api.user(user_id, first_name=name.split()[0])
    api.block(1004)
    harness = Harness(api, sessions, clock, names=names)
    await harness.start()

    def anna_answers(session: Session, at: datetime) -> None:
        answer(session, ids["Anna Albers"], cutoff, projects_of(session, "80.01"), at)

    def bernd_answers_half(session: Session, at: datetime) -> None:
        mine = projects_of(session, "61")
        answer(session, ids["Bernd Brandt"], cutoff, mine[: len(mine) // 2], at)

    def bernd_answers_the_rest(session: Session, at: datetime) -> None:
        mine = projects_of(session, "61")
        answer(session, ids["Bernd Brandt"], cutoff, mine[len(mine) // 2 :], at)

    def kora_approves_anna(session: Session, at: datetime) -> None:
        kora = session.get(Contact, ids["Kora Koordination"])
        assert kora is not None
        for sub in session.scalars(
            select(Submission).where(
                Submission.contact_id == ids["Anna Albers"],
                Submission.state == SubmissionState.SUBMITTED,
            )
        ):
            approve(session, sub.id, kora, at, force=True)

    def kora_moves_on(session: Session, at: datetime) -> None:  # nhr edition collect
        choose_collecting(
            session, cutoff, Auditor(session, actor="Kora", now=at), at.astimezone(BERLIN).date()
        )

    actions: list[Action] = [
        (local(2028, 10, 9, 10), kora_moves_on),
        (local(2029, 2, 20, 10, 15), anna_answers),
        (local(2029, 2, 21, 11), bernd_answers_half),
        (local(2029, 3, 13, 14), bernd_answers_the_rest),
        (local(2029, 3, 22, 10, 30), kora_approves_anna),
    ]
    try:
        await simulate(harness, date(2028, 10, 2), date(2029, 4, 4), actions)
    finally:
        await harness.stop()

    got = [(r.who, r.kind, r.when) for r in harness.received() if r.kind != "draft-file"]
    assert got == [
        ("Kora Koordination", "draft", "Mon 02.10.2028 09:00"),  # the last cutoff's draft
        ("Lars Leitung", "draft", "Mon 02.10.2028 09:00"),
        ("Anna Albers", "prompt", "Mon 19.02.2029 09:00"),  # 18.02. is a Sunday
        ("Bernd Brandt", "prompt", "Mon 19.02.2029 09:00"),
        ("Clara Conrad", "prompt", "Mon 19.02.2029 09:00"),
        ("Kora Koordination", "unreachable", "Mon 19.02.2029 09:00"),  # Dieter blocked the bot
        ("Lars Leitung", "unreachable", "Mon 19.02.2029 09:00"),
        ("Bernd Brandt", "reminder", "Mon 26.02.2029 09:00"),
        ("Clara Conrad", "reminder", "Mon 26.02.2029 09:00"),
        ("Bernd Brandt", "reminder", "Mon 12.03.2029 09:00"),
        ("Clara Conrad", "reminder", "Mon 12.03.2029 09:00"),
        ("Clara Conrad", "reminder", "Thu 15.03.2029 09:00"),  # two working days before 19.03.
        ("Kora Koordination", "escalation", "Tue 20.03.2029 09:00"),
        ("Lars Leitung", "escalation", "Tue 20.03.2029 09:00"),
        ("Kora Koordination", "draft", "Tue 03.04.2029 09:00"),  # after Ostermontag
        ("Lars Leitung", "draft", "Tue 03.04.2029 09:00"),
    ]
    assert_all_in_office_hours(harness)

    received = harness.received()
    files = Counter(d for r in received for d in r.documents)
    assert files == {
        "nachhaltigkeitsreport-2028-10-01-entwurf.pdf": 2,
        "nachhaltigkeitsreport-2028-10-01-entwurf.docx": 2,
        "nachhaltigkeitsreport-2029-04-01-entwurf.pdf": 2,
        "nachhaltigkeitsreport-2029-04-01-entwurf.docx": 2,
    }
    by = {(r.who, r.kind, r.when[4:14]): r.text for r in received}
    prompt = by[("Clara Conrad", "prompt", "19.02.2029")]
    assert "Ihre Abteilungen 70.01 und 70.02 sind für" in prompt
    assert "bis Montag, 19.03.2029" in prompt
    last = by[("Clara Conrad", "reminder", "15.03.2029")]
    assert last.startswith(
        "Guten Tag, Clara Conrad!\n\nLetzte Erinnerung: Die Frist endet am Montag, 19.03.2029."
    )
    escalation = by[("Kora Koordination", "escalation", "20.03.2029")]
    for code in ("65", "70.01", "70.02", "wfg"):
        assert f"• {code}: " in escalation
    assert "• 80.01:" not in escalation and "• 61:" not in escalation
    assert (
        "Dieter Dorn (Abteilung wfg) hat den Bot blockiert"
        in by[("Lars Leitung", "unreachable", "19.02.2029")]
    )
    draft = by[("Kora Koordination", "draft", "03.04.2029")]
    assert "Meldungen warten auf Ihre Freigabe." in draft  # Bernd's, not yet approved
    assert "• 80.01:" not in draft
    prompt_buttons = api.user(1001).buttons(api.user(1001).messages[0])
    assert prompt_buttons == [("Projekte öffnen", "open")]

    with unit_of_work(sessions) as session:
        rows = session.scalars(select(Notification)).all()
        assert len({r.key for r in rows}) == len(rows)
        dieter = session.get(Contact, ids["Dieter Dorn"])
        assert dieter is not None and dieter.reachable is False
        assert Counter((r.kind, r.sent_at is not None) for r in rows) == {
            ("draft", True): 4,
            ("prompt", True): 3,
            ("prompt", False): 1,
            ("unreachable", True): 2,
            ("reminder", True): 5,
            ("escalation", True): 2,
        }


# -- restarts -----------------------------------------------------------------------------------

SMALL_CUTOFF = date(2026, 4, 1)


def small_actions(ids: dict[str, int]) -> list[Action]:
    """Anna answers after the prompt, Bernd half before r1 and the rest three days after r2."""

    def anna(session: Session, at: datetime) -> None:
        answer(session, ids["Anna Albers"], SMALL_CUTOFF, projects_of(session, "80.01"), at)

    def bernd_first(session: Session, at: datetime) -> None:
        answer(session, ids["Bernd Brandt"], SMALL_CUTOFF, projects_of(session, "61")[:1], at)

    def bernd_rest(session: Session, at: datetime) -> None:
        answer(session, ids["Bernd Brandt"], SMALL_CUTOFF, projects_of(session, "61")[1:], at)

    return [
        (local(2026, 2, 20, 10), anna),
        (local(2026, 2, 21, 12), bernd_first),
        (local(2026, 3, 14, 12), bernd_rest),
    ]


async def small_half_year(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    clock: CrashingClock,
    downtime: Callable[[datetime], bool] = lambda _t: False,
    crash_at: set[datetime] | None = None,
) -> Harness:
    with unit_of_work(sessions) as session:
        ids = small_report(session)
    names = telegram_names(SMALL_PEOPLE)
    harness = Harness(api, sessions, clock, names=names)
    for user_id in names:
        api.user(user_id)
    await harness.start()
    was_down = False
    crash_at = crash_at or set()

    def down(tick: datetime) -> bool:
        nonlocal was_down
        return downtime(tick)

    actions = small_actions(ids)
    pending = sorted(actions, key=lambda a: a[0])
    for tick in ticks(date(2025, 10, 1), date(2026, 4, 2)):
        while pending and pending[0][0] <= tick:
            at, act = pending.pop(0)
            clock.set(max(at, clock.now()))
            with unit_of_work(sessions) as session:
                act(session, at)
        if down(tick):
            if not was_down:
                await harness.stop()
                was_down = True
            continue
        if was_down:
            await harness.start()
            harness.restarts += 1
            was_down = False
        clock.crash_on_sleep = tick in crash_at
        if await crashes(harness.tick(tick)):
            await harness.restart()  # the process died mid-wave and was started again
        clock.crash_on_sleep = False
    await harness.stop()
    return harness


SMALL_EXPECTED = [
    ("Kora Koordination", "draft", "Wed 01.10.2025 09:00"),
    ("Lars Leitung", "draft", "Wed 01.10.2025 09:00"),
    ("Anna Albers", "prompt", "Wed 18.02.2026 09:00"),
    ("Bernd Brandt", "prompt", "Wed 18.02.2026 09:00"),
    ("Clara Conrad", "prompt", "Wed 18.02.2026 09:00"),
    ("Bernd Brandt", "reminder", "Wed 25.02.2026 09:00"),
    ("Clara Conrad", "reminder", "Wed 25.02.2026 09:00"),
    ("Bernd Brandt", "reminder", "Wed 11.03.2026 09:00"),
    ("Clara Conrad", "reminder", "Wed 11.03.2026 09:00"),
    ("Clara Conrad", "reminder", "Mon 16.03.2026 09:00"),
    ("Kora Koordination", "escalation", "Thu 19.03.2026 09:00"),
    ("Lars Leitung", "escalation", "Thu 19.03.2026 09:00"),
    ("Kora Koordination", "draft", "Wed 01.04.2026 09:00"),
    ("Lars Leitung", "draft", "Wed 01.04.2026 09:00"),
]


def when(received_when: str) -> datetime:
    return datetime.strptime(received_when[4:], "%d.%m.%Y %H:%M")


@pytest.mark.slow
async def test_a_half_year_without_restarts_sends_the_plan(
    api: FakeBotApi, sessions: sessionmaker[Session], clock: CrashingClock
) -> None:
    harness = await small_half_year(api, sessions, clock)
    got = [(r.who, r.kind, r.when) for r in harness.received() if r.kind != "draft-file"]
    assert got == SMALL_EXPECTED
    assert_all_in_office_hours(harness)


@pytest.mark.slow
async def test_a_reminder_due_while_the_process_was_down_goes_out_once_after_the_start(
    api: FakeBotApi, sessions: sessionmaker[Session], clock: CrashingClock
) -> None:
    stop, start = local(2026, 2, 24, 16), local(2026, 2, 26, 13, 30)  # r1: 25.02. 09:00
    harness = await small_half_year(api, sessions, clock, lambda t: stop <= t < start)
    reminders = [(r.who, r.when) for r in harness.received() if r.kind == "reminder"]
    assert reminders[:2] == [
        ("Bernd Brandt", "Thu 26.02.2026 14:00"),
        ("Clara Conrad", "Thu 26.02.2026 14:00"),
    ]
    assert len(reminders) == 5
    assert harness.restarts == 1


@pytest.mark.slow
async def test_twenty_random_restarts_and_crashes_neither_duplicate_nor_miss_a_message(
    api: FakeBotApi, sessions: sessionmaker[Session], clock: CrashingClock
) -> None:
    rng = random.Random(20260401)
    all_ticks = [
        t for t in ticks(date(2025, 10, 1), date(2026, 4, 2)) if time(8) <= t.time() < time(17)
    ]
    downs: list[tuple[datetime, datetime]] = []
    for start in sorted(rng.sample(all_ticks, 20)):
        downs.append((start, start + timedelta(hours=rng.uniform(0.5, 48))))
    # Crash in the middle of every wave: after the first message, the rest stays claimed.
    planned = {
        local(2025, 10, 1),
        local(2026, 2, 18),
        local(2026, 2, 25),
        local(2026, 3, 11),
        local(2026, 3, 19),
        local(2026, 4, 1),
    }
    crash_at = {t for t in all_ticks if t in planned}

    def downtime(tick: datetime) -> bool:
        return any(a <= tick < b for a, b in downs)

    harness = await small_half_year(api, sessions, clock, downtime, crash_at)
    got = [(r.who, r.kind, r.when) for r in harness.received() if r.kind != "draft-file"]
    assert Counter((who, kind) for who, kind, _ in got) == Counter(
        (who, kind) for who, kind, _ in SMALL_EXPECTED
    )
    # Each message went out at its planned time or, if the process was down, later.
    planned_times = sorted(SMALL_EXPECTED)
    for (who, kind, at), (_, _, plan_at) in zip(sorted(got), planned_times, strict=True):
        assert when(at) >= when(plan_at), (who, kind, at, plan_at)
    assert harness.restarts >= 20
    assert_all_in_office_hours(harness)


async def test_a_crash_between_send_and_record_resends_that_one_message_after_the_lease(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    clock: CrashingClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The documented at-least-once window: Telegram accepted, the database never heard."""
    import scheduler.sender as sender_module

    real_mark_sent = sender_module.mark_sent
    crashed: list[int] = []

    def mark_sent_or_die(session: Session, notification_id: int, now: datetime) -> bool:
        if not crashed:
            crashed.append(notification_id)
            raise Crash
        return real_mark_sent(session, notification_id, now)

    monkeypatch.setattr(sender_module, "mark_sent", mark_sent_or_die)
    with unit_of_work(sessions) as session:
        small_report(session)
    clock.set(local(2026, 2, 18, 8))
    names = telegram_names(SMALL_PEOPLE)
    for user_id in names:
        api.user(user_id)
    harness = Harness(api, sessions, clock, names=names)
    await harness.start()
    assert await crashes(harness.tick(local(2026, 2, 18, 9)))
    await harness.restart()
    await harness.tick(local(2026, 2, 18, 9, 5))  # lease still running: nothing
    await harness.tick(local(2026, 2, 18, 9, 30))
    await harness.stop()
    prompts = Counter(r.who for r in harness.received() if r.kind == "prompt")
    assert prompts == {"Anna Albers": 2, "Bernd Brandt": 1, "Clara Conrad": 1}
