"""The report's data model (SQLAlchemy 2 typed ORM).

A project has a stable id; its printed number is not stored on the project but recomputed for
every edition and frozen in :class:`EditionEntry` when an edition is published or imported.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from core.fuzzydate import FuzzyDate
from core.richtext import RichText
from core.status import Status

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (what the database stores)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class FuzzyDateType(TypeDecorator[FuzzyDate]):
    """A :class:`FuzzyDate` in its canonical storage form (``2025-Q2``, ``since:2024-09`` ...)."""

    impl = String(160)
    cache_ok = True

    def process_bind_param(self, value: FuzzyDate | None, dialect: Dialect) -> str | None:
        return None if value is None else value.storage()

    def process_result_value(self, value: str | None, dialect: Dialect) -> FuzzyDate | None:
        return None if value is None else FuzzyDate.from_storage(value)


class RichTextType(TypeDecorator[RichText]):
    """A :class:`RichText` stored as JSON text (plain text given on bind is read first)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: RichText | str | None, dialect: Dialect) -> str:
        return RichText.coerce(value).to_json()

    def process_result_value(self, value: str | None, dialect: Dialect) -> RichText:
        return RichText.from_json(value)


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store enum values (not names) as plain strings with a CHECK constraint; portable and
    # readable in SQL and exports.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Role(enum.StrEnum):
    """What a contact may do."""

    CONTACT = "contact"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class EditionState(enum.StrEnum):
    """Lifecycle of an edition."""

    COLLECTING = "collecting"  # departments are updating their projects
    PUBLISHED = "published"  # numbering frozen


class EntryKind(enum.StrEnum):
    """The three dated lists of a project."""

    DONE = "done"  # abgeschlossene Meilensteine
    PLANNING = "planning"  # erfolgte Planungsschritte
    PLANNED = "planned"  # geplante Meilensteine


class Field(Base):
    """A Themenfeld (report chapter)."""

    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    overview: Mapped[str] = mapped_column(Text, default="")

    goals: Mapped[list[Goal]] = relationship(
        back_populates="field", order_by="Goal.index", cascade="all, delete-orphan"
    )


class Goal(Base):
    """A strategic goal ``field.index`` of a Themenfeld."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("field_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    field: Mapped[Field] = relationship(back_populates="goals")
    projects: Mapped[list[Project]] = relationship(back_populates="goal")

    @property
    def number(self) -> str:
        """The goal's printed number, e.g. ``1.2``."""
        return f"{self.field.number}.{self.index}"


class Department(Base):
    """An Abteilung/Sachgebiet, named by its code (``80.01``, ``wfg``, ``Dez. 06``)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProjectDepartment(Base):
    """A project's responsible department, in printed order."""

    __tablename__ = "project_departments"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(lazy="joined")


