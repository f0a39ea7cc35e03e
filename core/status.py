"""Project status and the fixed order of the report's status groups."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Lifecycle status of a project. The value is what the database and exports store."""

    IDEENSPEICHER = "ideenspeicher"
    IN_PLANUNG = "in_planung"
    IN_BEARBEITUNG = "in_bearbeitung"
    UMGESETZT = "umgesetzt"
    ENTFALLEN = "entfallen"

    @property
    def group_index(self) -> int:
        """Position of the status group under a goal (x.y.1 .. x.y.4); 0 for dropped projects."""
        return _GROUP_INDEX[self]

    @property
    def in_report(self) -> bool:
        """True for the four statuses that are printed as status groups."""
        return self is not Status.ENTFALLEN


#: The four printed status groups, in the order every goal shows them.
REPORT_ORDER: tuple[Status, ...] = (
    Status.UMGESETZT,
    Status.IN_BEARBEITUNG,
    Status.IN_PLANUNG,
    Status.IDEENSPEICHER,
)

_GROUP_INDEX = {status: i for i, status in enumerate(REPORT_ORDER, start=1)} | {Status.ENTFALLEN: 0}
