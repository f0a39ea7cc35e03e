"""The collection calendar: working moments, NRW holidays, office hours and the dated plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.schedule import (
    ReminderRule,
    ScheduleConfig,
    add_working_days,
    cutoffs_in_play,
    is_working_day,
    is_working_time,
    parse_reminders,
    plan,
    working_time,
)

BERLIN = ZoneInfo("Europe/Berlin")
CONFIG = ScheduleConfig()
NRW = holidays.country_holidays("DE", subdiv="NW", years=range(2024, 2041))


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """A Berlin wall-clock time as aware UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN).astimezone(UTC)


def as_local(moment: datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%a %d.%m.%Y %H:%M")


def test_april_2026_is_prompted_six_weeks_ahead_with_the_deadline_two_weeks_ahead() -> None:
    cycle = plan(date(2026, 4, 1), CONFIG)
    assert as_local(cycle.window_opens) == "Wed 18.02.2026 09:00"
    assert cycle.deadline == date(2026, 3, 18)
    assert [(r.label, as_local(r.at)) for r in cycle.reminders] == [
        ("r1", "Wed 25.02.2026 09:00"),
        ("r2", "Wed 11.03.2026 09:00"),
        ("r3", "Mon 16.03.2026 09:00"),  # two working days before Wednesday
    ]
    assert as_local(cycle.escalation) == "Thu 19.03.2026 09:00"
    assert as_local(cycle.draft) == "Wed 01.04.2026 09:00"


def test_an_easter_sunday_cutoff_moves_the_draft_past_ostermontag_and_the_deadline() -> None:
    cycle = plan(date(2029, 4, 1), CONFIG)  # Easter Sunday; 02.04.2029 is Ostermontag
    assert as_local(cycle.window_opens) == "Mon 19.02.2029 09:00"  # 18.02. is a Sunday
    assert cycle.deadline == date(2029, 3, 19)  # 18.03. is a Sunday (§ 193 BGB)
    assert [as_local(r.at) for r in cycle.reminders] == [
        "Mon 26.02.2029 09:00",
        "Mon 12.03.2029 09:00",
        "Thu 15.03.2029 09:00",
    ]
    assert as_local(cycle.escalation) == "Tue 20.03.2029 09:00"
    assert as_local(cycle.draft) == "Tue 03.04.2029 09:00"


def test_a_window_that_opens_on_fronleichnam_prompts_on_the_friday_after() -> None:
    config = ScheduleConfig(window_before=timedelta(weeks=17))
    cycle = plan(date(2026, 10, 1), config)  # 17 weeks before: Thursday 04.06.2026
    assert as_local(cycle.window_opens) == "Fri 05.06.2026 09:00"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 4, 3, 10), "Tue 07.04.2026 08:00"),  # Karfreitag, weekend, Ostermontag
        (local(2026, 6, 4, 9), "Fri 05.06.2026 08:00"),  # Fronleichnam
        (local(2027, 11, 1, 12), "Tue 02.11.2027 08:00"),  # Allerheiligen (a Monday)
        (local(2026, 10, 2, 17), "Mon 05.10.2026 08:00"),  # Friday 17:00 is closing time
        (local(2026, 3, 10, 7, 59), "Tue 10.03.2026 08:00"),  # before office hours
        (local(2026, 3, 10, 16, 59), "Tue 10.03.2026 16:59"),  # within office hours
        (local(2026, 3, 14, 9), "Mon 16.03.2026 08:00"),  # Saturday
        (local(2026, 12, 24, 18), "Mon 28.12.2026 08:00"),  # Christmas days, then weekend
    ],
)
def test_working_time_moves_to_the_next_working_moment(moment: datetime, expected: str) -> None:
    assert as_local(working_time(moment, CONFIG)) == expected


