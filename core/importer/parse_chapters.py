"""The six chapters: strategic goals, their four status groups and the project blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from core.importer.parse_dated import match_date, parse_consultations, parse_dated
from core.importer.parse_lines import Kind, Line
from core.importer.parse_text import join_lines, normalize_spaces, reflow
from core.importer.parsed import (
    ParsedDated,
    ParsedField,
    ParsedGoal,
    ParsedProject,
    UnplacedLine,
)
from core.status import Status

CHAPTER = re.compile(r"^(?P<n>[1-6])\.\s+(?P<title>[A-ZÄÖÜ][A-ZÄÖÜ/ ,-]*)$")
GOAL = re.compile(
    r"^(?P<f>[1-6])\.(?P<g>\d+)\s+(?P<heading>Strategisches Ziel\b\s*\d*)\s*"
    r"(?:[–-]\s*(?P<text>.*))?$"
)
GROUP = re.compile(
    r"^(?P<f>[1-6])\.(?P<g>\d+)\.(?P<k>[1-4])\s+(?P<name>umgesetzte Projekte|"
    r"Projekte in Bearbeitung|Projekte in Planung|Ideenspeicher)$",
    re.IGNORECASE,
)
PROJECT = re.compile(r"^(?P<f>[1-6])\.(?P<g>\d+)\.(?P<k>\d)\.(?P<n>\d+)(?:\s+(?P<title>.*))?$")
PLACEHOLDER = re.compile(
    r"^(?:derzeit keine Projekte vorhanden|seit der letzten Überarbeitung zum "
    r"\d{2}\.\d{2}\.\d{4} keine Projekte abgeschlossen)$"
)
_GROUP_STATUS = {
    "umgesetzte projekte": Status.UMGESETZT,
    "projekte in bearbeitung": Status.IN_BEARBEITUNG,
    "projekte in planung": Status.IN_PLANUNG,
    "ideenspeicher": Status.IDEENSPEICHER,
}
_DIGIT_STATUS = {
    1: Status.UMGESETZT,
    2: Status.IN_BEARBEITUNG,
    3: Status.IN_PLANUNG,
    4: Status.IDEENSPEICHER,
}

# Section headings of a project block, with the section they open.
_SECTIONS = (
    ("description", re.compile(r"^Projektbeschreibung\b[^:]*:\s*(?P<rest>.*)$")),
    (
        "done",
        re.compile(
            r"^(?:abgeschlossene\s+)?Meilensteine\s*\(Datum des Abschlusses\)\s*:?\s*(?P<rest>.*)$",
            re.IGNORECASE,
        ),
    ),
    ("planning", re.compile(r"^Erfolgte Planungsschritte\b[^:]*:?\s*(?P<rest>.*)$")),
    (
        "consultations",
        re.compile(
            r"^Beratung/Information in politischen Gremien\b(?:\s*\([^)]*\))?\s*:?\s*(?P<rest>.*)$"
        ),
    ),
    ("remark", re.compile(r"^Bemerkung\s*\([^)]*\)\s*:\s*(?P<rest>.*)$")),
    ("remark", re.compile(r"^Sachstand\s*:\s*(?P<rest>.*)$")),
)
#: The headings every project of the current format prints (recognised, not printed, here:
#: the report's wording is in templates/report/_project.html.j2).
STANDARD_LABELS = {
    "description": "Projektbeschreibung:",
    "milestones_done": "abgeschlossene Meilensteine (Datum des Abschlusses):",
    "planning_steps": "Erfolgte Planungsschritte (Datum des Abschlusses):",
    "consultations": "Beratung/Information in politischen Gremien "
    "(Datum/Gremium/Vorlagenart und -Nr.)",
    "remark": "Bemerkung (optional):",
    "milestones_planned": "geplante Meilensteine:",
}


#: Printed with the status, so they go with it: an edition's record keeps them, the project
#: does not (its next status line is the standard one of its new status).
_STATUS_LABELS = frozenset({"status", "start", "status_note"})


def custom_labels(labels: dict[str, str]) -> dict[str, str]:
    """The headings a project prints instead of the standard ones."""
    return {
        k: v for k, v in labels.items() if k not in _STATUS_LABELS and STANDARD_LABELS.get(k) != v
    }


# Section kinds of the parser and the section keys of a project's labels.
_LABEL_KEYS = {"done": "milestones_done", "planning": "planning_steps"}
# Status lines: "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022" and variants.
_STATUS_START = re.compile(r"^Projektstart\s*:\s*(?P<value>.+)$")
_STATUS_DONE = re.compile(r"^Projektabschluss\s*:\s*(?P<value>.+)$")
_STATUS_SINCE = re.compile(r"^Projekt(?:start)?\b.*?\bseit\b\s*:?\s*(?P<value>.*)$")
_TWO_DATES = re.compile(r"^(?P<start>.+?)\s*(?:/|\bund\b)\s*(?P<since>\d{1,2}\.\d{1,2}\.\d{4})$")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
# "geplante Meilensteine:", "Geplante Meilensteine:", "geplanter Meilenstein:",
# "geplante Schritte:", "nächste Meilensteine:"; may run over two lines up to the colon.
_PLANNED = re.compile(
    r"^(?:geplante[rn]?|nächste[rn]?)\s+(?P<noun>Meilensteine?|Schritte?)\b(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass
class _Draft:
    """A project block while its lines are collected."""

    number: str
    line: int
    status: Status
    title: str
    title_open: bool = True
    since: str | None = None
    start: str | None = None
    status_note: str | None = None
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    section_labels: list[str] = field(default_factory=list)

    def feed(self, line: Line) -> bool:
        """Take ``line``; False if it belongs nowhere in the block."""
        if line.kind is not Kind.TEXT:
            self.title_open = self.title_open and line.kind is Kind.NOISE
            if self.sections:
                self.sections[-1][1].append(line)
            return True
        text = line.text
        for kind, pattern in _SECTIONS:
            match = pattern.match(text)
            if match:
                self.title_open = False
                rest = match.group("rest").strip()
                key = _LABEL_KEYS.get(kind, kind)
                self.labels.setdefault(key, normalize_spaces(text[: match.start("rest")]))
                self.sections.append((kind, [Line(line.no, rest, Kind.TEXT)] if rest else []))
                self.section_labels.append(normalize_spaces(text[: match.start("rest")]))
                return True
        if self.sections:
            self.sections[-1][1].append(line)
            return True
        if self._status(text):
            self.title_open = False
            return True
        if self.title_open:
            self.title = join_lines(self.title, text)
            return True
        return False

    def _status(self, text: str) -> bool:
        start = _STATUS_START.match(text)
        if start:
            self.start = normalize_spaces(start["value"])
            self.labels["start"] = normalize_spaces(text[: start.start("value")])
            return True
        done = _STATUS_DONE.match(text) or _STATUS_SINCE.match(text)
        if not done:
            return False
        self.labels["status"] = normalize_spaces(text[: done.start("value")])
        note = _PARENTHESIS.search(done["value"])
        if note:
            self.status_note = normalize_spaces(note.group(0))
        value = normalize_spaces(_PARENTHESIS.sub("", done["value"]))
        two = _TWO_DATES.match(value)
        if two and match_date(two["start"]):
            self.start, value = normalize_spaces(two["start"]), two["since"]
        self.since = value or None
        return True

    def build(self, *, wrapped: bool) -> ParsedProject:
        project = ParsedProject(
            number=self.number,
            title=normalize_spaces(self.title),
            status=self.status,
            line=self.line,
            status_since_text=self.since,
            project_start_text=self.start,
            labels=dict(self.labels),
        )
        if self.status_note:
            project.labels["status_note"] = self.status_note
        descriptions: list[str] = []
        remarks: list[str] = []
        seen: set[str] = set()
        repeated = False
        for (kind, lines), label in zip(self.sections, self.section_labels, strict=True):
            # The older format repeats "Projektbeschreibung:"/"Sachstand:" pairs (a table of
            # sub-projects): from the second pair on they are kept as pairs, in order.
            repeated = repeated or (kind == "description" and {"description", "remark"} <= seen)
            seen.add(kind)
            if repeated and kind in ("description", "remark"):
                project.more_sections.append((label, reflow(lines, wrapped=wrapped)))
                continue
            if kind == "description":
                descriptions.append(reflow(lines, wrapped=wrapped))
            elif kind == "done":
                project.milestones_done.extend(parse_dated(lines))
            elif kind == "planning":
                project.planning_steps.extend(parse_dated(lines))
            elif kind == "consultations":
                project.consultations.extend(parse_consultations(lines, wrapped=wrapped))
            else:
                split = split_planned(lines)
                remarks.append(reflow(split.remark, wrapped=wrapped))
                if split.heading:
                    project.labels.setdefault("milestones_planned", split.heading)
                planned_lines, after = (
                    _one_paragraph(split.planned) if split.single else (split.planned, [])
                )
                planned = parse_dated(planned_lines, planned=True)
                project.milestones_planned.extend(_merged(planned) if split.single else planned)
                if after:
                    remarks.append(reflow(after, wrapped=wrapped))
                    # printed below the milestone: the record keeps that place, when the
                    # remark has nothing above it
                    project.remark_after_planned = not any(remarks[:-1])
        project.description = "\n\n".join(d for d in descriptions if d)
        project.remark = "\n\n".join(r for r in remarks if r)
        return project


class PlannedSplit(NamedTuple):
    """A remark split at its "geplante Meilensteine:" heading."""

    remark: list[Line]  # the remark's own lines, before the heading
    heading: str  # as printed: "geplante Schritte:", "geplante Meilensteine, Bestandteil ...:"
    planned: list[Line]  # everything after the heading
    single: bool  # the heading is singular: "geplanter Meilenstein:"


def split_planned(lines: list[Line]) -> PlannedSplit:
    """Split a remark at its planned-milestones heading (which may wrap up to its colon)."""
    for i, line in enumerate(lines):
        if line.kind is not Kind.TEXT or not _PLANNED.match(line.text):
            continue
        heading = line.text
        end = i
        while not heading.rstrip().endswith(":") and end + 1 < len(lines) and end < i + 3:
            end += 1
            if lines[end].kind is Kind.TEXT:
                heading = join_lines(heading, lines[end].text)
        match = _PLANNED.match(heading)
        if match is None or not heading.rstrip().endswith(":"):
            continue
        single = match["noun"].lower() in ("meilenstein", "schritt")
        return PlannedSplit(lines[:i], normalize_spaces(heading), lines[end + 1 :], single)
    return PlannedSplit(lines, "", [], single=False)


def _one_paragraph(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Under a singular heading ("geplanter Meilenstein:") the one milestone ends at the
    first paragraph break (a line of white space, then text): what follows is remark text
    printed below it (2.1.2.1 of 01.04.2025: "Es finden regelmäßige Treffen ...")."""
    seen_text = False
    for i, line in enumerate(lines):
        if line.kind is Kind.TEXT:
            seen_text = True
        elif line.kind is Kind.SPACE and seen_text:
            rest = lines[i + 1 :]
            if any(r.kind is Kind.TEXT for r in rest):
                return lines[:i], rest
    return lines, []


