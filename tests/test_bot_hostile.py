"""1000 randomized hostile inputs through the real Application: no unhandled exception, no
invalid Bot API call, no change outside the sender's rights.

Updates are made by fake users in the fake Bot API world and fed to
``Application.process_update`` (fast, deterministic); the bot's calls go over real HTTP to the
fake server, which rejects bad HTML, messages over 4096 characters and callback data over 64
bytes.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Select, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from support.bot_harness import bot_settings, has_keyboard, refusal_of
from support.bot_seed import FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import BotMessage, FakeBotApi, FakeUser
from telegram import Update

from bot.app import BotApplication, build_application
from bot.common.callback_data import STATUS_CODES, Action, decode, encode
from core.audit import Auditor
from core.changes import MAX_LONG_TEXT, MAX_NUMMER, MAX_SHORT_TEXT, ChangeSet
from core.contacts import create_invitation
from core.models import (
    Consultation,
    Contact,
    ContactDepartment,
    Conversation,
    Department,
    Invitation,
    Project,
    ProjectEntry,
    Role,
    Submission,
)
from core.permissions import may_edit

ANNA, BEN, CARLA, RITA, MALLORY = 1001, 1002, 1003, 1004, 6666
SENDERS = (ANNA, ANNA, CARLA, BEN, RITA, MALLORY)  # Anna twice: more deep conversations
BOUND = {ANNA, BEN, CARLA}
#: Titles each bound contact must never see (projects outside their departments).
FOREIGN_TITLES = {
    ANNA: ("Regionale Kantine", "Gesundheitshaus"),
    BEN: ("Wärmeplanung", "Energie-Scouts", "Radwegekonzept", "Gesundheitshaus"),
    CARLA: ("Wärmeplanung", "Energie-Scouts", "Regionale Kantine"),
}
INVITATION_ERRORS = {  # issue 18: each names whom to ask
    error + "\nBitte wenden Sie sich an die Nachhaltigkeitskoordination des Kreises Soest."
    for error in (
        "Diese Einladung ist ungültig oder wurde schon benutzt.",
        "Diese Einladung ist abgelaufen. Bitte fordern Sie eine neue an.",
    )
}

HOSTILE_SNIPPETS = [
    "<b>fett</b>",
    "</i>",
    "<script>alert(1)</script>",
    "&amp;",
    "&",
    "& <",
    "a < b > c",
    "*fett*",
    "_kursiv_",
    "[Link](http://x.example)",
    "`code`",
    "```\nblock\n```",
    "<a href='javascript:alert(1)'>x</a>",
    "<tg-spoiler>",
    "&#0;",
    "&lt;",
    "\\",
    "%s %d {0}",
    "👍🏽",
    "🇩🇪",
    "👩‍👩‍👧‍👦",
    "\u200b\u200d\ufeff",
    "\u202eabc",
    "\x00\x01\x1b[31m\x7f",
    "\r\n\r\n",
    "\t",
    "31.02.2024",
    "13/2024",
    "seit",
    "2025 - 2024",
    "heute",
    "5. Quartal 2024",
    "9" * 40,
    "0.0.0",
    "Mitte",
    "fortlaufend",
    "seit seit 2024",
    "1.4.25",
    "2. Hj. 2025",
    "/start",
    "/start@nhr_test_bot",
    "/start " + "A" * 32,
    "/projekte",
    "/abbrechen",
    "/hilfe",
    "/unbekannt",
    "/projekte extra",
    "Ä" * 301,
    "x" * 3001,
    "ö\n" * 2000,
    # plausible answers, so that examples get deep into the conversation
    "2025",
    "März 2024",
    "15.3.25",
    "Kreistag",
    "057/2025",
    "Neuer Text <b>",
    "Daueraufgabe",
]
TEXTS = st.one_of(
    st.sampled_from(HOSTILE_SNIPPETS),
    st.text(max_size=80),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.builds(lambda c, n: c * n, st.characters(codec="utf-8"), st.integers(250, 4200)),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_SNIPPETS), st.text(max_size=30)),
)
FORGED_DATA = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=70).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "open",
            "n1:",
            "n1:0:op",
            "n1:-1:op:1",
            "n2:1:op:1",
            "n1:1:zz",
            "n1:1:op:x",
            "n1:01:op:1",
            "n1:1:ss:zz",
            "n1:1:ga:9",
            "n1:1:op:1:2",
            "n1:1:op:" + "9" * 60,
            "n1:999999999:op:1",
            "n1:1:ov:1000000000",
        ]
    ),
)


@dataclass(frozen=True)
class Move:
    """One thing a user does: what kind, who, and a value to resolve at run time."""

    kind: str
    sender: int
    text: str = ""
    index: int = 0
    action: Action = Action.OPEN
    arg: int | str | None = None


MOVES = st.one_of(
    st.builds(Move, st.just("text"), st.sampled_from(SENDERS), text=TEXTS),
    st.builds(Move, st.just("button"), st.sampled_from(SENDERS), index=st.integers(0, 40)),
    st.builds(Move, st.just("button"), st.sampled_from(SENDERS), index=st.integers(0, 40)),
    st.builds(Move, st.just("stale"), st.sampled_from(SENDERS), index=st.integers(0, 400)),
    st.builds(
        Move,
        st.just("forge"),
        st.sampled_from(SENDERS),
        action=st.sampled_from(list(Action)),
        arg=st.one_of(
            st.none(), st.integers(0, 12), st.sampled_from([*STATUS_CODES.values(), "x"])
        ),
    ),
    st.builds(Move, st.just("raw"), st.sampled_from(SENDERS), text=FORGED_DATA),
    st.builds(Move, st.just("edit"), st.sampled_from(SENDERS), text=TEXTS),
    st.builds(Move, st.just("document"), st.sampled_from(SENDERS)),
)


class ErrorLog(logging.Handler):
    """Collects ERROR records (the bot's error handler logs every unhandled exception)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class World:
    """The fake server, the bot and the database, shared by all examples of one test run."""

    runner: asyncio.Runner
    api: FakeBotApi
    application: BotApplication
    sessions: sessionmaker[Session]
    report: SmallReport
    users: dict[int, FakeUser]
    errors: ErrorLog
    frozen: dict[str, Any] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)  # log entries already checked
    #: The submissions as the last passed check saw them: nothing runs between examples, so
    #: they are the next example's ``before`` (None: read them anew).
    submissions: dict[int, Any] | None = None


