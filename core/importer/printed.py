"""The view of an imported edition, built from what the edition itself printed.

An imported edition renders from this record for good (:mod:`core.frozen`): its projects,
headings, dates and archive exactly as the parser read them, with the stable project ids
the loader matched. Importing it before or after other editions gives the same record.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cycle import previous_cutoff
from core.fuzzydate import FuzzyDate, FuzzyDateError
from core.fuzzydate_parse import parse_fuzzy_date
from core.importer.parsed import ParsedDated, ParsedEdition, ParsedProject
from core.models import Edition
from core.richtext import RichText
from core.status import REPORT_ORDER
from core.view import (
    FORMAT_MILESTONES,
    FORMAT_SACHSTAND,
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


def imported_view(
    session: Session,
    parsed: ParsedEdition,
    project_ids: dict[str, int],
    archive_ids: dict[int, int] | None = None,
) -> AssembledEdition:
    """The assembled view of ``parsed`` (``project_ids``: printed number → stable id;
    ``archive_ids``: source line of an archive row → stable id)."""
    rows = archive_ids or {}
    from core.assembly import edition_stats

    known = [c for c in session.scalars(select(Edition.cutoff)) if c <= parsed.cutoff]
    chapters = tuple(
        FieldChapter(
            number=f.number,
            title=f.title,
            overview=f.overview,
            goals=tuple(
                GoalSection(
                    number=g.number,
                    index=int(g.number.split(".")[1]),
                    text=g.text,
                    heading=g.heading,
                    groups=tuple(
                        StatusGroup(
                            number=g.group_numbers.get(status, f"{g.number}.{gi}"),
                            status=status,
                            projects=tuple(
                                _block(p, project_ids.get(p.number, 0))
                                for p in g.projects
                                if p.status is status
                            ),
                        )
                        for gi, status in enumerate(REPORT_ORDER, start=1)
                    ),
                )
                for g in f.goals
            ),
            list_headers=dict(f.list_headers),
        )
        for f in parsed.fields
    )
    view = AssembledEdition(
        cutoff=parsed.cutoff,
        previous_cutoff=previous_cutoff(parsed.cutoff),
        archive_since=min(known, default=parsed.cutoff),
        intro=parsed.intro,
        fields=chapters,
        archive_implemented=tuple(
            ArchivedImplementedRow(
                r.field_title, r.title, _day(r.report_text), r.number, rows.get(r.line)
            )
            for r in parsed.archive_implemented
            if _maybe_day(r.report_text) is not None
        ),
        archive_dropped=tuple(
            ArchivedDroppedRow(
                r.field_title, r.title, r.reason, _day(r.last_mention_text), rows.get(r.line)
            )
            for r in parsed.archive_dropped
            if _maybe_day(r.last_mention_text) is not None
        ),
        draft=False,
        format=FORMAT_MILESTONES if parsed.has_milestones else FORMAT_SACHSTAND,
    )
    view.stats.update(edition_stats(view))
    return view


def _fuzzy(text: str | None) -> FuzzyDate | None:
    if not text or not text.strip():
        return None
    try:
        return parse_fuzzy_date(text)
    except FuzzyDateError:
        return None  # the loader reported it as a date problem


def _maybe_day(text: str) -> date | None:
    value = _fuzzy(text)
    return None if value is None else value.start


def _day(text: str) -> date:
    value = _maybe_day(text)
    assert value is not None
    return value


def _dated(items: list[ParsedDated]) -> tuple[DatedEntry, ...]:
    return tuple(DatedEntry(_fuzzy(i.date_text), i.text, items=tuple(i.items)) for i in items)


def _block(p: ParsedProject, project_id: int) -> ProjectBlock:
    return ProjectBlock(
        project_id=project_id,
        number=p.number,
        title=p.title,
        short_title=p.short_title or p.title,
        status=p.status,
        status_since=_fuzzy(p.status_since_text),
        project_start=_fuzzy(p.project_start_text),
        description=RichText.from_plain(p.description),
        milestones_done=_dated(p.milestones_done),
        planning_steps=_dated(p.planning_steps),
        consultations=tuple(
            ConsultationEntry(
                _fuzzy(c.date_text),
                c.gremium,
                c.vorlagenart,
                c.nummer,
                c.note,
                printed=c.printed,
            )
            for c in p.consultations
        ),
        remark=RichText.from_plain(p.remark),
        milestones_planned=_dated(p.milestones_planned),
        departments=tuple(p.departments),
        municipalities=p.municipalities or "",
        labels=dict(p.labels),
        headings_as_printed=True,
        remark_after_planned=p.remark_after_planned,
        list_number="" if p.list_number in (None, p.number) else p.list_number,
        list_status=None if p.list_status in (None, p.status) else p.list_status,
        departments_printed=(
            ""
            if p.departments_printed in (None, ", ".join(p.departments))
            else p.departments_printed
        ),
        more_sections=tuple(
            Section(label, RichText.from_plain(text)) for label, text in p.more_sections
        ),
    )
