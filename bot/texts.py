"""Every German text the bot and its command line show, in one place.

Texts are Telegram HTML. Placeholders (``{title}`` ...) are filled by :mod:`bot.screens` with
values that are already escaped; nothing in here is ever filled with raw user or database text.
Polite "Sie", short, readable on a phone.
"""

from __future__ import annotations

from typing import Final

from core.models import SubmissionState
from core.status import Status

# -- access ------------------------------------------------------------------------------------

#: The one answer for everyone who is not an active, bound contact.
REFUSAL: Final = "Dieser Bot ist nur für eingeladene Ansprechpersonen des Kreises Soest."
WELCOME: Final = "Willkommen, {name}! Sie melden für: {departments}."
WELCOME_BACK: Final = "Hallo {name}, schön, dass Sie da sind."
ALREADY_BOUND: Final = "Sie sind bereits angemeldet."
GROUP_CHAT: Final = "Bitte schreiben Sie mir in einem privaten Chat."

# -- commands (menu) ---------------------------------------------------------------------------

COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("start", "Anmelden und loslegen"),
    ("projekte", "Ihre Projekte und ihr Stand"),
    ("hilfe", "Kurze Hilfe"),
    ("abbrechen", "Abbrechen, Eingaben bleiben als Entwurf"),
)

HELP: Final = (
    "<b>So funktioniert es</b>\n"
    "Sie gehen Ihre Projekte nacheinander durch. Je Projekt tippen Sie entweder "
    "„Keine Änderungen“ oder tragen Änderungen ein und reichen sie ein. "
    "Die Koordination prüft Ihre Meldung.\n\n"
    "<b>Befehle</b>\n"
    "/projekte – Ihre Projekte und ihr Stand\n"
    "/abbrechen – aufhören; Ihre Eingaben bleiben als Entwurf gespeichert\n"
    "/hilfe – diese Hilfe\n\n"
    "<b>Daten</b> dürfen ungenau sein, z. B. 15.03.2025, März 2025, 2. Quartal 2025, "
    "Mitte 2024, Sommer 2024, 2025, seit 09/2024, 2025 - 2027 oder fortlaufend."
)
CANCELLED: Final = (
    "Abgebrochen. Alles Eingetragene ist als Entwurf gespeichert. "
    "Mit /projekte geht es weiter."
)
IDLE: Final = "Mit /projekte sehen Sie Ihre Projekte."

# -- hints and errors --------------------------------------------------------------------------

UNKNOWN_COMMAND: Final = "Diesen Befehl kenne ich nicht. /hilfe zeigt, was möglich ist."
USE_BUTTONS: Final = "Bitte wählen Sie eine der Schaltflächen."
TEXT_ONLY: Final = "Ich kann nur Text und Schaltflächen verarbeiten."
EDITED_IGNORED: Final = (
    "Geänderte Nachrichten kann ich nicht übernehmen. Bitte senden Sie die Korrektur neu."
)
STALE_BUTTON: Final = "Diese Schaltfläche ist nicht mehr aktuell. Hier ist der aktuelle Stand."
ERROR: Final = (
    "Entschuldigung, da ist etwas schiefgegangen. Ihre bisherigen Eingaben sind gespeichert. "
    "Bitte versuchen Sie es noch einmal."
)
NOT_YOURS: Final = "Dieses Projekt ist für Sie nicht freigegeben."
EDITION_CHANGED: Final = "Inzwischen wird eine neue Ausgabe gesammelt. Hier sind Ihre Projekte."
EMPTY_TEXT: Final = "Bitte schreiben Sie einen Text."
TOO_LONG: Final = (
    "Der Text ist zu lang ({length} Zeichen, höchstens {limit}). Bitte kürzen Sie ihn."
)
DATE_TOO_LONG: Final = "Das ist zu lang für ein Datum. Bitte schreiben Sie z. B. 15.03.2025."
UNDERSTOOD_AS: Final = "Verstanden als <b>{date}</b>."
APPROVED_CLOSED: Final = "Diese Meldung ist bereits freigegeben und lässt sich nicht mehr ändern."

# -- overview ----------------------------------------------------------------------------------

OVERVIEW_TITLE: Final = "<b>Ihre Projekte – Report Stand {cutoff}</b>"
OVERVIEW_PROGRESS: Final = "{done} von {total} gemeldet."
OVERVIEW_LINE: Final = "{index}. <b>{number}</b> {title} – <i>{state}</i>"
OVERVIEW_BUTTON: Final = "{index}. {number} {title}"
OVERVIEW_PAGE: Final = "Seite {page} von {pages}"
OVERVIEW_EMPTY: Final = "Für Ihre Abteilungen gibt es in dieser Ausgabe keine Projekte."
ALL_DONE: Final = "Vielen Dank! Alle Ihre Projekte sind gemeldet."

