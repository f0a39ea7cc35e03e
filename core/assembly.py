"""Assemble an edition: which projects it prints, in which group, under which number.

Rules (DOMAIN.md): four status groups per goal in fixed order; numbers ``field.goal.group.n``
recomputed for every unpublished edition and frozen once published; a completed project is
printed in the first edition that shows it as completed ("innerhalb des letzten halben Jahres")
and moves to the archive afterwards unless the coordinator keeps it; dropped projects go to
"Entfallene Projekte" with their last mention; goals without projects drop out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.changes_view import mark_changes, snapshot_projects
from core.cycle import previous_cutoff
from core.models import (
    INTRO_KEY,
    DocumentText,
    Edition,
    EditionEntry,
    EditionState,
    EntryKind,
    Field,
    Goal,
    Project,
    ProjectDepartment,
)
from core.numbering import number_key
from core.richtext import RichText
from core.status import REPORT_ORDER, Status
from core.view import (
    ArchivedDroppedRow,
    ArchivedImplementedRow,
    AssembledEdition,
    ConsultationEntry,
    DatedEntry,
    FieldChapter,
    GoalSection,
    ProjectBlock,
    Section,
    StatusGroup,
)


@dataclass
class _History:
    """A project's edition entries, keyed by cutoff."""

    by_cutoff: dict[date, EditionEntry]

    def before(self, cutoff: date) -> list[tuple[date, EditionEntry]]:
        return sorted(((c, e) for c, e in self.by_cutoff.items() if c < cutoff), reverse=True)

    def was_completed_before(self, cutoff: date) -> bool:
        return any(e.status == Status.UMGESETZT for _, e in self.before(cutoff))

    def last_numbered_before(self, cutoff: date) -> tuple[date, EditionEntry] | None:
        return next(((c, e) for c, e in self.before(cutoff) if e.number), None)

    def last_before(self, cutoff: date) -> tuple[date, EditionEntry] | None:
        items = self.before(cutoff)
        return items[0] if items else None


def load_projects(session: Session) -> list[Project]:
    """All projects with everything assembly reads, in a handful of queries."""
    return list(
        session.scalars(
            select(Project).options(
                selectinload(Project.department_links).joinedload(ProjectDepartment.department),
                selectinload(Project.entries),
                selectinload(Project.consultations),
                selectinload(Project.history).joinedload(EditionEntry.edition),
            )
        )
    )


def in_edition(project: Project, cutoff: date, history: _History) -> bool:
    """Whether an unpublished edition at ``cutoff`` prints ``project`` in a chapter."""
    if not project.status.in_report or project.goal_id is None:
        return False
    if project.status is Status.UMGESETZT and history.was_completed_before(cutoff):
        return project.keep_until is not None and project.keep_until >= cutoff
    return True


def assemble_edition(
    session: Session, cutoff: date, *, show_changes: bool = False
) -> AssembledEdition:
    """Build the full view of the edition at ``cutoff`` from the database."""
    fields = list(
        session.scalars(
            select(Field).options(selectinload(Field.goals)).order_by(Field.number)
        )
    )
    projects = load_projects(session)
    editions = {e.cutoff: e for e in session.scalars(select(Edition))}
    edition = editions.get(cutoff)
    frozen = (
        edition is not None
        and edition.state is EditionState.PUBLISHED
        and not edition.from_archive_only
    )
    earlier = sorted(c for c in editions if c < cutoff)
    prev = earlier[-1] if earlier else previous_cutoff(cutoff)
    histories = {p.id: _History({h.edition.cutoff: h for h in p.history}) for p in projects}

    # -- who is printed, with which status and number ---------------------------------------
    placed: dict[int, list[tuple[Status, Project, str | None]]] = defaultdict(list)
    for proj in projects:
        hist = histories[proj.id]
        if frozen:
            entry = hist.by_cutoff.get(cutoff)
            if entry is None or entry.status is None or not entry.status.in_report:
                continue
            if proj.goal_id is None:
                continue
            placed[proj.goal_id].append((entry.status, proj, entry.number))
        elif in_edition(proj, cutoff, hist):
            assert proj.goal_id is not None
            placed[proj.goal_id].append((proj.status, proj, None))

    chapters: list[FieldChapter] = []
    printed: set[int] = set()
    for fld in fields:
        goals: list[GoalSection] = []
        for goal in sorted(fld.goals, key=lambda g: g.index):
            members = placed.get(goal.id, [])
            if not members:
                continue
            goals.append(_goal_section(goal, members, frozen))
            printed.update(p.id for _, p, _ in members)
        chapters.append(
            FieldChapter(number=fld.number, title=fld.title, overview=fld.overview,
                         goals=tuple(goals))
        )

    field_titles = {f.id: f.title for f in fields}
    implemented: list[ArchivedImplementedRow] = []
    dropped: list[tuple[date, int, str, int, ArchivedDroppedRow]] = []
    for proj in projects:
        if proj.id in printed:
            continue
        hist = histories[proj.id]
        if proj.status is Status.UMGESETZT:
            last = hist.last_numbered_before(cutoff)
            if last is not None:
                implemented.append(
                    ArchivedImplementedRow(
                        field_title=field_titles[proj.field_id],
                        title=proj.short_title or proj.title,
                        report=last[0],
                        number=last[1].number or "",
                        project_id=proj.id,
                    )
                )
        elif proj.status is Status.ENTFALLEN and proj.drop_reason is not None:
            # (without a reason it waits for the coordinator: see core.importer.load)
            mention = hist.last_before(cutoff)
            if mention is not None:
                row = ArchivedDroppedRow(
                    field_title=field_titles[proj.field_id],
                    title=proj.short_title or proj.title,
                    reason=proj.drop_reason or "",
                    last_mention=mention[0],
                    project_id=proj.id,
                )
                fnum = next(f.number for f in fields if f.id == proj.field_id)
                dropped.append((mention[0], fnum, mention[1].number or "", proj.id, row))
    implemented.sort(key=lambda r: (r.report, number_key(r.number)))
    dropped.sort(key=lambda t: (t[0], t[1], number_key(t[2]), t[3]))

    intro = session.get(DocumentText, INTRO_KEY)
    assembled = AssembledEdition(
        cutoff=cutoff,
        previous_cutoff=prev,
        archive_since=min(editions) if editions else cutoff,
        intro=intro.body if intro else "",
        fields=tuple(chapters),
        archive_implemented=tuple(implemented),
        archive_dropped=tuple(t[4] for t in dropped),
        draft=not frozen,
    )
    assembled.stats.update(edition_stats(assembled))
    if show_changes:
        return mark_changes(assembled, previous_snapshot(editions, cutoff))
    return assembled


