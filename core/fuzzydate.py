"""German fuzzy dates: one value type for "31.12.2023", "3. Qu. 2022", "seit Sommer 2024" ...

A milestone date in the report is not always a day. :class:`FuzzyDate` holds a day, calendar
week, part of a month (Anfang/Mitte/Ende), month, quarter, half-year (or Anfang/Mitte/Ende of a
year), season, year, range, several dates
("16.06.2024 und 14.10.2024"), open start ("seit ..."), a recurring date ("jährlich",
"2 x jährlich") or "fortlaufend". It prints one German style through Babel
(:meth:`FuzzyDate.format`), stores one stable ASCII form (:meth:`FuzzyDate.storage`) and
sorts in time order (:meth:`FuzzyDate.sort_key`). Reading what people write is
:func:`core.fuzzydate_parse.parse_fuzzy_date`, a module that imports this one and is not
imported by it.

Spans (``start`` .. ``end``, both inclusive):

========================  =====================================================
DAY                       the day
WEEK                      the ISO calendar week, Monday to Sunday ("KW 38/2025")
MONTH_PART                Anfang days 1-10, Mitte 11-20, Ende 21 to the month's last
MONTH                     the month
QUARTER                   the quarter
HALF                      1. Halbjahr Jan-Jun, 2. Halbjahr Jul-Dec, Mitte Apr-Sep,
                          Anfang Jan-Mar, Ende Oct-Dec
SEASON                    meteorological: Frühjahr Mar-May, Sommer Jun-Aug,
                          Herbst Sep-Nov, Winter Dec of the year to Feb of the next
YEAR                      the year
RANGE                     first bound's start .. last bound's end
SET                       first part's start .. last part's end (the parts are
                          disjoint and in time order, so this covers all of them)
SINCE                     the wrapped value's start .. :data:`OPEN_END`
RECURRING                 :data:`OPEN_START` .. :data:`OPEN_END` (any day)
ONGOING                   :data:`OPEN_START` .. :data:`OPEN_END` (any day)
========================  =====================================================

Storage forms: ``2025-04-01``, ``2025-W38`` (week), ``2025-09-LATE`` (Ende September 2025),
``2025-04``, ``2025-Q2``, ``2025-H1``, ``2020-MID``,
``2024-SUMMER``, ``2025``, ``2025/2027`` (range), ``set:2024-06-16,2024-10-14`` (several
dates), ``since:2024-09``, ``every:1/year`` / ``every:2/year`` / ``every:12/year`` /
``every:52/year`` (recurring, times per year) and ``ongoing``.

The author's word before a date is kept (:class:`Qualifier`, issue 18): the whole value may
carry one, stored as a prefix and printed in one spelling: ``from:2026`` "ab 2026" (an open
start as written; ``since:2026`` stays "seit 2026"), ``about:2026-MID`` "ca. Mitte 2026",
``expected:2026`` "voraussichtlich 2026", ``by:2025-LATE`` "bis Ende 2025". A hedge is kept,
not dropped, because it is part of what the department told the reader; it changes neither
span nor order ("bis Ende 2025" sorts with "Ende 2025"). Values stored before have no prefix
and read and print as before.

Order: all dated values (DAY .. SINCE) by start, then end; after them every RECURRING value
(less frequent first: jährlich before monatlich); ONGOING last of all.

A RECURRING value is a number of times per year, :attr:`FuzzyDate.per_year`: "jährlich" 1,
"halbjährlich" 2, "vierteljährlich"/"quartalsweise" 4, "monatlich" 12, "wöchentlich" 52 (a
week counts as 1/52 of a year), times an optional count ("2 x monatlich" 24). It prints in
the largest of Woche/Monat/Jahr that divides it: "jährlich", "2 x jährlich", "4 x jährlich",
"monatlich", "2 x monatlich", "wöchentlich". So "1 x jährlich" and "einmal jährlich" print as
"jährlich", "halbjährlich" as "2 x jährlich" and "quartalsweise" as "4 x jährlich": each means
exactly the same as its print form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from itertools import pairwise
from typing import Final, TypeVar

from babel.dates import format_date
from babel.lists import format_list

from core.texts import (
    FUZZY_DATE_MESSAGES,
    FUZZY_DATE_MORE_MESSAGES,
    FUZZY_DATE_WORDS,
    FUZZY_FREQUENCY_WORDS,
)

LOCALE: Final = "de_DE"
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
#: ``start`` of RECURRING and ONGOING values: they may have begun on any day.
OPEN_START: Final = date.min
#: ``end`` of SINCE, RECURRING and ONGOING values: they have no known last day.
OPEN_END: Final = date.max
#: Range separator in print: "2025–2027", "März–Juni 2024", "März 2024 – Juni 2025".
DASH: Final = "–"
#: Times per year of the plain recurring words.
YEARLY: Final = 1
MONTHLY: Final = 12
WEEKLY: Final = 52
#: The most frequent RECURRING value: more than daily is no milestone date.
MAX_PER_YEAR: Final = 365


class Kind(StrEnum):
    """What a :class:`FuzzyDate` stands for; members are declared in sort-tiebreak order."""

    DAY = "day"
    WEEK = "week"
    MONTH_PART = "month_part"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    SEASON = "season"
    YEAR = "year"
    RANGE = "range"
    SET = "set"
    SINCE = "since"
    RECURRING = "recurring"
    ONGOING = "ongoing"


class Part(StrEnum):
    """A named part of a year; the value is the storage suffix ("2025-Q2", "2020-MID")."""

    Q1 = "Q1"
    Q2 = "Q2"
    Q3 = "Q3"
    Q4 = "Q4"
    H1 = "H1"
    H2 = "H2"
    MID = "MID"
    EARLY = "EARLY"
    LATE = "LATE"
    SPRING = "SPRING"
    SUMMER = "SUMMER"
    AUTUMN = "AUTUMN"
    WINTER = "WINTER"


class Qualifier(StrEnum):
    """A word the author put before a date, kept in print; the value is the storage prefix.

    FROM ("ab") is only for SINCE (which prints "seit" without it); BY ("bis") only for a simple
    value; ABOUT ("ca.") and EXPECTED ("voraussichtlich") for any dated value.
    """

    FROM = "from"
    ABOUT = "about"
    EXPECTED = "expected"
    BY = "by"


#: The German words Babel does not know, in one place (printed form; from core/texts.py). Keyed
#: by the storage value of a :class:`Part`, :class:`Kind` or :class:`Qualifier` (a StrEnum member
#: finds its plain-string key).
WORDS: Final[dict[str, str]] = FUZZY_DATE_WORDS
#: Printed RECURRING words, tried in this order: (times per year of "1 x", word).
FREQUENCY_WORDS: Final[tuple[tuple[int, str], ...]] = FUZZY_FREQUENCY_WORDS
#: Between count and word in "2 x jährlich".
TIMES: Final = "x"

#: User-facing error texts (German, "Sie"), from core/texts.py.
_MESSAGES: Final[dict[str, str]] = {**FUZZY_DATE_MESSAGES, **FUZZY_DATE_MORE_MESSAGES}

# kind, first month, length in months
_PART_SPANS: Final[dict[Part, tuple[Kind, int, int]]] = {
    Part.Q1: (Kind.QUARTER, 1, 3),
    Part.Q2: (Kind.QUARTER, 4, 3),
    Part.Q3: (Kind.QUARTER, 7, 3),
    Part.Q4: (Kind.QUARTER, 10, 3),
    Part.H1: (Kind.HALF, 1, 6),
    Part.H2: (Kind.HALF, 7, 6),
    Part.MID: (Kind.HALF, 4, 6),
    Part.EARLY: (Kind.HALF, 1, 3),
    Part.LATE: (Kind.HALF, 10, 3),
    Part.SPRING: (Kind.SEASON, 3, 3),
    Part.SUMMER: (Kind.SEASON, 6, 3),
    Part.AUTUMN: (Kind.SEASON, 9, 3),
    Part.WINTER: (Kind.SEASON, 12, 3),
}
#: Anfang, Mitte, Ende of a month: first day, last day (None: the month's last).
_MONTH_PART_DAYS: Final[dict[Part, tuple[int, int | None]]] = {
    Part.EARLY: (1, 10),
    Part.MID: (11, 20),
    Part.LATE: (21, None),
}
_QUARTERS: Final = (Part.Q1, Part.Q2, Part.Q3, Part.Q4)
_HALVES: Final = (Part.H1, Part.H2)

#: Kinds that may be a range bound, a part of a SET or follow "seit".
SIMPLE_KINDS: Final = frozenset(
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
#: Kinds without a day in time; they sort after all others (RECURRING, then ONGOING).
UNDATED_KINDS: Final = frozenset({Kind.RECURRING, Kind.ONGOING})
_YEARED_KINDS: Final = frozenset({Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.SEASON})
_COMPACT_RANGE_KINDS: Final = frozenset({Kind.MONTH, Kind.SEASON})  # "März–Juni 2024"
_KIND_RANK: Final = {kind: rank for rank, kind in enumerate(Kind)}
_GROUP: Final = {Kind.RECURRING: 1, Kind.ONGOING: 2}  # all dated kinds: 0
# which optional fields each kind uses; all others must be None
_SHAPE: Final[dict[Kind, frozenset[str]]] = {
    Kind.DAY: frozenset({"exact"}),
    Kind.WEEK: frozenset({"year", "week"}),
    Kind.MONTH_PART: frozenset({"year", "month", "part"}),
    Kind.MONTH: frozenset({"year", "month"}),
    Kind.QUARTER: frozenset({"year", "part"}),
    Kind.HALF: frozenset({"year", "part"}),
    Kind.SEASON: frozenset({"year", "part"}),
    Kind.YEAR: frozenset({"year"}),
    Kind.RANGE: frozenset({"first", "last"}),
    Kind.SET: frozenset({"parts"}),
    Kind.SINCE: frozenset({"first"}),
    Kind.RECURRING: frozenset({"per_year"}),
    Kind.ONGOING: frozenset(),
}
_OPTIONAL_FIELDS: Final = (
    "year",
    "month",
    "week",
    "part",
    "exact",
    "first",
    "last",
    "parts",
    "per_year",
)

#: (group: 0 dated, 1 RECURRING, 2 ONGOING; start; end; kind rank; times per year; storage)
SortKey = tuple[int, date, date, int, int, str]
_T = TypeVar("_T")


class FuzzyDateError(ValueError):
    """A date text that cannot be read; ``str(err)`` is a short German message for the user."""


@dataclass(frozen=True)
class FuzzyDate:
    """A possibly imprecise German date; equality is structural, order is chronological.

    Build values with the ``day``/``of_*``/``between``/``several``/``since``/``recurring``/
    ``ongoing`` constructors or :func:`core.fuzzydate_parse.parse_fuzzy_date`. Fields a kind
    does not use are ``None``.
    """

    kind: Kind
    year: int | None = None  # WEEK (ISO week-year), MONTH_PART, MONTH, QUARTER, HALF, SEASON, YEAR
    month: int | None = None  # MONTH_PART, MONTH
    week: int | None = None  # WEEK: ISO calendar week 1-53
    part: Part | None = None  # MONTH_PART (EARLY, MID, LATE), QUARTER, HALF, SEASON
    exact: date | None = None  # DAY
    first: FuzzyDate | None = None  # RANGE: first bound; SINCE: the value it starts at
    last: FuzzyDate | None = None  # RANGE: last bound
    parts: tuple[FuzzyDate, ...] | None = None  # SET: two or more simple values in time order
    per_year: int | None = None  # RECURRING: times per year (1 jährlich, 12 monatlich ...)
    #: A word the author wrote before the date ("ab", "ca.", "voraussichtlich", "bis"); it is
    #: printed and stored, and changes neither span nor order.
    qualifier: Qualifier | None = None

    def __post_init__(self) -> None:
        shape = _SHAPE[self.kind]
        for name in _OPTIONAL_FIELDS:
            if (getattr(self, name) is None) == (name in shape):
                raise TypeError(f"{self.kind.value} needs exactly the fields {sorted(shape)}")
        reason = self._invalid_reason()
        if reason is not None:
            raise FuzzyDateError(_MESSAGES[reason[0]].format(text=reason[1], reason=reason[2]))

    def _invalid_reason(self) -> tuple[str, str, str] | None:
        """(message key, text, reason) if the value is impossible, else None.

        Fields that cannot belong together are a programming error and raise TypeError.
        """
        if self.year is not None and _year_out_of_range(self.year):
            return "invalid", str(self.year), _MESSAGES["year"]
        if self.exact is not None and _year_out_of_range(self.exact.year):
            return "invalid", self.exact.isoformat(), _MESSAGES["year"]
        if self.month is not None and not 1 <= self.month <= 12:
            return "invalid", f"{self.month}/{self.year}", _month_reason(self.month)
        if self.week is not None:
            weeks = _weeks_in(_need(self.year))
            if not 1 <= self.week <= weeks:
                reason = _MESSAGES["no_week"].format(year=self.year, weeks=weeks)
                return "invalid", f"KW {self.week}/{self.year}", reason
        if self.kind is Kind.MONTH_PART:
            if self.part not in _MONTH_PART_DAYS:
                raise TypeError(f"{self.part} is not a part of a month")
        elif self.part is not None and _PART_SPANS[self.part][0] is not self.kind:
            raise TypeError(f"{self.part.value} is not a part of kind {self.kind.value}")
        if self.first is not None and self.first.kind not in SIMPLE_KINDS:
            raise TypeError(f"{self.kind.value} cannot hold a {self.first.kind.value}")
        inner = (self.first, self.last, *(self.parts or ()))
        if any(isinstance(v, FuzzyDate) and v.qualifier is not None for v in inner):
            raise TypeError("only the whole value has a qualifier, not a part of it")
        if self.last is not None:
            if self.last.kind not in SIMPLE_KINDS:
                raise TypeError(f"range cannot end with a {self.last.kind.value}")
            first = _need(self.first)
            key = _range_reason(first, self.last)
            if key is not None:
                text = f"{first.format()} {DASH} {self.last.format()}"
                return "bad_range", text, _MESSAGES[key]
        if self.parts is not None:
            return _check_parts(self.parts)
        if self.per_year is not None and not 1 <= self.per_year <= MAX_PER_YEAR:
            text = f"{self.per_year} {TIMES} {_format_frequency(YEARLY)}"
            return "bad_frequency", text, _MESSAGES["frequency"]
        if self.qualifier is not None and not _qualifier_fits(self.qualifier, self.kind):
            raise TypeError(f"{self.qualifier.value} cannot qualify a {self.kind.value}")
        return None

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def day(cls, d: date) -> FuzzyDate:
        """A single calendar day."""
        return cls(Kind.DAY, exact=d)

    @classmethod
    def of_week(cls, year: int, week: int) -> FuzzyDate:
        """An ISO calendar week ("KW 38/2025"); ``year`` is the ISO week-year."""
        return cls(Kind.WEEK, year=year, week=week)

    @classmethod
    def of_month_part(cls, year: int, month: int, part: Part) -> FuzzyDate:
        """Anfang (days 1-10), Mitte (11-20) or Ende (21-last) of a month: "Ende September 2025"."""
        return cls(Kind.MONTH_PART, year=year, month=month, part=part)

    @classmethod
    def of_month(cls, year: int, month: int) -> FuzzyDate:
        """A calendar month (1-12)."""
        return cls(Kind.MONTH, year=year, month=month)

    @classmethod
    def of_part(cls, year: int, part: Part) -> FuzzyDate:
        """A quarter, half-year, Anfang/Mitte/Ende or season of ``year``."""
        return cls(_PART_SPANS[part][0], year=year, part=part)

    @classmethod
    def of_year(cls, year: int) -> FuzzyDate:
        """A whole calendar year."""
        return cls(Kind.YEAR, year=year)

    @classmethod
    def between(cls, first: FuzzyDate, last: FuzzyDate) -> FuzzyDate:
        """A range; ``first`` must end before ``last`` starts."""
        return cls(Kind.RANGE, first=first, last=last)

    @classmethod
    def several(cls, parts: Iterable[FuzzyDate]) -> FuzzyDate:
        """Several dates ("16.06.2024 und 14.10.2024"): two or more simple values, each
        ending before the next starts."""
        return cls(Kind.SET, parts=tuple(parts))

    @classmethod
    def since(cls, start: FuzzyDate, *, ab: bool = False) -> FuzzyDate:
        """An open range "seit ..." starting at ``start`` ("ab ..." with ``ab``, as written)."""
        return cls(Kind.SINCE, first=start, qualifier=Qualifier.FROM if ab else None)

    def qualified(self, qualifier: Qualifier | None) -> FuzzyDate:
        """This value with the author's word ``qualifier`` before it (None: without one)."""
        return replace(self, qualifier=qualifier)

    @classmethod
    def recurring(cls, per_year: int = YEARLY) -> FuzzyDate:
        """A date that comes back ``per_year`` times a year: 1 "jährlich", 12 "monatlich" ..."""
        return cls(Kind.RECURRING, per_year=per_year)

    @classmethod
    def ongoing(cls) -> FuzzyDate:
        """The value "fortlaufend"."""
        return cls(Kind.ONGOING)

    @classmethod
    def from_storage(cls, s: str) -> FuzzyDate:
        """Read the canonical form written by :meth:`storage`; anything else is an error."""
        try:
            value = cls._from_storage(s)
        except (ValueError, TypeError):
            raise FuzzyDateError(_MESSAGES["storage"].format(text=s)) from None
        if value.storage() != s:
            raise FuzzyDateError(_MESSAGES["storage"].format(text=s))
        return value

    @classmethod
    def _from_storage(cls, s: str) -> FuzzyDate:
        """The value of a storage form, unchecked; raises ValueError or TypeError."""
        head, colon, rest = s.partition(":")
        if colon and head in {q.value for q in Qualifier}:
            qualifier = Qualifier(head)
            if qualifier is Qualifier.FROM:
                return cls.since(_atom_from_storage(rest), ab=True)
            return cls._from_storage(rest).qualified(qualifier)
        if s == "ongoing":
            return cls.ongoing()
        if s.startswith("every:"):
            return cls.recurring(_frequency_from_storage(s.removeprefix("every:")))
        if s.startswith("since:"):
            return cls.since(_atom_from_storage(s.removeprefix("since:")))
        if s.startswith("set:"):
            parts = s.removeprefix("set:").split(",")
            return cls.several(_atom_from_storage(p) for p in parts)
        if "/" in s:
            first, last = s.split("/", 1)
            return cls.between(_atom_from_storage(first), _atom_from_storage(last))
        return _atom_from_storage(s)

    # -- reading ---------------------------------------------------------------------------
    @property
    def start(self) -> date:
        """First day the value can mean (:data:`OPEN_START` for RECURRING and ONGOING)."""
        return self._span()[0]

    @property
    def end(self) -> date:
        """Last day the value can mean (:data:`OPEN_END` for SINCE, RECURRING and ONGOING)."""
        return self._span()[1]

    def _span(self) -> tuple[date, date]:
        if self.exact is not None:
            return self.exact, self.exact
        if self.week is not None:
            monday = date.fromisocalendar(_need(self.year), self.week, 1)
            return monday, monday + timedelta(days=6)
        if self.kind is Kind.MONTH_PART:
            month_start, month_end = _month_span(_need(self.year), _need(self.month), 1)
            first_day, last_day = _MONTH_PART_DAYS[_need(self.part)]
            end = month_end if last_day is None else month_start.replace(day=last_day)
            return month_start.replace(day=first_day), end
        if self.month is not None:
            return _month_span(_need(self.year), self.month, 1)
        if self.part is not None:
            _, first_month, months = _PART_SPANS[self.part]
            return _month_span(_need(self.year), first_month, months)
        if self.year is not None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        if self.last is not None:
            return _need(self.first).start, self.last.end
        if self.parts is not None:
            return self.parts[0].start, self.parts[-1].end
        if self.first is not None:
            return self.first.start, OPEN_END
        return OPEN_START, OPEN_END

    def sort_key(self) -> SortKey:
        """Chronological key: dated values by start, then end; then RECURRING (less frequent
        first); ONGOING last; ties broken by kind and storage. A SET sorts by its span, that
        is by the start of its first part."""
        return self._sort_key

    @cached_property
    def _sort_key(self) -> SortKey:
        # cached_property writes to the instance __dict__, which a frozen dataclass allows;
        # it is no field, so equality and hashing stay structural.
        start, end = self._span()
        group = _GROUP.get(self.kind, 0)
        return group, start, end, _KIND_RANK[self.kind], self.per_year or 0, self.storage()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    # -- writing ---------------------------------------------------------------------------
    def format(self) -> str:
        """The report's German display: "31.12.2023", "3. Quartal 2022", "seit Sommer 2024",
        "16.06.2024 und 14.10.2024", "2 x jährlich", "ab 2026", "ca. Mitte 2026"."""
        if self.qualifier is Qualifier.FROM:
            return f"{WORDS[Qualifier.FROM]} {_need(self.first).format()}"
        if self.qualifier is not None:
            return f"{WORDS[self.qualifier]} {self._format_plain()}"
        return self._format_plain()

    def _format_plain(self) -> str:
        match self.kind:
            case Kind.DAY:
                return format_date(_need(self.exact), "dd.MM.yyyy", locale=LOCALE)
            case Kind.WEEK:
                return f"{WORDS[Kind.WEEK]} {_need(self.week)}/{_year_text(_need(self.year))}"
            case Kind.MONTH_PART:
                month = format_date(self.start, "MMMM yyyy", locale=LOCALE)
                return f"{WORDS[_need(self.part)]} {month}"
            case Kind.MONTH:
                return format_date(self.start, "MMMM yyyy", locale=LOCALE)
            case Kind.QUARTER:
                return format_date(self.start, "QQQQ yyyy", locale=LOCALE)
            case Kind.HALF | Kind.SEASON:
                return f"{WORDS[_need(self.part)]} {_year_text(_need(self.year))}"
            case Kind.YEAR:
                return _year_text(_need(self.year))
            case Kind.RANGE:
                return _format_range(_need(self.first), _need(self.last))
            case Kind.SET:
                return _format_parts(_need(self.parts))
            case Kind.SINCE:
                return f"{WORDS[Kind.SINCE]} {_need(self.first).format()}"
            case Kind.RECURRING:
                return _format_frequency(_need(self.per_year))
            case Kind.ONGOING:
                return WORDS[Kind.ONGOING]

    __str__ = format

    def storage(self) -> str:
        """Canonical ASCII form for the database: "2025-04-01", "2025-Q2", "since:2024-09",
        "set:2024-06-16,2024-10-14", "every:1/year", "from:2026", "about:2026-MID" ..."""
        if self.qualifier is Qualifier.FROM:
            return f"{Qualifier.FROM.value}:{_need(self.first).storage()}"
        if self.qualifier is not None:
            return f"{self.qualifier.value}:{self._storage_plain()}"
        return self._storage_plain()

    def _storage_plain(self) -> str:
        match self.kind:
            case Kind.DAY:
                return _need(self.exact).isoformat()
            case Kind.WEEK:
                return f"{_need(self.year):04d}-W{_need(self.week):02d}"
            case Kind.MONTH_PART:
                return f"{_need(self.year):04d}-{_need(self.month):02d}-{_need(self.part).value}"
            case Kind.MONTH:
                return f"{_need(self.year):04d}-{_need(self.month):02d}"
            case Kind.QUARTER | Kind.HALF | Kind.SEASON:
                return f"{_need(self.year):04d}-{_need(self.part).value}"
            case Kind.YEAR:
                return f"{_need(self.year):04d}"
            case Kind.RANGE:
                return f"{_need(self.first).storage()}/{_need(self.last).storage()}"
            case Kind.SET:
                return "set:" + ",".join(p.storage() for p in _need(self.parts))
            case Kind.SINCE:
                return f"since:{_need(self.first).storage()}"
            case Kind.RECURRING:
                return f"every:{_need(self.per_year)}/year"
            case Kind.ONGOING:
                return "ongoing"


