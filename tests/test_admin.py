"""The coordinator's services: projects, departments and contacts (SQLite and PostgreSQL).

Each test asserts what the edition then prints (numbers, groups, archive) and exactly which
audit entries a change wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.snapshots import Build, import_demo

from core.admin import (
    AdminError,
    create_department,
    create_project,
    deactivate_department,
    drop_project,
    edit_project,
    keep_project,
    list_contacts,
    list_departments,
    project_list,
    rename_department,
    set_contact_departments,
    set_contact_role,
)
from core.assembly import assemble_edition
from core.audit import Auditor
from core.editions import publish_edition
from core.fuzzydate import FuzzyDate
from core.models import AuditLog, Contact, Department, Field, Goal, Project, Role
from core.status import Status
from core.view import AssembledEdition, ProjectBlock

NOW = datetime(2025, 6, 16, 8, 0, tzinfo=UTC)
TODAY = date(2025, 6, 16)
APRIL_2025 = date(2025, 4, 1)
OCTOBER_2025 = date(2025, 10, 1)
APRIL_2026 = date(2026, 4, 1)
OCTOBER_2026 = date(2026, 10, 1)
ACTOR = "Kora Koordination"

Audit = tuple[str, str, int | None, str | None, Any, Any]


# -- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def demo(
    sessions: sessionmaker[Session], db_snapshot: Callable[[str, Build], None]
) -> sessionmaker[Session]:
    """The real 01.04.2025 edition."""
    db_snapshot("demo", import_demo)
    return sessions


@pytest.fixture
def small(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Two Themenfelder, three goals, three departments (one deactivated), two contacts."""
    with sessions.begin() as session:
        klima = Field(number=1, title="Klima/Energie/Umwelt")
        sozial = Field(number=2, title="Gesellschaft/soziale Gerechtigkeit/Gesundheit")
        klima.goals = [
            Goal(index=1, text="Die Treibhausgasemissionen sollen sinken."),
            Goal(index=2, text="Der Anteil der erneuerbaren Energien soll erhöht werden."),
        ]
        sozial.goals = [Goal(index=1, text="Familien sollen gestärkt werden.")]
        umwelt = Department(code="80.01", name="Klimaschutz")
        wfg = Department(code="wfg", name="Wirtschaftsförderung")
        old = Department(code="99", name="Aufgelöst", active=False)
        session.add_all([klima, sozial, umwelt, wfg, old])
        session.add_all(
            [
                Contact(name="Anna Albers", role=Role.CONTACT, departments=[umwelt]),
                Contact(name="Willi Weber", role=Role.CONTACT, departments=[wfg], active=False),
            ]
        )
    return sessions


def auditor(session: Session) -> Auditor:
    return Auditor(session, actor=ACTOR, now=NOW)


def last_audit_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditLog.id))) or 0


def audit_after(session: Session, last: int) -> list[Audit]:
    """(action, entity, entity_id, field, before, after) written after ``last``, in order."""
    rows = session.scalars(select(AuditLog).where(AuditLog.id > last).order_by(AuditLog.id)).all()
    assert all((r.actor, r.at) == (ACTOR, NOW) for r in rows)
    return [(r.action, r.entity, r.entity_id, r.field, r.before, r.after) for r in rows]


def project_id(session: Session, title: str) -> int:
    return session.scalars(select(Project.id).where(Project.title == title)).one()


def printed(edition: AssembledEdition) -> dict[str, ProjectBlock]:
    """The edition's projects by short title."""
    return {p.short_title: p for p in edition.projects()}


# -- creating projects -------------------------------------------------------------------------


