"""The contact conversation as a small state machine: steps, where "Zurück" leads, what each
step accepts, and the conversation state that is stored in the ``conversations`` table.

Pure: no database, no Telegram. :mod:`bot.contact.steps` moves between the steps;
:mod:`bot.contact.views` shows them. The state (:class:`Conv`) is written in the same
transaction as the update that changed it, so a crash never loses a step or anything typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from bot.common.callback_data import SEQ_MODULO, Action
from bot.common.dialog import turns_of


class Step(StrEnum):
    """Where a contact stands; the value is stored in ``conversations.state``."""

    IDLE = "idle"
    OVERVIEW = "overview"
    PROJECT = "project"
    CHANGES = "changes"
    STATUS = "status"
    STATUS_SINCE = "status_since"  # "Seit wann?" after a new status (issue 18)
    DROP_REASON = "drop_reason"
    DONE_DATE = "done_date"
    DONE_TEXT = "done_text"
    TICK_PICK = "tick_pick"
    TICK_DATE = "tick_date"
    GREMIUM_DATE = "gremium_date"
    GREMIUM_NAME = "gremium_name"
    GREMIUM_ART = "gremium_art"
    GREMIUM_NR = "gremium_nr"
    PLANNED_DATE = "planned_date"
    PLANNED_TEXT = "planned_text"
    REMARK = "remark"
    DESCRIPTION = "description"
    REMOVE = "remove"  # the entries of the draft: ✎ ändern / ✕ entfernen each
    EDIT_VALUE = "edit_value"  # ✎ ändern: one value of one entry, typed anew
    SUMMARY = "summary"


@dataclass(frozen=True)
class Accepts:
    """What a step's screen takes: typed text, which buttons (besides "Übersicht" and
    "Zurück", allowed everywhere) and where "Zurück" leads (None: no back button)."""

    text: bool = False
    buttons: frozenset[Action] = frozenset()
    back: Step | None = None


def _on(*buttons: Action, text: bool = False, back: Step | None = None) -> Accepts:
    return Accepts(text, frozenset(buttons), back)


_CHANGE_MENU: Final = (
    Action.STATUS, Action.DONE, Action.TICK, Action.CONSULTATION, Action.PLANNED,
    Action.REMARK, Action.DESCRIPTION, Action.REMOVE, Action.SUMMARY, Action.REPLACE_LAST,
)  # fmt: skip

#: The conversation in one table: what each step accepts. The sets below derive from it.
TABLE: Final[dict[Step, Accepts]] = {
    Step.IDLE: _on(),
    Step.OVERVIEW: _on(Action.GO, Action.OPEN),
    Step.PROJECT: _on(
        Action.NO_CHANGES,
        Action.EDIT,
        Action.NEXT,
        Action.CONFIRM_REPORT,
        Action.EXTEND_REPORT,
        back=Step.OVERVIEW,
    ),
    Step.CHANGES: _on(*_CHANGE_MENU, back=Step.PROJECT),
    Step.STATUS: _on(Action.SET_STATUS, back=Step.CHANGES),
    Step.STATUS_SINCE: _on(
        Action.SINCE_TODAY, Action.SINCE_MONTH, Action.TAKE_DATE, text=True, back=Step.STATUS
    ),
    Step.DROP_REASON: _on(text=True, back=Step.STATUS),
    Step.DONE_DATE: _on(Action.TAKE_DATE, text=True, back=Step.CHANGES),
    Step.DONE_TEXT: _on(text=True, back=Step.DONE_DATE),
    Step.TICK_PICK: _on(Action.TICK_PICK, back=Step.CHANGES),
    Step.TICK_DATE: _on(Action.TAKE_DATE, text=True, back=Step.TICK_PICK),
    Step.GREMIUM_DATE: _on(Action.TAKE_DATE, text=True, back=Step.CHANGES),
    Step.GREMIUM_NAME: _on(Action.GREMIUM_PICK, text=True, back=Step.GREMIUM_DATE),
    Step.GREMIUM_ART: _on(Action.ART, back=Step.GREMIUM_NAME),
    Step.GREMIUM_NR: _on(Action.NO_NUMBER, text=True, back=Step.GREMIUM_ART),
    Step.PLANNED_DATE: _on(Action.NO_DATE, Action.TAKE_DATE, text=True, back=Step.CHANGES),
    Step.PLANNED_TEXT: _on(text=True, back=Step.PLANNED_DATE),
    Step.REMARK: _on(
        Action.CLEAR_REMARK,
        Action.REMARK_APPEND,
        Action.REMARK_REPLACE,
        text=True,
        back=Step.CHANGES,
    ),
    Step.DESCRIPTION: _on(text=True, back=Step.CHANGES),
    Step.REMOVE: _on(Action.REMOVE_ITEM, Action.EDIT_ITEM, back=Step.CHANGES),
    Step.EDIT_VALUE: _on(Action.EDIT_FIELD, Action.TAKE_DATE, text=True, back=Step.REMOVE),
    Step.SUMMARY: _on(Action.SUBMIT, back=Step.CHANGES),
}

#: "Zurück" from a step leads here (steps without an entry have no back button).
BACK: Final[dict[Step, Step]] = {s: a.back for s, a in TABLE.items() if a.back is not None}
#: Steps that wait for typed text (the others only for buttons).
TEXT_STEPS: Final = frozenset(s for s, a in TABLE.items() if a.text)
#: The buttons each step offers, besides "Übersicht" and "Zurück" (allowed everywhere).
ACTIONS: Final[dict[Step, frozenset[Action]]] = {s: a.buttons for s, a in TABLE.items()}
_GLOBAL_ACTIONS: Final = frozenset({Action.OVERVIEW, Action.BACK, Action.RESUME})

#: The entries that take several questions: each question's place in its entry, shown above it
#: ("Schritt 2/4"). The other question steps name only the project.
ENTRY_STEP: Final[dict[Step, tuple[int, int]]] = {
    Step.DONE_DATE: (1, 2), Step.DONE_TEXT: (2, 2),
    Step.TICK_PICK: (1, 2), Step.TICK_DATE: (2, 2),
    Step.GREMIUM_DATE: (1, 4), Step.GREMIUM_NAME: (2, 4),
    Step.GREMIUM_ART: (3, 4), Step.GREMIUM_NR: (4, 4),
    Step.PLANNED_DATE: (1, 2), Step.PLANNED_TEXT: (2, 2),
}  # fmt: skip
#: Steps whose screen is the project itself (card, menu, summary) or no project at all: their
#: screens name the project already, the others get a header line.
_NO_HEADER: Final = frozenset({Step.IDLE, Step.OVERVIEW, Step.PROJECT, Step.CHANGES, Step.SUMMARY})
QUESTION_STEPS: Final = frozenset(TABLE) - _NO_HEADER


def accepts(step: Step, action: Action) -> bool:
    """Whether ``action`` is a button the screen of ``step`` shows."""
    if action is Action.BACK:
        return step in BACK
    return action in _GLOBAL_ACTIONS or action in ACTIONS.get(step, frozenset())


# -- the stored conversation ---------------------------------------------------------------------


@dataclass
class Conv:
    """One contact's conversation: step, screen counter and partial input (JSON in the DB)."""

    step: Step = Step.IDLE
    seq: int = 0  # screen counter: buttons carry it, older screens are stale
    turns: int = 0  # updates handled (which of a coordinator's conversations spoke last)
    cutoff: str | None = None  # the edition being collected, ISO day
    queue: list[tuple[int, str]] = field(default_factory=list)  # (project id, number)
    project_id: int | None = None
    page: int = 0
    pending: dict[str, Any] = field(default_factory=dict)  # the entry being typed
    #: The last typed answer that was taken (issue 18): its message id and where its value
    #: went, so an edit of that message can replace the value (:mod:`bot.contact.corrections`).
    last: dict[str, Any] = field(default_factory=dict)
    #: The buttons of the screen the contact sees, as (label without case and punctuation,
    #: callback data): a typed label is looked up here instead of rendering the screen again
    #: (None: stored before this was kept; the screen is rendered).
    buttons: list[tuple[str, str]] | None = None

    def next_screen(self) -> int:
        """Advance the screen counter; the new screen's buttons carry the returned value."""
        self.seq = (self.seq + 1) % SEQ_MODULO
        return self.seq

    def position(self, project_id: int) -> tuple[int, int, str] | None:
        """(1-based index, total, number) of a project in the walk-through, if it is there."""
        for i, (pid, number) in enumerate(self.queue, start=1):
            if pid == project_id:
                return i, len(self.queue), number
        return None

    def go(self, step: Step) -> None:
        """Move to ``step``; leaving the entry steps for the menu drops partial input."""
        if step in (Step.CHANGES, Step.PROJECT, Step.OVERVIEW, Step.IDLE):
            self.pending = {}
        self.step = step

    def begin(self, step: Step, **pending: Any) -> Step:
        """Start a new entry at ``step`` with fresh partial input; returns ``step`` (what a
        step returns: where the conversation goes)."""
        self.pending = dict(pending)
        self.step = step
        return step

    def to_json(self) -> dict[str, Any]:
        """The ``conversations.data`` column (the step goes to ``conversations.state``)."""
        return {
            "v": 1,
            "seq": self.seq,
            "turns": self.turns,
            "cutoff": self.cutoff,
            "queue": [[pid, number] for pid, number in self.queue],
            "project_id": self.project_id,
            "page": self.page,
            "pending": self.pending,
            "last": self.last,
            **({} if self.buttons is None else {"buttons": [list(b) for b in self.buttons]}),
        }

    @classmethod
    def from_json(cls, state: str, data: dict[str, Any] | None) -> Conv:
        """Rebuild a stored conversation; anything unreadable starts over at IDLE."""
        try:
            data = data or {}
            return cls(
                step=Step(state) if state else Step.IDLE,
                seq=int(data.get("seq", 0)) % SEQ_MODULO,
                turns=turns_of(data),
                cutoff=data.get("cutoff"),
                queue=[(int(pid), str(number)) for pid, number in data.get("queue", [])],
                project_id=None if data.get("project_id") is None else int(data["project_id"]),
                page=int(data.get("page", 0)),
                pending=dict(data.get("pending") or {}),
                last=dict(data.get("last") or {}),
                buttons=(
                    None
                    if data.get("buttons") is None
                    else [(str(words), str(code)) for words, code in data["buttons"]]
                ),
            )
        except (TypeError, ValueError):
            return cls()
