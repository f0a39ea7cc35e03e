"""A Telegram user in the fake world: what a test does and sees in one private chat."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Protocol

from .fake_world import AnsweredCallback, BotMessage, Chat, FakeWorld, JsonObject, SentDocument
from .telegram_html import utf16_len

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")


class HasMessageId(Protocol):
    """A message as a test holds it: a ``BotMessage`` or python-telegram-bot's ``Message``."""

    @property
    def message_id(self) -> int:
        """The id of the message in its chat."""
        ...


MessageRef = HasMessageId | int


class FakeUser:
    """A user chatting privately with the bot; create it with ``FakeBotApi.user``.

    Actions (``send``, ``press``, ...) enqueue the updates Telegram would deliver. Reading
    never blocks except ``wait_for_message``, which returns the bot's messages and edits one by
    one, starting after the user's latest action.
    """

    def __init__(self, world: FakeWorld, chat: Chat) -> None:
        self._world = world
        self._chat = chat
        self._seen = 0  # index into the chat log: entries before it were returned or skipped

    def __repr__(self) -> str:
        return f"FakeUser({self.user_id}, {self.first_name!r})"

    @property
    def user_id(self) -> int:
        """The user's id, which is also the id of the private chat."""
        return self._chat.chat_id

    @property
    def first_name(self) -> str:
        """The user's first name."""
        return str(self._chat.user["first_name"])

    @property
    def username(self) -> str | None:
        """The user's @username without the @, if any."""
        username = self._chat.user.get("username")
        return None if username is None else str(username)

    # -- actions ---------------------------------------------------------------------------

    async def send(self, text: str, *, reply_to: MessageRef | None = None) -> int:
        """Send a text message; a leading ``/command`` gets its bot_command entity.

        Returns the message_id of the user's message.
        """
        fields: JsonObject = {"text": text}
        command = _COMMAND.match(text)
        if command:
            length = utf16_len(command.group())
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            fields["reply_to_message"] = self._message_json(reply_to)
        return self._act(fields)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> int:
        """Upload a document; the bot can fetch it with getFile and the file URL."""
        stored = self._world.store_file(filename, mime_type, content)
        fields: JsonObject = {"document": stored.document_json()}
        if caption:
            fields["caption"] = caption
        return self._act(fields)

    async def press(self, message: MessageRef, callback_data: str) -> str:
        """Press the inline button with ``callback_data`` on the current version of a message.

        Returns the callback query id. Fails like a user would: the button must be there.
        """
        message_id = _message_id(message)
        current = self._current(message_id)
        pressable = [data for _, data in _inline_buttons(current.reply_markup) if data is not None]
        if callback_data not in pressable:
            raise AssertionError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"its buttons are {self.buttons(current)}"
            )
        self._seen = len(self._chat.log)
        return self._world.press(self._chat, message_id, callback_data)

    async def press_any(self, message: MessageRef, callback_data: str) -> str:
        """Send a callback query for ``message`` with any ``callback_data``, shown on a button
        or not: a stale button of an older version, or data forged by a hostile client.

        Returns the callback query id.
        """
        message_id = _message_id(message)
        if message_id not in self._chat.messages:
            raise AssertionError(f"message {message_id} is not in the chat with {self!r}")
        self._seen = len(self._chat.log)
        return self._world.press(self._chat, message_id, callback_data)

    async def edit(self, message_id: int, text: str) -> None:
        """Edit one of the user's own messages; the bot gets an ``edited_message`` update."""
        message = self._chat.messages.get(message_id)
        if message is None or message.get("from") != self._chat.user:
            raise AssertionError(f"message {message_id} is not a message of {self!r}")
        edited: JsonObject = {**message, "text": text, "edit_date": self._world.now()}
        edited.pop("entities", None)
        self._chat.messages[message_id] = edited
        self._seen = len(self._chat.log)
        self._world.updates.put("edited_message", edited)

    async def press_button(self, message: MessageRef, label: str) -> str:
        """Press the inline button whose text is ``label``; returns the callback query id."""
        current = self._current(_message_id(message))
        for text, data in _inline_buttons(current.reply_markup):
            if text == label and data is not None:
                return await self.press(current, data)
        raise AssertionError(
            f"message {current.message_id} has no callback button labelled {label!r}; "
            f"its buttons are {self.buttons(current)}"
        )

    def _act(self, fields: JsonObject) -> int:
        self._seen = len(self._chat.log)
        return self._world.post_user_message(self._chat, fields)

    # -- what the user sees ----------------------------------------------------------------

    @property
    def own_message_ids(self) -> list[int]:
        """Ids of the messages this user sent (and has not had deleted), oldest first."""
        return [mid for mid, m in self._chat.messages.items() if m.get("from") == self._chat.user]

    @property
    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this chat and every edit, oldest first."""
        return list(self._chat.log)

    @property
    def last(self) -> BotMessage:
        """The bot's latest message or edit in this chat."""
        if not self._chat.log:
            raise AssertionError(f"the bot has sent nothing to {self!r}")
        return self._chat.log[-1]

    @property
    def current_messages(self) -> list[BotMessage]:
        """The bot's messages as the chat shows them now: latest versions, deleted ones gone."""
        return [self._chat.current[k] for k in sorted(self._chat.current)]

    @property
    def documents(self) -> list[SentDocument]:
        """Every document the bot sent to this chat, oldest first."""
        return [doc for m in self._chat.log if not m.edited for doc in m.documents]

    @property
    def answered_callbacks(self) -> list[AnsweredCallback]:
        """The bot's answers to this user's button presses, in order."""
        return list(self._chat.answered_callbacks)

    @property
    def chat_actions(self) -> list[str]:
        """Chat actions ("typing", "upload_document", ...) the bot sent, in order."""
        return list(self._chat.chat_actions)

    @property
    def deleted_message_ids(self) -> list[int]:
        """Ids of messages the bot deleted in this chat."""
        return list(self._chat.deleted)

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Button labels of the reply keyboard the bot shows, or None."""
        return self._chat.reply_keyboard

    @property
    def failed_calls(self) -> list[str]:
        """Bot API calls for this chat that were answered with an error ("method -> reason")."""
        return list(self._chat.failures)

    def buttons(self, message: BotMessage) -> list[tuple[str, str | None]]:
        """The inline buttons of ``message`` as (text, callback_data), row by row."""
        return _inline_buttons(message.reply_markup)

    async def wait_for_message(
        self,
        predicate: Callable[[BotMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 -- a deadline per call reads best in a test
    ) -> BotMessage:
        """The bot's next message or edit (matching ``predicate``) after the last one returned
        or the user's latest action, whichever is later. Entries that do not match are skipped.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        log = self._chat.log
        while True:
            while self._seen < len(log):
                message = log[self._seen]
                self._seen += 1
                if predicate is None or predicate(message):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._nothing_arrived(timeout, predicate is not None))
            await self._world.bot_activity.wait_until(deadline)

    def _nothing_arrived(self, timeout: float, filtered: bool) -> str:
        matching = " matching the predicate" if filtered else ""
        lines = [f"{self!r} got no new bot message{matching} within {timeout:g} s."]
        if self._chat.log:
            lines.append("Bot messages and edits in this chat, oldest first:")
            lines += [f"  {_describe(m, self.buttons(m))}" for m in self._chat.log]
        else:
            lines.append("The bot has sent nothing to this chat.")
        if self._chat.failures:
            lines.append("Bot API calls for this chat that failed:")
            lines += [f"  {failure}" for failure in self._chat.failures]
        return "\n".join(lines)

    def _current(self, message_id: int) -> BotMessage:
        current = self._chat.current.get(message_id)
        if current is None:
            raise AssertionError(
                f"message {message_id} is not in the chat with {self!r}: "
                "never sent by the bot, or deleted"
            )
        return current

    def _message_json(self, message: MessageRef) -> JsonObject:
        message_id = _message_id(message)
        if message_id not in self._chat.messages:
            raise AssertionError(f"message {message_id} is not in the chat with {self!r}")
        return self._chat.messages[message_id]


def _message_id(message: MessageRef) -> int:
    return message if isinstance(message, int) else message.message_id


def _inline_buttons(markup: JsonObject | None) -> list[tuple[str, str | None]]:
    rows = (markup or {}).get("inline_keyboard")
    if not isinstance(rows, list):
        return []
    buttons: list[tuple[str, str | None]] = []
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            buttons.append((str(button.get("text")), data if isinstance(data, str) else None))
    return buttons


def _describe(message: BotMessage, buttons: list[tuple[str, str | None]]) -> str:
    text = message.text if len(message.text) <= 200 else message.text[:200] + "…"
    parts = [f"#{message.message_id} {'edited' if message.edited else 'sent'}: {text!r}"]
    if buttons:
        parts.append(f"buttons={buttons}")
    if message.documents:
        parts.append(f"documents={[d.filename for d in message.documents]}")
    return " ".join(parts)
