"""End to end: a calm coordinator (issue 18, item 6).

A contact's hand-ins reach each coordinator as one message per round, edited as more arrive;
/stand fits a phone screen and names whom to call; the full table is a button away. Through
the real bot and the fake Bot API server, on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import bot_harness, fixtures
from support.bot_harness import eventually, labels, say, tap
from support.bot_seed import NOW, FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import ApiError, BotMessage, FakeBotApi, FakeUser

from bot import texts
from bot.app import BotApplication
from bot.common.reviews import in_short
from core.admin import create_project, edit_project
from core.audit import Auditor
from core.changes import ChangeSet, NewEntry
from core.models import Department, Notification, Role, Submission, SubmissionState

api = fixtures.fake_bot_api

ANNA, CARLA, KORA = 1001, 1003, 3001
ROUND = "Meldungen zur Freigabe"
REVIEW = "Meldung zur Freigabe"
EXTRA = ("Solardächer", "LED-Straßenlicht", "E-Dienstwagen")  # more projects of 80.01


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report with three more projects of 80.01 (Anna: six in all), Anna (80.01),
    Carla (61) and the coordinator Kora bound; 70.02 has nobody."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        auditor = Auditor(session, actor="test", now=NOW)
        for title in EXTRA:
            create_project(
                session,
                auditor,
                field_number=1,
                goal_number="1.1",
                title=title,
                short_title=title,
                department_codes=["80.01"],
                today=NOW.date(),
            )
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
    return seeded


clock = bot_harness.soest_clock
bot = bot_harness.polling_bot


async def no_changes(user: FakeUser, count: int) -> None:
    """The contact walks through their projects and reports "Keine Änderungen" ``count`` times."""
    await say(user, "/projekte")
    await tap(user, texts.BTN_START)
    for _ in range(count):
        await tap(user, texts.BTN_NO_CHANGES)


def only_message(user: FakeUser) -> BotMessage:
    """The one message in the user's chat (as it shows now)."""
    assert len(user.current_messages) == 1, [m.text for m in user.current_messages]
    return user.current_messages[0]


def only_text(user: FakeUser) -> str:
    """The text of the one message in the user's chat; "" while none has come yet."""
    return only_message(user).text if user.current_messages else ""


def new_messages(user: FakeUser) -> list[BotMessage]:
    """The messages the bot sent the user (edits not counted)."""
    return [m for m in user.messages if not m.edited]


# -- hand-ins: one message per contact and round -------------------------------------------------


