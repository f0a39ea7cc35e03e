"""German fuzzy dates: one value type for "31.12.2023", "3. Qu. 2022", "seit Sommer 2024" ...

A milestone date in the report is not always a day. :class:`FuzzyDate` holds a day, month,
quarter, half-year (or Anfang/Mitte/Ende of a year), season, year, range, open start
("seit ...") or "fortlaufend". It reads what people write (:func:`parse_fuzzy_date`), prints
one German style through Babel (:meth:`FuzzyDate.format`), stores one stable ASCII form
(:meth:`FuzzyDate.storage`) and sorts in time order (:meth:`FuzzyDate.sort_key`).

Spans (``start`` .. ``end``, both inclusive):

========================  =====================================================
DAY                       the day
MONTH                     the month
QUARTER                   the quarter
HALF                      1. Halbjahr Jan-Jun, 2. Halbjahr Jul-Dec, Mitte Apr-Sep,
                          Anfang Jan-Mar, Ende Oct-Dec
SEASON                    meteorological: Frühjahr Mar-May, Sommer Jun-Aug,
                          Herbst Sep-Nov, Winter Dec of the year to Feb of the next
YEAR                      the year
RANGE                     first bound's start .. last bound's end
SINCE                     the wrapped value's start .. :data:`OPEN_END`
ONGOING                   :data:`OPEN_START` .. :data:`OPEN_END` (any day)
========================  =====================================================
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Final, Literal, TypeVar

from babel.dates import format_date, get_month_names

LOCALE: Final = "de_DE"
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
#: ``start`` of an ONGOING value: it may have begun on any day.
OPEN_START: Final = date.min
#: ``end`` of SINCE and ONGOING values: they have no known last day.
OPEN_END: Final = date.max
#: Range separator in print: "2025–2027", "März–Juni 2024", "März 2024 – Juni 2025".
DASH: Final = "–"


class Kind(StrEnum):
    """What a :class:`FuzzyDate` stands for; members are declared in sort-tiebreak order."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    SEASON = "season"
    YEAR = "year"
    RANGE = "range"
    SINCE = "since"
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


#: The German words Babel does not know, in one place (printed form).
WORDS: Final[dict[str, str]] = {
    Part.H1: "1. Halbjahr",
    Part.H2: "2. Halbjahr",
    Part.MID: "Mitte",
    Part.EARLY: "Anfang",
    Part.LATE: "Ende",
    Part.SPRING: "Frühjahr",
    Part.SUMMER: "Sommer",
    Part.AUTUMN: "Herbst",
    Part.WINTER: "Winter",
    Kind.SINCE: "seit",
    Kind.ONGOING: "fortlaufend",
}

#: Further words the parser accepts (lower case); abbreviations of 3+ letters are derived.
_PART_ALIASES: Final[dict[str, Part]] = {
    "frühling": Part.SPRING,
    "jahresanfang": Part.EARLY,
    "jahresbeginn": Part.EARLY,
    "jahresmitte": Part.MID,
    "jahresende": Part.LATE,
}
_SINCE_WORDS: Final = ("seit", "ab")  # "ab 2025" is read as "seit 2025"
_ONGOING_WORDS: Final = frozenset({"fortlaufend", "laufend"})
_RELATIVE_DAYS: Final[dict[str, int]] = {"gestern": -1, "heute": 0, "morgen": 1}

