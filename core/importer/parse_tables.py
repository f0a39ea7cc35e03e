"""The tables after chapter 6: project lists (Projektlisten) and the archive.

A project-list row reads ``number, short title, x, Zusammenarbeit mit Kommunen, departments``;
the ``x`` in one of the four status columns separates the short title from the rest. Rows
wrap over several lines in the 2025 extraction and are tab-separated in 2023.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.importer.parse_lines import Line
from core.importer.parse_text import join_lines, normalize_spaces
from core.importer.parsed import ParsedArchivedImplemented, ParsedDropped, ParsedProject
from core.status import Status

ROW_START = re.compile(r"^(?P<number>[1-6]\.\d+\.\d\.\d+)(?=\s|$)(?P<rest>.*)$")
_X = re.compile(r"(?:^|(?<=\s))x(?=\s|$)")
_DEPT = (
    r"(?:Dez\.\s?\d{2}|\d{2}(?:\.\d{2})?\.?|wfg|PAD"
    r"|[A-ZÄÖÜ][a-zäöüß]+-?[a-zäöüß]*ausschuss)"
)
_DEPARTMENTS_AT_END = re.compile(rf"(?:^|(?<=\s))({_DEPT}(?:\s*,\s*{_DEPT})*)\s*,?\s*$")
_DEPT_SPLIT = re.compile(rf"{_DEPT}")
_SPACED_SUBSCRIPT = re.compile(r"\s*([₀-₉])\s*")  # "H ₂ -Mobilität" in the 2023 lists


@dataclass
class ListRow:
    """A row of a project list, before it is joined to its chapter project."""

    number: str
    line: int
    lines: list[Line] = field(default_factory=list)
    short_title: str = ""
    municipalities: str | None = None
    departments: list[str] = field(default_factory=list)
    has_x: bool = False
    status: Status | None = None  # the column of the "x", where the layout tells (tabs)
    departments_text: str | None = None  # the departments cell as printed

    def text(self) -> str:
        """The row as one line, for reporting it."""
        return normalize_spaces(" ".join(line.raw for line in self.lines))


def split_departments(text: str) -> tuple[str, list[str]]:
    """Split the department codes off the end of ``text``: ("Welver, Wickede", ["81"]).

    Codes are numbers ("65", "80.01", "70.01."), "Dez. 06", "wfg", "PAD" and committees
    ("Kantinenausschuss"); several are joined by commas, so "Klassen 7 - 13   wfg" ends with
    one code only.
    """
    text = normalize_spaces(text)
    match = _DEPARTMENTS_AT_END.search(text)
    if not match:
        return text, []
    codes = [normalize_department(c) for c in _DEPT_SPLIT.findall(match.group(1))]
    return text[: match.start()].strip(" ,"), codes


def normalize_department(code: str) -> str:
    """Normalise a code: "70.01." to "70.01", "Dez.06" to "Dez. 06", "Kantinen-ausschuss"
    to "Kantinenausschuss"."""
    code = code.strip().rstrip(".")
    code = re.sub(r"^Dez\.\s?", "Dez. ", code)
    return re.sub(r"-(?=[a-zäöüß])", "", code)


def ends_with_departments(text: str) -> bool:
    """True if ``text`` ends with a complete department cell (not with a trailing comma)."""
    text = text.rstrip()
    return bool(text) and not text.endswith(",") and bool(split_departments(text)[1])


def parse_row(row: ListRow) -> None:
    """Read short title, municipalities and departments from the row's lines."""
    row.has_x, row.short_title, row.municipalities, row.departments = False, "", None, []
    row.status, row.departments_text = None, None
    first = ROW_START.match(row.lines[0].text)
    first_rest = first.group("rest") if first else row.lines[0].text
    texts = [first_rest, *(line.raw for line in row.lines[1:])]
    if any("\t" in t for t in texts):
        _parse_tab_row(row, "\t".join(texts).split("\t"))
        return
    before = ""
    after = ""
    for text in texts:
        if row.has_x:
            after = join_lines(after, text)
            continue
        x = _X.search(text)
        if x is None:
            before = join_lines(before, text)
        else:
            row.has_x = True
            before = join_lines(before, text[: x.start()])
            after = text[x.end() :]
    row.short_title = _title(before)
    municipalities, row.departments = split_departments(after)
    row.municipalities = municipalities or None
    if row.departments:
        text = normalize_spaces(after)[len(municipalities) :].strip(" ,")
        row.departments_text = _unhyphenated(text)


def _title(text: str) -> str:
    return _SPACED_SUBSCRIPT.sub(r"\1", normalize_spaces(text))


def _parse_tab_row(row: ListRow, cells: list[str]) -> None:
    cells = [normalize_spaces(c) for c in cells]
    x_at = next((i for i, c in enumerate(cells) if c == "x"), None)
    if x_at is None:
        row.short_title = " ".join(c for c in cells if c)
        return
    row.has_x = True
    row.short_title = _title(" ".join(c for c in cells[:x_at] if c))
    title_at = next(i for i, c in enumerate(cells) if c)
    row.status = _COLUMNS.get(x_at - title_at)
    after = [c for c in cells[x_at + 1 :] if c]
    if after:
        rest, codes = split_departments(after[-1])
        if codes and not rest:
            row.departments = codes
            row.departments_text = _unhyphenated(after[-1])
            after = after[:-1]
    row.municipalities = " ".join(after) or None


def _unhyphenated(text: str) -> str:
    """A cell without the hyphens of its line breaks ("Kantinen-ausschuss")."""
    return re.sub(r"(?<=[a-zäöüß])-(?=[a-zäöüß])", "", text)


