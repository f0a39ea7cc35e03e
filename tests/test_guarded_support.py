"""The checksums the safe-operation tests rely on see every change, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from support.guarded import State, run_nhr
from support.snapshots import import_demo

from core.db import make_session_factory
from core.models import Project


@pytest.mark.slow
def test_a_changed_project_title_changes_the_checksum_of_its_table_only(
    cli_database: Engine, db_snapshot
) -> None:
    db_snapshot("demo", import_demo)
    before = State.of(cli_database)
    assert before.html, "the demo edition is published and renders"
    with make_session_factory(cli_database).begin() as session:
        session.execute(update(Project).where(Project.id == 1).values(title="Neu 🌱"))
    assert before.changed_tables(State.of(cli_database)) == ["projects"]


@pytest.mark.slow
def test_run_nhr_reaches_the_test_database(cli_database: Engine, db_snapshot) -> None:
    db_snapshot("demo", import_demo)
    run = run_nhr("project", "list")
    assert run.code == 0
    assert run.out.splitlines()[0].endswith(": 93 Projekte")  # the demo's live projects
    assert "Klimaschutzkonzept 2.0" in run.out
