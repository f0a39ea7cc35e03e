"""Callback data of the coordinator's buttons: ``k1:<seq>:<action>[:<arg>]``, strictly parsed.

``k1`` names the coordination, version 1 (the contact conversation uses ``n1``). Two kinds of
buttons share the format:

* **stateless** buttons carry ``seq`` 0 and the id they act on, e.g. ``k1:0:ap:42`` (approve
  submission 42) or ``k1:0:pv:7`` (show project 7). They stay valid on every message, also on
  the review messages sent to several coordinators; what they do is checked in ``core``.
* **dialog** buttons carry the coordinator's screen counter, e.g. ``k1:12:dt:9`` (choose
  department 4 in a dialog); a button of an older screen is stale.

At most 28 bytes, far below Telegram's 64. Nothing in callback data is trusted: :func:`decode`
rejects every string that is not exactly this shape; rights and states are checked in ``core``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import split
from bot.keyboards import label

PREFIX: Final = "k1"
_DATA = re.compile(r"k1:(0|[1-9][0-9]{0,8}):([a-z]{2})(?::(0|[1-9][0-9]{0,9}))?")


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
        """The integer argument (checked by :func:`decode` for every action that has one)."""
        assert self.arg is not None
        return self.arg


def encode(seq: int, act: Act, arg: int | None = None) -> str:
    """The callback data of a button; stateless buttons always carry seq 0."""
    data = f"{PREFIX}:{0 if act in STATELESS else seq}:{act.value}"
    data += "" if arg is None else f":{arg}"
    if decode(data) is None:
        raise ValueError(f"not encodable: {data!r}")
    return data


def decode(data: object) -> CButton | None:
    """The button behind ``data``, or None for anything forged, malformed or too long."""
    parts = split(data, _DATA)
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


Spec = tuple[str, Act, int | None]  # (label, action, argument)


def keyboard(seq: int, rows: Sequence[Sequence[Spec]]) -> InlineKeyboardMarkup:
    """A keyboard of coordinator buttons; dialog buttons carry ``seq``; empty rows dropped."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label(text), callback_data=encode(seq, act, arg))
                for text, act, arg in row
            ]
            for row in rows
            if row
        ]
    )


def in_rows(buttons: Sequence[Spec], per_row: int) -> list[list[Spec]]:
    """``buttons`` laid out ``per_row`` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
