"""Issue 18's acceptance: one collection round played end to end through the real bot.

The bot is built as ``nhr run`` builds it (``bot.app.build_application``) on a fake clock and
talks real Bot API HTTP to the fake server. The report has 25 departments (most with nobody
registered); 70.01 and 80.01 share a project; Erika and Paul (invited during the round) are
colleagues in 80.01; Clara reports for 70.01; Otto is registered for 61 and never reports; Kora
coordinates. The round is one test in named steps, each asserting what
its people see; after every step every message the bot sent is checked to fit one phone
screen and to be polite German.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import (
    eventually,
    labels,
    next_screen,
    refusal_of,
    running_bot,
    say,
    settled,
    tap,
)
from support.bot_seed import FakeClock
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser
from test_bot_conversation import invite_with_cli

from bot import texts
from bot.app import BotApplication
from core.changes import ChangeSet
from core.models import (
    Contact,
    Department,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    Role,
    Submission,
)
from core.status import Status

api = fixtures.fake_bot_api

CLARA, ERIKA, PAUL, OTTO, KORA, STRANGER = 1001, 1002, 1003, 1004, 3001, 6666

SHARED = "Klimaschutzkonzept des Kreises"
WAERME = "Wärmeplanung für Kreisgebäude"
ABFALL = "Abfallberatung an Schulen"
REMARK = "Die Förderung ist beantragt."

#: 25 departments: 70.01 and 80.01 report, 61 has Otto (who does not), 22 have nobody.
CODES = ("70.01", "80.01", "61", *(f"{n}.0{k}" for n in range(10, 21) for k in (1, 2)))

#: The day after the departments' deadline (17.09.2025) in Soest.
AFTER_DEADLINE = datetime(2025, 9, 18, 8, 0, tzinfo=UTC)

#: One phone screen: Telegram's message limit, and about the lines a phone shows at once.
MAX_CHARS, MAX_LINES = 4096, 30
#: What a button on a phone shows without cutting it off.
MAX_LABEL = 40
NOT_GERMAN = re.compile(
    r"\b(du|dich|dir|dein|deine)\b|Traceback|Exception|Error\b|None\b|\bplease\b|\bfailed\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Round:
    """Ids of what the seed made, by name."""

    projects: dict[str, int]


def seed_round(session: Session) -> Round:
    """25 departments, a project each (a shared one for 70.01 and 80.01), and the people."""
    topic = Field(number=1, title="Klima/Energie/Umwelt")
    session.add(topic)
    session.flush()
    goal = Goal(field_id=topic.id, index=1, text="Der Kreis wird klimaneutral.")
    session.add(goal)
    session.flush()
    departments = {code: Department(code=code, name=f"Abteilung {code}") for code in CODES}
    session.add_all(departments.values())
    session.flush()

    def project(title: str, codes: tuple[str, ...], order: int, **extra: object) -> Project:
        made = Project(
            field_id=topic.id,
            goal_id=goal.id,
            title=title,
            short_title=title,
            status=Status.IN_PLANUNG,
            status_since=date(2024, 1, 1),
            sort_order=order,
            description=f"{title}: worum es geht.",
            **extra,
        )
        made.department_links = [
            ProjectDepartment(department_id=departments[c].id, position=i)
            for i, c in enumerate(codes)
        ]
        session.add(made)
        return made

    made = {
        SHARED: project(SHARED, ("70.01", "80.01"), 1),
        WAERME: project(WAERME, ("80.01",), 2, remark=REMARK),
        ABFALL: project(ABFALL, ("70.01",), 3),
    }
    for order, code in enumerate(CODES[2:], start=10):
        made[code] = project(f"Vorhaben der Abteilung {code}", (code,), order)
    session.flush()
    for name, user_id, codes, role in (
        ("Clara Conrad", CLARA, ["70.01"], Role.CONTACT),
        ("Erika Erst", ERIKA, ["80.01"], Role.CONTACT),
        ("Otto Ohnesorg", OTTO, ["61"], Role.CONTACT),  # registered, never reports
        ("Kora Koordination", KORA, [], Role.COORDINATOR),
    ):
        contact = Contact(name=name, role=role, telegram_user_id=user_id)
        contact.departments = [departments[c] for c in codes]
        session.add(contact)
    session.flush()
    return Round(projects={key: p.id for key, p in made.items()})


@pytest.fixture
def round_(sessions: sessionmaker[Session]) -> Round:
    """The seeded report."""
    with sessions.begin() as session:
        return seed_round(session)


@pytest.fixture
def clock() -> FakeClock:
    """16 June 2025, 10:00 in Soest: the edition "Stand 01.10.2025" is being collected."""
    return FakeClock()


@pytest_asyncio.fixture
async def bot(
    api: FakeBotApi, sessions: sessionmaker[Session], round_: Round, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    """The bot as ``nhr run`` builds it, polling the fake server, on the test's clock."""
    async with running_bot(api, sessions, clock) as application:
        yield application


