"""What the website shows beyond the assembled edition: project pages, history, editions.

Everything here is plain data read from the database (``EditionEntry`` rows for the history,
``Edition`` rows and their frozen records for the list of editions and earlier blocks,
``Department`` rows for the departments' names). No wording: the templates in
``templates/site/`` turn it into German text with the report's filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Publisher
from core.models import Department, Edition, EditionEntry, EditionState, Project
from core.site.output import edition_prefix
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

History = dict[int, list[tuple[date, str | None, Status | None]]]


def slugify(text: str, max_length: int = 60) -> str:
    """An address part from a title: "Wärme für Kommunen" -> "waerme-fuer-kommunen"."""
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "projekt"


def project_path(project_id: int) -> str:
    """The address of a project's page for life, relative to a site's root: its stable id."""
    return f"{PROJECT_DIR}/{project_id}.html"


def legacy_project_path(project_id: int, title: str) -> str:
    """The address earlier versions of the website gave a project (id and title)."""
    return f"{PROJECT_DIR}/{project_id}-{slugify(title)}.html"


@dataclass(frozen=True)
class HistoryRow:
    """The number and status a project had in one edition."""

    cutoff: date
    number: str | None  # None: not known (the edition is known from an archive table only)
    status: Status | None
    previous_status: Status | None  # set when the status differs from the row before
    href: str | None = None  # the project's page in that edition's site, from the top


@dataclass(frozen=True)
class Placement:
    """Where a printed project stands in the edition."""

    field: FieldChapter
    goal: GoalSection
    group: StatusGroup
    block: ProjectBlock


@dataclass(frozen=True)
class EarlierPlacement:
    """A project's block as an earlier edition printed it."""

    cutoff: date
    format: str
    placement: Placement


@dataclass(frozen=True)
class DepartmentName:
    """A department as the website names it: its code and, when known, its name."""

    code: str
    name: str


@dataclass(frozen=True)
class ProjectPage:
    """One project's page: printed in this edition, archived, dropped or no longer printed."""

    project_id: int
    path: str
    title: str
    placement: Placement | None
    implemented: ArchivedImplementedRow | None
    dropped: ArchivedDroppedRow | None
    history: tuple[HistoryRow, ...]
    last: EarlierPlacement | None = None  # not printed now: the last block printed
    departments: tuple[DepartmentName, ...] = ()
    municipalities: str = ""

    @property
    def block(self) -> ProjectBlock | None:
        """The block the page shows: this edition's, else the last one printed."""
        if self.placement is not None:
            return self.placement.block
        return self.last.placement.block if self.last is not None else None


@dataclass(frozen=True)
class Download:
    """A file of an edition in its site's download folder."""

    fmt: str  # "pdf", "docx", "json", "csv", ...
    href: str  # relative to the top of the output folder


@dataclass(frozen=True)
class EditionItem:
    """An edition in the list of editions."""

    cutoff: date
    published: bool
    downloads: tuple[Download, ...]
    href: str | None = None  # its own site, from the top; None: not built in this folder


@dataclass(frozen=True)
class ChangeSummary:
    """What changed since the previous edition (None: there is no earlier full edition)."""

    previous: date | None
    completed: tuple[int, ...] = ()  # project ids
    new: tuple[int, ...] = ()
    dropped: tuple[int, ...] = ()


@dataclass(frozen=True)
class Redirect:
    """An address of an earlier build that now forwards to a project's page."""

    path: str
    target: str


