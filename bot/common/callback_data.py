"""Callback data of every inline button: one compact, versioned grammar, strictly parsed.

Format: ``<conversation>:<seq>:<code>[:<arg>]``, at most 28 bytes (Telegram allows 64).
``seq`` is the conversation's screen counter, so a button of an older screen is recognised as
stale. Two conversations share the grammar, each with its codes:

* ``n1`` – the contact conversation (:class:`Action`, :func:`encode`, :func:`decode`), e.g.
  ``n1:17:op:12`` (open project 12) or ``n1:18:ss:um`` (set status "umgesetzt").
* ``k1`` – the coordination (:class:`Act`, :func:`encode_act`, :func:`decode_act`).
  **Stateless** buttons carry ``seq`` 0 and the id they act on, e.g. ``k1:0:ap:42`` (approve
  submission 42); they stay valid on every message, also on the review messages sent to
  several coordinators. **Dialog** buttons carry the coordinator's screen counter, e.g.
  ``k1:12:dt:9`` (choose department 4 in a dialog).

Besides, the prompts of the scheduler carry :data:`chat.buttons.OPEN_CALLBACK` (``open``).

Nothing in callback data is trusted: the decoders reject every string that is not exactly
this shape, and the handlers check the action against the current step and the user's rights
in ``core`` again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from core.status import Status

PREFIX: Final = "n1"  # the contact conversation, version 1
COORDINATION: Final = "k1"  # the coordination, version 1
MAX_BYTES: Final = 64
SEQ_MODULO: Final = 1_000_000_000

_N1 = re.compile(r"n1:(0|[1-9][0-9]{0,8}):([a-z]{2})(?::(0|[1-9][0-9]{0,8}|[a-z]{1,2}))?")


class Action(StrEnum):
    """What a button does; the value is its two-letter code."""

    OVERVIEW = "ov"  # arg: page
    GO = "go"  # the next open project
    OPEN = "op"  # arg: project id
    NO_CHANGES = "nc"
    EDIT = "ed"
    NEXT = "nx"
    BACK = "bk"
    STATUS = "st"
    SET_STATUS = "ss"  # arg: status code
    DONE = "md"
    TICK = "tk"
    TICK_PICK = "tp"  # arg: index into the offered planned milestones
    CONSULTATION = "gr"
    GREMIUM_PICK = "gk"  # arg: index into the offered Gremien
    ART = "ga"  # arg: index into VORLAGENARTEN, or "x" for none
    NO_NUMBER = "gn"
    PLANNED = "pl"
    NO_DATE = "pn"
    REMARK = "rm"
    CLEAR_REMARK = "rx"
    DESCRIPTION = "ds"
    REMOVE = "dl"
    REMOVE_ITEM = "dx"  # arg: index into the offered draft items
    SUMMARY = "sm"
    SUBMIT = "sb"
    RESUME = "rs"  # back to the step a /start or /projekte interrupted
    # corrections (issue 18)
    EDIT_ITEM = "ce"  # arg: index into the offered draft items
    EDIT_FIELD = "cf"  # arg: index into the fields of the entry being changed
    REPLACE_LAST = "cr"  # the resent text replaces the last answer
    TAKE_DATE = "dm"  # "Meinten Sie …?": take the suggested reading of a date
    REMARK_APPEND = "ra"
    REMARK_REPLACE = "rr"
    # shared projects and "Seit wann?" (issue 18)
    CONFIRM_REPORT = "pk"  # "Passt so": another department's report holds for mine too
    EXTEND_REPORT = "pe"  # "Ergänzen": reopen another department's report to add to it
    SINCE_TODAY = "sh"  # "Seit wann?" – heute
    SINCE_MONTH = "sy"  # "Seit wann?" – diesen Monat


#: Status <-> two-letter code in callback data.
STATUS_CODES: Final[dict[Status, str]] = {
    Status.IN_BEARBEITUNG: "ib",
    Status.IN_PLANUNG: "ip",
    Status.UMGESETZT: "um",
    Status.IDEENSPEICHER: "is",
    Status.ENTFALLEN: "en",
}
_CODE_STATUS: Final = {code: status for status, code in STATUS_CODES.items()}
NO_ART: Final = "x"

_INT_ARG: Final = frozenset(
    {
        Action.OVERVIEW, Action.OPEN, Action.TICK_PICK, Action.GREMIUM_PICK, Action.REMOVE_ITEM,
        Action.EDIT_ITEM, Action.EDIT_FIELD,
    }
)  # fmt: skip


@dataclass(frozen=True)
class Button:
    """A decoded button press."""

    seq: int
    action: Action
    arg: int | str | None = None

    @property
    def number(self) -> int:
        """The integer argument (validated by :func:`decode` for integer actions)."""
        assert isinstance(self.arg, int)
        return self.arg

    @property
    def status(self) -> Status:
        """The status argument of SET_STATUS."""
        assert isinstance(self.arg, str)
        return _CODE_STATUS[self.arg]


def encode(seq: int, action: Action, arg: int | str | None = None) -> str:
    """The callback data for a button; checked against :func:`decode` (a bug fails loudly)."""
    data = f"{PREFIX}:{seq}:{action.value}" + ("" if arg is None else f":{arg}")
    if decode(data) != Button(seq, action, arg):
        raise ValueError(f"not encodable: {data!r}")
    return data


def _split(data: object, pattern: re.Pattern[str]) -> tuple[int, str, str | None] | None:
    """(seq, code, raw argument) of callback data that fits Telegram's 64 bytes and matches
    ``pattern`` (groups: seq, code, optional argument); None for anything else."""
    if not isinstance(data, str) or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    match = pattern.fullmatch(data)
    if match is None:
        return None
    seq, code, raw = match.groups()
    return int(seq), code, raw


def decode(data: object) -> Button | None:
    """The button behind ``data``, or None for anything forged, malformed or too long."""
    parts = _split(data, _N1)
    if parts is None:
        return None
    seq, code, raw = parts
    try:
        action = Action(code)
    except ValueError:
        return None
    arg: int | str | None = raw
    if action in _INT_ARG:
        if raw is None or not raw.isdigit():
            return None
        arg = int(raw)
    elif action is Action.SET_STATUS:
        if raw not in _CODE_STATUS:
            return None
    elif action is Action.ART:
        if raw is None or (raw != NO_ART and not raw.isdigit()):
            return None
        arg = raw if raw == NO_ART else int(raw)
    elif raw is not None:
        return None
    return Button(seq, action, arg)


# -- the coordination: k1 ------------------------------------------------------------------------

_K1 = re.compile(r"k1:(0|[1-9][0-9]{0,8}):([a-z]{2})(?::(0|[1-9][0-9]{0,9}))?")


class Act(StrEnum):
    """What a coordinator's button does; the value is its two-letter code."""

    # review of a submission (stateless; arg: submission id)
    APPROVE = "ap"
    APPROVE_UNCHANGED = "au"  # every waiting "Keine Änderungen" report
    RETURN = "rt"
    EDIT = "ed"
    FORCE = "fa"
    KEEP_OPEN = "cx"  # "Abbrechen" under a conflict: back to the review
    # editing a submission (dialog)
    EDIT_REMARK = "er"
    EDIT_DESCRIPTION = "es"
    EDIT_REMOVE = "eo"
    REMOVE_PICK = "ei"  # arg: index into the offered items
    EDIT_DONE = "ef"
    BACK = "zb"
    # projects (stateless; arg: page or project id)
    PAGE = "pl"
    VIEW = "pv"
    NEW = "nn"
    TITLE = "pt"
    SHORT_TITLE = "pk"
    DESCRIPTION = "pd"
    MUNICIPALITIES = "pm"
    DEPARTMENTS = "pa"
    DROP = "px"
    KEEP = "pe"
    REPORT = "pr"
    NUDGE = "nu"  # arg: department id
    STAND_FULL = "sf"  # /stand's full table
    CONTACTS = "cl"  # arg: page
    REVOKE_PICK = "rv"  # arg: contact id
    # dialogs
    KEEP_YES = "py"
    FIELD = "nf"  # arg: Themenfeld number
    GOAL = "ng"  # arg: goal id
    SAME_AS_TITLE = "ks"
    TOGGLE = "dt"  # arg: department id * 2 + 1 to choose, + 0 to unchoose
    TAKE = "dd"
    ROLE = "rl"  # arg: index into texts.ROLE_LABELS
    REVOKE = "ry"  # arg: contact id
    CANCEL = "ab"


