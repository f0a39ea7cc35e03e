"""Assemble an edition: which projects it prints, in which group, under which number.

Rules (DOMAIN.md): four status groups per goal in fixed order; numbers ``field.goal.group.n``
recomputed for every unpublished edition and frozen once published; a completed project is
printed in the first edition that shows it as completed ("innerhalb des letzten halben Jahres")
and moves to the archive afterwards unless the coordinator keeps it; dropped projects go to
"Entfallene Projekte" with their last mention; goals without projects drop out.

Who an unpublished edition prints and under which number is :mod:`core.numbering`'s one rule;
this module lays those projects out and adds the archive.
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
from core.numbering import number_key, project_numbers
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


#: Where a project is printed: per goal id, (status, project, printed number or None).
_Placement = dict[int, list[tuple[Status, Project, str | None]]]


def assemble_edition(
    session: Session, cutoff: date, *, show_changes: bool = False
) -> AssembledEdition:
    """Build the full view of the edition at ``cutoff`` from the database."""
    fields = list(
        session.scalars(select(Field).options(selectinload(Field.goals)).order_by(Field.number))
    )
    projects = load_projects(session)
    editions = {e.cutoff: e for e in session.scalars(select(Edition))}
    frozen = _is_frozen(editions.get(cutoff))
    earlier = sorted(c for c in editions if c < cutoff)
    prev = earlier[-1] if earlier else previous_cutoff(cutoff)
    histories = {p.id: _History({h.edition.cutoff: h for h in p.history}) for p in projects}

    if frozen:
        placed = _frozen_placement(projects, histories, cutoff)
    else:
        placed = _placement(session, projects, cutoff)
    chapters = tuple(_chapter(fld, placed) for fld in fields)
    printed = {p.id for members in placed.values() for _, p, _ in members}
    archived = [p for p in projects if p.id not in printed]

    intro = session.get(DocumentText, INTRO_KEY)
    assembled = AssembledEdition(
        cutoff=cutoff,
        previous_cutoff=prev,
        archive_since=min(editions) if editions else cutoff,
        intro=intro.body if intro else "",
        fields=chapters,
        archive_implemented=_archive_implemented(archived, histories, fields, cutoff),
        archive_dropped=_archive_dropped(archived, histories, fields, cutoff),
        draft=not frozen,
    )
    assembled.stats.update(edition_stats(assembled))
    if show_changes:
        return mark_changes(assembled, previous_snapshot(editions, cutoff))
    return assembled


def _is_frozen(edition: Edition | None) -> bool:
    """Whether the edition keeps the numbers it was published with (an edition rebuilt from
    the archive alone has none to keep)."""
    return (
        edition is not None
        and edition.state is EditionState.PUBLISHED
        and not edition.from_archive_only
    )


def _placement(session: Session, projects: list[Project], cutoff: date) -> _Placement:
    """Who an unpublished edition prints, with which status and number: the projects
    :func:`core.numbering.project_numbers` numbers (the one numbering rule)."""
    numbers = project_numbers(session, cutoff)
    placed: _Placement = defaultdict(list)
    for proj in projects:
        number = numbers.get(proj.id)
        if number is not None:
            assert proj.goal_id is not None
            placed[proj.goal_id].append((proj.status, proj, number))
    return placed


def _frozen_placement(
    projects: list[Project], histories: dict[int, _History], cutoff: date
) -> _Placement:
    """Who a published edition prints: each project with the status and number it was
    published with (under its goal of today)."""
    placed: _Placement = defaultdict(list)
    for proj in projects:
        entry = histories[proj.id].by_cutoff.get(cutoff)
        if entry is None or entry.status is None or not entry.status.in_report:
            continue
        if proj.goal_id is None:
            continue
        placed[proj.goal_id].append((entry.status, proj, entry.number))
    return placed


def _chapter(fld: Field, placed: _Placement) -> FieldChapter:
    """A field's chapter: its goals that print at least one project, in goal order."""
    goals = tuple(
        _goal_section(goal, placed[goal.id])
        for goal in sorted(fld.goals, key=lambda g: g.index)
        if placed.get(goal.id)
    )
    return FieldChapter(number=fld.number, title=fld.title, overview=fld.overview, goals=goals)


def _archive_implemented(
    archived: list[Project], histories: dict[int, _History], fields: list[Field], cutoff: date
) -> tuple[ArchivedImplementedRow, ...]:
    """Completed projects not printed in a chapter, under the number and edition in which they
    were last printed; by that edition, then number."""
    field_titles = {f.id: f.title for f in fields}
    rows: list[ArchivedImplementedRow] = []
    for proj in archived:
        if proj.status is not Status.UMGESETZT:
            continue
        last = histories[proj.id].last_numbered_before(cutoff)
        if last is not None:
            rows.append(
                ArchivedImplementedRow(
                    field_title=field_titles[proj.field_id],
                    title=proj.short_title or proj.title,
                    report=last[0],
                    number=last[1].number or "",
                    project_id=proj.id,
                )
            )
    rows.sort(key=lambda r: (r.report, number_key(r.number)))
    return tuple(rows)


def _archive_dropped(
    archived: list[Project], histories: dict[int, _History], fields: list[Field], cutoff: date
) -> tuple[ArchivedDroppedRow, ...]:
    """Dropped projects with a reason, with their last mention; by that mention, field and
    number. (Without a reason a project waits for the coordinator: see core.importer.load.)"""
    field_titles = {f.id: f.title for f in fields}
    dropped: list[tuple[date, int, str, int, ArchivedDroppedRow]] = []
    for proj in archived:
        if proj.status is not Status.ENTFALLEN or proj.drop_reason is None:
            continue
        mention = histories[proj.id].last_before(cutoff)
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
    dropped.sort(key=lambda t: (t[0], t[1], number_key(t[2]), t[3]))
    return tuple(t[4] for t in dropped)


def _goal_section(goal: Goal, members: list[tuple[Status, Project, str | None]]) -> GoalSection:
    """A goal's four status groups, each project in number order under its printed number (a
    published project without one is counted within its group)."""
    groups: list[StatusGroup] = []
    for gi, status in enumerate(REPORT_ORDER, start=1):
        group_no = f"{goal.number}.{gi}"
        rows = [(p, n) for s, p, n in members if s is status]
        rows.sort(key=lambda r: number_key(r[1] or "999"))
        blocks = tuple(
            _block(proj, status, num or f"{group_no}.{i}")
            for i, (proj, num) in enumerate(rows, start=1)
        )
        groups.append(StatusGroup(number=group_no, status=status, projects=blocks))
    return GoalSection(number=goal.number, index=goal.index, text=goal.text, groups=tuple(groups))


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
                date=c.date,
                gremium=c.gremium,
                vorlagenart=c.vorlagenart,
                nummer=c.nummer,
                note=c.note,
                printed=c.printed,
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
    stats = {
        "fields": len(ed.fields),
        "goals": sum(len(f.goals) for f in ed.fields),
        "projects": len(projects),
        "archive_implemented": len(ed.archive_implemented),
        "archive_dropped": len(ed.archive_dropped),
    }
    for status in REPORT_ORDER:
        stats[status.value] = sum(1 for p in projects if p.status is status)
    return stats