# -- helpers for the value type -----------------------------------------------------------------
def _need(value: _T | None) -> _T:
    if value is None:
        raise TypeError("field required by this kind is missing")
    return value


def _month_span(year: int, first_month: int, months: int) -> tuple[date, date]:
    start = date(year, first_month, 1)
    index = first_month - 1 + months  # months after January of ``year`` of the following month
    following = date(year + index // 12, index % 12 + 1, 1)
    return start, following - timedelta(days=1)


def _weeks_in(year: int) -> int:
    """How many ISO calendar weeks ``year`` has (52 or 53): 28 December is always in the last."""
    return date(year, 12, 28).isocalendar().week


def _qualifier_fits(qualifier: Qualifier, kind: Kind) -> bool:
    if qualifier is Qualifier.FROM:
        return kind is Kind.SINCE
    if qualifier is Qualifier.BY:
        return kind in SIMPLE_KINDS
    return kind not in UNDATED_KINDS


def _year_text(year: int) -> str:
    return format_date(date(year, 1, 1), "yyyy", locale=LOCALE)


def _month_name(month: int) -> str:
    return format_date(date(2000, month, 1), "MMMM", locale=LOCALE)


def _year_out_of_range(year: int) -> bool:
    return not MIN_YEAR <= year <= MAX_YEAR


def _month_reason(month: int) -> str:
    return _MESSAGES["no_month"].format(number=month)


def _range_reason(first: FuzzyDate, last: FuzzyDate) -> str | None:
    if last.start < first.start:
        return "end_before_start"
    if not first.end < last.start:
        return "overlap"
    return None


def _set_reason(parts: tuple[FuzzyDate, ...]) -> str | None:
    """Message key if the parts of a SET are not disjoint and in time order, else None."""
    if len(set(parts)) < len(parts):
        return "set_duplicate"
    for a, b in pairwise(parts):
        if b.start < a.start:
            return "set_order"
        if not a.end < b.start:
            return "set_overlap"
    return None


def _check_parts(parts: tuple[FuzzyDate, ...]) -> tuple[str, str, str] | None:
    if not isinstance(parts, tuple) or len(parts) < 2:
        raise TypeError("a set needs a tuple of at least two values")
    for p in parts:
        if not isinstance(p, FuzzyDate) or p.kind not in SIMPLE_KINDS:
            raise TypeError(f"a set cannot hold {p!r}")
    key = _set_reason(parts)
    if key is None:
        return None
    return "bad_set", _format_parts(parts), _MESSAGES[key]


def _format_range(first: FuzzyDate, last: FuzzyDate) -> str:
    if first.kind is last.kind and first.kind in _COMPACT_RANGE_KINDS and first.year == last.year:
        if first.month is not None:
            left = format_date(first.start, "MMMM", locale=LOCALE)
        else:
            left = WORDS[_need(first.part)]
        return f"{left}{DASH}{last.format()}"
    a, b = first.format(), last.format()
    if " " in a or " " in b:
        return f"{a} {DASH} {b}"
    return f"{a}{DASH}{b}"


def _format_parts(parts: tuple[FuzzyDate, ...]) -> str:
    """German list: "A und B", "A, B und C" (Babel's list patterns for ``de_DE``)."""
    return format_list([p.format() for p in parts], locale=LOCALE)


def _format_frequency(per_year: int) -> str:
    for unit, word in FREQUENCY_WORDS:
        if per_year % unit == 0:
            count = per_year // unit
            return word if count == 1 else f"{count} {TIMES} {word}"
    raise AssertionError("YEARLY divides every count")  # pragma: no cover


_STORAGE_ATOM: Final = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})|-(?P<mpart>[A-Z]+))?"
    r"|W(?P<week>\d{2})|(?P<part>[A-Z][A-Z0-9]+)))?"
)
_STORAGE_FREQUENCY: Final = re.compile(r"(?P<times>[1-9]\d{0,2})/year")


def _atom_from_storage(s: str) -> FuzzyDate:
    m = _STORAGE_ATOM.fullmatch(s)
    if m is None:
        raise ValueError(s)
    year = int(m["year"])
    if m["day"] is not None:
        return FuzzyDate.day(date(year, int(m["month"]), int(m["day"])))
    if m["mpart"] is not None:
        return FuzzyDate.of_month_part(year, int(m["month"]), Part(m["mpart"]))
    if m["week"] is not None:
        return FuzzyDate.of_week(year, int(m["week"]))
    if m["month"] is not None:
        return FuzzyDate.of_month(year, int(m["month"]))
    if m["part"] is not None:
        return FuzzyDate.of_part(year, Part(m["part"]))
    return FuzzyDate.of_year(year)


def _frequency_from_storage(s: str) -> int:
    m = _STORAGE_FREQUENCY.fullmatch(s)
    if m is None:
        raise ValueError(s)
    return int(m["times"])
