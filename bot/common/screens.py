"""What the contact sees: Telegram HTML built from :mod:`bot.texts` and escaped values.

Everything typed by a user or read from the database passes through :func:`esc` before it
goes into a message; nothing else is ever interpolated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot import texts
from bot.common.draft import entry_of, item_keys
from core.changes import Author, ChangeSet, NewConsultation, NewEntry
from core.fuzzydate import FuzzyDate
from core.models import Consultation, EntryKind, Project, ProjectEntry, Submission, SubmissionState
from core.status import Status
from core.texts import plural

CARD_ENTRIES = 3  # latest milestones/consultations on the project card
CARD_PLANNED = 5
CARD_REMARK = 600  # characters of the remark on the card
EXCERPT = 300  # characters of a long "before" text in the summary and prompts
#: A project counts as reported for the edition once its submission is in one of these states.
DONE_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


#: A keyboard as plain data: rows of (label, callback data).
Keyboard = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Screen:
    """One message as plain data: HTML text and an optional keyboard, rows of (label,
    callback data). No Telegram type: the adapter (:mod:`bot.common.sending`) makes the
    messenger's keyboard of it."""

    text: str
    keyboard: Keyboard | None = None


def esc(text: str) -> str:
    """Escape user or database text for Telegram HTML."""
    return html.escape(text, quote=False)


def esc_line(text: str) -> str:
    """Escape text that goes inside a tag, on one line (a split never cuts a tag apart)."""
    return esc(" ".join(text.split()))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…"."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def paragraphs(*parts: str | None) -> str:
    """Non-empty parts separated by blank lines (the places where long messages split)."""
    return "\n\n".join(p for p in parts if p)


_TAG = re.compile(r"<[^>]*>")


def plain(html_text: str) -> str:
    """The visible text of an HTML fragment (for button labels)."""
    return html.unescape(_TAG.sub("", html_text))


def counted(forms: tuple[str, str], count: int, **values: object) -> str:
    """The singular or plural form from ``texts``, filled with ``count`` (and ``values``)."""
    return plural(count, *forms).format(count=count, **values)


def with_notice(notice: str | None, screen: Screen) -> Screen:
    """``screen`` with a notice paragraph (already HTML) on top."""
    return Screen(paragraphs(notice, screen.text), screen.keyboard)


# -- building blocks ----------------------------------------------------------------------------


def fdate(value: FuzzyDate | str | None) -> str:
    """A fuzzy date as the report prints it (escaped); storage strings are accepted."""
    if value is None:
        return texts.UNDATED
    if isinstance(value, str):
        value = FuzzyDate.from_storage(value)
    return esc(value.format())


def entry_line(date: FuzzyDate | str | None, text: str) -> str:
    """ "• 31.12.2023 – text"."""
    if date is None:
        return texts.ENTRY_UNDATED.format(text=esc(text))
    return texts.ENTRY.format(date=fdate(date), text=esc(text))


def consultation_details(vorlagenart: str | None, nummer: str | None) -> str:
    """ ", Beschlussvorlage 057/2025" (escaped), or nothing."""
    details = " ".join(x for x in (vorlagenart, nummer) if x)
    return texts.CONSULTATION_DETAILS.format(details=esc(details)) if details else ""


def _consultation_line(c: Consultation) -> str:
    return texts.CONSULTATION.format(
        date=fdate(c.date),
        gremium=esc(c.gremium),
        details=consultation_details(c.vorlagenart, c.nummer),
    )


def _latest(lines: list[str], heading: str, count: int) -> str | None:
    if not lines:
        return None
    shown = lines[-count:]
    earlier = len(lines) - len(shown)
    head = [heading] + ([texts.CARD_EARLIER.format(count=earlier)] if earlier else [])
    return "\n".join(head + shown)


def status_line(project: Project) -> str:
    """ "Status: in Bearbeitung seit 01.10.2022"."""
    name = texts.STATUS[project.status]
    if project.status_since is None:
        return texts.CARD_STATUS_UNDATED.format(status=name)
    return texts.CARD_STATUS.format(status=name, since=project.status_since.format())


def _entries(project: Project, kind: EntryKind) -> list[ProjectEntry]:
    return sorted(project.entries_of(kind), key=lambda e: e.position)


def is_planning(project: Project, cs: ChangeSet | None = None) -> bool:
    """Completed steps of a project "in Planung" are planning steps, not milestones."""
    status = (cs.new_status if cs else None) or project.status
    return status is Status.IN_PLANUNG