#: User-facing error texts (German, "Sie").
_MESSAGES: Final[dict[str, str]] = {
    "empty": "Bitte geben Sie ein Datum ein.",
    "unreadable": (
        "„{text}“ ist als Datum nicht lesbar. Bitte schreiben Sie es z. B. so: "
        "01.04.2025, April 2025, 2. Quartal 2025 oder 2025."
    ),
    "invalid": "„{text}“ ist kein gültiges Datum: {reason}",
    "bad_range": "„{text}“ ist kein gültiger Zeitraum: {reason}",
    "several": (
        "„{text}“ enthält mehrere Daten. Bitte geben Sie nur ein Datum oder einen Zeitraum an."
    ),
    "needs_today": (
        "„{text}“ lässt sich hier nicht verwenden. Bitte geben Sie das Datum an, z. B. 01.04.2025."
    ),
    "since_empty": "„{text}“: Seit wann? Bitte geben Sie ein Datum an, z. B. seit 09/2024.",
    "since_single": "„{text}“: Nach „seit“ steht nur ein einzelnes Datum, z. B. seit 09/2024.",
    "storage": "„{text}“ ist kein gespeicherter Datumswert.",
    # reasons
    "no_day": "Den {day}. {month} gibt es nicht.",
    "no_leap_day": "{year} hat keinen 29. Februar.",
    "no_month": "Einen {number}. Monat gibt es nicht.",
    "no_quarter": "Ein Jahr hat nur vier Quartale.",
    "no_half": "Ein Jahr hat nur zwei Halbjahre.",
    "year": "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an.",
    "end_before_start": "Das Ende liegt vor dem Anfang.",
    "overlap": "Anfang und Ende überschneiden sich.",
}

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
_QUARTERS: Final = (Part.Q1, Part.Q2, Part.Q3, Part.Q4)
_HALVES: Final = (Part.H1, Part.H2)

#: Kinds that may be a range bound or follow "seit".
SIMPLE_KINDS: Final = frozenset(
    {Kind.DAY, Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.SEASON, Kind.YEAR}
)
_YEARED_KINDS: Final = frozenset({Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.SEASON})
_COMPACT_RANGE_KINDS: Final = frozenset({Kind.MONTH, Kind.SEASON})  # "März–Juni 2024"
_KIND_RANK: Final = {kind: rank for rank, kind in enumerate(Kind)}
# which optional fields each kind uses; all others must be None
_SHAPE: Final[dict[Kind, frozenset[str]]] = {
    Kind.DAY: frozenset({"exact"}),
    Kind.MONTH: frozenset({"year", "month"}),
    Kind.QUARTER: frozenset({"year", "part"}),
    Kind.HALF: frozenset({"year", "part"}),
    Kind.SEASON: frozenset({"year", "part"}),
    Kind.YEAR: frozenset({"year"}),
    Kind.RANGE: frozenset({"first", "last"}),
    Kind.SINCE: frozenset({"first"}),
    Kind.ONGOING: frozenset(),
}
_OPTIONAL_FIELDS: Final = ("year", "month", "part", "exact", "first", "last")

SortKey = tuple[int, date, date, int, str]
_T = TypeVar("_T")


class FuzzyDateError(ValueError):
    """A date text that cannot be read; ``str(err)`` is a short German message for the user."""


