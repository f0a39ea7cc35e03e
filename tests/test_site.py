"""``nhr site``: the static website of an edition, built from both imported real editions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.seeds import CUTOFF_2023, CUTOFF_2025, SEED_2023, SEED_2025, require_seed
from support.site import crawl, seeded_sessions

from core.audit import Auditor
from core.config import Publisher, get_settings
from core.department_import import import_departments
from core.editions import get_or_create_edition
from core.frozen import edition_view
from core.models import Edition, EditionEntry, Project, utcnow
from core.render.html import render_html
from core.site.build import SiteResult, build_site, field_page
from core.site.data import legacy_project_path, project_path, slugify
from core.view import AssembledEdition

#: Each imports real editions or builds whole sites: seconds per test (fast lane skips them).
pytestmark = pytest.mark.slow


STATUS_TEXT = {
    "umgesetzt": "umgesetzt",
    "in_bearbeitung": "in Bearbeitung",
    "in_planung": "in Planung",
    "ideenspeicher": "Ideenspeicher",
    "entfallen": "entfallen",
}


@dataclass(frozen=True)
class Built:
    sessions: sessionmaker[Session]
    out_2025: Path
    out_2023: Path
    result_2025: SiteResult
    edition_2025: AssembledEdition


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Both real editions imported into SQLite; the site of each written once (no PDF/DOCX)."""
    seeds = [require_seed(SEED_2023), require_seed(SEED_2025)]
    tmp = tmp_path_factory.mktemp("site")
    sessions = seeded_sessions(tmp / "nhr.sqlite3", seeds)
    publisher = get_settings().publisher
    with sessions() as session:
        result = build_site(session, tmp / "site-2025", publisher, documents=False)
        build_site(session, tmp / "site-2023", publisher, cutoff=CUTOFF_2023, documents=False)
        edition = edition_view(session, CUTOFF_2025)
    # An older edition is a site of its own under ausgaben/<date>/ and leaves the top alone.
    assert not (tmp / "site-2023" / "index.html").exists()
    yield Built(
        sessions, tmp / "site-2025", tmp / "site-2023" / "ausgaben" / "2023-10-01", result, edition
    )
    sessions.kw["bind"].dispose()


def _doc(path: Path) -> HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


@pytest.mark.parametrize("edition", ["2025", "2023"])
def test_every_page_and_every_link_resolves(built: Built, edition: str) -> None:
    out = built.out_2025 if edition == "2025" else built.out_2023
    found = crawl(out)
    assert found.broken == []
    every_page = {p.resolve() for p in out.rglob("*.html")}
    # no page is unreachable from the start page but the 404 page and the forwarding pages
    unreached = {p.relative_to(out.resolve()).as_posix() for p in every_page - found.pages}
    assert {p for p in unreached if not p.endswith("404.html")} <= set(_manifest(out)["redirects"])
    assert len(every_page) > 100 and found.links > 1000


def _manifest(folder: Path) -> dict[str, list[str]]:
    return dict(json.loads((folder / ".nhr-site.json").read_text(encoding="utf-8")))


def test_each_of_the_98_projects_has_its_page_at_a_stable_address(built: Built) -> None:
    projects = built.edition_2025.projects()
    assert len(projects) == 98
    for p in projects:
        page = built.out_2025 / project_path(p.project_id)
        assert page.name == f"{p.project_id}.html"
        doc = _doc(page)
        assert doc.get_element_by_id(f"projekt-{p.number}") is not None
    # The address holds the stable id, not the number that changes between editions.
    slug = slugify("Wärme & Kälte: Übersicht für Straßen")
    assert slug == "waerme-kaelte-uebersicht-fuer-strassen"


def test_each_project_block_reads_exactly_as_in_the_html_report(built: Built) -> None:
    report = lxml.html.document_fromstring(render_html(built.edition_2025))
    for p in built.edition_2025.projects():
        page = _doc(built.out_2025 / project_path(p.project_id))
        on_site = page.get_element_by_id(f"projekt-{p.number}")
        in_report = report.get_element_by_id(f"projekt-{p.number}")
        assert _text(on_site) == _text(in_report), p.number
        assert on_site.get("class") == in_report.get("class")


