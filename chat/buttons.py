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


def open_button() -> InlineKeyboardMarkup:
    """:func:`open_row` as Telegram's keyboard (the scheduler sends it through PTB)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in open_row()]]
    )