class ContactDepartment(Base):
    """Which departments a contact reports for."""

    __tablename__ = "contact_departments"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Contact(Base):
    """An Ansprechperson (or coordinator/admin) who talks to the bot."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.CONTACT)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    departments: Mapped[list[Department]] = relationship(
        secondary="contact_departments", order_by="Department.code"
    )


class Project(Base):
    """A project with a stable id; its printed number lives in the edition history."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id", ondelete="RESTRICT"), index=True)
    # None only for a dropped project known from the archive alone (its goal was never printed).
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[RichText] = mapped_column(RichTextType(), default=RichText)
    status: Mapped[Status] = mapped_column(_enum(Status, "status"), index=True)
    # As precise as its author made it: "Juni 2022" stays a month.
    status_since: Mapped[FuzzyDate | None] = mapped_column(FuzzyDateType())
    project_start: Mapped[FuzzyDate | None] = mapped_column(FuzzyDateType())
    municipalities: Mapped[str] = mapped_column(Text, default="")
    remark: Mapped[RichText] = mapped_column(RichTextType(), default=RichText)
    # Section headings this project prints instead of the standard ones, by section key
    # (description, milestones_done, planning_steps, consultations, remark,
    # milestones_planned), e.g. "Projektbeschreibung und Planungsstand 01.04.2024:".
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Further headed sections in printed order: [{"label": ..., "text": plain text form}].
    more_sections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    # Order within its status group; numbers are derived from it per edition.
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The coordinator keeps a completed project in the report up to and including this edition.
    keep_until: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declared form

    field: Mapped[Field] = relationship()
    goal: Mapped[Goal | None] = relationship(back_populates="projects")
    department_links: Mapped[list[ProjectDepartment]] = relationship(
        order_by="ProjectDepartment.position", cascade="all, delete-orphan"
    )
    entries: Mapped[list[ProjectEntry]] = relationship(
        back_populates="project",
        order_by="(ProjectEntry.kind, ProjectEntry.position)",
        cascade="all, delete-orphan",
    )
    consultations: Mapped[list[Consultation]] = relationship(
        back_populates="project", order_by="Consultation.position", cascade="all, delete-orphan"
    )
    history: Mapped[list[EditionEntry]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )

    @property
    def departments(self) -> list[Department]:
        """Responsible departments in printed order."""
        return [link.department for link in self.department_links]

    @property
    def department_codes(self) -> list[str]:
        """Codes of the responsible departments in printed order."""
        return [link.department.code for link in self.department_links]

    @validates("description", "remark")
    def _coerce_text(self, _key: str, value: RichText | str | None) -> RichText:
        return RichText.coerce(value)

    @validates("status_since")
    def _coerce_since(self, _key: str, value: FuzzyDate | date | None) -> FuzzyDate | None:
        if value is None or isinstance(value, FuzzyDate):
            return value
        return FuzzyDate.day(value)

    def entries_of(self, kind: EntryKind) -> list[ProjectEntry]:
        """The project's dated list of one kind, in order."""
        return [e for e in self.entries if e.kind == kind]


class ProjectEntry(Base):
    """A completed milestone, planning step or planned milestone: fuzzy date and text."""

    __tablename__ = "project_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind, "entry_kind"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[FuzzyDate | None] = mapped_column(FuzzyDateType())
    text: Mapped[str] = mapped_column(Text)
    # Sub-items printed as a list below the text ("Aufnahme in Bauprogramm 2024:" + roads).
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="entries")


class Consultation(Base):
    """Beratung/Information in a political committee (Gremium)."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[FuzzyDate | None] = mapped_column(FuzzyDateType())
    gremium: Mapped[str] = mapped_column(String(300))
    vorlagenart: Mapped[str | None] = mapped_column(String(100))
    nummer: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    # The entry as printed (imported ones): "Kreistag – TOP 14.5 – Vorlage 076/2023".
    printed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="consultations")


class Edition(Base):
    """A report edition, identified by its cutoff date (01.04. or 01.10.)."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cutoff: Mapped[date] = mapped_column(Date, unique=True)
    state: Mapped[EditionState] = mapped_column(
        _enum(EditionState, "edition_state"), default=EditionState.COLLECTING
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # True when the edition is only known from another edition's archive table.
    from_archive_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # The coordinator chose this edition as the one being collected (nhr edition collect);
    # without a choice it is the edition after the last published one (core.editions).
    collecting_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The open-data export of the edition as published (or imported): the baseline that the
    # next edition's changes view compares against.
    # Both JSON records are large (the whole edition): loaded only when read, never with a
    # query that merely needs the edition's cutoff or state (joined into every history row).
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    # The edition exactly as it was published or imported (core.frozen): what it renders from
    # for good, whatever changes later. None while it is being collected.
    frozen: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)

    entries: Mapped[list[EditionEntry]] = relationship(
        back_populates="edition", cascade="all, delete-orphan"
    )


