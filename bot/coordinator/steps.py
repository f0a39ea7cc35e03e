"""Which step a coordinator's button or typed text runs, and how a broken rule is answered.

The dispatch tables of the dialogs (:class:`bot.coordinator.flow.CStep`): the screen of each
step, what typed text answers in it, and the step each button starts. The steps themselves live
in ``decide``, ``projects``, ``new_project``, ``people`` and ``progress``; each answers with
its screen or where the dialog goes next (:class:`bot.coordinator.turn.Next`), which the
runner applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot import texts
from bot.common.callback_data import Act, CButton
from bot.common.dialog import USER_ERRORS, UserError
from bot.coordinator import decide, new_project, people, projects
from bot.coordinator.departments import on_toggle
from bot.coordinator.flow import TEXT_STEPS, CStep, accepts
from bot.coordinator.turn import (
    Answer,
    CoordTurn,
    Next,
    Recover,
    Step,
    cancelled,
    done,
    error_notice,
    move,
)
from core.submissions import AlreadyDecided

ScreenFn = Callable[[CoordTurn], Answer]

#: The screen of each dialog step (shown again after bad input, with the error on top).
RENDER: dict[CStep, ScreenFn] = {
    CStep.RETURN_REASON: decide.render_return_reason,
    CStep.REVIEW_EDIT: decide.render_edit,
    CStep.REVIEW_REMARK: decide.render_edit_remark,
    CStep.REVIEW_DESCRIPTION: decide.render_edit_description,
    CStep.REVIEW_REMOVE: decide.render_edit_remove,
    CStep.PROJECT_TEXT: projects.render_text,
    CStep.PROJECT_DEPARTMENTS: projects.render_departments,
    CStep.DROP_REASON: projects.render_drop,
    CStep.KEEP_CONFIRM: projects.render_keep,
    CStep.NEW_FIELD: new_project.render_new_field,
    CStep.NEW_GOAL: new_project.render_new_goal,
    CStep.NEW_TITLE: new_project.render_new_title,
    CStep.NEW_SHORT: new_project.render_new_short,
    CStep.NEW_DEPARTMENTS: new_project.render_new_departments,
    CStep.INVITE_NAME: people.render_name,
    CStep.INVITE_DEPARTMENTS: people.render_departments,
    CStep.INVITE_ROLE: people.render_role,
    CStep.REVOKE_CONFIRM: people.render_revoke,
}

#: What typed text answers in each text step.
TEXTS: dict[CStep, Callable[[CoordTurn, str], Answer]] = {
    CStep.RETURN_REASON: decide.on_return_reason,
    CStep.REVIEW_REMARK: decide.on_remark_text,
    CStep.REVIEW_DESCRIPTION: decide.on_description_text,
    CStep.PROJECT_TEXT: projects.on_text,
    CStep.PROJECT_DEPARTMENTS: projects.on_departments_text,
    CStep.DROP_REASON: projects.on_drop_reason,
    CStep.NEW_TITLE: new_project.on_new_title,
    CStep.NEW_SHORT: new_project.on_new_short,
    CStep.NEW_DEPARTMENTS: new_project.on_new_departments_text,
    CStep.INVITE_NAME: people.on_name,
    CStep.INVITE_DEPARTMENTS: people.on_departments_text,
}

#: "Übernehmen" in each department choice.
TAKE: dict[CStep, ScreenFn] = {
    CStep.PROJECT_DEPARTMENTS: projects.take_departments,
    CStep.NEW_DEPARTMENTS: new_project.create,
    CStep.INVITE_DEPARTMENTS: people.take_departments,
}

_REVIEW_STEPS = frozenset(
    {
        CStep.RETURN_REASON,
        CStep.REVIEW_EDIT,
        CStep.REVIEW_REMARK,
        CStep.REVIEW_DESCRIPTION,
        CStep.REVIEW_REMOVE,
    }
)
_CONFIRMATIONS = frozenset({CStep.KEEP_CONFIRM, CStep.REVOKE_CONFIRM})
_REVIEW_ACTS = frozenset({Act.APPROVE, Act.RETURN, Act.EDIT, Act.FORCE, Act.KEEP_OPEN})


# -- buttons and text: which step -----------------------------------------------------------------


def stateless_step(b: CButton) -> Step:
    """The step of a button that carries what it acts on (or, without an argument, acts on
    the edition being collected)."""
    match b.act:
        case Act.NEW:
            return new_project.start_new
        case Act.APPROVE_UNCHANGED:
            return decide.approve_unchanged_step
    n = b.number
    match b.act:
        case Act.APPROVE | Act.FORCE:
            return decide.approve_step(n, force=b.act is Act.FORCE)
        case Act.RETURN:
            return decide.ask_return_step(n)
        case Act.EDIT:
            return decide.edit_step(n)
        case Act.KEEP_OPEN:
            return decide.keep_open_step(n)
        case Act.PAGE:
            return projects.show_list(n)
        case Act.VIEW:
            return projects.view_step(n)
        case Act.TITLE | Act.SHORT_TITLE | Act.DESCRIPTION | Act.MUNICIPALITIES:
            return projects.ask_text_step(b)
        case Act.DEPARTMENTS:
            return projects.ask_departments_step(n)
        case Act.DROP:
            return projects.ask_drop_step(n)
        case Act.KEEP:
            return projects.ask_keep_step(n)
        case Act.CONTACTS:
            return people.show_contacts(n)
        case Act.REVOKE_PICK:
            return people.revoke_pick_step(n)
        case _:  # REPORT (bot.routes), NUDGE, STAND_FULL: handled before (they need more)
            raise ValueError(f"not a stateless step: {b.act}")


def dialog_step(b: CButton) -> Step:
    """A dialog button: only on the current screen of the step that shows it."""

    def step(turn: CoordTurn) -> Answer:
        conv = turn.conv
        if b.seq != conv.seq or not accepts(conv.step, b.act):
            turn.toast = texts.STALE_BUTTON
            return None
        match b.act:
            case Act.CANCEL:
                return cancel(turn)
            case Act.TOGGLE:
                if not on_toggle(turn, b):
                    turn.toast = texts.STALE_BUTTON
                return RENDER[conv.step](turn)
            case Act.TAKE:
                return TAKE[conv.step](turn)
            case Act.EDIT_REMARK:
                return decide.on_edit_remark(turn, b)
            case Act.EDIT_DESCRIPTION:
                return decide.on_edit_description(turn, b)
            case Act.EDIT_REMOVE:
                return decide.on_edit_remove(turn, b)
            case Act.REMOVE_PICK:
                return decide.on_remove_pick(turn, b)
            case Act.EDIT_DONE:
                return decide.on_edit_done(turn, b)
            case Act.BACK:
                return decide.on_back(turn, b)
            case Act.KEEP_YES:
                return projects.on_keep_yes(turn, b)
            case Act.FIELD:
                return new_project.on_field(turn, b)
            case Act.GOAL:
                return new_project.on_goal(turn, b)
            case Act.SAME_AS_TITLE:
                return new_project.on_same_as_title(turn, b)
            case Act.ROLE:
                return people.on_role(turn, b)
            case Act.REVOKE:
                return people.on_revoke(turn, b)
        turn.toast = texts.STALE_BUTTON
        return None

    return step


def cancel(turn: CoordTurn) -> Answer:
    """/abbrechen and "Abbrechen": the dialog ends; what it changed before stays (a review
    dialog begun in a list of hand-ins gives that message its list back)."""
    if turn.conv.step in _REVIEW_STEPS:
        return decide.cancel_review(turn)
    return cancelled(turn)


def text_step(text: str) -> Step:
    """Typed text: the answer to the open dialog's question."""

    def step(turn: CoordTurn) -> Answer:
        current = turn.conv.step
        if current not in TEXT_STEPS:
            turn.say(texts.COORD_USE_BUTTONS)
            return RENDER[current](turn) if current in RENDER else None
        return TEXTS[current](turn, text)

    return step


