"""Core's user-facing German text: the messages its errors carry to users, and the plural rule.

The one home of German words in ``core/`` (report wording stays in ``templates/``). The bot
(``bot/texts.py``), the scheduler (``scheduler/texts.py``) and the command line
(``nhr/texts.py``) each have their own texts module and count with :func:`plural` from here;
templates use it as the ``plural`` filter.
"""

from __future__ import annotations

import errno
from typing import Final, Literal


def plural(count: int, one: str, many: str) -> str:
    """``one`` for exactly one, else ``many`` (German: 0 Projekte, 1 Projekt, 2 Projekte)."""
    return one if count == 1 else many


def counted(count: int, one: str, many: str) -> str:
    """The count and its noun: ``1 Projekt``, ``5 Projekte``."""
    return f"{count} {plural(count, one, many)}"


def cutoffs_passed(passed: int) -> str:
    """``ist 1 Stichtag``, ``sind 3 Stichtage`` (vergangen) – for an edition left unpublished."""
    return f"{plural(passed, 'ist', 'sind')} {counted(passed, 'Stichtag', 'Stichtage')}"


#: What a fuzzy date that cannot be read or stored says (``core.fuzzydate``), by error kind.
FUZZY_DATE_MESSAGES: Final[dict[str, str]] = {
    "empty": "Bitte geben Sie ein Datum ein.",
    "unreadable": (
        "„{text}“ ist als Datum nicht lesbar. Bitte schreiben Sie es z. B. so: {examples}."
    ),
    "invalid": "„{text}“ ist kein gültiges Datum: {reason}",
    "bad_range": "„{text}“ ist kein gültiger Zeitraum: {reason}",
    "bad_set": "„{text}“ ist keine gültige Aufzählung von Daten: {reason}",
    "bad_frequency": "„{text}“ ist keine gültige Wiederholung: {reason}",
    "set_gap": (
        "„{text}“ ist unvollständig: Vor und nach jedem „und“, Komma oder „+“ muss ein Datum "
        "stehen, z. B. 16.06.2024 und 14.10.2024."
    ),
    "set_part": (
        "„{text}“: Eine Aufzählung kann nur einzelne Daten enthalten, keinen Zeitraum, kein "
        "„seit“ und keine Wiederholung, z. B. 16.06.2024 und 14.10.2024."
    ),
    "needs_today": (
        "„{text}“ lässt sich hier nicht verwenden. Bitte geben Sie das Datum an, z. B. 01.04.2025."
    ),
    "since_empty": "„{text}“: Seit wann? Bitte geben Sie ein Datum an, z. B. seit 09/2024.",
    "since_single": "„{text}“: Nach „seit“ steht nur ein einzelnes Datum, z. B. seit 09/2024.",
    "storage": "„{text}“ ist kein gespeicherter Datumswert.",
    # reasons
    "no_day": "Den {day}. {month} gibt es nicht.",
    "no_leap_day": "{year} hat keinen 29. Februar.",
    "no_month": "Einen {number}. Monat gibt es nicht.",
    "no_quarter": "Ein Jahr hat nur vier Quartale.",
    "no_half": "Ein Jahr hat nur zwei Halbjahre.",
    "year": "Bitte geben Sie ein Jahr zwischen 1900 und 2100 an.",
    "end_before_start": "Das Ende liegt vor dem Anfang.",
    "overlap": "Anfang und Ende überschneiden sich.",
    "set_order": "Die Daten stehen nicht in zeitlicher Reihenfolge.",
    "set_duplicate": "Ein Datum steht mehrfach darin.",
    "set_overlap": "Zwei der Daten überschneiden sich.",
    "frequency": "Möglich ist 1 x bis 365 x jährlich, z. B. jährlich, 2 x jährlich oder monatlich.",
}


#: A date that is no cutoff (``core.cycle.require_cutoff``, ``nhr --edition``).
NOT_A_CUTOFF: Final = "{day} ist kein Stichtag. Stichtage sind der 01.04. und der 01.10."
#: A negative retention period in the settings.
RETENTION_NEGATIVE: Final = "RETENTION_DAYS_AFTER_ROUND darf nicht negativ sein."
#: A reminder offset that cannot be read (``SCHEDULE_REMINDERS``).
BAD_REMINDER: Final = "„{spec}“ ist keine gültige Erinnerung (Beispiele: 3w, 10d, 2wd)."


#: ``nhr doctor``: the calendar of the edition being collected is over, nothing more is planned.
SCHEDULE_OVER: Final = "der Zeitplan der Ausgabe zum {cutoff} ist vorbei, nichts mehr geplant."
#: … and what to do about it.
SCHEDULE_OVER_FIX: Final = (
    "nhr edition publish --edition {cutoff_iso} oder nhr edition collect --edition {next_iso}"
)


#: Why a file or folder could not be used, by ``errno`` (the system's own text is English).
OS_REASONS: Final[dict[int, str]] = {
    errno.ENOENT: "nicht vorhanden",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.ENOSPC: "kein Speicherplatz mehr",
    errno.EDQUOT: "Speicherkontingent erschöpft",
    errno.EROFS: "schreibgeschützt",
    errno.EISDIR: "ist ein Ordner",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.EEXIST: "existiert schon",
}


def os_reason(err: OSError) -> str:
    """A short German reason for ``err`` (e.g. "keine Berechtigung"), else its errno name."""
    return OS_REASONS.get(err.errno or 0) or errno.errorcode.get(err.errno or 0, type(err).__name__)


