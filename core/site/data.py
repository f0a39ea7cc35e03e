"""What the website shows beyond the assembled edition: project pages, history, editions.

Everything here is plain data read from the database (``EditionEntry`` rows for the history,
``Edition`` rows for the list of editions). No wording: the templates in ``templates/site/``
turn it into German text with the report's filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Publisher
from core.models import Edition, EditionEntry, EditionState
from core.status import Status
from core.view import (
    ArchivedDroppedRow,
    ArchivedImplementedRow,
    AssembledEdition,
    FieldChapter,
    GoalSection,
    ProjectBlock,
    StatusGroup,
)

PROJECT_DIR = "projekte"
DOWNLOAD_DIR = "downloads"
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """An address part from a title: "Wärme für Kommunen" -> "waerme-fuer-kommunen"."""
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "projekt"


def project_path(project_id: int, title: str) -> str:
    """The stable address of a project's page, relative to the site root."""
    return f"{PROJECT_DIR}/{project_id}-{slugify(title)}.html"


@dataclass(frozen=True)
class HistoryRow:
    """The number and status a project had in one edition."""

    cutoff: date
    number: str | None  # None: not known (the edition is known from an archive table only)
    status: Status | None
    previous_status: Status | None  # set when the status differs from the row before


@dataclass(frozen=True)
class Placement:
    """Where a printed project stands in the edition."""

    field: FieldChapter
    goal: GoalSection
    group: StatusGroup
    block: ProjectBlock


@dataclass(frozen=True)
class ProjectPage:
    """One project's page: printed in this edition, or archived (completed or dropped)."""

    project_id: int
    path: str
    title: str
    placement: Placement | None
    implemented: ArchivedImplementedRow | None
    dropped: ArchivedDroppedRow | None
    history: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class Download:
    """A file of an edition in the site's download folder."""

    fmt: str  # "pdf", "docx", "json", "csv"
    href: str  # relative to the site root


@dataclass(frozen=True)
class EditionItem:
    """An edition in the list of editions."""

    cutoff: date
    published: bool
    downloads: tuple[Download, ...]


@dataclass(frozen=True)
class ChangeSummary:
    """What changed since the previous edition (None: there is no earlier full edition)."""

    previous: date | None
    completed: int
    new: int
    dropped: int


@dataclass(frozen=True)
class SiteData:
    """Everything the website of one edition shows."""

    edition: AssembledEdition
    publisher: Publisher
    pages: tuple[ProjectPage, ...]  # printed projects in number order, then the archive
    editions: tuple[EditionItem, ...]  # newest first
    changes: ChangeSummary
    downloads: tuple[Download, ...]  # this edition's
    logo_href: str | None = None  # the publisher's logo inside the site

    def page_of(self, project_id: int | None) -> ProjectPage | None:
        """The page of a project, if it has one."""
        if project_id is None:
            return None
        return self._by_id().get(project_id)

    def _by_id(self) -> dict[int, ProjectPage]:
        cached: dict[int, ProjectPage] | None = self.__dict__.get("_pages_by_id")
        if cached is None:
            cached = {p.project_id: p for p in self.pages}
            object.__setattr__(self, "_pages_by_id", cached)
        return cached


@dataclass(frozen=True)
class EditionRecord:
    """An edition as the database knows it."""

    cutoff: date
    published: bool
    full: bool  # False when known from another edition's archive table only


def load_editions(session: Session) -> list[EditionRecord]:
    """All editions, oldest first."""
    rows = session.execute(
        select(Edition.cutoff, Edition.state, Edition.from_archive_only).order_by(Edition.cutoff)
    )
    return [
        EditionRecord(cutoff=c, published=s is EditionState.PUBLISHED, full=not archive_only)
        for c, s, archive_only in rows
    ]


def load_history(session: Session, until: date) -> dict[int, list[tuple[date, str | None,
                                                                      Status | None]]]:
    """Every project's (cutoff, number, status) per edition up to ``until``, oldest first."""
    rows = session.execute(
        select(EditionEntry.project_id, Edition.cutoff, EditionEntry.number, EditionEntry.status)
        .join(Edition, EditionEntry.edition_id == Edition.id)
        .where(Edition.cutoff <= until)
        .order_by(EditionEntry.project_id, Edition.cutoff)
    )
    history: dict[int, list[tuple[date, str | None, Status | None]]] = defaultdict(list)
    for project_id, cutoff, number, status in rows:
        history[project_id].append((cutoff, number, status))
    return history


