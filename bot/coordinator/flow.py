"""The coordinator's dialogs as a small state machine, stored like the contact conversation.

Pure: no database, no Telegram. The state (:class:`CoordConv`) lives in its own row of the
``conversations`` table, keyed by the *negated* Telegram user id (Telegram user ids are
positive), so a coordinator who also reports for a department keeps both conversations apart.
It is written in the transaction of the update that changed it: a restart loses nothing typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from bot.common.callback_data import SEQ_MODULO, Act


class CStep(StrEnum):
    """Where a coordinator's dialog stands; the value is stored in ``conversations.state``."""

    IDLE = "idle"
    RETURN_REASON = "k_return_reason"
    REVIEW_EDIT = "k_review_edit"
    REVIEW_REMARK = "k_review_remark"
    REVIEW_DESCRIPTION = "k_review_description"
    REVIEW_REMOVE = "k_review_remove"
    PROJECT_TEXT = "k_project_text"
    PROJECT_DEPARTMENTS = "k_project_departments"
    DROP_REASON = "k_drop_reason"
    KEEP_CONFIRM = "k_keep_confirm"
    NEW_FIELD = "k_new_field"
    NEW_GOAL = "k_new_goal"
    NEW_TITLE = "k_new_title"
    NEW_SHORT = "k_new_short"
    NEW_DEPARTMENTS = "k_new_departments"
    INVITE_NAME = "k_invite_name"
    INVITE_DEPARTMENTS = "k_invite_departments"
    INVITE_ROLE = "k_invite_role"
    REVOKE_CONFIRM = "k_revoke_confirm"


@dataclass(frozen=True)
class Accepts:
    """What a dialog step's screen takes: typed text and which dialog buttons ("Abbrechen"
    is shown, and accepted, in every step but IDLE)."""

    text: bool = False
    buttons: frozenset[Act] = frozenset()


def _on(*buttons: Act, text: bool = False) -> Accepts:
    return Accepts(text, frozenset(buttons))


_CHOOSE: Final = (Act.TOGGLE, Act.TAKE)  # the department choices (they also read typed codes)

#: The dialogs in one table: what each step accepts. The sets below derive from it.
TABLE: Final[dict[CStep, Accepts]] = {
    CStep.IDLE: _on(),
    CStep.RETURN_REASON: _on(text=True),
    CStep.REVIEW_EDIT: _on(Act.EDIT_REMARK, Act.EDIT_DESCRIPTION, Act.EDIT_REMOVE, Act.EDIT_DONE),
    CStep.REVIEW_REMARK: _on(Act.BACK, text=True),
    CStep.REVIEW_DESCRIPTION: _on(Act.BACK, text=True),
    CStep.REVIEW_REMOVE: _on(Act.REMOVE_PICK, Act.BACK),
    CStep.PROJECT_TEXT: _on(text=True),
    CStep.PROJECT_DEPARTMENTS: _on(*_CHOOSE, text=True),
    CStep.DROP_REASON: _on(text=True),
    CStep.KEEP_CONFIRM: _on(Act.KEEP_YES),
    CStep.NEW_FIELD: _on(Act.FIELD),
    CStep.NEW_GOAL: _on(Act.GOAL),
    CStep.NEW_TITLE: _on(text=True),
    CStep.NEW_SHORT: _on(Act.SAME_AS_TITLE, text=True),
    CStep.NEW_DEPARTMENTS: _on(*_CHOOSE, text=True),
    CStep.INVITE_NAME: _on(text=True),
    CStep.INVITE_DEPARTMENTS: _on(*_CHOOSE, text=True),
    CStep.INVITE_ROLE: _on(Act.ROLE),
    CStep.REVOKE_CONFIRM: _on(Act.REVOKE),
}

#: Steps that read typed text.
TEXT_STEPS: Final = frozenset(s for s, a in TABLE.items() if a.text)
#: The dialog buttons each step shows.
ACCEPTS: Final[dict[CStep, frozenset[Act]]] = {s: a.buttons for s, a in TABLE.items()}


def accepts(step: CStep, act: Act) -> bool:
    """Whether the screen of ``step`` shows the dialog button ``act``."""
    if act is Act.CANCEL:
        return step is not CStep.IDLE
    return act in ACCEPTS.get(step, frozenset())


def conversation_key(telegram_user_id: int) -> int:
    """The ``conversations`` row of a coordinator's dialogs (the contact's row is the id)."""
    return -telegram_user_id


@dataclass
class CoordConv:
    """One coordinator's dialog: step, screen counter and partial input (JSON in the DB)."""

    step: CStep = CStep.IDLE
    seq: int = 0  # screen counter: dialog buttons carry it, older screens are stale
    contact_turns: int = 0  # the contact conversation's turns when the dialog last changed
    pending: dict[str, Any] = field(default_factory=dict)

    def next_screen(self) -> int:
        """Advance the screen counter (never 0: that marks stateless buttons)."""
        self.seq = self.seq % (SEQ_MODULO - 1) + 1
        return self.seq

    def go(self, step: CStep, **pending: Any) -> None:
        """Start ``step`` with fresh partial input (IDLE forgets everything)."""
        self.step = step
        self.pending = dict(pending)

    def move(self, step: CStep) -> None:
        """Move on to ``step`` keeping the partial input."""
        self.step = step

    def number(self, key: str) -> int | None:
        """An integer from the partial input, if it is one."""
        value = self.pending.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def text(self, key: str) -> str | None:
        """A string from the partial input, if it is one."""
        value = self.pending.get(key)
        return value if isinstance(value, str) else None

    def codes(self) -> list[str]:
        """The department codes chosen so far."""
        return [str(c) for c in self.pending.get("codes", []) if isinstance(c, str)]

    def to_json(self) -> dict[str, Any]:
        """The ``conversations.data`` column (the step goes to ``conversations.state``)."""
        return {
            "v": 1,
            "seq": self.seq,
            "contact_turns": self.contact_turns,
            "pending": self.pending,
        }

    @classmethod
    def from_json(cls, state: str, data: dict[str, Any] | None) -> CoordConv:
        """Rebuild a stored dialog; anything unreadable starts over at IDLE."""
        try:
            data = data or {}
            return cls(
                step=CStep(state) if state else CStep.IDLE,
                seq=int(data.get("seq", 0)) % SEQ_MODULO,
                # stored before contact_turns: the last update id (see bot.contact.flow.turns_of)
                contact_turns=int(data.get("contact_turns", data.get("last_update_id", 0))),
                pending=dict(data.get("pending") or {}),
            )
        except (TypeError, ValueError):
            return cls()
