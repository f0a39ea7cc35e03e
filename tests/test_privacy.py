"""Personal data: ``nhr contacts export`` (Art. 15 DSGVO) and ``nhr contacts erase`` (Art. 17),
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from support.bot_seed import add_contact
from support.guarded import State, run_nhr, table_checksums
from support.snapshots import Build, import_demo

from core.audit import Auditor
from core.changes import ChangeSet, NewEntry
from core.contacts import create_invitation, redeem_invitation
from core.db import make_session_factory
from core.models import (
    AuditLog,
    Base,
    Contact,
    ContributionKind,
    Conversation,
    Department,
    Edition,
    Notification,
    Project,
    Role,
    Submission,
    SubmissionContribution,
    SubmissionState,
)
from core.privacy import CONTACT_REFERENCES, TELEGRAM_COLUMNS, contact_references

ANNA, ANNA_TG = "Anna Beispiel", 700100200
BERND, BERND_TG = "Bernd Anders", 700100300
NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class People:
    anna: int
    bernd: int


def seed_people(session: Session) -> People:
    """Anna (a contact, invited and bound, with a hand-in Bernd approved, messages and a
    dialog) and Bernd (a coordinator whose dialog and review message mention Anna)."""
    code = session.scalars(select(Department.code).order_by(Department.code)).first()
    assert code is not None
    cli = Auditor(session, actor="cli", now=NOW)
    anna, token = create_invitation(
        session, name=ANNA, department_codes=[code], role=Role.CONTACT, now=NOW, auditor=cli
    )
    redeem_invitation(session, token, ANNA_TG, NOW)
    create_invitation(
        session,
        name=ANNA,
        department_codes=[],
        role=Role.CONTACT,
        now=NOW,
        auditor=cli,
        contact=anna,
    )  # a second, still open invitation
    bernd = add_contact(session, BERND, [], telegram_user_id=BERND_TG, role=Role.COORDINATOR)
    edition = session.scalars(select(Edition).where(Edition.cutoff == date(2025, 4, 1))).one()
    project = session.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    sub = Submission(
        edition_id=edition.id,
        project_id=project.id,
        contact_id=anna.id,
        state=SubmissionState.APPROVED,
        base_version=project.version,
        changes=_authored_by(anna),
        last_editor_id=anna.id,
        decided_by_id=bernd.id,
        decided_at=NOW,
        return_reason="Anna beispiel: bitte das Datum ergänzen",
    )
    session.add(sub)
    session.flush()
    department = session.scalars(select(Department).where(Department.code == code)).one()
    session.add(
        SubmissionContribution(
            submission_id=sub.id,
            contact_id=anna.id,
            contact_name=ANNA,
            department_id=department.id,
            kind=ContributionKind.CHANGES,
            at=NOW,
        )
    )
    Auditor(session, actor=BERND, actor_contact_id=bernd.id, now=NOW).record_raw(
        "submissions", sub.id, "state", "submitted", "approved"
    )
    session.add_all(
        [
            Conversation(telegram_user_id=ANNA_TG, state="remark", data={"typed": "Stand März"}),
            Conversation(
                telegram_user_id=-BERND_TG,
                state="revoke_confirm",
                data={"pending": {"name": ANNA, "chat": ANNA_TG}},
            ),
            Notification(
                key=f"prompt:2025-04-01:contact:{anna.id}",
                kind="prompt",
                edition_cutoff=date(2025, 4, 1),
                contact_id=anna.id,
                due_at=NOW,
                sent_at=NOW,
                payload={"departments": [{"code": code}]},
            ),
            Notification(
                key=f"reminder:2025-04-01:r1:contact:{anna.id}",
                kind="reminder",
                edition_cutoff=date(2025, 4, 1),
                contact_id=anna.id,
                due_at=NOW,
                payload={"departments": [{"code": code}]},
            ),
            Notification(
                key=f"review:{sub.id}:1",
                kind="review",
                edition_cutoff=date(2025, 4, 1),
                contact_id=None,
                due_at=NOW,
                sent_at=NOW,
                payload={"submission": sub.id, "messages": {str(bernd.id): [BERND_TG, 55]}},
            ),
        ]
    )
    add_contact(session, "Chris Muster", [code])
    add_contact(session, "Chris Muster", [])
    return People(anna.id, bernd.id)


def _authored_by(contact: Contact) -> dict[str, object]:
    """A change set with a milestone whose author is ``contact`` (colleagues share drafts)."""
    changes = ChangeSet(milestones_done=[NewEntry("2025-03-15", "Radweg eröffnet")])
    changes.stamp(ChangeSet(), contact.id, contact.name, NOW)
    return changes.to_json()


def _seed(sessions: sessionmaker[Session]) -> None:
    import_demo(sessions)
    with sessions.begin() as session:
        seed_people(session)


@pytest.fixture
def people(cli_database: Engine, db_snapshot: Callable[[str, Build], None]) -> People:
    db_snapshot("demo+people", _seed)
    with make_session_factory(cli_database)() as session:
        ids = dict(session.execute(select(Contact.name, Contact.id)).all())
    return People(ids[ANNA], ids[BERND])


def all_rows(engine: Engine) -> str:
    """Every row of every table, as text."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in metadata.sorted_tables
            for row in conn.execute(select(table))
        )


