"""Every ``nhr`` command answers a bad date, option, path, database URL or a closed pipe with one
German line and exit code 2 (wrong usage) or 1 (a failure), never a traceback; passwords in
URLs are masked; no CSV cell we write is read as a formula by a spreadsheet.

``run_nhr`` (tests/support/guarded.py) runs ``nhr`` in this process and asserts that nothing
printed "Traceback"; the closed-pipe tests run it as a real process.
"""

from __future__ import annotations

import asyncio
import csv
import errno
import io
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import FakeBotApi
from support.guarded import Run, State, database_url, run_nhr
from support.seeds import SEED_2025, require_seed
from support.snapshots import Build, import_demo

from core.config import get_settings
from core.db import safe_url
from core.models import utcnow
from core.opendata.cells import FORMULA_STARTS, formula_safe
from nhr import cli
from nhr.errors import failure, usage_message

#: ``nhr`` as the console script runs it, for a real process (``python -c … ARGS``).
NHR = "import sys; from nhr.cli import main; sys.exit(main())"
PASSWORD = "geheim"
Snapshot = Callable[[str, Build], None]
HOSTILE = ('=HYPERLINK("https://example.org";"Klick")', "+1", "@SUM(A1:A2)", "-2")


def one_line(run: Run) -> str:
    """The single line on stderr (nothing on stdout)."""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.output
    assert run.out == "", run.output
    return lines[0]


# -- wrong usage: every sub-command ------------------------------------------------------------


def _help(*path: str) -> str:
    run = run_nhr(*path, "--help")
    assert run.code == 0, run.output
    return run.out


def _sub_commands(help_text: str) -> list[str]:
    """The sub-commands a ``--help`` lists (its ``{a,b,…}`` under "Argumente")."""
    positional = help_text.partition("Argumente:")[2].split("\n\n")[0]
    found = re.search(r"^\s+\{([\w,-]+)\}\s*$", positional, re.MULTILINE)
    return found[1].split(",") if found else []


def command_paths() -> Iterator[tuple[str, ...]]:
    """Every command of ``nhr --help``, down to the leaves (``project create``), as argparse
    knows them: a command added later is covered without changing this test."""
    pending: list[tuple[str, ...]] = [()]
    while pending:
        path = pending.pop(0)
        subs = _sub_commands(_help(*path))
        if path:
            yield path
        pending += [(*path, sub) for sub in subs]


def _date_options(help_text: str) -> list[str]:
    """The options whose help asks for a day (``JJJJ-MM-TT``)."""
    options = help_text.partition("Optionen:")[2]
    return re.findall(r"^[ \t]+(--[\w-]+) \S+[ \t]+.*JJJJ-MM-TT", options, re.MULTILINE)


@pytest.fixture
def wide_help(monkeypatch: pytest.MonkeyPatch) -> None:
    """One line per option in ``--help`` (argparse wraps at $COLUMNS)."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.mark.slow
def test_every_command_refuses_an_unknown_option_a_missing_command_and_a_bad_day_in_one_line(
    cli_database: Engine, wide_help: None
) -> None:
    before = State.of(cli_database)
    paths = list(command_paths())
    assert {("render",), ("project", "create"), ("edition", "publish")} <= set(paths)
    seen: list[str] = []
    for path in paths:
        prog = "nhr " + " ".join(path)
        help_text = _help(*path)
        wrong = [[*path, "--kein-solcher-schalter"]]
        if _sub_commands(help_text):
            wrong.append(list(path))
        wrong += [[*path, option, "2025-13-01"] for option in _date_options(help_text)]
        for argv in wrong:
            run = run_nhr(*argv)
            assert run.code == 2, (argv, run.output)
            line = one_line(run)
            assert line.startswith(f"{prog}: Fehler: ") or "2025-13-01" in line, (argv, line)
            assert not re.search(r"\b(error|invalid|argument|required)\b", line), (argv, line)
            seen.append(line)
    assert State.of(cli_database) == before
    assert (
        "nhr render: Fehler: Unbekannte Angabe: --kein-solcher-schalter "
        "(nhr render --help zeigt die Optionen)"
    ) in seen
    assert (
        "nhr project: Fehler: Es fehlt: Unterbefehl (nhr project --help zeigt die Optionen)"
    ) in seen
    assert any(
        line.startswith("nhr export: Fehler: --edition: „2025-13-01“ ist kein Datum")
        for line in seen
    )


def test_argparse_phrases_read_in_german() -> None:
    assert (
        usage_message("argument --format: invalid choice: 'xx' (choose from 'pdf', 'html')")
        == "--format: „xx“ gibt es nicht; möglich: pdf, html"
    )
    assert (
        usage_message("argument command: invalid choice: 'foo' (choose from db, demo)")
        == "Befehl: „foo“ gibt es nicht; möglich: db, demo"
    )
    assert (
        usage_message("the following arguments are required: --field, --goal")
        == "Es fehlt: --field, --goal"
    )
    assert (
        usage_message("argument --days: invalid int value: 'x'")
        == "--days: „x“ ist keine ganze Zahl"
    )
    assert (
        usage_message("argument --edition: expected one argument")
        == "--edition: erwartet einen Wert"
    )


def test_the_help_speaks_german() -> None:
    help_text = _help("render")
    assert help_text.startswith("Aufruf: nhr render [-h]")
    assert "Optionen:" in help_text
    assert "diese Hilfe zeigen" in help_text
    assert not re.search(r"usage|options|show this help", help_text)


def test_a_wrong_value_names_the_option_and_what_is_allowed() -> None:
    run = run_nhr("render", "--format", "xx")
    assert run.code == 2
    assert one_line(run) == (
        "nhr render: Fehler: --format: „xx“ gibt es nicht; möglich: pdf, docx, html "
        "(nhr render --help zeigt die Optionen)"
    )
    run = run_nhr("contacts", "invite", "--name", "A", "--days", "viele")
    assert run.code == 2
    assert one_line(run).startswith("nhr contacts invite: Fehler: --days: „viele“ ")


# -- database URLs ------------------------------------------------------------------------------


BAD_URLS = {
    "unreachable": f"postgresql+psycopg://nhr:{PASSWORD}@127.0.0.1:1/nhr",
    "malformed port": f"postgresql+psycopg://nhr:{PASSWORD}@localhost:kein-port/nhr",
    "unknown database": f"oracle+gibtesnicht://nhr:{PASSWORD}@localhost/nhr",
    "not a URL": f"nhr:{PASSWORD}@localhost",
}


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_an_unusable_database_url_is_one_line_with_the_password_masked(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    for argv in (("project", "list"), ("db", "upgrade"), ("export",), ("demo",)):
        run = run_nhr(*argv)
        assert run.code == 1, (argv, run.output)
        line = one_line(run)
        assert line.startswith(
            ("Datenbank nicht erreichbar: ", "DATABASE_URL ", "Der Datenbanktreiber")
        ), line
        assert PASSWORD not in run.output
        assert "***" in line
        assert not re.search(r"SELECT|\[SQL|parameters", run.output, re.IGNORECASE)
    assert not list(tmp_path.iterdir()), "nothing is written"


def test_a_database_that_is_not_there_is_named_in_german_without_its_password(
    cli_database: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if cli_database.url.get_backend_name() == "postgresql":
        url = cli_database.url.set(password=PASSWORD, database="nhr_gibt_es_nicht")
        missing = url.render_as_string(hide_password=False)
        reason = "(diese Datenbank gibt es nicht)"
    else:
        missing = f"sqlite:///{tmp_path}/kein-ordner/nhr.sqlite3"
        reason = "(Datei lässt sich nicht öffnen)"
    monkeypatch.setenv("DATABASE_URL", missing)
    run = run_nhr("audit")
    assert run.code == 1
    assert one_line(run) == f"Datenbank nicht erreichbar: {safe_url(missing)} {reason}."
    assert PASSWORD not in run.output


def test_nhr_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", BAD_URLS["unreachable"])
    monkeypatch.setenv("NHR_DEBUG", "1")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    get_settings.cache_clear()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["project", "list"])
    assert code == 1
    assert "Traceback" in err.getvalue()
    assert err.getvalue().splitlines()[-1].startswith("Datenbank nicht erreichbar: ")


@pytest.mark.slow
@pytest.mark.parametrize(  # only a server URL has a password
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_the_demo_names_its_database_without_the_password(
    cli_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(database_url(cli_database)).set(password=PASSWORD)  # trust ignores it
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("OUTPUT_DIR", "/dev/full")  # stop before the rendering: a failure
    run = run_nhr("demo")
    assert run.out.startswith("Demo-Datenbank: postgresql+psycopg://")
    assert ":***@" in run.out
    assert PASSWORD not in run.output


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql+psycopg://nhr:geheim@db:5432/nhr", "postgresql+psycopg://nhr:***@db:5432/nhr"),
        ("postgresql://nhr:ge@heim@db/nhr", "postgresql://nhr:***@db/nhr"),
        ("postgresql://nhr@db/nhr?password=geheim", "postgresql://nhr@db/nhr?password=***"),
        ("postgresql://nhr:geheim@db:port/nhr", "postgresql://nhr:***@db:port/nhr"),
        ("sqlite:///nhr.sqlite3", "sqlite:///nhr.sqlite3"),
    ],
)
def test_safe_url_masks_the_password_even_in_a_malformed_url(url: str, shown: str) -> None:
    assert safe_url(url) == shown


# -- output paths -------------------------------------------------------------------------------


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder this process may not write into (``/sys`` when running as root, who may)."""
    folder = tmp_path / "nur-lesen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").touch()
    except PermissionError:
        yield folder
    else:
        (folder / "probe").unlink()
        try:
            Path("/sys/nhr-probe").touch()
        except OSError:
            yield Path("/sys")
        else:
            pytest.skip("no folder this user may not write into")
    finally:
        folder.chmod(0o755)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])  # the paths, not the database, are under test
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_1(
    cli_database: Engine, db_snapshot: Snapshot, tmp_path: Path, readonly_dir: Path
) -> None:
    db_snapshot("demo", import_demo)
    before = State.of(cli_database)
    missing = "/nonexistent/ordner/projekte.csv"
    cases = {
        ("export", "--format", "csv", "--out", missing): f"nicht gefunden: {missing}",
        ("export", "--out", str(readonly_dir / "x.json")): "Keine Berechtigung: ",
        ("export", "--format", "csv", "--out", "/dev/full"): "Kein Speicherplatz mehr",
        ("audit", "--csv", missing): f"nicht gefunden: {missing}",
        ("audit", "--csv", str(readonly_dir / "x.csv")): "Keine Berechtigung: ",
        ("audit", "--csv", "/dev/full"): "Kein Speicherplatz mehr",
        ("render", "--quiet", "--format", "html", "--out", "/dev/full"): "/dev/full",
        (
            "render",
            "--quiet",
            "--format",
            "html",
            "--out",
            str(readonly_dir / "r"),
        ): "Keine Berechtigung: ",
    }
    for argv, expected in cases.items():
        run = run_nhr(*argv)
        assert run.code == 1, (argv, run.output)
        assert expected in one_line(run), (argv, run.output)
    assert not Path("/nonexistent").exists()
    assert State.of(cli_database) == before