#: The full /stand table, asked for on purpose, may scroll (it still fits one message).
FULL_TABLE = "Insgesamt"


def check_every_message(users: list[FakeUser]) -> None:
    """Every message and edit the bot sent fits one phone screen and reads as polite German."""
    for user in users:
        for message in user.messages:
            where = f"to {user.first_name}: {message.text[:300]!r}"
            assert len(message.text) <= MAX_CHARS, f"longer than a message may be {where}"
            if FULL_TABLE not in message.text:
                lines = message.text.count("\n")
                assert lines < MAX_LINES, f"more than a screen of lines {where}"
            found = NOT_GERMAN.search(message.text)
            assert found is None, f"{found.group()!r} (informal or not German) {where}"
            for label in labels(user, message):
                assert len(label) <= MAX_LABEL, f"button {label!r} too wide for a phone {where}"
        assert user.failed_calls == [], f"failed Bot API calls for {user.first_name}"


async def wait_for(user: FakeUser, text: str) -> BotMessage:
    """The bot's next message or edit to ``user`` that contains ``text``."""
    return await user.wait_for_message(lambda m: text in m.text, timeout=10.0)


async def plain_answer(user: FakeUser, text: str) -> BotMessage:
    """Send ``text``; the bot's next new message, with or without buttons."""
    await user.send(text)
    return await user.wait_for_message(lambda m: not m.edited)


def submissions_of(sessions: sessionmaker[Session], project_id: int) -> int:
    """How many submissions the project has."""
    with sessions() as session:
        found = session.scalars(select(Submission.id).where(Submission.project_id == project_id))
        return len(found.all())


def submission_of(sessions: sessionmaker[Session], project_id: int) -> tuple[str, ChangeSet]:
    """State and change set of the project's newest submission."""
    with sessions() as session:
        sub = session.scalars(
            select(Submission)
            .where(Submission.project_id == project_id)
            .order_by(Submission.id.desc())
        ).first()
        assert sub is not None, f"no submission for project {project_id}"
        return sub.state.value, ChangeSet.from_json(sub.changes)


def department_counts(table: str, code: str) -> str:
    """The counts line under department ``code`` in /stand's full table."""
    lines = table.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"(⚠️ )?{re.escape(code)} – ", line):
            return lines[i + 1]
    raise AssertionError(f"no department {code} in /stand:\n{table}")


# -- the steps ----------------------------------------------------------------------------------