# -- the schema ------------------------------------------------------------------------------


def test_every_column_that_refers_to_a_contact_has_an_erasure_rule() -> None:
    found = {(t.name, c.name) for t, c in contact_references(Base.metadata)}
    missing = sorted(found - CONTACT_REFERENCES.keys())
    assert not missing, (
        f"{missing} refer to contacts.id; say in core.privacy.CONTACT_REFERENCES what erasing "
        "a person does with them"
    )
    assert not CONTACT_REFERENCES.keys() - found, "CONTACT_REFERENCES names a column that is gone"


def test_a_new_foreign_key_to_contacts_is_found_without_being_named() -> None:
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table(
        "letters",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("author_id", ForeignKey("contacts.id")),
    )
    assert ("letters", "author_id") in {(t.name, c.name) for t, c in contact_references(metadata)}


def test_every_column_that_may_hold_a_telegram_id_is_known() -> None:
    found = {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if "telegram" in column.name or "chat" in column.name
    }
    assert found == TELEGRAM_COLUMNS, f"unknown Telegram id columns: {found - TELEGRAM_COLUMNS}"


# -- export ----------------------------------------------------------------------------------


def test_the_export_holds_the_persons_data_and_nobody_elses(people: People) -> None:
    run = run_nhr("contacts", "export", ANNA)
    assert run.code == 0, run.output
    record = json.loads(run.out)
    assert record["person"]["name"] == ANNA
    assert record["person"]["telegram_user_id"] == ANNA_TG
    assert len(record["person"]["departments"]) == 1
    records = record["records"]
    assert len(records["invitations"]) == 2
    assert all("token_hash" not in row for row in records["invitations"])
    assert {"created_at", "expires_at", "used_at"} <= records["invitations"][0].keys()
    assert [s["contact_id"] for s in records["submissions"]] == [people.anna]
    assert len(records["notifications"]) == 2
    assert records["conversations"] == [
        {
            "telegram_user_id": ANNA_TG,
            "state": "remark",
            "data": {"typed": "Stand März"},
            "updated_at": records["conversations"][0]["updated_at"],
        }
    ]
    assert any(
        row["field"] == "telegram_user_id" and row["after"] == ANNA_TG
        for row in records["audit_log"]
    )
    assert BERND not in run.out and str(BERND_TG) not in run.out
    assert f"Person #{people.bernd}" in run.out  # the approval row names its actor so
    assert "Auskunft über Anna Beispiel" in run.err and "Einreichungen: 1" in run.err


def test_a_coordinators_export_replaces_the_people_their_dialog_names(people: People) -> None:
    run = run_nhr("contacts", "export", str(people.bernd))
    assert run.code == 0, run.output
    records = json.loads(run.out)["records"]
    assert [c["telegram_user_id"] for c in records["conversations"]] == [-BERND_TG]
    assert records["conversations"][0]["data"]["pending"]["name"] == f"Person #{people.anna}"
    assert ANNA not in run.out and str(ANNA_TG) not in run.out


def test_an_export_written_to_a_file_is_readable_by_its_owner_only(
    people: People, tmp_path: Path
) -> None:
    out = tmp_path / "auskunft.json"
    run = run_nhr("contacts", "export", ANNA, "--out", str(out))
    assert run.code == 0 and run.out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["person"]["name"] == ANNA
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("command", [("export",), ("erase", "--yes")])
def test_an_ambiguous_name_lists_the_candidates_and_changes_nothing(
    people: People, cli_database: Engine, command: tuple[str, ...]
) -> None:
    before = table_checksums(cli_database)
    run = run_nhr("contacts", command[0], "chris muster", *command[1:])
    assert run.code == 2
    assert "Mehrere Personen heißen „chris muster“" in run.err
    assert run.err.count("Chris Muster") == 2 and "nhr contacts" in run.err
    assert table_checksums(cli_database) == before


def test_part_of_a_name_only_suggests_people(people: People, cli_database: Engine) -> None:
    before = table_checksums(cli_database)
    run = run_nhr("contacts", "erase", "Anna", "--yes")
    assert run.code == 2
    assert f"#{people.anna} {ANNA}" in run.err
    assert table_checksums(cli_database) == before
    nobody = run_nhr("contacts", "export", "Niemand")
    assert (nobody.code, nobody.err.strip()) == (2, "Keine Person „Niemand“ gefunden.")


# -- erasure ---------------------------------------------------------------------------------


def test_a_dry_run_counts_what_would_change_and_changes_nothing(
    people: People, cli_database: Engine
) -> None:
    before = table_checksums(cli_database)
    run = run_nhr("contacts", "erase", ANNA, "--dry-run")
    assert run.code == 0, run.output
    assert "Probelauf für Anna Beispiel" in run.out
    assert "Telegram-Kennungen entfernt: 1" in run.out
    assert "Einladungen gelöscht: 2" in run.out
    assert "Gesprächsstände gelöscht: 1" in run.out
    assert "noch nicht gesendete Nachrichten gelöscht: 1" in run.out
    assert "Gesprächsstände anderer bereinigt: 1" in run.out
    assert "Rückgabegründe bereinigt: 1" in run.out
    assert table_checksums(cli_database) == before