@dataclass(frozen=True)
class FuzzyDate:
    """A possibly imprecise German date; equality is structural, order is chronological.

    Build values with the ``day``/``of_*``/``between``/``since``/``ongoing`` constructors or
    :func:`parse_fuzzy_date`. Fields a kind does not use are ``None``.
    """

    kind: Kind
    year: int | None = None  # MONTH, QUARTER, HALF, SEASON, YEAR
    month: int | None = None  # MONTH
    part: Part | None = None  # QUARTER, HALF, SEASON
    exact: date | None = None  # DAY
    first: FuzzyDate | None = None  # RANGE: first bound; SINCE: the value it starts at
    last: FuzzyDate | None = None  # RANGE: last bound

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
        if self.part is not None and _PART_SPANS[self.part][0] is not self.kind:
            raise TypeError(f"{self.part.value} is not a part of kind {self.kind.value}")
        if self.first is not None and self.first.kind not in SIMPLE_KINDS:
            raise TypeError(f"{self.kind.value} cannot hold a {self.first.kind.value}")
        if self.last is not None:
            if self.last.kind not in SIMPLE_KINDS:
                raise TypeError(f"range cannot end with a {self.last.kind.value}")
            first = _need(self.first)
            key = _range_reason(first, self.last)
            if key is not None:
                text = f"{first.format()} {DASH} {self.last.format()}"
                return "bad_range", text, _MESSAGES[key]
        return None

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def day(cls, d: date) -> FuzzyDate:
        """A single calendar day."""
        return cls(Kind.DAY, exact=d)

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
    def since(cls, start: FuzzyDate) -> FuzzyDate:
        """An open range "seit ..." starting at ``start``."""
        return cls(Kind.SINCE, first=start)

    @classmethod
    def ongoing(cls) -> FuzzyDate:
        """The value "fortlaufend"."""
        return cls(Kind.ONGOING)

    @classmethod
    def parse(cls, text: str, *, today: date | None = None) -> FuzzyDate:
        """Same as :func:`parse_fuzzy_date`."""
        return parse_fuzzy_date(text, today=today)

    @classmethod
    def from_storage(cls, s: str) -> FuzzyDate:
        """Read the canonical form written by :meth:`storage`; anything else is an error."""
        try:
            if s == "ongoing":
                value = cls.ongoing()
            elif s.startswith("since:"):
                value = cls.since(_atom_from_storage(s.removeprefix("since:")))
            elif "/" in s:
                first, last = s.split("/", 1)
                value = cls.between(_atom_from_storage(first), _atom_from_storage(last))
            else:
                value = _atom_from_storage(s)
        except (ValueError, TypeError):
            raise FuzzyDateError(_MESSAGES["storage"].format(text=s)) from None
        if value.storage() != s:
            raise FuzzyDateError(_MESSAGES["storage"].format(text=s))
        return value

    # -- reading ---------------------------------------------------------------------------
    @property
    def start(self) -> date:
        """First day the value can mean (:data:`OPEN_START` for ONGOING)."""
        return self._span()[0]

    @property
    def end(self) -> date:
        """Last day the value can mean (:data:`OPEN_END` for SINCE and ONGOING)."""
        return self._span()[1]

    def _span(self) -> tuple[date, date]:
        if self.exact is not None:
            return self.exact, self.exact
        if self.month is not None:
            return _month_span(_need(self.year), self.month, 1)
        if self.part is not None:
            _, first_month, months = _PART_SPANS[self.part]
            return _month_span(_need(self.year), first_month, months)
        if self.year is not None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        if self.last is not None:
            return _need(self.first).start, self.last.end
        if self.first is not None:
            return self.first.start, OPEN_END
        return OPEN_START, OPEN_END

    def sort_key(self) -> SortKey:
        """Chronological key: start, then end; ONGOING last; ties broken by kind and storage."""
        return self._sort_key

    @cached_property
    def _sort_key(self) -> SortKey:
        # cached_property writes to the instance __dict__, which a frozen dataclass allows;
        # it is no field, so equality and hashing stay structural.
        start, end = self._span()
        group = 1 if self.kind is Kind.ONGOING else 0
        return group, start, end, _KIND_RANK[self.kind], self.storage()

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
        """The report's German display: "31.12.2023", "3. Quartal 2022", "seit Sommer 2024"."""
        match self.kind:
            case Kind.DAY:
                return format_date(_need(self.exact), "dd.MM.yyyy", locale=LOCALE)
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
            case Kind.SINCE:
                return f"{WORDS[Kind.SINCE]} {_need(self.first).format()}"
            case Kind.ONGOING:
                return WORDS[Kind.ONGOING]

    __str__ = format

    def storage(self) -> str:
        """Canonical ASCII form for the database: "2025-04-01", "2025-Q2", "since:2024-09" ..."""
        match self.kind:
            case Kind.DAY:
                return _need(self.exact).isoformat()
            case Kind.MONTH:
                return f"{_need(self.year):04d}-{_need(self.month):02d}"
            case Kind.QUARTER | Kind.HALF | Kind.SEASON:
                return f"{_need(self.year):04d}-{_need(self.part).value}"
            case Kind.YEAR:
                return f"{_need(self.year):04d}"
            case Kind.RANGE:
                return f"{_need(self.first).storage()}/{_need(self.last).storage()}"
            case Kind.SINCE:
                return f"since:{_need(self.first).storage()}"
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


