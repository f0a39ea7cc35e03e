"""What the contact conversation and the coordinator's dialogs share: reading what people type
(one cleaning, one length check, one German error per problem) and the turn counter of a
stored conversation (which of a coordinator's two conversations spoke last)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from bot import texts
from core.admin import AdminError
from core.changes import read_status_since
from core.contacts import ContactError
from core.fuzzydate import FuzzyDate, FuzzyDateError
from core.fuzzydate_parse import parse_fuzzy_date, suggest
from core.richtext import RichText
from core.submissions import SubmissionError
from core.textnorm import clean_text

MAX_DATE_TEXT: Final = 60


def turns_of(data: dict[str, Any]) -> int:
    """:attr:`bot.contact.flow.Conv.turns` of a stored conversation (stored before it had
    them: its last update id, which orders the same way against a coordinator dialog stored
    then)."""
    return int(data.get("turns", data.get("last_update_id", 0)))


# -- reading what people type --------------------------------------------------------------------


class InputError(ValueError):
    """Typed input that cannot be used; ``str(err)`` is a German message that may quote the
    input, so it is escaped like any other text when shown."""


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_line(text: str, limit: int) -> str:
    """One line of text: control characters removed, whitespace collapsed, length checked."""
    line = _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()
    return _checked(line, limit)


def clean_block(text: str, limit: int) -> str:
    """Paragraphs of text: control characters removed, line breaks kept, length checked."""
    lines = [_SPACES.sub(" ", line).strip() for line in clean_text(text).split("\n")]
    return _checked(_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip(), limit)


def clean_rich_text(text: str, limit: int) -> str:
    """A description or remark: read as paragraphs and lists (``- `` and ``1. `` lines,
    indented sub-items) and kept in the one plain form of :class:`RichText`."""
    lines = []
    for line in clean_text(text).split("\n"):
        indent = len(line) - len(line.lstrip(" \t"))
        lines.append(" " * min(indent, 8) + _SPACES.sub(" ", line).strip())
    return _checked(RichText.from_plain("\n".join(lines)).to_plain(), limit)


def _checked(text: str, limit: int) -> str:
    if not text:
        raise InputError(texts.EMPTY_TEXT)
    if len(text) > limit:
        raise InputError(texts.TOO_LONG.format(length=len(text), limit=limit))
    return text


class DateInputError(InputError):
    """A date that cannot be read; ``suggestion`` is a near reading in the form the reader
    takes back (for a "Meinten Sie …?" button), or None."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def read_date(text: str, today: date) -> FuzzyDate:
    """A fuzzy German date; :class:`DateInputError` with the parser's German message (and a
    near reading, if there is one) otherwise."""
    line = _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()
    if len(line) > MAX_DATE_TEXT:
        raise InputError(texts.DATE_TOO_LONG)
    try:
        return parse_fuzzy_date(line, today=today)
    except FuzzyDateError as err:
        raise DateInputError(str(err), _suggestion(line, today)) from None


def read_since(text: str, today: date) -> FuzzyDate:
    """A typed answer to "Seit wann?" (issue 18), as precise as written: a point or span of
    time up to today (:func:`core.changes.read_status_since`); :class:`DateInputError` with
    the German message (and a near reading, if there is one) otherwise."""
    line = _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()
    if len(line) > MAX_DATE_TEXT:
        raise InputError(texts.DATE_TOO_LONG)
    try:
        return read_status_since(line, today)
    except FuzzyDateError as err:
        raise DateInputError(str(err), _suggestion(line, today)) from None


def _suggestion(line: str, today: date) -> str | None:
    """The near reading of ``line`` as text that reads back as the same date, or None."""
    reading = suggest(line, today)
    if reading is None:
        return None
    shown = reading.format()
    try:
        same = parse_fuzzy_date(shown, today=today) == reading
    except FuzzyDateError:
        same = False
    return shown if same else None


#: What a step may raise for the user to read (German, safe to show once escaped). Both turn
#: runners roll back everything such a step wrote and build the answer in a fresh transaction.
USER_ERRORS = (SubmissionError, AdminError, ContactError, InputError)
UserError = SubmissionError | AdminError | ContactError | InputError
