"""Display of dates and times: stored in UTC, shown in Europe/Berlin, formatted by Babel."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

LOCALE = "de_DE"
BERLIN = ZoneInfo("Europe/Berlin")
DAY_PATTERN = "dd.MM.yyyy"


@lru_cache(maxsize=4096)
def format_day(day: date) -> str:
    """``01.04.2025`` (cached: a website formats the same few days thousands of times)."""
    return format_date(day, DAY_PATTERN, locale=LOCALE)


def format_day_long(day: date) -> str:
    """``1. April 2025``."""
    return format_date(day, "long", locale=LOCALE)


def format_local(moment: datetime, tz: ZoneInfo = BERLIN) -> str:
    """An aware UTC timestamp as local German date and time: ``01.04.2025, 09:30``."""
    return format_datetime(moment.astimezone(tz), "dd.MM.yyyy, HH:mm", tzinfo=tz, locale=LOCALE)
