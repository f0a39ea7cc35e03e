"""The simulated Telegram behind the fake Bot API: users, chats, messages, files and updates.

Plain state with no HTTP in it. The server's methods change it; ``FakeUser`` handles read it
and add what users do. Everything a test looks at is a frozen dataclass snapshot.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .bot_api_input import ApiError, bad_request, button_label
from .telegram_html import Entity

JsonObject = dict[str, object]

# getUpdates' default when allowed_updates was never given (or given as an empty list).
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages",
        "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
        "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SentDocument:
    """A document in a chat, as uploaded by the bot (or the user)."""

    filename: str
    size: int
    content: bytes
    mime_type: str | None
    caption: str | None
    file_id: str


@dataclass(frozen=True)
class BotMessage:
    """One message the bot sent, or one edit of it, as the user sees it.

    ``text`` is the plain text after entity parsing and trimming (for a document: its
    caption); ``raw_text`` is what the bot sent, markup included. ``reply_markup`` is the
    markup as sent, of any kind (only inline keyboards travel back in Telegram's Message).
    """

    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: JsonObject | None
    edited: bool = False
    documents: tuple[SentDocument, ...] = ()
    raw_text: str = ""
    entities: tuple[Entity, ...] = ()
    disable_notification: bool = False
    link_preview_options: JsonObject | None = None
    reply_to_message_id: int | None = None
    date: int = 0


@dataclass(frozen=True)
class AnsweredCallback:
    """The bot's answerCallbackQuery for one button press."""

    query_id: str
    callback_data: str | None
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made: ``at`` is ``time.monotonic()`` on arrival."""

    at: float
    method: str
    chat_id: int | None
    status: int


@dataclass(frozen=True)
class StoredFile:
    """A file Telegram keeps, reachable by file_id and downloadable by file_path."""

    file_id: str
    file_unique_id: str
    filename: str | None
    mime_type: str | None
    content: bytes

    @property
    def file_path(self) -> str:
        """The path below the file download URL."""
        return f"documents/{self.file_id}"

    def document_json(self) -> JsonObject:
        """The Document object of this file."""
        document: JsonObject = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.filename is not None:
            document["file_name"] = self.filename
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        return document


class Signal:
    """Wakes every coroutine waiting at the moment it fires; firing is synchronous."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake the current waiters; later waiters wait for the next fire."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, deadline: float) -> bool:
        """Wait for the next fire until the loop time ``deadline``; False if it passed."""
        event = self._event
        try:
            async with asyncio.timeout_at(deadline):
                await event.wait()
        except TimeoutError:
            return False
        return True


class UpdateQueue:
    """Updates waiting for getUpdates, filtered by allowed_updates when they are created."""

    def __init__(self) -> None:
        self._pending: deque[JsonObject] = deque()
        self._handed_out = 0  # the first pending updates that getUpdates returned
        self._next_id = 1
        self.last: JsonObject | None = None  # the newest update
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.arrived = Signal()
        self.poll_generation = 0

    def __len__(self) -> int:
        return len(self._pending)

    def put(self, kind: str, payload: JsonObject) -> None:
        """Add an update of type ``kind`` unless the bot asked not to receive that type."""
        if kind not in self._allowed:
            return
        self.last = {"update_id": self._next_id, kind: payload}
        self._pending.append(self.last)
        self._next_id += 1
        self.arrived.fire()

    def put_again(self, update: JsonObject) -> None:
        """Deliver ``update`` once more, as Telegram does with one the bot did not confirm."""
        self._pending.append(dict(update))
        self.arrived.fire()

    def restart_ids(self, next_id: int) -> None:
        """The next update gets ``next_id`` (Telegram: after a week without updates, at random)."""
        self._next_id = next_id

    def allow(self, kinds: Iterable[str]) -> None:
        """Set allowed_updates; an empty list restores the default."""
        self._allowed = frozenset(kinds) or DEFAULT_UPDATE_TYPES

    def confirm(self, offset: int) -> None:
        """Forget returned updates below a positive offset, or all but the last -offset ones.

        Only updates that getUpdates returned are confirmed by a positive offset: one that
        arrives later with a lower id (ids restarted) is still delivered."""
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            self._handed_out = min(self._handed_out, len(self._pending))
            return
        while self._handed_out and _update_id(self._pending[0]) < offset:
            self._pending.popleft()
            self._handed_out -= 1

    def peek(self, limit: int) -> list[JsonObject]:
        """The oldest ``limit`` unconfirmed updates."""
        return list(itertools.islice(self._pending, limit))

    def hand_out(self, limit: int) -> list[JsonObject]:
        """The oldest ``limit`` unconfirmed updates, as getUpdates returns them."""
        batch = self.peek(limit)
        self._handed_out = max(self._handed_out, len(batch))
        return batch

    def clear(self) -> None:
        """Drop every pending update (deleteWebhook with drop_pending_updates)."""
        self._pending.clear()
        self._handed_out = 0


def _update_id(update: JsonObject) -> int:
    value = update["update_id"]
    assert isinstance(value, int)
    return value


