"""What every ``nhr`` command module shares: printing for an operator, and what a command
needs of :class:`nhr.cli.App` (a protocol, so the modules need not import ``nhr.cli``)."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:  # only for the protocol: `nhr --help` imports neither SQLAlchemy nor pydantic
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Settings


class AppLike(Protocol):
    """What the commands need from :class:`nhr.cli.App`."""

    settings: Settings

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def engine(self) -> Engine: ...

    def upgrade(self) -> None: ...


class Refused(Exception):
    """A command refuses to go on: ``nhr`` prints the German message and exits with 1."""


def say(text: str) -> None:
    """A line on stdout, at once (progress stays visible in pipes). If the reader has gone
    (``nhr audit | head -1``), the rest of the output is discarded and the command goes on."""
    write(text + "\n")


def err(text: str) -> None:
    """A line on stderr, at once; discarded like :func:`say`'s if nobody reads it."""
    _write(text + "\n", sys.stderr)


def write(text: str) -> None:
    """``text`` as it is on stdout, at once; discarded like :func:`say`'s if nobody reads it."""
    _write(text, sys.stdout)


def _write(text: str, stream: TextIO) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        discard(stream)


def discard(stream: TextIO) -> None:
    """Send what is still written to ``stream``, whose reader has closed the pipe, to
    ``/dev/null``: later writes and Python's flush at exit then succeed without effect (the
    Python documentation's recipe for SIGPIPE). A stream without a file descriptor is left."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def cutoff_arg(value: str) -> date:
    """An argparse ``type`` for ``--edition``/``--cutoff``: an ISO day that is a cutoff
    (01.04. or 01.10.); anything else is a usage error with a German message."""
    import argparse

    from core.texts import NOT_A_CUTOFF
    from nhr.texts import NOT_A_DATE

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(NOT_A_DATE.format(value=value)) from None
    if not (day.day == 1 and day.month in (4, 10)):
        raise argparse.ArgumentTypeError(NOT_A_CUTOFF.format(day=day.isoformat()))
    return day
