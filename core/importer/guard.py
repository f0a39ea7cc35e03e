"""What an import checks before its changes are kept (the rules behind ``nhr import-report``).

1. **The Stand.** The cutoff a text prints ("Stand: 01.04.2025") is a cutoff (01.04. or 01.10.)
   and agrees with one given on the command line; without either the text is not imported.
2. **The structure.** The text reads as an edition: Themenfelder, each with strategic goals and
   project blocks, and the project lists. A letter, a fragment or another document does not.
3. **Published editions stay as published.** A text for an edition that is already published
   must give the same record as the stored one (:func:`record_differences`; the stable project
   ids and the archive's "seit" date, which come from the database, do not count). A different
   text is refused with the first differing blocks: a correction belongs in the next edition.
4. **Disappearances.** An import that would leave more than :data:`DISAPPEARANCE_LIMIT` live
   projects unmentioned (a truncated text, the wrong file) needs the operator's confirmation.
   A disappearance never changes a project by itself (see :mod:`core.importer.load`).

:func:`import_guarded` runs the import in the caller's transaction and says whether 3 or 4
object; the caller commits or rolls back, so a refused import and a dry run write nothing and
report exactly what the real import would have done.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import texts
from core.cycle import is_cutoff
from core.dates import format_day
from core.frozen import thaw
from core.fuzzydate import FuzzyDate
from core.importer import import_parsed
from core.importer.load import ImportReport, Progress
from core.importer.parsed import ParsedEdition
from core.models import Edition, EditionState
from core.numbering import number_key
from core.richtext import RichText
from core.status import Status
from core.view import AssembledEdition, ConsultationEntry, DatedEntry, ProjectBlock, Section

#: An import that would leave more than this many live projects unmentioned needs ``--yes``.
#: Between two real editions a project rarely vanishes without an archive row (a rename, now
#: and then); four or more at once is a truncated text or the wrong file far more often.
DISAPPEARANCE_LIMIT = 3

#: How many differing blocks a refusal names.
SHOWN_DIFFERENCES = 3

_EXCERPT = 70  # characters of a changed text shown on each side of a difference

_STATUS = texts.STATUS_PRINTED

_BLOCK_LABELS = texts.IMPORT_BLOCK_LABELS
_IGNORED = ("project_id", "number", "changes")


# -- before parsing: the Stand and the structure --------------------------------------------------


def cutoff_problem(printed: date | None, given: date | None) -> str | None:
    """Why the text's Stand (``printed``) and ``--cutoff`` (``given``) cannot name the edition,
    in German; None when they can."""
    if printed is None:
        if given is None:
            return texts.IMPORT_NO_STAND
        return None
    if not is_cutoff(printed):
        return texts.IMPORT_STAND_NOT_CUTOFF.format(day=format_day(printed))
    if given is not None and given != printed:
        return texts.IMPORT_CUTOFF_MISMATCH.format(given=given.isoformat(), day=format_day(printed))
    return None


def structure_problems(parsed: ParsedEdition) -> list[str]:
    """What the text lacks of an edition's structure, in German (empty: it reads as one)."""
    projects = parsed.projects()
    if not parsed.fields:
        return [texts.IMPORT_NO_FIELDS]
    if not projects:
        return [texts.IMPORT_NO_PROJECTS]
    problems = [
        texts.IMPORT_FIELD_EMPTY.format(number=f.number, title=f.title)
        for f in parsed.fields
        if not any(g.projects for g in f.goals)
    ]
    if not any(p.short_title or p.departments for p in projects):
        problems.append(texts.IMPORT_NO_PROJECT_LISTS)
    return problems


# -- the import, held against the rules -----------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """Where a new text differs from a published edition, and how (German)."""

    where: str  # "Projekt 1.2.2.1 „Titel“", "Einleitung", ...
    details: tuple[str, ...]


@dataclass
class GuardedImport:
    """An import done in the caller's transaction, and what speaks against keeping it."""

    report: ImportReport
    # The edition is published and the text gives a different record (always refused).
    published: date | None = None
    differences: list[Difference] = field(default_factory=list)

    @property
    def changes_published(self) -> bool:
        return bool(self.differences)

    @property
    def too_many_disappear(self) -> bool:
        """More live projects would go unmentioned than :data:`DISAPPEARANCE_LIMIT`."""
        return len(self.report.live_disappeared) > DISAPPEARANCE_LIMIT

    def keep(self, *, confirmed: bool) -> bool:
        """Whether the caller may commit (``confirmed``: the operator said ``--yes``)."""
        return not self.changes_published and (confirmed or not self.too_many_disappear)


def import_guarded(
    session: Session,
    parsed: ParsedEdition,
    *,
    now: datetime,
    actor: str = "import",
    progress: Progress | None = None,
    same: Sequence[tuple[str, str]] = (),
) -> GuardedImport:
    """Import ``parsed`` into the caller's transaction (see :func:`import_parsed`) and hold
    the result against the rules of the module doc. Nothing is committed here."""
    old = _published_record(session, parsed.cutoff)
    report = import_parsed(session, parsed, now=now, actor=actor, progress=progress, same=same)
    result = GuardedImport(report)
    if old is not None:
        new = _published_record(session, parsed.cutoff)
        assert new is not None
        result.published = parsed.cutoff
        result.differences = record_differences(thaw(old), thaw(new))
    return result


def _published_record(session: Session, cutoff: date) -> dict[str, Any] | None:
    session.flush()
    return session.scalar(
        select(Edition.frozen).where(
            Edition.cutoff == cutoff,
            Edition.state == EditionState.PUBLISHED,
            Edition.from_archive_only.is_(False),
        )
    )


# -- comparing two records of one edition ---------------------------------------------------------


