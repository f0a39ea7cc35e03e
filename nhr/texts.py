"""The command line's German text: what ``nhr`` prints and says in ``--help``.

The one home of German words in ``nhr/`` (see ``tests/test_text_homes.py``), grouped by command
module. Counts use :func:`core.texts.plural`.
"""

from __future__ import annotations

import errno
import re
from typing import Final

from core.status import Status

# -- nhr errors (errors.py) ------------------------------------------------------------------------

USAGE_LINE: Final = "{prog}: Fehler: {message} ({prog} --help zeigt die Optionen)"
INTERRUPTED: Final = "Abgebrochen."
UNEXPECTED: Final = "Unerwarteter Fehler: {type}. Mit NHR_DEBUG=1 sehen Sie Details."
DETAILS: Final = " Mit NHR_DEBUG=1 sehen Sie Details."

DB_UNREACHABLE: Final = "Datenbank nicht erreichbar: {url}{reason}."  # or not usable
DB_FAILED: Final = "Datenbankfehler ({type}) bei {url}."
DB_BAD_URL: Final = "DATABASE_URL ist keine gültige Datenbank-Adresse: „{url}“."
DB_UNKNOWN_DIALECT: Final = "DATABASE_URL nennt eine unbekannte Datenbank „{dialect}“: {url}."
DB_NO_DRIVER: Final = (
    "Der Datenbanktreiber „{driver}“ für {url} ist nicht installiert "
    "(PostgreSQL: postgresql+psycopg://…)."
)
SETTING_INVALID: Final = "Ungültige Einstellung (Umgebung oder .env): {names}."
TELEGRAM_TOKEN: Final = "Telegram lehnt den Bot-Token ab: bitte TELEGRAM_BOT_TOKEN prüfen."
TELEGRAM_NETWORK: Final = (
    "Telegram ist nicht erreichbar: bitte Netzwerk, Proxy und TELEGRAM_API_BASE_URL prüfen."
)
TELEGRAM_FAILED: Final = "Telegram meldet einen Fehler ({type})."

#: What went wrong with a file or the network, by ``errno``; ``{path}`` is the file (or "").
OS_PROBLEMS: Final[dict[int, str]] = {
    errno.ENOENT: "Datei oder Ordner nicht gefunden{path}.",
    errno.EACCES: "Keine Berechtigung{path}.",
    errno.EPERM: "Keine Berechtigung{path}.",
    errno.ENOSPC: "Kein Speicherplatz mehr{path} – die Datei ist unvollständig.",
    errno.EDQUOT: "Speicherkontingent erschöpft{path} – die Datei ist unvollständig.",
    errno.EROFS: "Das Dateisystem ist schreibgeschützt{path}.",
    errno.EISDIR: "Ein Ordner, keine Datei{path}.",
    errno.ENOTDIR: "Ein Teil des Pfads ist kein Ordner{path}.",
    errno.EEXIST: "Hier steht schon eine Datei{path}; bitte einen anderen Ordner angeben.",
    errno.ENAMETOOLONG: "Dateiname zu lang{path}.",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers{path}.",
    errno.EADDRINUSE: (
        "Die Adresse ist schon belegt: ein anderes Programm nutzt WEBHOOK_LISTEN/WEBHOOK_PORT."
    ),
    errno.EADDRNOTAVAIL: "Die Adresse WEBHOOK_LISTEN gibt es auf diesem Rechner nicht.",
    errno.ECONNREFUSED: "Verbindung abgelehnt{path}.",
}
OS_OTHER: Final = "Datei- oder Systemfehler ({code}){path}."

#: The database driver's reason, recognised in its message, in German. Only these words are
#: shown; the driver's own text (which may quote SQL or data) never is.
DB_REASONS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"connection refused", "Verbindung abgelehnt"),
        (r"password authentication failed|authentication failed", "Anmeldung abgelehnt"),
        (r"no password supplied", "kein Passwort angegeben"),
        (r"database \S+ does not exist", "diese Datenbank gibt es nicht"),
        (r"role \S+ does not exist", "diesen Benutzer gibt es nicht"),
        (
            r"could not translate host name|name or service not known|nodename nor servname",
            "Rechnername unbekannt",
        ),
        (r"invalid port|port .*out of range", "ungültiger Port"),
        (r"timeout|timed out", "Zeitüberschreitung"),
        (r"unable to open database file", "Datei lässt sich nicht öffnen"),
        (r"database is locked", "Datenbank ist gesperrt (ein anderes Programm schreibt)"),
        (r"readonly database|read-only", "Datenbank ist schreibgeschützt"),
        (r"disk is full|no space left", "kein Speicherplatz mehr"),
        (r"file is not a database|file is encrypted", "die Datei ist keine SQLite-Datenbank"),
        (r"too many (clients|connections)", "zu viele Verbindungen"),
        (r"server closed the connection|connection .*(lost|closed)", "Verbindung abgebrochen"),
    )
)

