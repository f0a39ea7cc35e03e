"""The half-year cycle: editions are cut off on 1 April and 1 October."""

from __future__ import annotations

from datetime import date

from core.texts import NOT_A_CUTOFF

CUTOFF_MONTHS = (4, 10)


def is_cutoff(day: date) -> bool:
    """True for 1 April and 1 October."""
    return day.day == 1 and day.month in CUTOFF_MONTHS


def require_cutoff(day: date) -> date:
    """Return ``day`` if it is a cutoff date, else raise ValueError with a German message."""
    if not is_cutoff(day):
        raise ValueError(NOT_A_CUTOFF.format(day=day.isoformat()))
    return day


def next_cutoff(day: date) -> date:
    """The first cutoff strictly after ``day``."""
    if day < date(day.year, 4, 1):
        return date(day.year, 4, 1)
    if day < date(day.year, 10, 1):
        return date(day.year, 10, 1)
    return date(day.year + 1, 4, 1)


def previous_cutoff(day: date) -> date:
    """The last cutoff strictly before ``day``."""
    if day > date(day.year, 10, 1):
        return date(day.year, 10, 1)
    if day > date(day.year, 4, 1):
        return date(day.year, 4, 1)
    return date(day.year - 1, 10, 1)
