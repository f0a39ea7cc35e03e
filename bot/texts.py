"""Every German text the bot and its command line show, in one place.

Texts are Telegram HTML. Placeholders (``{title}`` ...) are filled by :mod:`bot.common.screens` with
values that are already escaped; nothing in here is ever filled with raw user or database text.
Polite "Sie", short, readable on a phone.
"""

from __future__ import annotations

from typing import Final

from core.models import SubmissionState
from core.status import Status

# -- access ------------------------------------------------------------------------------------

#: The one answer for everyone who is not an active, bound contact (see :func:`refusal`).
REFUSAL_TEMPLATE: Final = "Dieser Bot ist nur für eingeladene Ansprechpersonen {publisher}."
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
    "Abgebrochen. Alles Eingetragene ist als Entwurf gespeichert. Mit /projekte geht es weiter."
)
IDLE: Final = "Mit /projekte sehen Sie Ihre Projekte."

# -- hints and errors --------------------------------------------------------------------------

UNKNOWN_COMMAND: Final = "Diesen Befehl kenne ich nicht. /hilfe zeigt, was möglich ist."
TEXT_ONLY: Final = "Ich kann nur Text und Schaltflächen verarbeiten."
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
OVERVIEW_BUTTON: Final = "{title}"  # numbering in the message body, the label shows the title
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
CLI_DAYS_HELP: Final = "Gültigkeit des Links in Tagen, 1 bis 90 (Standard: 14)"
CLI_DAYS_RANGE: Final = "„{value}“ geht nicht: Ein Link gilt 1 bis 90 Tage."
CLI_DUPLICATE_HINT: Final = "Einen neuen Link für diese Person erzeugt: nhr contacts reinvite {id}"
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
    "id": "Nr.",
    "name": "Name",
    "role": "Rolle",
    "bound": "Telegram",
    "active": "Aktiv",
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

# -- coordination (bot/coordinator*.py) ---------------------------------------------------------

COORD_ONLY: Final = "Das ist nur für die Koordination."
COORD_CANCELLED: Final = "Abgebrochen."
COORD_USE_BUTTONS: Final = "Bitte wählen Sie eine der Schaltflächen oder /abbrechen."
#: The menu in a coordinator's chat: the coordination's commands, then the contacts'.
COORD_COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("stand", "Stand der Meldungen je Abteilung"),
    ("pruefen", "Meldungen, die auf Freigabe warten"),
    ("projekte", "Alle Projekte ansehen und bearbeiten"),
    ("erinnern", "Eine Abteilung jetzt erinnern"),
    ("entwurf", "Entwurf als PDF und DOCX"),
    ("aenderungen", "Änderungsansicht als PDF"),
    ("projekt_neu", "Ein Projekt anlegen"),
    ("einladen", "Eine Person einladen"),
    ("sperren", "Einer Person den Zugang entziehen"),
    ("hilfe", "Kurze Hilfe"),
    ("abbrechen", "Abbrechen, Eingaben bleiben als Entwurf"),
)
COORD_HELP: Final = (
    "<b>Für die Koordination</b>\n"
    "/stand – Stand der Meldungen je Abteilung\n"
    "/stand 61 – die Projekte einer Abteilung und ihr Stand\n"
    "/pruefen – Meldungen, die auf Freigabe warten (alle „Keine Änderungen“ mit einem Tipp)\n"
    "/erinnern 80.01 – eine Abteilung jetzt erinnern\n"
    "/entwurf – Entwurf als PDF und DOCX\n"
    "/aenderungen – Änderungsansicht als PDF\n"
    "/projekte – alle Projekte ansehen und bearbeiten\n"
    "/projekt_neu – ein Projekt anlegen\n"
    "/einladen – eine Person einladen\n"
    "/sperren – einer Person den Zugang entziehen"
)

