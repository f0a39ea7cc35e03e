"""Benchmark: contacts updating their projects concurrently through the fake Bot API.

Each simulated contact opens the overview, then for every project enters a completed
milestone (date and text), looks at the summary and submits, except the last project, which
gets "Keine Änderungen" (27 updates per contact); each hand-in also goes to a coordinator as a
review message, as in production. All contacts act at the same time, without
pauses, against one bot process, as in production: the bot runs in its own process (this
script with ``--serve``) and long-polls the fake server over loopback HTTP; the fake server and
the simulated users run in this process. On SQLite (a temporary file) and on PostgreSQL (a
temporary schema).

Reported per backend (p50/p99 in ms):

- processing: from the moment the bot starts an update until its reply is sent (gate,
  transaction, rendering, the Bot API calls);
- transaction: the unit of work alone (``run_turn``);
- reply: putting the answer into the chat (PTB, HTTP and the fake server);
- user rtt: action -> screen as the user sees it (adds queueing and long polling);
- updates per second over the whole run, and the bot process's CPU time per update.

``--concurrency`` sets how many updates the bot handles at once (1: strictly one after the
other, so an update's processing time is its own work; the default overlaps Bot API round
trips, which pays off with ``--latency 50``, a Telegram-like round trip).

``--renders N`` adds N coordinators who ask for /entwurf again and again while the contacts work
(each waits for its PDF and DOCX, then asks anew), and runs every backend twice, without and
with those renders (the N coordinators are there in both runs and get the review messages):
the rows "+N renders" show what drafts being rendered cost the other users. Their own /entwurf
updates are left out of the figures.

``--ref REF`` runs the same benchmark against the code of the git commit REF as well (its tree
is exported to a temporary directory; the bot process imports the code from there), back to
back with the working tree, ``--repeat`` times each: the rows say which code they ran. Each
row's database is migrated and seeded by that row's code, so REF runs on its own schema.
``--ref-python`` is the interpreter for REF's bot process (a venv installed from REF's
pyproject.toml, so that its dependencies are REF's as well); default: this one.
``--profile FILE`` writes cProfile statistics of the (working tree's) bot process to FILE.

Run: ``python bench/bench_bot.py [--contacts 50] [--projects 5] [--backends sqlite,postgresql]
[--concurrency N] [--latency MS] [--renders N] [--ref REF [--ref-python PY]] [--repeat N]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import cProfile
import io
import json
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: Where the bot's code comes from: this working tree, or (``--code DIR``, the bot process of a
#: ``--ref`` run) an exported commit.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else REPO
sys.path[:0] = [str(CODE), str(REPO / "tests")]

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402
from support.bot_seed import FakeClock, add_contact, seed_many  # noqa: E402
from support.fake_bot_api import FakeBotApi, FakeUser  # noqa: E402

try:  # the bot's packages (issue 17); a --ref from before them has the flat modules
    from bot.common import sending as bot_sending
    from bot.contact import handlers as bot_handlers
except ImportError:
    import bot.handlers as bot_handlers  # type: ignore[no-redef]
    import bot.sending as bot_sending  # type: ignore[no-redef]
from bot import texts  # noqa: E402
from bot.app import (  # noqa: E402
    ALLOWED_UPDATES,
    MAX_CONCURRENT_UPDATES,
    PerUserUpdateProcessor,
    build_application,
)
from core.config import Settings  # noqa: E402
from core.db import make_engine, make_session_factory  # noqa: E402
from core.models import Role  # noqa: E402
from migrations import upgrade  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COORDINATOR = 10_001
RENDERERS = 90_001  # the first of the --renders coordinators (contacts: 20_000 + n)
STARTUP_SECONDS = 60.0
RENDER_SECONDS = 600.0
#: The user whose update the bot process is handling (to leave the renderers' out).
_CURRENT_USER: contextvars.ContextVar[int] = contextvars.ContextVar("user", default=0)
_CURRENT_KIND: contextvars.ContextVar[str] = contextvars.ContextVar("kind", default="")


@dataclass
class Timings:
    """Samples in milliseconds."""

    processing: list[float] = field(default_factory=list)
    transaction: list[float] = field(default_factory=list)
    reply: list[float] = field(default_factory=list)
    round_trip: list[float] = field(default_factory=list)
    wall: float = 0.0
    bot_cpu: float = 0.0
    renders: int = 0


def pct(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@contextmanager
def database(backend: str) -> Iterator[str]:
    """The URL of a fresh, empty database: a temp SQLite file or a temp PostgreSQL schema. It
    is migrated and seeded by :func:`prepare`, with the code of the variant being measured."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(args: argparse.Namespace) -> int:
    """Migrate and seed the database (``--prepare``, run with the measured code: a ``--ref``
    commit brings its own schema); print the contacts' Telegram ids as JSON."""
    engine = make_engine(args.database_url)
    upgrade(engine)
    sessions: sessionmaker[Session] = make_session_factory(engine)
    with sessions.begin() as session:
        user_ids = seed_many(session, contacts=args.contacts, per_contact=args.projects)
        add_contact(
            session, "Koordination", [], telegram_user_id=COORDINATOR, role=Role.COORDINATOR
        )
        for n in range(args.coordinators):
            add_contact(
                session, f"Entwurf {n}", [], telegram_user_id=RENDERERS + n, role=Role.COORDINATOR
            )
    engine.dispose()
    print(json.dumps(user_ids))
    return 0


