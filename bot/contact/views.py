"""The screen of each step, built for the current turn (one function per step).

Every render gives the screen new buttons (the conversation's screen counter goes up), so the
buttons of older screens become stale.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts
from bot.common import screens
from bot.common.callback_data import Action
from bot.common.screens import DONE_STATES, Screen, esc
from bot.contact import corrections, keyboards
from bot.contact.flow import ENTRY_STEP, QUESTION_STEPS, Step
from bot.contact.turn import Turn, tickable
from core.changes import MAX_SHORT_TEXT, ChangeSet
from core.dates import format_day
from core.models import Submission
from core.models import SubmissionState as State
from core.progress import contact_state_of, contact_states
from core.submissions import NotAllowed, last_edit_by_other, reports_by_others

PAGE_SIZE = 8


def render(turn: Turn, *, again: bool = False) -> Screen:
    """The screen of the current step with new buttons, so older screens become stale;
    ``again`` shows the same screen once more, its buttons as valid as before."""
    seq = turn.conv.seq if again else turn.conv.next_screen()
    try:
        screen = RENDER[turn.conv.step](turn, seq)
        if turn.conv.step in QUESTION_STEPS:  # which project, which step of the entry
            screen = Screen(screens.paragraphs(step_header(turn), screen.text), screen.keyboard)
    except NotAllowed as err:
        turn.say(esc(str(err)))
        turn.conv.project_id = None
        turn.conv.go(Step.OVERVIEW)
        screen = render_overview(turn, seq)
    notice = "\n".join(turn.notices) if turn.notices else None
    return screens.with_notice(notice, screen)


def where(turn: Turn) -> str:
    """The project and the step of the entry the contact is in: "1.1.3.1 · Schritt 2/4" (plain
    text)."""
    place = ENTRY_STEP.get(turn.conv.step)
    number = _number(turn)
    if place is None:
        return number
    return texts.WHERE_STEP.format(number=number, index=place[0], total=place[1])


def step_header(turn: Turn) -> str:
    """ "Projekt 1.1.3.1 · Schritt 2/4" above a question (HTML)."""
    place = ENTRY_STEP.get(turn.conv.step)
    number = esc(_number(turn))
    if place is None:
        return texts.PROJECT_HEADER.format(number=number)
    return texts.STEP_HEADER.format(number=number, index=place[0], total=place[1])


def _number(turn: Turn) -> str:
    """The current project's number in the walk-through, else its (short) title."""
    project_id = turn.conv.project_id
    position = turn.conv.position(project_id) if project_id is not None else None
    return position[2] if position else screens.shorten(turn.project().title, 30)


def resume_offer(turn: Turn) -> Screen:
    """Instead of dropping an unfinished entry (or the change menu of an unsent draft) on
    /start or /projekte: [Weiter bei …] and the overview; the step and its input stay."""
    seq = turn.conv.next_screen()
    place = where(turn)
    ask = texts.RESUME_DRAFT if turn.conv.step in _DRAFT_STEPS else texts.RESUME_ASK
    label = screens.shorten(texts.BTN_RESUME.format(where=place), 40)
    screen = Screen(ask.format(where=esc(place)), keyboards.resume(seq, label))
    notice = "\n".join(turn.notices) if turn.notices else None
    return screens.with_notice(notice, screen)


_DRAFT_STEPS = frozenset({Step.PROJECT, Step.CHANGES, Step.SUMMARY})


def labelled_buttons(turn: Turn) -> list[tuple[str, str]]:
    """The buttons (label, callback data) of the screen the contact sees now, rendered again
    with its current counter (for a typed label: it works as if tapped)."""
    screen = render(turn, again=True)
    return [button for row in screen.keyboard or () for button in row]


def render_idle(turn: Turn, seq: int) -> Screen:
    """Nothing going on."""
    return Screen("" if turn.notices else texts.IDLE, keyboards.idle(seq))