class EditionEntry(Base):
    """The number and status a project had in an edition (the archive derives from this)."""

    __tablename__ = "edition_entries"
    __table_args__ = (UniqueConstraint("edition_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str | None] = mapped_column(String(40))  # None: not known (archive only)
    status: Mapped[Status | None] = mapped_column(_enum(Status, "status"))

    edition: Mapped[Edition] = relationship(back_populates="entries")
    project: Mapped[Project] = relationship(back_populates="history")


#: The key of the Einleitung in :class:`DocumentText`.
INTRO_KEY = "intro"


class DocumentText(Base):
    """Edition-independent prose of the report (the Einleitung), editable by the coordinator."""

    __tablename__ = "document_texts"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AuditLog(Base):
    """One change: who, when, what, before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))  # readable: contact name, "import", "cli"
    action: Mapped[str] = mapped_column(String(40))  # create, update, delete, approve ...
    entity: Mapped[str] = mapped_column(String(60))  # table name
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)


class Invitation(Base):
    """A one-time, expiring invitation that binds a Telegram user to a contact."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contact: Mapped[Contact] = relationship()


class Conversation(Base):
    """Where a Telegram user stands in a conversation, and what they typed so far."""

    __tablename__ = "conversations"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    state: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SeenUpdate(Base):
    """A Telegram update the bot has handled lately: a repeat delivery is recognised by its id.

    Written in the transaction of the update's turn; rows older than
    :data:`core.deliveries.KEPT` no longer count and are deleted now and then."""

    __tablename__ = "seen_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubmissionState(enum.StrEnum):
    """Lifecycle of a department's update of one project for one edition."""

    DRAFT = "draft"  # being entered (in Arbeit)
    SUBMITTED = "submitted"  # waiting for the coordinator (eingereicht)
    APPROVED = "approved"  # applied to the project (freigegeben)
    RETURNED = "returned"  # sent back with a reason (zurückgegeben)


class Submission(Base):
    """A contact's proposed changes to one project for one edition (a change set)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[SubmissionState] = mapped_column(
        _enum(SubmissionState, "submission_state"), default=SubmissionState.DRAFT, index=True
    )
    base_version: Mapped[int] = mapped_column(Integer)  # project.version when the draft began
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # core.changes.ChangeSet
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )

    # Who changed the draft last (a colleague's card says "zuletzt bearbeitet von …").
    last_editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )

    edition: Mapped[Edition] = relationship()
    project: Mapped[Project] = relationship()
    contact: Mapped[Contact | None] = relationship(foreign_keys=[contact_id])
    last_editor: Mapped[Contact | None] = relationship(foreign_keys=[last_editor_id])
    contributions: Mapped[list[SubmissionContribution]] = relationship(
        back_populates="submission",
        order_by="(SubmissionContribution.at, SubmissionContribution.id)",
        cascade="all, delete-orphan",
    )


class ContributionKind(enum.StrEnum):
    """How a department took part in a (shared) project's submission."""

    CHANGES = "changes"  # handed in changes
    NO_CHANGES = "no_changes"  # handed in "Keine Änderungen"
    CONFIRMED = "confirmed"  # confirmed another department's report ("Passt so")


class SubmissionContribution(Base):
    """One department's hand-in (or confirmation) of a submission, by whom and when.

    A shared project has one submission per edition; these rows say which of its departments
    have reported, so that one department's report does not count for another.
    """

    __tablename__ = "submission_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # The name as it was (the contact may be erased later; the report still says who).
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContributionKind] = mapped_column(_enum(ContributionKind, "contribution_kind"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    submission: Mapped[Submission] = relationship(back_populates="contributions")
    department: Mapped[Department] = relationship(lazy="joined")


class Notification(Base):
    """A scheduled message (prompt, reminder, escalation, draft); the database says what was sent.

    ``key`` is deterministic (e.g. ``reminder:2026-04-01:1w:contact:12``), so planning the same
    message twice is a no-op and sending marks it exactly once.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    edition_cutoff: Mapped[date] = mapped_column(Date, index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InstanceLock(Base):
    """The one running ``nhr run`` or ``nhr bot`` (see :mod:`core.instance`): who holds the
    database, since when, its heartbeat, its last due-check and since when sending fails.

    One row per lock name; ``released_at`` is set when the holder stopped cleanly. On SQLite the
    row is the lock; on PostgreSQL an advisory lock is, and the row says who holds it.
    """

    __tablename__ = "instance_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(String(40))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
