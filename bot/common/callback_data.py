"""Callback data of inline buttons: a compact, versioned string, parsed by one strict function.

Format: ``n1:<seq>:<action>[:<arg>]``, e.g. ``n1:17:op:12`` (open project 12) or
``n1:18:ss:um`` (set status "umgesetzt"). ``n1`` names the contact conversation, version 1;
``seq`` is the conversation's screen counter, so a button of an older screen is recognised as
stale. At most 25 bytes, far below Telegram's 64.

Nothing in callback data is trusted: :func:`decode` rejects every string that is not exactly
this shape, and the handlers check the action against the current step and the contact's
rights in ``core`` again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from chat.buttons import OPEN_CALLBACK
from core.status import Status

PREFIX: Final = "n1"
#: The scheduler's prompt button: opens the overview of the contact's projects.
OPEN_PROMPT: Final = OPEN_CALLBACK
MAX_BYTES: Final = 64
SEQ_MODULO: Final = 1_000_000_000

_DATA = re.compile(r"n1:(0|[1-9][0-9]{0,8}):([a-z]{2})(?::(0|[1-9][0-9]{0,8}|[a-z]{1,2}))?")


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
    {Action.OVERVIEW, Action.OPEN, Action.TICK_PICK, Action.GREMIUM_PICK, Action.REMOVE_ITEM}
)


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


def split(data: object, pattern: re.Pattern[str]) -> tuple[int, str, str | None] | None:
    """(seq, code, raw argument) of callback data that fits Telegram's 64 bytes and matches
    ``pattern`` (groups: seq, code, optional argument); None for anything else. Shared by the
    contact's and the coordination's buttons."""
    if not isinstance(data, str) or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    match = pattern.fullmatch(data)
    if match is None:
        return None
    seq, code, raw = match.groups()
    return int(seq), code, raw


def decode(data: object) -> Button | None:
    """The button behind ``data``, or None for anything forged, malformed or too long."""
    parts = split(data, _DATA)
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
