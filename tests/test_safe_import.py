"""Imports that cannot destroy (issue 16, part 1): ``nhr import-report`` checks before it
writes, on SQLite and PostgreSQL.

Every refused import leaves each table's checksum and the published editions' rendered HTML
as they were, prints one German explanation and no traceback, and exits with 2 (a file or an
argument that cannot work) or 1 (an import the rules refuse). The database starts as the
published 01.04.2025 edition (the demo data, which is the importer's reading of the 2025 text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from support.guarded import Run, State, run_nhr
from support.seeds import SEED_2025, require_seed
from support.snapshots import Build, import_demo

from core.db import make_session_factory
from core.importer.guard import DISAPPEARANCE_LIMIT
from core.models import Edition, Project

#: A project block's heading in the chapters ("1.1.2.1 Klimaschutzkonzept 2.0"), and any
#: heading that ends a block (a project's, a status group's "1.1.3 Projekte in Planung", a
#: goal's "1.2 Strategisches Ziel 2").
_PROJECT = re.compile(r"^\s*\d\.\d+\.\d\.\d+\s+\S")
_HEADING = re.compile(r"^\s*(\d\.\d+\.\d(\.\d+)?\s+\S|\d\.\d+\s+Strategisches Ziel)")
#: A sentence of 1.1.1.1's description in the 2025 text.
_SENTENCE = "ein Energieberater beauftragt werden."


@pytest.fixture
def published(cli_database: Engine, db_snapshot: Callable[[str, Build], None]) -> Engine:
    """The ``nhr`` database holding the published 01.04.2025 edition."""
    db_snapshot("demo", import_demo)
    return cli_database


def _seed() -> str:
    return require_seed(SEED_2025).read_text(encoding="utf-8")


def _file(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def _without_first_blocks(text: str, count: int, stand: str = "01.10.2025") -> str:
    """``text`` as the next edition (``stand``) without the chapters' first ``count`` project
    blocks (as if they had been left out); the headings around them stay."""
    lines = text.split("\n")
    lists = next(i for i, line in enumerate(lines) if line.strip().startswith("Projektliste"))
    starts = [i for i, line in enumerate(lines[:lists]) if _PROJECT.match(line)][:count]
    gone: set[int] = set()
    for start in starts:
        end = next(i for i in range(start + 1, lists) if _HEADING.match(lines[i]))
        gone.update(range(start, end))
    return "\n".join([f"Stand: {stand}", *(x for i, x in enumerate(lines) if i not in gone)])


def _refused(run: Run, code: int, *expected: str) -> None:
    """``run`` exited with ``code`` and said each of ``expected``."""
    assert run.code == code, run.output
    for text in expected:
        assert text in run.output, run.output


def _unchanged(engine: Engine, before: State) -> None:
    """Every table and every published edition's HTML as ``before``."""
    after = State.of(engine)
    assert before.changed_tables(after) == []
    assert after.html == before.html


# -- files that hold no edition's text -------------------------------------------------------


