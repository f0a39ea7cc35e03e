"""/projekt_neu: a new project step by step (Themenfeld → Ziel → Titel → Kurztitel →
Abteilungen), created with ``core.admin.create_project``; every answer is kept in the dialog."""

from __future__ import annotations

from bot import texts
from bot.common.buttons import Spec, keyboard
from bot.common.callback_data import Act, CButton
from bot.common.dialog import clean_line
from bot.common.screens import Keyboard, Screen, esc, paragraphs
from bot.coordinator.departments import read_codes, render_choice
from bot.coordinator.flow import CStep
from bot.coordinator.projects import project_view
from bot.coordinator.turn import Answer, CoordTurn, Next, done, go, move
from core.admin import active_goals, create_project, fields_in_order
from core.changes import MAX_SHORT_TEXT
from core.dates import format_day
from core.models import Goal
from core.numbering import project_number


def _cancel(turn: CoordTurn, *extra: list[Spec]) -> Keyboard:
    return keyboard(turn.conv.next_screen(), [*extra, [(texts.BTN_CANCEL, Act.CANCEL, None)]])


def start_new(turn: CoordTurn) -> Next:
    """/projekt_neu: Themenfeld → Ziel → Titel → Kurztitel → Abteilungen."""
    return go(CStep.NEW_FIELD, render_new_field)


def render_new_field(turn: CoordTurn) -> Screen:
    """The Themenfelder."""
    fields = fields_in_order(turn.session)
    rows: list[list[Spec]] = [[(f"{f.number} {f.title}", Act.FIELD, f.number)] for f in fields]
    return Screen(texts.NEW_ASK_FIELD, _cancel(turn, *rows))


def on_field(turn: CoordTurn, b: CButton) -> Next:
    """A Themenfeld: then its goals."""
    turn.conv.pending["field"] = b.number
    return move(CStep.NEW_GOAL, render_new_goal)


def _goals(turn: CoordTurn) -> list[Goal]:
    return active_goals(turn.session, turn.conv.number("field"))


def render_new_goal(turn: CoordTurn) -> Answer:
    """The active goals of the Themenfeld (none: back to the Themenfelder)."""
    goals = _goals(turn)
    if not goals:
        turn.say(texts.NEW_NO_GOALS)
        return move(CStep.NEW_FIELD, render_new_field)
    rows: list[list[Spec]] = [[(f"{g.number} {g.text}", Act.GOAL, g.id)] for g in goals]
    return Screen(texts.NEW_ASK_GOAL, _cancel(turn, *rows))


def on_goal(turn: CoordTurn, b: CButton) -> Answer:
    """A goal: then the title."""
    goal = next((g for g in _goals(turn) if g.id == b.number), None)
    if goal is None:
        turn.toast = texts.STALE_BUTTON
        return render_new_goal(turn)
    turn.conv.pending["goal"] = goal.number
    return move(CStep.NEW_TITLE, render_new_title)


def _chosen(turn: CoordTurn) -> str:
    return texts.NEW_CHOSEN.format(
        field=turn.conv.number("field"), goal=esc(turn.conv.text("goal") or "–")
    )


def render_new_title(turn: CoordTurn) -> Screen:
    """Ask for the title."""
    return Screen(
        paragraphs(_chosen(turn), texts.NEW_ASK_TITLE.format(limit=MAX_SHORT_TEXT)), _cancel(turn)
    )


def on_new_title(turn: CoordTurn, text: str) -> Next:
    """The title: then the short title."""
    turn.conv.pending["title"] = clean_line(text, MAX_SHORT_TEXT)
    return move(CStep.NEW_SHORT, render_new_short)


def render_new_short(turn: CoordTurn) -> Screen:
    """Ask for the short title (or take the title)."""
    same: list[Spec] = [(texts.BTN_SAME_AS_TITLE, Act.SAME_AS_TITLE, None)]
    title = esc(turn.conv.text("title") or "")
    return Screen(
        paragraphs(f"{_chosen(turn)}\n<b>{title}</b>", texts.NEW_ASK_SHORT), _cancel(turn, same)
    )


def on_new_short(turn: CoordTurn, text: str) -> Next:
    """The short title: then the departments."""
    return _short_title(turn, clean_line(text, MAX_SHORT_TEXT))


def on_same_as_title(turn: CoordTurn, b: CButton) -> Next:
    """ "wie der Titel"."""
    return _short_title(turn, turn.conv.text("title") or "")


def _short_title(turn: CoordTurn, short_title: str) -> Next:
    turn.conv.pending["short_title"] = short_title
    turn.conv.pending.setdefault("codes", [])
    return move(CStep.NEW_DEPARTMENTS, render_new_departments)


def render_new_departments(turn: CoordTurn) -> Screen:
    """The departments of the new project."""
    return render_choice(turn, texts.NEW_ASK_DEPARTMENTS, texts.BTN_CREATE, _chosen(turn))


def create(turn: CoordTurn) -> Next:
    """Anlegen: ``core.admin.create_project``, then the new project's view."""
    pending = turn.conv.pending
    project = create_project(
        turn.session,
        turn.auditor(),
        field_number=turn.conv.number("field") or 0,
        goal_number=str(pending.get("goal", "")),
        title=str(pending.get("title", "")),
        short_title=str(pending.get("short_title", "")),
        department_codes=turn.conv.codes(),
        today=turn.today,
    )
    number = project_number(turn.session, turn.edition.cutoff, project) or "–"
    turn.say(
        texts.NEW_CREATED.format(
            title=esc(project.title), number=esc(number), cutoff=format_day(turn.edition.cutoff)
        )
    )
    return done(project_view(turn, project.id))


def on_new_departments_text(turn: CoordTurn, text: str) -> Next:
    """Codes typed instead of tapped: the project is created."""
    read_codes(turn, text)
    return create(turn)
