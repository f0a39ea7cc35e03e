"""``nhr site``: write an edition as a static website.

:func:`register` adds the sub-command to the ``nhr`` parser; the handler takes the parsed
arguments and the shared :class:`nhr.cli.App`.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from nhr import texts
from nhr.console import cutoff_arg
from nhr.console import err as _err
from nhr.console import say as _say

if TYPE_CHECKING:
    from nhr.console import AppLike

SubParsers = argparse._SubParsersAction  # argparse has no public name for it

DEFAULT_OUT = "site"


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``site`` to the ``nhr`` command line."""
    site = subparsers.add_parser("site", help=texts.HELP_SITE)
    site.add_argument("--edition", type=cutoff_arg, help=texts.HELP_SITE_EDITION)
    site.add_argument(
        "--out", default=DEFAULT_OUT, help=texts.HELP_SITE_OUT.format(out=DEFAULT_OUT)
    )
    site.add_argument(
        "--draft",
        action="store_true",
        help=texts.HELP_SITE_DRAFT,
    )
    site.add_argument(
        "--no-documents",
        action="store_true",
        help=texts.HELP_SITE_NO_DOCUMENTS,
    )
    site.set_defaults(handler=cmd_site)


def cmd_site(args: argparse.Namespace, app: AppLike) -> int:
    """Write the website; a clear German message and exit code 2 when that is not possible."""
    cutoff: date | None = args.edition
    from core.db import unit_of_work
    from core.editions import collecting_cutoff
    from core.site.build import SiteError, build_site
    from nhr import clock

    out = Path(args.out)
    began = time.perf_counter()
    app.upgrade()

    def rendered(path: Path) -> None:
        _say(texts.SITE_RENDERED.format(path=path))

    try:
        with unit_of_work(app.sessions) as session:
            collecting = (
                collecting_cutoff(session, clock.now().astimezone(app.settings.tz).date())
                if args.draft and cutoff is None
                else None
            )
            result = build_site(
                session,
                out,
                app.settings.publisher,
                cutoff=cutoff,
                draft=args.draft,
                collecting=collecting,
                documents=not args.no_documents,
                font_paths=app.settings.font_paths,
                on_document=rendered,
                open_data=app.settings.open_data,
            )
    except SiteError as problem:
        _err(str(problem))
        return 2
    seconds = time.perf_counter() - began
    _say(
        texts.SITE_WRITTEN.format(
            path=result.out.resolve(), pages=result.pages, seconds=f"{seconds:.1f}"
        )
    )
    _say(texts.SITE_THIS_EDITION.format(path=result.start.resolve()))
    if result.at_top:
        _say(texts.SITE_START_PAGE.format(path=(result.out / "index.html").resolve()))
    if result.removed:
        _say(texts.SITE_REMOVED.format(count=len(result.removed)))
    return 0