# -- screens --------------------------------------------------------------------------------------


def position_line(position: tuple[int, int, str] | None) -> str | None:
    """ "Projekt 2 von 5 · Nr. 1.2.2.1"."""
    if position is None:
        return None
    index, total, number = position
    return texts.CARD_POSITION.format(index=index, total=total, number=esc_line(number))


def project_card(
    project: Project,
    position: tuple[int, int, str] | None,
    state: SubmissionState | None,
    submission: Submission | None,
    keyboard: Keyboard,
    *,
    viewer: int | None = None,
    notes: Sequence[str | None] = (),
) -> Screen:
    """The project as the report shows it now, the state of the department's report, and the
    changes entered so far (entries by someone else than ``viewer`` named); ``notes`` are
    paragraphs below (another department's report, the last editor: issue 18)."""
    done_kind = EntryKind.PLANNING if project.status is Status.IN_PLANUNG else EntryKind.DONE
    done = [entry_line(e.date, e.text) for e in _entries(project, done_kind)]
    planned = [entry_line(e.date, e.text) for e in _entries(project, EntryKind.PLANNED)]
    consultations = [_consultation_line(c) for c in project.consultations]
    heading = texts.CARD_PLANNING if done_kind is EntryKind.PLANNING else texts.CARD_DONE
    planned_block = None
    if planned:
        more = len(planned) - CARD_PLANNED
        tail = [texts.CARD_MORE.format(count=more)] if more > 0 else []
        planned_block = "\n".join([texts.CARD_PLANNED, *planned[:CARD_PLANNED], *tail])
    remark = (
        texts.CARD_REMARK.format(remark=esc(shorten(project.remark.words(), CARD_REMARK)))
        if project.remark
        else None
    )
    body = [
        _latest(done, heading, CARD_ENTRIES),
        _latest(consultations, texts.CARD_CONSULTATIONS, CARD_ENTRIES),
        planned_block,
        remark,
    ]
    if not any(body):
        body = [texts.CARD_NOTHING]
    head = "\n".join(
        x
        for x in (
            position_line(position),
            texts.CARD_TITLE.format(title=esc_line(project.title)),
            status_line(project),
            texts.CARD_DEPARTMENTS.format(departments=esc(", ".join(project.department_codes))),
        )
        if x
    )
    return Screen(
        paragraphs(head, *body, _report_state(project, state, submission, viewer), *notes),
        keyboard,
    )


def _report_state(
    project: Project,
    state: SubmissionState | None,
    submission: Submission | None,
    viewer: int | None = None,
) -> str:
    lines = [texts.CARD_STATE.format(state=texts.SUBMISSION_STATE[state])]
    if submission is None:
        return lines[0]
    if state is SubmissionState.APPROVED:  # the card above already shows the changes
        return "\n".join([*lines, texts.CARD_APPROVED])
    if state is SubmissionState.RETURNED and submission.return_reason:
        lines.append(texts.CARD_RETURNED.format(reason=esc(submission.return_reason)))
    cs = ChangeSet.from_json(submission.changes)
    if cs.no_changes and cs.is_empty:
        lines.append(texts.CARD_NO_CHANGES)
    elif not cs.is_empty:
        theirs = viewer is not None and any(a.by != viewer for a in cs.all_authors())
        heading = texts.CARD_DRAFT_SHARED if theirs else texts.CARD_DRAFT
        lines += [heading, *change_lines(project, cs, viewer=viewer)]
    return "\n".join(lines)