# review of a submission
REVIEW_TITLE: Final = "<b>Meldung zur Freigabe</b>"
PROJECT_LABEL: Final = "{number} „{title}“"
PROJECT_LABEL_UNNUMBERED: Final = "„{title}“"
REVIEW_PROJECT: Final = "Nr. {number} · <b>{title}</b>"
REVIEW_PROJECT_UNNUMBERED: Final = "<b>{title}</b>"
REVIEW_FROM: Final = "Abteilung: {departments} · von {name} · {when}"
REVIEW_NO_CHANGES: Final = "Gemeldet: <b>keine Änderungen</b>."
REVIEW_APPROVED: Final = "✓ Freigegeben von {name} am {when}."
REVIEW_RETURNED: Final = "↩ Zurückgegeben von {name} am {when}. Grund: {reason}"
REVIEW_DECIDED: Final = "Diese Meldung wurde bereits bearbeitet."
REVIEW_OUTDATED: Final = (
    "Die Abteilung hat diese Meldung überarbeitet; bitte die neue Nachricht nutzen."
)
REVIEW_GONE: Final = "Diese Meldung gibt es nicht mehr."
REVIEW_IN_REVISION: Final = (
    "Die Abteilung überarbeitet diese Meldung gerade; nach dem erneuten Einreichen kommt sie "
    "wieder."
)
REVIEW_WAITING_NONE: Final = "Keine Meldung wartet auf Freigabe."
REVIEW_WAITING: Final = ("1 Meldung wartet auf Freigabe.", "{count} Meldungen warten auf Freigabe.")
REVIEW_WAITING_MORE: Final = "Hier die ersten {shown}; die übrigen folgen nach erneutem /pruefen."
APPROVED_DONE: Final = "Freigegeben: {project}."
BTN_APPROVE_UNCHANGED: Final = (
    "Die Meldung ohne Änderungen freigeben",
    "Alle {count} ohne Änderungen freigeben",
)
UNCHANGED_APPROVED: Final = (
    "1 Meldung ohne Änderungen freigegeben.",
    "{count} Meldungen ohne Änderungen freigegeben.",
)
UNCHANGED_NONE: Final = "Keine Meldung ohne Änderungen wartet auf Freigabe."
UNCHANGED_LEFT: Final = (
    "1 weitere ging gerade nicht; bitte tippen Sie gleich noch einmal.",
    "{count} weitere gingen gerade nicht; bitte tippen Sie gleich noch einmal.",
)
RETURNED_DONE: Final = "Zurückgegeben: {project}. Die Abteilung ist informiert."
ASK_RETURN_REASON: Final = (
    "Warum geben Sie die Meldung zu {project} zurück? "
    "Bitte schreiben Sie den Grund; die Abteilung erhält ihn."
)
CONFLICT_TITLE: Final = "⚠️ <b>Das Projekt wurde geändert, nachdem diese Meldung begonnen wurde.</b>"
CONFLICT_SINCE: Final = "<b>Seitdem geändert:</b>"
CONFLICT_UNKNOWN: Final = "Die Einzelheiten sind nicht bekannt."
CONFLICT_LINE: Final = "• {field}: {change} <i>({who}, {when})</i>"
CONFLICT_ASK: Final = (
    "„Trotzdem übernehmen“ trägt die Meldung ein; sie ändert nur die Felder, die sie nennt. "
    "Mit „Abbrechen“ bleibt sie offen (z. B. zum Zurückgeben)."
)
CONFLICT_ADDED: Final = "+ {item}"
CONFLICT_REMOVED: Final = "− {item}"
CONFLICT_CHANGED: Final = "{before} → {after}"
CONFLICT_FIELDS: Final[dict[str, str]] = {
    "title": "Titel",
    "short_title": "Kurztitel",
    "description": "Beschreibung",
    "remark": "Bemerkung",
    "status": "Status",
    "status_since": "Status seit",
    "municipalities": "Kommunen",
    "departments": "Abteilungen",
    "goal": "Ziel",
    "keep_until": "im Report bis",
    "drop_reason": "Grund",
    "entries:done": "Abgeschlossene Meilensteine",
    "entries:planning": "Planungsschritte",
    "entries:planned": "Geplante Meilensteine",
    "entries:planned->done": "Geplant, jetzt erledigt",
    "consultations": "Beratungen in Gremien",
}