def _history_table(page: HtmlElement) -> list[tuple[str, str, str]]:
    table = page.get_element_by_id("verlauf").getparent().find(".//table")
    return [(_text(row[0]), _text(row[1]), _text(row[2])) for row in table.iterfind(".//tbody/tr")]


def test_a_renumbered_project_shows_its_number_and_status_in_both_editions(built: Built) -> None:
    with built.sessions() as session:
        project_id = session.scalars(
            select(EditionEntry.project_id)
            .join(Edition)
            .where(Edition.cutoff == CUTOFF_2023, EditionEntry.number == "1.1.4.2")
        ).one()
        project = session.get(Project, project_id)
        assert project is not None
        rows = session.execute(
            select(Edition.cutoff, EditionEntry.number, EditionEntry.status)
            .join(Edition)
            .where(EditionEntry.project_id == project_id)
            .order_by(Edition.cutoff)
        ).all()
    assert [(c, n) for c, n, _ in rows if c in (CUTOFF_2023, CUTOFF_2025)] == [
        (CUTOFF_2023, "1.1.4.2"),
        (CUTOFF_2025, "1.1.4.1"),
    ]
    page = _doc(built.out_2025 / project_path(project_id))
    assert _history_table(page) == [
        (c.strftime("%d.%m.%Y"), n or "–", STATUS_TEXT[s] if s else "–") for c, n, s in rows
    ]


def test_every_history_table_is_the_database_s(built: Built) -> None:
    with built.sessions() as session:
        rows = session.execute(
            select(
                EditionEntry.project_id, Edition.cutoff, EditionEntry.number, EditionEntry.status
            )
            .join(Edition)
            .order_by(Edition.cutoff)
        ).all()
    expected: dict[int, list[tuple[str, str, str]]] = {}
    for pid, cutoff, number, status in rows:
        expected.setdefault(pid, []).append(
            (cutoff.strftime("%d.%m.%Y"), number or "–", STATUS_TEXT[status] if status else "–")
        )
    checked = 0
    for page_path in (built.out_2025 / "projekte").glob("*.html"):
        if not page_path.stem.isdigit():
            continue  # a forwarding page
        pid = int(page_path.stem)
        page = _doc(page_path)
        if pid in expected:
            assert _history_table(page) == expected[pid], page_path.name
            checked += 1
    assert checked >= 98 + 20


def test_archived_and_dropped_projects_keep_their_pages_with_reason(built: Built) -> None:
    ed = built.edition_2025
    assert len(ed.archive_dropped) >= 5 and len(ed.archive_implemented) >= 20
    archive = _doc(built.out_2025 / "archiv.html")
    linked = {a.get("href") for a in archive.iter("a")}
    for row in ed.archive_dropped:
        assert row.project_id is not None
        path = project_path(row.project_id)
        assert path in linked
        text = _text(_doc(built.out_2025 / path).get_element_by_id("inhalt"))
        assert "Entfallen." in text and f"Grund: {' '.join(row.reason.split())}" in text
    for irow in ed.archive_implemented:
        assert irow.project_id is not None
        path = project_path(irow.project_id)
        assert path in linked
        text = _text(_doc(built.out_2025 / path).get_element_by_id("inhalt"))
        assert "Archiviert: umgesetzt." in text and irow.number in text


def test_a_field_page_orders_and_numbers_the_projects_as_the_report(built: Built) -> None:
    report = lxml.html.document_fromstring(render_html(built.edition_2025))
    for field in built.edition_2025.fields:
        chapter = report.get_element_by_id(f"themenfeld-{field.number}")
        printed = [_text(h) for h in chapter.iterfind(".//h4")]
        page = _doc(built.out_2025 / field_page(field.number))
        listed = [_text(a) for a in page.get_element_by_id("inhalt").iterfind(".//ul/li/a")]
        assert listed == printed
        groups = [_text(h) for h in chapter.iterfind(".//h3")]
        assert [_text(h) for h in page.iterfind(".//main//h3")] == groups


