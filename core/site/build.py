"""Write an edition as a static website (``nhr site``).

The pages come from ``templates/site/`` through the report's own Jinja environment and filters
(:func:`core.render.environment.report_environment`), fed with the same
:class:`~core.view.AssembledEdition` as the PDF and DOCX, so the website and the printed report
cannot disagree.

Every edition is a complete site of its own under ``ausgaben/<JJJJ-MM-TT>/``; the newest
published edition is written once more at the top of the folder, with pages forwarding the
addresses earlier versions gave the projects. Each of these sites is rewritten as a whole and
removes only what its own previous build wrote (:mod:`core.site.output`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup
from sqlalchemy.orm import Session

from core import texts
from core.config import Publisher, RenderOptions, font_folders
from core.dates import format_day
from core.documents import document_name
from core.frozen import edition_view
from core.opendata.license import OpenData
from core.render.environment import report_environment, templates_root
from core.site.data import (
    DOWNLOAD_DIR,
    Download,
    EditionRecord,
    Redirect,
    SiteData,
    build_site_data,
    legacy_paths,
    load_department_names,
    load_editions,
    load_history,
    load_project_titles,
)
from core.site.downloads import DOWNLOAD_FORMATS, format_labels
from core.site.output import (
    EDITIONS_DIR,
    Manifest,
    TargetFiles,
    built_editions,
    edition_prefix,
    read_manifest,
    write_target,
)
from core.texts import os_reason
from core.view import AssembledEdition

ASSETS = ("site.css", "print.css", "filter.js", "favicon.svg")
SEARCH_INDEX = "assets/suchindex.js"
INDEX = "index.html"
PROJECT_LIST = "projektliste.html"
ARCHIVE = "archiv.html"
EDITIONS = "ausgaben.html"
ACCESSIBILITY = "barrierefreiheit.html"
EASY_LANGUAGE = "leichte-sprache.html"
IMPRINT = "impressum.html"
PRIVACY = "datenschutz.html"
NOT_FOUND = "404.html"
TITLE_LIMIT = 70


class SiteError(Exception):
    """The site cannot be written; ``str(err)`` is a short German message."""


def field_page(number: int) -> str:
    """The address of a Themenfeld's page."""
    return f"themenfeld-{number}.html"


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
        return next(
            (e for e in editions if e.cutoff == collecting),
            EditionRecord(cutoff=collecting, published=False, full=True),
        )
    if requested is not None:
        match = next((e for e in editions if e.cutoff == requested), None)
        if match is None:
            raise SiteError(texts.SITE_EDITION_UNKNOWN.format(day=format_day(requested)))
        if not match.published and not draft:
            raise SiteError(texts.SITE_EDITION_UNPUBLISHED.format(day=format_day(requested)))
        return match
    candidates = editions if draft else [e for e in editions if e.published]
    if not candidates:
        raise SiteError(texts.SITE_NOTHING_PUBLISHED)
    return max(candidates, key=lambda e: e.cutoff)


