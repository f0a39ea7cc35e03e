"""End to end: the real bot talks Bot API HTTP to the fake server; users tap and type."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import (
    eventually,
    labels,
    next_screen,
    recorded_waits,
    refusal_of,
    running_bot,
    say,
    tap,
    tap_starting,
)
from support.bot_seed import HOSTILE_TITLE, FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser

from bot import texts
from bot.app import BotApplication
from bot.common.callback_data import Action, decode, encode
from bot.common.screens import Screen
from bot.contact.turn import Turn
from core.changes import ChangeSet, NewConsultation, NewEntry
from core.config import Settings
from core.models import Contact, Submission
from nhr import cli_bot

api = fixtures.fake_bot_api

ANNA, BEN, CARLA, STRANGER = 1001, 1002, 1003, 6666
ASK_COORDINATOR = "\nBitte wenden Sie sich an die Nachhaltigkeitskoordination des Kreises Soest."


class StubApp:
    """What the CLI commands need, on the test database."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions

    def upgrade(self) -> None:
        """The test database is migrated already."""


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Ben (70.02) and Carla (61, 80.01 via a joint project) are bound."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Ben Berg", ["70.02"], telegram_user_id=BEN)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
    return seeded


@pytest_asyncio.fixture
async def bot(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport
) -> AsyncIterator[BotApplication]:
    """The bot polling the fake server, on 16 June 2025."""
    async with running_bot(api, sessions, FakeClock()) as application:
        yield application


def submission(sessions: sessionmaker[Session], project_id: int) -> tuple[str, ChangeSet]:
    """State and change set of the project's newest submission."""
    with sessions() as session:
        sub = session.scalars(
            select(Submission)
            .where(Submission.project_id == project_id)
            .order_by(Submission.id.desc())
        ).first()
        assert sub is not None, f"no submission for project {project_id}"
        return sub.state.value, ChangeSet.from_json(sub.changes)


def invite_with_cli(api: FakeBotApi, sessions: sessionmaker[Session], *argv: str) -> str:
    """Run ``nhr contacts invite …``; returns the printed t.me link."""
    parser = argparse.ArgumentParser(prog="nhr")
    cli_bot.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["contacts", "invite", *argv])
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=api.token,
        telegram_api_base_url=api.base_url,
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert args.handler(args, StubApp(settings, sessions)) == 0
    links = re.findall(r"https://t\.me/\S+", out.getvalue())
    assert len(links) == 1, out.getvalue()
    return links[0]


def forge(user: FakeUser, message: BotMessage, action: Action, arg: int | None = None) -> str:
    """Callback data a hostile client makes up, with the screen counter of ``message``."""
    button = decode(user.buttons(message)[0][1])
    assert button is not None
    return encode(button.seq, action, arg)


# -- the acceptance conversation ----------------------------------------------------------------


