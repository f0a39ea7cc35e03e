"""What the bot process keeps of the rounds of hand-ins it announces to the coordinators.

The process is the only sender (:mod:`core.instance`), so it knows best which message shows
each coordinator a round: the ledger learns it only after the sending (:mod:`core.notifications`),
and a contact's next hand-in may be claimed before that. :class:`Rounds` holds one lock per
round, so that its hand-ins go out one after the other, and each coordinator's copy as last
sent, so that the next hand-in edits that message instead of sending another.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Final

#: Rounds whose copies are kept (the oldest are forgotten first; only rounds being sent need
#: to be known, the ledger has the others).
KEPT: Final = 4096


class Rounds:
    """Per round key: a lock while its hand-ins are sent, and the copies last sent."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._copies: OrderedDict[str, dict[int, tuple[int, int]]] = OrderedDict()

    @contextlib.asynccontextmanager
    async def sending(self, key: str) -> AsyncIterator[None]:
        """Hold the round ``key`` while its hand-ins go out (in the order they asked)."""
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users > 1:
                self._locks[key] = (lock, users - 1)
            else:  # nobody waits for it: the lock goes with the last one
                del self._locks[key]

    def copies(self, key: str) -> dict[int, tuple[int, int]]:
        """Per coordinator id, (chat, message) of the round's copy as this process last sent it
        (empty: not sent since the process started, or long ago)."""
        return dict(self._copies.get(key) or {})

    def sent(self, key: str, copies: dict[int, tuple[int, int]]) -> None:
        """Note the copies of the round ``key`` as just sent."""
        self._copies[key] = dict(copies)
        self._copies.move_to_end(key)
        while len(self._copies) > self._kept:
            self._copies.popitem(last=False)
