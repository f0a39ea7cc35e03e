"""The collection calendar of an edition: pure date arithmetic, no database, no clock.

Before every cutoff (01.04. and 01.10.) the collection window opens with a prompt to the
department contacts, reminders follow, the submission deadline passes, the coordinators hear
about overdue departments, and at the cutoff they receive the draft. :func:`plan` turns a
cutoff and a :class:`ScheduleConfig` into those moments as aware UTC datetimes.

Rules:

* Every message goes out at a *working moment*: a weekday that is not a public holiday in
  North Rhine-Westphalia (``holidays.Germany(subdiv="NW")``: Karfreitag, Ostermontag,
  Fronleichnam, Allerheiligen ...), within office hours (default 8–17 Uhr Europe/Berlin).
  A moment outside is moved forward to the next working moment (:func:`working_time`).
* Planned messages go out at ``send_time`` (default 9:00) of their day.
* The submission deadline is ``deadline_before`` the cutoff; if that day is not a working
  day it moves to the next working day (as a German legal deadline does, § 193 BGB).
* Reminders count back from that deadline: in calendar days (moved forward to a working
  day) or in working days. A reminder that would fall on the same day as a later reminder
  (or on the deadline day or after it) is dropped, so nobody is reminded twice in a day.
* The escalation goes to the coordinators on the first working day after the deadline, the
  draft on the cutoff day (or the next working day).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from core.cycle import next_cutoff, previous_cutoff, require_cutoff
from core.texts import BAD_REMINDER

_REMINDER_SPEC = re.compile(r"^\s*(\d+)\s*(wd|w|d)\s*$")


@dataclass(frozen=True)
class ReminderRule:
    """How long before the deadline a reminder goes out: calendar days or working days."""

    days: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        if (self.days > 0) == (self.working_days > 0) or min(self.days, self.working_days) < 0:
            raise ValueError("a reminder rule needs either days or working_days, positive")

    @classmethod
    def parse(cls, spec: str) -> ReminderRule:
        """``3w`` (weeks), ``5d`` (calendar days) or ``2wd`` (working days)."""
        match = _REMINDER_SPEC.match(spec)
        if match is None:
            raise ValueError(BAD_REMINDER.format(spec=spec))
        amount, unit = int(match.group(1)), match.group(2)
        if unit == "wd":
            return cls(working_days=amount)
        return cls(days=amount * 7 if unit == "w" else amount)

    def spec(self) -> str:
        """The short form :meth:`parse` reads."""
        if self.working_days:
            return f"{self.working_days}wd"
        return f"{self.days // 7}w" if self.days % 7 == 0 else f"{self.days}d"


def parse_reminders(text: str) -> tuple[ReminderRule, ...]:
    """A comma-separated list such as ``3w,1w,2wd``; empty text means no reminders."""
    return tuple(ReminderRule.parse(part) for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class ScheduleConfig:
    """When the collection of an edition happens; defaults are the county's agreed cycle."""

    window_before: timedelta = timedelta(weeks=6)
    deadline_before: timedelta = timedelta(weeks=2)
    reminders: tuple[ReminderRule, ...] = (
        ReminderRule(days=21),
        ReminderRule(days=7),
        ReminderRule(working_days=2),
    )
    office_start: time = time(8, 0)
    office_end: time = time(17, 0)
    send_time: time = time(9, 0)
    timezone: str = "Europe/Berlin"
    subdivision: str = "NW"
    extra_closed_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.office_start < self.office_end:
            raise ValueError("office hours must start before they end")
        if not self.office_start <= self.send_time < self.office_end:
            raise ValueError("the send time must lie within office hours")
        if not timedelta(0) < self.deadline_before < self.window_before:
            raise ValueError("the window must open before the deadline, which precedes the cutoff")

    @property
    def tz(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=8)
def _public_holidays(subdivision: str) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=subdivision)


def is_working_day(day: date, config: ScheduleConfig) -> bool:
    """Monday to Friday, not a public holiday of the subdivision, not an extra closed day."""
    return (
        day.weekday() < 5
        and day not in _public_holidays(config.subdivision)
        and day not in config.extra_closed_days
    )


def is_working_time(moment: datetime, config: ScheduleConfig) -> bool:
    """Whether ``moment`` (aware) lies on a working day within office hours, local time."""
    local = _aware(moment).astimezone(config.tz)
    return (
        is_working_day(local.date(), config)
        and config.office_start <= local.time() < config.office_end
    )


