"""Contacts, departments and invitations: who may talk to the bot, for which departments."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from core import texts
from core.audit import Auditor
from core.models import Contact, Department, Invitation, Role

INVITATION_TTL = timedelta(days=14)
#: How long an invitation may be valid, in days (``--days``).
INVITATION_DAYS = range(1, 91)
# Telegram deep-link payloads allow 64 characters of [A-Za-z0-9_-].
TOKEN_BYTES = 24


class ContactError(Exception):
    """A rule was broken; ``str(err)`` is a short German message."""


class DuplicateContact(ContactError):
    """An active person of that name exists already (case and spacing do not count)."""

    def __init__(self, contact: Contact) -> None:
        self.contact_id = contact.id
        super().__init__(texts.CONTACT_DUPLICATE.format(name=contact.name, id=contact.id))


class AmbiguousContact(ContactError):
    """Several people have that name: ``candidates`` lists them; the message names them."""

    def __init__(self, key: str, candidates: list[Contact]) -> None:
        self.candidates = [
            (c.id, c.name, tuple(sorted(d.code for d in c.departments))) for c in candidates
        ]
        lines = [texts.CONTACT_AMBIGUOUS.format(name=key.strip())]
        lines += [
            f"  Nr. {cid}: {name} ({', '.join(codes) or '–'})"
            for cid, name, codes in self.candidates
        ]
        super().__init__("\n".join(lines))


_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """How names are compared: case and spacing do not count (``anna  MÜLLER`` is
    ``Anna Müller``)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def hash_token(token: str) -> str:
    """Only the hash of an invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_link(bot_username: str, token: str) -> str:
    """The t.me deep link that starts the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"


def get_department(session: Session, code: str) -> Department:
    """A department by code, or a German error naming the known codes."""
    dep = session.scalar(select(Department).where(Department.code == code.strip()))
    if dep is None:
        known = ", ".join(session.scalars(select(Department.code).order_by(Department.code)))
        raise ContactError(texts.DEPARTMENT_UNKNOWN.format(code=code, known=known or "–"))
    return dep


def ensure_department(session: Session, code: str, name: str, auditor: Auditor) -> Department:
    """Create a department or rename an existing one."""
    code = code.strip()
    if not code:
        raise ContactError(texts.DEPARTMENT_CODE_MISSING)
    dep = session.scalar(select(Department).where(Department.code == code))
    if dep is None:
        dep = Department(code=code, name=name.strip())
        session.add(dep)
        session.flush()
        auditor.created(dep, {"code": code, "name": dep.name})
    else:
        auditor.assign(dep, "name", name.strip())
        auditor.assign(dep, "active", True)
    return dep


