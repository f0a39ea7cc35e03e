"""Alembic migrations, packaged so ``nhr db upgrade`` works from an installed wheel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged scripts and the given database URL."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    """The newest revision, read from the scripts' text (without importing Alembic); None
    unless the scripts form a single line of revisions."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("[!_]*.py"):
        found = dict(
            (bool(down), value)
            for down, value in _REVISION.findall(path.read_text(encoding="utf-8"))
        )
        if False not in found:
            return None
        revisions.add(found[False])
        if True in found:
            parents.add(found[True])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at(engine: Engine, revision: str | None) -> bool:
    """Whether the database's single version row is ``revision`` (one cheap query)."""
    if revision is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("select version_num from alembic_version")).scalars().all()
    except SQLAlchemyError:  # no version table yet: a new database
        return False
    return rows == [revision]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema of ``engine``'s database to ``revision``.

    A database already at the head is left alone without starting Alembic (every ``nhr``
    command calls this; Alembic's import and script loading cost a few hundred milliseconds).
    """
    if revision == "head" and _at(engine, head_revision()):
        return
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
