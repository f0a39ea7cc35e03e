"""Contacts and invitations (core.contacts) on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.bot_seed import NOW, add_contact, seed_small_report

from core.audit import Auditor
from core.contacts import (
    ContactError,
    contact_for_telegram,
    create_invitation,
    ensure_department,
    find_contact,
    get_department,
    hash_token,
    invitation_link,
    redeem_invitation,
    revoke_contact,
)
from core.models import AuditLog, Contact, Invitation, Role


@pytest.fixture
def seeded(session: Session) -> Session:
    seed_small_report(session)
    session.commit()
    return session


def invite(session: Session, name: str = "Anna Abt", codes: tuple[str, ...] = ("80.01",),
           **kw: object) -> tuple[Contact, str]:
    return create_invitation(
        session, name=name, department_codes=list(codes), role=Role.CONTACT, now=NOW,
        auditor=Auditor(session, actor="test", now=NOW), **kw,  # type: ignore[arg-type]
    )


def test_an_invitation_creates_the_contact_and_keeps_only_the_tokens_hash(
    seeded: Session,
) -> None:
    contact, token = invite(seeded, codes=("80.01", "61"))

    invitation = seeded.scalars(select(Invitation)).one()
    assert sorted(d.code for d in contact.departments) == ["61", "80.01"]
    assert invitation.token_hash == hash_token(token)
    assert invitation.expires_at == NOW + timedelta(days=14)
    assert len(token) >= 32 and token not in str(seeded.scalars(select(AuditLog.after)).all())


def test_redeeming_binds_the_telegram_user_once(seeded: Session) -> None:
    contact, token = invite(seeded)

    bound = redeem_invitation(seeded, token, 1001, NOW + timedelta(days=1))

    assert bound.id == contact.id and bound.telegram_user_id == 1001
    assert contact_for_telegram(seeded, 1001) == contact
    with pytest.raises(ContactError, match="ungültig oder wurde schon benutzt"):
        redeem_invitation(seeded, token, 1002, NOW + timedelta(days=1))


def test_an_expired_or_unknown_invitation_is_refused(seeded: Session) -> None:
    _, token = invite(seeded, ttl=timedelta(hours=1))

    with pytest.raises(ContactError, match="abgelaufen"):
        redeem_invitation(seeded, token, 1001, NOW + timedelta(hours=1))
    with pytest.raises(ContactError, match="ungültig"):
        redeem_invitation(seeded, "A" * 32, 1001, NOW)


def test_a_telegram_account_cannot_belong_to_two_contacts(seeded: Session) -> None:
    add_contact(seeded, "Ben Berg", ["70.02"], telegram_user_id=1001)
    _, token = invite(seeded)

    with pytest.raises(ContactError, match="bereits einer anderen Person"):
        redeem_invitation(seeded, token, 1001, NOW)


def test_revoking_takes_access_and_unused_invitations_away(seeded: Session) -> None:
    contact, token = invite(seeded)
    redeem_invitation(seeded, token, 1001, NOW)
    _, spare = invite(seeded, contact=contact)

    revoke_contact(seeded, contact, Auditor(seeded, actor="test", now=NOW))

    assert contact_for_telegram(seeded, 1001) is None
    with pytest.raises(ContactError):
        redeem_invitation(seeded, spare, 1001, NOW)


def test_a_new_invitation_for_an_existing_contact_needs_no_departments(seeded: Session) -> None:
    contact, _ = invite(seeded)

    again, token = create_invitation(
        seeded, name=contact.name, department_codes=[], role=contact.role, now=NOW,
        auditor=Auditor(seeded, actor="test", now=NOW), contact=contact,
    )

    assert again.id == contact.id
    assert redeem_invitation(seeded, token, 1001, NOW).id == contact.id


def test_a_contact_needs_a_name_and_a_department(seeded: Session) -> None:
    with pytest.raises(ContactError, match="Namen"):
        invite(seeded, name="  ")
    with pytest.raises(ContactError, match="mindestens eine Abteilung"):
        invite(seeded, codes=())
    with pytest.raises(ContactError, match=re.escape("Bekannt: 61, 70.02, 80.01")):
        get_department(seeded, "99")


def test_contacts_are_found_by_number_or_exact_name(seeded: Session) -> None:
    anna = add_contact(seeded, "Anna Abt", ["80.01"])
    add_contact(seeded, "Zwilling", ["61"])
    add_contact(seeded, "Zwilling", ["61"])

    assert find_contact(seeded, str(anna.id)) == anna
    assert find_contact(seeded, "Anna Abt") == anna
    with pytest.raises(ContactError, match="Keine eindeutige Person"):
        find_contact(seeded, "Zwilling")


def test_a_department_is_created_once_and_renamed_later(session: Session) -> None:
    auditor = Auditor(session, actor="test", now=NOW)

    first = ensure_department(session, " wfg ", "Wirtschaftsförderung", auditor)
    second = ensure_department(session, "wfg", "Wirtschaftsförderung Kreis Soest", auditor)

    assert first.id == second.id and second.name == "Wirtschaftsförderung Kreis Soest"


def test_the_link_is_a_telegram_deep_link() -> None:
    assert invitation_link("nhr_bot", "abc-_1") == "https://t.me/nhr_bot?start=abc-_1"
