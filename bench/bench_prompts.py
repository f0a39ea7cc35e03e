"""Benchmark: a 500-contact prompt wave against the fake Bot API, which sometimes answers 429.

Measures the wall time of one due-check that plans and sends the prompts of an edition and
compares it with what Telegram's limit allows: 500 messages at 30 per second, plus the
``retry_after`` pauses the fake server asked for. The wave must not take more than 10 % longer.

    python bench/bench_prompts.py [--contacts 500] [--p429 0.02] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy.orm import Session, sessionmaker  # noqa: E402 - after the path set-up
from support.fake_bot_api import ApiError, FakeBotApi  # noqa: E402
from telegram import Bot  # noqa: E402

from core.clock import SystemClock  # noqa: E402
from core.db import make_engine, make_session_factory, unit_of_work  # noqa: E402
from core.models import (  # noqa: E402
    Contact,
    Department,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    Role,
)
from core.schedule import ScheduleConfig  # noqa: E402
from core.status import Status  # noqa: E402
from scheduler.documents import RenderedDrafts  # noqa: E402
from scheduler.jobs import DueCheck  # noqa: E402
from scheduler.sender import Sender  # noqa: E402

WINDOW_OPENS = datetime(2026, 2, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin: the 01.04.2026 prompts
LIMIT_PER_SECOND = 30
FIRST_USER = 100_000


class BenchClock(SystemClock):
    """Real monotonic time and sleep; wall time starts at the window's opening."""

    def __init__(self) -> None:
        self._started = time.monotonic()

    def now(self) -> datetime:
        return WINDOW_OPENS + timedelta(seconds=time.monotonic() - self._started)


def populate(sessions: sessionmaker[Session], contacts: int) -> None:
    """Ten departments with two projects each, ``contacts`` contacts and a coordinator."""
    with unit_of_work(sessions) as session:
        fld = Field(number=1, title="Energie/Klima/Umwelt")
        session.add(fld)
        session.flush()
        goal = Goal(field_id=fld.id, index=1, text="Ziel")
        session.add(goal)
        session.flush()
        departments = [Department(code=f"{10 + n}.01", name="") for n in range(10)]
        session.add_all(departments)
        session.flush()
        for n, dep in enumerate(departments * 2):
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
        for i in range(contacts):
            contact = Contact(name=f"Person {i}", telegram_user_id=FIRST_USER + i)
            contact.departments = [departments[i % 10]]
            session.add(contact)
        session.add(Contact(name="Koordination", telegram_user_id=2001, role=Role.COORDINATOR))


async def wave(url: str, contacts: int, p429: float, retry_after: int, seed: int) -> bool:
    from migrations import upgrade

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    populate(sessions, contacts)
    rng = random.Random(seed)

    def sometimes_429(method: str, chat_id: int | None) -> ApiError | None:
        if method == "sendMessage" and rng.random() < p429:
            return ApiError.too_many_requests(retry_after)
        return None

    async with FakeBotApi() as api:
        for i in range(contacts):
            api.user(FIRST_USER + i)
        api.set_fault_policy(sometimes_429)
        clock = BenchClock()
        config = ScheduleConfig()
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = Sender(bot, sessions, clock, config, RenderedDrafts(sessions))
            started = time.monotonic()
            report = await DueCheck(sessions, sender, clock, config).run()
            elapsed = time.monotonic() - started
        received = [len(api.user(FIRST_USER + i).messages) for i in range(contacts)]
        refused = sum(1 for call in api.sent_log if call.status == 429)
        peak = api.peak_rate()
        peak_chat = max(api.peak_rate(chat_id=FIRST_USER + i) for i in range(contacts))
    engine.dispose()

    pauses = sender.limiter.paused_seconds
    bound = contacts / LIMIT_PER_SECOND + pauses
    exactly_once = received == [1] * contacts and len(report.delivery.sent) == contacts
    ok = exactly_once and elapsed <= 1.10 * bound and peak <= LIMIT_PER_SECOND
    print(f"contacts                {contacts}")
    print(
        f"prompts sent            {len(report.delivery.sent)} "
        f"(each contact exactly once: {exactly_once})"
    )
    print(f"429 answers             {refused} (retry_after {retry_after} s)")
    print(f"retry_after pauses      {pauses:.2f} s")
    print(f"bound (30/s + pauses)   {bound:.2f} s")
    print(f"wall time               {elapsed:.2f} s ({elapsed / bound:.3f} × bound, max 1.10)")
    print(f"peak rate               {peak}/s overall, {peak_chat}/s per chat")
    print("PASS" if ok else "FAIL")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--p429", type=float, default=0.02, help="chance of a 429 per send")
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        ok = asyncio.run(wave(url, args.contacts, args.p429, args.retry_after, args.seed))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
