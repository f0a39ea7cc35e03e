"""Importing history: renames, projects that vanish, and older editions imported late.

The real case (issue #10, item 3): 2023's 6.1.2.3 "Smart Country-Rahmenstrategie" continues in
2025 as 6.1.2.2 "Smart Country-Steuerungsmodell". The 2025 edition prints five dropped projects,
not six, whatever was imported before or after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import postgres_url
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from support.seeds import CUTOFF_2025, SEED_2023, SEED_2025, require_seed

from core.admin import drop_project
from core.assembly import assemble_edition
from core.audit import Auditor
from core.config import get_settings
from core.db import make_engine, make_session_factory
from core.fuzzydate_parse import parse_fuzzy_date
from core.importer import ImportReport, import_parsed
from core.importer.parse import parse_edition
from core.importer.parsed import ParsedArchivedImplemented, ParsedEdition, ParsedProject
from core.models import AuditLog, Project, utcnow
from core.status import Status
from nhr import cli

#: Each imports real editions or builds whole sites: seconds per test (fast lane skips them).
pytestmark = pytest.mark.slow


OLD_TITLE = "Smart Country-Rahmenstrategie"
NEW_TITLE = "Smart Country-Steuerungsmodell"
NEXT_CUTOFF = date(2025, 10, 1)


def _parsed(path: Path) -> ParsedEdition:
    return parse_edition(require_seed(path).read_text(encoding="utf-8"))


def _import(sessions: sessionmaker[Session], parsed: ParsedEdition) -> ImportReport:
    with sessions.begin() as session:
        return import_parsed(session, parsed, now=utcnow())


def _archive(
    sessions: sessionmaker[Session], cutoff: date = CUTOFF_2025
) -> tuple[list[tuple[str, date, str]], list[tuple[str, str, date]]]:
    with sessions() as session:
        ed = assemble_edition(session, cutoff)
    return (
        [(r.title, r.report, r.number) for r in ed.archive_implemented],
        [(r.title, r.reason, r.last_mention) for r in ed.archive_dropped],
    )


def _day(text: str) -> date:
    return parse_fuzzy_date(text).start


def _printed_archive(
    parsed: ParsedEdition,
) -> tuple[list[tuple[str, date, str]], list[tuple[str, str, date]]]:
    """The archive as the edition's own text prints it (read by the parser, not the database)."""
    return (
        [(r.title, _day(r.report_text), r.number) for r in parsed.archive_implemented],
        [(r.title, r.reason, _day(r.last_mention_text)) for r in parsed.archive_dropped],
    )


# -- (a) a project that disappears ------------------------------------------------------------


def test_a_vanished_project_waits_for_a_reason_and_names_its_likely_successor(
    sessions: sessionmaker[Session],
) -> None:
    edition_2025 = _parsed(SEED_2025)
    _import(sessions, _parsed(SEED_2023))
    report = _import(sessions, edition_2025)

    assert [(d.title, d.number, d.last_mention) for d in report.disappeared] == [
        (OLD_TITLE, "6.1.2.3", date(2023, 10, 1))
    ]
    gone = report.disappeared[0]
    best = gone.successors[0]
    assert (best.number, best.title, best.new) == ("6.1.2.2", NEW_TITLE, True)
    assert all(best.score > other.score for other in gone.successors[1:])
    assert report.warnings == []

    printed_dropped = _printed_archive(edition_2025)[1]
    assert sorted(_archive(sessions)[1]) == sorted(printed_dropped)
    # nor in the next edition, still being collected, until the coordinator gives a reason
    assert sorted(_archive(sessions, NEXT_CUTOFF)[1]) == sorted(printed_dropped)
    with sessions.begin() as session:
        project = session.get_one(Project, gone.project_id)
        # a disappearance alone changes nothing: the 2023 status stands (issue 16)
        assert (project.status, project.drop_reason) == (Status.IN_BEARBEITUNG, None)
        drop_project(
            session,
            Auditor(session, actor="test", now=utcnow()),
            project.id,
            "ersetzt durch Projekt „Smart Country-Steuerungsmodell“",
            today=date(2025, 6, 16),
        )
    dropped_next = _archive(sessions, NEXT_CUTOFF)[1]
    assert (
        "Smart Country Rahmenstrategie",
        "ersetzt durch Projekt „Smart Country-Steuerungsmodell“",
        date(2023, 10, 1),
    ) in dropped_next


def test_an_older_edition_reports_what_no_newer_one_continues_with_its_successor(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _parsed(SEED_2025))
    report = _import(sessions, _parsed(SEED_2023))
    assert not report.is_current
    assert [(d.title, d.number, d.project_id) for d in report.disappeared] == [
        (OLD_TITLE, "6.1.2.3", None)
    ]
    assert report.disappeared[0].successors[0].title == NEW_TITLE


# -- (c) the newer edition's printed archive ----------------------------------------------------


@pytest.mark.parametrize("older", ["not at all", "before", "after"])
def test_the_2025_archive_is_the_printed_one_whenever_2023_is_imported(
    sessions: sessionmaker[Session],
    older: str,
) -> None:
    edition_2025 = _parsed(SEED_2025)
    if older == "before":
        _import(sessions, _parsed(SEED_2023))
    _import(sessions, edition_2025)
    if older == "after":
        _import(sessions, _parsed(SEED_2023))
    implemented, dropped = _archive(sessions)
    printed_implemented, printed_dropped = _printed_archive(edition_2025)
    assert (len(printed_implemented), len(printed_dropped)) == (20, 5)
    assert sorted(implemented) == sorted(printed_implemented)
    assert sorted(dropped) == sorted(printed_dropped)