@dataclass(frozen=True)
class SiteData:
    """Everything the website of one edition shows."""

    edition: AssembledEdition
    publisher: Publisher
    pages: tuple[ProjectPage, ...]  # printed projects in number order, then the others
    editions: tuple[EditionItem, ...]  # newest first
    changes: ChangeSummary
    downloads: tuple[Download, ...]  # this edition's
    logo_href: str | None = None  # the publisher's logo inside the site
    departments: dict[str, str] = field(default_factory=dict)  # code -> name
    prefix: str = ""  # where this site stands in the output folder: "" or "ausgaben/<date>/"
    current: date | None = None  # the edition at the top of the folder, if another one
    redirects: tuple[Redirect, ...] = ()

    def page_of(self, project_id: int | None) -> ProjectPage | None:
        """The page of a project, if it has one."""
        if project_id is None:
            return None
        return self._by_id().get(project_id)

    def department(self, code: str) -> DepartmentName:
        """A department code with its name (the name "" when none is recorded)."""
        return DepartmentName(code, self.departments.get(code, ""))

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


def load_history(session: Session, until: date) -> History:
    """Every project's (cutoff, number, status) per edition up to ``until``, oldest first."""
    rows = session.execute(
        select(EditionEntry.project_id, Edition.cutoff, EditionEntry.number, EditionEntry.status)
        .join(Edition, EditionEntry.edition_id == Edition.id)
        .where(Edition.cutoff <= until)
        .order_by(EditionEntry.project_id, Edition.cutoff)
    )
    history: History = defaultdict(list)
    for project_id, cutoff, number, status in rows:
        history[project_id].append((cutoff, number, status))
    return history


def load_department_names(session: Session) -> dict[str, str]:
    """Code -> name of every department that has a name."""
    rows = session.execute(select(Department.code, Department.name))
    return {code: name.strip() for code, name in rows if name and name.strip()}


def load_project_titles(session: Session) -> dict[int, set[str]]:
    """Every project's current title and short title (the old addresses were made of them)."""
    titles: dict[int, set[str]] = defaultdict(set)
    for pid, title, short in session.execute(
        select(Project.id, Project.title, Project.short_title)
    ):
        titles[pid].update(t for t in (title, short) if t)
    return titles


def placements(edition: AssembledEdition) -> Iterable[Placement]:
    """Every printed project with where it stands, in number order."""
    for fld in edition.fields:
        for goal in fld.goals:
            for group in goal.groups:
                for block in group.projects:
                    yield Placement(field=fld, goal=goal, group=group, block=block)


def legacy_paths(
    editions: Iterable[AssembledEdition], titles: dict[int, set[str]]
) -> dict[str, int]:
    """Old address -> project id, for every address an earlier build could have written: the
    printed blocks (short title, else title) and archive rows (title) of ``editions``, and the
    projects' current titles."""
    found: dict[str, int] = {}
    for ed in editions:
        for block in ed.projects():
            found[legacy_project_path(block.project_id, block.short_title or block.title)] = (
                block.project_id
            )
        rows: list[ArchivedImplementedRow | ArchivedDroppedRow] = [
            *ed.archive_implemented,
            *ed.archive_dropped,
        ]
        for row in rows:
            if row.project_id is not None:
                found[legacy_project_path(row.project_id, row.title)] = row.project_id
    for pid, names in titles.items():
        for name in names:
            found.setdefault(legacy_project_path(pid, name), pid)
    return found


def history_rows(
    entries: list[tuple[date, str | None, Status | None]],
    current: ProjectBlock | None,
    cutoff: date,
    project_id: int,
    sites: frozenset[date] = frozenset(),
) -> tuple[HistoryRow, ...]:
    """The history table; an unpublished edition adds the row it is about to print. A row of
    an edition whose own site is in ``sites`` links the project's page there."""
    items = list(entries)
    if current is not None and all(c != cutoff for c, _, _ in items):
        items.append((cutoff, current.number, current.status))
    rows: list[HistoryRow] = []
    last: Status | None = None
    for c, number, status in sorted(items, key=lambda i: i[0]):
        changed = status is not None and last is not None and status is not last
        href = (
            f"{edition_prefix(c)}{project_path(project_id)}" if c in sites and c != cutoff else None
        )
        rows.append(
            HistoryRow(
                cutoff=c,
                number=number,
                status=status,
                previous_status=last if changed else None,
                href=href,
            )
        )
        if status is not None:
            last = status
    return tuple(rows)