async def step_clara_reports_for_70_01(clara: FakeUser) -> None:
    """Clara confirms the shared project unchanged and plans two milestones: "bis Ende 2025",
    and a misspelt date taken from the suggestion button, whose text she then changes (✎)."""
    welcome = await say(clara, "/start")
    assert "Clara Conrad" in welcome.text, "the welcome names Clara"
    assert "0 von 2 gemeldet" in welcome.text, "70.01 has two projects, none reported yet"
    shared = await tap(clara, texts.BTN_START)
    assert SHARED in shared.text and "70.01, 80.01" in shared.text, (
        "the shared project comes first and names both departments"
    )
    after = await tap(clara, texts.BTN_NO_CHANGES)
    assert f"keine Änderungen bei „{SHARED}“" in after.text
    assert ABFALL in after.text, "the walk-through moves on to Clara's second project"
    await tap(clara, texts.BTN_EDIT)
    await tap(clara, texts.BTN_PLANNED)
    understood = await say(clara, "bis Ende 2025")
    assert understood.text.startswith("Verstanden als bis Ende 2025."), "'bis' is kept"
    await say(clara, "Beratung an fünf Schulen")
    await tap(clara, texts.BTN_PLANNED)
    refused = await say(clara, "vorraussichtlich 2026")
    assert "Ende 2025" in refused.text, f"the examples include forms that work:\n{refused.text}"
    suggestion = "Meinten Sie „voraussichtlich 2026“?"
    assert suggestion in labels(clara, refused), "a near reading is offered as a button"
    taken = await tap(clara, suggestion)
    assert taken.text.startswith("Verstanden als voraussichtlich 2026.")
    await say(clara, "Schulgarten anlegen")
    entries = await tap(clara, texts.BTN_ENTRIES)
    assert "2. + geplant voraussichtlich 2026 – Schulgarten anlegen" in entries.text
    assert labels(clara, entries)[:4] == ["✎ 1", "✕ 1", "✎ 2", "✕ 2"], "✎/✕ per entry"
    asked = await tap(clara, "✎ 2")
    assert "Bisher (zum Kopieren antippen): Schulgarten anlegen" in asked.text
    corrected = await say(clara, "Schulgarten mit der Klasse 5 anlegen")
    assert corrected.text.startswith("Korrigiert: Schulgarten mit der Klasse 5 anlegen")
    summary = await tap(clara, texts.BTN_SUMMARY)
    for line in (
        "+ geplant bis Ende 2025 – Beratung an fünf Schulen",
        "+ geplant voraussichtlich 2026 – Schulgarten mit der Klasse 5 anlegen",
    ):
        assert line in summary.text, f"the summary prints the date as written: {line!r}"
    done = await tap(clara, texts.BTN_SUBMIT)
    assert "2 von 2 gemeldet" in done.text, "both of 70.01's projects are handed in"


async def step_paul_starts_on_day_one(
    api: FakeBotApi, sessions: sessionmaker[Session], paul: FakeUser
) -> None:
    """Paul is invited with ``nhr contacts invite``, reads the welcome, types his way in, asks
    for help in the middle of an entry and leaves it half done."""
    link = await asyncio.to_thread(
        invite_with_cli, api, sessions, "--name", "Paul Zweit", "--department", "80.01"
    )
    overview = await say(paul, f"/start {link.split('=', 1)[1]}")
    welcome = overview.text.split("\n\n")[0].splitlines()
    assert welcome == [
        "Willkommen, Paul Zweit! Sie melden für: 80.01.",
        "Hier melden Sie den Stand Ihrer Projekte für den Nachhaltigkeitsreport Kreis Soest.",
        "Bitte bis 17.09.2025 – etwa 2 Minuten je Projekt, bei Ihnen 2 Projekte.",
    ], "the welcome says in three lines what, by when and how long"
    hint = await plain_answer(paul, "Hallo, was muss ich tun?")
    assert hint.text == texts.TAP_A_BUTTON, "a stray text gets a one-line hint"
    card = await tap(paul, WAERME)
    assert WAERME in card.text
    await say(paul, "änderungen eintragen")  # the typed label of a visible button
    asked = await tap(paul, texts.BTN_PLANNING)
    assert asked.text.startswith("Projekt 1.1.3.2 · Schritt 1/2"), (
        f"the question names the project and the step:\n{asked.text}"
    )
    second = await say(paul, "Mai 2025")
    assert "Projekt 1.1.3.2 · Schritt 2/2" in second.text
    helped = await plain_answer(paul, "/help")
    assert helped.text.startswith("So funktioniert es")
    again = await next_screen(paul)
    assert "Schritt 2/2" in again.text and labels(paul, again), (
        "after /help the current step comes back with its buttons"
    )


