"""The Telegram adapter: puts screens (plain data) into the chat.

The conversations build screens as plain data (text, rows of (label, callback data)); only
here do they become Telegram's keyboards (:func:`reply_markup`). Long texts split below
Telegram's limit, edits fall back to new messages, a 429 is waited out, and a user who blocked
the bot is not an error. A second messenger would be one more adapter like this one.

Texts go out through :func:`send_text` and :func:`edit_text`: PTB's public raw request,
``Bot.do_api_request`` (the bot's HTTP client and error mapping), so that Telegram's answer is
not turned into a :class:`telegram.Message`. The bot only ever reads the new message's id, and
parsing the echoed message with its keyboard was a tenth of the bot's CPU per update. A raw
request gets none of the bot's ``Defaults``, so :func:`_text_options` adds them itself.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.common.screens import Keyboard, Screen

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Visible characters per message (UTF-16 code units, as Telegram counts); the limit is 4096.
LIMIT = 4000
_TAG = re.compile(r"<[^>]*>")


def visible_length(text: str) -> int:
    """Length of an HTML message as Telegram counts it: without tags and entities, in UTF-16."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Split at paragraph (then line) boundaries so each part is at most ``limit`` long.

    A single line longer than the limit loses its markup and is cut into plain, escaped
    pieces; tags never span a line in this bot's messages, so no tag is ever cut in half.
    """
    parts: list[str] = []
    for paragraph in text.split("\n\n"):
        fits = visible_length(paragraph) <= limit
        for piece in [paragraph] if fits else _split_lines(paragraph, limit):
            _join_or_start(parts, piece, "\n\n", limit)
    return [p for p in parts if p.strip()] or [""]


def _split_lines(paragraph: str, limit: int) -> list[str]:
    parts: list[str] = []
    for line in paragraph.split("\n"):
        pieces = [line] if visible_length(line) <= limit else _cut_plain(line, limit)
        for piece in pieces:
            _join_or_start(parts, piece, "\n", limit)
    return parts


def _join_or_start(parts: list[str], piece: str, glue: str, limit: int) -> None:
    if parts and visible_length(parts[-1] + glue + piece) <= limit:
        parts[-1] += glue + piece
    else:
        parts.append(piece)


def _cut_plain(line: str, limit: int) -> list[str]:
    text = html.unescape(_TAG.sub("", line))
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        width = len(char.encode("utf-16-le")) // 2
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return [html.escape(p, quote=False) for p in pieces if p]


#: How often one call is tried when Telegram asks to slow down (429 with retry_after).
PATIENCE: Final = 3


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    """``call()``, waited for and tried again when Telegram answers 429 (retry_after), as
    after a burst of messages (a batch of decisions, a reminder wave)."""
    for attempt in range(1, PATIENCE + 1):
        try:
            return await call()
        except RetryAfter as err:
            if attempt == PATIENCE:
                raise
            wait = err.retry_after
            await wait_out(wait.total_seconds() if isinstance(wait, timedelta) else wait)
    raise AssertionError("unreachable")  # pragma: no cover


async def wait_out(seconds: float) -> None:
    """Sleep through Telegram's ``retry_after`` before the next try (the one place the bot
    pauses for it, so that a test can see each pause's length without spending it)."""
    await asyncio.sleep(seconds)


#: PTB warns on every raw request for a method it has its own function for ("Please use
#: 'Bot.sendMessage' instead"); skipping that function's Message parsing is the point here.
RAW_REQUEST_WARNING: Final = (
    r"Please use 'Bot\.(sendMessage|editMessageText|editMessageReplyMarkup)' instead"
)
warnings.filterwarnings("ignore", RAW_REQUEST_WARNING, PTBUserWarning)


def reply_markup(keyboard: Keyboard | None) -> dict[str, Any] | None:
    """A screen's keyboard as the Bot API's ``reply_markup`` (what PTB's
    ``InlineKeyboardMarkup.to_dict`` gives, without building its objects)."""
    if keyboard is None:
        return None
    rows = [[{"text": text, "callback_data": data} for text, data in row] for row in keyboard]
    return {"inline_keyboard": rows}


def inline_keyboard(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """A screen's keyboard for PTB's own send functions."""
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in keyboard]
    )


async def send_text(
    bot: Bot, chat_id: int, text: str, keyboard: Keyboard | None = None
) -> int | None:
    """``sendMessage`` (HTML, no link previews: the bot's defaults); the new message's id."""
    result = await bot.do_api_request(
        "sendMessage",
        _params(
            bot,
            {
                "chat_id": chat_id,
                "text": text,
                "reply_markup": reply_markup(keyboard),
            },
        ),
    )
    return _message_id(result)