#: The tables and columns no contact may change through the bot: (name, statement), each
#: statement ordered by its first column.
FROZEN: tuple[tuple[str, Select[Any]], ...] = tuple(
    (name, select(*columns).order_by(columns[0]))
    for name, columns in (
        (
            "projects",
            (
                Project.id,
                Project.title,
                Project.status,
                Project.status_since,
                Project.remark,
                Project.description,
                Project.version,
                Project.drop_reason,
                Project.sort_order,
            ),
        ),
        (
            "entries",
            (
                ProjectEntry.id,
                ProjectEntry.project_id,
                ProjectEntry.kind,
                ProjectEntry.position,
                ProjectEntry.date,
                ProjectEntry.text,
            ),
        ),
        (
            "consultations",
            (
                Consultation.id,
                Consultation.project_id,
                Consultation.date,
                Consultation.gremium,
                Consultation.vorlagenart,
                Consultation.nummer,
            ),
        ),
        (
            "contacts",
            (Contact.id, Contact.name, Contact.telegram_user_id, Contact.role, Contact.active),
        ),
        ("departments", (Department.id, Department.code)),
        ("invitations", (Invitation.id, Invitation.contact_id, Invitation.used_at)),
    )
)
MEMBERSHIPS = (
    select(ContactDepartment.contact_id, Department.id)
    .join(Department, Department.id == ContactDepartment.department_id)
    .order_by(ContactDepartment.contact_id, Department.code)
)
_FROZEN_SQL: dict[str, tuple[tuple[str, str], ...]] = {}  # by dialect: (name, SQL) pairs


def _frozen_sql(dialect: Dialect) -> tuple[tuple[str, str], ...]:
    """The statements of :data:`FROZEN` and :data:`MEMBERSHIPS` as SQL, compiled once."""
    if dialect.name not in _FROZEN_SQL:
        statements = (*FROZEN, ("memberships", MEMBERSHIPS))
        _FROZEN_SQL[dialect.name] = tuple(
            (name, str(statement.compile(dialect=dialect))) for name, statement in statements
        )
    return _FROZEN_SQL[dialect.name]


