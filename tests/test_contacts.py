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
    AmbiguousContact,
    ContactError,
    DuplicateContact,
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


def invite(
    session: Session, name: str = "Anna Abt", codes: tuple[str, ...] = ("80.01",), **kw: object
) -> tuple[Contact, str]:
    return create_invitation(
        session,
        name=name,
        department_codes=list(codes),
        role=Role.CONTACT,
        now=NOW,
        auditor=Auditor(session, actor="test", now=NOW),
        **kw,  # type: ignore[arg-type]
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
        seeded,
        name=contact.name,
        department_codes=[],
        role=contact.role,
        now=NOW,
        auditor=Auditor(seeded, actor="test", now=NOW),
        contact=contact,
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


def test_contacts_are_found_by_number_or_by_name_whatever_the_case_and_spacing(
    seeded: Session,
) -> None:
    anna = add_contact(seeded, "Anna Abt", ["80.01"])

    assert find_contact(seeded, str(anna.id)) == anna
    assert find_contact(seeded, "Anna Abt") == anna
    assert find_contact(seeded, "  anna\tABT ") == anna
    with pytest.raises(ContactError, match=re.escape("Keine Person „Anna Ab“ gefunden.")):
        find_contact(seeded, "Anna Ab")
    with pytest.raises(ContactError, match=re.escape("Keine Person mit der Nr. 99 gefunden.")):
        find_contact(seeded, "99")


def test_a_name_several_people_have_lists_them_to_choose_by_number(seeded: Session) -> None:
    first = add_contact(seeded, "Zwilling", ["61"])
    second = add_contact(seeded, "zwilling", ["80.01", "70.02"])

    with pytest.raises(AmbiguousContact) as raised:
        find_contact(seeded, "ZWILLING")

    assert raised.value.candidates == [
        (first.id, "Zwilling", ("61",)),
        (second.id, "zwilling", ("70.02", "80.01")),
    ]
    assert str(raised.value).splitlines() == [
        "Mehrere Personen heißen „ZWILLING“. Bitte geben Sie die Nr. an:",
        f"  Nr. {first.id}: Zwilling (61)",
        f"  Nr. {second.id}: zwilling (70.02, 80.01)",
    ]


def test_of_several_people_with_one_name_the_only_active_one_is_meant(seeded: Session) -> None:
    old = add_contact(seeded, "Anna Abt", ["80.01"])
    revoke_contact(seeded, old, Auditor(seeded, actor="test", now=NOW))
    new = add_contact(seeded, "Anna Abt", ["80.01"])

    assert find_contact(seeded, "anna abt") == new


def test_a_second_invitation_of_the_same_person_is_refused_whatever_the_spelling(
    seeded: Session,
) -> None:
    anna, _ = invite(seeded, name="Anna  Abt")

    with pytest.raises(DuplicateContact, match=re.escape(f"„Anna Abt“ (Nr. {anna.id})")) as raised:
        invite(seeded, name=" anna ABT")

    assert raised.value.contact_id == anna.id
    assert seeded.scalars(select(Contact.name)).all() == ["Anna Abt"]


def test_a_revoked_person_can_be_invited_again_as_a_new_contact(seeded: Session) -> None:
    anna, _ = invite(seeded)
    revoke_contact(seeded, anna, Auditor(seeded, actor="test", now=NOW))

    again, token = invite(seeded)

    assert again.id != anna.id
    assert redeem_invitation(seeded, token, 1001, NOW).id == again.id


def test_a_new_link_for_a_person_makes_their_earlier_unused_links_invalid(
    seeded: Session,
) -> None:
    anna, first = invite(seeded)
    _, second = invite(seeded, contact=anna)
    _, third = invite(seeded, contact=anna)

    for old in (first, second):
        with pytest.raises(ContactError, match="ungültig oder wurde schon benutzt"):
            redeem_invitation(seeded, old, 1001, NOW)
    assert redeem_invitation(seeded, third, 1001, NOW).id == anna.id
    assert seeded.scalars(
        select(AuditLog.action).where(AuditLog.entity == "invitations").order_by(AuditLog.id)
    ).all() == ["create", "revoke", "create", "revoke", "create"]


def test_a_department_is_created_once_and_renamed_later(session: Session) -> None:
    auditor = Auditor(session, actor="test", now=NOW)

    first = ensure_department(session, " wfg ", "Wirtschaftsförderung", auditor)
    second = ensure_department(session, "wfg", "Wirtschaftsförderung Kreis Soest", auditor)

    assert first.id == second.id and second.name == "Wirtschaftsförderung Kreis Soest"


def test_the_link_is_a_telegram_deep_link() -> None:
    assert invitation_link("nhr_bot", "abc-_1") == "https://t.me/nhr_bot?start=abc-_1"
