"""The error policy of every ``nhr`` command: one German line on stderr, never a traceback.

- Wrong usage (argparse: an unknown command or option, a missing or malformed value): one line
  ``nhr render: Fehler: … (nhr render --help zeigt die Optionen)`` and exit code 2
  (:class:`Parser`).
- A failure (database unreachable or ``DATABASE_URL`` unusable, a path missing, not writable or
  on a full disk, a setting that does not validate, Telegram refusing the bot at start-up, a
  command's own :class:`~nhr.console.Refused`): one line naming what failed, exit code 1
  (:func:`failure`). A database URL is shown with its
  password masked, never with SQL or its parameters.
- Ctrl-C: "Abgebrochen.", exit code 130; an open transaction is rolled back.
- Anything else: "Unerwarteter Fehler: <type>. Mit NHR_DEBUG=1 sehen Sie Details.", exit code 1.
  With ``NHR_DEBUG=1`` in the environment every caught exception's traceback is printed first.
- A closed pipe (``nhr audit | head -1``): the rest of the output is discarded, the command
  finishes its work and exits as it would have (see :func:`nhr.console.say`); so an import that
  committed still exits 0. Only a write that bypasses :mod:`nhr.console` can be cut short by a
  closed pipe; that run ends quietly with 141, the status a shell gives a program stopped by
  SIGPIPE.

Only the standard library is imported here: ``nhr --help`` stays fast. SQLAlchemy's, pydantic's
and Telegram's exception types are looked up only when an exception is being described, and
only if their module is already loaded (an exception of a module never imported cannot occur).
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, Final, NoReturn

from nhr.console import Refused, discard
from nhr.console import err as _err
from nhr.texts import (
    DB_BAD_URL,
    DB_FAILED,
    DB_NO_DRIVER,
    DB_REASONS,
    DB_UNKNOWN_DIALECT,
    DB_UNREACHABLE,
    DETAILS,
    INTERRUPTED,
    OS_OTHER,
    OS_PROBLEMS,
    SETTING_INVALID,
    TELEGRAM_FAILED,
    TELEGRAM_NETWORK,
    TELEGRAM_TOKEN,
    UNEXPECTED,
    USAGE_LINE,
    USAGE_MESSAGES,
)

EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130
EXIT_CLOSED_PIPE: Final = 141  # 128 + SIGPIPE

DEBUG_VARIABLE: Final = "NHR_DEBUG"

# -- wrong usage --------------------------------------------------------------------------------

_QUOTED = re.compile(r"'([^']*)'")
#: argparse's English messages (3.11-3.13) and their German form (nhr.texts.USAGE_MESSAGES).
_USAGE_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), german) for pattern, german in USAGE_MESSAGES
)
_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<rest>.*)", re.DOTALL)


def _unquote(text: str) -> str:
    """``'a', 'b'`` -> ``a, b`` (argparse quotes values with ``repr``)."""
    return _QUOTED.sub(r"\1", text).strip()


def _argument_name(name: str) -> str:
    """argparse's name for an argument, as a user reads it: the sub-command's ``dest``
    (``command``, ``project_command``) or its ``{a,b}`` list is "Befehl"."""
    name = name.strip()
    if name == "command" or name.startswith("{"):
        return "Befehl"
    if name.endswith("_command"):
        return "Unterbefehl"
    return name


def usage_message(message: str) -> str:
    """argparse's (English) error ``message`` in German; a message that is already German
    (an ``ArgumentTypeError`` of ours) keeps its words."""
    argument = _ARGUMENT.fullmatch(message)
    if argument:
        return f"{_argument_name(argument['name'])}: {usage_message(argument['rest'])}"
    for pattern, german in _USAGE_PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            values = {key: _unquote(value) for key, value in match.groupdict().items()}
            if "names" in values:
                values["names"] = ", ".join(
                    _argument_name(name) for name in values["names"].split(", ")
                )
            return german.format(**values)
    return message


_EXTRAS_OWNER: Final = "nhr_extras_owner"
#: The English words of argparse's help and their German form.
HELP_WORDS: Final = (
    ("usage: ", "Aufruf: "),
    ("\npositional arguments:\n", "\nArgumente:\n"),
    ("\noptions:\n", "\nOptionen:\n"),
    ("show this help message and exit", "diese Hilfe zeigen"),
)


def _german_help(text: str) -> str:
    for english, german in HELP_WORDS:
        text = text.replace(english, german)
    return text


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one German line and exit code 2, and whose
    help is in German words. Sub-parsers (``add_subparsers``) are of this class too."""

    _extras_owner: str | None = None

    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        """As argparse's; remembers which (sub-)command was left with unknown arguments, so
        that the error names ``nhr render``, not ``nhr`` (argparse reports them at the top)."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self._extras_owner = getattr(parsed, _EXTRAS_OWNER, None) or self.prog
            setattr(parsed, _EXTRAS_OWNER, self._extras_owner)
        return parsed, extras

    def format_usage(self) -> str:
        """argparse's usage line, in German words."""
        return _german_help(super().format_usage())

    def format_help(self) -> str:
        """argparse's help, in German words."""
        return _german_help(super().format_help())

    def error(self, message: str) -> NoReturn:
        """Print one German line about wrong usage and exit with 2."""
        prog = self.prog
        if self._extras_owner and message.startswith("unrecognized arguments"):
            prog = self._extras_owner
        self.exit(EXIT_USAGE, USAGE_LINE.format(prog=prog, message=usage_message(message)) + "\n")


