"""Corrections (issue 18, items 4 and 5 on the contact's side), end to end through the fake
Bot API: an edited last answer is taken over, every entry can be changed or removed whole, a
remark is extended or replaced, and a date the reader nearly understands is offered as a
button."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import labels, next_screen, running_bot, say, tap
from support.bot_seed import FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import FakeBotApi, FakeUser

from bot import texts
from bot.app import BotApplication
from core.changes import ChangeSet, NewEntry
from core.models import Role, Submission

api = fixtures.fake_bot_api

ANNA, CARLA, KORA = 1001, 1003, 3001


@pytest_asyncio.fixture
async def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Carla (61), Anna (80.01) and the coordinator Kora are bound."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
    return seeded


@pytest_asyncio.fixture
async def bot(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport
) -> AsyncIterator[BotApplication]:
    """The bot polling the fake server, on 16 June 2025."""
    async with running_bot(api, sessions, FakeClock()) as application:
        yield application


def draft(sessions: sessionmaker[Session], project_id: int) -> ChangeSet:
    """The change set of the project's newest submission."""
    with sessions() as session:
        sub = session.scalars(
            select(Submission)
            .where(Submission.project_id == project_id)
            .order_by(Submission.id.desc())
        ).first()
        assert sub is not None, f"no submission for project {project_id}"
        return ChangeSet.from_json(sub.changes)


async def to_menu(user: FakeUser) -> None:
    """The first project's change menu."""
    await say(user, "/projekte")
    await tap(user, texts.BTN_START)
    await tap(user, texts.BTN_EDIT)


async def answer(user: FakeUser, text: str) -> int:
    """Send ``text`` and wait for the next screen; the id of the user's message."""
    message_id = await user.send(text)
    await next_screen(user)
    return message_id


# -- the edited last answer ---------------------------------------------------------------------


async def test_an_edited_last_answer_is_taken_over_and_an_older_one_gets_a_hint(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_DONE)
    date_id = await answer(carla, "2025")
    await carla.edit(date_id, "Mitte 2025")  # still on the text question: the date is replaced
    redated = await next_screen(carla)
    text_id = await answer(carla, "Radweg kartirt")

    await carla.edit(text_id, "Radweg kartiert")
    corrected = await next_screen(carla)
    await carla.edit(date_id, "2024")  # no longer the last answer
    hint = await carla.wait_for_message(lambda m: not m.edited)  # not an old screen's buttons

    assert redated.text.startswith("Korrigiert: Mitte 2025")
    assert "Was wurde abgeschlossen?" in redated.text
    assert corrected.text.startswith("Korrigiert: Radweg kartiert")
    assert "+ Meilenstein Mitte 2025 – Radweg kartiert" in corrected.text
    assert hint.text == texts.EDIT_OLDER
    assert not labels(carla, hint)
    assert draft(sessions, report.projects["radweg"]).milestones_done == [
        NewEntry("2025-MID", "Radweg kartiert")
    ]


async def test_an_edit_after_moving_to_another_project_changes_nothing(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_PLANNED)
    await answer(carla, "2026")
    typed = await answer(carla, "Beschilderung")
    await tap(carla, texts.BTN_BACK)
    await tap(carla, texts.BTN_SKIP)

    await carla.edit(typed, "Beschilderung der Hauptrouten")
    hint = await carla.wait_for_message(lambda m: not m.edited)

    assert hint.text == texts.EDIT_OLDER
    assert draft(sessions, report.projects["radweg"]).milestones_planned == [
        NewEntry("2026", "Beschilderung")
    ]


