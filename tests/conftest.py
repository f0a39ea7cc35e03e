"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from support.fixtures import fake_bot_api  # noqa: F401 - re-exported fixture
from support.guarded import cli_database  # noqa: F401 - re-exported fixture
from support.snapshots import Build, Snapshots
from support.unavailable import unavailable

from core.db import make_engine, make_session_factory

# Opt into python-telegram-bot's future `RetryAfter.retry_after: timedelta` (the code handles
# both); this silences its deprecation warning in every 429 test.
os.environ.setdefault("PTB_TIMEDELTA", "1")

#: Workers for a whole-suite run: every core, but not so many that PostgreSQL runs out of
#: connections (each worker holds a few).
MAX_WORKERS = 8


@pytest.fixture(autouse=True, scope="session")
def backups_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The restore points that ``nhr import-report``, ``nhr edition publish`` … take go to a
    temporary folder, never into ``backups/`` of the working directory (tests that look at
    them set ``BACKUP_DIR`` to a folder of their own)."""
    os.environ.setdefault("BACKUP_DIR", str(tmp_path_factory.mktemp("backups")))


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The whole suite (plain ``pytest``, also ``pytest -m "not slow"``) runs on all cores (at
    most :data:`MAX_WORKERS`) with pytest-xdist; a run of named files or tests stays in one
    process (quicker to start). ``-n N`` always wins, ``-n 0`` or ``-p no:xdist`` run serially.
    Tests go to whichever worker is free (``--dist worksteal``, unless ``--dist`` is given).
    Each worker has its own PostgreSQL schemas, tmp_path, fake Bot API ports and session
    fixtures (``snapshots``)."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    whole_suite = config.args_source in (
        pytest.Config.ArgsSource.TESTPATHS,
        pytest.Config.ArgsSource.INVOCATION_DIR,
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if config.option.numprocesses is None and whole_suite and (cores or 1) > 1:
        config.option.numprocesses = min(cores or 1, MAX_WORKERS)
    if config.option.numprocesses and config.option.dist == "no":
        # xdist's default ("load") hands each worker a fixed quarter of the suite up front:
        # with the slow tests first, one worker got nearly all of them and ran for minutes
        # after the other had finished. "worksteal" lets an idle worker take over the rest.
        config.option.dist = "worksteal"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first (otherwise in collection order): with pytest-xdist the long ones start
    at once on different workers, and the run ends on short tests instead of one long one."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


PG_URLS = (
    os.environ.get("NHR_TEST_POSTGRES_URL", ""),
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)


def _find_postgres() -> str | None:
    for url in filter(None, PG_URLS):
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            return url
        except Exception:
            continue
        finally:
            engine.dispose()
    return None


_PG_URL: str | None = None
_PG_PROBED = False


def postgres_url() -> str:
    """The reachable PostgreSQL URL; fails under CI=true, skips locally when unreachable."""
    global _PG_URL, _PG_PROBED
    if not _PG_PROBED:
        _PG_URL, _PG_PROBED = _find_postgres(), True
    if _PG_URL is None:
        message = "PostgreSQL at 127.0.0.1:5432 (database test) is not reachable"
        unavailable(message)
    return _PG_URL


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    return str(request.param)


def _fresh_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        yield engine
        engine.dispose()
        return
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        base, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=False
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of the current backend."""
    yield from _fresh_engine(backend, tmp_path)


@pytest.fixture
def engine(backend: str, tmp_path: Path, snapshots: Snapshots) -> Iterator[Engine]:
    """An engine on a freshly migrated database of its own: on SQLite a copy of the file of a
    database migrated once per process; on PostgreSQL a migrated schema that only this test
    uses and that is emptied for a later test afterwards (see ``Snapshots.postgres_engine``)."""
    if backend == "sqlite":
        engine = snapshots.sqlite_engine(tmp_path / "test.sqlite3")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with snapshots.postgres_engine() as engine:
        yield engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Session factory on the migrated database."""
    return make_session_factory(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session; the test decides when to commit."""
    with sessions() as s:
        yield s


@pytest.fixture(scope="session")
def rendered_sample(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., bytes]:
    """``rendered_sample(fmt, draft=False, show_changes=False)``: the bytes of
    ``support.sample_edition`` rendered as ``html``, ``pdf`` or ``docx``, once per test process.

    Tests that only read a rendering (pypdf, python-docx, LibreOffice, a browser) share it
    instead of rendering again: a PDF takes about a second.
    """
    from support.sample_edition import sample_edition

    from core.config import RenderOptions
    from core.documents import render_documents

    cache: dict[tuple[str, bool, bool], bytes] = {}
    directory = tmp_path_factory.mktemp("rendered")

    def rendered(fmt: str, *, draft: bool = False, show_changes: bool = False) -> bytes:
        key = (fmt, draft, show_changes)
        if key not in cache:
            edition = sample_edition(draft=draft, show_changes=show_changes)
            folder = directory / "-".join(map(str, key))
            [path] = render_documents(edition, folder, [fmt], options=RenderOptions())
            cache[key] = path.read_bytes()
        return cache[key]

    return rendered


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshots]:
    """This test process's store of built database states (see support/snapshots.py)."""
    store = Snapshots(tmp_path_factory.mktemp("snapshots"), postgres_url)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def db_snapshot(backend: str, engine: Engine, snapshots: Snapshots) -> Callable[[str, Build], None]:
    """``db_snapshot(name, build)``: fill this test's database with the state ``build`` makes
    from an empty migrated database; built once per process and backend, then copied."""

    def restore(name: str, build: Build) -> None:
        snapshots.restore(backend, name, build, engine)

    return restore