async def edit_text(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    keyboard: Keyboard | None = None,
) -> None:
    """``editMessageText`` of one of the bot's messages (same defaults as :func:`send_text`)."""
    await bot.do_api_request(
        "editMessageText",
        _params(
            bot,
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": text,
                "reply_markup": reply_markup(keyboard),
            },
        ),
    )


def _params(bot: Bot, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` without empty values, plus the bot's text defaults."""
    return {key: value for key, value in params.items() if value is not None} | _text_options(bot)


def _text_options(bot: Bot) -> dict[str, Any]:
    """The text options of the bot's ``Defaults`` (``bot.app``: HTML, no link previews), which
    PTB fills into its own send functions but not into a raw request."""
    defaults = bot.defaults if isinstance(bot, ExtBot) else None
    if defaults is None:
        return {}
    options = {
        "parse_mode": defaults.parse_mode,
        "link_preview_options": defaults.link_preview_options,
        "disable_notification": defaults.disable_notification,
        "protect_content": defaults.protect_content,
    }
    return {key: value for key, value in options.items() if value is not None}


def _message_id(result: Any) -> int | None:
    if isinstance(result, dict) and isinstance(result.get("message_id"), int):
        return int(result["message_id"])
    return None


async def deliver(
    bot: Bot, chat_id: int, screen: Screen, *, edit_message_id: int | None = None
) -> None:
    """Show ``screen``: edit the pressed message in place if it fits, else send it (in parts,
    the keyboard under the last one)."""
    await show(bot, chat_id, screen, edit_message_id=edit_message_id)


async def show(
    bot: Bot,
    chat_id: int,
    screen: Screen,
    *,
    edit_message_id: int | None = None,
    replaces: int | None = None,
    drops: KeyboardDrops | None = None,
) -> int | None:
    """:func:`deliver`, and the id of the message that now shows the screen's buttons (None:
    it has none, or the chat is unreachable). When the screen went out as a new message,
    ``replaces`` (the previous screen's message) loses its buttons, so that only the newest
    screen can be tapped: after the new screen is out, in the background with ``drops`` (the
    reply does not wait for it; a tap on the old message in between only gets the stale
    toast, the turn's screen counter decides that), else awaited here."""
    parts = split_html(screen.text)
    shown: int | None = None
    if edit_message_id is not None and drops is not None:
        # a drop still on its way to this message must not take the new screen's buttons
        await drops.settled(chat_id, edit_message_id)
    try:
        if (
            edit_message_id is not None
            and len(parts) == 1
            and await _edit(bot, chat_id, edit_message_id, parts[0], screen.keyboard)
        ):
            shown = edit_message_id
        else:
            for i, part in enumerate(parts):
                keyboard = screen.keyboard if i == len(parts) - 1 else None
                shown = await patiently(  # awaited here, so the closure's values are current
                    lambda: send_text(bot, chat_id, part, keyboard)  # noqa: B023
                )
    except Forbidden:
        log.info("chat %s blocked the bot; message dropped", chat_id)
        return None
    if not screen.keyboard:
        return None
    if replaces is not None and replaces != shown:
        if drops is None:
            await drop_keyboard(bot, chat_id, replaces)
        else:
            drops.drop(bot, chat_id, replaces)
    return shown


async def drop_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Take the buttons off an older message (``editMessageReplyMarkup`` without a keyboard);
    a message that is gone, too old or already bare is left as it is."""
    try:
        await bot.do_api_request(
            "editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id}
        )
    except TelegramError as err:
        log.debug("buttons of message %s in chat %s stay: %s", message_id, chat_id, err)


Spawn = Callable[[Coroutine[Any, Any, None]], "asyncio.Task[None]"]


class KeyboardDrops:
    """Buttons taken off replaced screens in the background, off the reply's critical path.

    ``spawn`` starts a drop as a task: the application's ``create_task``, so that stopping the
    bot waits for the drops still on their way. A failed drop is logged and forgotten (the old
    message keeps its buttons; tapping them only gets the stale toast). The drops per message
    are tracked, so that a message being edited into a new screen first waits for a drop still
    on its way to it (:meth:`settled`); new messages are never the target of an earlier drop.
    """

    def __init__(self, spawn: Spawn | None = None) -> None:
        self._spawn: Spawn = spawn or asyncio.create_task
        self._pending: dict[tuple[int, int], asyncio.Task[None]] = {}

    def drop(self, bot: Bot, chat_id: int, message_id: int) -> None:
        """Take the buttons off ``message_id`` soon, without waiting for it."""
        key = (chat_id, message_id)
        task = self._spawn(self._drop(bot, chat_id, message_id, self._pending.get(key)))
        self._pending[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))

    async def _drop(
        self, bot: Bot, chat_id: int, message_id: int, before: asyncio.Task[None] | None
    ) -> None:
        if before is not None:
            await asyncio.wait({before})
        try:
            await drop_keyboard(bot, chat_id, message_id)
        except Exception:  # never the user's error message: the screen they see is right
            log.warning("buttons of message %s in chat %s stay", message_id, chat_id, exc_info=True)

    def _forget(self, key: tuple[int, int], done: asyncio.Task[None]) -> None:
        if self._pending.get(key) is done:
            del self._pending[key]

    async def settled(self, chat_id: int, message_id: int) -> None:
        """Return once no drop is on its way to ``message_id`` (at once, nearly always)."""
        while (task := self._pending.get((chat_id, message_id))) is not None:
            await asyncio.wait({task})

    async def idle(self) -> None:
        """Return once no drop is on its way at all (tests, shutdown)."""
        while self._pending:
            await asyncio.wait(set(self._pending.values()))

    @property
    def pending(self) -> int:
        """Drops on their way."""
        return len(self._pending)


async def _edit(
    bot: Bot, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None
) -> bool:
    try:
        await patiently(lambda: edit_text(bot, chat_id, message_id, text, keyboard))
    except BadRequest as err:
        if "not modified" in str(err).lower():
            return True
        log.info(
            "edit of message %s in chat %s failed (%s); sending anew",
            message_id,
            chat_id,
            err.message,
        )
        return False
    return True


async def say(bot: Bot, chat_id: int, text: str) -> None:
    """A plain notice (from texts) as its own message."""
    await deliver(bot, chat_id, Screen(text))


# -- messages to other chats (after a turn's commit) ----------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """A message to another chat after the commit; with ``edit_message_id`` it updates that
    message (and is dropped if it cannot) instead of sending a new one."""

    chat_id: int
    screen: Screen
    edit_message_id: int | None = None


async def send_screen(bot: Bot, chat_id: int, screen: Screen) -> int | None:
    """Send ``screen`` as new message(s), the keyboard under the last; its message id, or None
    if the user cannot be reached."""
    message_id: int | None = None
    parts = split_html(screen.text)
    try:
        for i, part in enumerate(parts):
            keyboard = screen.keyboard if i == len(parts) - 1 else None
            message_id = await patiently(  # awaited here, so the closure's values are current
                lambda: send_text(bot, chat_id, part, keyboard)  # noqa: B023
            )
    except Forbidden:
        log.info("chat %s blocked the bot; message dropped", chat_id)
        return None
    return message_id


async def edit_or_send(
    bot: Bot, chat_id: int, message_id: int | None, screen: Screen
) -> int | None:
    """Edit message ``message_id`` into ``screen``; if there is none or it cannot be edited
    (deleted, too old, too long now), send ``screen`` anew. The id of the message that shows
    it (None if the user cannot be reached)."""
    parts = split_html(screen.text)
    if (
        message_id is not None
        and len(parts) == 1
        and await _edit(bot, chat_id, message_id, parts[0], screen.keyboard)
    ):
        return message_id
    return await send_screen(bot, chat_id, screen)


async def update_message(bot: Bot, chat_id: int, message_id: int, screen: Screen) -> None:
    """Replace an older message with ``screen``; if that is impossible (too long, deleted,
    too old), at least take its buttons away. Never sends a new message."""
    parts = split_html(screen.text)
    try:
        if len(parts) == 1:
            await patiently(lambda: edit_text(bot, chat_id, message_id, parts[0], screen.keyboard))
            return
        await patiently(
            lambda: bot.edit_message_reply_markup(
                chat_id, message_id, reply_markup=inline_keyboard(screen.keyboard)
            )
        )
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            log.info("could not update message %s in chat %s: %s", message_id, chat_id, err)
    except TelegramError as err:
        log.info("could not update message %s in chat %s: %s", message_id, chat_id, err)


async def send_outbox(bot: Bot, outbox: Sequence[Outgoing]) -> None:
    """Deliver what a turn left for other chats (after its commit)."""
    for out in outbox:
        if out.edit_message_id is not None:
            await update_message(bot, out.chat_id, out.edit_message_id, out.screen)
            continue
        try:
            await send_screen(bot, out.chat_id, out.screen)
        except TelegramError as err:  # one unreachable chat must not stop the others
            log.warning("could not send to chat %s: %s", out.chat_id, err)