# -- fuzzy dates (issue 18) --
#: The German words of printed fuzzy dates Babel does not know (``core.fuzzydate``), keyed by the
#: storage value of the part, kind or qualifier they print ("MID" → "Mitte", "from" → "ab").
FUZZY_DATE_WORDS: Final[dict[str, str]] = {
    "H1": "1. Halbjahr",
    "H2": "2. Halbjahr",
    "MID": "Mitte",
    "EARLY": "Anfang",
    "LATE": "Ende",
    "SPRING": "Frühjahr",
    "SUMMER": "Sommer",
    "AUTUMN": "Herbst",
    "WINTER": "Winter",
    "since": "seit",
    "ongoing": "fortlaufend",
    "week": "KW",
    # qualifiers: kept in print as the author wrote them (one spelling each)
    "from": "ab",
    "about": "ca.",
    "expected": "voraussichtlich",
    "by": "bis",
}
#: Printed recurring words, tried in this order: (times per year of "1 x", word).
FUZZY_FREQUENCY_WORDS: Final[tuple[tuple[int, str], ...]] = (
    (52, "wöchentlich"),
    (12, "monatlich"),
    (1, "jährlich"),
)
#: More reasons a fuzzy date is impossible, and the offer of a near reading.
FUZZY_DATE_MORE_MESSAGES: Final[dict[str, str]] = {
    "no_week": "{year} hat nur {weeks} Kalenderwochen.",
    "no_week_any": "Ein Jahr hat höchstens 53 Kalenderwochen.",
    "bad_qualifier": "„{word}“ passt nicht zu „{text}“.",
    "did_you_mean": "Meinten Sie „{reading}“?",
}


# -- submissions (issue 18) --

#: A contact asks for a project outside their departments (no details leak).
NOT_RELEASED: Final = "Dieses Projekt ist für Sie nicht freigegeben."
#: A change to a report that is approved already.
ALREADY_APPROVED: Final = "Diese Meldung ist bereits freigegeben."
#: "Einreichen" with an empty draft.
NOTHING_TO_SUBMIT: Final = "Es gibt noch nichts einzureichen."
#: A dropped project ("entfallen") without a reason.
DROP_REASON_NEEDED: Final = "Bitte nennen Sie einen Grund, warum das Projekt entfällt."
#: Another coordinator's transaction holds the submission.
DECISION_BUSY: Final = (
    "Diese Meldung wird gerade von jemand anderem bearbeitet. "
    "Bitte versuchen Sie es gleich noch einmal."
)
#: Another coordinator decided first.
ALREADY_DECIDED: Final = "Diese Meldung wurde bereits bearbeitet."
#: The submission was deleted meanwhile.
SUBMISSION_GONE: Final = "Diese Meldung gibt es nicht mehr."
#: Only coordinators decide or revise.
ONLY_COORDINATORS_APPROVE: Final = "Nur die Koordination kann Meldungen freigeben."
ONLY_COORDINATORS_RETURN: Final = "Nur die Koordination kann Meldungen zurückgeben."
ONLY_COORDINATORS_REVISE: Final = "Nur die Koordination kann Meldungen bearbeiten."
#: The project changed after the draft began.
CONFLICT_CHANGED: Final = "Das Projekt wurde geändert, nachdem diese Meldung begonnen wurde."
#: The project changed while the approval ran.
CONFLICT_JUST_CHANGED: Final = (
    "Das Projekt wurde soeben von jemand anderem geändert. "
    "Bitte prüfen Sie die Meldung noch einmal."
)
#: A return without a reason.
RETURN_REASON_NEEDED: Final = "Bitte nennen Sie einen Grund für die Rückgabe."
#: A coordinator's revision would leave nothing.
REVISION_EMPTY: Final = (
    "Ohne diesen Eintrag wäre die Meldung leer. Bitte geben Sie sie stattdessen zurück."
)
#: An approved change set ticks off a planned milestone that is gone.
PLANNED_GONE: Final = "Der geplante Meilenstein „{text}“ ist nicht mehr vorhanden."
#: The kinds of committee papers ("Vorlagenart") offered for a consultation.
VORLAGENARTEN: Final = (
    "Beschlussvorlage",
    "Informationsvorlage",
    "mündlicher Bericht",
    "Bericht",
    "Antrag",
)
#: "Passt so" / "Ergänzen" with no report of another department to confirm or extend.
NOTHING_TO_CONFIRM: Final = "Zu diesem Projekt liegt keine Meldung vor, die Sie bestätigen können."
#: What a department's hand-in said, by contribution kind (``core.models.ContributionKind``).
CONTRIBUTION_WHAT: Final[dict[str, str]] = {
    "changes": "Änderungen",
    "no_changes": "Keine Änderungen",
    "confirmed": "bestätigt",
}
#: A shared project's report by another department (shown with [Passt so] / [Ergänzen]).
REPORTED_BY: Final = "Gemeldet von {department} ({name}) am {at}: {what}"
#: A colleague changed the shared draft last.
LAST_EDITED_BY: Final = "Zuletzt bearbeitet von {name} am {at}"
#: A contact whose name is gone (erased or deleted).
SOMEONE: Final = "jemand"
#: "Seit wann?" answered with a range, list or repetition.
SINCE_NOT_A_POINT: Final = (
    "„{text}“ passt hier nicht. Bitte nennen Sie einen Tag, Monat, ein Quartal oder Jahr, "
    "z. B. Juni 2025."
)
#: "Seit wann?" answered with a date still to come.
SINCE_IN_FUTURE: Final = "„{text}“ liegt in der Zukunft. Seit wann gilt der Status?"


# -- moved from core modules (issue 17) --