# -- nhr project, department, audit (cli_admin.py) -------------------------------------------------

STATUS_LABEL: Final[dict[Status, str]] = {
    Status.UMGESETZT: "umgesetzt",
    Status.IN_BEARBEITUNG: "in Bearbeitung",
    Status.IN_PLANUNG: "in Planung",
    Status.IDEENSPEICHER: "Ideenspeicher",
    Status.ENTFALLEN: "entfallen",
}
ACTION_LABEL: Final[dict[str, str]] = {
    "create": "angelegt",
    "update": "geändert",
    "delete": "gelöscht",
}
PROJECT_CREATED: Final = (
    "Projekt „{title}“ angelegt (ID {id}): Nr. {number} in der Ausgabe Stand {cutoff}."
)
PROJECT_EDITED: Final = "Projekt „{title}“ (ID {id}): {changes} gespeichert."
PROJECT_UNCHANGED: Final = "Projekt „{title}“ (ID {id}): keine Änderung, die Werte waren schon so."
PROJECT_DROPPED: Final = (
    "Projekt „{title}“ (ID {id}) ist entfallen. Es steht künftig im Archiv unter "
    "„Entfallene Projekte“ mit dem Grund „{reason}“."
)
PROJECT_KEPT: Final = (
    "Projekt „{title}“ (ID {id}) bleibt bis einschließlich der Ausgabe Stand {until} im Report."
)
PROJECT_LIST_HEAD: Final = "Ausgabe Stand {cutoff}: {count} Projekte{scope}"
PROJECT_LIST_SCOPE: Final = " der Abteilung {department}"
PROJECT_LIST_ROW: Final = "{id:>5}  {number:<10} {status:<15} {departments:<20} {title}"
PROJECT_LIST_COLUMNS: Final[dict[str, str]] = {
    "id": "ID",
    "number": "Nr.",
    "status": "Status",
    "departments": "Abteilungen",
    "title": "Projekt",
}
PROJECT_LIST_EMPTY: Final = "Ausgabe Stand {cutoff}: keine Projekte{scope}."
DEPARTMENT_CREATED: Final = "Abteilung „{code}“ ({name}) angelegt."
DEPARTMENT_RENAMED: Final = "Abteilung „{code}“ heißt jetzt „{name}“."
DEPARTMENT_DEACTIVATED: Final = "Abteilung „{code}“ ist deaktiviert."
DEPARTMENT_LIST_ROW: Final = "{code:<18} {projects:>8} {contacts:>8}  {active:<6} {name}"
DEPARTMENT_LIST_COLUMNS: Final[dict[str, str]] = {
    "code": "Kürzel",
    "projects": "Projekte",
    "contacts": "Personen",
    "active": "aktiv",
    "name": "Name",
}
DEPARTMENT_LIST_EMPTY: Final = "Noch keine Abteilungen."
DEPARTMENT_LIST_NOTE: Final = "Projekte: in der Ausgabe Stand {cutoff}; Personen: aktive."
AUDIT_EMPTY: Final = "Keine Einträge gefunden."
AUDIT_MORE: Final = "(die neuesten {limit} Einträge; mehr mit --limit oder --csv)"
AUDIT_EXPORTED: Final = "{count} Einträge nach {path} exportiert."
YES: Final = "ja"
NO: Final = "nein"
BAD_DAY: Final = "Datum bitte als JJJJ-MM-TT angeben, z. B. 2025-04-01."
BAD_LIMIT: Final = "Bitte eine Zahl ab 1 angeben."

# -- nhr edition (cli_editions.py) -----------------------------------------------------------------

