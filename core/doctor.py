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
    name = "Bot-Token"
    token = settings.telegram_bot_token
    if not token:
        return fail(
            name,
            "TELEGRAM_BOT_TOKEN ist nicht gesetzt.",
            "Token von @BotFather in TELEGRAM_BOT_TOKEN (.env) eintragen.",
        )
    if not TOKEN_FORM.match(token):
        return fail(
            name,
            "TELEGRAM_BOT_TOKEN hat nicht die Form „123456789:ABC…“.",
            "Token vollständig aus der Nachricht von @BotFather kopieren.",
        )
    return ok(name, f"gesetzt (Bot-ID {token.split(':', 1)[0]}).")


def check_webhook(settings: Settings) -> Check:
    """Without ``WEBHOOK_URL``: long polling. With it: https and a port Telegram accepts."""
    name = "Webhook"
    url = settings.webhook_url
    if not url:
        return ok(name, "kein WEBHOOK_URL: der Bot holt Nachrichten selbst ab (Long Polling).")
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return fail(
            name,
            f"WEBHOOK_URL ist keine gültige Adresse: {safe_url(url)}",
            "Form: https://bot.example.de/telegram",
        )
    if parts.scheme != "https" or not parts.hostname:
        return fail(
            name,
            f"WEBHOOK_URL muss mit https:// beginnen: {safe_url(url)}",
            "Telegram sendet nur an https-Adressen; TLS am Reverse-Proxy einrichten.",
        )
    if port not in WEBHOOK_PORTS:
        allowed = ", ".join(map(str, WEBHOOK_PORTS))
        return fail(
            name,
            f"Port {port} in WEBHOOK_URL nimmt Telegram nicht an.",
            f"Einen dieser Ports verwenden: {allowed}.",
        )
    return ok(name, f"{safe_url(url)} (lokal {settings.webhook_listen}:{settings.webhook_port}).")


def check_timezone(settings: Settings, config: ScheduleConfig) -> Check:
    """``TIMEZONE`` and ``SCHEDULE_TIMEZONE`` name known time zones."""
    name = "Zeitzone"
    for setting, value in (("TIMEZONE", settings.timezone), ("SCHEDULE_TIMEZONE", config.timezone)):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return fail(
                name,
                f"{setting}={value} ist keine bekannte Zeitzone.",
                f"{setting}=Europe/Berlin setzen (Paket tzdata installiert?).",
            )
    return ok(name, f"{settings.timezone} (Zeitplan: {config.timezone}).")


# -- database -----------------------------------------------------------------------------------


def _scrub(message: str, engine: Engine) -> str:
    password = engine.url.password
    first = message.strip().splitlines()[0] if message.strip() else message
    return first.replace(str(password), "***") if password else first


def check_database(engine: Engine) -> Check:
    """The database answers."""
    name = "Datenbank"
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as err:  # any driver error: say it in one line, without the password
        cause = getattr(err, "orig", None) or err
        return fail(
            name,
            f"{safe_url(engine.url)} nicht erreichbar: {_scrub(str(cause), engine)}",
            "DATABASE_URL prüfen; läuft der Datenbankserver, stimmen Benutzer und Passwort?",
        )
    return ok(name, f"{safe_url(engine.url)} erreichbar.")


def check_schema(current: str | None, expected: str | None) -> Check:
    """The database is at the revision this program expects."""
    name = "Datenbank-Schema"
    if current is None:
        return fail(
            name,
            f"Die Datenbank ist leer; das Programm erwartet Stand {expected}.",
            "nhr db upgrade",
        )
    if current != expected:
        return fail(
            name,
            f"Datenbank ist auf Stand {current}, das Programm erwartet {expected}.",
            "nhr db upgrade",
        )
    return ok(name, f"Stand {current}.")


def check_edition(sessions: sessionmaker[Session], now: datetime, settings: Settings) -> Check:
    """The edition being collected (core.editions.collecting_status; read only), a warning when
    the clock has passed another cutoff since."""
    from core.cycle import next_cutoff
    from core.editions import collecting_status

    name = "Ausgabe in Sammlung"
    with sessions() as session:
        status = collecting_status(session, now.astimezone(settings.tz).date())
    if status.behind:
        passed = status.cutoffs_since
        return warn(
            name,
            f"Stand {format_day(status.cutoff)} ist noch nicht veröffentlicht; seither "
            f"{cutoffs_passed(passed)} vergangen.",
            f"nhr edition publish --edition {status.cutoff.isoformat()} oder "
            f"nhr edition collect --edition {next_cutoff(status.today).isoformat()}",
        )
    return ok(name, f"Stand {format_day(status.cutoff)}, wird gesammelt.")


