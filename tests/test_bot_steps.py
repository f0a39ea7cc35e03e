"""The conversation steps on a real database (SQLite and PostgreSQL), without Telegram.

Each call is one update in one transaction, exactly as the handlers run it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.bot_seed import FakeClock, SmallReport, add_contact, seed_small_report

from bot import texts
from bot.common.callback_data import Action, Button, encode
from bot.common.roles import is_bound
from bot.common.screens import Screen
from bot.contact import steps
from bot.contact.flow import Conv, Step
from bot.contact.transaction import Reply, run_turn
from bot.contact.turn import Turn
from core.approval import approve
from core.changes import ChangeSet, NewEntry
from core.editions import collecting_edition
from core.models import Contact, Conversation, Project, Role, Submission, SubmissionState
from core.submissions import SubmissionError

ANNA = 1001
BERLIN = ZoneInfo("Europe/Berlin")


class Chat:
    """One contact talking to the steps: numbered updates, buttons of the latest screen."""

    def __init__(self, sessions: sessionmaker[Session], clock: FakeClock, user: int = ANNA):
        self.sessions, self.clock, self.user = sessions, clock, user
        self.update_id = 0
        self.last: Reply | None = None

    def run(self, step: Callable[[Turn], Screen], update_id: int | None = None) -> Reply:
        """One update; ``update_id`` repeats an earlier one (a redelivery)."""
        if update_id is None:
            self.update_id += 1
            update_id = self.update_id
        reply = run_turn(self.sessions, self.clock, BERLIN, self.user, update_id, step)
        assert reply is not None
        self.last = reply
        return reply

    def conv(self) -> Conv:
        with self.sessions() as session:
            row = session.get(Conversation, self.user)
            assert row is not None
            return Conv.from_json(row.state, row.data)

    def press(
        self, action: Action, arg: int | str | None = None, *, seq: int | None = None
    ) -> Reply:
        button = Button(self.conv().seq if seq is None else seq, action, arg)
        return self.run(lambda t: steps.press(t, button))

    def type(self, text: str) -> Reply:
        return self.run(lambda t: steps.type_text(t, text))

    def labels(self) -> list[str]:
        assert self.last is not None and self.last.screen.keyboard is not None
        return [text for row in self.last.screen.keyboard for text, _ in row]


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
    return seeded


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def anna(sessions: sessionmaker[Session], clock: FakeClock, report: SmallReport) -> Chat:
    chat = Chat(sessions, clock)
    chat.run(steps.show_overview)
    return chat


def draft(sessions: sessionmaker[Session], project_id: int) -> tuple[SubmissionState, ChangeSet]:
    with sessions() as session:
        sub = session.scalars(select(Submission).where(Submission.project_id == project_id)).one()
        return sub.state, ChangeSet.from_json(sub.changes)


def test_the_overview_lists_the_contacts_projects_in_number_order(anna: Chat) -> None:
    assert anna.last is not None
    assert anna.last.step is Step.OVERVIEW
    assert [number for _, number in anna.conv().queue] == ["1.1.2.1", "1.2.2.1", "1.2.3.1"]
    assert anna.labels()[-1] == texts.BTN_START


def test_an_update_delivered_again_only_shows_the_current_screen(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    anna.press(Action.DONE)
    anna.type("2024")
    anna.type("Erledigt")
    repeated = anna.update_id

    seq = anna.conv().seq

    again = anna.run(lambda t: steps.type_text(t, "Erledigt"), update_id=repeated)

    assert again.step is Step.CHANGES
    assert anna.conv().seq == seq  # the screen the user has keeps working
    assert draft(sessions, report.projects["waerme"])[1].milestones_done == [
        NewEntry("2024", "Erledigt")
    ]


def test_a_button_of_an_older_screen_is_stale_and_changes_nothing(anna: Chat) -> None:
    old = anna.conv().seq
    anna.press(Action.GO)

    reply = anna.press(Action.OPEN, anna.conv().queue[2][0], seq=old)

    assert reply.toast == texts.STALE_TOAST and reply.stale  # issue 18: the toast only
    assert reply.step is Step.PROJECT and anna.conv().project_id == anna.conv().queue[0][0]


def test_a_button_the_current_screen_does_not_show_is_refused_even_with_the_right_counter(
    anna: Chat,
) -> None:
    reply = anna.press(Action.SUBMIT)

    assert reply.toast == texts.STALE_BUTTON
    assert reply.step is Step.OVERVIEW


def test_opening_a_project_outside_the_contacts_list_is_refused(
    anna: Chat, report: SmallReport
) -> None:
    reply = anna.press(Action.OPEN, report.projects["kantine"])

    assert reply.screen.text.startswith(texts.NOT_YOURS)
    assert "Regionale Kantine" not in reply.screen.text
    assert reply.step is Step.OVERVIEW


def test_a_project_taken_away_from_the_department_is_no_longer_shown(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    anna.press(Action.GO)
    with sessions.begin() as session:
        project = session.get_one(Project, report.projects["waerme"])
        project.department_links[0].department_id = report.departments["70.02"]

    reply = anna.press(Action.EDIT)

    assert reply.screen.text.startswith(texts.NOT_YOURS)
    assert reply.step is Step.OVERVIEW
    assert "Wärmeplanung" not in reply.screen.text


def test_keine_aenderungen_is_refused_once_changes_were_entered(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    anna.press(Action.REMARK)
    anna.type("Neu")
    anna.press(Action.BACK)

    reply = anna.press(Action.NO_CHANGES)

    assert reply.toast == texts.STALE_BUTTON
    assert draft(sessions, report.projects["waerme"]) == (
        SubmissionState.DRAFT,
        ChangeSet(remark="Neu"),
    )


def test_choosing_the_current_status_again_takes_the_status_change_back(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    anna.press(Action.STATUS)
    anna.press(Action.SET_STATUS, "um")
    anna.press(Action.SINCE_TODAY)  # "Seit wann?" (issue 18)
    anna.press(Action.STATUS)

    reply = anna.press(Action.SET_STATUS, "ib")

    assert "Der Status bleibt „in Bearbeitung“." in reply.screen.text
    assert draft(sessions, report.projects["waerme"])[1].status is None


def test_a_completed_step_of_a_project_in_planung_is_a_planning_step(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    anna.press(Action.OPEN, report.projects["scouts"])
    anna.press(Action.EDIT)
    assert texts.BTN_PLANNING in anna.labels()
    anna.press(Action.DONE)

    anna.type("Mai 2025")
    anna.type("Erste Schulung")

    assert draft(sessions, report.projects["scouts"])[1].planning_steps == [
        NewEntry("2025-05", "Erste Schulung")
    ]


def test_the_text_step_without_its_date_goes_back_to_the_date(
    anna: Chat, sessions: sessionmaker[Session]
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    anna.press(Action.DONE)
    with sessions.begin() as session:
        row = session.get_one(Conversation, ANNA)
        row.state, row.data = "done_text", {**row.data, "pending": {}}

    reply = anna.type("Text ohne Datum")

    assert reply.step is Step.DONE_DATE


def test_a_new_edition_starts_the_conversation_over_at_the_overview(
    anna: Chat, clock: FakeClock
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    clock.set(datetime(2025, 10, 2, 8, 0, tzinfo=UTC))

    reply = anna.press(Action.DONE)

    assert reply.screen.text.startswith(texts.EDITION_CHANGED)
    assert "Report Stand 01.04.2026" in reply.screen.text
    assert reply.step is Step.OVERVIEW


def test_an_approved_report_cannot_be_changed_any_more(
    anna: Chat, sessions: sessionmaker[Session], clock: FakeClock, report: SmallReport
) -> None:
    anna.press(Action.GO)
    anna.press(Action.EDIT)
    anna.press(Action.REMARK)
    anna.type("Neu")
    anna.press(Action.SUMMARY)
    anna.press(Action.SUBMIT)
    with sessions.begin() as session:
        boss = add_contact(session, "Koordination", [], role=Role.COORDINATOR)
        sub = session.scalars(select(Submission)).one()
        approve(session, sub.id, boss, clock.now())
    anna.press(Action.OVERVIEW, 0)
    anna.press(Action.OPEN, report.projects["waerme"])

    assert texts.BTN_EDIT not in anna.labels() and texts.BTN_REVISE not in anna.labels()
    reply = anna.press(Action.EDIT)  # forged: the card does not offer it
    assert reply.screen.text.startswith(texts.APPROVED_CLOSED)
    assert reply.step is Step.PROJECT


def test_a_revoked_contact_gets_no_turn(
    anna: Chat, sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    with sessions.begin() as session:
        session.scalars(select(Contact)).one().active = False

    assert run_turn(sessions, clock, BERLIN, ANNA, 99, steps.show_overview) is None
    assert not is_bound(sessions, ANNA)


def test_a_stale_screen_counter_cannot_be_guessed_by_encoding_it_again(anna: Chat) -> None:
    data = encode(anna.conv().seq + 5, Action.GO)

    reply = anna.run(lambda t: steps.press(t, Button(anna.conv().seq + 5, Action.GO)))

    assert data.startswith("n1:")
    assert reply.toast == texts.STALE_TOAST


def test_the_collecting_edition_is_created_on_first_use(
    sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    with sessions.begin() as session:
        edition = collecting_edition(session, clock.now().date())
        assert edition.cutoff.isoformat() == "2025-10-01"


def test_a_returned_report_shows_the_reason_and_can_be_revised_and_submitted_again(
    anna: Chat, sessions: sessionmaker[Session], clock: FakeClock, report: SmallReport
) -> None:
    from core.approval import return_submission

    anna.press(Action.GO)
    anna.press(Action.NO_CHANGES)
    with sessions.begin() as session:
        boss = add_contact(session, "Koordination", [], role=Role.COORDINATOR)
        sub = session.scalars(select(Submission)).one()
        return_submission(session, sub.id, boss, "Bitte den <Stand> nennen.", clock.now())
    anna.press(Action.OVERVIEW, 0)

    card = anna.press(Action.OPEN, report.projects["waerme"])
    card_buttons = anna.labels()
    anna.press(Action.EDIT)
    anna.press(Action.REMARK)
    anna.type("Stand: Ausschreibung läuft.")
    anna.press(Action.SUMMARY)
    anna.press(Action.SUBMIT)

    assert "Meldung: <i>zurückgegeben</i>" in card.screen.text
    assert "Zurückgegeben mit Begründung: Bitte den &lt;Stand&gt; nennen." in card.screen.text
    assert texts.BTN_REVISE in card_buttons
    assert draft(sessions, report.projects["waerme"]) == (
        SubmissionState.SUBMITTED,
        ChangeSet(remark="Stand: Ausschreibung läuft."),
    )


def test_a_step_that_fails_after_writing_leaves_nothing_half_written(
    anna: Chat, sessions: sessionmaker[Session], report: SmallReport
) -> None:
    # As "Keine Änderungen" does: save the draft, then hand it in. Should the hand-in fail,
    # the saved draft must go too (before, it stayed although the contact read an error).
    anna.press(Action.GO)
    before = anna.conv()

    def save_then_fail(turn: Turn) -> Screen:
        turn.change(lambda cs: setattr(cs, "remark", "halb geschrieben"))
        turn.conv.go(Step.SUMMARY)
        raise SubmissionError("Einreichen fehlgeschlagen <sofort>.")

    reply = anna.run(save_then_fail)

    with sessions() as session:
        assert session.scalars(select(Submission)).all() == []  # the draft it started is gone
    assert reply.step is Step.PROJECT  # where a failed hand-in leads, as before
    assert "Einreichen fehlgeschlagen &lt;sofort&gt;." in reply.screen.text
    after = anna.conv()
    assert (after.project_id, after.pending) == (before.project_id, before.pending)
    assert after.turns == before.turns + 1  # the update was handled (a redelivery repeats it)
