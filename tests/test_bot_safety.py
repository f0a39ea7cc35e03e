"""End to end, the bot never ignores a person and gives nothing away: update ids that start
lower after a week, updates delivered twice, an old invitation link after a new one, the token
and the log, a proxy between the bot and Telegram."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from support import bot_harness, fixtures
from support.bot_harness import (
    bot_settings,
    find_button,
    labels,
    next_screen,
    running_bot,
    say,
    tap,
    tap_starting,
)
from support.bot_seed import FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser
from support.guarded import cli_database, run_nhr
from support.http_proxy import LoopbackProxy

from bot import texts
from bot.app import BotApplication
from bot.common.http import AiohttpRequest
from core.changes import ChangeSet, NewEntry
from core.models import Contact, Role, Submission, SubmissionState
from nhr.cli_bot import bot_username

api = fixtures.fake_bot_api
__all__ = ["cli_database"]  # the fixture, for the reinvitation test

ANNA, KORA, DORA = 1001, 3001, 1005
REVIEW = "Meldung zur Freigabe"
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Anna (80.01) and the coordinator Kora are bound."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)
    return seeded


clock = bot_harness.soest_clock
bot = bot_harness.polling_bot


def containing(text: str) -> Callable[[BotMessage], bool]:
    """A message (or edit) whose text contains ``text``."""
    return lambda message: text in message.text


def draft(sessions: sessionmaker[Session], project_id: int) -> tuple[SubmissionState, ChangeSet]:
    """State and change set of the project's submission."""
    with sessions() as session:
        sub = session.scalars(select(Submission).where(Submission.project_id == project_id)).one()
        return sub.state, ChangeSet.from_json(sub.changes)


async def report_a_milestone(anna: FakeUser, text: str) -> BotMessage:
    """Anna enters a completed milestone (2024) for her first project; the screen after it."""
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_DONE)
    await say(anna, "2024")
    return await say(anna, text)


# -- update ids are no order ----------------------------------------------------------------------


async def test_a_contact_whose_update_ids_start_lower_after_a_week_is_answered_every_time(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    anna = api.user(ANNA, "Anna")
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    clock.advance(days=8)
    api.restart_update_ids(2)  # below the last one, and one the bot handled a week ago

    welcome = await say(anna, "/start")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_DONE)
    await say(anna, "2024")
    entered = await say(anna, "Nach der Pause")
    summary = await tap(anna, texts.BTN_SUMMARY)
    submitted = await tap(anna, texts.BTN_SUBMIT)

    assert texts.WELCOME_BACK.format(name="Anna Abt") in welcome.text
    assert "+ Meilenstein 2024 – Nach der Pause" in entered.text
    assert "Zusammenfassung" in summary.text
    assert "Die Koordination prüft Ihre Meldung." in submitted.text
    assert draft(sessions, report.projects["waerme"]) == (
        SubmissionState.SUBMITTED,
        ChangeSet(milestones_done=[NewEntry("2024", "Nach der Pause")]),
    )
    assert anna.failed_calls == []


async def test_a_coordinators_dialog_gets_its_text_when_update_ids_start_lower_after_a_week(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    clock: FakeClock,
) -> None:
    kora = api.user(KORA, "Kora")
    await say(kora, "/einladen")
    await say(kora, "/projekte")
    await tap_starting(kora, "1.1.2.1")
    await tap(kora, texts.BTN_REPORT)  # the contact conversation speaks last
    clock.advance(days=8)
    api.restart_update_ids(1)

    await say(kora, "/einladen")
    name = await say(kora, "Erika Muster")
    await tap(kora, "70.02")
    await tap(kora, texts.BTN_CONTINUE)
    await kora.press_button(find_button(kora, "Ansprechperson"), "Ansprechperson")
    invited = await kora.wait_for_message(containing("Einladung für Erika Muster"))

    assert "Für welche Abteilungen meldet Erika Muster?" in name.text
    assert "https://t.me/nhr_test_bot?start=" in invited.text
    with sessions() as session:
        erika = session.scalars(select(Contact).where(Contact.name == "Erika Muster")).one()
        assert [d.code for d in erika.departments] == ["70.02"]
    assert kora.failed_calls == []


# -- an update delivered twice is handled once ----------------------------------------------------