@pytest.mark.slow
async def test_an_invited_contact_updates_two_projects_and_the_submissions_hold_what_was_typed(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    link = await asyncio.to_thread(
        invite_with_cli, api, sessions, "--name", "Anna Abt", "--department", "80.01"
    )
    assert link.startswith("https://t.me/nhr_test_bot?start=")
    anna = api.user(ANNA, "Anna")

    overview = await say(anna, f"/start {link.split('=', 1)[1]}")
    assert "Willkommen, Anna Abt! Sie melden für: 80.01." in overview.text
    assert "Report Stand 01.10.2025" in overview.text
    assert "0 von 3 gemeldet" in overview.text

    card = await tap(anna, texts.BTN_START)
    assert card.text.startswith("Projekt 1 von 3 · Nr. 1.1.2.1\nWärmeplanung")
    assert "Status: in Bearbeitung seit 01.10.2022" in card.text
    assert "• Oktober 2024 – Förderantrag gestellt" in card.text
    assert "• 2. Halbjahr 2025 – Vergabe" in card.text
    assert "Bemerkung: Die Förderung ist bewilligt." in card.text
    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_STATUS)
    since = await tap(anna, "umgesetzt")
    assert "Gespeichert: Status wird „umgesetzt“." in since.text
    assert "Seit wann gilt „umgesetzt“?" in since.text  # issue 18
    menu = await say(anna, "Juni 2024")
    assert "Gespeichert: Status „umgesetzt“ seit Juni 2024." in menu.text
    await tap(anna, texts.BTN_DONE)
    asked = await say(anna, "Mitte 2024")
    assert asked.text.startswith("Verstanden als Mitte 2024.")
    menu = await say(anna, "Wärmeplan fertiggestellt")
    assert "+ Meilenstein Mitte 2024 – Wärmeplan fertiggestellt" in menu.text
    summary = await tap(anna, texts.BTN_SUMMARY)
    assert "Status: in Bearbeitung → umgesetzt (seit Juni 2024)" in summary.text
    card = await tap(anna, texts.BTN_SUBMIT)
    assert "Eingereicht: „Wärmeplanung für kreiseigene Gebäude“" in card.text
    assert "Projekt 2 von 3 · Nr. 1.2.2.1\nRadwegekonzept" in card.text

    await tap(anna, texts.BTN_EDIT)
    await tap(anna, texts.BTN_DONE)
    asked = await say(anna, "15.3.25")
    assert asked.text.startswith("Verstanden als 15.03.2025.")
    await say(anna, "Radwege <kartiert> & bewertet")
    await tap(anna, texts.BTN_CONSULTATION)
    named = await say(anna, "6.5.2025")
    assert labels(anna, named)[0] == "Ausschuss für Umwelt und Landwirtschaft"
    arts = await say(anna, "Kreistag")
    assert labels(anna, arts)[:5] == [
        "Beschlussvorlage",
        "Informationsvorlage",
        "mündlicher Bericht",
        "Bericht",
        "Antrag",
    ]
    await tap(anna, "Beschlussvorlage")
    menu = await say(anna, "101/2025")
    assert "+ Beratung 06.05.2025 Kreistag, Beschlussvorlage 101/2025" in menu.text
    await tap(anna, texts.BTN_PLANNED)
    await say(anna, "2026")
    menu = await say(anna, "Bau der ersten Strecke")
    assert "+ geplant 2026 – Bau der ersten Strecke" in menu.text
    summary = await tap(anna, texts.BTN_SUMMARY)
    assert "+ Meilenstein 15.03.2025 – Radwege <kartiert> & bewertet" in summary.text
    card = await tap(anna, texts.BTN_SUBMIT)
    assert "Projekt 3 von 3" in card.text
    assert HOSTILE_TITLE in card.text  # shown as text, not markup

    assert submission(sessions, report.projects["waerme"]) == (
        "submitted",
        ChangeSet(
            status="umgesetzt",
            status_since="2024-06",
            milestones_done=[NewEntry("2024-MID", "Wärmeplan fertiggestellt")],
        ),
    )
    assert submission(sessions, report.projects["radweg"]) == (
        "submitted",
        ChangeSet(
            milestones_done=[NewEntry("2025-03-15", "Radwege <kartiert> & bewertet")],
            consultations=[
                NewConsultation("2025-05-06", "Kreistag", "Beschlussvorlage", "101/2025")
            ],
            milestones_planned=[NewEntry("2026", "Bau der ersten Strecke")],
        ),
    )
    assert anna.failed_calls == []


