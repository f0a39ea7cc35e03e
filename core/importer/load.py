"""Load a parsed edition into the database: idempotent, matched by stable project identity.

Importing the same edition twice changes nothing. Importing an edition older than the newest
one in the database only adds history (numbers, statuses) and never overwrites current data, nor
what a newer edition prints in its archive.

A project that the newest edition mentions nowhere is neither archived nor dropped on a guess:
its status stays as it is, and it is reported with its likely successors until the coordinator
links it to its successor (``same``) or drops it with a reason (``nhr project drop``). ``same``
links a rename the importer cannot see ("OLD TITLE" continues as "NEW TITLE").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from core import texts
from core.audit import Auditor
from core.fuzzydate import FuzzyDate, FuzzyDateError
from core.fuzzydate_parse import parse_fuzzy_date
from core.importer.parse_chapters import custom_labels
from core.importer.parsed import (
    ParsedArchivedImplemented,
    ParsedConsultation,
    ParsedDated,
    ParsedDropped,
    ParsedEdition,
    ParsedProject,
    UnplacedLine,
)
from core.importer.successors import Profile, Similarity
from core.models import (
    INTRO_KEY,
    AuditLog,
    Consultation,
    Department,
    DocumentText,
    Edition,
    EditionEntry,
    EditionState,
    EntryKind,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    ProjectEntry,
    Submission,
)
from core.richtext import RichText
from core.status import Status
from core.textnorm import normalize_title, squash_title

Progress = Callable[[str], None]

# Descriptions this similar (difflib ratio) identify a renamed project within a Themenfeld.
DESCRIPTION_MATCH = 0.75


@dataclass
class DateProblem:
    """A date in the text that the fuzzy date parser could not read."""

    line: int
    text: str
    message: str


@dataclass(frozen=True)
class Successor:
    """A project of the newer edition that may continue one that disappeared."""

    project_id: int
    number: str | None  # its newest printed number
    title: str
    score: float  # 0..1, see core.importer.successors
    new: bool  # first printed in the newer edition (a rename looks like this)


@dataclass
class Disappeared:
    """A project that one edition has and the newer one does not mention."""

    title: str
    number: str | None  # the last number it was printed under
    last_mention: date | None  # the edition that printed it last
    # The stable project, waiting for the coordinator's reason; None for an item of an older
    # edition that was not imported (nothing newer to attach it to).
    project_id: int | None
    successors: list[Successor] = field(default_factory=list)


class LinkError(ValueError):
    """A ``same`` pair that names no project of the database or the edition (German message)."""


@dataclass
class ImportReport:
    """What an import did, for the CLI and tests."""

    cutoff: date
    is_current: bool
    projects: int = 0
    created_projects: int = 0
    updated_projects: int = 0
    archived_implemented: int = 0
    archived_dropped: int = 0
    unplaced: list[UnplacedLine] = field(default_factory=list)
    date_problems: list[DateProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    project_ids: dict[str, int] = field(default_factory=dict)  # printed number → stable id
    # archive rows (line in the text) → stable id
    archive_ids: dict[int, int] = field(default_factory=dict)
    disappeared: list[Disappeared] = field(default_factory=list)
    linked: int = 0  # ``same`` pairs applied
    # What the import did, project by project (printed number or None, title), for a summary:
    new: list[tuple[str | None, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    # projects this import moved into the archive: (number, title, umgesetzt/entfallen)
    archived: list[tuple[str | None, str, Status]] = field(default_factory=list)

    @property
    def live_disappeared(self) -> list[Disappeared]:
        """The disappeared projects of the database (not items of an older edition)."""
        return [d for d in self.disappeared if d.project_id is not None]


class _Loader:
    def __init__(
        self,
        session: Session,
        parsed: ParsedEdition,
        actor: str,
        now: datetime,
        same: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.s = session
        self.p = parsed
        self.same = list(same)
        self.audit = Auditor(session, actor=actor, now=now)
        self.report = ImportReport(cutoff=parsed.cutoff, is_current=True)
        self.used_project_ids: set[int] = set()
        # squashed title of an item of this edition -> the stable project it continues
        self.links: dict[str, Project] = {}
        # cutoffs of the editions newer than this one that were imported or collected
        self.newer: list[tuple[date, bool]] = []
        self.unmatched: list[ParsedProject] = []
        self._departments: dict[str, Department] = {
            d.code: d for d in session.scalars(select(Department))
        }
        self._fields: dict[int, Field] = {f.number: f for f in session.scalars(select(Field))}
        # Every project with all it compares, in a handful of queries (not one per project).
        self._projects: list[Project] = list(
            session.scalars(
                select(Project).options(
                    selectinload(Project.history).selectinload(EditionEntry.edition),
                    selectinload(Project.department_links).joinedload(ProjectDepartment.department),
                    selectinload(Project.entries),
                    selectinload(Project.consultations),
                )
            )
        )

    # -- dates -------------------------------------------------------------------------------
    def fuzzy(self, text: str | None, line: int) -> FuzzyDate | None:
        if text is None or not text.strip():
            return None
        try:
            return parse_fuzzy_date(text)
        except FuzzyDateError as err:
            self.report.date_problems.append(DateProblem(line, text, str(err)))
            return None

    def day(self, text: str | None, line: int) -> date | None:
        value = self.fuzzy(text, line)
        return None if value is None else value.start

    # -- reference data ----------------------------------------------------------------------
    def edition(self, cutoff: date, *, archive_only: bool) -> Edition:
        ed = self.s.scalar(select(Edition).where(Edition.cutoff == cutoff))
        if ed is None:
            ed = Edition(
                cutoff=cutoff, state=EditionState.PUBLISHED, from_archive_only=archive_only
            )
            self.s.add(ed)
            self.s.flush()
            self.audit.created(ed, {"cutoff": cutoff.isoformat()})
        elif not archive_only and ed.from_archive_only:
            ed.from_archive_only = False
        return ed

    def department(self, code: str) -> Department:
        dep = self._departments.get(code)
        if dep is None:
            dep = Department(code=code, name="")
            self.s.add(dep)
            self.s.flush()
            self.audit.created(dep, {"code": code})
            self._departments[code] = dep
        return dep

    def field_by_title(self, title: str) -> Field | None:
        wanted = normalize_title(title)
        for f in self._fields.values():
            if normalize_title(f.title) == wanted:
                return f
        for f in self._fields.values():  # abbreviated, e.g. "Digitalisierung"
            if normalize_title(f.title).startswith(wanted):
                return f
        return None

    def goal(self, fld: Field, index: int, text: str | None) -> Goal:
        goal = next((g for g in fld.goals if g.index == index), None)
        if goal is None:
            active = text is not None and self.report.is_current  # an older goal stays retired
            goal = Goal(field=fld, index=index, text=text or "", active=active)
            self.s.add(goal)
            self.s.flush()
            self.audit.created(goal, {"number": f"{fld.number}.{index}", "text": goal.text})
        elif text is not None and self.report.is_current:
            self.audit.assign(goal, "text", text)
            self.audit.assign(goal, "active", True)
        return goal

    # -- projects ----------------------------------------------------------------------------
    def match(
        self,
        number: str | None,
        titles: Iterable[str | None],
        fld: Field | None,
        *,
        description: str = "",
        loose: bool = False,
    ) -> Project | None:
        """Find the stable project for an item of this edition.

        In order: a project linked by ``same``, the same number in this edition (re-import),
        the same title or short title (ignoring case, quotes, dashes and spaces), then, within
        the same Themenfeld, a title contained in the other (``loose``, for archive rows) or a
        very similar description.
        """
        linked = self._linked(titles)
        if linked is not None:
            return linked
        free = [p for p in self._projects if p.id not in self.used_project_ids]
        if number is not None:
            numbered = self._numbered_now(number, free)
            if numbered is not None:
                return numbered
        keys = {squash_title(t) for t in titles if t}
        keys.discard("")
        candidates = _same_title(free, keys, fld)
        if candidates or fld is None:
            return candidates[0] if candidates else None
        same_field = [p for p in free if p.field_id == fld.id and not self._in_this_edition(p)]
        if loose:
            contained = _title_contained(same_field, keys)
            if contained is not None:
                return contained
        if description:
            return _similar_description(same_field, description)
        return None

    def _linked(self, titles: Iterable[str | None]) -> Project | None:
        """The project a ``same`` link names under one of ``titles``, unless already taken."""
        for t in titles:
            linked = self.links.get(squash_title(t or ""))
            if linked is not None and linked.id not in self.used_project_ids:
                return linked
        return None

    def _numbered_now(self, number: str, free: list[Project]) -> Project | None:
        """The free project with ``number`` in this edition already (a re-import)."""
        for proj in free:
            for entry in proj.history:
                if entry.edition.cutoff == self.p.cutoff and entry.number == number:
                    return proj
        return None

    def _in_this_edition(self, proj: Project) -> bool:
        """Printed in this edition (an archive's bare "last mention" does not count)."""
        return any(h.edition.cutoff == self.p.cutoff and h.number for h in proj.history)

    def _numbered_here(self, number: str, but: Project) -> Project | None:
        return next(
            (
                p
                for p in self._projects
                if p is not but
                and any(h.edition.cutoff == self.p.cutoff and h.number == number for h in p.history)
            ),
            None,
        )

    def new_project(
        self, fld: Field, goal: Goal | None, title: str, status: Status, number: str | None
    ) -> Project:
        # Empty collections are set, not left unloaded: reading them costs no query.
        proj = Project(
            field=fld,
            goal=goal,
            title=title,
            status=status,
            short_title="",
            department_links=[],
            entries=[],
            consultations=[],
            history=[],
        )
        self.s.add(proj)
        self.s.flush()
        self.audit.created(proj, {"title": title, "status": status.value})
        self._projects.append(proj)
        self.report.created_projects += 1
        self.report.new.append((number, title))
        return proj

    def merge(self, keep: Project, gone: Project) -> None:
        """``gone`` was imported as a project of its own; it is ``keep`` under a new title.

        ``keep`` (the older stable id) takes over the editions it lacks and the submissions;
        ``gone`` is deleted. Its data is rewritten from this edition right after.
        """
        for entry in gone.history:
            mine = next((h for h in keep.history if h.edition is entry.edition), None)
            if mine is None:
                keep.history.append(
                    EditionEntry(edition=entry.edition, number=entry.number, status=entry.status)
                )
            else:
                mine.number = mine.number or entry.number
                mine.status = mine.status or entry.status
        self.s.flush()
        self.s.execute(
            update(Submission).where(Submission.project_id == gone.id).values(project_id=keep.id)
        )
        self.audit.record_raw(
            "projects",
            gone.id,
            None,
            {"title": gone.title},
            {"merged_into": keep.id},
            action="delete",
        )
        self.audit.record(keep, "merged", None, gone.id)
        self._projects.remove(gone)
        self.s.delete(gone)
        self.s.flush()

    def history(
        self, edition: Edition, proj: Project, number: str | None, status: Status | None
    ) -> None:
        entry = next((h for h in proj.history if h.edition is edition), None)
        if not self.report.is_current:
            wanted = (
                (number, status)
                if entry is None
                else (number or entry.number, status or entry.status)
            )
            if self.newer_archive(proj, (edition.cutoff, *wanted)) != self.newer_archive(proj):
                # An older edition must not rewrite what a newer one prints in its archive.
                self.report.warnings.append(
                    texts.IMPORT_NUMBER_KEPT.format(
                        title=proj.short_title or proj.title,
                        number=number or "–",
                        cutoff=edition.cutoff,
                    )
                )
                return
        if entry is None:
            proj.history.append(EditionEntry(edition=edition, number=number, status=status))
            return
        if number is not None:
            entry.number = number
        if status is not None:
            entry.status = status

    def newer_archive(
        self, proj: Project, change: tuple[date, str | None, Status | None] | None = None
    ) -> list[tuple[date, str | None] | None]:
        """What each newer edition prints about ``proj`` in its archive (as core.assembly does),
        with ``change`` (cutoff, number, status) in place of its entry of that edition.

        Only asked when importing an older edition. A published edition prints a project in its
        chapters when its entry there has a printed status; a collecting one when the project's
        status is printed (a completed project only until it has been shown once).
        """
        if proj.status not in (Status.UMGESETZT, Status.ENTFALLEN):
            return []
        entries = {h.edition.cutoff: (h.number, h.status) for h in proj.history}
        if change is not None:
            entries[change[0]] = change[1:]
        history = sorted(entries.items(), reverse=True)
        rows: list[tuple[date, str | None] | None] = []
        for cutoff, published in self.newer:
            earlier = [(c, n, s) for c, (n, s) in history if c < cutoff]
            if _in_chapters(proj, cutoff, published, entries.get(cutoff), earlier):
                rows.append(None)
            else:
                rows.append(_archive_mention(proj, earlier))
        return rows

    def apply_project(self, pp: ParsedProject, goal: Goal, sort_order: int) -> Project | None:
        fld = goal.field
        proj = self.match(
            pp.number,
            (pp.title, pp.short_title),
            fld,
            description=pp.description,
            loose=not self.report.is_current,
        )
        created = proj is None
        if proj is None:
            if not self.report.is_current:
                self.unmatched.append(pp)  # reported with its likely successors
                return None
            proj = self.new_project(fld, goal, pp.title, pp.status, pp.number)
        elif proj in self.links.values():
            twin = self._numbered_here(pp.number, proj)
            if twin is not None:  # imported before under the new title: one project again
                self.merge(keep=proj, gone=twin)
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            changed = self.update_current(proj, pp, goal, sort_order)
            if changed and not created:
                self.report.updated_projects += 1
                self.report.changed.append((pp.number, pp.title))
        return proj

    def update_current(self, proj: Project, pp: ParsedProject, goal: Goal, sort_order: int) -> bool:
        a = self.audit
        before = a.changes
        a.assign(proj, "field_id", goal.field.id)
        a.assign(proj, "goal_id", goal.id)
        a.assign(proj, "title", pp.title)
        a.assign(proj, "short_title", pp.short_title or pp.title)
        a.assign(proj, "description", RichText.from_plain(pp.description))
        a.assign(proj, "status", pp.status)
        a.assign(proj, "status_since", self.fuzzy(pp.status_since_text, pp.line))
        a.assign(proj, "project_start", self.fuzzy(pp.project_start_text, pp.line))
        a.assign(proj, "municipalities", pp.municipalities or "")
        a.assign(proj, "remark", RichText.from_plain(pp.remark))
        a.assign(proj, "labels", custom_labels(pp.labels) if self.p.has_milestones else {})
        a.assign(
            proj,
            "more_sections",
            [{"label": label, "text": text} for label, text in pp.more_sections],
        )
        a.assign(proj, "sort_order", sort_order)
        a.assign(proj, "drop_reason", None)
        self.set_departments(proj, pp.departments)
        self.set_entries(proj, pp)
        self.set_consultations(proj, pp.consultations)
        return a.changes != before

    def set_departments(self, proj: Project, codes: list[str]) -> None:
        old = proj.department_codes
        if old == codes:
            return
        if old:  # the removed links are deleted before the new ones take their keys
            proj.department_links.clear()
            self.s.flush()
        for pos, code in enumerate(codes):
            proj.department_links.append(
                ProjectDepartment(department=self.department(code), position=pos)
            )
        self.audit.record(proj, "departments", old, codes)

    def set_entries(self, proj: Project, pp: ParsedProject) -> None:
        wanted: list[tuple[EntryKind, FuzzyDate | None, str, list[str]]] = []
        lists: tuple[tuple[EntryKind, list[ParsedDated]], ...] = (
            (EntryKind.DONE, pp.milestones_done),
            (EntryKind.PLANNING, pp.planning_steps),
            (EntryKind.PLANNED, pp.milestones_planned),
        )
        for kind, items in lists:
            wanted.extend(
                (kind, self.fuzzy(i.date_text, i.line), i.text, list(i.items)) for i in items
            )
        old = [
            (e.kind, e.date, e.text, list(e.items or ()))
            for kind, _ in lists
            for e in proj.entries_of(kind)
        ]
        if old == wanted:
            return
        proj.entries.clear()
        positions: dict[EntryKind, int] = {}
        for kind, when, text, sub in wanted:
            pos = positions[kind] = positions.get(kind, -1) + 1
            proj.entries.append(
                ProjectEntry(kind=kind, position=pos, date=when, text=text, items=sub)
            )
        self.audit.record(proj, "entries", _entries_json(old), _entries_json(wanted))

    def set_consultations(self, proj: Project, items: list[ParsedConsultation]) -> None:
        wanted = [
            (self.fuzzy(c.date_text, c.line), c.gremium, c.vorlagenart, c.nummer, c.note, c.printed)
            for c in items
        ]
        old = [
            (c.date, c.gremium, c.vorlagenart, c.nummer, c.note, c.printed)
            for c in proj.consultations
        ]
        if old == wanted:
            return
        proj.consultations.clear()
        for pos, (when, gremium, art, nummer, note, printed) in enumerate(wanted):
            proj.consultations.append(
                Consultation(
                    position=pos,
                    date=when,
                    gremium=gremium,
                    vorlagenart=art,
                    nummer=nummer,
                    note=note,
                    printed=printed,
                )
            )
        self.audit.record(
            proj,
            "consultations",
            [_consultation_json(c[:5]) for c in old],
            [_consultation_json(c[:5]) for c in wanted],
        )

    # -- archive -----------------------------------------------------------------------------
    def archived_implemented(self, row: ParsedArchivedImplemented) -> None:
        report_day = self.day(row.report_text, row.line)
        fld = self.field_by_title(row.field_title)
        if report_day is None or fld is None:
            self.report.warnings.append(
                texts.IMPORT_ARCHIVE_UNMATCHED.format(line=row.line, title=row.title)
            )
            return
        proj = self.match(None, (row.title,), fld, loose=True)
        if proj is None and not self.report.is_current:
            self.not_in_newer(row.line, row.title)
            return
        edition = self.edition(report_day, archive_only=True)
        if proj is None:
            goal = self.goal(fld, _goal_index(row.number), None)
            proj = self.new_project(fld, goal, row.title, Status.UMGESETZT, row.number)
            proj.short_title = row.title
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            if self.audit.assign(proj, "status", Status.UMGESETZT):
                self.report.archived.append((row.number, row.title, Status.UMGESETZT))
            self.audit.assign(proj, "short_title", row.title)
        self.history(edition, proj, row.number, Status.UMGESETZT)
        self.report.archive_ids[row.line] = proj.id
        self.report.archived_implemented += 1

    def dropped(self, row: ParsedDropped) -> None:
        last = self.day(row.last_mention_text, row.line)
        fld = self.field_by_title(row.field_title)
        if last is None or fld is None:
            self.report.warnings.append(
                texts.IMPORT_DROPPED_UNMATCHED.format(line=row.line, title=row.title)
            )
            return
        proj = self.match(None, (row.title,), fld, loose=True)
        if proj is None and not self.report.is_current:
            self.not_in_newer(row.line, row.title)
            return
        edition = self.edition(last, archive_only=True)
        if proj is None:
            proj = self.new_project(fld, None, row.title, Status.ENTFALLEN, None)
            proj.short_title = row.title
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            if self.audit.assign(proj, "status", Status.ENTFALLEN):
                self.report.archived.append((None, row.title, Status.ENTFALLEN))
            self.audit.assign(proj, "drop_reason", row.reason)
            self.audit.assign(proj, "short_title", row.title)
        self.history(edition, proj, None, None)
        self.report.archive_ids[row.line] = proj.id
        self.report.archived_dropped += 1

    def not_in_newer(self, line: int, title: str) -> None:
        self.report.warnings.append(texts.IMPORT_NOT_IN_NEWER.format(line=line, title=title))

    # -- the whole edition -------------------------------------------------------------------
    def run(self, progress: Progress | None) -> ImportReport:
        p = self.p
        newest = self.s.scalar(
            select(Edition.cutoff)
            .where(Edition.from_archive_only.is_(False))
            .order_by(Edition.cutoff.desc())
            .limit(1)
        )
        self.report.is_current = newest is None or p.cutoff >= newest
        self.newer = [
            (e.cutoff, e.state is EditionState.PUBLISHED)
            for e in self.s.scalars(
                select(Edition).where(
                    Edition.from_archive_only.is_(False), Edition.cutoff > p.cutoff
                )
            )
        ]
        self.resolve_links()
        edition = self.edition(p.cutoff, archive_only=False)
        if self.report.is_current:
            self.set_intro(p.intro)
        seen_goals: set[int] = set()
        for pf in p.fields:
            fld = self._fields.get(pf.number)
            if fld is None:
                fld = Field(number=pf.number, title=pf.title, overview=pf.overview)
                self.s.add(fld)
                self.s.flush()
                self.audit.created(fld, {"number": pf.number, "title": pf.title})
                self._fields[pf.number] = fld
            elif self.report.is_current:
                self.audit.assign(fld, "title", pf.title)
                self.audit.assign(fld, "overview", pf.overview)
            for pg in pf.goals:
                goal = self.goal(fld, int(pg.number.split(".")[1]), pg.text)
                seen_goals.add(goal.id)
                for pp in pg.projects:
                    proj = self.apply_project(pp, goal, int(pp.number.split(".")[3]))
                    if proj is not None:
                        self.history(edition, proj, pp.number, pp.status)
                        self.report.project_ids[pp.number] = proj.id
                    self.report.projects += 1
                    if progress:
                        progress(pp.number)
        if self.report.is_current:
            for fld in self._fields.values():
                for goal in fld.goals:
                    if goal.id not in seen_goals:
                        self.audit.assign(goal, "active", False)
        for arch in p.archive_implemented:
            self.archived_implemented(arch)
        for drop in p.archive_dropped:
            self.dropped(drop)
        if self.report.is_current:
            self.retire_unmentioned()
        else:
            self.report_unmatched()
        self.report.linked = len(self.links)
        self.report.unplaced = list(p.unplaced)
        self.s.flush()
        return self.report

    # -- renames and projects that disappear -------------------------------------------------
    def resolve_links(self) -> None:
        """Turn the ``same`` pairs into item title -> stable project, or refuse them.

        For the newest edition, OLD names a project of the database and NEW an item of the
        edition; for an older edition it is the other way round (OLD is the item).
        """
        items: set[str] = set()
        for pp in self.p.projects():
            items.update(squash_title(t) for t in (pp.title, pp.short_title) if t)
        items.update(squash_title(r.title) for r in self.p.archive_implemented)
        items.update(squash_title(r.title) for r in self.p.archive_dropped)
        for old, new in self.same:
            item, known = (new, old) if self.report.is_current else (old, new)
            if squash_title(item) not in items:
                raise LinkError(
                    texts.SAME_NOT_IN_EDITION.format(
                        old=old, new=new, item=item, cutoff=self.p.cutoff
                    )
                )
            key = squash_title(known)
            found = [
                p
                for p in self._projects
                if key in (squash_title(p.title), squash_title(p.short_title or ""))
            ]
            if not found:
                found = self._formerly_titled(key)
            if not found:
                raise LinkError(texts.SAME_UNKNOWN_PROJECT.format(old=old, new=new, known=known))
            if len(found) > 1:  # prefer the one this edition does not print under its own name
                found = [p for p in found if squash_title(p.title) not in items] or found
            self.links[squash_title(item)] = min(found, key=lambda p: p.id)

    def _formerly_titled(self, key: str) -> list[Project]:
        """Projects once titled ``key`` (squashed): a link already made by an earlier import."""
        renamed = self.s.execute(
            select(AuditLog.entity_id, AuditLog.before).where(
                AuditLog.entity == Project.__tablename__, AuditLog.field == "title"
            )
        )
        ids = {
            pid
            for pid, before in renamed
            if isinstance(before, str) and squash_title(before) == key
        }
        return [p for p in self._projects if p.id in ids]

    def retire_unmentioned(self) -> None:
        """Projects the newest edition mentions nowhere (chapters or archive) have left it.

        Nothing about them changes: the report names them with their likely successors, and
        they wait for the coordinator (``same`` for a rename, ``nhr project drop`` with a
        reason). A disappearance alone never changes a project's status.
        """
        gone: list[Project] = []
        for proj in self._projects:
            if proj.id in self.used_project_ids:
                continue
            if proj.status is Status.ENTFALLEN and proj.drop_reason is not None:
                continue  # dropped with a reason: in the archive already
            if proj.status is Status.UMGESETZT and any(h.number for h in proj.history):
                continue  # printed as completed before: it belongs to the archive anyway
            gone.append(proj)
        if not gone:
            return
        self._load_details()
        here = [p for p in self._projects if self._in_this_edition(p)]
        similarity = Similarity([self.profile(p) for p in self._projects])
        for proj in gone:
            last = self._last_numbered(proj, before=self.p.cutoff)
            mentions = [h.edition.cutoff for h in proj.history if h.edition.cutoff < self.p.cutoff]
            self.report.disappeared.append(
                Disappeared(
                    title=proj.title,
                    number=last[1] if last else None,
                    last_mention=max(mentions, default=None),
                    project_id=proj.id,
                    successors=self.successors(similarity, self.profile(proj), here),
                )
            )

    def report_unmatched(self) -> None:
        """Items of an older edition that no newer one continues: not imported, but reported."""
        if not self.unmatched:
            return
        self._load_details()
        later = [
            p
            for p in self._projects
            if p.id not in self.used_project_ids
            and any(h.number and h.edition.cutoff > self.p.cutoff for h in p.history)
        ]
        profiles = [self.profile(p) for p in self._projects]
        items = [
            Profile.build(
                -i - 1,
                int(pp.number.split(".")[0]),
                pp.departments,
                (pp.title, pp.short_title or ""),
                (
                    pp.description,
                    pp.remark,
                    *(
                        d.text
                        for d in (*pp.milestones_done, *pp.planning_steps, *pp.milestones_planned)
                    ),
                ),
            )
            for i, pp in enumerate(self.unmatched)
        ]
        similarity = Similarity(profiles + items)
        for pp, item in zip(self.unmatched, items, strict=True):
            self.report.disappeared.append(
                Disappeared(
                    title=pp.title,
                    number=pp.number,
                    last_mention=self.p.cutoff,
                    project_id=None,
                    successors=self.successors(similarity, item, later),
                )
            )

    def successors(
        self, similarity: Similarity, old: Profile, candidates: list[Project]
    ) -> list[Successor]:
        by_id = {p.id: p for p in candidates}
        ranked = similarity.rank(old, [self.profile(p) for p in candidates])
        result = []
        for score, profile in ranked:
            proj = by_id[profile.key]
            last = self._last_numbered(proj)
            first = min((h.edition.cutoff for h in proj.history if h.number), default=self.p.cutoff)
            result.append(
                Successor(
                    project_id=proj.id,
                    number=last[1] if last else None,
                    title=proj.title,
                    score=round(score, 3),
                    new=first >= self.p.cutoff,
                )
            )
        return result

    def profile(self, proj: Project) -> Profile:
        number = next(f.number for f in self._fields.values() if f.id == proj.field_id)
        return Profile.build(
            proj.id,
            number,
            proj.department_codes,
            (proj.title, proj.short_title or ""),
            (proj.description.words(), proj.remark.words(), *(e.text for e in proj.entries)),
        )

    def _load_details(self) -> None:
        """Departments and dated entries of every project, in two queries (for profiles)."""
        self.s.flush()
        list(
            self.s.scalars(
                select(Project).options(
                    selectinload(Project.department_links).joinedload(ProjectDepartment.department),
                    selectinload(Project.entries),
                )
            )
        )

    @staticmethod
    def _last_numbered(proj: Project, *, before: date | None = None) -> tuple[date, str] | None:
        numbered = [
            (h.edition.cutoff, h.number)
            for h in proj.history
            if h.number and (before is None or h.edition.cutoff < before)
        ]
        return max(numbered, default=None)

    def set_intro(self, intro: str) -> None:
        doc = self.s.get(DocumentText, INTRO_KEY)
        if doc is None:
            self.s.add(DocumentText(key=INTRO_KEY, body=intro))
            self.audit.record_raw("document_texts", None, "body", None, intro, action="create")
        elif doc.body != intro:
            self.audit.record_raw("document_texts", None, "body", doc.body, intro)
            doc.body = intro


def _in_chapters(
    proj: Project,
    cutoff: date,
    published: bool,
    here: tuple[str | None, Status | None] | None,
    earlier: list[tuple[date, str | None, Status | None]],
) -> bool:
    """Whether the edition at ``cutoff`` prints ``proj`` in its chapters (as core.assembly
    does): a published one when its entry there has a printed status, a collecting one when
    the project is completed and not yet shown as completed (or kept)."""
    if published:
        return here is not None and here[1] is not None and here[1].in_report
    return (
        proj.goal_id is not None
        and proj.status is Status.UMGESETZT
        and not (
            any(s is Status.UMGESETZT for _, _, s in earlier)
            and (proj.keep_until is None or proj.keep_until < cutoff)
        )
    )


def _archive_mention(
    proj: Project, earlier: list[tuple[date, str | None, Status | None]]
) -> tuple[date, str | None] | None:
    """What an archive prints for ``proj`` from its ``earlier`` entries (newest first): a
    completed project's last edition with a number, a dropped project's last mention."""
    if proj.status is Status.UMGESETZT:
        return next(((c, n) for c, n, _ in earlier if n), None)
    return next(((c, None) for c, _, _ in earlier), None)


def _same_title(free: list[Project], keys: set[str], fld: Field | None) -> list[Project]:
    """Free projects whose title or short title is one of ``keys``; of several, those of
    ``fld`` if any are."""
    candidates = [
        p for p in free if keys & {squash_title(p.title), squash_title(p.short_title or "")}
    ]
    if fld is not None and len(candidates) > 1:
        candidates = [c for c in candidates if c.field_id == fld.id] or candidates
    return candidates


def _title_contained(projects: list[Project], keys: set[str]) -> Project | None:
    """The first project whose title contains one of ``keys`` or is contained in one (six
    characters at least: an archive row's shortened or lengthened title)."""
    for proj in projects:
        names = {squash_title(proj.title), squash_title(proj.short_title or "")}
        if any(len(k) >= 6 and (k in n or n in k) for k in keys for n in names if n):
            return proj
    return None


def _similar_description(projects: list[Project], description: str) -> Project | None:
    """The project whose description is most like ``description`` (at least
    :data:`DESCRIPTION_MATCH`; on a tie the older id)."""
    scored = [
        (SequenceMatcher(None, description, p.description.to_plain()).ratio(), p.id, p)
        for p in projects
        if p.description
    ]
    best = max(scored, default=None, key=lambda t: (t[0], -t[1]))
    if best is not None and best[0] >= DESCRIPTION_MATCH:
        return best[2]
    return None


def _goal_index(number: str) -> int:
    """The goal index from an archive number such as ``1.3.1.1`` or ``1.1.1 + 1.2.1``."""
    parts = number.split("+")[0].strip().split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1


def _entries_json(
    items: list[tuple[EntryKind, FuzzyDate | None, str, list[str]]],
) -> list[list[Any]]:
    return [[k.value, None if d is None else d.storage(), t, sub] for k, d, t, sub in items]


def _consultation_json(
    c: tuple[FuzzyDate | None, str, str | None, str | None, str | None],
) -> list[str | None]:
    when, gremium, art, nummer, note = c
    return [None if when is None else when.storage(), gremium, art, nummer, note]


def load_edition(
    session: Session,
    parsed: ParsedEdition,
    *,
    now: datetime,
    actor: str = "import",
    progress: Progress | None = None,
    same: Sequence[tuple[str, str]] = (),
) -> ImportReport:
    """Write ``parsed`` into the database within the caller's transaction (audited at ``now``).

    ``same`` holds (OLD TITLE, NEW TITLE) pairs: the project known as OLD continues as NEW
    (one stable project, its history carried over). Raises :class:`LinkError` for a pair that
    names nothing, before anything is written.
    """
    return _Loader(session, parsed, actor, now, same).run(progress)
