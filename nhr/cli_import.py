"""``nhr import-report``: import an edition's text, checked before anything is kept.

The rules are :mod:`core.importer.guard`'s; this module reads the file, runs the import in one
transaction and commits it only when nothing speaks against it (``--dry-run``: never), and
prints what the import did or would do.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from nhr import texts
from nhr.console import AppLike, err, say
from nhr.texts import NOT_RUN

if TYPE_CHECKING:
    from core.importer import Disappeared, ImportReport
    from core.importer.guard import GuardedImport
    from core.importer.parsed import ParsedEdition


def cmd_import(args: argparse.Namespace, app: AppLike) -> int:
    """Read, check, import; exit 2 for a file or usage that cannot work, 1 for a refusal."""
    same = _same_pairs(args.same or [])
    if same is None:
        return 2
    parsed = _read(Path(args.path), args.cutoff)
    if parsed is None:
        return 2
    return _import(args, app, parsed, same)


def _same_pairs(pairs: list[str]) -> list[tuple[str, str]] | None:
    same: list[tuple[str, str]] = []
    for pair in pairs:
        old, _, new = (part.strip() for part in pair.partition("="))
        if not old or not new:
            err(texts.SAME_EXPECTED.format(pair=pair))
            return None
        same.append((old, new))
    return same


def _read(path: Path, cutoff: date | None) -> ParsedEdition | None:
    """The parsed edition, or None after saying why the file cannot be one."""
    from core.importer.guard import cutoff_problem, structure_problems
    from core.importer.parse import InvalidStand, parse_edition, printed_cutoff
    from core.importer.source import ImportFileError, read_edition_text

    try:
        source = read_edition_text(path)
    except ImportFileError as error:
        err(str(error))
        return None
    for note in source.notes:
        err(note)
    try:
        printed = printed_cutoff(source.text)
    except InvalidStand as error:
        err(texts.IMPORT_BAD_STAND.format(printed=error.printed))
        return None
    problem = cutoff_problem(printed, cutoff)
    if problem is not None:
        err(texts.NOT_IMPORTED_BECAUSE.format(problem=problem))
        return None
    parsed = parse_edition(source.text, cutoff=cutoff or printed)
    problems = structure_problems(parsed)
    if problems:
        err(texts.IMPORT_NOT_A_REPORT.format(path=path))
        for line in problems:
            err(f"  {line}")
        err(texts.IMPORT_CHECK_FILE)
        return None
    return parsed


def _import(
    args: argparse.Namespace, app: AppLike, parsed: ParsedEdition, same: list[tuple[str, str]]
) -> int:
    """The import in one transaction, kept only if allowed; a restore point before a real one
    (``nhr undo``), taken only now that the file has passed its checks."""
    from contextlib import ExitStack

    from core.backup import BackupError
    from nhr.undo import restore_point

    app.upgrade()
    with ExitStack() as stack:
        if not args.dry_run:
            try:
                stack.enter_context(restore_point(app, "import-report"))
            except BackupError as error:
                err(NOT_RUN.format(error=error))
                return 1
        outcome = _transaction(args, app, parsed, same)
    if outcome is None:
        return 2
    result, kept = outcome
    if kept:
        _say_summary(result.report, args.path)
        return 0
    if args.dry_run:
        say(texts.IMPORT_DRY_RUN)
    else:
        say(texts.IMPORT_NOT_KEPT)
    _say_summary(result.report, args.path)
    _say_details(result.report)
    if result.keep(confirmed=args.yes):
        return 0  # a dry run of an import that would be kept
    _say_refusal(result)
    return 1


def _transaction(
    args: argparse.Namespace, app: AppLike, parsed: ParsedEdition, same: list[tuple[str, str]]
) -> tuple[GuardedImport, bool] | None:
    """Run the guarded import; commit it if allowed and not a dry run, else roll it back.
    Returns the result and whether it was kept; None after a ``--same`` that names nothing."""
    from tqdm import tqdm

    from core.importer import LinkError
    from core.importer.guard import import_guarded
    from nhr import clock

    session = app.sessions()
    try:
        with tqdm(
            total=len(parsed.projects()),
            desc=texts.IMPORT_PROGRESS,
            unit="",
            file=sys.stderr,
            disable=args.quiet,
        ) as bar:

            def advance(_number: str) -> None:
                bar.update(1)

            try:
                result = import_guarded(
                    session, parsed, now=clock.now(), progress=advance, same=same
                )
            except LinkError as error:
                session.rollback()
                err(texts.NOT_IMPORTED_BECAUSE.format(problem=error))
                return None
        keep = result.keep(confirmed=args.yes) and not args.dry_run
        if keep:
            session.commit()
        else:
            session.rollback()
        return result, keep
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# -- what the import did ----------------------------------------------------------------------


def _say_summary(report: ImportReport, path: str) -> None:
    """The lines a real import prints (a dry run prints the same)."""
    from core.dates import format_day

    say(
        texts.IMPORT_SUMMARY.format(
            cutoff=format_day(report.cutoff),
            projects=report.projects,
            created=report.created_projects,
            updated=report.updated_projects,
            implemented=report.archived_implemented,
            dropped=report.archived_dropped,
        )
    )
    if not report.is_current:
        say(texts.IMPORT_OLDER)
    if report.linked:
        say(texts.IMPORT_LINKED.format(count=report.linked))
    for gone in report.disappeared:
        _say_disappeared(gone, report.is_current, path)
    for problem in report.date_problems:
        say(
            texts.IMPORT_BAD_DATE.format(
                line=problem.line, text=problem.text, message=problem.message
            )
        )
    for warning in report.warnings:
        say(warning)
    if report.unplaced:
        say(texts.IMPORT_UNPLACED.format(count=len(report.unplaced)))
        for item in report.unplaced:
            say(texts.IMPORT_UNPLACED_LINE.format(line=item.line, text=item.text))


def _say_disappeared(gone: Disappeared, current: bool, path: str) -> None:
    """One project the newer edition does not mention, its likely successors, what to do."""
    from core.dates import format_day

    number = f"{gone.number} " if gone.number else ""
    if current:
        since = (
            texts.GONE_SINCE.format(cutoff=format_day(gone.last_mention))
            if gone.last_mention
            else ""
        )
        say(texts.GONE_CURRENT.format(number=number, title=gone.title, since=since))
    else:
        say(texts.GONE_OLDER.format(number=number, title=gone.title))
    if gone.successors:
        say(texts.GONE_SUCCESSORS)
        for s in gone.successors:
            say(
                texts.GONE_SUCCESSOR.format(
                    number=s.number or "–",
                    title=s.title,
                    new=texts.GONE_SUCCESSOR_NEW if s.new else "",
                    score=round(s.score * 100),
                )
            )
        same = shlex.quote(f"{gone.title}={gone.successors[0].title}")
        say(texts.GONE_RENAMED.format(path=shlex.quote(path), same=same))
    if current and gone.project_id is not None:
        say(texts.GONE_DROPPED.format(id=gone.project_id))


def _say_details(report: ImportReport) -> None:
    """Project by project: new, changed, moved into the archive (dry run and refusals)."""
    from core.importer.guard import status_label

    lists: list[tuple[str, list[str]]] = [
        (texts.DETAILS_NEW, [_item(n, t) for n, t in report.new]),
        (texts.DETAILS_CHANGED, [_item(n, t) for n, t in report.changed]),
        (
            texts.DETAILS_ARCHIVED,
            [f"{_item(n, t)} ({status_label(s)})" for n, t, s in report.archived],
        ),
        (texts.DETAILS_GONE, [_item(d.number, d.title) for d in report.disappeared]),
    ]
    for title, items in lists:
        say(f"{title}: {len(items)}")
        for item in items:
            say(f"  {item}")


def _item(number: str | None, title: str) -> str:
    return f"{number} „{title}“" if number else f"„{title}“"


def _say_refusal(result: GuardedImport) -> None:
    from core.dates import format_day
    from core.importer.guard import DISAPPEARANCE_LIMIT, SHOWN_DIFFERENCES

    if result.changes_published and result.published is not None:
        err(texts.REFUSE_PUBLISHED.format(cutoff=format_day(result.published)))
        for diff in result.differences[:SHOWN_DIFFERENCES]:
            err(f"  {diff.where}:")
            for detail in diff.details[:3]:
                err(f"    {detail}")
        more = len(result.differences) - SHOWN_DIFFERENCES
        if more > 0:
            err(texts.REFUSE_MORE.format(count=more))
        err(texts.REFUSE_PUBLISHED_HINT)
    if result.too_many_disappear:
        count = len(result.report.live_disappeared)
        err(texts.REFUSE_TOO_MANY_GONE.format(count=count, limit=DISAPPEARANCE_LIMIT))
        if not result.changes_published:
            err(texts.REFUSE_CONFIRM)
    err(texts.NOT_IMPORTED)