def recover_dialog(turn: CoordTurn, err: UserError) -> Answer:
    """A rule broken in a dialog: the German message, and the question again."""
    current = turn.conv.step
    if current in _REVIEW_STEPS and isinstance(err, AlreadyDecided):
        return decide.recover_review(turn.conv.number("sub"))(turn, err)
    following: Next | None = None
    if current in _CONFIRMATIONS:  # nothing to answer again: the dialog ends
        following = done(None)
    elif current is CStep.NEW_DEPARTMENTS and turn.conv.codes():
        following = move(CStep.NEW_TITLE)  # departments were fine: most likely the title
    elif current is CStep.INVITE_ROLE:
        following = move(CStep.INVITE_DEPARTMENTS)
    turn.say(error_notice(err))
    if (following.step if following is not None else current) not in RENDER:
        turn.edit = current in _CONFIRMATIONS  # the notice takes the confirmation's place
        return following
    return replace(following, show=_ask_again) if following is not None else _ask_again(turn)


def _ask_again(turn: CoordTurn) -> Answer:
    """The question of the step the dialog is in; if its subject is gone, the dialog ends."""
    try:
        return RENDER[turn.conv.step](turn)
    except USER_ERRORS as again:
        turn.say(error_notice(again))
        turn.edit = False
        return done(None)


def show_dialog(turn: CoordTurn) -> Answer:
    """The open dialog's question once more, as a new message (after /hilfe); nothing if no
    dialog is open."""
    if turn.conv.step not in RENDER:
        return None
    turn.edit = False
    return _ask_again(turn)


def recover_for(b: CButton) -> Recover:
    """How a button's failure is answered."""
    return decide.recover_review(b.arg) if b.act in _REVIEW_ACTS else recover_dialog


def stale(turn: CoordTurn) -> None:
    """A button that is not (or no longer) understood: the polite toast."""
    turn.toast = texts.STALE_BUTTON
