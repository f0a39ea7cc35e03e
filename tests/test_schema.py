"""The migrated schema equals the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from core.models import Base
from migrations import current_revision, head_revision, upgrade


def test_migrations_create_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def test_upgrading_twice_is_harmless_and_reports_the_head_revision(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_an_empty_database_has_no_revision_until_upgraded(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) is not None


def test_upgrading_a_filled_0002_database_keeps_its_texts_and_status_dates(
    empty_engine: Engine,
) -> None:
    """0003 turns stored plain text into structure and status days into fuzzy days."""
    from datetime import date

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from core.fuzzydate import FuzzyDate
    from core.models import Project

    upgrade(empty_engine, "0002")
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO fields (id, number, title, overview) VALUES (1, 1, 'K', '')")
        )
        conn.execute(
            text(
                "INSERT INTO projects (id, field_id, title, short_title, description, status,"
                " status_since, municipalities, remark, sort_order, version, created_at,"
                " updated_at)"
                " VALUES (1, 1, 'Radwege', '', :description, 'in_planung', :since, '', :remark,"
                " 1, 1, :now, :now)"
            ),
            {
                "description": "Stand:\n1. K 5\n- Ausschreibung",
                "since": date(2022, 10, 1),
                "remark": "",
                "now": "2025-04-01 00:00:00+00:00",
            },
        )
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        project = session.get_one(Project, 1)
        assert project.status_since == FuzzyDate.day(date(2022, 10, 1))
        assert [b.kind for b in project.description.blocks] == ["p", "ol"]
        assert project.description.blocks[1].items[0].children is not None
        assert not project.remark
        assert project.labels == {} and project.more_sections == []
