"""Dated lists (milestones, planning steps, planned milestones) and committee consultations.

A list entry starts at a line that begins with a date-like token ("24.09.2024", "Feb. 2025",
"3. Qu. 2022", "seit 09/2024", "2025 - 2027", "fortlaufend", ...). Continuation lines -
usually indented by a space, sometimes after an empty line - belong to the previous entry.
The token is kept as printed (whitespace-normalised); reading it is the loader's business. A word
before it is part of the token ("ab 2024" stays "ab 2024", issue 18), and so are the forms this
tool prints itself ("ca. Mitte 2026", "Ende September 2025", "KW 38/2025").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.importer.parse_lines import Kind, Line
from core.importer.parse_text import continues, join_lines, normalize_spaces, reflow
from core.importer.parsed import ParsedConsultation, ParsedDated

_MONTH = (
    r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|Jan|Febr?|Mär|Apr|Jun|Jul|Aug|Sept?|Okt|Nov|Dez)\.?"
)
_SEASON = r"(?:Frühjahr|Frühj\.|Sommer|Herbst|Herb\.|Winter|Mitte|Anfang|Ende)"
_YEAR = r"(?:19|20)\d{2}"
_POINT = (
    r"(?:\d{1,2}\.\d{1,2}\.\d{4}"  # 24.09.2024
    r"|\d{1,2}/\d{1,2}\.\d{4}"  # 08/09.2024
    r"|[1-4]\.\s?(?:Qu\.|Quartal)\s*\d{4}"  # 3. Qu. 2022
    r"|[12]\.\s?(?:Hj\.|Halbjahr)\s*\d{4}"  # 2.Hj. 2024
    r"|\d{1,2}\.\s?\d{4}"  # 09.2025, 11. 2024
    r"|\d{1,2}/\d{4}"  # 09/2024
    r"|KW\s?\d{1,2}/\d{4}"  # KW 38/2025 (as this tool prints it)
    rf"|(?:Anfang|Mitte|Ende)\s+{_MONTH}\s+\d{{4}}"  # Ende September 2025
    rf"|{_MONTH}\s+\d{{4}}"  # Oktober 2024, Feb. 2025
    rf"|{_SEASON}\s+\d{{4}}"  # Sommer 2024, Mitte 2020
    rf"|{_YEAR}(?:/(?:\d{{4}}|\d{{2}}))?)"  # 2023, 2023/24
)
_RANGE = rf"{_POINT}(?:\s*(?:[-–]|bis|und)\s*{_POINT})?"
_WORDS = r"(?:fortlaufend|laufend|jährlich|monatlich|regelmäßig|\d+\s?x\s+jährlich)"
DATE_TOKEN = re.compile(
    rf"^(?P<date>(?:(?:seit|ab|bis|ca\.|voraussichtlich)\s+){{0,2}}(?:{_RANGE}|{_WORDS}))"
    r"(?=$|[\s:,;)])(?P<rest>.*)$"
)
#: A bare year: at the start of an indented line it is more likely text ("2025 wurden ...").
_WEAK = re.compile(rf"^{_YEAR}(?:/\d{{2,4}})?$")
_PREFIX_ALONE = re.compile(r"^(?:seit|ab|bis)$")
_BULLET = re.compile(r"^[-•▪]\s+")


@dataclass
class _Entry:
    date_text: str | None
    text: str
    line: int
    # continuation lines: (text, starts a sub-item if the entry has a list)
    more: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, line: Line, text: str, prev_text: str) -> None:
        prev = prev_text.rstrip()
        open_phrase = (
            continues(prev)
            or (prev[-1:].isalpha() and prev.split()[-1][:1].islower())
            or prev.count("(") > prev.count(")")
        )
        candidate = bool(_BULLET.match(text)) or (
            line.indented and text[:1].isupper() and not open_phrase
        )
        self.more.append((text, candidate))

    def build(self) -> ParsedDated:
        """The entry; continuation lines form sub-items when the entry reads as a list."""
        starts = sum(1 for _, c in self.more if c)
        listed = starts >= 2 or (starts >= 1 and self.text.rstrip().endswith(":"))
        text = self.text
        items: list[str] = []
        for more, candidate in self.more:
            if listed and candidate:
                items.append(_BULLET.sub("", more))
            elif items:
                items[-1] = join_lines(items[-1], more)
            else:
                text = join_lines(text, more)
        return ParsedDated(
            self.date_text,
            normalize_spaces(text),
            self.line,
            [normalize_spaces(i) for i in items],
        )


def match_date(text: str) -> tuple[str, str] | None:
    """Split a line into its leading date token and the rest, or None."""
    match = DATE_TOKEN.match(text.strip())
    if not match:
        return None
    rest = match.group("rest").strip().lstrip(":").strip()
    return normalize_spaces(match.group("date")), rest


def parse_dated(lines: Sequence[Line], *, planned: bool = False) -> list[ParsedDated]:
    """Entries of a dated list.

    In a list of completed steps an undated line continues the entry above it (the PDF
    table's date cell was empty). In a ``planned`` list undated entries are normal: an
    undated line starts a new entry unless it is indented, follows an empty-line gap, or the
    line above ends mid-phrase (hyphen, comma, article, preposition).
    """
    reader = _DatedReader(planned)
    for line in lines:
        reader.read(line)
    return reader.finish()


@dataclass
class _DatedReader:
    """What :func:`parse_dated` knows between two lines: the entries so far, the line before,
    the gaps and page break since it, and a "seit" waiting for its date on the next line."""

    planned: bool
    entries: list[_Entry] = field(default_factory=list)
    prev: Line | None = None
    soft_gap: bool = False
    hard_gap: bool = False
    page_break: bool = False
    pending_prefix: tuple[str, int] | None = None

    def read(self, line: Line) -> None:
        """Take one line: a gap or page break is remembered, a text line read."""
        if line.kind is Kind.EMPTY:
            self.soft_gap = True
        elif line.kind is Kind.SPACE:
            self.hard_gap = True
        elif line.kind is Kind.NOISE:
            self.page_break = True
        else:
            self._read_text(line)
            self.prev, self.soft_gap, self.hard_gap, self.page_break = line, False, False, False

    def _read_text(self, line: Line) -> None:
        """A text line: a lone "seit" waits for its date; else an entry begins or goes on."""
        text = line.text
        if _PREFIX_ALONE.match(text):  # "seit" alone, its date on the next line
            self.pending_prefix = (text, line.no)
            return
        dated = match_date(text)
        if self.pending_prefix is not None:
            prefix, first_no = self.pending_prefix
            self.pending_prefix = None
            if dated:
                self.entries.append(_Entry(f"{prefix} {dated[0]}", dated[1], first_no))
                return
            text = f"{prefix} {text}"
        self._add(line, text, dated)

    def _add(self, line: Line, text: str, dated: tuple[str, str] | None) -> None:
        """Start an entry (dated, or undated as :func:`parse_dated` says) or continue the last."""
        indented = line.indented and not self.page_break
        prev_text = self.prev.text if self.prev is not None else ""
        if dated and self.entries and indented and (_WEAK.match(dated[0]) or continues(prev_text)):
            dated = None
        if dated:
            self.entries.append(_Entry(dated[0], dated[1], line.no))
        elif not self.entries or (
            self.planned
            and _starts_undated_entry(line, prev_text, self.soft_gap, self.hard_gap, indented)
        ):
            self.entries.append(_Entry(None, _BULLET.sub("", text), line.no))
        else:
            self.entries[-1].add(line, text, prev_text)

    def finish(self) -> list[ParsedDated]:
        """The entries read (a "seit" left waiting becomes an undated entry of its own)."""
        if self.pending_prefix is not None:
            self.entries.append(_Entry(None, self.pending_prefix[0], self.pending_prefix[1]))
        return [e.build() for e in self.entries]


def _starts_undated_entry(
    line: Line, prev_text: str, soft_gap: bool, hard_gap: bool, indented: bool
) -> bool:
    if _BULLET.match(line.text):
        return True
    if indented or continues(prev_text):
        return False
    return hard_gap or not soft_gap


# -- consultations ---------------------------------------------------------------------------

#: Kinds of committee documents, longest first; "Information" counts only as a whole word.
VORLAGENARTEN = (
    "mündlicher Bericht",
    "Beschlussvorlage",
    "Informationsvorlage",
    "Mitteilungsvorlage",
    "Vorlage",
    "Antrag",
    "Anfrage",
    "Bericht",
    "Information",
)
_VORLAGENART = re.compile(r"(?<![\wÄÖÜäöüß])(" + "|".join(VORLAGENARTEN) + r")(?![\wÄÖÜäöüß])")
_NUMMER = re.compile(r"(?<![\d/])(\d{2,4}/\d{4}(?:-\d+)?)(?![\d/])")
_ONE_WORD_GREMIUM = re.compile(
    r"(?<![\wÄÖÜäöüß])(Kreistag|Kreisausschuss|Verwaltungsvorstand|"
    r"[A-ZÄÖÜ][a-zäöüß]*(?:ausschuss|beirat|konferenz))(?![\wÄÖÜäöüß])"
)
_AUSSCHUSS_FUER = re.compile(r"(?<![\wÄÖÜäöüß])Ausschuss(?:es)? für ")
_NAME_STOP = re.compile(r"\s[–-]\s|/|\s+\(")
_LEFTOVER_TRIM = " ,;:–-/"
_TRAILING_LINKS = re.compile(r"(?:\s+(?:des|der|im|in|dem|den|am|vom|zum|zur))+$")


def parse_consultations(lines: Sequence[Line], *, wrapped: bool) -> list[ParsedConsultation]:
    """Consultations: ``date gremium, Vorlagenart Nr.`` entries, possibly with a note."""
    out: list[ParsedConsultation] = []
    for block in _entry_blocks(lines):
        first = block[0]
        dated = match_date(first.text)
        date_text, first_rest = dated if dated else (None, first.text)
        rest_lines = [Line(first.no, first_rest, Kind.TEXT), *block[1:]]
        head, note_lines = _split_head(rest_lines)
        entry = _consultation(date_text, head, note_lines, first.no, wrapped=wrapped)
        entry.printed = "\n\n".join(p for p in (head, reflow(note_lines, wrapped=wrapped)) if p)
        out.append(entry)
    return out


def _entry_blocks(lines: Sequence[Line]) -> list[list[Line]]:
    """Group lines into entries: a new one starts at a non-indented dated line."""
    blocks: list[list[Line]] = []
    for line in lines:
        if line.kind is not Kind.TEXT:
            if blocks:
                blocks[-1].append(line)
            continue
        if not blocks or (match_date(line.text) and not line.indented):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def _split_head(lines: list[Line]) -> tuple[str, list[Line]]:
    """The entry's head (gremium, Vorlagenart, Nr., short note) and a long note below it.

    The head runs while lines continue each other directly; a quoted or multi-paragraph
    text after a complete head ("... Beschlussvorlage 084/2023" then "„Die Kreis...")
    is a note of its own.
    """
    head = lines[0].text
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.kind is not Kind.TEXT:
            break
        if _NUMMER.search(head) and line.text.startswith(("„", '"')):
            break
        head = join_lines(head, line.text)
        i += 1
    return normalize_spaces(head), lines[i:]


def _consultation(
    date_text: str | None, head: str, note_lines: list[Line], line_no: int, *, wrapped: bool
) -> ParsedConsultation:
    nummer_match = _NUMMER.search(head)
    nummer = nummer_match.group(1) if nummer_match else None
    art_match = _vorlagenart(head, nummer_match)
    gremium_span = _gremium_span(head)
    gremium = ""
    taken: list[tuple[int, int]] = []
    if gremium_span:
        start, end = gremium_span
        gremium = head[start:end].strip(_LEFTOVER_TRIM + " ")
        gremium = re.sub(r"^Ausschusses für", "Ausschuss für", gremium)
        taken.append(gremium_span)
    if art_match and not _inside(art_match.span(1), taken):
        taken.append(art_match.span(1))
    if nummer_match:
        taken.append(nummer_match.span(1))
    vorlagenart = art_match.group(1) if art_match and art_match.span(1) in taken else None
    leftover = _remove_spans(head, taken)
    if not gremium:
        gremium, leftover = leftover, ""
    note_parts = [p for p in (leftover, reflow(note_lines, wrapped=wrapped)) if p]
    return ParsedConsultation(
        date_text=date_text,
        gremium=gremium,
        vorlagenart=vorlagenart,
        nummer=nummer,
        note="\n\n".join(note_parts) or None,
        line=line_no,
    )


def _vorlagenart(head: str, nummer: re.Match[str] | None) -> re.Match[str] | None:
    """The document kind: the last one named before the number, else the first one."""
    matches = list(_VORLAGENART.finditer(head))
    if not matches:
        return None
    if nummer:
        before = [m for m in matches if m.start() < nummer.start()]
        if before:
            return before[-1]
    return matches[0]


def _gremium_span(head: str) -> tuple[int, int] | None:
    """Where the committee's name is: "Ausschuss für A, B und C" or a one-word body.

    A name after "Ausschuss für" is a comma-separated list closed by its last item, the
    one joined with "und"/"u.": "Ausschuss für Bau-, Straßenwesen und Immobilien",
    "Ausschuss für Bildung, Integration, Schule u. Sport". An item naming a document kind
    ends the list early ("Ausschuss für Soziales, Informationsvorlage 240/2024").
    """
    match = _AUSSCHUSS_FUER.search(head)
    if match:
        start = match.start()
        pos = match.end()
        stop = _NAME_STOP.search(head, pos)
        limit = stop.start() if stop else len(head)
        end = pos
        for item in re.finditer(r"[^,]+", head[pos:limit]):
            item_text = item.group(0).strip()
            if not item_text or _VORLAGENART.match(item_text) or _NUMMER.match(item_text):
                break
            end = pos + item.end()
            if re.search(r"\s(?:und|u\.)\s", item_text):
                break
        return start, _trim_name_end(head, start, end)
    one = _ONE_WORD_GREMIUM.search(head)
    return one.span(1) if one else None


def _trim_name_end(head: str, start: int, end: int) -> int:
    """Cut a document kind or number that ran into the last item of the name."""
    name = head[start:end]
    for pattern in (_VORLAGENART, _NUMMER):
        found = pattern.search(name, len("Ausschuss für "))
        if found:
            end = min(end, start + found.start())
    return end


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        pieces.append(text[pos:start])
        pos = max(pos, end)
    pieces.append(text[pos:])
    kept = [normalize_spaces(p).strip(_LEFTOVER_TRIM).strip() for p in pieces]
    leftover = ", ".join(p for p in kept if p)
    leftover = _TRAILING_LINKS.sub("", leftover).strip(_LEFTOVER_TRIM).strip()
    leftover = re.sub(r"^(?:des|der|im|in|dem|den)\b\s*", "", leftover).strip()
    return leftover
