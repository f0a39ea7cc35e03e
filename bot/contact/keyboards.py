"""Inline keyboards of the contact conversation. Every button carries the screen counter."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from bot.common.buttons import markup
from bot.common.callback_data import NO_ART, STATUS_CODES, Action, encode
from bot.common.screens import Keyboard
from bot.contact.flow import BACK, Step
from core.changes import VORLAGENARTEN
from core.status import Status

Spec = tuple[str, Action, int | str | None]  # (label, action, argument)


def build(seq: int, rows: Sequence[Sequence[Spec]]) -> Keyboard:
    """A keyboard whose buttons carry ``seq``; empty rows are dropped."""
    return markup([[(text, encode(seq, action, arg)) for text, action, arg in row] for row in rows])


def back_row(step: Step) -> list[Spec]:
    """ "Zurück" (if the step has somewhere to go back to) and "Übersicht" (unless "Zurück"
    leads there anyway)."""
    row: list[Spec] = [(texts.BTN_BACK, Action.BACK, None)] if step in BACK else []
    if step is not Step.OVERVIEW and BACK.get(step) is not Step.OVERVIEW:
        row.append((texts.BTN_OVERVIEW, Action.OVERVIEW, 0))
    return row


def idle(seq: int) -> Keyboard:
    """Just "Meine Projekte"."""
    return build(seq, [[(texts.BTN_MY_PROJECTS, Action.OVERVIEW, 0)]])


def overview(
    seq: int,
    projects: Sequence[tuple[int, str]],
    page: int,
    pages: int,
    any_open: bool,
    started: bool,
) -> Keyboard:
    """One button per project of the page (id, label), paging, and "Los geht's"."""
    rows: list[list[Spec]] = [[(text, Action.OPEN, pid)] for pid, text in projects]
    paging: list[Spec] = []
    if page > 0:
        paging.append((texts.BTN_PREVIOUS_PAGE.format(page=page), Action.OVERVIEW, page - 1))
    if page + 1 < pages:
        paging.append((texts.BTN_NEXT_PAGE.format(page=page + 2), Action.OVERVIEW, page + 1))
    rows.append(paging)
    if any_open:
        rows.append([(texts.BTN_NEXT_OPEN if started else texts.BTN_START, Action.GO, None)])
    return build(seq, rows)


def project(seq: int, *, editable: bool, offer_no_changes: bool, revise: bool) -> Keyboard:
    """The project card: "Keine Änderungen" / "Änderungen eintragen", skip, back."""
    first: list[Spec] = []
    if editable and offer_no_changes:
        first.append((texts.BTN_NO_CHANGES, Action.NO_CHANGES, None))
    if editable:
        first.append((texts.BTN_REVISE if revise else texts.BTN_EDIT, Action.EDIT, None))
    return build(seq, [first, [(texts.BTN_SKIP, Action.NEXT, None)], back_row(Step.PROJECT)])


def foreign_report(seq: int, *, extendable: bool) -> Keyboard:
    """Another department's report of a shared project: "Passt so" and (while undecided)
    "Ergänzen", skip, back."""
    first: list[Spec] = [(texts.BTN_CONFIRM_REPORT, Action.CONFIRM_REPORT, None)]
    if extendable:
        first.append((texts.BTN_EXTEND_REPORT, Action.EXTEND_REPORT, None))
    return build(seq, [first, [(texts.BTN_SKIP, Action.NEXT, None)], back_row(Step.PROJECT)])


def changes(seq: int, *, planning: bool, can_tick: bool, has_items: bool) -> Keyboard:
    """The menu of possible changes."""
    rows: list[list[Spec]] = [
        [
            (texts.BTN_STATUS, Action.STATUS, None),
            (texts.BTN_PLANNING if planning else texts.BTN_DONE, Action.DONE, None),
        ],
        [(texts.BTN_TICK, Action.TICK, None)] if can_tick else [],
        [
            (texts.BTN_CONSULTATION, Action.CONSULTATION, None),
            (texts.BTN_PLANNED, Action.PLANNED, None),
        ],
        [
            (texts.BTN_REMARK, Action.REMARK, None),
            (texts.BTN_DESCRIPTION, Action.DESCRIPTION, None),
        ],
        [(texts.BTN_ENTRIES, Action.REMOVE, None)] if has_items else [],
        [(texts.BTN_SUMMARY, Action.SUMMARY, None)],
        back_row(Step.CHANGES),
    ]
    return build(seq, rows)


def statuses(seq: int, current: Status) -> Keyboard:
    """All five statuses, the current one marked."""
    rows: list[list[Spec]] = []
    for status, code in STATUS_CODES.items():
        name = texts.STATUS[status]
        shown = texts.BTN_CURRENT.format(label=name) if status is current else name
        rows.append([(shown, Action.SET_STATUS, code)])
    rows.append(back_row(Step.STATUS))
    return build(seq, rows)


def choices(seq: int, step: Step, action: Action, options: Sequence[str]) -> Keyboard:
    """One button per option (argument: its index), then back."""
    rows: list[list[Spec]] = [[(text, action, i)] for i, text in enumerate(options)]
    rows.append(back_row(step))
    return build(seq, rows)


def arts(seq: int) -> Keyboard:
    """The Vorlagenarten and "keine Angabe"."""
    rows: list[list[Spec]] = [[(art, Action.ART, i)] for i, art in enumerate(VORLAGENARTEN)]
    rows.append([(texts.BTN_NO_ART, Action.ART, NO_ART)])
    rows.append(back_row(Step.GREMIUM_ART))
    return build(seq, rows)


def prompt(seq: int, step: Step, extra: Sequence[Spec] = ()) -> Keyboard:
    """A text prompt: optional shortcut buttons, then back."""
    return build(seq, [list(extra), back_row(step)])


def summary(seq: int, *, can_submit: bool) -> Keyboard:
    """ "Einreichen" and "Weiter bearbeiten"."""
    return build(
        seq,
        [
            [(texts.BTN_SUBMIT, Action.SUBMIT, None)] if can_submit else [],
            [(texts.BTN_KEEP_EDITING, Action.BACK, None)],
            [(texts.BTN_OVERVIEW, Action.OVERVIEW, 0)],
        ],
    )


def resume(seq: int, label: str) -> Keyboard:
    """ "Weiter bei …" and "Übersicht" (the interrupted step, or leave it)."""
    return build(seq, [[(label, Action.RESUME, None)], [(texts.BTN_OVERVIEW, Action.OVERVIEW, 0)]])
