"""The website in a real browser: headless Chromium (Debian's package) through Playwright,
axe-core for WCAG 2.1 A/AA, the project list's filter with and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from support.browser import LAUNCH_ARGS, require_chromium

from core.config import Publisher
from core.db import make_engine, make_session_factory
from core.importer import demo_edition, import_parsed
from core.models import Department, Edition, EditionEntry, ProjectDepartment
from core.site.build import build_site
from core.site.data import project_path
from migrations import upgrade

pytestmark = pytest.mark.slow

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLISHER = Publisher("Kreis Soest", "des Kreises Soest", "https://www.kreis-soest.de", None,
                      "#00614a")


@dataclass(frozen=True)
class DemoSite:
    root: Path
    numbers_80_01: set[str]
    project_page: str  # a project in Bearbeitung with milestones and consultations
    total: int

    def url(self, page: str) -> str:
        return (self.root / page).as_uri()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    """The 98-project demo edition as a website, built once per test session."""
    tmp = tmp_path_factory.mktemp("browser-site")
    engine = make_engine(f"sqlite:///{tmp / 'nhr.sqlite3'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    parsed = demo_edition()
    with sessions.begin() as session:
        import_parsed(session, parsed)
    with sessions() as session:
        build_site(session, tmp / "site", PUBLISHER, documents=False)
        numbers = set(session.scalars(
            select(EditionEntry.number)
            .join(Edition, EditionEntry.edition_id == Edition.id)
            .join(ProjectDepartment, ProjectDepartment.project_id == EditionEntry.project_id)
            .join(Department, ProjectDepartment.department_id == Department.id)
            .where(Edition.cutoff == parsed.cutoff, Department.code == "80.01")
        ))
        total = len(session.scalars(
            select(EditionEntry.id).join(Edition).where(Edition.cutoff == parsed.cutoff)
        ).all())
    engine.dispose()
    from core.frozen import edition_view

    with sessions() as session:
        edition = edition_view(session, parsed.cutoff)
    busy = next(p for p in edition.projects()
                if p.status == "in_bearbeitung" and p.milestones_done and p.consultations)
    return DemoSite(tmp / "site", {n for n in numbers if n},
                    project_path(busy.project_id, busy.short_title or busy.title), total)


# Module scope: Playwright's sync API keeps an event loop running while it is open, which
# would break every later asyncio test of the same worker process.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless system Chromium for the session."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _pages(site: DemoSite) -> list[str]:
    return ["index.html", "themenfeld-1.html", site.project_page, "projektliste.html",
            "archiv.html", "ausgaben.html"]


def test_every_page_type_has_no_wcag_21_a_or_aa_violation(browser: Any, demo_site: DemoSite
                                                          ) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page()
    found: dict[str, list[str]] = {}
    for name in _pages(demo_site):
        page.goto(demo_site.url(name))
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                         "resultTypes": ["violations"]})
        found[name] = [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
                       for v in results.response["violations"]]
        assert results.response["testEngine"]["name"] == "axe-core"
        assert len(results.response["passes"]) + len(results.response["violations"]) > 10
    page.close()
    assert found == {name: [] for name in _pages(demo_site)}


def _visible_numbers(page: Any) -> list[str]:
    return [str(n) for n in page.eval_on_selector_all(
        "#projekte tbody tr:not([hidden]) td.number", "cells => cells.map(c => c.textContent)"
    )]


def test_filtering_the_list_by_department_80_01_shows_exactly_its_projects(
    browser: Any, demo_site: DemoSite
) -> None:
    page = browser.new_page()
    page.goto(demo_site.url("projektliste.html"))
    assert page.is_visible("#filter")
    assert len(_visible_numbers(page)) == demo_site.total == 98
    page.select_option("#f-department", "80.01")
    shown = _visible_numbers(page)
    assert set(shown) == demo_site.numbers_80_01 and len(shown) == len(demo_site.numbers_80_01)
    assert page.text_content("#filter-count") == f"{len(shown)} von 98 Projekten angezeigt"
    page.select_option("#f-status", "ideenspeicher")
    both = _visible_numbers(page)
    assert set(both) < set(shown)
    page.click("button[type=reset]")
    page.wait_for_function("document.querySelectorAll('#projekte tbody tr[hidden]').length === 0")
    page.fill("#f-text", "Radverkehr")
    searched = _visible_numbers(page)
    assert 0 < len(searched) < 98
    page.close()


def test_without_javascript_the_full_list_shows_and_no_dead_filter(
    browser: Any, demo_site: DemoSite
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.url("projektliste.html"))
    assert len(_visible_numbers(page)) == 98
    assert not page.is_visible("#filter")
    context.close()


def test_pages_fit_320_px_and_the_skip_link_comes_first(browser: Any, demo_site: DemoSite
                                                        ) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for name in _pages(demo_site):
        page.goto(demo_site.url(name))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#inhalt"
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert '"top":' in box and page.is_visible(".skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"
    page.close()