def history_rows(
    entries: list[tuple[date, str | None, Status | None]], current: ProjectBlock | None,
    cutoff: date,
) -> tuple[HistoryRow, ...]:
    """The history table; an unpublished edition adds the row it is about to print."""
    items = list(entries)
    if current is not None and all(c != cutoff for c, _, _ in items):
        items.append((cutoff, current.number, current.status))
    rows: list[HistoryRow] = []
    last: Status | None = None
    for c, number, status in sorted(items, key=lambda i: i[0]):
        changed = status is not None and last is not None and status is not last
        rows.append(HistoryRow(cutoff=c, number=number, status=status,
                               previous_status=last if changed else None))
        if status is not None:
            last = status
    return tuple(rows)


def build_site_data(
    edition: AssembledEdition,
    publisher: Publisher,
    history: dict[int, list[tuple[date, str | None, Status | None]]],
    editions: list[EditionRecord],
    editions_downloads: dict[date, tuple[Download, ...]],
) -> SiteData:
    """Combine the assembled edition with the history and the list of editions."""
    pages: list[ProjectPage] = []
    for fld in edition.fields:
        for goal in fld.goals:
            for group in goal.groups:
                for block in group.projects:
                    pages.append(ProjectPage(
                        project_id=block.project_id,
                        path=project_path(block.project_id, block.short_title or block.title),
                        title=block.title,
                        placement=Placement(field=fld, goal=goal, group=group, block=block),
                        implemented=None, dropped=None,
                        history=history_rows(history.get(block.project_id, []), block,
                                             edition.cutoff),
                    ))
    printed = {p.project_id for p in pages}
    archived: list[tuple[ArchivedImplementedRow | None, ArchivedDroppedRow | None]] = [
        *((row, None) for row in edition.archive_implemented),
        *((None, row) for row in edition.archive_dropped),
    ]
    for implemented, dropped in archived:
        row = implemented or dropped
        assert row is not None
        if row.project_id is None or row.project_id in printed:
            continue
        printed.add(row.project_id)
        pages.append(ProjectPage(
            project_id=row.project_id, path=project_path(row.project_id, row.title),
            title=row.title, placement=None, implemented=implemented, dropped=dropped,
            history=history_rows(history.get(row.project_id, []), None, edition.cutoff),
        ))
    items = tuple(
        EditionItem(cutoff=e.cutoff, published=e.published,
                    downloads=editions_downloads.get(e.cutoff, ()))
        for e in sorted(editions, key=lambda e: e.cutoff, reverse=True)
        if e.full or e.cutoff == edition.cutoff
    )
    if all(i.cutoff != edition.cutoff for i in items):
        items = tuple(sorted(
            (*items, EditionItem(edition.cutoff, not edition.draft,
                                 editions_downloads.get(edition.cutoff, ()))),
            key=lambda i: i.cutoff, reverse=True,
        ))
    return SiteData(
        edition=edition, publisher=publisher, pages=tuple(pages), editions=items,
        changes=change_summary(edition, history, editions),
        downloads=editions_downloads.get(edition.cutoff, ()),
    )


def change_summary(
    edition: AssembledEdition,
    history: dict[int, list[tuple[date, str | None, Status | None]]],
    editions: list[EditionRecord],
) -> ChangeSummary:
    """Completed, new and dropped projects since the newest earlier full edition."""
    earlier = [e.cutoff for e in editions if e.full and e.cutoff < edition.cutoff]
    if not earlier:
        return ChangeSummary(previous=None, completed=0, new=0, dropped=0)
    previous = max(earlier)
    before = {
        pid: next((s for c, _, s in entries if c == previous), None)
        for pid, entries in history.items()
        if any(c == previous for c, _, _ in entries)
    }
    printed = edition.projects()
    new = sum(1 for p in printed if p.project_id not in before)
    completed = sum(
        1 for p in printed
        if p.status is Status.UMGESETZT and before.get(p.project_id) is not Status.UMGESETZT
    ) + sum(1 for r in edition.archive_implemented if previous < r.report < edition.cutoff)
    dropped = sum(1 for r in edition.archive_dropped if r.last_mention >= previous)
    return ChangeSummary(previous=previous, completed=completed, new=new, dropped=dropped)