async def test_six_hand_ins_of_one_contact_make_one_message_edited_to_list_all_six(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await no_changes(anna, 6)
    await eventually(lambda: "6 Meldungen," in only_text(kora))

    digest = only_message(kora)
    assert len(new_messages(kora)) == 1  # the first hand-in sent it, the others edited it
    assert any(m.edited for m in kora.messages)
    assert digest.text.startswith(f"{ROUND} – von Anna Abt (80.01)")
    for title in ("Wärmeplanung für kreiseigene Gebäude", "Radwegekonzept", *EXTRA):
        assert title in digest.text
    assert digest.text.count("Gemeldet: keine Änderungen.") == 6
    assert [f"{i}. Freigeben ✓" for i in range(1, 7)] == [
        b for b in labels(kora, digest) if "Freigeben" in b
    ]

    def reviews_sent() -> int:
        with sessions() as session:
            reviews = session.scalars(select(Notification).where(Notification.kind == "review"))
            return sum(r.sent_at is not None for r in reviews)

    await eventually(lambda: reviews_sent() == 6)  # each recorded once it was shown
    with sessions() as session:
        rounds = session.scalars(select(Notification).where(Notification.kind == "digest")).all()
    assert len(rounds) == 1 and len(rounds[0].payload["submissions"]) == 6

    await kora.press_button(digest, "2. Freigeben ✓")
    await eventually(
        lambda: (
            "✓ Freigegeben von Kora" in only_message(kora).text
            and "1. Freigeben ✓" in labels(kora, only_message(kora))
        )
    )
    after = only_message(kora)
    assert after.message_id == digest.message_id
    assert after.text.count("Gemeldet: keine Änderungen.") == 5
    assert "2. Freigeben ✓" not in labels(kora, after)
    with sessions() as session:
        states = [s.state for s in session.scalars(select(Submission).order_by(Submission.id))]
    assert states.count(SubmissionState.APPROVED) == 1
    assert states.count(SubmissionState.SUBMITTED) == 5


async def test_a_hand_in_claimed_while_the_round_is_still_being_sent_edits_the_same_message(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    """The second hand-in's turn reads the round before the first one's message is recorded
    (its sending is still under way): it still edits that message, no second one rings."""
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    slow = api.hold("sendMessage", KORA)
    await no_changes(anna, 1)
    await eventually(lambda: slow.waiting == 1)  # the round's first message is on its way
    await tap(anna, texts.BTN_NO_CHANGES)
    with sessions() as session:  # the second hand-in is in the round, no message recorded yet
        (round_row,) = session.scalars(select(Notification).where(Notification.kind == "digest"))
        assert len(round_row.payload["submissions"]) == 2
        assert round_row.payload["messages"] == {}
    slow.release()
    await eventually(lambda: "2 Meldungen," in only_text(kora))
    assert len(new_messages(kora)) == 1


async def test_two_contacts_make_two_messages(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla, kora = api.user(ANNA, "Anna"), api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await no_changes(anna, 2)
    await eventually(lambda: any("2 Meldungen," in m.text for m in kora.current_messages))
    await no_changes(carla, 2)
    await eventually(lambda: sum("2 Meldungen," in m.text for m in kora.current_messages) == 2)

    assert len(kora.current_messages) == len(new_messages(kora)) == 2
    anna_round, carla_round = kora.current_messages
    assert "von Anna Abt" in anna_round.text and "von Carla Christ" in carla_round.text


async def test_a_round_message_that_cannot_be_edited_is_sent_anew(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await no_changes(anna, 1)
    first = await kora.wait_for_message(lambda m: REVIEW in m.text)
    api.set_fault_policy(
        lambda method, chat: (
            ApiError.bad_request("message to edit not found")
            if method == "editMessageText" and chat == KORA
            else None
        )
    )
    await tap(anna, texts.BTN_NO_CHANGES)
    second = await kora.wait_for_message(lambda m: "2 Meldungen," in m.text)
    api.clear_faults()

    assert not second.edited and second.message_id != first.message_id

    def recorded() -> list[object]:
        with sessions() as session:
            row = session.scalars(select(Notification).where(Notification.kind == "digest")).one()
            return list(row.payload["messages"].values())

    await eventually(lambda: recorded() == [[KORA, second.message_id]])


async def test_a_hand_in_after_the_round_was_decided_rings_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await no_changes(anna, 1)
    first = await kora.wait_for_message(lambda m: REVIEW in m.text)
    await kora.press_button(first, texts.BTN_APPROVE)
    await kora.wait_for_message(lambda m: "✓ Freigegeben" in m.text)
    await tap(anna, texts.BTN_NO_CHANGES)
    second = await kora.wait_for_message(lambda m: REVIEW in m.text and not m.edited)

    assert second.message_id != first.message_id
    assert len(new_messages(kora)) == 2


# -- /stand -----------------------------------------------------------------------------------


@pytest.fixture
def many_departments(sessions: sessionmaker[Session], report: SmallReport) -> None:
    """22 more departments with a project each: 25 in all, 23 without anyone registered."""
    with sessions.begin() as session:
        auditor = Auditor(session, actor="test", now=NOW)
        for i in range(22):
            code = f"{10 + i}.{i % 3 + 1}"
            session.add(Department(code=code, name=f"Abteilung {code}"))
            session.flush()
            create_project(
                session,
                auditor,
                field_number=2,
                goal_number="2.1",
                title=f"Projekt {code}",
                short_title=f"Projekt {code}",
                department_codes=[code],
                today=NOW.date(),
            )


async def test_stand_fits_a_phone_screen_and_names_the_overdue_contacts(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    many_departments: None,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    kora, carla = api.user(KORA, "Kora"), api.user(CARLA, "Carla")
    await no_changes(carla, 2)  # 61 is complete
    clock.set(datetime(2025, 9, 18, 8, 0, tzinfo=UTC))  # the deadline (17.09.) has passed
    await kora.send("/stand")
    short = await kora.wait_for_message(lambda m: "Frist" in m.text)

    assert len(short.text) < 1000, len(short.text)
    lines = short.text.splitlines()
    assert lines[:2] == [
        "Stand der Meldungen – Report Stand 01.10.2025",
        "Frist der Abteilungen: 17.09.2025 (abgelaufen)",
    ]
    unregistered = next(line for line in lines if line.startswith("Niemand angemeldet"))
    overdue = lines.index("⚠️ Überfällig (1):")
    complete = next(i for i, line in enumerate(lines) if line.startswith("Vollständig"))
    assert unregistered.startswith("Niemand angemeldet (23): ")
    assert "70.02" in unregistered and "10.1" in unregistered
    assert lines.index(unregistered) < overdue < complete
    # 61's hand-in of the project it shares with 80.01 counts for 61 only (issue 18, item 1)
    assert lines[overdue + 1] == "80.01 – Anna Abt: 6 von 6 Projekten offen"
    assert lines[complete] == "Vollständig (1): 61"
    assert "2 Meldungen warten auf Ihre Freigabe: /pruefen" in short.text
    assert labels(kora, short) == [texts.BTN_STAND_FULL]

    await kora.press_button(short, texts.BTN_STAND_FULL)
    full = await kora.wait_for_message(lambda m: "Insgesamt" in m.text)
    assert full.text.startswith("Stand der Meldungen – Report Stand 01.10.2025")
    assert "⚠️ 80.01 – überfällig – 6 Projekte" in full.text
    assert "⚠️ 10.1 – überfällig – 1 Projekt" in full.text


async def test_stand_before_the_deadline_lists_who_is_at_work(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    kora = api.user(KORA, "Kora")
    await kora.send("/stand")
    short = await kora.wait_for_message(lambda m: "Frist" in m.text)

    assert "Frist der Abteilungen: 17.09.2025" in short.text and "abgelaufen" not in short.text
    assert "Überfällig" not in short.text
    assert "Niemand angemeldet (1): 70.02" in short.text
    assert "In Arbeit (2):\n61 – Carla Christ: 2 von 2 Projekten offen\n" in short.text


async def test_zurueckgeben_from_the_list_asks_anew_and_the_list_shows_the_decision(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await no_changes(anna, 2)
    await eventually(lambda: "2 Meldungen," in only_text(kora))
    digest = only_message(kora)
    await kora.press_button(digest, "1. Zurückgeben")
    asked = await kora.wait_for_message(lambda m: "Warum" in m.text)
    await kora.send("Bitte prüfen & ergänzen.")
    await kora.wait_for_message(lambda m: m.text.startswith("Zurückgegeben:"))

    assert asked.message_id != digest.message_id
    await eventually(
        lambda: (
            "↩ Zurückgegeben von Kora" in current(kora, digest).text
            and labels(kora, current(kora, digest)) == ["2. Freigeben ✓", "2. Zurückgeben"]
        )
    )
    assert "Grund: Bitte prüfen & ergänzen." in current(kora, digest).text


def current(user: FakeUser, message: BotMessage) -> BotMessage:
    """``message`` as the chat shows it now (after edits)."""
    return next(m for m in user.current_messages if m.message_id == message.message_id)


def test_a_hand_in_is_summed_up_in_a_few_words() -> None:
    changes = ChangeSet(
        status="in Bearbeitung",
        milestones_planned=[NewEntry("2026", "Vergabe"), NewEntry(None, "Bau")],
        milestones_done=[NewEntry("2025", "Ausschreibung")],
        remark="Neu.",
    )
    assert in_short(changes) == "Geändert: Status, 1 erledigt, 2 geplant, Bemerkung"
    assert in_short(ChangeSet(no_changes=True)) == texts.REVIEW_NO_CHANGES


# -- leaving a dialog begun in a list brings the list back ---------------------------------------


async def remark_and_no_changes(anna: FakeUser) -> None:
    """Anna hands in a new remark for her first project, then "Keine Änderungen" for the next."""
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_REMARK)
    await say(anna, "Bemerkung von Anna")
    await tap(anna, texts.BTN_SUMMARY)
    await tap(anna, texts.BTN_SUBMIT)  # the next project follows
    await tap(anna, texts.BTN_NO_CHANGES)


def waiting_list(text: str) -> bool:
    """Whether ``text`` is the round's list with both hand-ins still waiting."""
    return "2 Meldungen," in text and "Geändert: Bemerkung" in text


async def test_bearbeiten_in_a_list_then_abbrechen_shows_the_list_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await remark_and_no_changes(anna)
    await eventually(lambda: waiting_list(only_text(kora)))
    digest = only_message(kora)
    await kora.press_button(digest, "1. Bearbeiten")
    await eventually(lambda: texts.BTN_EDIT_DONE in labels(kora, current(kora, digest)))
    await kora.send("/abbrechen")

    await eventually(lambda: waiting_list(current(kora, digest).text))
    assert labels(kora, current(kora, digest)) == [
        "1. Freigeben ✓",
        "1. Zurückgeben",
        "1. Bearbeiten",
        "2. Freigeben ✓",
        "2. Zurückgeben",
    ]
    await eventually(lambda: kora.current_messages[-1].text == texts.COORD_CANCELLED)
    with sessions() as session:
        states = {s.state for s in session.scalars(select(Submission))}
    assert states == {SubmissionState.SUBMITTED}


async def test_a_conflict_in_a_list_then_abbrechen_shows_the_list_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await remark_and_no_changes(anna)
    await eventually(lambda: waiting_list(only_text(kora)))
    digest = only_message(kora)
    with sessions.begin() as session:  # the project changes after Anna's draft began
        auditor = Auditor(session, actor="test", now=NOW)
        edit_project(session, auditor, report.projects["waerme"], short_title="Wärme neu")
    await kora.press_button(digest, "1. Freigeben ✓")
    await eventually(
        lambda: labels(kora, current(kora, digest)) == [texts.BTN_FORCE, texts.BTN_CANCEL]
    )
    await kora.press_button(current(kora, digest), texts.BTN_CANCEL)

    await eventually(lambda: waiting_list(current(kora, digest).text))
    assert "1. Freigeben ✓" in labels(kora, current(kora, digest))
    assert len(kora.current_messages) == 1
    with sessions() as session:
        states = {s.state for s in session.scalars(select(Submission))}
    assert states == {SubmissionState.SUBMITTED}
