"""End to end: coordinators review, follow and administer through the real bot and real HTTP.

Contacts (Anna 80.01, Carla 61, Ben 70.02) report with the contact conversation; the
coordinators Kora and Bernd get every submission, decide on it, follow the progress and manage
projects and people. Both databases where the database matters.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support import bot_harness, fixtures
from support.bot_harness import (
    eventually,
    labels,
    next_screen,
    recorded_waits,
    refusal_of,
    running_bot,
    say,
    settled,
    tap,
    tap_starting,
)
from support.bot_seed import NOW, FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import ApiError, BotMessage, FakeBotApi, FakeUser

from bot import texts
from bot.app import BotApplication
from bot.common.callback_data import Act
from bot.common.callback_data import encode_act as encode
from core.admin import create_project
from core.approval import approve as approve_in_core
from core.approval import return_submission
from core.audit import Auditor
from core.changes import ChangeSet
from core.drafts import confirm_report, save_changes, start_draft, submit
from core.editions import collecting_edition
from core.models import (
    AuditLog,
    Contact,
    Conversation,
    Department,
    EntryKind,
    Notification,
    Project,
    ProjectDepartment,
    Role,
    Submission,
    SubmissionState,
)
from core.progress import edition_progress
from core.render.job import RenderProcesses
from core.status import Status

api = fixtures.fake_bot_api

ANNA, BEN, CARLA, ANTON, DORA = 1001, 1002, 1003, 1004, 1005
KORA, BERND = 3001, 3002
REVIEW = "Meldung zur Freigabe"
DIGEST = "Meldungen zur Freigabe"  # several hand-ins of one contact in one message
WHEN = "16.06.2025, 10:00"  # NOW in Berlin


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Anna (80.01), Ben (70.02), Carla (61) and two coordinators bound."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Ben Berg", ["70.02"], telegram_user_id=BEN)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
        add_contact(session, "Bernd Berger", [], telegram_user_id=BERND, role=Role.ADMIN)
    return seeded


clock = bot_harness.soest_clock
bot = bot_harness.polling_bot


# -- helpers ------------------------------------------------------------------------------------


def containing(text: str) -> Callable[[BotMessage], bool]:
    """Matches a message (or edit) whose text contains ``text``."""
    return lambda message: text in message.text


async def receive(user: FakeUser, text: str, timeout: float = 10.0) -> BotMessage:  # noqa: ASYNC109
    """The next message (or edit) of the bot to ``user`` that contains ``text``."""
    return await user.wait_for_message(containing(text), timeout=timeout)


async def receive_new(user: FakeUser, text: str, timeout: float = 10.0) -> BotMessage:  # noqa: ASYNC109
    """The next new message (not an edit) of the bot to ``user`` that contains ``text``."""
    return await user.wait_for_message(lambda m: text in m.text and not m.edited, timeout=timeout)


async def press(user: FakeUser, message: BotMessage, label: str) -> BotMessage:
    """Press ``label`` on ``message``; the bot's next message or edit in that chat."""
    await user.press_button(message, label)
    return await user.wait_for_message()


def current(user: FakeUser, message: BotMessage) -> BotMessage:
    """``message`` as the chat shows it now (after edits)."""
    return next(m for m in user.current_messages if m.message_id == message.message_id)


async def submit_remark(anna: FakeUser, remark: str) -> BotMessage:
    """Anna reports a new remark for her first project (Wärmeplanung) and submits it."""
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_REMARK)
    await say(anna, remark)
    await tap(anna, texts.BTN_SUMMARY)
    return await tap(anna, texts.BTN_SUBMIT)


def project(sessions: sessionmaker[Session], project_id: int) -> Project:
    """The project as stored now, with its lists."""
    with sessions() as session:
        found = session.get_one(Project, project_id)
        _ = found.entries, found.department_codes, found.consultations
        return found


def newest_submission(sessions: sessionmaker[Session], project_id: int) -> Submission:
    """The project's newest submission."""
    with sessions() as session:
        sub = session.scalars(
            select(Submission)
            .where(Submission.project_id == project_id)
            .order_by(Submission.id.desc())
        ).first()
        assert sub is not None
        return sub


def shown(user: FakeUser, text: str) -> int:
    """How often ``text`` appears in the chat as it shows now (after edits)."""
    return sum(m.text.count(text) for m in user.current_messages)


def toasts(user: FakeUser) -> list[str | None]:
    """The answers to the user's button presses."""
    return [a.text for a in user.answered_callbacks]


# -- reviewing ----------------------------------------------------------------------------------