STANDING_LABEL: Final = {
    "published": "veröffentlicht",
    "collecting": "in Arbeit",
    "unpublished": "unveröffentlicht",
    "archive_only": "nur Archiv",
}
LIST_ROW: Final = (
    "{cutoff:<10}  {standing:<16} {published:<17}  {projects:>8}  {submissions:>9}{mark}"
)
LIST_COLUMNS: Final = {
    "cutoff": "Stichtag",
    "standing": "Stand",
    "published": "veröffentlicht am",
    "projects": "Projekte",
    "submissions": "Meldungen",
    "mark": "",
}
LIST_MARK: Final = "  ← wird gesammelt"
COLLECTING_WHY: Final = {
    "chosen": "Ausgabe in Arbeit: {cutoff} (von der Koordination gewählt).",
    "after_published": (
        "Ausgabe in Arbeit: {cutoff} (die nächste nach der zuletzt veröffentlichten vom {last})."
    ),
    "calendar": "Ausgabe in Arbeit: {cutoff} (noch keine Ausgabe veröffentlicht: der nächste "
    "Stichtag).",
}
LIST_NOTE: Final = (
    "Projekte: gedruckte (in Arbeit: nach heutigem Stand); Meldungen: alle Meldungen der "
    "Abteilungen zu dieser Ausgabe."
)
COLLECT_UNCHANGED: Final = "Die Ausgabe zum {cutoff} ist bereits in Arbeit. Nichts geändert."
COLLECT_DONE: Final = (
    "Ausgabe in Arbeit ist jetzt die Ausgabe zum {cutoff} (bisher {before}). Bot und Zeitplan "
    "sammeln ab sofort für sie."
)
COLLECT_DRY: Final = (
    "Probelauf: Ausgabe in Arbeit würde die Ausgabe zum {cutoff} (bisher {before}). "
    "Nichts geändert."
)
COLLECT_OPEN_LEFT: Final = (
    "{count} offene Meldungen bleiben bei der Ausgabe zum {before}; die Abteilungen melden für "
    "die Ausgabe zum {cutoff} neu."
)
PUBLISHED: Final = (
    "Ausgabe Stand {cutoff} veröffentlicht: {count} Projekte, Nummern festgeschrieben."
)
PUBLISH_DRY: Final = (
    "Probelauf: Die Ausgabe Stand {cutoff} lässt sich erstellen (HTML, PDF, DOCX); "
    "veröffentlicht würden {count} Projekte mit festen Nummern. Nichts geändert."
)
NONE: Final = "–"
IMPORTED: Final = "importiert"

# -- nhr contacts export, erase, purge (cli_privacy.py) --------------------------------------------

EXPORT_HELP: Final = "Alles über eine Person ausgeben (Auskunft nach Art. 15 DSGVO, JSON)"
ERASE_HELP: Final = "Telegram-Kennung, Namen und Gesprächsstand einer Person löschen (Art. 17)"
PURGE_HELP: Final = "Gesprächsstände und Nachrichten abgelaufener Runden löschen (Aufbewahrung)"
WHO_HELP: Final = "Nummer oder vollständiger Name der Person"
OUT_HELP: Final = "Datei statt Standardausgabe (nur für den Eigentümer lesbar)"
DRY_RUN_HELP: Final = "nur zählen, was sich ändern würde; nichts ändern"
YES_HELP: Final = "ohne Rückfrage löschen"

CANDIDATE: Final = "  #{id} {name} ({departments}{inactive})"
CANDIDATES_HINT: Final = "Bitte geben Sie die Nummer an, z. B. nhr contacts {command} {id}."
EXPORT_SUMMARY: Final = "Auskunft über {name} (#{id}): {parts}."
EXPORT_WRITTEN: Final = "Auskunft geschrieben: {path}"
TABLE_LABELS: Final = {
    "audit_log": "Änderungsprotokoll",
    "contact_departments": "Abteilungszuordnungen",
    "conversations": "Gesprächsstände",
    "invitations": "Einladungen",
    "notifications": "Nachrichten",
    "submissions": "Einreichungen",
}
ERASE_COUNTS: Final = (
    ("telegram_ids", "Telegram-Kennungen entfernt"),
    ("conversations_deleted", "Gesprächsstände gelöscht"),
    ("invitations_deleted", "Einladungen gelöscht"),
    ("department_links_deleted", "Abteilungszuordnungen gelöscht"),
    ("notifications_deleted", "noch nicht gesendete Nachrichten gelöscht"),
    ("audit_rows", "Protokolleinträge pseudonymisiert"),
    ("conversations_scrubbed", "Gesprächsstände anderer bereinigt"),
    ("notifications_scrubbed", "Nachrichtenvermerke bereinigt"),
    ("submissions_scrubbed", "Rückgabegründe bereinigt"),
)
ERASE_DRY_RUN: Final = "Probelauf für {name} (#{id}), nichts geändert. Eine Löschung ergäbe:"
ERASE_DONE: Final = "{name} (#{id}) gelöscht; heißt jetzt „{alias}“. Geändert:"
ERASE_CONFIRM: Final = "Jetzt unwiderruflich löschen? [j/N] "
ERASE_NEEDS_YES: Final = "Nichts gelöscht. Zum Löschen bitte mit --yes bestätigen."
ERASE_KEPT: Final = "Projekte, Ausgaben und freigegebene Änderungen bleiben erhalten."
PURGE_HEAD: Final = "Aufbewahrung: {days} Tage nach dem Stichtag; abgelaufen bis Stand {cutoff}."
PURGE_DRY_RUN: Final = "Probelauf, nichts gelöscht. Es würden gelöscht:"
PURGE_CONVERSATIONS: Final = "  Gesprächsstände (zuletzt vor dem {cutoff} geändert): {count}"
PURGE_NOTIFICATIONS: Final = "  Nachrichten der Runden {cutoffs}: {count}"
PURGE_NO_NOTIFICATIONS: Final = "  Nachrichten: 0"