# to the contact
CONTACT_APPROVED: Final = "Ihre Meldung zu {project} wurde freigegeben. Vielen Dank!"
CONTACT_APPROVED_UNCHANGED: Final = (
    "Ihre Meldung „keine Änderungen“ zu {projects} wurde freigegeben. Vielen Dank!",
    "Ihre Meldungen „keine Änderungen“ zu {projects} wurden freigegeben. Vielen Dank!",
)
CONTACT_APPROVED_REVISED: Final = (
    "Ihre Meldung zu {project} wurde freigegeben; die Koordination hat sie dabei "
    "angepasst. Vielen Dank!"
)
CONTACT_RETURNED: Final = (
    "Ihre Meldung zu {project} wurde zurückgegeben.\n"
    "<b>Grund:</b> {reason}\n\n"
    "Bitte überarbeiten Sie die Meldung und reichen Sie sie erneut ein."
)

# editing a submission
REVIEW_EDIT_TITLE: Final = "<b>Meldung bearbeiten: {title}</b>"
REVIEW_EDIT_ASK: Final = "Was möchten Sie an der Meldung ändern? Danach „Fertig“."
REVIEW_EDIT_NONE: Final = "Die Meldung enthält keine Änderungen."
ASK_REVIEW_REMARK: Final = "Schreiben Sie die Bemerkung, wie sie übernommen werden soll."
ASK_REVIEW_DESCRIPTION: Final = "Schreiben Sie die Beschreibung, wie sie übernommen werden soll."
REVIEW_PROPOSED_REMARK: Final = "<b>Bemerkung laut Meldung:</b> {text}"
REVIEW_PROPOSED_DESCRIPTION: Final = "<b>Beschreibung laut Meldung:</b> {text}"
ASK_REVIEW_REMOVE: Final = "Welchen Eintrag möchten Sie aus der Meldung entfernen?"
REVIEW_SAVED: Final = "Gespeichert: Die Meldung ist angepasst."

# progress
STAND_TITLE: Final = "<b>Stand der Meldungen – Report Stand {cutoff}</b>"
STAND_DEADLINE: Final = "Frist der Abteilungen: {deadline}"
STAND_DEADLINE_PASSED: Final = "Frist der Abteilungen: {deadline} (abgelaufen)"
STAND_TOTAL: Final = "Insgesamt {projects} Projekte: {counts}"
STAND_COUNTS: Final = (
    "offen {open} · in Arbeit {draft} · eingereicht {submitted} · freigegeben {approved} · "
    "zurückgegeben {returned}"
)
STAND_DEPARTMENT: Final = "<b>{code}</b> – {projects}\n{counts}"
STAND_OVERDUE: Final = "⚠️ <b>{code}</b> – überfällig – {projects}\n{counts}"
STAND_WAITING: Final = (
    "1 Meldung wartet auf Ihre Freigabe: /pruefen",
    "{count} Meldungen warten auf Ihre Freigabe: /pruefen",
)
PROJECTS_COUNT: Final = ("1 Projekt", "{count} Projekte")
OF_PROJECTS: Final = ("{part} von 1 Projekt", "{part} von {count} Projekten")
OF_PERSONS: Final = ("{part} von 1 Person", "{part} von {count} Personen")
STAND_EMPTY: Final = "Diese Ausgabe hat noch keine Projekte."