@dataclass
class Chat:
    """A private chat between the bot and one user."""

    user: JsonObject
    blocked: bool = False
    next_message_id: int = 1
    messages: dict[int, JsonObject] = field(default_factory=dict)  # current JSON, any sender
    current: dict[int, BotMessage] = field(default_factory=dict)  # latest version, bot only
    log: list[BotMessage] = field(default_factory=list)  # every send and edit, in order
    deleted: list[int] = field(default_factory=list)
    chat_actions: list[str] = field(default_factory=list)
    answered_callbacks: list[AnsweredCallback] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None

    @property
    def chat_id(self) -> int:
        """A private chat's id is the user's id."""
        value = self.user["id"]
        assert isinstance(value, int)
        return value

    def chat_json(self) -> JsonObject:
        """The Chat object of this private chat."""
        keys = ("first_name", "last_name", "username")
        return {"id": self.chat_id, "type": "private"} | {
            k: self.user[k] for k in keys if k in self.user
        }


@dataclass
class PendingQuery:
    """A callback query waiting for answerCallbackQuery."""

    chat_id: int
    callback_data: str
    answered: bool = False


class FakeWorld:
    """Everything the fake Telegram knows, shared by the server and the user handles."""

    def __init__(self, me: JsonObject, clock: Callable[[], float]) -> None:
        self.me = me
        self.clock = clock
        self.chats: dict[int, Chat] = {}
        self.updates = UpdateQueue()
        self.files: dict[str, StoredFile] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.bot_activity = Signal()
        self.closing = False
        self._ids = itertools.count(1)

    @property
    def bot_user(self) -> JsonObject:
        """The bot as the ``from`` of its messages."""
        return {k: self.me[k] for k in ("id", "is_bot", "first_name", "username")}

    def now(self) -> int:
        """Unix time for ``date`` fields."""
        return int(self.clock())

    def chat(self, chat_id: int) -> Chat:
        """The chat with ``chat_id``; 400 chat not found for users the world does not know."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def note_failure(self, chat_id: int | None, method: str, error: ApiError) -> None:
        """Remember a failed call, so a test waiting in vain can say why."""
        if chat_id in self.chats:
            self.chats[chat_id].failures.append(f"{method} -> {error.description}")

    def store_file(self, filename: str | None, mime_type: str | None, content: bytes) -> StoredFile:
        """Keep an uploaded file and give it ids."""
        serial = next(self._ids)
        stored = StoredFile(
            f"BQACAgIAAx{serial:08d}", f"AgAD{serial:06d}", filename, mime_type, content
        )
        self.files[stored.file_id] = stored
        return stored

    def _take_message_id(self, chat: Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def post_user_message(self, chat: Chat, fields: JsonObject) -> int:
        """A message from the user: stored, and delivered to the bot as an update."""
        message_id = self._take_message_id(chat)
        message: JsonObject = {
            "message_id": message_id,
            "from": chat.user,
            "chat": chat.chat_json(),
            "date": self.now(),
        } | fields
        chat.messages[message_id] = message
        self.updates.put("message", message)
        return message_id

    def post_bot_message(self, chat: Chat, draft: BotMessage) -> JsonObject:
        """A message from the bot: numbered, stored, logged; returns its Message JSON."""
        message = replace(draft, message_id=self._take_message_id(chat))
        markup = message.reply_markup or {}
        if "keyboard" in markup and isinstance(markup["keyboard"], list):
            chat.reply_keyboard = [[button_label(b) for b in row] for row in markup["keyboard"]]
        elif markup.get("remove_keyboard") is True:
            chat.reply_keyboard = None
        return self._record(chat, message, {})

    def record_edit(self, chat: Chat, message: BotMessage) -> JsonObject:
        """A new version of a bot message; returns its Message JSON with ``edit_date``."""
        return self._record(chat, message, {"edit_date": self.now()})

    def _record(self, chat: Chat, message: BotMessage, extra: JsonObject) -> JsonObject:
        json: JsonObject = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.chat_json(),
            "date": message.date,
        }
        text_key = "caption" if message.documents else "text"
        if message.text:
            json[text_key] = message.text
        if message.entities:
            json["caption_entities" if message.documents else "entities"] = list(message.entities)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            json["reply_markup"] = message.reply_markup
        if message.link_preview_options:
            json["link_preview_options"] = message.link_preview_options
        if message.documents:
            json["document"] = self.files[message.documents[0].file_id].document_json()
        if message.reply_to_message_id in chat.messages:
            json["reply_to_message"] = chat.messages[message.reply_to_message_id]
        json |= extra
        chat.messages[message.message_id] = json
        chat.current[message.message_id] = message
        chat.log.append(message)
        self.bot_activity.fire()
        return json

    def delete_message(self, chat: Chat, message_id: int) -> None:
        """Remove a message from the chat; 400 if there is none with that id."""
        if chat.messages.pop(message_id, None) is None:
            raise bad_request("message to delete not found")
        chat.current.pop(message_id, None)
        chat.deleted.append(message_id)
        self.bot_activity.fire()

    def press(self, chat: Chat, message_id: int, callback_data: str) -> str:
        """A callback query for a button of a bot message, delivered as an update."""
        query_id = str(4_000_000_000_000_000 + next(self._ids))
        self.queries[query_id] = PendingQuery(chat.chat_id, callback_data)
        query: JsonObject = {
            "id": query_id,
            "from": chat.user,
            "message": chat.messages[message_id],
            "chat_instance": f"-{chat.chat_id}00",
            "data": callback_data,
        }
        self.updates.put("callback_query", query)
        return query_id

    def set_blocked(self, chat: Chat, blocked: bool) -> None:
        """Block or unblock the bot, telling the bot with a my_chat_member update."""
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        member = {"user": self.bot_user, "status": "member"}
        kicked = {"user": self.bot_user, "status": "kicked", "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        self.updates.put(
            "my_chat_member",
            {
                "chat": chat.chat_json(),
                "from": chat.user,
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )
