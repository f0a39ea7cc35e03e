"""Personal data of a contact: finding the person, what the database holds about them
(Art. 15 DSGVO, :func:`export_person`) and erasing it (Art. 17, :func:`erase_person`).

Which rows concern a person is derived from the schema: every column with a foreign key to
``contacts.id`` (:func:`contact_references`), the Telegram id columns
(:data:`TELEGRAM_COLUMNS`) and the free-form JSON columns that may quote a name or a Telegram
id (:data:`SCRUBBED_COLUMNS`). The export follows the foreign keys by itself, so a new column
referring to a contact is exported without a change here; the erasure needs to know what to do
with it (:data:`CONTACT_REFERENCES`), and a test fails until it is said.

Erasing keeps the report's content (projects, editions, the effects of approved submissions):
the contact row stays as a pseudonym ("gelöschte Person #12") that submissions and the audit
log still point at, without name, Telegram id or access.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, delete, or_, select, update
from sqlalchemy.orm import Session

from core import texts
from core.audit import Auditor, to_json
from core.contacts import name_key
from core.models import AuditLog, Base, Contact, Conversation, Notification

#: The schema id of :func:`export_person`'s record.
EXPORT_SCHEMA = "nhr-auskunft/1"

#: What an erased contact is called from then on (contact row, audit log, conversations).
PSEUDONYM = texts.ERASED_PERSON

#: What replaces an erased Telegram id inside stored JSON and text.
ERASED = texts.ERASED_ID

#: Columns that hold a Telegram user or chat id, as ``(table, column)``. Coordinators'
#: conversation rows are keyed by the negated id (``bot.coordinator_flow.conversation_key``).
TELEGRAM_COLUMNS = frozenset(
    {
        ("contacts", "telegram_user_id"),
        ("conversations", "telegram_user_id"),
    }
)

#: Free-form columns (JSON or text) that may quote a person's name or Telegram id; the erasure
#: replaces those quotes in every row, whoever the row is about.
SCRUBBED_COLUMNS = frozenset(
    {
        ("audit_log", "actor"),
        ("audit_log", "before"),
        ("audit_log", "after"),
        ("conversations", "data"),
        ("notifications", "payload"),
        ("notifications", "last_error"),
        ("submissions", "return_reason"),
        # Entry authors' names (core.changes.Author) and hand-ins' name snapshots.
        ("submissions", "changes"),
        ("submission_contributions", "contact_name"),
    }
)

#: Columns the export leaves out: secrets that say nothing about the person.
SECRET_COLUMNS = frozenset({("invitations", "token_hash")})


class OnErase(enum.StrEnum):
    """What erasing a contact does to a row that refers to them."""

    KEEP = "keep"  # the row stays and points at the pseudonym (report content, audit trail)
    DELETE = "delete"  # the row goes
    DELETE_UNSENT = "delete_unsent"  # notifications not sent yet go, the record of sent ones stays


#: Every foreign key to ``contacts.id``, as ``(table, column)``, and what erasure does with it.
CONTACT_REFERENCES: dict[tuple[str, str], OnErase] = {
    ("contact_departments", "contact_id"): OnErase.DELETE,
    ("invitations", "contact_id"): OnErase.DELETE,
    ("audit_log", "actor_contact_id"): OnErase.KEEP,
    ("submissions", "contact_id"): OnErase.KEEP,
    ("submissions", "decided_by_id"): OnErase.KEEP,
    ("submissions", "last_editor_id"): OnErase.KEEP,
    ("submission_contributions", "contact_id"): OnErase.KEEP,
    ("notifications", "contact_id"): OnErase.DELETE_UNSENT,
}


class PersonError(Exception):
    """A person could not be chosen or erased; ``str(err)`` is a short German message."""


class AmbiguousPerson(PersonError):
    """More than one contact fits; :attr:`candidates` lists them."""

    def __init__(self, message: str, candidates: list[Contact]) -> None:
        super().__init__(message)
        self.candidates = candidates


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def pseudonym(contact_id: int) -> str:
    """``gelöschte Person #12``."""
    return PSEUDONYM.format(id=contact_id)


def is_erased(contact: Contact) -> bool:
    """Whether ``contact`` has been erased already."""
    return contact.name == pseudonym(contact.id) and contact.telegram_user_id is None


def contact_references(metadata: MetaData = Base.metadata) -> list[tuple[Table, Column[Any]]]:
    """Every column of the schema with a foreign key to ``contacts.id``, sorted by name."""
    found = [
        (table, column)
        for table in metadata.tables.values()
        for column in table.columns
        if any(fk.target_fullname == "contacts.id" for fk in column.foreign_keys)
    ]
    return sorted(found, key=lambda tc: (tc[0].name, tc[1].name))


# -- finding the person ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_person(session: Session, key: str) -> Contact:
    """The contact with id ``key`` or with the name ``key`` (case and spaces ignored).

    A part of a name is never acted upon: when no full name fits, the contacts whose names
    contain it are raised as candidates, like several people of the same name.
    """
    key = key.strip()
    if key.lstrip("#").isdigit():
        contact = session.get(Contact, int(key.lstrip("#")))
        if contact is None:
            raise PersonError(texts.PERSON_NOT_FOUND_BY_NUMBER.format(number=key.lstrip("#")))
        return contact
    if not key:
        raise PersonError(texts.PERSON_KEY_MISSING)
    everyone = session.scalars(select(Contact).order_by(Contact.id)).all()
    wanted = name_key(key)  # the same name matching as invite/reinvite/revoke
    exact = [c for c in everyone if name_key(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise AmbiguousPerson(texts.PERSON_AMBIGUOUS.format(key=key), exact)
    partial = [c for c in everyone if wanted in name_key(c.name)]
    if partial:
        raise AmbiguousPerson(texts.PERSON_NOT_EXACT.format(key=key), partial)
    raise PersonError(texts.PERSON_NOT_FOUND.format(key=key))


# -- replacing names and Telegram ids in stored values --------------------------------------------


class Scrubber:
    """Replaces names (whole words, any case) and Telegram ids in text and JSON values."""

    def __init__(self, names: dict[str, str], ids: dict[int, str]) -> None:
        self._names = {_fold(n): r for n, r in names.items() if n.strip()}
        self._ids = dict(ids)
        words = [re.escape(n) for n in sorted(self._names, key=len, reverse=True)]
        words = [w.replace(r"\ ", r"\s+") for w in words]
        numbers = [str(i) for i in sorted(self._ids, key=lambda i: -len(str(i)))]
        parts = words + [re.escape(n) for n in numbers]
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
            if parts
            else None
        )

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        if found.lstrip("-").isdigit() and int(found) in self._ids:
            return self._ids[int(found)]
        return self._names.get(_fold(found), found)

    def text(self, value: str) -> str:
        """``value`` with every name and id replaced."""
        return value if self._pattern is None else self._pattern.sub(self._replace, value)

    def value(self, value: Any) -> Any:
        """A JSON value with every name and id replaced (dict keys too)."""
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return self._ids.get(value, value)
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        return value


def known_names_and_ids(session: Session, contact: Contact) -> tuple[set[str], set[int]]:
    """Every name and Telegram id the contact had: the current ones and those the audit log
    recorded when they changed (a rename, a new binding)."""
    names = {contact.name}
    ids = {contact.telegram_user_id} - {None}
    rows = session.execute(
        select(AuditLog.field, AuditLog.before, AuditLog.after).where(
            AuditLog.entity == "contacts", AuditLog.entity_id == contact.id
        )
    )
    for fld, before, after in rows:
        for value in (before, after):
            if fld == "name" and isinstance(value, str):
                names.add(value)
            elif fld == "telegram_user_id" and isinstance(value, int):
                ids.add(value)
            elif fld is None and isinstance(value, dict) and isinstance(value.get("name"), str):
                names.add(value["name"])
    names.discard(pseudonym(contact.id))
    return {n for n in names if n.strip()}, {i for i in ids if i is not None}


# -- Art. 15: the export --------------------------------------------------------------------------


def _row(table: Table, row: Any) -> dict[str, Any]:
    return {
        name: to_json(value)
        for name, value in row._mapping.items()
        if (table.name, name) not in SECRET_COLUMNS
    }


def _others(session: Session, contact: Contact) -> Scrubber:
    """A scrubber that replaces every other contact's name and Telegram id, and keeps the
    person's own (listed first, so a longer own name wins over another's shorter one)."""
    own_names, own_ids = known_names_and_ids(session, contact)
    names: dict[str, str] = {}
    ids: dict[int, str] = {}
    for other in session.scalars(select(Contact).where(Contact.id != contact.id)):
        names[other.name] = f"Person #{other.id}"
        if other.telegram_user_id is not None:
            ids[other.telegram_user_id] = ERASED
    names.update({n: n for n in own_names})
    for i in own_ids:
        ids.pop(i, None)
    return Scrubber(names, ids)


def person_rows(session: Session, contact: Contact) -> dict[str, list[dict[str, Any]]]:
    """Every row that concerns the contact, by table: rows referring to them by a foreign key,
    the audit log's rows about them or by their name, their conversation state."""
    metadata = Base.metadata
    names, ids = known_names_and_ids(session, contact)
    found: dict[str, dict[Any, dict[str, Any]]] = {}

    def add(table: Table, rows: Iterable[Any]) -> None:
        keyed = found.setdefault(table.name, {})
        for row in rows:
            key = tuple(row._mapping[c.name] for c in table.primary_key.columns)
            keyed[key] = _row(table, row)

    for table, column in contact_references(metadata):
        add(table, session.execute(select(table).where(column == contact.id)))
    # The audit log's rows by them, about them (invitations are audited under the contact's
    # id), and about the rows they own that stay when they are erased (their submissions).
    audit = _table("audit_log")
    about = [AuditLog.entity.in_(("contacts", "invitations")) & (AuditLog.entity_id == contact.id)]
    for (table_name, _column), rule in CONTACT_REFERENCES.items():
        owned = [key[0] for key in found.get(table_name, {}) if len(key) == 1]
        if rule is OnErase.KEEP and table_name != "audit_log" and owned:
            about.append((AuditLog.entity == table_name) & AuditLog.entity_id.in_(owned))
    add(audit, session.execute(select(audit).where(or_(*about, AuditLog.actor.in_(names)))))
    keys = [i for tg in ids for i in (tg, -tg)]
    if keys:
        conversations = _table("conversations")
        add(
            conversations,
            session.execute(select(conversations).where(Conversation.telegram_user_id.in_(keys))),
        )
    return {name: [rows[k] for k in sorted(rows)] for name, rows in sorted(found.items()) if rows}


def export_person(session: Session, contact: Contact, now: datetime) -> dict[str, Any]:
    """Everything stored about ``contact`` (Art. 15 DSGVO) as one JSON-ready record; other
    people's names and Telegram ids in it are replaced by "Person #id"."""
    others = _others(session, contact)
    person = _row(
        _table("contacts"),
        session.execute(select(_table("contacts")).where(Contact.id == contact.id)).one(),
    )
    person["departments"] = [{"code": d.code, "name": d.name} for d in contact.departments]
    return {
        "schema": EXPORT_SCHEMA,
        "generated_at": now.isoformat(),
        "person": person,
        "records": others.value(person_rows(session, contact)),
    }


# -- Art. 17: erasure -----------------------------------------------------------------------------


@dataclass
class ErasureReport:
    """What erasing one contact changed (or, in a dry run, would change)."""

    contact_id: int
    telegram_ids: int = 0
    conversations_deleted: int = 0
    invitations_deleted: int = 0
    department_links_deleted: int = 0
    notifications_deleted: int = 0
    audit_rows: int = 0
    conversations_scrubbed: int = 0
    notifications_scrubbed: int = 0
    submissions_scrubbed: int = 0
    deleted: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The counts alone (what the erasure's own audit entry records)."""
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and k != "contact_id"}


def _scrub_rows(
    session: Session,
    table: Table,
    columns: list[str],
    scrubber: Scrubber,
    fixed: dict[Any, dict[str, Any]] | None = None,
) -> int:
    """Rewrite ``columns`` of every row of ``table`` whose values name the person; returns
    how many rows changed. ``fixed`` sets further values on given rows (by primary key)."""
    [pk] = table.primary_key.columns
    fixed = fixed or {}
    changed = 0
    rows = session.execute(select(pk, *(table.c[c] for c in columns))).all()
    for row in rows:
        values = dict(zip(columns, row[1:], strict=True))
        new = {c: scrubber.value(v) for c, v in values.items()} | fixed.get(row[0], {})
        new = {c: v for c, v in new.items() if v != values[c]}
        if new:
            session.execute(update(table).where(pk == row[0]).values(**new))
            changed += 1
    return changed


def _drop_review_copies(payload: Any, contact_id: int) -> Any:
    """A review notification's payload without the person's copy of the review message."""
    if isinstance(payload, dict) and isinstance(payload.get("messages"), dict):
        messages = {k: v for k, v in payload["messages"].items() if k != str(contact_id)}
        return payload | {"messages": messages}
    return payload


def erase_person(session: Session, contact: Contact, *, actor: str, now: datetime) -> ErasureReport:
    """Erase ``contact``'s personal data in this session (the caller commits, or rolls back
    for a dry run): Telegram ids gone, access gone, name replaced by the pseudonym everywhere,
    conversation state, invitations, department links and unsent messages deleted. The report's
    content stays. The erasure is audited with its counts only."""
    if is_erased(contact):
        raise PersonError(texts.PERSON_ALREADY_ERASED.format(name=contact.name))
    names, ids = known_names_and_ids(session, contact)
    alias = pseudonym(contact.id)
    report = ErasureReport(contact.id, telegram_ids=len(ids))
    # Other people's names map to themselves, so a longer name that contains theirs ("Anna
    # Beispiel" when erasing "Anna") stays whole; on the same name, the erasure wins.
    others = session.scalars(select(Contact.name).where(Contact.id != contact.id)).all()
    scrubber = Scrubber(
        {n: n for n in others} | {n: alias for n in names}, {i: ERASED for i in ids}
    )

    keys = [i for tg in ids for i in (tg, -tg)]
    if keys:
        report.conversations_deleted = _count(
            session.execute(delete(Conversation).where(Conversation.telegram_user_id.in_(keys)))
        )
    for (table_name, column_name), rule in sorted(CONTACT_REFERENCES.items()):
        table = Base.metadata.tables[table_name]
        column = table.c[column_name]
        if rule is OnErase.DELETE:
            count = _count(session.execute(delete(table).where(column == contact.id)))
        elif rule is OnErase.DELETE_UNSENT:
            count = _count(
                session.execute(
                    delete(table).where(column == contact.id, table.c.sent_at.is_(None))
                )
            )
        else:
            continue
        report.deleted[table_name] = report.deleted.get(table_name, 0) + count
    report.invitations_deleted = report.deleted.get("invitations", 0)
    report.department_links_deleted = report.deleted.get("contact_departments", 0)
    report.notifications_deleted = report.deleted.get("notifications", 0)

    # Quotes of their name or Telegram id in free-form columns, whoever the row is about; the
    # audit rows they made get the pseudonym as actor, review messages lose their copy.
    fixed: dict[str, dict[Any, dict[str, Any]]] = {
        "audit_log": {
            row_id: {"actor": alias}
            for row_id in session.scalars(
                select(AuditLog.id).where(AuditLog.actor_contact_id == contact.id)
            )
        },
        "notifications": {
            row_id: {"payload": scrubber.value(_drop_review_copies(payload, contact.id))}
            for row_id, payload in session.execute(select(Notification.id, Notification.payload))
            if _drop_review_copies(payload, contact.id) != payload
        },
    }
    scrubbed: dict[str, int] = {}
    for table_name in sorted({t for t, _ in SCRUBBED_COLUMNS}):
        columns = sorted(c for t, c in SCRUBBED_COLUMNS if t == table_name)
        scrubbed[table_name] = _scrub_rows(
            session, _table(table_name), columns, scrubber, fixed.get(table_name)
        )
    report.audit_rows = scrubbed["audit_log"]
    report.conversations_scrubbed = scrubbed["conversations"]
    report.notifications_scrubbed = scrubbed["notifications"]
    report.submissions_scrubbed = scrubbed["submissions"]

    session.execute(
        update(_table("contacts"))
        .where(Contact.id == contact.id)
        .values(
            name=alias,
            telegram_user_id=None,
            active=False,
            reachable=False,
        )
    )
    session.expire(contact)
    Auditor(session, actor=actor, now=now).record_raw(
        "contacts", contact.id, None, None, {"erased": report.counts()}, action="erase"
    )
    session.flush()
    return report


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
