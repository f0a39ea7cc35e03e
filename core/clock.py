"""Time as a dependency: the one clock type of the house, the real clock, and a fake one for tests.

Core functions take ``now`` as a required argument; the bot, the scheduler and the command line each
hold one :class:`Clock` and pass its ``now()`` in. The scheduler's rate limiter also paces on the
clock (:class:`PacingClock`).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Wall time (aware UTC): what every part asks for "now"."""

    def now(self) -> datetime:
        """The current time, aware UTC."""
        ...


class PacingClock(Clock, Protocol):
    """A :class:`Clock` that also paces: a monotonic counter and sleep, for rate limiting."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """``datetime.now(UTC)``."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """``asyncio.sleep``."""
        await asyncio.sleep(max(seconds, 0.0))


class FakeClock:
    """A clock that moves only when told to, or when someone sleeps on it.

    ``sleep`` advances the time at once (after yielding to the event loop once), so a test runs
    half a year of reminders in seconds and still sees the pauses a rate limiter takes.
    ``slept`` adds up the time that sleeping advanced.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._now = start.astimezone(UTC)
        self._mono = 0.0
        self.slept = 0.0

    def now(self) -> datetime:
        """The fake current time."""
        return self._now

    def monotonic(self) -> float:
        """Seconds advanced since the clock was made."""
        return self._mono

    def timestamp(self) -> float:
        """The fake time as Unix seconds (for the fake Bot API's message dates)."""
        return self._now.timestamp()

    def advance(self, delta: timedelta | float) -> None:
        """Move the clock forward."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        if seconds < 0:
            raise ValueError("time does not go back")
        self._now += timedelta(seconds=seconds)
        self._mono += seconds

    def set(self, moment: datetime) -> None:
        """Jump forward to ``moment``."""
        self.advance(moment.astimezone(UTC) - self._now)

    async def sleep(self, seconds: float) -> None:
        """Advance to ``seconds`` after the call without waiting; sleeps that overlap (several
        tasks sleeping at once) overlap on the fake clock too instead of adding up."""
        target = self._mono + max(seconds, 0.0)
        await asyncio.sleep(0)
        if target > self._mono:
            self.slept += target - self._mono
            self.advance(target - self._mono)