async def test_a_corrected_answer_sent_again_on_the_menu_is_offered_as_replacement(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_PLANNED)
    await answer(carla, "2026")
    await answer(carla, "Beschilderung der Hauptroten")

    offer = await say(carla, "Beschilderung der Hauptrouten")
    replaced = await tap(carla, texts.BTN_REPLACE_LAST)
    await carla.send("Was soll ich tun?")
    unrelated = await carla.wait_for_message(lambda m: not m.edited)  # issue 18: one line

    assert offer.text.startswith(
        "Soll „Beschilderung der Hauptrouten“ Ihre letzte Eingabe "
        "„Beschilderung der Hauptroten“ ersetzen?"
    )
    assert labels(carla, offer)[0] == texts.BTN_REPLACE_LAST
    assert replaced.text.startswith("Korrigiert: Beschilderung der Hauptrouten")
    assert unrelated.text == texts.TAP_A_BUTTON and unrelated.reply_markup is None
    assert texts.BTN_REPLACE_LAST not in labels(carla, replaced)
    assert draft(sessions, report.projects["radweg"]).milestones_planned == [
        NewEntry("2026", "Beschilderung der Hauptrouten")
    ]


async def test_an_edit_in_a_coordinators_dialog_leaves_the_dialog_its_typed_text(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    kora = api.user(KORA, "Kora")
    await say(kora, "/projekt_neu")
    await tap(kora, "1 Klima/Energie/Umwelt")
    await tap(kora, "1.2 Erneuerbare Energien sollen wachsen.")
    typed = await answer(kora, "Solarpark auf der Deponi")

    await kora.edit(typed, "Solarpark auf der Deponie")
    hint = await kora.wait_for_message()
    short = await say(kora, "Solarpark")

    assert hint.text == texts.EDIT_OLDER
    assert "Ausgewählt: –" in short.text  # the dialog took the short title


# -- ✎ ändern / ✕ entfernen ---------------------------------------------------------------------

LONG = "Radwegenetz im Kreisgebiet vollständig kartiert und nach Zustand bewertet, Abschnitt "


async def test_entries_show_whole_and_are_changed_or_removed_by_number(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    for part in ("Nord", "Süd"):
        await tap(carla, texts.BTN_DONE)
        await answer(carla, "2025")
        await answer(carla, LONG + part)

    entries = await tap(carla, texts.BTN_ENTRIES)
    asked = await tap(carla, "✎ 2")
    changed = await say(carla, LONG + "Süd und Mitte")
    await tap(carla, texts.BTN_ENTRIES)
    await tap(carla, "✎ 1")
    date_asked = await tap(carla, "✎ Datum")
    redated = await say(carla, "Mai 2025")
    await tap(carla, texts.BTN_ENTRIES)
    removed = await tap(carla, "✕ 1")

    assert f"1. + Meilenstein 2025 – {LONG}Nord" in entries.text
    assert f"2. + Meilenstein 2025 – {LONG}Süd" in entries.text
    assert labels(carla, entries)[:4] == ["✎ 1", "✕ 1", "✎ 2", "✕ 2"]
    assert f"Bisher (zum Kopieren antippen): {LONG}Süd" in asked.text
    assert f"<code>{LONG}Süd</code>" in asked.raw_text
    assert "✎ Datum" in labels(carla, asked)
    assert changed.text.startswith(f"Korrigiert: {LONG}Süd und Mitte")
    assert "neuen Wert für Datum" in date_asked.text
    assert redated.text.startswith("Korrigiert: Mai 2025")
    assert removed.text.startswith("Entfernt: + Meilenstein Mai 2025")
    assert draft(sessions, report.projects["radweg"]).milestones_done == [
        NewEntry("2025", LONG + "Süd und Mitte")
    ]


async def test_a_drop_reason_is_edited_and_a_consultations_gremium_changed(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_STATUS)
    await tap(carla, "entfallen")
    reason = await answer(carla, "Dauerafgabe")
    await carla.edit(reason, "Daueraufgabe")
    await next_screen(carla)
    await tap(carla, texts.BTN_SINCE_TODAY)  # Seit wann? (issue 18)
    await tap(carla, texts.BTN_CONSULTATION)
    await answer(carla, "6.5.2025")
    await answer(carla, "Kreistag")
    await tap(carla, "Beschlussvorlage")
    await answer(carla, "101/2025")

    await tap(carla, texts.BTN_ENTRIES)
    asked = await tap(carla, "✎ 2")
    changed = await say(carla, "Ausschuss für Umwelt")

    assert "neuen Wert für Gremium" in asked.text
    assert labels(carla, asked)[:2] == ["✎ Datum", "✎ Vorlagennummer"]
    assert "+ Beratung 06.05.2025 Ausschuss für Umwelt, Beschlussvorlage 101/2025" in changed.text
    changes = draft(sessions, report.projects["radweg"])
    assert changes.drop_reason == "Daueraufgabe"
    assert [(c.date, c.gremium, c.nummer) for c in changes.consultations] == [
        ("2025-05-06", "Ausschuss für Umwelt", "101/2025")
    ]


# -- the remark ---------------------------------------------------------------------------------


async def test_a_remark_is_shown_to_copy_and_extended_or_replaced(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna = api.user(ANNA, "Anna")
    await to_menu(anna)

    shown = await tap(anna, texts.BTN_REMARK)
    appending = await tap(anna, texts.BTN_REMARK_APPEND)
    await say(anna, "Auszahlung <2026> & später.")
    extended = draft(sessions, report.projects["waerme"]).remark
    again = await tap(anna, texts.BTN_REMARK)
    await say(anna, "Alles neu.")
    replaced = draft(sessions, report.projects["waerme"]).remark

    assert "<code>Die Förderung ist bewilligt.</code>" in shown.raw_text
    assert labels(anna, shown)[:2] == [texts.BTN_REMARK_APPEND, texts.BTN_CLEAR_REMARK]
    assert texts.ASK_REMARK_APPEND in appending.text
    assert labels(anna, appending)[0] == texts.BTN_REMARK_REPLACE
    assert extended == "Die Förderung ist bewilligt.\n\nAuszahlung <2026> & später."
    assert "<code>Die Förderung ist bewilligt.\n\nAuszahlung &lt;2026&gt; &amp; später.</code>" in (
        again.raw_text
    )
    assert replaced == "Alles neu."


async def test_an_edited_addition_to_the_remark_keeps_the_remark_before_it(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    anna = api.user(ANNA, "Anna")
    await to_menu(anna)
    await tap(anna, texts.BTN_REMARK)
    await tap(anna, texts.BTN_REMARK_APPEND)
    typed = await answer(anna, "Auszahlung 2062.")

    await anna.edit(typed, "Auszahlung 2026.")
    corrected = await next_screen(anna)
    edited = draft(sessions, report.projects["waerme"]).remark
    offer = await say(anna, "Auszahlung Mitte 2026.")
    await tap(anna, texts.BTN_REPLACE_LAST)

    assert corrected.text.startswith("Korrigiert: Auszahlung 2026.")
    assert edited == "Die Förderung ist bewilligt.\n\nAuszahlung 2026."
    assert texts.BTN_REPLACE_LAST in labels(anna, offer)
    assert draft(sessions, report.projects["waerme"]).remark == (
        "Die Förderung ist bewilligt.\n\nAuszahlung Mitte 2026."
    )


# -- dates --------------------------------------------------------------------------------------


async def test_a_near_date_is_offered_as_a_button_that_takes_it(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_DONE)

    refused = await say(carla, "Setpember 2024")
    taken = await tap(carla, "Meinten Sie „September 2024“?")
    await say(carla, "Radweg kartiert")

    assert "Wann wurde der Meilenstein abgeschlossen?" in refused.text
    assert taken.text.startswith("Verstanden als September 2024.")
    assert "Was wurde abgeschlossen?" in taken.text
    assert draft(sessions, report.projects["radweg"]).milestones_done == [
        NewEntry("2024-09", "Radweg kartiert")
    ]


async def test_an_impossible_date_gets_no_suggestion(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_DONE)

    refused = await say(carla, "31.02.2025")

    assert not [label for label in labels(carla, refused) if label.startswith("Meinten Sie")]


async def test_a_date_without_year_is_read_against_the_contacts_day(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await to_menu(carla)
    await tap(carla, texts.BTN_PLANNED)
    day = await say(carla, "15.9.")
    await tap(carla, texts.BTN_BACK)
    week = await say(carla, "KW 38")

    # the fake clock says 16 June 2025 (the real today is later): the year is the contact's
    assert day.text.startswith("Verstanden als 15.09.2025.")
    assert week.text.startswith("Verstanden als KW 38/2025.")
