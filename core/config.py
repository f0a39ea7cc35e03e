"""Typed configuration from environment variables and an optional ``.env`` file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("nhr.sqlite3")


@dataclass(frozen=True)
class Publisher:
    """Who publishes the report: used by the report, the website, the bot and the CLI."""

    name: str  # "Kreis Soest"
    genitive: str  # "des Kreises Soest"
    url: str  # the publisher's web address
    logo: Path | None  # an image file shown in the website's header
    accent: str  # CSS colour of the website's accents


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
    backup_dir: Path = Field(
        default=Path("backups"),
        description="Restore points (nhr undo) and the daily backups of nhr run.",
    )
    backup_keep_days: int = Field(default=14, ge=1, description="Days of daily backups kept.")
    restore_points_keep: int = Field(default=20, ge=1, description="Restore points kept.")
    font_dirs: str | None = Field(
        default=None,
        description="Folders of the PDF's fonts (separated by ':'); unset: the system's fonts.",
    )
    auto_migrate: bool = Field(
        default=True,
        description="Update the schema on start; false: refuse until `nhr db upgrade` ran.",
    )
    health_port: int = Field(
        default=8081, description="Port of GET /healthz in webhook mode (0: none)."
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines as text or as one JSON object each."
    )
    render_processes: int = Field(
        default=2, description="Drafts rendered at once by the bot, each in a process of its own."
    )
    log_level: str = "INFO"
    retention_days_after_round: int = Field(
        default=90, ge=0,
        description="Days after a round's cutoff until its conversation state and messages go.",
    )
    publisher_name: str = Field(default="Kreis Soest", description="Herausgeber des Reports.")
    publisher_genitive: str = Field(
        default="des Kreises Soest", description="Its genitive form ('Ansprechpersonen …')."
    )
    publisher_url: str = Field(default="https://www.kreis-soest.de", description="Web address.")
    publisher_logo: Path | None = Field(default=None, description="Logo file for the website.")
    publisher_accent: str = Field(
        default="#00614a", pattern=r"^#[0-9a-fA-F]{6}$", description="Accent colour (#rrggbb)."
    )

    @property
    def publisher(self) -> Publisher:
        """The publisher profile."""
        return Publisher(
            name=self.publisher_name,
            genitive=self.publisher_genitive,
            url=self.publisher_url,
            logo=self.publisher_logo,
            accent=self.publisher_accent,
        )

    @property
    def font_paths(self) -> list[Path] | None:
        """The folders named in ``FONT_DIRS``, or None for the system's fonts."""
        if self.font_dirs is None:
            return None
        return [Path(part) for part in self.font_dirs.split(":") if part.strip()]

    @property
    def tz(self) -> ZoneInfo:
        """The display time zone."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