# -- Ctrl-C, settings ---------------------------------------------------------------------------


def test_ctrl_c_is_one_line_and_exit_130() -> None:
    assert failure(KeyboardInterrupt()) == (130, "Abgebrochen.")


def test_an_unexpected_error_names_its_type_and_nhr_debug() -> None:
    assert failure(ZeroDivisionError("x")) == (
        1,
        "Unerwarteter Fehler: ZeroDivisionError. Mit NHR_DEBUG=1 sehen Sie Details.",
    )


def test_a_setting_that_does_not_validate_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WEBHOOK_PORT", "achtzig")
    run = run_nhr("project", "list")
    assert run.code == 1
    assert one_line(run) == "Ungültige Einstellung (Umgebung oder .env): WEBHOOK_PORT."


# -- closed pipes -------------------------------------------------------------------------------


def run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[str]:
    """``nhr ARGV`` as a process whose stdout is a pipe nobody reads any more (the reader
    closed it before the first line, as ``head`` does after its first)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-c", NHR, *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])  # the pipe, not the database, is under test
def test_a_closed_pipe_ends_a_listing_quietly_with_exit_0(
    cli_database: Engine, db_snapshot: Snapshot
) -> None:
    db_snapshot("demo", import_demo)
    for argv in (("project", "list"), ("schedule",)):
        done = run_into_closed_pipe(*argv)
        assert done.returncode == 0, (argv, done.stderr)
        assert not re.search(r"Traceback|BrokenPipe|Exception ignored", done.stderr), argv
    head = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "{sys.executable}" -c "{NHR}" audit | head -1'],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (head.returncode, head.stderr) == (0, "")
    assert len(head.stdout.splitlines()) == 1


class ClosedPipe(io.StringIO):
    """A stdout whose reader has gone: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])  # the pipe, not the database, is under test
