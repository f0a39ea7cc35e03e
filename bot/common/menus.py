"""The command menus: every chat shows the contacts' commands, a coordinator's chat the
coordination's as well (a menu per chat, ``BotCommandScopeChat``).

Set on start for every bound coordinator and when a coordinator redeems an invitation. The menu
only lists commands: each command checks the sender's role itself, so a stale menu (say, after
``nhr contacts revoke``) shows commands that answer with the refusal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot import texts
from core.recipients import coordinators

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def _commands(pairs: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


async def set_default_menu(bot: Bot) -> None:
    """The contacts' menu, for every chat without a menu of its own."""
    await bot.set_my_commands(_commands(texts.COMMANDS))


async def set_coordinator_menu(bot: Bot, chat_id: int) -> bool:
    """The coordination's menu in ``chat_id``; False (and a log line) if Telegram refused."""
    try:
        await bot.set_my_commands(
            _commands(texts.COORD_COMMANDS), scope=BotCommandScopeChat(chat_id)
        )
    except TelegramError as err:  # blocked the bot, chat gone: the commands work regardless
        log.warning("command menu for coordinator chat %s not set: %s", chat_id, err)
        return False
    return True


async def set_coordinator_menus(bot: Bot, sessions: sessionmaker[Session]) -> int:
    """The coordination's menu in every bound coordinator's chat; how many were set."""
    with sessions() as session:
        chats = [c.telegram_user_id for c in coordinators(session) if c.telegram_user_id]
    done = 0
    for chat_id in chats:
        done += await set_coordinator_menu(bot, chat_id)
    return done