# core/backup.py
BACKUP_MANIFEST_BROKEN: Final = "Die Sicherung ist beschädigt (Inhaltsverzeichnis unlesbar)."
BACKUP_NO_SCHEMA: Final = "Die Datenbank hat noch kein Schema. Bitte zuerst nhr db upgrade."
BACKUP_DB_REVISION: Final = (
    "Die Datenbank ist auf Stand {revision}, dieses Programm erwartet {head}. "
    "Bitte zuerst nhr db upgrade."
)
BACKUP_NOT_WRITABLE: Final = "Sicherung nicht schreibbar: {path} ({reason})."
BACKUP_NOT_FOUND: Final = "Sicherung nicht gefunden: {path}"
BACKUP_NOT_READABLE: Final = "Sicherung nicht lesbar: {path} ({reason})."
BACKUP_NOT_A_BACKUP: Final = "{path} ist keine Sicherung von nhr (nhr backup)."
BACKUP_FORMAT: Final = "Sicherungsformat {found} wird nicht unterstützt (erwartet: {expected})."
BACKUP_REVISION: Final = (
    "Die Sicherung hat den Schemastand {revision}, dieses Programm {head}. "
    "Bitte mit der Programmversion wiederherstellen, die sie geschrieben hat, und "
    "danach aktualisieren (nhr db upgrade)."
)
BACKUP_TABLES_MISMATCH: Final = (
    "Die Tabellen der Sicherung passen nicht zum Schema; nichts wiederhergestellt."
)
BACKUP_TABLE_MISSING: Final = "Die Sicherung ist unvollständig (Tabelle {name} fehlt)."
BACKUP_TABLE_CHECKSUM: Final = "Die Sicherung ist beschädigt (Prüfsumme der Tabelle {name})."
BACKUP_TABLE_ROWS: Final = "Die Sicherung ist beschädigt (Zeilenzahl der Tabelle {name})."
BACKUP_BROKEN: Final = "Die Sicherung ist beschädigt: {path}"
BACKUP_TARGET_UNKNOWN_REVISION: Final = (
    "Die Zieldatenbank hat einen Schemastand, den dieses Programm nicht kennt; "
    "nichts wiederhergestellt."
)
BACKUP_TARGET_NOT_EMPTY: Final = (
    "Die Datenbank ist nicht leer ({rows} Zeilen in {tables} Tabellen). Zum Ersetzen: --replace."
)


# core/config.py
#: The default genitive of the publisher ("Ansprechpersonen des Kreises Soest").
DEFAULT_PUBLISHER_GENITIVE: Final = "des Kreises Soest"
#: The conformity the website's accessibility statement may state (BITV wording).
AccessibilityStatus = Literal["vollständig vereinbar", "teilweise vereinbar", "nicht vereinbar"]
UNKNOWN_LICENSE: Final = (
    "DATA_LICENSE „{license}“ ist keine bekannte Lizenz ({known}): "
    "bitte DATA_LICENSE_URL und DATA_LICENSE_NAME angeben."
)


# core/contacts.py
CONTACT_DUPLICATE: Final = "Es gibt bereits eine Person „{name}“ (Nr. {id})."
CONTACT_AMBIGUOUS: Final = "Mehrere Personen heißen „{name}“. Bitte geben Sie die Nr. an:"
DEPARTMENT_UNKNOWN: Final = "Abteilung „{code}“ ist unbekannt. Bekannt: {known}"
DEPARTMENT_CODE_MISSING: Final = "Bitte geben Sie ein Kürzel für die Abteilung an."
CONTACT_NAME_MISSING: Final = "Bitte geben Sie einen Namen an."
CONTACT_NEEDS_DEPARTMENT: Final = "Eine Ansprechperson braucht mindestens eine Abteilung."
INVITATION_INVALID: Final = "Diese Einladung ist ungültig oder wurde schon benutzt."
INVITATION_EXPIRED: Final = "Diese Einladung ist abgelaufen. Bitte fordern Sie eine neue an."
ACCESS_BLOCKED: Final = "Dieser Zugang wurde gesperrt."
TELEGRAM_ACCOUNT_TAKEN: Final = "Ihr Telegram-Konto ist bereits einer anderen Person zugeordnet."
CONTACT_NOT_FOUND: Final = "Keine Person mit der Nr. {id} gefunden."


# core/department_import.py
#: First-cell words that mark a header line of a department file (compared lower-case).
DEPARTMENT_HEADER_CODES: Final = frozenset({"code", "kürzel", "kuerzel", "abteilung", "nr", "nr."})
DEPARTMENTS_REFUSED: Final = "Die Datei wurde nicht übernommen:"
DEPARTMENTS_NONE: Final = "Die Datei enthält keine Abteilungen (erwartet: Kürzel;Name je Zeile)."
DEPARTMENT_ROW_COLUMNS: Final = (
    "Zeile {number}: erwartet zwei Spalten (Kürzel{delimiter}Name), gefunden {found}."
)
DEPARTMENT_ROW_EMPTY: Final = "Zeile {number}: Kürzel und Name dürfen nicht leer sein."
DEPARTMENT_ROW_CODE_LONG: Final = "Zeile {number}: Das Kürzel ist länger als {limit} Zeichen."
DEPARTMENT_ROW_NAME_LONG: Final = "Zeile {number}: Der Name ist länger als {limit} Zeichen."
DEPARTMENT_ROW_CONFLICT: Final = (
    "Zeile {number}: Das Kürzel „{code}“ steht schon in Zeile {first} mit einem anderen Namen."
)


# core/export.py
#: The CSV ``edition_state`` value of a published edition (the draft's is ``entwurf``).
CSV_PUBLISHED: Final = "veröffentlicht"


# core/privacy.py
#: What an erased contact is called from then on (contact row, audit log, conversations).
ERASED_PERSON: Final = "gelöschte Person #{id}"
#: What replaces an erased Telegram id inside stored JSON and text.
ERASED_ID: Final = "[gelöscht]"
PERSON_NOT_FOUND_BY_NUMBER: Final = "Keine Person mit der Nummer {number} gefunden."
PERSON_KEY_MISSING: Final = "Bitte geben Sie einen Namen oder eine Nummer an."
PERSON_AMBIGUOUS: Final = "Mehrere Personen heißen „{key}“."
PERSON_NOT_EXACT: Final = "Keine Person heißt genau „{key}“. Gemeint ist vielleicht:"
PERSON_NOT_FOUND: Final = "Keine Person „{key}“ gefunden."
PERSON_ALREADY_ERASED: Final = "{name} ist bereits gelöscht."


# core/restore_points.py
BACKUP_DIR_NOT_CREATABLE: Final = (
    "Sicherungsordner nicht anlegbar: {directory} ({reason}). Bitte BACKUP_DIR prüfen."
)
NO_RESTORE_POINT: Final = "Es gibt keinen Wiederherstellungspunkt in {directory}; nichts geändert."


