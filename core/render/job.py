"""Rendering an edition in a child process, so that a long-running program stays responsive.

Typst and the DOCX writer hold the interpreter for a second or more; in the bot's process they would
stall every other update (threads share one interpreter lock). :class:`RenderProcesses` starts
``python -m core.render.job`` for each render, at most ``limit`` at once and at a lower CPU
priority; the child opens its own database engine from the URL (given in the environment, not
on the command line), assembles the edition and writes the files into a temporary directory.
What the renderers need of the settings (publisher, fonts: :class:`core.config.RenderOptions`)
the parent hands to the child as JSON in the environment too: the child reads no settings.

A child that fails (exit code, a timeout) or is killed raises :class:`RenderFailed` in the
parent; nothing else is affected. Used by the bot (/entwurf, /aenderungen) and the scheduler
(the draft at the cutoff).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from core.config import Publisher, RenderOptions

log = logging.getLogger(__name__)

#: The environment variable that hands the database URL to the child.
URL_VARIABLE = "NHR_RENDER_DATABASE_URL"
#: The environment variable that hands the render options (JSON) to the child.
OPTIONS_VARIABLE = "NHR_RENDER_OPTIONS"
#: Renders at once (each a process of a few hundred MB).
DEFAULT_LIMIT = 2
#: A render taking longer than this is killed.
DEFAULT_TIMEOUT = 600.0
#: The children's niceness: drafts are background work, the bot's answers come first (19,
#: the lowest priority: a draft gets about 1/70 of a core the bot wants).
DEFAULT_NICE = 19


@dataclass(frozen=True)
class RenderJob:
    """What to render: the edition at ``cutoff`` (approved changes only), in ``formats``."""

    cutoff: date
    formats: tuple[str, ...]
    show_changes: bool = False


@dataclass(frozen=True)
class Document:
    """A rendered file: its name and content."""

    filename: str
    content: bytes


class RenderFailed(Exception):
    """The child did not deliver: it failed, timed out or was killed (``killed``)."""

    def __init__(self, reason: str, *, killed: bool = False) -> None:
        super().__init__(reason)
        self.killed = killed


def engine_url(engine: Engine) -> str:
    """The URL that opens the same database in another process (password included)."""
    return engine.url.render_as_string(hide_password=False)


def options_json(options: RenderOptions) -> str:
    """``options`` as JSON for the child (paths as strings); read back by :func:`options_of`."""
    publisher: dict[str, Any] = asdict(options.publisher)
    publisher["logo"] = None if options.publisher.logo is None else str(options.publisher.logo)
    fonts = None if options.font_paths is None else [str(p) for p in options.font_paths]
    return json.dumps({"publisher": publisher, "font_paths": fonts})


def options_of(text: str) -> RenderOptions:
    """The :class:`RenderOptions` of :func:`options_json`."""
    data = json.loads(text)
    publisher = dict(data["publisher"])
    publisher["logo"] = None if publisher["logo"] is None else Path(publisher["logo"])
    fonts = data["font_paths"]
    return RenderOptions(
        publisher=Publisher(**publisher),
        font_paths=None if fonts is None else tuple(Path(p) for p in fonts),
    )


class RenderProcesses:
    """Renders in child processes, at most ``limit`` at once; the others wait their turn.

    ``running`` maps the pid of each child at work to its job. ``options`` (publisher, fonts)
    come from the caller's settings (``Settings.render_options``); without them the settings'
    defaults (tests).
    """

    def __init__(
        self,
        database_url: str,
        *,
        options: RenderOptions | None = None,
        limit: int = DEFAULT_LIMIT,
        timeout: float = DEFAULT_TIMEOUT,
        nice: int = DEFAULT_NICE,
        python: str = sys.executable,
    ) -> None:
        self.database_url = database_url
        self.options = options or RenderOptions()
        self.timeout = timeout
        self.nice = nice
        self.python = python
        self.running: dict[int, RenderJob] = {}
        self._slots = asyncio.Semaphore(max(1, limit))

    async def render(self, job: RenderJob) -> list[Document]:
        """The job's files, in the order of ``job.formats``; :class:`RenderFailed` if not."""
        async with self._slots:
            with tempfile.TemporaryDirectory(prefix="nhr-render-") as out:
                names = await self._run(job, Path(out))
                return [Document(name, (Path(out) / name).read_bytes()) for name in names]

    async def _run(self, job: RenderJob, out: Path) -> list[str]:
        arguments = [
            "-m",
            "core.render.job",
            "--cutoff",
            job.cutoff.isoformat(),
            "--out",
            str(out),
            "--nice",
            str(self.nice),
            *(f"--format={fmt}" for fmt in job.formats),
            *(["--changes"] if job.show_changes else []),
        ]
        child = await asyncio.create_subprocess_exec(
            self.python,
            *arguments,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={
                **os.environ,
                URL_VARIABLE: self.database_url,
                OPTIONS_VARIABLE: options_json(self.options),
            },
        )
        self.running[child.pid] = job
        try:
            stdout, stderr = await asyncio.wait_for(child.communicate(), self.timeout)
        except TimeoutError:
            raise RenderFailed(f"render {job} took longer than {self.timeout:g} s") from None
        finally:
            del self.running[child.pid]
            if child.returncode is None:  # timed out or cancelled: the child goes too
                child.kill()
                await child.wait()
        code = child.returncode
        assert code is not None  # communicate() returned: the child has exited
        if code < 0:
            name = signal.Signals(-code).name
            log.error("render %s: the child process %s was killed (%s)", job, child.pid, name)
            raise RenderFailed(f"render {job} killed by {name}", killed=True)
        if code != 0:
            tail = stderr.decode(errors="replace").strip().splitlines()[-5:]
            log.error("render %s failed (exit %s): %s", job, code, " | ".join(tail))
            raise RenderFailed(f"render {job} failed with exit code {code}")
        names: list[str] = json.loads(stdout)
        return names


# -- the child ------------------------------------------------------------------------------------


def render_job(
    database_url: str, job: RenderJob, out: Path, options: RenderOptions | None = None
) -> list[Path]:
    """Assemble the edition from the database at ``database_url`` and write its files with
    ``options`` (the parent's; else the settings' defaults)."""
    from core.db import make_engine, make_session_factory, unit_of_work
    from core.documents import render_documents
    from core.frozen import edition_view

    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            edition = edition_view(session, job.cutoff, show_changes=job.show_changes)
    finally:
        engine.dispose()
    return render_documents(edition, out, job.formats, options=options or RenderOptions())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m core.render.job --cutoff D --format F… [--changes] --out DIR [--nice N]``:
    print the names of the written files as a JSON list. The database URL and the render
    options (JSON) are read from the environment (:data:`URL_VARIABLE`,
    :data:`OPTIONS_VARIABLE`)."""
    parser = argparse.ArgumentParser(prog="python -m core.render.job")
    parser.add_argument("--cutoff", required=True, type=date.fromisoformat)
    parser.add_argument("--format", action="append", required=True, dest="formats")
    parser.add_argument("--changes", action="store_true")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--nice", type=int, default=0)
    args = parser.parse_args(argv)
    if args.nice:
        os.nice(args.nice)
    database_url = os.environ.get(URL_VARIABLE)
    if not database_url:
        parser.error(f"{URL_VARIABLE} is not set")
    options = os.environ.get(OPTIONS_VARIABLE)
    if not options:
        parser.error(f"{OPTIONS_VARIABLE} is not set")
    job = RenderJob(args.cutoff, tuple(args.formats), args.changes)
    paths = render_job(database_url, job, args.out, options_of(options))
    print(json.dumps([path.name for path in paths]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
