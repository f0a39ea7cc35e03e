"""What every ``nhr`` command module shares: printing for an operator, and what a command
needs of :class:`nhr.cli.App` (a protocol, so the modules need not import ``nhr.cli``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only for the protocol: `nhr --help` imports neither SQLAlchemy nor pydantic
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Settings


class AppLike(Protocol):
    """What the commands need from :class:`nhr.cli.App`."""

    settings: Settings

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    def upgrade(self) -> None: ...


def say(text: str) -> None:
    """A line on stdout, at once (progress stays visible in pipes)."""
    print(text, flush=True)


def err(text: str) -> None:
    """A line on stderr, at once."""
    print(text, file=sys.stderr, flush=True)