NUDGE_USAGE: Final = "Bitte nennen Sie die Abteilung, z. B. /erinnern 80.01"
NUDGE_PICK: Final = "Welche Abteilung möchten Sie erinnern?"
NUDGE_NOTHING_OPEN: Final = "Die Abteilung {code} hat alles gemeldet; keine Erinnerung nötig."
NUDGE_NOBODY: Final = "Für die Abteilung {code} ist niemand beim Bot angemeldet."
NUDGE_SENT: Final = "Erinnerung an {code} gesendet: {reached} erreicht."
NUDGE_ALREADY: Final = "Die Abteilung {code} wurde soeben erinnert."
NUDGE_MESSAGE: Final = (
    "Guten Tag, {name}!\n\n"
    "Die Koordination bittet um Ihre Meldung zum Nachhaltigkeitsreport Stand {cutoff}: "
    "Für {code} sind noch {outstanding} offen.\n{deadline}"
)
NUDGE_DEADLINE: Final = "Bitte melden Sie bis {deadline}."
NUDGE_DEADLINE_PASSED: Final = (
    "Die Frist ist am {deadline} abgelaufen. Bitte melden Sie so bald wie möglich."
)
NUDGE_BUTTON: Final = "{code} ({outstanding} offen)"

DRAFT_WORKING: Final = "Der Entwurf wird erstellt …"
CHANGES_WORKING: Final = "Die Änderungsansicht wird erstellt …"
DRAFT_READY: Final = "Entwurf, Stand {cutoff} – nur freigegebene Änderungen:"
CHANGES_READY: Final = "Änderungsansicht, Stand {cutoff} – nur freigegebene Änderungen:"
DRAFT_FAILED: Final = "Der Entwurf konnte nicht erstellt werden. Bitte versuchen Sie es später."
DRAFT_KILLED: Final = (
    "Die Erstellung wurde abgebrochen, der Entwurf liegt nicht vor. Bitte versuchen Sie es erneut."
)

# projects
PROJECTS_TITLE: Final = "<b>Alle Projekte – Report Stand {cutoff}</b>"
PROJECTS_LINE: Final = "<b>{number}</b> {title} – {departments} – <i>{state}</i>"
PROJECTS_BUTTON: Final = "{number} {title}"
PROJECTS_PAGE: Final = "Seite {page} von {pages}"
PROJECTS_EMPTY: Final = "Diese Ausgabe hat noch keine Projekte."
PROJECT_HEAD: Final = "Nr. {number} · ID {id} · Ziel {goal}"
PROJECT_HEAD_UNNUMBERED: Final = "ID {id} · nicht im Report"
PROJECT_SHORT: Final = "<b>Kurztitel:</b> {text}"
PROJECT_MUNICIPALITIES: Final = "<b>Kommunen:</b> {text}"
PROJECT_DROPPED: Final = "<b>Entfallen:</b> {reason}"
PROJECT_KEPT: Final = "Bleibt im Report bis einschließlich Stand {until}."
PROJECT_GONE: Final = "Dieses Projekt gibt es nicht mehr."

ASK_PROJECT_TEXT: Final[dict[str, str]] = {
    "title": "Schreiben Sie den neuen Titel (höchstens {limit} Zeichen).",
    "short_title": "Schreiben Sie den neuen Kurztitel für die Projektliste "
    "(höchstens {limit} Zeichen).",
    "description": "Schreiben Sie die neue Projektbeschreibung.",
    "municipalities": "Schreiben Sie die Zusammenarbeit mit Kommunen (oder „-“ für keine Angabe).",
}
CURRENT_PROJECT_TEXT: Final[dict[str, str]] = {
    "title": "<b>Bisheriger Titel:</b> {text}",
    "short_title": "<b>Bisheriger Kurztitel:</b> {text}",
    "description": CURRENT_DESCRIPTION,
    "municipalities": "<b>Bisher:</b> {text}",
}
SAVED_PROJECT_TEXT: Final[dict[str, str]] = {
    "title": "Gespeichert: neuer Titel.",
    "short_title": "Gespeichert: neuer Kurztitel.",
    "description": SAVED_DESCRIPTION,
    "municipalities": "Gespeichert: Zusammenarbeit mit Kommunen.",
}
ASK_DEPARTMENTS: Final = (
    "Welche Abteilungen sind verantwortlich? Tippen Sie zum Aus- und Abwählen "
    "oder schreiben Sie die Kürzel, z. B. 61, 80.01."
)
DEPARTMENTS_CHOSEN: Final = "Ausgewählt: {codes}"
SAVED_DEPARTMENTS: Final = "Gespeichert: verantwortlich sind jetzt {codes}."
ASK_DROP: Final = (
    "Warum entfällt „{title}“? Der Grund steht im Archiv unter „Entfallene Projekte“ "
    "(z. B. „Daueraufgabe“)."
)
DROPPED: Final = "„{title}“ ist entfallen und steht künftig im Archiv unter „Entfallene Projekte“."
ASK_KEEP: Final = "Soll „{title}“ eine Ausgabe länger im Report stehen?"
KEPT: Final = "„{title}“ bleibt bis einschließlich der Ausgabe Stand {until} im Report."

