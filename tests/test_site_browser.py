"""The website in a real browser: headless Chromium (Debian's package) through Playwright,
axe-core (WCAG 2.1 A/AA and best practices) at 1280 and 375 px, the project list's filter and
search with and without JavaScript, tables at 320 px. The site holds both real editions: the
newest at the top and the older one under ausgaben/2023-10-01/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from support.browser import LAUNCH_ARGS, require_chromium
from support.seeds import CUTOFF_2023, CUTOFF_2025, SEED_2023, SEED_2025, require_seed
from support.site import seeded_sessions

from core.config import get_settings
from core.frozen import edition_view
from core.models import Department, Edition, EditionEntry, ProjectDepartment
from core.site.build import build_site
from core.site.data import project_path

pytestmark = pytest.mark.slow

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OLDER = "ausgaben/2023-10-01/"


@dataclass(frozen=True)
class Site:
    root: Path
    busy: str  # a printed project with milestones and consultations
    dropped: str  # a dropped project's page, showing its last block
    department: str  # a department code with several projects
    department_numbers: set[str]
    total: int

    def url(self, page: str) -> str:
        return (self.root / page).as_uri()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Both real editions built into one folder (2023's own site, then 2025 at the top), with
    generated Impressum and Datenschutz pages."""
    seeds = [require_seed(SEED_2023), require_seed(SEED_2025)]
    tmp = tmp_path_factory.mktemp("browser-site")
    sessions = seeded_sessions(tmp / "nhr.sqlite3", seeds)
    publisher = replace(get_settings().publisher, imprint="", privacy="")
    with sessions() as session:
        build_site(session, tmp / "site", publisher, cutoff=CUTOFF_2023, documents=False)
        build_site(session, tmp / "site", publisher, documents=False)
        edition = edition_view(session, CUTOFF_2025)
        rows = session.execute(
            select(Department.code, EditionEntry.number)
            .join(ProjectDepartment, ProjectDepartment.department_id == Department.id)
            .join(EditionEntry, EditionEntry.project_id == ProjectDepartment.project_id)
            .join(Edition, EditionEntry.edition_id == Edition.id)
            .where(Edition.cutoff == CUTOFF_2025)
        ).all()
    sessions.kw["bind"].dispose()
    printed = {p.number for p in edition.projects()}
    by_code: dict[str, set[str]] = {}
    for code, number in rows:
        if number in printed:
            by_code.setdefault(code, set()).add(number)
    code = max(sorted(by_code), key=lambda c: len(by_code[c]))
    busy = next(
        p
        for p in edition.projects()
        if p.status == "in_bearbeitung" and p.milestones_done and p.consultations
    )
    dropped = next(r for r in edition.archive_dropped if r.project_id is not None)
    assert dropped.project_id is not None
    yield Site(
        tmp / "site",
        project_path(busy.project_id),
        project_path(dropped.project_id),
        code,
        by_code[code],
        len(edition.projects()),
    )


# Module scope: Playwright's sync API keeps an event loop running while it is open, which
# would break every later asyncio test of the same worker process.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless system Chromium for the module."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _pages(site: Site) -> list[str]:
    """One page of every type, at the top and in the older edition's own site."""
    return [
        "index.html",
        "themenfeld-1.html",
        site.busy,
        site.dropped,
        "projektliste.html",
        "archiv.html",
        "ausgaben.html",
        "barrierefreiheit.html",
        "leichte-sprache.html",
        "impressum.html",
        "datenschutz.html",
        "404.html",
        f"{OLDER}index.html",
        f"{OLDER}{site.busy}",
        f"{OLDER}projektliste.html",
        f"{OLDER}archiv.html",
        f"{OLDER}ausgaben.html",
    ]


