"""Reading an edition's extracted text into :class:`~core.importer.parsed.ParsedEdition`.

The text falls into zones, read in order: front matter (cover, table of contents), the
Einleitung with one overview per Themenfeld, the six chapters (goals, status groups,
project blocks), the project lists and the archive. Layout noise (page numbers, the status
legend, footnote URLs) is marked first and read as a page break. Every non-blank line that
is neither noise nor attributed to something ends up in ``unplaced``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.importer.parse_chapters import CHAPTER, ChapterReader
from core.importer.parse_lines import Kind, Line, is_page_number, mark_noise, split_lines
from core.importer.parse_tables import (
    ROW_START,
    ListRow,
    dropped_row,
    ends_with_departments,
    implemented_row,
    join_rows,
    parse_row,
    row_complete,
)
from core.importer.parse_text import normalize_spaces, reflow
from core.importer.parsed import ParsedEdition, ParsedField, UnplacedLine
from core.textnorm import clean_text

__all__ = ["InvalidStand", "parse_edition", "printed_cutoff"]

_INTRO = re.compile(r"^Einleitung und Übersicht\b")
_OVERVIEW = re.compile(r"^(?P<n>[1-6])\.\s+(?P<title>\S.*)$")
_INTRO_CLOSING = re.compile(r"^In den folgenden \w+ Kapiteln\b")
_LIST_HEADING = re.compile(r"^Projektliste\s+[„\"](?P<title>.+?)[“”\"]$")
_LISTS_TITLE = "Projektlisten"
_ARCHIVE_TITLE = "Archiv"
_ARCHIVE_SKIP = re.compile(
    r"^(?:der (?:umgesetzten )?Projekte,?|die nicht mehr im Report enthalten sind"
    r"|\(seit \d{2}\.\d{2}\.\d{4}\)|Themenfeld(?:er)?\s+Projekte?\s+(?:Report|Grund)\b.*)$"
)
_STAND = re.compile(r"^Stand:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PREVIOUS_CUTOFF = re.compile(r"seit der letzten Überarbeitung zum (\d{2})\.(\d{2})\.(\d{4})")
_NUMBER_ONLY = re.compile(r"^\d{1,3}$")


def parse_edition(text: str, *, cutoff: date | None = None) -> ParsedEdition:
    """Read an edition's extracted text.

    ``cutoff`` defaults to the cover's "Stand: 01.10.2023", else to six months after the
    date in the empty-group placeholder "seit der letzten Überarbeitung zum 01.10.2024 ...".
    Raises ValueError if neither is printed and no ``cutoff`` is given. The text is cleaned
    first (:func:`core.textnorm.clean_text`; the form feeds between pages stay).
    """
    return _EditionReader(clean_text(text, keep="\n\t\f")).read(cutoff)


class InvalidStand(ValueError):
    """The text prints a date that is no calendar day where the cutoff should be."""

    def __init__(self, printed: str) -> None:
        super().__init__(f"the edition's cutoff {printed!r} is not a date")
        self.printed = printed


def printed_cutoff(text: str) -> date | None:
    """The cutoff ``text`` names itself, as :func:`parse_edition` reads it (see
    :func:`find_cutoff`); None if it names none. Raises :class:`InvalidStand`."""
    try:
        return find_cutoff(_EditionReader(text).lines)
    except InvalidStand:
        raise
    except ValueError:
        return None


def find_cutoff(lines: list[Line]) -> date:
    """The edition's cutoff as printed on the cover or implied by the placeholder."""
    for line in lines:
        match = _STAND.match(line.text)
        if line.kind is Kind.TEXT and match:
            return _day(match.groups(), line.text)
    for line in lines:
        match = _PREVIOUS_CUTOFF.search(line.text)
        if line.kind is Kind.TEXT and match:
            return _add_months(_day(match.groups(), match.group(0)), 6)
    raise ValueError(
        "cannot tell the edition's cutoff: the text has no 'Stand: dd.mm.yyyy' line and no "
        "'seit der letzten Überarbeitung zum dd.mm.yyyy' placeholder; pass cutoff="
    )


def _day(groups: tuple[str | Any, ...], printed: str) -> date:
    day, month, year = (int(g) for g in groups)
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidStand(printed) from None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