NEW_ASK_FIELD: Final = "<b>Neues Projekt</b> (1/5): In welchem Themenfeld?"
NEW_ASK_GOAL: Final = "<b>Neues Projekt</b> (2/5): Zu welchem strategischen Ziel?"
NEW_ASK_TITLE: Final = (
    "<b>Neues Projekt</b> (3/5): Wie lautet der Titel? (höchstens {limit} Zeichen)"
)
NEW_ASK_SHORT: Final = "<b>Neues Projekt</b> (4/5): Wie lautet der Kurztitel für die Projektliste?"
NEW_ASK_DEPARTMENTS: Final = "<b>Neues Projekt</b> (5/5): " + ASK_DEPARTMENTS
NEW_CHOSEN: Final = "Themenfeld {field} · Ziel {goal}"
NEW_NO_GOALS: Final = "Dieses Themenfeld hat keine Ziele im Report."
NEW_CREATED: Final = "Projekt „{title}“ angelegt: Nr. {number} in der Ausgabe Stand {cutoff}."

INVITE_ASK_NAME: Final = "<b>Einladen</b> (1/3): Wie heißt die Person?"
INVITE_ASK_DEPARTMENTS: Final = (
    "<b>Einladen</b> (2/3): Für welche Abteilungen meldet {name}? "
    "Für die Koordination ist keine nötig."
)
INVITE_ASK_ROLE: Final = "<b>Einladen</b> (3/3): Welche Rolle hat {name}?"
INVITED: Final = (
    "Einladung für {name} (Nr. {id}), gültig bis {until}. Bitte geben Sie den Link "
    "weiter; er funktioniert einmal:\n{link}"
)
ROLE_LABELS: Final[tuple[str, ...]] = ("Ansprechperson", "Koordination")

REVOKE_PICK: Final = "Wem möchten Sie den Zugang entziehen? (oder /sperren Name)"
REVOKE_NONE: Final = "Es gibt keine weiteren aktiven Personen."
ASK_REVOKE: Final = (
    "Zugang von {name} ({departments}) sperren? Die Person kann den Bot danach nicht mehr nutzen."
)
REVOKED: Final = "Der Zugang von {name} ist gesperrt."
REVOKE_SELF: Final = "Sie können sich nicht selbst sperren."
REVOKE_INACTIVE: Final = "{name} ist bereits gesperrt."

BTN_APPROVE: Final = "Freigeben ✓"
BTN_RETURN: Final = "Zurückgeben"
BTN_REVIEW_EDIT: Final = "Bearbeiten"
BTN_FORCE: Final = "Trotzdem übernehmen"
BTN_CANCEL: Final = "Abbrechen"
BTN_EDIT_REMARK: Final = "Bemerkung"
BTN_EDIT_DESCRIPTION: Final = "Beschreibung"
BTN_EDIT_REMOVE: Final = "Eintrag entfernen"
BTN_EDIT_DONE: Final = "Fertig ✓"
BTN_TITLE: Final = "Titel"
BTN_SHORT_TITLE: Final = "Kurztitel"
BTN_PROJECT_DESCRIPTION: Final = "Beschreibung"
BTN_MUNICIPALITIES: Final = "Kommunen"
BTN_DEPARTMENTS: Final = "Abteilungen"
BTN_DROP: Final = "Entfallen lassen"
BTN_KEEP: Final = "Eine Ausgabe länger zeigen"
BTN_KEEP_YES: Final = "Ja, länger zeigen"
BTN_REPORT: Final = "Meldung eintragen"
BTN_ALL_PROJECTS: Final = "◀ Alle Projekte"
BTN_NEW_PROJECT: Final = "Neues Projekt"
BTN_TAKE: Final = "Übernehmen ✓"
BTN_CREATE: Final = "Anlegen ✓"
BTN_CONTINUE: Final = "Weiter ▶"
BTN_SAME_AS_TITLE: Final = "wie der Titel"
BTN_SELECTED: Final = "✓ {label}"
BTN_REVOKE: Final = "Sperren"