# core/importer/guard.py
#: A project's status as the printed report words it, by ``Status`` value.
STATUS_PRINTED: Final[dict[str, str]] = {
    "umgesetzt": "umgesetzt",
    "in_bearbeitung": "in Bearbeitung",
    "in_planung": "in Planung",
    "ideenspeicher": "Ideenspeicher",
    "entfallen": "entfallen",
}
#: What a difference between two records calls each field of a project block.
IMPORT_BLOCK_LABELS: Final[dict[str, str]] = {
    "title": "Titel",
    "short_title": "Kurztitel",
    "status": "Status",
    "status_since": "Status seit",
    "project_start": "Projektstart",
    "description": "Projektbeschreibung",
    "milestones_done": "erreichte Meilensteine",
    "planning_steps": "Planungsschritte",
    "consultations": "Beratungen",
    "remark": "Bemerkung",
    "milestones_planned": "geplante Meilensteine",
    "departments": "Fachbereiche",
    "municipalities": "Kommunen",
    "labels": "Überschriften",
    "more_sections": "weitere Abschnitte",
    "headings_as_printed": "Überschriften",
}
IMPORT_NO_STAND: Final = (
    "Der Text nennt keinen Stand (Zeile „Stand: 01.04.2025“ auf dem Deckblatt). "
    "Bitte geben Sie den Stichtag mit --cutoff an, z. B. --cutoff 2025-04-01."
)
IMPORT_STAND_NOT_CUTOFF: Final = (
    "Der Text nennt den Stand {day}; das ist kein Stichtag (01.04. oder "
    "01.10.). Bitte prüfen Sie die Zeile „Stand: …“ im Text."
)
IMPORT_CUTOFF_MISMATCH: Final = (
    "--cutoff {given} passt nicht zum Text: er nennt den Stand "
    "{day}. Bitte lassen Sie --cutoff weg oder prüfen Sie die Datei."
)
IMPORT_NO_FIELDS: Final = (
    "Im Text sind keine Themenfelder zu finden (Einleitung mit „1. …“ bis „6. …“)."
)
IMPORT_NO_PROJECTS: Final = (
    "Im Text sind keine Projekte zu finden (Kapitel mit strategischen Zielen und Projektblöcken)."
)
IMPORT_FIELD_EMPTY: Final = (
    "Themenfeld {number} „{title}“ hat im Text keine strategischen Ziele mit Projekten."
)
IMPORT_NO_PROJECT_LISTS: Final = "Im Text fehlen die Projektlisten (Kurztitel und Fachbereiche)."
DIFF_PROJECT: Final = "Projekt {number} „{title}“"
DIFF_ONLY_NEW: Final = "nur im neuen Text"
DIFF_MISSING_NEW: Final = "fehlt im neuen Text"
DIFF_INTRO: Final = "Einleitung"
DIFF_OUTLINE: Final = "Gliederung"
DIFF_FORMAT: Final = "älteres und neueres Format"
DIFF_FIELD: Final = "Themenfeld {number}"
DIFF_FIELD_TITLE: Final = "Titel"
DIFF_FIELD_OVERVIEW: Final = "Übersicht"
DIFF_GOAL: Final = "Strategisches Ziel {number}"
DIFF_ARCHIVE_IMPLEMENTED: Final = "Archiv „Umgesetzte Projekte“"
DIFF_ARCHIVE_DROPPED: Final = "Archiv „Entfallene Projekte“"
DIFF_ARCHIVE_ROWS: Final = "{before} → {after} Zeilen; erste Abweichung: „{title}“"
DIFF_EMPTY: Final = "(leer)"


# core/importer/load.py
IMPORT_NUMBER_KEPT: Final = (
    "Projekt „{title}“: Nummer {number} der Ausgabe {cutoff:%d.%m.%Y} nicht übernommen; "
    "sie würde das Archiv einer neueren Ausgabe ändern."
)
IMPORT_ARCHIVE_UNMATCHED: Final = "Zeile {line}: Archiv-Eintrag „{title}“ nicht zuzuordnen"
IMPORT_DROPPED_UNMATCHED: Final = "Zeile {line}: entfallenes Projekt „{title}“ nicht zuzuordnen"
IMPORT_NOT_IN_NEWER: Final = (
    "Zeile {line}: Archiv-Eintrag „{title}“ ist in neueren Ausgaben nicht zu finden; "
    "nicht übernommen."
)
SAME_NOT_IN_EDITION: Final = (
    "--same „{old}={new}“: „{item}“ kommt in der Ausgabe vom {cutoff:%d.%m.%Y} nicht vor."
)
SAME_UNKNOWN_PROJECT: Final = "--same „{old}={new}“: kein Projekt „{known}“ in der Datenbank."


# core/importer/source.py
IMPORT_EXTRACT_HINT: Final = (
    "Bitte zuerst den Text herausziehen, z. B. mit „pdftotext -layout AUSGABE.pdf "
    "AUSGABE.txt“, und die Textdatei importieren."
)
IMPORT_CP1252_NOTE: Final = "Datei ist nicht UTF-8; als Windows-1252 gelesen."
IMPORT_FILE_EMPTY: Final = "Die Datei {path} ist leer. Nichts importiert."
IMPORT_FILE_PDF: Final = "{path} ist eine PDF-Datei, kein Text. {hint}"
IMPORT_FILE_ZIP: Final = (
    "{path} ist eine Word- oder ZIP-Datei, kein Text. Bitte speichern Sie die Ausgabe "
    "als Nur-Text (.txt) oder ziehen Sie den Text aus dem PDF heraus "
    "(z. B. „pdftotext -layout AUSGABE.pdf AUSGABE.txt“)."
)
IMPORT_FILE_FOLDER: Final = "{path} ist ein Ordner, keine Datei."
IMPORT_FILE_TOO_LARGE: Final = (
    "{path} ist zu groß für den Text einer Ausgabe (mehr als {megabytes} MB)."
)
IMPORT_FILE_NOT_FOUND: Final = "Datei nicht gefunden: {path}"
IMPORT_FILE_NO_PERMISSION: Final = "Keine Berechtigung, die Datei zu lesen: {path}"
IMPORT_FILE_NOT_READABLE: Final = "Datei nicht lesbar: {path} ({reason})"
IMPORT_FILE_BINARY: Final = "{path} enthält keinen lesbaren Text (Binärdatei). {hint}"