async def step_paul_goes_on_on_day_two(
    api: FakeBotApi, bot: BotApplication, paul: FakeUser
) -> None:
    """A day later /start offers [Weiter bei …] instead of dropping Paul's half entry."""
    offer = await say(paul, "/start")
    resume = "Weiter bei 1.1.3.2 · Schritt 2/2"
    assert labels(paul, offer)[0] == resume, f"/start offers to go on:\n{offer.text}"
    await tap(paul, resume)
    menu = await say(paul, "Machbarkeitsstudie abgeschlossen")
    assert "+ Planungsschritt Mai 2025 – Machbarkeitsstudie abgeschlossen" in menu.text, (
        "the half-entered step survived the night"
    )
    await settled(api, bot)  # the offer's buttons are gone (after the reply) before counting
    shown, answered = len(paul.messages), len(paul.answered_callbacks)
    old_button = paul.buttons(offer)[0][1]
    assert old_button is not None
    await paul.press_any(offer, old_button)
    await eventually(lambda: len(paul.answered_callbacks) > answered)
    await settled(api, bot)
    assert paul.answered_callbacks[-1].text == texts.STALE_TOAST, "a stale tap only toasts"
    assert len(paul.messages) == shown, "a stale tap moves no screen"


async def step_erika_reports_for_80_01(erika: FakeUser) -> BotMessage:
    """Erika confirms 70.01's report of the shared project, changes the status of Wärmeplanung
    (saying since when), extends its remark, plans three milestones in the wordings people
    write (correcting a typo by editing her message) and hands it in; returns the summary."""
    overview = await say(erika, "/start")
    assert "0 von 2 gemeldet" in overview.text, (
        f"70.01's hand-in of the shared project is not 80.01's:\n{overview.text}"
    )
    shared = await tap(erika, texts.BTN_NEXT_OPEN)
    assert SHARED in shared.text, "the shared project is in 80.01's walk-through"
    assert "Gemeldet von 70.01 (Clara Conrad) am 16.06.2025, 10:00: Keine Änderungen" in (
        shared.text
    ), f"the card says who reported what and when:\n{shared.text}"
    assert labels(erika, shared)[:2] == [texts.BTN_CONFIRM_REPORT, texts.BTN_EXTEND_REPORT]
    card = await tap(erika, texts.BTN_CONFIRM_REPORT)
    assert f"Bestätigt: „{SHARED}“ passt so." in card.text
    assert WAERME in card.text, "then Wärmeplanung, where Paul left his entry"
    assert "Zuletzt bearbeitet von Paul Zweit am 17.06.2025" in card.text, (
        f"the card names the colleague who edited last:\n{card.text}"
    )
    await tap(erika, texts.BTN_EDIT)
    await tap(erika, texts.BTN_STATUS)
    asked = await tap(erika, "in Bearbeitung")
    assert "Seit wann gilt „in Bearbeitung“?" in asked.text, "a new status asks since when"
    assert labels(erika, asked)[:2] == [texts.BTN_SINCE_TODAY, texts.BTN_SINCE_MONTH]
    refused = await say(erika, "bis Ende 2025")
    assert "Seit wann gilt „in Bearbeitung“?" in refused.text, "a second chance"
    changed = await say(erika, "Mai 2025")
    assert "Gespeichert: Status „in Bearbeitung“ seit Mai 2025." in changed.text
    assert "Status: in Planung → in Bearbeitung (seit Mai 2025)" in changed.text
    remark = await tap(erika, texts.BTN_REMARK)
    assert f"<code>{REMARK}</code>" in remark.raw_text, "the remark shows to copy with one tap"
    await tap(erika, texts.BTN_REMARK_APPEND)
    await say(erika, "Bewilligt im Juni 2025.")
    await tap(erika, texts.BTN_PLANNED)
    week = await say(erika, "KW 38")
    assert week.text.startswith("Verstanden als KW 38/2025."), "the week is read in 2025"
    typo = await erika.send("Ausschreibung vorbereitn")
    await next_screen(erika)
    await erika.edit(typo, "Ausschreibung vorbereiten")
    corrected = await next_screen(erika)
    assert corrected.text.startswith("Korrigiert: Ausschreibung vorbereiten"), (
        "the edited last answer is taken over"
    )
    assert "vorbereitn" not in corrected.text, "the typo is gone from the draft"
    for when, what, read in (("15.9.", "Vergabe", "15.09.2025"), ("ab 2026", "Bau", "ab 2026")):
        await tap(erika, texts.BTN_PLANNED)
        understood = await say(erika, when)
        assert understood.text.startswith(f"Verstanden als {read}."), f"{when!r} is read"
        await say(erika, what)
    summary = await tap(erika, texts.BTN_SUMMARY)
    await tap(erika, texts.BTN_SUBMIT)
    return summary