@pytest.mark.slow
def test_files_that_are_no_edition_text_are_refused_with_a_hint_and_change_nothing(
    published: Engine,
    tmp_path: Path,
) -> None:
    before = State.of(published)
    cases: list[tuple[str, str | bytes, str]] = [
        ("leer.txt", b"", "ist leer"),
        ("leerzeichen.txt", " \n\n \t\n", "ist leer"),
        ("binär.txt", bytes(range(256)) * 8, "Binärdatei"),
        ("ausgabe.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF-Datei"),
        ("ausgabe.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(64), "Word- oder ZIP-Datei"),
        ("brief.txt", "Stand: 01.10.2025\nEin Projekt\n", "keine Themenfelder"),
    ]
    for name, content, message in cases:
        run = run_nhr("import-report", "--quiet", _file(tmp_path, name, content))
        _refused(run, 2, message)
    run = run_nhr("import-report", str(tmp_path / "fehlt.txt"))
    _refused(run, 2, "Datei nicht gefunden")
    run = run_nhr("import-report", str(tmp_path))
    _refused(run, 2, "ist ein Ordner")
    pdf = run_nhr("import-report", _file(tmp_path, "r.pdf", b"%PDF-1.4\n"))
    assert "pdftotext -layout" in pdf.err
    _unchanged(published, before)


@pytest.mark.slow
def test_the_first_thirty_percent_of_an_edition_is_refused_as_incomplete(
    published: Engine,
    tmp_path: Path,
) -> None:
    lines = _seed().split("\n")
    part = _file(tmp_path, "teil.txt", "\n".join(lines[: len(lines) * 3 // 10]))
    before = State.of(published)
    run = run_nhr("import-report", "--quiet", part)
    _refused(
        run,
        2,
        "nicht die Gliederung einer Ausgabe",
        "Themenfeld 3",
        "keine strategischen Ziele mit Projekten",
    )
    _unchanged(published, before)


# -- the Stand and --cutoff ---------------------------------------------------------------------


@pytest.mark.slow
def test_a_cutoff_that_is_no_cutoff_or_contradicts_the_text_is_refused(
    published: Engine,
    tmp_path: Path,
) -> None:
    seed = _file(tmp_path, "ausgabe.txt", _seed())
    before = State.of(published)
    cases: list[tuple[tuple[str, ...], str]] = [
        (("--cutoff", "2025-13-01"), "„2025-13-01“ ist kein Datum"),
        (("--cutoff", "2025-04-02"), "2025-04-02 ist kein Stichtag"),
        # the 2025 text's own cutoff (from "seit der letzten Überarbeitung zum 01.10.2024")
        (("--cutoff", "2023-10-01"), "--cutoff 2023-10-01 passt nicht zum Text"),
    ]
    for argv, message in cases:
        run = run_nhr("import-report", "--quiet", seed, *argv)
        _refused(run, 2, message)
    for stand, message in (
        ("Stand: 15.03.2025", "Stand 15.03.2025; das ist kein Stichtag"),
        ("Stand: 31.02.2025", "„Stand: 31.02.2025“; das ist kein gültiges Datum"),
    ):
        text = f"{stand}\nEinleitung und Übersicht\n"  # refused before the text is read
        run = run_nhr("import-report", "--quiet", _file(tmp_path, "s.txt", text))
        _refused(run, 2, message)
    run = run_nhr("import-report", _file(tmp_path, "brief.txt", "Sehr geehrte Damen und Herren\n"))
    _refused(run, 2, "nennt keinen Stand", "--cutoff")
    _unchanged(published, before)


# -- the published edition ----------------------------------------------------------------------


@pytest.mark.slow
def test_reimporting_the_published_edition_changes_nothing_even_from_windows_1252(
    published: Engine,
    tmp_path: Path,
) -> None:
    before = State.of(published)
    utf8 = run_nhr("import-report", "--quiet", _file(tmp_path, "utf8.txt", _seed()))
    assert utf8.code == 0, utf8.output
    assert utf8.out.startswith("Ausgabe Stand 01.04.2025 importiert: 98 Projekte (0 neu, 0 ")
    _unchanged(published, before)
    windows = run_nhr(
        "import-report", "--quiet", _file(tmp_path, "cp1252.txt", _seed().encode("cp1252"))
    )
    assert windows.code == 0, windows.output
    assert "Datei ist nicht UTF-8; als Windows-1252 gelesen." in windows.err
    assert windows.out == utf8.out
    _unchanged(published, before)


@pytest.mark.slow
def test_a_different_text_for_the_published_edition_is_refused_with_the_first_differing_block(
    published: Engine,
    tmp_path: Path,
) -> None:
    text = _seed()
    assert text.count(_SENTENCE) == 1
    edited = _file(
        tmp_path,
        "korrigiert.txt",
        text.replace(_SENTENCE, "ein Energieberater beauftragt werden, sagt man."),
    )
    before = State.of(published)
    run = run_nhr("import-report", "--quiet", edited)
    _refused(
        run,
        1,
        "Die Ausgabe Stand 01.04.2025 ist veröffentlicht",
        "Projekt 1.1.1.1 „Energieberatung für kreiseigene Gebäude“:",
        "Projektbeschreibung: „…",
        "sagt man.“",
        "Korrekturen gehören in die nächste Ausgabe",
    )
    assert "weitere Unterschiede" not in run.err  # just the one block
    # nor does --yes change a published edition
    run = run_nhr("import-report", "--quiet", "--yes", edited)
    _refused(run, 1, "ist veröffentlicht")
    _unchanged(published, before)


@pytest.mark.slow
def test_a_text_cut_off_in_the_project_lists_cannot_replace_the_published_edition(
    published: Engine,
    tmp_path: Path,
) -> None:
    lines = _seed().split("\n")
    cut = _file(tmp_path, "abgeschnitten.txt", "\n".join(lines[: len(lines) * 95 // 100]))
    before = State.of(published)
    run = run_nhr("import-report", "--quiet", cut)
    _refused(run, 1, "ist veröffentlicht", "Fachbereiche:", "weitere Unterschiede")
    # what the import would have done is said as well
    assert run.out.startswith("Der Import würde Folgendes melden; gespeichert wurde nichts.")
    _unchanged(published, before)


# -- projects that disappear --------------------------------------------------------------------


def _statuses(engine: Engine) -> dict[str, str]:
    with make_session_factory(engine)() as session:
        return {p.title: p.status.value for p in session.scalars(select(Project))}


def _cutoffs(engine: Engine) -> list[str]:
    with make_session_factory(engine)() as session:
        return [
            c.isoformat()
            for c in session.scalars(
                select(Edition.cutoff).where(Edition.from_archive_only.is_(False))
            )
        ]


@pytest.mark.slow
def test_an_edition_without_more_than_three_live_projects_needs_yes_and_changes_no_status(
    published: Engine,
    tmp_path: Path,
) -> None:
    # the first five blocks: 1.1.1.1 (completed and printed: it belongs to the archive) and
    # four live projects
    shorter = _file(tmp_path, "oktober.txt", _without_first_blocks(_seed(), 5))
    before = State.of(published)
    statuses = _statuses(published)
    run = run_nhr("import-report", "--quiet", shorter)
    _refused(
        run,
        1,
        f"4 laufende Projekte kämen in dieser Ausgabe nicht mehr vor (erlaubt sind "
        f"höchstens {DISAPPEARANCE_LIMIT} ohne Bestätigung)",
        "mit --yes",
        "Nicht mehr in der Ausgabe: 4",
        "1.1.2.1 „Klimaschutzkonzept 2.0“",
    )

    dry = run_nhr("import-report", "--quiet", "--yes", "--dry-run", shorter)
    assert dry.code == 0, dry.output
    assert dry.out.startswith("Probelauf – der Import würde Folgendes melden")
    _unchanged(published, before)  # neither the refusal nor the dry run wrote anything

    done = run_nhr("import-report", "--quiet", "--yes", shorter)
    assert done.code == 0, done.output
    assert done.out.startswith("Ausgabe Stand 01.10.2025 importiert: 93 Projekte")
    assert "Klimaschutzkonzept 2.0“ (zuletzt Stand 01.04.2025) kommt in dieser" in done.out
    assert _statuses(published) == statuses  # nobody is dropped on a guess
    assert "2025-10-01" in _cutoffs(published)
    assert State.of(published).html["2025-04-01"] == before.html["2025-04-01"]


@pytest.mark.slow
def test_a_dry_run_reports_exactly_what_the_import_then_does_and_writes_nothing(
    published: Engine,
    tmp_path: Path,
) -> None:
    shorter = _file(tmp_path, "oktober.txt", _without_first_blocks(_seed(), 2))
    before = State.of(published)
    statuses = _statuses(published)
    dry = run_nhr("import-report", "--quiet", "--dry-run", shorter)
    assert dry.code == 0, dry.output
    _unchanged(published, before)
    assert "Nicht mehr in der Ausgabe: 1\n  1.1.2.1 „Klimaschutzkonzept 2.0“" in dry.out
    assert "Neue Projekte: 0" in dry.out

    real = run_nhr("import-report", "--quiet", shorter)  # one live project: no --yes needed
    assert real.code == 0, real.output
    header, *summary = dry.out.splitlines()
    assert header == "Probelauf – der Import würde Folgendes melden; gespeichert wird nichts."
    assert summary[: len(real.out.splitlines())] == real.out.splitlines()
    assert State.of(published).changed_tables(before) != []
    assert _statuses(published) == statuses


# -- reading the file -----------------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_and_utf16_are_read_without_a_note(tmp_path: Path) -> None:
    from core.importer.source import read_edition_text

    text = "Stand: 01.04.2025\nÄnderung „Klimaschutz“ – 2025\n"
    for name, data in (("bom.txt", text.encode("utf-8-sig")), ("u16.txt", text.encode("utf-16"))):
        path = tmp_path / name
        path.write_bytes(data)
        read = read_edition_text(path)
        assert (read.text, read.notes) == (text, [])