def _departments(codes: Iterable[str], names: dict[str, str]) -> tuple[DepartmentName, ...]:
    return tuple(DepartmentName(c, names.get(c, "")) for c in codes)


def _last_placements(
    earlier: dict[date, tuple[str, AssembledEdition]],
) -> dict[int, EarlierPlacement]:
    """Each project's block in the newest of ``earlier`` that printed it."""
    found: dict[int, EarlierPlacement] = {}
    for cutoff in sorted(earlier, reverse=True):
        fmt, ed = earlier[cutoff]
        for place in placements(ed):
            found.setdefault(place.block.project_id, EarlierPlacement(cutoff, fmt, place))
    return found


def build_site_data(
    edition: AssembledEdition,
    publisher: Publisher,
    history: History,
    editions: list[EditionRecord],
    editions_downloads: dict[date, tuple[Download, ...]],
    *,
    earlier: dict[date, AssembledEdition] | None = None,
    departments: dict[str, str] | None = None,
    sites: frozenset[date] = frozenset(),
) -> SiteData:
    """Combine the assembled edition with the history, the earlier editions' blocks and the
    list of editions. ``sites`` are the editions whose own site the output folder holds."""
    names = departments or {}
    pages = _printed_pages(edition, history, names, sites)
    last = _last_placements(
        {c: (e.format, e) for c, e in (earlier or {}).items() if c < edition.cutoff}
    )
    pages += _other_pages(edition, history, last, {p.project_id for p in pages}, names, sites)
    return SiteData(
        edition=edition,
        publisher=publisher,
        pages=tuple(pages),
        editions=_edition_items(edition, editions, editions_downloads, sites),
        changes=change_summary(edition, history, editions),
        downloads=editions_downloads.get(edition.cutoff, ()),
        departments=names,
    )


def _printed_pages(
    edition: AssembledEdition, history: History, names: dict[str, str], sites: frozenset[date]
) -> list[ProjectPage]:
    """The page of every project the edition prints in its chapters, in print order."""
    pages: list[ProjectPage] = []
    for place in placements(edition):
        block = place.block
        pages.append(
            ProjectPage(
                project_id=block.project_id,
                path=project_path(block.project_id),
                title=block.title,
                placement=place,
                implemented=None,
                dropped=None,
                history=history_rows(
                    history.get(block.project_id, []),
                    block,
                    edition.cutoff,
                    block.project_id,
                    sites,
                ),
                departments=_departments(block.departments, names),
                municipalities=block.municipalities,
            )
        )
    return pages


def _other_pages(
    edition: AssembledEdition,
    history: History,
    last: dict[int, EarlierPlacement],
    printed: set[int],
    names: dict[str, str],
    sites: frozenset[date],
) -> list[ProjectPage]:
    """Pages of the projects not in the chapters: the archive's rows (completed, then
    dropped), then the projects an earlier edition printed that this one mentions nowhere."""
    printed = set(printed)
    archived: list[tuple[ArchivedImplementedRow | None, ArchivedDroppedRow | None]] = [
        *((row, None) for row in edition.archive_implemented),
        *((None, row) for row in edition.archive_dropped),
    ]
    others: list[tuple[int, str, ArchivedImplementedRow | None, ArchivedDroppedRow | None]] = []
    for implemented, dropped in archived:
        row = implemented or dropped
        assert row is not None
        if row.project_id is None or row.project_id in printed:
            continue
        printed.add(row.project_id)
        others.append((row.project_id, row.title, implemented, dropped))
    # Projects an earlier edition printed that this one mentions nowhere keep their page too.
    for pid in sorted(last):
        if pid not in printed and pid in history:
            printed.add(pid)
            others.append((pid, last[pid].placement.block.title, None, None))
    return [
        _other_page(pid, title, implemented, dropped, edition, history, last.get(pid), names, sites)
        for pid, title, implemented, dropped in others
    ]


