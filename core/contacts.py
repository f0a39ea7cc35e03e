"""Contacts, departments and invitations: who may talk to the bot, for which departments."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from core.audit import Auditor
from core.models import Contact, Department, Invitation, Role, utcnow

INVITATION_TTL = timedelta(days=14)
# Telegram deep-link payloads allow 64 characters of [A-Za-z0-9_-].
TOKEN_BYTES = 24


class ContactError(Exception):
    """A rule was broken; ``str(err)`` is a short German message."""


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
        raise ContactError(f"Abteilung „{code}“ ist unbekannt. Bekannt: {known or '–'}")
    return dep


def ensure_department(
    session: Session, code: str, name: str, auditor: Auditor
) -> Department:
    """Create a department or rename an existing one."""
    code = code.strip()
    if not code:
        raise ContactError("Bitte geben Sie ein Kürzel für die Abteilung an.")
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
    """Create (or reuse) a contact and a one-time invitation; returns the plain token once."""
    name = name.strip()
    if not name:
        raise ContactError("Bitte geben Sie einen Namen an.")
    departments = [get_department(session, c) for c in department_codes]
    if contact is None and not departments and role is Role.CONTACT:
        raise ContactError("Eine Ansprechperson braucht mindestens eine Abteilung.")
    if contact is None:
        contact = Contact(name=name, role=role, active=True)
        contact.departments = departments
        session.add(contact)
        session.flush()
        auditor.created(contact, {"name": name, "role": role.value,
                                  "departments": [d.code for d in departments]})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        Invitation(token_hash=hash_token(token), contact_id=contact.id, created_at=now,
                   expires_at=now + ttl)
    )
    session.flush()
    auditor.record_raw("invitations", contact.id, None, None,
                       {"contact_id": contact.id, "expires_at": (now + ttl).isoformat()},
                       action="create")
    return contact, token


def redeem_invitation(
    session: Session, token: str, telegram_user_id: int, now: datetime
) -> Contact:
    """Bind ``telegram_user_id`` to the invited contact; the token works once, until it expires."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token.strip()))
    )
    if invitation is None or invitation.used_at is not None:
        raise ContactError("Diese Einladung ist ungültig oder wurde schon benutzt.")
    if invitation.expires_at <= now:
        raise ContactError("Diese Einladung ist abgelaufen. Bitte fordern Sie eine neue an.")
    contact = invitation.contact
    if not contact.active:
        raise ContactError("Dieser Zugang wurde gesperrt.")
    other = contact_for_telegram(session, telegram_user_id)
    if other is not None and other.id != contact.id:
        raise ContactError("Ihr Telegram-Konto ist bereits einer anderen Person zugeordnet.")
    invitation.used_at = now
    auditor = Auditor(session, actor=contact.name, actor_contact_id=contact.id, now=now)
    auditor.assign(contact, "telegram_user_id", telegram_user_id)
    auditor.assign(contact, "reachable", True)
    return contact


#: One query with the departments; built once, as it runs on every bot update.
_CONTACT_FOR_TELEGRAM = (
    select(Contact)
    .where(Contact.telegram_user_id == bindparam("telegram_user_id"), Contact.active.is_(True))
    .options(joinedload(Contact.departments))
)


def contact_for_telegram(session: Session, telegram_user_id: int) -> Contact | None:
    """The active contact bound to a Telegram user, with departments loaded."""
    return session.scalars(
        _CONTACT_FOR_TELEGRAM, {"telegram_user_id": telegram_user_id}
    ).unique().one_or_none()


def find_contact(session: Session, key: str) -> Contact:
    """A contact by id or exact name."""
    query = select(Contact)
    query = query.where(Contact.id == int(key)) if key.isdigit() else query.where(
        Contact.name == key
    )
    found = session.scalars(query).all()
    if len(found) != 1:
        raise ContactError(
            f"Keine eindeutige Person „{key}“ gefunden." if found
            else f"Keine Person „{key}“ gefunden."
        )
    return found[0]


def revoke_contact(session: Session, contact: Contact, auditor: Auditor) -> None:
    """Take access away at once: the next update from this user is refused."""
    auditor.assign(contact, "active", False)
    for invitation in session.scalars(
        select(Invitation).where(Invitation.contact_id == contact.id, Invitation.used_at.is_(None))
    ):
        invitation.used_at = auditor.now or utcnow()
