"""One coordinator update, one transaction; what to show, and what to send to others after it.

:func:`run_coordinator_turn` is the coordination's side of the one turn runner
(:mod:`bot.common.turns`): it loads the coordinator and their dialog, runs a step and stores the
dialog, all in one unit of work, synchronously (the handlers run it in a worker thread, so an
approval never blocks other users). A step that breaks a rule raises a German error from
``core`` (or :class:`bot.common.dialog.InputError`): the transaction is rolled back, so nothing
of it is kept, and ``recover`` builds the answer in a fresh transaction.

A step does not move the dialog itself: like the contact conversation's steps it says where
the dialog goes next as a value (:class:`Next`, built with :func:`go`, :func:`move`,
:func:`done`), and the runner applies it, then shows the new step's screen.

Messages to other chats (the contact, the other coordinators) are collected as
:class:`Outgoing` and sent after the commit. An update delivered again (recognised by
:func:`core.deliveries.first_delivery`, recorded in the turn's transaction) runs no step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot import texts
from bot.common import turns
from bot.common.dialog import UserError, turns_of
from bot.common.roles import user_is_coordinator
from bot.common.screens import Screen, esc, with_notice
from bot.common.sending import Outgoing
from bot.coordinator.flow import CoordConv, CStep, conversation_key
from core import conversations
from core.audit import Auditor
from core.clock import Clock
from core.conversations import Stored
from core.dates import format_local
from core.editions import collecting_edition
from core.models import Contact, Edition, Role
from core.permissions import is_coordinator

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class CoordTurn:
    """One handled update of a coordinator: the transaction, who, the dialog, the answers."""

    session: Session
    coordinator: Contact
    conv: CoordConv
    now: datetime
    tz: ZoneInfo
    message_id: int | None = None  # the message whose button was pressed
    bot_username: str = ""  # for invitation links
    notices: list[str] = field(default_factory=list)
    toast: str | None = None
    edit: bool = True  # show the answer in place of the pressed message
    outbox: list[Outgoing] = field(default_factory=list)
    _edition: Edition | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        """The coordinator's calendar day."""
        return self.now.astimezone(self.tz).date()

    @property
    def edition(self) -> Edition:
        """The edition being collected."""
        if self._edition is None:
            self._edition = collecting_edition(self.session, self.today)
        return self._edition

    @property
    def chat_id(self) -> int:
        """The coordinator's private chat."""
        assert self.coordinator.telegram_user_id is not None
        return self.coordinator.telegram_user_id

    def say(self, notice: str) -> None:
        """Show ``notice`` (HTML) above the answer."""
        self.notices.append(notice)

    def auditor(self) -> Auditor:
        """Audits changes as this coordinator, now."""
        return Auditor(
            self.session,
            actor=self.coordinator.name,
            actor_contact_id=self.coordinator.id,
            now=self.now,
        )

    def when(self, moment: datetime | None = None) -> str:
        """A moment as local German date and time (``16.06.2025, 10:00``)."""
        return format_local(moment or self.now, self.tz)


@dataclass(frozen=True)
class CoordReply:
    """What to show after a step, and what to send to other chats."""

    screen: Screen | None
    toast: str | None
    edit: bool
    outbox: tuple[Outgoing, ...]
    repeated: bool = False  # delivered again: handled before, nothing ran


@dataclass(frozen=True)
class Next:
    """Where the dialog goes after a step, as a value the runner applies: ``step`` with fresh
    partial input ``pending`` (or, with ``keep``, the partial input so far). Then it shows
    ``show``: a screen, or a function that builds the screen in the new step (it may itself
    answer with another :class:`Next`, e.g. to end a dialog whose subject is gone)."""

    step: CStep
    show: Screen | Callable[[CoordTurn], Answer] | None = None
    pending: Mapping[str, Any] = field(default_factory=dict)
    keep: bool = False


#: What a step answers: the screen (the dialog stays where it is), where the dialog goes next,
#: or nothing to show.
Answer = Screen | Next | None
Step = Callable[[CoordTurn], Answer]
Recover = Callable[[CoordTurn, UserError], Answer]


def go(
    step: CStep, show: Screen | Callable[[CoordTurn], Answer] | None = None, **pending: Any
) -> Next:
    """Start ``step`` with fresh partial input ``pending``, then show ``show``."""
    return Next(step, show, pending)


def move(step: CStep, show: Screen | Callable[[CoordTurn], Answer] | None = None) -> Next:
    """Move on to ``step`` keeping the partial input, then show ``show``."""
    return Next(step, show, keep=True)