def test_an_import_that_committed_exits_0_though_nobody_reads_its_summary(
    cli_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = require_seed(SEED_2025)
    before = State.of(cli_database)
    err = io.StringIO()
    get_settings.cache_clear()
    with redirect_stdout(ClosedPipe()), redirect_stderr(err):
        code = cli.main(["import-report", "--quiet", str(seed)])
    assert (code, err.getvalue()) == (0, "")
    after = State.of(cli_database)
    assert "2025-04-01" in after.html.keys() - before.html.keys()
    assert "editions" in before.changed_tables(after)


# -- CSV a spreadsheet reads as data --------------------------------------------------------------


def hostile_titles(sessions: sessionmaker[Session]) -> None:
    """The demo edition, its first projects titled like spreadsheet formulas."""
    from core.importer import demo_edition, import_parsed

    parsed = demo_edition()
    for project, title in zip(parsed.projects(), HOSTILE, strict=False):
        project.title = project.short_title = title
        project.municipalities = title
    with sessions.begin() as session:
        import_parsed(session, parsed, now=utcnow())


def assert_no_formula(path: Path, delimiter: str = ",") -> list[str]:
    """Every cell of the CSV at ``path``; none starts like a formula."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        cells = [cell for row in csv.reader(f, delimiter=delimiter) for cell in row]
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    return cells


@pytest.mark.slow
def test_no_csv_we_write_starts_a_cell_like_a_formula(
    cli_database: Engine, db_snapshot: Snapshot, tmp_path: Path
) -> None:
    db_snapshot("hostile-csv", hostile_titles)
    export = tmp_path / "projekte.csv"
    assert run_nhr("export", "--format", "csv", "--out", str(export)).code == 0
    cells = assert_no_formula(export, delimiter=";")
    assert {"'" + title for title in HOSTILE} <= set(cells)

    assert (
        run_nhr("project", "edit", "1", "--title", "@SUM(A1:A9)", "--actor", '=HYPERLINK("x")').code
        == 0
    )
    audit = tmp_path / "audit.csv"
    assert run_nhr("audit", "--csv", str(audit)).code == 0
    assert '\'=HYPERLINK("x")' in assert_no_formula(audit)

    site = tmp_path / "site"
    assert run_nhr("site", "--no-documents", "--out", str(site)).code == 0
    [download] = site.glob("**/*.csv")
    assert {"'" + title for title in HOSTILE} <= set(assert_no_formula(download, delimiter=";"))


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+49 2921 30-0", "'+49 2921 30-0"),
        ("-5", "'-5"),
        ("@SUM", "'@SUM"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1.2.3.4", "1.2.3.4"),
        ("Kreis = Soest", "Kreis = Soest"),
        ("", ""),
    ],
)
def test_a_cell_is_neutralised_by_owasps_rule(value: str, written: str) -> None:
    assert formula_safe(value) == written


# -- the bot's start ----------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_bot_that_cannot_start_says_why_in_one_line(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nhr.sqlite3'}",
        "TELEGRAM_BOT_TOKEN": fake_bot_api.token,
        "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
        "LOG_LEVEL": "WARNING",
    }
    unreachable = (
        "Telegram ist nicht erreichbar: bitte Netzwerk, Proxy und TELEGRAM_API_BASE_URL prüfen."
    )
    refused = "Telegram lehnt den Bot-Token ab: bitte TELEGRAM_BOT_TOKEN prüfen."
    taken = "Die Adresse ist schon belegt: ein anderes Programm nutzt WEBHOOK_LISTEN/WEBHOOK_PORT."
    webhook = {
        "WEBHOOK_URL": "https://nhr.example.org/telegram",
        "WEBHOOK_PORT": str(busy.getsockname()[1]),
    }
    cases = [
        (("run",), {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:1/bot"}, unreachable),
        (("run",), {"TELEGRAM_BOT_TOKEN": "123456:falsch"}, refused),
        # `nhr bot`: `nhr run` would also start its daily backup, which this test need not wait for
        (("bot", "--webhook"), webhook, taken),
    ]
    try:
        for argv, settings, line in cases:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                NHR,
                *argv,
                env={**env, **settings},
                cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(process.communicate(), timeout=120)
            assert (process.returncode, err.decode(), out.decode()) == (1, line + "\n", ""), argv
    finally:
        busy.close()