# -- nhr departments import (cli_departments.py) ---------------------------------------------------

IMPORT_HELP: Final = "Namen der Abteilungen aus einer CSV-Datei übernehmen (Kürzel;Name)"
CANNOT_READ: Final = "Die Datei {path} kann nicht gelesen werden ({reason})."
NEW: Final = "neu:         {code} – {name}"
RENAMED: Final = "umbenannt:   {code} – „{old}“ → „{name}“"
SUMMARY: Final = "{new} neu, {renamed} umbenannt, {unchanged} unverändert."
DRY_RUN: Final = "Probelauf: nichts gespeichert."

# -- nhr run, nhr bot: one service per database (running.py) ---------------------------------------

BUSY = (
    "Auf dieser Datenbank läuft bereits {who}. Ein zweiter Dienst würde Nachrichten doppelt "
    "senden; dieser startet deshalb nicht. Bitte den laufenden Dienst verwenden oder zuerst "
    "beenden."
)
BUSY_UNKNOWN = "ein anderer Dienst (nhr run oder nhr bot)"
BUSY_HOLDER = (
    "„nhr {command}“ (Rechner {host}, Prozess {pid}, gestartet {since}, "
    "letztes Lebenszeichen {beat})"
)

# -- nhr doctor, nhr health (cli_doctor.py) --------------------------------------------------------

OUTDATED = (
    "Datenbank ist auf Stand {current}, das Programm erwartet {expected}. "
    "Bitte zuerst „nhr db upgrade“ ausführen."
)
EMPTY = (
    "Die Datenbank ist leer, das Programm erwartet Stand {expected}. "
    "Bitte zuerst „nhr db upgrade“ ausführen."
)


# -- shared by several commands (console.py, undo.py, cli_import.py, cli_privacy.py) ---------------

NOT_A_DATE: Final = "„{value}“ ist kein Datum. Bitte JJJJ-MM-TT angeben, z. B. 2025-04-01."
NOT_RUN: Final = "{error} Der Befehl wurde nicht ausgeführt."
CANNOT_WRITE: Final = "Datei nicht schreibbar: {path} ({reason})"
ERASE_ABORTED: Final = "Abgebrochen, nichts gelöscht."

# -- nhr (cli.py): the top-level commands and their --help -----------------------------------------
# The one-line help of the lazily registered commands is repeated here (bot/texts.py holds
# ``bot``'s and ``contacts``' own): ``nhr --help`` must not import bot/ (tests/test_cli_startup.py
# checks that the lines match).