#: Buttons that act on the id they carry, on any message, whatever the dialog's state.
STATELESS: Final = frozenset(
    {
        Act.APPROVE, Act.APPROVE_UNCHANGED, Act.RETURN, Act.EDIT, Act.FORCE, Act.KEEP_OPEN,
        Act.PAGE, Act.VIEW,
        Act.NEW, Act.TITLE, Act.SHORT_TITLE, Act.DESCRIPTION, Act.MUNICIPALITIES,
        Act.DEPARTMENTS, Act.DROP, Act.KEEP, Act.REPORT, Act.NUDGE, Act.CONTACTS,
        Act.REVOKE_PICK, Act.STAND_FULL,
    }
)  # fmt: skip
_NO_ARG: Final = frozenset(
    {
        Act.APPROVE_UNCHANGED, Act.EDIT_REMARK, Act.EDIT_DESCRIPTION, Act.EDIT_REMOVE,
        Act.EDIT_DONE, Act.BACK, Act.NEW,
        Act.KEEP_YES, Act.SAME_AS_TITLE, Act.TAKE, Act.CANCEL, Act.STAND_FULL,
    }
)  # fmt: skip


@dataclass(frozen=True)
class CButton:
    """A decoded button press of the coordination."""

    seq: int
    act: Act
    arg: int | None = None

    @property
    def number(self) -> int:
        """The integer argument (checked by :func:`decode_act` for every action that has one)."""
        assert self.arg is not None
        return self.arg


def encode_act(seq: int, act: Act, arg: int | None = None) -> str:
    """The callback data of a button; stateless buttons always carry seq 0."""
    data = f"{COORDINATION}:{0 if act in STATELESS else seq}:{act.value}"
    data += "" if arg is None else f":{arg}"
    if decode_act(data) is None:
        raise ValueError(f"not encodable: {data!r}")
    return data


def decode_act(data: object) -> CButton | None:
    """The button behind ``data``, or None for anything forged, malformed or too long."""
    parts = _split(data, _K1)
    if parts is None:
        return None
    seq, code, raw = parts
    try:
        act = Act(code)
    except ValueError:
        return None
    if (raw is None) != (act in _NO_ARG):
        return None
    if act in STATELESS and seq != 0:
        return None
    return CButton(seq, act, None if raw is None else int(raw))
