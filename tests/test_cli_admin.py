"""``nhr project``, ``nhr department`` and ``nhr audit`` end to end on a temporary SQLite file.

The commands run as the console script runs them (settings from the environment, their own
engine); the clock is fixed to Monday, 16 June 2025, 10:00 in Soest.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from support.snapshots import Snapshots, import_demo

from core.clock import FakeClock
from core.config import get_settings
from core.db import make_engine, make_session_factory
from core.models import AuditLog, Project
from nhr import cli, cli_admin
from nhr import clock as nhr_clock

NOW = datetime(2025, 6, 16, 8, 0, tzinfo=UTC)  # 10:00 in Europe/Berlin
IMPORTED = datetime(2025, 4, 20, 9, 0, tzinfo=UTC)


def _wired() -> bool:
    commands = next(
        a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    return "project" in commands.choices


def nhr(*argv: str) -> int:
    """Run ``nhr ARGV``: through ``nhr.cli.main`` once the commands are wired into it."""
    if argv[0] not in ("project", "department", "audit") or _wired():
        return cli.main(list(argv))
    parser = argparse.ArgumentParser(prog="nhr")
    cli_admin.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args, cli.App(get_settings())))


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snapshots: Snapshots
) -> Iterator[str]:
    """The demo edition in a fresh SQLite file, imported "on 20.04.2025"."""
    url = f"sqlite:///{tmp_path / 'nhr.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TIMEZONE", "Europe/Berlin")
    monkeypatch.chdir(tmp_path)  # no stray .env
    get_settings.cache_clear()
    monkeypatch.setattr(nhr_clock, "CLOCK", FakeClock(NOW))
    assert cli.main(["db", "upgrade"]) == 0
    engine = make_engine(url)
    snapshots.restore("sqlite", "demo", import_demo, engine)  # the import, built once
    with make_session_factory(engine).begin() as session:
        session.execute(update(AuditLog).values(at=IMPORTED))
    engine.dispose()
    yield url
    get_settings.cache_clear()


def out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def project_id(url: str, title: str) -> int:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        pid = session.scalars(select(Project.id).where(Project.title == title)).one()
    engine.dispose()
    return pid


# -- nhr project --------------------------------------------------------------------------------


def test_project_create_prints_the_new_number_and_the_project_list_shows_it(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out(capsys)
    assert (
        nhr(
            "project",
            "create",
            "--field",
            "1",
            "--goal",
            "1.2",
            "--title",
            "Bürgerwindpark am Haarstrang",
            "--short-title",
            "Bürgerwindpark",
            "--department",
            "80.01",
            "--department",
            "wfg",
        )
        == 0
    )
    created = out(capsys)
    match = re.fullmatch(
        r"Projekt „Bürgerwindpark“ angelegt \(ID (\d+)\): Nr\. 1\.2\.3\.2 in der Ausgabe "
        r"Stand 01\.10\.2025\.\n",
        created,
    )
    assert match is not None, created

    assert nhr("project", "list", "--department", "wfg") == 0
    lines = out(capsys).splitlines()
    assert lines[0] == "Ausgabe Stand 01.10.2025: 11 Projekte der Abteilung wfg"
    assert lines[1].split() == ["ID", "Nr.", "Status", "Abteilungen", "Projekt"]
    row = next(line for line in lines if line.endswith("Bürgerwindpark"))
    assert row.split() == [match[1], "1.2.3.2", "in", "Planung", "80.01,", "wfg", "Bürgerwindpark"]
    numbers = [line.split()[1] for line in lines[2:]]
    assert numbers == sorted(numbers, key=lambda n: tuple(int(x) for x in n.split(".")))


def test_project_list_shows_the_whole_edition_in_number_order(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out(capsys)
    assert nhr("project", "list") == 0
    lines = out(capsys).splitlines()
    assert lines[0] == "Ausgabe Stand 01.10.2025: 93 Projekte"
    first = lines[2].split()
    assert first[1:] == ["1.1.2.1", "in", "Bearbeitung", "80.01", "Klimaschutzkonzept", "2.0"]


def test_project_edit_says_how_many_changes_it_saved(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = project_id(database, "Klimaschutzkonzept 2.0")
    out(capsys)
    assert (
        nhr(
            "project",
            "edit",
            str(pid),
            "--title",
            "Klimaschutzkonzept 2.0 (Fortschreibung)",
            "--department",
            "80.01",
            "--department",
            "wfg",
            "--actor",
            "Kora Koordination",
        )
        == 0
    )
    assert out(capsys) == (
        f"Projekt „Klimaschutzkonzept 2.0“ (ID {pid}): 2 Änderungen gespeichert.\n"
    )
    assert nhr("project", "edit", str(pid), "--department", "80.01", "--department", "wfg") == 0
    assert out(capsys) == (
        f"Projekt „Klimaschutzkonzept 2.0“ (ID {pid}): keine Änderung, die Werte waren schon so.\n"
    )


def test_project_drop_and_keep_say_where_the_project_will_appear(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dropped = project_id(database, "Klimaschutzkonzept 2.0")
    completed = project_id(database, "Energieberatung für kreiseigene Gebäude")
    out(capsys)
    assert nhr("project", "drop", str(dropped), "--reason", "Daueraufgabe") == 0
    assert nhr("project", "keep", str(completed)) == 0
    assert out(capsys).splitlines() == [
        f"Projekt „Klimaschutzkonzept 2.0“ (ID {dropped}) ist entfallen. Es steht künftig im "
        "Archiv unter „Entfallene Projekte“ mit dem Grund „Daueraufgabe“.",
        f"Projekt „Energieberatung für kreiseigene Gebäude“ (ID {completed}) bleibt bis "
        "einschließlich der Ausgabe Stand 01.10.2025 im Report.",
    ]
    assert nhr("project", "list") == 0
    listing = out(capsys)
    assert "Klimaschutzkonzept 2.0" not in listing
    assert re.search(rf"\b{completed}\s+1\.1\.1\.1\s+umgesetzt\s+65\s+Energieberatung", listing)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [
                "project",
                "create",
                "--field",
                "1",
                "--goal",
                "1.9",
                "--title",
                "T",
                "--short-title",
                "T",
                "--department",
                "80.01",
            ],
            "Ziel 1.9 gibt es nicht. Ziele: 1.1, 1.2, 1.3, 1.4.",
        ),
        (
            [
                "project",
                "create",
                "--field",
                "1",
                "--goal",
                "1.2",
                "--title",
                "T",
                "--short-title",
                "T",
                "--department",
                "80.99",
            ],
            "Die Abteilung „80.99“ ist unbekannt.",
        ),
        (
            ["project", "edit", "9999", "--title", "Neu"],
            "Ein Projekt mit der ID 9999 gibt es nicht.",
        ),
        (["project", "edit", "1"], "Bitte geben Sie an, was geändert werden soll."),
        (["project", "drop", "1", "--reason", "  "], "Bitte geben Sie einen Grund an."),
        (["project", "list", "--department", "xy"], "Die Abteilung „xy“ ist unbekannt."),
        (
            ["department", "add", "80.01", "--name", "Doppelt"],
            "Die Abteilung „80.01“ gibt es schon.",
        ),
        (["department", "deactivate", "wfg"], "Die Abteilung „wfg“ ist noch für 10 Projekte"),
    ],
)
def test_a_refused_command_explains_why_in_german_and_exits_with_2(
    database: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out(capsys)
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        entries = session.scalar(select(func.count()).select_from(AuditLog))
    assert nhr(*argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == entries
    engine.dispose()


def test_keep_refuses_a_project_that_is_not_completed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = project_id(database, "Klimaschutzkonzept 2.0")
    assert nhr("project", "keep", str(pid)) == 2
    assert capsys.readouterr().err == (
        "Nur umgesetzte Projekte können länger im Report bleiben; „Klimaschutzkonzept 2.0“ "
        "ist nicht umgesetzt.\n"
    )


# -- nhr department -----------------------------------------------------------------------------


def test_departments_are_added_renamed_listed_and_deactivated(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out(capsys)
    assert nhr("department", "add", "80.05", "--name", "Nachhaltigkeitsbüro") == 0
    assert nhr("department", "rename", "80.05", "--name", "Büro für Nachhaltigkeit") == 0
    assert nhr("department", "list") == 0
    assert nhr("department", "deactivate", "80.05") == 0
    lines = out(capsys).splitlines()
    assert lines[:2] == [
        "Abteilung „80.05“ (Nachhaltigkeitsbüro) angelegt.",
        "Abteilung „80.05“ heißt jetzt „Büro für Nachhaltigkeit“.",
    ]
    assert lines[2].split() == ["Kürzel", "Projekte", "Personen", "aktiv", "Name"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:-2]}
    assert rows["80.05"] == ["0", "0", "ja", "Büro", "für", "Nachhaltigkeit"]
    assert rows["wfg"] == ["10", "0", "ja", "–"]
    assert lines[-2] == "Projekte: in der Ausgabe Stand 01.10.2025; Personen: aktive."
    assert lines[-1] == "Abteilung „80.05“ ist deaktiviert."


# -- nhr audit ----------------------------------------------------------------------------------


def test_audit_lists_the_newest_changes_first_in_local_time(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = project_id(database, "Klimaschutzkonzept 2.0")
    assert (
        nhr(
            "project",
            "edit",
            str(pid),
            "--short-title",
            "Klimaschutzkonzept",
            "--actor",
            "Kora Koordination",
        )
        == 0
    )
    assert nhr("department", "add", "80.05", "--name", "Nachhaltigkeitsbüro") == 0
    out(capsys)
    assert nhr("audit", "--since", "2025-06-16", "--limit", "5") == 0
    assert out(capsys).splitlines() == [
        "16.06.2025, 10:00  cli  angelegt  departments "
        + str(_department_id(database, "80.05"))
        + '  {"code": "80.05", "name": "Nachhaltigkeitsbüro"}',
        f"16.06.2025, 10:00  Kora Koordination  geändert  projects {pid}  "
        "short_title: „Klimaschutzkonzept 2.0“ → „Klimaschutzkonzept“",
    ]
    assert nhr("audit", "--entity", "projects", "--limit", "1") == 0
    assert out(capsys).splitlines() == [
        f"16.06.2025, 10:00  Kora Koordination  geändert  projects {pid}  "
        "short_title: „Klimaschutzkonzept 2.0“ → „Klimaschutzkonzept“",
        "(die neuesten 1 Einträge; mehr mit --limit oder --csv)",
    ]
    assert nhr("audit", "--since", "2025-06-17") == 0
    assert out(capsys) == "Keine Einträge gefunden.\n"


def _department_id(url: str, code: str) -> int:
    from core.models import Department

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        dep_id = session.scalars(select(Department.id).where(Department.code == code)).one()
    engine.dispose()
    return dep_id


def test_audit_csv_exports_every_matching_entry_with_utc_times_and_json_values(
    database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pid = project_id(database, "Klimaschutzkonzept 2.0")
    reason = "ersetzt durch „Klimaschutzkonzept 3.0“"
    assert nhr("project", "drop", str(pid), "--reason", reason) == 0
    out(capsys)
    target = tmp_path / "audit.csv"
    assert nhr("audit", "--entity", "projects", "--csv", str(target)) == 0
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        expected = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "projects")
        )
    engine.dispose()
    assert expected is not None and expected > 50  # more than a screen: the import's entries
    assert out(capsys) == f"{expected} Einträge nach {target} exportiert.\n"

    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "field",
        "before",
        "after",
    ]
    assert len(rows) == expected + 1
    newest = [dict(zip(rows[0], r, strict=True)) for r in rows[1:4]]
    assert [(r["at"], r["actor"], r["action"], r["entity"], r["entity_id"]) for r in newest] == [
        ("2025-06-16T08:00:00+00:00", "cli", "update", "projects", str(pid))
    ] * 3
    by_field = {r["field"]: (json.loads(r["before"]), json.loads(r["after"])) for r in newest}
    assert by_field == {
        "status": ("in_bearbeitung", "entfallen"),
        "status_since": ("2022-10-01", "2025-06-16"),
        "drop_reason": (None, reason),
    }
    assert {r[1] for r in rows[4:]} == {"2025-04-20T09:00:00+00:00"}
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == sorted(ids, reverse=True)


def test_audit_refuses_a_date_it_cannot_read(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        nhr("audit", "--since", "16.06.2025")
    assert exit_.value.code == 2
    assert "Datum bitte als JJJJ-MM-TT angeben, z. B. 2025-04-01." in capsys.readouterr().err