def prepare_out(out: Path) -> Path:
    """Create the output folder (and check it is a writable folder) before any work."""
    if out.exists() and not out.is_dir():
        raise SiteError(texts.SITE_OUT_IS_FILE.format(out=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".nhr-site-schreibtest"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        reason = os_reason(err)
        raise SiteError(texts.SITE_OUT_NOT_WRITABLE.format(out=out, reason=reason)) from err
    return out


@dataclass(frozen=True)
class SiteResult:
    """What a build wrote."""

    out: Path
    pages: int  # pages of the edition's own site
    files: int  # files written or kept in all targets
    documents_rendered: tuple[str, ...]
    start: Path  # the start page of the edition's own site
    at_top: bool  # the edition is also the site at the top of the folder
    removed: tuple[str, ...] = ()  # files of earlier builds removed (relative to ``out``)


def write_downloads(
    edition: AssembledEdition,
    folder: Path,
    *,
    documents: bool,
    publisher: Publisher,
    font_paths: Sequence[Path] | None = None,
    on_document: Callable[[Path], None] | None = None,
    open_data: OpenData | None = None,
) -> tuple[list[str], list[str]]:
    """Every download format into ``folder/downloads``: the open data (JSON, CSV, XLSX, with
    the JSON Schema and the licence note) always, the documents (PDF, DOCX; the PDF's fonts
    from the folders ``font_paths``, None: the system's) unless ``documents`` is off. A
    published edition's document already there is kept (a published edition does not change).
    Returns the names (relative to ``folder``) and the documents rendered."""
    from core.opendata.files import write_open_data

    target = folder / DOWNLOAD_DIR
    target.mkdir(parents=True, exist_ok=True)
    stem = document_name(edition.cutoff, "json", draft=edition.draft).removesuffix(".json")
    written = write_open_data(edition, target, stem, publisher, open_data or OpenData())
    names = [f"{DOWNLOAD_DIR}/{path.name}" for path in written]
    rendered: list[str] = []
    options = RenderOptions(publisher, font_folders(font_paths))
    for fmt in DOWNLOAD_FORMATS:
        if fmt.write is None:
            continue
        name = document_name(edition.cutoff, fmt.fmt, draft=edition.draft)
        path = target / name
        if not edition.draft and path.is_file():
            names.append(f"{DOWNLOAD_DIR}/{name}")
            continue
        if not documents:
            continue
        fmt.write(edition, path, options)
        names.append(f"{DOWNLOAD_DIR}/{name}")
        rendered.append(fmt.fmt)
        if on_document is not None:
            on_document(path)
    return names, rendered


def downloads_of(names: list[str] | tuple[str, ...], prefix: str) -> tuple[Download, ...]:
    """The downloads among a site's files, in the order of the formats (hrefs from the top)."""
    found = []
    for fmt in DOWNLOAD_FORMATS:
        for name in names:
            file = name.removeprefix(f"{DOWNLOAD_DIR}/")
            if (
                file != name
                and file.startswith("nachhaltigkeitsreport-")
                and file.endswith(f".{fmt.fmt}")
            ):
                found.append(Download(fmt=fmt.fmt, href=f"{prefix}{name}"))
    return tuple(found)


def _contact_href(value: str) -> str:
    """A configured address as a link: an e-mail address becomes ``mailto:``."""
    if "@" in value and "://" not in value and not value.startswith("mailto:"):
        return f"mailto:{value}"
    return value


def page_title(title: str, suffix: str, limit: int = TITLE_LIMIT) -> str:
    """``title – suffix`` within ``limit`` characters (the title shortened at a word)."""
    room = limit - len(suffix) - 3
    text = " ".join(title.split())
    if len(text) > room:
        cut = text[: room - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
        text = f"{cut}…"
    return f"{text} – {suffix}" if text else suffix


def _description(text: str) -> str:
    words = " ".join(text.split())
    if len(words) > 155:
        words = words[:154].rsplit(" ", 1)[0] + "…"
    return words


def render_pages(site: SiteData, *, site_url: str = "") -> dict[str, str]:
    """Every page of the site: relative path -> HTML."""
    env = report_environment()
    ed = site.edition
    pages: dict[str, str] = {}
    up = "../" * site.prefix.count("/")
    pub = site.publisher
    links = {
        "index": INDEX,
        "list": PROJECT_LIST,
        "archive": ARCHIVE,
        "editions": EDITIONS,
        "accessibility": pub.accessibility or ACCESSIBILITY,
        "easy": EASY_LANGUAGE,
        "imprint": _contact_href(pub.imprint) if pub.imprint else IMPRINT,
        "privacy": _contact_href(pub.privacy) if pub.privacy else PRIVACY,
        "feedback": _contact_href(pub.feedback) if pub.feedback else "",
    }

    def href(target: str, root: str) -> str:
        return target if "://" in target or target.startswith("mailto:") else root + target

    def render(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        if path == NOT_FOUND and site_url:
            root = f"{site_url}/{site.prefix}"  # served for any address: absolute links
        canonical = f"{site_url}/{site.prefix}{path}" if site_url else f"{root}{path}"
        pages[path] = env.get_template(f"site/{template}").render(
            site=site,
            edition=ed,
            publisher=pub,
            root=root,
            top=root + up,
            path=path,
            canonical=context.pop("canonical", canonical),
            field_page=field_page,
            pages=links,
            href=lambda target: Markup(href(target, root)),
            format_labels=format_labels(),
            page_title=lambda title, suffix: page_title(Markup(title).unescape(), suffix),
            describe=_description,
            **context,
        )

    render("index.html.j2", INDEX)
    for fld in ed.fields:
        render("field.html.j2", field_page(fld.number), field=fld)
    render("projects.html.j2", PROJECT_LIST)
    render("archive.html.j2", ARCHIVE)
    render("editions.html.j2", EDITIONS)
    if not pub.accessibility:
        render("accessibility.html.j2", ACCESSIBILITY)
    render("easy.html.j2", EASY_LANGUAGE)
    if not pub.imprint:
        render("legal.html.j2", IMPRINT, kind="imprint")
    if not pub.privacy:
        render("legal.html.j2", PRIVACY, kind="privacy")
    render("404.html.j2", NOT_FOUND)
    for page in site.pages:
        render("project.html.j2", page.path, page=page)
    for redirect in site.redirects:
        target = "../" * redirect.path.count("/") + redirect.target
        render(
            "redirect.html.j2",
            redirect.path,
            target=target,
            canonical=(f"{site_url}/{site.prefix}{redirect.target}" if site_url else target),
        )
    return pages


def search_index(site: SiteData) -> str:
    """The list's search data as a script (no fetch: it works from ``file://``): per printed
    project its title, description, remark, milestones and consultations in lower case."""
    entries: dict[str, str] = {}
    for p in site.edition.projects():
        parts = [p.title, p.short_title, p.description.words(), p.remark.words(), p.municipalities]
        for entry in (*p.milestones_done, *p.planning_steps, *p.milestones_planned):
            parts += [entry.text, *entry.items]
        for c in p.consultations:
            parts += [c.gremium, c.note or "", c.printed or ""]
        for s in p.more_sections:
            parts += [s.label, s.text.words()]
        entries[str(p.project_id)] = " ".join(" ".join(parts).split()).lower()
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    return f"{texts.SITE_SEARCH_INDEX_COMMENT}\nwindow.NHR_SUCHINDEX = {data};\n"


def site_files(site: SiteData, *, site_url: str = "", logo: Path | None = None) -> TargetFiles:
    """The pages and assets of ``site`` (not yet written)."""
    files = TargetFiles()
    source = templates_root() / "site"
    for name in ASSETS:
        files.copies[f"assets/{name}"] = source / name
    if logo is not None:
        files.copies[f"assets/logo{logo.suffix.lower()}"] = logo
    files.texts[SEARCH_INDEX] = search_index(site)
    pages = render_pages(site, site_url=site_url)
    files.texts.update(pages)
    redirects = {r.path for r in site.redirects}
    files.redirects = redirects
    files.pages = [p for p in pages if p not in redirects and p != NOT_FOUND]
    return files


def write_site(site: SiteData, out: Path, *, logo: Path | None = None) -> int:
    """Write the pages and assets of ``site`` into ``out``; returns the number of pages."""
    files = site_files(site, logo=logo)
    write_target(out, files, edition=site.edition.cutoff, draft=site.edition.draft)
    return len(files.texts) - 1


def _newest_published(editions: list[EditionRecord]) -> date | None:
    published = [e.cutoff for e in editions if e.full and e.published]
    return max(published) if published else None


def _earlier_editions(
    session: Session, editions: list[EditionRecord], cutoff: date
) -> dict[date, AssembledEdition]:
    return {
        e.cutoff: edition_view(session, e.cutoff)
        for e in editions
        if e.full and e.published and e.cutoff < cutoff
    }


def _editions_downloads(out: Path, built: dict[date, Manifest]) -> dict[date, tuple[Download, ...]]:
    return {c: downloads_of(m.files, edition_prefix(c)) for c, m in built.items()}


def write_folder_files(out: Path, site_url: str) -> None:
    """``robots.txt`` and (with a public address) ``sitemap.xml`` of the whole folder: every
    indexable page of the top site and of the published editions' sites."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        urls: list[str] = []
        top = read_manifest(out)
        if top is not None and not top.draft:
            urls += [f"{site_url}/{p}" for p in top.pages]
        for cutoff, manifest in sorted(built_editions(out).items()):
            if not manifest.draft:
                urls += [f"{site_url}/{edition_prefix(cutoff)}{p}" for p in manifest.pages]
        body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
        (out / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n",
            encoding="utf-8",
        )
        lines.append(f"Sitemap: {site_url}/sitemap.xml")
    (out / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_site(
    session: Session,
    out: Path,
    publisher: Publisher,
    *,
    cutoff: date | None = None,
    draft: bool = False,
    collecting: date | None = None,
    documents: bool = True,
    font_paths: Sequence[Path] | None = None,
    on_document: Callable[[Path], None] | None = None,
    open_data: OpenData | None = None,
) -> SiteResult:
    """Choose the edition (``collecting``: the edition being collected, for ``draft``), check
    the folder, write the edition's own site and, for the newest published edition, the site at
    the top of the folder; then the open-data catalogue of every edition in the folder
    (``catalog.ttl``). The documents (PDF, DOCX) name ``publisher`` and are set in the fonts of
    ``font_paths`` (``FONT_DIRS`` of the caller's settings; None: the system's)."""
    record = choose_edition(session, cutoff, draft=draft, collecting=collecting)
    prepare_out(out)
    if publisher.logo is not None and not publisher.logo.is_file():
        raise SiteError(texts.SITE_LOGO_MISSING.format(path=publisher.logo))
    site_url = publisher.site_url
    edition = edition_for_site(session, record.cutoff)
    editions = load_editions(session)
    newest = _newest_published(editions)
    at_top = not edition.draft and record.cutoff == newest
    history = load_history(session, record.cutoff)
    earlier = _earlier_editions(session, editions, record.cutoff)
    names = load_department_names(session)
    own_prefix = edition_prefix(record.cutoff)
    own = out / own_prefix
    open_data = open_data or OpenData()
    download_names, rendered = write_downloads(
        edition,
        own,
        documents=documents,
        on_document=on_document,
        publisher=publisher,
        font_paths=font_paths,
        open_data=open_data,
    )
    built = built_editions(out)
    sites = frozenset({*built, record.cutoff})
    downloads = _editions_downloads(out, built)
    downloads[record.cutoff] = downloads_of(download_names, own_prefix)
    base = build_site_data(
        edition,
        publisher,
        history,
        editions,
        downloads,
        earlier=earlier,
        departments=names,
        sites=sites,
    )
    top = read_manifest(out)
    current = top.edition if top is not None and not at_top else None
    logo_href = f"assets/logo{publisher.logo.suffix.lower()}" if publisher.logo else None
    site = replace(
        base,
        prefix=own_prefix,
        logo_href=logo_href,
        current=current if current != record.cutoff else None,
    )
    files = site_files(site, site_url=site_url, logo=publisher.logo)
    files.kept.update(download_names)
    removed = [
        f"{own_prefix}{n}"
        for n in write_target(own, files, edition=record.cutoff, draft=edition.draft)
    ]
    pages = len(files.texts) - 1
    count = len(files.names())
    if at_top:
        legacy = legacy_paths([*earlier.values(), edition], load_project_titles(session))
        redirects = tuple(
            Redirect(path, page.path)
            for path, pid in sorted(legacy.items())
            if (page := base.page_of(pid)) is not None
        )
        top_site = replace(base, prefix="", logo_href=logo_href, redirects=redirects)
        top_files = site_files(top_site, site_url=site_url, logo=publisher.logo)
        removed += write_target(
            out, top_files, edition=record.cutoff, draft=False, reserved=(f"{EDITIONS_DIR}/",)
        )
        count += len(top_files.names())
    write_folder_files(out, site_url)
    from core.opendata.files import write_catalog

    write_catalog(
        session,
        out,
        publisher,
        open_data,
        downloads,
        root_edition=record.cutoff if at_top else None,
    )
    return SiteResult(
        out=out,
        pages=pages,
        files=count,
        documents_rendered=tuple(rendered),
        start=own / INDEX,
        at_top=at_top,
        removed=tuple(removed),
    )