@dataclass
class _Zones:
    intro: int
    chapters: int
    lists: int
    archive: int


@dataclass
class _EditionReader:
    text: str
    lines: list[Line] = field(init=False)
    zones: _Zones = field(init=False)
    wrapped: bool = field(init=False)
    last_page: int = field(init=False)
    unplaced: list[UnplacedLine] = field(default_factory=list)
    list_titles: dict[int, str] = field(default_factory=dict)
    list_headers: dict[int, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        raw = split_lines(self.text)
        self.zones = _find_zones(raw)
        self.lines, self.last_page = mark_noise(
            raw, skip=range(self.zones.lists, self.zones.archive)
        )
        # The wrapped (2025) layout marks paragraph breaks with whitespace-only lines.
        self.wrapped = any(line.kind is Kind.SPACE for line in raw)

    def read(self, cutoff: date | None) -> ParsedEdition:
        z = self.zones
        edition = ParsedEdition(
            cutoff=cutoff or find_cutoff(self.lines),
            intro="",
            has_milestones=not any(line.text == "Sachstand:" for line in self.lines),
        )
        edition.intro, edition.fields = self._read_intro(self.lines[z.intro : z.chapters])
        chapters = ChapterReader(edition.fields, wrapped=self.wrapped)
        chapters.read(self.lines[z.chapters : z.lists])
        self.unplaced.extend(chapters.unplaced)
        rows = self._read_lists(self.lines[z.lists : z.archive])
        self._join(rows, edition)
        for f in edition.fields:
            f.title = f.title or self.list_titles.get(f.number, "")
            f.list_headers = self.list_headers.get(f.number, {})
        self._read_archive(self.lines[z.archive :], edition)
        edition.unplaced = sorted(self.unplaced, key=lambda u: u.line)
        return edition

    # -- Einleitung --------------------------------------------------------------------------

    def _read_intro(self, lines: list[Line]) -> tuple[str, list[ParsedField]]:
        intro: list[Line] = []
        closing: list[Line] = []
        fields: list[ParsedField] = []
        overviews: list[list[Line]] = []
        target = intro
        for line in lines:
            text = line.text
            if line.kind is Kind.TEXT and _INTRO.match(text) and not intro:
                continue  # the section's own heading
            overview = _OVERVIEW.match(text) if line.kind is Kind.TEXT else None
            if overview and int(overview["n"]) == len(fields) + 1 and not text.isupper():
                title = normalize_spaces(overview["title"])
                fields.append(ParsedField(len(fields) + 1, title, "", line.no))
                overviews.append([])
                target = overviews[-1]
                continue
            if line.kind is Kind.TEXT and fields and _INTRO_CLOSING.match(text):
                target = closing
            target.append(line)
        for f, own in zip(fields, overviews, strict=True):
            f.overview = reflow(own, wrapped=self.wrapped)
        # The closing sentence ("In den folgenden sechs Kapiteln ...") is standard wording that
        # the report template prints after the overviews; it is recognised and not kept as data.
        return reflow(intro, wrapped=self.wrapped), fields

    # -- Projektlisten -----------------------------------------------------------------------

    def _read_lists(self, lines: list[Line]) -> list[ListRow]:
        rows: list[ListRow] = []
        row: ListRow | None = None
        in_header = False
        for line in lines:
            if line.kind is not Kind.TEXT:
                continue
            text = line.text
            heading = _LIST_HEADING.match(text)
            start = ROW_START.match(text)
            if heading or text == _LISTS_TITLE:
                self._finish_row(row, rows)
                row = None
                in_header = bool(heading)
                if heading:
                    self._note_list_title(heading["title"])
            elif start:
                self._finish_row(row, rows)
                row = ListRow(start["number"], line.no, [line])
                in_header = False
            elif in_header:
                self._note_list_header(line)
                continue  # table header, including the vertical column titles
            elif _NUMBER_ONLY.match(text) and self._is_page_number(text, row):
                self.last_page = int(text)
            elif row is not None:
                row.lines.append(line)
            else:
                self.unplaced.append(UnplacedLine(line.no, text))
        self._finish_row(row, rows)
        return rows

    def _note_list_header(self, line: Line) -> None:
        """The column headings of a list whose header is one tab-separated line (2023):
        "Nr. Textteil, Projekt, Projektstatus, Zusammenarbeit mit Kommunen, Verantwortlichkeit"
        (they vary from list to list: "Projektstand", "Verantwortlichkeit Abteilung/ ...")."""
        cells = [normalize_spaces(c) for c in line.raw.split("\t") if c.strip()]
        if len(cells) == len(_HEADER_KEYS) and cells[0].startswith("Nr."):
            self.list_headers[len(self.list_titles)] = dict(zip(_HEADER_KEYS, cells, strict=True))
            return
        wrapped = _STATUS_HEADER.match(line.text)  # 2025: "Projekt Projektstand ..."
        if wrapped:
            self.list_headers.setdefault(len(self.list_titles), {})["status"] = wrapped[1]

    def _note_list_title(self, title: str) -> None:
        number = len(self.list_titles) + 1
        self.list_titles[number] = normalize_spaces(title)

    def _is_page_number(self, text: str, row: ListRow | None) -> bool:
        """A lone number after a row's "x" is its department code until the row has one."""
        if not is_page_number(int(text), self.last_page):
            return False
        if row is None:
            return True
        parse_row(row)
        return not row.has_x or ends_with_departments(row.lines[-1].text)

    @staticmethod
    def _finish_row(row: ListRow | None, rows: list[ListRow]) -> None:
        if row is not None:
            parse_row(row)
            rows.append(row)

    def _join(self, rows: list[ListRow], edition: ParsedEdition) -> None:
        readable = [r for r in rows if r.has_x]
        for row in rows:
            if not row.has_x:
                self.unplaced.append(UnplacedLine(row.line, row.text()))
        left, joined = join_rows(readable, edition.projects())
        for row in left:
            self.unplaced.append(UnplacedLine(row.line, row.text()))
        for project in edition.projects():
            if project.number not in joined:
                text = f"{project.number} {project.title} (no row in the project list)"
                self.unplaced.append(UnplacedLine(project.line, text))

    # -- Archiv ------------------------------------------------------------------------------

    def _read_archive(self, lines: list[Line], edition: ParsedEdition) -> None:
        titles = [f.title for f in edition.fields] + list(self.list_titles.values())
        dropped = False
        buffer: list[Line] = []
        for line in lines:
            if line.kind is not Kind.TEXT:
                continue
            text = line.text
            if text in (_ARCHIVE_TITLE, "Umgesetzte Projekte", "Entfallene Projekte"):
                self._unplace(buffer)
                buffer = []
                dropped = dropped or text == "Entfallene Projekte"
                continue
            if _ARCHIVE_SKIP.match(text):
                continue
            buffer.append(line)
            joined = " ".join(b.text for b in buffer)
            if not row_complete(joined, dropped=dropped):
                continue
            if dropped:
                gone = dropped_row(joined, titles, buffer[0].no)
                if gone:
                    edition.archive_dropped.append(gone)
                else:
                    self._unplace(buffer)
            else:
                done = implemented_row(joined, titles, buffer[0].no)
                if done:
                    edition.archive_implemented.append(done)
                else:
                    self._unplace(buffer)
            buffer = []
        self._unplace(buffer)

    def _unplace(self, lines: list[Line]) -> None:
        self.unplaced.extend(UnplacedLine(line.no, line.text) for line in lines)


#: The status column's heading in a wrapped list header ("Projektstatus", "Projektstand").
_STATUS_HEADER = re.compile(r"^Projekt\s+(Projekt(?:status|stand))\b")
#: The columns of a project list's header, in order (the four status columns share one).
_HEADER_KEYS = ("number", "title", "status", "municipalities", "departments")


def _find_zones(lines: list[Line]) -> _Zones:
    def first(start: int, test: re.Pattern[str] | str) -> int:
        for i in range(start, len(lines)):
            line = lines[i]
            if line.kind is not Kind.TEXT:
                continue
            text = line.text
            if (text == test) if isinstance(test, str) else test.match(text):
                return i
        return len(lines)

    intro = first(0, _INTRO)
    if intro == len(lines):
        intro = 0
    chapters = first(intro, CHAPTER)
    lists = min(first(chapters, _LIST_HEADING), first(chapters, _LISTS_TITLE))
    archive = first(lists, _ARCHIVE_TITLE)
    return _Zones(intro, chapters, lists, archive)
