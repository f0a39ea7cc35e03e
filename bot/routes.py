"""Which conversation an update goes to: a coordinator's commands and ``k1`` buttons to
:mod:`bot.coordinator`, the shared commands (/projekte, /hilfe, /abbrechen) and typed text to
whichever conversation wants them, and "Meldung eintragen" from the coordination into the
contact conversation.

The one module that knows both roles (with :mod:`bot.app`), so that ``bot.contact`` and
``bot.coordinator`` never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.common import sending
from bot.common.callback_data import COORDINATION, Act, decode_act
from bot.common.context import AnyHandler, BotContext
from bot.common.menus import set_coordinator_menu
from bot.common.roles import user_is_coordinator
from bot.common.screens import Screen, esc
from bot.contact import handlers, steps
from bot.contact.transaction import run_turn
from bot.contact.turn import Turn
from bot.contact.views import render
from bot.coordinator import projects
from bot.coordinator.handlers import (
    on_button,
    on_changes,
    on_draft,
    on_invite,
    on_new_project,
    on_nudge,
    on_progress,
    on_revoke,
    on_waiting,
    run_step,
)
from bot.coordinator.steps import cancel, show_dialog, text_step
from bot.coordinator.turn import CoordTurn, wants_text
from core.submissions import NotAllowed
from core.textnorm import clean_text


async def on_projects(update: Update, context: BotContext) -> None:
    """/projekte: coordinators manage every project; contacts see theirs."""
    assert update.effective_user is not None
    if user_is_coordinator(context.services.sessions, update.effective_user.id):
        await run_step(update, context, projects.show_list(0))
    else:
        await handlers.on_projects(update, context)


async def on_help(update: Update, context: BotContext) -> None:
    """/hilfe: the contact's help, and the coordination's commands (help and menu) for
    coordinators, then the question of their open dialog, if one is open."""
    user = update.effective_user
    assert user is not None
    if user_is_coordinator(context.services.sessions, user.id):
        await sending.say(context.bot, user.id, f"{texts.HELP}\n\n{texts.COORD_HELP}")
        await set_coordinator_menu(context.bot, user.id)  # e.g. after a role change in the CLI
        await run_step(update, context, show_dialog)  # an open dialog's question comes back
    else:
        await handlers.on_help(update, context)


async def on_cancel(update: Update, context: BotContext) -> None:
    """/abbrechen: ends the coordinator's open dialog, else the contact conversation's step."""
    assert update.effective_user is not None
    if wants_text(context.services.sessions, update.effective_user.id, context.role):
        await run_step(update, context, cancel)
    else:
        await handlers.on_cancel(update, context)


async def on_coordinator_button(update: Update, context: BotContext) -> None:
    """A ``k1:`` button; "Meldung eintragen" opens the contact conversation."""
    query = update.callback_query
    assert query is not None
    b = decode_act(query.data)
    if b is not None and b.act is Act.REPORT:
        await _report(update, context, b.number)
    else:
        await on_button(update, context)


async def _report(update: Update, context: BotContext, project_id: int) -> None:
    """Meldung eintragen: the project's card in the contact conversation (coordinators may
    report for every project)."""
    if await run_step(update, context, _check_only, record=False) is None:
        return

    def open_card(turn: Turn) -> Screen:
        turn.refresh_queue()
        try:
            turn.conv.go(steps.open_project(turn, project_id))
        except NotAllowed as err:
            return steps.show_overview(turn, esc(str(err)))
        return render(turn)

    user = update.effective_user
    assert user is not None
    services = context.services
    reply = run_turn(
        services.sessions, services.clock, services.tz, user.id, update.update_id, open_card
    )
    if reply is not None:
        await sending.deliver(context.bot, user.id, reply.screen)


def _check_only(turn: CoordTurn) -> None:
    """Nothing to do: only the check that the user is a coordinator."""


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: the coordinator's open dialog, if it asked last; else the contact's."""
    user, message = update.effective_user, update.message
    assert user is not None and message is not None and message.text is not None
    if not wants_text(context.services.sessions, user.id, context.role):
        await handlers.on_text(update, context)
        return
    await run_step(update, context, text_step(clean_text(message.text)))


# -- registration ---------------------------------------------------------------------------------


def coordinator_handlers() -> list[AnyHandler]:
    """The coordination's handlers (group 0, before the contact conversation's)."""
    only_new = filters.UpdateType.MESSAGE
    commands: list[tuple[str, Callable[[Update, BotContext], Coroutine[Any, Any, None]]]] = [
        ("stand", on_progress),
        ("pruefen", on_waiting),
        ("erinnern", on_nudge),
        ("entwurf", on_draft),
        ("aenderungen", on_changes),
        ("projekte", on_projects),
        ("projekt_neu", on_new_project),
        ("einladen", on_invite),
        ("sperren", on_revoke),
        ("hilfe", on_help),
        ("help", on_help),
        ("abbrechen", on_cancel),
    ]
    result: list[AnyHandler] = [
        CommandHandler(name, callback, filters=only_new) for name, callback in commands
    ]
    result += [
        CallbackQueryHandler(on_coordinator_button, pattern=f"^{COORDINATION}:"),
        MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, on_text),
    ]
    return result