# core/opendata/dcat.py
#: The catalogue's ``dcat:keyword`` of every edition.
DCAT_KEYWORDS: Final = (
    "Nachhaltigkeit",
    "Nachhaltigkeitsstrategie",
    "Nachhaltigkeitsbericht",
    "Klimaschutz",
    "Projekte",
    "Kommunalverwaltung",
)
#: A distribution's title, by file extension.
DCAT_DISTRIBUTION_TITLES: Final[dict[str, str]] = {
    "json": "Alle Daten (JSON)",
    "csv": "Projektliste (CSV)",
    "xlsx": "Tabellen für Excel (XLSX)",
    "pdf": "Bericht (PDF)",
    "docx": "Bericht (Word, DOCX)",
    "html": "Website",
}
DCAT_CATALOG_TITLE: Final = "Nachhaltigkeitsreport {name}"
DCAT_CATALOG_DESCRIPTION: Final = (
    "Die Ausgaben des Nachhaltigkeitsreports {genitive} als offene Daten: "
    "Projekte der Nachhaltigkeitsstrategie mit Status, Meilensteinen und Beratungen."
)
DCAT_DATASET_TITLE: Final = "Nachhaltigkeitsreport {name} – Stand {stand}"
DCAT_DATASET_DESCRIPTION: Final = (
    "Der Nachhaltigkeitsreport {genitive} zum Stand {stand}: "
    "alle Projekte der Nachhaltigkeitsstrategie nach Themenfeldern und "
    "strategischen Zielen, mit Status, Beschreibung, erreichten und geplanten "
    "Meilensteinen, Beratungen in den "
    "Gremien sowie dem Archiv umgesetzter und entfallener Projekte."
)
DCAT_DISTRIBUTION_DESCRIPTION: Final = "{title}, Stand {stand}. {license}."

# core/site/downloads.py
#: The label of each download on the site's pages, by file extension.
DOWNLOAD_LABELS: Final[dict[str, str]] = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "json": "Open Data (JSON)",
    "csv": "Projektliste (CSV)",
    "xlsx": "Tabellen für Excel (XLSX)",
}


# core/opendata/files.py
#: The open data README's request to name the source (only for licences that require it).
OPEN_DATA_README_ATTRIBUTION: Final = (
    "Bitte nennen Sie die Quelle, z. B.: „{name}: Nachhaltigkeitsreport, "
    "Stand TT.MM.JJJJ. {license} ({license_url})“.\n"
)
#: The open data README beside the downloads; ``{rule}`` underlines the title.
OPEN_DATA_README: Final = (
    "Nachhaltigkeitsreport {name} – offene Daten\n"
    "{rule}\n\n"
    "Herausgeber: {name} ({url})\n"
    "Lizenz: {license} ({license_url}), Kennung {license_id}.\n{attribution}\n"
    "Dateien je Ausgabe (nachhaltigkeitsreport-JJJJ-MM-TT.*):\n"
    "- .json: alle Daten der Ausgabe; Aufbau beschrieben in nhr-export.schema.json "
    "(JSON Schema 2020-12); enthält Herausgeber und Lizenz.\n"
    "- .csv: die Projektliste; UTF-8 mit Byte-Order-Mark, Trennzeichen Semikolon, "
    "wie Excel sie erwartet. Zellen, die mit =, +, -, @ beginnen, stehen mit einem "
    "vorangestellten ' darin, damit kein Tabellenprogramm sie als Formel ausführt.\n"
    "- .xlsx: Tabellenblätter Projekte, Meilensteine, Beratungen, Archiv und Hinweise "
    "(mit Lizenz und Quellenangabe).\n"
    "- .pdf, .docx: der gedruckte Bericht.\n\n"
    "Der Katalog aller Ausgaben für Datenportale (DCAT-AP.de) steht in catalog.ttl im "
    "Hauptordner der Website.\n"
)


# core/opendata/xlsx.py
#: The kinds of a project's dated entries, as the sheet "Meilensteine" names them.
XLSX_MILESTONE_KINDS: Final = ("erreicht", "geplant", "Planungsschritt")
#: The column headers of the XLSX download's sheets (the published format).
XLSX_PROJECTS_COLUMNS: Final = (
    "Nummer",
    "Kurztitel",
    "Titel",
    "Status",
    "Status seit",
    "Status seit (Wert)",
    "Projektstart",
    "Projektstart (Wert)",
    "Themenfeld-Nr.",
    "Themenfeld",
    "Strategisches Ziel",
    "Abteilungen",
    "Kommunen",
    "Beschreibung",
    "Bemerkung",
    "Projekt-ID",
)
XLSX_MILESTONES_COLUMNS: Final = (
    "Nummer",
    "Kurztitel",
    "Art",
    "Datum",
    "Datum (Wert)",
    "Text",
    "Projekt-ID",
)
XLSX_CONSULTATIONS_COLUMNS: Final = (
    "Nummer",
    "Kurztitel",
    "Datum",
    "Datum (Wert)",
    "Gremium",
    "Vorlagenart",
    "Vorlagennummer",
    "Bemerkung",
    "Projekt-ID",
)
XLSX_ARCHIVE_COLUMNS: Final = (
    "Art",
    "Themenfeld",
    "Titel",
    "Nummer",
    "Berichtet umgesetzt",
    "Zuletzt erwähnt",
    "Grund",
    "Projekt-ID",
)
XLSX_DRAFT_YES: Final = "ja – noch nicht veröffentlicht"
XLSX_DRAFT_NO: Final = "nein"
XLSX_TITLE: Final = "Nachhaltigkeitsreport {name}"
#: The sheet "Hinweise": what each sheet and column kind holds.
XLSX_NOTE_PROJECTS: Final = "ein Projekt je Zeile, wie in dieser Ausgabe gedruckt"
XLSX_NOTE_MILESTONES: Final = (
    "erreichte und geplante Meilensteine und Planungsschritte (Spalte Art)"
)
XLSX_NOTE_CONSULTATIONS: Final = "Beratungen in Gremien (Kreistag, Ausschüsse)"
XLSX_NOTE_ARCHIVE: Final = "umgesetzte und entfallene Projekte früherer Ausgaben"
XLSX_NOTE_DATES: Final = (
    "ein Tag als Datum; sonst der Text (z. B. „3. Quartal 2024“) und in "
    "der Spalte „(Wert)“ die normierte Form (z. B. „2024-Q3“)"
)
XLSX_NOTE_PROJECT_ID: Final = "bleibt über alle Ausgaben gleich; die Nummer kann sich ändern"
XLSX_DOCUMENT_TITLE: Final = "Nachhaltigkeitsreport {name} – Stand {stand}{draft}"
XLSX_DOCUMENT_DRAFT: Final = " (Entwurf)"
XLSX_DOCUMENT_SUBJECT: Final = "Nachhaltigkeitsreport: Projekte, Meilensteine, Beratungen, Archiv"


