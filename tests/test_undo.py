"""``nhr undo`` returns to the state before the last import or publish, and undoing twice
returns to where one was; ``nhr backup``/``nhr restore`` on the command line; the daily
backups of ``nhr run`` on a fake clock."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from support.guarded import State, published_html, run_nhr
from support.guarded import table_checksums as all_checksums
from support.seeds import SEED_2025, require_seed
from support.snapshots import import_demo

from core.backup import RUNTIME_TABLES, read_manifest
from core.clock import FakeClock
from core.models import Base
from core.restore_points import daily_backup, list_points, take_point
from scheduler.backups import DAILY_BACKUP_JOB_ID, DailyBackups

NOW = datetime(2026, 12, 6, 17, 3, 12, tzinfo=UTC)
GERMAN_MOMENT = r"\d\d\.\d\d\.\d{4}, \d\d:\d\d"


@pytest.fixture(autouse=True)
def backup_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``BACKUP_DIR`` as the default (``backups`` in the working directory: ``cli_database``
    runs the commands in ``tmp_path``)."""
    monkeypatch.setenv("BACKUP_DIR", "backups")
    return tmp_path / "backups"


def table_checksums(engine: Engine) -> dict[str, str]:
    """Every table's checksum but the instance lock's (``nhr undo`` holds the lock while it
    runs, as ``nhr run`` does: that row is the process's, not the report's)."""
    sums = all_checksums(engine)
    sums.pop("instance_lock", None)
    return sums


def data_state(engine: Engine) -> State:
    """:class:`State` without the instance lock (see :func:`table_checksums`)."""
    sums = all_checksums(engine)
    html = published_html(engine, sums)
    sums.pop("instance_lock", None)
    return State(sums, html)


def publish_next(code: int = 0) -> None:
    run = run_nhr("edition", "publish", "--edition", "2025-10-01")
    assert run.code == code, run.output


@pytest.mark.slow
def test_undo_after_a_publish_restores_the_state_before_and_a_second_undo_the_state_after(
    cli_database: Engine, db_snapshot
) -> None:
    db_snapshot("demo", import_demo)
    before = data_state(cli_database)
    publish_next()
    after = data_state(cli_database)
    assert "2025-10-01" in after.html and after != before

    undo = run_nhr("undo")
    assert undo.code == 0, undo.output
    assert "vor „edition publish“" in undo.out
    assert data_state(cli_database) == before

    assert run_nhr("undo").code == 0
    assert data_state(cli_database) == after


@pytest.mark.slow
def test_undo_after_an_import_empties_the_database_again_and_undo_brings_the_import_back(
    cli_database: Engine,
) -> None:
    seed = require_seed(SEED_2025)
    before = table_checksums(cli_database)
    imported = run_nhr("import-report", "--quiet", str(seed))
    assert imported.code == 0, imported.output
    after = data_state(cli_database)

    assert run_nhr("undo").code == 0
    assert table_checksums(cli_database) == before
    assert run_nhr("undo").code == 0
    assert data_state(cli_database) == after


@pytest.mark.slow
def test_a_refused_command_leaves_no_restore_point(cli_database: Engine, db_snapshot) -> None:
    db_snapshot("demo", import_demo)
    publish = run_nhr("edition", "publish", "--edition", "2025-04-01")  # already published
    assert publish.code == 2
    assert run_nhr("import-report", "fehlt.txt").code == 2
    assert list_points(Path("backups")) == []
    listing = run_nhr("undo", "--list")
    assert listing.code == 0 and "Keine Wiederherstellungspunkte" in listing.out


def test_undo_without_a_restore_point_says_so_and_changes_nothing(
    cli_database: Engine, db_snapshot
) -> None:
    db_snapshot("demo", import_demo)
    before = table_checksums(cli_database)
    run = run_nhr("undo")
    assert run.code == 1
    assert "keinen Wiederherstellungspunkt" in run.err
    assert table_checksums(cli_database) == before


@pytest.mark.slow
def test_the_list_shows_each_point_with_a_german_time_and_the_dry_run_changes_nothing(
    cli_database: Engine, db_snapshot
) -> None:
    db_snapshot("demo", import_demo)
    publish_next()
    after = table_checksums(cli_database)
    listing = run_nhr("undo", "--list")
    assert re.search(rf"1\. {GERMAN_MOMENT}, vor „edition publish“", listing.out), listing.out
    assert "-vor-edition-publish.nhrbak" in listing.out
    dry = run_nhr("undo", "--dry-run")
    assert dry.code == 0
    assert re.search(rf"Würde wiederherstellen: {GERMAN_MOMENT}, vor „edition publish“", dry.out)
    assert table_checksums(cli_database) == after
    assert len(list_points(Path("backups"))) == 1


def test_a_command_whose_restore_point_cannot_be_written_does_not_run(
    cli_database: Engine, db_snapshot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db_snapshot("demo", import_demo)
    (tmp_path / "kein-ordner").write_text("")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "kein-ordner"))
    before = table_checksums(cli_database)
    run = run_nhr("edition", "publish", "--edition", "2025-10-01")
    assert run.code == 1
    assert "BACKUP_DIR" in run.err and "nicht ausgeführt" in run.err
    assert table_checksums(cli_database) == before