@pytest.mark.slow
async def test_a_round_with_shared_projects_colleagues_and_a_coordinator(
    api: FakeBotApi,
    sessions: sessionmaker[Session],
    round_: Round,
    clock: FakeClock,
    bot: BotApplication,
) -> None:
    clara, erika = api.user(CLARA, "Clara"), api.user(ERIKA, "Erika")
    paul, kora = api.user(PAUL, "Paul"), api.user(KORA, "Kora")
    everyone = [clara, erika, paul, kora, api.user(STRANGER, "Mallory")]

    # 1. Clara (70.01): the shared project unchanged, a milestone "bis Ende 2025"
    await step_clara_reports_for_70_01(clara)
    check_every_message(everyone)

    # 1a. For 80.01, the shared project 70.01 handed in is still open
    await kora.send("/stand 80.01")
    kora_80_01 = await wait_for(kora, "Stand 80.01")
    assert f"1.1.3.1 {SHARED} – offen" in kora_80_01.text.splitlines(), (
        f"/stand 80.01 shows 80.01's own state of the shared project:\n{kora_80_01.text}"
    )

    # 1b. Someone not invited is refused and told whom to ask
    refused = await plain_answer(api.user(STRANGER, "Mallory"), "Hallo")
    assert refused.text == refusal_of(bot), "the refusal names whom to ask"
    assert refused.text.splitlines()[-1].startswith("Bitte wenden Sie sich an ")

    # 2. Paul (80.01, invited): the welcome, a stray text, help mid-entry, back the next day
    await step_paul_starts_on_day_one(api, sessions, paul)
    clock.advance(days=1)
    await step_paul_goes_on_on_day_two(api, bot, paul)
    check_every_message(everyone)

    # 3. Erika (80.01): 70.01's report confirmed, a status change since when, three planned
    #    milestones, an edited answer, Paul's entry in the same draft
    summary = await step_erika_reports_for_80_01(erika)
    for line in (
        "Status: in Planung → in Bearbeitung (seit Mai 2025)",
        "+ geplant KW 38/2025 – Ausschreibung vorbereiten",
        "+ geplant 15.09.2025 – Vergabe",
        "+ geplant ab 2026 – Bau",
        "+ Planungsschritt Mai 2025 – Machbarkeitsstudie abgeschlossen (Paul Zweit)",
    ):
        assert line in summary.text, f"Erika's summary lacks {line!r}:\n{summary.text}"
    assert "Ihre Änderungen" not in summary.text, "the shared draft is not called Erika's own"
    state, changes = submission_of(sessions, round_.projects[WAERME])
    assert state == "submitted"
    assert changes.remark == f"{REMARK}\n\nBewilligt im Juni 2025.", "the remark was extended"
    assert [(e.date, e.text) for e in changes.milestones_planned] == [
        ("2025-W38", "Ausschreibung vorbereiten"),
        ("2025-09-15", "Vergabe"),
        ("from:2026", "Bau"),
    ], "the stored dates keep what was written"
    check_every_message(everyone)

    # 4. Kora: one collected message per contact and round, naming who reported what
    await settled(api, bot)
    review = await wait_for(kora, WAERME)
    assert "Abteilung: 80.01 · von Paul Zweit, Erika Erst · " in review.text, (
        f"the review names both colleagues who took part:\n{review.text}"
    )
    assert "+ geplant ab 2026 – Bau" in review.text, "the coordinator sees 'ab' as written"
    await eventually(lambda: any("2 Meldungen," in m.text for m in kora.current_messages))
    [claras] = [m for m in kora.current_messages if "von Clara Conrad" in m.text]
    assert claras.text.startswith("Meldungen zur Freigabe – von Clara Conrad (70.01)")
    assert SHARED in claras.text and ABFALL in claras.text, "both hand-ins in one message"
    assert "Geändert: 2 geplant" in claras.text
    rounds = [m for m in kora.messages if "zur Freigabe" in m.text]
    sent = [m.message_id for m in rounds if not m.edited]
    assert sorted(sent) == sorted({m.message_id for m in rounds}), (
        "Kora got one message per contact; later hand-ins edited it"
    )
    assert len(sent) == 2, f"two contacts handed in, Kora got {len(sent)} messages"
    assert any(m.edited and m.message_id == claras.message_id for m in kora.messages), (
        "Clara's second hand-in edited her round's message"
    )
    await kora.send("/pruefen")  # the details, one review per waiting hand-in
    shared = await wait_for(kora, f"Nr. 1.1.3.1 · {SHARED}")
    assert "Abteilung: 70.01, 80.01 · von Clara Conrad, Erika Erst · " in shared.text, (
        f"one submission for the shared project, naming every contributor:\n{shared.text}"
    )
    assert submissions_of(sessions, round_.projects[SHARED]) == 1
    abfall = await wait_for(kora, f"Nr. 1.1.3.3 · {ABFALL}")
    for line in (
        "+ geplant bis Ende 2025 – Beratung an fünf Schulen",
        "+ geplant voraussichtlich 2026 – Schulgarten mit der Klasse 5 anlegen",
    ):
        assert line in abfall.text, f"the coordinator sees the date as written: {line!r}"
    check_every_message(everyone)

    # 5. Kora approves: the reporters hear the outcome
    await kora.press_button(review, texts.BTN_APPROVE)
    for colleague in (erika, paul):
        told = await wait_for(colleague, "freigegeben")
        assert told.text.startswith(f"Ihre Meldung zu 1.1.3.2 „{WAERME}“ wurde freigegeben."), (
            f"{colleague.first_name} hears that 80.01's report was approved"
        )
    await kora.press_button(claras, "2. Freigeben ✓")
    told = await wait_for(clara, "freigegeben")
    assert ABFALL in told.text, "Clara hears that her report was approved"
    check_every_message(everyone)

    # 6. /stand after the deadline: nobody registered, overdue with names, complete
    clock.set(AFTER_DEADLINE)
    await kora.send("/stand")
    short = await wait_for(kora, "Stand der Meldungen")
    assert len(short.text) < 1000, f"/stand for 25 departments is {len(short.text)} characters"
    lines = short.text.splitlines()
    assert lines[3].startswith("Niemand angemeldet (22): "), (
        f"the departments with nobody registered come first:\n{short.text}"
    )
    assert not {"61", "70.01", "80.01"} & set(lines[3].split(": ")[1].split(", "))
    overdue = lines.index("⚠️ Überfällig (1):")
    assert lines[overdue + 1] == "61 – Otto Ohnesorg: 1 von 1 Projekt offen", (
        f"then the overdue ones, with names:\n{short.text}"
    )
    assert lines.index("Vollständig (2): 70.01, 80.01") > overdue, "then the complete ones"
    await kora.press_button(short, texts.BTN_STAND_FULL)
    table = await wait_for(kora, FULL_TABLE)
    for code in ("70.01", "80.01"):
        assert department_counts(table.text, code) == (
            "offen 0 · in Arbeit 0 · eingereicht 1 · freigegeben 1 · zurückgegeben 0"
        ), f"{code}: the shared project handed in once each, its own project approved"
    assert department_counts(table.text, "61") == (
        "offen 1 · in Arbeit 0 · eingereicht 0 · freigegeben 0 · zurückgegeben 0"
    )
    check_every_message(everyone)

    # 7. The shared project approved: both departments that reported hear it
    await kora.press_button(claras, "1. Freigeben ✓")
    for reporter in (clara, erika):
        told = await wait_for(reporter, SHARED)
        assert told.text.startswith(f"Ihre Meldung zu 1.1.3.1 „{SHARED}“ wurde freigegeben."), (
            f"{reporter.first_name} hears the outcome of the shared project"
        )
    check_every_message(everyone)
