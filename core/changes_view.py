"""The changes view: what is new in an edition since the previous edition's snapshot.

Works on an assembled edition (live or frozen) and the previous edition's export snapshot, so
a published edition's changes view compares its own record, not today's data.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.richtext import RichText
from core.status import Status
from core.view import (
    AssembledEdition,
    ConsultationEntry,
    DatedEntry,
    GoalSection,
    ProjectBlock,
    ProjectChanges,
)

_LISTS = (
    ("milestones_done", "done"),
    ("planning_steps", "planning"),
    ("milestones_planned", "planned"),
)


def snapshot_projects(snapshot: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    """The projects (by stable id) of an edition's export snapshot."""
    if not snapshot:
        return {}
    return {
        int(p["id"]): p
        for f in snapshot.get("fields", [])
        for g in f.get("goals", [])
        for p in g.get("projects", [])
    }


def mark_changes(
    edition: AssembledEdition, baseline: dict[int, dict[str, Any]]
) -> AssembledEdition:
    """``edition`` with every project's changes against ``baseline`` marked."""
    return replace(
        edition,
        show_changes=True,
        fields=tuple(
            replace(f, goals=tuple(_goal(g, baseline) for g in f.goals)) for f in edition.fields
        ),
    )


def _goal(goal: GoalSection, baseline: dict[int, dict[str, Any]]) -> GoalSection:
    return replace(
        goal,
        groups=tuple(
            replace(
                grp, projects=tuple(_block(p, baseline.get(p.project_id)) for p in grp.projects)
            )
            for grp in goal.groups
        ),
    )


def _block(p: ProjectBlock, old: dict[str, Any] | None) -> ProjectBlock:
    old_entries: set[tuple[str, str | None, str]] = set()
    old_consultations: set[tuple[str | None, str]] = set()
    if old is not None:
        for key, kind in _LISTS:
            old_entries.update((kind, e.get("date_value"), e["text"]) for e in old.get(key, []))
        old_consultations.update(
            (c.get("date_value"), c["gremium"]) for c in old.get("consultations", [])
        )

    def dated(kind: str, entries: tuple[DatedEntry, ...]) -> tuple[DatedEntry, ...]:
        return tuple(
            replace(
                e,
                is_new=(kind, None if e.date is None else e.date.storage(), e.text)
                not in old_entries,
            )
            for e in entries
        )

    def consultation(c: ConsultationEntry) -> ConsultationEntry:
        key = (None if c.date is None else c.date.storage(), c.gremium)
        return replace(c, is_new=key not in old_consultations)

    return replace(
        p,
        milestones_done=dated("done", p.milestones_done),
        planning_steps=dated("planning", p.planning_steps),
        milestones_planned=dated("planned", p.milestones_planned),
        consultations=tuple(consultation(c) for c in p.consultations),
        changes=ProjectChanges(
            is_new_project=old is None,
            previous_status=(
                Status(old["status"])
                if old is not None and old["status"] != p.status.value
                else None
            ),
            previous_number=old["number"] if old is not None else None,
            remark_changed=old is not None and RichText.from_plain(old.get("remark")) != p.remark,
            description_changed=old is not None
            and RichText.from_plain(old.get("description")) != p.description,
        ),
    )


__all__ = ["mark_changes", "snapshot_projects"]
