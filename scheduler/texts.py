"""Every German text the scheduler sends or prints: polite ("Sie"), short, phone-sized.

Functions take plain values (payload fields, dates) and return plain text (no parse mode).
Dates are formatted with Babel via :mod:`core.dates`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from core.dates import BERLIN, LOCALE, format_day
from core.texts import counted

__all__ = ["format_day"]  # re-exported for the command line

MAX_LINES = 40  # a message stays readable on a phone and far below Telegram's 4096 characters

KIND_LABELS = {
    "prompt": "Aufruf",
    "reminder": "Erinnerung",
    "escalation": "Überfällige Abteilungen an die Koordination",
    "draft": "Entwurf an die Koordination",
    "unreachable": "Hinweis: Ansprechperson nicht erreichbar",
    "alert": "Hinweis an die Koordination zum Betrieb",
}


def day_with_weekday(day: date) -> str:
    """``Mittwoch, 18.03.2026``."""
    return format_date(day, "EEEE, dd.MM.yyyy", locale=LOCALE)


def moment_short(moment: datetime, tz: ZoneInfo = BERLIN) -> str:
    """``Mi., 18.02.2026, 09:00`` in local time."""
    return format_datetime(moment, "EEE, dd.MM.yyyy, HH:mm", tzinfo=tz, locale=LOCALE)


def projects(count: int) -> str:
    """``1 Projekt``, ``5 Projekte``."""
    return counted(count, "Projekt", "Projekte")


def _of_projects(outstanding: int, total: int) -> str:
    """``3 von 5 Projekten``, ``1 von 1 Projekt``."""
    return f"{outstanding} von {counted(total, 'Projekt', 'Projekten')}"


def _codes(departments: Sequence[Mapping[str, Any]]) -> str:
    codes = [str(d["code"]) for d in departments]
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " und " + codes[-1]


def _bullets(lines: list[str]) -> str:
    shown = lines[:MAX_LINES]
    more = len(lines) - len(shown)
    text = "\n".join(f"• {line}" for line in shown)
    return text + (f"\n• … und {more} weitere" if more else "")


def greeting(name: str) -> str:
    """``Guten Tag, Anna Schmidt!``."""
    return f"Guten Tag, {name}!"


def prompt(
    name: str,
    cutoff: date,
    departments: Sequence[Mapping[str, Any]],
    deadline: date,
    today: date,
) -> str:
    """The prompt when the collection window opens."""
    total = sum(int(d["projects"]) for d in departments)
    if len(departments) == 1:
        who = f"Ihre Abteilung {_codes(departments)} ist für {projects(total)} verantwortlich."
    else:
        split = ", ".join(f"{d['code']}: {d['projects']}" for d in departments)
        who = (
            f"Ihre Abteilungen {_codes(departments)} sind für {projects(total)} "
            f"verantwortlich ({split})."
        )
    if today > deadline:
        ask = (
            f"Die Frist ist am {format_day(deadline)} abgelaufen. Bitte melden Sie den Stand "
            "so bald wie möglich."
        )
    else:
        ask = f"Bitte melden Sie den aktuellen Stand bis {day_with_weekday(deadline)}."
    return (
        f"{greeting(name)}\n\n"
        f"Der Nachhaltigkeitsreport mit Stand {format_day(cutoff)} wird vorbereitet. {who}\n\n"
        f"{ask}"
    )


def reminder(
    name: str,
    cutoff: date,
    departments: Sequence[Mapping[str, Any]],
    deadline: date,
    *,
    last: bool,
) -> str:
    """A reminder to a contact whose departments still have open projects."""
    if len(departments) == 1:
        d = departments[0]
        state = (
            f"Für Ihre Abteilung {d['code']} sind noch "
            f"{_of_projects(int(d['outstanding']), int(d['projects']))} offen."
        )
    else:
        split = ", ".join(
            f"{d['code']}: {_of_projects(int(d['outstanding']), int(d['projects']))}"
            for d in departments
        )
        state = f"Für Ihre Abteilungen sind noch Projekte offen – {split}."
    if last:
        head = f"Letzte Erinnerung: Die Frist endet am {day_with_weekday(deadline)}."
    else:
        head = f"Erinnerung: Bitte melden Sie den Stand bis {day_with_weekday(deadline)}."
    return (
        f"{greeting(name)}\n\n{head}\n{state}\n\nNachhaltigkeitsreport, Stand {format_day(cutoff)}"
    )


def escalation(cutoff: date, deadline: date, departments: Sequence[Mapping[str, Any]]) -> str:
    """To the coordinators after the deadline: the overdue departments."""
    lines = [
        f"{d['code']}: {_of_projects(int(d['outstanding']), int(d['projects']))} offen"
        for d in departments
    ]
    return (
        f"Frist abgelaufen ({format_day(deadline)}) – Nachhaltigkeitsreport Stand "
        f"{format_day(cutoff)}.\n\nNoch nicht vollständig gemeldet:\n{_bullets(lines)}"
    )


def draft(cutoff: date, missing: Sequence[Mapping[str, Any]], awaiting_approval: int) -> str:
    """To the coordinators at the cutoff, sent before the PDF and DOCX of the draft."""
    parts = [
        f"Entwurf des Nachhaltigkeitsreports, Stand {format_day(cutoff)}. "
        "Er enthält nur freigegebene Änderungen."
    ]
    if missing:
        lines = [
            f"{d['code']}: {_of_projects(int(d['outstanding']), int(d['projects']))}"
            for d in missing
        ]
        parts.append(f"Noch nicht gemeldet:\n{_bullets(lines)}")
    else:
        parts.append("Alle Abteilungen haben gemeldet.")
    if awaiting_approval == 1:
        parts.append("1 Meldung wartet auf Ihre Freigabe.")
    elif awaiting_approval:
        parts.append(f"{awaiting_approval} Meldungen warten auf Ihre Freigabe.")
    parts.append(
        "Wenn alles stimmt, veröffentlichen Sie die Ausgabe; damit werden die Nummern "
        "festgeschrieben."
    )
    return "\n\n".join(parts)


def unreachable(contact_name: str, departments: Sequence[str]) -> str:
    """To the coordinators: a contact blocked the bot."""
    where = ""
    if len(departments) == 1:
        where = f" (Abteilung {departments[0]})"
    elif departments:
        where = f" (Abteilungen {', '.join(departments)})"
    return (
        f"Hinweis: {contact_name}{where} hat den Bot blockiert und erhält keine Nachrichten "
        "mehr. Bitte nehmen Sie auf anderem Weg Kontakt auf."
    )


def alert(payload: Mapping[str, Any], tz: ZoneInfo = BERLIN) -> str:
    """To the coordinators, about the service: sending fails, or runs were missed."""
    since = moment_short(datetime.fromisoformat(payload["since"]), tz)
    if payload["what"] == "sending-failed":
        return (
            f"Hinweis zum Betrieb: Seit {since} scheitert das Senden von Nachrichten. "
            "Der Bot versucht es weiter. Bitte geben Sie der IT Bescheid "
            "(nhr health, nhr doctor)."
        )
    until = moment_short(datetime.fromisoformat(payload["until"]), tz)
    lines = []
    for run in payload["runs"]:
        what = KIND_LABELS[run["kind"]]
        if run["label"]:
            what += f" {str(run['label']).removeprefix('r')}"
        cutoff = format_day(date.fromisoformat(run["cutoff"]))
        done = (
            f"nachgeholt ({run['messages']} Nachrichten)"
            if run["outcome"] == "late"
            else "übersprungen (nicht mehr sinnvoll)"
        )
        when = moment_short(datetime.fromisoformat(run["at"]), tz)
        lines.append(f"{what} zum Stichtag {cutoff}, fällig {when}: {done}")
    return (
        f"Hinweis zum Betrieb: Der Dienst lief von {since} bis {until} nicht. "
        f"In dieser Zeit war geplant:\n{_bullets(lines)}"
    )


# -- command line ------------------------------------------------------------------------------

SCHEDULE_HEADING = "Ausgabe Stand {cutoff} – Frist für die Abteilungen: {deadline}"
SCHEDULE_LINE = "{when}  {what} – {recipients}{sent}"
SCHEDULE_NO_CONTACTS = "niemand"
SENT_SUFFIX = " (bereits {count} gesendet)"
OFFICE_NOTE = "Gesendet wird nur werktags {start}–{end} Uhr ({tz}), nicht an Feiertagen in NRW."
RUN_DUE_RESULT = (
    "Fällig geprüft: {created} neu geplant, {sent} gesendet, {failed} fehlgeschlagen, "
    "{unreachable} nicht erreichbar."
)
RUN_DUE_OUTSIDE = "Außerhalb der Bürozeit – nichts gesendet. Nächster Versand ab {when}."
NO_TOKEN = "Kein Bot-Token: bitte TELEGRAM_BOT_TOKEN setzen."


def recipients(kind: str, count: int) -> str:
    """``12 Ansprechpersonen``, ``2 Koordinator:innen`` (as the database stands today)."""
    if count == 0:
        return SCHEDULE_NO_CONTACTS
    if kind in ("prompt", "reminder"):
        return counted(count, "Ansprechperson", "Ansprechpersonen")
    return f"{count} aus der Koordination"


# -- job names (APScheduler) -------------------------------------------------------------------

JOB_DAILY_BACKUP = "Tägliche Sicherung"
JOB_DUE_CHECK = "Fälligkeiten prüfen und senden"
JOB_CUTOFF_DRAFT = "Entwurf zum Stichtag {cutoff}"
