"""People for coordinators: /einladen (name → departments → role → t.me link) and /sperren.

The same services as ``nhr contacts invite`` and ``nhr contacts revoke`` (:mod:`core.contacts`),
audited as the coordinator.
"""

from __future__ import annotations

from bot import texts
from bot.common.buttons import Spec, keyboard
from bot.common.callback_data import Act, CButton
from bot.common.dialog import clean_line
from bot.common.screens import Keyboard, Screen, esc, paragraphs
from bot.coordinator.departments import read_codes, render_choice
from bot.coordinator.flow import CStep
from bot.coordinator.turn import Answer, CoordTurn, Next, Step, done, go, move
from core.admin import get_contact, list_contacts
from core.contacts import (
    INVITATION_TTL,
    ContactError,
    create_invitation,
    find_contact,
    invitation_link,
    revoke_contact,
)
from core.models import Contact, Role

MAX_NAME = 200  # contacts.name
PAGE_SIZE = 10
ROLES = (Role.CONTACT, Role.COORDINATOR)  # in the order of texts.ROLE_LABELS

# -- /einladen ----------------------------------------------------------------------------------


def start_invite(turn: CoordTurn) -> Next:
    """/einladen: first the name."""
    return go(CStep.INVITE_NAME, render_name)


def _cancel(turn: CoordTurn, *extra: list[Spec]) -> Keyboard:
    return keyboard(turn.conv.next_screen(), [*extra, [(texts.BTN_CANCEL, Act.CANCEL, None)]])


def render_name(turn: CoordTurn) -> Screen:
    """Ask for the name."""
    return Screen(texts.INVITE_ASK_NAME, _cancel(turn))


def on_name(turn: CoordTurn, text: str) -> Next:
    """The name: then the departments."""
    turn.conv.pending["name"] = clean_line(text, MAX_NAME)
    turn.conv.pending["codes"] = []
    return move(CStep.INVITE_DEPARTMENTS, render_departments)


def render_departments(turn: CoordTurn) -> Screen:
    """The departments the person reports for."""
    name = esc(turn.conv.text("name") or "")
    return render_choice(turn, texts.INVITE_ASK_DEPARTMENTS.format(name=name), texts.BTN_CONTINUE)


def take_departments(turn: CoordTurn) -> Next:
    """Weiter: then the role."""
    return move(CStep.INVITE_ROLE, render_role)


def on_departments_text(turn: CoordTurn, text: str) -> Next:
    """Codes typed instead of tapped."""
    read_codes(turn, text)
    return take_departments(turn)


def render_role(turn: CoordTurn) -> Screen:
    """Ansprechperson or Koordination."""
    name = esc(turn.conv.text("name") or "")
    rows: list[list[Spec]] = [[(label, Act.ROLE, i)] for i, label in enumerate(texts.ROLE_LABELS)]
    return Screen(texts.INVITE_ASK_ROLE.format(name=name), _cancel(turn, *rows))


def on_role(turn: CoordTurn, b: CButton) -> Answer:
    """The role: the contact and a one-time invitation are created; here is the link."""
    if b.number >= len(ROLES):
        turn.toast = texts.STALE_BUTTON
        return render_role(turn)
    contact, token = create_invitation(
        turn.session,
        name=turn.conv.text("name") or "",
        department_codes=turn.conv.codes(),
        role=ROLES[b.number],
        now=turn.now,
        auditor=turn.auditor(),
    )
    link = invitation_link(turn.bot_username, token)
    return done(
        Screen(
            texts.INVITED.format(
                name=esc(contact.name),
                id=contact.id,
                until=turn.when(turn.now + INVITATION_TTL),
                link=esc(link),
            )
        )
    )


# -- /sperren -----------------------------------------------------------------------------------


def show_contacts(page: int) -> Step:
    """/sperren without a name: the active people, a page of them, to pick one."""

    def step(turn: CoordTurn) -> Screen:
        rows = [r for r in list_contacts(turn.session) if r.id != turn.coordinator.id]
        if not rows:
            return Screen(texts.REVOKE_NONE)
        pages = -(-len(rows) // PAGE_SIZE)
        current = min(max(page, 0), pages - 1)
        buttons: list[list[Spec]] = [
            [(f"{r.name} ({', '.join(r.departments) or '–'})", Act.REVOKE_PICK, r.id)]
            for r in rows[current * PAGE_SIZE : (current + 1) * PAGE_SIZE]
        ]
        paging: list[Spec] = []
        if current > 0:
            paging.append((texts.BTN_PREVIOUS_PAGE.format(page=current), Act.CONTACTS, current - 1))
        if current + 1 < pages:
            paging.append((texts.BTN_NEXT_PAGE.format(page=current + 2), Act.CONTACTS, current + 1))
        page_line = texts.PROJECTS_PAGE.format(page=current + 1, pages=pages) if pages > 1 else None
        return Screen(paragraphs(texts.REVOKE_PICK, page_line), keyboard(0, [*buttons, paging]))

    return step


def revoke_named_step(key: str) -> Step:
    """/sperren Name (or Nr.): ask to confirm."""
    return lambda turn: _ask_revoke(turn, find_contact(turn.session, key.strip()))


def revoke_pick_step(contact_id: int) -> Step:
    """A person from the list: ask to confirm."""
    return lambda turn: _ask_revoke(turn, get_contact(turn.session, contact_id))


def _checked(turn: CoordTurn, contact: Contact) -> Contact:
    if contact.id == turn.coordinator.id:
        raise ContactError(texts.REVOKE_SELF)
    if not contact.active:
        raise ContactError(texts.REVOKE_INACTIVE.format(name=contact.name))
    return contact


def _ask_revoke(turn: CoordTurn, contact: Contact) -> Next:
    _checked(turn, contact)
    return go(CStep.REVOKE_CONFIRM, render_revoke, contact=contact.id)


def render_revoke(turn: CoordTurn) -> Screen:
    """Really take the access away?"""
    contact = _checked(turn, get_contact(turn.session, turn.conv.number("contact") or 0))
    departments = esc(", ".join(d.code for d in contact.departments) or "–")
    row: list[Spec] = [(texts.BTN_REVOKE, Act.REVOKE, contact.id)]
    return Screen(
        texts.ASK_REVOKE.format(name=esc(contact.name), departments=departments), _cancel(turn, row)
    )


def on_revoke(turn: CoordTurn, b: CButton) -> Answer:
    """Sperren: ``core.contacts.revoke_contact``; the person's next update is refused."""
    if b.number != turn.conv.number("contact"):
        turn.toast = texts.STALE_BUTTON
        return render_revoke(turn)
    contact = _checked(turn, get_contact(turn.session, b.number))
    revoke_contact(turn.session, contact, turn.auditor())
    return done(Screen(texts.REVOKED.format(name=esc(contact.name))))
