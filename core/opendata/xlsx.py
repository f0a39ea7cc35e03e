"""The edition as an Excel workbook (``nhr export --format xlsx``, the website's downloads).

One sheet per list: Projekte, Meilensteine (done, planned and planning steps, with their kind),
Beratungen, Archiv (implemented and dropped), and Hinweise (source, licence, what the columns
mean); the workbook's document properties repeat title, publisher and licence. Cells are typed:
a fuzzy date that is one day is a date cell shown as ``TT.MM.JJJJ``; any other fuzzy date is
its German text ("3. Quartal 2024") with the canonical value ("2024-Q3") in the next column;
ids and Themenfeld numbers are numbers. Text cells are stored as text, never as a formula,
whatever they begin with. Every sheet has a frozen header row, an autofilter and column widths
from its content.

XlsxWriter (fast, write-only) is imported here only, and this module only when a workbook is
written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from core import texts
from core.config import Publisher
from core.dates import format_day
from core.fuzzydate import FuzzyDate, Kind
from core.opendata.license import DataLicense
from core.status import Status
from core.view import AssembledEdition, DatedEntry, ProjectBlock

if TYPE_CHECKING:
    from xlsxwriter import Workbook

#: Excel's number format for a day as German readers write it.
DAY_FORMAT = "DD.MM.YYYY"

STATUS_LABELS = {status: texts.STATUS_PRINTED[status] for status in Status}

#: The kinds of a project's dated entries, as the sheet "Meilensteine" names them.
MILESTONE_KINDS = texts.XLSX_MILESTONE_KINDS

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XLSX cannot hold
_MAX_WIDTH = 60
_MAX_CELL = 32767  # the most characters an Excel cell holds
_WRAP_WIDTH = 50  # columns this wide or wider wrap their text

Cell = str | int | date | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, header and rows."""

    name: str
    header: tuple[str, ...]
    rows: list[list[Cell]]


def _date_cells(value: FuzzyDate | None) -> list[Cell]:
    """Two cells: a date cell for a day, else the German text; then the canonical value."""
    if value is None:
        return [None, None]
    if value.kind is Kind.DAY and value.exact is not None and value.qualifier is None:
        return [value.exact, value.storage()]
    return [value.format(), value.storage()]


def _entry_text(entry: DatedEntry) -> str:
    return "\n".join([entry.text, *(f"- {item}" for item in entry.items)])


def _projects(ed: AssembledEdition) -> Iterable[tuple[int, str, str, ProjectBlock]]:
    for f in ed.fields:
        for g in f.goals:
            for grp in g.groups:
                for p in grp.projects:
                    yield f.number, f.title, g.number, p


def sheets(ed: AssembledEdition) -> list[Sheet]:
    """The data sheets of the workbook (without "Hinweise")."""
    projects = Sheet(
        "Projekte",
        texts.XLSX_PROJECTS_COLUMNS,
        [],
    )
    milestones = Sheet(
        "Meilensteine",
        texts.XLSX_MILESTONES_COLUMNS,
        [],
    )
    consultations = Sheet(
        "Beratungen",
        texts.XLSX_CONSULTATIONS_COLUMNS,
        [],
    )
    for field_number, field_title, goal, p in _projects(ed):
        projects.rows.append(
            [
                p.number,
                p.short_title,
                p.title,
                STATUS_LABELS[p.status],
                *_date_cells(p.status_since),
                *_date_cells(p.project_start),
                field_number,
                field_title,
                goal,
                ", ".join(p.departments),
                p.municipalities,
                p.description.to_plain(),
                p.remark.to_plain(),
                p.project_id,
            ]
        )
        for kind, entries in zip(
            MILESTONE_KINDS,
            (p.milestones_done, p.milestones_planned, p.planning_steps),
            strict=True,
        ):
            for entry in entries:
                milestones.rows.append(
                    [
                        p.number,
                        p.short_title,
                        kind,
                        *_date_cells(entry.date),
                        _entry_text(entry),
                        p.project_id,
                    ]
                )
        for c in p.consultations:
            consultations.rows.append(
                [
                    p.number,
                    p.short_title,
                    *_date_cells(c.date),
                    c.gremium,
                    c.vorlagenart,
                    c.nummer,
                    c.note,
                    p.project_id,
                ]
            )
    archive = Sheet(
        "Archiv",
        texts.XLSX_ARCHIVE_COLUMNS,
        [],
    )
    for r in ed.archive_implemented:
        archive.rows.append(
            ["umgesetzt", r.field_title, r.title, r.number, r.report, None, None, r.project_id]
        )
    for d in ed.archive_dropped:
        archive.rows.append(
            [
                "entfallen",
                d.field_title,
                d.title,
                None,
                None,
                d.last_mention,
                d.reason,
                d.project_id,
            ]
        )
    return [projects, milestones, consultations, archive]


