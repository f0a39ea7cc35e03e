"""Logging without the bot token.

The token is part of every Bot API URL (``https://api.telegram.org/bot<token>/getMe``), and
libraries log URLs and errors: httpx logs each request's URL at INFO, python-telegram-bot puts
a rejected token into its error message. Whoever reads the log could then act as the bot.

:func:`keep_out_of_logs` installs a log record factory (once per process) that replaces the
token, and anything shaped like ``bot<digits>:<secret>``, with ``<digits>:***`` in every
record's message and traceback, before any handler sees it: the console, a file, a test's
``caplog``, whatever the level. :func:`hide_token` does the same for a single text.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

#: A token in a Bot API URL, or on its own: the bot's id, a colon, the secret.
_TOKEN_SHAPE = re.compile(r"(?<![\w-])(bot)?(\d{3,}):[A-Za-z0-9_-]{20,}|(/bot)(\d+):[^/\s]+")
_tokens: set[str] = set()
_lock = threading.Lock()
_previous_factory: Any = None


def hide_token(text: str) -> str:
    """``text`` with every known token, and anything that looks like one, made unreadable."""
    for token in _tokens:
        if token in text:
            text = text.replace(token, _masked(token))
    if ":" in text:
        text = _TOKEN_SHAPE.sub(_mask_match, text)
    return text


def api_base_url(base_url: str, token: str) -> str:
    """A Bot API URL as python-telegram-bot builds it (``…/bot<token>``) without the token."""
    return base_url.replace(token, "")


def keep_out_of_logs(token: str | None) -> None:
    """From now on no log record of this process shows ``token`` (or another token)."""
    global _previous_factory
    with _lock:
        if token:
            _tokens.add(token)
        if _previous_factory is None:
            _previous_factory = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_record)


def _record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record: logging.LogRecord = _previous_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a broken format: the handler reports it as usual
        return record
    clean = hide_token(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # handlers use exc_text when it is set, so the traceback they print is the clean one
        record.exc_text = hide_token(logging.Formatter().formatException(record.exc_info))
    return record


def _masked(token: str) -> str:
    bot_id, _, _ = token.partition(":")
    return f"{bot_id}:***"


def _mask_match(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return f"{match.group(1) or ''}{match.group(2)}:***"
    return f"{match.group(3)}{match.group(4)}:***"