async def test_a_contacts_update_delivered_again_shows_the_screen_again_and_changes_nothing(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.contact.handlers")
    anna = api.user(ANNA, "Anna")
    entered = await report_a_milestone(anna, "Erledigt")

    api.deliver_last_update_again()
    again = await next_screen(anna)
    summary = await tap(anna, texts.BTN_SUMMARY)

    assert "+ Meilenstein 2024 – Erledigt" in again.text
    assert labels(anna, again) == labels(anna, entered)
    assert summary.text.count("Erledigt") == 1
    assert f"user {ANNA}: text -> changes (delivered again: screen shown again)" in caplog.text
    assert draft(sessions, report.projects["waerme"])[1] == ChangeSet(
        milestones_done=[NewEntry("2024", "Erledigt")]
    )


async def test_a_coordinators_approval_delivered_again_is_applied_and_announced_once(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
) -> None:
    anna, kora = api.user(ANNA, "Anna"), api.user(KORA, "Kora")
    await report_a_milestone(anna, "Erledigt")
    await tap(anna, texts.BTN_SUMMARY)
    await tap(anna, texts.BTN_SUBMIT)
    review = await kora.wait_for_message(containing(REVIEW))
    await kora.press_button(review, texts.BTN_APPROVE)
    await anna.wait_for_message(containing("wurde freigegeben"))

    api.deliver_last_update_again()
    await kora.send("/pruefen")  # handled after the repeat: its answer means the repeat is done
    await kora.wait_for_message(containing(texts.REVIEW_WAITING_NONE))

    assert [m.text for m in kora.messages if not m.edited][1:] == [texts.REVIEW_WAITING_NONE]
    assert [a.text for a in kora.answered_callbacks] == [
        "Freigegeben: 1.1.2.1 „Wärmeplanung für kreiseigene Gebäude“."
    ]
    assert sum("wurde freigegeben" in m.text for m in anna.messages) == 1
    assert draft(sessions, report.projects["waerme"])[0] is SubmissionState.APPROVED
    assert [kora.failed_calls, anna.failed_calls] == [[], []]


# -- a new invitation link replaces the old one ---------------------------------------------------


async def test_a_reinvited_persons_old_link_is_refused_and_the_new_one_works(
    api: FakeBotApi,
    cli_database: Engine,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    first = await asyncio.to_thread(
        run_nhr, "contacts", "invite", "--name", "Dora Dorn", "--department", "70.02"
    )
    second = await asyncio.to_thread(run_nhr, "contacts", "reinvite", "dora  DORN", "--days", "3")
    old, new = (re.findall(r"\?start=(\S+)", run.out)[0] for run in (first, second))
    dora = api.user(DORA, "Dora")

    await dora.send(f"/start {old}")
    refused = await dora.wait_for_message()
    welcome = await say(dora, f"/start {new}")

    assert (first.code, second.code) == (0, 0)
    assert refused.text.startswith("Diese Einladung ist ungültig oder wurde schon benutzt.\n")
    assert "Willkommen, Dora Dorn! Sie melden für: 70.02." in welcome.text


# -- the token stays out of the log ---------------------------------------------------------------


async def test_the_token_is_in_no_log_record_at_any_level(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    # `nhr bot` and `nhr run` quieten httpx (configure_logging); an earlier test of this worker
    # may have done so: this test wants every line httpx writes
    caplog.set_level(logging.DEBUG, logger="httpx")
    async with running_bot(api, sessions, clock):
        anna = api.user(ANNA, "Anna")
        await report_a_milestone(anna, "Erledigt")
    settings = bot_settings(api)
    # `nhr contacts` asks for the bot's name with httpx, which logs every URL at INFO
    username = await asyncio.to_thread(bot_username, settings)
    rejected = settings.model_copy(update={"telegram_bot_token": "123456:REJECTED-SECRET"})
    fallback = await asyncio.to_thread(bot_username, rejected)

    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    printed = capsys.readouterr()
    assert username == fallback == "nhr_test_bot"
    assert api.token not in logged
    assert "REJECTED-SECRET" not in logged + printed.out + printed.err
    assert f"(Bot API {api.base_url}; " in caplog.text  # the ready line: the URL without token
    assert f"{api.url}/bot123456:***/getMe" in caplog.text  # httpx's line, made unreadable
    assert "Bot-Name nicht abrufbar" in printed.err


# -- a proxy between the bot and Telegram ---------------------------------------------------------


async def test_the_bots_calls_go_through_the_proxy_the_environment_names(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    async with LoopbackProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with running_bot(api, sessions, clock):
            anna = api.user(ANNA, "Anna")
            overview = await say(anna, "/projekte")
            card = await tap(anna, texts.BTN_START)
        bot_calls = proxy.methods()
        proxy.seen.clear()
        # `nhr contacts` and `nhr schedule` use python-telegram-bot's httpx client
        username = await asyncio.to_thread(bot_username, bot_settings(api))

    assert "Ihre Projekte" in overview.text and "Projekt 1 von 3" in card.text
    assert {
        "getMe",
        "getUpdates",
        "setMyCommands",
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    } <= bot_calls
    assert username == "nhr_test_bot"
    assert proxy.methods() == {"getMe"}


async def test_hosts_in_no_proxy_are_reached_directly(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    async with LoopbackProxy() as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
        async with running_bot(api, sessions, clock):
            overview = await say(api.user(ANNA, "Anna"), "/projekte")

    assert "Ihre Projekte" in overview.text
    assert proxy.seen == []


def test_the_proxy_of_a_call_follows_the_standard_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    telegram = "https://api.telegram.org/bot1:X/getMe"
    assert AiohttpRequest.proxy_for(telegram) is None

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.kreis-soest.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "proxy.kreis-soest.example:8080")
    assert AiohttpRequest.proxy_for(telegram) == "http://proxy.kreis-soest.example:3128"
    assert (
        AiohttpRequest.proxy_for("http://10.0.0.5/bot") == "http://proxy.kreis-soest.example:8080"
    )

    monkeypatch.setenv("no_proxy", ".telegram.org")
    assert AiohttpRequest.proxy_for(telegram) is None