def render_overview(turn: Turn, seq: int) -> Screen:
    """The contact's projects for the edition, with the state of each report."""
    lines = turn.refresh_queue()
    ids = [line.project_id for line in lines]
    states = contact_states(turn.session, turn.edition, turn.contact, ids)
    rows = [
        (line.project_id, line.number, line.short_title or line.title, states.get(line.project_id))
        for line in lines
    ]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = turn.conv.page = min(max(turn.conv.page, 0), pages - 1)
    shown = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    any_open = any(state not in DONE_STATES for *_, state in rows)
    started = any(state is not None for *_, state in rows)
    buttons = [
        (pid, texts.OVERVIEW_BUTTON.format(title=screens.shorten(title, 40)))
        for pid, _, title, _ in shown
    ]
    keyboard = keyboards.overview(seq, buttons, page, pages, any_open, started)
    return screens.overview(format_day(turn.edition.cutoff), rows, page, PAGE_SIZE, keyboard)


def render_project(turn: Turn, seq: int) -> Screen:
    """The project card: the state of the report for the contact's departments; a shared
    project another department reported shows that report with [Passt so] / [Ergänzen]."""
    project = turn.project()
    latest = turn.latest(project)
    state = contact_state_of(turn.session, turn.edition, turn.contact, project, latest)
    position = turn.conv.position(project.id)
    handed_in = latest is not None and latest.state in DONE_STATES
    found = (
        reports_by_others(turn.session, turn.edition, project, turn.contact) if handed_in else None
    )
    if found is not None:
        sub, reports = found
        approved = sub.state is State.APPROVED
        keyboard = keyboards.foreign_report(seq, extendable=not approved)
        cs = ChangeSet.from_json(sub.changes)
        block = "\n".join(
            [
                texts.CARD_FOREIGN_HEAD,
                *(esc(r.text) for r in reports),
                *screens.change_lines(project, cs),
            ]
        )
        ask = texts.CARD_FOREIGN_APPROVED if approved else texts.CARD_FOREIGN_ASK
        return screens.project_card(project, position, state, None, keyboard, notes=(block, ask))
    cs = ChangeSet.from_json(latest.changes if latest else None)
    keyboard = keyboards.project(
        seq,
        editable=state is not State.APPROVED,
        offer_no_changes=cs.is_empty,
        revise=state in (State.SUBMITTED, State.RETURNED),
    )
    return screens.project_card(
        project,
        position,
        state,
        latest,
        keyboard,
        viewer=turn.contact.id,
        notes=(_last_edit(turn, latest),),
    )


def _last_edit(turn: Turn, sub: Submission | None) -> str | None:
    """ "Zuletzt bearbeitet von … am …" when a colleague changed the open draft last."""
    if sub is None or sub.state is State.APPROVED:
        return None
    line = last_edit_by_other(sub, turn.contact)
    return esc(line) if line else None


def render_changes(turn: Turn, seq: int) -> Screen:
    """The change menu."""
    project = turn.project()
    _, cs = turn.draft(project)
    keyboard = keyboards.changes(
        seq,
        planning=screens.is_planning(project, cs),
        can_tick=bool(tickable(project, cs)),
        has_items=not cs.is_empty,
    )
    return screens.changes_menu(
        project,
        turn.conv.position(project.id),
        cs,
        keyboard,
        viewer=turn.contact.id,
        notes=(_last_edit(turn, turn.draft(project)[0]),),
    )


def render_status(turn: Turn, seq: int) -> Screen:
    """The status list."""
    project = turn.project()
    _, cs = turn.draft(project)
    current = cs.new_status or project.status
    question = texts.ASK_STATUS.format(status=texts.STATUS[current])
    return screens.prompt(question, keyboards.statuses(seq, project.status))


def _ask(question: str, *extra: keyboards.Spec) -> Callable[[Turn, int], Screen]:
    def show(turn: Turn, seq: int) -> Screen:
        turn.project()  # rights, again
        return screens.prompt(question, keyboards.prompt(seq, turn.conv.step, extra))

    return show


def render_done_date(turn: Turn, seq: int) -> Screen:
    """Ask when the milestone was completed."""
    project = turn.project()
    _, cs = turn.draft(project)
    question = texts.ASK_PLANNING_DATE if screens.is_planning(project, cs) else texts.ASK_DONE_DATE
    return screens.prompt(question, keyboards.prompt(seq, Step.DONE_DATE))


def render_tick_pick(turn: Turn, seq: int) -> Screen:
    """The planned milestones to tick off."""
    turn.project()
    options = [screens.entry_label(d, str(t)) for d, t in turn.conv.pending.get("planned", [])]
    keyboard = keyboards.choices(seq, Step.TICK_PICK, Action.TICK_PICK, options)
    return screens.prompt(texts.ASK_TICK, keyboard)


