"""The ``nhr`` command line: the composition root that wires settings, database and services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from nhr import texts
from nhr.console import cutoff_arg
from nhr.console import err as _err
from nhr.console import say as _say
from nhr.console import write as _write
from nhr.errors import Parser, run_guarded

# Only the standard library at import time: `nhr --help` must start in a fraction of a second.
# SQLAlchemy, pydantic, Babel and the renderers are imported inside the commands that use them.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Settings

Handler = Callable[[argparse.Namespace, "App"], int]


class App:
    """Lazily built infrastructure shared by the commands."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from core.db import make_engine

            self._engine = make_engine(self.settings.database_url)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        from core.db import make_session_factory

        return make_session_factory(self.engine)

    def upgrade(self, *, force: bool = False) -> None:
        """Bring the schema to the program's revision; with ``AUTO_MIGRATE=false`` (and not
        ``force``, as ``nhr db upgrade`` does) refuse instead when it is behind."""
        if not (force or self.settings.auto_migrate):
            from nhr.cli_doctor import require_current_schema

            require_current_schema(self.engine)
            return
        from migrations import upgrade

        upgrade(self.engine)


# -- commands -------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace, app: App) -> int:
    app.upgrade(force=True)
    from migrations import current_revision

    _say(texts.DB_AT.format(revision=current_revision(app.engine)))
    return 0


def cmd_import(args: argparse.Namespace, app: App) -> int:
    # Takes its restore point itself, once the file has passed its checks (nhr.cli_import).
    from nhr.cli_import import cmd_import as run_import

    return run_import(args, app)


def _shown_cutoff(args: argparse.Namespace, app: App, session: Session) -> date | None:
    """The edition ``render``/``export`` show (core.editions.edition_to_show); None after a
    German line on stderr."""
    from core.editions import EditionError, edition_to_show
    from nhr import clock

    today = clock.now().astimezone(app.settings.tz).date()
    try:
        return edition_to_show(session, args.edition, draft=args.draft, today=today)
    except EditionError as err:
        _err(str(err))
        return None


def cmd_export(args: argparse.Namespace, app: App) -> int:
    from core.db import unit_of_work
    from core.frozen import edition_view

    if args.format == "schema":
        from core.opendata.files import schema_text

        return _write_export(args.out, schema_text())
    if args.format == "xlsx" and not args.out:
        _err(texts.XLSX_NEEDS_OUT)
        return 2
    app.upgrade()
    with unit_of_work(app.sessions) as session:
        cutoff = _shown_cutoff(args, app, session)
        if cutoff is None:
            return 2
        edition = edition_view(session, cutoff)
    publisher, open_data = app.settings.publisher, app.settings.open_data
    if args.format == "json":
        from core.opendata.files import json_text

        return _write_export(args.out, json_text(edition, publisher, open_data))
    if args.format == "xlsx":
        from core.opendata.xlsx import edition_xlsx

        return _write_export(args.out, edition_xlsx(edition, publisher, open_data.license))
    from core.export import CSV_ENCODING, project_list_csv

    return _write_export(args.out, project_list_csv(edition), encoding=CSV_ENCODING)


def _write_export(out: str | None, data: str | bytes, *, encoding: str = "utf-8") -> int:
    """Write an export to the file ``out`` (text in ``encoding``) or to standard output. A file
    that cannot be written is a failure of :mod:`nhr.errors` (one line, exit code 1)."""
    if out is None:
        _write(data if isinstance(data, str) else data.decode())
        return 0
    path = Path(out)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        with path.open("w", encoding=encoding, newline="") as file:
            file.write(data)
    _err(texts.EXPORT_WRITTEN_TO.format(path=out))
    return 0


def cmd_render(args: argparse.Namespace, app: App) -> int:
    from tqdm import tqdm

    from core.db import unit_of_work
    from core.documents import FORMATS, render_documents
    from core.frozen import edition_view

    app.upgrade()
    formats = args.format or list(FORMATS)
    with unit_of_work(app.sessions) as session:
        cutoff = _shown_cutoff(args, app, session)
        if cutoff is None:
            return 2
        edition = edition_view(session, cutoff, show_changes=args.changes)
    out_dir = Path(args.out) if args.out else app.settings.output_dir
    with tqdm(
        total=len(formats), desc=texts.RENDER_PROGRESS, unit="", file=sys.stderr, disable=args.quiet
    ) as bar:

        def advance(_path: Path) -> None:
            bar.update(1)

        paths = render_documents(
            edition, out_dir, formats, options=app.settings.render_options, on_done=advance
        )
    for path in paths:
        _say(texts.WRITTEN.format(path=path))
    return 0


def cmd_demo(args: argparse.Namespace, app: App) -> int:
    from core.dates import format_day
    from core.db import safe_url, unit_of_work
    from core.frozen import edition_view
    from core.importer import demo_edition, import_parsed
    from nhr import clock

    app.upgrade()
    parsed = demo_edition()
    with unit_of_work(app.sessions) as session:
        import_parsed(session, parsed, now=clock.now(), actor="demo")
    with unit_of_work(app.sessions) as session:
        ed = edition_view(session, parsed.cutoff)
    s = ed.stats
    _say(texts.DEMO_DATABASE.format(url=safe_url(app.settings.database_url)))
    _say(
        texts.DEMO_TITLE.format(publisher=app.settings.publisher.name, cutoff=format_day(ed.cutoff))
    )
    _say(texts.DEMO_STATS.format(**s))
    _say(texts.DEMO_ARCHIVE.format(**s))
    from core.documents import render_documents

    out_dir = app.settings.output_dir
    _say(texts.DEMO_RENDERING.format(path=out_dir.resolve()))
    documents = render_documents(
        ed, out_dir, ("html", "docx", "pdf"), options=app.settings.render_options
    )
    for path in documents:
        _say(f"  {path.resolve()}")
    return 0


