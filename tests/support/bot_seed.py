"""Small report data for bot tests and the bot benchmark, built with the ORM and core services.

:func:`seed_small_report` makes two Themenfelder, three goals, three departments and five
projects with milestones, a planned list, a committee consultation, a remark and a title with
``<script>`` and ``&``. :func:`seed_many` makes ``contacts`` departments with one bound contact
and ``per_contact`` projects each (benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from core.fuzzydate_parse import parse_fuzzy_date
from core.models import (
    Consultation,
    Contact,
    Department,
    EntryKind,
    Field,
    Goal,
    Project,
    ProjectDepartment,
    ProjectEntry,
    Role,
)
from core.status import Status

#: Tests run on 16 June 2025: the edition being collected is "Stand 01.10.2025".
NOW = datetime(2025, 6, 16, 8, 0, tzinfo=UTC)
CUTOFF = date(2025, 10, 1)
HOSTILE_TITLE = "Energie-Scouts für Azubis & Schüler <script>alert('x')</script>"


class FakeClock:
    """A settable clock returning aware UTC datetimes."""

    def __init__(self, now: datetime = NOW) -> None:
        self._now = now

    def now(self) -> datetime:
        """The fake current time (implements :class:`core.clock.Clock`)."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment``."""
        self._now = moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward (``days=…``, ``hours=…``)."""
        self._now += timedelta(**delta)


@dataclass
class SmallReport:
    """Ids of what :func:`seed_small_report` created, by key."""

    projects: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)


def _entry(kind: EntryKind, position: int, when: str | None, text: str) -> ProjectEntry:
    return ProjectEntry(
        kind=kind, position=position, date=parse_fuzzy_date(when) if when else None, text=text
    )


def _project(
    goal: Goal,
    title: str,
    status: Status,
    since: date | None,
    departments: list[Department],
    sort_order: int,
    **extra: object,
) -> Project:
    project = Project(
        field_id=goal.field_id,
        goal_id=goal.id,
        title=title,
        short_title=title[:60],
        status=status,
        status_since=since,
        sort_order=sort_order,
        **extra,
    )
    project.department_links = [
        ProjectDepartment(department_id=d.id, position=i) for i, d in enumerate(departments)
    ]
    return project


def seed_small_report(session: Session) -> SmallReport:
    """The small report (committed by the caller)."""
    climate = Field(number=1, title="Klima/Energie/Umwelt")
    society = Field(number=2, title="Gesellschaft/soziale Gerechtigkeit/Gesundheit")
    session.add_all([climate, society])
    session.flush()
    g11 = Goal(field_id=climate.id, index=1, text="Der Energieverbrauch soll sinken.")
    g12 = Goal(field_id=climate.id, index=2, text="Erneuerbare Energien sollen wachsen.")
    g21 = Goal(field_id=society.id, index=1, text="Gesunde Ernährung soll gefördert werden.")
    d8001 = Department(code="80.01", name="Klimaschutz")
    d61 = Department(code="61", name="Planung")
    d7002 = Department(code="70.02", name="Abfallwirtschaft")
    session.add_all([g11, g12, g21, d8001, d61, d7002])
    session.flush()

    waerme = _project(
        g11,
        "Wärmeplanung für kreiseigene Gebäude",
        Status.IN_BEARBEITUNG,
        date(2022, 10, 1),
        [d8001],
        1,
        description="Die Wärmeversorgung der Kreisgebäude wird geplant.",
        remark="Die Förderung ist bewilligt.",
    )
    waerme.entries = [
        _entry(EntryKind.DONE, 0, "31.12.2023", "Bestandsaufnahme abgeschlossen"),
        _entry(EntryKind.DONE, 1, "Oktober 2024", "Förderantrag gestellt"),
        _entry(EntryKind.PLANNED, 0, "2025", "Ausschreibung"),
        _entry(EntryKind.PLANNED, 1, "2. Halbjahr 2025", "Vergabe"),
    ]
    waerme.consultations = [
        Consultation(
            position=0,
            date=parse_fuzzy_date("06.03.2025"),
            gremium="Ausschuss für Umwelt und Landwirtschaft",
            vorlagenart="Beschlussvorlage",
            nummer="057/2025",
        ),
    ]
    scouts = _project(
        g12,
        HOSTILE_TITLE,
        Status.IN_PLANUNG,
        date(2023, 4, 1),
        [d8001],
        1,
        description="Auszubildende werden zu Energie-Scouts.",
    )
    scouts.entries = [_entry(EntryKind.PLANNING, 0, "3. Qu. 2022", "Konzept erstellt")]
    radweg = _project(
        g12,
        "Radwegekonzept",
        Status.IN_BEARBEITUNG,
        date(2021, 10, 1),
        [d61, d8001],
        2,
        description="Ein Konzept für Radwege im Kreis.",
    )
    kantine = _project(
        g21,
        "Regionale Kantine",
        Status.IDEENSPEICHER,
        date(2022, 10, 1),
        [d7002],
        1,
        description="Regionale Produkte in der Kantine.",
    )
    bau = _project(
        g21,
        "Gesundheitshaus",
        Status.IN_BEARBEITUNG,
        date(2024, 1, 1),
        [d61],
        2,
        description="Ein Haus für Beratung.",
    )
    session.add_all([waerme, scouts, radweg, kantine, bau])
    session.flush()
    return SmallReport(
        projects={
            "waerme": waerme.id,
            "scouts": scouts.id,
            "radweg": radweg.id,
            "kantine": kantine.id,
            "bau": bau.id,
        },
        departments={"80.01": d8001.id, "61": d61.id, "70.02": d7002.id},
    )


def add_contact(
    session: Session,
    name: str,
    codes: list[str],
    *,
    telegram_user_id: int | None = None,
    role: Role = Role.CONTACT,
    active: bool = True,
) -> Contact:
    """A contact for departments ``codes``, bound to ``telegram_user_id`` if given."""
    departments = [session.query(Department).filter_by(code=c).one() for c in codes]
    contact = Contact(name=name, role=role, active=active, telegram_user_id=telegram_user_id)
    contact.departments = departments
    session.add(contact)
    session.flush()
    return contact


def seed_many(session: Session, *, contacts: int, per_contact: int) -> list[int]:
    """``contacts`` departments with ``per_contact`` projects and one bound contact each.

    Returns the contacts' Telegram user ids (``20001``, ``20002`` …).
    """
    topic = Field(number=1, title="Klima/Energie/Umwelt")
    session.add(topic)
    session.flush()
    goals = [Goal(field_id=topic.id, index=i, text=f"Ziel {i}") for i in range(1, 6)]
    session.add_all(goals)
    session.flush()
    user_ids = []
    for c in range(1, contacts + 1):
        department = Department(code=f"B{c:03d}", name=f"Abteilung {c}")
        session.add(department)
        session.flush()
        for p in range(per_contact):
            goal = goals[p % len(goals)]
            project = _project(
                goal,
                f"Projekt {p + 1} der Abteilung {c}",
                Status.IN_BEARBEITUNG,
                date(2023, 4, 1),
                [department],
                c * 100 + p,
                remark="Läuft nach Plan.",
            )
            project.entries = [
                _entry(EntryKind.DONE, 0, "März 2024", "Start"),
                _entry(EntryKind.PLANNED, 0, "2026", "Abschluss"),
            ]
            session.add(project)
        user_id = 20_000 + c
        add_contact(session, f"Kontakt {c}", [department.code], telegram_user_id=user_id)
        user_ids.append(user_id)
    session.flush()
    return user_ids
