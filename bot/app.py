"""The composition root of the bot: one place that wires settings, database, clock and handlers.

Handler order: group -1 is the gate (strangers get the refusal and nothing else); group 0 holds
the feature handlers (:data:`FEATURES`: the coordination from ``bot/coordinator.py``, then the
contact conversation), then the fallbacks that answer everything unhandled.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import importlib.util
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    Defaults,
    ExtBot,
    TypeHandler,
)

from bot import texts
from bot.common.context import CONTEXT_TYPES, AnyHandler, BotContext, BotData, Services
from bot.common.http import AiohttpRequest
from bot.common.logs import api_base_url, keep_out_of_logs
from bot.common.menus import set_coordinator_menus, set_default_menu
from bot.common.sending import KeyboardDrops
from bot.contact.handlers import contact_handlers, fallback_handlers, gate, on_error
from bot.routes import coordinator_handlers
from core.clock import Clock, SystemClock
from core.config import Settings
from core.db import safe_url
from core.render.job import RenderProcesses, engine_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
Feature = Callable[[], list[AnyHandler]]
#: The bot's features by default (``nhr bot``, ``nhr run``, ``python -m bot``), in order: the
#: coordination first, so its commands and the text of its open dialogs come first.
FEATURES: tuple[Feature, ...] = (coordinator_handlers, contact_handlers)

#: The update types the bot asks Telegram for.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
#: Updates processed at the same time (each user's strictly in order). The DB work is
#: synchronous and short; concurrency overlaps the Bot API round trips (about 50 ms to
#: Telegram), which bounds throughput when updates are handled one by one (see bench/).
MAX_CONCURRENT_UPDATES = 8


#: The production clock.
SYSTEM_CLOCK = SystemClock()


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's run strictly one after the other.

    ``on_processed`` (for benchmarks) receives each update's processing time in seconds,
    measured from the moment the user's turn starts until the reply is sent.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        on_processed: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self.on_processed = on_processed

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` while holding the sender's lock."""
        user = update.effective_user if isinstance(update, Update) else None
        key = user.id if user is not None else 0
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                started = time.perf_counter()
                try:
                    await coroutine
                finally:
                    if self.on_processed is not None:
                        self.on_processed(time.perf_counter() - started)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def build_application(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock = SYSTEM_CLOCK,
    *,
    features: Sequence[Feature] = FEATURES,
    max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
    on_processed: Callable[[float], None] | None = None,
    renders: RenderProcesses | None = None,
) -> BotApplication:
    """The bot, wired: token and API server from ``settings``, services in the context.

    Drafts render in child processes (``renders``; by default at most
    ``settings.render_processes`` at once, on the database of ``sessions``, with the publisher
    and fonts of ``settings``).
    """
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    keep_out_of_logs(settings.telegram_bot_token)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerUserUpdateProcessor(max_concurrent_updates, on_processed))
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(pool_size=1))
        .post_init(announce)
    )
    if settings.telegram_api_base_url:
        base_url = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base_url).base_file_url(_file_url(base_url))
    application: BotApplication = builder.build()
    if renders is None:
        renders = RenderProcesses(
            engine_url(sessions.kw["bind"]),
            options=settings.render_options,
            limit=settings.render_processes,
        )
    # the keyboards of replaced screens go in tasks of the application: stopping awaits them
    drops = KeyboardDrops(application.create_task)
    application.bot_data.bind(Services(sessions, clock, settings, renders, drops=drops))
    application.add_handler(TypeHandler(Update, gate), group=-1)
    for feature in features:
        application.add_handlers(feature(), group=0)
    application.add_handlers(fallback_handlers(), group=0)
    application.add_error_handler(on_error)
    return application


def _file_url(base_url: str) -> str:
    """``…/bot`` -> ``…/file/bot`` (how Bot API servers serve files)."""
    root = base_url.removesuffix("/bot")
    return f"{root}/file/bot"


async def announce(application: BotApplication) -> None:
    """Register the command menus and say in the log that the bot is up.

    Everything alive now (modules, mappers, compiled statements and templates) lives as long as
    the process: ``gc.freeze()`` takes it out of the collector's generations, so a full
    collection walks only what the updates allocate (it took 20-60 ms otherwise).
    """
    gc.collect()
    gc.freeze()
    await set_default_menu(application.bot)
    menus = await set_coordinator_menus(application.bot, application.bot_data.services.sessions)
    bot = application.bot
    log.info(
        "bot @%s ready (Bot API %s; coordination menu in %d chat(s))",
        bot.username,
        api_base_url(bot.base_url, bot.token),
        menus,
    )


def run(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    webhook: bool = False,
    clock: Clock = SYSTEM_CLOCK,
    max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
) -> int:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook with ``webhook=True``."""
    application = build_application(
        settings, sessions, clock, max_concurrent_updates=max_concurrent_updates
    )
    if not webhook:
        log.info("starting long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return 0
    if not settings.webhook_url:
        print(texts.CLI_NO_WEBHOOK_URL, file=sys.stderr)
        return 2
    if importlib.util.find_spec("tornado") is None:  # PTB's webhook server
        print(texts.CLI_NO_TORNADO, file=sys.stderr)
        return 2
    run_webhook(application, settings)
    return 0


def run_webhook(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Serve Telegram's webhook until SIGINT/SIGTERM: path from ``WEBHOOK_URL``, secret token
    derived from the bot token (``nhr bot --webhook`` and ``nhr run``)."""
    assert settings.webhook_url is not None
    token = settings.telegram_bot_token or ""
    log.info(
        "starting webhook %s on %s:%s",
        safe_url(settings.webhook_url),
        settings.webhook_listen,
        settings.webhook_port,
    )
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=hashlib.sha256(token.encode()).hexdigest()[:32],
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
