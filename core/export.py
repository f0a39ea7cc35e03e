"""Open-data export of an edition: JSON (everything) and CSV (the project list).

The CSV is written for a German Excel: semicolons, CRLF line ends, and written to files as UTF-8
with a byte order mark (:data:`CSV_ENCODING`), so a double click shows the umlauts; every text
cell is formula-safe (:func:`core.opendata.cells.formula_safe`). The XLSX workbook is
:mod:`core.opendata.xlsx`; the JSON's schema ships as ``core/opendata/nhr-export.schema.json``.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from core import texts
from core.config import Publisher
from core.fuzzydate import FuzzyDate
from core.opendata.cells import formula_safe
from core.opendata.license import DataLicense
from core.view import (
    AssembledEdition,
    ConsultationEntry,
    DatedEntry,
    ProjectBlock,
)

SCHEMA = "nhr-export/2"

#: The encoding of CSV files: UTF-8 with a byte order mark, which Excel needs to read UTF-8.
CSV_ENCODING = "utf-8-sig"
#: The CSV's separator: German Excel splits columns at semicolons (the comma is the decimal mark).
CSV_DELIMITER = ";"

#: CSV columns of the project list, in order. The last two say on every row which edition it
#: is and whether it is published or a draft (a spreadsheet shows no file name).
CSV_COLUMNS = (
    "number",
    "short_title",
    "title",
    "status",
    "field",
    "goal",
    "municipalities",
    "departments",
    "edition",
    "edition_state",
)
#: The ``edition_state`` column's values.
CSV_PUBLISHED = texts.CSV_PUBLISHED
CSV_DRAFT = "entwurf"


def _fuzzy(value: FuzzyDate | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"text": value.format(), "value": value.storage()}


def _dated(e: DatedEntry) -> dict[str, Any]:
    return {
        "date": None if e.date is None else e.date.format(),
        "date_value": None if e.date is None else e.date.storage(),
        "text": e.text,
        **({"items": list(e.items)} if e.items else {}),
    }


def _consultation(c: ConsultationEntry) -> dict[str, Any]:
    return {
        "date": None if c.date is None else c.date.format(),
        "date_value": None if c.date is None else c.date.storage(),
        "gremium": c.gremium,
        "vorlagenart": c.vorlagenart,
        "nummer": c.nummer,
        "note": c.note,
    }


def project_json(p: ProjectBlock) -> dict[str, Any]:
    """One project with every attribute, under stable keys."""
    return {
        "id": p.project_id,
        "number": p.number,
        "title": p.title,
        "short_title": p.short_title,
        "status": p.status.value,
        "status_since": _fuzzy(p.status_since),
        "project_start": _fuzzy(p.project_start),
        "description": p.description.to_plain(),
        "description_blocks": p.description.to_data(),
        "departments": list(p.departments),
        "municipalities": p.municipalities,
        "milestones_done": [_dated(e) for e in p.milestones_done],
        "planning_steps": [_dated(e) for e in p.planning_steps],
        "consultations": [_consultation(c) for c in p.consultations],
        "remark": p.remark.to_plain(),
        "remark_blocks": p.remark.to_data(),
        "milestones_planned": [_dated(e) for e in p.milestones_planned],
    }


def edition_json(ed: AssembledEdition, *, generated_at: datetime | None = None) -> dict[str, Any]:
    """The whole edition: fields → goals → projects, plus the archive."""
    return {
        "schema": SCHEMA,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "edition": {
            "cutoff": ed.cutoff.isoformat(),
            "previous_cutoff": ed.previous_cutoff.isoformat(),
            "draft": ed.draft,
        },
        "fields": [
            {
                "number": f.number,
                "title": f.title,
                "overview": f.overview,
                "goals": [
                    {
                        "number": g.number,
                        "text": g.text,
                        "projects": [project_json(p) for grp in g.groups for p in grp.projects],
                    }
                    for g in f.goals
                ],
            }
            for f in ed.fields
        ],
        "archive": {
            "implemented": [
                {
                    "field": r.field_title,
                    "title": r.title,
                    "report": r.report.isoformat(),
                    "number": r.number,
                }
                for r in ed.archive_implemented
            ],
            "dropped": [
                {
                    "field": r.field_title,
                    "title": r.title,
                    "reason": r.reason,
                    "last_mention": r.last_mention.isoformat(),
                }
                for r in ed.archive_dropped
            ],
        },
    }


def export_json(
    ed: AssembledEdition,
    publisher: Publisher,
    license: DataLicense,
    *,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """The JSON download: the edition (:func:`edition_json`) with its publisher and licence
    (valid against ``core/opendata/nhr-export.schema.json``)."""
    return {
        **edition_json(ed, generated_at=generated_at),
        "publisher": {"name": publisher.name, "url": publisher.url},
        "license": license.as_json(publisher, ed.cutoff),
    }


def project_list_csv(ed: AssembledEdition) -> str:
    """The project list (one row per printed project) as CSV with a header row: separated by
    semicolons, CRLF line ends, every cell formula-safe; each row names the edition and whether
    it is published (``veröffentlicht``) or a draft (``entwurf``). Write it with
    :data:`CSV_ENCODING`."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    edition, state = ed.cutoff.isoformat(), CSV_DRAFT if ed.draft else CSV_PUBLISHED
    for f in ed.fields:
        for g in f.goals:
            for grp in g.groups:
                for p in grp.projects:
                    writer.writerow(
                        [
                            formula_safe(cell)
                            for cell in (
                                p.number,
                                p.short_title,
                                p.title,
                                p.status.value,
                                f.title,
                                g.number,
                                p.municipalities,
                                ", ".join(p.departments),
                                edition,
                                state,
                            )
                        ]
                    )
    return buf.getvalue()