@pytest.mark.parametrize("backend", ["sqlite"])
def test_only_the_newest_restore_points_are_kept(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for minute in range(4):
        take_point(engine, folder, f"befehl {minute}", NOW + timedelta(minutes=minute), 2)
    assert [p.command for p in list_points(folder)] == ["befehl 3", "befehl 2"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-12-06T17-05-12Z-vor-befehl-2.nhrbak",
        "2026-12-06T17-06-12Z-vor-befehl-3.nhrbak",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_backup_and_restore_on_the_command_line_move_a_database(
    cli_database: Engine, db_snapshot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db_snapshot("demo", import_demo)
    pilot = data_state(cli_database)
    written = run_nhr("backup", "pilot.nhrbak")
    assert written.code == 0
    tables = len(Base.metadata.tables.keys() - RUNTIME_TABLES)  # every table of the model
    assert re.search(
        rf"Stand {GERMAN_MOMENT} \(SQLite, Schemastand \w+\): \d+ Zeilen in "
        rf"{tables} Tabellen",
        written.out,
    ), written.out

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'neu.sqlite3'}")
    dry = run_nhr("restore", "pilot.nhrbak", "--dry-run")
    assert dry.code == 0
    assert "    projects: 123" in dry.out and "Nichts geändert" in dry.out
    loaded = run_nhr("restore", "pilot.nhrbak")
    assert loaded.code == 0, loaded.output
    assert "Wiederhergestellt aus pilot.nhrbak" in loaded.out

    from core.db import make_engine

    moved = make_engine(f"sqlite:///{tmp_path / 'neu.sqlite3'}")
    try:
        assert data_state(moved) == pilot
    finally:
        moved.dispose()
    again = run_nhr("restore", "pilot.nhrbak")
    assert again.code == 1
    assert "nicht leer" in again.err and "--replace" in again.err


def test_restoring_a_file_that_is_no_backup_is_one_german_line(cli_database: Engine) -> None:
    Path("report.txt").write_text("Stand: 01.10.2025\n", encoding="utf-8")
    run = run_nhr("restore", "report.txt")
    assert run.code == 1
    assert run.err.strip() == "report.txt ist keine Sicherung von nhr (nhr backup)."
    missing = run_nhr("restore", "fehlt.nhrbak")
    assert missing.err.strip() == "Sicherung nicht gefunden: fehlt.nhrbak"


# -- daily backups ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_one_backup_a_berlin_day_is_kept_for_the_retention(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)  # already 2 November in Berlin
    first = daily_backup(engine, folder, start, keep_days=14)
    assert first.written == folder / "2026-11-02-taeglich.nhrbak"
    assert daily_backup(engine, folder, start + timedelta(hours=12), 14).written is None
    for day in range(1, 20):
        daily_backup(engine, folder, start + timedelta(days=day), keep_days=14)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 14
    assert names[0] == "2026-11-08-taeglich.nhrbak"
    assert names[-1] == "2026-11-21-taeglich.nhrbak"
    assert read_manifest(folder / names[-1]).kind == "daily"


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_scheduled_job_writes_a_backup_a_day_on_its_clock(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

    clock = FakeClock(datetime(2026, 12, 6, 6, 0, tzinfo=UTC))
    backups = DailyBackups(engine, tmp_path / "backups", 2, clock)
    scheduler = AsyncIOScheduler(timezone=UTC)
    backups.schedule(scheduler)
    assert [job.id for job in scheduler.get_jobs()] == [DAILY_BACKUP_JOB_ID]

    for _hour in range(72):  # three days of hourly runs
        await backups.run()
        clock.advance(timedelta(hours=1))
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "2026-12-08-taeglich.nhrbak",
        "2026-12-09-taeglich.nhrbak",
    ]

    (tmp_path / "datei").write_text("")
    broken = DailyBackups(engine, tmp_path / "datei", 2, clock)
    with caplog.at_level(logging.ERROR):
        assert await broken.run() is None
    assert "daily backup failed" in caplog.text


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_nhr_runs_scheduler_holds_the_daily_backup_beside_the_due_check(
    engine: Engine, tmp_path: Path
) -> None:
    from telegram import Bot

    from core.db import make_session_factory
    from core.schedule import ScheduleConfig
    from scheduler.runner import DUE_CHECK_JOB_ID, build_runner

    clock = FakeClock(datetime(2026, 12, 6, 2, 0, tzinfo=UTC))  # a Sunday night: nothing is sent
    backups = DailyBackups(engine, tmp_path / "backups", 14, clock)
    runner = build_runner(
        Bot("123:abc"), make_session_factory(engine), clock, ScheduleConfig(), backups=backups
    )
    await runner.start()
    try:
        assert DAILY_BACKUP_JOB_ID in runner.job_ids()
        assert DUE_CHECK_JOB_ID in runner.job_ids()
    finally:
        await runner.shutdown()


@pytest.mark.slow
def test_undo_and_restore_wait_for_nhr_run_to_stop(cli_database: Engine, db_snapshot) -> None:
    from core.instance import InstanceGuard
    from core.models import utcnow

    db_snapshot("demo", import_demo)
    publish_next()
    run_nhr("backup", "stand.nhrbak")
    after = table_checksums(cli_database)
    guard = InstanceGuard(cli_database, "run")
    guard.acquire(utcnow())
    try:
        undo = run_nhr("undo")
        restore = run_nhr("restore", "stand.nhrbak", "--replace")
    finally:
        guard.release(utcnow())
    for refused in (undo, restore):
        assert refused.code == 1
        assert "läuft bereits „nhr run“" in refused.err
    assert table_checksums(cli_database) == after
    assert len(list_points(Path("backups"))) == 1
