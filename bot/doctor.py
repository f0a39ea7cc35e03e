"""``nhr doctor``'s Bot API check: ``getMe`` with the bot's own HTTP client (and so its proxy
settings) against the configured API server, with a short timeout."""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

from bot.http import AiohttpRequest
from core.config import Settings
from core.doctor import Check, fail, ok

NAME = "Telegram (getMe)"
TIMEOUT = 5.0


async def check_get_me(settings: Settings) -> Check:
    """The Bot API server answers ``getMe`` for the configured token."""
    token = settings.telegram_bot_token
    if not token:
        return fail(NAME, "übersprungen: kein Bot-Token.", "TELEGRAM_BOT_TOKEN setzen.")
    base = (settings.telegram_api_base_url or "https://api.telegram.org/bot").rstrip("/")
    server = base.removesuffix("/bot")
    request = AiohttpRequest(pool_size=1, read_timeout=TIMEOUT, connect_timeout=TIMEOUT)
    try:
        async with asyncio.timeout(3 * TIMEOUT):
            async with Bot(token, base_url=base, request=request) as bot:
                username = bot.username
    except InvalidToken:
        return fail(NAME, f"{server} lehnt das Bot-Token ab.",
                    "Token bei @BotFather prüfen (/token) und TELEGRAM_BOT_TOKEN neu setzen.")
    except (TimedOut, TimeoutError):
        return fail(NAME, f"{server} antwortet nicht (Zeitüberschreitung).",
                    "Netzwerk, Firewall und Proxy (HTTPS_PROXY) prüfen.")
    except NetworkError as err:
        return fail(NAME, f"{server} nicht erreichbar: {_first_line(err, token)}",
                    "Netzwerk, Firewall und Proxy (HTTPS_PROXY) prüfen.")
    except TelegramError as err:
        return fail(NAME, f"{server} meldet einen Fehler: {_first_line(err, token)}",
                    "TELEGRAM_API_BASE_URL und Token prüfen.")
    return ok(NAME, f"@{username} über {server}.")


def _first_line(err: Exception, token: str) -> str:
    """The error's first line, never with the token (a URL in it may carry it)."""
    text = str(err).strip().replace(token, "***")
    return text.splitlines()[0] if text else type(err).__name__