HELP_NHR: Final = "Nachhaltigkeitsreport: Daten, Bot, Report und Website."
HELP_BOT: Final = "Den Telegram-Bot starten"
HELP_CONTACTS: Final = "Ansprechpersonen einladen, auflisten, sperren"
HELP_PROJECT: Final = "Projekte anlegen, ändern, auflisten"
HELP_DEPARTMENT: Final = "Abteilungen verwalten"
HELP_AUDIT: Final = "Änderungsprotokoll anzeigen oder exportieren"
HELP_SCHEDULE: Final = "Kommende Aufrufe und Erinnerungen mit Datum anzeigen"
HELP_RUN: Final = "Bot und Zeitplan starten (Produktivbetrieb)"
HELP_EDITION: Final = "Ausgaben verwalten"
HELP_SITE: Final = "Eine Ausgabe als statische Website schreiben (für einen Webserver)"
HELP_DOCTOR: Final = "Installation und Konfiguration prüfen, mit Hinweisen"
HELP_HEALTH: Final = "Läuft der Dienst? (Exit-Code für systemd, cron, Monitoring)"
HELP_BACKUP: Final = "Die Datenbank in eine Sicherungsdatei schreiben"
HELP_RESTORE: Final = "Eine Sicherung in die Datenbank laden"
HELP_UNDO: Final = (
    "Den letzten Import, die letzte Veröffentlichung oder Ausgabenänderung rückgängig machen"
)
HELP_DB: Final = "Datenbank verwalten"
HELP_DB_UPGRADE: Final = "Schema anlegen oder aktualisieren"
HELP_IMPORT: Final = "Eine Ausgabe (Text) importieren"
HELP_IMPORT_PATH: Final = "Textdatei der Ausgabe"
HELP_IMPORT_CUTOFF: Final = "Stichtag JJJJ-MM-TT, falls nicht im Text erkennbar"
HELP_IMPORT_DRY_RUN: Final = "nur anzeigen, was der Import täte; nichts speichern"
HELP_IMPORT_YES: Final = "auch importieren, wenn mehr als 3 laufende Projekte fehlen würden"
HELP_QUIET: Final = "keinen Fortschritt anzeigen"
HELP_IMPORT_SAME: Final = "umbenanntes Projekt: „ALTER TITEL=NEUER TITEL“ (mehrfach möglich)"
HELP_EXPORT: Final = "Open-Data-Export (JSON, CSV, XLSX)"
HELP_EXPORT_FORMAT: Final = (
    "json: alle Daten; csv: Projektliste für Excel; xlsx: Tabellen; "
    "schema: JSON Schema des JSON-Exports"
)
HELP_SHOWN_EDITION: Final = "Stichtag JJJJ-MM-TT (Standard: neueste veröffentlichte Ausgabe)"
HELP_SHOWN_DRAFT: Final = "die Ausgabe in Arbeit (oder eine unveröffentlichte) als Entwurf"
HELP_EXPORT_OUT: Final = "Datei statt Standardausgabe"
HELP_RENDER: Final = "Report als PDF, DOCX oder HTML erstellen"
HELP_RENDER_FORMAT: Final = "Format (mehrfach möglich; Standard: alle)"
HELP_RENDER_OUT: Final = "Zielordner (Standard: OUTPUT_DIR, ./out)"
HELP_RENDER_CHANGES: Final = "Änderungen seit der vorigen Ausgabe markieren"
HELP_DEMO: Final = "Demo-Daten laden, zusammenfassen und rendern"

DB_AT: Final = "Datenbank ist auf Stand {revision}."
XLSX_NEEDS_OUT: Final = "XLSX ist eine Binärdatei: bitte mit --out DATEI angeben, wohin sie soll."
EXPORT_WRITTEN_TO: Final = "Export geschrieben: {path}"
RENDER_PROGRESS: Final = "Rendern"
WRITTEN: Final = "geschrieben: {path}"
DEMO_DATABASE: Final = "Demo-Datenbank: {url}"
DEMO_TITLE: Final = "Nachhaltigkeitsreport {publisher} – Stand {cutoff}"
DEMO_STATS: Final = (
    "{fields} Themenfelder, {goals} strategische Ziele, {projects} Projekte: "
    "{umgesetzt} umgesetzt, {in_bearbeitung} in Bearbeitung, "
    "{in_planung} in Planung, {ideenspeicher} im Ideenspeicher."
)
DEMO_ARCHIVE: Final = (
    "Archiv: {archive_implemented} umgesetzte und {archive_dropped} entfallene Projekte."
)
DEMO_RENDERING: Final = "Report wird erstellt (HTML, DOCX, PDF) in {path} …"

# -- nhr project, department, audit: --help (cli_admin.py) ----------------------------------------