# -- failures -----------------------------------------------------------------------------------


def debug() -> bool:
    """Whether ``NHR_DEBUG`` asks for tracebacks (any value but empty, 0, false, no)."""
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def _loaded(module: str) -> Any:
    """The module if it is imported, else None (its exceptions cannot have occurred)."""
    return sys.modules.get(module)


def _masked(url: str | None) -> str:
    """The database URL of the failing command's settings, masked; "?" when there is none (the
    failure came before the settings were read, so no database was opened) or it cannot be
    shown."""
    if url is None:
        return "?"
    try:
        from core.db import safe_url

        return safe_url(url)
    except Exception:  # describing an error must not fail
        return "?"


def _database_problem(exc: BaseException, database_url: str | None) -> str | None:
    """One line for a database failure (naming ``database_url``), or None if ``exc`` is none."""
    db = _loaded("core.db")
    if db is not None and isinstance(exc, db.DatabaseUrlError):
        if exc.driver:
            return DB_NO_DRIVER.format(driver=exc.driver, url=exc.url)
        if exc.dialect:
            return DB_UNKNOWN_DIALECT.format(dialect=exc.dialect, url=exc.url)
        return DB_BAD_URL.format(url=exc.url)
    sa_exc = _loaded("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
        return None
    url = _masked(database_url)
    # The database itself (connection, file), not a statement: OperationalError,
    # InterfaceError, or a plain DatabaseError (SQLite: "file is not a database").
    unusable = (sa_exc.OperationalError, sa_exc.InterfaceError)
    if not (isinstance(exc, unusable) or type(exc) is sa_exc.DatabaseError):
        return DB_FAILED.format(type=type(exc).__name__, url=url) + DETAILS
    said = str(getattr(exc, "orig", "") or "")
    reason = next((r for pattern, r in DB_REASONS if pattern.search(said)), None)
    if reason is None:
        return DB_UNREACHABLE.format(url=url, reason="") + DETAILS
    return DB_UNREACHABLE.format(url=url, reason=f" ({reason})")


def _os_problem(exc: OSError) -> str:
    """One line for a file or network failure, naming the file if known."""
    path = f": {exc.filename}" if exc.filename is not None else ""
    text = OS_PROBLEMS.get(exc.errno or 0)
    if text is not None:
        return text.format(path=path)
    code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return OS_OTHER.format(code=code, path=path) + DETAILS


#: The settings classes (core.config, its ``schedule`` in core.schedule_settings) and their
#: variables' prefix.
_SETTINGS_PREFIX: Final = {"Settings": "", "ScheduleSettings": "SCHEDULE_"}


def _settings_problem(exc: BaseException) -> str | None:
    """One line for settings that do not validate (pydantic), naming the variables."""
    pydantic = _loaded("pydantic")
    if pydantic is None or not isinstance(exc, pydantic.ValidationError):
        return None
    if exc.title not in _SETTINGS_PREFIX:
        return None
    prefix = _SETTINGS_PREFIX[exc.title]
    names = sorted({prefix + str(e["loc"][0]).upper() for e in exc.errors() if e["loc"]})
    return SETTING_INVALID.format(names=", ".join(names) or exc.title)


def _telegram_problem(exc: BaseException) -> str | None:
    """One line for the Bot API refusing or not answering (at the bot's start)."""
    tg = _loaded("telegram.error")
    if tg is None or not isinstance(exc, tg.TelegramError):
        return None
    if isinstance(exc, tg.InvalidToken):
        return TELEGRAM_TOKEN
    if isinstance(exc, tg.NetworkError):
        return TELEGRAM_NETWORK
    return TELEGRAM_FAILED.format(type=type(exc).__name__)


def failure(exc: BaseException, database_url: str | None = None) -> tuple[int, str]:
    """The exit code and the one German line for an exception that ended a command;
    ``database_url`` is that of the command's settings (None: not read yet)."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, INTERRUPTED
    if isinstance(exc, Refused):  # a command's own German reason
        return EXIT_FAILURE, str(exc)
    line = _database_problem(exc, database_url) or _settings_problem(exc) or _telegram_problem(exc)
    if line is not None:
        return EXIT_FAILURE, line
    if isinstance(exc, OSError):
        return EXIT_FAILURE, _os_problem(exc)
    return EXIT_FAILURE, UNEXPECTED.format(type=type(exc).__name__)


class _GivingUp(logging.Filter):
    """Drops python-telegram-bot's log of a retry loop that gives up (with its traceback), as
    at the bot's start with a wrong token or no network: the loop re-raises the error, and
    :func:`run_guarded` says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Aborting" not in record.getMessage()


class _LeftOpen(logging.Filter):
    """Drops asyncio's complaints about HTTP sessions a failed bot start left open (they are
    collected after :func:`run_guarded` has said what failed, as the process ends)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("Unclosed client session", "Unclosed connector"))


_GIVING_UP: Final = _GivingUp()
_LEFT_OPEN: Final = _LeftOpen()
_TELEGRAM_LOGGER: Final = "telegram.ext"


def _unknown_url() -> str | None:
    return None


def run_guarded(
    command: Callable[[], int], database_url: Callable[[], str | None] = _unknown_url
) -> int:
    """Run ``command`` (parse the arguments and run the handler) under the error policy above;
    its exit code, or that of the failure. ``SystemExit`` (argparse's) passes through.
    ``database_url`` gives the URL of the settings the command was handed (for a database
    failure's line), or None if the failure came before they were read."""
    telegram_log = logging.getLogger(_TELEGRAM_LOGGER)
    if not debug():
        telegram_log.addFilter(_GIVING_UP)
    try:
        return _run(command, database_url)
    finally:
        telegram_log.removeFilter(_GIVING_UP)


def _run(command: Callable[[], int], database_url: Callable[[], str | None]) -> int:
    try:
        return command()
    except BrokenPipeError:
        discard(sys.stdout)
        return EXIT_CLOSED_PIPE
    except (Exception, KeyboardInterrupt) as exc:
        if debug():
            traceback.print_exception(exc, file=sys.stderr)
        elif _telegram_problem(exc) is not None:  # the bot did not start; the process ends
            logging.getLogger("asyncio").addFilter(_LEFT_OPEN)
        code, line = failure(exc, database_url())
        _err(line)
        return code


__all__ = [
    "EXIT_CLOSED_PIPE",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "Parser",
    "debug",
    "failure",
    "run_guarded",
    "usage_message",
]
