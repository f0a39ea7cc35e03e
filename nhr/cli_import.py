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
            err(f"--same erwartet „ALTER TITEL=NEUER TITEL“, nicht „{pair}“.")
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
        err(f"Der Text nennt „{error.printed}“; das ist kein gültiges Datum. Nichts importiert.")
        return None
    problem = cutoff_problem(printed, cutoff)
    if problem is not None:
        err(f"{problem} Nichts importiert.")
        return None
    parsed = parse_edition(source.text, cutoff=cutoff or printed)
    problems = structure_problems(parsed)
    if problems:
        err(f"{path} hat nicht die Gliederung einer Ausgabe des Nachhaltigkeitsreports:")
        for line in problems:
            err(f"  {line}")
        err("Nichts importiert. Bitte prüfen Sie, ob die Datei den vollständigen Text enthält.")
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
        say("Probelauf – der Import würde Folgendes melden; gespeichert wird nichts.")
    else:
        say("Der Import würde Folgendes melden; gespeichert wurde nichts.")
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
            desc="Projekte",
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
                err(f"{error} Nichts importiert.")
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
        f"Ausgabe Stand {format_day(report.cutoff)} importiert: {report.projects} Projekte "
        f"({report.created_projects} neu, {report.updated_projects} geändert), "
        f"{report.archived_implemented} archiviert umgesetzt, "
        f"{report.archived_dropped} entfallen."
    )
    if not report.is_current:
        say("Hinweis: ältere Ausgabe – nur Nummern und Historie übernommen.")
    if report.linked:
        say(f"Umbenennungen mit ihrer Historie verknüpft (--same): {report.linked}.")
    for gone in report.disappeared:
        _say_disappeared(gone, report.is_current, path)
    for problem in report.date_problems:
        say(f"Zeile {problem.line}: Datum nicht lesbar: {problem.text!r} – {problem.message}")
    for warning in report.warnings:
        say(warning)
    if report.unplaced:
        say(f"{len(report.unplaced)} Zeilen nicht zugeordnet:")
        for item in report.unplaced:
            say(f"  Zeile {item.line}: {item.text}")


def _say_disappeared(gone: Disappeared, current: bool, path: str) -> None:
    """One project the newer edition does not mention, its likely successors, what to do."""
    from core.dates import format_day

    number = f"{gone.number} " if gone.number else ""
    if current:
        since = f" (zuletzt Stand {format_day(gone.last_mention)})" if gone.last_mention else ""
        say(
            f"Projekt {number}„{gone.title}“{since} kommt in dieser Ausgabe nicht mehr vor. "
            "Sein Status bleibt, bis Sie es verknüpfen oder mit Grund als entfallen markieren."
        )
    else:
        say(
            f"Projekt {number}„{gone.title}“ ist in neueren Ausgaben nicht zu finden; "
            "nicht übernommen."
        )
    if gone.successors:
        say("  Mögliche Nachfolger:")
        for s in gone.successors:
            tag = "neu, " if s.new else ""
            say(f"    {s.number or '–'} „{s.title}“ ({tag}Ähnlichkeit {round(s.score * 100)} %)")
        same = shlex.quote(f"{gone.title}={gone.successors[0].title}")
        say(f"  Umbenannt? nhr import-report {shlex.quote(path)} --same {same}")
    if current and gone.project_id is not None:
        say(f'  Entfallen? nhr project drop {gone.project_id} --reason "…"')


def _say_details(report: ImportReport) -> None:
    """Project by project: new, changed, moved into the archive (dry run and refusals)."""
    from core.importer.guard import status_label

    lists: list[tuple[str, list[str]]] = [
        ("Neue Projekte", [_item(n, t) for n, t in report.new]),
        ("Geänderte Projekte", [_item(n, t) for n, t in report.changed]),
        ("Ins Archiv", [f"{_item(n, t)} ({status_label(s)})" for n, t, s in report.archived]),
        ("Nicht mehr in der Ausgabe", [_item(d.number, d.title) for d in report.disappeared]),
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
        err(
            f"Die Ausgabe Stand {format_day(result.published)} ist veröffentlicht, und dieser "
            "Text weicht von ihr ab:"
        )
        for diff in result.differences[:SHOWN_DIFFERENCES]:
            err(f"  {diff.where}:")
            for detail in diff.details[:3]:
                err(f"    {detail}")
        more = len(result.differences) - SHOWN_DIFFERENCES
        if more > 0:
            err(f"  … und {more} weitere Unterschiede.")
        err(
            "Eine veröffentlichte Ausgabe bleibt, wie sie veröffentlicht wurde. Bitte prüfen Sie "
            "die Datei; Korrekturen gehören in die nächste Ausgabe."
        )
    if result.too_many_disappear:
        count = len(result.report.live_disappeared)
        err(
            f"{count} laufende Projekte kämen in dieser Ausgabe nicht mehr vor (erlaubt sind "
            f"höchstens {DISAPPEARANCE_LIMIT} ohne Bestätigung). Ist der Text vollständig?"
        )
        if not result.changes_published:
            err("Wenn das so gewollt ist, wiederholen Sie den Befehl mit --yes.")
    err("Nichts importiert.")