def render_tick_date(turn: Turn, seq: int) -> Screen:
    """Ask when the planned milestone was completed."""
    turn.project()
    options, index = turn.conv.pending.get("planned", []), turn.conv.pending.get("tick")
    text = options[index][1] if isinstance(index, int) and 0 <= index < len(options) else ""
    question = texts.ASK_TICK_DATE.format(text=esc(screens.shorten(str(text), 80)))
    return screens.prompt(question, keyboards.prompt(seq, Step.TICK_DATE))


def render_gremium_name(turn: Turn, seq: int) -> Screen:
    """Ask for the Gremium, offering the ones seen before."""
    turn.project()
    names = [str(n) for n in turn.conv.pending.get("gremien", [])]
    keyboard = keyboards.choices(seq, Step.GREMIUM_NAME, Action.GREMIUM_PICK, names)
    return screens.prompt(texts.ASK_GREMIUM_NAME, keyboard)


def render_gremium_art(turn: Turn, seq: int) -> Screen:
    """Ask for the Vorlagenart."""
    turn.project()
    return screens.prompt(texts.ASK_GREMIUM_ART, keyboards.arts(seq))


def render_description(turn: Turn, seq: int) -> Screen:
    """Show the description and ask for the new one."""
    project = turn.project()
    return screens.prompt(
        texts.ASK_DESCRIPTION,
        keyboards.prompt(seq, Step.DESCRIPTION),
        screens.current_text(texts.CURRENT_DESCRIPTION, project.description.to_plain()),
    )


def render_summary(turn: Turn, seq: int) -> Screen:
    """Before → after, and Einreichen."""
    project = turn.project()
    _, cs = turn.draft(project)
    return screens.summary(
        project,
        cs,
        keyboards.summary(seq, can_submit=not cs.is_empty),
        viewer=turn.contact.id,
        notes=(_last_edit(turn, turn.draft(project)[0]),),
    )


def render_status_since(turn: Turn, seq: int) -> Screen:
    """Seit wann? – for the status just chosen: [heute], [diesen Monat] or a typed date."""
    project = turn.project()
    _, cs = turn.draft(project)
    status = cs.new_status or project.status
    keyboard = keyboards.prompt(
        seq,
        Step.STATUS_SINCE,
        (
            (texts.BTN_SINCE_TODAY, Action.SINCE_TODAY, None),
            (texts.BTN_SINCE_MONTH, Action.SINCE_MONTH, None),
        ),
    )
    return screens.prompt(texts.ASK_STATUS_SINCE.format(status=texts.STATUS[status]), keyboard)


RENDER: dict[Step, Callable[[Turn, int], Screen]] = {
    Step.IDLE: render_idle,
    Step.OVERVIEW: render_overview,
    Step.PROJECT: render_project,
    Step.CHANGES: render_changes,
    Step.STATUS: render_status,
    Step.STATUS_SINCE: render_status_since,
    Step.DROP_REASON: _ask(texts.ASK_DROP_REASON),
    Step.DONE_DATE: render_done_date,
    Step.DONE_TEXT: _ask(texts.ASK_DONE_TEXT.format(limit=MAX_SHORT_TEXT)),
    Step.TICK_PICK: render_tick_pick,
    Step.TICK_DATE: render_tick_date,
    Step.GREMIUM_DATE: _ask(texts.ASK_GREMIUM_DATE),
    Step.GREMIUM_NAME: render_gremium_name,
    Step.GREMIUM_ART: render_gremium_art,
    Step.GREMIUM_NR: _ask(texts.ASK_GREMIUM_NR, (texts.BTN_NO_NUMBER, Action.NO_NUMBER, None)),
    Step.PLANNED_DATE: _ask(texts.ASK_PLANNED_DATE, (texts.BTN_NO_DATE, Action.NO_DATE, None)),
    Step.PLANNED_TEXT: _ask(texts.ASK_PLANNED_TEXT.format(limit=MAX_SHORT_TEXT)),
    Step.REMARK: corrections.render_remark,
    Step.DESCRIPTION: render_description,
    Step.REMOVE: corrections.render_entries,
    Step.EDIT_VALUE: corrections.render_edit_value,
    Step.SUMMARY: render_summary,
}