def test_an_older_edition_cannot_move_or_add_rows_of_a_newer_archive(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _parsed(SEED_2025))
    before = _archive(sessions)
    older = _parsed(SEED_2023)
    # 2025 archives "Ergänzung von Gewässerpegeln …" as last printed on 01.04.2023 (1.3.1.1);
    # an older text claiming it was printed on 01.10.2023 must not move that row ...
    goal = next(g for f in older.fields for g in f.goals if g.number == "1.3")
    goal.projects.append(
        ParsedProject(
            number="1.3.1.9",
            title="Ergänzung von Gewässerpegeln zu Hochwasservorsorge",
            status=Status.UMGESETZT,
            line=9001,
        )
    )
    # ... and an archive row that 2025 does not print must not appear in 2025's archive.
    older.archive_implemented.append(
        ParsedArchivedImplemented(
            field_title="Klima/Energie/Umwelt",
            title="Nur-2023-Projekt",
            report_text="01.04.2023",
            number="1.1.1.1",
            line=9002,
        )
    )
    report = _import(sessions, older)
    assert _archive(sessions) == before
    assert any("Gewässerpegeln" in w and "1.3.1.9" in w for w in report.warnings)
    assert any("Nur-2023-Projekt" in w for w in report.warnings)


# -- (b) nhr import-report --same, end to end ----------------------------------------------------


@pytest.fixture
def database_url(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database of the backend, as the ``nhr`` command finds it (DATABASE_URL)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'nhr.sqlite3'}"
        schema = None
    else:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        base = postgres_url()
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    if schema is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _nhr(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _smart_country(url: str) -> tuple[list[tuple[int, str, dict[str, str | None]]], int, int]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            projects = [
                (p.id, p.title, {h.edition.cutoff.isoformat(): h.number for h in p.history})
                for p in session.scalars(
                    select(Project)
                    .where(Project.title.like("Smart Country-%"))
                    .order_by(Project.id)
                )
            ]
            count = session.scalar(select(func.count()).select_from(Project)) or 0
            audits = session.scalar(select(func.count()).select_from(AuditLog)) or 0
            dropped = len(assemble_edition(session, CUTOFF_2025).archive_dropped)
            assert dropped == 5
            return projects, count, audits
    finally:
        engine.dispose()


def test_import_report_same_links_a_rename_and_keeps_its_history(
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_2023, seed_2025 = str(require_seed(SEED_2023)), str(require_seed(SEED_2025))
    assert _nhr(capsys, "import-report", "--quiet", seed_2023)[0] == 0
    rc, out, _ = _nhr(
        capsys,
        "import-report",
        "--quiet",
        seed_2025,
        "--same",
        "Smart Country Rahmenstrategie = Smart Country-Steuerungsmodell",
    )
    assert rc == 0
    assert "verknüpft (--same): 1" in out
    assert "nicht mehr vor" not in out
    projects, count, audits = _smart_country(database_url)
    assert [(t, h) for _, t, h in projects] == [
        (NEW_TITLE, {"2023-10-01": "6.1.2.3", "2025-04-01": "6.1.2.2"})
    ]

    # the same command again changes nothing
    rc, out, _ = _nhr(
        capsys,
        "import-report",
        "--quiet",
        seed_2025,
        "--same",
        "Smart Country Rahmenstrategie=Smart Country-Steuerungsmodell",
    )
    assert rc == 0
    assert _smart_country(database_url) == (projects, count, audits)


def test_import_report_names_the_successor_and_same_joins_the_two_projects_later(
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_2023, seed_2025 = str(require_seed(SEED_2023)), str(require_seed(SEED_2025))
    assert _nhr(capsys, "import-report", "--quiet", seed_2023)[0] == 0
    rc, out, _ = _nhr(capsys, "import-report", "--quiet", seed_2025)
    assert rc == 0
    assert f"6.1.2.3 „{OLD_TITLE}“ (zuletzt Stand 01.10.2023) kommt in dieser Ausgabe" in out
    hint = out.split("Mögliche Nachfolger:\n", 1)[1].splitlines()
    assert hint[0].startswith(f"    6.1.2.2 „{NEW_TITLE}“ (neu, Ähnlichkeit ")
    assert f"--same '{OLD_TITLE}={NEW_TITLE}'" in out
    (old_id, _, _), (new_id, _, _) = _smart_country(database_url)[0]

    # a --same that names nothing is refused and nothing is written
    before = _smart_country(database_url)
    rc, _, err = _nhr(
        capsys,
        "import-report",
        "--quiet",
        seed_2025,
        "--same",
        "Smart Country Rahmenplan=Smart Country-Steuerungsmodell",
    )
    assert rc == 2
    assert "kein Projekt „Smart Country Rahmenplan“" in err
    assert _smart_country(database_url) == before

    # the hint, followed: one project again, under the older stable id, with both numbers
    rc, out, _ = _nhr(
        capsys, "import-report", "--quiet", seed_2025, "--same", f"{OLD_TITLE}={NEW_TITLE}"
    )
    assert rc == 0
    projects, count, _ = _smart_country(database_url)
    assert projects == [(old_id, NEW_TITLE, {"2023-10-01": "6.1.2.3", "2025-04-01": "6.1.2.2"})]
    assert count == before[1] - 1
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        assert session.get(Project, new_id) is None
        ed = assemble_edition(session, CUTOFF_2025)
        block = next(p for p in ed.projects() if p.number == "6.1.2.2")
        assert (block.project_id, block.title) == (old_id, NEW_TITLE)
    engine.dispose()
