"""Shared projects and colleagues (issue 18 items 1-3), on the core level.

The small report's "Radwegekonzept" belongs to 61 and 80.01: Paul and Erika report for 61,
Anna for 80.01. One department's report must not count for the other; the other sees who
reported what and when and confirms or extends it; every entry names its author; everyone
who took part hears the outcome; a status change carries its "since" date into the report.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import lxml.html
import pytest
from alembic import command
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.orm import Session
from support.bot_seed import NOW, SmallReport, add_contact, seed_small_report

from core.approval import approve, return_submission
from core.assembly import assemble_edition
from core.changes import (
    ChangeSet,
    NewEntry,
    read_status_since,
    since_this_month,
    since_today,
)
from core.drafts import confirm_report, extend_report, save_changes, start_draft, submit
from core.editions import collecting_edition
from core.fuzzydate import FuzzyDate, FuzzyDateError
from core.models import (
    Contact,
    ContributionKind,
    Edition,
    Project,
    Role,
    Submission,
    SubmissionContribution,
    SubmissionState,
)
from core.numbering import project_number
from core.progress import contact_states, edition_progress, project_states
from core.recipients import outcome_recipients
from core.render import render_html
from core.status import Status
from core.submissions import (
    AlreadyDecided,
    SubmissionError,
    contributors,
    last_edit_by_other,
    listed_hand_ins,
    reports_by_others,
    waiting_submissions,
)
from migrations import alembic_config, current_revision, upgrade


class World:
    """The small report; Paul and Erika (61), Anna (80.01), a coordinator; all bound."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.report: SmallReport = seed_small_report(session)
        self.paul = add_contact(session, "Paul Zweit", ["61"], telegram_user_id=601)
        self.erika = add_contact(session, "Erika Muster", ["61"], telegram_user_id=602)
        self.anna = add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=801)
        self.boss = add_contact(session, "Koordination", [], role=Role.COORDINATOR)
        self.edition = collecting_edition(session, NOW.date())
        session.commit()

    @property
    def radweg(self) -> Project:
        return self.session.get_one(Project, self.report.projects["radweg"])

    def dep(self, code: str) -> int:
        return self.report.departments[code]

    def no_changes(self, who: Contact, minutes: int = 0) -> Submission:
        at = NOW + timedelta(minutes=minutes)
        sub = start_draft(self.session, self.edition, self.radweg, who, at)
        save_changes(self.session, sub, ChangeSet(no_changes=True), who, at)
        submit(self.session, sub, who, at)
        self.session.flush()
        return sub

    def edit(self, who: Contact, mutate: object, minutes: int = 0) -> Submission:
        at = NOW + timedelta(minutes=minutes)
        sub = start_draft(self.session, self.edition, self.radweg, who, at)
        cs = ChangeSet.from_json(sub.changes)
        assert callable(mutate)
        mutate(cs)
        cs.no_changes = False
        save_changes(self.session, sub, cs, who, at)
        self.session.flush()
        return sub

    def progress(self, code: str) -> tuple[int, int, list[int]]:
        """(answered, outstanding, open project ids) of a department."""
        found = {p.code: p for p in edition_progress(self.session, self.edition)}[code]
        return found.answered, found.outstanding, found.project_ids_open


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_one_departments_no_changes_counts_only_for_that_department(world: World) -> None:
    world.no_changes(world.paul)
    pid = world.radweg.id

    assert pid not in world.progress("61")[2]
    assert pid in world.progress("80.01")[2]
    assert project_states(world.session, world.edition, [pid], departments=[world.dep("61")]) == {
        pid: SubmissionState.SUBMITTED
    }
    # 80.01's walk-through does not skip it; the coordinator sees the one submission.
    assert contact_states(world.session, world.edition, world.anna, [pid]) == {pid: None}
    assert contact_states(world.session, world.edition, world.paul, [pid]) == {
        pid: SubmissionState.SUBMITTED
    }
    assert contact_states(world.session, world.edition, world.boss, [pid]) == {
        pid: SubmissionState.SUBMITTED
    }
    assert [s.project_id for s in waiting_submissions(world.session, edition=world.edition)] == [
        pid
    ]