def test_working_days_count_across_holidays() -> None:
    # Two working days before Tuesday after Easter 2026: Thursday 02.04. and Wednesday 01.04.
    assert add_working_days(date(2026, 4, 7), -2, CONFIG) == date(2026, 4, 1)
    assert add_working_days(date(2026, 4, 2), 1, CONFIG) == date(2026, 4, 7)
    assert not is_working_day(date(2026, 6, 4), CONFIG)  # Fronleichnam is an NRW holiday
    assert is_working_day(date(2026, 10, 31), CONFIG) is False  # a Saturday
    assert is_working_day(date(2027, 10, 29), CONFIG)  # Reformationstag is no NRW holiday


def test_extra_closed_days_count_like_holidays() -> None:
    config = ScheduleConfig(extra_closed_days=frozenset({date(2026, 2, 18)}))
    assert as_local(plan(date(2026, 4, 1), config).window_opens) == "Thu 19.02.2026 09:00"


def test_a_reminder_that_would_fall_on_a_later_reminders_day_is_dropped() -> None:
    config = ScheduleConfig(reminders=parse_reminders("1w,5d,2wd"))
    cycle = plan(date(2026, 4, 1), config)
    # 1w: 11.03., 5d: Friday 13.03., 2wd: Monday 16.03. – all distinct, all kept
    assert [as_local(r.at)[:14] for r in cycle.reminders] == [
        "Wed 11.03.2026",
        "Fri 13.03.2026",
        "Mon 16.03.2026",
    ]
    same_day = plan(date(2026, 4, 1), ScheduleConfig(reminders=parse_reminders("2d,2wd")))
    # 2 calendar days before Wednesday 18.03. is Monday 16.03., as is 2 working days
    assert [(r.label, as_local(r.at)) for r in same_day.reminders] == [
        ("r1", "Mon 16.03.2026 09:00")
    ]


def test_reminder_rules_read_and_print_their_short_form() -> None:
    rules = parse_reminders(" 3w, 10d ,2wd")
    assert rules == (ReminderRule(days=21), ReminderRule(days=10), ReminderRule(working_days=2))
    assert [r.spec() for r in rules] == ["3w", "10d", "2wd"]
    assert parse_reminders("") == ()
    with pytest.raises(ValueError, match="keine gültige Erinnerung"):
        ReminderRule.parse("drei Wochen")


def test_configuration_rejects_a_send_time_outside_office_hours() -> None:
    with pytest.raises(ValueError):
        ScheduleConfig(send_time=time(18))
    with pytest.raises(ValueError):
        ScheduleConfig(deadline_before=timedelta(weeks=8))


def test_only_cutoffs_are_planned() -> None:
    with pytest.raises(ValueError, match="kein Stichtag"):
        plan(date(2026, 5, 1), CONFIG)


def test_the_due_check_looks_after_the_last_and_the_next_cutoff() -> None:
    assert cutoffs_in_play(local(2026, 4, 1, 9), CONFIG) == (date(2026, 4, 1), date(2026, 10, 1))
    assert cutoffs_in_play(local(2026, 3, 31, 23), CONFIG) == (
        date(2025, 10, 1),
        date(2026, 4, 1),
    )


moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)


@given(moments)
def test_working_time_is_a_working_moment_not_before_and_stable(moment: datetime) -> None:
    shifted = working_time(moment, CONFIG)
    assert shifted >= moment
    assert is_working_time(shifted, CONFIG)
    assert working_time(shifted, CONFIG) == shifted
    local_shifted = shifted.astimezone(BERLIN)
    assert local_shifted.weekday() < 5 and local_shifted.date() not in NRW
    assert time(8) <= local_shifted.time() < time(17)


@settings(max_examples=60)
@given(st.integers(min_value=2024, max_value=2040), st.sampled_from([4, 10]))
def test_every_planned_moment_is_a_working_moment_in_order(year: int, month: int) -> None:
    cycle = plan(date(year, month, 1), CONFIG)
    moments_ = list(cycle.moments())
    for moment in moments_:
        local_moment = moment.astimezone(BERLIN)
        assert local_moment.weekday() < 5 and local_moment.date() not in NRW
        assert local_moment.time() == time(9)
    assert moments_ == sorted(moments_)
    assert cycle.reminders[-1].at < cycle.deadline_ends <= cycle.escalation <= cycle.draft
    assert len(cycle.reminders) == 3