def check_schedule(
    config: ScheduleConfig, now: datetime, sessions: sessionmaker[Session] | None = None
) -> Check:
    """The next moments the scheduler sends something (for the edition being collected when
    the database can be read, else by the calendar)."""
    from core.cycle import next_cutoff
    from core.notifications import cutoffs_to_plan

    name = "Nächste Läufe"
    upcoming: list[tuple[datetime, str]] = []
    if sessions is None:
        cutoffs = cutoffs_in_play(now, config)
    else:
        with sessions() as session:
            cutoffs = cutoffs_to_plan(session, now, config)
    for cutoff in cutoffs:
        cycle = plan(cutoff, config)
        upcoming.append((cycle.window_opens, f"Aufruf {format_day(cutoff)}"))
        upcoming += [(r.at, f"Erinnerung {r.label.removeprefix('r')}") for r in cycle.reminders]
        upcoming += [(cycle.escalation, "Eskalation"), (cycle.draft, "Entwurf")]
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
        return warn(name, "nichts geplant.", "SCHEDULE_* Einstellungen prüfen.")
    return ok(name, "; ".join(f"{what} am {format_local(at, config.tz)}" for at, what in coming))


# -- files and fonts ----------------------------------------------------------------------------


def check_folder(name: str, setting: str, folder: Path) -> Check:
    """``folder`` is writable (or can be created)."""
    where = folder.resolve()
    existing = next((p for p in (where, *where.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return fail(name, f"{where} ist kein Ordner.", f"{setting} auf einen Ordner setzen.")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        return fail(
            name,
            f"{existing} ist nicht beschreibbar ({os_reason(err)}).",
            f"Dem Dienstbenutzer Schreibrechte geben oder {setting} ändern.",
        )
    if existing != where:
        return ok(name, f"{where} (wird beim ersten Schreiben angelegt).")
    return ok(name, f"{where} beschreibbar.")


def check_fonts(settings: Settings) -> Check:
    """The report's font is among the fonts Typst finds (``FONT_DIRS`` or the system's)."""
    from core.render.pdf import fonts

    name = "Schrift"
    families = fonts(settings.font_paths).families()
    where = (
        ", ".join(map(str, settings.font_paths))
        if settings.font_paths is not None
        else "Systemschriften"
    )
    if REPORT_FONT not in families:
        return fail(
            name,
            f"{REPORT_FONT} nicht gefunden ({where}).",
            "Paket fonts-dejavu-core installieren oder FONT_DIRS auf den Ordner der "
            "DejaVu-Schriften setzen.",
        )
    return ok(name, f"{REPORT_FONT} gefunden ({where}).")


def check_typesetting(settings: Settings) -> Check:
    """Typst compiles a tiny document in the report's font to PDF."""
    import typst

    from core.render.pdf import PDF_STANDARD, fonts

    name = "PDF-Satz (Typst)"
    source = (
        f'#set document(title: "Prüfung")\n#set text(font: "{REPORT_FONT}", lang: "de")\n'
        "Prüfung: äöüß €"
    )
    try:
        compiler = typst.Compiler(font_paths=fonts(settings.font_paths))
        pdf = compiler.compile(source.encode(), pdf_standards=[PDF_STANDARD])
    except Exception as err:  # Typst reports any failure as one exception
        return fail(
            name,
            f"Typst konnte kein PDF erzeugen: {str(err).splitlines()[0]}",
            "Paket typst neu installieren (pip install -e .).",
        )
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        return fail(name, "Typst lieferte kein PDF.", "Paket typst neu installieren.")
    return ok(name, f"Typst erzeugt PDF/UA ({len(pdf) // 1024} KB Probe).")


def any_failed(checks: Iterable[Check]) -> bool:
    """Whether one of ``checks`` failed."""
    return any(c.failed for c in checks)
