"""The conversational steps: one small function per button and per typed answer.

Each step reads the input, calls one ``core`` service, leaves a notice and moves the
conversation on; :func:`bot.contact.views.render` then shows the screen of the step it is in.
Everything runs inside the caller's unit of work (one transaction per update), synchronously,
so a step and the conversation state it leaves are saved together or not at all.

Rights are never taken from callback data: every project access goes through
``core.permissions.get_project_for`` / ``core.drafts.start_draft``, which check the contact's
departments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from bot import texts
from bot.common import screens
from bot.common.callback_data import NO_ART, Action, Button, decode
from bot.common.dialog import (
    DateInputError,
    UserError,
    clean_block,
    clean_line,
    clean_rich_text,
    read_since,
)
from bot.common.dialog import read_date as parse_date
from bot.common.draft import item_keys, remove_item
from bot.common.screens import DONE_STATES, Screen, esc
from bot.contact import corrections
from bot.contact.flow import BACK, TEXT_STEPS, Step, accepts
from bot.contact.turn import Turn, tickable
from bot.contact.views import labelled_buttons, render, resume_offer
from core.changes import (
    MAX_LONG_TEXT,
    MAX_NUMMER,
    MAX_SHORT_TEXT,
    VORLAGENARTEN,
    ChangeSet,
    CompletedPlanned,
    NewConsultation,
    NewEntry,
    since_this_month,
    since_today,
)
from core.dates import format_day
from core.drafts import confirm_report, extend_report, save_changes
from core.fuzzydate import FuzzyDate
from core.gremien import known_gremien
from core.permissions import get_project_for
from core.progress import contact_states
from core.schedule import ScheduleConfig, plan
from core.status import Status
from core.submissions import NotAllowed, SubmissionError, reports_by_others
from core.texts import FUZZY_DATE_MORE_MESSAGES, plural

KNOWN_GREMIEN = 6
StepFn = Callable[[Turn], Screen]
DID_YOU_MEAN = FUZZY_DATE_MORE_MESSAGES["did_you_mean"]  # the date reader's suggestion, a button


# -- dispatch -----------------------------------------------------------------------------------


def press(turn: Turn, button: Button | None) -> Screen:
    """A button press. A button of an older screen (or unreadable data) only gets a toast: the
    current screen, unchanged and with its buttons still valid, stays where it is
    (``turn.stale``); a button the current screen does not show gets the screen again."""
    conv = turn.conv
    if button is None or button.seq != conv.seq:
        turn.toast, turn.stale = texts.STALE_TOAST, True
        return render(turn, again=True)
    if not accepts(conv.step, button.action):
        turn.toast = texts.STALE_BUTTON
        return render(turn)
    return _guarded(turn, lambda: BUTTONS[button.action](turn, button))


def type_text(turn: Turn, text: str) -> Screen:
    """Typed text: the label of a button on the current screen works as if tapped; otherwise
    the answer to the current question, or one line of hint where buttons are expected (the
    screen above stays, so it is not posted again)."""
    step = turn.conv.step
    tapped = typed_button(turn, text) if step is not Step.IDLE else None
    if tapped is not None:
        return press(turn, decode(tapped))
    if step is Step.IDLE:
        turn.say(texts.IDLE)
        return render(turn)
    if step not in TEXT_STEPS:
        return Screen(texts.TAP_A_BUTTON)
    return _guarded(turn, lambda: TEXTS[step](turn, text))


_NOT_WORD = re.compile(r"[^\w\s]")
_MAX_LABEL = 64  # longer texts are answers, never a button's label


def _words(text: str) -> str:
    """A label or a typed text without case, emoji, arrows and punctuation."""
    return " ".join(_NOT_WORD.sub(" ", text.replace("’", "").replace("'", "")).casefold().split())


def typed_button(turn: Turn, text: str) -> str | None:
    """The callback data of the visible button whose label ``text`` names ("keine änderungen",
    "zurück", "Übersicht"; on a button screen also the start of a label, and "weiter" for the
    screen's way forward), if exactly one fits. Where a text is asked for, only a whole label
    counts, so an answer is never mistaken for a button."""
    typed = _words(text)
    if not typed or len(text) > _MAX_LABEL:
        return None
    buttons = turn.conv.buttons
    if buttons is None:  # a conversation stored before the buttons were kept
        buttons = [(_words(label), data) for label, data in labelled_buttons(turn)]
    exact = [data for words, data in buttons if words == typed]
    if exact or turn.conv.step in TEXT_STEPS:
        return exact[0] if len(exact) == 1 else None
    starting = [data for words, data in buttons if words.startswith(typed + " ")]
    if len(starting) == 1:
        return starting[0]
    if typed in texts.TYPED_FORWARD:
        forward = [data for _, data in buttons if _action(data) in _FORWARD]
        return forward[0] if len(forward) == 1 else None
    return None


_FORWARD: Final = frozenset({Action.RESUME, Action.GO, Action.NEXT})


def shown_buttons(screen: Screen) -> list[tuple[str, str]]:
    """The buttons of ``screen`` as :func:`typed_button` looks them up: (label words, data)."""
    return [(_words(label), data) for row in screen.keyboard or () for label, data in row]


def _action(data: str) -> Action | None:
    button = decode(data)
    return button.action if button else None


def show_overview_or_resume(turn: Turn, notice: str | None = None) -> Screen:
    """/start and /projekte: the overview, unless that would drop work: in the middle of an
    entry, or with unsent changes of the open project, [Weiter bei …] is offered first."""
    if notice:
        turn.say(notice)
    return resume_offer(turn) if has_work(turn) else show_overview(turn)


def has_work(turn: Turn) -> bool:
    """Whether leaving the current step would lose the contact's place: in the middle of an
    entry, or at the project with changes not yet handed in."""
    conv = turn.conv
    if conv.project_id is None or conv.step in (Step.IDLE, Step.OVERVIEW):
        return False
    try:
        project = turn.project()
    except NotAllowed:
        return False
    if conv.step in (Step.PROJECT, Step.CHANGES, Step.SUMMARY):  # work only if a draft holds some
        return not turn.draft(project)[1].is_empty
    return True


def welcome(name: str, departments: str, publisher: str, config: ScheduleConfig) -> StepFn:
    """The first screen after an invitation: three lines (what for, by when, how long), then
    the overview. ``name`` and ``departments`` are escaped already."""

    def step(turn: Turn) -> Screen:
        count = len(turn.refresh_queue())
        notice = texts.WELCOME_FIRST.format(
            name=name,
            departments=departments,
            publisher=esc(publisher),
            deadline=format_day(plan(turn.edition.cutoff, config).deadline),
            projects=plural(count, *texts.PROJECTS_COUNT).format(count=count),
        )
        return show_overview(turn, notice)

    return step


def show_current(turn: Turn) -> Screen:
    """The current step's screen again (after /hilfe), with new buttons."""
    return render(turn)


def open_returned(project_id: int) -> StepFn:
    """The button under "Ihre Meldung wurde zurückgegeben": that project's card, which shows
    the reason (the overview if it is no longer the contact's)."""

    def step(turn: Turn) -> Screen:
        turn.refresh_queue()
        turn.conv.page = 0
        try:
            turn.conv.go(open_project(turn, project_id))
        except NotAllowed as err:
            return show_overview(turn, esc(str(err)))
        turn.say(texts.RETURNED_OPENED)
        return render(turn)

    return step


def show_overview(turn: Turn, notice: str | None = None) -> Screen:
    """/projekte, the scheduler's prompt button and a fresh /start: the overview, page 1."""
    if notice:
        turn.say(notice)
    turn.conv.page = 0
    turn.conv.project_id = None
    turn.conv.go(Step.OVERVIEW)
    return render(turn)


def cancel(turn: Turn) -> Screen:
    """/abbrechen: leave; everything entered stays in the draft."""
    turn.conv.go(Step.IDLE)
    turn.say(texts.CANCELLED)
    return render(turn)


def _guarded(turn: Turn, step: Callable[[], Step | None]) -> Screen:
    """Run a button's or a text's step; it returns where the conversation goes next (None:
    it stays). A user error goes to the turn runner: rolled back, answered by recover()."""
    following = step()
    turn.conv.pending.pop("suggest", None)  # a date suggestion holds for one answer only
    if following is not None:
        turn.conv.go(following)
    return render(turn)


def recover(turn: Turn, err: UserError) -> Screen:
    """The answer to a step that failed with a user error, in a fresh transaction (the failed
    step left nothing): the error, and where the conversation goes on."""
    turn.say(esc(str(err)))
    turn.conv.pending.pop("suggest", None)
    if (
        isinstance(err, DateInputError)
        and err.suggestion
        and accepts(turn.conv.step, Action.TAKE_DATE)
    ):
        turn.conv.pending["suggest"] = err.suggestion
        label = DID_YOU_MEAN.format(reading=err.suggestion)
        return corrections.with_button(turn, render(turn), label, Action.TAKE_DATE)
    if isinstance(err, NotAllowed):
        turn.conv.project_id = None
        turn.conv.go(Step.OVERVIEW)
    elif isinstance(err, SubmissionError):
        turn.conv.go(Step.PROJECT if turn.conv.project_id is not None else Step.OVERVIEW)
    return render(turn)


# -- buttons ------------------------------------------------------------------------------------


def on_overview(turn: Turn, b: Button) -> Step | None:
    """Übersicht (a page of it)."""
    turn.conv.page = b.number
    turn.conv.project_id = None
    return Step.OVERVIEW


def on_resume(turn: Turn, b: Button) -> Step | None:
    """Weiter bei …: the interrupted step's screen again, its input kept."""
    return None


def on_back(turn: Turn, b: Button) -> Step | None:
    """Zurück: one step up."""
    return BACK[turn.conv.step]


def on_go(turn: Turn, b: Button) -> Step | None:
    """Los geht's: the first project not yet reported."""
    return _advance(turn, after=None)


def on_open(turn: Turn, b: Button) -> Step | None:
    """One project from the overview."""
    if b.number not in {pid for pid, _ in turn.conv.queue}:
        raise NotAllowed(texts.NOT_YOURS)
    get_project_for(turn.session, turn.contact, b.number)
    turn.conv.project_id = b.number
    return Step.PROJECT


def open_project(turn: Turn, project_id: int) -> Step:
    """A project's card by its id, as the coordination's "Meldung eintragen" opens it
    (:class:`NotAllowed` if it is not in the contact's list)."""
    following = on_open(turn, Button(turn.conv.seq, Action.OPEN, project_id))
    return following or turn.conv.step


def on_no_changes(turn: Turn, b: Button) -> Step | None:
    """Keine Änderungen: reported in one tap, on to the next project."""
    project = turn.project()
    sub, cs = turn.open_draft(project)
    if not cs.is_empty:  # the card offers the button only while nothing is entered
        turn.toast = texts.STALE_BUTTON
        return None
    save_changes(turn.session, sub, ChangeSet(no_changes=True), turn.contact, turn.now)
    turn.hand_in(sub)
    turn.say(texts.NO_CHANGES_SAVED.format(title=esc(screens.shorten(project.title, 80))))
    return _advance(turn, after=project.id)


def on_edit(turn: Turn, b: Button) -> Step | None:
    """Änderungen eintragen / Meldung ändern."""
    turn.closed_if_approved(turn.project())
    return Step.CHANGES


def on_next(turn: Turn, b: Button) -> Step | None:
    """Überspringen."""
    return _advance(turn, after=turn.conv.project_id)


def on_status(turn: Turn, b: Button) -> Step | None:
    """Status ändern."""
    return Step.STATUS


def on_set_status(turn: Turn, b: Button) -> Step | None:
    """A status from the list; "entfallen" asks for the reason first."""
    project = turn.project()
    status = b.status
    if status is Status.ENTFALLEN and project.status is not Status.ENTFALLEN:
        return Step.DROP_REASON
    if status is project.status:
        sub, cs = turn.draft(project)
        if sub is not None and cs.status is not None:
            turn.change(lambda c: remove_item(c, "status"))
        turn.say(texts.SAVED_STATUS_KEPT.format(status=texts.STATUS[status]))
    else:
        turn.change(lambda c: _set_status(c, status, None))
        turn.say(texts.SAVED_STATUS.format(status=texts.STATUS[status]))
        return Step.STATUS_SINCE
    return Step.CHANGES


def _set_status(cs: ChangeSet, status: Status, reason: str | None) -> None:
    cs.status, cs.status_since, cs.drop_reason = status.value, None, reason


def _save_since(turn: Turn, since: FuzzyDate) -> Step | None:
    """ "Seit wann?" answered: the new status holds since ``since`` (as precise as given)."""
    _, cs = turn.draft(turn.project())
    if cs.new_status is None:  # the status was taken out meanwhile
        turn.toast = texts.STALE_BUTTON
        return Step.CHANGES
    turn.change(lambda c: setattr(c, "status_since", since.storage()))
    turn.say(
        texts.SAVED_STATUS_SINCE.format(
            status=texts.STATUS[cs.new_status], since=esc(since.format())
        )
    )
    return Step.CHANGES


def on_since_today(turn: Turn, b: Button) -> Step | None:
    """Seit wann? – heute."""
    return _save_since(turn, since_today(turn.now))


def on_since_month(turn: Turn, b: Button) -> Step | None:
    """Seit wann? – diesen Monat."""
    return _save_since(turn, since_this_month(turn.now))


def on_done(turn: Turn, b: Button) -> Step | None:
    """Meilenstein (or Planungsschritt) erledigt: first the date."""
    return turn.conv.begin(Step.DONE_DATE)


def on_tick(turn: Turn, b: Button) -> Step | None:
    """Geplanten abhaken: offer the planned milestones not yet ticked off."""
    project = turn.project()
    options = tickable(project, turn.draft(project)[1])
    if not options:
        turn.say(texts.ASK_TICK_NONE)
        return None
    return turn.conv.begin(Step.TICK_PICK, planned=options)


def on_tick_pick(turn: Turn, b: Button) -> Step | None:
    """The planned milestone that is done; then its date."""
    if b.number >= len(turn.conv.pending.get("planned", [])):
        turn.toast = texts.STALE_BUTTON
        return None
    turn.conv.pending["tick"] = b.number
    return Step.TICK_DATE


def on_consultation(turn: Turn, b: Button) -> Step | None:
    """Gremium: first the date."""
    return turn.conv.begin(Step.GREMIUM_DATE)


def on_gremium_pick(turn: Turn, b: Button) -> Step | None:
    """A Gremium from the offered names."""
    names = turn.conv.pending.get("gremien", [])
    if b.number >= len(names):
        turn.toast = texts.STALE_BUTTON
        return None
    turn.conv.pending["gremium"] = str(names[b.number])
    return Step.GREMIUM_ART


def on_art(turn: Turn, b: Button) -> Step | None:
    """The Vorlagenart, or none."""
    if b.arg != NO_ART and b.number >= len(VORLAGENARTEN):
        turn.toast = texts.STALE_BUTTON
        return None
    turn.conv.pending["art"] = None if b.arg == NO_ART else VORLAGENARTEN[b.number]
    return Step.GREMIUM_NR


def on_no_number(turn: Turn, b: Button) -> Step | None:
    """ohne Nummer: the consultation is complete."""
    return _save_consultation(turn, None)


def on_planned(turn: Turn, b: Button) -> Step | None:
    """Geplanter Meilenstein: first the date."""
    return turn.conv.begin(Step.PLANNED_DATE)


def on_no_date(turn: Turn, b: Button) -> Step | None:
    """ohne Datum: straight to the text."""
    turn.conv.pending["date"] = None
    return Step.PLANNED_TEXT


def on_remark(turn: Turn, b: Button) -> Step | None:
    """Bemerkung (replaced unless "Ergänzen" is chosen)."""
    return turn.conv.begin(Step.REMARK)


def on_clear_remark(turn: Turn, b: Button) -> Step | None:
    """Bemerkung entfernen."""
    turn.change(lambda c: setattr(c, "remark", ""))
    turn.say(texts.SAVED_REMARK_CLEARED)
    return Step.CHANGES


def on_description(turn: Turn, b: Button) -> Step | None:
    """Beschreibung."""
    return Step.DESCRIPTION


def on_remove(turn: Turn, b: Button) -> Step | None:
    """Eintrag entfernen: offer the entered changes."""
    _, cs = turn.draft(turn.project())
    return turn.conv.begin(Step.REMOVE, items=item_keys(cs))


def on_remove_item(turn: Turn, b: Button) -> Step | None:
    """Take one entered change out again."""
    keys = turn.conv.pending.get("items", [])
    project = turn.project()
    _, cs = turn.draft(project)
    if b.number >= len(keys) or keys[b.number] not in item_keys(cs):
        turn.toast = texts.STALE_BUTTON
        return None
    line = screens.item_line(project, cs, keys[b.number])
    turn.change(lambda c: remove_item(c, keys[b.number]))
    turn.say(texts.REMOVED.format(item=line))
    return Step.CHANGES


def on_summary(turn: Turn, b: Button) -> Step | None:
    """Zusammenfassung."""
    return Step.SUMMARY


def on_submit(turn: Turn, b: Button) -> Step | None:
    """Einreichen: the submission waits for the coordinator; on to the next project."""
    project = turn.project()
    sub, cs = turn.draft(project)
    if sub is None or cs.is_empty:
        turn.say(texts.NOTHING_TO_SUBMIT)
        return Step.CHANGES
    turn.hand_in(sub)
    turn.say(texts.SUBMITTED.format(title=esc(screens.shorten(project.title, 80))))
    return _advance(turn, after=project.id)


def on_confirm_report(turn: Turn, b: Button) -> Step | None:
    """Passt so: another department's report of a shared project holds for the contact's
    departments too (also when it is approved already); on to the next project."""
    project = turn.project()
    found = reports_by_others(turn.session, turn.edition, project, turn.contact)
    if found is None:
        turn.toast = texts.STALE_BUTTON
        return None
    sub, _ = found
    confirm_report(turn.session, sub, turn.contact, turn.now)
    turn.redraw.append((sub, False))  # its review message names the department too
    turn.say(texts.CONFIRMED_REPORT.format(title=esc(screens.shorten(project.title, 80))))
    return _advance(turn, after=project.id)


def on_extend_report(turn: Turn, b: Button) -> Step | None:
    """Ergänzen: another department's handed-in report goes back to editing for the contact
    to add to it (its entries and the other department's hand-in stay); the change menu."""
    project = turn.project()
    found = reports_by_others(turn.session, turn.edition, project, turn.contact)
    if found is None:
        turn.toast = texts.STALE_BUTTON
        return None
    extend_report(turn.session, found[0], turn.contact, turn.now)
    turn.redraw.append((found[0], True))  # no deciding on it while it is being added to
    turn.say(texts.EXTENDING_REPORT)
    return Step.CHANGES


BUTTONS: dict[Action, Callable[[Turn, Button], Step | None]] = {
    Action.OVERVIEW: on_overview, Action.BACK: on_back, Action.GO: on_go, Action.OPEN: on_open,
    Action.NO_CHANGES: on_no_changes, Action.EDIT: on_edit, Action.NEXT: on_next,
    Action.STATUS: on_status, Action.SET_STATUS: on_set_status, Action.DONE: on_done,
    Action.TICK: on_tick, Action.TICK_PICK: on_tick_pick, Action.CONSULTATION: on_consultation,
    Action.GREMIUM_PICK: on_gremium_pick, Action.ART: on_art, Action.NO_NUMBER: on_no_number,
    Action.PLANNED: on_planned, Action.NO_DATE: on_no_date, Action.REMARK: on_remark,
    Action.CLEAR_REMARK: on_clear_remark, Action.DESCRIPTION: on_description,
    Action.REMOVE: on_remove, Action.REMOVE_ITEM: on_remove_item, Action.SUMMARY: on_summary,
    Action.SUBMIT: on_submit, Action.RESUME: on_resume,
    Action.EDIT_ITEM: corrections.on_edit_item, Action.EDIT_FIELD: corrections.on_edit_field,
    Action.REPLACE_LAST: corrections.on_replace_last,
    Action.REMARK_APPEND: corrections.on_remark_append,
    Action.REMARK_REPLACE: corrections.on_remark_replace,
    Action.CONFIRM_REPORT: on_confirm_report, Action.EXTEND_REPORT: on_extend_report,
    Action.SINCE_TODAY: on_since_today, Action.SINCE_MONTH: on_since_month,
}  # fmt: skip


# -- typed answers ------------------------------------------------------------------------------


def _understood(turn: Turn, text: str) -> str:
    value = parse_date(text, turn.today)
    turn.say(texts.UNDERSTOOD_AS.format(date=esc(value.format())))
    return value.storage()


def on_drop_reason(turn: Turn, text: str) -> Step | None:
    """Why the project is dropped."""
    reason = clean_block(text, MAX_LONG_TEXT)
    turn.change(lambda c: _set_status(c, Status.ENTFALLEN, reason))
    turn.say(texts.SAVED_STATUS.format(status=texts.STATUS[Status.ENTFALLEN]))
    return Step.STATUS_SINCE


def on_done_date(turn: Turn, text: str) -> Step | None:
    """When the milestone was completed."""
    turn.conv.pending["date"] = _understood(turn, text)
    return Step.DONE_TEXT


def on_done_text(turn: Turn, text: str) -> Step | None:
    """What was completed: the milestone goes into the draft."""
    done_on = turn.conv.pending.get("date")
    if not isinstance(done_on, str):
        return Step.DONE_DATE
    entry = NewEntry(done_on, clean_line(text, MAX_SHORT_TEXT))
    project = turn.project()

    def add(cs: ChangeSet) -> None:
        target = cs.planning_steps if screens.is_planning(project, cs) else cs.milestones_done
        target.append(entry)

    turn.change(add)
    turn.say(texts.SAVED_DONE.format(date=screens.fdate(entry.date), text=esc(entry.text)))
    return Step.CHANGES


def on_tick_date(turn: Turn, text: str) -> Step | None:
    """When the ticked-off planned milestone was completed."""
    options, index = turn.conv.pending.get("planned", []), turn.conv.pending.get("tick")
    if not isinstance(index, int) or not 0 <= index < len(options):
        return Step.CHANGES
    planned_date, planned_text = options[index]
    done_on = parse_date(text, turn.today)
    tick = CompletedPlanned(str(planned_text), planned_date, done_on.storage())
    turn.change(lambda c: c.completed_planned.append(tick))
    turn.say(
        texts.SAVED_TICK.format(
            text=esc(screens.shorten(tick.planned_text, 80)), date=esc(done_on.format())
        )
    )
    return Step.CHANGES


def on_gremium_date(turn: Turn, text: str) -> Step | None:
    """When the committee met; then offer the Gremien seen so far."""
    turn.conv.pending["date"] = _understood(turn, text)
    turn.conv.pending["gremien"] = known_gremien(turn.session, KNOWN_GREMIEN)
    return Step.GREMIUM_NAME


def on_gremium_name(turn: Turn, text: str) -> Step | None:
    """The Gremium, typed."""
    turn.conv.pending["gremium"] = clean_line(text, MAX_SHORT_TEXT)
    return Step.GREMIUM_ART


def on_gremium_nr(turn: Turn, text: str) -> Step | None:
    """The Vorlage's number: the consultation is complete."""
    return _save_consultation(turn, clean_line(text, MAX_NUMMER))


def _save_consultation(turn: Turn, nummer: str | None) -> Step | None:
    pending = turn.conv.pending
    held, gremium, art = pending.get("date"), pending.get("gremium"), pending.get("art")
    if not isinstance(held, str) or not isinstance(gremium, str):
        return Step.GREMIUM_DATE
    entry = NewConsultation(held, gremium, art if isinstance(art, str) else None, nummer)
    turn.change(lambda c: c.consultations.append(entry))
    turn.say(texts.SAVED_CONSULTATION.format(date=screens.fdate(held), gremium=esc(gremium)))
    return Step.CHANGES


def on_planned_date(turn: Turn, text: str) -> Step | None:
    """When the milestone is planned."""
    turn.conv.pending["date"] = _understood(turn, text)
    return Step.PLANNED_TEXT


def on_planned_text(turn: Turn, text: str) -> Step | None:
    """What is planned: the planned milestone goes into the draft."""
    planned_on = turn.conv.pending.get("date")
    entry = NewEntry(
        planned_on if isinstance(planned_on, str) else None, clean_line(text, MAX_SHORT_TEXT)
    )
    turn.change(lambda c: c.milestones_planned.append(entry))
    if entry.date is None:
        turn.say(texts.SAVED_PLANNED_UNDATED.format(text=esc(entry.text)))
    else:
        turn.say(texts.SAVED_PLANNED.format(date=screens.fdate(entry.date), text=esc(entry.text)))
    return Step.CHANGES


def on_remark_text(turn: Turn, text: str) -> Step | None:
    """The new remark, or the addition to the current one ("Ergänzen")."""
    typed = clean_rich_text(text, MAX_LONG_TEXT)
    remark = corrections.remark_with_base(turn, typed)
    turn.change(lambda c: setattr(c, "remark", remark))
    turn.say(texts.SAVED_REMARK if remark == typed else texts.SAVED_REMARK_APPENDED)
    return Step.CHANGES


def on_status_since_text(turn: Turn, text: str) -> Step | None:
    """Seit wann?, typed: a day, month, quarter or year up to today."""
    return _save_since(turn, read_since(text, turn.today))


def on_description_text(turn: Turn, text: str) -> Step | None:
    """The new description."""
    description = clean_rich_text(text, MAX_LONG_TEXT)
    turn.change(lambda c: setattr(c, "description", description))
    turn.say(texts.SAVED_DESCRIPTION)
    return Step.CHANGES


TEXTS: dict[Step, Callable[[Turn, str], Step | None]] = {
    Step.DROP_REASON: on_drop_reason, Step.DONE_DATE: on_done_date,
    Step.DONE_TEXT: on_done_text, Step.TICK_DATE: on_tick_date,
    Step.GREMIUM_DATE: on_gremium_date, Step.GREMIUM_NAME: on_gremium_name,
    Step.GREMIUM_NR: on_gremium_nr, Step.PLANNED_DATE: on_planned_date,
    Step.PLANNED_TEXT: on_planned_text, Step.REMARK: on_remark_text,
    Step.DESCRIPTION: on_description_text, Step.EDIT_VALUE: corrections.on_edit_value,
    Step.STATUS_SINCE: on_status_since_text,
}  # fmt: skip


def on_take_date(turn: Turn, b: Button) -> Step | None:
    """Meinten Sie „…“?: the suggested reading answers the date question."""
    reading = turn.conv.pending.pop("suggest", None)
    if not isinstance(reading, str) or turn.conv.step not in TEXTS:
        turn.toast = texts.STALE_BUTTON
        return None
    return TEXTS[turn.conv.step](turn, reading)


BUTTONS[Action.TAKE_DATE] = on_take_date


# -- corrections (issue 18) ----------------------------------------------------------------------


def type_answer(turn: Turn, text: str, message_id: int) -> Screen:
    """Typed text as :func:`type_text` takes it, remembering the message as the last answer
    (an edit of it replaces its value); on the change menu, a text that looks like a
    corrected last answer is offered as its replacement."""
    conv = turn.conv
    step = conv.step
    if step not in TEXT_STEPS:
        offer = corrections.offer_replace(turn, text)
        if offer is None:
            return type_text(turn, text)
        turn.say(offer)
        return corrections.with_button(
            turn, render(turn), texts.BTN_REPLACE_LAST, Action.REPLACE_LAST
        )
    before = corrections.draft_keys(turn) if corrections.keys_matter(step) else []
    pending = dict(conv.pending)
    screen = type_text(turn, text)
    corrections.remember_answer(turn, message_id, step, before, pending)
    return screen


def take_edited(turn: Turn, message_id: int, text: str) -> Screen:
    """An edited message: the last answer's value replaced ("Korrigiert: …") and the current
    screen; for an older message a one-line hint (the screen and its buttons stay)."""
    shown = corrections.take_edit(turn, message_id, text)
    if shown is None:
        # Only a hint, no turn of the conversation: a coordinator's open dialog keeps the
        # typed text (bot.coordinator.turn.wants_text compares the turn counters).
        turn.conv.turns -= 1
        return Screen(texts.EDIT_OLDER)
    turn.say(corrections.corrected(shown))
    return render(turn)


# -- moving through the projects ----------------------------------------------------------------


def _advance(turn: Turn, after: int | None) -> Step | None:
    """To the next project not yet reported (after ``after``, wrapping), else the overview."""
    if not turn.conv.queue:
        turn.refresh_queue()
    ids = [pid for pid, _ in turn.conv.queue]
    states = contact_states(turn.session, turn.edition, turn.contact, ids)
    start = ids.index(after) + 1 if after in ids else 0
    for pid in ids[start:] + ids[:start]:
        if pid != after and states.get(pid) not in DONE_STATES:
            turn.conv.project_id = pid
            return Step.PROJECT
    if all(states.get(pid) in DONE_STATES for pid in ids):
        turn.say(texts.ALL_DONE)
    turn.conv.project_id = None
    turn.conv.page = 0
    return Step.OVERVIEW


__all__ = [
    "Turn",
    "cancel",
    "has_work",
    "open_returned",
    "press",
    "render",
    "show_current",
    "show_overview",
    "show_overview_or_resume",
    "type_text",
]