def test_the_other_department_is_told_who_reported_what_and_when(world: World) -> None:
    sub = world.no_changes(world.paul)

    found = reports_by_others(world.session, world.edition, world.radweg, world.anna)

    assert found is not None
    assert found[0].id == sub.id
    [report] = found[1]
    assert (report.department, report.name, report.kind) == (
        "61",
        "Paul Zweit",
        ContributionKind.NO_CHANGES,
    )
    # 08:00 UTC is 10:00 in Soest in June.
    assert report.text == "Gemeldet von 61 (Paul Zweit) am 16.06.2025, 10:00: Keine Änderungen"
    assert reports_by_others(world.session, world.edition, world.radweg, world.paul) is None
    assert reports_by_others(world.session, world.edition, world.radweg, world.erika) is None


def test_passt_so_confirms_the_report_for_the_other_department_unchanged(world: World) -> None:
    sub = world.no_changes(world.paul)
    before = dict(sub.changes)

    confirm_report(world.session, sub, world.anna, NOW + timedelta(hours=1))

    assert world.radweg.id not in world.progress("80.01")[2]
    assert world.progress("80.01")[0] == 1
    assert [(c.department.code, c.kind) for c in sub.contributions] == [
        ("61", ContributionKind.NO_CHANGES),
        ("80.01", ContributionKind.CONFIRMED),
    ]
    assert sub.changes == before and sub.state is SubmissionState.SUBMITTED
    assert reports_by_others(world.session, world.edition, world.radweg, world.anna) is None
    # Confirming twice records nothing more.
    confirm_report(world.session, sub, world.anna, NOW + timedelta(hours=2))
    assert len(sub.contributions) == 2


def test_ergaenzen_reopens_the_report_keeping_what_was_there(world: World) -> None:
    world.edit(world.paul, lambda cs: setattr(cs, "remark", "Förderung beantragt"))
    sub = world.session.scalars(select(Submission)).one()
    submit(world.session, sub, world.paul, NOW)

    extend_report(world.session, sub, world.anna, NOW + timedelta(minutes=5))
    assert sub.state is SubmissionState.DRAFT
    # 61's report stands while 80.01 adds to it; for 80.01 it is in work.
    assert world.radweg.id not in world.progress("61")[2]
    assert world.radweg.id in world.progress("80.01")[2]
    assert contact_states(world.session, world.edition, world.anna, [world.radweg.id]) == {
        world.radweg.id: SubmissionState.DRAFT
    }
    world.edit(
        world.anna,
        lambda cs: cs.milestones_done.append(NewEntry("2025-06", "Trasse festgelegt")),
        minutes=6,
    )
    again = start_draft(world.session, world.edition, world.radweg, world.anna, NOW)
    submit(world.session, again, world.anna, NOW + timedelta(minutes=7))

    assert again.id == sub.id
    cs = ChangeSet.from_json(sub.changes)
    assert cs.remark == "Förderung beantragt"
    assert [e.text for e in cs.milestones_done] == ["Trasse festgelegt"]
    assert [(c.department.code, c.kind) for c in sub.contributions] == [
        ("61", ContributionKind.CHANGES),
        ("80.01", ContributionKind.CHANGES),
    ]
    assert world.progress("61")[0] == 1 and world.progress("80.01")[0] == 1
    assert len(waiting_submissions(world.session, edition=world.edition)) == 1

    approve(world.session, sub.id, world.boss, NOW + timedelta(days=1))
    for who in (world.paul, world.anna):
        states = contact_states(world.session, world.edition, who, [world.radweg.id])
        assert states == {world.radweg.id: SubmissionState.APPROVED}
    with pytest.raises(AlreadyDecided):
        extend_report(world.session, sub, world.anna, NOW + timedelta(days=2))


def test_a_colleague_changing_the_handed_in_report_takes_it_back_for_the_department(
    world: World,
) -> None:
    sub = world.no_changes(world.paul)
    confirm_report(world.session, sub, world.anna, NOW)

    world.edit(world.erika, lambda cs: setattr(cs, "remark", "Doch etwas"), minutes=5)

    assert sub.state is SubmissionState.DRAFT
    assert [c.department.code for c in sub.contributions] == ["80.01"]
    assert world.radweg.id in world.progress("61")[2]
    assert world.radweg.id not in world.progress("80.01")[2]
    submit(world.session, sub, world.erika, NOW + timedelta(minutes=6))
    assert sorted((c.department.code, c.contact_name) for c in sub.contributions) == [
        ("61", "Erika Muster"),
        ("80.01", "Anna Abt"),
    ]


def test_only_a_handed_in_report_can_be_confirmed_or_extended(world: World) -> None:
    sub = world.edit(world.paul, lambda cs: setattr(cs, "remark", "Entwurf"))

    with pytest.raises(SubmissionError):
        confirm_report(world.session, sub, world.anna, NOW)
    with pytest.raises(SubmissionError):
        extend_report(world.session, sub, world.anna, NOW)


