"""Choosing departments in a dialog: toggle buttons, or the codes typed as a list.

The chosen codes are partial input (``pending["codes"]``, in the order chosen: the first is
printed first); the offered codes are remembered with the screen (``pending["offered"]``), so a
button carries only an index and whether it chooses or unchooses (idempotent on a double tap).
"""

from __future__ import annotations

from bot import texts
from bot.common.buttons import Spec, in_rows, keyboard
from bot.common.callback_data import Act, CButton
from bot.common.screens import Keyboard, Screen, esc, paragraphs
from bot.coordinator.turn import CoordTurn
from core.admin import AdminError, get_department, list_departments

PER_ROW = 3


def render_choice(turn: CoordTurn, question: str, take: str, *context: str) -> Screen:
    """The question, what is chosen, one button per active department, then ``take``."""
    offered = [d.code for d in list_departments(turn.session, turn.edition.cutoff) if d.active]
    turn.conv.pending["offered"] = offered
    chosen = turn.conv.codes()
    buttons: list[Spec] = [
        (
            texts.BTN_SELECTED.format(label=code) if code in chosen else code,
            Act.TOGGLE,
            i * 2 + (0 if code in chosen else 1),
        )
        for i, code in enumerate(offered)
    ]
    rows: list[list[Spec]] = [
        *in_rows(buttons, PER_ROW),
        [(take, Act.TAKE, None)],
        [(texts.BTN_CANCEL, Act.CANCEL, None)],
    ]
    shown = texts.DEPARTMENTS_CHOSEN.format(codes=esc(", ".join(chosen) or "–"))
    markup: Keyboard = keyboard(turn.conv.next_screen(), rows)
    return Screen(paragraphs(*context, question, shown), markup)


def on_toggle(turn: CoordTurn, b: CButton) -> bool:
    """Choose or unchoose one offered department; False for a button that no longer fits."""
    index, choose = divmod(b.number, 2)
    offered = turn.conv.pending.get("offered", [])
    if index >= len(offered):
        return False
    code, chosen = str(offered[index]), turn.conv.codes()
    if choose and code not in chosen:
        chosen.append(code)
    elif not choose and code in chosen:
        chosen.remove(code)
    turn.conv.pending["codes"] = chosen
    return True


def read_codes(turn: CoordTurn, text: str) -> list[str]:
    """Codes typed as ``61, 80.01``: each must be a known, active department."""
    codes: list[str] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        department = get_department(turn.session, part)
        if not department.active:
            raise AdminError(texts.DEPARTMENT_INACTIVE.format(code=department.code))
        if department.code not in codes:
            codes.append(department.code)
    if not codes:
        raise AdminError(texts.DEPARTMENTS_NEEDED)
    turn.conv.pending["codes"] = codes
    return codes