def done(show: Screen | None) -> Next:
    """End the dialog (IDLE forgets its partial input) and show ``show``."""
    return Next(CStep.IDLE, show)


def then(following: Next | None, show: Screen | None) -> Answer:
    """``show``, going to ``following`` first if a step decided to go somewhere."""
    return show if following is None else replace(following, show=show)


def apply(turn: CoordTurn, answer: Answer) -> Screen | None:
    """Go where ``answer`` says (as often as it says), and the screen to show."""
    while isinstance(answer, Next):
        if answer.keep:
            turn.conv.move(answer.step)
        else:
            turn.conv.go(answer.step, **answer.pending)
        answer = answer.show(turn) if callable(answer.show) else answer.show
    return answer


def run_coordinator_turn(
    sessions: sessionmaker[Session],
    clock: Clock,
    tz: ZoneInfo,
    telegram_user_id: int,
    step: Step,
    recover: Recover,
    *,
    update_id: int = 0,
    message_id: int | None = None,
    bot_username: str = "",
) -> CoordReply | None:
    """Run ``step`` for the coordinator bound to ``telegram_user_id`` (through the one turn
    runner, :func:`bot.common.turns.run_turn`); None for everyone else (the caller refuses,
    and nothing was changed).

    ``update_id`` (0: none) is recorded as handled; for a repeat delivery nothing runs and the
    reply says ``repeated``."""

    def open_dialog(
        session: Session, contact: Contact, now: datetime, stored: Stored | None
    ) -> _Dialog | None:
        if not is_coordinator(contact):
            return None
        return _Dialog(
            session, contact, now, tz, telegram_user_id, message_id, bot_username, stored
        )

    key = conversation_key(telegram_user_id)
    return turns.run_turn(
        sessions, clock, telegram_user_id, update_id, key, open_dialog, step, recover
    )


class _Dialog(turns.Conversation[CoordTurn, CoordReply]):
    """The coordinator's dialogs inside a turn (the row came with the contact)."""

    def __init__(
        self,
        session: Session,
        contact: Contact,
        now: datetime,
        tz: ZoneInfo,
        telegram_user_id: int,
        message_id: int | None,
        bot_username: str,
        stored: Stored | None,
    ) -> None:
        self.session, self.contact, self.now, self.tz = session, contact, now, tz
        self.telegram_user_id, self.message_id = telegram_user_id, message_id
        self.bot_username, self.stored = bot_username, stored

    def again(self) -> CoordReply:
        return CoordReply(None, None, False, (), repeated=True)

    def run(self, step: Step) -> CoordReply:
        session = self.session
        key = conversation_key(self.telegram_user_id)
        row = self.stored
        conv = CoordConv.from_json(*row) if row else CoordConv()
        stored = (conv.step.value, conv.to_json())
        turn = CoordTurn(
            session, self.contact, conv, self.now, self.tz, self.message_id, self.bot_username
        )
        screen = apply(turn, step(turn))
        if (conv.step.value, conv.to_json()) != stored:
            contact_row = conversations.load(session, self.telegram_user_id)
            conv.contact_turns = turns_of(contact_row[1]) if contact_row else 0
            conversations.store(
                session, key, conv.step.value, conv.to_json(), turn.now, new=row is None
            )
        notice = "\n".join(turn.notices) or None
        if screen is None and notice:
            screen = Screen(notice)
        elif screen is not None:
            screen = with_notice(notice, screen)
        return CoordReply(screen, turn.toast, turn.edit, tuple(turn.outbox))


def wants_text(sessions: sessionmaker[Session], telegram_user_id: int, role: Role | None) -> bool:
    """Whether typed text belongs to the coordinator's dialog: they are a coordinator, a dialog
    is open, and it spoke last (the contact conversation had no turn since it changed).

    ``role`` is the gate's finding for this update: a contact's text needs no lookup."""
    if role not in (Role.COORDINATOR, Role.ADMIN):
        return False
    with sessions() as session:
        row = conversations.load(session, conversation_key(telegram_user_id))
        if row is None:  # every contact: one primary-key lookup
            return False
        dialog = CoordConv.from_json(*row)
        if dialog.step is CStep.IDLE:
            return False
        contact_row = conversations.load(session, telegram_user_id)
        if contact_row is not None and turns_of(contact_row[1]) > dialog.contact_turns:
            return False
    return user_is_coordinator(sessions, telegram_user_id)


def error_notice(err: UserError) -> str:
    """A core or input error as an escaped notice."""
    return esc(str(err))


def cancelled(turn: CoordTurn) -> Next:
    """/abbrechen and "Abbrechen": the dialog ends; what it changed before stays."""
    return done(Screen(texts.COORD_CANCELLED))
