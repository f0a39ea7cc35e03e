"""Portable backups: every row comes back exactly, on SQLite and PostgreSQL and between them,
from one consistent moment, and a restore refuses what it cannot load without changing a row."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, Engine, LargeBinary, Numeric, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from support.guarded import State, table_checksums
from support.snapshots import Snapshots, import_demo

from core.backup import (
    BackupError,
    checksums,
    column_kind,
    decode_value,
    encode_value,
    read_manifest,
    restore_backup,
    write_backup,
)
from core.db import make_engine, make_session_factory
from core.models import (
    AuditLog,
    Base,
    Contact,
    Conversation,
    Department,
    Edition,
    Invitation,
    Notification,
    Project,
    Role,
    Submission,
    SubmissionState,
)

NOW = datetime(2026, 12, 6, 17, 3, 12, 123456, tzinfo=UTC)
BIG_TELEGRAM_ID = 7_123_456_789_012


def bot_data(sessions: sessionmaker[Session]) -> None:
    """What weeks of the bot leave beside an imported edition: a bound contact, an invitation,
    a conversation, a submission, notifications and audit rows, with emoji, a big Telegram id,
    microseconds, SQL NULL and JSON null."""
    with sessions.begin() as session:
        department = session.scalars(select(Department).order_by(Department.id)).first()
        project = session.scalars(select(Project).order_by(Project.id)).first()
        edition = session.scalars(select(Edition).order_by(Edition.cutoff.desc())).first()
        assert department and project and edition
        anna = Contact(
            name="Anna Öztürk 🌱",
            telegram_user_id=BIG_TELEGRAM_ID,
            role=Role.COORDINATOR,
            created_at=NOW,
        )
        anna.departments = [department]
        session.add(anna)
        session.flush()
        session.add_all(
            [
                Invitation(
                    token_hash="a" * 64,
                    contact_id=anna.id,
                    created_at=NOW,
                    expires_at=NOW + timedelta(days=14),
                    used_at=NOW + timedelta(hours=1),
                ),
                Conversation(
                    telegram_user_id=BIG_TELEGRAM_ID,
                    state="edit:text",
                    data={"text": "Läuft nach Plan 🌱👍", "ids": [1, 2], "none": None},
                    updated_at=NOW,
                ),
                Submission(
                    edition_id=edition.id,
                    project_id=project.id,
                    contact_id=anna.id,
                    state=SubmissionState.SUBMITTED,
                    base_version=project.version,
                    changes={"status": "umgesetzt", "remark": "‏مرحبا‎ — 漢字"},
                    created_at=NOW,
                    updated_at=NOW,
                    submitted_at=NOW,
                ),
                Notification(
                    key="prompt:2025-10-01:1",
                    kind="prompt",
                    edition_cutoff=date(2025, 10, 1),
                    contact_id=anna.id,
                    due_at=NOW,
                    sent_at=NOW,
                    attempts=1,
                    payload={"n": 3},
                ),
                Notification(
                    key="reminder:2025-10-01:1w:1",
                    kind="reminder",
                    edition_cutoff=date(2025, 10, 1),
                    contact_id=anna.id,
                    due_at=NOW + timedelta(days=7),
                    last_error="429 Too Many Requests",
                    payload={},
                ),
                # Explicit None is stored as JSON null; an unset column stays SQL NULL.
                AuditLog(
                    at=NOW,
                    actor="Anna",
                    action="update",
                    entity="projects",
                    entity_id=project.id,
                    field="remark",
                    before=None,
                    after="neu",
                ),
                AuditLog(at=NOW, actor="cli", action="approve", entity="submissions"),
            ]
        )


def json_nulls(engine: Engine) -> tuple[int, int]:
    """Audit rows whose ``before`` is SQL NULL, and those whose ``before`` is JSON null."""
    with engine.connect() as conn:
        sql_null = conn.execute(text("select count(*) from audit_log where before is null"))
        json_null = conn.execute(
            text("select count(*) from audit_log where cast(before as text) = 'null'")
        )
        return int(sql_null.scalar_one()), int(json_null.scalar_one())


@pytest.fixture
def filled(engine: Engine, db_snapshot) -> Engine:
    """The demo edition and the bot's data, on the backend under test."""
    db_snapshot("demo", import_demo)
    bot_data(make_session_factory(engine))
    return engine


@pytest.fixture
def target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A second, empty database (no schema yet) of the backend under test."""
    if backend == "postgresql":
        yield request.getfixturevalue("empty_engine")
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_target(snapshots: Snapshots) -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database, whatever the backend under test."""
    with snapshots.postgres_engine() as engine:
        yield engine


def test_every_model_column_has_a_written_form() -> None:
    kinds = {column_kind(c.type) for t in Base.metadata.sorted_tables for c in t.columns}
    assert kinds <= {"int", "bool", "str", "date", "datetime", "json"}


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (LargeBinary(), b"\x00\xffPDF"),
        (Numeric(), __import__("decimal").Decimal("12345678901234567890.0001")),
        (JSON(), '{"a": [1, null]}'),
    ],
)
def test_values_of_other_kinds_are_written_losslessly(type_, value) -> None:
    kind = column_kind(type_)
    written = json.loads(json.dumps(encode_value(kind, value)))
    assert decode_value(kind, written) == value


@pytest.mark.slow
def test_a_restored_backup_holds_every_row_as_it_was(
    filled: Engine, target: Engine, tmp_path: Path
) -> None:
    before = table_checksums(filled)
    manifest = write_backup(filled, tmp_path / "a.nhrbak", NOW)
    assert manifest.tables["contacts"].rows == 1
    assert manifest.database == filled.dialect.name
    restore_backup(target, tmp_path / "a.nhrbak")
    assert table_checksums(target) == before
    assert json_nulls(target) == json_nulls(filled)
    assert all(json_nulls(filled)), "both SQL NULL and JSON null are there to tell apart"


