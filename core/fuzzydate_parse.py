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
* "seit ..." / "ab ..." with one simple value; "ab" is kept as written ("ab 2026" prints
  "ab 2026", stored ``from:2026``; before issue 18 it became "seit")
* a simple value of a week or part of a month: "KW 38/2025", "KW 38 2025", "38. KW 2025";
  "Anfang/Mitte/Ende September 2025" (days 1-10, 11-20, 21-last); "2. Hälfte 2026" is the
  "2. Halbjahr 2026"
* a word before the date, kept in print in one spelling (the author's precision): "ca." (also
  "circa", "etwa", "ungefähr"), "voraussichtlich" (also "vsl.", "voraussichtl."), "bis" (also
  "bis spätestens", "spätestens", "bis zum"): "bis Ende 2025", "ca. Mitte 2026",
  "voraussichtlich 2026". It changes neither the span nor the order of the date.
* with a reference day (``today``, given by the caller, never the wall clock), a simple value
  without its year: the next one that has not ended on that day: "15.9." (the next 15
  September on or after ``today``), "KW 38", "1. Hälfte", "Ende September", "Herbst"

What cannot be read gets an error that lists :data:`EXAMPLES` (each of which is read, a test
checks it); :func:`suggest` offers a near reading of a text that cannot be read ("Ende Sept
25", "Setpember 2025", "15-9-2025") for a "Meinten Sie …?" button, never for an impossible one.
* a recurring date: "jährlich", "1 x jährlich", "1x jährlich", "einmal jährlich",
  "halbjährlich", "2 x jährlich", "zweimal im Jahr", "vierteljährlich", "quartalsweise",
  "monatlich", "2-mal pro Monat", "wöchentlich", "jede Woche" (umlauts may be written ae/oe/ue)
* "fortlaufend" / "laufend"
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from difflib import get_close_matches
from typing import Final, Literal

from babel.dates import get_month_names
from babel.lists import format_list

from core.fuzzydate import (
    _HALVES,
    _MESSAGES,
    _QUARTERS,
    _YEARED_KINDS,
    LOCALE,
    MAX_PER_YEAR,
    MONTHLY,
    SIMPLE_KINDS,
    UNDATED_KINDS,
    WEEKLY,
    WORDS,
    YEARLY,
    FuzzyDate,
    FuzzyDateError,
    Kind,
    Part,
    Qualifier,
    _month_name,
    _month_reason,
    _range_reason,
    _set_reason,
    _weeks_in,
    _year_out_of_range,
)

__all__ = ["EXAMPLES", "parse_fuzzy_date", "suggest"]

#: What the error for an unreadable date offers as examples: each is read (a test checks it).
EXAMPLES: Final = (
    "15.09.2025",
    "Ende September 2025",
    "Ende 2025",
    "3. Quartal 2026",
    "KW 38/2025",
    "ab 2026",
)

#: Further words the parser accepts (lower case); abbreviations of 3+ letters are derived.
_PART_ALIASES: Final[dict[str, Part]] = {
    "frühling": Part.SPRING,
    "jahresanfang": Part.EARLY,
    "jahresbeginn": Part.EARLY,
    "jahresmitte": Part.MID,
    "jahresende": Part.LATE,
}
_SINCE_WORDS: Final = ("seit", "ab")  # "ab" is kept: Qualifier.FROM
#: Words before a date that are kept in print (lower case, umlauts folded), longest first.
_QUALIFIER_WORDS: Final[dict[str, Qualifier]] = {
    "voraussichtlich": Qualifier.EXPECTED,
    "voraussichtl.": Qualifier.EXPECTED,
    "voraussichtl": Qualifier.EXPECTED,
    "vsl.": Qualifier.EXPECTED,
    "vsl": Qualifier.EXPECTED,
    "vss.": Qualifier.EXPECTED,
    "ca.": Qualifier.ABOUT,
    "ca": Qualifier.ABOUT,
    "circa": Qualifier.ABOUT,
    "zirka": Qualifier.ABOUT,
    "etwa": Qualifier.ABOUT,
    "ungefaehr": Qualifier.ABOUT,
    "bis spaetestens": Qualifier.BY,
    "spaetestens": Qualifier.BY,
    "bis zum": Qualifier.BY,
    "bis": Qualifier.BY,
}
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
    rf"(?:{_NUMBER}\s*\.?\s*(?:halbjahr|halbj|hj|hälfte|haelfte)\.?|h\s*(?P<hnum>\d{{1,2}}))"
    rf"\s*[/.-]?\s*{_YEAR}",
    _FLAGS,
)
_WEEK: Final = re.compile(
    rf"(?:(?:kw|kalenderwoche)\s*\.?\s*(?P<week>\d{{1,2}})(?:\s*[/.,-]\s*|\s+)"
    rf"|(?P<nweek>\d{{1,2}})\s*\.\s*(?:kw|kalenderwoche)\s*[/.,-]?\s*){_YEAR}",
    _FLAGS,
)
_MONTH_PART: Final = re.compile(rf"(?P<part>[^\W\d_]+)\s+(?P<word>[^\W\d_]+)\s*\.?\s*{_YEAR}")
#: Day and month without a year ("15.9."; the trailing dot is gone when this is tried).
_DAY_MONTH: Final = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})")
_QUALIFIER: Final = re.compile(
    "(?P<word>"
    + "|".join(
        re.escape(w)
        for w in sorted(
            {*_QUALIFIER_WORDS, *(w.replace("ae", "ä") for w in _QUALIFIER_WORDS)},
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s+|(?<=\.))(?P<rest>\S.*)",
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
_EXAMPLES_TEXT: Final = format_list(list(EXAMPLES), style="or", locale=LOCALE)
_MONTH_PARTS: Final = frozenset({Part.EARLY, Part.MID, Part.LATE})
#: An ISO year has 52 or 53 calendar weeks.
MAX_WEEKS: Final = 53
_LETTER: Final = re.compile(r"[^\W\d_]")
_YEARLESS_WEEK: Final = re.compile(
    r"(?:kw|kalenderwoche)\s*\.?\s*(?P<week>\d{1,3})|(?P<nweek>\d{1,3})\s*\.\s*(?:kw|kalenderwoche)",
    _FLAGS,
)


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
    qualified = _QUALIFIER.fullmatch(s)
    if qualified is not None:
        return _parse_qualified(shown, qualified["word"], qualified["rest"], today)
    since = _SINCE.fullmatch(s)
    if since is not None:
        return _parse_since(shown, since["rest"], today, ab=s[:2].lower() == "ab")
    value = _parse_atom(s, today)
    if value is None:
        value = _parse_range(s, today)
    if value is None:
        value = _parse_yearless(shown, s, today)
    if value is None:
        raise _unreadable(shown)
    return value


def _parse_qualified(shown: str, word: str, rest: str, today: date | None) -> FuzzyDate:
    """``word`` ("ca.", "voraussichtlich", "bis" ...) before the date ``rest``."""
    qualifier = _QUALIFIER_WORDS[_fold(word)]
    inner = _parse_single(rest, rest, today)
    if (
        inner.qualifier is not None
        or (qualifier is Qualifier.BY and inner.kind not in SIMPLE_KINDS)
        or inner.kind in UNDATED_KINDS
    ):
        raise FuzzyDateError(_MESSAGES["bad_qualifier"].format(word=word, text=shown))
    return inner.qualified(qualifier)


def _parse_yearless(shown: str, s: str, today: date | None) -> FuzzyDate | None:
    """A simple value written without its year ("15.9.", "KW 38", "Ende September"): the
    first one that has not ended on ``today``; None if ``s`` is no such form.

    Without ``today`` such a form cannot be read (the caller gives the reference day; the wall
    clock is never asked).
    """
    day_month = _DAY_MONTH.fullmatch(s) is not None
    if not day_month and not _LETTER.search(s):
        return None
    week = _YEARLESS_WEEK.fullmatch(s)
    if week is not None and not 1 <= int(week["week"] or week["nweek"]) <= MAX_WEEKS:
        raise _invalid(shown, _MESSAGES["no_week_any"])
    reference = today or date(2000, 1, 1)
    first_error: FuzzyDateError | None = None
    for year in range(reference.year - 1, reference.year + 9):
        # joined, not str.format: what was typed may hold braces ("{0} März")
        candidate = f"{s}.{year}" if day_month else f"{s} {year}"
        try:
            value = _parse_atom(candidate, None)
        except FuzzyDateError as err:
            if first_error is None:
                first_error = FuzzyDateError(str(err).replace(f"„{candidate}“", f"„{shown}“"))
            continue
        if value is None or value.kind is Kind.YEAR:
            return None
        if today is None:
            raise _unreadable(shown)
        if value.end >= today:
            return value
    if first_error is not None:
        raise first_error
    return None  # pragma: no cover - every form recurs within nine years


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
    if value is None and today is not None:
        value = _parse_yearless(piece, piece, today)
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


def _parse_since(text: str, rest: str | None, today: date | None, *, ab: bool) -> FuzzyDate:
    """Open start: "seit ..." or (``ab``) "ab ..." with one simple value, kept as written."""
    if rest is None:
        raise FuzzyDateError(_MESSAGES["since_empty"].format(text=text))
    inner = _parse_atom(rest, today)
    if inner is None:
        inner = _parse_yearless(text, rest, today)
    if inner is not None:
        return FuzzyDate.since(inner, ab=ab)
    if (
        rest.lower() in _ONGOING_WORDS
        or _RECURRING.fullmatch(_fold(rest))
        or _SINCE.fullmatch(rest)
        or _parse_range(rest, today)
    ):
        raise FuzzyDateError(_MESSAGES["since_single"].format(text=text))
    raise _unreadable(text)


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
    if m := _WEEK.fullmatch(s):
        week = int(m["week"] or m["nweek"])
        year = _year(s, m["year"])
        if not 1 <= week <= MAX_WEEKS:
            raise _invalid(s, _MESSAGES["no_week_any"])
        if week > _weeks_in(year):
            raise _invalid(s, _MESSAGES["no_week"].format(year=year, weeks=_weeks_in(year)))
        return FuzzyDate.of_week(year, week)
    if m := _MONTH_PART.fullmatch(s):
        part = _VOCABULARY.get(m["part"].lower())
        month = _VOCABULARY.get(m["word"].lower().rstrip("."))
        if part in _MONTH_PARTS and isinstance(month, int) and isinstance(part, Part):
            return FuzzyDate.of_month_part(_year(s, m["year"]), month, part)
        return None
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


def _unreadable(text: str) -> FuzzyDateError:
    return FuzzyDateError(_MESSAGES["unreadable"].format(text=text, examples=_EXAMPLES_TEXT))


def _invalid(s: str, reason: str) -> FuzzyDateError:
    return FuzzyDateError(_MESSAGES["invalid"].format(text=s, reason=reason))


# -- a near reading -------------------------------------------------------------------------------
#: Words that stand around a date and carry nothing ("im Herbst 2026", "Ende des Jahres 2025").
_FILLERS: Final = frozenset({"im", "in", "am", "des", "der", "jahres", "jahr", "zum", "den", "dem"})
#: Whole words the reader knows, for correcting a typo (folded, lower case).
_KNOWN_WORDS: Final = (
    *{_fold(w) for w in _VOCABULARY if len(w) >= 4},
    *(_fold(w) for w in _QUALIFIER_WORDS if w.isalpha() and len(w) >= 4),
    "quartal",
    "halbjahr",
    "haelfte",
    "seit",
    "fortlaufend",
    "laufend",
    "kalenderwoche",
    *_FREQUENCY_ADVERBS,
)
_WORD: Final = re.compile(r"[^\W\d_]+")
_LOOSE_DAY: Final = re.compile(
    r"(?P<day>\d{1,2})\s*[-/,_ ]\s*(?P<month>\d{1,2})(?:\s*[-/,_ ]\s*(?P<year>\d{4}|\d{2}))?"
)
_LETTER_O: Final = re.compile(r"(?<=\d)[oO]|[oO](?=\d)")
_YEAR_FIRST: Final = re.compile(r"(?P<year>\d{4}|\d{2})\s+(?P<word>[^\W\d_]+\.?)")


def suggest(text: str, today: date | None = None) -> FuzzyDate | None:
    """A near reading of ``text`` that :func:`parse_fuzzy_date` refuses, or None.

    For the bot's "Meinten Sie …?" button (:data:`core.texts.FUZZY_DATE_MORE_MESSAGES`
    ``did_you_mean``): a typo in a word ("Setpember 2025", "Mite 2026"), other separators in a
    day ("15-9-2025", "15/9/25"), filler words ("im Herbst 2026", "Ende des Jahres 2025") or
    the year first ("2026 Mitte"). None if ``text`` is read as it is, or if no near reading is
    a possible date: an impossible date ("31.02.2025") is never "corrected" into another day.
    ``today`` is the reference day for a date without its year, as in :func:`parse_fuzzy_date`.
    """
    try:
        parse_fuzzy_date(text, today=today)
    except FuzzyDateError:
        pass
    else:
        return None
    s = _TRAILING.sub("", _HYPHENS.sub("-", _SPACES.sub(" ", text).strip()))
    tried = {s}
    for candidate in _repairs(s):
        if candidate in tried:
            continue
        tried.add(candidate)
        try:
            return parse_fuzzy_date(candidate, today=today)
        except FuzzyDateError:
            continue
    return None


def _repairs(s: str) -> list[str]:
    """Candidate rewrites of ``s``, each building on the one before."""
    words = [w for w in s.split(" ") if _fold(w.strip(".,")) not in _FILLERS]
    step = " ".join(words)
    out = [step]
    step = _WORD.sub(_correct_word, step)
    out.append(step)
    if m := _YEAR_FIRST.fullmatch(step):
        step = f"{m['word']} {m['year']}"
        out.append(step)
    if m := _LOOSE_DAY.fullmatch(step):
        out.append(f"{m['day']}.{m['month']}.{m['year'] or ''}")
    out.append(_LETTER_O.sub("0", step))  # "Sommer 2O26"
    return out


def _correct_word(m: re.Match[str]) -> str:
    """The known word closest to an unknown one (a typo), else the word itself."""
    word = m.group(0)
    folded = _fold(word)
    if len(folded) < 3 or folded in _KNOWN_WORDS or folded in _VOCABULARY or folded in _FILLERS:
        return word
    close = get_close_matches(folded, _KNOWN_WORDS, n=1, cutoff=0.75)
    return close[0] if close else word