def record_differences(old: AssembledEdition, new: AssembledEdition) -> list[Difference]:
    """What ``new`` prints differently from ``old``: project blocks in number order, then the
    Einleitung, the Themenfelder, the goals and the archive. Stable project ids do not count."""
    found: list[Difference] = []
    before = {b.number: b for b in old.projects()}
    after = {b.number: b for b in new.projects()}
    for number in sorted(before.keys() | after.keys(), key=number_key):
        was, now = before.get(number), after.get(number)
        if was is None and now is not None:
            found.append(
                Difference(
                    texts.DIFF_PROJECT.format(number=number, title=now.title),
                    (texts.DIFF_ONLY_NEW,),
                )
            )
        elif now is None and was is not None:
            found.append(
                Difference(
                    texts.DIFF_PROJECT.format(number=number, title=was.title),
                    (texts.DIFF_MISSING_NEW,),
                )
            )
        elif was is not None and now is not None:
            details = _block_details(was, now)
            if details:
                found.append(
                    Difference(texts.DIFF_PROJECT.format(number=number, title=was.title), details)
                )
    if old.intro != new.intro:
        found.append(Difference(texts.DIFF_INTRO, (_excerpt(old.intro, new.intro),)))
    found.extend(_chapter_differences(old, new))
    found.extend(_archive_differences(old, new))
    if old.format != new.format:
        found.append(Difference(texts.DIFF_OUTLINE, (texts.DIFF_FORMAT,)))
    return found


def _chapter_differences(old: AssembledEdition, new: AssembledEdition) -> list[Difference]:
    """Themenfelder (title, overview) and the strategic goals' texts."""
    found: list[Difference] = []
    old_fields = {f.number: f for f in old.fields}
    new_fields = {f.number: f for f in new.fields}
    for number in sorted(old_fields.keys() | new_fields.keys()):
        was, now = old_fields.get(number), new_fields.get(number)
        if was is None or now is None:
            where = texts.DIFF_ONLY_NEW if was is None else texts.DIFF_MISSING_NEW
            found.append(Difference(texts.DIFF_FIELD.format(number=number), (where,)))
            continue
        details = tuple(
            f"{what}: {_excerpt(a, b)}"
            for what, a, b in (
                (texts.DIFF_FIELD_TITLE, was.title, now.title),
                (texts.DIFF_FIELD_OVERVIEW, was.overview, now.overview),
            )
            if a != b
        )
        if details:
            found.append(Difference(texts.DIFF_FIELD.format(number=number), details))
        old_goals = {g.number: g.text for g in was.goals}
        new_goals = {g.number: g.text for g in now.goals}
        for goal in sorted(old_goals.keys() | new_goals.keys(), key=number_key):
            before, after = old_goals.get(goal, ""), new_goals.get(goal, "")
            if before != after:
                found.append(
                    Difference(texts.DIFF_GOAL.format(number=goal), (_excerpt(before, after),))
                )
    return found


def _archive_differences(old: AssembledEdition, new: AssembledEdition) -> list[Difference]:
    found: list[Difference] = []
    tables: tuple[tuple[str, Sequence[Any], Sequence[Any]], ...] = (
        (texts.DIFF_ARCHIVE_IMPLEMENTED, old.archive_implemented, new.archive_implemented),
        (texts.DIFF_ARCHIVE_DROPPED, old.archive_dropped, new.archive_dropped),
    )
    for title, old_rows, new_rows in tables:
        before = [dataclasses.replace(r, project_id=None) for r in old_rows]
        after = [dataclasses.replace(r, project_id=None) for r in new_rows]
        if before == after:
            continue
        first = next(
            (i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y),
            min(len(before), len(after)),
        )
        row = after[first] if first < len(after) else before[first]
        found.append(
            Difference(
                title,
                (
                    texts.DIFF_ARCHIVE_ROWS.format(
                        before=len(before), after=len(after), title=row.title
                    ),
                ),
            )
        )
    return found


def _block_details(was: ProjectBlock, now: ProjectBlock) -> tuple[str, ...]:
    details: list[str] = []
    for f in dataclasses.fields(ProjectBlock):
        if f.name in _IGNORED:
            continue
        a, b = getattr(was, f.name), getattr(now, f.name)
        if a != b:
            label = _BLOCK_LABELS.get(f.name, f.name)
            details.append(f"{label}: {_excerpt(_show(a), _show(b))}")
    return tuple(details)


def status_label(status: Status) -> str:
    """The status as the report prints it ("in Bearbeitung")."""
    return _STATUS[status]


def _show(value: object) -> str:
    """A value of a project block as one line of text."""
    if value is None:
        return ""
    if isinstance(value, Status):
        return status_label(value)
    if isinstance(value, RichText):
        return value.words()
    if isinstance(value, FuzzyDate):
        return value.format()
    if isinstance(value, DatedEntry):
        when = value.date.format() + " " if value.date else ""
        return when + " ".join((value.text, *value.items))
    if isinstance(value, ConsultationEntry):
        when = value.date.format() + " " if value.date else ""
        return when + (value.printed or value.gremium)
    if isinstance(value, Section):
        return f"{value.label} {value.text.words()}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, tuple | list):
        return "; ".join(_show(v) for v in value)
    return str(value)


def _excerpt(old: str, new: str) -> str:
    """``„…old…“ → „…new…“`` around the first character where the two differ."""
    same = 0
    for x, y in zip(old, new, strict=False):
        if x != y:
            break
        same += 1
    start = max(0, same - 20)

    def cut(text: str) -> str:
        if not text:
            return texts.DIFF_EMPTY
        piece = text[start : start + _EXCERPT]
        return f"„{'…' if start else ''}{piece}{'…' if start + _EXCERPT < len(text) else ''}“"

    return f"{cut(old)} → {cut(new)}"
