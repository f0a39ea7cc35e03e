"""Submissions (core.submissions): rights, drafts, submitting, approving, returning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.bot_seed import NOW, SmallReport, add_contact, seed_small_report

from core.approval import approve, return_submission
from core.changes import ChangeSet, CompletedPlanned, NewConsultation, NewEntry
from core.drafts import save_changes, start_draft, submit
from core.editions import collecting_edition
from core.fuzzydate import FuzzyDate
from core.models import (
    AuditLog,
    Contact,
    Edition,
    EntryKind,
    Project,
    Role,
    Submission,
    SubmissionState,
)
from core.permissions import contact_project_lines, contact_projects, get_project_for
from core.progress import edition_progress, project_states
from core.status import Status
from core.submissions import (
    AlreadyDecided,
    Conflict,
    NotAllowed,
    SubmissionError,
    latest_submission,
    open_submission,
)


class World:
    """The small report, Anna (80.01), Ben (70.02), a coordinator and the collecting edition."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.report: SmallReport = seed_small_report(session)
        self.anna = add_contact(session, "Anna Abt", ["80.01"])
        self.ben = add_contact(session, "Ben Berg", ["70.02"])
        self.boss = add_contact(session, "Koordination", [], role=Role.COORDINATOR)
        self.edition = collecting_edition(session, NOW.date())
        session.commit()

    def project(self, key: str) -> Project:
        return self.session.get_one(Project, self.report.projects[key])

    def submitted(self, key: str, cs: ChangeSet, who: Contact | None = None) -> Submission:
        who = who or self.anna
        sub = start_draft(self.session, self.edition, self.project(key), who, NOW)
        save_changes(self.session, sub, cs, who, NOW)
        submit(self.session, sub, who, NOW)
        self.session.flush()
        return sub


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_the_collecting_edition_is_the_next_cutoff(world: World) -> None:
    assert world.edition.cutoff == date(2025, 10, 1)
    assert collecting_edition(world.session, date(2025, 10, 1)).cutoff == date(2026, 4, 1)


def test_a_contact_sees_only_the_projects_of_their_departments(world: World) -> None:
    cutoff = world.edition.cutoff
    anna = [n for n, _ in contact_projects(world.session, world.anna, cutoff)]
    ben = [n for n, _ in contact_projects(world.session, world.ben, cutoff)]
    boss = contact_projects(world.session, world.boss, cutoff)

    assert anna == ["1.1.2.1", "1.2.2.1", "1.2.3.1"]
    assert ben == ["2.1.4.1"]
    assert len(boss) == 5


def test_the_overviews_lines_are_the_contacts_projects_with_their_numbers(world: World) -> None:
    cutoff = world.edition.cutoff
    for contact in (world.anna, world.ben, world.boss):
        lines = contact_project_lines(world.session, contact, cutoff)
        projects = contact_projects(world.session, contact, cutoff)

        assert [(line.number, line.project_id, line.title, line.short_title) for line in lines] == [
            (number, p.id, p.title, p.short_title) for number, p in projects
        ]


def test_a_foreign_project_is_not_allowed_and_reveals_nothing(world: World) -> None:
    with pytest.raises(NotAllowed) as caught:
        get_project_for(world.session, world.ben, world.report.projects["waerme"])
    with pytest.raises(NotAllowed):
        get_project_for(world.session, world.ben, 999_999)
    with pytest.raises(NotAllowed):
        start_draft(world.session, world.edition, world.project("waerme"), world.ben, NOW)

    assert "Wärme" not in str(caught.value)


def test_a_department_shares_one_open_submission_per_project(world: World) -> None:
    carla = add_contact(world.session, "Carla Christ", ["80.01"])
    first = start_draft(world.session, world.edition, world.project("waerme"), world.anna, NOW)

    second = start_draft(world.session, world.edition, world.project("waerme"), carla, NOW)

    assert first.id == second.id
    assert first.base_version == world.project("waerme").version


def test_a_submitted_report_goes_back_to_draft_when_changed_again(world: World) -> None:
    sub = world.submitted("waerme", ChangeSet(remark="Neu"))
    assert sub.state is SubmissionState.SUBMITTED

    save_changes(world.session, sub, ChangeSet(remark="Neuer"), world.anna, NOW)

    assert sub.state is SubmissionState.DRAFT
    assert open_submission(world.session, world.edition, world.project("waerme")) == sub


def test_nothing_cannot_be_submitted_but_no_changes_can(world: World) -> None:
    sub = start_draft(world.session, world.edition, world.project("waerme"), world.anna, NOW)
    with pytest.raises(SubmissionError, match="nichts einzureichen"):
        submit(world.session, sub, world.anna, NOW)

    save_changes(world.session, sub, ChangeSet(no_changes=True), world.anna, NOW)
    submit(world.session, sub, world.anna, NOW)

    assert sub.state is SubmissionState.SUBMITTED