def notes(
    ed: AssembledEdition, publisher: Publisher, license: DataLicense, generated_at: datetime
) -> Sheet:
    """The sheet "Hinweise": source, edition, licence, and what the sheets hold."""
    rows: list[list[Cell]] = [
        ["Titel", texts.XLSX_TITLE.format(name=publisher.name)],
        ["Herausgeber", publisher.name],
        ["Webseite", publisher.url],
        ["Stand", ed.cutoff],
        ["Entwurf", texts.XLSX_DRAFT_YES if ed.draft else texts.XLSX_DRAFT_NO],
        ["Erstellt", generated_at.date()],
        ["Lizenz", license.name],
        ["Lizenz-Adresse", license.url],
        ["Lizenz-Kennung", license.id],
        ["Quellenangabe", license.attribution(publisher, ed.cutoff)],
        ["Projekte", texts.XLSX_NOTE_PROJECTS],
        ["Meilensteine", texts.XLSX_NOTE_MILESTONES],
        ["Beratungen", texts.XLSX_NOTE_CONSULTATIONS],
        ["Archiv", texts.XLSX_NOTE_ARCHIVE],
        ["Datumsspalten", texts.XLSX_NOTE_DATES],
        ["Projekt-ID", texts.XLSX_NOTE_PROJECT_ID],
    ]
    return Sheet("Hinweise", ("Angabe", "Wert"), rows)


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value)[:_MAX_CELL]


def _write(book: Workbook, sheet: Sheet) -> None:
    ws = book.add_worksheet(sheet.name)
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": DAY_FORMAT, "valign": "top"})
    top = book.add_format({"valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    widths = [len(h) for h in sheet.header]
    for row in sheet.rows:
        for c, value in enumerate(row):
            if isinstance(value, str):
                longest = max(len(line) for line in value.split("\n"))
            else:
                longest = 10 if isinstance(value, date) else len(str(value or ""))
            widths[c] = max(widths[c], longest)
    for c, width in enumerate(widths):
        ws.set_column(c, c, min(width, _MAX_WIDTH) + 2)
    ws.write_row(0, 0, sheet.header, bold)
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                # always a string: never a formula, number or link, whatever it begins with
                ws.write_string(r, c, _text(value), wrap if widths[c] >= _WRAP_WIDTH else top)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime.combine(value, time()), day)
            else:
                ws.write_number(r, c, value, top)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.header) - 1)


def edition_xlsx(
    ed: AssembledEdition,
    publisher: Publisher,
    license: DataLicense,
    *,
    generated_at: datetime | None = None,
) -> bytes:
    """The workbook of ``ed`` as the bytes of an ``.xlsx`` file."""
    from xlsxwriter import Workbook

    now = generated_at or datetime.now(UTC)
    buf = io.BytesIO()
    book = Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    for sheet in [*sheets(ed), notes(ed, publisher, license, now)]:
        _write(book, sheet)
    draft = texts.XLSX_DOCUMENT_DRAFT if ed.draft else ""
    book.set_properties(
        {
            "title": texts.XLSX_DOCUMENT_TITLE.format(
                name=publisher.name, stand=format_day(ed.cutoff), draft=draft
            ),
            "author": publisher.name,
            "company": publisher.name,
            "subject": texts.XLSX_DOCUMENT_SUBJECT,
            "comments": f"Lizenz: {license.name} ({license.url}). "
            + license.attribution(publisher, ed.cutoff),
            "keywords": "Nachhaltigkeit, Open Data, " + license.id,
            "created": now.astimezone(UTC).replace(tzinfo=None),
        }
    )
    book.close()
    return buf.getvalue()
