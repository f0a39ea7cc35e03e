"""The coordinator approves or returns submissions (SQLite and PostgreSQL).

An approval changes exactly what the submission carried, audited change by change; a returned
submission goes back to its contact; a stale draft is a conflict; two coordinators approving
the same submission at the same moment apply it once, with real concurrent connections.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from support.snapshots import Build, import_demo

from core.admin import edit_project
from core.apply_changes import apply_changeset
from core.approval import approve, approve_unchanged, return_submission
from core.assembly import assemble_edition
from core.audit import Auditor
from core.changes import ChangeSet, CompletedPlanned, NewConsultation, NewEntry
from core.db import make_engine, make_session_factory
from core.drafts import save_changes, start_draft, submit
from core.editions import collecting_edition
from core.fuzzydate_parse import parse_fuzzy_date
from core.importer import demo_edition, import_parsed
from core.models import (
    AuditLog,
    Contact,
    Department,
    EntryKind,
    Project,
    Role,
    Submission,
    SubmissionState,
    utcnow,
)
from core.permissions import contact_projects
from core.progress import edition_progress
from core.submissions import AlreadyDecided, Conflict, NotAllowed, open_submission

#: Mid-June 2025: the edition being collected is "Stand 01.10.2025".
NOW = datetime(2025, 6, 16, 8, 0, tzinfo=UTC)
OCTOBER_2025 = date(2025, 10, 1)
TITLE = "Klimaschutzkonzept 2.0"  # 1.1.2.1, department 80.01, with every kind of list
COORDINATOR = "Kora Koordination"
SECOND_COORDINATOR = "Bernd Berger"
RACE_ROUNDS = 10


@dataclass
class World:
    """Ids in the demo database: one project, its contact and two coordinators."""

    project_id: int
    contact_id: int
    coordinator_id: int
    second_coordinator_id: int


def build_world(sessions: sessionmaker[Session], *, imported: bool = False) -> World:
    """The real 01.04.2025 edition (unless already ``imported``), a contact of 80.01 and two
    coordinators."""
    with sessions.begin() as session:
        if not imported:
            import_parsed(session, demo_edition(), now=utcnow())
        dep = session.scalars(select(Department).where(Department.code == "80.01")).one()
        contact = Contact(name="Anna Albers", role=Role.CONTACT, departments=[dep])
        first = Contact(name=COORDINATOR, role=Role.COORDINATOR)
        second = Contact(name=SECOND_COORDINATOR, role=Role.COORDINATOR)
        session.add_all([contact, first, second])
        session.flush()
        project = session.scalars(select(Project).where(Project.title == TITLE)).one()
        return World(project.id, contact.id, first.id, second.id)


@pytest.fixture
def world(sessions: sessionmaker[Session], db_snapshot: Callable[[str, Build], None]) -> World:
    db_snapshot("demo", import_demo)
    return build_world(sessions, imported=True)


def submit_changes(
    sessions: sessionmaker[Session], world: World, changes: ChangeSet, now: datetime = NOW
) -> int:
    """The contact enters ``changes`` and submits them; returns the submission id."""
    with sessions.begin() as session:
        edition = collecting_edition(session, now.date())
        project = session.get_one(Project, world.project_id)
        contact = session.get_one(Contact, world.contact_id)
        sub = start_draft(session, edition, project, contact, now)
        save_changes(session, sub, changes, contact, now)
        submit(session, sub, contact, now)
        return sub.id


def snapshot(session: Session) -> dict[int, dict[str, Any]]:
    """Every project with its columns, departments, dated lists and consultations."""
    session.expire_all()
    result: dict[int, dict[str, Any]] = {}
    for p in session.scalars(select(Project)):
        columns = {a.key: getattr(p, a.key) for a in Project.__mapper__.column_attrs}
        result[p.id] = {
            "columns": columns,
            "departments": p.department_codes,
            **{
                kind.value: [
                    (e.id, e.date, e.text)
                    for e in sorted(p.entries_of(kind), key=lambda e: e.position)
                ]
                for kind in EntryKind
            },
            "consultations": [
                (c.id, c.date, c.gremium, c.vorlagenart, c.nummer, c.note)
                for c in sorted(p.consultations, key=lambda c: c.position)
            ],
        }
    return result


def audit_after(session: Session, last_id: int) -> list[tuple[str, str, int | None, str | None]]:
    """(action, entity, entity_id, field) of the audit entries written after ``last_id``."""
    rows = session.scalars(select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id))
    return [(r.action, r.entity, r.entity_id, r.field) for r in rows]


def last_audit_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditLog.id))) or 0


def day(text: str) -> str:
    """A German date as stored in a change set."""
    return parse_fuzzy_date(text).storage()


# -- (a) an approval changes exactly what the submission carried ---------------------------------


@pytest.mark.slow
def test_approving_changes_exactly_the_fields_the_submission_carried_and_nothing_else(
    sessions: sessionmaker[Session], world: World
) -> None:
    with sessions() as session:
        project = session.get_one(Project, world.project_id)
        planned = project.entries_of(EntryKind.PLANNED)[0]
        planned_text, planned_date = planned.text, planned.date.storage() if planned.date else None
    changes = ChangeSet(
        milestones_done=[NewEntry(day("15.05.2025"), "Auftaktworkshop mit den Fachbereichen")],
        completed_planned=[CompletedPlanned(planned_text, planned_date, day("30.04.2025"))],
        consultations=[
            NewConsultation(
                day("12.06.2025"),
                "Ausschuss für Umwelt und Landwirtschaft",
                "Informationsvorlage",
                "101/2025",
            )
        ],
        remark="Die IST-Analyse ist abgeschlossen.",
    )
    sub_id = submit_changes(sessions, world, changes)
    with sessions() as session:
        before = snapshot(session)
        last = last_audit_id(session)

    with sessions.begin() as session:
        coordinator = session.get_one(Contact, world.coordinator_id)
        result = approve(session, sub_id, coordinator, NOW + timedelta(hours=1))

    with sessions() as session:
        after = snapshot(session)
        pid = world.project_id
        assert {k: v for k, v in after.items() if k != pid} == {
            k: v for k, v in before.items() if k != pid
        }
        old, new = before[pid], after[pid]
        changed = {k for k in old["columns"] if old["columns"][k] != new["columns"][k]}
        assert changed == {"remark", "version", "updated_at"}
        assert new["columns"]["remark"].to_plain() == "Die IST-Analyse ist abgeschlossen."
        assert new["columns"]["version"] == old["columns"]["version"] + 1
        assert new["departments"] == old["departments"]
        assert new["planning"] == old["planning"]
        assert [e[1:] for e in new["planned"]] == [
            e[1:] for e in old["planned"] if e[2] != planned_text
        ]
        done_texts = [text for _, _, text in new["done"]]
        assert [
            e for e in new["done"] if e[0] in {o[0] for o in old["done"]} and e[2] != planned_text
        ] == old["done"]
        assert "Auftaktworkshop mit den Fachbereichen" in done_texts
        assert planned_text in done_texts
        assert new["consultations"][:-1] == old["consultations"]
        assert new["consultations"][-1][2:] == (
            "Ausschuss für Umwelt und Landwirtschaft",
            "Informationsvorlage",
            "101/2025",
            None,
        )

        audit = audit_after(session, last)
        assert sorted(audit) == sorted(
            [
                ("approve", "submissions", sub_id, "state"),
                ("update", "projects", pid, "entries:planned->done"),
                ("update", "projects", pid, "entries:done"),
                ("update", "projects", pid, "consultations"),
                ("update", "projects", pid, "remark"),
            ]
        )
        assert result.audit_entries == len(audit)
        actors = {
            tuple(row)
            for row in session.execute(
                select(AuditLog.actor, AuditLog.actor_contact_id).where(AuditLog.id > last)
            )
        }
        assert actors == {(COORDINATOR, world.coordinator_id)}

        block = next(
            p for p in assemble_edition(session, OCTOBER_2025).projects() if p.title == TITLE
        )
        assert block.remark.to_plain() == "Die IST-Analyse ist abgeschlossen."
        assert "Auftaktworkshop mit den Fachbereichen" in [m.text for m in block.milestones_done]
        assert planned_text not in [m.text for m in block.milestones_planned]
        assert session.get_one(Submission, sub_id).state is SubmissionState.APPROVED


def test_applying_a_change_set_always_moves_the_project_version_on(
    sessions: sessionmaker[Session], world: World
) -> None:
    # Two approvals stamped with the same clock reading must still both count as changes.
    with sessions.begin() as session:
        project = session.get_one(Project, world.project_id)
        auditor = Auditor(session, actor=COORDINATOR, now=NOW)
        versions = [project.version]
        for text in ("Erster Meilenstein", "Zweiter Meilenstein"):
            apply_changeset(
                session,
                project,
                ChangeSet(milestones_done=[NewEntry(day("01.06.2025"), text)]),
                auditor,
                NOW.date(),
            )
            versions.append(project.version)
    assert versions == [versions[0], versions[0] + 1, versions[0] + 2]


# -- (b) returning ------------------------------------------------------------------------------


def test_a_returned_submission_reaches_its_contact_with_the_reason_and_can_be_resubmitted(
    sessions: sessionmaker[Session], world: World
) -> None:
    sub_id = submit_changes(sessions, world, ChangeSet(remark="Sitzung im Mai."))
    reason = "Bitte nennen Sie das genaue Datum der Sitzung."
    with sessions.begin() as session:
        last = last_audit_id(session)
        coordinator = session.get_one(Contact, world.coordinator_id)
        return_submission(session, sub_id, coordinator, reason, NOW)
        assert audit_after(session, last) == [
            ("return", "submissions", sub_id, "state"),
            ("return", "submissions", sub_id, "return_reason"),
        ]

    with sessions.begin() as session:  # what the contact sees
        edition = collecting_edition(session, NOW.date())
        project = session.get_one(Project, world.project_id)
        contact = session.get_one(Contact, world.contact_id)
        progress = {p.code: p for p in edition_progress(session, edition)}["80.01"]
        assert progress.returned == 1 and world.project_id in progress.project_ids_open
        sub = start_draft(session, edition, project, contact, NOW)
        assert (sub.id, sub.state, sub.return_reason) == (sub_id, SubmissionState.RETURNED, reason)
        assert ChangeSet.from_json(sub.changes).remark == "Sitzung im Mai."
        assert project.remark != "Sitzung im Mai."  # nothing applied yet
        later = NOW + timedelta(days=1)
        save_changes(session, sub, ChangeSet(remark="Sitzung am 20.05.2025."), contact, later)
        assert sub.state is SubmissionState.DRAFT
        submit(session, sub, contact, later)

    with sessions.begin() as session:
        coordinator = session.get_one(Contact, world.coordinator_id)
        approve(session, sub_id, coordinator, NOW + timedelta(days=2))
    with sessions() as session:
        edition = collecting_edition(session, NOW.date())
        project = session.get_one(Project, world.project_id)
        assert project.remark.to_plain() == "Sitzung am 20.05.2025."
        assert open_submission(session, edition, project) is None
        progress = {p.code: p for p in edition_progress(session, edition)}["80.01"]
        assert (progress.approved, progress.returned) == (1, 0)
        coordinator = session.get_one(Contact, world.coordinator_id)
        with pytest.raises(AlreadyDecided, match="bereits bearbeitet"):
            return_submission(session, sub_id, coordinator, "zu spät", NOW)


# -- (c) conflicts -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_draft_based_on_an_older_project_version_is_a_conflict_and_overwrites_nothing(
    sessions: sessionmaker[Session], world: World
) -> None:
    sub_id = submit_changes(sessions, world, ChangeSet(remark="Neue Bemerkung."))
    with sessions.begin() as session:  # the coordinator fixes the title meanwhile
        edit_project(
            session,
            Auditor(session, actor="cli", now=NOW),
            world.project_id,
            title="Klimaschutzkonzept 2.0 (Fortschreibung)",
        )
    with sessions() as session:
        before = snapshot(session)
        last = last_audit_id(session)

    with sessions() as session:
        coordinator = session.get_one(Contact, world.coordinator_id)
        with pytest.raises(Conflict, match="geändert, nachdem diese Meldung begonnen") as err:
            approve(session, sub_id, coordinator, NOW)
        assert err.value.submission_id == sub_id
        session.rollback()
    with sessions() as session:
        assert snapshot(session) == before
        assert audit_after(session, last) == []
        assert session.get_one(Submission, sub_id).state is SubmissionState.SUBMITTED

    with sessions.begin() as session:
        coordinator = session.get_one(Contact, world.coordinator_id)
        approve(session, sub_id, coordinator, NOW, force=True)
    with sessions() as session:
        project = session.get_one(Project, world.project_id)
        assert project.title == "Klimaschutzkonzept 2.0 (Fortschreibung)"
        assert project.remark.to_plain() == "Neue Bemerkung."
        assert session.get_one(Submission, sub_id).state is SubmissionState.APPROVED


def test_a_project_changed_while_the_coordinator_looks_at_it_is_a_conflict_not_a_crash(
    sessions: sessionmaker[Session], world: World
) -> None:
    sub_id = submit_changes(sessions, world, ChangeSet(remark="Neue Bemerkung."))
    with sessions() as looking:
        coordinator = looking.get_one(Contact, world.coordinator_id)
        on_screen = looking.get_one(Submission, sub_id).project  # held, as a screen would
        with sessions.begin() as other:
            edit_project(
                other,
                Auditor(other, actor="cli", now=NOW),
                world.project_id,
                description="Eine neue Beschreibung.",
            )
        with pytest.raises(Conflict, match="soeben"):
            approve(looking, sub_id, coordinator, NOW)
        looking.rollback()
        assert on_screen.id == world.project_id
    with sessions() as session:
        project = session.get_one(Project, world.project_id)
        assert project.description.to_plain() == "Eine neue Beschreibung."
        assert project.remark != "Neue Bemerkung."
        assert session.get_one(Submission, sub_id).state is SubmissionState.SUBMITTED


# -- (d) two coordinators at the same moment ----------------------------------------------------


def race(
    sessions: sessionmaker[Session],
    sub_id: int,
    coordinator_ids: list[int],
    now: datetime,
    *,
    project_on_screen: bool,
) -> list[str]:
    """Every coordinator approves ``sub_id`` at once (own thread, own connection).

    Both have the submission on screen as "submitted"; with ``project_on_screen`` they also
    hold the project as it was, so both get as far as the atomic claim.
    """
    barrier = threading.Barrier(len(coordinator_ids))
    outcomes: list[str] = []

    def approve_as(coordinator_id: int) -> None:
        with sessions() as session:
            coordinator = session.get_one(Contact, coordinator_id)
            on_screen = session.get_one(Submission, sub_id)
            assert on_screen.state is SubmissionState.SUBMITTED
            project = on_screen.project if project_on_screen else None
            barrier.wait(timeout=30)
            try:
                approve(session, sub_id, coordinator, now)
                session.commit()
                outcomes.append("approved")
            except AlreadyDecided as err:
                session.rollback()
                outcomes.append(f"refused: {err}")
            except Exception as err:  # anything else is a failure the test reports
                session.rollback()
                outcomes.append(f"error: {err!r}")
            assert project is None or project.id > 0

    threads = [threading.Thread(target=approve_as, args=(cid,)) for cid in coordinator_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.slow
def test_two_coordinators_approving_the_same_submission_at_once_apply_it_once(
    sessions: sessionmaker[Session], world: World
) -> None:
    coordinators = [world.coordinator_id, world.second_coordinator_id]
    for n in range(RACE_ROUNDS):
        now = NOW + timedelta(minutes=n)
        sub_id = submit_changes(
            sessions,
            world,
            ChangeSet(milestones_done=[NewEntry(day("01.06.2025"), f"Meilenstein {n}")]),
            now,
        )
        outcomes = race(sessions, sub_id, coordinators, now, project_on_screen=n % 2 == 0)
        assert outcomes[0] == "approved", outcomes
        assert outcomes[1].startswith("refused: Diese Meldung wurde bereits bearbeitet"), outcomes

    with sessions() as session:
        project = session.get_one(Project, world.project_id)
        texts = [e.text for e in project.entries_of(EntryKind.DONE)]
        for n in range(RACE_ROUNDS):
            assert texts.count(f"Meilenstein {n}") == 1
        approvals = session.scalars(
            select(AuditLog.entity_id).where(AuditLog.action == "approve")
        ).all()
        assert len(approvals) == len(set(approvals)) == RACE_ROUNDS
        done_audits = session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(
                AuditLog.field == "entries:done",
                AuditLog.actor.in_([COORDINATOR, SECOND_COORDINATOR]),
            )
        )
        assert done_audits == RACE_ROUNDS
        decided = session.scalars(select(Submission.state)).all()
        assert decided == [SubmissionState.APPROVED] * RACE_ROUNDS


@pytest.fixture
def sqlite_file(tmp_path: Path) -> tuple[Path, Engine]:
    """A migrated SQLite file (this test is about SQLite's locking)."""
    from migrations import upgrade

    path = tmp_path / "locked.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return path, engine


@pytest.mark.slow
def test_an_approval_that_meets_a_locked_sqlite_database_is_refused_cleanly_and_can_be_retried(
    sqlite_file: tuple[Path, Engine],
) -> None:
    path, engine = sqlite_file
    sessions = make_session_factory(engine)
    world = build_world(sessions)
    sub_id = submit_changes(
        sessions, world, ChangeSet(milestones_done=[NewEntry(day("01.06.2025"), "Nur einmal")])
    )
    impatient = make_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2})
    other_writer = sqlite3.connect(path, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
        with make_session_factory(impatient)() as session:
            coordinator = session.get_one(Contact, world.coordinator_id)
            with pytest.raises(AlreadyDecided, match="gerade von jemand anderem"):
                approve(session, sub_id, coordinator, NOW)
            session.rollback()
        other_writer.execute("ROLLBACK")
        with make_session_factory(impatient).begin() as session:
            coordinator = session.get_one(Contact, world.coordinator_id)
            approve(session, sub_id, coordinator, NOW)
    finally:
        other_writer.close()
        impatient.dispose()
    with sessions() as session:
        project = session.get_one(Project, world.project_id)
        assert [e.text for e in project.entries_of(EntryKind.DONE)].count("Nur einmal") == 1
        assert session.get_one(Submission, sub_id).state is SubmissionState.APPROVED
    engine.dispose()


# -- (d) all "Keine Änderungen" at once ----------------------------------------------------------


def report_unchanged(sessions: sessionmaker[Session], world: World, count: int) -> list[int]:
    """The contact reports "Keine Änderungen" for ``count`` projects of 80.01 other than
    TITLE's; returns their project ids."""
    with sessions.begin() as session:
        edition = collecting_edition(session, NOW.date())
        contact = session.get_one(Contact, world.contact_id)
        chosen = [
            p
            for _, p in contact_projects(session, contact, edition.cutoff)
            if p.id != world.project_id
        ][:count]
        for project in chosen:
            sub = start_draft(session, edition, project, contact, NOW)
            save_changes(session, sub, ChangeSet(no_changes=True), contact, NOW)
            submit(session, sub, contact, NOW)
        return [p.id for p in chosen]


@pytest.mark.slow
def test_approving_all_unchanged_reports_approves_exactly_those_and_applies_nothing(
    sessions: sessionmaker[Session], world: World
) -> None:
    unchanged = report_unchanged(sessions, world, 3)
    changed = submit_changes(sessions, world, ChangeSet(remark="Neue Bemerkung"))
    with sessions.begin() as session:  # a coordinator edits one of them after the report
        project = session.get_one(Project, unchanged[0])
        apply_changeset(
            session,
            project,
            ChangeSet(remark="Von der Koordination"),
            Auditor(session, actor=COORDINATOR, now=NOW),
            NOW.date(),
        )
    with sessions() as session:
        before = snapshot(session)
        versions = {pid: session.get_one(Project, pid).version for pid in unchanged}
        mark = last_audit_id(session)
    with sessions.begin() as session:
        contact = session.get_one(Contact, world.contact_id)
        with pytest.raises(NotAllowed):
            approve_unchanged(session, collecting_edition(session, NOW.date()), contact, NOW)
        coordinator = session.get_one(Contact, world.coordinator_id)
        batch = approve_unchanged(
            session, collecting_edition(session, NOW.date()), coordinator, NOW
        )
        approved = sorted(sub.project_id for sub in batch.approved)

    assert approved == sorted(unchanged) and batch.left == 0
    with sessions() as session:
        assert snapshot(session) == before  # no project changed, not even its version
        assert {pid: session.get_one(Project, pid).version for pid in unchanged} == versions
        assert session.get_one(Submission, changed).state is SubmissionState.SUBMITTED
        assert [(a[0], a[1]) for a in audit_after(session, mark)] == [
            ("approve", "submissions")
        ] * 3


def test_two_coordinators_approving_all_unchanged_at_once_approve_each_report_once(
    sessions: sessionmaker[Session], world: World
) -> None:
    report_unchanged(sessions, world, 4)
    barrier = threading.Barrier(2)
    results: list[tuple[int, int] | str] = []

    def batch_as(coordinator_id: int) -> None:
        with sessions() as session:
            coordinator = session.get_one(Contact, coordinator_id)
            edition = collecting_edition(session, NOW.date())
            barrier.wait(timeout=30)
            try:
                batch = approve_unchanged(session, edition, coordinator, NOW)
                session.commit()
                results.append((len(batch.approved), batch.left))
            except Exception as err:  # anything else is a failure the test reports
                session.rollback()
                results.append(f"error: {err!r}")

    threads = [
        threading.Thread(target=batch_as, args=(cid,))
        for cid in (world.coordinator_id, world.second_coordinator_id)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not [r for r in results if isinstance(r, str)], results
    assert sorted(left for _, left in results) == [0, 0]  # waited for each other, none busy
    assert sum(n for n, _ in results) == 4
    with sessions() as session:
        approvals = session.scalars(
            select(AuditLog.entity_id).where(AuditLog.action == "approve")
        ).all()
        states = session.scalars(select(Submission.state)).all()
    assert len(approvals) == len(set(approvals)) == sum(n for n, _ in results)
    assert states.count(SubmissionState.APPROVED) == len(approvals)
