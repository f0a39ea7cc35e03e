"""What the "safe operation" tests hold a refused command against: a checksum of every table
and the rendered HTML of every published edition, and ``nhr`` run as the console script runs
it, with its output captured.

A refused command must leave both checksums as they were, print no traceback and exit with 2
(wrong usage) or 1 (a failure)."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
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


#: The rendered HTML of the published editions of database states seen before in this process,
#: by backend and every table's checksum (see :func:`published_html`); the newest few.
_HTML_OF_STATE: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], dict[str, str]] = OrderedDict()
_HTML_STATES_KEPT = 8


def published_html(engine: Engine, checksums: dict[str, str] | None = None) -> dict[str, str]:
    """The rendered HTML of every published edition, by cutoff (ISO).

    What a published edition renders is read from the database alone (its frozen record, or
    for an edition known only from an archive table the live projects): a database whose every
    table has the same checksum on the same backend renders the same HTML. So the HTML of a
    state rendered before in this process (the state a refused command must leave, the state a
    snapshot restores) is not rendered again. ``checksums``: :func:`table_checksums` of
    ``engine``, if the caller has them.
    """
    from core.db import make_session_factory
    from core.frozen import edition_view
    from core.models import Edition, EditionState
    from core.render.html import render_html

    sums = table_checksums(engine) if checksums is None else checksums
    key = (engine.url.get_backend_name(), tuple(sorted(sums.items())))
    if key in _HTML_OF_STATE:
        _HTML_OF_STATE.move_to_end(key)
        return dict(_HTML_OF_STATE[key])
    with make_session_factory(engine)() as session:
        cutoffs = session.scalars(
            select(Edition.cutoff).where(Edition.state == EditionState.PUBLISHED)
        ).all()
        html = {c.isoformat(): render_html(edition_view(session, c)) for c in cutoffs}
    _HTML_OF_STATE[key] = dict(html)
    while len(_HTML_OF_STATE) > _HTML_STATES_KEPT:
        _HTML_OF_STATE.popitem(last=False)
    return html


@dataclass(frozen=True)
class State:
    """What a refused command must leave unchanged."""

    tables: dict[str, str]
    html: dict[str, str]

    @classmethod
    def of(cls, engine: Engine) -> State:
        tables = table_checksums(engine)
        return cls(tables, published_html(engine, tables))

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
