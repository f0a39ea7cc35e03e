"""Buttons the bot and the scheduler both send."""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from chat import texts

#: The prompt button's callback data; the bot's handler opens the contact's project overview.
OPEN_CALLBACK: Final = "open"


def open_row() -> tuple[tuple[str, str], ...]:
    """The button under prompts and reminders that opens the conversation, as plain data
    (label, callback data): the bot's screens carry no Telegram types."""
    return ((texts.OPEN_BUTTON, OPEN_CALLBACK),)


#: The prompt button, and ``open:<project id>`` under a returned submission (that project).
OPEN_PATTERN: Final = rf"^{OPEN_CALLBACK}(:[0-9]{{1,12}})?$"


def open_project_row(project_id: int) -> tuple[tuple[str, str], ...]:
    """The button under "Ihre Meldung wurde zurückgegeben": opens that project's card."""
    return ((texts.OPEN_PROJECT_BUTTON, f"{OPEN_CALLBACK}:{project_id}"),)


def open_project_id(data: str) -> int | None:
    """The project id of ``open:<id>``; None for the plain ``open``."""
    _, _, number = data.partition(":")
    return int(number) if number.isdigit() else None


def open_button() -> InlineKeyboardMarkup:
    """:func:`open_row` as Telegram's keyboard (the scheduler sends it through PTB)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in open_row()]]
    )
