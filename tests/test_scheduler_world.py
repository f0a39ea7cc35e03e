"""Worlds for the scheduler tests: a small hand-made report, the demo edition, and a harness
that runs due-checks on a fake clock against the fake Bot API.

The other scheduler test modules import from here; the tests below check the worlds themselves.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import FakeBotApi
from support.fake_world import BotMessage
from telegram import Bot

from core.changes import ChangeSet
from core.clock import FakeClock
from core.db import unit_of_work
from core.drafts import save_changes, start_draft, submit
from core.importer.parsed import ParsedEdition
from core.models import (
    Contact,
    Department,
    Edition,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    Role,
    utcnow,
)
from core.schedule import ScheduleConfig
from core.status import Status
from core.view import AssembledEdition
from scheduler.documents import Document, RenderedDrafts, Renderer
from scheduler.jobs import DueCheck, DueCheckReport
from scheduler.sender import Sender

BERLIN = ZoneInfo("Europe/Berlin")


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """A Berlin wall-clock time as aware UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN).astimezone(UTC)


def berlin(moment: datetime | int) -> str:
    """``Mon 19.02.2029 09:00`` for an aware datetime or Unix seconds."""
    if isinstance(moment, int):
        moment = datetime.fromtimestamp(moment, UTC)
    return moment.astimezone(BERLIN).strftime("%a %d.%m.%Y %H:%M")


# -- people ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A contact to create: name, Telegram id (None: never redeemed the invitation)."""

    name: str
    telegram_user_id: int | None
    departments: tuple[str, ...] = ()
    role: Role = Role.CONTACT
    active: bool = True


def add_people(session: Session, people: Sequence[Person]) -> dict[str, int]:
    """Create contacts (and missing departments); returns name -> contact id."""
    ids = {}
    for person in people:
        deps = [ensure_department(session, code) for code in person.departments]
        contact = Contact(
            name=person.name,
            telegram_user_id=person.telegram_user_id,
            role=person.role,
            active=person.active,
            reachable=True,
        )
        contact.departments = deps
        session.add(contact)
        session.flush()
        ids[person.name] = contact.id
    return ids


def ensure_department(session: Session, code: str) -> Department:
    """The department with ``code``, created if new."""
    dep = session.scalar(select(Department).where(Department.code == code))
    if dep is None:
        dep = Department(code=code, name=code)
        session.add(dep)
        session.flush()
    return dep


# -- a small report ------------------------------------------------------------------------------

SMALL_PEOPLE = (
    Person("Anna Albers", 1001, ("80.01",)),
    Person("Bernd Brandt", 1002, ("61",)),
    Person("Clara Conrad", 1003, ("70.01",)),
    Person("Nora Neu", None, ("80.01",)),  # invited, never started the bot
    Person("Ines Inaktiv", 1005, ("61",), active=False),
    Person("Olaf Ohne", 1006, ("99",)),  # department without projects
    Person("Kora Koordination", 2001, role=Role.COORDINATOR),
    Person("Lars Leitung", 2002, role=Role.ADMIN),
)

SMALL_PROJECTS = (
    ("Solardächer", ("80.01",)),
    ("Klimaanpassung", ("80.01",)),
    ("Radwege", ("80.01", "61")),
    ("Bauleitplanung", ("61",)),
    ("Schulgärten", ("70.01",)),
    ("Regionalmarke", ("wfg",)),  # no contact at all
)


def small_report(session: Session) -> dict[str, int]:
    """Six projects in one goal, several departments and the people above; name -> id."""
    fld = Field(number=1, title="Energie/Klima/Umwelt")
    session.add(fld)
    session.flush()
    goal = Goal(field_id=fld.id, index=1, text="Klimaschutz voranbringen")
    session.add(goal)
    session.flush()
    ids: dict[str, int] = {}
    for n, (title, codes) in enumerate(SMALL_PROJECTS, start=1):
        project = Project(
            field_id=fld.id,
            goal_id=goal.id,
            title=title,
            short_title=title,
            status=Status.IN_BEARBEITUNG,
            sort_order=n,
        )
        project.department_links = [
            ProjectDepartment(department_id=ensure_department(session, c).id, position=i)
            for i, c in enumerate(codes)
        ]
        session.add(project)
        session.flush()
        ids[title] = project.id
    ids |= add_people(session, SMALL_PEOPLE)
    return ids


def answer(
    session: Session, contact_id: int, cutoff: date, project_ids: Sequence[int], now: datetime
) -> None:
    """The contact submits "no changes" for each project (as the bot would)."""
    from core.editions import get_or_create_edition

    edition = get_or_create_edition(session, cutoff)
    contact = session.get(Contact, contact_id)
    assert contact is not None
    for pid in project_ids:
        project = session.get(Project, pid)
        assert project is not None
        sub = start_draft(session, edition, project, contact, now)
        save_changes(session, sub, ChangeSet(no_changes=True), contact, now)
        submit(session, sub, contact, now)


def projects_of(session: Session, code: str) -> list[int]:
    """Ids of the projects a department is responsible for."""
    return list(
        session.scalars(
            select(ProjectDepartment.project_id)
            .join(Department)
            .where(Department.code == code)
            .order_by(ProjectDepartment.project_id)
        )
    )


# -- the demo edition ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def demo_parsed() -> ParsedEdition:
    """The 01.04.2025 edition: the packaged demo if present, else parsed from the seed."""
    from core.importer import demo_edition

    try:
        return demo_edition()
    except (FileNotFoundError, OSError):
        from conftest import SEED_2025, require_seed

        from core.importer.parse import parse_edition

        return parse_edition(require_seed(SEED_2025).read_text(encoding="utf-8"))