def _goal_section(
    goal: Goal, members: list[tuple[Status, Project, str | None]], frozen: bool
) -> GoalSection:
    groups: list[StatusGroup] = []
    for gi, status in enumerate(REPORT_ORDER, start=1):
        group_no = f"{goal.number}.{gi}"
        rows = [(p, n) for s, p, n in members if s is status]
        if frozen:
            rows.sort(key=lambda r: number_key(r[1] or "999"))
        else:
            rows.sort(key=lambda r: (r[0].sort_order, r[0].id))
        blocks = tuple(
            _block(proj, status, num if frozen and num else f"{group_no}.{i}")
            for i, (proj, num) in enumerate(rows, start=1)
        )
        groups.append(StatusGroup(number=group_no, status=status, projects=blocks))
    return GoalSection(number=goal.number, index=goal.index, text=goal.text,
                       groups=tuple(groups))


def _block(proj: Project, status: Status, number: str) -> ProjectBlock:
    def dated(kind: EntryKind) -> tuple[DatedEntry, ...]:
        return tuple(
            DatedEntry(date=e.date, text=e.text, items=tuple(e.items or ()))
            for e in proj.entries_of(kind)
        )

    return ProjectBlock(
        project_id=proj.id,
        number=number,
        title=proj.title,
        short_title=proj.short_title or proj.title,
        status=status,
        status_since=proj.status_since,
        project_start=proj.project_start,
        description=proj.description,
        milestones_done=dated(EntryKind.DONE),
        planning_steps=dated(EntryKind.PLANNING),
        consultations=tuple(
            ConsultationEntry(
                date=c.date, gremium=c.gremium, vorlagenart=c.vorlagenart, nummer=c.nummer,
                note=c.note, printed=c.printed,
            )
            for c in proj.consultations
        ),
        remark=proj.remark,
        milestones_planned=dated(EntryKind.PLANNED),
        departments=tuple(proj.department_codes),
        municipalities=proj.municipalities,
        labels=dict(proj.labels or {}),
        more_sections=tuple(
            Section(s["label"], RichText.from_plain(s["text"])) for s in proj.more_sections or ()
        ),
    )


def previous_snapshot(editions: dict[date, Edition], cutoff: date) -> dict[int, dict[str, Any]]:
    """Projects (by id) of the newest earlier edition that has a snapshot."""
    for c in sorted(editions, reverse=True):
        if c < cutoff and editions[c].snapshot:
            return snapshot_projects(editions[c].snapshot)
    return {}


def edition_stats(ed: AssembledEdition) -> dict[str, int]:
    """Counts of an assembled edition (fields, goals, projects per status, archive)."""
    projects = ed.projects()
    stats = {"fields": len(ed.fields), "goals": sum(len(f.goals) for f in ed.fields),
             "projects": len(projects), "archive_implemented": len(ed.archive_implemented),
             "archive_dropped": len(ed.archive_dropped)}
    for status in REPORT_ORDER:
        stats[status.value] = sum(1 for p in projects if p.status is status)
    return stats
