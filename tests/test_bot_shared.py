"""End to end (issue 18, items 1-3): shared projects, colleagues in one department, "Seit wann?".

Through the real bot and the fake Bot API: Anna (80.01) and Carla (61) share the
Radwegekonzept; Carla and Paul are colleagues in 61 (the Gesundheitshaus is 61's alone); Kora
coordinates. Both databases.
"""

from __future__ import annotations

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import bot_harness, fixtures
from support.bot_harness import eventually, labels, say, tap
from support.bot_seed import NOW, FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser

from bot import texts
from bot.app import BotApplication
from core.approval import approve
from core.changes import ChangeSet
from core.editions import collecting_edition
from core.models import Contact, Role, Submission, SubmissionState
from core.progress import edition_progress

api = fixtures.fake_bot_api

ANNA, CARLA, PAUL, KORA = 1001, 1003, 1006, 3001
REVIEW = "Meldung zur Freigabe"
WHEN = "16.06.2025, 10:00"  # NOW in Berlin


@pytest_asyncio.fixture
async def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Anna (80.01), Carla and Paul (61) and a coordinator bound."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
        add_contact(session, "Paul Zweit", ["61"], telegram_user_id=PAUL)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
    return seeded


clock = bot_harness.soest_clock
bot = bot_harness.polling_bot


async def receive(user: FakeUser, text: str, *, new: bool = False) -> BotMessage:
    """The bot's next message (or edit, unless ``new``) to ``user`` containing ``text``."""
    return await user.wait_for_message(
        lambda m: text in m.text and not (new and m.edited), timeout=10.0
    )


def newest(sessions: sessionmaker[Session], project_id: int) -> Submission:
    """The project's newest submission, with its contributions loaded."""
    with sessions() as session:
        sub = session.scalars(
            select(Submission)
            .where(Submission.project_id == project_id)
            .order_by(Submission.id.desc())
        ).first()
        assert sub is not None
        _ = [(c.department.code, c.kind) for c in sub.contributions]
        return sub


def contributed(sessions: sessionmaker[Session], project_id: int) -> dict[str, str]:
    """Department code -> what it contributed to the project's newest submission."""
    return {c.department.code: c.kind.value for c in newest(sessions, project_id).contributions}


def figures(sessions: sessionmaker[Session]) -> dict[str, tuple[int, int, int, int]]:
    """Per department: (projects, open, submitted, approved)."""
    with sessions() as session:
        edition = collecting_edition(session, NOW.date())
        return {
            p.code: (p.projects, p.open, p.submitted, p.approved)
            for p in edition_progress(session, edition)
        }


async def open_project(user: FakeUser, title: str) -> BotMessage:
    """/projekte, then the card of the project whose button names ``title``."""
    overview = await say(user, "/projekte")
    if texts.BTN_OVERVIEW in labels(user, overview):  # [Weiter bei …] offered first
        overview = await tap(user, texts.BTN_OVERVIEW)
    found = [x for x in labels(user, overview) if title in x]
    assert found, (overview.text, labels(user, overview))
    return await tap(user, found[0])


async def no_changes_for_radweg(carla: FakeUser) -> None:
    """Carla (61) hands in the Radwegekonzept, the first project of her walk, unchanged."""
    await say(carla, "/projekte")
    card = await tap(carla, texts.BTN_START)
    assert "Radwegekonzept" in card.text
    await tap(carla, texts.BTN_NO_CHANGES)


async def radweg_reported_by_carla_opened_by_anna(
    anna: FakeUser, carla: FakeUser, kora: FakeUser
) -> BotMessage:
    """Carla (61) hands in the shared Radwegekonzept unchanged, Anna (80.01) opens its card;
    the coordinator's review message of Carla's report."""
    await no_changes_for_radweg(carla)
    review = await receive(kora, REVIEW)
    await open_project(anna, "Radwegekonzept")
    return review


# -- shared projects ----------------------------------------------------------------------------


