"""Load a parsed edition into the database: idempotent, matched by stable project identity.

Importing the same edition twice changes nothing. Importing an edition older than the newest
one in the database only adds history (numbers, statuses) and never overwrites current data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.audit import Auditor
from core.fuzzydate import FuzzyDate, FuzzyDateError, parse_fuzzy_date
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
from core.models import (
    INTRO_KEY,
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
)
from core.richtext import RichText
from core.status import Status
from core.textnorm import normalize_title, squash_title

Progress = Callable[[str], None]

RETIRED_REASON = "nicht mehr im Report enthalten"
# Descriptions this similar (difflib ratio) identify a renamed project within a Themenfeld.
DESCRIPTION_MATCH = 0.75


@dataclass
class DateProblem:
    """A date in the text that the fuzzy date parser could not read."""

    line: int
    text: str
    message: str


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


class _Loader:
    def __init__(self, session: Session, parsed: ParsedEdition, actor: str) -> None:
        self.s = session
        self.p = parsed
        self.audit = Auditor(session, actor=actor)
        self.report = ImportReport(cutoff=parsed.cutoff, is_current=True)
        self.used_project_ids: set[int] = set()
        self._departments: dict[str, Department] = {
            d.code: d for d in session.scalars(select(Department))
        }
        self._fields: dict[int, Field] = {f.number: f for f in session.scalars(select(Field))}
        self._projects: list[Project] = list(
            session.scalars(
                select(Project).options(
                    selectinload(Project.history).selectinload(EditionEntry.edition)
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
            goal = Goal(field=fld, index=index, text=text or "", active=text is not None)
            self.s.add(goal)
            self.s.flush()
            self.audit.created(goal, {"number": f"{fld.number}.{index}", "text": goal.text})
        elif text is not None and self.report.is_current:
            self.audit.assign(goal, "text", text)
            self.audit.assign(goal, "active", True)
        return goal

    # -- projects ----------------------------------------------------------------------------
    def match(
        self, number: str | None, titles: Iterable[str | None], fld: Field | None,
        *, description: str = "", loose: bool = False,
    ) -> Project | None:
        """Find the stable project for an item of this edition.

        In order: the same number in this edition (re-import), the same title or short title
        (ignoring case, quotes, dashes and spaces), then, within the same Themenfeld, a title
        contained in the other (``loose``, for archive rows) or a very similar description.
        """
        free = [p for p in self._projects if p.id not in self.used_project_ids]
        if number is not None:
            for proj in free:
                for entry in proj.history:
                    if entry.edition.cutoff == self.p.cutoff and entry.number == number:
                        return proj
        keys = {squash_title(t) for t in titles if t}
        keys.discard("")
        candidates = [
            p for p in free if keys & {squash_title(p.title), squash_title(p.short_title or "")}
        ]
        if fld is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.field_id == fld.id] or candidates
        if candidates or fld is None:
            return candidates[0] if candidates else None
        same_field = [p for p in free if p.field_id == fld.id and not self._in_this_edition(p)]
        if loose:
            for proj in same_field:
                names = {squash_title(proj.title), squash_title(proj.short_title or "")}
                if any(len(k) >= 6 and (k in n or n in k) for k in keys for n in names if n):
                    return proj
        if description:
            scored = [
                (SequenceMatcher(None, description, p.description.to_plain()).ratio(), p.id, p)
                for p in same_field
                if p.description
            ]
            best = max(scored, default=None, key=lambda t: (t[0], -t[1]))
            if best is not None and best[0] >= DESCRIPTION_MATCH:
                return best[2]
        return None

    def _in_this_edition(self, proj: Project) -> bool:
        return any(h.edition.cutoff == self.p.cutoff for h in proj.history)

    def new_project(self, fld: Field, goal: Goal | None, title: str, status: Status) -> Project:
        proj = Project(field=fld, goal=goal, title=title, status=status, short_title="")
        self.s.add(proj)
        self.s.flush()
        self.audit.created(proj, {"title": title, "status": status.value})
        self._projects.append(proj)
        self.report.created_projects += 1
        return proj

    def history(
        self, edition: Edition, proj: Project, number: str | None, status: Status | None
    ) -> None:
        entry = next((h for h in proj.history if h.edition is edition), None)
        if entry is None:
            proj.history.append(EditionEntry(edition=edition, number=number, status=status))
            return
        if number is not None:
            entry.number = number
        if status is not None:
            entry.status = status

    def apply_project(self, pp: ParsedProject, goal: Goal, sort_order: int) -> Project | None:
        fld = goal.field
        proj = self.match(
            pp.number, (pp.title, pp.short_title), fld, description=pp.description,
            loose=not self.report.is_current,
        )
        created = proj is None
        if proj is None:
            if not self.report.is_current:
                self.report.warnings.append(
                    f"Zeile {pp.line}: Projekt {pp.number} „{pp.title}“ ist in neueren Ausgaben "
                    "nicht zu finden; nicht übernommen."
                )
                return None
            proj = self.new_project(fld, goal, pp.title, pp.status)
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            changed = self.update_current(proj, pp, goal, sort_order)
            if changed and not created:
                self.report.updated_projects += 1
        return proj

    def update_current(self, proj: Project, pp: ParsedProject, goal: Goal, sort_order: int) -> (
        bool
    ):
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
            proj, "more_sections",
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
            for kind, _ in lists for e in proj.entries_of(kind)
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
            (self.fuzzy(c.date_text, c.line), c.gremium, c.vorlagenart, c.nummer, c.note,
             c.printed)
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
                    position=pos, date=when, gremium=gremium, vorlagenart=art, nummer=nummer,
                    note=note, printed=printed,
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
                f"Zeile {row.line}: Archiv-Eintrag „{row.title}“ nicht zuzuordnen"
            )
            return
        edition = self.edition(report_day, archive_only=True)
        proj = self.match(None, (row.title,), fld, loose=True)
        if proj is None:
            goal = self.goal(fld, _goal_index(row.number), None)
            proj = self.new_project(fld, goal, row.title, Status.UMGESETZT)
            proj.short_title = row.title
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            self.audit.assign(proj, "status", Status.UMGESETZT)
            self.audit.assign(proj, "short_title", row.title)
        self.history(edition, proj, row.number, Status.UMGESETZT)
        self.report.archive_ids[row.line] = proj.id
        self.report.archived_implemented += 1

    def dropped(self, row: ParsedDropped) -> None:
        last = self.day(row.last_mention_text, row.line)
        fld = self.field_by_title(row.field_title)
        if last is None or fld is None:
            self.report.warnings.append(
                f"Zeile {row.line}: entfallenes Projekt „{row.title}“ nicht zuzuordnen"
            )
            return
        edition = self.edition(last, archive_only=True)
        proj = self.match(None, (row.title,), fld, loose=True)
        if proj is None:
            proj = self.new_project(fld, None, row.title, Status.ENTFALLEN)
            proj.short_title = row.title
        self.used_project_ids.add(proj.id)
        if self.report.is_current:
            self.audit.assign(proj, "status", Status.ENTFALLEN)
            self.audit.assign(proj, "drop_reason", row.reason)
            self.audit.assign(proj, "short_title", row.title)
        self.history(edition, proj, None, None)
        self.report.archive_ids[row.line] = proj.id
        self.report.archived_dropped += 1

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
        self.report.unplaced = list(p.unplaced)
        self.s.flush()
        return self.report

    def retire_unmentioned(self) -> None:
        """Projects the newest edition mentions nowhere (chapters or archive) have left it."""
        for proj in self._projects:
            if proj.id in self.used_project_ids or proj.status is Status.ENTFALLEN:
                continue
            if proj.status is Status.UMGESETZT and any(h.number for h in proj.history):
                continue  # printed as completed before: it belongs to the archive anyway
            self.report.warnings.append(
                f"Projekt „{proj.title}“ kommt in dieser Ausgabe nicht mehr vor; "
                "als entfallen markiert."
            )
            self.audit.assign(proj, "status", Status.ENTFALLEN)
            self.audit.assign(proj, "drop_reason", RETIRED_REASON)

    def set_intro(self, intro: str) -> None:
        doc = self.s.get(DocumentText, INTRO_KEY)
        if doc is None:
            self.s.add(DocumentText(key=INTRO_KEY, body=intro))
            self.audit.record_raw("document_texts", None, "body", None, intro, action="create")
        elif doc.body != intro:
            self.audit.record_raw("document_texts", None, "body", doc.body, intro)
            doc.body = intro


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
    session: Session, parsed: ParsedEdition, *, actor: str = "import",
    progress: Progress | None = None,
) -> ImportReport:
    """Write ``parsed`` into the database within the caller's transaction."""
    return _Loader(session, parsed, actor).run(progress)
