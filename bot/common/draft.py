"""The items of a draft change set, one by one: to list them and to take one out again.

Pure functions over :class:`core.changes.ChangeSet`. An item key names one proposed change:
``status``, ``done:0``, ``planning:1``, ``tick:0``, ``consultation:0``, ``planned:2``,
``remark`` or ``description``.
"""

from __future__ import annotations

from core.changes import ChangeSet, CompletedPlanned, NewConsultation, NewEntry

_LISTS = ("done", "planning", "tick", "consultation", "planned")


def _list(
    cs: ChangeSet, name: str
) -> list[NewEntry] | list[CompletedPlanned] | list[NewConsultation]:
    match name:
        case "done":
            return cs.milestones_done
        case "planning":
            return cs.planning_steps
        case "tick":
            return cs.completed_planned
        case "consultation":
            return cs.consultations
        case _:
            return cs.milestones_planned


def item_keys(cs: ChangeSet) -> list[str]:
    """Every proposed change of ``cs``, in summary order."""
    keys: list[str] = ["status"] if cs.status is not None else []
    for name in _LISTS:
        keys += [f"{name}:{i}" for i in range(len(_list(cs, name)))]
    keys += [k for k in ("remark", "description") if getattr(cs, k) is not None]
    return keys


def remove_item(cs: ChangeSet, key: str) -> bool:
    """Take one proposed change out of ``cs``; False if ``key`` names none."""
    if key not in item_keys(cs):
        return False
    if key == "status":
        cs.status, cs.status_since, cs.drop_reason = None, None, None
    elif key in ("remark", "description"):
        setattr(cs, key, None)
    else:
        name, index = key.split(":")
        del _list(cs, name)[int(index)]
    return True


def entry_of(cs: ChangeSet, key: str) -> NewEntry | CompletedPlanned | NewConsultation | None:
    """The listed entry an item key names (``done:0`` ...), or None for ``status``, ``remark``,
    ``description`` and keys that name nothing."""
    name, _, index = key.partition(":")
    if name not in _LISTS or not index.isdigit():
        return None
    entries = _list(cs, name)
    return entries[int(index)] if int(index) < len(entries) else None
