"""One handled update as the steps see it: the transaction, the contact, the conversation.

:class:`Turn` also caches what several steps of one update ask for (the project, its newest
submission), so an update costs only a few queries. Rights are checked in ``core`` on every
access; nothing is taken from callback data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot import texts
from bot.contact.flow import Conv
from core.changes import ChangeSet
from core.drafts import save_changes, start_draft, submit
from core.models import Contact, Edition, EntryKind, Project, Submission
from core.models import SubmissionState as State
from core.permissions import ProjectLine, contact_project_lines, get_project_for
from core.submissions import OPEN_STATES, AlreadyDecided, NotAllowed, latest_submission

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class Turn:
    """One handled update: the transaction, who, where they stand, and what to tell them."""

    session: Session
    contact: Contact
    conv: Conv
    edition: Edition
    now: datetime
    today: date
    notices: list[str] = field(default_factory=list)
    toast: str | None = None
    stale: bool = False  # a button of an older screen: only the toast, the screen stays
    handed_in: list[Submission] = field(default_factory=list)  # announced after the commit
    first_hand_ins: set[int] = field(default_factory=set)  # ids of those never handed in before
    #: handed-in reports another department confirmed or reopened: the coordinators' copies
    #: are shown anew after the commit (the round lists too, if they show the change)
    redraw: list[tuple[Submission, bool]] = field(default_factory=list)
    _project: Project | None = field(default=None, repr=False)
    _latest: dict[int, Submission | None] = field(default_factory=dict, repr=False)

    def say(self, notice: str) -> None:
        """Show ``notice`` (HTML) above the next screen."""
        self.notices.append(notice)

    def project(self) -> Project:
        """The current project, if the contact may change it (checked in core, once per turn)."""
        if self.conv.project_id is None:
            raise NotAllowed(texts.NOT_YOURS)
        if self._project is None or self._project.id != self.conv.project_id:
            self._project = get_project_for(self.session, self.contact, self.conv.project_id)
        return self._project

    def latest(self, project: Project) -> Submission | None:
        """The project's newest submission for the edition, in any state."""
        if project.id not in self._latest:
            self._latest[project.id] = latest_submission(self.session, self.edition, project)
        return self._latest[project.id]

    def draft(self, project: Project) -> tuple[Submission | None, ChangeSet]:
        """The project's open submission and its change set (empty if there is none)."""
        latest = self.latest(project)
        sub = latest if latest is not None and latest.state in OPEN_STATES else None
        return sub, ChangeSet.from_json(sub.changes if sub else None)

    def open_draft(self, project: Project) -> tuple[Submission, ChangeSet]:
        """The open submission, started now if there is none; approved ones stay closed."""
        self.closed_if_approved(project)
        sub, cs = self.draft(project)
        if sub is None:
            none_yet = self.latest(project) is None  # looked up in this turn
            sub = start_draft(
                self.session, self.edition, project, self.contact, self.now, none_yet=none_yet
            )
            self._latest[project.id] = sub
        return sub, cs

    def change(self, mutate: Callable[[ChangeSet], object]) -> ChangeSet:
        """Apply ``mutate`` to the draft (created on first change) and save it."""
        sub, cs = self.open_draft(self.project())
        mutate(cs)
        cs.no_changes = False
        save_changes(self.session, sub, cs, self.contact, self.now)
        return cs

    def hand_in(self, sub: Submission) -> None:
        """Hand the draft in (:func:`core.drafts.submit`), to be announced after the commit."""
        first = sub.submitted_at is None  # no review message of it exists to be outdated
        submit(self.session, sub, self.contact, self.now)
        self.handed_in.append(sub)
        if first:
            self.first_hand_ins.add(sub.id)

    def refresh_queue(self) -> list[ProjectLine]:
        """The contact's projects for the edition, in number order; remembered as the walk."""
        lines = contact_project_lines(self.session, self.contact, self.edition.cutoff)
        self.conv.queue = [(line.project_id, line.number) for line in lines]
        return lines

    def closed_if_approved(self, project: Project) -> None:
        """Raise if the project's report for this edition is already approved."""
        latest = self.latest(project)
        if latest is not None and latest.state is State.APPROVED:
            raise AlreadyDecided(texts.APPROVED_CLOSED)


def tickable(project: Project, cs: ChangeSet) -> list[list[str | None]]:
    """The project's planned milestones not yet ticked off in the draft, as [date, text]."""
    ticked = {(t.planned_date, t.planned_text) for t in cs.completed_planned}
    options: list[list[str | None]] = []
    for e in sorted(project.entries_of(EntryKind.PLANNED), key=lambda e: e.position):
        key = (e.date.storage() if e.date else None, e.text)
        if key not in ticked:
            options.append([key[0], key[1]])
    return options