_STORAGE_ATOM: Final = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|(?P<part>[A-Z][A-Z0-9]+)))?"
)


def _atom_from_storage(s: str) -> FuzzyDate:
    m = _STORAGE_ATOM.fullmatch(s)
    if m is None:
        raise ValueError(s)
    year = int(m["year"])
    if m["day"] is not None:
        return FuzzyDate.day(date(year, int(m["month"]), int(m["day"])))
    if m["month"] is not None:
        return FuzzyDate.of_month(year, int(m["month"]))
    if m["part"] is not None:
        return FuzzyDate.of_part(year, Part(m["part"]))
    return FuzzyDate.of_year(year)


# -- parsing ------------------------------------------------------------------------------------
_YEAR = r"(?P<year>\d{4}|\d{2})"
_NUMBER = r"(?P<num>\d{1,2}|[ivx]{1,4})"
_FLAGS: Final = re.IGNORECASE
_SPACES: Final = re.compile(r"\s+")
_TRAILING: Final = re.compile(r"[\s.:]+$")
_HYPHENS: Final = re.compile("[\u2010\u2011\u2212]")
_SEVERAL: Final = re.compile(r"\bund\b|&|[,;]", _FLAGS)
_SINCE: Final = re.compile(rf"(?:{'|'.join(_SINCE_WORDS)})(?:\s+(?P<rest>.+))?", _FLAGS)
_ISO_DAY: Final = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY: Final = re.compile(rf"(?P<day>\d{{1,2}})\.\s*(?P<month>\d{{1,2}})\.\s*{_YEAR}")
_ISO_MONTH: Final = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")
_NUM_MONTH: Final = re.compile(
    r"(?P<month>\d{1,2})\s*(?:/\s*(?P<year>\d{4}|\d{2})|\.\s*(?P<dotyear>\d{4}))"
)
_QUARTER: Final = re.compile(
    rf"(?:{_NUMBER}\s*\.?\s*(?:quartal|qrt|qu|q)\.?|q\s*(?P<qnum>\d{{1,2}}))\s*[/.-]?\s*{_YEAR}",
    _FLAGS,
)
_HALF: Final = re.compile(
    rf"(?:{_NUMBER}\s*\.?\s*(?:halbjahr|halbj|hj)\.?|h\s*(?P<hnum>\d{{1,2}}))\s*[/.-]?\s*{_YEAR}",
    _FLAGS,
)
_WORD_YEAR: Final = re.compile(rf"(?P<word>[^\W\d_]+)\s*\.?\s*{_YEAR}")
_PLAIN_YEAR: Final = re.compile(r"\d{4}")
_YEAR_SLASH: Final = re.compile(r"(?P<first>\d{4})\s*/\s*(?P<last>\d{4}|\d{2})")  # "2020/21"
_MONTH_SLASH: Final = re.compile(  # "08/09.2024"
    r"(?P<first>\d{1,2})\s*/\s*(?P<last>\d{1,2})\.\s*(?P<year>\d{4})"
)
_RANGE_SPLITS: Final = (
    re.compile(r"\s*[–—]\s*|\s+bis\s+", _FLAGS),
    re.compile(r"\s+-\s+"),
    re.compile(r"\s*-\s*"),
)
_MONTH_NAME_SETS: Final[
    tuple[tuple[Literal["wide", "abbreviated"], Literal["format", "stand-alone"]], ...]
] = (
    ("wide", "format"),
    ("abbreviated", "format"),
    ("abbreviated", "stand-alone"),
)
_ROMAN: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}