def test_a_new_project_is_printed_last_in_its_status_group_with_one_audit_entry(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        last = last_audit_id(session)
        project = create_project(
            session,
            auditor(session),
            field_number=1,
            goal_number="1.2",
            title="Bürgerwindpark am Haarstrang",
            short_title="Bürgerwindpark",
            department_codes=["80.01", "wfg"],
            today=TODAY,
            description="Ein Windpark mit Beteiligung der Bürgerinnen und Bürger.",
            municipalities="Möhnesee, Warstein",
        )
        new_id = project.id
        assert audit_after(session, last) == [
            (
                "create",
                "projects",
                new_id,
                None,
                None,
                {
                    "goal": "1.2",
                    "title": "Bürgerwindpark am Haarstrang",
                    "short_title": "Bürgerwindpark",
                    "description": "Ein Windpark mit Beteiligung der Bürgerinnen und Bürger.",
                    "municipalities": "Möhnesee, Warstein",
                    "status": "in_planung",
                    "status_since": "2025-06-16",
                    "sort_order": 2,
                    "departments": ["80.01", "wfg"],
                },
            )
        ]
    with demo() as session:
        october = printed(assemble_edition(session, OCTOBER_2025))
        rows = {r.short_title: r for r in project_list(session, OCTOBER_2025)}
    block = october["Bürgerwindpark"]
    assert (block.number, block.status, block.status_since) == (
        "1.2.3.2",
        Status.IN_PLANUNG,
        FuzzyDate.day(TODAY),
    )
    assert block.departments == ("80.01", "wfg")
    assert block.municipalities == "Möhnesee, Warstein"
    assert october["Förderung der erneuerbaren Energien"].number == "1.2.3.1"
    assert (rows["Bürgerwindpark"].id, rows["Bürgerwindpark"].number) == (new_id, "1.2.3.2")


def test_a_new_idea_goes_to_the_ideenspeicher_of_its_goal(small: sessionmaker[Session]) -> None:
    with small.begin() as session:
        for title in ("Erste Idee", "Zweite Idee"):
            create_project(
                session,
                auditor(session),
                field_number=2,
                goal_number="1",
                title=title,
                short_title=title,
                department_codes=["80.01"],
                today=TODAY,
                status=Status.IDEENSPEICHER,
            )
    with small() as session:
        rows = project_list(session, OCTOBER_2025)
    assert [(r.number, r.title, r.status) for r in rows] == [
        ("2.1.4.1", "Erste Idee", Status.IDEENSPEICHER),
        ("2.1.4.2", "Zweite Idee", Status.IDEENSPEICHER),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"goal_number": "1.7"}, "Ziel 1.7 gibt es nicht. Ziele: 1.1, 1.2."),
        ({"goal_number": "2.1"}, "Ziel 2.1 gehört nicht zum Themenfeld 1."),
        ({"goal_number": "eins"}, "„eins“ ist keine Zielnummer. Bitte so angeben: 1.2"),
        ({"field_number": 9, "goal_number": "9.1"}, "Themenfeld 9 gibt es nicht."),
        ({"title": "   "}, "Bitte geben Sie einen Titel an."),
        ({"short_title": ""}, "Bitte geben Sie einen Kurztitel an."),
        ({"title": "x" * 301}, "Der Titel ist zu lang: 301 Zeichen, erlaubt sind 300."),
        ({"description": "x" * 3001}, "Die Projektbeschreibung ist zu lang: 3001 Zeichen"),
        ({"department_codes": []}, "mindestens eine verantwortliche Abteilung"),
        ({"department_codes": ["80.01", "70.99"]}, "Die Abteilung „70.99“ ist unbekannt."),
        ({"department_codes": ["99"]}, "Die Abteilung „99“ ist deaktiviert."),
        ({"status": Status.ENTFALLEN}, "Ein neues Projekt kann nicht gleich entfallen."),
        ({"title": "schon da"}, "Unter Ziel 1.2 gibt es schon das Projekt „schon da“"),
    ],
)
def test_creating_a_project_refuses_bad_input_with_a_german_message_and_changes_nothing(
    small: sessionmaker[Session], change: dict[str, Any], message: str
) -> None:
    with small.begin() as session:
        create_project(
            session,
            auditor(session),
            field_number=1,
            goal_number="1.2",
            title="Schon da",
            short_title="Schon da",
            department_codes=["80.01"],
            today=TODAY,
        )
    arguments: dict[str, Any] = {
        "field_number": 1,
        "goal_number": "1.2",
        "title": "Bürgerwindpark",
        "short_title": "Windpark",
        "department_codes": ["80.01"],
        "today": TODAY,
    } | change
    with small() as session:
        last = last_audit_id(session)
        with pytest.raises(AdminError) as err:
            create_project(session, auditor(session), **arguments)
        assert message in str(err.value)
        assert audit_after(session, last) == []
        assert session.scalar(select(func.count()).select_from(Project)) == 1


# -- editing projects --------------------------------------------------------------------------


