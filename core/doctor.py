"""``nhr doctor``'s checks that need no Telegram: each returns a :class:`Check` with a German
detail and, when not ok, a German fix hint.

The Bot API check (``getMe`` through the configured proxy and API server) lives in
:mod:`bot.doctor`; ``nhr/cli_doctor.py`` runs them all and prints one line each.
Nothing here prints or returns the bot token or a database password.
"""

from __future__ import annotations

import enum
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from core import texts
from core.config import Settings
from core.dates import format_day, format_local
from core.db import safe_url
from core.schedule import ScheduleConfig, cutoffs_in_play, plan
from core.texts import SCHEDULE_OVER, SCHEDULE_OVER_FIX, cutoffs_passed, os_reason

#: What @BotFather hands out: the bot's id, a colon, 35 characters (at least 30 accepted).
TOKEN_FORM = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
#: The only ports Telegram sends webhooks to.
WEBHOOK_PORTS = (443, 80, 88, 8443)
#: The font the report is set in (templates/report/report.typ).
REPORT_FONT = "DejaVu Sans"


class Status(enum.StrEnum):
    """How a check came out."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"

    @property
    def mark(self) -> str:
        """✓, ! or ✗."""
        return {"ok": "✓", "warn": "!", "fail": "✗"}[self.value]


@dataclass(frozen=True)
class Check:
    """One check: its name, outcome, what was found and how to fix it."""

    name: str
    status: Status
    detail: str
    hint: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL


def ok(name: str, detail: str) -> Check:
    return Check(name, Status.OK, detail)


def warn(name: str, detail: str, hint: str) -> Check:
    return Check(name, Status.WARN, detail, hint)


def fail(name: str, detail: str, hint: str) -> Check:
    return Check(name, Status.FAIL, detail, hint)


# -- configuration ------------------------------------------------------------------------------


def check_token(settings: Settings) -> Check:
    """The bot token is set and has the form @BotFather gives (never shown)."""
    name = texts.DOCTOR_TOKEN
    token = settings.telegram_bot_token
    if not token:
        return fail(name, texts.DOCTOR_TOKEN_MISSING, texts.DOCTOR_TOKEN_MISSING_FIX)
    if not TOKEN_FORM.match(token):
        return fail(name, texts.DOCTOR_TOKEN_FORM, texts.DOCTOR_TOKEN_FORM_FIX)
    return ok(name, texts.DOCTOR_TOKEN_OK.format(bot_id=token.split(":", 1)[0]))


def check_webhook(settings: Settings) -> Check:
    """Without ``WEBHOOK_URL``: long polling. With it: https and a port Telegram accepts."""
    name = "Webhook"
    url = settings.webhook_url
    if not url:
        return ok(name, texts.DOCTOR_POLLING)
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return fail(
            name,
            texts.DOCTOR_WEBHOOK_INVALID.format(url=safe_url(url)),
            texts.DOCTOR_WEBHOOK_INVALID_FIX,
        )
    if parts.scheme != "https" or not parts.hostname:
        return fail(
            name,
            texts.DOCTOR_WEBHOOK_HTTPS.format(url=safe_url(url)),
            texts.DOCTOR_WEBHOOK_HTTPS_FIX,
        )
    if port not in WEBHOOK_PORTS:
        allowed = ", ".join(map(str, WEBHOOK_PORTS))
        return fail(
            name,
            texts.DOCTOR_WEBHOOK_PORT.format(port=port),
            texts.DOCTOR_WEBHOOK_PORT_FIX.format(allowed=allowed),
        )
    return ok(
        name,
        texts.DOCTOR_WEBHOOK_OK.format(
            url=safe_url(url), listen=settings.webhook_listen, port=settings.webhook_port
        ),
    )


def check_timezone(settings: Settings, config: ScheduleConfig) -> Check:
    """``TIMEZONE`` and ``SCHEDULE_TIMEZONE`` name known time zones."""
    name = texts.DOCTOR_TIMEZONE
    for setting, value in (("TIMEZONE", settings.timezone), ("SCHEDULE_TIMEZONE", config.timezone)):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return fail(
                name,
                texts.DOCTOR_TIMEZONE_UNKNOWN.format(setting=setting, value=value),
                texts.DOCTOR_TIMEZONE_UNKNOWN_FIX.format(setting=setting),
            )
    return ok(
        name, texts.DOCTOR_TIMEZONE_OK.format(timezone=settings.timezone, schedule=config.timezone)
    )


# -- database -----------------------------------------------------------------------------------


def _scrub(message: str, engine: Engine) -> str:
    password = engine.url.password
    first = message.strip().splitlines()[0] if message.strip() else message
    return first.replace(str(password), "***") if password else first


def check_database(engine: Engine) -> Check:
    """The database answers."""
    name = texts.DOCTOR_DATABASE
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as err:  # any driver error: say it in one line, without the password
        cause = getattr(err, "orig", None) or err
        return fail(
            name,
            texts.DOCTOR_DATABASE_UNREACHABLE.format(
                url=safe_url(engine.url), cause=_scrub(str(cause), engine)
            ),
            texts.DOCTOR_DATABASE_UNREACHABLE_FIX,
        )
    return ok(name, texts.DOCTOR_DATABASE_OK.format(url=safe_url(engine.url)))


def check_schema(current: str | None, expected: str | None) -> Check:
    """The database is at the revision this program expects."""
    name = texts.DOCTOR_SCHEMA
    if current is None:
        return fail(name, texts.DOCTOR_SCHEMA_EMPTY.format(expected=expected), "nhr db upgrade")
    if current != expected:
        return fail(
            name,
            texts.DOCTOR_SCHEMA_OTHER.format(current=current, expected=expected),
            "nhr db upgrade",
        )
    return ok(name, texts.DOCTOR_SCHEMA_OK.format(current=current))


def check_edition(sessions: sessionmaker[Session], now: datetime, settings: Settings) -> Check:
    """The edition being collected (core.editions.collecting_status; read only), a warning when
    the clock has passed another cutoff since."""
    from core.cycle import next_cutoff
    from core.editions import collecting_status

    name = texts.DOCTOR_EDITION
    with sessions() as session:
        status = collecting_status(session, now.astimezone(settings.tz).date())
    if status.behind:
        passed = status.cutoffs_since
        return warn(
            name,
            texts.DOCTOR_EDITION_BEHIND.format(
                day=format_day(status.cutoff), passed=cutoffs_passed(passed)
            ),
            texts.DOCTOR_EDITION_BEHIND_FIX.format(
                cutoff_iso=status.cutoff.isoformat(),
                next_iso=next_cutoff(status.today).isoformat(),
            ),
        )
    return ok(name, texts.DOCTOR_EDITION_OK.format(day=format_day(status.cutoff)))


def check_schedule(
    config: ScheduleConfig, now: datetime, sessions: sessionmaker[Session] | None = None
) -> Check:
    """The next moments the scheduler sends something (for the edition being collected when
    the database can be read, else by the calendar)."""
    from core.cycle import next_cutoff
    from core.notifications import cutoffs_to_plan

    name = texts.DOCTOR_SCHEDULE
    upcoming: list[tuple[datetime, str]] = []
    if sessions is None:
        cutoffs = cutoffs_in_play(now, config)
    else:
        with sessions() as session:
            cutoffs = cutoffs_to_plan(session, now, config)
    for cutoff in cutoffs:
        cycle = plan(cutoff, config)
        upcoming.append((cycle.window_opens, texts.DOCTOR_RUN_CALL.format(day=format_day(cutoff))))
        upcoming += [
            (r.at, texts.DOCTOR_RUN_REMINDER.format(label=r.label.removeprefix("r")))
            for r in cycle.reminders
        ]
        upcoming += [
            (cycle.escalation, texts.DOCTOR_RUN_ESCALATION),
            (cycle.draft, texts.DOCTOR_RUN_DRAFT),
        ]
    coming = sorted(u for u in upcoming if u[0] > now)[:3]
    if not coming and cutoffs:
        last = max(cutoffs)
        return warn(
            name,
            SCHEDULE_OVER.format(cutoff=format_day(last)),
            SCHEDULE_OVER_FIX.format(
                cutoff_iso=last.isoformat(),
                next_iso=next_cutoff(now.astimezone(config.tz).date()).isoformat(),
            ),
        )
    if not coming:
        return warn(name, texts.DOCTOR_NOTHING_PLANNED, texts.DOCTOR_NOTHING_PLANNED_FIX)
    return ok(
        name,
        "; ".join(
            texts.DOCTOR_RUN_AT.format(what=what, when=format_local(at, config.tz))
            for at, what in coming
        ),
    )


# -- files and fonts ----------------------------------------------------------------------------


def check_folder(name: str, setting: str, folder: Path) -> Check:
    """``folder`` is writable (or can be created)."""
    where = folder.resolve()
    existing = next((p for p in (where, *where.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return fail(
            name,
            texts.DOCTOR_NOT_A_FOLDER.format(path=where),
            texts.DOCTOR_NOT_A_FOLDER_FIX.format(setting=setting),
        )
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        return fail(
            name,
            texts.DOCTOR_NOT_WRITABLE.format(path=existing, reason=os_reason(err)),
            texts.DOCTOR_NOT_WRITABLE_FIX.format(setting=setting),
        )
    if existing != where:
        return ok(name, texts.DOCTOR_FOLDER_LATER.format(path=where))
    return ok(name, texts.DOCTOR_FOLDER_OK.format(path=where))


def check_fonts(settings: Settings) -> Check:
    """The report's font is among the fonts Typst finds (``FONT_DIRS`` or the system's)."""
    from core.render.pdf import fonts

    name = texts.DOCTOR_FONT
    families = fonts(settings.font_paths).families()
    where = (
        ", ".join(map(str, settings.font_paths))
        if settings.font_paths is not None
        else texts.DOCTOR_SYSTEM_FONTS
    )
    if REPORT_FONT not in families:
        return fail(
            name,
            texts.DOCTOR_FONT_MISSING.format(font=REPORT_FONT, where=where),
            texts.DOCTOR_FONT_MISSING_FIX,
        )
    return ok(name, texts.DOCTOR_FONT_OK.format(font=REPORT_FONT, where=where))


def check_typesetting(settings: Settings) -> Check:
    """Typst compiles a tiny document in the report's font to PDF."""
    import typst

    from core.render.pdf import PDF_STANDARD, fonts

    name = texts.DOCTOR_TYPESETTING
    source = texts.DOCTOR_TYPST_PROBE.format(font=REPORT_FONT)
    try:
        compiler = typst.Compiler(font_paths=fonts(settings.font_paths))
        pdf = compiler.compile(source.encode(), pdf_standards=[PDF_STANDARD])
    except Exception as err:  # Typst reports any failure as one exception
        return fail(
            name,
            texts.DOCTOR_TYPST_FAILED.format(error=str(err).splitlines()[0]),
            texts.DOCTOR_TYPST_FAILED_FIX,
        )
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        return fail(name, texts.DOCTOR_TYPST_NO_PDF, texts.DOCTOR_TYPST_NO_PDF_FIX)
    return ok(name, texts.DOCTOR_TYPST_OK.format(size=len(pdf) // 1024))


def any_failed(checks: Iterable[Check]) -> bool:
    """Whether one of ``checks`` failed."""
    return any(c.failed for c in checks)