def test_every_page_type_has_no_axe_violation_at_1280_and_375_px(browser: Any, site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, list[str]] = {}
    ran: set[str] = set()
    for width, height in ((1280, 900), (375, 812)):
        page = browser.new_page(viewport={"width": width, "height": height})
        for name in _pages(site):
            page.goto(site.url(name))
            results = axe.run(
                page,
                options={
                    "runOnly": {"type": "tag", "values": AXE_TAGS},
                    "resultTypes": ["violations"],
                },
            )
            violations = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
                for v in results.response["violations"]
            ]
            if violations:
                found[f"{name} @ {width}"] = violations
            ran |= {
                r["id"]
                for key in ("passes", "violations", "incomplete")
                for r in results.response[key]
            }
        page.close()
    assert found == {}
    # The best practices ran too, among them the landmark and heading rules.
    assert {"landmark-unique", "heading-order", "region", "color-contrast"} <= ran


def _visible_numbers(page: Any) -> list[str]:
    return [
        str(n)
        for n in page.eval_on_selector_all(
            "#projekte tbody tr:not([hidden]) td.number", "cells => cells.map(c => c.textContent)"
        )
    ]


def test_the_filter_is_in_the_address_and_survives_back(browser: Any, site: Site) -> None:
    page = browser.new_page()
    page.goto(site.url("projektliste.html"))
    assert page.is_visible("#filter")
    assert len(_visible_numbers(page)) == site.total == 98
    page.select_option("#f-department", site.department)
    shown = _visible_numbers(page)
    assert set(shown) == site.department_numbers and len(shown) == len(site.department_numbers)
    assert page.text_content("#filter-count") == f"{len(shown)} von 98 Projekten angezeigt"
    page.select_option("#f-department", "")
    page.select_option("#f-status", "umgesetzt")
    both = _visible_numbers(page)
    assert 0 < len(both) < 98
    address = page.url
    assert "status=umgesetzt" in address
    page.click("#projekte tbody tr:not([hidden]) a >> nth=0")
    page.wait_for_selector("h1")
    page.go_back()
    page.wait_for_function("document.querySelector('#f-status').value === 'umgesetzt'")
    assert _visible_numbers(page) == both
    page.close()
    # The address alone restores the filter (a shared link).
    shared = browser.new_page()
    shared.goto(address)
    assert shared.input_value("#f-status") == "umgesetzt"
    assert _visible_numbers(shared) == both
    shared.click("button[type=reset]")
    shared.wait_for_function("document.querySelectorAll('#projekte tbody tr[hidden]').length === 0")
    assert "status=" not in shared.url
    shared.close()


def test_the_search_finds_words_of_milestones_not_shown_in_the_table(
    browser: Any, site: Site
) -> None:
    page = browser.new_page()
    page.goto(site.url("projektliste.html"))
    assert "Gebäudesteckbriefe" not in page.text_content("#projekte")
    page.fill("#f-text", "Gebäudesteckbriefe")
    found = _visible_numbers(page)
    assert 0 < len(found) < 98
    assert "text=Geb%C3%A4udesteckbriefe" in page.url
    page.close()


def test_without_javascript_the_full_list_shows_and_no_dead_filter(
    browser: Any, site: Site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url("projektliste.html") + "?status=umgesetzt")
    assert len(_visible_numbers(page)) == 98
    assert not page.is_visible("#filter")
    context.close()


def test_pages_fit_320_px_with_tables_stacked_and_the_skip_link_first(
    browser: Any, site: Site
) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for name in _pages(site):
        page.goto(site.url(name))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        assert page.evaluate(
            "Array.from(document.querySelectorAll('.table-wrap'))"
            ".every(w => w.scrollWidth <= w.clientWidth)"
        ), name
    # The archive shows every row's date and number at this width.
    page.goto(site.url("archiv.html"))
    assert page.is_visible("#umgesetzt ~ .table-wrap tbody tr:first-child td.date")
    assert page.is_visible("#umgesetzt ~ .table-wrap tbody tr:first-child td.number")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#inhalt"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"
    page.close()