@pytest.mark.slow
def test_editing_a_project_changes_only_the_given_fields_with_one_audit_entry_each(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        description = session.get_one(Project, pid).description
        municipalities = session.get_one(Project, pid).municipalities
        last = last_audit_id(session)
        edit_project(
            session,
            auditor(session),
            pid,
            title="  Klimaschutzkonzept   2.0 (Fortschreibung) ",
            short_title="Klimaschutzkonzept",
            municipalities="alle 14 Städte und Gemeinden",
            department_codes=["80.01", "wfg"],
        )
        assert audit_after(session, last) == [
            (
                "update",
                "projects",
                pid,
                "title",
                "Klimaschutzkonzept 2.0",
                "Klimaschutzkonzept 2.0 (Fortschreibung)",
            ),
            (
                "update",
                "projects",
                pid,
                "short_title",
                "Klimaschutzkonzept 2.0",
                "Klimaschutzkonzept",
            ),
            (
                "update",
                "projects",
                pid,
                "municipalities",
                municipalities,
                "alle 14 Städte und Gemeinden",
            ),
            ("update", "projects", pid, "departments", ["80.01"], ["80.01", "wfg"]),
        ]
    with demo() as session:
        block = printed(assemble_edition(session, OCTOBER_2025))["Klimaschutzkonzept"]
    assert (block.number, block.title) == ("1.1.2.1", "Klimaschutzkonzept 2.0 (Fortschreibung)")
    assert block.departments == ("80.01", "wfg")
    assert block.municipalities == "alle 14 Städte und Gemeinden"
    assert block.description == description


@pytest.mark.slow
def test_departments_keep_the_order_given_and_can_be_replaced(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Ressourceneinsparung in Unternehmen")
        edit_project(session, auditor(session), pid, department_codes=["wfg", "80.01"])
    with demo.begin() as session:
        assert session.get_one(Project, pid).department_codes == ["wfg", "80.01"]
        edit_project(session, auditor(session), pid, department_codes=["61"])
    with demo() as session:
        block = printed(assemble_edition(session, OCTOBER_2025))[
            "Ressourceneinsparung in Unternehmen"
        ]
        assert block.departments == ("61",)


@pytest.mark.slow
def test_a_project_moved_to_another_goal_is_printed_last_in_its_status_group_there(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        last = last_audit_id(session)
        edit_project(session, auditor(session), pid, goal_number="1.2")
        audit = audit_after(session, last)
        assert [a[3] for a in audit] == ["goal", "sort_order"]
        assert audit[0][4:] == ("1.1", "1.2")
    with demo() as session:
        october = printed(assemble_edition(session, OCTOBER_2025))
    assert october["Klimaschutzkonzept 2.0"].number == "1.2.2.2"
    assert october["Wasserstoffallianz Kreis Soest"].number == "1.2.2.1"
    assert october["emissionsarme Beheizung der kreiseigenen Gebäude"].number == "1.1.2.1"


def test_editing_with_the_values_a_project_already_has_writes_no_audit_entry(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        version = session.get_one(Project, pid).version
        last = last_audit_id(session)
        edit_project(
            session,
            auditor(session),
            pid,
            title="Klimaschutzkonzept 2.0",
            department_codes=["80.01"],
            goal_number="1.1",
        )
        assert audit_after(session, last) == []
        assert session.get_one(Project, pid).version == version


@pytest.mark.parametrize(
    ("project", "change", "message"),
    [
        (1, {}, "Bitte geben Sie an, was geändert werden soll."),
        (999, {"title": "Neu"}, "Ein Projekt mit der ID 999 gibt es nicht."),
        (1, {"title": ""}, "Bitte geben Sie einen Titel an."),
        (1, {"short_title": "x" * 400}, "Der Kurztitel ist zu lang: 400 Zeichen"),
        (1, {"department_codes": []}, "mindestens eine verantwortliche Abteilung"),
        (1, {"department_codes": ["99"]}, "Die Abteilung „99“ ist deaktiviert."),
        (1, {"goal_number": "3.1"}, "Themenfeld 3 gibt es nicht. Themenfelder: 1, 2."),
        (1, {"goal_number": "1"}, "Bitte geben Sie das Ziel mit Themenfeld an, z. B. 1.1."),
        (1, {"title": "Neu", "goal_number": "7.7"}, "Themenfeld 7 gibt es nicht."),
    ],
)
def test_editing_a_project_refuses_bad_input_and_changes_nothing(
    small: sessionmaker[Session], project: int, change: dict[str, Any], message: str
) -> None:
    with small.begin() as session:
        created = create_project(
            session,
            auditor(session),
            field_number=1,
            goal_number="1.1",
            title="Alt",
            short_title="Alt",
            department_codes=["80.01"],
            today=TODAY,
        )
        assert created.id == 1
    with small() as session:
        last = last_audit_id(session)
        with pytest.raises(AdminError) as err:
            edit_project(session, auditor(session), project, **change)
        assert message in str(err.value)
        assert audit_after(session, last) == []
        assert session.get_one(Project, 1).title == "Alt"


# -- dropping and keeping ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_dropped_project_moves_to_the_archive_with_its_reason_and_last_mention(
    demo: sessionmaker[Session],
) -> None:
    reason = "ersetzt durch Projekt „Klimaschutzkonzept 3.0“"
    with demo.begin() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        last = last_audit_id(session)
        drop_project(session, auditor(session), pid, f"  {reason} ", today=TODAY)
        assert audit_after(session, last) == [
            ("update", "projects", pid, "status", "in_bearbeitung", "entfallen"),
            ("update", "projects", pid, "status_since", "2022-10-01", "2025-06-16"),
            ("update", "projects", pid, "drop_reason", None, reason),
        ]
    with demo() as session:
        october = assemble_edition(session, OCTOBER_2025)
        april = assemble_edition(session, APRIL_2025)
        with pytest.raises(AdminError, match="ist bereits entfallen"):
            drop_project(session, auditor(session), pid, "noch einmal", today=TODAY)
    assert "Klimaschutzkonzept 2.0" not in printed(october)
    assert printed(october)["emissionsarme Beheizung der kreiseigenen Gebäude"].number == "1.1.2.1"
    dropped = {r.title: r for r in october.archive_dropped}
    row = dropped["Klimaschutzkonzept 2.0"]
    assert (row.field_title, row.reason, row.last_mention) == (
        "Klima/Energie/Umwelt",
        reason,
        APRIL_2025,
    )
    assert len(october.archive_dropped) == len(april.archive_dropped) + 1
    assert printed(april)["Klimaschutzkonzept 2.0"].number == "1.1.2.1"  # published: unchanged


def test_dropping_needs_a_reason(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        with pytest.raises(AdminError, match=re.escape("Bitte geben Sie einen Grund an.")):
            drop_project(session, auditor(session), pid, " \n ", today=TODAY)
        assert session.get_one(Project, pid).status is Status.IN_BEARBEITUNG


@pytest.mark.slow
def test_keeping_a_completed_project_shows_it_one_more_edition(
    demo: sessionmaker[Session],
) -> None:
    title = "Energieberatung für kreiseigene Gebäude"  # completed in the April 2025 edition
    with demo() as session:
        assert title not in printed(assemble_edition(session, OCTOBER_2025))
    with demo.begin() as session:
        pid = project_id(session, title)
        last = last_audit_id(session)
        assert keep_project(session, auditor(session), pid, today=TODAY) == OCTOBER_2025
        assert audit_after(session, last) == [
            ("update", "projects", pid, "keep_until", None, "2025-10-01"),
        ]
    with demo() as session:
        october = assemble_edition(session, OCTOBER_2025)
        april_2026 = assemble_edition(session, APRIL_2026)
    assert printed(october)[title].number == "1.1.1.1"
    assert printed(october)[title].status is Status.UMGESETZT
    assert title not in {r.title for r in october.archive_implemented}
    assert title not in printed(april_2026)
    assert title in {r.title for r in april_2026.archive_implemented}


@pytest.mark.slow
def test_keeping_a_kept_project_again_adds_one_more_edition(demo: sessionmaker[Session]) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Insektenschutz")
        assert keep_project(session, auditor(session), pid, today=TODAY) == OCTOBER_2025
        assert keep_project(session, auditor(session), pid, today=TODAY) == APRIL_2026
    with demo() as session:
        assert "Insektenschutz" in printed(assemble_edition(session, APRIL_2026))
        assert "Insektenschutz" not in printed(assemble_edition(session, OCTOBER_2026))


@pytest.mark.slow
def test_a_project_completed_since_the_last_edition_is_kept_through_the_edition_after(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        project = session.get_one(Project, pid)
        project.status, project.status_since = Status.UMGESETZT, date(2025, 5, 30)
    with demo.begin() as session:
        assert keep_project(session, auditor(session), pid, today=TODAY) == APRIL_2026
    for cutoff in (OCTOBER_2025, APRIL_2026):  # both editions print it, and are published
        with demo.begin() as session:
            block = printed(assemble_edition(session, cutoff))["Klimaschutzkonzept 2.0"]
            assert block.status is Status.UMGESETZT
            publish_edition(session, cutoff, auditor(session), NOW)
    with demo() as session:
        october_2026 = assemble_edition(session, OCTOBER_2026)
    assert "Klimaschutzkonzept 2.0" not in printed(october_2026)
    archived = {r.title: r for r in october_2026.archive_implemented}["Klimaschutzkonzept 2.0"]
    assert (archived.report, archived.number) == (APRIL_2026, "1.1.1.1")


def test_only_completed_projects_can_be_kept(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        pid = project_id(session, "Klimaschutzkonzept 2.0")
        last = last_audit_id(session)
        with pytest.raises(AdminError) as err:
            keep_project(session, auditor(session), pid, today=TODAY)
        assert str(err.value) == (
            "Nur umgesetzte Projekte können länger im Report bleiben; "
            "„Klimaschutzkonzept 2.0“ ist nicht umgesetzt."
        )
        assert audit_after(session, last) == []


def test_project_list_of_one_department_is_in_number_order(demo: sessionmaker[Session]) -> None:
    with demo() as session:
        rows = project_list(session, OCTOBER_2025, department="80.01")
        everything = project_list(session, OCTOBER_2025)
        with pytest.raises(AdminError, match=re.escape("Die Abteilung „80.77“ ist unbekannt.")):
            project_list(session, OCTOBER_2025, department="80.77")
    assert [r.number for r in rows][:4] == ["1.1.2.1", "1.1.3.1", "1.1.3.2", "1.1.4.1"]
    assert all("80.01" in r.departments for r in rows)
    assert {r.id for r in rows} == {r.id for r in everything if "80.01" in r.departments}
    assert len(everything) == 93  # April's five completed projects are archived by October


# -- departments -------------------------------------------------------------------------------


def test_a_department_is_created_renamed_deactivated_and_reactivated_with_audit(
    small: sessionmaker[Session],
) -> None:
    with small.begin() as session:
        last = last_audit_id(session)
        dep = create_department(session, auditor(session), " 80.02 ", "Umwelt")
        rename_department(session, auditor(session), "80.02", "Umweltschutz und Abfall")
        deactivate_department(session, auditor(session), "80.02", cutoff=OCTOBER_2025)
        create_department(session, auditor(session), "80.02", "Abfallwirtschaft")
        assert audit_after(session, last) == [
            ("create", "departments", dep.id, None, None, {"code": "80.02", "name": "Umwelt"}),
            ("update", "departments", dep.id, "name", "Umwelt", "Umweltschutz und Abfall"),
            ("update", "departments", dep.id, "active", True, False),
            ("update", "departments", dep.id, "active", False, True),
            (
                "update",
                "departments",
                dep.id,
                "name",
                "Umweltschutz und Abfall",
                "Abfallwirtschaft",
            ),
        ]
    with small() as session:
        rows = {r.code: r for r in list_departments(session, OCTOBER_2025)}
    assert list(rows) == ["80.01", "80.02", "99", "wfg"]
    assert (rows["80.02"].name, rows["80.02"].active) == ("Abfallwirtschaft", True)
    assert (rows["99"].active, rows["80.01"].contacts, rows["wfg"].contacts) == (False, 1, 0)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda s, a: create_department(s, a, "80.01", "Doppelt"),
            "Die Abteilung „80.01“ gibt es schon.",
        ),
        (
            lambda s, a: create_department(s, a, " ", "Ohne Kürzel"),
            "Bitte geben Sie ein Kürzel für die Abteilung an.",
        ),
        (
            lambda s, a: create_department(s, a, "x" * 61, "Lang"),
            "Das Kürzel ist zu lang: 61 Zeichen, erlaubt sind 60.",
        ),
        (
            lambda s, a: create_department(s, a, "12", ""),
            "Bitte geben Sie einen Namen für die Abteilung an.",
        ),
        (lambda s, a: rename_department(s, a, "12", "Neu"), "Die Abteilung „12“ ist unbekannt."),
        (
            lambda s, a: deactivate_department(s, a, "99", cutoff=OCTOBER_2025),
            "Die Abteilung „99“ ist bereits deaktiviert.",
        ),
    ],
)
def test_department_changes_refuse_bad_input_and_change_nothing(
    small: sessionmaker[Session], action: Any, message: str
) -> None:
    with small() as session:
        last = last_audit_id(session)
        with pytest.raises(AdminError) as err:
            action(session, auditor(session))
        assert message in str(err.value)
        assert audit_after(session, last) == []


def test_a_department_still_responsible_for_projects_cannot_be_deactivated(
    demo: sessionmaker[Session],
) -> None:
    with demo() as session:
        count = len(project_list(session, OCTOBER_2025, department="61"))
        with pytest.raises(AdminError) as err:
            deactivate_department(session, auditor(session), "61", cutoff=OCTOBER_2025)
        assert str(err.value) == (
            f"Die Abteilung „61“ ist noch für {count} Projekte der Ausgabe Stand 01.10.2025 "
            "verantwortlich. Bitte ordnen Sie diese zuerst einer anderen Abteilung zu."
        )
        projects = {r.code: r.projects for r in list_departments(session, OCTOBER_2025)}
        assert projects["61"] == count > 0


# -- contacts ----------------------------------------------------------------------------------


def test_a_contacts_departments_and_role_change_with_one_audit_entry_each(
    small: sessionmaker[Session],
) -> None:
    with small.begin() as session:
        anna = session.scalars(select(Contact).where(Contact.name == "Anna Albers")).one()
        last = last_audit_id(session)
        set_contact_departments(session, auditor(session), anna.id, ["wfg", "80.01", "wfg"])
        set_contact_role(session, auditor(session), anna.id, Role.COORDINATOR)
        set_contact_departments(session, auditor(session), anna.id, [])
        set_contact_role(session, auditor(session), anna.id, Role.COORDINATOR)  # no change
        assert audit_after(session, last) == [
            ("update", "contacts", anna.id, "departments", ["80.01"], ["80.01", "wfg"]),
            ("update", "contacts", anna.id, "role", "contact", "coordinator"),
            ("update", "contacts", anna.id, "departments", ["80.01", "wfg"], []),
        ]
    with small() as session:
        rows = list_contacts(session)
    assert [(r.name, r.role, r.departments) for r in rows] == [
        ("Anna Albers", Role.COORDINATOR, ()),
    ]


def test_an_ansprechperson_keeps_at_least_one_active_department(
    small: sessionmaker[Session],
) -> None:
    with small() as session:
        anna = session.scalars(select(Contact).where(Contact.name == "Anna Albers")).one()
        with pytest.raises(AdminError, match="braucht mindestens eine Abteilung"):
            set_contact_departments(session, auditor(session), anna.id, [])
        with pytest.raises(AdminError, match=re.escape("Die Abteilung „99“ ist deaktiviert.")):
            set_contact_departments(session, auditor(session), anna.id, ["99"])
        with pytest.raises(AdminError, match=r"Eine Person mit der Nr\. 404 gibt es nicht"):
            set_contact_role(session, auditor(session), 404, Role.ADMIN)
        boss = Contact(name="Kora Koordination", role=Role.COORDINATOR)
        session.add(boss)
        session.flush()
        with pytest.raises(AdminError, match=re.escape("Kora Koordination hat keine Abteilung.")):
            set_contact_role(session, auditor(session), boss.id, Role.CONTACT)
        assert [d.code for d in anna.departments] == ["80.01"]


def test_the_contact_list_shows_active_people_by_name_and_filters_by_department(
    small: sessionmaker[Session],
) -> None:
    with small.begin() as session:
        wfg = session.scalars(select(Department).where(Department.code == "wfg")).one()
        session.add(
            Contact(name="Bea Brandt", role=Role.CONTACT, departments=[wfg], telegram_user_id=4711)
        )
    with small() as session:
        active = list_contacts(session)
        everyone = list_contacts(session, include_inactive=True)
        wfg_people = list_contacts(session, department="wfg", include_inactive=True)
    assert [(c.name, c.bound) for c in active] == [("Anna Albers", False), ("Bea Brandt", True)]
    assert [c.name for c in everyone] == ["Anna Albers", "Bea Brandt", "Willi Weber"]
    assert [(c.name, c.active) for c in wfg_people] == [
        ("Bea Brandt", True),
        ("Willi Weber", False),
    ]
