"""The Telegram side of the contact conversation: thin callbacks around :mod:`bot.contact.steps`.

Each callback runs one step in one transaction (:func:`bot.contact.transaction.run_turn`),
then answers.
The gate in group -1 has already refused everyone who is not an active, bound contact.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from telegram import MaybeInaccessibleMessage, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import texts
from bot.common import sending
from bot.common.callback_data import PREFIX, decode
from bot.common.context import AnyHandler, BotContext
from bot.common.menus import set_coordinator_menu
from bot.common.reviews import send_reviews
from bot.common.roles import is_bound
from bot.common.screens import Screen, esc
from bot.contact import steps
from bot.contact.transaction import Reply, run_turn
from bot.contact.turn import Turn
from chat.buttons import OPEN_PATTERN, open_project_id
from core.contacts import ContactError, redeem_invitation
from core.db import unit_of_work
from core.permissions import is_coordinator
from core.textnorm import clean_text

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
StepFn = Callable[[Turn], Screen]


# -- the gate (group -1) ------------------------------------------------------------------------


async def gate(update: object, context: BotContext) -> None:
    """Let through only active, bound contacts in private chats (and invitation redemptions);
    everyone else gets the one refusal text and nothing else."""
    if not isinstance(update, Update):
        raise ApplicationHandlerStop
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot or (chat is not None and chat.type != ChatType.PRIVATE):
        raise ApplicationHandlerStop  # groups, channels, service updates: not ours
    if update.message is None and update.callback_query is None and update.edited_message is None:
        raise ApplicationHandlerStop
    context.role = context.services.roles.role(context.services.sessions, user.id)
    if context.role is not None or invitation_token(update) is not None:
        return
    await refuse(update, context)
    raise ApplicationHandlerStop


def invitation_token(update: Update) -> str | None:
    """The token of ``/start <token>``, if the message is exactly that."""
    message = update.message
    if message is None or not message.text:
        return None
    parts = message.text.split()
    if len(parts) != 2 or parts[0].split("@")[0] != "/start" or not _TOKEN.fullmatch(parts[1]):
        return None
    return parts[1]


async def refuse(update: Update, context: BotContext) -> None:
    """The refusal: a toast for a button, a message otherwise."""
    publisher = context.services.settings.publisher
    refusal = texts.refusal(publisher.genitive, publisher.contact)
    if update.callback_query is not None:
        await update.callback_query.answer(refusal)
    elif update.effective_user is not None:
        await sending.say(context.bot, update.effective_user.id, refusal)


# -- running a step -----------------------------------------------------------------------------


async def _run(update: Update, context: BotContext, step: StepFn, label: str) -> None:
    """Run ``step`` in one transaction, then show the result (edit the pressed message)."""
    user = update.effective_user
    assert user is not None  # the gate let only users through
    started = time.perf_counter()
    services = context.services
    reply = run_turn(
        services.sessions, services.clock, services.tz, user.id, update.update_id, step
    )
    if reply is None:  # revoked between the gate and now
        await refuse(update, context)
        return
    await _answer(update, context, reply)
    if reply.reviews:
        # The coordinators' copies are not part of the contact's answer: a task of its own
        # (awaited on shutdown; claimed in the turn, so each goes out once, and /pruefen
        # lists anything a crash left unsent).
        context.application.create_task(send_reviews(context, reply.reviews), update=update)
    if reply.outbox:  # the coordinators' copies of a report confirmed or reopened
        context.application.create_task(
            sending.send_outbox(context.bot, reply.outbox), update=update
        )
    _log_turn(user.id, label, reply, started)


#: ``chat_data`` key: the id of the message that shows the current screen's buttons.
_SCREEN = "screen"


def _current_screen(context: BotContext) -> int | None:
    data = context.chat_data
    value = data.get(_SCREEN) if data is not None else None
    return value if isinstance(value, int) else None


async def _answer(update: Update, context: BotContext, reply: Reply) -> None:
    """Show the reply. A typed text gets a new message; a button edits the message it is on.
    Only the newest screen keeps its buttons (the one it replaces loses them, in the background
    once the reply is out); a button of an older message gets only the toast and loses its
    buttons, the current screen stays put."""
    user, query = update.effective_user, update.callback_query
    assert user is not None
    current = _current_screen(context)
    pressed = query.message.message_id if query is not None and query.message else None
    bot, drops = context.bot, context.services.drops
    if query is None:
        shown = await sending.show(bot, user.id, reply.screen, replaces=current, drops=drops)
    elif reply.stale and pressed is not None:
        message = query.message
        if pressed != current and message is not None and _has_buttons(message):
            drops.drop(bot, user.id, pressed)
        if current is None:  # not known where the current screen is (a restart): send it anew
            _, shown = await asyncio.gather(
                query.answer(reply.toast), sending.show(bot, user.id, reply.screen)
            )
        else:
            await query.answer(reply.toast)
            shown = current
    else:  # the toast and the new screen go out together
        _, shown = await asyncio.gather(
            query.answer(reply.toast),
            sending.show(
                bot,
                user.id,
                reply.screen,
                edit_message_id=pressed,
                replaces=current,
                drops=drops,
            ),
        )
    if shown is not None and context.chat_data is not None:
        context.chat_data[_SCREEN] = shown


def _has_buttons(message: MaybeInaccessibleMessage) -> bool:
    markup = message.reply_markup if isinstance(message, Message) else None
    return markup is not None and bool(markup.inline_keyboard)


def _log_turn(user_id: int, label: str, reply: Reply, started: float) -> None:
    elapsed = (time.perf_counter() - started) * 1000
    again = " (delivered again: screen shown again)" if reply.repeated else ""
    log.info("user %s: %s -> %s%s (%.1f ms)", user_id, label, reply.step.value, again, elapsed)


# -- commands -----------------------------------------------------------------------------------


async def on_start(update: Update, context: BotContext) -> None:
    """/start <token> binds a new contact; /start alone greets a known one."""
    user = update.effective_user
    assert user is not None
    token = invitation_token(update)
    services = context.services
    if token is not None and not is_bound(services.sessions, user.id):
        try:
            with unit_of_work(services.sessions) as session:
                contact = redeem_invitation(session, token, user.id, services.clock.now())
                name, codes = contact.name, [d.code for d in contact.departments]
                coordinating = is_coordinator(contact)
        except ContactError as err:
            log.info("user %s: invitation refused (%s)", user.id, err)
            publisher = services.settings.publisher
            ask = texts.ask_coordinator(publisher.genitive, publisher.contact)
            await sending.say(context.bot, user.id, f"{esc(str(err))}\n{ask}")
            return
        log.info("user %s: bound to contact %r", user.id, name)
        if coordinating:
            await set_coordinator_menu(context.bot, user.id)
        if coordinating and not codes:  # nothing to report: the coordination's welcome
            await sending.say(
                context.bot, user.id, texts.WELCOME_COORDINATOR.format(name=esc(name))
            )
            return
        welcome = steps.welcome(
            esc(name), esc(", ".join(codes)), services.settings.publisher.name, services.schedule
        )
        await _run(update, context, welcome, "invitation")
        return

    def welcome_back(turn: Turn) -> Screen:
        contact = turn.contact
        if is_coordinator(contact) and not contact.departments and not steps.has_work(turn):
            # not "Ihre Projekte" with every project of the report: the coordination's welcome
            return Screen(texts.WELCOME_COORDINATOR.format(name=esc(contact.name)))
        notice = texts.WELCOME_BACK.format(name=esc(contact.name))
        return steps.show_overview_or_resume(turn, notice)

    await _run(update, context, welcome_back, "/start")


async def on_projects(update: Update, context: BotContext) -> None:
    """/projekte: the overview (or [Weiter bei …] if that would drop an unfinished entry)."""
    await _run(update, context, steps.show_overview_or_resume, "/projekte")


async def on_help(update: Update, context: BotContext) -> None:
    """/hilfe and /help: the help, then the current step's question with its buttons again."""
    assert update.effective_user is not None
    await sending.say(context.bot, update.effective_user.id, texts.HELP)
    await _run(update, context, steps.show_current, "/hilfe")


