"""Frozen editions: an edition as it was published or imported, kept for good.

A published (or imported) edition renders from this record, never from today's data: the
:class:`~core.view.AssembledEdition` is stored as JSON on ``Edition.frozen`` when the
edition is published or imported, and read back unchanged for every later rendering. Only
the edition being collected is assembled from live data.

The codec is generic over the view's dataclasses (driven by their type hints), so whatever
the view gains is frozen with it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import view
from core.changes_view import mark_changes
from core.fuzzydate import FuzzyDate
from core.models import Edition, EditionState
from core.richtext import RichText

#: Bumped when the stored form changes incompatibly.
FROZEN_VERSION = 1


def freeze(edition: view.AssembledEdition) -> dict[str, Any]:
    """The stored form of an assembled edition."""
    return {"version": FROZEN_VERSION, "edition": _encode(edition)}


def thaw(data: dict[str, Any]) -> view.AssembledEdition:
    """The assembled edition back from :func:`freeze`'s output."""
    if data.get("version") != FROZEN_VERSION:
        raise ValueError(f"unknown frozen edition version {data.get('version')!r}")
    result = _decode(view.AssembledEdition, data["edition"])
    assert isinstance(result, view.AssembledEdition)
    return result


def edition_view(
    session: Session, cutoff: date, *, show_changes: bool = False
) -> view.AssembledEdition:
    """The edition at ``cutoff`` as it renders: its record if published or imported, else
    assembled live. The changes view marks what is new against the previous edition's
    snapshot, for a published edition on its own record.
    """
    from core.assembly import assemble_edition, previous_snapshot

    edition = session.scalar(select(Edition).where(Edition.cutoff == cutoff))
    if edition is None or edition.frozen is None or edition.state is not EditionState.PUBLISHED:
        return assemble_edition(session, cutoff, show_changes=show_changes)
    record = thaw(edition.frozen)
    if not show_changes:
        return record
    earlier = session.scalars(select(Edition).where(Edition.cutoff < cutoff))
    editions = {e.cutoff: e for e in earlier}
    return mark_changes(record, previous_snapshot(editions, cutoff))


def _encode(value: Any) -> Any:
    if isinstance(value, RichText):
        return value.to_data()
    if isinstance(value, FuzzyDate):
        return value.storage()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(view))


def _decode(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], data)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_decode(item, v) for v in data)
    if origin is dict:
        _key, val = typing.get_args(tp)
        return {k: _decode(val, v) for k, v in data.items()}
    if tp is RichText:
        return RichText.from_data(data)
    if tp is FuzzyDate:
        return FuzzyDate.from_storage(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _decode(hints[k], v) for k, v in data.items() if k in known})
    if tp is date:
        return date.fromisoformat(data)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    return data
