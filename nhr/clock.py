"""The command line's one clock: every ``nhr`` command asks :func:`now` for the time.

Core functions take ``now`` as a required argument; the commands pass :func:`now` in. Tests
replace :data:`CLOCK` (``monkeypatch.setattr(nhr.clock, "CLOCK", FakeClock(moment))``) to run
every command on a fixed moment; ``nhr schedule`` runs the scheduler on this clock too.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import PacingClock, SystemClock

#: The clock of every ``nhr`` command (aware UTC).
CLOCK: PacingClock = SystemClock()


def now() -> datetime:
    """The current time of :data:`CLOCK`, aware UTC."""
    return CLOCK.now()