SUBMISSION_STATE: Final[dict[SubmissionState | None, str]] = {
    None: "offen",
    SubmissionState.DRAFT: "in Arbeit",
    SubmissionState.SUBMITTED: "eingereicht",
    SubmissionState.APPROVED: "freigegeben",
    SubmissionState.RETURNED: "zurückgegeben",
}

STATUS: Final[dict[Status, str]] = {
    Status.IDEENSPEICHER: "Ideenspeicher",
    Status.IN_PLANUNG: "in Planung",
    Status.IN_BEARBEITUNG: "in Bearbeitung",
    Status.UMGESETZT: "umgesetzt",
    Status.ENTFALLEN: "entfallen",
}

# -- project card ------------------------------------------------------------------------------

CARD_POSITION: Final = "<b>Projekt {index} von {total}</b> · Nr. {number}"
CARD_TITLE: Final = "<b>{title}</b>"
CARD_STATUS: Final = "Status: {status} seit {since}"
CARD_STATUS_UNDATED: Final = "Status: {status}"
CARD_DEPARTMENTS: Final = "Verantwortlich: {departments}"
CARD_DONE: Final = "<b>Letzte abgeschlossene Meilensteine:</b>"
CARD_PLANNING: Final = "<b>Letzte Planungsschritte:</b>"
CARD_CONSULTATIONS: Final = "<b>Letzte Beratungen in Gremien:</b>"
CARD_PLANNED: Final = "<b>Geplante Meilensteine:</b>"
CARD_REMARK: Final = "<b>Bemerkung:</b> {remark}"
CARD_EARLIER: Final = "… und {count} frühere"
CARD_MORE: Final = "… und {count} weitere"
CARD_NOTHING: Final = "Noch keine Meilensteine, Beratungen oder Bemerkungen."
CARD_STATE: Final = "Meldung: <i>{state}</i>"
CARD_RETURNED: Final = "Zurückgegeben mit Begründung: {reason}"
CARD_DRAFT: Final = "<b>Ihre Änderungen:</b>"
CARD_NO_CHANGES: Final = "Gemeldet: keine Änderungen."
CARD_APPROVED: Final = "Die Koordination hat Ihre Meldung freigegeben."

DATED: Final = "{date} – {text}"
ENTRY: Final = "• {date} – {text}"
ENTRY_UNDATED: Final = "• {text}"
CONSULTATION: Final = "• {date} {gremium}{details}"
CONSULTATION_DETAILS: Final = ", {details}"
ITEM_AND: Final = "{item} · {more}"

# -- changes menu ------------------------------------------------------------------------------

CHANGES_TITLE: Final = "<b>Änderungen: {title}</b>"
CHANGES_NONE_YET: Final = "Noch nichts eingetragen."
CHANGES_ASK: Final = "Was möchten Sie ändern?"

SAVED_STATUS: Final = "Gespeichert: Status wird „{status}“."
SAVED_STATUS_KEPT: Final = "Der Status bleibt „{status}“."
SAVED_DONE: Final = "Gespeichert: {date} – {text}"
SAVED_TICK: Final = "Gespeichert: „{text}“ erledigt {date}."
SAVED_CONSULTATION: Final = "Gespeichert: Beratung {date} {gremium}."
SAVED_PLANNED: Final = "Gespeichert: geplant {date} – {text}"
SAVED_PLANNED_UNDATED: Final = "Gespeichert: geplant – {text}"
SAVED_REMARK: Final = "Gespeichert: neue Bemerkung."
SAVED_REMARK_CLEARED: Final = "Gespeichert: Bemerkung wird entfernt."
SAVED_DESCRIPTION: Final = "Gespeichert: neue Beschreibung."
REMOVED: Final = "Entfernt: {item}"
NO_CHANGES_SAVED: Final = "Gemeldet: keine Änderungen bei „{title}“."
SUBMITTED: Final = "Eingereicht: „{title}“. Die Koordination prüft Ihre Meldung."
NOTHING_TO_SUBMIT: Final = "Es gibt noch nichts einzureichen."

# -- prompts -----------------------------------------------------------------------------------