HELP_ACTOR: Final = "Name im Änderungsprotokoll (Standard: cli)"
HELP_PROJECT_CREATE: Final = "Ein Projekt anlegen"
HELP_FIELD: Final = "Themenfeld, z. B. 1"
HELP_GOAL: Final = "Strategisches Ziel, z. B. 1.2"
HELP_TITLE: Final = "Titel"
HELP_SHORT_TITLE: Final = "Kurztitel für die Projektliste"
HELP_CREATE_DEPARTMENT: Final = "verantwortliche Abteilung, z. B. 80.01 (mehrfach möglich)"
HELP_DESCRIPTION: Final = "Projektbeschreibung"
HELP_MUNICIPALITIES: Final = "Zusammenarbeit mit Kommunen"
HELP_STATUS: Final = "Status (Standard: in_planung)"
HELP_PROJECT_EDIT: Final = "Ein Projekt ändern"
HELP_PROJECT_ID_LIST: Final = "ID des Projekts (siehe nhr project list)"
HELP_NEW_TITLE: Final = "neuer Titel"
HELP_NEW_SHORT_TITLE: Final = "neuer Kurztitel"
HELP_NEW_DESCRIPTION: Final = "neue Projektbeschreibung"
HELP_EDIT_DEPARTMENT: Final = (
    "verantwortliche Abteilungen (ersetzt die bisherigen; mehrfach möglich)"
)
HELP_EDIT_MUNICIPALITIES: Final = "Zusammenarbeit mit Kommunen (leer: keine)"
HELP_NEW_GOAL: Final = "anderes strategisches Ziel, z. B. 1.2"
HELP_PROJECT_DROP: Final = "Ein Projekt entfallen lassen"
HELP_PROJECT_ID: Final = "ID des Projekts"
HELP_REASON: Final = "Grund, z. B. „Daueraufgabe“"
HELP_PROJECT_KEEP: Final = "Ein umgesetztes Projekt eine Ausgabe länger zeigen"
HELP_PROJECT_LIST: Final = "Projekte der Ausgabe in Arbeit auflisten"
HELP_LIST_DEPARTMENT: Final = "nur Projekte dieser Abteilung"
HELP_DEPARTMENT_ADD: Final = "Eine Abteilung anlegen"
HELP_CODE_EXAMPLE: Final = "Kürzel, z. B. 80.01"
HELP_DEPARTMENT_NAME: Final = "Name der Abteilung"
HELP_DEPARTMENT_RENAME: Final = "Eine Abteilung umbenennen"
HELP_CODE: Final = "Kürzel"
HELP_NEW_NAME: Final = "neuer Name"
HELP_DEPARTMENT_DEACTIVATE: Final = "Eine Abteilung ohne Projekte deaktivieren"
HELP_DEPARTMENT_LIST: Final = "Alle Abteilungen auflisten"
HELP_SINCE: Final = "ab diesem Tag (JJJJ-MM-TT, Ortszeit)"
HELP_ENTITY: Final = "nur diese Tabelle, z. B. projects"
HELP_AUDIT_CSV: Final = "alle passenden Einträge als CSV speichern"
HELP_LIMIT: Final = "höchstens so viele Einträge (Standard: {limit}; beim CSV-Export alle)"
CHANGE_FORMS: Final = ("Änderung", "Änderungen")  # one, several (core.texts.counted)

# -- nhr backup, restore, undo (cli_backup.py) -----------------------------------------------------

HELP_BACKUP_FILE: Final = "Zieldatei (.nhrbak) oder ein Ordner für einen Namen mit Zeitstempel"
HELP_RESTORE_FILE: Final = "Sicherungsdatei (nhr backup)"
HELP_RESTORE_REPLACE: Final = "vorhandene Daten ersetzen (sonst nur in eine leere Datenbank)"
HELP_RESTORE_DRY_RUN: Final = "nur anzeigen, was geladen würde"
HELP_UNDO_LIST: Final = "Wiederherstellungspunkte anzeigen"
HELP_UNDO_DRY_RUN: Final = "nur anzeigen, was wiederhergestellt würde"
BACKUP_WRITTEN: Final = "Sicherung geschrieben: {path}"
RESTORED_FROM: Final = "Wiederhergestellt aus {path}:"
WOULD_LOAD_FROM: Final = "Würde laden aus {path}:"
RESTORE_NOT_EMPTY: Final = (
    "Die Datenbank ist nicht leer ({rows} Zeilen): ohne --replace würde nichts geladen."
)
RESTORE_WOULD_REPLACE: Final = "Die {rows} Zeilen der Datenbank würden ersetzt."
NOTHING_CHANGED_DRY_RUN: Final = "Nichts geändert (--dry-run)."
POINT_LINE: Final = "{at}, vor „{command}“ ({rows} Zeilen)"
NO_POINTS: Final = "Keine Wiederherstellungspunkte in {directory}."
POINTS_HEAD: Final = "Wiederherstellungspunkte in {directory} (neueste zuerst):"
POINTS_HINT: Final = (
    "nhr undo stellt den ersten wieder her; einen älteren: nhr restore DATEI --replace"
)
WOULD_RESTORE: Final = "Würde wiederherstellen: {point}"
RESTORED: Final = "Wiederhergestellt: Stand {point}."
UNDO_SAVED_BEFORE: Final = "Der Stand davor ist gesichert; nhr undo macht dies wieder rückgängig."
HELP_DEPARTMENTS_FILE: Final = "CSV-Datei mit zwei Spalten: Kürzel und Name (; oder ,)"
HELP_DEPARTMENTS_DRY_RUN: Final = "nur zeigen, was sich ändern würde; nichts speichern"