def create_invitation(
    session: Session,
    *,
    name: str,
    department_codes: list[str],
    role: Role,
    now: datetime,
    auditor: Auditor,
    ttl: timedelta = INVITATION_TTL,
    contact: Contact | None = None,
) -> tuple[Contact, str]:
    """Create a contact and a one-time invitation; returns the plain token once.

    With ``contact`` (a new link for someone invited before) every earlier link of that person
    that was not used stops working. A new contact must not share its name with an active one
    (:class:`DuplicateContact`)."""
    name = _SPACE.sub(" ", name).strip()
    if not name:
        raise ContactError(texts.CONTACT_NAME_MISSING)
    departments = [get_department(session, c) for c in department_codes]
    if contact is None and not departments and role is Role.CONTACT:
        raise ContactError(texts.CONTACT_NEEDS_DEPARTMENT)
    if contact is None:
        same = [c for c in _named(session, name) if c.active]
        if same:
            raise DuplicateContact(same[0])
        contact = Contact(name=name, role=role, active=True)
        contact.departments = departments
        session.add(contact)
        session.flush()
        auditor.created(
            contact,
            {"name": name, "role": role.value, "departments": [d.code for d in departments]},
        )
    else:
        closed = _close_open_invitations(session, contact, now)
        if closed:
            auditor.record_raw(
                "invitations",
                contact.id,
                None,
                None,
                {"contact_id": contact.id, "revoked": closed},
                action="revoke",
            )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        Invitation(
            token_hash=hash_token(token),
            contact_id=contact.id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    session.flush()
    auditor.record_raw(
        "invitations",
        contact.id,
        None,
        None,
        {"contact_id": contact.id, "expires_at": (now + ttl).isoformat()},
        action="create",
    )
    return contact, token


def redeem_invitation(
    session: Session, token: str, telegram_user_id: int, now: datetime
) -> Contact:
    """Bind ``telegram_user_id`` to the invited contact; the token works once, until it expires."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token.strip()))
    )
    if invitation is None or invitation.used_at is not None:
        raise ContactError(texts.INVITATION_INVALID)
    if invitation.expires_at <= now:
        raise ContactError(texts.INVITATION_EXPIRED)
    contact = invitation.contact
    if not contact.active:
        raise ContactError(texts.ACCESS_BLOCKED)
    other = contact_for_telegram(session, telegram_user_id)
    if other is not None and other.id != contact.id:
        raise ContactError(texts.TELEGRAM_ACCOUNT_TAKEN)
    invitation.used_at = now
    auditor = Auditor(session, actor=contact.name, actor_contact_id=contact.id, now=now)
    auditor.assign(contact, "telegram_user_id", telegram_user_id)
    auditor.assign(contact, "reachable", True)
    return contact


#: One query with the departments; built once, as it runs on every bot update (the bot's turns
#: add their conversation row to it: :func:`core.conversations.contact_and_conversation`).
CONTACT_FOR_TELEGRAM = (
    select(Contact)
    .where(Contact.telegram_user_id == bindparam("telegram_user_id"), Contact.active.is_(True))
    .options(joinedload(Contact.departments))
)


def contact_for_telegram(session: Session, telegram_user_id: int) -> Contact | None:
    """The active contact bound to a Telegram user, with departments loaded."""
    return (
        session.scalars(CONTACT_FOR_TELEGRAM, {"telegram_user_id": telegram_user_id})
        .unique()
        .one_or_none()
    )


#: The gate's statement (it runs on almost every bot update): the role alone, built once.
_BOUND_ROLE = select(Contact.role).where(
    Contact.telegram_user_id == bindparam("telegram_user_id"), Contact.active.is_(True)
)


def bound_role(sessions: sessionmaker[Session], telegram_user_id: int) -> Role | None:
    """The role of the active contact bound to the Telegram user; None if there is none
    (checked on every update, so one cached statement on a bare connection)."""
    engine = sessions.kw["bind"]
    with engine.connect() as connection:
        role = connection.scalar(_BOUND_ROLE, {"telegram_user_id": telegram_user_id})
    return None if role is None else Role(role)


def role_in_session(session: Session, telegram_user_id: int) -> Role | None:
    """:func:`bound_role` inside the caller's transaction."""
    role = session.scalar(_BOUND_ROLE, {"telegram_user_id": telegram_user_id})
    return None if role is None else Role(role)


def find_contact(session: Session, key: str) -> Contact:
    """A contact by id (Nr.) or by name, case and spacing aside; of several people with that
    name the one who is active, else :class:`AmbiguousContact` lists them."""
    key = key.strip()
    if key.isdigit():
        contact = session.get(Contact, int(key))
        if contact is None:
            raise ContactError(texts.CONTACT_NOT_FOUND.format(id=key))
        return contact
    found = _named(session, key)
    active = [c for c in found if c.active]
    if len(found) > 1 and len(active) == 1:
        return active[0]
    if len(found) > 1:
        raise AmbiguousContact(key, found)
    if not found:
        raise ContactError(f"Keine Person „{key}“ gefunden.")
    return found[0]


def _named(session: Session, name: str) -> list[Contact]:
    """The contacts whose name is ``name`` (case and spacing aside), by id."""
    wanted = name_key(name)
    everyone = session.scalars(
        select(Contact).options(selectinload(Contact.departments)).order_by(Contact.id)
    )
    return [c for c in everyone if name_key(c.name) == wanted]


def _close_open_invitations(session: Session, contact: Contact, now: datetime) -> int:
    """Make every unused invitation of ``contact`` unusable; how many there were."""
    open_ones = session.scalars(
        select(Invitation).where(Invitation.contact_id == contact.id, Invitation.used_at.is_(None))
    ).all()
    for invitation in open_ones:
        invitation.used_at = now
    return len(open_ones)


def revoke_contact(session: Session, contact: Contact, auditor: Auditor) -> None:
    """Take access away at once: the next update from this user is refused."""
    auditor.assign(contact, "active", False)
    _close_open_invitations(session, contact, auditor.now)
