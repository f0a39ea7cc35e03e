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
