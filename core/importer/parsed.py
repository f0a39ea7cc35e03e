"""Plain data produced by the edition text parser, before anything touches the database.

Dates are kept as the raw text the edition printed (``date_text``); the loader turns them into
:class:`core.fuzzydate.FuzzyDate` values, so parsing the layout and reading dates stay separate.
Every item carries the 1-based line number of the source text where it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.status import Status


@dataclass
class ParsedDated:
    """One line of a dated list (milestone, planning step, planned milestone)."""

    date_text: str | None  # e.g. "31.12.2023", "Oktober 2024", "3. Qu. 2022"; None if undated
    text: str
    line: int
    items: list[str] = field(default_factory=list)  # sub-items below the text


@dataclass
class ParsedConsultation:
    """One committee consultation: ``06.03.2025 Ausschuss für ..., Beschlussvorlage 057/2025``."""

    date_text: str | None
    gremium: str
    vorlagenart: str | None  # Beschlussvorlage, Informationsvorlage, mündlicher Bericht, ...
    nummer: str | None  # e.g. "057/2025"
    note: str | None  # anything else printed on the entry
    line: int
    printed: str | None = None  # the entry's text as printed after its date


@dataclass
class ParsedProject:
    """A project block of a chapter, joined with its row of the project list."""

    number: str  # "1.2.2.1" as printed in this edition
    title: str
    status: Status
    line: int
    status_since_text: str | None = None  # the status date ("01.10.2024")
    project_start_text: str | None = None  # only when two dates are printed ("07.06.2024")
    description: str = ""
    milestones_done: list[ParsedDated] = field(default_factory=list)
    planning_steps: list[ParsedDated] = field(default_factory=list)
    consultations: list[ParsedConsultation] = field(default_factory=list)
    remark: str = ""  # the Bemerkung without the "geplante Meilensteine" list; 2023: Sachstand
    milestones_planned: list[ParsedDated] = field(default_factory=list)
    # the edition printed the remark below the planned milestones (still under "Bemerkung")
    remark_after_planned: bool = False
    # from the Projektliste row with the same number
    short_title: str | None = None
    municipalities: str | None = None
    departments: list[str] = field(default_factory=list)
    # Section headings as printed ("Projektbeschreibung:", "geplante Schritte:", ...), by
    # section key; "status_note" holds a note after the status date ("(vorher in Planung)").
    labels: dict[str, str] = field(default_factory=dict)
    # Further (heading, text) sections in printed order, when a block repeats its
    # description/Sachstand pairs (older format: one pair per sub-project).
    more_sections: list[tuple[str, str]] = field(default_factory=list)
    # The project list's row as printed: its number, the status column marked (None where the
    # layout does not tell), the departments cell.
    list_number: str | None = None
    list_status: Status | None = None
    departments_printed: str | None = None


@dataclass
class ParsedGoal:
    """A strategic goal ``x.y`` with its text and projects (all four groups, report order)."""

    number: str  # "1.2"
    text: str
    line: int
    projects: list[ParsedProject] = field(default_factory=list)
    heading: str = ""  # as printed after the number: "Strategisches Ziel 2"
    group_numbers: dict[Status, str] = field(default_factory=dict)  # as printed: "2.7.3"


@dataclass
class ParsedField:
    """A Themenfeld (chapter)."""

    number: int
    title: str  # mixed case as in the Einleitung / project list: "Klima/Energie/Umwelt"
    overview: str  # the field's paragraph(s) of the Einleitung
    line: int
    goals: list[ParsedGoal] = field(default_factory=list)
    list_headers: dict[str, str] = field(default_factory=dict)  # see core.view.FieldChapter


@dataclass
class ParsedArchivedImplemented:
    """A row of the archive table "Umgesetzte Projekte"."""

    field_title: str
    title: str
    report_text: str  # edition date it last appeared in, "01.10.2022"
    number: str  # as printed, e.g. "1.3.1.1" or "1.1.1 + 1.2.1"
    line: int


@dataclass
class ParsedDropped:
    """A row of the archive table "Entfallene Projekte"."""

    field_title: str  # as printed; may be abbreviated ("Digitalisierung")
    title: str
    reason: str
    last_mention_text: str  # "01.10.2023"
    line: int


@dataclass
class UnplacedLine:
    """A non-blank source line the parser could not attribute to anything."""

    line: int
    text: str


@dataclass
class ParsedEdition:
    """Everything read from one edition's text."""

    cutoff: date
    intro: str  # Einleitung text before the per-field overviews
    fields: list[ParsedField] = field(default_factory=list)
    archive_implemented: list[ParsedArchivedImplemented] = field(default_factory=list)
    archive_dropped: list[ParsedDropped] = field(default_factory=list)
    unplaced: list[UnplacedLine] = field(default_factory=list)
    has_milestones: bool = True  # False for the older "Sachstand" format (2023)

    def projects(self) -> list[ParsedProject]:
        """All projects in edition order."""
        return [p for f in self.fields for g in f.goals for p in g.projects]
