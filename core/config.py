"""Typed configuration from environment variables and an optional ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("nhr.sqlite3")


class Settings(BaseSettings):
    """All settings of the application. Every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL; SQLite by default, PostgreSQL in production.",
    )
    telegram_bot_token: str | None = Field(default=None, description="Token from @BotFather.")
    telegram_api_base_url: str | None = Field(
        default=None, description="Base URL of a self-hosted Bot API server (…/bot)."
    )
    telegram_bot_username: str = Field(
        default="nhr_kreis_soest_bot", description="Used to build t.me invitation links."
    )
    webhook_url: str | None = Field(default=None, description="Public URL for webhook mode.")
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    timezone: str = Field(default="Europe/Berlin", description="Time zone for display.")
    locale: str = "de_DE"
    output_dir: Path = Path("out")
    render_processes: int = Field(
        default=2, description="Drafts rendered at once by the bot, each in a process of its own."
    )
    log_level: str = "INFO"

    @property
    def tz(self) -> ZoneInfo:
        """The display time zone."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
