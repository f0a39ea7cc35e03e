"""The edition as an Excel workbook (``nhr export --format xlsx``, the website's downloads).

One sheet per list: Projekte, Meilensteine (done, planned and planning steps, with their kind),
Beratungen, Archiv (implemented and dropped), and Hinweise (source, licence, what the columns
mean); the workbook's document properties repeat title, publisher and licence. Cells are typed:
a fuzzy date that is one day is a date cell shown as ``TT.MM.JJJJ``; any other fuzzy date is
its German text ("3. Quartal 2024") with the canonical value ("2024-Q3") in the next column;
ids and Themenfeld numbers are numbers. Text cells are stored as text, never as a formula,
whatever they begin with. Every sheet has a frozen header row, an autofilter and column widths
from its content.

openpyxl is imported here only, and this module only when a workbook is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from core.config import Publisher
from core.dates import format_day
from core.fuzzydate import FuzzyDate, Kind
from core.opendata.license import DataLicense
from core.status import Status
from core.view import AssembledEdition, DatedEntry, ProjectBlock

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Excel's number format for a day as German readers write it.
DAY_FORMAT = "DD.MM.YYYY"

STATUS_LABELS = {
    Status.UMGESETZT: "umgesetzt",
    Status.IN_BEARBEITUNG: "in Bearbeitung",
    Status.IN_PLANUNG: "in Planung",
    Status.IDEENSPEICHER: "Ideenspeicher",
    Status.ENTFALLEN: "entfallen",
}

#: The kinds of a project's dated entries, as the sheet "Meilensteine" names them.
MILESTONE_KINDS = ("erreicht", "geplant", "Planungsschritt")

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XLSX cannot hold
_MAX_WIDTH = 60
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
    if value.kind is Kind.DAY and value.exact is not None:
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
    projects = Sheet("Projekte", (
        "Nummer", "Kurztitel", "Titel", "Status", "Status seit", "Status seit (Wert)",
        "Projektstart", "Projektstart (Wert)", "Themenfeld-Nr.", "Themenfeld",
        "Strategisches Ziel", "Abteilungen", "Kommunen", "Beschreibung", "Bemerkung",
        "Projekt-ID",
    ), [])
    milestones = Sheet("Meilensteine", (
        "Nummer", "Kurztitel", "Art", "Datum", "Datum (Wert)", "Text", "Projekt-ID",
    ), [])
    consultations = Sheet("Beratungen", (
        "Nummer", "Kurztitel", "Datum", "Datum (Wert)", "Gremium", "Vorlagenart",
        "Vorlagennummer", "Bemerkung", "Projekt-ID",
    ), [])
    for field_number, field_title, goal, p in _projects(ed):
        projects.rows.append([
            p.number, p.short_title, p.title, STATUS_LABELS[p.status],
            *_date_cells(p.status_since), *_date_cells(p.project_start),
            field_number, field_title, goal, ", ".join(p.departments), p.municipalities,
            p.description.to_plain(), p.remark.to_plain(), p.project_id,
        ])
        for kind, entries in zip(
            MILESTONE_KINDS, (p.milestones_done, p.milestones_planned, p.planning_steps),
            strict=True,
        ):
            for entry in entries:
                milestones.rows.append([
                    p.number, p.short_title, kind, *_date_cells(entry.date),
                    _entry_text(entry), p.project_id,
                ])
        for c in p.consultations:
            consultations.rows.append([
                p.number, p.short_title, *_date_cells(c.date), c.gremium, c.vorlagenart,
                c.nummer, c.note, p.project_id,
            ])
    archive = Sheet("Archiv", (
        "Art", "Themenfeld", "Titel", "Nummer", "Berichtet umgesetzt", "Zuletzt erwähnt",
        "Grund", "Projekt-ID",
    ), [])
    for r in ed.archive_implemented:
        archive.rows.append(["umgesetzt", r.field_title, r.title, r.number, r.report, None,
                             None, r.project_id])
    for d in ed.archive_dropped:
        archive.rows.append(["entfallen", d.field_title, d.title, None, None, d.last_mention,
                             d.reason, d.project_id])
    return [projects, milestones, consultations, archive]


def notes(ed: AssembledEdition, publisher: Publisher, license: DataLicense,
          generated_at: datetime) -> Sheet:
    """The sheet "Hinweise": source, edition, licence, and what the sheets hold."""
    rows: list[list[Cell]] = [
        ["Titel", f"Nachhaltigkeitsreport {publisher.name}"],
        ["Herausgeber", publisher.name],
        ["Webseite", publisher.url],
        ["Stand", ed.cutoff],
        ["Entwurf", "ja – noch nicht veröffentlicht" if ed.draft else "nein"],
        ["Erstellt", generated_at.date()],
        ["Lizenz", license.name],
        ["Lizenz-Adresse", license.url],
        ["Lizenz-Kennung", license.id],
        ["Quellenangabe", license.attribution(publisher, ed.cutoff)],
        ["Projekte", "ein Projekt je Zeile, wie in dieser Ausgabe gedruckt"],
        ["Meilensteine", "erreichte und geplante Meilensteine und Planungsschritte (Spalte Art)"],
        ["Beratungen", "Beratungen in Gremien (Kreistag, Ausschüsse)"],
        ["Archiv", "umgesetzte und entfallene Projekte früherer Ausgaben"],
        ["Datumsspalten", "ein Tag als Datum; sonst der Text (z. B. „3. Quartal 2024“) und in "
                          "der Spalte „(Wert)“ die normierte Form (z. B. „2024-Q3“)"],
        ["Projekt-ID", "bleibt über alle Ausgaben gleich; die Nummer kann sich ändern"],
    ]
    return Sheet("Hinweise", ("Angabe", "Wert"), rows)


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def _write(ws: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(sheet.header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in sheet.header]
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(sheet.rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # text, never a formula, whatever it begins with
                longest = max(len(line) for line in value.split("\n"))
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = DAY_FORMAT
                longest = 10
            else:
                cell.value = value
                longest = len(str(value))
            widths[c - 1] = max(widths[c - 1], longest)
    for c, width in enumerate(widths, start=1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = min(width, _MAX_WIDTH) + 2
        if width >= _WRAP_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{max(len(sheet.rows) + 1, 2)}"


def edition_xlsx(
    ed: AssembledEdition, publisher: Publisher, license: DataLicense, *,
    generated_at: datetime | None = None,
) -> bytes:
    """The workbook of ``ed`` as the bytes of an ``.xlsx`` file."""
    from openpyxl import Workbook

    now = generated_at or datetime.now(UTC)
    wb = Workbook()
    first = True
    for sheet in [*sheets(ed), notes(ed, publisher, license, now)]:
        if first:
            ws = wb.active
            assert ws is not None
            ws.title = sheet.name
            first = False
        else:
            ws = wb.create_sheet(sheet.name)
        _write(ws, sheet)
    props = wb.properties
    draft = " (Entwurf)" if ed.draft else ""
    props.title = f"Nachhaltigkeitsreport {publisher.name} – Stand {format_day(ed.cutoff)}{draft}"
    props.creator = publisher.name
    props.subject = "Nachhaltigkeitsreport: Projekte, Meilensteine, Beratungen, Archiv"
    props.description = f"Lizenz: {license.name} ({license.url}). " + license.attribution(
        publisher, ed.cutoff)
    props.keywords = "Nachhaltigkeit, Open Data, " + license.id
    props.language = "de-DE"
    props.created = props.modified = now.astimezone(UTC).replace(tzinfo=None)  # UTC, naive
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

