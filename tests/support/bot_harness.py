"""Running the real bot against the fake Bot API, and talking to it like a user would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.app import BotApplication, announce, build_application
from bot.common import sending
from core.config import Settings

from .bot_seed import FakeClock
from .fake_bot_api import BotMessage, FakeBotApi, FakeUser
from .ptb_polling import polling


def bot_settings(api: FakeBotApi, database_url: str = "sqlite://") -> Settings:
    """Settings pointing the bot at the fake server (no .env file is read)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # pydantic-settings' init-only option
        database_url=database_url,
        telegram_bot_token=api.token,
        telegram_api_base_url=api.base_url,
        telegram_bot_username=str(api.me["username"]),
    )


def refusal_of(application: BotApplication) -> str:
    """The refusal the bot gives, naming the publisher of the settings it was built with."""
    publisher = application.bot_data.services.settings.publisher
    return texts.refusal(publisher.genitive, publisher.contact)


@asynccontextmanager
async def running_bot(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    clock: FakeClock | None = None,
    **options: Any,
) -> AsyncIterator[BotApplication]:
    """The bot from :func:`bot.app.build_application`, polling the fake server."""
    application = build_application(bot_settings(api), sessions, clock or FakeClock(), **options)
    async with polling(application):
        await announce(application)
        yield application


@pytest.fixture
def soest_clock() -> FakeClock:
    """Fixture (``clock = bot_harness.soest_clock``): 16 June 2025, 10:00 in Soest, the edition
    "Stand 01.10.2025" is being collected."""
    return FakeClock()


@pytest_asyncio.fixture
async def polling_bot(
    api: FakeBotApi, sessions: sessionmaker[Session], report: object, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    """Fixture (``bot = bot_harness.polling_bot``): the bot with its default features,
    polling the fake server on the test's clock, once the module's ``report`` is seeded."""
    async with running_bot(api, sessions, clock) as application:
        yield application


def recorded_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the bot takes for Telegram's 429 ``retry_after``, recorded instead of slept:
    each pause still yields to the event loop (other tasks run on), but costs no wall time."""
    waits: list[float] = []

    async def wait_out(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(sending, "wait_out", wait_out)
    return waits


def has_keyboard(message: BotMessage) -> bool:
    """Whether the message shows inline buttons (every screen of the conversation does)."""
    return bool((message.reply_markup or {}).get("inline_keyboard"))


async def next_screen(user: FakeUser, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
    """The bot's next message or edit that shows buttons."""
    return await user.wait_for_message(has_keyboard, timeout=timeout)


def find_button(user: FakeUser, label: str) -> BotMessage:
    """The newest message in the chat that shows a button ``label``."""
    for message in reversed(user.current_messages):
        if any(text == label for text, _ in user.buttons(message)):
            return message
    shown = [user.buttons(m) for m in user.current_messages[-2:]]
    raise AssertionError(f"no button {label!r} in the chat; the last screens show {shown}")


async def tap(user: FakeUser, label: str, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
    """Press the button ``label`` on the newest screen showing it; the next screen."""
    await user.press_button(find_button(user, label), label)
    return await next_screen(user, timeout)


async def tap_starting(user: FakeUser, prefix: str) -> BotMessage:
    """Press the first button on the newest screen whose label starts with ``prefix``."""
    for message in reversed(user.current_messages):
        for text, _ in user.buttons(message):
            if text.startswith(prefix):
                return await tap(user, text)
    raise AssertionError(f"no button starting with {prefix!r}")


async def say(user: FakeUser, text: str, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
    """Send ``text``; the next screen."""
    await user.send(text)
    return await next_screen(user, timeout)


async def eventually(
    condition: Callable[[], object],
    timeout: float = 5.0,  # noqa: ASYNC109
) -> None:
    """Wait until ``condition()`` is true (for effects that send no message, like a toast)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


async def settled(
    api: FakeBotApi,
    application: BotApplication,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> None:
    """Wait until the bot has fetched every update the users sent and finished handling each
    (its replies and the messages a turn sends to other chats): then nothing more is on its
    way, and a test may assert what did not arrive. The buttons of replaced screens, taken off
    after the reply, are waited for too; other work a handler hands to
    ``application.create_task`` (reviews to coordinators, rendered drafts) is not."""
    await eventually(lambda: api.pending_update_count == 0, timeout)
    await asyncio.wait_for(application.update_queue.join(), timeout)
    await asyncio.wait_for(application.bot_data.services.drops.idle(), timeout)


def labels(user: FakeUser, message: BotMessage) -> list[str]:
    """The button labels of ``message``."""
    return [text for text, _ in user.buttons(message)]
