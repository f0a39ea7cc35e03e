"""Issue 18, item 5: the date wordings people write, read strictly, kept as written.

Each wording is read with a fixed reference day (never the wall clock), stored in a form that
keeps its precision and printed as the author meant it; impossible dates are refused; the
error for an unreadable date offers examples that are read; :func:`suggest` offers a near
reading.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.fuzzydate import FuzzyDate, FuzzyDateError, Kind, Part, Qualifier
from core.fuzzydate_parse import EXAMPLES, parse_fuzzy_date, suggest
from core.importer.parse_dated import match_date
from core.texts import FUZZY_DATE_MORE_MESSAGES

#: The reference day the caller passes in (a Monday in calendar week 36 of 2025).
TODAY = date(2025, 9, 1)

#: (as typed, stored, printed)
WORDINGS = [
    # the wordings
    ("bis Ende 2025", "by:2025-LATE", "bis Ende 2025"),
    ("ca. Mitte 2026", "about:2026-MID", "ca. Mitte 2026"),
    ("voraussichtlich 2026", "expected:2026", "voraussichtlich 2026"),
    ("Ende September 2025", "2025-09-LATE", "Ende September 2025"),
    ("Anfang Oktober 2025", "2025-10-EARLY", "Anfang Oktober 2025"),
    ("Mitte Juni 2026", "2026-06-MID", "Mitte Juni 2026"),
    ("15.9.", "2025-09-15", "15.09.2025"),
    ("1.9.", "2025-09-01", "01.09.2025"),  # the reference day itself
    ("31.8.", "2026-08-31", "31.08.2026"),  # passed: the next one
    ("29.2.", "2028-02-29", "29.02.2028"),  # the next leap year
    ("2. Hälfte 2026", "2026-H2", "2. Halbjahr 2026"),
    ("2. Halbjahr 2026", "2026-H2", "2. Halbjahr 2026"),
    ("1. Hälfte", "2026-H1", "1. Halbjahr 2026"),  # 1. Halbjahr 2025 is over
    ("2. Hälfte", "2025-H2", "2. Halbjahr 2025"),  # still running
    ("KW 38", "2025-W38", "KW 38/2025"),
    ("KW 35", "2026-W35", "KW 35/2026"),
    ("KW 38/2025", "2025-W38", "KW 38/2025"),
    ("KW38/25", "2025-W38", "KW 38/2025"),
    ("KW 38 2025", "2025-W38", "KW 38/2025"),
    ("Kalenderwoche 38", "2025-W38", "KW 38/2025"),
    ("38. KW 2025", "2025-W38", "KW 38/2025"),
    ("KW 53/2026", "2026-W53", "KW 53/2026"),
    ("ab 2026", "from:2026", "ab 2026"),
    ("ab Mitte 2026", "from:2026-MID", "ab Mitte 2026"),
    ("seit 2026", "since:2026", "seit 2026"),
    # what a German office writes as well
    ("Mitte 2026", "2026-MID", "Mitte 2026"),
    ("Ende 2025", "2025-LATE", "Ende 2025"),
    ("Q3 2026", "2026-Q3", "3. Quartal 2026"),
    ("3. Quartal 2026", "2026-Q3", "3. Quartal 2026"),
    ("Herbst 2026", "2026-AUTUMN", "Herbst 2026"),
    ("Sept. 2025", "2025-09", "September 2025"),
    ("09/2025", "2025-09", "September 2025"),
    ("Ende Sept 25", "2025-09-LATE", "Ende September 2025"),
    ("15.9.25", "2025-09-15", "15.09.2025"),
    ("Mitte 26", "2026-MID", "Mitte 2026"),
    ("Ende September", "2025-09-LATE", "Ende September 2025"),
    ("Herbst", "2025-AUTUMN", "Herbst 2025"),
    ("circa 2026", "about:2026", "ca. 2026"),
    ("ungefähr Ende 2025", "about:2025-LATE", "ca. Ende 2025"),
    ("vsl. 3. Quartal 2026", "expected:2026-Q3", "voraussichtlich 3. Quartal 2026"),
    ("bis spätestens KW 40", "by:2025-W40", "bis KW 40/2025"),
    ("bis 15.9.", "by:2025-09-15", "bis 15.09.2025"),
    ("bis 2030", "by:2030", "bis 2030"),
    ("ca. 2025 - 2027", "about:2025/2027", "ca. 2025–2027"),
    ("voraussichtlich seit 2024", "expected:since:2024", "voraussichtlich seit 2024"),
    (
        "Ende September 2025 – Mitte Oktober 2025",
        "2025-09-LATE/2025-10-MID",
        "Ende September 2025 – Mitte Oktober 2025",
    ),
]


@pytest.mark.parametrize(("text", "stored", "printed"), WORDINGS)
def test_each_wording_is_stored_and_printed_as_the_author_meant(
    text: str, stored: str, printed: str
) -> None:
    value = parse_fuzzy_date(text, today=TODAY)
    assert value.storage() == stored
    assert value.format() == printed
    assert FuzzyDate.from_storage(stored) == value
    assert parse_fuzzy_date(printed, today=TODAY) == value


def test_a_word_before_the_date_changes_neither_span_nor_order() -> None:
    plain = parse_fuzzy_date("Ende 2025")
    for text in ("bis Ende 2025", "ca. Ende 2025", "voraussichtlich Ende 2025"):
        value = parse_fuzzy_date(text)
        assert (value.start, value.end, value.kind) == (plain.start, plain.end, plain.kind)
        assert value != plain
    assert parse_fuzzy_date("bis Ende 2025") < parse_fuzzy_date("Anfang 2026")


def test_a_week_and_a_part_of_a_month_span_their_days() -> None:
    week = FuzzyDate.of_week(2025, 38)
    assert (week.start, week.end) == (date(2025, 9, 15), date(2025, 9, 21))
    spans = {p: FuzzyDate.of_month_part(2024, 2, p) for p in (Part.EARLY, Part.MID, Part.LATE)}
    assert [(v.start.day, v.end.day) for v in spans.values()] == [(1, 10), (11, 20), (21, 29)]


def test_old_stored_values_read_and_print_as_before() -> None:
    assert FuzzyDate.from_storage("since:2024").format() == "seit 2024"
    assert FuzzyDate.from_storage("since:2024").qualifier is None
    assert FuzzyDate.from_storage("2025-LATE").format() == "Ende 2025"


@pytest.mark.parametrize(
    "stored",
    [
        "from:2024/2025",
        "by:ongoing",
        "about:every:1/year",
        "from:from:2024",
        "by:since:2024",
        "2025-W54",
        "2025-W53",
        "2025-09-Q1",
        "2025-13-LATE",
        "about:",
    ],
)
def test_impossible_storage_forms_are_refused(stored: str) -> None:
    with pytest.raises(FuzzyDateError):
        FuzzyDate.from_storage(stored)


def test_only_the_whole_value_carries_a_word() -> None:
    with pytest.raises(TypeError):
        FuzzyDate.since(FuzzyDate.of_year(2024).qualified(Qualifier.ABOUT))
    with pytest.raises(TypeError):
        FuzzyDate.ongoing().qualified(Qualifier.BY)
    assert FuzzyDate.since(FuzzyDate.of_year(2024), ab=True).kind is Kind.SINCE


IMPOSSIBLE = [
    ("31.02.2025", "Den 31. Februar gibt es nicht."),
    ("31.2.", "Den 31. Februar gibt es nicht."),
    ("KW 54", "Ein Jahr hat höchstens 53 Kalenderwochen."),
    ("KW 0", "Ein Jahr hat höchstens 53 Kalenderwochen."),
    ("KW 54/2025", "Ein Jahr hat höchstens 53 Kalenderwochen."),
    ("KW 53/2025", "2025 hat nur 52 Kalenderwochen."),
    ("13/2025", "Einen 13. Monat gibt es nicht."),
    ("0. Hälfte", "Ein Jahr hat nur zwei Halbjahre."),
    ("3. Hälfte 2026", "Ein Jahr hat nur zwei Halbjahre."),
    ("KW 2025", "ist als Datum nicht lesbar"),  # not KW 20/2025
    ("KW 540", "Ein Jahr hat höchstens 53 Kalenderwochen."),
    ("bis 2025 - 2027", "„bis“ passt nicht zu"),
    ("bis fortlaufend", "„bis“ passt nicht zu"),
    ("ca. jährlich", "„ca.“ passt nicht zu"),
]


@pytest.mark.parametrize(("text", "reason"), IMPOSSIBLE)
def test_impossible_dates_are_refused_with_a_german_reason(text: str, reason: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_fuzzy_date(text, today=TODAY)
    assert f"„{text}“" in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize("text", ["15.9.", "KW 38", "Ende September", "1. Hälfte"])
def test_a_date_without_its_year_needs_the_reference_day(text: str) -> None:
    with pytest.raises(FuzzyDateError, match="ist als Datum nicht lesbar"):
        parse_fuzzy_date(text)


def test_the_error_offers_examples_that_are_read() -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_fuzzy_date("irgendwann")
    message = str(caught.value)
    assert "Ende 2025" in EXAMPLES
    for example in EXAMPLES:
        assert example in message
        value = parse_fuzzy_date(example)  # no reference day needed
        assert value.format() == example


SUGGESTIONS = [
    ("Setpember 2025", "September 2025"),
    ("Ende Setp 2025", "Ende September 2025"),
    ("Mite 2026", "Mitte 2026"),
    ("Ednde 2025", "Ende 2025"),
    ("vorraussichtlich 2026", "voraussichtlich 2026"),
    ("3. Qartal 2026", "3. Quartal 2026"),
    ("15-9-2025", "15.09.2025"),
    ("15/9/25", "15.09.2025"),
    ("15 9", "15.09.2025"),
    ("im Herbst 2026", "Herbst 2026"),
    ("Ende des Jahres 2025", "Ende 2025"),
    ("2026 Mitte", "Mitte 2026"),
]


@pytest.mark.parametrize(("text", "reading"), SUGGESTIONS)
def test_a_near_reading_is_suggested(text: str, reading: str) -> None:
    with pytest.raises(FuzzyDateError):
        parse_fuzzy_date(text, today=TODAY)
    value = suggest(text, TODAY)
    assert value is not None
    assert value.format() == reading
    offer = FUZZY_DATE_MORE_MESSAGES["did_you_mean"].format(reading=value.format())
    assert offer == f"Meinten Sie „{reading}“?"


@pytest.mark.parametrize(
    "text", ["31.02.2025", "KW 54", "irgendwann", "Foo 2025", "Ende 2025", "15.9.25"]
)
def test_no_suggestion_for_impossible_unreadable_or_readable_text(text: str) -> None:
    assert suggest(text, TODAY) is None


@pytest.mark.parametrize(
    "base",
    [
        "15.09.2025",
        "KW 38/2025",
        "Ende September 2025",
        "September 2025",
        "3. Quartal 2026",
        "2. Halbjahr 2026",
        "Mitte 2026",
        "Herbst 2026",
        "2026",
    ],
)
@pytest.mark.parametrize("word", ["ab", "seit", "ca.", "voraussichtlich", "bis"])
def test_every_word_before_every_simple_value_reads_back(base: str, word: str) -> None:
    value = parse_fuzzy_date(f"{word} {base}")
    assert value.format() == f"{word} {base}"
    assert FuzzyDate.from_storage(value.storage()) == value
    assert value.storage().isascii()


@pytest.mark.parametrize(("text", "stored", "printed"), WORDINGS)
def test_the_importer_reads_each_printed_wording_back(text: str, stored: str, printed: str) -> None:
    """An edition this tool printed can be imported again: the dated list's line start is the
    whole printed date, and the loader reads it to the same value."""
    assert match_date(f"{printed} Beratung im Ausschuss") == (printed, "Beratung im Ausschuss")
    assert parse_fuzzy_date(printed).storage() == stored
