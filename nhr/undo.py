"""Restore points for damaging commands: the one mechanism a command handler opts into.

Decorate the handler (``@undoable("import-report")``), or wrap the writing part in
``with restore_point(app, "edition publish"):``. Before the command runs, the database is
backed up into ``BACKUP_DIR`` as a restore point; afterwards the point is kept only if the
database changed, so ``nhr undo`` always undoes the last real change. If the point cannot be
written, the command does not run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from nhr.console import AppLike
from nhr.console import err as _err
from nhr.texts import NOT_RUN

if TYPE_CHECKING:  # SQLAlchemy only when a command runs: `nhr --help` stays fast
    from core.restore_points import RestorePoint

A = TypeVar("A", bound=AppLike)
Handler = Callable[[argparse.Namespace, A], int]


@contextmanager
def restore_point(app: AppLike, command: str) -> Iterator[RestorePoint]:
    """A restore point before the block, deleted again if the block left the database as it
    was. Raises :class:`core.backup.BackupError` (German) if the point cannot be written."""
    from core.restore_points import discard_if_unchanged, take_point
    from nhr import clock

    app.upgrade()
    settings = app.settings
    point = take_point(
        app.engine, settings.backup_dir, command, clock.now(), settings.restore_points_keep
    )
    try:
        yield point
    finally:
        # If the database cannot be read now, keeping the point is harmless.
        with suppress(Exception):
            discard_if_unchanged(app.engine, point)


def undoable(command: str) -> Callable[[Handler[A]], Handler[A]]:
    """Decorate a command handler with a restore point (none for ``--dry-run``); when the
    point cannot be written the command refuses with exit code 1."""

    def decorate(handler: Handler[A]) -> Handler[A]:
        @wraps(handler)
        def run(args: argparse.Namespace, app: A) -> int:
            if getattr(args, "dry_run", False):
                return handler(args, app)
            from core.backup import BackupError

            with ExitStack() as stack:
                try:
                    stack.enter_context(restore_point(app, command))
                except BackupError as err:
                    _err(NOT_RUN.format(error=err))
                    return 1
                return handler(args, app)
            raise AssertionError("unreachable")  # pragma: no cover - mypy's exit analysis

        return run

    return decorate