def next_working_day(day: date, config: ScheduleConfig) -> date:
    """``day`` if it is a working day, else the next one."""
    while not is_working_day(day, config):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int, config: ScheduleConfig) -> date:
    """The working day ``count`` working days after (negative: before) ``day``."""
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day, config):
            remaining -= 1
    return day


def working_time(moment: datetime, config: ScheduleConfig) -> datetime:
    """The first working moment at or after ``moment``, as aware UTC."""
    local = _aware(moment).astimezone(config.tz)
    day, clock_time = local.date(), local.time()
    if is_working_day(day, config) and clock_time < config.office_end:
        if clock_time >= config.office_start:
            return local.astimezone(UTC)
        return _at(day, config.office_start, config)
    return _at(next_working_day(day + timedelta(days=1), config), config.office_start, config)


def _at(day: date, clock_time: time, config: ScheduleConfig) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=config.tz).astimezone(UTC)


def send_moment(day: date, config: ScheduleConfig) -> datetime:
    """``send_time`` on ``day``, or on the next working day, as aware UTC."""
    return _at(next_working_day(day, config), config.send_time, config)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder slot: its label in notification keys (``r1``...) and when it goes out."""

    label: str
    at: datetime
    rule: ReminderRule


@dataclass(frozen=True)
class CyclePlan:
    """The dated collection plan of one edition; every moment is aware UTC."""

    cutoff: date
    window_opens: datetime  # the prompt goes out
    reminders: tuple[PlannedReminder, ...]
    deadline: date  # last day to submit, in the office's calendar
    deadline_ends: datetime  # midnight after the deadline day
    escalation: datetime  # overdue departments to the coordinators
    collection_ends: datetime  # midnight before the cutoff day: prompts and reminders stop
    draft: datetime  # the draft to the coordinators

    def reminder_valid_until(self, index: int) -> datetime:
        """A reminder is worth sending until the next one (or the deadline's end) is due."""
        if index + 1 < len(self.reminders):
            return self.reminders[index + 1].at
        return self.deadline_ends

    def moments(self) -> Iterator[datetime]:
        """Every planned send moment, in time order."""
        yield self.window_opens
        yield from (r.at for r in self.reminders)
        yield self.escalation
        yield self.draft


@lru_cache(maxsize=64)
def plan(cutoff: date, config: ScheduleConfig) -> CyclePlan:
    """The collection plan of the edition at ``cutoff`` (a 01.04. or 01.10.).

    Pure and immutable, so it is computed once per edition and calendar (the due-check asks
    for it every minute)."""
    require_cutoff(cutoff)
    deadline = next_working_day(cutoff - config.deadline_before, config)
    window_day = cutoff - config.window_before
    reminders: list[PlannedReminder] = []
    for rule in config.reminders:
        if rule.working_days:
            day = add_working_days(deadline, -rule.working_days, config)
        else:
            day = next_working_day(deadline - timedelta(days=rule.days), config)
        reminders.append(PlannedReminder("", send_moment(day, config), rule))
    reminders.sort(key=lambda r: r.at)
    window_opens = send_moment(window_day, config)
    kept: list[PlannedReminder] = []
    for i, reminder in enumerate(reminders):
        day = _local_day(reminder.at, config)
        later_same_day = any(_local_day(r.at, config) == day for r in reminders[i + 1 :])
        if later_same_day or day >= deadline or reminder.at <= window_opens:
            continue
        kept.append(reminder)
    labelled = tuple(PlannedReminder(f"r{n}", r.at, r.rule) for n, r in enumerate(kept, start=1))
    return CyclePlan(
        cutoff=cutoff,
        window_opens=window_opens,
        reminders=labelled,
        deadline=deadline,
        deadline_ends=datetime.combine(
            deadline + timedelta(days=1), time(0), tzinfo=config.tz
        ).astimezone(UTC),
        escalation=send_moment(deadline + timedelta(days=1), config),
        collection_ends=datetime.combine(cutoff, time(0), tzinfo=config.tz).astimezone(UTC),
        draft=send_moment(cutoff, config),
    )


def _local_day(moment: datetime, config: ScheduleConfig) -> date:
    return moment.astimezone(config.tz).date()


def cutoffs_in_play(now: datetime, config: ScheduleConfig) -> tuple[date, ...]:
    """The editions a due-check at ``now`` looks after: the last cutoff (its draft may still be
    due) and the next one (its collection may be under way)."""
    today = _local_day(_aware(now), config)
    last = today if today.day == 1 and today.month in (4, 10) else previous_cutoff(today)
    return (last, next_cutoff(today))