def test_a_dropped_project_needs_a_reason(world: World) -> None:
    sub = start_draft(world.session, world.edition, world.project("waerme"), world.anna, NOW)
    save_changes(
        world.session, sub, ChangeSet(status="entfallen", drop_reason=" "), world.anna, NOW
    )

    with pytest.raises(SubmissionError, match="Grund"):
        submit(world.session, sub, world.anna, NOW)


def test_approval_applies_every_change_with_an_audit_entry(world: World) -> None:
    sub = world.submitted(
        "waerme",
        ChangeSet(
            status="umgesetzt",
            milestones_done=[NewEntry("2024-MID", "Wärmeplan fertig")],
            completed_planned=[CompletedPlanned("Ausschreibung", "2025", "2025-04")],
            consultations=[
                NewConsultation("2025-05-06", "Kreistag", "Beschlussvorlage", "101/2025")
            ],
            milestones_planned=[NewEntry(None, "Einweihung")],
            remark="Fertig.",
        ),
    )

    result = approve(world.session, sub.id, world.boss, NOW + timedelta(days=1))

    project = world.project("waerme")
    done = [
        (e.date.storage() if e.date else None, e.text)
        for e in sorted(project.entries_of(EntryKind.DONE), key=lambda e: e.position)
    ]
    planned = [e.text for e in project.entries_of(EntryKind.PLANNED)]
    assert (project.status, project.status_since) == (
        Status.UMGESETZT,
        FuzzyDate.day(date(2025, 6, 17)),
    )
    assert done == [
        ("2023-12-31", "Bestandsaufnahme abgeschlossen"),
        ("2024-MID", "Wärmeplan fertig"),
        ("2024-10", "Förderantrag gestellt"),
        ("2025-04", "Ausschreibung"),
    ]
    assert sorted(planned) == ["Einweihung", "Vergabe"]
    assert [c.gremium for c in project.consultations][-1] == "Kreistag"
    assert project.remark.to_plain() == "Fertig."
    assert sub.state is SubmissionState.APPROVED
    assert result.audit_entries == len(world.session.scalars(select(AuditLog)).all()) >= 6


def test_approval_after_the_project_changed_is_a_conflict_unless_forced(world: World) -> None:
    sub = world.submitted("waerme", ChangeSet(remark="Alt"))
    world.project("waerme").remark = "Von der Koordination geändert"
    world.session.flush()

    with pytest.raises(Conflict):
        approve(world.session, sub.id, world.boss, NOW)
    approve(world.session, sub.id, world.boss, NOW, force=True)

    assert world.project("waerme").remark.to_plain() == "Alt"


def test_only_one_coordinator_decides_and_contacts_cannot(world: World) -> None:
    sub = world.submitted("waerme", ChangeSet(remark="Neu"))

    with pytest.raises(NotAllowed):
        approve(world.session, sub.id, world.anna, NOW)
    return_submission(world.session, sub.id, world.boss, "Bitte genauer.", NOW)
    with pytest.raises(AlreadyDecided):
        approve(world.session, sub.id, world.boss, NOW)

    assert (sub.state, sub.return_reason) == (SubmissionState.RETURNED, "Bitte genauer.")


def test_an_approved_report_is_closed_for_changes(world: World) -> None:
    sub = world.submitted("waerme", ChangeSet(remark="Neu"))
    approve(world.session, sub.id, world.boss, NOW)

    with pytest.raises(AlreadyDecided):
        save_changes(world.session, sub, ChangeSet(remark="Noch neuer"), world.anna, NOW)
    assert latest_submission(world.session, world.edition, world.project("waerme")) == sub
    assert open_submission(world.session, world.edition, world.project("waerme")) is None


def test_states_and_progress_per_department(world: World) -> None:
    world.submitted("waerme", ChangeSet(no_changes=True))
    start_draft(world.session, world.edition, world.project("radweg"), world.anna, NOW)
    world.session.flush()

    states = project_states(world.session, world.edition)
    progress = {p.code: p for p in edition_progress(world.session, world.edition)}

    assert states == {
        world.report.projects["waerme"]: SubmissionState.SUBMITTED,
        world.report.projects["radweg"]: SubmissionState.DRAFT,
    }
    assert (
        progress["80.01"].projects,
        progress["80.01"].submitted,
        progress["80.01"].draft,
        progress["80.01"].open,
    ) == (3, 1, 1, 1)
    assert progress["70.02"].open == 1


def test_an_edition_is_created_only_once(world: World) -> None:
    collecting_edition(world.session, NOW.date())
    world.session.flush()

    assert len(world.session.scalars(select(Edition)).all()) == 1
