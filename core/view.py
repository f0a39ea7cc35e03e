"""The assembled edition: a plain, read-only view of everything one report edition prints.

:mod:`core.assembly` builds it from the database; the renderers (HTML, PDF, DOCX) only read it.
No wording lives here: labels and placeholders are in ``templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.fuzzydate import FuzzyDate
from core.richtext import RichText
from core.status import Status

#: The report formats: the current one with dated milestones, committee consultations and
#: remark (2025), and the older one with a free-text "Sachstand" per project (2023).
FORMAT_MILESTONES = "milestones"
FORMAT_SACHSTAND = "sachstand"


@dataclass(frozen=True)
class DatedEntry:
    """A milestone, planning step or planned milestone."""

    date: FuzzyDate | None
    text: str
    is_new: bool = False  # changes view: added since the previous edition
    items: tuple[str, ...] = ()  # sub-items, printed as a list below the text


@dataclass(frozen=True)
class ConsultationEntry:
    """A committee consultation (Beratung/Information in politischen Gremien)."""

    date: FuzzyDate | None
    gremium: str
    vorlagenart: str | None
    nummer: str | None
    note: str | None
    is_new: bool = False
    printed: str | None = None  # the text as the department wrote it (imported entries)


@dataclass(frozen=True)
class ProjectChanges:
    """What changed since the previous edition (only filled for the changes view)."""

    is_new_project: bool = False
    previous_status: Status | None = None  # set when the status changed
    previous_number: str | None = None
    remark_changed: bool = False
    description_changed: bool = False


@dataclass(frozen=True)
class Section:
    """A further heading and its text, printed in order after the standard ones."""

    label: str
    text: RichText


@dataclass(frozen=True)
class ProjectBlock:
    """One project as printed in a chapter and in the project list."""

    project_id: int
    number: str  # "1.2.2.1", recomputed for this edition
    title: str
    short_title: str
    status: Status
    status_since: FuzzyDate | None
    project_start: FuzzyDate | None  # printed only when it differs from status_since
    description: RichText
    milestones_done: tuple[DatedEntry, ...]
    planning_steps: tuple[DatedEntry, ...]
    consultations: tuple[ConsultationEntry, ...]
    remark: RichText
    milestones_planned: tuple[DatedEntry, ...]
    departments: tuple[str, ...]
    municipalities: str
    changes: ProjectChanges | None = None
    # Headings the project prints instead of the standard ones (templates hold the defaults).
    labels: dict[str, str] = field(default_factory=dict)
    more_sections: tuple[Section, ...] = ()
    # True in an edition's record: ``labels`` holds every heading the edition printed, and
    # only those are printed (a live project prints the standard ones of its status too).
    headings_as_printed: bool = False
    # An edition's record only: the edition printed the remark below the planned milestones
    # (both under "Bemerkung (optional):"); a live project prints it above them.
    remark_after_planned: bool = False
    # An imported edition's record only: what its project list printed where that differs
    # from the chapter (a stale number, another status column, codes as typed: "70.01.,80.01").
    list_number: str = ""
    list_status: Status | None = None
    departments_printed: str = ""


@dataclass(frozen=True)
class StatusGroup:
    """One of the four groups under a goal, ``x.y.1`` .. ``x.y.4``; may be empty."""

    number: str  # "1.2.1"
    status: Status
    projects: tuple[ProjectBlock, ...]


@dataclass(frozen=True)
class GoalSection:
    """A strategic goal with its four status groups in report order."""

    number: str  # "1.2"
    index: int  # 2 -> "Strategisches Ziel 2"
    text: str
    groups: tuple[StatusGroup, ...]
    # An imported edition's record: the heading after the number as printed ("Strategisches
    # Ziel" without its index); empty: the standard heading.
    heading: str = ""


@dataclass(frozen=True)
class FieldChapter:
    """A Themenfeld chapter."""

    number: int
    title: str  # "Klima/Energie/Umwelt"
    overview: str  # paragraph(s) for the Einleitung
    goals: tuple[GoalSection, ...]
    # An imported edition's record: its project list's column headings as printed, by column
    # ("number", "title", "status", "municipalities", "departments"); missing: the standard.
    list_headers: dict[str, str] = field(default_factory=dict)

    def projects(self) -> list[ProjectBlock]:
        """The chapter's projects in number order (the project list rows)."""
        return [p for g in self.goals for grp in g.groups for p in grp.projects]


@dataclass(frozen=True)
class ArchivedImplementedRow:
    """Archive table "Umgesetzte Projekte": Themenfeld | Projekt | Report | Nummer."""

    field_title: str
    title: str
    report: date
    number: str
    project_id: int | None = None  # the website links the row to the project's page


@dataclass(frozen=True)
class ArchivedDroppedRow:
    """Archive table "Entfallene Projekte": Themenfeld | Projekt | Grund | letzte Erwähnung."""

    field_title: str
    title: str
    reason: str
    last_mention: date
    project_id: int | None = None


@dataclass(frozen=True)
class AssembledEdition:
    """Everything one edition prints, in print order."""

    cutoff: date
    previous_cutoff: date  # for the "seit der letzten Überarbeitung zum ..." placeholder
    archive_since: date  # "(seit 01.10.2022)": the first edition
    intro: str  # Einleitung before the per-field overviews; paragraphs separated by blank lines
    fields: tuple[FieldChapter, ...]
    archive_implemented: tuple[ArchivedImplementedRow, ...]
    archive_dropped: tuple[ArchivedDroppedRow, ...]
    show_changes: bool = False
    draft: bool = False  # True until the edition is published
    format: str = FORMAT_MILESTONES  # FORMAT_SACHSTAND for editions in the older format
    stats: dict[str, int] = field(default_factory=dict)

    def projects(self) -> list[ProjectBlock]:
        """All projects of the edition in number order."""
        return [p for f in self.fields for p in f.projects()]
