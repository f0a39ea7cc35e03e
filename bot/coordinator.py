"""The coordination in the bot: review submissions, follow progress, manage projects and people.

Registered through :func:`bot.app.build_application`'s ``features`` (before the contact
conversation, so its commands and its text come first). Every command and button checks in one
transaction that the user is an active coordinator or admin; everyone else gets the short
refusal ``texts.COORD_ONLY`` and nothing changes. Shared commands (/projekte, /hilfe,
/abbrechen) and typed text go to the contact conversation unless they are the coordinator's.

Commands: /stand, /pruefen, /erinnern <Abteilung>, /entwurf, /aenderungen, /projekte,
/projekt_neu, /einladen, /sperren [Name]. Buttons: ``k1:…`` (:mod:`bot.coordinator_buttons`).
Dialog steps: :class:`bot.coordinator_flow.CStep`. Modules: ``coordinator_turn`` (one update,
one transaction), ``coordinator_steps`` (dispatch), ``coordinator_review`` and
``coordinator_decide`` (submissions), ``coordinator_projects``, ``coordinator_people``,
``coordinator_progress``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import coordinator_new_project as new_project
from bot import coordinator_people as people
from bot import coordinator_progress as progress
from bot import coordinator_projects as projects
from bot import handlers, sending, steps, texts
from bot.callback_data import Action, Button
from bot.context import BotContext
from bot.coordinator_buttons import PREFIX, STATELESS, Act, decode
from bot.coordinator_review import show_waiting
from bot.coordinator_steps import (
    dialog_step,
    recover_dialog,
    recover_for,
    stale,
    stateless_step,
    text_step,
)
from bot.coordinator_turn import (
    CoordReply,
    CoordTurn,
    Recover,
    Step,
    cancelled,
    counted,
    run_coordinator_turn,
    send_outbox,
    user_is_coordinator,
    wants_text,
)
from bot.handlers import AnyHandler
from bot.menus import set_coordinator_menu
from bot.screens import Screen, esc
from bot.transaction import run_turn
from bot.turn import Turn
from bot.views import render
from core.submissions import NotAllowed
from core.textnorm import clean_text

log = logging.getLogger(__name__)

# -- running a turn --------------------------------------------------------------------------------


async def _turn(
    update: Update,
    context: BotContext,
    step: Step,
    recover: Recover = recover_dialog,
    *,
    record: bool = True,
) -> CoordReply | None:
    """Run ``step`` (in a worker thread, one transaction), then answer and send the outbox.

    None if the user was refused or the update was handled before (a repeat delivery: nothing
    more happens). ``record=False`` for a check before the update's real turn (which records
    the update as handled)."""
    user = update.effective_user
    assert user is not None  # the gate let only users through
    query = update.callback_query
    message_id = query.message.message_id if query is not None and query.message else None
    services = context.services
    reply = await asyncio.to_thread(
        run_coordinator_turn,
        services.sessions,
        services.clock,
        services.tz,
        user.id,
        step,
        recover,
        update_id=update.update_id if record else 0,
        message_id=message_id,
        bot_username=context.bot.username,
    )
    if reply is None:
        await refuse(update, context)
        return None
    if reply.repeated:
        return None
    if query is not None:
        await query.answer(reply.toast)
    if reply.screen is not None and (reply.screen.text or reply.screen.keyboard):
        edit = message_id if reply.edit else None
        await sending.deliver(context.bot, user.id, reply.screen, edit_message_id=edit)
    await send_outbox(context.bot, reply.outbox)
    return reply


async def refuse(update: Update, context: BotContext) -> None:
    """Not for contacts: a toast for a button, a message otherwise; nothing else happens."""
    if update.callback_query is not None:
        await update.callback_query.answer(texts.COORD_ONLY)
    elif update.effective_user is not None:
        await sending.say(context.bot, update.effective_user.id, texts.COORD_ONLY)


def _argument(context: BotContext) -> str:
    return " ".join(context.args or []).strip()


# -- commands -------------------------------------------------------------------------------------


async def on_progress(update: Update, context: BotContext) -> None:
    """/stand."""
    await _turn(update, context, progress.show_progress(context.services.schedule))


async def on_waiting(update: Update, context: BotContext) -> None:
    """/pruefen."""
    await _turn(update, context, show_waiting)


async def on_nudge(update: Update, context: BotContext) -> None:
    """/erinnern <Abteilung> (without one: pick a department with outstanding projects)."""
    code = _argument(context)
    if not code:
        await _turn(update, context, progress.ask_department)
        return
    await _nudge(update, context, code, None)


async def _nudge(
    update: Update, context: BotContext, code: str | None, department_id: int | None
) -> None:
    nudge = progress.Nudge()
    step = progress.prepare_nudge(code, department_id, nudge, context.services.schedule)
    reply = await _turn(update, context, step)
    if reply is None or not nudge.key:
        return
    reached = await progress.send_nudge(context.bot, nudge)
    services = context.services
    await asyncio.to_thread(
        progress.mark_nudge_sent, services.sessions, nudge.key, reached, services.clock.now()
    )
    assert update.effective_user is not None
    of = counted(texts.OF_PERSONS, len(nudge.messages), part=len(reached))
    await sending.say(
        context.bot,
        update.effective_user.id,
        texts.NUDGE_SENT.format(code=esc(nudge.code), reached=of),
    )
    log.info("nudge %s: %d of %d reached", nudge.key, len(reached), len(nudge.messages))


async def _documents(update: Update, context: BotContext, *, show_changes: bool) -> None:
    cutoffs: list[date] = []

    def which(turn: CoordTurn) -> None:
        cutoffs.append(turn.edition.cutoff)

    if await _turn(update, context, which) is None or update.effective_user is None:
        return
    # The render takes a while: it must not hold one of the bot's update slots meanwhile
    # (RenderProcesses limits the renders; PTB awaits the task on shutdown).
    context.application.create_task(
        progress.send_documents(
            context.bot,
            context.services.renders,
            update.effective_user.id,
            cutoffs[0],
            show_changes=show_changes,
        ),
        update=update,
    )


async def on_draft(update: Update, context: BotContext) -> None:
    """/entwurf: PDF and DOCX of the draft (approved changes only)."""
    await _documents(update, context, show_changes=False)


async def on_changes(update: Update, context: BotContext) -> None:
    """/aenderungen: the changes view as PDF."""
    await _documents(update, context, show_changes=True)


async def on_new_project(update: Update, context: BotContext) -> None:
    """/projekt_neu."""
    await _turn(update, context, new_project.start_new)


async def on_invite(update: Update, context: BotContext) -> None:
    """/einladen."""
    await _turn(update, context, people.start_invite)


async def on_revoke(update: Update, context: BotContext) -> None:
    """/sperren [Name oder Nr.]."""
    key = _argument(context)
    await _turn(update, context, people.revoke_named_step(key) if key else people.show_contacts(0))


async def on_projects(update: Update, context: BotContext) -> None:
    """/projekte: coordinators manage every project; contacts see theirs."""
    assert update.effective_user is not None
    if user_is_coordinator(context.services.sessions, update.effective_user.id):
        await _turn(update, context, projects.show_list(0))
    else:
        await handlers.on_projects(update, context)


async def on_help(update: Update, context: BotContext) -> None:
    """/hilfe: the contact's help, and the coordination's commands (help and menu) for
    coordinators."""
    user = update.effective_user
    assert user is not None
    if user_is_coordinator(context.services.sessions, user.id):
        await sending.say(context.bot, user.id, f"{texts.HELP}\n\n{texts.COORD_HELP}")
        await set_coordinator_menu(context.bot, user.id)  # e.g. after a role change in the CLI
    else:
        await handlers.on_help(update, context)


async def on_cancel(update: Update, context: BotContext) -> None:
    """/abbrechen: ends the coordinator's open dialog, else the contact conversation's step."""
    assert update.effective_user is not None
    if wants_text(context.services.sessions, update.effective_user.id, context.role):
        await _turn(update, context, cancelled)
    else:
        await handlers.on_cancel(update, context)


# -- buttons and text -----------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """A ``k1:`` button (forged or malformed ones: the stale answer, contacts: the refusal)."""
    query = update.callback_query
    assert query is not None
    b = decode(query.data)
    if b is None:
        await _turn(update, context, stale)
    elif b.act is Act.NUDGE:
        await _nudge(update, context, None, b.number)
    elif b.act is Act.REPORT:
        await _report(update, context, b.number)
    elif b.act is Act.STAND_FULL:
        await _turn(update, context, progress.show_full_progress(context.services.schedule))
    elif b.act in STATELESS:
        await _turn(update, context, stateless_step(b), recover_for(b))
    else:
        await _turn(update, context, dialog_step(b), recover_for(b))


async def _report(update: Update, context: BotContext, project_id: int) -> None:
    """Meldung eintragen: the project's card in the contact conversation (coordinators may
    report for every project)."""
    if await _turn(update, context, _check_only, record=False) is None:
        return

    def open_card(turn: Turn) -> Screen:
        turn.refresh_queue()
        try:
            steps.on_open(turn, Button(turn.conv.seq, Action.OPEN, project_id))
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
    await _turn(update, context, text_step(clean_text(message.text)))


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
        ("abbrechen", on_cancel),
    ]
    result: list[AnyHandler] = [
        CommandHandler(name, callback, filters=only_new) for name, callback in commands
    ]
    result += [
        CallbackQueryHandler(on_button, pattern=f"^{PREFIX}:"),
        MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, on_text),
    ]
    return result
