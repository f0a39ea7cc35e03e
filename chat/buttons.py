"""Buttons the bot and the scheduler both send."""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from chat import texts

#: The prompt button's callback data; the bot's handler opens the contact's project overview.
OPEN_CALLBACK: Final = "open"


def open_button() -> InlineKeyboardMarkup:
    """The button under prompts and reminders that opens the conversation."""
    button = InlineKeyboardButton(texts.OPEN_BUTTON, callback_data=OPEN_CALLBACK)
    return InlineKeyboardMarkup([[button]])
