"""A change set: what a department proposes to change in one project for one edition.

It is stored as JSON on a :class:`core.models.Submission`, shown to the contact and the
coordinator as "before → after", and applied to the project in one transaction on approval.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from core.fuzzydate import FuzzyDate
from core.status import Status

# Length limits for what people type (characters); the bot explains them in German.
MAX_SHORT_TEXT = 300  # milestone text, Gremium, title
MAX_LONG_TEXT = 3000  # remark, description, drop reason
MAX_NUMMER = 40

VORLAGENARTEN = (
    "Beschlussvorlage",
    "Informationsvorlage",
    "mündlicher Bericht",
    "Bericht",
    "Antrag",
)


@dataclass
class NewEntry:
    """A dated entry to add: ``date`` in FuzzyDate storage form (None: undated)."""

    date: str | None
    text: str

    @property
    def fuzzy(self) -> FuzzyDate | None:
        """The date as a value."""
        return None if self.date is None else FuzzyDate.from_storage(self.date)


@dataclass
class NewConsultation:
    """A committee consultation to add."""

    date: str | None
    gremium: str
    vorlagenart: str | None = None
    nummer: str | None = None
    note: str | None = None

    @property
    def fuzzy(self) -> FuzzyDate | None:
        """The date as a value."""
        return None if self.date is None else FuzzyDate.from_storage(self.date)


@dataclass
class CompletedPlanned:
    """A planned milestone (by its current text and date) ticked off as done on ``date``."""

    planned_text: str
    planned_date: str | None
    date: str  # when it was completed (storage form)


@dataclass
class ChangeSet:
    """Everything a submission may change. Empty fields mean "unchanged"."""

    no_changes: bool = False  # the contact confirmed "Keine Änderungen"
    status: str | None = None  # a Status value
    status_since: str | None = None  # ISO day; defaults to the approval day
    drop_reason: str | None = None  # required when status is "entfallen"
    milestones_done: list[NewEntry] = field(default_factory=list)
    planning_steps: list[NewEntry] = field(default_factory=list)
    completed_planned: list[CompletedPlanned] = field(default_factory=list)
    consultations: list[NewConsultation] = field(default_factory=list)
    milestones_planned: list[NewEntry] = field(default_factory=list)
    remark: str | None = None
    description: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when nothing would change (also for a confirmed "no changes")."""
        return not (
            self.status
            or self.milestones_done
            or self.planning_steps
            or self.completed_planned
            or self.consultations
            or self.milestones_planned
            or self.remark is not None
            or self.description is not None
        )

    @property
    def new_status(self) -> Status | None:
        """The proposed status as an enum."""
        return None if self.status is None else Status(self.status)

    @property
    def status_since_day(self) -> date | None:
        """The proposed status date."""
        return None if self.status_since is None else date.fromisoformat(self.status_since)

    def to_json(self) -> dict[str, Any]:
        """A JSON-compatible dict (stored on the submission)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ChangeSet:
        """Rebuild from :meth:`to_json` output; tolerant of missing keys."""
        data = dict(data or {})
        return cls(
            no_changes=bool(data.get("no_changes", False)),
            status=data.get("status"),
            status_since=data.get("status_since"),
            drop_reason=data.get("drop_reason"),
            milestones_done=[NewEntry(**e) for e in data.get("milestones_done", [])],
            planning_steps=[NewEntry(**e) for e in data.get("planning_steps", [])],
            completed_planned=[CompletedPlanned(**e) for e in data.get("completed_planned", [])],
            consultations=[NewConsultation(**c) for c in data.get("consultations", [])],
            milestones_planned=[NewEntry(**e) for e in data.get("milestones_planned", [])],
            remark=data.get("remark"),
            description=data.get("description"),
        )