# -- the bot process -----------------------------------------------------------------------------


def _timed(samples: list[float], function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (sync or async), recording each call's duration in ms into ``samples``."""
    if asyncio.iscoroutinefunction(function):

        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                samples.append((time.perf_counter() - started) * 1000)

        return timed_async

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            samples.append((time.perf_counter() - started) * 1000)

    return timed


def serve(args: argparse.Namespace) -> int:
    """The bot process: poll until SIGTERM, then write the timing samples as JSON.

    Besides the processing time per update (the update processor's hook), it times the
    transaction (``run_turn``) and the reply (``show``/``deliver``: PTB, HTTP and the fake
    server).
    """
    logging.basicConfig(level=logging.WARNING)
    if not Path(bot_handlers.__file__).is_relative_to(CODE):
        raise RuntimeError(f"the bot code comes from {bot_handlers.__file__}, not from {CODE}")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=args.database_url,
        telegram_bot_token=args.token,
        telegram_api_base_url=args.api,
    )
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    samples: dict[str, list[float]] = {"processing": [], "transaction": [], "reply": []}
    statements = _count_statements(engine) if os.environ.get("BENCH_SQL_COUNTS") else None
    turns: dict[str, list[float]] = {}
    timed_turn = _timed(samples["transaction"], bot_handlers.run_turn)

    def run_turn(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return timed_turn(*args, **kwargs)
        finally:
            kind = _CURRENT_KIND.get()
            turns.setdefault(kind, []).append((time.perf_counter() - started) * 1000)

    bot_handlers.run_turn = run_turn
    # The reply: ``show`` where the handlers call it (and ``deliver`` through it), else
    # ``deliver`` (code before issue 18).
    replying = "show" if hasattr(bot_sending, "show") else "deliver"
    setattr(bot_sending, replying, _timed(samples["reply"], getattr(bot_sending, replying)))
    original = PerUserUpdateProcessor.do_process_update

    async def do_process_update(self: Any, update: object, coroutine: Any) -> None:
        user = getattr(update, "effective_user", None)
        _CURRENT_USER.set(user.id if user is not None else 0)
        _CURRENT_KIND.set(_kind(update))
        await original(self, update, coroutine)

    PerUserUpdateProcessor.do_process_update = do_process_update  # type: ignore[method-assign]

    kinds: dict[str, list[float]] = {}

    def processed(seconds: float) -> None:
        if _CURRENT_USER.get() < RENDERERS:  # a renderer's /entwurf waits for its files
            samples["processing"].append(seconds * 1000)
            kinds.setdefault(_CURRENT_KIND.get(), []).append(seconds * 1000)

    application = build_application(
        settings,
        sessions,
        FakeClock(),
        max_concurrent_updates=args.concurrency,
        on_processed=processed,
    )
    started_cpu = time.process_time()

    async def polling_started(_application: Any) -> None:  # CPU from here on: updates only
        nonlocal started_cpu
        started_cpu = time.process_time()

    application.post_init = _then(application.post_init, polling_started)
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not wall
    if profiler is not None:
        profiler.enable()
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES, stop_signals=(signal.SIGTERM, signal.SIGINT)
    )
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    samples["cpu"] = [time.process_time() - started_cpu]
    Path(args.samples).write_text(json.dumps(samples))
    if statements is not None:
        _write_statement_counts(statements, len(samples["processing"]))
    if os.environ.get("BENCH_KINDS"):
        with open(os.environ["BENCH_KINDS"], "a") as out:
            for kind, times in sorted(kinds.items()):
                turn = turns.get(kind) or [0.0]
                out.write(
                    f"{kind:<12} {len(times):5d} p50 {statistics.median(times):6.1f} "
                    f"p99 {pct(times, 99):6.1f} max {max(times):6.1f}; "
                    f"transaction p50 {statistics.median(turn):5.1f} p99 {pct(turn, 99):5.1f}\n"
                )
            out.write("\n")
    return 0


