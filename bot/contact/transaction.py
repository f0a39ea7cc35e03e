"""The contact conversation's side of the one turn runner (:mod:`bot.common.turns`): load the
conversation, run a step, store the conversation.

The conversation row and the draft (the submission's change set) are written in the same
unit of work as the step that changed them, before anything is sent. A crash before the commit
loses nothing (the update is delivered again); a crash after it loses at most the reply, and
an update delivered twice is recognised by its id (:func:`core.deliveries.first_delivery`,
recorded in the same transaction) and only shows the current screen again.
No ``await`` happens inside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import texts
from bot.common import turns
from bot.common.reviews import Announcement, claim_reviews, redrawn
from bot.common.screens import Screen
from bot.common.sending import Outgoing
from bot.contact import steps, views
from bot.contact.flow import Conv, Step
from bot.contact.turn import Turn
from core import conversations
from core.clock import Clock
from core.conversations import Stored
from core.editions import collecting_edition
from core.models import Contact

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Reply:
    """What to show after a step: the screen and, for a button press, a short toast."""

    screen: Screen
    toast: str | None
    step: Step
    reviews: tuple[Announcement, ...] = ()  # for the coordinators, once the reply is out
    outbox: tuple[Outgoing, ...] = ()  # the coordinators' copies shown anew, after the reply
    repeated: bool = False  # the update was delivered again: the step did not run
    stale: bool = False  # a button of an older screen: answer with the toast only


def run_turn(
    sessions: sessionmaker[Session],
    clock: Clock,
    tz: ZoneInfo,
    telegram_user_id: int,
    update_id: int,
    step: Callable[[Turn], Screen],
) -> Reply | None:
    """Run ``step`` for the contact bound to ``telegram_user_id`` in one transaction
    (:func:`bot.common.turns.run_turn`).

    ``update_id`` (0: none) is recorded as handled; a repeat delivery shows the current screen
    again instead of running the step. None if the user is no (longer an) active contact: the
    caller refuses. A step that raises a user error leaves nothing: its transaction is rolled
    back, and :func:`bot.contact.steps.recover` builds the answer (the error, and where the
    conversation goes on) in a fresh one.
    """

    def open_conversation(
        session: Session, contact: Contact, now: datetime, stored: Stored | None
    ) -> _Contact:
        return _Contact(session, contact, now, tz, telegram_user_id, stored)

    key = telegram_user_id  # the contact conversation's row
    return turns.run_turn(
        sessions, clock, telegram_user_id, update_id, key, open_conversation, step, steps.recover
    )


class _Contact(turns.Conversation[Turn, Reply]):
    """The contact conversation inside a turn: its stored state, the collecting edition."""

    def __init__(
        self,
        session: Session,
        contact: Contact,
        now: datetime,
        tz: ZoneInfo,
        key: int,
        stored: Stored | None,
    ) -> None:
        self.key, self.tz = key, tz
        self.stored = stored
        self.conv = Conv.from_json(*(self.stored or ("", {})))
        today = now.astimezone(tz).date()
        self.edition = collecting_edition(session, today)
        self.turn = Turn(session, contact, self.conv, self.edition, now, today)

    def again(self) -> Reply:
        # Delivered again after a crash (handled, but not confirmed): show the same screen
        # once more, in case the first answer was lost; its buttons stay valid.
        return self._finish(views.render(self.turn, again=True), repeated=True)

    def run(self, step: Callable[[Turn], Screen]) -> Reply:
        self.conv.turns += 1
        if self.conv.cutoff not in (None, self.edition.cutoff.isoformat()):
            return self._finish(steps.show_overview(self.turn, texts.EDITION_CHANGED))
        return self._finish(step(self.turn))

    def _finish(self, screen: Screen, *, repeated: bool = False) -> Reply:
        conv, turn = self.conv, self.turn
        conv.cutoff = self.edition.cutoff.isoformat()
        if screen.keyboard and not turn.stale:  # the screen the contact sees from now on
            conv.buttons = steps.shown_buttons(screen)
        conversations.store(
            turn.session, self.key, conv.step.value, conv.to_json(), turn.now,
            new=self.stored is None,
        )  # fmt: skip
        handed_in = turn.handed_in
        reviews = (
            claim_reviews(turn.session, handed_in, turn.now, self.tz, turn.first_hand_ins)
            if handed_in
            else []
        )
        outbox = [
            out
            for sub, lists_too in turn.redraw
            for out in redrawn(turn.session, sub, self.tz, lists_too=lists_too)
        ]
        return Reply(
            screen, turn.toast, conv.step, tuple(reviews), tuple(outbox), repeated, turn.stale
        )