def overview(
    cutoff: str,
    rows: Sequence[tuple[int, str, str, SubmissionState | None]],
    page: int,
    page_size: int,
    keyboard: Keyboard,
) -> Screen:
    """The contact's projects with the state of each report, one page of them."""
    title = texts.OVERVIEW_TITLE.format(cutoff=esc(cutoff))
    if not rows:
        return Screen(paragraphs(title, texts.OVERVIEW_EMPTY), keyboard)
    done = sum(1 for *_, state in rows if state in DONE_STATES)
    pages = max(1, -(-len(rows) // page_size))
    start = page * page_size
    lines = [
        texts.OVERVIEW_LINE.format(
            index=i,
            number=esc_line(number),
            title=esc(shorten(title_, 80)),
            state=texts.SUBMISSION_STATE[state],
        )
        for i, (_, number, title_, state) in enumerate(rows, start=1)
        if start < i <= start + page_size
    ]
    paging = texts.OVERVIEW_PAGE.format(page=page + 1, pages=pages) if pages > 1 else None
    progress = texts.OVERVIEW_PROGRESS.format(done=done, total=len(rows))
    return Screen(paragraphs(f"{title}\n{progress}", "\n".join(lines), paging), keyboard)


def changes_menu(
    project: Project,
    position: tuple[int, int, str] | None,
    cs: ChangeSet,
    keyboard: Keyboard,
    *,
    viewer: int | None = None,
    notes: Sequence[str | None] = (),
) -> Screen:
    """The change menu with the changes entered so far (a colleague's named, and ``notes``
    such as who edited last)."""
    lines = change_lines(project, cs, viewer=viewer)
    return Screen(
        paragraphs(
            "\n".join(
                x
                for x in (
                    position_line(position),
                    texts.CHANGES_TITLE.format(title=esc_line(shorten(project.title, 200))),
                )
                if x
            ),
            "\n".join(lines) if lines else texts.CHANGES_NONE_YET,
            *notes,
            texts.CHANGES_ASK,
        ),
        keyboard,
    )


def prompt(question: str, keyboard: Keyboard, *context: str | None) -> Screen:
    """A question (HTML from texts), after optional context paragraphs."""
    return Screen(paragraphs(*context, question), keyboard)


def current_text(template: str, text: str) -> str:
    """ "Bisherige Bemerkung: …" with an excerpt of ``text``."""
    shown = esc(shorten(text, EXCERPT)) if text.strip() else texts.CURRENT_EMPTY
    return template.format(text=shown)


def summary(
    project: Project,
    cs: ChangeSet,
    keyboard: Keyboard,
    *,
    viewer: int | None = None,
    notes: Sequence[str | None] = (),
) -> Screen:
    """Exactly what will change, before → after, grouped like the report; with a ``viewer``
    (a contact), each entry someone else made names its author ("(Erika Muster)"), and
    ``notes`` (who edited last) come before the footer."""
    title = texts.SUMMARY_TITLE.format(title=esc_line(shorten(project.title, 200)))
    if cs.is_empty:
        return Screen(paragraphs(title, texts.SUMMARY_EMPTY), keyboard)
    blocks: list[str | None] = [title]

    def named(line: str, author: Author | None) -> str:
        return by_author(line, author, viewer)

    if cs.status is not None:
        status = [named(_status_item(project, cs), cs.authors.get("status"))]
        if cs.new_status is Status.ENTFALLEN and cs.drop_reason:
            status.append(texts.ITEM_DROP_REASON.format(reason=esc(cs.drop_reason)))
        blocks.append("\n".join([texts.SUMMARY_STATUS, *status]))
    groups = (
        (
            texts.SUMMARY_DONE,
            [named(_done_item(texts.ITEM_DONE, e), e.author) for e in cs.milestones_done],
        ),
        (
            texts.SUMMARY_PLANNING,
            [named(_done_item(texts.ITEM_PLANNING, e), e.author) for e in cs.planning_steps],
        ),
        (
            texts.SUMMARY_TICK,
            [
                named(
                    texts.ITEM_TICK.format(
                        planned=_entry_text(t.planned_date, t.planned_text), date=fdate(t.date)
                    ),
                    t.author,
                )
                for t in cs.completed_planned
            ],
        ),
        (
            texts.SUMMARY_CONSULTATIONS,
            [named(_consultation_item(c), c.author) for c in cs.consultations],
        ),
        (
            texts.SUMMARY_PLANNED,
            [named(_planned_item(e), e.author) for e in cs.milestones_planned],
        ),
    )
    blocks += ["\n".join([heading, *items]) for heading, items in groups if items]
    if cs.remark is not None:
        item = _text_item(texts.ITEM_REMARK, project.remark.to_plain(), cs.remark)
        blocks.append(f"{texts.SUMMARY_REMARK}\n{named(item, cs.authors.get('remark'))}")
    if cs.description is not None:
        item = _text_item(texts.ITEM_DESCRIPTION, project.description.to_plain(), cs.description)
        item = named(item, cs.authors.get("description"))
        blocks.append(f"{texts.SUMMARY_DESCRIPTION}\n{item}")
    blocks += [*notes, texts.SUMMARY_FOOTER]
    return Screen(paragraphs(*blocks), keyboard)


# -- one line per proposed change ----------------------------------------------------------------


def change_lines(project: Project, cs: ChangeSet, *, viewer: int | None = None) -> list[str]:
    """Every proposed change as one short line (the draft list and the removal buttons);
    with a ``viewer``, a line someone else entered names its author."""
    return [
        by_author(item_line(project, cs, key), author_of(cs, key), viewer) for key in item_keys(cs)
    ]


def author_of(cs: ChangeSet, key: str) -> Author | None:
    """Who made the change an item key names (None: not recorded)."""
    if key in ("status", "remark", "description"):
        return cs.authors.get(key)
    entry = entry_of(cs, key)
    return entry.author if entry is not None else None


def by_author(line: str, author: Author | None, viewer: int | None) -> str:
    """``line`` with "(name)" after it when ``viewer`` (a contact id) is not its author;
    unchanged without a viewer (the coordinator's view lists the contributors instead)."""
    if viewer is None or author is None or author.by == viewer:
        return line
    return texts.BY_AUTHOR.format(item=line, name=esc(author.by_name or texts.SOMEONE_ELSE))


def item_line(project: Project, cs: ChangeSet, key: str, *, short: bool = True) -> str:
    """The line for one item key of :mod:`bot.common.draft` (HTML); ``short=False`` keeps
    the texts whole (the list of entries to change, issue 18)."""
    name, _, index = key.partition(":")
    i = int(index) if index else 0
    match name:
        case "status":
            line = _status_item(project, cs)
            if cs.new_status is Status.ENTFALLEN and cs.drop_reason:
                reason = texts.ITEM_DROP_REASON.format(
                    reason=esc(shorten(cs.drop_reason, 60) if short else cs.drop_reason)
                )
                line = texts.ITEM_AND.format(item=line, more=reason)
            return line
        case "done":
            return _done_item(texts.ITEM_DONE, cs.milestones_done[i], short=short)
        case "planning":
            return _done_item(texts.ITEM_PLANNING, cs.planning_steps[i], short=short)
        case "tick":
            t = cs.completed_planned[i]
            return texts.ITEM_TICK.format(
                planned=_entry_text(
                    t.planned_date, shorten(t.planned_text, 60) if short else t.planned_text
                ),
                date=fdate(t.date),
            )
        case "consultation":
            return _consultation_item(cs.consultations[i], short=short)
        case "planned":
            return _planned_item(cs.milestones_planned[i], short=short)
        case "remark":
            return _text_item(
                texts.ITEM_REMARK, project.remark.to_plain(), cs.remark or "", short=short
            )
        case _:
            return _text_item(
                texts.ITEM_DESCRIPTION,
                project.description.to_plain(),
                cs.description or "",
                short=short,
            )


def _status_item(project: Project, cs: ChangeSet) -> str:
    after = cs.new_status or project.status
    before, after_name = texts.STATUS[project.status], texts.STATUS[after]
    if cs.status_since is not None:
        return texts.ITEM_STATUS_SINCE.format(
            before=before, after=after_name, since=fdate(cs.status_since)
        )
    return texts.ITEM_STATUS.format(before=before, after=after_name)


def entry_label(date: str | None, text: str) -> str:
    """ "2025 – text" as plain text (a button label)."""
    return plain(_entry_text(date, text))


def _entry_text(date: str | None, text: str) -> str:
    return texts.DATED.format(date=fdate(date), text=esc(text)) if date else esc(text)


def _done_item(template: str, e: NewEntry, *, short: bool = False) -> str:
    return template.format(date=fdate(e.date), text=esc(shorten(e.text, 60) if short else e.text))


def _planned_item(e: NewEntry, *, short: bool = False) -> str:
    text = esc(shorten(e.text, 60) if short else e.text)
    if e.date is None:
        return texts.ITEM_PLANNED_UNDATED.format(text=text)
    return texts.ITEM_PLANNED.format(date=fdate(e.date), text=text)


def _consultation_item(c: NewConsultation, *, short: bool = False) -> str:
    return texts.ITEM_CONSULTATION.format(
        date=fdate(c.date),
        gremium=esc(shorten(c.gremium, 60) if short else c.gremium),
        details=consultation_details(c.vorlagenart, c.nummer),
    )


def _quoted(text: str, limit: int) -> str:
    return texts.QUOTED.format(text=esc(shorten(text, limit))) if text else texts.CURRENT_EMPTY


def _text_item(template: str, before: str, after: str, *, short: bool = False) -> str:
    return template.format(
        before=_quoted(before, 40 if short else EXCERPT),
        after=_quoted(after, 40 if short else 10_000),
    )
