"""Importing the real editions into the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.seeds import CUTOFF_2025 as SEED_CUTOFF
from support.seeds import SEED_2023, SEED_2025, require_seed
from support.snapshots import Build, import_seed

from core.assembly import assemble_edition
from core.importer import import_parsed
from core.importer.parse import parse_edition
from core.models import AuditLog, Edition, EntryKind, Goal, Project, utcnow
from core.status import Status

# A list entry starts with a date: a day, or up to two words/abbreviations before a year
# ("Frühj. 2022", "3. Qu. 2022", "seit 09/2024"), a bare year, "fortlaufend" or "jährlich".
_DATE_START = re.compile(
    r"^\s*(\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}(/\d{1,2})?\.\s?\d{4}|(\S{1,9}\s+){0,2}(\d{1,2}/)?\d{4}\b|"
    r"fortlaufend|"
    r"(1 x )?jährlich)"
)


def _import(sessions: sessionmaker[Session], path: Path) -> None:
    parsed = parse_edition(path.read_text(encoding="utf-8"))
    with sessions.begin() as session:
        import_parsed(session, parsed, now=utcnow())


@pytest.fixture
def imported_2025(
    sessions: sessionmaker[Session], db_snapshot: Callable[[str, Build], None]
) -> sessionmaker[Session]:
    db_snapshot("seed-2025", import_seed(require_seed(SEED_2025)))
    return sessions


def test_the_2025_edition_imports_with_the_published_figures(
    imported_2025: sessionmaker[Session],
) -> None:
    with imported_2025() as session:
        ed = assemble_edition(session, SEED_CUTOFF)
        counts = Counter(p.status for p in ed.projects())
        assert ed.stats["fields"] == 6
        assert ed.stats["goals"] == 33
        assert len(ed.projects()) == 98
        assert counts == {
            Status.UMGESETZT: 5,
            Status.IN_BEARBEITUNG: 59,
            Status.IN_PLANUNG: 16,
            Status.IDEENSPEICHER: 18,
        }
        assert len(ed.archive_implemented) == 20
        assert len(ed.archive_dropped) == 5
        assert session.scalar(select(func.count()).select_from(Goal)) == 33


@pytest.mark.slow
def test_each_project_keeps_the_number_and_departments_the_edition_printed(
    imported_2025: sessionmaker[Session],
) -> None:
    text = require_seed(SEED_2025).read_text(encoding="utf-8")
    parsed = {p.number: p for p in parse_edition(text).projects()}
    with imported_2025() as session:
        printed = {p.number: p for p in assemble_edition(session, SEED_CUTOFF).projects()}
    assert sorted(printed) == sorted(parsed)
    for number, block in printed.items():
        assert block.title == parsed[number].title
        assert list(block.departments) == parsed[number].departments


def _section_counts(text: str) -> dict[str, dict[str, int]]:
    """Count date-led lines per list section of every project, straight from the raw text.

    Deliberately independent of the importer's parser: a project starts at a line holding
    only its number and title; a list section starts at its German label.
    """
    heading = re.compile(r"^\s*(\d\.\d{1,2}\.[1-4]\.\d{1,2})\s+\S")
    labels = {
        "abgeschlossene Meilensteine": "done",
        "Meilensteine (Datum des Abschlusses)": "done",
        "Erfolgte Planungsschritte": "planning",
        "Beratung/Information in politischen Gremien": "consultations",
        "Bemerkung": None,
        "eplante Meilenstein": "planned",
        "eplanter Meilenstein": "planned_one",  # singular heading: one milestone
        "eplante Schritte": "planned",
        "Projektbeschreibung": None,
    }
    lines: dict[str, dict[str, list[str]]] = {}
    current: str | None = None
    section: str | None = None
    for line in text.split("\n"):
        if line.strip().startswith("Projektliste"):
            break
        match = heading.match(line)
        if match and "seit" not in line:
            current = match.group(1)
            lines[current] = {}
            section = None
            continue
        if re.match(r"^\s*\d\.\d{1,2}(\.[1-4])?\s", line):  # goal or group heading
            current = None
            continue
        label = next((v for k, v in labels.items() if k in line), "none")
        if label != "none":
            section = label
            continue
        if current and section and line.strip():
            lines[current].setdefault(section, []).append(line)
    counts: dict[str, dict[str, int]] = {}
    for number, sections in lines.items():
        counts[number] = {}
        for name, body in sections.items():
            body = [ln for ln in body if not ln.rstrip().endswith("):")]  # wrapped label
            if name == "planned_one":
                counts[number]["planned"] = 1
                continue
            counts[number][name] = _entries_in(body, undated_per_line=name == "planned")
    return counts


_MONTH_OR_DAY = re.compile(r"^\s+(\d{1,2}\.\d{1,2}\.\d{4}|[A-ZÄÖÜ][a-zäöü]+\.? \d{4})\s")
_JOINS_NEXT = (
    " und",
    " für",
    " der",
    " die",
    " das",
    " des",
    " dem",
    " den",
    " im",
    " in",
    " zur",
    " zum",
    " mit",
    " von",
    " an",
    " auf",
    " bei",
    " über",
    " zu",
    ",",
    "-",
)


def _entries_in(body: list[str], *, undated_per_line: bool) -> int:
    """Entries of one list: lines that begin with a date (an indented one only with a day or
    month), or, for planned milestones, any unindented line unless the line before runs on."""
    count = 0
    for i, line in enumerate(body):
        runs_on = i > 0 and body[i - 1].rstrip().endswith(_JOINS_NEXT)
        if line.startswith(" "):
            count += bool(_MONTH_OR_DAY.match(line)) and not runs_on
        elif _DATE_START.match(line) or (undated_per_line and not runs_on):
            count += 1
    return count or 1


@pytest.mark.slow
def test_every_project_has_as_many_list_entries_as_the_text_shows(
    imported_2025: sessionmaker[Session],
) -> None:
    expected = _section_counts(require_seed(SEED_2025).read_text(encoding="utf-8"))
    with imported_2025() as session:
        blocks = assemble_edition(session, SEED_CUTOFF).projects()
    assert len(expected) == 98
    mismatches = {}
    for b in blocks:
        got = {
            "done": len(b.milestones_done),
            "planning": len(b.planning_steps),
            "consultations": len(b.consultations),
            "planned": len(b.milestones_planned),
        }
        want = {k: expected[b.number].get(k, 0) for k in got}
        if got != want:
            mismatches[b.number] = (got, want)
    assert mismatches == {}


@pytest.mark.slow
def test_importing_the_same_edition_twice_changes_nothing(
    imported_2025: sessionmaker[Session],
) -> None:
    with imported_2025() as session:
        projects = session.scalar(select(func.count()).select_from(Project))
        audits = session.scalar(select(func.count()).select_from(AuditLog))
    _import(imported_2025, SEED_2025)
    with imported_2025() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == projects
        assert session.scalar(select(func.count()).select_from(AuditLog)) == audits


@pytest.mark.slow
def test_the_older_2023_edition_imports_with_sachstand_as_remark(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, require_seed(SEED_2023))
    with sessions() as session:
        klima = session.scalar(select(Project).where(Project.title == "Klima-Allianz"))
        assert klima is not None
        assert klima.remark.to_plain().startswith(
            "Die App „Klimaallianz Kreis Soest“ wurde präsentiert"
        )
        assert klima.status is Status.UMGESETZT
        assert session.scalar(select(func.count()).select_from(Edition)) >= 1


@pytest.mark.slow
def test_an_older_edition_imported_later_only_adds_history(
    imported_2025: sessionmaker[Session],
) -> None:
    with imported_2025() as session:
        before = assemble_edition(session, SEED_CUTOFF)
    _import(imported_2025, require_seed(SEED_2023))
    with imported_2025() as session:
        after = assemble_edition(session, SEED_CUTOFF)
        klimaschutz = session.scalar(
            select(Project).where(Project.title == "Klimaschutzkonzept 2.0")
        )
        assert klimaschutz is not None
        numbers = {h.edition.cutoff.isoformat(): h.number for h in klimaschutz.history}
        assert numbers["2023-10-01"] == "1.1.2.1"
        assert len(klimaschutz.entries_of(EntryKind.DONE)) == 5
    assert [(p.number, p.title, p.status) for p in after.projects()] == [
        (p.number, p.title, p.status) for p in before.projects()
    ]
    assert after.archive_implemented == before.archive_implemented


@pytest.mark.slow
def test_every_date_of_the_2025_edition_parses_and_no_line_is_left_unplaced(
    sessions: sessionmaker[Session],
) -> None:
    parsed = parse_edition(require_seed(SEED_2025).read_text(encoding="utf-8"))
    with sessions.begin() as session:
        report = import_parsed(session, parsed, now=utcnow())
    assert report.date_problems == []
    assert report.unplaced == []
    assert report.warnings == []


def test_the_shipped_demo_data_is_the_importers_reading_of_the_2025_edition() -> None:
    from core.importer import demo_edition

    parsed = parse_edition(require_seed(SEED_2025).read_text(encoding="utf-8"))
    assert demo_edition() == parsed


def test_ab_of_the_2025_edition_stays_ab_through_import_and_render(
    imported_2025: sessionmaker[Session],
) -> None:
    """1.4.2.5 prints "ab 2024 Umsetzung einzelner Maßnahmen" (issue 18: it became "seit")."""
    from core.render.html import render_html

    line = "ab 2024 Umsetzung einzelner Maßnahmen"
    assert line in require_seed(SEED_2025).read_text(encoding="utf-8")
    with imported_2025() as session:
        ed = assemble_edition(session, SEED_CUTOFF)
        block = next(p for p in ed.projects() if p.number == "1.4.2.5")
        entry = next(e for e in block.milestones_done if e.text == "Umsetzung einzelner Maßnahmen")
        assert entry.date is not None
        assert entry.date.storage() == "from:2024"
        assert entry.date.format() == "ab 2024"
        html = " ".join(re.sub(r"<[^>]+>", " ", render_html(ed)).split())
    assert line in html
    assert "seit 2024 Umsetzung" not in html
