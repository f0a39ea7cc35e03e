"""Database states built once and copied into each test's own database.

Importing the demo edition or a real seed edition takes about a second per test (more on
PostgreSQL). Many tests start from the same imported state and then do their own thing with it,
so :class:`Snapshots` builds each named state once per test process (each pytest-xdist worker
has its own) and backend, and copies it into the test's freshly migrated database:

- SQLite: the state lives in a file of its own; restoring it is SQLite's online backup into the
  test's database (schema and data, a few milliseconds).
- PostgreSQL: the state lives in a schema of its own in the test database; restoring it is one
  ``INSERT … SELECT`` per table (in foreign-key order) plus the sequences' positions, inside the
  database server.

The copy is the state the build function left, row for row and id for id, so a test cannot
tell it from running the build itself (except for the wall-clock time stamped into rows, which
is that of the build). Use it through the ``db_snapshot`` fixture in ``tests/conftest.py``::

    @pytest.fixture
    def imported(sessions, db_snapshot):
        db_snapshot("demo", lambda s: load_demo(s))
        return sessions
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory
from core.models import Base

Build = Callable[[sessionmaker[Session]], object]


@dataclass
class Snapshots:
    """Named, migrated-and-built database states of one test process (see the module doc)."""

    directory: Path
    postgres_url: Callable[[], str]
    _sqlite: dict[str, Path] = field(default_factory=dict)
    _postgres: dict[str, str] = field(default_factory=dict)

    def restore(self, backend: str, name: str, build: Build, engine: Engine) -> None:
        """Make ``engine``'s (migrated, empty) database hold the state ``name``; the first call
        for a name and backend runs ``build`` on a database of its own."""
        if backend == "sqlite":
            self._restore_sqlite(self._sqlite_state(name, build), engine)
        else:
            self._restore_postgres(self._postgres_state(name, build), engine)

    def close(self) -> None:
        """Drop the PostgreSQL schemas (the SQLite files go with pytest's tmp directory)."""
        if not self._postgres:
            return
        admin = create_engine(self.postgres_url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for schema in self._postgres.values():
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            admin.dispose()
        self._postgres.clear()

    # -- SQLite -----------------------------------------------------------------------------

    def _sqlite_state(self, name: str, build: Build) -> Path:
        if name not in self._sqlite:
            path = self.directory / f"snapshot-{len(self._sqlite)}.sqlite3"
            _build(make_engine(f"sqlite:///{path}"), build)
            self._sqlite[name] = path
        return self._sqlite[name]

    @staticmethod
    def _restore_sqlite(path: Path, engine: Engine) -> None:
        source = sqlite3.connect(path)
        try:
            with engine.connect() as conn:
                target = conn.connection.driver_connection
                assert isinstance(target, sqlite3.Connection)
                source.backup(target)
        finally:
            source.close()

    # -- PostgreSQL -------------------------------------------------------------------------

    def _postgres_state(self, name: str, build: Build) -> str:
        if name not in self._postgres:
            base = self.postgres_url()
            schema = f"s_{uuid.uuid4().hex[:12]}"
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            finally:
                admin.dispose()
            self._postgres[name] = schema  # dropped by close() even if the build fails
            engine = make_engine(base, connect_args={"options": f"-csearch_path={schema}"})
            _build(engine, build)
        return self._postgres[name]

    @staticmethod
    def _restore_postgres(source: str, engine: Engine) -> None:
        tables = [t.name for t in Base.metadata.sorted_tables]
        with engine.begin() as conn:
            target = conn.execute(text("select current_schema()")).scalar_one()
            for table in tables:
                conn.execute(text(
                    f'INSERT INTO "{target}"."{table}" SELECT * FROM "{source}"."{table}"'
                ))
            sequences = conn.execute(text(
                "select sequencename, last_value from pg_sequences "
                "where schemaname = :schema and last_value is not null"
            ), {"schema": source}).all()
            for sequence, last_value in sequences:
                conn.execute(text("select setval(:name, :value)"),
                             {"name": f'"{target}"."{sequence}"', "value": last_value})


def _build(engine: Engine, build: Build) -> None:
    """Migrate ``engine``'s database, run ``build`` on it, and dispose of the engine."""
    from migrations import upgrade

    try:
        upgrade(engine)
        build(make_session_factory(engine))
    finally:
        engine.dispose()


# -- shared builds: one name, one state (reuse these rather than a second build under a name) ----


def import_demo(sessions: sessionmaker[Session]) -> None:
    """The packaged demo edition (01.04.2025), imported as the importer's default actor."""
    from core.importer import demo_edition, import_parsed

    with sessions.begin() as session:
        import_parsed(session, demo_edition())


def import_seed(path: Path) -> Build:
    """A real edition's text from ../shared/seeds, parsed and imported (default actor)."""

    def build(sessions: sessionmaker[Session]) -> None:
        from core.importer import import_parsed
        from core.importer.parse import parse_edition

        parsed = parse_edition(path.read_text(encoding="utf-8"))
        with sessions.begin() as session:
            import_parsed(session, parsed)

    return build