def refusal(genitive: str, contact: str) -> str:
    """The refusal, naming the publisher ("des Kreises Soest") and whom to ask for an
    invitation: ``genitive`` and ``contact`` of the bot's settings
    (``Services.settings.publisher``)."""
    refused = REFUSAL_TEMPLATE.format(publisher=genitive)
    return f"{refused}\n{ask_coordinator(genitive, contact)}"


# -- coordinator: departments of a project -----------------------------------------------------

DEPARTMENT_INACTIVE: Final = "Die Abteilung „{code}“ ist deaktiviert."
DEPARTMENTS_NEEDED: Final = "Bitte geben Sie mindestens eine Abteilung an, z. B. 80.01."


# -- nhr doctor: the Bot API check (bot/doctor.py) -------------------------------------------

DOCTOR_NO_TOKEN: Final = "übersprungen: kein Bot-Token."
DOCTOR_NO_TOKEN_FIX: Final = "TELEGRAM_BOT_TOKEN setzen."
DOCTOR_TOKEN_REFUSED: Final = "{server} lehnt das Bot-Token ab."
DOCTOR_TOKEN_FIX: Final = "Token bei @BotFather prüfen (/token) und TELEGRAM_BOT_TOKEN neu setzen."
DOCTOR_TIMEOUT: Final = "{server} antwortet nicht (Zeitüberschreitung)."
DOCTOR_NETWORK_FIX: Final = "Netzwerk, Firewall und Proxy (HTTPS_PROXY) prüfen."
DOCTOR_UNREACHABLE: Final = "{server} nicht erreichbar: {reason}"
DOCTOR_FAILED: Final = "{server} meldet einen Fehler: {reason}"
DOCTOR_FAILED_FIX: Final = "TELEGRAM_API_BASE_URL und Token prüfen."
DOCTOR_OK: Final = "@{username} über {server}."

# -- corrections (issue 18) --------------------------------------------------------------------

#: An edited message that was the last answer: its new text replaced the value.
CORRECTED: Final = "Korrigiert: {value}"
#: An edited message that was not the last answer (or whose value is gone meanwhile).
EDIT_OLDER: Final = (
    "Bearbeiten wirkt nur auf die letzte Antwort; Älteres unter „Einträge ändern/entfernen“."
)
#: A text typed on a button screen that looks like a corrected last answer.
OFFER_REPLACE: Final = "Soll „{new}“ Ihre letzte Eingabe „{old}“ ersetzen?"
BTN_REPLACE_LAST: Final = "Ja, ersetzen"
#: The change menu's button to the list of entries (✎ ändern / ✕ entfernen each).
BTN_ENTRIES: Final = "Einträge ändern/entfernen"
ASK_ENTRIES: Final = "Ihre Einträge: ✎ ändert einen Eintrag, ✕ entfernt ihn."
ENTRY_LINE: Final = "{number}. {item}"
BTN_EDIT_ENTRY: Final = "✎ {number}"
BTN_REMOVE_ENTRY: Final = "✕ {number}"
#: ✎ ändern: which value of the entry is typed anew.
FIELD_NAMES: Final[dict[str, str]] = {
    "text": "Text",
    "date": "Datum",
    "gremium": "Gremium",
    "nummer": "Vorlagennummer",
    "reason": "Grund",
}
ASK_NEW_VALUE: Final = "{item}\n\nBitte senden Sie den neuen Wert für <b>{field}</b>."
CURRENT_VALUE: Final = "Bisher (zum Kopieren antippen): <code>{value}</code>"
BTN_OTHER_FIELD: Final = "✎ {field}"
#: The remark step: the current text to copy, and how the typed text is used.
CURRENT_REMARK_COPY: Final = (
    "<b>Bisherige Bemerkung</b> (zum Kopieren antippen):\n<code>{text}</code>"
)
ASK_REMARK_APPEND: Final = "Schreiben Sie den Zusatz. Er wird als neuer Absatz angefügt."
BTN_REMARK_APPEND: Final = "Ergänzen"
BTN_REMARK_REPLACE: Final = "Ersetzen"
SAVED_REMARK_APPENDED: Final = "Gespeichert: Bemerkung ergänzt."