def frozen_tables(session: Session) -> dict[str, Any]:
    """Everything no contact may change through the bot, read after every example: the values
    as the database stores them (the SQL is compiled once and its rows are not converted, which
    is most of the cost of reading them; a changed value is a changed stored value)."""
    connection = session.connection()
    names, statements = zip(*_frozen_sql(connection.dialect), strict=True)
    if connection.dialect.name == "postgresql":  # all in one round trip (no parameters)
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute(";\n".join(statements))
        results = [[tuple(row) for row in cursor.fetchall()]]
        while cursor.nextset():
            results.append([tuple(row) for row in cursor.fetchall()])
        cursor.close()
    else:  # SQLite: no round trips to save
        results = [[tuple(row) for row in connection.exec_driver_sql(sql)] for sql in statements]
    tables = dict(zip(names, results, strict=True))
    memberships: dict[Any, list[Any]] = {}
    for contact_id, department_id in tables.pop("memberships"):
        memberships.setdefault(contact_id, []).append(department_id)
    tables["contacts"] = [(*row, memberships.get(row[0], [])) for row in tables["contacts"]]
    return tables


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> Iterator[World]:
    """Seeded database, the fake server and a started bot (without polling: the test hands it
    each update), on one private event loop."""
    clock = FakeClock()
    with sessions.begin() as session:
        report = seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"], telegram_user_id=ANNA)
        add_contact(session, "Ben Berg", ["70.02"], telegram_user_id=BEN)
        add_contact(session, "Carla Christ", ["61"], telegram_user_id=CARLA)
        add_contact(session, "Rita Raus", ["80.01"], telegram_user_id=RITA, active=False)
        create_invitation(
            session,
            name="Dora Dorn",
            department_codes=["61"],
            role=Role.CONTACT,
            now=clock.now(),
            auditor=Auditor(session, actor="test", now=clock.now()),
        )
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    runner = asyncio.Runner()
    api = FakeBotApi()

    async def start() -> BotApplication:
        await api.start()
        application = build_application(bot_settings(api), sessions, clock)
        await application.initialize()
        await application.start()  # running, so its tasks (announcements) are awaited on stop
        return application

    async def stop() -> None:
        await application.stop()
        await application.shutdown()

    application = runner.run(start())
    users = {uid: api.user(uid, f"U{uid}") for uid in (ANNA, BEN, CARLA, RITA, MALLORY)}
    world = World(runner, api, application, sessions, report, users, errors)
    with sessions() as session:
        world.frozen = frozen_tables(session)
    try:
        yield world
    finally:
        runner.run(stop())
        runner.run(api.close())
        runner.close()
        logging.getLogger().removeHandler(errors)


# -- making updates ------------------------------------------------------------------------------


def _newest_screen(user: FakeUser) -> BotMessage | None:
    """The newest message in the chat that shows buttons (None: there is none)."""
    return next((m for m in reversed(user.current_messages) if has_keyboard(m)), None)


async def _act(world: World, move: Move) -> None:
    user = world.users[move.sender]
    newest = _newest_screen(user)
    match move.kind:
        case "text":
            await user.send(move.text)
        case "button" if newest is not None:
            buttons = [data for _, data in user.buttons(newest) if data]
            await user.press_any(newest, buttons[move.index % len(buttons)])
        case "stale" if user.messages and newest is not None:
            old = user.messages[move.index % len(user.messages)]
            datas = [data for _, data in user.buttons(old) if data] or ["n1:0:ov:0"]
            await user.press_any(newest, datas[move.index % len(datas)])
        case "forge" if newest is not None:
            first = decode(user.buttons(newest)[0][1])
            seq = first.seq if first else 0
            data = f"n1:{seq}:{move.action.value}" + ("" if move.arg is None else f":{move.arg}")
            await user.press_any(newest, data)
        case "raw" if newest is not None:
            await user.press_any(newest, move.text)
        case "edit":
            own = user.own_message_ids
            if own:
                await user.edit(own[-1], move.text or "x")
            else:
                await user.send(move.text or "/projekte")
        case "document":
            await user.send_document("bericht.docx", b"PK\x03\x04")
        case _:
            await user.send("/projekte")
    for update in world.api.take_updates():
        await world.application.process_update(Update.de_json(update, world.application.bot))


