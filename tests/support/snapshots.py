"""Database states built once and copied into each test's own database.

Importing the demo edition or a real seed edition takes about a second per test (more on
PostgreSQL). Many tests start from the same imported state and then do their own thing with it,
so :class:`Snapshots` builds each named state once per test process (each pytest-xdist worker
has its own) and backend, and copies it into the test's freshly migrated database:

- SQLite: the state lives in a file of its own; restoring it is a copy of that file over the
  test's database (SQLite's online backup into it while a connection has it open): schema and
  data, a few milliseconds. A test's migrated, empty database is likewise a copy of the file of
  a database migrated once.
- PostgreSQL: the state lives in a schema of its own in the test database; restoring it is one
  statement (one round trip) that runs an ``INSERT … SELECT`` per table (in foreign-key order)
  and sets the sequences' positions, inside the database server.

The copy is the state the build function left, row for row and id for id, so a test cannot
tell it from running the build itself (except for the wall-clock time stamped into rows, which
is that of the build). Use it through the ``db_snapshot`` fixture in ``tests/conftest.py``::

    @pytest.fixture
    def imported(sessions, db_snapshot):
        db_snapshot("demo", lambda s: load_demo(s))
        return sessions
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine.interfaces import ExceptionContext, ExecutionContext
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory
from core.models import Base, utcnow

Build = Callable[[sessionmaker[Session]], object]


@dataclass
class Snapshots:
    """Named, migrated-and-built database states of one test process (see the module doc)."""

    directory: Path
    postgres_url: Callable[[], str]
    _sqlite: dict[str, Path] = field(default_factory=dict)
    _postgres: dict[str, str] = field(default_factory=dict)
    _migration: list[tuple[str, Any, bool]] | None = None
    _free: list[str] = field(default_factory=list)  # migrated, empty PostgreSQL schemas
    _schemas: set[str] = field(default_factory=set)  # every schema this store made
    _objects: int | None = None  # a migrated schema's catalog fingerprint (see _fingerprint)
    _sequences: list[tuple[str, int]] = field(default_factory=list)  # theirs, with starts
    _cleaner: Engine | None = None  # one connection that empties used schemas
    _positions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # sequences
    _engines: dict[str, Engine] = field(default_factory=dict)  # of the free schemas
    _broken: set[Engine] = field(default_factory=set)  # a connection of theirs broke

    def sqlite_engine(self, path: Path) -> Engine:
        """An engine on a new SQLite database at ``path``: a copy of a database migrated once
        (the file the migrations leave, byte for byte)."""
        shutil.copyfile(self._sqlite_state("<migrated>", _nothing), path)
        return make_engine(f"sqlite:///{path}")

    @contextmanager
    def postgres_engine(self) -> Iterator[Engine]:
        """An engine on a migrated, empty PostgreSQL schema of its own, for one test.

        Creating and migrating a schema costs PostgreSQL a few hundred milliseconds of DDL, so
        after the test the schema is emptied (every row deleted, sequences reset: the state
        the migrations leave) and handed to the next test of this process. A schema whose
        tables, indexes or sequences the test changed, or that cannot be emptied, is dropped.
        """
        base = self.postgres_url()
        schema = self._free.pop() if self._free else self._new_schema(base)
        # The schema's engine goes with it to the next test: its connections (search path
        # set, dialect initialised, statements prepared) are reused instead of opened anew.
        # No ping before each checkout (production's guard against connections the server
        # dropped while idle); a connection that broke disposes of the pool instead.
        engine = self._engines.pop(schema, None) or self._schema_engine(base, schema)
        try:
            yield engine
        finally:
            broken = engine in self._broken
            self._broken.discard(engine)
            if broken:
                engine.dispose()
            if self._recycle(base, schema) and not broken:
                self._engines[schema] = engine
            else:
                engine.dispose()

    def _schema_engine(self, base: str, schema: str) -> Engine:
        engine = make_engine(
            base, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=False
        )

        def note_broken(context: ExceptionContext) -> None:
            if context.is_disconnect:
                self._broken.add(engine)

        event.listen(engine, "handle_error", note_broken)
        return engine

    def _new_schema(self, base: str) -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(base, f'CREATE SCHEMA "{schema}"')
        self._schemas.add(schema)
        engine = make_engine(
            base, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=False
        )
        try:
            self.migrate("postgresql", engine)
            if self._objects is None:
                with engine.connect() as conn:
                    self._objects = int(
                        conn.exec_driver_sql(f"select {_fingerprint(schema)}").scalar_one()
                    )
                    self._sequences = [
                        (str(name), int(start))
                        for name, start in conn.execute(
                            text(
                                "select sequencename, start_value from pg_sequences"
                                " where schemaname = :schema"
                            ),
                            {"schema": schema},
                        )
                    ]
        finally:
            engine.dispose()
        return schema

    def _recycle(self, base: str, schema: str) -> bool:
        """Empty ``schema`` for the next test, in one statement (one round trip): refused
        (an exception) if its catalog fingerprint is not the one the migrations left (a table,
        index, sequence, constraint … added or dropped), else every row deleted (children
        first) and every sequence set back to its start. Only index lookups in the catalog.
        False if it was dropped instead."""
        if self._cleaner is None:
            self._cleaner = create_engine(base, pool_size=1, isolation_level="AUTOCOMMIT")
        known = [t.name for t in reversed(Base.metadata.sorted_tables)]
        deletes = "".join(f'DELETE FROM "{schema}"."{table}"; ' for table in known)
        setvals = "".join(
            f'PERFORM setval(\'"{schema}"."{name}"\', {start}, false); '
            for name, start in self._sequences
        )
        statement = (
            f"DO $$ BEGIN IF {_fingerprint(schema)} <> {self._objects}"
            " THEN RAISE EXCEPTION 'schema changed'; END IF; "
            f"{deletes}{setvals}END $$"
        )
        try:
            with self._cleaner.connect() as conn:
                conn.exec_driver_sql(statement)
        except Exception:
            self._admin(base, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            self._schemas.discard(schema)
            return False
        self._free.append(schema)
        return True

    @staticmethod
    def _admin(base: str, statement: str) -> None:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(statement))
        finally:
            admin.dispose()

    def migrate(self, backend: str, engine: Engine) -> None:
        """Bring ``engine``'s empty database to the migrations' head, as ``upgrade`` would.

        SQLite: a backup of a database migrated once. PostgreSQL: the first call runs the
        migrations and records every statement they sent; later calls send the same statements
        in one transaction (a schema holds no state the statements could depend on but what
        they made themselves, so the result is the same schema, version row included).
        """
        if backend == "sqlite":
            self._restore_sqlite(self._sqlite_state("<migrated>", _nothing), engine)
        elif self._migration is None:
            self._migration = _recorded_upgrade(engine)
        else:
            with engine.begin() as conn:
                cursor = conn.connection.cursor()
                try:
                    for statement, parameters, many in self._migration:
                        if many:
                            cursor.executemany(statement, parameters)
                        elif parameters is None:
                            cursor.execute(statement)
                        else:
                            cursor.execute(statement, parameters)
                finally:
                    cursor.close()

    def restore(self, backend: str, name: str, build: Build, engine: Engine) -> None:
        """Make ``engine``'s (migrated, empty) database hold the state ``name``; the first call
        for a name and backend runs ``build`` on a database of its own."""
        if backend == "sqlite":
            self._restore_sqlite(self._sqlite_state(name, build), engine)
        else:
            self._restore_postgres(self._postgres_state(name, build), engine)

    def close(self) -> None:
        """Drop the PostgreSQL schemas (the SQLite files go with pytest's tmp directory)."""
        if self._cleaner is not None:
            self._cleaner.dispose()
            self._cleaner = None
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        schemas = [*self._postgres.values(), *self._schemas]
        if not schemas:
            return
        admin = create_engine(self.postgres_url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for schema in schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            admin.dispose()
        self._postgres.clear()
        self._schemas.clear()
        self._free.clear()

    # -- SQLite -----------------------------------------------------------------------------

    def _sqlite_state(self, name: str, build: Build) -> Path:
        if name not in self._sqlite:
            path = self.directory / f"snapshot-{len(self._sqlite)}.sqlite3"
            if name != "<migrated>":  # starts as a copy of the migrated database
                shutil.copyfile(self._sqlite_state("<migrated>", _nothing), path)
            _build(make_engine(f"sqlite:///{path}"), build)
            self._sqlite[name] = path
        return self._sqlite[name]

    @staticmethod
    def _restore_sqlite(path: Path, engine: Engine) -> None:
        """Make ``engine``'s database a copy of the one at ``path``: the file copied over it
        when no connection has it open (the engine's pool emptied first; SQLite removes the
        ``-wal`` and ``-shm`` files when the last connection closes), else SQLite's online
        backup into it. Either way the same pages, schema and data."""
        target = engine.url.database
        if target and target != ":memory:" and engine.pool.checkedout() == 0:
            engine.dispose()
            if not any(Path(target + s).exists() for s in ("-wal", "-shm", "-journal")):
                shutil.copyfile(path, target)
                return
        source = sqlite3.connect(path)
        try:
            with engine.connect() as conn:
                target_conn = conn.connection.driver_connection
                assert isinstance(target_conn, sqlite3.Connection)
                source.backup(target_conn)
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
            engine = make_engine(
                base, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=False
            )
            try:
                self.migrate("postgresql", engine)  # the recorded migration, once recorded
            except BaseException:
                engine.dispose()
                raise
            _build(engine, build)
        return self._postgres[name]

    def _restore_postgres(self, source: str, engine: Engine) -> None:
        """Copy the rows of schema ``source`` into ``engine``'s schema (parents first) and
        set its sequences where the source's stand, in one statement (one round trip)."""
        if source not in self._positions:
            with engine.connect() as conn:
                self._positions[source] = [
                    (str(sequence), int(value))
                    for sequence, value in conn.execute(
                        text(
                            "select sequencename, last_value from pg_sequences "
                            "where schemaname = :schema and last_value is not null"
                        ),
                        {"schema": source},
                    )
                ]
        inserts = "".join(
            f"EXECUTE 'INSERT INTO ' || target || '.\"{t.name}\" "
            f'SELECT * FROM "{source}"."{t.name}"\'; '
            for t in Base.metadata.sorted_tables
        )
        setvals = "".join(
            f"PERFORM setval((target || '.\"{sequence}\"')::regclass, {value}); "
            for sequence, value in self._positions[source]
        )
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DO $$ DECLARE target text := quote_ident(current_schema()); "
                f"BEGIN {inserts}{setvals}END $$"
            )


def _fingerprint(schema: str) -> str:
    """SQL for a number that changes when an object is added to or dropped from ``schema``
    (a migrated test schema): the catalog's dependencies on the schema (its tables, sequences,
    types, functions …) and on its tables (indexes, constraints, defaults, owned sequences,
    triggers …). It fails if one of the models' tables is missing. Index lookups only: a
    scan of ``pg_class`` costs milliseconds once the catalog holds many dropped schemas."""
    tables = ", ".join(f'\'"{schema}"."{t.name}"\'' for t in Base.metadata.sorted_tables)
    return (
        "((select count(*) from pg_depend where refclassid = 'pg_namespace'::regclass"
        f" and refobjid = '\"{schema}\"'::regnamespace)"
        " + (select count(*) from pg_depend where refclassid = 'pg_class'::regclass"
        f" and refobjid = any(array[{tables}]::regclass[])))"
    )


def _nothing(_sessions: sessionmaker[Session]) -> None:
    """The build of a migrated, empty database."""


def _recorded_upgrade(engine: Engine) -> list[tuple[str, Any, bool]]:
    """Run the migrations on ``engine``; returns the statements sent, as the driver got them."""
    from migrations import upgrade

    sent: list[tuple[str, Any, bool]] = []

    def record(
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        bare = context is not None and context.no_parameters
        sent.append((statement, None if bare else parameters, executemany))

    def failed(context: ExceptionContext) -> None:
        # a statement that failed (upgrade's probe for a version table on a new database, on a
        # connection of its own) left nothing behind: it is not part of the schema's making
        if sent and context.statement == sent[-1][0]:
            sent.pop()

    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "handle_error", failed)
    try:
        upgrade(engine)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "handle_error", failed)
    return sent


def _build(engine: Engine, build: Build) -> None:
    """Migrate ``engine``'s database (if it is not at the head already), run ``build`` on it,
    and dispose of the engine."""
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
        import_parsed(session, demo_edition(), now=utcnow())


def import_seed(path: Path) -> Build:
    """A real edition's text from ../shared/seeds, parsed and imported (default actor)."""

    def build(sessions: sessionmaker[Session]) -> None:
        from core.importer import import_parsed
        from core.importer.parse import parse_edition

        parsed = parse_edition(path.read_text(encoding="utf-8"))
        with sessions.begin() as session:
            import_parsed(session, parsed, now=utcnow())

    return build