def _kind(update: object) -> str:
    """What an update is, for ``BENCH_KINDS=FILE``: a button's action, a command or text."""
    query = getattr(update, "callback_query", None)
    if query is not None:
        parts = str(query.data or "").split(":")
        return parts[2] if len(parts) > 2 else "button"
    message = getattr(update, "message", None)
    text = str(getattr(message, "text", "") or "")
    return text.split()[0] if text.startswith("/") else "text"


def _count_statements(engine: Any) -> dict[str, int]:
    """Counts the statements the bot process sends, by kind (``BENCH_SQL_COUNTS=FILE``)."""
    from sqlalchemy import event

    counts: dict[str, int] = {}

    def before(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        words = statement.split()
        verb = words[0].upper() if words else ""
        table = ""
        key = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
        if key is not None and key in words:
            table = words[words.index(key) + 1]
        kind = f"{verb} {table}".strip()
        if os.environ.get("BENCH_SQL_TEXT"):
            kind = " ".join(words)[:400]
        counts[kind] = counts.get(kind, 0) + 1

    event.listen(engine, "before_cursor_execute", before)
    return counts


def _write_statement_counts(counts: dict[str, int], updates: int) -> None:
    lines = [f"updates {updates} statements {sum(counts.values())}"]
    per = max(updates, 1)
    for kind, n in sorted(counts.items(), key=lambda item: -item[1]):
        lines.append(f"{n / per:7.2f} {n:7d} {kind}")
    with open(os.environ["BENCH_SQL_COUNTS"], "a") as out:
        out.write("\n".join(lines) + "\n\n")


def _write_api_counts(api: FakeBotApi, coordinator: int, label: str) -> None:
    """Appends the Bot API calls of a run by method, the coordinator's apart, to the file
    ``BENCH_API_COUNTS`` names."""
    counts: dict[str, int] = {}
    for call in api.sent_log:
        whose = "coordinator" if call.chat_id == coordinator else "contacts"
        key = f"{call.method} ({whose})"
        counts[key] = counts.get(key, 0) + 1
    lines = [label] + [f"{n:7d} {key}" for key, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    with open(os.environ["BENCH_API_COUNTS"], "a") as out:
        out.write("\n".join(lines) + "\n\n")


def _then(first: Any, second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    async def both(application: Any) -> None:
        if first is not None:
            await first(application)
        await second(application)

    return both


def has_keyboard(message: Any) -> bool:
    """Whether the message shows inline buttons (every screen of the conversation does); here,
    not imported from the tests' harness, which imports the bot of this tree, not --code's."""
    return bool((message.reply_markup or {}).get("inline_keyboard"))


# -- the simulated contacts ----------------------------------------------------------------------


class Contact:
    """One simulated contact working through the conversation."""

    def __init__(self, user: FakeUser, timings: Timings) -> None:
        self.user = user
        self.timings = timings

    async def _screen(self, started: float, expect: str) -> None:
        message = await self.user.wait_for_message(has_keyboard, timeout=60)
        self.timings.round_trip.append((time.perf_counter() - started) * 1000)
        if expect not in message.text:
            raise AssertionError(f"expected {expect!r}, got {message.text[:200]!r}")

    async def say(self, text: str, expect: str) -> None:
        started = time.perf_counter()
        await self.user.send(text)
        await self._screen(started, expect)

    async def tap(self, label: str, expect: str) -> None:
        started = time.perf_counter()
        for message in reversed(self.user.current_messages):
            if label in [t for t, _ in self.user.buttons(message)]:
                await self.user.press_button(message, label)
                break
        else:
            raise AssertionError(f"no button {label!r}")
        await self._screen(started, expect)

    async def work(self, projects: int) -> None:
        """Overview, then every project: a milestone and submit; the last one unchanged."""
        await self.say("/projekte", "Ihre Projekte")
        await self.tap(texts.BTN_START, "Projekt 1 von")
        for n in range(1, projects):
            await self.tap(texts.BTN_EDIT, "Was möchten Sie ändern?")
            await self.tap(texts.BTN_DONE, "Wann wurde")
            await self.say("Mitte 2024", "Verstanden als Mitte 2024.")
            await self.say(f"Meilenstein {n} erreicht", "Gespeichert:")
            await self.tap(texts.BTN_SUMMARY, "Zusammenfassung")
            await self.tap(texts.BTN_SUBMIT, f"Projekt {n + 1} von")
        await self.tap(texts.BTN_NO_CHANGES, "Alle Ihre Projekte sind gemeldet.")


async def render_drafts(user: FakeUser, done: asyncio.Event, timings: Timings) -> None:
    """/entwurf, wait for the PDF and DOCX (or the failure notice), again, until ``done``."""
    while not done.is_set():
        before, notices = len(user.documents), len(user.messages)
        await user.send("/entwurf")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RENDER_SECONDS
        while len(user.documents) < before + 2:
            failed = [m for m in user.current_messages[notices:] if "nicht" in m.text]
            if failed:
                raise AssertionError(f"the draft failed: {failed[0].text!r}")
            if loop.time() > deadline:
                raise AssertionError("no draft in time")
            await asyncio.sleep(0.1)
        timings.renders += 1


def hand_ins(coordinator: FakeUser) -> int:
    """The hand-ins the coordinator's chat shows: a review message is one; a round's list of a
    contact's hand-ins says how many it lists."""
    # "12 Meldungen, zuletzt …" (issue 18); built here: a --ref bot process's texts lack it
    several = re.escape(texts.DIGEST_COUNT[1]).replace(re.escape("{count}"), r"(\d+)")
    count = re.compile(several.split(r"\{")[0])
    total = 0
    for message in coordinator.current_messages:
        listed = count.search(message.text)
        total += int(listed.group(1)) if listed else 1
    return total


@dataclass(frozen=True)
class Variant:
    """What one row runs: the code (``None``: this working tree) and drafts being rendered."""

    ref: str | None = None
    code: Path | None = None
    python: str = sys.executable
    renders: int = 0

    def label(self, backend: str) -> str:
        name = backend + (f" +{self.renders} renders" if self.renders else "")
        return f"{name} @{self.ref}" if self.ref else name


async def run_backend(
    backend: str,
    contacts: int,
    projects: int,
    concurrency: int,
    latency: float,
    variant: Variant = Variant(),
    coordinators: int = 0,
    profile: str | None = None,
) -> Timings:
    """One run: seed, start the bot process, let every contact work at once."""
    timings = Timings()
    with database(backend) as url, tempfile.TemporaryDirectory() as tmp:
        code = ["--code", str(variant.code)] if variant.code else []
        preparing = await asyncio.create_subprocess_exec(
            variant.python,
            __file__,
            "--prepare",
            "--database-url",
            url,
            "--contacts",
            str(contacts),
            "--projects",
            str(projects),
            "--coordinators",
            str(coordinators),
            *code,
            stdout=asyncio.subprocess.PIPE,
        )
        prepared, _ = await preparing.communicate()
        if preparing.returncode:
            raise RuntimeError(f"preparing the database failed ({preparing.returncode})")
        user_ids = json.loads(prepared.decode().strip().splitlines()[-1])
        samples = Path(tmp) / "samples.json"
        profiling = ["--profile", profile] if profile and variant.code is None else []
        async with FakeBotApi(latency=latency) as api:
            process = await asyncio.create_subprocess_exec(
                variant.python,
                __file__,
                "--serve",
                "--database-url",
                url,
                "--token",
                api.token,
                "--api",
                api.base_url,
                "--samples",
                str(samples),
                "--concurrency",
                str(concurrency),
                *code,
                *profiling,
            )
            try:
                loop = asyncio.get_running_loop()
                deadline = loop.time() + STARTUP_SECONDS
                while api.polls_started == 0:
                    if process.returncode is not None or loop.time() > deadline:
                        raise RuntimeError("the bot process did not start")
                    await asyncio.sleep(0.05)
                coordinator = api.user(COORDINATOR, "Koordination")
                workers = [Contact(api.user(uid, f"K{uid}"), timings) for uid in user_ids]
                for n in range(coordinators):  # open their chats: the review messages reach them
                    await api.user(RENDERERS + n, f"E{n}").send("/stand")
                    await api.user(RENDERERS + n, f"E{n}").wait_for_message(timeout=60)
                done = asyncio.Event()
                renderers = [
                    asyncio.create_task(
                        render_drafts(api.user(RENDERERS + n, f"E{n}"), done, timings)
                    )
                    for n in range(variant.renders)
                ]
                if renderers:  # the contacts start once every draft is being rendered
                    await asyncio.sleep(1.0)
                started = time.perf_counter()
                await asyncio.gather(*(w.work(projects) for w in workers))
                timings.wall = time.perf_counter() - started
                done.set()
                await asyncio.gather(*renderers)
                deadline = loop.time() + 60  # every hand-in reaches the coordinator
                while hand_ins(coordinator) < contacts * projects:
                    if loop.time() > deadline:
                        raise AssertionError("the coordinator did not get every review message")
                    await asyncio.sleep(0.05)
                process.terminate()
                await process.wait()
                if os.environ.get("BENCH_API_COUNTS"):
                    _write_api_counts(api, COORDINATOR, variant.label(backend))
            finally:
                if process.returncode is None:  # failed midway: the bot process goes too
                    process.kill()
                    await process.wait()
        measured = json.loads(samples.read_text())
        timings.processing = measured["processing"]
        timings.transaction = measured["transaction"]
        timings.reply = measured["reply"]
        timings.bot_cpu = measured["cpu"][0]
    return timings


def report(rows: list[tuple[str, Timings]], contacts: int, concurrency: int, latency: float) -> str:
    """The result table: p50/p99 in ms."""
    lines = [
        f"{contacts} contacts at once, bot concurrency {concurrency}, "
        f"Bot API latency {latency:g} ms; p50/p99 in ms",
        f"{'backend':<11} {'updates':>7} {'upd/s':>6} {'processing':>12} {'transaction':>12} "
        f"{'reply':>12} {'user rtt':>12} {'bot cpu/upd':>11} {'drafts':>6}",
    ]

    def both(samples: list[float]) -> str:
        return f"{statistics.median(samples):5.1f}/{pct(samples, 99):5.1f}"

    width = max([11] + [len(name) for name, _ in rows])
    lines[1] = f"{'backend':<{width}}" + lines[1][len("backend") + 4 :]
    for name, t in rows:
        n = len(t.processing)
        lines.append(
            f"{name:<{width}} {n:>7} {n / t.wall:>6.0f} {both(t.processing):>12} "
            f"{both(t.transaction):>12} {both(t.reply):>12} {both(t.round_trip):>12} "
            f"{1000 * t.bot_cpu / n:>9.1f}ms {t.renders:>6}"
        )
    return "\n".join(lines)


def summary(rows: list[tuple[str, Timings]], ref: str | None) -> str:
    """Per row label over all its rounds: the mean CPU per update and the p99 of processing
    and of the reply over the pooled samples (less noisy than one round's), and, with
    ``--ref``, this tree's figures as a ratio of REF's."""
    pooled: dict[str, list[Timings]] = {}
    for name, t in rows:
        pooled.setdefault(name, []).append(t)
    figures: dict[str, tuple[float, float, float]] = {}
    lines = [
        f"over {len(next(iter(pooled.values())))} round(s): mean bot cpu/upd, pooled p99 in ms",
        f"{'row':<28} {'cpu/upd':>8} {'p99 processing':>15} {'p99 reply':>10}",
    ]
    for name, runs in pooled.items():
        cpu = statistics.mean(1000 * t.bot_cpu / len(t.processing) for t in runs)
        processing = pct([x for t in runs for x in t.processing], 99)
        reply = pct([x for t in runs for x in t.reply], 99)
        figures[name] = (cpu, processing, reply)
        lines.append(f"{name:<28} {cpu:>6.2f}ms {processing:>15.1f} {reply:>10.1f}")
    if ref:
        for name, (cpu, processing, reply) in figures.items():
            before = figures.get(f"{name} @{ref}")
            if before is not None:
                lines.append(
                    f"{name} / @{ref}: cpu/upd {cpu / before[0]:.2f}, p99 processing "
                    f"{processing / before[1]:.2f}, p99 reply {reply / before[2]:.2f}"
                )
    return "\n".join(lines)


@contextmanager
def exported(ref: str) -> Iterator[Path]:
    """The tree of commit ``ref`` in a temporary directory (``git archive``, no worktree)."""
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
        tree = subprocess.run(
            ["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(tree)) as archive:
            archive.extractall(tmp, filter="data")
        yield Path(tmp)


def main() -> int:
    """Run the benchmark and print the table (or, with ``--serve``, be the bot process)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=50)
    parser.add_argument("--projects", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=MAX_CONCURRENT_UPDATES,
        help="updates the bot processes at the same time",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="Bot API round trip to simulate, in ms (Telegram: about 50)",
    )
    parser.add_argument(
        "--renders",
        type=int,
        default=0,
        help="coordinators rendering /entwurf all the time (extra rows)",
    )
    parser.add_argument("--ref", help="also run the code of this git commit, back to back")
    parser.add_argument(
        "--ref-python",
        default=sys.executable,
        help="the interpreter (venv) for the --ref bot process",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every row")
    parser.add_argument(
        "--profile", metavar="FILE", help="write cProfile statistics of the bot process to FILE"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--coordinators", type=int, default=0, help=argparse.SUPPRESS)
    for option in ("--database-url", "--token", "--api", "--samples", "--code"):
        parser.add_argument(option, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args)
    if args.prepare:
        return prepare(args)
    logging.basicConfig(level=logging.WARNING)
    profile = str(Path(args.profile).resolve()) if args.profile else None
    with contextlib.ExitStack() as stack:
        codes: list[Variant] = [Variant()]
        if args.ref:
            commit = subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", args.ref],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            codes.insert(
                0, Variant(commit, stack.enter_context(exported(args.ref)), args.ref_python)
            )
        variants = [
            Variant(c.ref, c.code, c.python, renders)
            for c in codes
            for renders in ([0, args.renders] if args.renders else [0])
        ]
        rows = []
        for round_ in range(args.repeat):
            for backend in args.backends.split(","):
                for variant in variants:
                    timings = asyncio.run(
                        run_backend(
                            backend,
                            args.contacts,
                            args.projects,
                            args.concurrency,
                            args.latency / 1000,
                            variant,
                            args.renders,
                            profile,
                        )
                    )
                    rows.append((variant.label(backend), timings))
                    print(
                        f"round {round_ + 1}: {variant.label(backend)} done "
                        f"(load {os.getloadavg()[0]:.2f})",
                        file=sys.stderr,
                    )
    print(f"load average before the report: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(report(rows, args.contacts, args.concurrency, args.latency))
    if args.repeat > 1 or args.ref:
        print(summary(rows, codes[0].ref if args.ref else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
