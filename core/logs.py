"""Logging, configured in one place for every long-running command (``nhr run``, ``nhr bot``).

One line per event, as text (``LOG_FORMAT=text``, the default; journald adds the time
itself, but a file or a terminal needs it) or as one JSON object per line (``LOG_FORMAT=json``:
``time``, ``level``, ``logger``, ``message`` and any ``extra`` fields, for a log collector).

What is logged at INFO names users by their Telegram id and steps by their label; never a
token, a password or the text of a message.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: Loggers that say too much at INFO (every HTTP request, each getUpdates cycle).
NOISY = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler")

#: The attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:  # exc_text if set: bot.logs leaves a traceback there without tokens
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Log to stderr at ``level``, as ``text`` or ``json``; the chatty libraries only from
    WARNING on."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
