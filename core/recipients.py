"""Who is told: the reachable contacts of a department and the coordinators bound to Telegram.

The bot and the scheduler send to exactly these people; the queries live in the core so that
both agree on who a department's contacts and who the coordinators are.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import (
    Contact,
    ContactDepartment,
    Department,
    Role,
    Submission,
)
from core.submissions import contributors


def department_contacts(session: Session, code: str) -> list[Contact]:
    """The active contacts of a department who can be reached in the bot (bound), by name."""
    return list(
        session.scalars(
            select(Contact)
            .join(ContactDepartment, ContactDepartment.contact_id == Contact.id)
            .join(Department, Department.id == ContactDepartment.department_id)
            .where(
                Department.code == code,
                Contact.active.is_(True),
                Contact.telegram_user_id.is_not(None),
            )
            .order_by(Contact.name, Contact.id)
        )
    )


_REVIEWERS = (
    Contact.active.is_(True),
    Contact.telegram_user_id.is_not(None),
    Contact.role.in_([Role.COORDINATOR, Role.ADMIN]),
)
_COORDINATORS = select(Contact).where(*_REVIEWERS).order_by(Contact.id)
_COORDINATOR_CHATS = (
    select(Contact.id, Contact.telegram_user_id).where(*_REVIEWERS).order_by(Contact.id)
)


def coordinators(session: Session) -> list[Contact]:
    """Active coordinators and admins bound to Telegram (who review submissions), by id."""
    return list(session.scalars(_COORDINATORS))


def coordinator_chats(session: Session) -> list[tuple[int, int]]:
    """(contact id, Telegram chat) of every coordinator, as :func:`coordinators` (no objects)."""
    return [(cid, chat) for cid, chat in session.execute(_COORDINATOR_CHATS) if chat is not None]


def outcome_recipients(session: Session, submission: Submission) -> list[Contact]:
    """Who hears that a submission was approved or returned: everyone who contributed to it
    (made an entry, handed it in or confirmed it, or edited it last) and can be reached in
    the bot (active, bound), by name. Colleagues of one department and other departments of a
    shared project all took part; each of them hears the outcome once."""
    ids = {c.contact_id for c in contributors(submission) if c.contact_id is not None}
    ids.update(i for i in (submission.contact_id, submission.last_editor_id) if i is not None)
    if not ids:
        return []
    return list(
        session.scalars(
            select(Contact)
            .where(
                Contact.id.in_(ids),
                Contact.active.is_(True),
                Contact.telegram_user_id.is_not(None),
            )
            .order_by(Contact.name, Contact.id)
        )
    )
