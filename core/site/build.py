"""Write an edition as a static website (``nhr site``).

The pages come from ``templates/site/`` through the report's own Jinja environment and filters
(:func:`core.render.environment.report_environment`), fed with the same
:class:`~core.view.AssembledEdition` as the PDF and DOCX, so the website and the printed report
cannot disagree. The builder only writes inside the output folder and never deletes anything.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from core.config import Publisher
from core.dates import format_day
from core.frozen import edition_view
from core.render.environment import report_environment, templates_root
from core.site.data import (
    DOWNLOAD_DIR,
    PROJECT_DIR,
    Download,
    EditionRecord,
    SiteData,
    build_site_data,
    load_editions,
    load_history,
)
from core.view import AssembledEdition

ASSETS = ("site.css", "print.css", "filter.js")
DOCUMENT_FORMATS = ("pdf", "docx")
DATA_FORMATS = ("json", "csv")
INDEX = "index.html"
PROJECT_LIST = "projektliste.html"
ARCHIVE = "archiv.html"
EDITIONS = "ausgaben.html"


class SiteError(Exception):
    """The site cannot be written; ``str(err)`` is a short German message."""


def field_page(number: int) -> str:
    """The address of a Themenfeld's page."""
    return f"themenfeld-{number}.html"


def download_name(cutoff: date, fmt: str, *, draft: bool = False) -> str:
    """The file name of a download; the same names as ``nhr render`` and ``nhr export``."""
    return f"nachhaltigkeitsreport-{cutoff.isoformat()}{'-entwurf' if draft else ''}.{fmt}"


def edition_for_site(session: Session, cutoff: date) -> AssembledEdition:
    """The edition the website shows: the one place that decides where it comes from."""
    return edition_view(session, cutoff)


def choose_edition(
    session: Session, requested: date | None, *, draft: bool, collecting: date | None = None
) -> EditionRecord:
    """The edition to publish: the requested one, else the newest published one (or, with
    ``draft``, the edition being collected, ``collecting``; without it the newest of all)."""
    editions = [e for e in load_editions(session) if e.full]
    if requested is None and draft and collecting is not None:
        return next((e for e in editions if e.cutoff == collecting),
                    EditionRecord(cutoff=collecting, published=False, full=True))
    if requested is not None:
        match = next((e for e in editions if e.cutoff == requested), None)
        if match is None:
            raise SiteError(f"Eine Ausgabe zum Stand {format_day(requested)} gibt es nicht.")
        if not match.published and not draft:
            raise SiteError(
                f"Die Ausgabe zum Stand {format_day(requested)} ist noch nicht veröffentlicht. "
                "Mit --draft wird sie als Entwurf geschrieben."
            )
        return match
    candidates = editions if draft else [e for e in editions if e.published]
    if not candidates:
        raise SiteError(
            "Keine veröffentlichte Ausgabe in der Datenbank. Bitte zuerst importieren "
            "(nhr import-report) oder veröffentlichen (nhr edition publish)."
        )
    return max(candidates, key=lambda e: e.cutoff)