def _build_vocabulary() -> dict[str, int | Part]:
    """Lower-case word -> month number or part, with unambiguous 3+ letter abbreviations."""
    words: dict[str, int | Part] = {}
    for width, context in _MONTH_NAME_SETS:
        for number, name in get_month_names(width, context, locale=LOCALE).items():
            words[name.lower().rstrip(".")] = number
    for part in Part:
        if part in WORDS and part not in _HALVES:  # "Sommer", "Mitte" ...; not "1. Halbjahr"
            words[WORDS[part].lower()] = part
    words.update(_PART_ALIASES)
    for word, meaning in list(words.items()):
        plain = word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
        words.setdefault(plain, meaning)
    prefixes: dict[str, set[int | Part]] = {}
    for word, meaning in words.items():
        for length in range(3, len(word)):
            prefixes.setdefault(word[:length], set()).add(meaning)
    for prefix, meanings in prefixes.items():
        if prefix not in words and len(meanings) == 1:
            words[prefix] = next(iter(meanings))
    return words


_VOCABULARY: Final = _build_vocabulary()


def parse_fuzzy_date(text: str, *, today: date | None = None) -> FuzzyDate:
    """Read a German date as people write it ("3. Qu. 2022", "seit 09/2024", "1.4.25" ...).

    ``today`` is needed only for "heute", "gestern" and "morgen". Raises
    :class:`FuzzyDateError` with a German message for anything it cannot read without guessing.
    """
    shown = _SPACES.sub(" ", text).strip()  # what error messages quote
    s = _TRAILING.sub("", _HYPHENS.sub("-", shown))
    if not s:
        raise FuzzyDateError(_MESSAGES["empty"])
    if _SEVERAL.search(s):
        raise FuzzyDateError(_MESSAGES["several"].format(text=shown))
    if s.lower() in _ONGOING_WORDS:
        return FuzzyDate.ongoing()
    since = _SINCE.fullmatch(s)
    if since is not None:
        return _parse_since(shown, since["rest"], today)
    value = _parse_atom(s, today)
    if value is None:
        value = _parse_range(s, today)
    if value is None:
        raise FuzzyDateError(_MESSAGES["unreadable"].format(text=shown))
    return value


def _parse_since(text: str, rest: str | None, today: date | None) -> FuzzyDate:
    if rest is None:
        raise FuzzyDateError(_MESSAGES["since_empty"].format(text=text))
    inner = _parse_atom(rest, today)
    if inner is not None:
        return FuzzyDate.since(inner)
    if rest.lower() in _ONGOING_WORDS or _SINCE.fullmatch(rest) or _parse_range(rest, today):
        raise FuzzyDateError(_MESSAGES["since_single"].format(text=text))
    raise FuzzyDateError(_MESSAGES["unreadable"].format(text=text))


def _parse_atom(s: str, today: date | None) -> FuzzyDate | None:
    """One simple value, None if no form matches; raises if a form matches an impossible date."""
    relative = _RELATIVE_DAYS.get(s.lower())
    if relative is not None:
        if today is None:
            raise FuzzyDateError(_MESSAGES["needs_today"].format(text=s))
        return FuzzyDate.day(today + timedelta(days=relative))
    if m := _ISO_DAY.fullmatch(s) or _DAY.fullmatch(s):
        return _make_day(s, _year(s, m["year"]), int(m["month"]), int(m["day"]))
    if m := _ISO_MONTH.fullmatch(s) or _NUM_MONTH.fullmatch(s):
        return _make_month(s, _year(s, m["year"] or m["dotyear"]), int(m["month"]))
    if m := _QUARTER.fullmatch(s):
        number = _number(m["num"] or m["qnum"])
        if number is None:
            return None
        if not 1 <= number <= len(_QUARTERS):
            raise _invalid(s, _MESSAGES["no_quarter"])
        return FuzzyDate.of_part(_year(s, m["year"]), _QUARTERS[number - 1])
    if m := _HALF.fullmatch(s):
        number = _number(m["num"] or m["hnum"])
        if number is None:
            return None
        if not 1 <= number <= len(_HALVES):
            raise _invalid(s, _MESSAGES["no_half"])
        return FuzzyDate.of_part(_year(s, m["year"]), _HALVES[number - 1])
    if m := _WORD_YEAR.fullmatch(s):
        meaning = _VOCABULARY.get(m["word"].lower())
        if meaning is None:
            return None
        if isinstance(meaning, Part):
            return FuzzyDate.of_part(_year(s, m["year"]), meaning)
        return FuzzyDate.of_month(_year(s, m["year"]), meaning)
    if _PLAIN_YEAR.fullmatch(s):
        return FuzzyDate.of_year(_year(s, s))
    return None


