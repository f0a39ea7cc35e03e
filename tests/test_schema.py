"""The migrated schema equals the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from core.models import Base
from migrations import current_revision, upgrade


def test_migrations_create_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def test_upgrading_twice_is_harmless_and_reports_the_head_revision(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == "0003"


def test_an_empty_database_has_no_revision_until_upgraded(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) is not None