# core/site/build.py
SITE_EDITION_UNKNOWN: Final = "Eine Ausgabe zum Stand {day} gibt es nicht."
SITE_EDITION_UNPUBLISHED: Final = (
    "Die Ausgabe zum Stand {day} ist noch nicht veröffentlicht. "
    "Mit --draft wird sie als Entwurf geschrieben."
)
SITE_NOTHING_PUBLISHED: Final = (
    "Keine veröffentlichte Ausgabe in der Datenbank. Bitte zuerst importieren "
    "(nhr import-report) oder veröffentlichen (nhr edition publish)."
)
SITE_OUT_IS_FILE: Final = "{out} ist eine Datei, kein Ordner. Bitte einen Ordner angeben."
SITE_OUT_NOT_WRITABLE: Final = "In den Ordner {out} kann nicht geschrieben werden ({reason})."
#: The first line of the site's search index script.
SITE_SEARCH_INDEX_COMMENT: Final = "/* Suchindex der Projektliste */"
SITE_LOGO_MISSING: Final = "Die Logo-Datei {path} gibt es nicht."


# core/health.py
HEALTH_SERVICE: Final = "Dienst"
HEALTH_SCHEDULE: Final = "Zeitplan"
HEALTH_SENDING: Final = "Senden"
HEALTH_OLD_SCHEMA: Final = "Die Datenbank kennt noch keinen Dienst (altes Schema)."
HEALTH_OLD_SCHEMA_FIX: Final = "nhr db upgrade, dann den Dienst starten."
HEALTH_NEVER_RAN: Final = "Auf dieser Datenbank lief noch kein Dienst."
HEALTH_NEVER_RAN_FIX: Final = "nhr run starten (systemctl start nhr)."
HEALTH_ENDED: Final = "„nhr {command}“ wurde am {beat} beendet."
HEALTH_START_FIX: Final = "Dienst starten (systemctl start nhr)."
HEALTH_STALE: Final = "Kein Lebenszeichen von „nhr {command}“ auf {host} seit {beat}."
HEALTH_STALE_FIX: Final = "Dienst prüfen (systemctl status nhr, journalctl -u nhr)."
HEALTH_RUNNING: Final = "„nhr {command}“ läuft auf {host} (Prozess {pid}), Lebenszeichen {beat}."
HEALTH_STARTING: Final = "Dienst startet gerade."
HEALTH_NO_DUE_CHECK: Final = "Seit dem Start lief keine Fälligkeitsprüfung."
HEALTH_NO_DUE_CHECK_FIX: Final = "Protokoll prüfen (journalctl -u nhr)."
HEALTH_DUE_CHECK_OLD: Final = "Letzte Fälligkeitsprüfung am {when}."
HEALTH_DUE_CHECK_OLD_FIX: Final = "Protokoll prüfen (journalctl -u nhr); Dienst neu starten."
HEALTH_DUE_CHECK: Final = "Letzte Fälligkeitsprüfung {when}."
HEALTH_SENDING_FAILS: Final = "Nachrichten scheitern seit {since}."
HEALTH_SENDING_FAILS_FIX: Final = "Protokoll prüfen; ist Telegram erreichbar (nhr doctor)?"
HEALTH_SENDING_OK: Final = "keine anhaltenden Fehler."