def _merged(entries: list[ParsedDated]) -> list[ParsedDated]:
    """Under a singular heading everything that follows belongs to the one milestone."""
    if len(entries) < 2:
        return entries
    first = entries[0]
    text = " ".join(
        e.text if e.date_text is None else f"{e.date_text} {e.text}" for e in entries[1:]
    )
    return [ParsedDated(first.date_text, f"{first.text} {text}", first.line)]


@dataclass
class ChapterReader:
    """Reads the chapter zone into the fields' goals and projects."""

    fields: list[ParsedField]
    wrapped: bool
    unplaced: list[UnplacedLine] = field(default_factory=list)
    _field: ParsedField | None = None
    _goal: ParsedGoal | None = None
    _goal_lines: list[Line] | None = None
    _status: Status | None = None
    _draft: _Draft | None = None

    def read(self, lines: list[Line]) -> None:
        """Read the chapter zone's lines."""
        for line in lines:
            self._line(line)
        self._finish()

    def _line(self, line: Line) -> None:
        text = line.text
        if line.kind is Kind.TEXT and self._structure(line, text):
            return
        if self._draft is not None:
            if not self._draft.feed(line):
                self.unplaced.append(UnplacedLine(line.no, text))
        elif self._goal_lines is not None:
            self._goal_lines.append(line)
        elif line.kind is Kind.TEXT:
            self.unplaced.append(UnplacedLine(line.no, text))

    def _structure(self, line: Line, text: str) -> bool:
        """Handle a heading or placeholder; False for any other line."""
        chapter = CHAPTER.match(text)
        if chapter:
            self._finish()
            self._open_field(int(chapter["n"]), chapter["title"], line.no)
            return True
        goal = GOAL.match(text)
        if goal and self._field is not None and int(goal["f"]) == self._field.number:
            self._finish()
            self._goal = ParsedGoal(
                f"{goal['f']}.{goal['g']}", "", line.no, heading=normalize_spaces(goal["heading"])
            )
            self._field.goals.append(self._goal)
            self._goal_lines = [Line(line.no, goal["text"], Kind.TEXT)] if goal["text"] else []
            return True
        group = GROUP.match(text)
        if group and self._field is not None and int(group["f"]) == self._field.number:
            self._finish()
            self._status = _GROUP_STATUS[group["name"].lower()]
            if self._goal is not None:  # as printed, even where it names another goal
                self._goal.group_numbers[self._status] = ".".join(group.group("f", "g", "k"))
            return True
        project = PROJECT.match(text)
        if (
            project
            and self._goal is not None
            and self._goal.number == (f"{project['f']}.{project['g']}")
        ):
            self._finish()
            number = ".".join(project.group("f", "g", "k", "n"))
            status = self._status or _DIGIT_STATUS.get(int(project["k"]), Status.IDEENSPEICHER)
            self._draft = _Draft(number, line.no, status, project["title"] or "")
            return True
        return bool(PLACEHOLDER.match(text)) and self._draft is None

    def _open_field(self, number: int, upper_title: str, line_no: int) -> None:
        known = next((f for f in self.fields if f.number == number), None)
        if known is None:
            known = ParsedField(number, "", "", line_no)
            self.fields.append(known)
            self.fields.sort(key=lambda f: f.number)
        known.line = line_no
        self._field = known
        self._goal = None
        self._status = None

    def _finish(self) -> None:
        """Close the open project block or goal text."""
        if self._goal_lines is not None and self._goal is not None:
            text = reflow(self._goal_lines, wrapped=self.wrapped)
            self._goal.text = normalize_spaces(text.replace("\n", " "))
            self._goal_lines = None
        if self._draft is not None and self._goal is not None:
            self._goal.projects.append(self._draft.build(wrapped=self.wrapped))
            self._draft = None