def test_every_entry_names_its_author_and_the_card_its_last_editor(world: World) -> None:
    world.edit(
        world.paul,
        lambda cs: (
            setattr(cs, "remark", "Von Paul"),
            cs.milestones_done.append(NewEntry("2025-05", "Pauls Meilenstein")),
        ),
    )
    sub = world.edit(
        world.erika,
        lambda cs: cs.milestones_planned.append(NewEntry("2026", "Erikas Plan")),
        minutes=5,
    )

    cs = ChangeSet.from_json(sub.changes)
    [done] = cs.milestones_done
    [planned] = cs.milestones_planned
    assert done.author is not None and done.author.by_name == "Paul Zweit"
    assert planned.author is not None and planned.author.by == world.erika.id
    assert planned.author.moment == NOW + timedelta(minutes=5)
    assert cs.authors["remark"].by == world.paul.id
    assert last_edit_by_other(sub, world.paul) == (
        "Zuletzt bearbeitet von Erika Muster am 16.06.2025, 10:05"
    )
    assert last_edit_by_other(sub, world.erika) is None

    world.edit(world.erika, lambda cs: setattr(cs, "remark", "Von Erika"), minutes=6)
    submit(world.session, sub, world.erika, NOW + timedelta(minutes=7))

    assert ChangeSet.from_json(sub.changes).authors["remark"].by == world.erika.id
    found = {c.name: c for c in contributors(sub)}
    assert list(found) == ["Paul Zweit", "Erika Muster"]
    assert (found["Paul Zweit"].entries, found["Paul Zweit"].handed_in) == (1, False)
    assert (found["Erika Muster"].entries, found["Erika Muster"].handed_in) == (2, True)
    assert found["Erika Muster"].last_at == NOW + timedelta(minutes=7)


def test_a_change_set_stored_before_authors_loads_and_keeps_its_form(world: World) -> None:
    old = {
        "no_changes": False,
        "status": "in_planung",
        "status_since": "2025-06-16",
        "milestones_done": [{"date": None, "text": "Alt"}],
        "consultations": [{"date": None, "gremium": "Kreistag"}],
        "completed_planned": [{"planned_text": "X", "planned_date": None, "date": "2025"}],
        "remark": "Alt",
    }

    cs = ChangeSet.from_json(old)

    assert cs.milestones_done[0].author is None and cs.authors == {}
    assert cs.status_since_date == FuzzyDate.from_storage("2025-06-16")
    assert ChangeSet.from_json(cs.to_json()) == cs


def test_everyone_who_took_part_hears_the_outcome(world: World) -> None:
    world.edit(world.paul, lambda cs: setattr(cs, "remark", "Von Paul"))
    sub = world.edit(
        world.erika, lambda cs: cs.planning_steps.append(NewEntry("2025", "Erika")), minutes=1
    )
    submit(world.session, sub, world.erika, NOW + timedelta(minutes=2))
    confirm_report(world.session, sub, world.anna, NOW + timedelta(minutes=3))
    bystander = add_contact(world.session, "Bernd Nur61", ["61"], telegram_user_id=603)

    returned = return_submission(world.session, sub.id, world.boss, "Bitte Datum", NOW)

    names = [c.name for c in outcome_recipients(world.session, returned)]
    assert names == ["Anna Abt", "Erika Muster", "Paul Zweit"]
    assert bystander.name not in names
    world.erika.telegram_user_id = None  # unbound: cannot be told
    world.session.flush()
    assert [c.name for c in outcome_recipients(world.session, returned)] == [
        "Anna Abt",
        "Paul Zweit",
    ]


def _status_line(session: Session, cutoff: object, title: str) -> str:
    """The text the report prints in the project's block, white space collapsed."""
    html = render_html(assemble_edition(session, cutoff))  # type: ignore[arg-type]
    root = lxml.html.document_fromstring(html)
    for node in root.xpath("//style|//head"):
        node.drop_tree()
    text = re.sub(r"\s+", " ", root.text_content())
    start = text.index(title)
    return text[start : start + 400]


