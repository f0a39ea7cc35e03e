"""Core's user-facing German text: the messages its errors carry to users, and the plural rule.

The one home of German words in ``core/`` (report wording stays in ``templates/``). The bot
(``bot/texts.py``), the scheduler (``scheduler/texts.py``) and the command line
(``nhr/texts.py``) each have their own texts module and count with :func:`plural` from here;
templates use it as the ``plural`` filter.
"""

from __future__ import annotations

import errno
from typing import Final


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