def _clean(text: str) -> bool:
    return all(c in "\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in text)


def _check_submission(contact: Contact | None, project: Project, changes: dict[str, Any]) -> None:
    assert contact is not None and contact.telegram_user_id in BOUND and contact.active
    assert may_edit(contact, project)
    cs = ChangeSet.from_json(changes)
    short = [e.text for e in cs.milestones_done + cs.planning_steps + cs.milestones_planned]
    short += [c.gremium for c in cs.consultations]
    assert all(0 < len(t) <= MAX_SHORT_TEXT and _clean(t) for t in short)
    assert all(len(c.nummer or "") <= MAX_NUMMER for c in cs.consultations)
    for long in (cs.remark, cs.description, cs.drop_reason):
        assert long is None or (len(long) <= MAX_LONG_TEXT and _clean(long))


def _new(world: World, key: str, log: list[Any]) -> list[Any]:
    """The part of ``log`` not checked yet (each call, message and answer is checked once,
    by the first example after it happened)."""
    start = world.checked.get(key, 0)
    world.checked[key] = len(log)
    return log[start:]


def check_invariants(world: World, before: dict[int, Any], senders: set[int]) -> None:
    """Nothing outside the senders' rights changed; every call was valid; no error."""
    assert not world.errors.records, world.errors.records[0].getMessage()
    failed = [c for c in _new(world, "calls", world.api.sent_log) if c.status != 200]
    assert not failed, [world.users[c.chat_id or 0].failed_calls for c in failed[:1]]
    refusals = {refusal_of(world.application)}
    for uid in (RITA, MALLORY):
        for message in _new(world, f"messages {uid}", world.users[uid].messages):
            assert message.text in refusals | INVITATION_ERRORS
            assert message.reply_markup is None
        answers = _new(world, f"answers {uid}", world.users[uid].answered_callbacks)
        assert {a.text for a in answers} <= refusals
    for uid, foreign in FOREIGN_TITLES.items():
        for message in _new(world, f"messages {uid}", world.users[uid].messages):
            assert not any(title in message.text for title in foreign), message.text
    with world.sessions() as session:
        assert frozen_tables(session) == world.frozen
        conversations = set(session.scalars(select(Conversation.telegram_user_id)))
        assert conversations <= BOUND
        after: dict[int, Any] = {}
        for sub in session.scalars(select(Submission)):
            snapshot = after[sub.id] = (sub.project_id, sub.state, sub.changes)
            if before.get(sub.id) == snapshot:
                continue
            # Whoever changed it last: a shared project's report reopened by another
            # department ("Ergänzen", issue 18) keeps the contact who handed it in.
            editor = sub.last_editor or sub.contact
            assert editor is not None and editor.telegram_user_id in senders
            _check_submission(editor, sub.project, sub.changes)
    world.submissions = after


def _submissions(world: World) -> dict[int, Any]:
    """The submissions before an example: as the last passed check saw them (nothing runs
    between examples), else read anew."""
    known, world.submissions = world.submissions, None  # taken once, until the next check
    if known is not None:
        return known
    with world.sessions() as session:
        return {
            s.id: (s.project_id, s.state, s.changes) for s in session.scalars(select(Submission))
        }


@pytest.mark.slow
@settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(moves=st.lists(MOVES, min_size=1, max_size=4))
def test_hostile_updates_cause_no_error_and_no_change_outside_the_senders_rights(
    world: World, moves: list[Move]
) -> None:
    before = _submissions(world)
    for move in moves:
        world.runner.run(_act(world, move))
    check_invariants(world, before, {m.sender for m in moves})


def test_a_forged_button_for_another_departments_project_changes_nothing(
    world: World,
) -> None:
    ben = world.users[BEN]
    world.runner.run(_act(world, Move("text", BEN, "/projekte")))
    waerme = world.report.projects["waerme"]
    screen = _newest_screen(ben)
    assert screen is not None
    seq = decode(ben.buttons(screen)[0][1]).seq  # type: ignore[union-attr]

    for action in (Action.OPEN, Action.NO_CHANGES, Action.EDIT, Action.SUBMIT):
        world.runner.run(
            _act(
                world,
                Move("forge", BEN, action=action, arg=waerme if action is Action.OPEN else None),
            )
        )
        seq += 1
    world.runner.run(_act(world, Move("raw", BEN, text=encode(seq, Action.OPEN, waerme))))

    check_invariants(world, {}, {BEN})
    assert "Wärmeplanung" not in "".join(m.text for m in ben.messages)
    with world.sessions() as session:
        assert session.scalars(select(Submission)).all() == []
