"""Projects for coordinators: the list, a project's view, editing, dropping, keeping, creating.

Every change is one call of :mod:`core.admin` (the services ``nhr project`` uses), audited as
the coordinator. Partial input of the dialogs lives in the stored dialog state.
"""

from __future__ import annotations

from bot import texts
from bot.common import screens
from bot.common.buttons import Spec, keyboard
from bot.common.callback_data import Act, CButton
from bot.common.dialog import clean_block, clean_line, clean_rich_text
from bot.common.screens import Keyboard, Screen, esc, paragraphs, shorten
from bot.coordinator.departments import read_codes, render_choice
from bot.coordinator.flow import CStep
from bot.coordinator.turn import CoordTurn, Next, Step, done, go
from core.admin import (
    drop_project,
    edit_project,
    get_project,
    keep_project,
    project_list,
)
from core.changes import MAX_LONG_TEXT, MAX_SHORT_TEXT
from core.dates import format_day
from core.models import Project
from core.numbering import project_number
from core.progress import project_states
from core.status import Status
from core.submissions import latest_submission

PAGE_SIZE = 10
TEXT_FIELDS = ("title", "short_title", "description", "municipalities")
_ATTR_ACTS = {
    Act.TITLE: "title",
    Act.SHORT_TITLE: "short_title",
    Act.DESCRIPTION: "description",
    Act.MUNICIPALITIES: "municipalities",
}
_NONE = ("-", "–", "—")

# -- list and view ------------------------------------------------------------------------------