def test_a_status_change_keeps_its_since_date_as_written(world: World) -> None:
    since = FuzzyDate.of_month(2025, 6)

    def change(cs: ChangeSet) -> None:
        cs.status, cs.status_since = Status.IN_PLANUNG.value, since.storage()

    sub = world.edit(world.paul, change)
    assert ChangeSet.from_json(sub.changes).authors["status"].by == world.paul.id
    submit(world.session, sub, world.paul, NOW)
    approve(world.session, sub.id, world.boss, NOW + timedelta(days=70))
    world.session.commit()

    assert world.radweg.status_since == since
    printed = _status_line(world.session, world.edition.cutoff, "Radwegekonzept")
    assert "Projekt im Status „in Planung“ seit: Juni 2025" in printed


def test_a_status_change_without_since_date_takes_the_approval_day(world: World) -> None:
    sub = world.edit(world.paul, lambda cs: setattr(cs, "status", Status.IN_PLANUNG.value))
    submit(world.session, sub, world.paul, NOW)

    approve(world.session, sub.id, world.boss, NOW + timedelta(days=3))

    assert world.radweg.status_since == FuzzyDate.from_storage("2025-06-19")


# -- migration 0007_contributions ------------------------------------------------------------


def _fill_0006(conn: Connection) -> None:
    """Two departments sharing a project; a no-changes report by 61's contact, a changes
    report by a coordinator (no department of theirs), a draft, an approved report."""
    now = "2025-06-16 08:00:00+00:00"
    conn.execute(text("INSERT INTO fields (id, number, title, overview) VALUES (1, 1, 'K', '')"))
    for dep_id, code in ((1, "61"), (2, "80.01")):
        conn.execute(
            text("INSERT INTO departments (id, code, name, active) VALUES (:i, :c, '', :t)"),
            {"i": dep_id, "c": code, "t": True},
        )
    for pid in (1, 2, 3, 4):
        conn.execute(
            text(
                "INSERT INTO projects (id, field_id, title, short_title, description, status,"
                " municipalities, remark, sort_order, version, created_at, updated_at, labels,"
                " more_sections) VALUES (:i, 1, 'P', '', '', 'in_planung', '', '', 1, 1, :now,"
                " :now, '{}', '[]')"
            ),
            {"i": pid, "now": now},
        )
        for pos, dep_id in enumerate((1, 2)):
            conn.execute(
                text(
                    "INSERT INTO project_departments (project_id, department_id, position)"
                    " VALUES (:p, :d, :pos)"
                ),
                {"p": pid, "d": dep_id, "pos": pos},
            )
    for cid, name, role in ((1, "Paul Zweit", "contact"), (2, "Koordination", "coordinator")):
        conn.execute(
            text(
                "INSERT INTO contacts (id, name, role, active, reachable, created_at)"
                " VALUES (:i, :n, :r, :t, :t, :now)"
            ),
            {"i": cid, "n": name, "r": role, "t": True, "now": now},
        )
    conn.execute(text("INSERT INTO contact_departments (contact_id, department_id) VALUES (1, 1)"))
    conn.execute(
        text(
            "INSERT INTO editions (id, cutoff, state, from_archive_only, collecting_chosen)"
            " VALUES (1, :cutoff, 'collecting', :f, :f)"
        ),
        {"cutoff": date(2025, 10, 1), "f": False},
    )
    for sid, pid, cid, state, changes in (
        (1, 1, 1, "submitted", {"no_changes": True}),
        (2, 2, 2, "submitted", {"remark": "Neu"}),
        (3, 3, 1, "draft", {"remark": "Entwurf"}),
        (4, 4, 1, "approved", {"remark": "Alt"}),
    ):
        conn.execute(
            text(
                "INSERT INTO submissions (id, edition_id, project_id, contact_id, state,"
                " base_version, changes, created_at, updated_at, submitted_at)"
                " VALUES (:i, 1, :p, :c, :s, 1, :changes, :now, :now, :sub)"
            ),
            {
                "i": sid,
                "p": pid,
                "c": cid,
                "s": state,
                "changes": json.dumps(changes),
                "now": now,
                "sub": None if state == "draft" else now,
            },
        )