async def test_a_shared_project_handed_in_by_one_department_stays_in_the_others_walk_through(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla = api.user(ANNA, "Anna"), api.user(CARLA, "Carla")
    await no_changes_for_radweg(carla)

    overview = await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    card = await tap(anna, texts.BTN_NO_CHANGES)  # the second project: the shared one
    confirmed = await tap(anna, texts.BTN_CONFIRM_REPORT)
    done = await tap(anna, texts.BTN_NO_CHANGES)

    assert "0 von 3 gemeldet" in overview.text  # Carla's hand-in is not Anna's
    assert "2. 1.2.2.1 Radwegekonzept – offen" in overview.text
    assert "Projekt 2 von 3 · Nr. 1.2.2.1\nRadwegekonzept" in card.text
    assert "Meldung: offen" in card.text
    assert f"Gemeldet von 61 (Carla Christ) am {WHEN}: Keine Änderungen" in card.text
    assert texts.CARD_FOREIGN_ASK in card.text
    assert labels(anna, card)[:2] == [texts.BTN_CONFIRM_REPORT, texts.BTN_EXTEND_REPORT]
    assert texts.BTN_NO_CHANGES not in labels(anna, card)
    assert "Bestätigt: „Radwegekonzept“ passt so." in confirmed.text
    assert "Projekt 3 von 3" in confirmed.text
    assert texts.ALL_DONE in done.text and "3 von 3 gemeldet" in done.text
    assert contributed(sessions, report.projects["radweg"]) == {
        "61": "no_changes",
        "80.01": "confirmed",
    }
    assert newest(sessions, report.projects["radweg"]).state is SubmissionState.SUBMITTED
    # per department: (projects, open, submitted, approved)
    assert figures(sessions) == {"61": (2, 1, 1, 0), "70.02": (1, 1, 0, 0), "80.01": (3, 0, 3, 0)}
    assert [anna.failed_calls, carla.failed_calls] == [[], []]


async def test_passt_so_names_the_department_on_the_coordinators_copy_of_the_report(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla, kora = api.user(ANNA, "Anna"), api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    review = await radweg_reported_by_carla_opened_by_anna(anna, carla, kora)
    await tap(anna, texts.BTN_CONFIRM_REPORT)
    confirmed = await receive(kora, "Carla Christ, Anna Abt")

    assert f"Abteilung: 61, 80.01 · von Carla Christ · {WHEN}" in review.text
    assert confirmed.message_id == review.message_id and confirmed.edited
    assert f"Abteilung: 61, 80.01 · von Carla Christ, Anna Abt · {WHEN}" in confirmed.text
    assert labels(kora, confirmed) == labels(kora, review)  # still to be decided
    assert len([m for m in kora.messages if not m.edited]) == 1  # an edit: no new ring
    assert kora.failed_calls == []


async def test_ergaenzen_takes_the_buttons_off_the_coordinators_copy_until_handed_in_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla, kora = api.user(ANNA, "Anna"), api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    review = await radweg_reported_by_carla_opened_by_anna(anna, carla, kora)
    await tap(anna, texts.BTN_EXTEND_REPORT)
    reopened = await receive(kora, texts.REVIEW_IN_REVISION)

    assert reopened.message_id == review.message_id and labels(kora, reopened) == []
    assert "Radwegekonzept" in reopened.text
    assert len([m for m in kora.messages if not m.edited]) == 1
    assert kora.failed_calls == []


async def test_a_report_already_approved_can_be_confirmed_but_not_reopened(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla = api.user(ANNA, "Anna"), api.user(CARLA, "Carla")
    await no_changes_for_radweg(carla)
    with sessions.begin() as session:
        kora = session.scalars(select(Contact).where(Contact.telegram_user_id == KORA)).one()
        approve(session, newest(sessions, report.projects["radweg"]).id, kora, NOW)

    card = await open_project(anna, "Radwegekonzept")
    await tap(anna, texts.BTN_CONFIRM_REPORT)
    overview = await say(anna, "/projekte")

    assert f"Gemeldet von 61 (Carla Christ) am {WHEN}: Keine Änderungen" in card.text
    assert "Diese Meldung ist bereits freigegeben." in card.text
    assert texts.BTN_EXTEND_REPORT not in labels(anna, card)
    assert texts.BTN_CONFIRM_REPORT in labels(anna, card)
    assert "2. 1.2.2.1 Radwegekonzept – freigegeben" in overview.text
    assert contributed(sessions, report.projects["radweg"])["80.01"] == "confirmed"
    assert figures(sessions)["80.01"] == (3, 2, 0, 1)


async def test_ergaenzen_reopens_the_report_everyone_is_named_and_hears_the_approval(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna, carla, kora = api.user(ANNA, "Anna"), api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_REMARK)
    await say(carla, "Erster Abschnitt fertig.")
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    first = await receive(kora, REVIEW)

    card = await open_project(anna, "Radwegekonzept")
    menu = await tap(anna, texts.BTN_EXTEND_REPORT)
    await tap(anna, texts.BTN_STATUS)
    await tap(anna, "umgesetzt")
    await say(anna, "Mai 2025")
    summary = await tap(anna, texts.BTN_SUMMARY)
    await tap(anna, texts.BTN_SUBMIT)
    second = await receive(kora, "von Carla Christ, Anna Abt", new=True)
    await kora.press_button(second, texts.BTN_APPROVE)
    told_anna = await receive(anna, "wurde freigegeben")
    told_carla = await receive(carla, "wurde freigegeben")
    after = await open_project(anna, "Radwegekonzept")

    assert f"Abteilung: 61, 80.01 · von Carla Christ · {WHEN}" in first.text
    assert f"Gemeldet von 61 (Carla Christ) am {WHEN}: Änderungen" in card.text
    assert "Erster Abschnitt fertig." in card.text
    assert texts.EXTENDING_REPORT in menu.text
    assert "(Carla Christ)" in menu.text  # Carla's remark, named in Anna's menu
    assert "Status: in Bearbeitung → umgesetzt (seit Mai 2025)\n" in summary.text
    remark = next(line for line in summary.text.splitlines() if "Erster Abschnitt" in line)
    assert remark.endswith("(Carla Christ)")
    assert "Ihre Änderungen" not in summary.text
    assert "Status: in Bearbeitung → umgesetzt (seit Mai 2025)" in second.text
    for told in (told_anna, told_carla):
        assert told.text.startswith("Ihre Meldung zu 1.2.2.1 „Radwegekonzept“ wurde freigegeben")
    assert "Status: umgesetzt seit Mai 2025" in after.text  # the printed status line
    assert contributed(sessions, report.projects["radweg"]) == {"61": "changes", "80.01": "changes"}
    assert figures(sessions)["61"] == (2, 1, 0, 1)
    assert figures(sessions)["80.01"] == (3, 2, 0, 1)


# -- colleagues ---------------------------------------------------------------------------------


async def test_colleagues_see_who_edited_last_whose_entry_is_whose_and_both_hear_the_return(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    carla, paul, kora = api.user(CARLA, "Carla"), api.user(PAUL, "Paul"), api.user(KORA, "Kora")
    await open_project(carla, "Gesundheitshaus")
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_REMARK)
    await say(carla, "Beratungsstelle eröffnet.")

    clock.advance(hours=1)
    card = await open_project(paul, "Gesundheitshaus")
    await tap(paul, texts.BTN_EDIT)
    await tap(paul, texts.BTN_PLANNED)
    await tap(paul, texts.BTN_NO_DATE)
    await say(paul, "Neubau")
    summary = await tap(paul, texts.BTN_SUMMARY)
    await tap(paul, texts.BTN_SUBMIT)
    review = await receive(kora, REVIEW)
    await kora.press_button(review, texts.BTN_RETURN)
    await receive(kora, "Warum")
    await kora.send("Bitte mit Datum.")
    told_carla = await receive(carla, "wurde zurückgegeben")
    told_paul = await receive(paul, "wurde zurückgegeben")
    carla_card = await open_project(carla, "Gesundheitshaus")

    assert f"Zuletzt bearbeitet von Carla Christ am {WHEN}" in card.text
    assert "Eingetragene Änderungen:" in card.text
    assert "Ihre Änderungen" not in card.text
    lines = summary.text.splitlines()
    assert next(x for x in lines if "Beratungsstelle" in x).endswith("(Carla Christ)")
    assert "(" not in next(x for x in lines if "Neubau" in x)
    assert "Ihre Änderungen" not in summary.text
    assert "von Carla Christ, Paul Zweit" in review.text
    assert "Gesundheitshaus" in told_carla.text and "Gesundheitshaus" in told_paul.text
    assert "Zuletzt bearbeitet von Paul Zweit am 16.06.2025, 11:00" in carla_card.text
    sub = newest(sessions, report.projects["bau"])
    authors = ChangeSet.from_json(sub.changes).all_authors()
    assert sorted(a.by_name for a in authors) == ["Carla Christ", "Paul Zweit"]


async def test_an_entry_a_colleague_changes_with_the_pencil_becomes_theirs(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla, paul = api.user(CARLA, "Carla"), api.user(PAUL, "Paul")
    await open_project(carla, "Gesundheitshaus")
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_PLANNED)
    await tap(carla, texts.BTN_NO_DATE)
    await say(carla, "Neubau")

    await open_project(paul, "Gesundheitshaus")
    await tap(paul, texts.BTN_EDIT)
    await tap(paul, texts.BTN_ENTRIES)
    await tap(paul, "✎ 1")
    changed = await say(paul, "Neubau Süd")
    card = await open_project(carla, "Gesundheitshaus")

    assert "Neubau Süd" in changed.text and "(Carla Christ)" not in changed.text
    planned = ChangeSet.from_json(newest(sessions, report.projects["bau"]).changes)
    assert [(e.text, e.author and e.author.by_name) for e in planned.milestones_planned] == [
        ("Neubau Süd", "Paul Zweit")
    ]
    assert "Neubau Süd (Paul Zweit)" in card.text
    assert "Zuletzt bearbeitet von Paul Zweit" in card.text


# -- "Seit wann?" -------------------------------------------------------------------------------


def status_since(sessions: sessionmaker[Session], project_id: int) -> str | None:
    return ChangeSet.from_json(newest(sessions, project_id).changes).status_since


async def test_seit_wann_takes_heute_diesen_monat_or_a_typed_date_and_refuses_others(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna = api.user(ANNA, "Anna")
    waerme = report.projects["waerme"]
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_STATUS)
    asked = await tap(anna, "umgesetzt")
    today = await tap(anna, texts.BTN_SINCE_TODAY)
    after_today = status_since(sessions, waerme)
    await tap(anna, texts.BTN_STATUS)
    await tap(anna, "Ideenspeicher")
    month = await tap(anna, texts.BTN_SINCE_MONTH)
    after_month = status_since(sessions, waerme)
    await tap(anna, texts.BTN_STATUS)
    await tap(anna, "in Planung")
    range_refused = await say(anna, "bis Ende 2025")
    future_refused = await say(anna, "2030")
    typed = await say(anna, "seit März 2025")
    summary = await tap(anna, texts.BTN_SUMMARY)

    assert "Seit wann gilt „umgesetzt“?" in asked.text
    assert labels(anna, asked)[:2] == [texts.BTN_SINCE_TODAY, texts.BTN_SINCE_MONTH]
    assert "Gespeichert: Status „umgesetzt“ seit 16.06.2025." in today.text
    assert after_today == "2025-06-16"
    assert "Gespeichert: Status „Ideenspeicher“ seit Juni 2025." in month.text
    assert after_month == "2025-06"
    assert "passt hier nicht" in range_refused.text
    assert "Seit wann gilt „in Planung“?" in range_refused.text  # a second chance
    assert "liegt in der Zukunft" in future_refused.text
    assert "Gespeichert: Status „in Planung“ seit März 2025." in typed.text
    assert "Status: in Bearbeitung → in Planung (seit März 2025)" in summary.text
    await eventually(lambda: status_since(sessions, waerme) == "2025-03")
    assert anna.failed_calls == []


async def test_stand_of_one_department_shows_its_own_state_of_a_shared_project(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla, kora = api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await no_changes_for_radweg(carla)

    await kora.send("/stand 80.01")
    klima = await kora.wait_for_message(lambda m: "Stand 80.01" in m.text, timeout=10.0)
    await kora.send("/stand 61")
    planung = await kora.wait_for_message(lambda m: "Stand 61" in m.text, timeout=10.0)
    await kora.send("/stand 99.99")
    unknown = await kora.wait_for_message(timeout=10.0)

    assert klima.text.splitlines()[0] == "Stand 80.01 – Report Stand 01.10.2025"
    assert "1.2.2.1 Radwegekonzept – offen" in klima.text
    assert "1.1.2.1 Wärmeplanung für kreiseigene Gebäude – offen" in klima.text
    assert "1.2.2.1 Radwegekonzept – eingereicht" in planung.text
    assert "Gesundheitshaus – offen" in planung.text
    assert "Wärmeplanung" not in planung.text
    assert "99.99" in unknown.text and "Stand" not in unknown.text.splitlines()[0]
    assert kora.failed_calls == []
