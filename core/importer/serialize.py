"""Serialise a :class:`ParsedEdition` to JSON and back (the shipped demo data uses this)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from core.importer.parsed import (
    ParsedArchivedImplemented,
    ParsedConsultation,
    ParsedDated,
    ParsedDropped,
    ParsedEdition,
    ParsedField,
    ParsedGoal,
    ParsedProject,
    UnplacedLine,
)
from core.status import Status


def to_json(parsed: ParsedEdition) -> dict[str, Any]:
    """A JSON-compatible dict of ``parsed``."""
    data = dataclasses.asdict(parsed)
    data["cutoff"] = parsed.cutoff.isoformat()
    for f in data["fields"]:
        for g in f["goals"]:
            for p in g["projects"]:
                p["status"] = Status(p["status"]).value
    return data


def _dated(items: list[dict[str, Any]]) -> list[ParsedDated]:
    return [ParsedDated(**i) for i in items]


def _project(d: dict[str, Any]) -> ParsedProject:
    d = dict(d)
    d["status"] = Status(d["status"])
    for key in ("milestones_done", "planning_steps", "milestones_planned"):
        d[key] = _dated(d[key])
    d["consultations"] = [ParsedConsultation(**c) for c in d["consultations"]]
    d["more_sections"] = [(str(a), str(b)) for a, b in d.get("more_sections", [])]
    if d.get("list_status"):
        d["list_status"] = Status(d["list_status"])
    return ParsedProject(**d)


def from_json(data: dict[str, Any]) -> ParsedEdition:
    """Rebuild the :class:`ParsedEdition` written by :func:`to_json`."""
    return ParsedEdition(
        cutoff=date.fromisoformat(data["cutoff"]),
        intro=data["intro"],
        has_milestones=data.get("has_milestones", True),
        fields=[
            ParsedField(
                number=f["number"],
                title=f["title"],
                overview=f["overview"],
                line=f["line"],
                list_headers=dict(f.get("list_headers", {})),
                goals=[
                    ParsedGoal(
                        number=g["number"],
                        text=g["text"],
                        line=g["line"],
                        projects=[_project(p) for p in g["projects"]],
                        heading=g.get("heading", ""),
                        group_numbers={Status(k): v for k, v in g.get("group_numbers", {}).items()},
                    )
                    for g in f["goals"]
                ],
            )
            for f in data["fields"]
        ],
        archive_implemented=[ParsedArchivedImplemented(**r) for r in data["archive_implemented"]],
        archive_dropped=[ParsedDropped(**r) for r in data["archive_dropped"]],
        unplaced=[UnplacedLine(**u) for u in data["unplaced"]],
    )