async def on_cancel(update: Update, context: BotContext) -> None:
    """/abbrechen: leave, keeping the draft."""
    await _run(update, context, steps.cancel, "/abbrechen")


async def on_open_prompt(update: Update, context: BotContext) -> None:
    """The scheduler's prompt button ``open``: the overview as a new message (or [Weiter bei …]
    in the middle of an entry); ``open:<id>`` (under "Ihre Meldung wurde zurückgegeben"): that
    project's card."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    project_id = open_project_id(query.data or "")
    step = steps.show_overview_or_resume if project_id is None else steps.open_returned(project_id)
    services = context.services
    reply = run_turn(
        services.sessions, services.clock, services.tz, user.id, update.update_id, step
    )
    if reply is None:
        await refuse(update, context)
        return
    await query.answer()
    shown = await sending.show(
        context.bot,
        user.id,
        reply.screen,
        replaces=_current_screen(context),
        drops=services.drops,
    )
    if shown is not None and context.chat_data is not None:
        context.chat_data[_SCREEN] = shown


# -- buttons and typing -------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """A button of the conversation (stale and forged ones get a polite answer)."""
    query = update.callback_query
    assert query is not None
    button = decode(query.data)
    label = f"button {button.action.value}" if button else "unknown button"
    await _run(update, context, lambda t: steps.press(t, button), label)


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text (cleaned of control characters): the answer to the current question."""
    message = update.message
    assert message is not None and message.text is not None
    text, message_id = clean_text(message.text), message.message_id
    await _run(update, context, lambda t: steps.type_answer(t, text, message_id), "text")


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not know."""
    assert update.effective_user is not None
    await sending.say(context.bot, update.effective_user.id, texts.UNKNOWN_COMMAND)


async def on_edited(update: Update, context: BotContext) -> None:
    """An edited message: taken over if it was the last answer, else a one-line hint."""
    message = update.edited_message
    assert message is not None
    if message.text is None:
        await on_other(update, context)
        return
    text, message_id = clean_text(message.text), message.message_id
    await _run(update, context, lambda t: steps.take_edited(t, message_id, text), "edited")


async def on_other(update: Update, context: BotContext) -> None:
    """Photos, stickers, files ...: only text and buttons are understood."""
    assert update.effective_user is not None
    await sending.say(context.bot, update.effective_user.id, texts.TEXT_ONLY)


# -- errors -------------------------------------------------------------------------------------


async def on_error(update: object, context: CallbackContext[ExtBot[None], Any, Any, Any]) -> None:
    """Log the failure for the operator; the user gets a friendly German message, no trace."""
    error = context.error
    if isinstance(error, asyncio.CancelledError):
        return
    who = update.effective_user.id if isinstance(update, Update) and update.effective_user else "-"
    update_id = update.update_id if isinstance(update, Update) else "-"
    log.error("update %s from user %s failed", update_id, who, exc_info=error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
    except TelegramError:
        pass  # already answered, or too old
    try:
        await sending.say(context.bot, update.effective_user.id, texts.ERROR)
    except TelegramError as err:
        log.warning("could not tell user %s about the failure: %s", who, err)


# -- registration -------------------------------------------------------------------------------


def contact_handlers() -> list[AnyHandler]:
    """The contact conversation's handlers, in order (group 0, before the fallbacks)."""
    return [
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edited),
        CommandHandler("start", on_start),
        CommandHandler("projekte", on_projects),
        CommandHandler(["hilfe", "help"], on_help),
        CommandHandler("abbrechen", on_cancel),
        CallbackQueryHandler(on_open_prompt, pattern=OPEN_PATTERN),
        CallbackQueryHandler(on_button, pattern=f"^{PREFIX}:"),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text),
    ]


def fallback_handlers() -> list[AnyHandler]:
    """Last in group 0: whatever no feature handled gets a hint, never silence."""
    return [
        CallbackQueryHandler(on_button),  # forged or foreign callback data: stale answer
        MessageHandler(filters.COMMAND, on_unknown_command),
        MessageHandler(filters.ALL, on_other),
    ]