# -- orientation (issue 18) --------------------------------------------------------------------

#: Above every question of the contact conversation: which project, which step of the entry.
STEP_HEADER: Final = "<i>Projekt {number} · Schritt {index}/{total}</i>"
PROJECT_HEADER: Final = "<i>Projekt {number}</i>"
#: The one line a stray text on a button screen gets (the screen above stays as it is).
TAP_A_BUTTON: Final = "Bitte tippen Sie auf eine Schaltfläche oben."
#: The toast of a button on an older message (the current screen stays where it is).
STALE_TOAST: Final = (
    "Diese Schaltfläche ist nicht mehr aktuell. Bitte nutzen Sie die neueste Nachricht."
)
#: Typed words that mean "go on" on the current screen (Weiter bei …, Los geht's, Überspringen).
TYPED_FORWARD: Final = frozenset({"weiter", "los", "ok", "okay"})
RESUME_ASK: Final = (
    "Sie waren mitten in einer Eingabe: <b>Projekt {where}</b>. "
    "Ihre Angaben sind gespeichert. Möchten Sie dort weitermachen?"
)
RESUME_DRAFT: Final = (
    "Sie haben noch nicht eingereichte Änderungen bei <b>Projekt {where}</b>. "
    "Möchten Sie dort weitermachen?"
)
BTN_RESUME: Final = "Weiter bei {where}"
WHERE_STEP: Final = "{number} · Schritt {index}/{total}"

#: The first welcome: what for, by when, how long (three short lines).
WELCOME_FIRST: Final = (
    "Willkommen, {name}! Sie melden für: {departments}.\n"
    "Hier melden Sie den Stand Ihrer Projekte für den Nachhaltigkeitsreport {publisher}.\n"
    "Bitte bis {deadline} – etwa 2 Minuten je Projekt, bei Ihnen {projects}."
)
WELCOME_COORDINATOR: Final = (
    "Willkommen, {name}! Sie sind als Koordination angemeldet: Sie sehen den Stand aller "
    "Abteilungen und prüfen die Meldungen. Mit /stand sehen Sie den Stand, mit /pruefen die "
    "offenen Meldungen."
)
#: Whom to ask (refusals, expired or invalid invitations).
ASK_COORDINATOR: Final = "Bitte wenden Sie sich an {contact}."
DEFAULT_COORDINATOR: Final = "die Nachhaltigkeitskoordination {publisher}"
RETURNED_OPENED: Final = (
    "Die Koordination hat Ihre Meldung zurückgegeben. Bitte überarbeiten Sie sie."
)


def ask_coordinator(genitive: str, contact: str) -> str:
    """ "Bitte wenden Sie sich an …": the configured coordinator contact (PUBLISHER_CONTACT),
    else the publisher's Nachhaltigkeitskoordination."""
    who = contact.strip() or DEFAULT_COORDINATOR.format(publisher=genitive)
    return ASK_COORDINATOR.format(contact=who)


# -- coordinator (issue 18): hand-ins in one message per contact, the short /stand -----------

