"""Typed configuration from environment variables and an optional ``.env`` file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import texts
from core.schedule_settings import ScheduleSettings

if TYPE_CHECKING:
    from core.opendata.license import OpenData

DEFAULT_SQLITE_PATH = Path("nhr.sqlite3")


@dataclass(frozen=True)
class Publisher:
    """Who publishes the report: used by the report, the website, the bot and the CLI."""

    name: str  # "Kreis Soest"
    genitive: str  # "des Kreises Soest"
    url: str  # the publisher's web address
    logo: Path | None  # an image file shown in the website's header
    accent: str  # CSS colour of the website's accents
    # The website's legal pages: a URL or an e-mail address to link, or "" for a generated page.
    imprint: str = ""  # Impressum
    privacy: str = ""  # Datenschutzerklärung
    accessibility: str = ""  # Erklärung zur Barrierefreiheit ("": generated from a template)
    feedback: str = ""  # feedback contact of the accessibility statement (URL or e-mail)
    accessibility_status: str = "teilweise vereinbar"  # "vollständig", "teilweise", "nicht"
    site_url: str = ""  # the website's public address (absolute links in sitemap, canonical)
    imprint_text: str = ""  # the generated Impressum's text (paragraphs), when imprint is ""
    privacy_text: str = ""  # the generated Datenschutz page's text, when privacy is ""
    contact: str = ""  # whom contacts ask (name, e-mail, phone); "": the bot's default wording


class Settings(BaseSettings):
    """All settings of the application. Every field maps to an upper-case environment variable;
    ``schedule`` is the collection calendar, read from its own ``SCHEDULE_*`` variables when the
    settings are, so that one object handed down from ``nhr`` carries everything."""

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
        default=90,
        ge=0,
        description="Days after a round's cutoff until its conversation state and messages go.",
    )
    publisher_name: str = Field(default="Kreis Soest", description="Publisher of the report.")
    publisher_genitive: str = Field(
        default=texts.DEFAULT_PUBLISHER_GENITIVE,
        description="Its genitive form ('Ansprechpersonen …').",
    )
    publisher_url: str = Field(default="https://www.kreis-soest.de", description="Web address.")
    publisher_logo: Path | None = Field(default=None, description="Logo file for the website.")
    publisher_accent: str = Field(
        default="#00614a", pattern=r"^#[0-9a-fA-F]{6}$", description="Accent colour (#rrggbb)."
    )
    data_license: str = Field(
        default="dl-de/by-2-0", description="Licence of the open data (DCAT-AP.de id)."
    )
    data_license_name: str | None = Field(default=None, description="Its name, if not known.")
    data_license_url: str | None = Field(default=None, description="Its text's address.")
    data_contributor_id: str = Field(
        default="http://dcat-ap.de/def/contributors/openNRW",
        description="dcatde:contributorID of the catalogue (the portal that passes it on).",
    )
    data_district_key: str = Field(
        default="05974",
        pattern=r"^\d{5}$",
        description="District key (AGS of the Kreis) for dcatde:politicalGeocodingURI.",
    )
    data_contact_email: str | None = Field(
        default=None, description="Contact address for the open data (catalogue)."
    )

    publisher_imprint: str | None = Field(
        default=None,
        description="Impressum: URL or e-mail; unset: PUBLISHER_URL/impressum; empty: generated.",
    )
    publisher_privacy: str | None = Field(
        default=None,
        description="Datenschutz: URL or e-mail; unset: PUBLISHER_URL/datenschutz; "
        "empty: generated.",
    )
    publisher_accessibility: str = Field(
        default="",
        description="Accessibility statement: URL; empty: generated by the website.",
    )
    publisher_contact: str = Field(
        default="",
        description="Whom the bot names in refusals and for expired invitations (name, e-mail, "
        "phone of the sustainability coordination); empty: a general wording.",
    )
    publisher_feedback: str | None = Field(
        default=None,
        description="Feedback contact for barriers (e-mail or URL); unset: PUBLISHER_URL/kontakt.",
    )
    publisher_accessibility_status: texts.AccessibilityStatus = Field(
        default="teilweise vereinbar", description="Conformity stated by the website."
    )
    publisher_imprint_text: str = Field(
        default="", description="Text of the generated Impressum (when PUBLISHER_IMPRINT='')."
    )
    publisher_privacy_text: str = Field(
        default="", description="Text of the generated Datenschutz page (PUBLISHER_PRIVACY='')."
    )
    site_url: str = Field(
        default="",
        pattern=r"^(https?://\S+)?$",
        description="Public address of the website (sitemap, canonical and catalogue links).",
    )
    schedule: ScheduleSettings = Field(
        default_factory=ScheduleSettings,
        description="The collection calendar (SCHEDULE_WINDOW_WEEKS, SCHEDULE_REMINDERS, ...).",
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
            imprint=self._page_of_publisher(self.publisher_imprint, "impressum"),
            privacy=self._page_of_publisher(self.publisher_privacy, "datenschutz"),
            accessibility=self.publisher_accessibility.strip(),
            feedback=self._page_of_publisher(self.publisher_feedback, "kontakt"),
            accessibility_status=self.publisher_accessibility_status,
            site_url=self.site_url.strip().rstrip("/"),
            imprint_text=self.publisher_imprint_text,
            privacy_text=self.publisher_privacy_text,
            contact=self.publisher_contact.strip(),
        )

    def _page_of_publisher(self, value: str | None, page: str) -> str:
        """A configured address, or by default the page of that name on PUBLISHER_URL."""
        if value is None:
            return f"{self.publisher_url.rstrip('/')}/{page}"
        return value.strip()

    @model_validator(mode="after")
    def _known_license_or_its_address(self) -> Settings:
        from core.opendata.license import KNOWN

        if self.data_license not in KNOWN and not self.data_license_url:
            raise ValueError(
                texts.UNKNOWN_LICENSE.format(license=self.data_license, known=", ".join(KNOWN))
            )
        return self

    @property
    def open_data(self) -> OpenData:
        """Licence and catalogue settings of the open-data downloads."""
        from core.opendata.license import OpenData, data_license

        return OpenData(
            license=data_license(
                self.data_license, name=self.data_license_name, url=self.data_license_url
            ),
            site_url=self.site_url.strip().rstrip("/") or None,
            contributor_id=self.data_contributor_id,
            district_key=self.data_district_key,
            contact_email=self.data_contact_email,
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

    @property
    def render_options(self) -> RenderOptions:
        """What the renderers take from these settings: the publisher and the PDF's fonts."""
        return RenderOptions(self.publisher, font_folders(self.font_paths))


def default_publisher() -> Publisher:
    """The publisher of the settings' defaults (Kreis Soest), read from no environment and no
    ``.env``: for callers that have no settings (tests, benches). ``model_construct`` takes the
    fields' defaults without validating; ``schedule`` is given so that its factory (settings of
    their own, read from the environment) does not run."""
    return Settings.model_construct(schedule=None).publisher


def font_folders(paths: Sequence[Path] | None) -> tuple[Path, ...] | None:
    """``paths`` as a tuple (hashable: the PDF renderer scans each set of fonts once)."""
    return None if paths is None else tuple(paths)


@dataclass(frozen=True)
class RenderOptions:
    """What the report's renderers (HTML, PDF, DOCX) need of the settings, handed to them by
    the caller that holds the settings (``Settings.render_options``), so that no renderer reads
    the environment. The defaults are those of :class:`Settings` (for tests and benches)."""

    publisher: Publisher = field(default_factory=default_publisher)
    #: The folders of the PDF's fonts (``FONT_DIRS``); None: the system's fonts.
    font_paths: tuple[Path, ...] | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
