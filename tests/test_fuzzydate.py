"""Fuzzy German dates: reading, printing, storing and ordering."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.fuzzydate import (
    MAX_PER_YEAR,
    MAX_YEAR,
    MIN_YEAR,
    MONTHLY,
    OPEN_END,
    OPEN_START,
    SIMPLE_KINDS,
    UNDATED_KINDS,
    WEEKLY,
    YEARLY,
    FuzzyDate,
    FuzzyDateError,
    Kind,
    Part,
)
from core.fuzzydate_parse import parse_fuzzy_date

TODAY = date(2025, 4, 1)

# -- strategies ---------------------------------------------------------------------------------
_YEARS = st.one_of(st.integers(MIN_YEAR, MAX_YEAR), st.integers(2019, 2027))
_DAYS = st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31))
_PARTS_BY_KIND = {
    kind: [p for p in Part if FuzzyDate.of_part(2000, p).kind is kind]
    for kind in (Kind.QUARTER, Kind.HALF, Kind.SEASON)
}


@st.composite
def simple_dates(draw: st.DrawFn) -> FuzzyDate:
    """A day, week, part of a month, month, quarter, half, season or year."""
    kind = draw(st.sampled_from(sorted(SIMPLE_KINDS)))
    if kind is Kind.DAY:
        return FuzzyDate.day(draw(_DAYS))
    year = draw(_YEARS)
    if kind is Kind.WEEK:
        return FuzzyDate.of_week(year, draw(st.integers(1, date(year, 12, 28).isocalendar().week)))
    if kind is Kind.MONTH_PART:
        part = draw(st.sampled_from([Part.EARLY, Part.MID, Part.LATE]))
        return FuzzyDate.of_month_part(year, draw(st.integers(1, 12)), part)
    if kind is Kind.MONTH:
        return FuzzyDate.of_month(year, draw(st.integers(1, 12)))
    if kind is Kind.YEAR:
        return FuzzyDate.of_year(year)
    return FuzzyDate.of_part(year, draw(st.sampled_from(_PARTS_BY_KIND[kind])))


@st.composite
def ranges(draw: st.DrawFn) -> FuzzyDate:
    """A range of two simple values, any kinds, the first ending before the last starts."""
    first, last = draw(simple_dates()), draw(simple_dates())
    if last.end < first.start:
        first, last = last, first
    assume(first.end < last.start)
    return FuzzyDate.between(first, last)


@st.composite
def same_year_ranges(draw: st.DrawFn) -> FuzzyDate:
    """Month or season ranges inside one year: the compact print form "März–Juni 2024"."""
    year = draw(_YEARS)
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.integers(1, 12), min_size=2, max_size=2, unique=True)))
        return FuzzyDate.between(FuzzyDate.of_month(year, a), FuzzyDate.of_month(year, b))
    seasons = _PARTS_BY_KIND[Kind.SEASON]
    i, j = sorted(draw(st.lists(st.integers(0, 3), min_size=2, max_size=2, unique=True)))
    return FuzzyDate.between(
        FuzzyDate.of_part(year, seasons[i]), FuzzyDate.of_part(year, seasons[j])
    )


@st.composite
def date_sets(draw: st.DrawFn) -> FuzzyDate:
    """Two to four simple values of any kinds, each ending before the next starts."""
    drawn = draw(st.lists(simple_dates(), min_size=2, max_size=4))
    kept: list[FuzzyDate] = []
    for v in sorted(drawn, key=lambda v: (v.start, v.end)):
        if not kept or kept[-1].end < v.start:
            kept.append(v)
    assume(len(kept) >= 2)
    return FuzzyDate.several(kept)


@st.composite
def day_sets(draw: st.DrawFn) -> FuzzyDate:
    """Two to four days of one year, like "16.06.2024 und 14.10.2024"."""
    year = draw(_YEARS)
    days = draw(
        st.lists(
            st.dates(date(year, 1, 1), date(year, 12, 31)), min_size=2, max_size=4, unique=True
        )
    )
    return FuzzyDate.several(FuzzyDate.day(d) for d in sorted(days))


def recurring_dates() -> st.SearchStrategy[FuzzyDate]:
    """Any number of times per year, the plain words and their multiples more often."""
    common = [YEARLY, 2, 4, 6, MONTHLY, 2 * MONTHLY, WEEKLY, 2 * WEEKLY, 7 * WEEKLY]
    return st.one_of(st.sampled_from(common), st.integers(1, MAX_PER_YEAR)).map(FuzzyDate.recurring)


def fuzzy_dates() -> st.SearchStrategy[FuzzyDate]:
    """Every kind, including RANGE, SET, SINCE, RECURRING and ONGOING."""
    return st.one_of(
        simple_dates(),
        ranges(),
        same_year_ranges(),
        date_sets(),
        day_sets(),
        simple_dates().map(FuzzyDate.since),
        recurring_dates(),
        st.just(FuzzyDate.ongoing()),
    )


# -- the real report ----------------------------------------------------------------------------
# Every date form under "abgeschlossene Meilensteine", "Erfolgte Planungsschritte",
# "Beratung/Information" and "geplante Meilensteine" of the 01.04.2025 edition.
REPORT_FORMS = [
    ("31.12.2023", "2023-12-31", "31.12.2023"),
    ("01.09.2023 – 29.02.2024", "2023-09-01/2024-02-29", "01.09.2023–29.02.2024"),
    ("Oktober 2024", "2024-10", "Oktober 2024"),
    ("Januar 2025", "2025-01", "Januar 2025"),
    ("August 2024", "2024-08", "August 2024"),
    ("April 2025", "2025-04", "April 2025"),
    ("Juni 2024", "2024-06", "Juni 2024"),
    ("März 2021", "2021-03", "März 2021"),
    ("Mai 2023", "2023-05", "Mai 2023"),
    ("Jan. 2022", "2022-01", "Januar 2022"),
    ("Feb. 2025", "2025-02", "Februar 2025"),
    ("Febr. 2025", "2025-02", "Februar 2025"),
    ("Aug. 2024", "2024-08", "August 2024"),
    ("Sept. 2024", "2024-09", "September 2024"),
    ("Okt. 2024", "2024-10", "Oktober 2024"),
    ("Okt 2024", "2024-10", "Oktober 2024"),
    ("Nov. 2023", "2023-11", "November 2023"),
    ("Dez. 2021", "2021-12", "Dezember 2021"),
    ("09.2025", "2025-09", "September 2025"),
    ("11. 2024", "2024-11", "November 2024"),
    ("08/09.2024", "2024-08/2024-09", "August–September 2024"),
    ("04/2024 – 03/2027", "2024-04/2027-03", "April 2024 – März 2027"),
    ("3. Qu. 2022", "2022-Q3", "3. Quartal 2022"),
    ("1. Qu. 2024", "2024-Q1", "1. Quartal 2024"),
    ("4. Qu. 2023", "2023-Q4", "4. Quartal 2023"),
    ("1. Halbjahr 2025", "2025-H1", "1. Halbjahr 2025"),
    ("1. Hj. 2023", "2023-H1", "1. Halbjahr 2023"),
    ("2. Hj. 2022", "2022-H2", "2. Halbjahr 2022"),
    ("2.Hj. 2024", "2024-H2", "2. Halbjahr 2024"),
    ("Mitte 2020", "2020-MID", "Mitte 2020"),
    ("Anfang 2024", "2024-EARLY", "Anfang 2024"),
    ("Anfang 2019", "2019-EARLY", "Anfang 2019"),
    ("Ende 2025", "2025-LATE", "Ende 2025"),
    ("Ende 2024", "2024-LATE", "Ende 2024"),
    ("Frühjahr 2025", "2025-SPRING", "Frühjahr 2025"),
    ("Frühj. 2022", "2022-SPRING", "Frühjahr 2022"),
    ("Herbst 2025", "2025-AUTUMN", "Herbst 2025"),
    ("Herb. 2022", "2022-AUTUMN", "Herbst 2022"),
    ("2022", "2022", "2022"),
    ("2010", "2010", "2010"),
    ("2025 - 2027", "2025/2027", "2025–2027"),
    ("2020/21", "2020/2021", "2020–2021"),
    ("2023/24", "2023/2024", "2023–2024"),
    ("seit Sommer 2024", "since:2024-SUMMER", "seit Sommer 2024"),
    ("seit 09/2024", "since:2024-09", "seit September 2024"),
    ("seit 09/2020", "since:2020-09", "seit September 2020"),
    ("seit 4. Qu. 2023", "since:2023-Q4", "seit 4. Quartal 2023"),
    ("seit Mai 2023", "since:2023-05", "seit Mai 2023"),
    ("seit 2020", "since:2020", "seit 2020"),
    # "ab" is kept as written (issue 18; before, it printed "seit")
    ("ab 2024", "from:2024", "ab 2024"),
    ("ab Sommer 2022", "from:2022-SUMMER", "ab Sommer 2022"),
    ("fortlaufend", "ongoing", "fortlaufend"),
    # milestones "(Datum des Abschlusses)" in the report text, lines 2111, 3211 and 4200
    ("jährlich", "every:1/year", "jährlich"),
    ("16.06.2024 und 14.10.2024", "set:2024-06-16,2024-10-14", "16.06.2024 und 14.10.2024"),
    ("1 x jährlich", "every:1/year", "jährlich"),
]


@pytest.mark.parametrize(("text", "stored", "printed"), REPORT_FORMS)
def test_every_date_form_of_the_real_report_is_read(text: str, stored: str, printed: str) -> None:
    value = parse_fuzzy_date(text)
    assert value.storage() == stored
    assert value.format() == printed


# -- what people type on a phone ----------------------------------------------------------------
PHONE_FORMS = [
    ("1.4.25", "2025-04-01"),
    ("01.04.2025", "2025-04-01"),
    ("1.4.2025", "2025-04-01"),
    ("1. 4. 2025", "2025-04-01"),
    ("2025-04-01", "2025-04-01"),
    ("1.4.99", "1999-04-01"),
    ("1.4.69", "2069-04-01"),
    ("1.4.70", "1970-04-01"),
    ("April 2025", "2025-04"),
    ("april 2025", "2025-04"),
    ("APRIL 2025", "2025-04"),
    ("Apr. 2025", "2025-04"),
    ("Apr 2025", "2025-04"),
    ("Maerz 2025", "2025-03"),
    ("04/2025", "2025-04"),
    ("4/2025", "2025-04"),
    ("04/25", "2025-04"),
    ("04.2025", "2025-04"),
    ("2025-04", "2025-04"),
    ("Q2 2025", "2025-Q2"),
    ("Q2/2025", "2025-Q2"),
    ("q2 2025", "2025-Q2"),
    ("2. Quartal 2025", "2025-Q2"),
    ("2. Qu. 2025", "2025-Q2"),
    ("2.Qu.2025", "2025-Q2"),
    ("II. Quartal 2025", "2025-Q2"),
    ("IV. Quartal 2025", "2025-Q4"),
    ("H1 2025", "2025-H1"),
    ("2. Halbjahr 2025", "2025-H2"),
    ("Frühling 2025", "2025-SPRING"),
    ("Sommer 2025", "2025-SUMMER"),
    ("Winter 2025", "2025-WINTER"),
    ("Jahresende 2025", "2025-LATE"),
    ("laufend", "ongoing"),
    ("Fortlaufend", "ongoing"),
    ("Seit 09/2024", "since:2024-09"),
    ("März–Juni 2024", "2024-03/2024-06"),
    ("Frühjahr–Herbst 2024", "2024-SPRING/2024-AUTUMN"),
    ("1x jährlich", "every:1/year"),
    ("1 × jährlich", "every:1/year"),
    ("1-mal jährlich", "every:1/year"),
    ("einmal jährlich", "every:1/year"),
    ("Einmal im Jahr", "every:1/year"),
    ("jedes Jahr", "every:1/year"),
    ("Jährlich", "every:1/year"),
    ("jaehrlich", "every:1/year"),
    ("jährl.", "every:1/year"),
    ("halbjährlich", "every:2/year"),
    ("2 x jährlich", "every:2/year"),
    ("2x jährlich", "every:2/year"),
    ("zweimal jährlich", "every:2/year"),
    ("2 mal pro Jahr", "every:2/year"),
    ("vierteljährlich", "every:4/year"),
    ("quartalsweise", "every:4/year"),
    ("quartalsmäßig", "every:4/year"),
    ("einmal im Quartal", "every:4/year"),
    ("4 x jährlich", "every:4/year"),
    ("monatlich", "every:12/year"),
    ("jeden Monat", "every:12/year"),
    ("12 x jährlich", "every:12/year"),
    ("2 x monatlich", "every:24/year"),
    ("zweimal im Monat", "every:24/year"),
    ("wöchentlich", "every:52/year"),
    ("woechentlich", "every:52/year"),
    ("einmal pro Woche", "every:52/year"),
    ("3 x wöchentlich", "every:156/year"),
    ("16.06.2024 und 14.10.2024", "set:2024-06-16,2024-10-14"),
    ("16.06.2024 + 14.10.2024", "set:2024-06-16,2024-10-14"),
    ("16.06.2024+14.10.2024", "set:2024-06-16,2024-10-14"),
    ("16.06.2024 & 14.10.2024", "set:2024-06-16,2024-10-14"),
    ("16.6.24, 14.10.24", "set:2024-06-16,2024-10-14"),
    ("1.2.2024, 3.4.2024 und 5.6.2024", "set:2024-02-01,2024-04-03,2024-06-05"),
    ("1.2.2024, 3.4.2024, 5.6.2024", "set:2024-02-01,2024-04-03,2024-06-05"),
    ("März 2024 UND 3. Qu. 2024", "set:2024-03,2024-Q3"),
    ("2023 und 2025", "set:2023,2025"),
    ("Juni und Oktober 2024", "set:2024-06,2024-10"),
    ("März, Juni und September 2024", "set:2024-03,2024-06,2024-09"),
    ("Frühjahr und Herbst 2025", "set:2025-SPRING,2025-AUTUMN"),
]


@pytest.mark.parametrize(("text", "stored"), PHONE_FORMS)
def test_what_people_type_on_a_phone_is_read(text: str, stored: str) -> None:
    assert parse_fuzzy_date(text).storage() == stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("heute", date(2025, 4, 1)),
        ("gestern", date(2025, 3, 31)),
        ("morgen", date(2025, 4, 2)),
        ("Heute", date(2025, 4, 1)),
    ],
)
def test_heute_gestern_morgen_are_days_relative_to_today(text: str, expected: date) -> None:
    assert parse_fuzzy_date(text, today=TODAY) == FuzzyDate.day(expected)


def test_heute_und_morgen_are_two_days_relative_to_today() -> None:
    assert parse_fuzzy_date("heute und morgen", today=TODAY).storage() == (
        "set:2025-04-01,2025-04-02"
    )


def test_seit_gestern_wraps_the_relative_day() -> None:
    assert parse_fuzzy_date("seit gestern", today=TODAY).storage() == "since:2025-03-31"


@pytest.mark.parametrize("text", ["heute", "gestern", "morgen"])
def test_relative_days_without_today_get_a_german_error(text: str) -> None:
    with pytest.raises(FuzzyDateError, match=f"„{text}“ lässt sich hier nicht verwenden"):
        parse_fuzzy_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "  April 2025  ",
        "April   2025",
        "\tApril\u00a02025\n",
        "April 2025.",
        "April 2025:",
        "Apr. 2025 .",
    ],
)
def test_surrounding_whitespace_and_a_trailing_dot_or_colon_are_tolerated(text: str) -> None:
    assert parse_fuzzy_date(text) == FuzzyDate.of_month(2025, 4)


@pytest.mark.parametrize(
    "text",
    ["2025 - 2027", "2025-2027", "2025–2027", "2025 – 2027", "2025—2027", "2025 bis 2027"],
)
def test_dashes_and_bis_separate_a_range(text: str) -> None:
    assert parse_fuzzy_date(text) == FuzzyDate.between(
        FuzzyDate.of_year(2025), FuzzyDate.of_year(2027)
    )


# -- what it cannot read ------------------------------------------------------------------------
ERRORS = [
    ("31.02.2025", "Den 31. Februar gibt es nicht."),
    ("29.02.2023", "2023 hat keinen 29. Februar."),
    ("2025-02-30", "Den 30. Februar gibt es nicht."),
    ("32.1.2025", "Den 32. Januar gibt es nicht."),
    ("0.1.2025", "Den 0. Januar gibt es nicht."),
    ("31.13.2025", "Einen 13. Monat gibt es nicht."),
    ("13/2025", "Einen 13. Monat gibt es nicht."),
    ("00/2025", "Einen 0. Monat gibt es nicht."),
    ("2025-13", "Einen 13. Monat gibt es nicht."),
    ("5. Quartal 2025", "Ein Jahr hat nur vier Quartale."),
    ("Q0 2025", "Ein Jahr hat nur vier Quartale."),
    ("3. Halbjahr 2025", "Ein Jahr hat nur zwei Halbjahre."),
    ("Foo 2025", "ist als Datum nicht lesbar"),
    ("1.4.", "ist als Datum nicht lesbar"),
    ("1.–3. Quartal 2024", "ist als Datum nicht lesbar"),
    ("2027 - 2025", "kein gültiger Zeitraum: Das Ende liegt vor dem Anfang."),
    ("06/2024 - 03/2024", "kein gültiger Zeitraum: Das Ende liegt vor dem Anfang."),
    ("2025 - 2025", "kein gültiger Zeitraum: Anfang und Ende überschneiden sich."),
    ("2024 - März 2024", "kein gültiger Zeitraum: Anfang und Ende überschneiden sich."),
    ("1899", "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an."),
    ("2101", "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an."),
    ("1.1.1899", "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an."),
    ("Sommer 2200", "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an."),
    ("16.06.2024 und 14.10.2023", "Die Daten stehen nicht in zeitlicher Reihenfolge."),
    ("2024 und 2023 und 2025", "Die Daten stehen nicht in zeitlicher Reihenfolge."),
    ("16.06.2024 und 16.06.2024", "Ein Datum steht mehrfach darin."),
    ("2024, 2025 und 2024", "Ein Datum steht mehrfach darin."),
    ("2024 und März 2024", "Zwei der Daten überschneiden sich."),
    ("1. Qu. 2024 und Anfang 2024", "Zwei der Daten überschneiden sich."),
    ("und 2024", "ist unvollständig"),
    ("2024 und", "ist unvollständig"),
    ("2024, und 2025", "ist unvollständig"),
    ("2024 + + 2025", "ist unvollständig"),
    ("2020 - 2022 und 2025", "Eine Aufzählung kann nur einzelne Daten enthalten"),
    ("seit 2020 und 2022", "Eine Aufzählung kann nur einzelne Daten enthalten"),
    ("2024 und fortlaufend", "Eine Aufzählung kann nur einzelne Daten enthalten"),
    ("jährlich und 2025", "Eine Aufzählung kann nur einzelne Daten enthalten"),
    ("0 x jährlich", "keine gültige Wiederholung"),
    ("8 x wöchentlich", "keine gültige Wiederholung"),
    ("400 x jährlich", "keine gültige Wiederholung"),
    ("alle zwei Jahre", "ist als Datum nicht lesbar"),
    ("jährlich 2024", "ist als Datum nicht lesbar"),
    ("x jährlich", "ist als Datum nicht lesbar"),
    ("seit jährlich", "Nach „seit“ steht nur ein einzelnes Datum"),
    ("seit", "Seit wann?"),
    ("seit 2020 - 2022", "Nach „seit“ steht nur ein einzelnes Datum"),
    ("seit fortlaufend", "Nach „seit“ steht nur ein einzelnes Datum"),
    ("seit Foo", "ist als Datum nicht lesbar"),
]


@pytest.mark.parametrize(("text", "reason"), ERRORS)
def test_unreadable_input_gets_a_german_error_that_quotes_it(text: str, reason: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_fuzzy_date(text)
    message = str(caught.value)
    assert f"„{text}“" in message
    assert reason in message


@pytest.mark.parametrize(
    ("text", "quoted", "reason"),
    [
        ("Foo und 2024", "Foo", "ist als Datum nicht lesbar"),
        ("01.04.2024 und 31.02.2025", "31.02.2025", "Den 31. Februar gibt es nicht."),
        ("2025 - 2024 und 2026", "2025 - 2024", "Das Ende liegt vor dem Anfang."),
    ],
)
def test_a_part_of_several_dates_that_cannot_be_read_is_quoted_alone(
    text: str, quoted: str, reason: str
) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_fuzzy_date(text)
    assert f"„{quoted}“" in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize("text", ["{0} März", "%s %d {0}", "Ende {}", "{x}"])
def test_braces_in_a_yearless_form_get_the_german_error_not_a_crash(text: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_fuzzy_date(text, today=date(2025, 3, 1))
    assert f"„{text}“" in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", " . "])
def test_an_empty_input_asks_for_a_date(text: str) -> None:
    with pytest.raises(FuzzyDateError, match=rf"^{re.escape('Bitte geben Sie ein Datum ein.')}$"):
        parse_fuzzy_date(text)


def test_the_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=re.escape("31.02.2025")):
        parse_fuzzy_date("31.02.2025")


# -- printing -----------------------------------------------------------------------------------
def test_a_day_prints_with_two_digit_day_and_month() -> None:
    assert FuzzyDate.day(date(2025, 4, 1)).format() == "01.04.2025"


def test_a_month_prints_its_german_name() -> None:
    assert FuzzyDate.of_month(2024, 3).format() == "März 2024"


def test_a_quarter_prints_as_german_quarter() -> None:
    assert FuzzyDate.of_part(2022, Part.Q3).format() == "3. Quartal 2022"


@pytest.mark.parametrize(
    ("part", "printed"),
    [
        (Part.H1, "1. Halbjahr 2025"),
        (Part.H2, "2. Halbjahr 2025"),
        (Part.MID, "Mitte 2025"),
        (Part.EARLY, "Anfang 2025"),
        (Part.LATE, "Ende 2025"),
    ],
)
def test_a_half_year_prints_in_words(part: Part, printed: str) -> None:
    assert FuzzyDate.of_part(2025, part).format() == printed


@pytest.mark.parametrize(
    ("part", "printed"),
    [
        (Part.SPRING, "Frühjahr 2024"),
        (Part.SUMMER, "Sommer 2024"),
        (Part.AUTUMN, "Herbst 2024"),
        (Part.WINTER, "Winter 2024"),
    ],
)
def test_a_season_prints_in_words(part: Part, printed: str) -> None:
    assert FuzzyDate.of_part(2024, part).format() == printed


def test_a_year_prints_as_four_digits() -> None:
    assert FuzzyDate.of_year(2022).format() == "2022"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("2025 - 2027", "2025–2027"),
        ("1.9.2023 - 29.2.2024", "01.09.2023–29.02.2024"),
        ("03/2024 - 06/2024", "März–Juni 2024"),
        ("03/2024 - 06/2025", "März 2024 – Juni 2025"),
        ("Sommer 2024 - Winter 2024", "Sommer–Winter 2024"),
        ("1. Qu. 2024 - 3. Qu. 2024", "1. Quartal 2024 – 3. Quartal 2024"),
        ("Mitte 2020 - 2022", "Mitte 2020 – 2022"),
    ],
)
def test_a_range_prints_with_an_en_dash_spaced_only_between_multi_word_bounds(
    text: str, printed: str
) -> None:
    assert parse_fuzzy_date(text).format() == printed


def test_since_prints_seit_before_the_inner_value() -> None:
    assert FuzzyDate.since(FuzzyDate.of_month(2024, 9)).format() == "seit September 2024"


def test_ongoing_prints_fortlaufend() -> None:
    assert FuzzyDate.ongoing().format() == "fortlaufend"


@pytest.mark.parametrize(
    ("per_year", "printed"),
    [
        (1, "jährlich"),
        (2, "2 x jährlich"),
        (4, "4 x jährlich"),
        (6, "6 x jährlich"),
        (12, "monatlich"),
        (24, "2 x monatlich"),
        (52, "wöchentlich"),
        (104, "2 x wöchentlich"),
        (365, "365 x jährlich"),
    ],
)
def test_recurring_prints_in_the_largest_unit_that_divides_it(per_year: int, printed: str) -> None:
    assert FuzzyDate.recurring(per_year).format() == printed


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("1 x jährlich", "jährlich"),
        ("einmal jährlich", "jährlich"),
        ("halbjährlich", "2 x jährlich"),
        ("quartalsweise", "4 x jährlich"),
        ("12 x jährlich", "monatlich"),
        ("52 x jährlich", "wöchentlich"),
    ],
)
def test_recurring_words_of_the_same_meaning_print_alike(text: str, printed: str) -> None:
    assert parse_fuzzy_date(text).format() == printed


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("16.06.2024 + 14.10.2024", "16.06.2024 und 14.10.2024"),
        ("1.2.2024, 3.4.2024, 5.6.2024", "01.02.2024, 03.04.2024 und 05.06.2024"),
        ("Juni und Oktober 2024", "Juni 2024 und Oktober 2024"),
        ("2023 & 3. Qu. 2024 & Mitte 2025", "2023, 3. Quartal 2024 und Mitte 2025"),
    ],
)
def test_several_dates_print_as_a_german_list_of_full_dates(text: str, printed: str) -> None:
    assert parse_fuzzy_date(text).format() == printed


def test_str_is_the_german_print_form() -> None:
    value = FuzzyDate.of_part(2022, Part.Q3)
    assert str(value) == value.format() == f"{value}"


# -- storage ------------------------------------------------------------------------------------
STORAGE_TABLE = [
    (FuzzyDate.day(date(2025, 4, 1)), "2025-04-01"),
    (FuzzyDate.of_month(2025, 4), "2025-04"),
    (FuzzyDate.of_part(2025, Part.Q2), "2025-Q2"),
    (FuzzyDate.of_part(2025, Part.H1), "2025-H1"),
    (FuzzyDate.of_part(2025, Part.H2), "2025-H2"),
    (FuzzyDate.of_part(2020, Part.MID), "2020-MID"),
    (FuzzyDate.of_part(2019, Part.EARLY), "2019-EARLY"),
    (FuzzyDate.of_part(2024, Part.LATE), "2024-LATE"),
    (FuzzyDate.of_part(2024, Part.SUMMER), "2024-SUMMER"),
    (FuzzyDate.of_year(2025), "2025"),
    (FuzzyDate.between(FuzzyDate.of_year(2025), FuzzyDate.of_year(2027)), "2025/2027"),
    (
        FuzzyDate.between(FuzzyDate.of_month(2024, 3), FuzzyDate.of_month(2024, 6)),
        "2024-03/2024-06",
    ),
    (FuzzyDate.since(FuzzyDate.of_month(2024, 9)), "since:2024-09"),
    (FuzzyDate.ongoing(), "ongoing"),
    (FuzzyDate.recurring(), "every:1/year"),
    (FuzzyDate.recurring(2), "every:2/year"),
    (FuzzyDate.recurring(MONTHLY), "every:12/year"),
    (FuzzyDate.recurring(WEEKLY), "every:52/year"),
    (
        FuzzyDate.several([FuzzyDate.day(date(2024, 6, 16)), FuzzyDate.day(date(2024, 10, 14))]),
        "set:2024-06-16,2024-10-14",
    ),
    (
        FuzzyDate.several(
            [FuzzyDate.of_year(2023), FuzzyDate.of_part(2024, Part.Q3), FuzzyDate.of_month(2025, 1)]
        ),
        "set:2023,2024-Q3,2025-01",
    ),
]


@pytest.mark.parametrize(("value", "stored"), STORAGE_TABLE)
def test_the_storage_form_is_canonical_ascii(value: FuzzyDate, stored: str) -> None:
    assert value.storage() == stored
    assert stored.isascii()
    assert FuzzyDate.from_storage(stored) == value


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "foo",
        "2025-4",
        "2025-04-1",
        "2025-13",
        "2025-02-30",
        "2025-Q5",
        "2025-q2",
        "25",
        "1899",
        "since:",
        "since:ongoing",
        "since:2024/2025",
        "2025/2024",
        "2025/2025",
        "2024/2025/2026",
        "Oktober 2024",
        " 2025",
        "every:",
        "every:0/year",
        "every:01/year",
        "every:366/year",
        "every:1/month",
        "every:1",
        "every:1/year/2025",
        "set:",
        "set:2024",
        "set:2024,",
        "set:2025,2024",
        "set:2024,2024",
        "set:2024,2024-03",
        "set:2024, 2025",
        "set:2024/2025,2026",
        "set:since:2024,2025",
        "set:ongoing,2025",
        "since:set:2024,2025",
        "since:every:1/year",
        "2024/every:1/year",
    ],
)
def test_from_storage_rejects_anything_but_the_canonical_form(stored: str) -> None:
    with pytest.raises(FuzzyDateError, match="ist kein gespeicherter Datumswert"):
        FuzzyDate.from_storage(stored)


# -- spans --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "start", "end"),
    [
        ("2023-12-31", date(2023, 12, 31), date(2023, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2022-Q3", date(2022, 7, 1), date(2022, 9, 30)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2020-MID", date(2020, 4, 1), date(2020, 9, 30)),
        ("2019-EARLY", date(2019, 1, 1), date(2019, 3, 31)),
        ("2024-LATE", date(2024, 10, 1), date(2024, 12, 31)),
        ("2025-SPRING", date(2025, 3, 1), date(2025, 5, 31)),
        ("2024-SUMMER", date(2024, 6, 1), date(2024, 8, 31)),
        ("2025-AUTUMN", date(2025, 9, 1), date(2025, 11, 30)),
        ("2023-WINTER", date(2023, 12, 1), date(2024, 2, 29)),
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2024-04/2027-03", date(2024, 4, 1), date(2027, 3, 31)),
        ("since:2024-09", date(2024, 9, 1), OPEN_END),
        ("ongoing", OPEN_START, OPEN_END),
        ("every:1/year", OPEN_START, OPEN_END),
        ("every:52/year", OPEN_START, OPEN_END),
        ("set:2024-06-16,2024-10-14", date(2024, 6, 16), date(2024, 10, 14)),
        ("set:2023-WINTER,2024-Q3,2025", date(2023, 12, 1), date(2025, 12, 31)),
    ],
)
def test_each_kind_spans_the_days_it_can_mean(stored: str, start: date, end: date) -> None:
    value = FuzzyDate.from_storage(stored)
    assert (value.start, value.end) == (start, end)


# -- order --------------------------------------------------------------------------------------
def test_a_milestone_list_sorts_in_time_order_with_ongoing_last() -> None:
    texts = [
        "fortlaufend",
        "2025 - 2027",
        "seit 09/2024",
        "April 2025",
        "Mitte 2020",
        "31.12.2023",
        "3. Qu. 2022",
        "2022",
        "seit Sommer 2024",
        "Feb. 2025",
        "Oktober 2024",
    ]
    ordered = sorted(parse_fuzzy_date(t) for t in texts)
    assert [v.format() for v in ordered] == [
        "Mitte 2020",
        "2022",
        "3. Quartal 2022",
        "31.12.2023",
        "seit Sommer 2024",
        "seit September 2024",
        "Oktober 2024",
        "2025–2027",
        "Februar 2025",
        "April 2025",
        "fortlaufend",
    ]


def test_a_milestone_list_sorts_several_dates_by_their_first_and_recurring_before_ongoing() -> None:
    texts = [
        "fortlaufend",
        "1 x jährlich",
        "monatlich",
        "16.06.2024 und 14.10.2024",
        "01.10.2023",
        "März 2023",
        "2 x jährlich",
        "Juli 2024",
        "2022",
        "16.06.2024",
    ]
    ordered = sorted(parse_fuzzy_date(t) for t in texts)
    assert [v.format() for v in ordered] == [
        "2022",
        "März 2023",
        "01.10.2023",
        "16.06.2024",
        "16.06.2024 und 14.10.2024",
        "Juli 2024",
        "jährlich",
        "2 x jährlich",
        "monatlich",
        "fortlaufend",
    ]


def test_values_with_the_same_start_sort_shorter_first() -> None:
    texts = ["2024", "seit 2024", "1. Halbjahr 2024", "Januar 2024", "01.01.2024", "Q1 2024"]
    ordered = sorted(parse_fuzzy_date(t) for t in texts)
    assert [v.storage() for v in ordered] == [
        "2024-01-01",
        "2024-01",
        "2024-Q1",
        "2024-H1",
        "2024",
        "since:2024",
    ]


def test_since_sorts_by_the_start_of_the_value_it_wraps() -> None:
    since = parse_fuzzy_date("seit 09/2024")
    assert parse_fuzzy_date("August 2024") < since < parse_fuzzy_date("Oktober 2024")


def test_equality_stays_structural_even_when_spans_match() -> None:
    quarter, early = parse_fuzzy_date("1. Qu. 2024"), parse_fuzzy_date("Anfang 2024")
    assert (quarter.start, quarter.end) == (early.start, early.end)
    assert quarter != early
    assert quarter < early
    assert len({quarter, early, parse_fuzzy_date("Q1/2024")}) == 2


def test_comparing_with_something_else_is_not_supported() -> None:
    with pytest.raises(TypeError):
        _ = FuzzyDate.of_year(2024) < date(2024, 1, 1)


# -- construction -------------------------------------------------------------------------------
def test_constructors_build_the_expected_kinds() -> None:
    assert FuzzyDate.day(date(2025, 4, 1)).kind is Kind.DAY
    assert FuzzyDate.of_month(2025, 4).kind is Kind.MONTH
    assert FuzzyDate.of_part(2025, Part.Q2).kind is Kind.QUARTER
    assert FuzzyDate.of_part(2025, Part.MID).kind is Kind.HALF
    assert FuzzyDate.of_part(2025, Part.WINTER).kind is Kind.SEASON
    assert FuzzyDate.of_year(2025).kind is Kind.YEAR
    assert FuzzyDate.ongoing().kind is Kind.ONGOING
    assert FuzzyDate.recurring().kind is Kind.RECURRING
    assert FuzzyDate.recurring() == FuzzyDate.recurring(YEARLY)
    pair = FuzzyDate.several([FuzzyDate.of_year(2024), FuzzyDate.of_year(2025)])
    assert pair.kind is Kind.SET
    assert pair.parts == (FuzzyDate.of_year(2024), FuzzyDate.of_year(2025))
    assert FuzzyDate.recurring(MONTHLY).per_year == 12


def test_several_dates_need_two_or_more_simple_values() -> None:
    y2024, y2025 = FuzzyDate.of_year(2024), FuzzyDate.of_year(2025)
    with pytest.raises(TypeError):
        FuzzyDate.several([y2024])
    with pytest.raises(TypeError):
        FuzzyDate.several([])
    with pytest.raises(TypeError):
        FuzzyDate.several([y2024, FuzzyDate.since(y2025)])
    with pytest.raises(TypeError):
        FuzzyDate.several([FuzzyDate.between(FuzzyDate.of_year(2020), y2024), y2025])
    with pytest.raises(TypeError):
        FuzzyDate.several([y2024, FuzzyDate.recurring()])
    with pytest.raises(TypeError):
        FuzzyDate.since(FuzzyDate.several([y2024, y2025]))
    with pytest.raises(TypeError):
        FuzzyDate(Kind.RECURRING)


def test_fields_that_do_not_fit_the_kind_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        FuzzyDate(Kind.MONTH, year=2025)
    with pytest.raises(TypeError):
        FuzzyDate(Kind.QUARTER, year=2025, part=Part.SUMMER)
    with pytest.raises(TypeError):
        FuzzyDate.since(FuzzyDate.ongoing())
    with pytest.raises(TypeError):
        FuzzyDate.between(FuzzyDate.of_year(2020), FuzzyDate.since(FuzzyDate.of_year(2024)))


def test_impossible_values_built_directly_get_the_german_error() -> None:
    with pytest.raises(FuzzyDateError, match=re.escape("Einen 13. Monat gibt es nicht.")):
        FuzzyDate.of_month(2025, 13)
    with pytest.raises(FuzzyDateError, match="zwischen 1900 und 2100"):
        FuzzyDate.of_year(1800)
    with pytest.raises(FuzzyDateError, match="„2027 – 2025“ ist kein gültiger Zeitraum"):
        FuzzyDate.between(FuzzyDate.of_year(2027), FuzzyDate.of_year(2025))
    with pytest.raises(FuzzyDateError, match="„2025 und 2024“ ist keine gültige Aufzählung"):
        FuzzyDate.several([FuzzyDate.of_year(2025), FuzzyDate.of_year(2024)])
    with pytest.raises(FuzzyDateError, match="„0 x jährlich“ ist keine gültige Wiederholung"):
        FuzzyDate.recurring(0)
    with pytest.raises(FuzzyDateError, match="keine gültige Wiederholung"):
        FuzzyDate.recurring(MAX_PER_YEAR + 1)


def test_the_reader_module_can_be_imported_first() -> None:
    code = "import core.fuzzydate_parse as p; print(p.parse_fuzzy_date('1 x jährlich').storage())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "every:1/year"


# -- properties ---------------------------------------------------------------------------------
@given(fuzzy_dates())
def test_every_value_reads_back_from_its_german_print(value: FuzzyDate) -> None:
    assert parse_fuzzy_date(value.format()) == value


@given(fuzzy_dates())
def test_every_value_reads_back_from_its_storage_form(value: FuzzyDate) -> None:
    stored = value.storage()
    assert stored.isascii()
    assert FuzzyDate.from_storage(stored) == value


@pytest.mark.slow
@given(
    st.lists(st.one_of(simple_dates(), ranges(), date_sets(), simple_dates().map(FuzzyDate.since)))
)
def test_sorting_non_overlapping_values_of_different_kinds_follows_their_start(
    values: list[FuzzyDate],
) -> None:
    kept: list[FuzzyDate] = []
    for v in values:
        disjoint = all(v.end < k.start or k.end < v.start for k in kept)
        if disjoint and all(v.kind is not k.kind for k in kept):
            kept.append(v)
    random.Random(len(kept)).shuffle(kept)
    assert sorted(kept) == sorted(kept, key=lambda v: v.start)


@given(fuzzy_dates(), fuzzy_dates())
def test_the_order_is_total_and_agrees_with_equality(a: FuzzyDate, b: FuzzyDate) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b and b <= a) == (a == b)
    assert (a.sort_key() == b.sort_key()) == (a == b)


@given(st.lists(fuzzy_dates(), min_size=1))
def test_ongoing_sorts_after_every_other_value(values: list[FuzzyDate]) -> None:
    ordered = sorted([FuzzyDate.ongoing(), *values])
    assert ordered[-1] == FuzzyDate.ongoing()
    assert all(v <= FuzzyDate.ongoing() for v in values)


@given(fuzzy_dates(), recurring_dates())
def test_recurring_sorts_after_every_dated_value_and_before_ongoing(
    value: FuzzyDate, recurring: FuzzyDate
) -> None:
    if value.kind not in UNDATED_KINDS:
        assert value < recurring
    assert recurring < FuzzyDate.ongoing()


@given(recurring_dates(), recurring_dates())
def test_recurring_values_sort_less_frequent_first(a: FuzzyDate, b: FuzzyDate) -> None:
    assert a.per_year is not None
    assert b.per_year is not None
    assert (a < b) == (a.per_year < b.per_year)


@given(st.integers(1, MAX_PER_YEAR))
def test_n_x_jaehrlich_is_read_for_every_allowed_count(per_year: int) -> None:
    assert parse_fuzzy_date(f"{per_year} x jährlich") == FuzzyDate.recurring(per_year)
    assert parse_fuzzy_date(f"{per_year}x jährlich") == FuzzyDate.recurring(per_year)


@pytest.mark.slow
@given(st.one_of(date_sets(), day_sets()), st.sampled_from([" + ", ", ", " und ", " & ", "+"]))
def test_several_dates_read_back_with_any_separator(value: FuzzyDate, separator: str) -> None:
    assert value.parts is not None
    assert parse_fuzzy_date(separator.join(p.format() for p in value.parts)) == value


@given(st.one_of(date_sets(), day_sets()))
def test_several_dates_span_from_the_first_to_the_last_part(value: FuzzyDate) -> None:
    assert value.parts is not None
    assert (value.start, value.end) == (value.parts[0].start, value.parts[-1].end)
    assert all(a.end < b.start for a, b in pairwise(value.parts))
    assert all(value.start <= p.start and p.end <= value.end for p in value.parts)


@given(st.one_of(date_sets(), day_sets()), st.one_of(date_sets(), day_sets()))
def test_several_dates_sort_by_their_first_part(a: FuzzyDate, b: FuzzyDate) -> None:
    assert a.parts is not None
    assert b.parts is not None
    if a.parts[0].start < b.parts[0].start:
        assert a < b
