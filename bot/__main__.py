"""``python -m bot``: run the bot with the settings from the environment (like ``nhr bot``).

This is a composition root, as ``nhr`` is: the settings are read here, once, and handed down.
"""

from __future__ import annotations

import argparse

from bot.app import MAX_CONCURRENT_UPDATES, run
from core.config import Settings
from core.db import make_engine, make_session_factory
from core.logs import configure_logging


def main() -> int:
    """Long polling, or ``--webhook``."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    parser.add_argument("--webhook", action="store_true")
    parser.add_argument("--concurrency", type=int, default=MAX_CONCURRENT_UPDATES)
    args = parser.parse_args()
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    sessions = make_session_factory(make_engine(settings.database_url))
    return run(settings, sessions, webhook=args.webhook, max_concurrent_updates=args.concurrency)


if __name__ == "__main__":
    raise SystemExit(main())