def test_migration_0007_backfills_contributions_and_downgrades(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0006_editions")
    with empty_engine.begin() as conn:
        _fill_0006(conn)

    upgrade(empty_engine)

    with Session(empty_engine) as session:
        rows = session.execute(
            select(
                SubmissionContribution.submission_id,
                SubmissionContribution.department_id,
                SubmissionContribution.contact_name,
                SubmissionContribution.kind,
            ).order_by(SubmissionContribution.submission_id, SubmissionContribution.department_id)
        ).all()
        assert [tuple(r) for r in rows] == [
            (1, 1, "Paul Zweit", ContributionKind.NO_CHANGES),  # 61 only: Paul's department
            (2, 1, "Koordination", ContributionKind.CHANGES),  # a coordinator: for all
            (2, 2, "Koordination", ContributionKind.CHANGES),
            (4, 1, "Paul Zweit", ContributionKind.CHANGES),
        ]
        assert session.get_one(Submission, 3).last_editor_id == 1
        edition = session.get_one(Edition, 1)
        submitted, approved, draft = (
            SubmissionState.SUBMITTED,
            SubmissionState.APPROVED,
            SubmissionState.DRAFT,
        )
        assert project_states(session, edition, departments=[1]) == {
            1: submitted,
            2: submitted,
            3: draft,
            4: approved,
        }
        assert project_states(session, edition, departments=[2]) == {
            1: None,
            2: submitted,
            3: draft,
            4: None,
        }

    config = alembic_config(empty_engine.url.render_as_string(hide_password=False))
    with empty_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006_editions")
    assert current_revision(empty_engine) == "0006_editions"
    assert "submission_contributions" not in inspect(empty_engine).get_table_names()
    assert "last_editor_id" not in {
        c["name"] for c in inspect(empty_engine).get_columns("submissions")
    }

    upgrade(empty_engine)
    assert current_revision(empty_engine) == "0007_contributions"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Juni 2025", "2025-06"),
        ("seit Juni 2025", "2025-06"),
        ("2. Quartal 2025", "2025-Q2"),
        ("heute", "2025-06-16"),
        ("01.05.2025", "2025-05-01"),
        ("ab Juni 2025", "2025-06"),
    ],
)
def test_seit_wann_reads_a_typed_date_as_precise_as_written(typed: str, stored: str) -> None:
    assert read_status_since(typed, NOW.date()).storage() == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Juli 2025", "liegt in der Zukunft"),
        ("2024 bis 2025", "passt hier nicht"),
        ("jährlich", "passt hier nicht"),
        ("bis Juni 2025", "passt hier nicht"),
        ("Sommeranfang", "nicht lesbar"),
    ],
)
def test_seit_wann_refuses_what_is_no_status_date(typed: str, says: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        read_status_since(typed, NOW.date())
    assert says in str(caught.value) and "Traceback" not in str(caught.value)


def test_seit_wann_offers_today_and_this_month_in_soest() -> None:
    # 23:30 UTC on 30 June is already 1 July in Soest.
    late = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    assert since_today(late) == FuzzyDate.day(date(2025, 7, 1))
    assert since_this_month(late).format() == "Juli 2025"


def test_a_rounds_list_reads_each_hand_in_as_the_objects_and_the_one_numbering_rule_do(
    world: World,
) -> None:
    """``listed_hand_ins`` (the coordinator's round list, one query, no objects): state,
    changes, times, the decider and the printed number agree with the loaded submission and
    ``project_number``; an unnumbered (dropped) project has no number; ids keep their order."""
    session, edition = world.session, world.edition
    paul_sub = world.no_changes(world.paul)
    waerme = session.get_one(Project, world.report.projects["waerme"])
    anna_sub = start_draft(session, edition, waerme, world.anna, NOW)
    save_changes(session, anna_sub, ChangeSet(no_changes=True), world.anna, NOW)
    submit(session, anna_sub, world.anna, NOW)
    return_submission(session, anna_sub.id, world.boss, "Bitte mit Datum.", NOW)
    waerme.status = Status.ENTFALLEN  # no longer printed: no number
    session.flush()

    listed = listed_hand_ins(session, edition.cutoff, [anna_sub.id, paul_sub.id, 999_999])

    assert [h.id for h in listed] == [anna_sub.id, paul_sub.id]  # the unknown id left out
    for item, sub in zip(listed, (anna_sub, paul_sub), strict=True):
        session.refresh(sub)
        assert (item.state, item.changes, item.contact_id) == (
            sub.state,
            sub.changes,
            sub.contact_id,
        )
        assert item.handed_in == sub.submitted_at
        assert (item.project_id, item.title) == (sub.project_id, sub.project.title)
        assert item.number == project_number(session, edition.cutoff, sub.project)
    assert listed[0].number is None  # Wärmeplanung is dropped now
    assert listed[1].number == "1.2.2.1"
    assert (listed[0].decided_by, listed[0].return_reason) == ("Koordination", "Bitte mit Datum.")
    assert listed[0].decided == anna_sub.decided_at
    assert (listed[1].decided_by, listed[1].decided) == (None, paul_sub.updated_at)
