"""Helpers for the website tests: a database with both real editions, and a link crawler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory
from core.importer import import_parsed
from core.importer.parse import parse_edition
from core.models import utcnow
from migrations import upgrade


def seeded_sessions(db_file: Path, seeds: list[Path]) -> sessionmaker[Session]:
    """A migrated SQLite database at ``db_file`` with ``seeds`` imported in order."""
    engine = make_engine(f"sqlite:///{db_file}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    for seed in seeds:
        with sessions.begin() as session:
            import_parsed(session, parse_edition(seed.read_text(encoding="utf-8")), now=utcnow())
    return sessions


@dataclass(frozen=True)
class Crawl:
    """What a crawl of a site folder found."""

    pages: set[Path]  # every HTML page reached from the start page
    broken: list[str]  # "page -> link" for every href/src that does not resolve
    links: int


def crawl(root: Path, start: str = "index.html") -> Crawl:
    """Follow every ``href`` and ``src`` from the start page; check files and fragments."""
    root = root.resolve()
    todo = [root / start]
    seen: set[Path] = set()
    ids: dict[Path, set[str]] = {}
    broken: list[str] = []
    links = 0

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            doc = lxml.html.document_fromstring(page.read_bytes())
            ids[page] = {str(el.get("id")) for el in doc.iter() if el.get("id") is not None}
        return ids[page]

    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        doc = lxml.html.document_fromstring(page.read_bytes())
        for el in doc.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is None:
                    continue
                links += 1
                parts = urlsplit(value)
                if parts.scheme in ("http", "https", "mailto"):
                    continue
                if parts.scheme or parts.netloc:
                    broken.append(f"{page.relative_to(root)} -> {value} (not relative)")
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if not target.is_relative_to(root) or not target.is_file():
                    broken.append(f"{page.relative_to(root)} -> {value}")
                    continue
                if target.suffix == ".html":
                    if parts.fragment and parts.fragment not in ids_of(target):
                        broken.append(f"{page.relative_to(root)} -> {value} (no such id)")
                    todo.append(target)
    return Crawl(pages=seen, broken=broken, links=links)
