"""Reading German fuzzy dates as people write them; the value type is :mod:`core.fuzzydate`.

:mod:`core.fuzzydate` does not import this module (the value type needs no reader), so the two
do not depend on each other in a circle; callers that read text import :func:`parse_fuzzy_date`
from here.

Forms read, besides one simple value ("01.04.2025", "April 2025", "3. Qu. 2022", "Mitte 2020",
"2025" ...):

* a range: "2025 - 2027", "März–Juni 2024", "04/2024 – 03/2027", "2020/21", "08/09.2024"
* several dates: "16.06.2024 und 14.10.2024", "A, B und C", "A + B", "A & B", "A; B", each
  part a simple value, in time order and not overlapping; a part without a year borrows the
  year of the last part if it is of the same kind ("Juni und Oktober 2024")
* "seit ..." / "ab ..." with one simple value
* a recurring date: "jährlich", "1 x jährlich", "1x jährlich", "einmal jährlich",
  "halbjährlich", "2 x jährlich", "zweimal im Jahr", "vierteljährlich", "quartalsweise",
  "monatlich", "2-mal pro Monat", "wöchentlich", "jede Woche" (umlauts may be written ae/oe/ue)
* "fortlaufend" / "laufend"
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Final, Literal

from babel.dates import get_month_names

from core.fuzzydate import (
    _HALVES,
    _MESSAGES,
    _QUARTERS,
    _YEARED_KINDS,
    LOCALE,
    MAX_PER_YEAR,
    MONTHLY,
    WEEKLY,
    WORDS,
    YEARLY,
    FuzzyDate,
    FuzzyDateError,
    Part,
    _month_name,
    _month_reason,
    _range_reason,
    _set_reason,
    _year_out_of_range,
)

__all__ = ["parse_fuzzy_date"]

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
# recurring words, written without umlauts (the input is folded before matching)
_FREQUENCY_ADVERBS: Final[dict[str, int]] = {
    "jaehrlich": YEARLY,
    "jaehrl": YEARLY,
    "halbjaehrlich": 2,
    "halbjaehrl": 2,
    "vierteljaehrlich": 4,
    "vierteljaehrl": 4,
    "quartalsweise": 4,
    "quartalsmaessig": 4,
    "monatlich": MONTHLY,
    "monatl": MONTHLY,
    "mtl": MONTHLY,
    "woechentlich": WEEKLY,
    "woechentl": WEEKLY,
}
_FREQUENCY_NOUNS: Final[dict[str, int]] = {
    "jahr": YEARLY,
    "halbjahr": 2,
    "quartal": 4,
    "monat": MONTHLY,
    "woche": WEEKLY,
}
_COUNT_WORDS: Final[dict[str, int]] = {
    "ein": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fuenf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwoelf": 12,
}

_YEAR = r"(?P<year>\d{4}|\d{2})"
_NUMBER = r"(?P<num>\d{1,2}|[ivx]{1,4})"
_FLAGS: Final = re.IGNORECASE
_SPACES: Final = re.compile(r"\s+")
_TRAILING: Final = re.compile(r"[\s.:]+$")
_HYPHENS: Final = re.compile("[\u2010\u2011\u2212]")
_SET_SPLIT: Final = re.compile(r"\s*(?:[,;+&]|\bund\b)\s*", _FLAGS)
_SINCE: Final = re.compile(rf"(?:{'|'.join(_SINCE_WORDS)})(?:\s+(?P<rest>.+))?", _FLAGS)
_RECURRING: Final = re.compile(
    r"(?:(?:(?P<count>\d{1,3})\s*(?:x|×|-?\s*mal)|(?P<word>"
    + "|".join(_COUNT_WORDS)
    + r")\s*-?\s*mal)\s*)?(?:(?P<adverb>"
    + "|".join(sorted(_FREQUENCY_ADVERBS, key=len, reverse=True))
    + r")|(?:im|pro|je|per|jedes|jeden|jede|in\s+der|in\s+jedem|in\s+jeder)\s+(?P<noun>"
    + "|".join(sorted(_FREQUENCY_NOUNS, key=len, reverse=True))
    + "))"
)
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


def _fold(word: str) -> str:
    """Lower case with umlauts as ae/oe/ue and ß as ss."""
    return word.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


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
    """Read a German date as people write it ("3. Qu. 2022", "seit 09/2024", "1.4.25",
    "16.06.2024 und 14.10.2024", "1 x jährlich" ...).

    ``today`` is needed only for "heute", "gestern" and "morgen". Raises
    :class:`FuzzyDateError` with a German message for anything it cannot read without guessing.
    """
    shown = _SPACES.sub(" ", text).strip()  # what error messages quote
    s = _TRAILING.sub("", _HYPHENS.sub("-", shown))
    if not s:
        raise FuzzyDateError(_MESSAGES["empty"])
    pieces = _SET_SPLIT.split(s)
    if len(pieces) > 1:
        return _parse_set(shown, pieces, today)
    return _parse_single(shown, s, today)


def _parse_single(shown: str, s: str, today: date | None) -> FuzzyDate:
    """Anything but a SET; ``shown`` is quoted in errors."""
    if s.lower() in _ONGOING_WORDS:
        return FuzzyDate.ongoing()
    recurring = _parse_recurring(shown, s)
    if recurring is not None:
        return recurring
    since = _SINCE.fullmatch(s)
    if since is not None:
        return _parse_since(shown, since["rest"], today)
    value = _parse_atom(s, today)
    if value is None:
        value = _parse_range(s, today)
    if value is None:
        raise FuzzyDateError(_MESSAGES["unreadable"].format(text=shown))
    return value


def _parse_set(shown: str, pieces: list[str], today: date | None) -> FuzzyDate:
    if not all(pieces):
        raise FuzzyDateError(_MESSAGES["set_gap"].format(text=shown))
    last = _parse_set_part(shown, pieces[-1], today, None)
    parts = (*(_parse_set_part(shown, p, today, last) for p in pieces[:-1]), last)
    key = _set_reason(parts)
    if key is not None:
        raise FuzzyDateError(_MESSAGES["bad_set"].format(text=shown, reason=_MESSAGES[key]))
    return FuzzyDate.several(parts)


def _parse_set_part(
    shown: str, piece: str, today: date | None, last: FuzzyDate | None
) -> FuzzyDate:
    """One simple value of a SET; ``last`` (the SET's last part) lends its year."""
    value = _parse_atom(piece, today)
    if value is None and last is not None:
        value = _borrow_year(piece, last, today)
    if value is not None:
        return value
    _parse_single(piece, piece, today)  # raises, quoting the piece, if it is no date at all
    raise FuzzyDateError(_MESSAGES["set_part"].format(text=shown))


def _parse_recurring(shown: str, s: str) -> FuzzyDate | None:
    m = _RECURRING.fullmatch(_fold(s))
    if m is None:
        return None
    if m["count"] is not None:
        count = int(m["count"])
    elif m["word"] is not None:
        count = _COUNT_WORDS[m["word"]]
    else:
        count = 1
    if m["adverb"] is not None:
        per_year = count * _FREQUENCY_ADVERBS[m["adverb"]]
    else:
        per_year = count * _FREQUENCY_NOUNS[m["noun"]]
    if not 1 <= per_year <= MAX_PER_YEAR:
        raise FuzzyDateError(
            _MESSAGES["bad_frequency"].format(text=shown, reason=_MESSAGES["frequency"])
        )
    return FuzzyDate.recurring(per_year)


def _parse_since(text: str, rest: str | None, today: date | None) -> FuzzyDate:
    if rest is None:
        raise FuzzyDateError(_MESSAGES["since_empty"].format(text=text))
    inner = _parse_atom(rest, today)
    if inner is not None:
        return FuzzyDate.since(inner)
    if (
        rest.lower() in _ONGOING_WORDS
        or _RECURRING.fullmatch(_fold(rest))
        or _SINCE.fullmatch(rest)
        or _parse_range(rest, today)
    ):
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
    if first is None:  # "März–Juni 2024": the first bound borrows the year of the last
        first = _borrow_year(left, last, today)
    if first is None:
        return None
    return _make_range(s, first, last)


def _borrow_year(s: str, last: FuzzyDate, today: date | None) -> FuzzyDate | None:
    """``s`` read with the year of ``last`` ("März" + "Juni 2024"), if it is then of the same
    kind as ``last``; else None."""
    if last.kind not in _YEARED_KINDS:
        return None
    try:
        value = _parse_atom(f"{s} {last.year}", today)
    except FuzzyDateError:
        return None
    if value is None or value.kind is not last.kind:
        return None
    return value


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