def _other_page(
    pid: int,
    title: str,
    implemented: ArchivedImplementedRow | None,
    dropped: ArchivedDroppedRow | None,
    edition: AssembledEdition,
    history: History,
    earlier_place: EarlierPlacement | None,
    names: dict[str, str],
    sites: frozenset[date],
) -> ProjectPage:
    """One project's page outside the chapters, with its last earlier placement if any."""
    last_block = earlier_place.placement.block if earlier_place else None
    return ProjectPage(
        project_id=pid,
        path=project_path(pid),
        title=title,
        placement=None,
        implemented=implemented,
        dropped=dropped,
        history=history_rows(history.get(pid, []), None, edition.cutoff, pid, sites),
        last=earlier_place,
        departments=_departments(last_block.departments if last_block else (), names),
        municipalities=last_block.municipalities if last_block else "",
    )


def _edition_items(
    edition: AssembledEdition,
    editions: list[EditionRecord],
    editions_downloads: dict[date, tuple[Download, ...]],
    sites: frozenset[date],
) -> tuple[EditionItem, ...]:
    """The list of editions, newest first: every published full edition and this one."""
    items = tuple(
        EditionItem(
            cutoff=e.cutoff,
            published=e.published,
            downloads=editions_downloads.get(e.cutoff, ()),
            href=edition_prefix(e.cutoff) if e.cutoff in sites else None,
        )
        for e in sorted(editions, key=lambda e: e.cutoff, reverse=True)
        if (e.full and e.published) or e.cutoff == edition.cutoff
    )
    if all(i.cutoff != edition.cutoff for i in items):
        items = tuple(
            sorted(
                (
                    *items,
                    EditionItem(
                        edition.cutoff,
                        not edition.draft,
                        editions_downloads.get(edition.cutoff, ()),
                        edition_prefix(edition.cutoff) if edition.cutoff in sites else None,
                    ),
                ),
                key=lambda i: i.cutoff,
                reverse=True,
            )
        )
    return items


def change_summary(
    edition: AssembledEdition, history: History, editions: list[EditionRecord]
) -> ChangeSummary:
    """Completed, new and dropped projects since the newest earlier full edition.

    Completed: every project that has the status umgesetzt in an edition after the previous
    one (archive-only editions included, and this one) but did not have it in the previous one.
    """
    earlier = [e.cutoff for e in editions if e.full and e.cutoff < edition.cutoff]
    if not earlier:
        return ChangeSummary(previous=None)
    previous = max(earlier)
    before = _statuses_at(history, previous)
    printed = edition.projects()
    new = tuple(p.project_id for p in printed if p.project_id not in before)
    since = _statuses_since(history, previous, edition.cutoff)
    for p in printed:
        since[p.project_id].add(p.status)
    completed = tuple(
        sorted(
            pid
            for pid, statuses in since.items()
            if Status.UMGESETZT in statuses and before.get(pid) is not Status.UMGESETZT
        )
    )
    dropped = tuple(
        r.project_id
        for r in edition.archive_dropped
        if r.last_mention >= previous and r.project_id is not None
    )
    return ChangeSummary(previous=previous, completed=completed, new=new, dropped=dropped)


def _statuses_at(history: History, cutoff: date) -> dict[int, Status | None]:
    """Each project's status in the edition at ``cutoff`` (only projects it has an entry of)."""
    return {
        pid: next((s for c, _, s in entries if c == cutoff), None)
        for pid, entries in history.items()
        if any(c == cutoff for c, _, _ in entries)
    }


def _statuses_since(
    history: History, previous: date, cutoff: date
) -> defaultdict[int, set[Status | None]]:
    """Each project's statuses in the editions after ``previous`` up to ``cutoff``."""
    since: defaultdict[int, set[Status | None]] = defaultdict(set)
    for pid, entries in history.items():
        for c, _, status in entries:
            if previous < c <= cutoff:
                since[pid].add(status)
    return since