async def test_a_submission_reaches_the_coordinators_and_freigeben_applies_it_and_tells_the_contact(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora, bernd = api.user(ANNA, "Anna"), api.user(KORA, "Kora"), api.user(BERND, "Bernd")

    await submit_remark(anna, "Der Wärmeplan <ist> fertig & beschlossen.")
    review = await receive(kora, REVIEW)
    copy = await receive(bernd, REVIEW)
    decided = await press(kora, review, texts.BTN_APPROVE)
    told = await receive(anna, "freigegeben")

    assert review.text.splitlines()[:3] == [
        REVIEW,
        "Nr. 1.1.2.1 · Wärmeplanung für kreiseigene Gebäude",
        f"Abteilung: 80.01 · von Anna Abt · {WHEN}",
    ]
    assert (
        "Bemerkung: „Die Förderung ist bewilligt.“ → „Der Wärmeplan <ist> fertig & beschlossen.“"
    ) in review.text
    assert copy.text == review.text
    assert labels(kora, review) == [texts.BTN_APPROVE, texts.BTN_RETURN, texts.BTN_REVIEW_EDIT]
    assert decided.message_id == review.message_id and decided.edited
    assert decided.text.endswith(f"✓ Freigegeben von Kora Koordination am {WHEN}.")
    assert labels(kora, decided) == []
    await eventually(lambda: current(bernd, copy).text == decided.text)
    assert labels(bernd, current(bernd, copy)) == []
    assert told.text == (
        "Ihre Meldung zu 1.1.2.1 „Wärmeplanung für kreiseigene Gebäude“ wurde freigegeben. "
        "Vielen Dank!"
    )
    assert toasts(kora) == ["Freigegeben: 1.1.2.1 „Wärmeplanung für kreiseigene Gebäude“."]
    assert project(sessions, report.projects["waerme"]).remark.to_plain() == (
        "Der Wärmeplan <ist> fertig & beschlossen."
    )
    assert newest_submission(sessions, report.projects["waerme"]).state is SubmissionState.APPROVED
    with sessions() as session:
        review_row = session.scalars(
            select(Notification).where(Notification.kind == "review")
        ).one()
        assert review_row.sent_at is not None and review_row.contact_id is None
        assert sorted(review_row.payload["messages"]) == sorted(
            str(c) for c in session.scalars(select(Contact.id).where(Contact.role != Role.CONTACT))
        )
    assert [kora.failed_calls, bernd.failed_calls, anna.failed_calls] == [[], [], []]


@pytest.mark.slow
async def test_a_returned_submission_goes_to_the_contact_who_revises_and_resubmits_it(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla, kora = api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_PLANNED)
    await tap(carla, texts.BTN_NO_DATE)
    await say(carla, "Beschilderung")
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    review = await receive(kora, REVIEW)

    asked = await press(kora, review, texts.BTN_RETURN)
    await kora.send("Bitte mit <Datum> & Ort.")
    done = await receive(kora, "Zurückgegeben:")
    told = await receive(carla, "zurückgegeben")
    await carla.press_button(told, "Projekt öffnen")  # issue 18: opens the project itself
    card = await next_screen(carla)
    await tap(carla, texts.BTN_REVISE)
    entries = await tap(carla, texts.BTN_ENTRIES)
    assert "1. + geplant – Beschilderung" in entries.text
    await tap(carla, "✕ 1")
    await tap(carla, texts.BTN_PLANNED)
    await say(carla, "2026")
    await say(carla, "Beschilderung der Hauptrouten")
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    second = await receive_new(kora, REVIEW)
    await press(kora, second, texts.BTN_APPROVE)
    approved = await receive(carla, "freigegeben")

    assert asked.message_id != review.message_id  # the review stays; the question is new
    assert asked.text == (
        "Warum geben Sie die Meldung zu 1.2.2.1 „Radwegekonzept“ zurück? "
        "Bitte schreiben Sie den Grund; die Abteilung erhält ihn."
    )
    assert done.text == "Zurückgegeben: 1.2.2.1 „Radwegekonzept“. Die Abteilung ist informiert."
    await eventually(lambda: "↩ Zurückgegeben von Kora" in current(kora, review).text)
    assert current(kora, review).text.endswith("Grund: Bitte mit <Datum> & Ort.")
    assert told.text == (
        "Ihre Meldung zu 1.2.2.1 „Radwegekonzept“ wurde zurückgegeben.\n"
        "Grund: Bitte mit <Datum> & Ort.\n\n"
        "Bitte überarbeiten Sie die Meldung und reichen Sie sie erneut ein."
    )
    assert card.text.startswith(texts.RETURNED_OPENED)
    assert "Meldung: zurückgegeben" in card.text
    assert "Zurückgegeben mit Begründung: Bitte mit <Datum> & Ort." in card.text
    assert "+ geplant 2026 – Beschilderung der Hauptrouten" in second.text
    assert "Beschilderung\n" not in second.text
    assert approved.text.startswith("Ihre Meldung zu 1.2.2.1 „Radwegekonzept“ wurde freigegeben.")
    planned = [
        (e.date.format() if e.date else None, e.text)
        for e in project(sessions, report.projects["radweg"]).entries_of(EntryKind.PLANNED)
    ]
    assert planned == [("2026", "Beschilderung der Hauptrouten")]


async def test_a_report_revised_after_submitting_is_announced_anew_and_the_old_review_retired(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla, kora = api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_NO_CHANGES)
    first = await receive_new(kora, REVIEW)
    await say(carla, "/projekte")
    await tap_starting(carla, "Radwegekonzept")
    await tap(carla, texts.BTN_REVISE)
    await tap(carla, texts.BTN_REMARK)
    await say(carla, "Doch eine Änderung.")
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    second = await receive_new(kora, REVIEW)

    assert texts.REVIEW_NO_CHANGES.replace("<b>", "").replace("</b>", "") in first.text
    assert labels(kora, first) == [texts.BTN_APPROVE, texts.BTN_RETURN]
    await eventually(lambda: texts.REVIEW_OUTDATED in current(kora, first).text)
    assert labels(kora, current(kora, first)) == []
    assert "„Doch eine Änderung.“" in second.text
    assert labels(kora, second) == [texts.BTN_APPROVE, texts.BTN_RETURN, texts.BTN_REVIEW_EDIT]


@pytest.mark.slow
async def test_all_keine_aenderungen_reports_are_approved_with_one_tap(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, ben = api.user(ANNA, "Anna"), api.user(BEN, "Ben")
    kora, bernd = api.user(KORA, "Kora"), api.user(BERND, "Bernd")
    anna_projects = [report.projects[k] for k in ("waerme", "scouts", "radweg")]
    versions = {pid: project(sessions, pid).version for pid in anna_projects}
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    for _ in anna_projects:
        await tap(anna, texts.BTN_NO_CHANGES)
    await say(ben, "/projekte")
    await tap(ben, texts.BTN_START)
    await tap(ben, texts.BTN_EDIT)
    await tap(ben, texts.BTN_REMARK)
    await say(ben, "Regionale Anbieter angefragt.")
    await tap(ben, texts.BTN_SUMMARY)
    await tap(ben, texts.BTN_SUBMIT)
    # Anna's three reports in one message, Ben's in its own
    await eventually(lambda: shown(bernd, REVIEW) == 1 and shown(bernd, "3 Meldungen,") == 1)
    label = "Alle 3 ohne Änderungen freigeben"
    waiting = await say_plain(kora, "/pruefen")
    # the announcements and /pruefen's copies of the four reports
    await eventually(lambda: shown(kora, REVIEW) == 5 and shown(kora, "3 Meldungen,") == 1)
    await kora.press_button(find(kora, label), label)
    done = await receive(kora, "ohne Änderungen freigegeben.")
    told = await receive(anna, "freigegeben")
    again = await say_plain(kora, "/pruefen")

    assert labels(kora, waiting) == [label]
    assert done.text == "3 Meldungen ohne Änderungen freigegeben."
    assert told.text == (
        "Ihre Meldungen „keine Änderungen“ zu 1.1.2.1 „Wärmeplanung für kreiseigene Gebäude“, "
        "1.2.2.1 „Radwegekonzept“, 1.2.3.1 „Energie-Scouts für Azubis & Schüler "
        "<script>alert('x')</script>“ wurden freigegeben. Vielen Dank!"
    )  # one message for the three, the hostile title shown as text
    assert again.text == "1 Meldung wartet auf Freigabe." and labels(kora, again) == []
    decided = "✓ Freigegeben von Kora Koordination"
    await eventually(lambda: shown(bernd, decided) == 3)
    await eventually(lambda: shown(kora, decided) == 3)
    assert not [m for m in anna.messages if "freigegeben" in m.text and m is not told]
    for pid in anna_projects:
        assert newest_submission(sessions, pid).state is SubmissionState.APPROVED
        assert project(sessions, pid).version == versions[pid]  # nothing applied, no conflict
    assert (
        newest_submission(sessions, report.projects["kantine"]).state is SubmissionState.SUBMITTED
    )
    with sessions() as session:
        approvals = session.scalars(select(AuditLog).where(AuditLog.action == "approve")).all()
    assert len(approvals) == 3 and {a.actor for a in approvals} == {"Kora Koordination"}


@pytest.mark.slow
async def test_a_batch_approval_waits_out_telegrams_429_and_loses_no_message(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna, kora, bernd = api.user(ANNA, "Anna"), api.user(KORA, "Kora"), api.user(BERND, "Bernd")
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    for _ in range(3):
        await tap(anna, texts.BTN_NO_CHANGES)
    await eventually(lambda: shown(bernd, "3 Meldungen,") == 1)
    label = "Alle 3 ohne Änderungen freigeben"
    await say_plain(kora, "/pruefen")
    await eventually(lambda: shown(kora, REVIEW) == 3 and shown(kora, "3 Meldungen,") == 1)
    waits = recorded_waits(monkeypatch)
    api.inject_429(every_n=2, retry_after=1, methods={"sendMessage", "editMessageText"})
    await kora.press_button(find(kora, label), label)
    told = await receive(anna, "freigegeben", timeout=20)
    decided = "✓ Freigegeben von Kora Koordination"
    await eventually(lambda: shown(bernd, decided) == 3, timeout=20)
    api.clear_faults()

    assert told.text.startswith("Ihre Meldungen „keine Änderungen“ zu 1.1.2.1")
    assert shown(kora, decided) == 3
    throttled = sum(call.status == 429 for call in api.sent_log)
    assert throttled > 0
    # each 429 waited out for its retry_after (the last answer may still be on its way)
    await eventually(lambda: len(waits) == sum(c.status == 429 for c in api.sent_log))
    assert set(waits) == {1.0}
    assert "3 Meldungen ohne Änderungen freigegeben." in [m.text for m in kora.current_messages]
    assert not [m for m in kora.messages + anna.messages if m.text == texts.ERROR]


async def test_a_conflict_is_shown_and_nothing_is_overwritten_until_trotzdem_uebernehmen(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_REMARK)
    await say(anna, "Bemerkung von Anna")  # the draft began before the title changed
    await say(kora, "/projekte")
    await tap_starting(kora, "1.1.2.1")
    await kora.press_button(find(kora, texts.BTN_TITLE), texts.BTN_TITLE)
    await receive(kora, "Bisheriger Titel")
    await kora.send("Wärmeplanung für alle Kreisgebäude")
    await receive(kora, "Gespeichert: neuer Titel.")
    await tap(anna, texts.BTN_SUMMARY)
    await tap(anna, texts.BTN_SUBMIT)
    review = await receive(kora, REVIEW)

    conflict = await press(kora, review, texts.BTN_APPROVE)
    untouched = project(sessions, report.projects["waerme"])
    back = await press(kora, conflict, texts.BTN_CANCEL)
    again = await press(kora, back, texts.BTN_APPROVE)
    forced = await press(kora, again, texts.BTN_FORCE)

    assert conflict.message_id == review.message_id
    assert texts.CONFLICT_TITLE.replace("<b>", "").replace("</b>", "") in conflict.text
    assert (
        "• Titel: „Wärmeplanung für kreiseigene Gebäude“ → „Wärmeplanung für alle Kreisgebäude“ "
        f"(Kora Koordination, {WHEN})"
    ) in conflict.text
    assert "Bemerkung: „Die Förderung ist bewilligt.“ → „Bemerkung von Anna“" in conflict.text
    assert labels(kora, conflict) == [texts.BTN_FORCE, texts.BTN_CANCEL]
    assert untouched.remark.to_plain() == "Die Förderung ist bewilligt."
    assert labels(kora, back)[:2] == [texts.BTN_APPROVE, texts.BTN_RETURN]
    assert texts.BTN_FORCE in labels(kora, again)
    assert forced.text.endswith(f"✓ Freigegeben von Kora Koordination am {WHEN}.")
    changed = project(sessions, report.projects["waerme"])
    assert (changed.title, changed.remark.to_plain()) == (
        "Wärmeplanung für alle Kreisgebäude",
        "Bemerkung von Anna",
    )
    assert newest_submission(sessions, report.projects["waerme"]).state is SubmissionState.APPROVED


def find(user: FakeUser, label: str) -> BotMessage:
    """The newest message showing a button ``label``."""
    for message in reversed(user.current_messages):
        if label in labels(user, message):
            return message
    raise AssertionError(f"no button {label!r}")


async def test_two_coordinators_pressing_freigeben_at_once_apply_it_once(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla, kora, bernd = api.user(CARLA, "Carla"), api.user(KORA, "Kora"), api.user(BERND, "B")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_DONE)
    await say(carla, "Mai 2025")
    await say(carla, "Radwege beschildert")
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    mine, theirs = await receive(kora, REVIEW), await receive(bernd, REVIEW)
    carla_before = len(carla.messages)

    await asyncio.gather(
        kora.press_button(mine, texts.BTN_APPROVE), bernd.press_button(theirs, texts.BTN_APPROVE)
    )
    await eventually(lambda: kora.answered_callbacks and bernd.answered_callbacks, timeout=40)
    await receive(carla, "freigegeben")

    answers = sorted(str(t) for t in toasts(kora) + toasts(bernd))
    assert answers == [texts.REVIEW_DECIDED, "Freigegeben: 1.2.2.1 „Radwegekonzept“."]
    winner = "Kora Koordination" if toasts(kora)[0] != texts.REVIEW_DECIDED else "Bernd Berger"
    for user, message in ((kora, mine), (bernd, theirs)):
        await eventually(lambda u=user, m=message: "✓ Freigegeben von" in current(u, m).text)
        assert f"✓ Freigegeben von {winner} am {WHEN}." in current(user, message).text
        assert labels(user, current(user, message)) == []
    done = [e.text for e in project(sessions, report.projects["radweg"]).entries_of(EntryKind.DONE)]
    assert done == ["Radwege beschildert"]
    with sessions() as session:
        approvals = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "approve")
        )
    assert approvals == 1
    await settled(api, bot)  # both presses handled to the end: nothing more is on its way
    news_for_carla = carla.messages[carla_before:]
    assert len(news_for_carla) == 1 and "freigegeben" in news_for_carla[0].text
    assert len(kora.answered_callbacks) == len(bernd.answered_callbacks) == 1


@pytest.mark.slow
async def test_bearbeiten_adjusts_the_remark_and_removes_an_item_before_approving(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_PLANNED)
    await say(anna, "2026")
    await say(anna, "Inbetriebnahme")
    await tap(anna, texts.BTN_REMARK)
    await say(anna, "Eine sehr lange Bemerkung, die gekürzt werden soll.")
    await tap(anna, texts.BTN_SUMMARY)
    await tap(anna, texts.BTN_SUBMIT)
    review = await receive(kora, REVIEW)

    menu = await press(kora, review, texts.BTN_REVIEW_EDIT)
    removal = await press(kora, menu, texts.BTN_EDIT_REMOVE)
    menu = await press(kora, removal, "+ geplant 2026 – Inbetriebnahme")
    await press(kora, menu, texts.BTN_EDIT_REMARK)
    await kora.send("Gekürzte Bemerkung.")
    saved = await receive(kora, texts.REVIEW_SAVED)
    again = await press(kora, saved, texts.BTN_EDIT_DONE)
    await press(kora, again, texts.BTN_APPROVE)
    told = await receive(anna, "freigegeben")

    assert menu.text.startswith("Entfernt: + geplant 2026 – Inbetriebnahme")
    assert labels(kora, removal)[-1] == texts.BTN_BACK
    assert "„Gekürzte Bemerkung.“" in saved.text
    assert "Bemerkung: „Die Förderung ist bewilligt.“ → „Gekürzte Bemerkung.“" in again.text
    assert "Inbetriebnahme" not in again.text
    assert labels(kora, again)[:2] == [texts.BTN_APPROVE, texts.BTN_RETURN]
    assert "die Koordination hat sie dabei angepasst" in told.text
    changed = project(sessions, report.projects["waerme"])
    assert changed.remark.to_plain() == "Gekürzte Bemerkung."
    assert "Inbetriebnahme" not in [e.text for e in changed.entries]


async def test_the_return_reason_dialog_survives_a_restart(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, clock: FakeClock
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    async with running_bot(api, sessions, clock):
        await submit_remark(anna, "Neu.")
        review = await receive(kora, REVIEW)
        await press(kora, review, texts.BTN_RETURN)
    async with running_bot(api, sessions, clock):
        await kora.send("Bitte genauer.")
        done = await receive(kora, "Zurückgegeben:")
        told = await receive(anna, "zurückgegeben")

    assert done.text.startswith("Zurückgegeben: 1.1.2.1")
    assert "Grund: Bitte genauer." in told.text
    assert newest_submission(sessions, report.projects["waerme"]).return_reason == "Bitte genauer."


# -- following the collection --------------------------------------------------------------------

_LINE = re.compile(
    r"^(?:⚠️ )?(?P<code>.+?) – (?:überfällig – )?(?P<projects>\d+) Projekte?\n"
    r"offen (?P<open>\d+) · in Arbeit (?P<draft>\d+) · eingereicht (?P<submitted>\d+) · "
    r"freigegeben (?P<approved>\d+) · zurückgegeben (?P<returned>\d+)$",
    re.MULTILINE,
)
_STATE_COLUMN = {
    None: "open",
    SubmissionState.DRAFT: "draft",
    SubmissionState.SUBMITTED: "submitted",
    SubmissionState.APPROVED: "approved",
    SubmissionState.RETURNED: "returned",
}


def half_answer(sessions: sessionmaker[Session], report: SmallReport) -> None:
    """Wärmeplanung approved, Radwege submitted (by 61, confirmed by 80.01), Gesundheitshaus
    returned, a new project of 61 in draft, Kantine approved, Energie-Scouts open."""
    with sessions.begin() as session:
        contacts = {c.name: c for c in session.scalars(select(Contact))}
        edition = collecting_edition(session, NOW.date())
        neu = create_project(
            session,
            Auditor(session, actor="test", now=NOW),
            field_number=2,
            goal_number="2.1",
            title="Bewegter Kreis",
            short_title="Bewegter Kreis",
            department_codes=["61"],
            today=NOW.date(),
        )

        def hand_in(key_or_id: str | int, who: str, cs: ChangeSet) -> Submission:
            pid = key_or_id if isinstance(key_or_id, int) else report.projects[key_or_id]
            sub = start_draft(session, edition, session.get_one(Project, pid), contacts[who], NOW)
            save_changes(session, sub, cs, contacts[who], NOW)
            session.flush()
            return sub

        kora = contacts["Kora Koordination"]
        for key, who in (("waerme", "Anna Abt"), ("kantine", "Ben Berg")):
            sub = hand_in(key, who, ChangeSet(no_changes=True))
            submit(session, sub, contacts[who], NOW)
            session.flush()
            approve_in_core(session, sub.id, kora, NOW)
        radweg = hand_in("radweg", "Carla Christ", ChangeSet(remark="x"))
        submit(session, radweg, contacts["Carla Christ"], NOW)
        # Radwege is shared with 80.01: Anna confirms 61's report, so it counts for both.
        confirm_report(session, radweg, contacts["Anna Abt"], NOW)
        returned = hand_in("bau", "Carla Christ", ChangeSet(remark="y"))
        submit(session, returned, contacts["Carla Christ"], NOW)
        session.flush()
        return_submission(session, returned.id, kora, "Bitte ergänzen.", NOW)
        hand_in(neu.id, "Carla Christ", ChangeSet(remark="z"))


def figures_from_the_database(sessions: sessionmaker[Session]) -> dict[str, dict[str, int]]:
    """Per department code: projects and their reports' states, counted from the tables."""
    with sessions() as session:
        edition = collecting_edition(session, NOW.date())
        newest = dict(
            session.execute(
                select(Submission.project_id, func.max(Submission.id))
                .where(Submission.edition_id == edition.id)
                .group_by(Submission.project_id)
            ).all()
        )
        states = {pid: session.get_one(Submission, sid).state for pid, sid in newest.items()}
        figures: dict[str, dict[str, int]] = {}
        for pid, code in session.execute(
            select(ProjectDepartment.project_id, ProjectDepartment.department_id)
        ).all():
            code_ = session.get_one(Department, code).code
            row = figures.setdefault(
                code_,
                dict.fromkeys(
                    ("projects", "open", "draft", "submitted", "approved", "returned"), 0
                ),
            )
            row["projects"] += 1
            row[_STATE_COLUMN[states.get(pid)]] += 1
        return figures


def figures_in(text: str) -> list[tuple[str, dict[str, int]]]:
    """The department lines of /stand, in order."""
    return [
        (m["code"], {k: int(v) for k, v in m.groupdict().items() if k != "code"})
        for m in _LINE.finditer(text)
    ]


async def test_stand_shows_exactly_the_figures_of_a_half_answered_edition_overdue_first(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    half_answer(sessions, report)
    kora = api.user(KORA, "Kora")

    in_time = await full_table(kora)
    clock.set(datetime(2025, 9, 18, 8, 0, tzinfo=UTC))  # the deadline (17.09.) has passed
    late = await full_table(kora)

    expected = figures_from_the_database(sessions)
    with sessions() as session:
        core_figures = {
            p.code: {
                "projects": p.projects,
                "open": p.open,
                "draft": p.draft,
                "submitted": p.submitted,
                "approved": p.approved,
                "returned": p.returned,
            }
            for p in edition_progress(session, collecting_edition(session, NOW.date()))
        }
    assert core_figures == expected
    assert dict(figures_in(in_time.text)) == expected
    assert [code for code, _ in figures_in(in_time.text)] == ["61", "70.02", "80.01"]
    assert in_time.text.splitlines()[:3] == [
        "Stand der Meldungen – Report Stand 01.10.2025",
        "Frist der Abteilungen: 17.09.2025",
        "",
    ]
    assert (
        "Insgesamt 6 Projekte: offen 1 · in Arbeit 1 · eingereicht 1 · freigegeben 2 · "
        "zurückgegeben 1" in in_time.text
    )
    assert "1 Meldung wartet auf Ihre Freigabe: /pruefen" in in_time.text
    assert "überfällig" not in in_time.text
    assert dict(figures_in(late.text)) == expected
    assert [code for code, _ in figures_in(late.text)] == ["61", "80.01", "70.02"]
    assert "⚠️ 61 – überfällig – 3 Projekte" in late.text
    assert "⚠️ 80.01 – überfällig" in late.text and "⚠️ 70.02" not in late.text
    assert "Frist der Abteilungen: 17.09.2025 (abgelaufen)" in late.text


async def full_table(user: FakeUser) -> BotMessage:
    """/stand, then its button "Ganze Tabelle": the table of every department."""
    short = await say_plain(user, "/stand")
    return await press(user, short, texts.BTN_STAND_FULL)


async def say_plain(user: FakeUser, text: str, timeout: float = 10.0) -> BotMessage:  # noqa: ASYNC109
    """Send ``text``; the bot's next message, with or without buttons (not the edit that takes
    an older screen's buttons off, which may arrive after the previous answer)."""
    await user.send(text)
    return await user.wait_for_message(lambda m: not m.edited, timeout=timeout)


async def test_erinnern_reaches_the_departments_contacts_and_the_database_records_it(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    with sessions.begin() as session:
        add_contact(session, "Anton Arndt", ["80.01"], telegram_user_id=ANTON)
        add_contact(session, "Nora Nichtangemeldet", ["80.01"])  # no Telegram account yet
    kora, anna, anton = api.user(KORA, "Kora"), api.user(ANNA, "Anna"), api.user(ANTON, "Anton")
    carla = api.user(CARLA, "Carla")

    confirmed = await say_plain(kora, "/erinnern 80.01")
    nudge = await receive(anna, "Die Koordination bittet")
    await receive(anton, "Die Koordination bittet")
    await anna.press_button(nudge, "Projekte öffnen")
    overview = await next_screen(anna)
    unknown = await say_plain(kora, "/erinnern 99")
    choice = await say_plain(kora, "/erinnern")

    assert confirmed.text == "Erinnerung an 80.01 gesendet: 2 von 2 Personen erreicht."
    assert nudge.text == (
        "Guten Tag, Anna Abt!\n\n"
        "Die Koordination bittet um Ihre Meldung zum Nachhaltigkeitsreport Stand 01.10.2025: "
        "Für 80.01 sind noch 3 von 3 Projekten offen.\nBitte melden Sie bis 17.09.2025."
    )
    assert "Ihre Projekte – Report Stand 01.10.2025" in overview.text
    assert carla.messages == []
    assert unknown.text.startswith("Die Abteilung „99“ ist unbekannt. Bekannt: 61, 70.02, 80.01")
    assert labels(kora, choice) == ["61 (2 offen)", "70.02 (1 offen)", "80.01 (3 offen)"]
    with sessions() as session:
        row = session.scalars(select(Notification).where(Notification.kind == "nudge")).one()
        ids = dict(session.execute(select(Contact.name, Contact.id)).all())
    assert row.key == f"nudge:2025-10-01:80.01:{NOW.isoformat()}"
    assert row.sent_at is not None
    assert sorted(row.payload["reached"]) == sorted([ids["Anna Abt"], ids["Anton Arndt"]])


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])  # rendering does not depend on the database
async def test_entwurf_delivers_pdf_and_docx_with_approved_changes_only(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    backend: str,
) -> None:
    from pypdf import PdfReader

    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await submit_remark(anna, "Freigegebene Bemerkung")
    await press(kora, await receive(kora, REVIEW), texts.BTN_APPROVE)
    with sessions.begin() as session:  # a second report waits for approval
        carla = session.scalars(select(Contact).where(Contact.name == "Carla Christ")).one()
        edition = collecting_edition(session, NOW.date())
        sub = start_draft(
            session, edition, session.get_one(Project, report.projects["bau"]), carla, NOW
        )
        save_changes(session, sub, ChangeSet(remark="Noch nicht freigegeben"), carla, NOW)
        submit(session, sub, carla, NOW)

    working = await say_plain(kora, "/entwurf")
    await eventually(lambda: len(kora.documents) == 2, timeout=120)
    await eventually(lambda: "Entwurf, Stand" in current(kora, working).text, timeout=10)
    await kora.send("/aenderungen")
    await eventually(lambda: len(kora.documents) == 3, timeout=120)

    assert working.text == texts.DRAFT_WORKING
    assert current(kora, working).text == (
        "Entwurf, Stand 01.10.2025 – nur freigegebene Änderungen:"
    )
    pdf, docx, changes = kora.documents
    assert (pdf.filename, docx.filename, changes.filename) == (
        "nachhaltigkeitsreport-2025-10-01-entwurf.pdf",
        "nachhaltigkeitsreport-2025-10-01-entwurf.docx",
        "nachhaltigkeitsreport-2025-10-01-aenderungen.pdf",
    )
    assert pdf.content.startswith(b"%PDF") and changes.content.startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        assert "word/document.xml" in archive.namelist()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Freigegebene Bemerkung" in " ".join(text.split())
    assert "Noch nicht freigegeben" not in text
    assert "upload_document" in kora.chat_actions


async def bot_keeps_answering(kora: FakeUser, anna: FakeUser) -> None:
    """The coordinator's /stand and a contact's overview still get their answers."""
    stand = await say_plain(kora, "/stand")
    assert stand.text.startswith("Stand der Meldungen – Report Stand 01.10.2025")
    overview = await say(anna, "/projekte")
    assert "Ihre Projekte" in overview.text


@pytest.mark.parametrize("backend", ["sqlite"])  # the child's failure, not the database's
async def test_a_draft_whose_render_fails_in_the_child_is_reported_and_the_bot_stays_up(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    clock: FakeClock,
    tmp_path: Path,
    backend: str,
) -> None:
    empty = tmp_path / "leer.sqlite3"  # the child opens it and finds no tables: it raises
    empty.touch()
    renders = RenderProcesses(f"sqlite:///{empty}")
    kora, anna = api.user(KORA, "Kora"), api.user(ANNA, "Anna")
    async with running_bot(api, sessions, clock, renders=renders):
        working = await say_plain(kora, "/entwurf")
        await eventually(lambda: current(kora, working).text != texts.DRAFT_WORKING, timeout=120)
        await bot_keeps_answering(kora, anna)

    assert current(kora, working).text == (
        "Der Entwurf konnte nicht erstellt werden. Bitte versuchen Sie es später."
    )
    assert kora.documents == [] and renders.running == {}


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_draft_whose_render_process_is_killed_is_reported_and_the_next_one_arrives(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    backend: str,
) -> None:
    renders = bot.bot_data.services.renders
    kora, anna = api.user(KORA, "Kora"), api.user(ANNA, "Anna")

    working = await say_plain(kora, "/entwurf")
    await eventually(lambda: bool(renders.running), timeout=30)
    (pid,) = renders.running
    os.kill(pid, signal.SIGKILL)
    await eventually(lambda: current(kora, working).text != texts.DRAFT_WORKING, timeout=30)
    await bot_keeps_answering(kora, anna)
    await kora.send("/aenderungen")  # the killed render's place is free again
    await eventually(lambda: len(kora.documents) == 1, timeout=120)

    assert current(kora, working).text == (
        "Die Erstellung wurde abgebrochen, der Entwurf liegt nicht vor. "
        "Bitte versuchen Sie es erneut."
    )
    assert [d.filename for d in kora.documents] == [
        "nachhaltigkeitsreport-2025-10-01-aenderungen.pdf"
    ]
    assert renders.running == {}


# -- projects and people --------------------------------------------------------------------------


async def test_the_neues_projekt_button_of_the_project_list_starts_the_same_dialog(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    kora = api.user(KORA, "Kora")
    await say(kora, "/projekte")
    fields = await tap(kora, texts.BTN_NEW_PROJECT)

    assert fields.text.startswith("Neues Projekt (1/5): In welchem Themenfeld?")
    assert labels(kora, fields)[0] == "1 Klima/Energie/Umwelt"


async def test_projekt_neu_creates_a_project_step_by_step_with_a_second_chance(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    kora = api.user(KORA, "Kora")

    fields = await say(kora, "/projekt_neu")
    goals = await tap(kora, "1 Klima/Energie/Umwelt")
    asked = await tap(kora, "1.2 Erneuerbare Energien sollen wachsen.")
    too_long = await say(kora, "S" * 301)
    short = await say(kora, "Solarpark auf der <Deponie>")
    chooser = await say(kora, "Solarpark")
    chosen = await tap(kora, "80.01")
    chosen = await tap(kora, "61")
    chosen = await tap(kora, "✓ 61")
    created = await tap(kora, texts.BTN_CREATE)

    assert labels(kora, fields)[:2] == [
        "1 Klima/Energie/Umwelt",
        "2 Gesellschaft/soziale Gerechtigkeit/Ge…",
    ]
    assert labels(kora, goals)[:2] == [
        "1.1 Der Energieverbrauch soll sinken.",
        "1.2 Erneuerbare Energien sollen wachsen.",
    ]
    assert "Themenfeld 1 · Ziel 1.2" in asked.text
    assert too_long.text.startswith("Der Text ist zu lang (301 Zeichen, höchstens 300).")
    assert "Wie lautet der Titel?" in too_long.text
    assert texts.BTN_SAME_AS_TITLE in labels(kora, short)
    assert "Ausgewählt: –" in chooser.text
    assert "Ausgewählt: 80.01" in chosen.text and "✓ 80.01" in labels(kora, chosen)
    assert created.text.startswith(
        "Projekt „Solarpark auf der <Deponie>“ angelegt: Nr. 1.2.3.2 in der Ausgabe Stand "
        "01.10.2025."
    )
    assert texts.BTN_DROP in labels(kora, created)
    with sessions() as session:
        new = session.scalars(select(Project).where(Project.short_title == "Solarpark")).one()
        assert (new.title, new.status, new.department_codes) == (
            "Solarpark auf der <Deponie>",
            Status.IN_PLANUNG,
            ["80.01"],
        )
        assert (
            session.scalar(select(Conversation.state).where(Conversation.telegram_user_id == -KORA))
            == "idle"
        )


@pytest.mark.slow
async def test_a_project_is_edited_dropped_and_a_completed_one_kept_from_its_view(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    with sessions.begin() as session:
        kantine = session.get_one(Project, report.projects["kantine"])
        kantine.status = Status.UMGESETZT
    kora = api.user(KORA, "Kora")

    listing = await say(kora, "/projekte")
    view = await tap_starting(kora, "1.2.2.1")
    await kora.press_button(view, texts.BTN_MUNICIPALITIES)
    await receive(kora, "Zusammenarbeit mit Kommunen")
    view = await say(kora, "Soest, Werl & Lippstadt")
    view = await tap(kora, texts.BTN_DEPARTMENTS)
    view = await tap(kora, "✓ 80.01")
    view = await tap(kora, texts.BTN_TAKE)
    await kora.press_button(view, texts.BTN_DROP)
    await receive(kora, "Warum entfällt")
    dropped = await say(kora, "Mehrfachnennung: siehe 1.1.2.1")
    await say(kora, "/projekte")
    kept_view = await tap_starting(kora, "2.1.1.1")
    confirm = await tap(kora, texts.BTN_KEEP)
    kept = await tap(kora, texts.BTN_KEEP_YES)
    stale = await kora.press_any(confirm, encode(int(confirm_seq(kora, confirm)), Act.KEEP_YES))

    assert "Alle Projekte – Report Stand 01.10.2025" in listing.text
    assert "1.2.2.1 Radwegekonzept – 61, 80.01 – offen" in listing.text
    assert view.text.startswith("Gespeichert: verantwortlich sind jetzt 61.")
    assert "Kommunen: Soest, Werl & Lippstadt" in view.text
    assert dropped.text.startswith("„Radwegekonzept“ ist entfallen")
    assert "Entfallen: Mehrfachnennung: siehe 1.1.2.1" in dropped.text
    assert "Regionale Kantine" in kept_view.text and texts.BTN_KEEP in labels(kora, kept_view)
    assert confirm.text == "Soll „Regionale Kantine“ eine Ausgabe länger im Report stehen?"
    assert kept.text.startswith(
        "„Regionale Kantine“ bleibt bis einschließlich der Ausgabe Stand 01.04.2026 im Report."
    )
    assert stale
    await eventually(lambda: toasts(kora)[-1] == texts.STALE_BUTTON)
    radweg = project(sessions, report.projects["radweg"])
    assert (radweg.municipalities, radweg.department_codes) == ("Soest, Werl & Lippstadt", ["61"])
    assert (radweg.status, radweg.drop_reason) == (
        Status.ENTFALLEN,
        "Mehrfachnennung: siehe 1.1.2.1",
    )
    assert project(sessions, report.projects["kantine"]).keep_until == date(2026, 4, 1)


def confirm_seq(user: FakeUser, message: BotMessage) -> str:
    """The screen counter carried by the first button of ``message`` (as first shown)."""
    data = user.buttons(message)[0][1]
    assert data is not None
    return data.split(":")[1]


async def test_einladen_gives_a_link_that_binds_the_person_and_sperren_revokes_them(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    kora, dora = api.user(KORA, "Kora"), api.user(DORA, "Dora")

    await say(kora, "/einladen")
    await say(kora, "Dora Dorn")
    await tap(kora, texts.BTN_CONTINUE)
    refused = await tap(kora, "Ansprechperson")  # a contact needs a department: second chance
    await tap(kora, "70.02")
    await tap(kora, texts.BTN_CONTINUE)
    await kora.press_button(find(kora, "Ansprechperson"), "Ansprechperson")
    invited = await receive(kora, "Einladung für Dora Dorn")
    link = re.findall(r"https://t\.me/\S+", invited.text)[0]
    welcome = await say(dora, f"/start {link.split('=', 1)[1]}")
    listing = await say(kora, "/sperren")
    confirm = await tap(kora, "Dora Dorn (70.02)")
    revoked = await press(kora, confirm, texts.BTN_REVOKE)
    await dora.send("/projekte")
    refusal = await dora.wait_for_message()
    self_revoke = await say_plain(kora, "/sperren Kora Koordination")

    assert refused.text.startswith("Eine Ansprechperson braucht mindestens eine Abteilung.")
    assert "Für welche Abteilungen meldet Dora Dorn?" in refused.text
    assert link.startswith("https://t.me/nhr_test_bot?start=")
    assert "gültig bis 30.06.2025, 10:00" in invited.text
    assert "Willkommen, Dora Dorn! Sie melden für: 70.02." in welcome.text
    assert "Kora Koordination" not in " ".join(labels(kora, listing))
    assert confirm.text.startswith("Zugang von Dora Dorn (70.02) sperren?")
    assert revoked.text == "Der Zugang von Dora Dorn ist gesperrt."
    assert refusal.text == refusal_of(bot)
    assert self_revoke.text == texts.REVOKE_SELF
    with sessions() as session:
        dorn = session.scalars(select(Contact).where(Contact.name == "Dora Dorn")).one()
        assert (dorn.role, dorn.active, dorn.telegram_user_id) == (Role.CONTACT, False, DORA)


# -- contacts stay contacts -----------------------------------------------------------------------


@pytest.mark.slow
async def test_a_contact_is_refused_every_coordinator_command_and_button_and_nothing_changes(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await submit_remark(anna, "Meine Bemerkung")
    await receive(kora, REVIEW)
    sub = newest_submission(sessions, report.projects["waerme"])
    with sessions() as session:
        ben_id = session.scalars(select(Contact.id).where(Contact.name == "Ben Berg")).one()
        audit_before = session.scalar(select(func.count()).select_from(AuditLog))

    answers = []
    for command in (
        "/stand",
        "/pruefen",
        "/erinnern 80.01",
        "/erinnern",
        "/entwurf",
        "/aenderungen",
        "/projekt_neu",
        "/einladen",
        "/sperren Ben Berg",
        "/sperren",
    ):
        answers.append((await say_plain(anna, command)).text)
    target = anna.messages[-1]
    forged = [
        encode(0, Act.APPROVE, sub.id),
        encode(0, Act.FORCE, sub.id),
        encode(0, Act.RETURN, sub.id),
        encode(0, Act.EDIT, sub.id),
        encode(0, Act.VIEW, report.projects["waerme"]),
        encode(0, Act.DROP, sub.project_id),
        encode(0, Act.KEEP, sub.project_id),
        encode(0, Act.REPORT, report.projects["bau"]),
        encode(0, Act.NUDGE, 1),
        encode(0, Act.REVOKE_PICK, ben_id),
        encode(3, Act.REVOKE, ben_id),
        encode(0, Act.PAGE, 0),
        encode(0, Act.APPROVE_UNCHANGED),
        "k1:0:zz:1",
    ]
    for data in forged:
        await anna.press_any(target, data)
    await eventually(lambda: toasts(anna).count(texts.COORD_ONLY) == len(forged))
    own = await say(anna, "/projekte")
    typed = await say_plain(anna, "Ein Text")

    assert answers == [texts.COORD_ONLY] * 10
    assert toasts(anna)[-len(forged) :] == [texts.COORD_ONLY] * len(forged)
    assert "Ihre Projekte – Report Stand 01.10.2025" in own.text
    assert typed.text == texts.TAP_A_BUTTON  # issue 18: one line, no screen
    assert newest_submission(sessions, report.projects["waerme"]).state is (
        SubmissionState.SUBMITTED
    )
    with sessions() as session:
        assert session.get_one(Contact, ben_id).active
        assert session.scalar(select(func.count()).select_from(AuditLog)) == audit_before
        assert session.get(Conversation, -ANNA) is None
        assert session.scalars(select(Notification).where(Notification.kind == "nudge")).all() == []
        assert session.get_one(Project, report.projects["radweg"]).status is (Status.IN_BEARBEITUNG)


async def test_a_coordinators_open_dialog_gets_typed_text_only_while_it_spoke_last(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    kora = api.user(KORA, "Kora")
    await say(kora, "/einladen")
    clock.advance(seconds=1)
    await say(kora, "/projekte")
    await tap_starting(kora, "1.1.2.1")
    card = await tap(kora, texts.BTN_REPORT)  # the contact conversation speaks last now
    to_the_card = await say_plain(kora, "Erika Muster")
    clock.advance(seconds=1)
    await say(kora, "/einladen")
    name = await say(kora, "Erika Muster")
    cancelled = await say_plain(kora, "/abbrechen")
    afterwards = await say_plain(kora, "/abbrechen")

    assert "Wärmeplanung für kreiseigene Gebäude" in card.text
    assert texts.BTN_EDIT in labels(kora, card)
    assert to_the_card.text == texts.TAP_A_BUTTON  # issue 18: one line, no screen
    assert "Für welche Abteilungen meldet Erika Muster?" in name.text
    assert cancelled.text == texts.COORD_CANCELLED
    assert afterwards.text.startswith(texts.CANCELLED)  # the contact conversation's /abbrechen
    with sessions() as session:
        assert session.scalars(select(Contact).where(Contact.name == "Erika Muster")).all() == []


async def test_pruefen_lists_the_submissions_waiting_for_a_decision(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    nothing = await say_plain(kora, "/pruefen")
    await submit_remark(anna, "Neu")
    await receive(kora, REVIEW)

    waiting = await say_plain(kora, "/pruefen")
    again = await receive(kora, REVIEW)

    assert nothing.text == texts.REVIEW_WAITING_NONE
    assert waiting.text == "1 Meldung wartet auf Freigabe."
    assert "Nr. 1.1.2.1 · Wärmeplanung" in again.text
    assert labels(kora, again)[0] == texts.BTN_APPROVE


async def test_hilfe_shows_coordinators_their_commands_and_contacts_only_theirs(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    kora, anna = api.user(KORA, "Kora"), api.user(ANNA, "Anna")

    for_kora = await say_plain(kora, "/hilfe")
    for_anna = await say_plain(anna, "/hilfe")

    assert "/stand" in for_kora.text and "/projekt_neu" in for_kora.text
    assert for_anna.text == texts.HELP.replace("<b>", "").replace("</b>", "")


async def test_after_hilfe_the_open_dialogs_question_comes_back_and_is_still_answered(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await submit_remark(anna, "Fertig.")
    review = await receive(kora, REVIEW)
    asked = await press(kora, review, texts.BTN_RETURN)

    await kora.send("/hilfe")
    helped = await receive_new(kora, "/stand")
    again = await kora.wait_for_message(lambda m: not m.edited and m is not helped)
    await kora.send("Bitte mit Datum.")
    await receive(kora, "Zurückgegeben:")

    assert again.text == asked.text and labels(kora, again) == labels(kora, asked)
    sub = newest_submission(sessions, report.projects["waerme"])
    assert sub.state is SubmissionState.RETURNED and sub.return_reason == "Bitte mit Datum."


async def test_hilfe_outside_a_dialog_is_the_help_alone(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    kora = api.user(KORA, "Kora")
    await say_plain(kora, "/hilfe")
    await kora.send("/stand")
    stand = await kora.wait_for_message(lambda m: not m.edited and "/stand" not in m.text)
    assert [m.text for m in kora.messages if not m.edited][-1] == stand.text
    assert len([m for m in kora.messages if not m.edited]) == 2  # the help, then /stand


def test_callback_data_of_the_coordination_is_compact_and_strictly_checked() -> None:
    from bot.common.callback_data import decode_act as decode

    longest = encode(999_999_999, Act.REMOVE_PICK, 9_999_999_999)
    assert len(longest.encode()) <= 64
    assert decode(encode(0, Act.APPROVE, 42)) is not None
    for forged in (
        "k1:5:ap:42",
        "k1:0:ap",
        "k1:0:ab:1",
        "k1:0:ap:-1",
        "k1:0:ap:01",
        "k1:0:xx:1",
        "n1:0:ap:1",
        "k1:0:ap:1:2",
        None,
        42,
        "k1:0:ap:" + "9" * 11,
    ):
        assert decode(forged) is None, forged


# -- the command menus ----------------------------------------------------------------------------


def chat_menu(api: FakeBotApi, chat_id: int) -> list[str]:
    """The commands Telegram shows in ``chat_id``'s own menu (empty: the default menu)."""
    return [c["command"] for c in api.commands({"type": "chat", "chat_id": chat_id})]


COORD_MENU = [name for name, _ in texts.COORD_COMMANDS]


async def test_coordinators_chats_get_the_coordination_menu_contacts_keep_the_default(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    kora, dora = api.user(KORA, "Kora"), api.user(DORA, "Dora")
    await say(kora, "/einladen")
    await say(kora, "Dora Dorn")
    await tap(kora, texts.BTN_CONTINUE)
    await kora.press_button(find(kora, "Koordination"), "Koordination")
    invited = await receive(kora, "Einladung für Dora Dorn")
    token = re.findall(r"https://t\.me/\S+", invited.text)[0].split("=", 1)[1]
    await say_plain(dora, f"/start {token}")  # issue 18: the coordination welcome, no screen

    assert chat_menu(api, KORA) == COORD_MENU
    assert chat_menu(api, BERND) == COORD_MENU  # an admin coordinates too
    assert chat_menu(api, DORA) == COORD_MENU  # set when the invitation was redeemed
    assert chat_menu(api, ANNA) == []
    assert [c["command"] for c in api.commands()] == [n for n, _ in texts.COMMANDS]
    assert {"stand", "pruefen", "einladen"} <= set(COORD_MENU)


async def test_a_refused_menu_does_not_stop_the_bot_and_hilfe_sets_it_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, clock: FakeClock
) -> None:
    kora, bernd = api.user(KORA, "Kora"), api.user(BERND, "Bernd")
    calls = 0

    def refuse_first_chat_menu(method: str, _chat_id: int | None) -> ApiError | None:
        nonlocal calls
        if method != "setMyCommands":
            return None
        calls += 1  # 1: the default menu, 2: Kora's (coordinators by id), 3: Bernd's
        return ApiError.bad_request("chat not found") if calls == 2 else None

    api.set_fault_policy(refuse_first_chat_menu)
    async with running_bot(api, sessions, clock):
        missing = chat_menu(api, KORA)
        await say_plain(bernd, "/stand")  # the bot runs
        api.clear_faults()
        help_text = await say_plain(kora, "/hilfe")

    assert missing == [] and calls == 3
    assert chat_menu(api, BERND) == COORD_MENU
    assert "/stand" in help_text.text
    assert chat_menu(api, KORA) == COORD_MENU
