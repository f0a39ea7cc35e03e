"""A change set: what a department proposes to change in one project for one edition.

It is stored as JSON on a :class:`core.models.Submission`, shown to the contact and the
coordinator as "before → after", and applied to the project in one transaction on approval.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from core import texts
from core.dates import BERLIN
from core.fuzzydate import FuzzyDate, FuzzyDateError, Kind, Qualifier
from core.fuzzydate_parse import parse_fuzzy_date
from core.status import Status

# Length limits for what people type (characters); the bot explains them in German.
MAX_SHORT_TEXT = 300  # milestone text, Gremium, title
MAX_LONG_TEXT = 3000  # remark, description, drop reason
MAX_NUMMER = 40

VORLAGENARTEN = texts.VORLAGENARTEN


#: What a status date may be: one point or span of time ("Juni 2025", "2. Quartal 2025").
SINCE_KINDS = frozenset(
    {
        Kind.DAY,
        Kind.WEEK,
        Kind.MONTH_PART,
        Kind.MONTH,
        Kind.QUARTER,
        Kind.HALF,
        Kind.SEASON,
        Kind.YEAR,
    }
)
#: Words that do not fit a date something has been so since ("bis", "voraussichtlich").
_NOT_SINCE = frozenset({Qualifier.BY, Qualifier.EXPECTED})


def since_today(now: datetime) -> FuzzyDate:
    """[heute] for "Seit wann?": today in Soest."""
    return FuzzyDate.day(now.astimezone(BERLIN).date())


def since_this_month(now: datetime) -> FuzzyDate:
    """[diesen Monat] for "Seit wann?": the current month in Soest."""
    local = now.astimezone(BERLIN).date()
    return FuzzyDate.of_month(local.year, local.month)


def read_status_since(text: str, today: date) -> FuzzyDate:
    """A typed answer to "Seit wann?" ("Juni 2025", "seit 01.05.2025", "heute"), as precise as
    written. A range, a list, a repetition, "bis …", "voraussichtlich …" or a date after
    ``today`` is no status date: a
    :class:`FuzzyDateError` with a German message says so (the contact tries again)."""
    value = parse_fuzzy_date(text, today=today)
    if value.kind is Kind.SINCE and value.first is not None:
        value = value.first  # "seit Juni 2025" answers "Seit wann?" too
    if value.kind not in SINCE_KINDS or value.qualifier in _NOT_SINCE:
        raise FuzzyDateError(texts.SINCE_NOT_A_POINT.format(text=text.strip()))
    if value.start > today:
        raise FuzzyDateError(texts.SINCE_IN_FUTURE.format(text=text.strip()))
    return value


@dataclass
class Author:
    """Who made an entry of a change set and when (``at``: ISO UTC): colleagues of one
    department share a draft, so every entry says whose it is."""

    by: int | None = None  # contact id
    by_name: str = ""  # the name as it was
    at: str | None = None

    @property
    def moment(self) -> datetime | None:
        """``at`` as an aware UTC datetime."""
        return None if self.at is None else datetime.fromisoformat(self.at).astimezone(UTC)


@dataclass
class NewEntry:
    """A dated entry to add: ``date`` in FuzzyDate storage form (None: undated)."""

    date: str | None
    text: str
    # Who added it (None in change sets stored before authorship was recorded). Not part of
    # equality: the same entry is the same change whoever typed it.
    author: Author | None = field(default=None, compare=False)

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
    author: Author | None = field(default=None, compare=False)

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
    author: Author | None = field(default=None, compare=False)


@dataclass
class ChangeSet:
    """Everything a submission may change. Empty fields mean "unchanged"."""

    no_changes: bool = False  # the contact confirmed "Keine Änderungen"
    status: str | None = None  # a Status value
    # "Seit wann?": FuzzyDate storage form ("2025-06-16", "2025-06"); None: the approval day.
    status_since: str | None = None
    drop_reason: str | None = None  # required when status is "entfallen"
    milestones_done: list[NewEntry] = field(default_factory=list)
    planning_steps: list[NewEntry] = field(default_factory=list)
    completed_planned: list[CompletedPlanned] = field(default_factory=list)
    consultations: list[NewConsultation] = field(default_factory=list)
    milestones_planned: list[NewEntry] = field(default_factory=list)
    remark: str | None = None
    description: str | None = None
    # Who set the single-valued fields, by field: "status" (with its date and drop reason),
    # "remark", "description".
    authors: dict[str, Author] = field(default_factory=dict, compare=False)

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
    def status_since_date(self) -> FuzzyDate | None:
        """The proposed status date as precise as it was given ("Juni 2025" stays a month)."""
        return None if self.status_since is None else FuzzyDate.from_storage(self.status_since)

    def entries(self) -> list[NewEntry | NewConsultation | CompletedPlanned]:
        """Every list entry of the change set (the ones that carry an author)."""
        return [
            *self.milestones_done,
            *self.planning_steps,
            *self.completed_planned,
            *self.consultations,
            *self.milestones_planned,
        ]

    def all_authors(self) -> list[Author]:
        """The authors of every entry and single field, in no particular order."""
        found = [e.author for e in self.entries() if e.author is not None]
        return found + list(self.authors.values())

    def stamp(self, before: ChangeSet, by: int | None, by_name: str, now: datetime) -> None:
        """Record ``by`` as the author of what is new compared with ``before``: list entries
        without an author, and single fields whose value changed (a cleared field loses its
        author). What was there already keeps its author."""
        author = Author(by, by_name, now.astimezone(UTC).isoformat())
        for entry in self.entries():
            if entry.author is None:
                entry.author = author
        for name, now_value, old_value in (
            (
                "status",
                (self.status, self.status_since, self.drop_reason),
                (before.status, before.status_since, before.drop_reason),
            ),
            ("remark", self.remark, before.remark),
            ("description", self.description, before.description),
        ):
            empty = now_value == (None, None, None) if name == "status" else now_value is None
            if empty:
                self.authors.pop(name, None)
            elif now_value != old_value or name not in self.authors:
                self.authors[name] = author

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
            milestones_done=[_load(NewEntry, e) for e in data.get("milestones_done", [])],
            planning_steps=[_load(NewEntry, e) for e in data.get("planning_steps", [])],
            completed_planned=[
                _load(CompletedPlanned, e) for e in data.get("completed_planned", [])
            ],
            consultations=[_load(NewConsultation, c) for c in data.get("consultations", [])],
            milestones_planned=[_load(NewEntry, e) for e in data.get("milestones_planned", [])],
            remark=data.get("remark"),
            description=data.get("description"),
            authors={k: Author(**v) for k, v in (data.get("authors") or {}).items()},
        )


_Entry = TypeVar("_Entry", NewEntry, NewConsultation, CompletedPlanned)


def _load(cls: type[_Entry], data: dict[str, Any]) -> _Entry:
    """An entry from its JSON form; the author (absent in older change sets) as an Author."""
    values = dict(data)
    author = values.pop("author", None)
    return cls(**values, author=None if author is None else Author(**author))
