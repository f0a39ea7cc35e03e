"""Apply an approved change set to its project, every change audited.

Its own module because an approval (:mod:`core.approval`) and the fidelity tests that replay
real editions both apply change sets; how entries are positioned and projects re-sorted is
decided here once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from core import texts
from core.audit import Auditor
from core.changes import ChangeSet, NewConsultation, NewEntry
from core.fuzzydate import FuzzyDate
from core.models import (
    Consultation,
    EntryKind,
    Project,
    ProjectEntry,
)
from core.richtext import RichText
from core.status import Status
from core.submissions import SubmissionError


def apply_changeset(
    session: Session, project: Project, cs: ChangeSet, auditor: Auditor, today: date
) -> None:
    """Apply ``cs`` to ``project``; every actual change is audited. An empty change set
    ("Keine Änderungen") leaves the project, and so its version, untouched."""
    if cs.is_empty:
        return
    new_status = cs.new_status
    if new_status is not None and new_status is not project.status:
        auditor.assign(project, "status", new_status)
        auditor.assign(project, "status_since", cs.status_since_date or FuzzyDate.day(today))
        if new_status is Status.ENTFALLEN:
            auditor.assign(project, "drop_reason", (cs.drop_reason or "").strip())
        else:
            auditor.assign(project, "sort_order", _next_sort_order(session, project, new_status))
    for completed in cs.completed_planned:
        _complete_planned(
            project, completed.planned_text, completed.planned_date, completed.date, auditor
        )
    _add_entries(project, EntryKind.DONE, cs.milestones_done, auditor)
    _add_entries(project, EntryKind.PLANNING, cs.planning_steps, auditor)
    _add_entries(project, EntryKind.PLANNED, cs.milestones_planned, auditor)
    _add_consultations(project, cs.consultations, auditor)
    if cs.remark is not None:
        auditor.assign(project, "remark", RichText.from_plain(cs.remark.strip()))
    if cs.description is not None:
        auditor.assign(project, "description", RichText.from_plain(cs.description.strip()))
    # Bump the version even when only child rows changed, so older drafts see a conflict;
    # flagged, because an unchanged value (same clock reading) would not write the row.
    project.updated_at = auditor.now
    flag_modified(project, "updated_at")
    session.flush()


def _next_sort_order(session: Session, project: Project, status: Status) -> int:
    current = session.scalars(
        select(Project.sort_order).where(
            Project.goal_id == project.goal_id, Project.status == status, Project.id != project.id
        )
    ).all()
    return max(current, default=0) + 1


def _entry_key(date_value: FuzzyDate | None) -> tuple[int, tuple[object, ...]]:
    return (1, ()) if date_value is None else (0, date_value.sort_key())


def _renumber(items: list[ProjectEntry] | list[Consultation]) -> None:
    ordered: list[ProjectEntry | Consultation] = sorted(
        items, key=lambda e: (_entry_key(e.date), e.position)
    )
    for pos, item in enumerate(ordered):
        item.position = pos


def _add_entries(project: Project, kind: EntryKind, new: list[NewEntry], auditor: Auditor) -> None:
    if not new:
        return
    before = [[e.date.storage() if e.date else None, e.text] for e in project.entries_of(kind)]
    start = len(before)
    for i, item in enumerate(new):
        project.entries.append(
            ProjectEntry(kind=kind, position=start + i, date=item.fuzzy, text=item.text.strip())
        )
    _renumber(project.entries_of(kind))
    after = [
        [e.date.storage() if e.date else None, e.text]
        for e in sorted(project.entries_of(kind), key=lambda e: e.position)
    ]
    auditor.record(project, f"entries:{kind.value}", before, after)


def _complete_planned(
    project: Project, text: str, planned_date: str | None, done_date: str, auditor: Auditor
) -> None:
    for entry in project.entries_of(EntryKind.PLANNED):
        stored = entry.date.storage() if entry.date else None
        if entry.text == text and stored == planned_date:
            auditor.record(project, "entries:planned->done", [stored, text], [done_date, text])
            entry.kind = EntryKind.DONE
            entry.date = FuzzyDate.from_storage(done_date)
            entry.position = 10_000
            _renumber(project.entries_of(EntryKind.DONE))
            _renumber(project.entries_of(EntryKind.PLANNED))
            return
    raise SubmissionError(texts.PLANNED_GONE.format(text=text))


def _add_consultations(project: Project, new: list[NewConsultation], auditor: Auditor) -> None:
    if not new:
        return
    before = [_consultation_json(c) for c in project.consultations]
    start = len(project.consultations)
    for i, c in enumerate(new):
        project.consultations.append(
            Consultation(
                position=start + i,
                date=c.fuzzy,
                gremium=c.gremium.strip(),
                vorlagenart=c.vorlagenart,
                nummer=c.nummer,
                note=c.note,
            )
        )
    _renumber(project.consultations)
    after = [_consultation_json(c) for c in sorted(project.consultations, key=lambda c: c.position)]
    auditor.record(project, "consultations", before, after)


def _consultation_json(c: Consultation) -> list[str | None]:
    return [c.date.storage() if c.date else None, c.gremium, c.vorlagenart, c.nummer, c.note]
