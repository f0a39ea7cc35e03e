"""Telegram's send limits: about 30 messages a second overall and one a second per chat.

The limiter spaces sends evenly instead of letting bursts through, and checks the actual start
times of the latest sends, so that no window of one second (as Telegram counts, on arrival)
ever holds more than the limit; ``safety`` widens the spacing a little to absorb network jitter
between our clock and Telegram's. A 429 answer
pauses every sender for its ``retry_after``.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.clock import PacingClock

OVERALL_PER_SECOND = 30.0
PER_CHAT_SECONDS = 1.0
SAFETY = 0.02


class RateLimiter:
    """Spaces sends: ``overall_per_second`` overall, one per ``per_chat_seconds`` per chat."""

    def __init__(
        self,
        clock: PacingClock,
        *,
        overall_per_second: float = OVERALL_PER_SECOND,
        per_chat_seconds: float = PER_CHAT_SECONDS,
        safety: float = SAFETY,
    ) -> None:
        self._clock = clock
        self._interval = (1.0 + safety) / overall_per_second
        self._burst = max(int(overall_per_second), 1)
        self._window = 1.0 + safety
        self._recent: deque[float] = deque(maxlen=self._burst)  # starts of the latest sends
        self._chat_interval = per_chat_seconds * (1.0 + safety)
        self._next = -math.inf
        self._paused_until = -math.inf
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_last: dict[int, float] = {}
        self.paused_seconds = 0.0  # total retry_after pauses, for reports and benchmarks

    @asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a message to ``chat_id`` may go out; send it inside the block.

        Sends to one chat are serialised, so the per-chat spacing holds between the starts of
        consecutive requests even when several tasks write to the same chat.
        """
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            last = self._chat_last.get(chat_id, -math.inf)
            wait = last + self._chat_interval - self._clock.monotonic()
            if wait > 0:
                await self._clock.sleep(wait)
            await self._overall_slot()
            self._chat_last[chat_id] = self._clock.monotonic()
            yield
        self._forget_idle_chats()

    async def _overall_slot(self) -> None:
        while True:
            now = self._clock.monotonic()
            start = max(now, self._next, self._paused_until)
            self._next = start + self._interval
            if start > now:
                await self._clock.sleep(start - now)
            if self._clock.monotonic() < self._paused_until:
                continue
            # The hard limit on actual start times: a task that woke late (a busy event loop)
            # must not squeeze into a second that already holds the limit.
            now = self._clock.monotonic()
            if len(self._recent) == self._burst and now - self._recent[0] < self._window - 1e-9:
                self._next = max(self._next, self._recent[0] + self._window)
                continue
            self._recent.append(now)
            return

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nobody sends for ``seconds``."""
        until = self._clock.monotonic() + seconds
        if until > self._paused_until:
            self.paused_seconds += until - max(self._paused_until, self._clock.monotonic())
            self._paused_until = until

    def _forget_idle_chats(self) -> None:
        if len(self._chat_last) < 10_000:
            return
        horizon = self._clock.monotonic() - self._chat_interval
        for chat_id in [c for c, t in self._chat_last.items() if t < horizon]:
            lock = self._chat_locks.get(chat_id)
            if lock is None or not lock.locked():
                self._chat_last.pop(chat_id, None)
                self._chat_locks.pop(chat_id, None)