def prepare_out(out: Path) -> Path:
    """Create the output folder (and check it is a writable folder) before any work."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} ist eine Datei, kein Ordner. Bitte einen Ordner angeben.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".nhr-site-schreibtest"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SiteError(f"In den Ordner {out} kann nicht geschrieben werden ({reason}).") from err
    return out


@dataclass(frozen=True)
class SiteResult:
    """What a build wrote."""

    out: Path
    pages: int
    files: int
    documents_rendered: tuple[str, ...]


def write_downloads(
    edition: AssembledEdition, out: Path, *, documents: bool,
    on_document: Callable[[Path], None] | None = None,
) -> tuple[list[Path], list[str]]:
    """JSON and CSV always; PDF and DOCX unless ``documents`` is off. A published edition's
    PDF/DOCX already in the folder is kept (a published edition does not change)."""
    from core.export import edition_json, project_list_csv

    folder = out / DOWNLOAD_DIR
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    rendered: list[str] = []
    json_path = folder / download_name(edition.cutoff, "json", draft=edition.draft)
    json_path.write_text(
        json.dumps(edition_json(edition), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    csv_path = folder / download_name(edition.cutoff, "csv", draft=edition.draft)
    csv_path.write_text(project_list_csv(edition), encoding="utf-8")
    written += [json_path, csv_path]
    if not documents:
        return written, rendered
    for fmt in DOCUMENT_FORMATS:
        path = folder / download_name(edition.cutoff, fmt, draft=edition.draft)
        if edition.draft or not path.exists():
            if fmt == "pdf":
                from core.render.pdf import render_pdf

                render_pdf(edition, path)
            else:
                from core.render.docx import render_docx

                render_docx(edition, path)
            rendered.append(fmt)
            if on_document is not None:
                on_document(path)
        written.append(path)
    return written, rendered


def downloads_in(out: Path, editions: list[EditionRecord], current: AssembledEdition
                 ) -> dict[date, tuple[Download, ...]]:
    """The downloads present in the folder per edition (older builds stay reachable)."""
    found: dict[date, tuple[Download, ...]] = {}
    cutoffs = {e.cutoff: e.published for e in editions}
    cutoffs[current.cutoff] = not current.draft
    for cutoff in cutoffs:
        draft = cutoff == current.cutoff and current.draft
        items = []
        for fmt in (*DOCUMENT_FORMATS, *DATA_FORMATS):
            name = download_name(cutoff, fmt, draft=draft)
            if (out / DOWNLOAD_DIR / name).is_file():
                items.append(Download(fmt=fmt, href=f"{DOWNLOAD_DIR}/{name}"))
        found[cutoff] = tuple(items)
    return found


def render_pages(site: SiteData) -> dict[str, str]:
    """Every page of the site: relative path -> HTML."""
    env = report_environment()
    ed = site.edition
    pages: dict[str, str] = {}

    def render(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        pages[path] = env.get_template(f"site/{template}").render(
            site=site, edition=ed, publisher=site.publisher, root=root, path=path,
            field_page=field_page, pages={
                "index": INDEX, "list": PROJECT_LIST, "archive": ARCHIVE,
                "editions": EDITIONS,
            },
            **context,
        )

    render("index.html.j2", INDEX)
    for fld in ed.fields:
        render("field.html.j2", field_page(fld.number), field=fld)
    render("projects.html.j2", PROJECT_LIST)
    render("archive.html.j2", ARCHIVE)
    render("editions.html.j2", EDITIONS)
    for page in site.pages:
        render("project.html.j2", page.path, page=page)
    return pages


def write_site(
    site: SiteData, out: Path, *, logo: Path | None = None
) -> int:
    """Write the pages and assets of ``site`` into ``out``; returns the number of pages."""
    (out / PROJECT_DIR).mkdir(exist_ok=True)
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    source = templates_root() / "site"
    for name in ASSETS:
        shutil.copyfile(source / name, assets / name)
    if logo is not None:
        shutil.copyfile(logo, assets / f"logo{logo.suffix.lower()}")
    pages = render_pages(site)
    for path, html in pages.items():
        (out / path).write_text(html, encoding="utf-8")
    return len(pages)


def build_site(
    session: Session,
    out: Path,
    publisher: Publisher,
    *,
    cutoff: date | None = None,
    draft: bool = False,
    collecting: date | None = None,
    documents: bool = True,
    on_document: Callable[[Path], None] | None = None,
) -> SiteResult:
    """Choose the edition (``collecting``: the edition being collected, for ``draft``), check
    the folder, write downloads and pages."""
    record = choose_edition(session, cutoff, draft=draft, collecting=collecting)
    prepare_out(out)
    if publisher.logo is not None and not publisher.logo.is_file():
        raise SiteError(f"Die Logo-Datei {publisher.logo} gibt es nicht.")
    edition = edition_for_site(session, record.cutoff)
    editions = load_editions(session)
    history = load_history(session, record.cutoff)
    written, rendered = write_downloads(edition, out, documents=documents,
                                        on_document=on_document)
    site = build_site_data(edition, publisher, history, editions,
                           downloads_in(out, editions, edition))
    if publisher.logo is not None:
        site = replace(site, logo_href=f"assets/logo{publisher.logo.suffix.lower()}")
    count = write_site(site, out, logo=publisher.logo)
    return SiteResult(out=out, pages=count, files=count + len(written) + len(ASSETS),
                      documents_rendered=tuple(rendered))
