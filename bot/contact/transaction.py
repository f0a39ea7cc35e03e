"""One update, one transaction: load the conversation, run a step, store the conversation.

The conversation row and the draft (the submission's change set) are written in the same
unit of work as the step that changed them, before anything is sent. A crash before the commit
loses nothing (the update is delivered again); a crash after it loses at most the reply, and
an update delivered twice is recognised by its id (:func:`core.deliveries.first_delivery`,
recorded in the same transaction) and only shows the current screen again.
No ``await`` happens inside the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import texts
from bot.common.dialog import USER_ERRORS, UserError
from bot.common.reviews import Announcement, claim_reviews
from bot.common.screens import Screen
from bot.contact import steps, views
from bot.contact.flow import Conv, Step
from bot.contact.turn import Turn
from core import conversations
from core.clock import Clock
from core.contacts import contact_for_telegram
from core.db import unit_of_work
from core.deliveries import first_delivery
from core.editions import collecting_edition

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """What to show after a step: the screen and, for a button press, a short toast."""

    screen: Screen
    toast: str | None
    step: Step
    reviews: tuple[Announcement, ...] = ()  # for the coordinators, once the reply is out
    repeated: bool = False  # the update was delivered again: the step did not run


def run_turn(
    sessions: sessionmaker[Session],
    clock: Clock,
    tz: ZoneInfo,
    telegram_user_id: int,
    update_id: int,
    step: Callable[[Turn], Screen],
) -> Reply | None:
    """Run ``step`` for the contact bound to ``telegram_user_id`` in one transaction.

    ``update_id`` (0: none) is recorded as handled; a repeat delivery shows the current screen
    again instead of running the step. None if the user is no (longer an) active contact: the
    caller refuses. A step that raises a user error (:data:`~bot.common.dialog.USER_ERRORS`)
    leaves nothing: its transaction is rolled back, and :func:`bot.contact.steps.recover`
    builds the answer (the error, and where the conversation goes on) in a fresh one.
    """
    try:
        return _once(sessions, clock, tz, telegram_user_id, update_id, step)
    except USER_ERRORS as err:
        log.info("user %s: step refused (%s)", telegram_user_id, type(err).__name__)
        error: UserError = err
    return _once(
        sessions, clock, tz, telegram_user_id, update_id, lambda turn: steps.recover(turn, error)
    )


def _once(
    sessions: sessionmaker[Session],
    clock: Clock,
    tz: ZoneInfo,
    telegram_user_id: int,
    update_id: int,
    step: Callable[[Turn], Screen],
) -> Reply | None:
    with unit_of_work(sessions) as session:
        contact = contact_for_telegram(session, telegram_user_id)
        if contact is None:
            return None
        stored = conversations.load(session, telegram_user_id)
        conv = Conv.from_json(*(stored or ("", {})))
        now = clock.now()
        today = now.astimezone(tz).date()
        edition = collecting_edition(session, today)
        turn = Turn(session, contact, conv, edition, now, today)
        repeated = bool(update_id) and not first_delivery(session, update_id, now)
        if repeated:
            # Delivered again after a crash (handled, but not confirmed): show the same screen
            # once more, in case the first answer was lost; its buttons stay valid.
            screen = views.render(turn, again=True)
        else:
            conv.turns += 1
            if conv.cutoff not in (None, edition.cutoff.isoformat()):
                screen = steps.show_overview(turn, texts.EDITION_CHANGED)
            else:
                screen = step(turn)
        conv.cutoff = edition.cutoff.isoformat()
        conversations.store(
            session, telegram_user_id, conv.step.value, conv.to_json(), now, new=stored is None
        )
        reviews = claim_reviews(session, turn.handed_in, now, tz) if turn.handed_in else []
        return Reply(screen, turn.toast, conv.step, tuple(reviews), repeated)