DIGEST_TITLE: Final = "<b>Meldungen zur Freigabe</b> – von {name} ({departments})"
DIGEST_COUNT: Final = ("1 Meldung, zuletzt {when}", "{count} Meldungen, zuletzt {when}")
DIGEST_ITEM: Final = "<b>{index}.</b> {project}\n{state}"
DIGEST_WAITING: Final = "Geändert: {what}"
DIGEST_STATUS: Final = "Status"
DIGEST_REMARK: Final = "Bemerkung"
DIGEST_DESCRIPTION: Final = "Beschreibung"
DIGEST_DONE: Final = ("1 erledigt", "{count} erledigt")
DIGEST_PLANNED: Final = ("1 geplant", "{count} geplant")
DIGEST_STEPS: Final = ("1 Planungsschritt", "{count} Planungsschritte")
DIGEST_CONSULTATIONS: Final = ("1 Beratung", "{count} Beratungen")
DIGEST_FOOTER: Final = "Details und Bearbeiten: /pruefen"
BTN_DIGEST_APPROVE: Final = "{index}. Freigeben ✓"
BTN_DIGEST_RETURN: Final = "{index}. Zurückgeben"
BTN_DIGEST_EDIT: Final = "{index}. Bearbeiten"

STAND_UNREGISTERED: Final = "<b>Niemand angemeldet ({count}):</b> {codes}"
STAND_OVERDUE_HEAD: Final = "<b>⚠️ Überfällig ({count}):</b>"
STAND_OPEN_HEAD: Final = "<b>In Arbeit ({count}):</b>"
STAND_LATE_LINE: Final = "{code} – {names}: {missing} offen"
STAND_COMPLETE: Final = "<b>Vollständig ({count}):</b> {codes}"
STAND_MORE: Final = "… und {count} weitere"
BTN_STAND_FULL: Final = "Ganze Tabelle"


# -- shared projects and colleagues (issue 18) --

#: A shared project that another department reported: what they said, and the question.
CARD_FOREIGN_HEAD: Final = "<b>Meldung einer anderen Abteilung:</b>"
CARD_FOREIGN_ASK: Final = "Passt das auch für Ihre Abteilung? Sonst ergänzen Sie die Meldung."
CARD_FOREIGN_APPROVED: Final = (
    "Diese Meldung ist bereits freigegeben. Mit „Passt so“ übernehmen Sie sie für Ihre "
    "Abteilung; Ergänzungen nimmt die Koordination entgegen."
)
BTN_CONFIRM_REPORT: Final = "✓ Passt so"
BTN_EXTEND_REPORT: Final = "Ergänzen"
CONFIRMED_REPORT: Final = "Bestätigt: „{title}“ passt so."
EXTENDING_REPORT: Final = "Sie ergänzen die Meldung. Reichen Sie sie danach wieder ein."
#: The changes entered in a shared draft (colleagues and other departments included).
CARD_DRAFT_SHARED: Final = "<b>Eingetragene Änderungen:</b>"
#: Who made an entry, after it, when it was not the viewer.
BY_AUTHOR: Final = "{item} <i>({name})</i>"
#: The review: everyone who took part.
REVIEW_FROM_ALL: Final = "Abteilung: {departments} · von {names} · {when}"
#: "Seit wann?" after a new status.
ASK_STATUS_SINCE: Final = (
    "Seit wann gilt „{status}“? Tippen Sie auf eine Schaltfläche oder schreiben Sie ein Datum, "
    "z. B. Juni 2025."
)
BTN_SINCE_TODAY: Final = "heute"
BTN_SINCE_MONTH: Final = "diesen Monat"
SAVED_STATUS_SINCE: Final = "Gespeichert: Status „{status}“ seit {since}."
#: The status change in the summary and the review, with its date.
ITEM_STATUS_SINCE: Final = "Status: {before} → {after} (seit {since})"
#: An author whose name is gone.
SOMEONE_ELSE: Final = "jemand anderes"
#: /stand <Abteilung>: the department's projects with the state of its own report.
STAND_OF_DEPARTMENT: Final = "<b>Stand {code} – Report Stand {cutoff}</b>"
STAND_DEPARTMENT_LINE: Final = "<b>{number}</b> {title} – <i>{state}</i>"
STAND_DEPARTMENT_EMPTY: Final = "Diese Abteilung hat in dieser Ausgabe keine Projekte."