# core/doctor.py
DOCTOR_TOKEN: Final = "Bot-Token"
DOCTOR_TOKEN_MISSING: Final = "TELEGRAM_BOT_TOKEN ist nicht gesetzt."
DOCTOR_TOKEN_MISSING_FIX: Final = "Token von @BotFather in TELEGRAM_BOT_TOKEN (.env) eintragen."
DOCTOR_TOKEN_FORM: Final = "TELEGRAM_BOT_TOKEN hat nicht die Form „123456789:ABC…“."
DOCTOR_TOKEN_FORM_FIX: Final = "Token vollständig aus der Nachricht von @BotFather kopieren."
DOCTOR_TOKEN_OK: Final = "gesetzt (Bot-ID {bot_id})."
DOCTOR_POLLING: Final = "kein WEBHOOK_URL: der Bot holt Nachrichten selbst ab (Long Polling)."
DOCTOR_WEBHOOK_INVALID: Final = "WEBHOOK_URL ist keine gültige Adresse: {url}"
DOCTOR_WEBHOOK_INVALID_FIX: Final = "Form: https://bot.example.de/telegram"
DOCTOR_WEBHOOK_HTTPS: Final = "WEBHOOK_URL muss mit https:// beginnen: {url}"
DOCTOR_WEBHOOK_HTTPS_FIX: Final = (
    "Telegram sendet nur an https-Adressen; TLS am Reverse-Proxy einrichten."
)
DOCTOR_WEBHOOK_PORT: Final = "Port {port} in WEBHOOK_URL nimmt Telegram nicht an."
DOCTOR_WEBHOOK_PORT_FIX: Final = "Einen dieser Ports verwenden: {allowed}."
DOCTOR_WEBHOOK_OK: Final = "{url} (lokal {listen}:{port})."
DOCTOR_TIMEZONE: Final = "Zeitzone"
DOCTOR_TIMEZONE_UNKNOWN: Final = "{setting}={value} ist keine bekannte Zeitzone."
DOCTOR_TIMEZONE_UNKNOWN_FIX: Final = "{setting}=Europe/Berlin setzen (Paket tzdata installiert?)."
DOCTOR_TIMEZONE_OK: Final = "{timezone} (Zeitplan: {schedule})."
DOCTOR_DATABASE: Final = "Datenbank"
DOCTOR_DATABASE_UNREACHABLE: Final = "{url} nicht erreichbar: {cause}"
DOCTOR_DATABASE_UNREACHABLE_FIX: Final = (
    "DATABASE_URL prüfen; läuft der Datenbankserver, stimmen Benutzer und Passwort?"
)
DOCTOR_DATABASE_OK: Final = "{url} erreichbar."
DOCTOR_SCHEMA: Final = "Datenbank-Schema"
DOCTOR_SCHEMA_EMPTY: Final = "Die Datenbank ist leer; das Programm erwartet Stand {expected}."
DOCTOR_SCHEMA_OTHER: Final = "Datenbank ist auf Stand {current}, das Programm erwartet {expected}."
DOCTOR_SCHEMA_OK: Final = "Stand {current}."
DOCTOR_EDITION: Final = "Ausgabe in Sammlung"
DOCTOR_EDITION_BEHIND: Final = (
    "Stand {day} ist noch nicht veröffentlicht; seither {passed} vergangen."
)
DOCTOR_EDITION_BEHIND_FIX: Final = SCHEDULE_OVER_FIX  # the same two ways on
DOCTOR_EDITION_OK: Final = "Stand {day}, wird gesammelt."
DOCTOR_SCHEDULE: Final = "Nächste Läufe"
DOCTOR_RUN_CALL: Final = "Aufruf {day}"
DOCTOR_RUN_REMINDER: Final = "Erinnerung {label}"
DOCTOR_RUN_ESCALATION: Final = "Eskalation"
DOCTOR_RUN_DRAFT: Final = "Entwurf"
DOCTOR_NOTHING_PLANNED: Final = "nichts geplant."
DOCTOR_NOTHING_PLANNED_FIX: Final = "SCHEDULE_* Einstellungen prüfen."
DOCTOR_RUN_AT: Final = "{what} am {when}"
DOCTOR_NOT_A_FOLDER: Final = "{path} ist kein Ordner."
DOCTOR_NOT_A_FOLDER_FIX: Final = "{setting} auf einen Ordner setzen."
DOCTOR_NOT_WRITABLE: Final = "{path} ist nicht beschreibbar ({reason})."
DOCTOR_NOT_WRITABLE_FIX: Final = "Dem Dienstbenutzer Schreibrechte geben oder {setting} ändern."
DOCTOR_FOLDER_LATER: Final = "{path} (wird beim ersten Schreiben angelegt)."
DOCTOR_FOLDER_OK: Final = "{path} beschreibbar."
DOCTOR_FONT: Final = "Schrift"
DOCTOR_SYSTEM_FONTS: Final = "Systemschriften"
DOCTOR_FONT_MISSING: Final = "{font} nicht gefunden ({where})."
DOCTOR_FONT_MISSING_FIX: Final = (
    "Paket fonts-dejavu-core installieren oder FONT_DIRS auf den Ordner der "
    "DejaVu-Schriften setzen."
)
DOCTOR_FONT_OK: Final = "{font} gefunden ({where})."
DOCTOR_TYPESETTING: Final = "PDF-Satz (Typst)"
#: The tiny Typst document the check sets (German letters and € must come out).
DOCTOR_TYPST_PROBE: Final = (
    '#set document(title: "Prüfung")\n#set text(font: "{font}", lang: "de")\nPrüfung: äöüß €'
)
DOCTOR_TYPST_FAILED: Final = "Typst konnte kein PDF erzeugen: {error}"
DOCTOR_TYPST_FAILED_FIX: Final = "Paket typst neu installieren (pip install -e .)."
DOCTOR_TYPST_NO_PDF: Final = "Typst lieferte kein PDF."
DOCTOR_TYPST_NO_PDF_FIX: Final = "Paket typst neu installieren."
DOCTOR_TYPST_OK: Final = "Typst erzeugt PDF/UA ({size} KB Probe)."