def show_list(page: int) -> Step:
    """/projekte: every project of the edition, a page of them, with the report's state."""

    def step(turn: CoordTurn) -> Screen:
        rows = project_list(turn.session, turn.edition.cutoff)
        cutoff = esc(format_day(turn.edition.cutoff))
        new: list[list[Spec]] = [[(texts.BTN_NEW_PROJECT, Act.NEW, None)]]
        if not rows:
            return Screen(
                paragraphs(texts.PROJECTS_TITLE.format(cutoff=cutoff), texts.PROJECTS_EMPTY),
                keyboard(0, new),
            )
        states = project_states(turn.session, turn.edition, [r.id for r in rows])
        pages = -(-len(rows) // PAGE_SIZE)
        current = min(max(page, 0), pages - 1)
        shown = rows[current * PAGE_SIZE : (current + 1) * PAGE_SIZE]
        lines = [
            texts.PROJECTS_LINE.format(
                number=esc(r.number),
                title=esc(shorten(r.short_title, 60)),
                departments=esc(", ".join(r.departments)),
                state=texts.SUBMISSION_STATE[states.get(r.id)],
            )
            for r in shown
        ]
        buttons: list[list[Spec]] = [
            [(texts.PROJECTS_BUTTON.format(number=r.number, title=r.short_title), Act.VIEW, r.id)]
            for r in shown
        ]
        paging: list[Spec] = []
        if current > 0:
            paging.append((texts.BTN_PREVIOUS_PAGE.format(page=current), Act.PAGE, current - 1))
        if current + 1 < pages:
            paging.append((texts.BTN_NEXT_PAGE.format(page=current + 2), Act.PAGE, current + 1))
        page_line = texts.PROJECTS_PAGE.format(page=current + 1, pages=pages) if pages > 1 else None
        return Screen(
            paragraphs(texts.PROJECTS_TITLE.format(cutoff=cutoff), "\n".join(lines), page_line),
            keyboard(0, [*buttons, paging, *new]),
        )

    return step


def view_step(project_id: int) -> Step:
    """A project from the list."""
    return lambda turn: project_view(turn, project_id)


def project_view(turn: CoordTurn, project_id: int) -> Screen:
    """The project card as the contacts see it, with what the coordinator owns, and buttons."""
    project = get_project(turn.session, project_id)
    number = project_number(turn.session, turn.edition.cutoff, project)
    latest = latest_submission(turn.session, turn.edition, project)
    card = screens.project_card(project, None, latest.state if latest else None, latest, ())
    goal = project.goal.number if project.goal is not None else "–"
    head = (
        texts.PROJECT_HEAD.format(number=esc(number), id=project.id, goal=goal)
        if number
        else texts.PROJECT_HEAD_UNNUMBERED.format(id=project.id)
    )
    extra = [texts.PROJECT_SHORT.format(text=esc(project.short_title or "–"))]
    if project.municipalities.strip():
        extra.append(texts.PROJECT_MUNICIPALITIES.format(text=esc(project.municipalities)))
    if project.status is Status.ENTFALLEN:
        extra.append(texts.PROJECT_DROPPED.format(reason=esc(project.drop_reason or "–")))
    if project.keep_until is not None and project.keep_until >= turn.edition.cutoff:
        extra.append(texts.PROJECT_KEPT.format(until=format_day(project.keep_until)))
    return Screen(paragraphs(head, card.text, "\n".join(extra)), _view_keyboard(project, number))


def _view_keyboard(project: Project, number: str | None) -> Keyboard:
    pid = project.id
    rows: list[list[Spec]] = [
        [(texts.BTN_TITLE, Act.TITLE, pid), (texts.BTN_SHORT_TITLE, Act.SHORT_TITLE, pid)],
        [
            (texts.BTN_PROJECT_DESCRIPTION, Act.DESCRIPTION, pid),
            (texts.BTN_MUNICIPALITIES, Act.MUNICIPALITIES, pid),
        ],
        [(texts.BTN_DEPARTMENTS, Act.DEPARTMENTS, pid)],
        [(texts.BTN_DROP, Act.DROP, pid)] if project.status is not Status.ENTFALLEN else [],
        [(texts.BTN_KEEP, Act.KEEP, pid)] if project.status is Status.UMGESETZT else [],
        [(texts.BTN_REPORT, Act.REPORT, pid)] if number else [],
        [(texts.BTN_ALL_PROJECTS, Act.PAGE, 0)],
    ]
    return keyboard(0, rows)


def _cancel(turn: CoordTurn, *extra: list[Spec]) -> Keyboard:
    return keyboard(turn.conv.next_screen(), [*extra, [(texts.BTN_CANCEL, Act.CANCEL, None)]])


def _project(turn: CoordTurn) -> Project:
    return get_project(turn.session, turn.conv.number("project") or 0)


def _done(turn: CoordTurn, notice: str) -> Next:
    """Back to the project's view after a change (a new message); the dialog ends."""
    turn.say(notice)
    return done(project_view(turn, turn.conv.number("project") or 0))


# -- titles, description, Kommunen ---------------------------------------------------------------


def ask_text_step(b: CButton) -> Step:
    """Titel, Kurztitel, Beschreibung or Kommunen: show the current text, ask for the new."""

    def step(turn: CoordTurn) -> Next:
        get_project(turn.session, b.number)
        turn.edit = False
        return go(CStep.PROJECT_TEXT, render_text, project=b.number, attr=_ATTR_ACTS[b.act])

    return step


def render_text(turn: CoordTurn) -> Screen:
    """The current value and the question."""
    project, attr = _project(turn), turn.conv.text("attr") or "title"
    current = getattr(project, attr) or ""
    shown = esc(shorten(current, screens.EXCERPT)) if current.strip() else texts.CURRENT_EMPTY
    return Screen(
        paragraphs(
            texts.CURRENT_PROJECT_TEXT[attr].format(text=shown),
            texts.ASK_PROJECT_TEXT[attr].format(limit=MAX_SHORT_TEXT),
        ),
        _cancel(turn),
    )


def on_text(turn: CoordTurn, text: str) -> Next:
    """The new value: saved with ``core.admin.edit_project``."""
    attr = turn.conv.text("attr")
    if attr not in TEXT_FIELDS:
        return done(Screen(texts.COORD_CANCELLED))
    if attr == "description":
        value = clean_rich_text(text, MAX_LONG_TEXT)
    elif attr == "municipalities" and text.strip() in _NONE:
        value = ""
    else:
        value = clean_line(text, MAX_SHORT_TEXT)
    edit_project(turn.session, turn.auditor(), _project(turn).id, **{attr: value})
    return _done(turn, texts.SAVED_PROJECT_TEXT[attr])


# -- departments --------------------------------------------------------------------------------


def ask_departments_step(project_id: int) -> Step:
    """Abteilungen: choose the responsible departments, starting from the current ones."""

    def step(turn: CoordTurn) -> Next:
        project = get_project(turn.session, project_id)
        return go(
            CStep.PROJECT_DEPARTMENTS,
            render_departments,
            project=project_id,
            codes=list(project.department_codes),
        )

    return step


def render_departments(turn: CoordTurn) -> Screen:
    """The department choice for the project."""
    title = f"<b>{esc(shorten(_project(turn).title, 120))}</b>"
    return render_choice(turn, texts.ASK_DEPARTMENTS, texts.BTN_TAKE, title)


def take_departments(turn: CoordTurn) -> Next:
    """Übernehmen: the chosen departments become responsible."""
    codes = turn.conv.codes()
    edit_project(turn.session, turn.auditor(), _project(turn).id, department_codes=codes)
    return _done(turn, texts.SAVED_DEPARTMENTS.format(codes=esc(", ".join(codes))))


def on_departments_text(turn: CoordTurn, text: str) -> Next:
    """Codes typed instead of tapped."""
    read_codes(turn, text)
    return take_departments(turn)


# -- entfallen, länger zeigen -------------------------------------------------------------------


def ask_drop_step(project_id: int) -> Step:
    """Entfallen lassen: ask for the reason the archive shows."""

    def step(turn: CoordTurn) -> Next:
        get_project(turn.session, project_id)
        turn.edit = False
        return go(CStep.DROP_REASON, render_drop, project=project_id)

    return step


def render_drop(turn: CoordTurn) -> Screen:
    """Why is the project dropped?"""
    title = esc(shorten(_project(turn).title, 120))
    return Screen(texts.ASK_DROP.format(title=title), _cancel(turn))


def on_drop_reason(turn: CoordTurn, text: str) -> Next:
    """The reason: the project is dropped (``core.admin.drop_project``)."""
    reason = clean_block(text, MAX_LONG_TEXT)
    project = drop_project(
        turn.session, turn.auditor(), _project(turn).id, reason, today=turn.today
    )
    return _done(turn, texts.DROPPED.format(title=esc(shorten(project.title, 120))))


def ask_keep_step(project_id: int) -> Step:
    """Eine Ausgabe länger zeigen: asked once more, so a double tap keeps it only once."""

    def step(turn: CoordTurn) -> Next:
        get_project(turn.session, project_id)
        return go(CStep.KEEP_CONFIRM, render_keep, project=project_id)

    return step


def render_keep(turn: CoordTurn) -> Screen:
    """Really keep it?"""
    title = esc(shorten(_project(turn).title, 120))
    return Screen(
        texts.ASK_KEEP.format(title=title),
        _cancel(turn, [(texts.BTN_KEEP_YES, Act.KEEP_YES, None)]),
    )


def on_keep_yes(turn: CoordTurn, b: CButton) -> Next:
    """Ja: ``core.admin.keep_project``."""
    project = _project(turn)
    until = keep_project(turn.session, turn.auditor(), project.id, today=turn.today)
    turn.edit = True
    return _done(
        turn, texts.KEPT.format(title=esc(shorten(project.title, 120)), until=format_day(until))
    )
