"""What coordinators do with a submission's review message: list the waiting ones (/pruefen),
update every copy once decided, answer a button in a toast.

The message itself and its announcement to the coordinators: :mod:`bot.common.reviews`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bot import texts
from bot.common import screens
from bot.common.buttons import keyboard
from bot.common.callback_data import Act
from bot.common.reviews import (
    digest_copies_of,
    digest_screen,
    redrawn,
    review_prefix,
    review_screen,
)
from bot.common.screens import Screen, counted, paragraphs, shorten
from bot.common.sending import Outgoing, split_html
from bot.coordinator.turn import CoordTurn
from core import notifications
from core.changes import ChangeSet
from core.models import Submission
from core.submissions import AlreadyDecided, waiting_submissions

TOAST_LIMIT: Final = 200  # characters Telegram shows in a button's answer


def final_screen(header: str, body: str, decision: str) -> Screen:
    """The review message after the decision: with the changes if it still fits one message."""
    full = paragraphs(header, body, decision)
    return Screen(full if len(split_html(full)) == 1 else paragraphs(header, decision))


def update_copies(
    turn: CoordTurn, sub: Submission, screen: Screen, also: Iterable[tuple[int, int]] = ()
) -> None:
    """Put ``screen`` in place of every other copy of the submission's review message (of
    hand-ins not decided before), and note that they are decided. A copy that lists several
    hand-ins (a round's list) is shown anew instead, the pressed one too: the decision's answer
    replaces the pressed message first, the list comes back after it."""
    pressed = {(turn.chat_id, turn.message_id)} if turn.message_id is not None else set()
    turn.outbox.extend(redrawn(turn.session, sub, turn.tz, screen, skip=pressed, also=also))
    notifications.annotate(turn.session, review_prefix(sub), {"decided": True})


def round_list(turn: CoordTurn, sub: Submission, message: int | None) -> Screen | None:
    """The list of hand-ins that the coordinator's message ``message`` showed ``sub`` in, as it
    stands now; None if that message is no such list (a single review message)."""
    if message is None:
        return None
    ids = digest_copies_of(turn.session, sub).get((turn.chat_id, message))
    return digest_screen(turn.session, sub.edition.cutoff, ids, turn.tz) if ids else None


# -- the coordinator's list ---------------------------------------------------------------------

WAITING_SHOWN: Final = 10


def show_waiting(turn: CoordTurn) -> Screen:
    """/pruefen: the submissions waiting for a decision, each as its review message; the
    "Keine Änderungen" reports can be approved all at once."""
    waiting = waiting_submissions(turn.session, edition=turn.edition)
    if not waiting:
        return Screen(texts.REVIEW_WAITING_NONE)
    shown = waiting[:WAITING_SHOWN]
    for sub in shown:
        turn.outbox.append(Outgoing(turn.chat_id, review_screen(turn.session, sub, turn.tz)))
    more = texts.REVIEW_WAITING_MORE.format(shown=len(shown)) if len(waiting) > len(shown) else None
    unchanged = sum(ChangeSet.from_json(sub.changes).is_empty for sub in waiting)
    batch = [(counted(texts.BTN_APPROVE_UNCHANGED, unchanged), Act.APPROVE_UNCHANGED, None)]
    return Screen(
        paragraphs(counted(texts.REVIEW_WAITING, len(waiting)), more),
        keyboard(0, [batch]) if unchanged else None,
    )


def submission(turn: CoordTurn, sub_id: int | None) -> Submission:
    """The submission, or the polite note that it is gone."""
    sub = turn.session.get(Submission, sub_id) if sub_id is not None else None
    if sub is None:
        raise AlreadyDecided(texts.REVIEW_GONE)
    return sub


def toast(text: str) -> str:
    """A button's answer, within Telegram's limit."""
    return shorten(screens.plain(text), TOAST_LIMIT)