def load_demo(sessions: sessionmaker[Session]) -> None:
    """Import the demo edition."""
    from core.importer import import_parsed

    with unit_of_work(sessions) as session:
        import_parsed(session, demo_parsed(), actor="demo", now=utcnow())


# -- the harness ---------------------------------------------------------------------------------


def tiny_renderers() -> dict[str, Renderer]:
    """Stand-ins for PDF and DOCX that only name the edition (the real ones take seconds)."""

    def pdf(edition: AssembledEdition, out: io.BytesIO) -> None:
        out.write(b"%PDF-1.7 draft " + edition.cutoff.isoformat().encode())

    def docx(edition: AssembledEdition, out: io.BytesIO) -> None:
        out.write(b"PK docx draft " + edition.cutoff.isoformat().encode())

    return {"pdf": pdf, "docx": docx}


@dataclass
class Received:
    """A message as a user saw it: who, what kind, when (Berlin), documents attached."""

    who: str
    kind: str
    when: str
    text: str
    documents: tuple[str, ...] = ()


def kind_of(message: BotMessage) -> str:
    """Which scheduled message this is, read from its text like a user would."""
    text = message.text
    if message.documents:
        return "draft-file"
    for marker, kind in (
        ("wird vorbereitet", "prompt"),
        ("Erinnerung", "reminder"),
        ("Frist abgelaufen", "escalation"),
        ("Entwurf des Nachhaltigkeitsreports", "draft"),
        ("hat den Bot blockiert", "unreachable"),
    ):
        if marker in text:
            return kind
    return "other"


@dataclass
class Harness:
    """One scheduler process (sender, due-check) on a fake clock against the fake Bot API.

    ``restart`` throws the process objects away and builds new ones from the database, as a
    real restart would; the clock and the fake Telegram live on.
    """

    api: FakeBotApi
    sessions: sessionmaker[Session]
    clock: FakeClock
    config: ScheduleConfig = field(default_factory=ScheduleConfig)
    names: dict[int, str] = field(default_factory=dict)  # telegram id -> name
    workers: int = 1
    bot: Bot | None = None
    due_check: DueCheck | None = None
    drafts: RenderedDrafts | None = None
    restarts: int = 0

    async def start(self) -> None:
        """Start the process: a fresh Bot client, sender and due-check."""
        self.bot = Bot(
            self.api.token, base_url=self.api.base_url, base_file_url=self.api.base_file_url
        )
        await self.bot.initialize()
        self.drafts = RenderedDrafts(self.sessions, renderers=tiny_renderers)
        sender = Sender(
            self.bot, self.sessions, self.clock, self.config, self.drafts, workers=self.workers
        )
        self.due_check = DueCheck(self.sessions, sender, self.clock, self.config)

    async def stop(self) -> None:
        """Stop the process (whatever it held in memory is gone)."""
        if self.bot is not None:
            await self.bot.shutdown()
        self.bot, self.due_check, self.drafts = None, None, None

    async def restart(self) -> None:
        """Stop and start again."""
        await self.stop()
        await self.start()
        self.restarts += 1

    async def tick(self, moment: datetime) -> DueCheckReport:
        """Move the clock to ``moment`` and run one due-check."""
        self.clock.set(max(moment, self.clock.now()))
        assert self.due_check is not None, "the process is not running"
        return await self.due_check.run()

    def received(self) -> list[Received]:
        """Everything the bot sent to known users, oldest first."""
        out = []
        for user_id, name in self.names.items():
            for message in self.api.user(user_id).messages:
                out.append(
                    Received(
                        name,
                        kind_of(message),
                        berlin(message.date),
                        message.text,
                        tuple(d.filename for d in message.documents),
                    )
                )
        return sorted(
            out, key=lambda r: (datetime.strptime(r.when[4:], "%d.%m.%Y %H:%M"), r.who, r.kind)
        )


def telegram_names(people: Sequence[Person]) -> dict[int, str]:
    """Telegram id -> name of the people that have one."""
    return {p.telegram_user_id: p.name for p in people if p.telegram_user_id is not None}


# -- tests of the worlds -----------------------------------------------------------------------


def test_the_small_report_has_projects_for_three_departments_with_contacts(
    session: Session,
) -> None:
    ids = small_report(session)
    session.commit()
    assert len(projects_of(session, "80.01")) == 3
    assert len(projects_of(session, "61")) == 2
    assert session.get(Contact, ids["Kora Koordination"]) is not None
    assert session.scalar(select(Edition)) is None


def test_answering_submits_a_no_changes_submission_per_project(session: Session) -> None:
    ids = small_report(session)
    answer(
        session,
        ids["Bernd Brandt"],
        date(2026, 4, 1),
        projects_of(session, "61"),
        local(2026, 2, 20),
    )
    session.commit()
    from core.models import Submission, SubmissionState

    states = session.scalars(select(Submission.state)).all()
    assert states == [SubmissionState.SUBMITTED] * 2
    assert ChangeSet.from_json(session.scalars(select(Submission.changes)).first()).no_changes


def test_tiny_renderers_name_the_edition() -> None:
    from core.view import AssembledEdition

    edition = AssembledEdition(
        date(2026, 4, 1), date(2025, 10, 1), date(2022, 10, 1), "", (), (), ()
    )
    out = io.BytesIO()
    tiny_renderers()["pdf"](edition, out)
    assert out.getvalue().endswith(b"2026-04-01")
    assert Document("a.pdf", b"x").filename == "a.pdf"
