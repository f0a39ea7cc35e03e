"""Deciding on a submission: Freigeben, Zurückgeben (with a reason), Bearbeiten before approving.

Each step calls one ``core.approval`` service in the turn's transaction; a :class:`Conflict`
or :class:`AlreadyDecided` rolls it back and :func:`recover_review` answers in a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts
from bot.common import screens
from bot.common.buttons import Spec, keyboard
from bot.common.callback_data import Act, CButton
from bot.common.dialog import UserError, clean_block, clean_rich_text
from bot.common.draft import item_keys, remove_item
from bot.common.reviews import (
    changes_body,
    decided_screen,
    project_label,
    review_header,
    review_screen,
)
from bot.common.screens import Keyboard, Screen, counted, esc, esc_line, paragraphs, shorten
from bot.common.sending import Outgoing
from bot.coordinator.conflict import conflict_screen
from bot.coordinator.flow import CStep
from bot.coordinator.review import (
    final_screen,
    round_list,
    submission,
    toast,
    update_copies,
)
from bot.coordinator.turn import (
    Answer,
    CoordTurn,
    Next,
    Recover,
    Step,
    cancelled,
    done,
    error_notice,
    go,
    move,
    then,
)
from chat.buttons import open_project_row
from core.approval import approve, approve_unchanged, return_submission, revise_submission
from core.changes import MAX_LONG_TEXT, ChangeSet
from core.models import Submission, SubmissionState
from core.recipients import outcome_recipients
from core.submissions import (
    AlreadyDecided,
    Conflict,
    submission_by_id,
    waiting_submissions,
    was_revised,
)

# -- Freigeben ----------------------------------------------------------------------------------


def approve_step(sub_id: int, *, force: bool) -> Step:
    """Freigeben (or "Trotzdem übernehmen"): apply the change set, tell the contact."""

    def step(turn: CoordTurn) -> Answer:
        sub = submission(turn, sub_id)
        header, body = review_header(turn.session, sub, turn.tz), changes_body(sub)
        label = project_label(turn.session, sub)
        approve(turn.session, sub_id, turn.coordinator, turn.now, force=force)
        decision = texts.REVIEW_APPROVED.format(name=esc(turn.coordinator.name), when=turn.when())
        final = final_screen(header, body, decision)
        update_copies(turn, sub, final)
        told = (
            texts.CONTACT_APPROVED_REVISED
            if was_revised(turn.session, sub_id)
            else texts.CONTACT_APPROVED
        )
        for chat in outcome_chats(turn, sub):
            turn.outbox.append(Outgoing(chat, Screen(told.format(project=label))))
        turn.toast = toast(texts.APPROVED_DONE.format(project=label))
        return then(forget(turn, sub_id), final)

    return step


def approve_unchanged_step(turn: CoordTurn) -> Answer:
    """ "Alle ohne Änderungen freigeben": every waiting "Keine Änderungen" report at once, each
    as its own Freigeben would (copies updated, audited); each contact hears once."""
    unchanged = [
        sub
        for sub in waiting_submissions(turn.session, edition=turn.edition)
        if ChangeSet.from_json(sub.changes).is_empty
    ]
    before = {
        sub.id: (
            review_header(turn.session, sub, turn.tz),
            changes_body(sub),
            project_label(turn.session, sub),
        )
        for sub in unchanged
    }
    batch = approve_unchanged(turn.session, turn.edition, turn.coordinator, turn.now)
    decision = texts.REVIEW_APPROVED.format(name=esc(turn.coordinator.name), when=turn.when())
    told: dict[int, list[str]] = {}
    ending: Next | None = None
    for sub in batch.approved:
        header, body, label = before.get(sub.id) or (
            review_header(turn.session, sub, turn.tz),
            changes_body(sub),
            project_label(turn.session, sub),
        )  # a report handed in between the two reads
        update_copies(turn, sub, final_screen(header, body, decision))
        ending = ending or forget(turn, sub.id)
        for chat in outcome_chats(turn, sub):
            told.setdefault(chat, []).append(label)
    for chat, labels in told.items():
        text = counted(texts.CONTACT_APPROVED_UNCHANGED, len(labels), projects=", ".join(labels))
        turn.outbox.append(Outgoing(chat, Screen(text)))
    if not batch.approved and not batch.left:
        turn.toast = toast(texts.UNCHANGED_NONE)
        return then(ending, Screen(texts.UNCHANGED_NONE))
    done = counted(texts.UNCHANGED_APPROVED, len(batch.approved))
    turn.toast = toast(done)
    left = counted(texts.UNCHANGED_LEFT, batch.left) if batch.left else None
    return then(ending, Screen(paragraphs(done, left)))


def keep_open_step(sub_id: int) -> Step:
    """ "Abbrechen" under a conflict: the review again, nothing decided (the list of hand-ins
    again, if the conflict took a list's place)."""

    def step(turn: CoordTurn) -> Screen:
        sub = submission(turn, sub_id)
        return round_list(turn, sub, turn.message_id) or review_screen(turn.session, sub, turn.tz)

    return step


def recover_review(sub_id: int | None) -> Recover:
    """The answer when a decision failed: the conflict, or who decided first, or the error."""

    def recover(turn: CoordTurn, err: UserError) -> Answer:
        sub = submission_by_id(turn.session, sub_id)
        if sub is None:
            turn.toast = texts.REVIEW_GONE
            return then(forget(turn, sub_id), Screen(texts.REVIEW_GONE))
        if isinstance(err, Conflict) and sub.state is SubmissionState.SUBMITTED:
            turn.toast = toast(str(err))
            return conflict_screen(turn, sub)
        if sub.state is not SubmissionState.SUBMITTED:  # decided meanwhile, also by a racer
            turn.toast = toast(
                texts.REVIEW_IN_REVISION
                if sub.state is SubmissionState.DRAFT
                else texts.REVIEW_DECIDED
            )
            return then(forget(turn, sub_id), decided_screen(turn.session, sub, turn.tz))
        turn.toast = toast(str(err))
        turn.say(error_notice(err))
        return review_screen(turn.session, sub, turn.tz)

    return recover


def outcome_chats(turn: CoordTurn, sub: Submission) -> list[int]:
    """The chats of everyone who hears a decision: each contributor who can be reached
    (:func:`core.recipients.outcome_recipients`; issue 18: colleagues and departments of a
    shared project alike)."""
    return [
        c.telegram_user_id
        for c in outcome_recipients(turn.session, sub)
        if c.telegram_user_id is not None
    ]


def forget(turn: CoordTurn, sub_id: int | None) -> Next | None:
    """The end of a dialog about the submission (it was decided), if one is open."""
    if turn.conv.step is not CStep.IDLE and turn.conv.number("sub") == sub_id:
        return done(None)
    return None


def _open(turn: CoordTurn, sub_id: int | None) -> Submission:
    sub = submission(turn, sub_id)
    if sub.state is not SubmissionState.SUBMITTED:
        raise AlreadyDecided(texts.REVIEW_DECIDED)
    return sub


# -- Zurückgeben --------------------------------------------------------------------------------


def ask_return_step(sub_id: int) -> Step:
    """Zurückgeben: ask for the reason (in a new message; the review stays as it is)."""

    def step(turn: CoordTurn) -> Next:
        _open(turn, sub_id)
        turn.edit = False
        return go(CStep.RETURN_REASON, render_return_reason, sub=sub_id, message=turn.message_id)

    return step


def render_return_reason(turn: CoordTurn) -> Screen:
    """Ask why the submission goes back."""
    sub = _open(turn, turn.conv.number("sub"))
    question = texts.ASK_RETURN_REASON.format(project=project_label(turn.session, sub))
    return Screen(question, _cancel_only(turn))


def on_return_reason(turn: CoordTurn, text: str) -> Next:
    """The reason: the submission goes back to the contact, who reads it."""
    reason = clean_block(text, MAX_LONG_TEXT)
    sub = _open(turn, turn.conv.number("sub"))
    header, body = review_header(turn.session, sub, turn.tz), changes_body(sub)
    label = project_label(turn.session, sub)
    return_submission(turn.session, sub.id, turn.coordinator, reason, turn.now)
    decision = texts.REVIEW_RETURNED.format(
        name=esc(turn.coordinator.name), when=turn.when(), reason=esc(reason)
    )
    origin = turn.conv.number("message")
    update_copies(
        turn,
        sub,
        final_screen(header, body, decision),
        also=[(turn.chat_id, origin)] if origin is not None else [],
    )
    told = texts.CONTACT_RETURNED.format(project=label, reason=esc(reason))
    for chat in outcome_chats(turn, sub):
        turn.outbox.append(Outgoing(chat, Screen(told, (open_project_row(sub.project_id),))))
    return done(Screen(texts.RETURNED_DONE.format(project=label)))


# -- Bearbeiten ---------------------------------------------------------------------------------


def edit_step(sub_id: int) -> Step:
    """Bearbeiten: the change set's items, and what the coordinator may adjust."""

    def step(turn: CoordTurn) -> Next:
        _open(turn, sub_id)
        return go(CStep.REVIEW_EDIT, render_edit, sub=sub_id, message=turn.message_id)

    return step


def cancel_review(turn: CoordTurn) -> Next:
    """/abbrechen in a dialog about a submission: it ends; if it began in a list of hand-ins
    (Bearbeiten, Zurückgeben), that message shows the list again instead of the dialog."""
    origin = turn.conv.number("message")
    sub = submission_by_id(turn.session, turn.conv.number("sub"))
    listing = round_list(turn, sub, origin) if sub is not None else None
    if listing is None or origin is None:
        return cancelled(turn)
    if origin == turn.message_id:  # cancelled on the list's own message: the list is the answer
        return done(listing)
    turn.outbox.append(Outgoing(turn.chat_id, listing, edit_message_id=origin))
    return cancelled(turn)


def _draft(turn: CoordTurn) -> tuple[Submission, ChangeSet]:
    sub = _open(turn, turn.conv.number("sub"))
    return sub, ChangeSet.from_json(sub.changes)


def render_edit(turn: CoordTurn) -> Screen:
    """The items of the change set and the edit buttons."""
    sub, cs = _draft(turn)
    lines = screens.change_lines(sub.project, cs)
    rows: list[list[Spec]] = [
        [
            (texts.BTN_EDIT_REMARK, Act.EDIT_REMARK, None),
            (texts.BTN_EDIT_DESCRIPTION, Act.EDIT_DESCRIPTION, None),
        ],
        [(texts.BTN_EDIT_REMOVE, Act.EDIT_REMOVE, None)] if lines else [],
        [(texts.BTN_EDIT_DONE, Act.EDIT_DONE, None)],
    ]
    title = texts.REVIEW_EDIT_TITLE.format(title=esc_line(shorten(sub.project.title, 200)))
    return Screen(
        paragraphs(title, "\n".join(lines) or texts.REVIEW_EDIT_NONE, texts.REVIEW_EDIT_ASK),
        keyboard(turn.conv.next_screen(), rows),
    )


def render_edit_remark(turn: CoordTurn) -> Screen:
    """Show the remark as proposed and ask for the one to take over."""
    sub, cs = _draft(turn)
    proposed = cs.remark if cs.remark is not None else sub.project.remark.to_plain()
    return Screen(
        paragraphs(
            screens.current_text(texts.REVIEW_PROPOSED_REMARK, proposed), texts.ASK_REVIEW_REMARK
        ),
        _back_only(turn),
    )


def render_edit_description(turn: CoordTurn) -> Screen:
    """Show the description as proposed and ask for the one to take over."""
    sub, cs = _draft(turn)
    proposed = cs.description if cs.description is not None else sub.project.description.to_plain()
    return Screen(
        paragraphs(
            screens.current_text(texts.REVIEW_PROPOSED_DESCRIPTION, proposed),
            texts.ASK_REVIEW_DESCRIPTION,
        ),
        _back_only(turn),
    )


def render_edit_remove(turn: CoordTurn) -> Screen:
    """One button per item of the change set."""
    sub, cs = _draft(turn)
    keys = [k for k in turn.conv.pending.get("items", []) if k in item_keys(cs)]
    turn.conv.pending["items"] = keys
    rows: list[list[Spec]] = [
        [(screens.plain(screens.item_line(sub.project, cs, key)), Act.REMOVE_PICK, i)]
        for i, key in enumerate(keys)
    ]
    rows.append([(texts.BTN_BACK, Act.BACK, None)])
    return Screen(texts.ASK_REVIEW_REMOVE, keyboard(turn.conv.next_screen(), rows))


def on_edit_remark(turn: CoordTurn, b: CButton) -> Next:
    """Bemerkung."""
    return move(CStep.REVIEW_REMARK, render_edit_remark)


def on_edit_description(turn: CoordTurn, b: CButton) -> Next:
    """Beschreibung."""
    return move(CStep.REVIEW_DESCRIPTION, render_edit_description)


def on_edit_remove(turn: CoordTurn, b: CButton) -> Next:
    """Eintrag entfernen: offer the items."""
    _, cs = _draft(turn)
    turn.conv.pending["items"] = item_keys(cs)
    return move(CStep.REVIEW_REMOVE, render_edit_remove)


def on_remove_pick(turn: CoordTurn, b: CButton) -> Answer:
    """Take one item out of the change set."""
    sub, cs = _draft(turn)
    keys = turn.conv.pending.get("items", [])
    if b.number >= len(keys) or keys[b.number] not in item_keys(cs):
        turn.toast = texts.STALE_BUTTON
        return render_edit_remove(turn)
    line = screens.item_line(sub.project, cs, keys[b.number])
    remove_item(cs, keys[b.number])
    revise_submission(turn.session, sub.id, turn.coordinator, cs, turn.now)
    turn.say(texts.REMOVED.format(item=line))
    return move(CStep.REVIEW_EDIT, render_edit)


def on_back(turn: CoordTurn, b: CButton) -> Next:
    """◀ Zurück: the edit menu."""
    return move(CStep.REVIEW_EDIT, render_edit)


def on_edit_done(turn: CoordTurn, b: CButton) -> Next:
    """Fertig: the review message again, with Freigeben / Zurückgeben."""
    sub, _ = _draft(turn)
    return done(review_screen(turn.session, sub, turn.tz))


def _revise_text(attr: str) -> Callable[[CoordTurn, str], Answer]:
    def on_text(turn: CoordTurn, text: str) -> Answer:
        value = clean_rich_text(text, MAX_LONG_TEXT)
        sub, cs = _draft(turn)
        setattr(cs, attr, value)
        revise_submission(turn.session, sub.id, turn.coordinator, cs, turn.now)
        turn.say(texts.REVIEW_SAVED)
        return move(CStep.REVIEW_EDIT, render_edit)

    on_text.__doc__ = f"The {attr} as the coordinator wants it taken over."
    return on_text


on_remark_text = _revise_text("remark")
on_description_text = _revise_text("description")


def _cancel_only(turn: CoordTurn) -> Keyboard:
    return keyboard(turn.conv.next_screen(), [[(texts.BTN_CANCEL, Act.CANCEL, None)]])


def _back_only(turn: CoordTurn) -> Keyboard:
    return keyboard(turn.conv.next_screen(), [[(texts.BTN_BACK, Act.BACK, None)]])