def _heading_levels(doc: HtmlElement) -> list[int]:
    return [int(el.tag[1]) for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_every_page_has_language_landmarks_skip_link_one_h1_and_ordered_headings(
    built: Built,
) -> None:
    forwarding = set(_manifest(built.out_2025)["redirects"])
    for path in built.out_2025.rglob("*.html"):
        if path.relative_to(built.out_2025).as_posix() in forwarding:
            continue  # a small forwarding page (see the test of old addresses)
        doc = _doc(path)
        assert doc.get("lang") == "de", path
        assert len(doc.findall(".//main")) == 1 and doc.find(".//main").get("id") == "inhalt"
        assert doc.find(".//header") is not None and doc.find(".//footer") is not None
        assert doc.find(".//nav[@aria-label='Hauptnavigation']") is not None
        assert doc.find(".//body/a").get("href") == "#inhalt"
        levels = _heading_levels(doc)
        assert levels.count(1) == 1 and levels[0] == 1, path
        assert all(b - a <= 1 for a, b in pairwise(levels)), path
        assert doc.find(".//link[@media='print']") is not None


def test_the_start_page_counts_per_field_and_status_and_offers_the_downloads(
    built: Built,
) -> None:
    doc = _doc(built.out_2025 / "index.html")
    cards = doc.find_class("field-card")
    assert len(cards) == 6
    for card, field in zip(cards, built.edition_2025.fields, strict=True):
        counts = [_text(li) for li in card.find_class("counts")[0]]
        statuses = ["umgesetzt", "in_bearbeitung", "in_planung", "ideenspeicher"]
        assert counts == [
            f"{sum(1 for p in field.projects() if p.status == s)} {STATUS_TEXT[s]}"
            for s in statuses
        ]
    changes = _text(doc.get_element_by_id("aenderungen").getparent())
    assert "Seit der Ausgabe zum Stand 01.10.2023" in changes
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert "ausgaben/2025-04-01/downloads/nachhaltigkeitsreport-2025-04-01.json" in hrefs
    assert "ausgaben/2025-04-01/downloads/nachhaltigkeitsreport-2025-04-01.csv" in hrefs
    editions = _text(_doc(built.out_2025 / "ausgaben.html").get_element_by_id("inhalt"))
    assert "01.04.2025" in editions and "01.10.2023" in editions


def test_the_project_list_holds_every_project_and_its_filter_data(built: Built) -> None:
    doc = _doc(built.out_2025 / "projektliste.html")
    rows = doc.get_element_by_id("projekte").findall(".//tbody/tr")
    assert [_text(r[0]) for r in rows] == [p.number for p in built.edition_2025.projects()]
    for row, p in zip(rows, built.edition_2025.projects(), strict=True):
        assert row.get("data-departments").split("|") == list(p.departments)
        assert row.get("data-status") == p.status.value
    assert doc.get_element_by_id("filter").get("hidden") is not None  # shown by the script


def test_a_draft_is_marked_on_every_page(built: Built, tmp_path: Path) -> None:
    with built.sessions() as session:
        get_or_create_edition(session, date(2025, 10, 1))
        session.flush()
        build_site(
            session, tmp_path / "draft", get_settings().publisher, draft=True, documents=False
        )
        session.rollback()
    pages = list((tmp_path / "draft").rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        doc = _doc(path)
        assert "Entwurf" in _text(doc.find_class("draft-banner")[0]), path
        assert "(Entwurf)" in doc.findtext(".//title")


@pytest.mark.slow
def test_documents_are_rendered_once_and_then_kept(built: Built, tmp_path: Path) -> None:
    publisher = Publisher(
        "Kreis Soest", "des Kreises Soest", "https://www.kreis-soest.de", None, "#00614a"
    )
    out = tmp_path / "with-documents"
    with built.sessions() as session:
        first = build_site(session, out, publisher, cutoff=CUTOFF_2025)
        again = build_site(session, out, publisher, cutoff=CUTOFF_2025)
    assert first.documents_rendered == ("pdf", "docx") and again.documents_rendered == ()
    folder = "ausgaben/2025-04-01/downloads"
    assert (out / folder / "nachhaltigkeitsreport-2025-04-01.pdf").read_bytes()[:5] == b"%PDF-"
    hrefs = {a.get("href") for a in _doc(out / "index.html").iter("a")}
    assert {
        f"{folder}/nachhaltigkeitsreport-2025-04-01.pdf",
        f"{folder}/nachhaltigkeitsreport-2025-04-01.docx",
    } <= hrefs
    assert crawl(out).broken == []


# -- every edition a site of its own; addresses for life ----------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _reached_or_forwarding(out: Path) -> set[str]:
    """Every file of ``out`` that nothing links to, but the 404 pages, the forwarding pages and
    the manifests and folder files."""
    found = crawl(out)
    assert found.broken == []
    reached = {p.relative_to(out.resolve()).as_posix() for p in found.pages}
    forwarding = set(_manifest(out)["redirects"])
    left = set()
    for path in out.rglob("*.html"):
        name = path.relative_to(out).as_posix()
        if name not in reached and name not in forwarding and not name.endswith("404.html"):
            left.add(name)
    return left


def test_building_2025_then_2023_then_2025_keeps_each_edition_a_site_of_its_own(
    built: Built, tmp_path: Path
) -> None:
    out = tmp_path / "live"
    publisher = get_settings().publisher
    (out / "projekte").mkdir(parents=True)
    (out / "projekte" / "eigene-seite.html").write_text("bleibt", encoding="utf-8")
    with built.sessions() as session:
        first = build_site(session, out, publisher, documents=False)
        first_files = set(_manifest(out)["files"]) | {
            f"ausgaben/2025-04-01/{f}" for f in _manifest(out / "ausgaben/2025-04-01")["files"]
        }
        top_before = _files(out)
        older = build_site(session, out, publisher, cutoff=CUTOFF_2023, documents=False)
        top_after = {n: b for n, b in _files(out).items() if not n.startswith("ausgaben/2023")}
        again = build_site(session, out, publisher, documents=False)
    assert first.at_top and not older.at_top and again.at_top
    # The older edition's build left the newest one untouched (robots.txt and the open-data
    # catalogue describe the whole folder: the catalogue now lists the older edition too).
    folder_files = ("robots.txt", "catalog.ttl")
    assert {n: b for n, b in top_after.items() if n not in folder_files} == {
        n: b for n, b in top_before.items() if n not in folder_files
    }
    catalog = (out / "catalog.ttl").read_text(encoding="utf-8")
    assert "ausgaben/2023-10-01/downloads/" in catalog
    assert "ausgaben/2023-10-01/downloads/" not in top_before["catalog.ttl"].decode()
    start = _text(_doc(out / "index.html").find(".//main"))
    assert "Stand: 01.04.2025" in start
    older_start = _doc(out / "ausgaben/2023-10-01/index.html")
    assert "Stand: 01.10.2023" in _text(older_start.find(".//main"))
    assert "Zur aktuellen Ausgabe (Stand 01.04.2025)" in _text(
        older_start.find_class("edition-banner")[0]
    )
    # 2023's own pages: project 1.1.4.2 of 2023 is 1.1.4.1 in 2025, each site its number.
    with built.sessions() as session:
        pid = session.scalars(
            select(EditionEntry.project_id)
            .join(Edition)
            .where(Edition.cutoff == CUTOFF_2023, EditionEntry.number == "1.1.4.2")
        ).one()
    assert (
        _doc(out / "ausgaben/2023-10-01" / project_path(pid)).get_element_by_id("projekt-1.1.4.2")
        is not None
    )
    top_page = _doc(out / project_path(pid))
    assert top_page.get_element_by_id("projekt-1.1.4.1") is not None
    # ... and the top's history links the block as 2023 printed it.
    hrefs = {a.get("href") for a in top_page.iter("a")}
    assert f"../ausgaben/2023-10-01/{project_path(pid)}" in hrefs
    # Every file of the first build is still there and linked; every link resolves.
    assert all((out / name).is_file() for name in first_files)
    assert _reached_or_forwarding(out) == {"projekte/eigene-seite.html"}  # not ours: kept
    assert (out / "projekte" / "eigene-seite.html").read_text(encoding="utf-8") == "bleibt"


def test_a_rebuild_removes_what_its_previous_build_wrote_and_no_longer_writes(
    built: Built, tmp_path: Path
) -> None:
    out = tmp_path / "live"
    publisher = get_settings().publisher
    with built.sessions() as session:
        build_site(session, out, publisher, documents=False)
        # A page an earlier build wrote (say, a project since merged into another).
        manifest = json.loads((out / ".nhr-site.json").read_text(encoding="utf-8"))
        manifest["files"].append("projekte/99999.html")
        (out / ".nhr-site.json").write_text(json.dumps(manifest), encoding="utf-8")
        (out / "projekte" / "99999.html").write_text("alt", encoding="utf-8")
        (out / "projekte" / "99998.html").write_text("nicht von uns", encoding="utf-8")
        result = build_site(session, out, publisher, documents=False)
    assert result.removed == ("projekte/99999.html",)
    assert not (out / "projekte" / "99999.html").exists()
    assert (out / "projekte" / "99998.html").read_text(encoding="utf-8") == "nicht von uns"


def test_every_old_title_address_forwards_to_the_address_for_life(built: Built) -> None:
    with built.sessions() as session:
        older = edition_view(session, CUTOFF_2023)
    for block in [*older.projects(), *built.edition_2025.projects()]:
        old = legacy_project_path(block.project_id, block.short_title or block.title)
        page = built.out_2025 / old
        doc = _doc(page)
        refresh = doc.find(".//meta[@http-equiv='refresh']")
        target = f"../{project_path(block.project_id)}"
        assert refresh is not None and refresh.get("content") == f"0; url={target}"
        assert doc.find(".//link[@rel='canonical']").get("href") == target
        assert doc.find(".//meta[@name='robots']").get("content") == "noindex"
        assert (built.out_2025 / project_path(block.project_id)).is_file()
    # The issue's example: 2023's address of a project renamed since.
    assert (built.out_2025 / "projekte/43-mint-foerderung.html").is_file()
    assert (built.out_2025 / "projekte/43-mint-foerderung-bildungsregion.html").is_file()


def test_the_start_page_counts_the_projects_completed_since_2023_and_links_them(
    built: Built,
) -> None:
    doc = _doc(built.out_2025 / "index.html")
    completed = doc.get_element_by_id("seit-umgesetzt")
    assert _text(completed.find(".//summary")) == "10 Projekte umgesetzt"
    links = [a.get("href") for a in completed.iter("a")]
    assert len(links) == 10 and all((built.out_2025 / h).is_file() for h in links)
    titles = {_text(a) for a in completed.iter("a")}
    # Umgesetzt already in 2023, archived since: not completed since 2023.
    with built.sessions() as session:
        already = session.scalars(
            select(Project.title)
            .join(EditionEntry)
            .join(Edition)
            .where(Edition.cutoff == CUTOFF_2023, EditionEntry.status == "umgesetzt")
        ).all()
    assert titles.isdisjoint(already)


def test_a_dropped_project_shows_its_last_printed_block(built: Built) -> None:
    row = next(r for r in built.edition_2025.archive_dropped if r.last_mention == CUTOFF_2023)
    assert row.project_id is not None
    page = _doc(built.out_2025 / project_path(row.project_id))
    main = _text(page.find(".//main"))
    assert "Entfallen." in main and "So stand das Projekt im Report zum Stand 01.10.2023" in main
    with built.sessions() as session:
        older = edition_view(session, CUTOFF_2023)
    block = next(p for p in older.projects() if p.project_id == row.project_id)
    article = page.get_element_by_id(f"projekt-{block.number}")
    report = lxml.html.document_fromstring(render_html(older))
    assert _text(article) == _text(report.get_element_by_id(f"projekt-{block.number}"))


def test_project_pages_and_the_list_name_departments_and_kommunen(
    built: Built, tmp_path: Path
) -> None:
    p = next(p for p in built.edition_2025.projects() if p.municipalities and p.departments)
    code = p.departments[0]
    with built.sessions() as session:
        import_departments(
            session, Auditor(session, actor="test", now=utcnow()), [(code, "Abteilung für Tests")]
        )
        build_site(session, tmp_path / "named", get_settings().publisher, documents=False)
        report = render_html(edition_view(session, CUTOFF_2025))
        session.rollback()
    page = _doc(tmp_path / "named" / project_path(p.project_id))
    facts = _text(page.find_class("facts")[0])
    assert f"Abteilung für Tests ({code})" in facts
    assert " ".join(p.municipalities.split()) in facts
    listed = _doc(tmp_path / "named" / "projektliste.html")
    assert f"{code} – Abteilung für Tests" in [_text(o) for o in listed.iter("option")]
    assert "Abteilung für Tests" not in report  # the report prints the codes as printed


def test_with_a_site_url_pages_have_absolute_canonicals_and_a_sitemap(
    built: Built, tmp_path: Path
) -> None:
    publisher = replace(get_settings().publisher, site_url="https://nachhaltigkeit.example.de")
    out = tmp_path / "public"
    with built.sessions() as session:
        build_site(session, out, publisher, cutoff=CUTOFF_2023, documents=False)
        build_site(session, out, publisher, documents=False)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://nachhaltigkeit.example.de/index.html</loc>" in sitemap
    assert (
        "<loc>https://nachhaltigkeit.example.de/ausgaben/2023-10-01/projektliste.html</loc>"
        in sitemap
    )
    assert "404.html" not in sitemap and "-mint-foerderung.html" not in sitemap
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://nachhaltigkeit.example.de/sitemap.xml" in robots
    doc = _doc(out / "projektliste.html")
    assert doc.find(".//link[@rel='canonical']").get("href") == (
        "https://nachhaltigkeit.example.de/projektliste.html"
    )
    assert len(doc.find(".//meta[@name='description']").get("content")) > 50
    missing = _doc(out / "404.html")
    assert missing.find(".//main//a").get("href").startswith("https://nachhaltigkeit.example.de/")


def test_every_page_has_a_short_title_a_favicon_and_the_legal_links(built: Built) -> None:
    forwarding = set(_manifest(built.out_2025)["redirects"])
    for path in built.out_2025.rglob("*.html"):
        doc = _doc(path)
        assert len(doc.findtext(".//title")) <= 70, path
        assert doc.find(".//link[@rel='icon']") is not None
        if path.relative_to(built.out_2025).as_posix() in forwarding:
            continue
        footer = {_text(a) for a in doc.find(".//footer").iter("a")}
        assert {
            "Impressum",
            "Datenschutz",
            "Erklärung zur Barrierefreiheit",
            "Leichte Sprache",
        } <= footer, path
    statement = _text(_doc(built.out_2025 / "barrierefreiheit.html").find(".//main"))
    assert "teilweise vereinbar" in statement
    assert "Ombudsstelle für barrierefreie Informationstechnik" in statement
    assert "Barrieren melden" in statement and "Nicht barrierefreie Inhalte" in statement
    assert "Leichte Sprache" in _text(_doc(built.out_2025 / "leichte-sprache.html"))
