"""Renders in child processes (core.render.job): a limit on how many run at once, a timeout."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from support.bot_seed import CUTOFF, seed_small_report

from core.render.job import RenderFailed, RenderJob, RenderProcesses, engine_url

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # the child opens the file by URL


@pytest.fixture
def database(engine: Engine, sessions: sessionmaker[Session]) -> str:
    """The URL of a database holding the small report."""
    with sessions.begin() as session:
        seed_small_report(session)
    return engine_url(engine)


@pytest.mark.slow
async def test_no_more_renders_run_at_once_than_the_limit_allows(
    database: str, backend: str
) -> None:
    renders = RenderProcesses(database, limit=1)
    most = 0

    async def watch() -> None:
        nonlocal most
        while True:
            most = max(most, len(renders.running))
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    job = RenderJob(CUTOFF, ("html",))
    first, second = await asyncio.gather(renders.render(job), renders.render(job))
    watcher.cancel()

    assert most == 1
    assert [d.filename for d in first] == ["nachhaltigkeitsreport-2025-10-01-entwurf.html"]
    assert first[0].content == second[0].content
    assert b"W\xc3\xa4rmeplanung" in first[0].content  # a project of the small report
    assert renders.running == {}


async def test_a_render_that_takes_too_long_is_killed_and_reported(
    database: str, backend: str
) -> None:
    renders = RenderProcesses(database, timeout=0.05)

    with pytest.raises(RenderFailed, match="took longer than") as failure:
        await renders.render(RenderJob(CUTOFF, ("pdf",)))

    assert not failure.value.killed  # a timeout, not somebody else's signal
    assert renders.running == {}