DATE_EXAMPLES: Final = "z. B. 15.03.2025, März 2025, 2. Quartal 2025 oder Mitte 2024"
ASK_STATUS: Final = "Aktueller Status: <b>{status}</b>. Welcher Status gilt jetzt?"
ASK_DROP_REASON: Final = "Warum entfällt das Projekt? (z. B. „Daueraufgabe“)"
ASK_DONE_DATE: Final = "Wann wurde der Meilenstein abgeschlossen? (" + DATE_EXAMPLES + ")"
ASK_PLANNING_DATE: Final = "Wann wurde der Planungsschritt abgeschlossen? (" + DATE_EXAMPLES + ")"
ASK_DONE_TEXT: Final = "Was wurde abgeschlossen? (höchstens {limit} Zeichen)"
ASK_TICK: Final = "Welcher geplante Meilenstein ist erledigt?"
ASK_TICK_NONE: Final = "Es gibt keine geplanten Meilensteine mehr zum Abhaken."
ASK_TICK_DATE: Final = "Wann wurde „{text}“ abgeschlossen? (" + DATE_EXAMPLES + ")"
ASK_GREMIUM_DATE: Final = "Wann war die Beratung im Gremium? (z. B. 06.03.2025)"
ASK_GREMIUM_NAME: Final = "Welches Gremium? Wählen Sie unten oder schreiben Sie den Namen."
ASK_GREMIUM_ART: Final = "Welche Vorlagenart?"
ASK_GREMIUM_NR: Final = "Welche Nummer hat die Vorlage? (z. B. 057/2025)"
ASK_PLANNED_DATE: Final = "Wann ist der Meilenstein geplant? (z. B. 2. Halbjahr 2025 oder 2026)"
ASK_PLANNED_TEXT: Final = "Was ist geplant? (höchstens {limit} Zeichen)"
ASK_REMARK: Final = "Schreiben Sie die neue Bemerkung. Sie ersetzt die bisherige."
ASK_DESCRIPTION: Final = "Schreiben Sie die neue Beschreibung. Sie ersetzt die bisherige."
CURRENT_REMARK: Final = "<b>Bisherige Bemerkung:</b> {text}"
CURRENT_DESCRIPTION: Final = "<b>Bisherige Beschreibung:</b> {text}"
CURRENT_EMPTY: Final = "(leer)"
ASK_REMOVE: Final = "Welchen Eintrag möchten Sie aus Ihren Änderungen entfernen?"

# -- draft items and summary -------------------------------------------------------------------

ITEM_STATUS: Final = "Status: {before} → {after}"
ITEM_DROP_REASON: Final = "Grund: {reason}"
ITEM_DONE: Final = "+ Meilenstein {date} – {text}"
ITEM_PLANNING: Final = "+ Planungsschritt {date} – {text}"
ITEM_TICK: Final = "✓ {planned} → erledigt {date}"
ITEM_CONSULTATION: Final = "+ Beratung {date} {gremium}{details}"
ITEM_PLANNED: Final = "+ geplant {date} – {text}"
ITEM_PLANNED_UNDATED: Final = "+ geplant – {text}"
ITEM_REMARK: Final = "Bemerkung: {before} → {after}"
ITEM_DESCRIPTION: Final = "Beschreibung: {before} → {after}"
QUOTED: Final = "„{text}“"
UNDATED: Final = "ohne Datum"

SUMMARY_TITLE: Final = "<b>Zusammenfassung: {title}</b>"
SUMMARY_EMPTY: Final = "Sie haben noch keine Änderungen eingetragen."
SUMMARY_FOOTER: Final = "Mit „Einreichen“ geht die Meldung an die Koordination."
SUMMARY_STATUS: Final = "<b>Status</b>"
SUMMARY_DONE: Final = "<b>Neu bei „abgeschlossene Meilensteine“</b>"
SUMMARY_PLANNING: Final = "<b>Neu bei „erfolgte Planungsschritte“</b>"
SUMMARY_TICK: Final = "<b>Geplant, jetzt erledigt</b>"
SUMMARY_CONSULTATIONS: Final = "<b>Neu bei „Beratung in Gremien“</b>"
SUMMARY_PLANNED: Final = "<b>Neu bei „geplante Meilensteine“</b>"
SUMMARY_REMARK: Final = "<b>Bemerkung</b>"
SUMMARY_DESCRIPTION: Final = "<b>Beschreibung</b>"

# -- buttons -----------------------------------------------------------------------------------

