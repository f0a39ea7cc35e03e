"""Issue 18, items 7 and 8: people keep their place, and the first contact says what, by when
and how long. End to end through the fake Bot API, like tests/test_bot_conversation.py."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy.orm import Session, sessionmaker
from support import bot_harness, fixtures
from support.bot_harness import (
    eventually,
    has_keyboard,
    labels,
    next_screen,
    running_bot,
    say,
    settled,
    tap,
)
from support.bot_seed import FakeClock, SmallReport, add_contact
from support.fake_bot_api import ApiError, BotMessage, FakeBotApi, FakeUser
from test_bot_conversation import CARLA, STRANGER, invite_with_cli, report, submission

from bot import texts
from bot.app import BotApplication
from core.changes import ChangeSet, NewEntry
from core.config import ScheduleSettings
from core.dates import format_day
from core.models import Role
from core.schedule import plan

api = fixtures.fake_bot_api
__all__ = ["report"]  # the fixture of tests/test_bot_conversation.py

KORA = 3001


clock = bot_harness.soest_clock
bot = bot_harness.polling_bot


def now_shown(user: FakeUser, message: BotMessage) -> BotMessage:
    """``message`` as the chat shows it now (after edits)."""
    return next(m for m in user.current_messages if m.message_id == message.message_id)


async def plain_answer(user: FakeUser, text: str) -> BotMessage:
    """Send ``text``; the bot's next new message, with or without buttons (edits that only
    take the buttons off an older screen are skipped)."""
    await user.send(text)
    return await user.wait_for_message(lambda m: not m.edited)


# -- 1. every question names the project and the step -------------------------------------------


async def test_every_question_names_the_project_and_its_step(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)

    first = await tap(carla, texts.BTN_CONSULTATION)
    second = await say(carla, "6.5.2025")
    third = await say(carla, "Kreistag")
    fourth = await tap(carla, "Beschlussvorlage")
    menu = await say(carla, "101/2025")
    remark = await tap(carla, texts.BTN_REMARK)

    assert first.text.startswith("Projekt 1.2.2.1 · Schritt 1/4\n\nWann war die Beratung")
    assert "Projekt 1.2.2.1 · Schritt 2/4" in second.text
    assert "Projekt 1.2.2.1 · Schritt 3/4" in third.text
    assert "Projekt 1.2.2.1 · Schritt 4/4" in fourth.text
    assert "Schritt" not in menu.text  # the menu shows the project itself
    assert remark.text.startswith("Projekt 1.2.2.1\n")  # one question: the project only


# -- 2. /start and /projekte never drop work ----------------------------------------------------


async def test_start_on_day_two_offers_weiter_bei_and_the_half_entered_milestone_survives(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    clock: FakeClock,
    bot: BotApplication,
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_DONE)
    await say(carla, "Mitte 2024")  # the date is in, the text not yet
    clock.advance(days=1)

    offer = await say(carla, "/start")
    again = await say(carla, "/projekte")
    question = await tap(carla, "Weiter bei 1.2.2.1 · Schritt 2/2")
    menu = await say(carla, "Radwege kartiert")

    assert offer.text.startswith("Hallo Carla Christ")
    assert "mitten in einer Eingabe: Projekt 1.2.2.1 · Schritt 2/2" in offer.text
    assert labels(carla, offer) == ["Weiter bei 1.2.2.1 · Schritt 2/2", texts.BTN_OVERVIEW]
    assert labels(carla, again) == labels(carla, offer)
    assert "Projekt 1.2.2.1 · Schritt 2/2\n\nWas wurde abgeschlossen?" in question.text
    assert "+ Meilenstein Mitte 2024 – Radwege kartiert" in menu.text
    assert submission(sessions, report.projects["radweg"]) == (
        "draft",
        ChangeSet(milestones_done=[NewEntry("2024-MID", "Radwege kartiert")]),
    )


async def test_the_overview_button_of_the_offer_leaves_the_entry_by_choice(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    idle_card = await say(carla, "/projekte")  # a card without changes: nothing to lose
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    empty_menu = await say(carla, "/projekte")  # the change menu of an empty draft: neither
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_REMARK)
    await say(carla, "Neue Bemerkung")
    with_draft = await say(carla, "/projekte")  # the change menu with an unsent remark
    await tap(carla, "Weiter bei 1.2.2.1")
    await tap(carla, texts.BTN_PLANNED)
    await say(carla, "/projekte")

    overview = await tap(carla, texts.BTN_OVERVIEW)

    for screen in (idle_card, empty_menu, overview):
        assert "Ihre Projekte – Report Stand 01.10.2025" in screen.text
    assert "noch nicht eingereichte Änderungen bei Projekt 1.2.2.1" in with_draft.text


# -- 3. after /hilfe (and /help) the current step comes back -------------------------------------


async def test_after_hilfe_and_help_the_current_question_comes_back_with_its_buttons(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    with sessions.begin() as session:
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
    carla, kora = api.user(CARLA, "Carla"), api.user(KORA, "Kora")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_PLANNED)

    helped = await plain_answer(carla, "/hilfe")
    question = await next_screen(carla)
    await carla.send("/help")
    helped_again = await carla.wait_for_message(lambda m: not m.edited)
    question_again = await next_screen(carla)
    for_kora = await plain_answer(kora, "/help")

    assert helped.text.startswith("So funktioniert es") and helped.reply_markup is None
    assert helped_again.text == helped.text
    for screen in (question, question_again):
        assert "Wann ist der Meilenstein geplant?" in screen.text
        assert labels(carla, screen) == [texts.BTN_NO_DATE, texts.BTN_BACK, texts.BTN_OVERVIEW]
    assert "/stand" in for_kora.text  # the coordination's help, also under /help


# -- 4. a stray text gets one line; typed labels work as taps ------------------------------------


async def test_a_stray_text_gets_one_line_and_the_screen_above_keeps_its_buttons(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    card = await say(carla, "/projekte")
    card = await tap(carla, texts.BTN_START)

    hint = await plain_answer(carla, "Hallo, was nun?")
    await tap(carla, texts.BTN_EDIT)  # the card above still works

    assert hint.text == texts.TAP_A_BUTTON and hint.reply_markup is None
    assert [m.message_id for m in carla.messages if not m.edited].count(card.message_id) == 1


async def test_typed_labels_of_visible_buttons_work_as_if_tapped(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")

    card = await say(carla, "weiter")  # "Los geht's ▶"
    second = await say(carla, "keine Änderungen")
    menu = await say(carla, "änderungen eintragen")
    prompt = await tap(carla, texts.BTN_PLANNED)
    back = await say(carla, "Zurück")  # a whole label also where text is asked for
    overview = await say(carla, "übersicht")

    assert card.text.startswith("Projekt 1 von 2 · Nr. 1.2.2.1")
    assert second.text.startswith("Gemeldet: keine Änderungen bei „Radwegekonzept“.")
    assert "Was möchten Sie ändern?" in menu.text
    assert "Wann ist der Meilenstein geplant?" in prompt.text
    assert "Was möchten Sie ändern?" in back.text
    assert "Ihre Projekte – Report Stand 01.10.2025" in overview.text
    assert submission(sessions, report.projects["radweg"]) == (
        "submitted",
        ChangeSet(no_changes=True),
    )


# -- 5. replaced screens lose their buttons; an old tap only toasts ------------------------------


async def test_a_replaced_screen_loses_its_buttons_and_an_old_tap_only_shows_a_toast(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    first = await say(carla, "/projekte")
    old_data = carla.buttons(first)[0][1]
    assert old_data is not None
    second = await say(carla, "/projekte")
    await eventually(lambda: not has_keyboard(now_shown(carla, first)))
    await settled(api, bot)
    shown_before = len(carla.messages)

    await carla.press_any(first, old_data)
    await eventually(lambda: carla.answered_callbacks)
    await settled(api, bot)

    assert second.message_id != first.message_id
    assert [a.text for a in carla.answered_callbacks] == [texts.STALE_TOAST]
    assert len(carla.messages) == shown_before  # nothing moved, nothing new
    assert now_shown(carla, second).text == second.text
    assert has_keyboard(now_shown(carla, second))
    await tap(carla, texts.BTN_START)  # the current screen's buttons still work


async def test_the_new_screen_goes_out_before_the_old_one_loses_its_buttons(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    first = await say(carla, "/projekte")
    calls = len(api.sent_log)

    await say(carla, "/projekte")
    await eventually(lambda: not has_keyboard(now_shown(carla, first)))

    methods = [c.method for c in api.sent_log[calls:] if c.chat_id == CARLA]
    assert methods == ["sendMessage", "editMessageReplyMarkup"]  # the reply does not wait


async def test_a_failed_removal_of_old_buttons_is_only_logged(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    first = await say(carla, "/projekte")
    old_data = carla.buttons(first)[0][1]
    assert old_data is not None
    api.set_fault_policy(
        lambda method, _chat: (
            ApiError.bad_request("message can't be edited")
            if method == "editMessageReplyMarkup"
            else None
        )
    )
    second = await say(carla, "/projekte")
    await eventually(lambda: any(c.status == 400 for c in api.sent_log))
    await settled(api, bot)
    await bot.bot_data.services.drops.idle()
    shown_before = len(carla.messages)

    await carla.press_any(first, old_data)
    await eventually(lambda: carla.answered_callbacks)
    await settled(api, bot)

    assert has_keyboard(now_shown(carla, first))  # it stays: tapping it only toasts
    assert [a.text for a in carla.answered_callbacks] == [texts.STALE_TOAST]
    assert len(carla.messages) == shown_before  # no error message, nothing new
    assert has_keyboard(now_shown(carla, second))


async def test_stopping_the_bot_waits_for_old_buttons_to_go(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, clock: FakeClock
) -> None:
    carla = api.user(CARLA, "Carla")
    async with running_bot(api, sessions, clock) as application:
        first = await say(carla, "/projekte")
        await say(carla, "/projekte")
        await settled(api, application)

    assert not has_keyboard(now_shown(carla, first))


# -- 6. first contact -----------------------------------------------------------------------------


async def test_the_welcome_says_what_by_when_and_how_long_and_labels_show_titles(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    link = await asyncio.to_thread(
        invite_with_cli, api, sessions, "--name", "Anna Abt", "--department", "80.01"
    )
    anna = api.user(1001, "Anna")
    deadline = plan(date(2025, 10, 1), ScheduleSettings().config()).deadline

    overview = await say(anna, f"/start {link.split('=', 1)[1]}")

    welcome = overview.text.split("\n\n")[0].split("\n")
    assert welcome == [
        "Willkommen, Anna Abt! Sie melden für: 80.01.",
        "Hier melden Sie den Stand Ihrer Projekte für den Nachhaltigkeitsreport Kreis Soest.",
        f"Bitte bis {format_day(deadline)} – etwa 2 Minuten je Projekt, bei Ihnen 3 Projekte.",
    ]
    buttons = labels(anna, overview)
    assert "Wärmeplanung für kreiseigene Gebäude" in buttons
    assert not any(label[0].isdigit() for label in buttons)  # numbering is in the body
    assert "1. 1.1.2.1 Wärmeplanung" in overview.text
    assert all(len(label) <= 40 for label in buttons)


async def test_a_coordinator_without_departments_gets_the_coordinators_welcome(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    link = await asyncio.to_thread(
        invite_with_cli, api, sessions, "--name", "Kora Koordination", "--coordinator"
    )
    kora = api.user(KORA, "Kora")

    welcome = await plain_answer(kora, f"/start {link.split('=', 1)[1]}")
    again = await plain_answer(kora, "/start")
    await settled(api, bot)

    assert welcome.text.startswith("Willkommen, Kora Koordination! Sie sind als Koordination")
    assert "Sie melden für" not in welcome.text
    assert again.text == welcome.text
    assert all("Ihre Projekte" not in m.text for m in kora.messages)


async def test_refusals_and_invalid_links_name_whom_to_ask(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    stranger = api.user(STRANGER, "Mallory")

    refused = await plain_answer(stranger, "hallo")
    invalid = await plain_answer(stranger, "/start AAAAAAAAAAAAAAAAAAAAAAAA")

    ask = "Bitte wenden Sie sich an die Nachhaltigkeitskoordination des Kreises Soest."
    assert refused.text.endswith("\n" + ask)
    assert invalid.text == "Diese Einladung ist ungültig oder wurde schon benutzt.\n" + ask


def test_the_coordinator_to_ask_is_configurable() -> None:
    refusal = texts.refusal("des Kreises Unna", "Frau Muster, nachhaltigkeit@kreis-unna.de")

    assert refusal.endswith("\nBitte wenden Sie sich an Frau Muster, nachhaltigkeit@kreis-unna.de.")