def _parse_range(s: str, today: date | None) -> FuzzyDate | None:
    """A range in any accepted spelling, None if ``s`` is not one."""
    if m := _YEAR_SLASH.fullmatch(s):
        first = _year(s, m["first"])
        last = int(m["last"])
        if len(m["last"]) == 2:
            last += first // 100 * 100 + (100 if last < first % 100 else 0)
        return _make_range(s, FuzzyDate.of_year(first), FuzzyDate.of_year(_year(s, str(last))))
    if m := _MONTH_SLASH.fullmatch(s):
        year = _year(s, m["year"])
        first_month = _make_month(s, year, int(m["first"]))
        return _make_range(s, first_month, _make_month(s, year, int(m["last"])))
    for splitter in _RANGE_SPLITS:
        parts = splitter.split(s)
        if len(parts) == 2 and all(parts):
            return _parse_bounds(s, parts[0], parts[1], today)
        if len(parts) > 2:
            return None
    return None


def _parse_bounds(s: str, left: str, right: str, today: date | None) -> FuzzyDate | None:
    last = _parse_atom(right, today)
    if last is None:
        return None
    first = _parse_atom(left, today)
    if first is None and last.kind in _YEARED_KINDS:
        try:  # "März–Juni 2024": the first bound borrows the year of the last
            first = _parse_atom(f"{left} {last.year}", today)
        except FuzzyDateError:
            first = None
        if first is not None and first.kind is not last.kind:
            first = None
    if first is None:
        return None
    return _make_range(s, first, last)


def _make_range(s: str, first: FuzzyDate, last: FuzzyDate) -> FuzzyDate:
    key = _range_reason(first, last)
    if key is not None:
        raise FuzzyDateError(_MESSAGES["bad_range"].format(text=s, reason=_MESSAGES[key]))
    return FuzzyDate.between(first, last)


def _make_day(s: str, year: int, month: int, day: int) -> FuzzyDate:
    if not 1 <= month <= 12:
        raise _invalid(s, _month_reason(month))
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        if month == 2 and day == 29:
            raise _invalid(s, _MESSAGES["no_leap_day"].format(year=year))
        raise _invalid(s, _MESSAGES["no_day"].format(day=day, month=_month_name(month)))
    return FuzzyDate.day(date(year, month, day))


def _make_month(s: str, year: int, month: int) -> FuzzyDate:
    if not 1 <= month <= 12:
        raise _invalid(s, _month_reason(month))
    return FuzzyDate.of_month(year, month)


def _year(s: str, token: str) -> int:
    """A 4-digit year, or a 2-digit one (00-69 -> 20xx, 70-99 -> 19xx), checked for range."""
    year = int(token)
    if len(token) == 2:
        year += 2000 if year <= 69 else 1900
    if _year_out_of_range(year):
        raise _invalid(s, _MESSAGES["year"])
    return year


def _number(token: str) -> int | None:
    return int(token) if token.isdigit() else _ROMAN.get(token.lower())


def _invalid(s: str, reason: str) -> FuzzyDateError:
    return FuzzyDateError(_MESSAGES["invalid"].format(text=s, reason=reason))