async def test_a_contact_of_another_department_sees_only_their_own_projects(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    ben = api.user(BEN, "Ben")

    overview = await say(ben, "/projekte")
    await ben.press_any(overview, forge(ben, overview, Action.OPEN, report.projects["waerme"]))
    answer = await next_screen(ben)

    assert "Regionale Kantine" in overview.text
    assert "0 von 1 gemeldet" in overview.text
    assert "Wärmeplanung" not in overview.text and "Radwege" not in overview.text
    assert answer.text.startswith(texts.NOT_YOURS)
    assert "Wärmeplanung" not in answer.text


async def test_a_stranger_gets_the_refusal_and_nothing_else(
    api: FakeBotApi, bot: BotApplication
) -> None:
    stranger = api.user(STRANGER, "Mallory")

    for text in ("/start", "/projekte", "hallo", "/start AAAAAAAAAAAAAAAAAAAAAAAA"):
        await stranger.send(text)
        await stranger.wait_for_message()
    await stranger.press_any(stranger.messages[0], "n1:1:op:1")
    await eventually(lambda: stranger.answered_callbacks)

    refusal = refusal_of(bot)
    assert [m.text for m in stranger.messages] == [
        refusal,
        refusal,
        refusal,
        "Diese Einladung ist ungültig oder wurde schon benutzt." + ASK_COORDINATOR,
    ]
    assert all(m.reply_markup is None for m in stranger.messages)
    assert [a.text for a in stranger.answered_callbacks] == [refusal]


async def test_revoking_a_contact_takes_effect_with_the_next_update(
    api: FakeBotApi, sessions: sessionmaker[Session], bot: BotApplication
) -> None:
    ben = api.user(BEN, "Ben")
    overview = await say(ben, "/projekte")
    parser = argparse.ArgumentParser()
    cli_bot.register(parser.add_subparsers())
    args = parser.parse_args(["contacts", "revoke", "Ben Berg"])
    with contextlib.redirect_stdout(io.StringIO()):
        assert args.handler(args, StubApp(Settings(_env_file=None), sessions)) == 0  # type: ignore[call-arg]

    await ben.press_button(overview, labels(ben, overview)[0])
    await eventually(lambda: ben.answered_callbacks)
    await ben.send("/projekte")
    refusal = await ben.wait_for_message()

    assert [a.text for a in ben.answered_callbacks] == [refusal_of(bot)]
    assert refusal.text == refusal_of(bot)
    with sessions() as session:
        ben_contact = session.scalars(select(Contact).where(Contact.name == "Ben Berg")).one()
        assert ben_contact.active is False


async def test_an_invitation_works_only_once(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    link = await asyncio.to_thread(
        invite_with_cli, api, sessions, "--name", "Anna Abt", "--department", "80.01"
    )
    token = link.split("=", 1)[1]
    anna, mallory = api.user(ANNA, "Anna"), api.user(STRANGER, "Mallory")

    await say(anna, f"/start {token}")
    await mallory.send(f"/start {token}")
    answer = await mallory.wait_for_message()

    assert answer.text == "Diese Einladung ist ungültig oder wurde schon benutzt." + ASK_COORDINATOR
    await mallory.send("/projekte")
    assert (await mallory.wait_for_message()).text == refusal_of(bot)


# -- the conversation's manners -----------------------------------------------------------------


async def test_nothing_changed_is_one_tap_per_project(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")

    first = await tap(carla, texts.BTN_START)
    second = await tap(carla, texts.BTN_NO_CHANGES)
    done = await tap(carla, texts.BTN_NO_CHANGES)

    assert first.text.startswith("Projekt 1 von 2 · Nr. 1.2.2.1\nRadwegekonzept")
    assert second.text.startswith("Gemeldet: keine Änderungen bei „Radwegekonzept“.")
    assert "Projekt 2 von 2" in second.text
    assert "Vielen Dank! Alle Ihre Projekte sind gemeldet." in done.text
    assert "2 von 2 gemeldet" in done.text
    assert done.text.count("eingereicht") == 2
    assert submission(sessions, report.projects["bau"]) == ("submitted", ChangeSet(no_changes=True))


async def test_every_message_and_edit_is_html_without_link_previews(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)  # an edit of the overview
    await tap(carla, texts.BTN_NO_CHANGES)

    sent = [m for m in carla.messages if not m.documents]
    assert {m.edited for m in sent} == {False, True}
    assert {(m.parse_mode, str(m.link_preview_options)) for m in sent} == {
        ("HTML", "{'is_disabled': True}")
    }


@pytest.mark.slow
async def test_telegrams_429_delays_the_answer_but_loses_nothing(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    report: SmallReport,
    bot: BotApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    carla = api.user(CARLA, "Carla")
    waits = recorded_waits(monkeypatch)
    api.inject_429(every_n=2, retry_after=1, methods={"sendMessage", "editMessageText"})
    overview = await say(carla, "/projekte")
    first = await tap(carla, texts.BTN_START)
    second = await tap(carla, texts.BTN_NO_CHANGES)
    api.clear_faults()

    assert "Ihre Projekte" in overview.text
    assert first.text.startswith("Projekt 1 von 2")
    assert "Projekt 2 von 2" in second.text
    throttled = sum(call.status == 429 for call in api.sent_log)
    assert throttled >= 2
    # each 429 waited out for its retry_after (the last answer may still be on its way)
    await eventually(lambda: len(waits) == sum(c.status == 429 for c in api.sent_log))
    assert set(waits) == {1.0}
    assert texts.ERROR not in [m.text for m in carla.messages]


async def test_zurueck_steps_back_and_an_old_button_answers_politely(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    card = await tap(carla, texts.BTN_START)
    menu = await tap(carla, texts.BTN_EDIT)
    prompt = await tap(carla, texts.BTN_PLANNED)

    back = await tap(carla, texts.BTN_BACK)
    await carla.press_any(back, encode(1, Action.STATUS))
    # issue 18: a stale button only gets a toast; the screen stays as it is
    await eventually(lambda: any(a.text == texts.STALE_TOAST for a in carla.answered_callbacks))
    again = carla.current_messages[-1]

    assert "Wann ist der Meilenstein geplant?" in prompt.text
    assert labels(carla, prompt) == [texts.BTN_NO_DATE, texts.BTN_BACK, texts.BTN_OVERVIEW]
    assert card.message_id == menu.message_id == back.message_id  # edited in place
    assert "Was möchten Sie ändern?" in back.text
    assert carla.answered_callbacks[-1].text == texts.STALE_TOAST
    assert "Was möchten Sie ändern?" in again.text


async def test_typing_where_buttons_are_expected_gets_a_hint_and_the_screen_again(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")

    await carla.send("Was soll ich tun?")
    hint = await carla.wait_for_message()  # issue 18: one line, the screen is not reposted
    await carla.send("/unbekannt")
    unknown = await carla.wait_for_message()
    await carla.send_document("plan.pdf", b"%PDF-1.4")
    other = await carla.wait_for_message()

    assert hint.text == texts.TAP_A_BUTTON and hint.reply_markup is None
    assert unknown.text == texts.UNKNOWN_COMMAND
    assert other.text == texts.TEXT_ONLY


async def test_a_wrong_date_is_explained_and_the_question_repeated(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_DONE)

    wrong = await say(carla, "31.2.2024 <b>")
    too_long = await say(carla, "x" * 200)
    right = await say(carla, "Sommer 2024")

    assert wrong.text.startswith("„31.2.2024 <b>“ ist ")
    assert "Wann wurde der Meilenstein abgeschlossen?" in wrong.text
    assert too_long.text.startswith(texts.DATE_TOO_LONG)
    assert right.text.startswith("Verstanden als Sommer 2024.")


async def test_an_overlong_text_is_refused_with_its_length(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_DONE)
    await say(carla, "2025")

    refused = await say(carla, "Ä" * 301)

    assert refused.text.startswith("Der Text ist zu lang (301 Zeichen, höchstens 300).")
    assert "Was wurde abgeschlossen?" in refused.text


async def test_entfallen_needs_a_reason_and_the_summary_shows_it(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_STATUS)

    asked = await tap(carla, "entfallen")
    await say(carla, "Daueraufgabe")
    await say(carla, "2024")  # Seit wann? (issue 18)
    summary = await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)

    assert "Warum entfällt das Projekt?" in asked.text
    assert "Status: in Bearbeitung → entfallen (seit 2024)\nGrund: Daueraufgabe" in summary.text
    assert submission(sessions, report.projects["radweg"]) == (
        "submitted",
        ChangeSet(status="entfallen", status_since="2024", drop_reason="Daueraufgabe"),
    )


async def test_a_planned_milestone_is_ticked_off_and_an_entry_removed_again(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    with sessions.begin() as session:
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
    anna = api.user(ANNA, "Anna")
    await say(anna, "/projekte")
    await tap(anna, texts.BTN_START)
    await tap(anna, texts.BTN_EDIT)

    pick = await tap(anna, texts.BTN_TICK)
    await tap(anna, "2025 – Ausschreibung")
    menu = await say(anna, "April 2025")
    await tap(anna, texts.BTN_REMARK)
    await say(anna, "Neue <i>Bemerkung</i>")
    removal = await tap(anna, texts.BTN_ENTRIES)
    menu_after = await tap(anna, "✕ 2")

    assert labels(anna, pick)[:2] == ["2025 – Ausschreibung", "2. Halbjahr 2025 – Vergabe"]
    assert "✓ 2025 – Ausschreibung → erledigt April 2025" in menu.text
    # issue 18: every entry numbered in the message, "✎ n" / "✕ n" for each
    assert labels(anna, removal) == ["✎ 1", "✕ 1", "✎ 2", "✕ 2", texts.BTN_BACK, texts.BTN_OVERVIEW]
    assert "2. Bemerkung:" in removal.text
    assert menu_after.text.startswith("Entfernt: Bemerkung:")
    state, changes = submission(sessions, report.projects["waerme"])
    assert state == "draft"
    assert changes.remark is None
    assert [(t.planned_text, t.planned_date, t.date) for t in changes.completed_planned] == [
        ("Ausschreibung", "2025", "2025-04")
    ]


@pytest.mark.slow
async def test_abbrechen_keeps_the_draft_and_a_submission_can_be_revised(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_START)
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_DESCRIPTION)
    await say(carla, "Neue Beschreibung.\n\nZweiter Absatz.")

    cancelled = await say(carla, "/abbrechen")
    draft_state = submission(sessions, report.projects["radweg"])
    overview = await say(carla, "/projekte")
    card = await tap_starting(carla, "Radwegekonzept")
    await tap(carla, texts.BTN_EDIT)
    await tap(carla, texts.BTN_SUMMARY)
    await tap(carla, texts.BTN_SUBMIT)
    await say(carla, "/projekte")
    card = await tap_starting(carla, "Radwegekonzept")
    revise = await tap(carla, texts.BTN_REVISE)
    await tap(carla, texts.BTN_PLANNED)
    await tap(carla, texts.BTN_NO_DATE)
    await say(carla, "Beschilderung")
    revised_state = submission(sessions, report.projects["radweg"])

    assert cancelled.text.startswith(texts.CANCELLED)
    assert draft_state == ("draft", ChangeSet(description="Neue Beschreibung.\n\nZweiter Absatz."))
    assert "Radwegekonzept – in Arbeit" in overview.text
    assert "Meldung: eingereicht" in card.text and texts.BTN_REVISE in labels(carla, card)
    assert "Was möchten Sie ändern?" in revise.text
    assert revised_state == (
        "draft",
        ChangeSet(
            description="Neue Beschreibung.\n\nZweiter Absatz.",
            milestones_planned=[NewEntry(None, "Beschilderung")],
        ),
    )


async def test_the_schedulers_prompt_button_opens_the_overview(
    api: FakeBotApi, report: SmallReport, bot: BotApplication
) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    carla = api.user(CARLA, "Carla")
    prompt = await bot.bot.send_message(
        CARLA,
        "Bitte aktualisieren Sie Ihre Projekte.",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Los", callback_data="open")]]),
    )

    await carla.press(prompt, "open")
    overview = await next_screen(carla)

    assert "Ihre Projekte – Report Stand 01.10.2025" in overview.text
    assert "Radwegekonzept – offen" in overview.text


async def test_the_command_menu_is_registered_on_start(
    api: FakeBotApi, bot: BotApplication
) -> None:
    assert [(c["command"], c["description"]) for c in api.commands()] == list(texts.COMMANDS)


async def test_an_approved_report_is_shown_as_freigegeben_and_can_no_longer_be_changed(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    from core.approval import approve
    from core.drafts import start_draft, submit
    from core.editions import collecting_edition
    from core.models import Project, Role

    with sessions.begin() as session:
        carla_contact = session.scalars(select(Contact).where(Contact.name == "Carla Christ")).one()
        coordinator = add_contact(session, "Koordination", [], role=Role.COORDINATOR)
        edition = collecting_edition(session, FakeClock().now().date())
        project = session.get_one(Project, report.projects["bau"])
        sub = start_draft(session, edition, project, carla_contact, FakeClock().now())
        sub.changes = ChangeSet(remark="Eröffnet.").to_json()
        submit(session, sub, carla_contact, FakeClock().now())
        session.flush()
        approve(session, sub.id, coordinator, FakeClock().now())
    carla = api.user(CARLA, "Carla")

    overview = await say(carla, "/projekte")
    card = await tap_starting(carla, "Gesundheitshaus")

    assert "Gesundheitshaus – freigegeben" in overview.text
    assert "Meldung: freigegeben" in card.text
    assert "Bemerkung: Eröffnet." in card.text  # the project now shows the approved change
    assert labels(carla, card) == [texts.BTN_SKIP, texts.BTN_BACK]


async def test_a_failure_is_logged_and_the_user_gets_a_friendly_message_without_a_trace(
    api: FakeBotApi,
    report: SmallReport,
    bot: BotApplication,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.contact import steps

    def broken(turn: Turn) -> Screen:
        raise RuntimeError("database on fire")

    carla = api.user(CARLA, "Carla")
    monkeypatch.setattr(steps, "show_overview", broken)

    await carla.send("/projekte")
    answer = await carla.wait_for_message()

    assert answer.text == texts.ERROR
    assert "database on fire" in caplog.text and "Traceback" in caplog.text
    assert "fire" not in "".join(m.text for m in carla.messages)


async def test_a_summary_longer_than_one_message_arrives_in_parts_with_the_buttons_last(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport, bot: BotApplication
) -> None:
    from core.drafts import start_draft
    from core.editions import collecting_edition
    from core.models import Project

    with sessions.begin() as session:
        carla_contact = session.scalars(select(Contact).where(Contact.name == "Carla Christ")).one()
        edition = collecting_edition(session, FakeClock().now().date())
        sub = start_draft(
            session,
            edition,
            session.get_one(Project, report.projects["radweg"]),
            carla_contact,
            FakeClock().now(),
        )
        sub.changes = ChangeSet(
            milestones_done=[NewEntry("2024", f"Schritt {i} " + "<&> " * 70) for i in range(20)]
        ).to_json()
    carla = api.user(CARLA, "Carla")
    await say(carla, "/projekte")
    await tap(carla, texts.BTN_NEXT_OPEN)
    await tap(carla, texts.BTN_EDIT)

    await tap(carla, texts.BTN_SUMMARY)

    parts = [m for m in carla.messages if "Schritt" in m.text and not m.edited]
    assert len(parts) >= 2
    assert all(len(m.text) <= 4096 for m in parts)
    assert [m.reply_markup is not None for m in parts[-2:]] == [False, True]
    assert "Schritt 19 <&>" in parts[-1].text and carla.failed_calls == []
