"""Rendering the imported real editions: the output reproduces the published structure.

Expected values are read from the seed text (``../shared/seeds``); actual values from the
rendered HTML (the content source of all three formats) and the PDF's extracted text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker
from support.seeds import CUTOFF_2025, SEED_2025, require_seed
from support.snapshots import Build, import_seed

from core.assembly import assemble_edition
from core.importer.parse import parse_edition
from core.render import render_html, render_pdf
from core.status import Status

_HEADING = re.compile(r"^\s*(\d\.\d{1,2}\.[1-4]\.\d{1,2})\s+(\S.*?)\s*$")
_GROUP = re.compile(
    r"^\s*(\d\.\d{1,2}\.[1-4])\s+(umgesetzte Projekte|Projekte in Bearbeitung|"
    r"Projekte in Planung|Ideenspeicher)\s*$"
)
_STATUS_WORDS = re.compile(r"seit:|Projektstart:|Projektabschluss:")
_GOAL = re.compile(r"^\s*(\d\.\d{1,2})\s+Strategisches Ziel")
_PLACEHOLDERS = (
    "derzeit keine Projekte vorhanden",
    "seit der letzten Überarbeitung zum",
)
_STATUS_OF_GROUP = {
    "1": Status.UMGESETZT,
    "2": Status.IN_BEARBEITUNG,
    "3": Status.IN_PLANUNG,
    "4": Status.IDEENSPEICHER,
}


def _chapters(text: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "1. KLIMA/ENERGIE/UMWELT")
    end = next(i for i, ln in enumerate(lines) if ln.strip().startswith("Projektliste „"))
    return lines[start:end]


def seed_projects(text: str) -> list[tuple[str, str]]:
    """(number, first line of the title) of every project heading in the seed's chapters.

    A heading is a numbered line followed, within a few lines, by the project's status line.
    """
    lines = _chapters(text)
    found = []
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and any(_STATUS_WORDS.search(ln) for ln in lines[i + 1 : i + 9]):
            found.append((match.group(1), match.group(2)))
    return found


def seed_placeholders(text: str) -> dict[str, str]:
    """Group number → placeholder text for every empty group in the seed.

    The seed once prints goal 2.8's groups as "2.7.3"/"2.7.4"; the group's goal is the goal
    heading above it, which is what a correct rendering numbers it by.
    """
    lines = [ln.strip() for ln in _chapters(text) if ln.strip()]
    result = {}
    goal = ""
    for i, line in enumerate(lines[:-1]):
        if heading := _GOAL.match(line):
            goal = heading.group(1)
        match = _GROUP.match(line)
        if match and lines[i + 1].startswith(_PLACEHOLDERS):
            result[f"{goal}.{match.group(1).rsplit('.', 1)[1]}"] = lines[i + 1]
    return result


def _cells(row: lxml_html.HtmlElement) -> list[str]:
    return [" ".join(td.text_content().split()) for td in row.findall("td")]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return require_seed(SEED_2025).read_text(encoding="utf-8")


@pytest.fixture
def imported(
    sessions: sessionmaker[Session], db_snapshot: Callable[[str, Build], None]
) -> Iterator[Session]:
    db_snapshot("seed-2025", import_seed(require_seed(SEED_2025)))
    with sessions() as session:
        yield session


def _render(session: Session, cutoff: date) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render_html(assemble_edition(session, cutoff)))


@pytest.mark.slow
def test_the_rendered_edition_has_the_seeds_projects_in_the_same_order(
    imported: Session, seed_text: str
) -> None:
    doc = _render(imported, CUTOFF_2025)
    rendered = [" ".join(h.text_content().split()) for h in doc.find_class("project-title")]
    expected = seed_projects(seed_text)
    assert len(expected) == 98
    assert [r.split(" ", 1)[0] for r in rendered] == [n for n, _ in expected]
    for (number, first_line), shown in zip(expected, rendered, strict=True):
        title = shown.split(" ", 1)[1]
        assert " ".join(title.split()).startswith(" ".join(first_line.split()).rstrip("-")), number


@pytest.mark.slow
def test_every_empty_group_prints_the_seeds_placeholder(imported: Session, seed_text: str) -> None:
    doc = _render(imported, CUTOFF_2025)
    rendered = {}
    for group in doc.find_class("group"):
        title = " ".join(group.find_class("group-title")[0].text_content().split())
        placeholder = group.find_class("placeholder")
        if placeholder:
            rendered[title.split(" ", 1)[0]] = " ".join(placeholder[0].text_content().split())
    expected = seed_placeholders(seed_text)
    assert len(expected) > 40
    assert {k: v for k, v in rendered.items() if k in expected} == {
        k: " ".join(v.split()) for k, v in expected.items()
    }
    assert set(rendered) == set(expected)


@pytest.mark.slow
def test_every_project_list_row_equals_the_seeds_row(imported: Session, seed_text: str) -> None:
    parsed = parse_edition(seed_text)
    expected = [
        (p.number, p.short_title, p.status, p.municipalities or "", ", ".join(p.departments))
        for p in parsed.projects()
    ]
    doc = _render(imported, CUTOFF_2025)
    statuses = [Status.IDEENSPEICHER, Status.IN_PLANUNG, Status.IN_BEARBEITUNG, Status.UMGESETZT]
    rows = []
    for table in doc.xpath("//table[contains(@class, 'project-list')]"):
        for tr in table.xpath(".//tbody/tr"):
            cells = _cells(tr)
            marks = [statuses[i] for i, c in enumerate(cells[2:6]) if c == "x"]
            assert len(marks) == 1, cells
            rows.append((cells[0], cells[1], marks[0], cells[6], cells[7]))
    assert len(rows) == 98
    assert rows == expected
    # the status column agrees with the chapter the seed printed the project in
    for number, _, status, _, _ in rows:
        assert status is _STATUS_OF_GROUP[number.split(".")[2]]


@pytest.mark.slow
def test_both_archive_tables_equal_the_seeds(imported: Session, seed_text: str) -> None:
    parsed = parse_edition(seed_text)
    doc = _render(imported, CUTOFF_2025)
    implemented = [_cells(tr) for tr in doc.find_class("archive-implemented")[0].iter("tr")][1:]
    dropped = [_cells(tr) for tr in doc.find_class("archive-dropped")[0].iter("tr")][1:]
    assert [(r[1], r[2], r[3]) for r in implemented] == [
        (a.title, a.report_text, a.number) for a in parsed.archive_implemented
    ]
    assert all(
        r[0] == " ".join(a.field_title.split())
        for r, a in zip(implemented, parsed.archive_implemented, strict=True)
    )
    assert [(r[1], r[2], r[3]) for r in dropped] == [
        (d.title, d.reason, d.last_mention_text) for d in parsed.archive_dropped
    ]
    for r, d in zip(dropped, parsed.archive_dropped, strict=True):  # "Digitalisierung" is short
        assert r[0].startswith(" ".join(d.field_title.split()))


@pytest.mark.slow
def test_the_next_edition_archives_the_completed_projects_and_has_no_gaps(
    imported: Session,
) -> None:
    april = assemble_edition(imported, CUTOFF_2025)
    completed = [
        (p.short_title, p.number) for p in april.projects() if p.status is Status.UMGESETZT
    ]
    doc = _render(imported, date(2025, 10, 1))
    archive = [_cells(tr) for tr in doc.find_class("archive-implemented")[0].iter("tr")][1:]
    for title, number in completed:
        assert [title, "01.04.2025", number] in [r[1:] for r in archive]
    numbers = [
        " ".join(h.text_content().split()).split(" ")[0] for h in doc.find_class("project-title")
    ]
    groups: dict[str, list[int]] = {}
    for n in numbers:
        head, last = n.rsplit(".", 1)
        groups.setdefault(head, []).append(int(last))
    assert all(v == list(range(1, len(v) + 1)) for v in groups.values())
    umgesetzt = [
        " ".join(g.find_class("placeholder")[0].text_content().split())
        for g in doc.find_class("status-umgesetzt")
        if g.tag == "section"
    ]
    assert len(umgesetzt) == 33
    assert set(umgesetzt) == {
        "seit der letzten Überarbeitung zum 01.04.2025 keine Projekte abgeschlossen"
    }


@pytest.mark.slow
def test_the_pdf_text_follows_the_seeds_project_order(imported: Session, seed_text: str) -> None:
    buf = io.BytesIO()
    render_pdf(assemble_edition(imported, CUTOFF_2025), buf)
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    positions = []
    for number, first_line in seed_projects(seed_text):
        match = re.search(
            rf"^{re.escape(number)}\s+{re.escape(first_line.split()[0])}", text, re.MULTILINE
        )
        assert match, number
        positions.append(match.start())
    assert positions == sorted(positions)
