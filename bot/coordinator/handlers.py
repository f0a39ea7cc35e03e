"""The coordination in the bot: review submissions, follow progress, manage projects and people.

Registered by :mod:`bot.routes` (before the contact conversation, so its commands and its
text come first). Every command and button checks in one
transaction that the user is an active coordinator or admin; everyone else gets the short
refusal ``texts.COORD_ONLY`` and nothing changes. Shared commands (/projekte, /hilfe,
/abbrechen) and typed text: :mod:`bot.routes` sends them here or to the contact conversation.

Commands: /stand [Abteilung], /pruefen, /erinnern <Abteilung>, /entwurf, /aenderungen, /projekte,
/projekt_neu, /einladen, /sperren [Name]. Buttons: ``k1:…`` (:mod:`bot.common.buttons`).
Dialog steps: :class:`bot.coordinator.flow.CStep`. Modules: ``turn`` (one update, one
transaction), ``steps`` (dispatch), ``review`` and ``decide`` (submissions), ``projects``,
``people``, ``progress``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from telegram import Bot, Update
from telegram.constants import ChatAction
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.common import sending
from bot.common.callback_data import STATELESS, Act, decode_act
from bot.common.context import BotContext
from bot.common.screens import counted, esc
from bot.common.sending import send_outbox
from bot.coordinator import new_project, people, progress
from bot.coordinator.review import show_waiting
from bot.coordinator.steps import (
    dialog_step,
    recover_dialog,
    recover_for,
    stale,
    stateless_step,
)
from bot.coordinator.turn import (
    CoordReply,
    CoordTurn,
    Recover,
    Step,
    run_coordinator_turn,
)
from chat.buttons import open_button
from core.dates import format_day
from core.render.job import RenderFailed, RenderJob, RenderProcesses

log = logging.getLogger(__name__)

# -- running a turn --------------------------------------------------------------------------------


async def run_step(
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
    if reply.screen is not None and (reply.screen.text or reply.screen.keyboard is not None):
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
    """/stand, or /stand <Abteilung>: that department's projects and their state for it."""
    code = _argument(context)
    if code:
        await run_step(update, context, progress.show_department(code))
        return
    await run_step(update, context, progress.show_progress(context.services.schedule))


async def on_waiting(update: Update, context: BotContext) -> None:
    """/pruefen."""
    await run_step(update, context, show_waiting)


async def on_nudge(update: Update, context: BotContext) -> None:
    """/erinnern <Abteilung> (without one: pick a department with outstanding projects)."""
    code = _argument(context)
    if not code:
        await run_step(update, context, progress.ask_department)
        return
    await _nudge(update, context, code, None)


async def _nudge(
    update: Update, context: BotContext, code: str | None, department_id: int | None
) -> None:
    nudge = progress.Nudge()
    step = progress.prepare_nudge(code, department_id, nudge, context.services.schedule)
    reply = await run_step(update, context, step)
    if reply is None or not nudge.key:
        return
    reached = await send_nudge(context.bot, nudge)
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

    if await run_step(update, context, which) is None or update.effective_user is None:
        return
    # The render takes a while: it must not hold one of the bot's update slots meanwhile
    # (RenderProcesses limits the renders; PTB awaits the task on shutdown).
    context.application.create_task(
        send_documents(
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
    await run_step(update, context, new_project.start_new)


async def on_invite(update: Update, context: BotContext) -> None:
    """/einladen."""
    await run_step(update, context, people.start_invite)


async def on_revoke(update: Update, context: BotContext) -> None:
    """/sperren [Name oder Nr.]."""
    key = _argument(context)
    await run_step(
        update, context, people.revoke_named_step(key) if key else people.show_contacts(0)
    )


# -- buttons and text -----------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """A ``k1:`` button (forged or malformed ones: the stale answer, contacts: the refusal)."""
    query = update.callback_query
    assert query is not None
    b = decode_act(query.data)
    if b is None:
        await run_step(update, context, stale)
    elif b.act is Act.NUDGE:
        await _nudge(update, context, None, b.number)
    elif b.act is Act.STAND_FULL:
        await run_step(update, context, progress.show_full_progress(context.services.schedule))
    elif b.act in STATELESS:
        await run_step(update, context, stateless_step(b), recover_for(b))
    else:
        await run_step(update, context, dialog_step(b), recover_for(b))


# -- what the coordination sends itself (Telegram) ----------------------------------------------


async def send_nudge(bot: Bot, nudge: progress.Nudge) -> list[int]:
    """Send the nudge with the "Projekte öffnen" button; the contacts it reached."""
    reached = []
    for contact_id, chat_id, text in nudge.messages:
        try:
            await bot.send_message(chat_id, text, reply_markup=open_button())
        except Forbidden:
            log.info("nudge %s: contact %s blocked the bot", nudge.key, contact_id)
            continue
        except TelegramError as err:
            log.warning("nudge %s: contact %s not reached: %s", nudge.key, contact_id, err)
            continue
        reached.append(contact_id)
    return reached


async def send_documents(
    bot: Bot,
    renders: RenderProcesses,
    chat_id: int,
    cutoff_day: date,
    *,
    show_changes: bool,
) -> None:
    """ "wird erstellt …", then the files (PDF and DOCX, or the changes view as PDF); if the
    render fails or its process is killed, the note says so instead."""
    working = await bot.send_message(
        chat_id, texts.CHANGES_WORKING if show_changes else texts.DRAFT_WORKING
    )
    formats = ("pdf",) if show_changes else ("pdf", "docx")
    try:
        await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
        documents = await renders.render(RenderJob(cutoff_day, formats, show_changes))
        for document in documents:
            await bot.send_document(
                chat_id,
                document.content,
                filename=document.filename,
                disable_content_type_detection=True,
            )
    except RenderFailed as failure:  # logged with its reason by RenderProcesses
        log.warning("draft for chat %s not delivered: %s", chat_id, failure)
        failed = texts.DRAFT_KILLED if failure.killed else texts.DRAFT_FAILED
        await bot.edit_message_text(failed, chat_id, working.message_id)
        return
    except Exception:  # the upload failed: the coordinator hears it, the log says why
        log.exception("draft for chat %s failed", chat_id)
        await bot.edit_message_text(texts.DRAFT_FAILED, chat_id, working.message_id)
        return
    ready = texts.CHANGES_READY if show_changes else texts.DRAFT_READY
    await bot.edit_message_text(
        ready.format(cutoff=format_day(cutoff_day)), chat_id, working.message_id
    )
