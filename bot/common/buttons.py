"""The one keyboard builder: rows of (label, callback data), plain data for a
:class:`~bot.common.screens.Screen`.

Labels are cut to one short line; the callback data comes from :mod:`bot.common.callback_data`
(the contact conversation's keyboards: :mod:`bot.contact.keyboards`; the coordination's:
:func:`keyboard` here).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.common.callback_data import Act, encode_act
from bot.common.screens import Keyboard

MAX_LABEL = 40  # characters of a button label; longer ones are shortened with "…"

Row = Sequence[tuple[str, str]]  # (label, callback data)
Spec = tuple[str, Act, int | None]  # a coordination button: (label, action, argument)


def label(text: str, limit: int = MAX_LABEL) -> str:
    """A one-line button label of at most ``limit`` characters (never empty)."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line or "–"


def markup(rows: Sequence[Row]) -> Keyboard:
    """The keyboard of ``rows`` (label, callback data), labels cut to one short line; empty
    rows are dropped."""
    return tuple(tuple((label(text), data) for text, data in row) for row in rows if row)


def keyboard(seq: int, rows: Sequence[Sequence[Spec]]) -> Keyboard:
    """A keyboard of coordinator buttons; dialog buttons carry ``seq``; empty rows dropped."""
    return markup([[(text, encode_act(seq, act, arg)) for text, act, arg in row] for row in rows])


def in_rows(buttons: Sequence[Spec], per_row: int) -> list[list[Spec]]:
    """``buttons`` laid out ``per_row`` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
