"""Engine and session factory. The caller owns the session's lifetime (one unit of work)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

_PASSWORD_IN_AUTHORITY = re.compile(
    r"^(?P<head>(?:[A-Za-z][\w+.-]*://)?[^:/?#@]*):.*@(?P<tail>[^@]*)$"
)
_PASSWORD_IN_QUERY = re.compile(r"(?P<key>[?&]password=)[^&#]*", re.IGNORECASE)


def safe_url(url: str | URL) -> str:
    """``url`` (a string or an engine's ``URL``) with its password masked (``***``), for every
    output: in the authority (``user:***@host``) and as a ``password=`` query parameter. A URL
    SQLAlchemy cannot parse is masked by pattern, so even a malformed one never shows its
    password. The one way this project prints a URL."""
    if isinstance(url, URL):
        return _PASSWORD_IN_QUERY.sub(r"\g<key>***", url.render_as_string(hide_password=True))
    try:
        if url.count("@") > 1:  # SQLAlchemy would take the first "@" and show the rest
            raise ValueError(url)
        text = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        text = _PASSWORD_IN_AUTHORITY.sub(r"\g<head>:***@\g<tail>", url)
    return _PASSWORD_IN_QUERY.sub(r"\g<key>***", text)


class DatabaseUrlError(ValueError):
    """``DATABASE_URL`` cannot be used: malformed, an unknown database, or its driver is not
    installed. ``url`` is masked (:func:`safe_url`); ``driver`` names a missing driver module."""

    def __init__(self, url: str, *, driver: str | None = None, dialect: str | None = None):
        self.url = safe_url(url)
        self.driver = driver
        self.dialect = dialect
        super().__init__(f"unusable database URL: {self.url}")


def _create_engine(url: str, **kwargs: Any) -> Engine:
    """:func:`sqlalchemy.create_engine`, with an unusable URL as :class:`DatabaseUrlError`."""
    from sqlalchemy.exc import NoSuchModuleError

    try:
        return create_engine(url, **kwargs)
    except NoSuchModuleError as err:
        raise DatabaseUrlError(url, dialect=url.partition(":")[0]) from err
    except ImportError as err:  # the dialect exists, its DBAPI driver is not installed
        raise DatabaseUrlError(url, driver=err.name) from err
    except (ArgumentError, ValueError) as err:
        raise DatabaseUrlError(url) from err


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout. An unusable URL
    raises :class:`DatabaseUrlError`.

    The pool hands out the connection returned last (``pool_use_lifo``): the bot's turns, one
    after the other in the event loop, keep reusing one warm connection, whose prepared
    statements (PostgreSQL; psycopg prepares a statement from its fifth use on a connection)
    and statement cache (SQLite) they share, instead of going round all the connections that
    work in other threads (the coordination's turns, the scheduler) opened meanwhile."""
    kwargs.setdefault("pool_use_lifo", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = _create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return _create_engine(url, **kwargs)


def insert_ignoring(session: Session, table: Any, unique: str) -> Any:
    """``INSERT ... ON CONFLICT (unique) DO NOTHING`` into ``table`` (a mapped class, or a
    :class:`~sqlalchemy.Table` for a plain insert) for this session's database."""
    dialect = session.get_bind().dialect.name  # imported when used: the other one never is
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[unique])
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing(index_elements=[unique])
    raise NotImplementedError(dialect)  # pragma: no cover - SQLite and PostgreSQL only


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A short transaction: commit on success, roll back on error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