@pytest.mark.slow
def test_new_rows_after_a_restore_get_fresh_ids(
    filled: Engine, target: Engine, tmp_path: Path
) -> None:
    write_backup(filled, tmp_path / "a.nhrbak", NOW)
    restore_backup(target, tmp_path / "a.nhrbak")
    with make_session_factory(target).begin() as session:
        largest = session.scalar(select(func.max(AuditLog.id)))
        row = AuditLog(at=NOW, actor="cli", action="test", entity="x")
        session.add(row)
        session.flush()
        assert largest is not None and row.id == largest + 1


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_sqlite_pilot_moves_to_postgresql_and_back_with_identical_tables_and_editions(
    filled: Engine, postgres_target: Engine, tmp_path: Path
) -> None:
    pilot = State.of(filled)
    first = write_backup(filled, tmp_path / "pilot.nhrbak", NOW)
    restore_backup(postgres_target, tmp_path / "pilot.nhrbak")
    moved = write_backup(postgres_target, tmp_path / "moved.nhrbak", NOW)
    assert moved.database == "postgresql"
    assert moved.checksums() == first.checksums()
    assert State.of(postgres_target).html == pilot.html
    assert json_nulls(postgres_target) == json_nulls(filled)
    back = make_engine(f"sqlite:///{tmp_path / 'back.sqlite3'}")
    try:
        restore_backup(back, tmp_path / "moved.nhrbak")
        assert State.of(back) == pilot
        assert checksums(back) == first.checksums()
    finally:
        back.dispose()


def test_a_backup_sees_one_moment_while_others_write(filled: Engine, tmp_path: Path) -> None:
    writer = make_session_factory(filled)
    count_before = json_nulls(filled)
    seen: list[str] = []

    def write_meanwhile(table: str) -> None:
        seen.append(table)
        if len(seen) == 1:  # audit_log is read later than the first table
            with writer.begin() as session:
                session.add(AuditLog(at=NOW, actor="bot", action="update", entity="x"))

    manifest = write_backup(filled, tmp_path / "a.nhrbak", NOW, progress=write_meanwhile)
    assert seen[0] != "audit_log"
    with filled.connect() as conn:
        rows_now = conn.execute(text("select count(*) from audit_log")).scalar_one()
    assert manifest.tables["audit_log"].rows == rows_now - 1
    assert json_nulls(filled) == (count_before[0] + 1, count_before[1])


@pytest.mark.slow
def test_restoring_into_a_filled_database_is_refused_and_changes_nothing(
    filled: Engine, tmp_path: Path
) -> None:
    write_backup(filled, tmp_path / "a.nhrbak", NOW)
    with make_session_factory(filled).begin() as session:
        session.add(AuditLog(at=NOW, actor="cli", action="later", entity="x"))
    before = table_checksums(filled)
    with pytest.raises(BackupError, match=r"nicht leer .* --replace"):
        restore_backup(filled, tmp_path / "a.nhrbak")
    assert table_checksums(filled) == before


@pytest.mark.slow
def test_replace_empties_the_database_first(filled: Engine, tmp_path: Path) -> None:
    saved = table_checksums(filled)
    write_backup(filled, tmp_path / "a.nhrbak", NOW)
    with make_session_factory(filled).begin() as session:
        session.add(AuditLog(at=NOW, actor="cli", action="later", entity="x"))
        session.delete(session.scalars(select(Contact)).one())
    restore_backup(filled, tmp_path / "a.nhrbak", replace=True)
    assert table_checksums(filled) == saved


def _rewrite(path: Path, target: Path, change) -> None:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item.filename, change(item.filename, source.read(item.filename)))


def test_an_archive_of_another_schema_revision_is_refused_in_german(
    engine: Engine, tmp_path: Path
) -> None:
    write_backup(engine, tmp_path / "a.nhrbak", NOW)

    def older(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["revision"] = "0002"
        return json.dumps(manifest).encode()

    _rewrite(tmp_path / "a.nhrbak", tmp_path / "old.nhrbak", older)
    with pytest.raises(BackupError, match="Schemastand 0002"):
        restore_backup(engine, tmp_path / "old.nhrbak")


def test_a_damaged_archive_is_refused_before_any_row_changes(
    filled: Engine, tmp_path: Path
) -> None:
    write_backup(filled, tmp_path / "a.nhrbak", NOW)

    def damaged(name: str, data: bytes) -> bytes:
        return data.replace(b"Anna", b"Otto") if name == "tables/contacts.jsonl" else data

    _rewrite(tmp_path / "a.nhrbak", tmp_path / "bad.nhrbak", damaged)
    before = table_checksums(filled)
    with pytest.raises(BackupError, match=r"beschädigt .*contacts"):
        restore_backup(filled, tmp_path / "bad.nhrbak", replace=True)
    assert table_checksums(filled) == before


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7", b"Stand: 01.10.2025\n"])
def test_a_file_that_is_no_archive_is_named_as_such(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.nhrbak").write_bytes(content)
    with pytest.raises(BackupError, match="keine Sicherung von nhr"):
        read_manifest(tmp_path / "x.nhrbak")


def test_an_unwritable_target_is_a_german_message_and_leaves_no_file(
    engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match="nicht schreibbar"):
        write_backup(engine, tmp_path / "missing" / "a.nhrbak", NOW)
    assert not (tmp_path / "missing").exists()
