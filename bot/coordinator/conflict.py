"""A conflict, shown: the project changed after the draft began (told by the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import texts
from bot.common.buttons import keyboard
from bot.common.callback_data import Act
from bot.common.reviews import changes_body, review_header
from bot.common.screens import Screen, esc, paragraphs, shorten
from bot.coordinator.turn import CoordTurn
from core.dates import format_day, format_local
from core.fuzzydate import FuzzyDate
from core.models import AuditLog, Submission
from core.status import Status
from core.submissions import changes_since_draft


def conflict_screen(turn: CoordTurn, sub: Submission) -> Screen:
    """The review with what changed in the project since the draft began, and the choice."""
    lines = [
        line
        for entry in changes_since_draft(turn.session, sub.id)
        if (line := conflict_line(entry, turn.tz)) is not None
    ]
    since = [texts.CONFLICT_SINCE, *lines] if lines else [texts.CONFLICT_UNKNOWN]
    return Screen(
        paragraphs(
            review_header(turn.session, sub, turn.tz),
            changes_body(sub),
            "\n".join([texts.CONFLICT_TITLE, *since]),
            texts.CONFLICT_ASK,
        ),
        keyboard(
            0, [[(texts.BTN_FORCE, Act.FORCE, sub.id)], [(texts.BTN_CANCEL, Act.KEEP_OPEN, sub.id)]]
        ),
    )


def conflict_line(entry: AuditLog, tz: ZoneInfo) -> str | None:
    """One audited change of the project as a line, or None for bookkeeping fields."""
    label = texts.CONFLICT_FIELDS.get(entry.field or "")
    if label is None:
        return None
    return texts.CONFLICT_LINE.format(
        field=label,
        change=_change(entry.field or "", entry.before, entry.after),
        who=esc(entry.actor),
        when=format_local(entry.at, tz),
    )


def _change(name: str, before: Any, after: Any) -> str:
    if name == "entries:planned->done" and isinstance(after, list) and len(after) == 2:
        return texts.SAVED_TICK.removeprefix("Gespeichert: ").format(
            text=esc(shorten(str(after[1]), 80)), date=_fdate(after[0])
        )
    if name.startswith("entries:") or name == "consultations":
        old, new = _items(before), _items(after)
        added = [texts.CONFLICT_ADDED.format(item=i) for i in new if i not in old]
        removed = [texts.CONFLICT_REMOVED.format(item=i) for i in old if i not in new]
        return "; ".join(added + removed) or "–"
    return texts.CONFLICT_CHANGED.format(before=_value(name, before), after=_value(name, after))


def _items(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    items = []
    for item in value:
        if isinstance(item, list) and len(item) >= 2:
            items.append(f"{_fdate(item[0])} – {esc(shorten(str(item[1]), 60))}")
    return items


def _fdate(value: Any) -> str:
    if not isinstance(value, str):
        return texts.UNDATED
    try:
        return esc(FuzzyDate.from_storage(value).format())
    except ValueError:
        return esc(value)


def _value(name: str, value: Any) -> str:
    if value is None or value == "":
        return texts.CURRENT_EMPTY
    if name == "status" and value in set(Status):
        return texts.STATUS[Status(value)]
    if name in ("status_since", "keep_until") and isinstance(value, str):
        try:
            return format_day(datetime.fromisoformat(value).date())
        except ValueError:
            return esc(value)
    if isinstance(value, list):
        return esc(", ".join(str(v) for v in value)) or texts.CURRENT_EMPTY
    return texts.QUOTED.format(text=esc(shorten(str(value), 80)))