# -- parser ---------------------------------------------------------------------------------


#: Sub-commands that other modules register, in the order they appear in ``nhr --help``, with
#: their one-line help. A module is imported only when one of its commands runs (or for the full
#: parser); otherwise a bare placeholder stands in so ``nhr --help`` lists it without importing
#: SQLAlchemy. tests/test_cli_startup.py checks that these lines match the modules' own.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "bot": ("nhr.cli_bot", texts.HELP_BOT),
    "contacts": ("nhr.cli_bot", texts.HELP_CONTACTS),
    "project": ("nhr.cli_admin", texts.HELP_PROJECT),
    "department": ("nhr.cli_admin", texts.HELP_DEPARTMENT),
    "audit": ("nhr.cli_admin", texts.HELP_AUDIT),
    "schedule": ("nhr.cli_schedule", texts.HELP_SCHEDULE),
    "run": ("nhr.cli_schedule", texts.HELP_RUN),
    "edition": ("nhr.cli_editions", texts.HELP_EDITION),
    "site": ("nhr.cli_site", texts.HELP_SITE),
    "doctor": ("nhr.cli_doctor", texts.HELP_DOCTOR),
    "health": ("nhr.cli_doctor", texts.HELP_HEALTH),
    "backup": ("nhr.cli_backup", texts.HELP_BACKUP),
    "restore": ("nhr.cli_backup", texts.HELP_RESTORE),
    "undo": ("nhr.cli_backup", texts.HELP_UNDO),
}


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (the top level has no options but ``--help``)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command.

    Given ``argv``, only the module of the command it names is imported (see
    :data:`LAZY_COMMANDS`); without it, every module is (the full parser).
    """
    parser = Parser(prog="nhr", description=texts.HELP_NHR)
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help=texts.HELP_DB)
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help=texts.HELP_DB_UPGRADE).set_defaults(handler=cmd_db_upgrade)

    imp = sub.add_parser("import-report", help=texts.HELP_IMPORT)
    imp.add_argument("path", help=texts.HELP_IMPORT_PATH)
    imp.add_argument("--cutoff", type=cutoff_arg, help=texts.HELP_IMPORT_CUTOFF)
    imp.add_argument("--dry-run", action="store_true", help=texts.HELP_IMPORT_DRY_RUN)
    imp.add_argument(
        "--yes",
        action="store_true",
        help=texts.HELP_IMPORT_YES,
    )
    imp.add_argument("--quiet", action="store_true", help=texts.HELP_QUIET)
    imp.add_argument(
        "--same",
        action="append",
        metavar="ALT=NEU",
        help=texts.HELP_IMPORT_SAME,
    )
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help=texts.HELP_EXPORT)
    exp.add_argument(
        "--format",
        choices=("json", "csv", "xlsx", "schema"),
        default="json",
        help=texts.HELP_EXPORT_FORMAT,
    )
    exp.add_argument(
        "--edition",
        type=cutoff_arg,
        help=texts.HELP_SHOWN_EDITION,
    )
    exp.add_argument(
        "--draft",
        action="store_true",
        help=texts.HELP_SHOWN_DRAFT,
    )
    exp.add_argument("--out", help=texts.HELP_EXPORT_OUT)
    exp.set_defaults(handler=cmd_export)

    ren = sub.add_parser("render", help=texts.HELP_RENDER)
    ren.add_argument(
        "--edition",
        type=cutoff_arg,
        help=texts.HELP_SHOWN_EDITION,
    )
    ren.add_argument(
        "--draft",
        action="store_true",
        help=texts.HELP_SHOWN_DRAFT,
    )
    ren.add_argument(
        "--format",
        action="append",
        choices=("pdf", "docx", "html"),
        help=texts.HELP_RENDER_FORMAT,
    )
    ren.add_argument("--out", help=texts.HELP_RENDER_OUT)
    ren.add_argument("--changes", action="store_true", help=texts.HELP_RENDER_CHANGES)
    ren.add_argument("--quiet", action="store_true", help=texts.HELP_QUIET)
    ren.set_defaults(handler=cmd_render)

    demo = sub.add_parser("demo", help=texts.HELP_DEMO)
    demo.set_defaults(handler=cmd_demo)

    wanted = None if argv is None else _command(argv)
    for name, (module, help_text) in LAZY_COMMANDS.items():
        if argv is None or LAZY_COMMANDS.get(wanted or "", ("", ""))[0] == module:
            if name not in sub.choices:
                import_module(module).register(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nhr`` console script. Every command runs under one error policy
    (:mod:`nhr.errors`): wrong usage is one German line and exit code 2, a failure one German
    line and 1, Ctrl-C 130, never a traceback (unless ``NHR_DEBUG=1``)."""

    apps: list[App] = []  # the App handed to the command, once the settings are read

    def run() -> int:
        args = build_parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
        from core.config import get_settings  # after parsing: `--help` needs no pydantic

        handler: Handler = args.handler
        apps.append(App(get_settings()))
        return handler(args, apps[0])

    def database_url() -> str | None:
        """The database of the command's settings, for a failure's line (None before the
        settings are read: no database was opened then)."""
        return apps[0].settings.database_url if apps else None

    return run_guarded(run, database_url)


if __name__ == "__main__":
    raise SystemExit(main())