# core/editions.py
EDITION_OVERDUE: Final = (
    "Hinweis: Die Ausgabe zum {day} ist noch nicht veröffentlicht; "
    "seither {passed} vergangen. Veröffentlichen Sie sie (nhr edition publish --edition "
    "{cutoff_iso}) oder wählen Sie die Ausgabe in Arbeit (nhr edition "
    "collect --edition {next_iso})."
)
EDITION_COLLECT_PAST: Final = (
    "Die Ausgabe zum {day} kann nicht mehr gesammelt werden: zuletzt "
    "veröffentlicht ist die Ausgabe zum {last}. Bitte einen späteren "
    "Stichtag wählen."
)
EDITION_COLLECT_FUTURE: Final = (
    "Die Ausgabe zum {day} liegt zu weit in der Zukunft; der nächste Stichtag ist der {latest}."
)
EDITION_COLLECT_ARCHIVE_ONLY: Final = (
    "Die Ausgabe zum {day} ist nur aus dem Archiv bekannt und kann nicht gesammelt werden."
)
EDITION_PUBLISH_ARCHIVE_ONLY: Final = (
    "Die Ausgabe zum {day} ist nur aus dem Archiv bekannt und kann nicht veröffentlicht werden."
)
EDITION_ALREADY_PUBLISHED: Final = "Die Ausgabe zum {day} ist bereits veröffentlicht."
EDITION_BEFORE_LAST: Final = (
    "Die Ausgabe zum {day} liegt vor der zuletzt veröffentlichten Ausgabe zum "
    "{last}; in Arbeit ist die Ausgabe zum {collecting}."
)
EDITION_UNKNOWN_COLLECTING: Final = (
    "Eine Ausgabe zum {day} gibt es nicht; in Arbeit ist die Ausgabe zum {collecting}."
)
EDITION_DOES_NOT_RENDER: Final = (
    "Die Ausgabe zum {day} lässt sich nicht als {name} "
    "erstellen ({reason}); nichts veröffentlicht. Bitte korrigieren Sie die "
    "Angaben und veröffentlichen Sie dann erneut."
)
EDITION_NONE_PUBLISHED: Final = (
    "Noch keine Ausgabe veröffentlicht. Mit --draft erstellen Sie die Ausgabe in "
    "Arbeit als Entwurf."
)
EDITION_RENDER_ARCHIVE_ONLY: Final = (
    "Die Ausgabe zum {day} ist nur aus dem Archiv bekannt; sie lässt sich nicht erstellen."
)
EDITION_UNKNOWN: Final = "Eine Ausgabe zum {day} gibt es nicht."
EDITION_UNPUBLISHED_NEEDS_DRAFT: Final = (
    "Die Ausgabe zum {day} ist noch nicht veröffentlicht. Mit --draft wird sie als "
    "Entwurf erstellt."
)


# core/admin.py
#: How a message names an input: (asked for, subject), e.g. ``einen Titel``, ``Der Titel``.
INPUT_TITLE: Final = ("einen Titel", "Der Titel")
INPUT_SHORT_TITLE: Final = ("einen Kurztitel", "Der Kurztitel")
INPUT_DESCRIPTION: Final = ("eine Projektbeschreibung", "Die Projektbeschreibung")
INPUT_MUNICIPALITIES: Final = (
    "die Zusammenarbeit mit Kommunen",
    "Die Zusammenarbeit mit Kommunen",
)
INPUT_REASON: Final = ("einen Grund", "Der Grund")
INPUT_DEPARTMENT_CODE: Final = ("ein Kürzel für die Abteilung", "Das Kürzel")
INPUT_DEPARTMENT_NAME: Final = ("einen Namen für die Abteilung", "Der Name")
INPUT_MISSING: Final = "Bitte geben Sie {asked} an."
INPUT_TOO_LONG: Final = "{subject} ist zu lang: {length} Zeichen, erlaubt sind {limit}."
PROJECT_UNKNOWN: Final = "Ein Projekt mit der ID {id} gibt es nicht."
GOAL_NUMBER_INVALID: Final = "„{number}“ ist keine Zielnummer. Bitte so angeben: 1.2"
GOAL_NEEDS_FIELD: Final = "Bitte geben Sie das Ziel mit Themenfeld an, z. B. 1.{goal}."
GOAL_OTHER_FIELD: Final = "Ziel {number} gehört nicht zum Themenfeld {field}."
FIELD_UNKNOWN: Final = "Themenfeld {number} gibt es nicht. Themenfelder: {known}."
GOAL_UNKNOWN: Final = "Ziel {number} gibt es nicht. Ziele: {known}."
GOAL_INACTIVE: Final = "Ziel {number} steht nicht mehr im Report."
ADMIN_DEPARTMENT_UNKNOWN: Final = "Die Abteilung „{code}“ ist unbekannt. Bekannt: {known}"
DEPARTMENT_INACTIVE: Final = "Die Abteilung „{code}“ ist deaktiviert."
ADMIN_CONTACT_UNKNOWN: Final = "Eine Person mit der Nr. {id} gibt es nicht."
NEW_PROJECT_DROPPED: Final = "Ein neues Projekt kann nicht gleich entfallen."
PROJECT_NEEDS_DEPARTMENT: Final = "Bitte geben Sie mindestens eine verantwortliche Abteilung an."
PROJECT_TWIN: Final = "Unter Ziel {goal} gibt es schon das Projekt „{title}“ (ID {id})."
NOTHING_TO_CHANGE: Final = "Bitte geben Sie an, was geändert werden soll."
PROJECT_ALREADY_DROPPED: Final = "Das Projekt „{title}“ ist bereits entfallen."
KEEP_NOT_IMPLEMENTED: Final = (
    "Nur umgesetzte Projekte können länger im Report bleiben; „{title}“ ist nicht umgesetzt."
)
KEEP_GOAL_GONE: Final = (
    "Das Ziel des Projekts „{title}“ steht nicht mehr im Report. Bitte "
    "ordnen Sie das Projekt zuerst einem Ziel zu."
)
KEEP_ARCHIVED: Final = (
    "Das Projekt „{title}“ steht schon im Archiv der Ausgabe zum "
    "{day} und kommt nicht zurück in den Report."
)
DEPARTMENT_EXISTS: Final = "Die Abteilung „{code}“ gibt es schon."
DEPARTMENT_ALREADY_INACTIVE: Final = "Die Abteilung „{code}“ ist bereits deaktiviert."


def department_still_responsible(code: str, count: int, day: str) -> str:
    """A department cannot be retired while it answers for ``count`` projects of an edition."""
    return (
        f"Die Abteilung „{code}“ ist noch für {counted(count, 'Projekt', 'Projekte')} der "
        f"Ausgabe Stand {day} verantwortlich. Bitte ordnen Sie diese zuerst einer anderen "
        "Abteilung zu."
    )


CONTACT_ROLE_NEEDS_DEPARTMENT: Final = (
    "{name} hat keine Abteilung. Bitte zuerst eine Abteilung zuordnen."
)
