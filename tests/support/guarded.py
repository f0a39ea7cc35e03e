"""What the "safe operation" tests hold a refused command against: a checksum of every table
and the rendered HTML of every published edition, and ``nhr`` run as the console script runs
it, with its output captured.

A refused command must leave both checksums as they were, print no traceback and exit with 2
(wrong usage) or 1 (a failure)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select, text

from core.config import get_settings


def database_url(engine: Engine) -> str:
    """A URL that reaches ``engine``'s database from a new process or engine, with the
    PostgreSQL test schema as the connection's ``search_path``."""
    url = engine.url
    if url.get_backend_name() != "postgresql":
        return url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        schema = conn.execute(text("show search_path")).scalar_one()
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def table_checksums(engine: Engine) -> dict[str, str]:
    """A SHA-256 of every table's rows (in primary-key order), by table name."""
    metadata = MetaData()
    metadata.reflect(engine)
    sums: dict[str, str] = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            for row in conn.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                digest.update(b"\n")
            sums[name] = digest.hexdigest()
    return sums


def published_html(engine: Engine) -> dict[str, str]:
    """The rendered HTML of every published edition, by cutoff (ISO)."""
    from core.db import make_session_factory
    from core.frozen import edition_view
    from core.models import Edition, EditionState
    from core.render.html import render_html

    with make_session_factory(engine)() as session:
        cutoffs = session.scalars(
            select(Edition.cutoff).where(Edition.state == EditionState.PUBLISHED)
        ).all()
        return {c.isoformat(): render_html(edition_view(session, c)) for c in cutoffs}


@dataclass(frozen=True)
class State:
    """What a refused command must leave unchanged."""

    tables: dict[str, str]
    html: dict[str, str]

    @classmethod
    def of(cls, engine: Engine) -> State:
        return cls(table_checksums(engine), published_html(engine))

    def changed_tables(self, other: State) -> list[str]:
        return sorted(
            t
            for t in self.tables.keys() | other.tables.keys()
            if self.tables.get(t) != other.tables.get(t)
        )


@dataclass(frozen=True)
class Run:
    """One ``nhr`` run: exit code and what it printed."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_nhr(*argv: str) -> Run:
    """``nhr ARGV`` in this process, as the console script runs it (``SystemExit`` from
    argparse becomes the exit code); asserts that nothing printed a traceback."""
    from nhr import cli

    out, err = io.StringIO(), io.StringIO()
    get_settings.cache_clear()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    run = Run(int(code or 0), out.getvalue(), err.getvalue())
    assert "Traceback" not in run.output, run.output
    return run


@pytest.fixture
def cli_database(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Engine]:
    """``engine``'s database (SQLite or PostgreSQL) as the ``nhr`` commands' ``DATABASE_URL``,
    run from an empty working directory (no stray ``.env``)."""
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
