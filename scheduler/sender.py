"""Sending claimed notifications through the Bot API, within Telegram's limits.

Each message: wait for a rate-limiter slot, send, and record the outcome in its own short
transaction (see :mod:`core.notifications` for why that gives at-least-once with a window of
one in-flight message). 429 answers pause everyone for ``retry_after`` and the message is
retried; a contact who blocked the bot (403) is marked unreachable and the coordinators hear
about it; other errors leave the claim in place for a retry after the lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter

from chat.buttons import open_button
from core.clock import PacingClock
from core.db import unit_of_work
from core.notifications import (
    LEASE,
    DueMessage,
    Kind,
    mark_failed,
    mark_part_sent,
    mark_sent,
    mark_unreachable,
    release,
)
from core.schedule import ScheduleConfig, is_working_time
from scheduler import texts
from scheduler.documents import Document, DraftDocuments
from scheduler.ratelimit import RateLimiter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 5  # 429 answers tolerated per API call before the message counts as failed


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: list[str] = field(default_factory=list)  # notification keys
    failed: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    retry_after_seconds: float = 0.0

    def merge(self, other: DeliveryReport) -> None:
        """Add ``other``'s counts to this report."""
        self.sent += other.sent
        self.failed += other.failed
        self.unreachable += other.unreachable
        self.released += other.released
        self.retry_after_seconds += other.retry_after_seconds


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    """Delivers claimed notifications with a shared rate limiter and a few concurrent workers."""

    def __init__(
        self,
        bot: Bot,
        sessions: sessionmaker[Session],
        clock: PacingClock,
        config: ScheduleConfig,
        drafts: DraftDocuments,
        *,
        limiter: RateLimiter | None = None,
        workers: int = 8,
        lease: timedelta = LEASE,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._clock = clock
        self._config = config
        self._drafts = drafts
        self.limiter = limiter or RateLimiter(clock)
        self._workers = workers
        # Stop sending a claimed row well before its lease ends: after that another process
        # may claim and send it too.
        self._send_within = lease * 0.8

    async def deliver(self, messages: Sequence[DueMessage]) -> DeliveryReport:
        """Send ``messages`` (claimed by this process) and record each outcome."""
        report = DeliveryReport()
        paused_before = self.limiter.paused_seconds
        gate = asyncio.Semaphore(self._workers)

        async def one(message: DueMessage) -> None:
            async with gate:
                await self._deliver_one(message, report)

        async with asyncio.TaskGroup() as group:
            for message in messages:
                group.create_task(one(message))
        report.retry_after_seconds = self.limiter.paused_seconds - paused_before
        return report

    async def _deliver_one(self, message: DueMessage, report: DeliveryReport) -> None:
        now = self._clock.now()
        if now - message.claimed_at >= self._send_within or not is_working_time(now, self._config):
            with unit_of_work(self._sessions) as session:
                release(session, [message.id])
            report.released.append(message.key)
            return
        try:
            calls = await self._calls(message)
            done = int(message.payload.get("parts_sent", 0))
            for n, call in enumerate(calls[done:], start=done + 1):
                await self._call_with_retries(message.chat_id, call)
                if n < len(calls):
                    with unit_of_work(self._sessions) as session:
                        mark_part_sent(session, message.id, n)
        except Forbidden as exc:
            log.warning("%s: contact %s blocked the bot", message.key, message.contact_id)
            with unit_of_work(self._sessions) as session:
                mark_unreachable(session, message, self._clock.now(), f"Forbidden: {exc}")
            report.unreachable.append(message.key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure is recorded and retried after the lease
            log.warning("%s: sending failed: %r", message.key, exc)
            with unit_of_work(self._sessions) as session:
                mark_failed(session, message.id, f"{type(exc).__name__}: {exc}")
            report.failed.append(message.key)
        else:
            with unit_of_work(self._sessions) as session:
                mark_sent(session, message.id, self._clock.now())
            report.sent.append(message.key)

    async def _call_with_retries(self, chat_id: int, call: Callable[[], Awaitable[Any]]) -> None:
        for attempt in range(MAX_RETRY_AFTER + 1):
            try:
                async with self.limiter.slot(chat_id):
                    await call()
                return
            except RetryAfter as exc:
                if attempt == MAX_RETRY_AFTER:
                    raise
                self.limiter.pause(_seconds(exc.retry_after))

    async def _calls(self, message: DueMessage) -> list[Callable[[], Awaitable[Any]]]:
        """The Bot API calls that make up ``message``, in order."""
        p, chat, cutoff, bot = message.payload, message.chat_id, message.cutoff, self._bot
        if message.kind is Kind.PROMPT:
            today = self._clock.now().astimezone(self._config.tz).date()
            text = texts.prompt(
                message.contact_name,
                cutoff,
                p["departments"],
                date.fromisoformat(p["deadline"]),
                today,
            )
            return [_text_call(bot, chat, text, open_button())]
        if message.kind is Kind.REMINDER:
            text = texts.reminder(
                message.contact_name,
                cutoff,
                p["departments"],
                date.fromisoformat(p["deadline"]),
                last=bool(p.get("last")),
            )
            return [_text_call(bot, chat, text, open_button())]
        if message.kind is Kind.ESCALATION:
            text = texts.escalation(cutoff, date.fromisoformat(p["deadline"]), p["departments"])
            return [_text_call(bot, chat, text)]
        if message.kind is Kind.ALERT:
            return [_text_call(bot, chat, texts.alert(p, self._config.tz))]
        if message.kind is Kind.UNREACHABLE:
            return [_text_call(bot, chat, texts.unreachable(p["contact_name"], p["departments"]))]
        if message.kind is Kind.DRAFT:
            text = texts.draft(cutoff, p["missing"], int(p["awaiting_approval"]))
            documents = await self._drafts.documents(cutoff)
            return [_text_call(bot, chat, text)] + [
                _document_call(bot, chat, doc) for doc in documents
            ]
        raise ValueError(f"unknown notification kind {message.kind!r}")


def _text_call(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Callable[[], Awaitable[Any]]:
    # Plain text: explicitly no parse mode, whatever the bot's defaults say (HTML).
    return lambda: bot.send_message(chat_id, text, reply_markup=markup, parse_mode=None)


def _document_call(bot: Bot, chat_id: int, doc: Document) -> Callable[[], Awaitable[Any]]:
    return lambda: bot.send_document(
        chat_id, doc.content, filename=doc.filename, disable_content_type_detection=True
    )
