"""Assembling editions from the database: numbering, groups, archive (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.snapshots import Build, import_demo

from core.assembly import assemble_edition
from core.audit import Auditor
from core.editions import EditionError, publish_edition
from core.models import Project, utcnow
from core.numbering import project_number, project_numbers
from core.status import REPORT_ORDER, Status
from core.view import AssembledEdition

APRIL_2025 = date(2025, 4, 1)
OCTOBER_2025 = date(2025, 10, 1)
NOW = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def demo(
    sessions: sessionmaker[Session], db_snapshot: Callable[[str, Build], None]
) -> sessionmaker[Session]:
    db_snapshot("demo", import_demo)
    return sessions


def _numbers_have_no_gaps(ed: AssembledEdition) -> None:
    for f in ed.fields:
        for g in f.goals:
            assert [grp.status for grp in g.groups] == list(REPORT_ORDER)
            for grp in g.groups:
                assert [p.number for p in grp.projects] == [
                    f"{grp.number}.{i}" for i in range(1, len(grp.projects) + 1)
                ]


@pytest.mark.slow
def test_the_next_edition_moves_last_editions_completed_projects_to_the_archive(
    demo: sessionmaker[Session],
) -> None:
    with demo() as session:
        april = assemble_edition(session, APRIL_2025)
        october = assemble_edition(session, OCTOBER_2025)
    completed = [p for p in april.projects() if p.status is Status.UMGESETZT]
    assert len(completed) == 5
    archived = {(r.title, r.report, r.number) for r in october.archive_implemented}
    for p in completed:
        assert (p.short_title, APRIL_2025, p.number) in archived
    assert len(october.archive_implemented) == 25
    assert october.previous_cutoff == APRIL_2025
    assert all(
        not grp.projects
        for f in october.fields
        for g in f.goals
        for grp in g.groups
        if grp.status is Status.UMGESETZT
    )
    assert len(october.projects()) == 93
    _numbers_have_no_gaps(october)
    assert october.draft and not april.draft


@pytest.mark.slow
def test_a_kept_completed_project_stays_one_more_edition(demo: sessionmaker[Session]) -> None:
    with demo.begin() as session:
        project = session.scalar(
            select(Project).where(Project.title == "Energieberatung für kreiseigene Gebäude")
        )
        assert project is not None
        project.keep_until = OCTOBER_2025
    with demo() as session:
        october = assemble_edition(session, OCTOBER_2025)
        april_2026 = assemble_edition(session, date(2026, 4, 1))
    assert [p.title for p in october.projects() if p.status is Status.UMGESETZT] == [
        "Energieberatung für kreiseigene Gebäude"
    ]
    assert "Energieberatung für kreiseigene Gebäude" not in {p.title for p in april_2026.projects()}


@pytest.mark.slow
def test_a_status_change_renumbers_the_draft_but_not_the_published_edition(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        project = session.scalar(select(Project).where(Project.title == "Klimaschutzkonzept 2.0"))
        assert project is not None
        project.status = Status.UMGESETZT
        project.status_since = date(2025, 6, 1)
    with demo() as session:
        april = assemble_edition(session, APRIL_2025)
        october = assemble_edition(session, OCTOBER_2025)
    assert {p.title: p.number for p in april.projects()}["Klimaschutzkonzept 2.0"] == "1.1.2.1"
    by_title = {p.title: p for p in october.projects()}
    assert by_title["Klimaschutzkonzept 2.0"].number == "1.1.1.1"
    assert by_title["emissionsarme Beheizung der kreiseigenen Gebäude"].number == "1.1.2.1"
    _numbers_have_no_gaps(october)


@pytest.mark.slow
def test_a_goal_whose_projects_all_left_drops_out(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        october = assemble_edition(session, OCTOBER_2025)
    # goal 2.8 only held projects in April 2025 that are now archived or still running
    goal_numbers = [g.number for f in october.fields for g in f.goals]
    with demo.begin() as session:
        for project in session.scalars(select(Project)):
            if project.goal is not None and project.goal.number == "3.3":
                project.status = Status.ENTFALLEN
                project.drop_reason = "Daueraufgabe"
    with demo() as session:
        later = assemble_edition(session, OCTOBER_2025)
    later_goals = [g.number for f in later.fields for g in f.goals]
    assert "3.3" in goal_numbers and "3.3" not in later_goals
    dropped = {r.title: r for r in later.archive_dropped}
    assert dropped["Datenbank für Unterrichtsbesuche"].reason == "Daueraufgabe"
    assert dropped["Datenbank für Unterrichtsbesuche"].last_mention == APRIL_2025


@pytest.mark.slow
def test_publishing_freezes_numbers_and_refuses_to_publish_twice(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        publish_edition(session, OCTOBER_2025, Auditor(session, actor="test", now=utcnow()), NOW)
    with demo.begin() as session:
        project = session.scalar(
            select(Project).where(
                Project.title == "emissionsarme Beheizung der kreiseigenen Gebäude"
            )
        )
        assert project is not None
        project.status = Status.UMGESETZT
    with demo() as session:
        frozen = assemble_edition(session, OCTOBER_2025)
        assert not frozen.draft
        numbers = {p.title: p.number for p in frozen.projects()}
        assert numbers["emissionsarme Beheizung der kreiseigenen Gebäude"] == "1.1.2.2"
    with demo.begin() as session, pytest.raises(EditionError):
        publish_edition(session, OCTOBER_2025, Auditor(session, actor="test", now=utcnow()), NOW)


@pytest.mark.slow
def test_the_changes_view_marks_what_is_new_since_the_previous_edition(
    demo: sessionmaker[Session],
) -> None:
    from core.fuzzydate_parse import parse_fuzzy_date
    from core.models import EntryKind, ProjectEntry

    with demo.begin() as session:
        project = session.scalar(select(Project).where(Project.title == "Klimaschutzkonzept 2.0"))
        assert project is not None
        project.entries.append(
            ProjectEntry(
                kind=EntryKind.DONE,
                position=99,
                date=parse_fuzzy_date("Mai 2025"),
                text="Abschluss der IST-Analyse",
            )
        )
        planning = session.scalar(
            select(Project).where(Project.title == "Projekt „Klimaschutzbürger“")
        )
        assert planning is not None
        planning.status = Status.IN_BEARBEITUNG
    with demo() as session:
        view = assemble_edition(session, OCTOBER_2025, show_changes=True)
    by_title = {p.title: p for p in view.projects()}
    klima = by_title["Klimaschutzkonzept 2.0"]
    assert [e.text for e in klima.milestones_done if e.is_new] == ["Abschluss der IST-Analyse"]
    assert klima.changes is not None and not klima.changes.is_new_project
    moved = by_title["Projekt „Klimaschutzbürger“"].changes
    assert moved is not None and moved.previous_status is Status.IN_PLANUNG
    assert moved.previous_number == "1.1.3.2"


@pytest.mark.slow
@pytest.mark.parametrize("cutoff", [APRIL_2025, OCTOBER_2025])
def test_the_bots_lean_numbering_agrees_with_the_assembly(
    demo: sessionmaker[Session], cutoff: date
) -> None:
    """``project_numbers`` (all projects) and ``project_number`` (one project, from its group
    alone) give every project the number the assembled edition prints, and none to a project
    the edition does not show (dropped, or completed and archived by then). The assembly of an
    unpublished edition takes its numbers from ``project_numbers`` (one rule), so what this
    guards there is the one-project look-up by group and, for the published edition, that the
    rule reproduces the numbers it was published with."""
    with demo() as session:
        printed = {p.project_id: p.number for p in assemble_edition(session, cutoff).projects()}
        projects = session.scalars(select(Project)).all()
        assert project_numbers(session, cutoff) == printed
        one_by_one = {p.id: project_number(session, cutoff, p) for p in projects}
    assert {pid: n for pid, n in one_by_one.items() if n is not None} == printed
    assert sum(n is None for n in one_by_one.values()) == len(projects) - len(printed) > 0