#: The status columns after the title, in the lists' order.
_COLUMNS = {
    1: Status.IDEENSPEICHER,
    2: Status.IN_PLANUNG,
    3: Status.IN_BEARBEITUNG,
    4: Status.UMGESETZT,
}


# -- joining rows to chapter projects -------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß0-9]+")
#: Words too common in the report's titles to tell two projects apart.
_COMMON = ("nachhaltig", "kreis", "soest", "projekt", "förderung")


def title_words(title: str) -> set[str]:
    """Distinctive word stems of a title, for matching a short title to a long one."""
    words = {w.lower() for w in _WORD.findall(title) if len(w) >= 4}
    return {w[:6] for w in words if not w.startswith(_COMMON)}


def titles_agree(short: str, long: str) -> bool:
    """True if the short title shares a distinctive word with the long one (or has none)."""
    a, b = title_words(short), title_words(long)
    return not a or not b or bool(a & b)


def join_rows(
    rows: Iterable[ListRow], projects: Sequence[ParsedProject]
) -> tuple[list[ListRow], set[str]]:
    """Copy each row's data to its chapter project.

    Returns the rows left without a project and the numbers of the projects that got a row.

    A row joins the project with its number if their titles agree. A row whose number names
    no project, or a different one (numbers in the lists are sometimes stale), joins the
    unjoined project of the same Themenfeld whose title it matches best.
    """
    by_number = {p.number: p for p in projects}
    joined: set[str] = set()
    left: list[ListRow] = []
    for row in rows:
        project = by_number.get(row.number)
        if (
            project
            and project.number not in joined
            and titles_agree(row.short_title, project.title)
        ):
            _copy(row, project)
            joined.add(project.number)
        else:
            left.append(row)
    unmatched: list[ListRow] = []
    for row in left:
        field_no = row.number.split(".")[0]
        candidates = [
            (len(title_words(row.short_title) & title_words(p.title)), p)
            for p in projects
            if p.number not in joined and p.number.split(".")[0] == field_no
        ]
        best = max((score for score, _ in candidates), default=0)
        winners = [p for score, p in candidates if score == best]
        if best > 0 and len(winners) == 1:
            _copy(row, winners[0])
            joined.add(winners[0].number)
        else:
            unmatched.append(row)
    return unmatched, joined


def _copy(row: ListRow, project: ParsedProject) -> None:
    project.short_title = row.short_title or None
    project.municipalities = row.municipalities
    project.departments = list(row.departments)
    project.list_number = row.number
    project.list_status = row.status
    project.departments_printed = row.departments_text


# -- archive ---------------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)+"
_IMPLEMENTED_END = re.compile(
    rf"^(?P<head>.*?)\s+(?P<report>\d{{2}}\.\d{{2}}\.\d{{4}})\s+"
    rf"(?P<number>{_NUM}(?:\s*\+\s*{_NUM})*)$"
)
_DROPPED_END = re.compile(r"^(?P<head>.*?)\s+(?P<last>\d{2}\.\d{2}\.\d{4})$")

#: How the "Grund" column of dropped projects begins; the title is what comes before.
REASON_STARTERS = (
    "ersetzt durch",
    "Daueraufgabe",
    "Mehrfachnennung",
    "derzeit",
    "mangelnde",
    "kein",
    "nicht",
    "entfällt",
    "entfallen",
    "zusammengeführt",
    "zusammengelegt",
    "übernommen",
    "integriert",
    "aufgegangen",
    "erledigt",
    "Doppelung",
)
_REASON = re.compile(r"(?<=\s)(?:" + "|".join(re.escape(s) for s in REASON_STARTERS) + r")")


def row_complete(text: str, *, dropped: bool) -> bool:
    """True once the buffered lines of an archive row end with its date (and number)."""
    pattern = _DROPPED_END if dropped else _IMPLEMENTED_END
    return bool(pattern.match(normalize_spaces(text)))


def implemented_row(
    text: str, field_titles: Sequence[str], line: int
) -> ParsedArchivedImplemented | None:
    """An archive row "Themenfeld Projekt Report Nummer"; None if it cannot be read."""
    match = _IMPLEMENTED_END.match(normalize_spaces(text))
    if not match:
        return None
    split = split_field(match.group("head"), field_titles)
    if split is None:
        return None
    return ParsedArchivedImplemented(
        field_title=split[0],
        title=split[1],
        report_text=match.group("report"),
        number=normalize_spaces(match.group("number")),
        line=line,
    )


def dropped_row(text: str, field_titles: Sequence[str], line: int) -> ParsedDropped | None:
    """An archive row "Themenfeld Projekt Grund letzte-Erwähnung"; None if unreadable."""
    match = _DROPPED_END.match(normalize_spaces(text))
    if not match:
        return None
    split = split_field(match.group("head"), field_titles)
    if split is None:
        return None
    field_title, rest = split
    reason = _REASON.search(rest)
    title, why = (rest[: reason.start()], rest[reason.start() :]) if reason else (rest, "")
    return ParsedDropped(
        field_title=field_title,
        title=title.strip(),
        reason=why.strip(),
        last_mention_text=match.group("last"),
        line=line,
    )


def split_field(text: str, field_titles: Sequence[str]) -> tuple[str, str] | None:
    """Split a leading Themenfeld (full title or its first part, "Digitalisierung") off."""
    candidates = set(field_titles) | {t.split("/")[0] for t in field_titles}
    for title in sorted(candidates, key=len, reverse=True):
        if text.startswith(title + " "):
            return title, text[len(title) :].strip()
    return None