BTN_START: Final = "Los geht’s ▶"
BTN_NEXT_OPEN: Final = "Nächstes offenes Projekt ▶"
BTN_OVERVIEW: Final = "Übersicht"
BTN_MY_PROJECTS: Final = "Meine Projekte"
BTN_PREVIOUS_PAGE: Final = "◀ Seite {page}"
BTN_NEXT_PAGE: Final = "Seite {page} ▶"
BTN_NO_CHANGES: Final = "Keine Änderungen ✓"
BTN_EDIT: Final = "Änderungen eintragen"
BTN_REVISE: Final = "Meldung ändern"
BTN_SKIP: Final = "Überspringen ▶"
BTN_BACK: Final = "◀ Zurück"
BTN_STATUS: Final = "Status"
BTN_DONE: Final = "Meilenstein erledigt"
BTN_PLANNING: Final = "Planungsschritt erledigt"
BTN_TICK: Final = "Geplanten abhaken"
BTN_CONSULTATION: Final = "Gremium"
BTN_PLANNED: Final = "Geplanter Meilenstein"
BTN_REMARK: Final = "Bemerkung"
BTN_DESCRIPTION: Final = "Beschreibung"
BTN_REMOVE: Final = "Eintrag entfernen"
BTN_SUMMARY: Final = "Zusammenfassung ▶"
BTN_SUBMIT: Final = "Einreichen ✓"
BTN_KEEP_EDITING: Final = "Weiter bearbeiten"
BTN_NO_DATE: Final = "ohne Datum"
BTN_NO_NUMBER: Final = "ohne Nummer"
BTN_NO_ART: Final = "keine Angabe"
BTN_CLEAR_REMARK: Final = "Bemerkung entfernen"
BTN_CURRENT: Final = "{label} (bisher)"

# -- command line (nhr bot, nhr contacts) -------------------------------------------------------

CLI_BOT_HELP: Final = "Den Telegram-Bot starten"
CLI_WEBHOOK_HELP: Final = "Webhook statt Long Polling (braucht WEBHOOK_URL)"
CLI_CONCURRENCY_HELP: Final = "Updates, die gleichzeitig bearbeitet werden (Standard: 8)"
CLI_CONTACTS_HELP: Final = "Ansprechpersonen einladen, auflisten, sperren"
CLI_INVITE_HELP: Final = "Eine Person einladen und den Einladungslink ausgeben"
CLI_REINVITE_HELP: Final = "Einer bestehenden Person einen neuen Einladungslink geben"
CLI_REVOKE_HELP: Final = "Einer Person den Zugang sofort entziehen"
CLI_LIST_HELP: Final = "Alle Personen auflisten"
CLI_NAME_HELP: Final = "Name der Person"
CLI_DEPARTMENT_HELP: Final = "Kürzel der Abteilung, z. B. 80.01 (mehrfach möglich)"
CLI_COORDINATOR_HELP: Final = "als Koordination einladen"
CLI_DAYS_HELP: Final = "Gültigkeit des Links in Tagen (Standard: 14)"
CLI_WHO_HELP: Final = "Nummer oder Name der Person"
CLI_NO_TOKEN: Final = "TELEGRAM_BOT_TOKEN ist nicht gesetzt."
CLI_NO_WEBHOOK_URL: Final = "Für den Webhook-Betrieb fehlt WEBHOOK_URL."
CLI_NO_TORNADO: Final = (
    "Der Webhook-Betrieb braucht python-telegram-bot[webhooks] (tornado); es ist nicht installiert."
)
CLI_INVITED: Final = "Einladung für {name} (Nr. {id}), gültig bis {until}:"
CLI_USERNAME_FALLBACK: Final = (
    "Hinweis: Bot-Name nicht abrufbar ({error}); verwende {username} aus den Einstellungen."
)
CLI_INACTIVE: Final = (
    "{name} ist gesperrt. Bitte laden Sie die Person neu ein (nhr contacts invite)."
)
CLI_REVOKED: Final = "Zugang von {name} (Nr. {id}) ist gesperrt."
CLI_LIST_COLUMNS: Final[dict[str, str]] = {
    "id": "Nr.", "name": "Name", "role": "Rolle", "bound": "Telegram", "active": "Aktiv",
    "departments": "Abteilungen",
}
CLI_LIST_ROW: Final = "{id:<4} {name:<30} {role:<12} {bound:<9} {active:<6} {departments}"
CLI_LIST_EMPTY: Final = "Noch keine Personen."
CLI_YES: Final = "ja"
CLI_NO: Final = "nein"
CLI_ROLE: Final[dict[str, str]] = {
    "contact": "Ansprechp.",
    "coordinator": "Koordination",
    "admin": "Admin",
}