# -- nhr doctor, nhr health: --help and checks (cli_doctor.py) -------------------------------------

HELP_JSON: Final = "Ergebnis als JSON ausgeben"
OUTPUT_FOLDER: Final = "Ausgabeordner"
BACKUP_FOLDER: Final = "Sicherungsordner"
SCHEDULE_CHECK: Final = "Zeitplan"
SCHEDULE_INVALID: Final = "SCHEDULE_* ungültig: {error}"
SCHEDULE_INVALID_HINT: Final = "SCHEDULE_* Einstellungen in .env prüfen."

# -- nhr edition: --help (cli_editions.py) ---------------------------------------------------------

HELP_EDITION_LIST: Final = "Alle Ausgaben mit Stand, Datum und Zahlen; welche gesammelt wird"
HELP_EDITION_COLLECT: Final = "Die Ausgabe wählen, für die gesammelt wird"
HELP_COLLECT_EDITION: Final = "Stichtag JJJJ-MM-TT, nach der zuletzt veröffentlichten Ausgabe"
HELP_COLLECT_DRY_RUN: Final = "nur anzeigen, was sich ändern würde"
HELP_EDITION_PUBLISH: Final = "Ausgabe veröffentlichen und ihre Nummerierung festschreiben"
HELP_PUBLISH_EDITION: Final = "Stichtag JJJJ-MM-TT der Ausgabe in Arbeit"
HELP_PUBLISH_DRY_RUN: Final = "nur prüfen und erstellen, was veröffentlicht würde; nichts ändern"

# -- nhr schedule: --help (cli_schedule.py; its output is scheduler/texts.py's) --------------------

HELP_SCHEDULE_EDITION: Final = "Stichtag JJJJ-MM-TT (Standard: die Ausgabe in Arbeit)"
HELP_RUN_DUE: Final = "Fälliges jetzt einmal planen und senden"

# -- nhr site (cli_site.py) ------------------------------------------------------------------------

HELP_SITE_EDITION: Final = "Stichtag JJJJ-MM-TT (Standard: neueste veröffentlichte)"
HELP_SITE_OUT: Final = "Zielordner (Standard: ./{out})"
HELP_SITE_DRAFT: Final = (
    "die Ausgabe in Arbeit (oder mit --edition eine unveröffentlichte) als Entwurf schreiben"
)
HELP_SITE_NO_DOCUMENTS: Final = "PDF und DOCX nicht erstellen (nur Seiten und offene Daten)"
SITE_RENDERED: Final = "erstellt: {path}"
SITE_WRITTEN: Final = "Website geschrieben: {path} ({pages} Seiten, {seconds} s)."
SITE_THIS_EDITION: Final = "Diese Ausgabe: {path}"
SITE_START_PAGE: Final = "Startseite (neueste Ausgabe): {path}"
SITE_REMOVED: Final = "Veraltete Dateien früherer Läufe entfernt: {count}"

# -- nhr import-report (cli_import.py) -------------------------------------------------------------

