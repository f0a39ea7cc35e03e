"""Running a python-telegram-bot Application against the fake Bot API, quickly.

Polling uses a short long-poll timeout so that starting and stopping take milliseconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application


@asynccontextmanager
async def polling(
    application: Application[Any, Any, Any, Any, Any, Any], *, long_poll_seconds: int = 1
) -> AsyncIterator[None]:
    """Initialize and start ``application`` and poll for updates until the block ends."""
    updater = application.updater
    if updater is None:
        raise ValueError("the application was built without an updater")
    async with application:
        await application.start()
        await updater.start_polling(
            poll_interval=0, timeout=long_poll_seconds, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield
        finally:
            await updater.stop()
            await application.stop()
