"""The short /stand: which departments need the coordinator's attention, and who to call.

:func:`core.progress.edition_progress` counts per department; this module sorts the
departments into what a coordinator acts on first: nobody registered (somebody must be invited),
overdue (someone is registered but the deadline passed: their names, to call them), still
open before the deadline, and complete. The full table stays :func:`edition_progress`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Contact, ContactDepartment, Department, Edition
from core.progress import edition_progress


@dataclass(frozen=True)
class DepartmentStanding:
    """One department of the overview: its projects, how many are missing, who is registered."""

    code: str
    projects: int
    missing: int
    contacts: tuple[str, ...]  # names of the registered (bound, active) contacts


@dataclass
class Standing:
    """The departments of an edition, in the order a coordinator looks at them."""

    unregistered: list[DepartmentStanding] = field(default_factory=list)
    overdue: list[DepartmentStanding] = field(default_factory=list)
    open: list[DepartmentStanding] = field(default_factory=list)
    complete: list[DepartmentStanding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the edition has no project."""
        return not (self.unregistered or self.overdue or self.open or self.complete)


_REGISTERED = (
    select(Department.code, Contact.name)
    .join(ContactDepartment, ContactDepartment.department_id == Department.id)
    .join(Contact, Contact.id == ContactDepartment.contact_id)
    .where(Contact.active.is_(True), Contact.telegram_user_id.is_not(None))
    .order_by(Department.code, Contact.name)
)


def registered_names(session: Session) -> dict[str, tuple[str, ...]]:
    """Per department code, the names of its contacts who registered with the bot."""
    found: dict[str, list[str]] = {}
    for code, name in session.execute(_REGISTERED):
        found.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in found.items()}


def standing(session: Session, edition: Edition, *, deadline_passed: bool) -> Standing:
    """Sort the departments with projects in ``edition``: a department with projects missing
    and nobody registered is *unregistered* (whatever the deadline); with someone registered
    it is *overdue* once the deadline passed, else *open*; nothing missing is *complete*."""
    names = registered_names(session)
    result = Standing()
    for prog in edition_progress(session, edition):
        item = DepartmentStanding(
            prog.code, prog.projects, prog.outstanding, names.get(prog.code, ())
        )
        if not item.missing:
            result.complete.append(item)
        elif not item.contacts:
            result.unregistered.append(item)
        elif deadline_passed:
            result.overdue.append(item)
        else:
            result.open.append(item)
    return result