SAME_EXPECTED: Final = "--same erwartet „ALTER TITEL=NEUER TITEL“, nicht „{pair}“."
IMPORT_BAD_STAND: Final = (
    "Der Text nennt „{printed}“; das ist kein gültiges Datum. Nichts importiert."
)
NOT_IMPORTED: Final = "Nichts importiert."
NOT_IMPORTED_BECAUSE: Final = "{problem} Nichts importiert."
IMPORT_NOT_A_REPORT: Final = (
    "{path} hat nicht die Gliederung einer Ausgabe des Nachhaltigkeitsreports:"
)
IMPORT_CHECK_FILE: Final = (
    "Nichts importiert. Bitte prüfen Sie, ob die Datei den vollständigen Text enthält."
)
IMPORT_DRY_RUN: Final = "Probelauf – der Import würde Folgendes melden; gespeichert wird nichts."
IMPORT_NOT_KEPT: Final = "Der Import würde Folgendes melden; gespeichert wurde nichts."
IMPORT_PROGRESS: Final = "Projekte"
IMPORT_SUMMARY: Final = (
    "Ausgabe Stand {cutoff} importiert: {projects} Projekte ({created} neu, {updated} geändert), "
    "{implemented} archiviert umgesetzt, {dropped} entfallen."
)
IMPORT_OLDER: Final = "Hinweis: ältere Ausgabe – nur Nummern und Historie übernommen."
IMPORT_LINKED: Final = "Umbenennungen mit ihrer Historie verknüpft (--same): {count}."
IMPORT_BAD_DATE: Final = "Zeile {line}: Datum nicht lesbar: {text!r} – {message}"
IMPORT_UNPLACED: Final = "{count} Zeilen nicht zugeordnet:"
IMPORT_UNPLACED_LINE: Final = "  Zeile {line}: {text}"
GONE_SINCE: Final = " (zuletzt Stand {cutoff})"
GONE_CURRENT: Final = (
    "Projekt {number}„{title}“{since} kommt in dieser Ausgabe nicht mehr vor. "
    "Sein Status bleibt, bis Sie es verknüpfen oder mit Grund als entfallen markieren."
)
GONE_OLDER: Final = (
    "Projekt {number}„{title}“ ist in neueren Ausgaben nicht zu finden; nicht übernommen."
)
GONE_SUCCESSORS: Final = "  Mögliche Nachfolger:"
GONE_SUCCESSOR: Final = "    {number} „{title}“ ({new}Ähnlichkeit {score} %)"
GONE_SUCCESSOR_NEW: Final = "neu, "
GONE_RENAMED: Final = "  Umbenannt? nhr import-report {path} --same {same}"
GONE_DROPPED: Final = '  Entfallen? nhr project drop {id} --reason "…"'
DETAILS_NEW: Final = "Neue Projekte"
DETAILS_CHANGED: Final = "Geänderte Projekte"
DETAILS_ARCHIVED: Final = "Ins Archiv"
DETAILS_GONE: Final = "Nicht mehr in der Ausgabe"
REFUSE_PUBLISHED: Final = (
    "Die Ausgabe Stand {cutoff} ist veröffentlicht, und dieser Text weicht von ihr ab:"
)
REFUSE_MORE: Final = "  … und {count} weitere Unterschiede."
REFUSE_PUBLISHED_HINT: Final = (
    "Eine veröffentlichte Ausgabe bleibt, wie sie veröffentlicht wurde. Bitte prüfen Sie "
    "die Datei; Korrekturen gehören in die nächste Ausgabe."
)
REFUSE_TOO_MANY_GONE: Final = (
    "{count} laufende Projekte kämen in dieser Ausgabe nicht mehr vor (erlaubt sind "
    "höchstens {limit} ohne Bestätigung). Ist der Text vollständig?"
)
REFUSE_CONFIRM: Final = "Wenn das so gewollt ist, wiederholen Sie den Befehl mit --yes."

#: argparse's English messages (3.11-3.13, patterns) and their German form; ``{…}`` are the
#: groups (nhr.errors).
USAGE_MESSAGES: Final[tuple[tuple[str, str], ...]] = (
    (
        r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
        "„{value}“ gibt es nicht; möglich: {choices}",
    ),
    (r"the following arguments are required: (?P<names>.*)", "Es fehlt: {names}"),
    (r"unrecognized arguments: (?P<names>.*)", "Unbekannte Angabe: {names}"),
    (r"invalid int value: (?P<value>.*)", "„{value}“ ist keine ganze Zahl"),
    (r"invalid float value: (?P<value>.*)", "„{value}“ ist keine Zahl"),
    (r"invalid \S+ value: (?P<value>.*)", "„{value}“ ist kein gültiger Wert"),
    (r"expected one argument", "erwartet einen Wert"),
    (r"expected at most one argument", "erwartet höchstens einen Wert"),
    (r"expected at least one argument", "erwartet mindestens einen Wert"),
    (r"expected (?P<count>\d+) arguments?", "erwartet {count} Werte"),
    (
        r"one of the arguments (?P<names>.*) is required",
        "Eine dieser Angaben ist nötig: {names}",
    ),
    (r"not allowed with argument (?P<names>.*)", "nicht zusammen mit {names} möglich"),
    (
        r"ambiguous option: (?P<value>\S+) could match (?P<names>.*)",
        "„{value}“ ist mehrdeutig: {names}",
    ),
    (r"ignored explicit argument (?P<value>.*)", "„{value}“ ist hier nicht erlaubt"),
    (r"unexpected option string: (?P<value>.*)", "„{value}“ ist hier nicht erlaubt"),
)
