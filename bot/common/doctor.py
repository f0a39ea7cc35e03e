"""``nhr doctor``'s Bot API check: ``getMe`` with the bot's own HTTP client (and so its proxy
settings) against the configured API server, with a short timeout."""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

from bot import texts
from bot.common.http import AiohttpRequest
from core.config import Settings
from core.doctor import Check, fail, ok

NAME = "Telegram (getMe)"
TIMEOUT = 5.0


async def check_get_me(settings: Settings) -> Check:
    """The Bot API server answers ``getMe`` for the configured token."""
    token = settings.telegram_bot_token
    if not token:
        return fail(NAME, texts.DOCTOR_NO_TOKEN, texts.DOCTOR_NO_TOKEN_FIX)
    base = (settings.telegram_api_base_url or "https://api.telegram.org/bot").rstrip("/")
    server = base.removesuffix("/bot")
    request = AiohttpRequest(pool_size=1, read_timeout=TIMEOUT, connect_timeout=TIMEOUT)
    try:
        async with asyncio.timeout(3 * TIMEOUT):
            async with Bot(token, base_url=base, request=request) as bot:
                username = bot.username
    except InvalidToken:
        return fail(NAME, texts.DOCTOR_TOKEN_REFUSED.format(server=server), texts.DOCTOR_TOKEN_FIX)
    except (TimedOut, TimeoutError):
        return fail(NAME, texts.DOCTOR_TIMEOUT.format(server=server), texts.DOCTOR_NETWORK_FIX)
    except NetworkError as err:
        reason = _first_line(err, token)
        return fail(
            NAME,
            texts.DOCTOR_UNREACHABLE.format(server=server, reason=reason),
            texts.DOCTOR_NETWORK_FIX,
        )
    except TelegramError as err:
        reason = _first_line(err, token)
        return fail(
            NAME, texts.DOCTOR_FAILED.format(server=server, reason=reason), texts.DOCTOR_FAILED_FIX
        )
    return ok(NAME, texts.DOCTOR_OK.format(username=username, server=server))


def _first_line(err: Exception, token: str) -> str:
    """The error's first line, never with the token (a URL in it may carry it)."""
    text = str(err).strip().replace(token, "***")
    return text.splitlines()[0] if text else type(err).__name__
