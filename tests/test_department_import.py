"""``nhr department import FILE.csv``: the departments' names from a two-column file, as a
spreadsheet saves it; every bad line named in German and nothing saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from support.guarded import State, run_nhr

from core.db import make_session_factory
from core.models import AuditLog, Department


@pytest.fixture
def departments(cli_database: Engine) -> Engine:
    """Two departments known by code only, one with a name."""
    with make_session_factory(cli_database).begin() as session:
        session.add_all(
            [
                Department(code="65", name=""),
                Department(code="80.01", name=""),
                Department(code="PAD", name="Personalamt"),
            ]
        )
    return cli_database


def _names(engine: Engine) -> dict[str, str]:
    with make_session_factory(engine)() as session:
        return {d.code: d.name for d in session.scalars(select(Department))}


def test_a_semicolon_file_with_bom_and_header_names_the_departments(
    departments: Engine, tmp_path: Path
) -> None:
    csv = tmp_path / "abteilungen.csv"
    csv.write_bytes(
        "\ufeffKürzel;Name\n65;Umweltamt\n80.01;Wirtschaftsförderung\n"
        "PAD;Personalamt\nSTK;Stabsstelle Klima\n".encode()
    )
    run = run_nhr("department", "import", str(csv))
    assert run.code == 0
    assert "neu:         STK – Stabsstelle Klima" in run.out
    assert "umbenannt:   65 – „–“ → „Umweltamt“" in run.out
    assert "1 neu, 2 umbenannt, 1 unverändert." in run.out
    assert _names(departments) == {
        "65": "Umweltamt",
        "80.01": "Wirtschaftsförderung",
        "PAD": "Personalamt",
        "STK": "Stabsstelle Klima",
    }
    with make_session_factory(departments)() as session:
        audited = session.scalars(select(AuditLog.entity).where(AuditLog.actor == "cli")).all()
    assert audited.count("departments") == 3


def test_a_comma_file_in_windows_1252_is_read(departments: Engine, tmp_path: Path) -> None:
    csv = tmp_path / "abteilungen.csv"
    csv.write_bytes("65,Umwelt- und Gewässerschutz\n".encode("cp1252"))
    assert run_nhr("department", "import", str(csv)).code == 0
    assert _names(departments)["65"] == "Umwelt- und Gewässerschutz"


def test_a_dry_run_reports_and_saves_nothing(departments: Engine, tmp_path: Path) -> None:
    csv = tmp_path / "abteilungen.csv"
    csv.write_text("65;Umweltamt\n", encoding="utf-8")
    before = State.of(departments)
    run = run_nhr("department", "import", str(csv), "--dry-run")
    assert run.code == 0
    assert "0 neu, 1 umbenannt, 2 unverändert." not in run.out  # only the file's rows count
    assert "0 neu, 1 umbenannt, 0 unverändert." in run.out
    assert "Probelauf: nichts gespeichert." in run.out
    assert before.changed_tables(State.of(departments)) == []


def test_bad_lines_are_named_and_nothing_is_saved(departments: Engine, tmp_path: Path) -> None:
    csv = tmp_path / "abteilungen.csv"
    csv.write_text("65;Umweltamt\n80.01\n;Ohne Kürzel\n65;Anderer Name\nX;Y;Z\n", encoding="utf-8")
    before = State.of(departments)
    run = run_nhr("department", "import", str(csv))
    assert run.code == 2
    assert run.err.splitlines() == [
        "Die Datei wurde nicht übernommen:",
        "Zeile 2: erwartet zwei Spalten (Kürzel;Name), gefunden 1.",
        "Zeile 3: Kürzel und Name dürfen nicht leer sein.",
        "Zeile 4: Das Kürzel „65“ steht schon in Zeile 1 mit einem anderen Namen.",
        "Zeile 5: erwartet zwei Spalten (Kürzel;Name), gefunden 3.",
    ]
    assert before.changed_tables(State.of(departments)) == []


def test_a_missing_or_empty_file_is_refused(departments: Engine, tmp_path: Path) -> None:
    missing = run_nhr("department", "import", str(tmp_path / "fehlt.csv"))
    assert missing.code == 2 and "kann nicht gelesen werden" in missing.err
    empty = tmp_path / "leer.csv"
    empty.write_text("Kürzel;Name\n", encoding="utf-8")
    run = run_nhr("department", "import", str(empty))
    assert run.code == 2 and "enthält keine Abteilungen" in run.err
