"""The one turn runner: one update, one transaction, for both conversations.

Every update of the contact conversation and of the coordination runs through
:func:`run_turn`, synchronously (the handlers call it in a worker thread):

1. In one unit of work: the Telegram user's active contact and the side's stored conversation
   row (one query, :func:`core.conversations.contact_and_conversation`), the conversation
   opened by its side (:class:`Conversation`; None: not for this user, the caller refuses),
   the update recorded as handled (:func:`core.deliveries.first_delivery`; a repeat delivery
   runs no step, the side answers :meth:`Conversation.again`), the step, and the
   conversation stored.
2. One error policy: a step that raises a user error (:data:`bot.common.dialog.USER_ERRORS`)
   leaves nothing written, its transaction is rolled back, and ``recover`` builds the answer
   in a fresh one (where the error is shown and the conversation goes on).
3. Nothing is sent inside the transaction: the reply carries the screen and an outbox, which
   the handlers send after the commit.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.common.dialog import USER_ERRORS, UserError
from core.clock import Clock
from core.conversations import Stored, contact_and_conversation
from core.db import unit_of_work
from core.deliveries import first_delivery
from core.models import Contact

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

T = TypeVar("T")  # what a step works with (the turn)
R = TypeVar("R")  # what the handlers get back (the reply)


class Conversation(ABC, Generic[T, R]):
    """One side's conversation inside the turn's transaction: it loads its state, runs the
    step on its turn and stores the state again."""

    @abstractmethod
    def again(self) -> R:
        """The answer to an update delivered again (handled before: the step does not run)."""

    @abstractmethod
    def run(self, step: Callable[[T], Any]) -> R:
        """Run ``step`` on the turn and store the conversation; the reply."""


#: Opens a side's conversation: the session, the contact, now, and what is stored under the
#: side's key (None: nothing yet).
Open = Callable[["Session", Contact, datetime, Stored | None], Conversation[T, R] | None]


def run_turn(
    sessions: sessionmaker[Session],
    clock: Clock,
    telegram_user_id: int,
    update_id: int,
    key: int,
    open_conversation: Open[T, R],
    step: Callable[[T], Any],
    recover: Callable[[T, UserError], Any],
) -> R | None:
    """Run ``step`` for the active contact bound to ``telegram_user_id``, in one transaction.

    ``key`` is the side's conversation row (loaded with the contact). ``update_id`` (0: none)
    is recorded as handled. None if the user is no (longer an) active
    contact, or the conversation is not theirs: the caller refuses, nothing changed."""
    try:
        return _once(sessions, clock, telegram_user_id, update_id, key, open_conversation, step)
    except USER_ERRORS as err:
        log.info("user %s: step refused (%s)", telegram_user_id, type(err).__name__)
        error: UserError = err
    return _once(
        sessions,
        clock,
        telegram_user_id,
        update_id,
        key,
        open_conversation,
        lambda turn: recover(turn, error),
    )


def _once(
    sessions: sessionmaker[Session],
    clock: Clock,
    telegram_user_id: int,
    update_id: int,
    key: int,
    open_conversation: Open[T, R],
    step: Callable[[T], Any],
) -> R | None:
    with unit_of_work(sessions) as session:
        contact, stored = contact_and_conversation(session, telegram_user_id, key)
        if contact is None:
            return None
        now = clock.now()
        conversation = open_conversation(session, contact, now, stored)
        if conversation is None:
            return None
        if update_id and not first_delivery(session, update_id, now):
            log.info("user %s: update %s delivered again", telegram_user_id, update_id)
            return conversation.again()
        return conversation.run(step)