def test_without_yes_nothing_is_erased(people: People, cli_database: Engine) -> None:
    before = table_checksums(cli_database)
    run = run_nhr("contacts", "erase", ANNA)
    assert run.code == 2
    assert "Zum Löschen bitte mit --yes bestätigen" in run.err
    assert table_checksums(cli_database) == before


@pytest.mark.slow  # renders the published edition before and after
def test_erasing_removes_every_telegram_id_and_name_and_keeps_the_report(
    people: People, cli_database: Engine
) -> None:
    before = State.of(cli_database)
    run = run_nhr("contacts", "erase", ANNA, "--yes")
    assert run.code == 0, run.output
    alias = f"gelöschte Person #{people.anna}"
    assert f"heißt jetzt „{alias}“" in run.out
    after = State.of(cli_database)
    assert after.html == before.html
    assert set(before.changed_tables(after)) <= {
        "audit_log",
        "contact_departments",
        "contacts",
        "conversations",
        "invitations",
        "notifications",
        "submissions",  # only the name in a return reason and as an entry's author
        "submission_contributions",  # the name of who handed in
    }
    everything = all_rows(cli_database)
    assert ANNA not in everything and str(ANNA_TG) not in everything
    assert BERND in everything and str(BERND_TG) in everything  # nobody else is touched
    with make_session_factory(cli_database)() as session:
        anna = session.get_one(Contact, people.anna)
        assert (anna.name, anna.telegram_user_id, anna.active) == (alias, None, False)
        assert session.scalars(select(Submission.contact_id)).all() == [people.anna]
        assert session.scalars(select(Submission.return_reason)).one() == (
            f"{alias}: bitte das Datum ergänzen"
        )
        erase = session.scalars(select(AuditLog).where(AuditLog.action == "erase")).one()
        assert (erase.actor, erase.entity, erase.entity_id) == ("cli", "contacts", people.anna)
        assert erase.after is not None and erase.after["erased"]["telegram_ids"] == 1
        redeemed = session.scalars(
            select(AuditLog).where(
                AuditLog.field == "telegram_user_id", AuditLog.entity_id == people.anna
            )
        ).one()
        assert (redeemed.actor, redeemed.after) == (alias, "[gelöscht]")
        sent = session.scalars(
            select(Notification.kind).where(Notification.contact_id == people.anna)
        ).all()
        assert sent == ["prompt"]  # the record of what was sent stays; the unsent reminder went
        bernd = session.get_one(Conversation, -BERND_TG)
        assert bernd.data == {"pending": {"name": alias, "chat": "[gelöscht]"}}
    again = run_nhr("contacts", "erase", str(people.anna), "--yes")
    assert again.code == 1 and "bereits gelöscht" in again.err


def test_erasing_a_coordinator_drops_their_copy_of_review_messages(
    people: People, cli_database: Engine
) -> None:
    run = run_nhr("contacts", "erase", BERND, "--yes")
    assert run.code == 0, run.output
    everything = all_rows(cli_database)
    assert BERND not in everything and str(BERND_TG) not in everything
    assert ANNA in everything
    with make_session_factory(cli_database)() as session:
        review = session.scalars(select(Notification).where(Notification.kind == "review")).one()
        assert review.payload["messages"] == {}
        approval = session.scalars(
            select(AuditLog).where(AuditLog.entity == "submissions", AuditLog.field == "state")
        ).one()
        assert approval.actor == f"gelöschte Person #{people.bernd}"


def test_the_erased_person_can_no_longer_use_an_old_invitation_link(
    people: People, cli_database: Engine
) -> None:
    sessions = make_session_factory(cli_database)
    with sessions.begin() as session:
        code = session.scalars(select(Department.code)).first()
        assert code is not None
        _, token = create_invitation(
            session,
            name="Dora Neu",
            department_codes=[code],
            role=Role.CONTACT,
            now=NOW,
            auditor=Auditor(session, actor="cli", now=NOW),
        )
    assert run_nhr("contacts", "erase", "Dora Neu", "--yes").code == 0
    from core.contacts import ContactError

    with sessions() as session, pytest.raises(ContactError):
        redeem_invitation(session, token, 700100999, NOW + timedelta(days=1))


def test_erasing_a_shorter_name_leaves_a_longer_one_that_contains_it(
    people: People, cli_database: Engine
) -> None:
    with make_session_factory(cli_database).begin() as session:
        add_contact(session, "Anna", [])
    run = run_nhr("contacts", "erase", "anna", "--yes")
    assert run.code == 0, run.output
    with make_session_factory(cli_database)() as session:
        redeemed = session.scalars(
            select(AuditLog).where(
                AuditLog.field == "telegram_user_id", AuditLog.entity_id == people.anna
            )
        ).one()
        assert redeemed.actor == ANNA
        assert session.get_one(Contact, people.anna).name == ANNA
