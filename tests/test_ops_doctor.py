"""``nhr doctor``: one line per check with a German fix hint, exit 1 when one fails; run
against the fake Bot API and both databases. And ``AUTO_MIGRATE=false``: commands refuse an
outdated schema instead of migrating it silently."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from support.fake_bot_api import FakeBotApi
from support.guarded import Run, State, database_url, run_nhr
from support.snapshots import import_demo

from core.config import Settings, get_settings
from core.doctor import Status, check_schedule, check_token, check_webhook
from core.schedule import ScheduleConfig
from migrations import current_revision, head_revision, upgrade

TOKEN = "7012345678:AAHk3x9_Zq-TestTokenOfTheRightForm12"
OTHER_TOKEN = "7012345678:AAHk3x9_Zq-SomeoneElsesTokenXXXXXX34"


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API, knowing a token of the form @BotFather gives."""
    async with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest.fixture
def configured(api: FakeBotApi, cli_database: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The test database, the fake Bot API and its token as the configuration."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    return cli_database


async def doctor(*argv: str) -> Run:
    """``nhr doctor`` (in a thread: it runs its own event loop for getMe)."""
    get_settings.cache_clear()
    return await asyncio.to_thread(run_nhr, "doctor", *argv)


def line(run: Run, name: str) -> str:
    return next(x for x in run.out.splitlines() if x[2:].startswith(name + ":"))


async def test_a_complete_installation_is_all_green(configured: Engine) -> None:
    run = await doctor()
    assert run.code == 0, run.output
    checks = [x for x in run.out.splitlines() if not x.startswith("    ")]
    assert checks and all(x.startswith("✓ ") for x in checks), run.output
    assert line(run, "Telegram (getMe)").startswith("✓ Telegram (getMe): @nhr_test_bot über")
    assert line(run, "Datenbank-Schema") == f"✓ Datenbank-Schema: Stand {head_revision()}."
    assert line(run, "Schrift").startswith("✓ Schrift: DejaVu Sans gefunden")
    assert TOKEN not in run.output and TOKEN.split(":")[1] not in run.output


async def test_json_gives_every_check_with_status_and_hint(configured: Engine) -> None:
    run = await doctor("--json")
    rows = json.loads(run.out)
    assert run.code == 0
    assert {
        "name": "Bot-Token",
        "status": "ok",
        "detail": "gesetzt (Bot-ID 7012345678).",
        "hint": "",
    } in rows


async def test_a_token_the_bot_api_rejects_is_a_failing_check_with_a_hint(
    configured: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", OTHER_TOKEN)
    run = await doctor()
    assert run.code == 1
    assert "✗ Telegram (getMe): " in run.out and "lehnt das Bot-Token ab." in run.out
    assert "    → Token bei @BotFather prüfen" in run.out
    assert OTHER_TOKEN.split(":")[1] not in run.output


async def test_an_unreachable_bot_api_is_a_failing_check(
    configured: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    run = await doctor()
    assert run.code == 1
    assert line(run, "Telegram (getMe)").startswith(
        "✗ Telegram (getMe): http://127.0.0.1:9 nicht erreichbar"
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nhr:Geheim123@127.0.0.1:9/nhr",
        "sqlite:////nonexistent-folder/nhr.sqlite3",
    ],
)
async def test_an_unreachable_database_is_a_failing_check_without_its_password(
    configured: Engine, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    run = await doctor()
    assert run.code == 1
    assert line(run, "Datenbank").startswith("✗ Datenbank: ")
    assert "nicht erreichbar" in line(run, "Datenbank")
    assert "    → DATABASE_URL prüfen" in run.out
    assert "Geheim123" not in run.output


async def test_a_missing_font_is_a_failing_check(
    configured: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "fonts").mkdir()
    monkeypatch.setenv("FONT_DIRS", str(tmp_path / "fonts"))
    run = await doctor()
    assert run.code == 1
    assert line(run, "Schrift") == f"✗ Schrift: DejaVu Sans nicht gefunden ({tmp_path}/fonts)."
    assert "    → Paket fonts-dejavu-core installieren oder FONT_DIRS" in run.out


async def test_font_dirs_naming_the_dejavu_folder_is_enough(
    configured: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSans.ttf").exists():
        pytest.skip("fonts-dejavu-core is not installed here")
    monkeypatch.setenv("FONT_DIRS", str(dejavu))
    run = await doctor()
    assert line(run, "Schrift") == f"✓ Schrift: DejaVu Sans gefunden ({dejavu})."
    assert line(run, "PDF-Satz (Typst)").startswith("✓ ")


async def test_an_old_schema_revision_is_a_failing_check_naming_nhr_db_upgrade(
    api: FakeBotApi, empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    upgrade(empty_engine, "0003")
    monkeypatch.setenv("DATABASE_URL", database_url(empty_engine))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    monkeypatch.chdir(tmp_path)
    run = await doctor()
    assert run.code == 1
    assert line(run, "Datenbank-Schema") == (
        f"✗ Datenbank-Schema: Datenbank ist auf Stand 0003, das Programm erwartet "
        f"{head_revision()}."
    )
    assert "    → nhr db upgrade" in run.out
    assert current_revision(empty_engine) == "0003"  # the doctor looks, it does not migrate


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://bot.kreis-soest.de/tg", "muss mit https:// beginnen"),
        ("https://bot.kreis-soest.de:8080/tg", "Port 8080 in WEBHOOK_URL nimmt Telegram nicht an."),
    ],
)
def test_a_webhook_telegram_would_not_call_fails(url: str, problem: str) -> None:
    check = check_webhook(Settings(_env_file=None, webhook_url=url))  # type: ignore[call-arg]
    assert check.status is Status.FAIL and problem in check.detail


@pytest.mark.parametrize(
    "url", ["https://bot.kreis-soest.de/tg", "https://bot.kreis-soest.de:8443/tg"]
)
def test_a_webhook_on_a_port_telegram_accepts_passes(url: str) -> None:
    assert check_webhook(Settings(_env_file=None, webhook_url=url)).status is Status.OK  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "token",
    [
        "123:abc",
        "bot7012345678:AAHk3x9_Zq-TestTokenOfTheRightForm12",
        "7012345678 AAHk3x9_Zq-TestTokenOfTheRightForm12",
    ],
)
def test_a_token_of_the_wrong_form_fails_without_showing_it(token: str) -> None:
    check = check_token(Settings(_env_file=None, telegram_bot_token=token))  # type: ignore[call-arg]
    assert check.status is Status.FAIL and token not in check.detail + check.hint


# -- AUTO_MIGRATE ------------------------------------------------------------------------------


@pytest.fixture
def at_0003(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    """A database at revision 0003 as the commands' database."""
    upgrade(empty_engine, "0003")
    monkeypatch.setenv("DATABASE_URL", database_url(empty_engine))
    monkeypatch.chdir(tmp_path)
    return empty_engine


def test_without_auto_migrate_a_command_refuses_an_old_schema_and_changes_nothing(
    at_0003: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTO_MIGRATE", "false")
    before = State.of(at_0003)
    run = run_nhr("export")
    assert run.code == 1
    assert run.err.strip() == (
        f"Datenbank ist auf Stand 0003, das Programm erwartet {head_revision()}. "
        "Bitte zuerst „nhr db upgrade“ ausführen."
    )
    assert State.of(at_0003) == before


def test_without_auto_migrate_nhr_db_upgrade_still_migrates(
    at_0003: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTO_MIGRATE", "false")
    run = run_nhr("db", "upgrade")
    assert run.code == 0 and run.out.strip() == f"Datenbank ist auf Stand {head_revision()}."
    assert run_nhr("export").err.strip().startswith("Noch keine Ausgabe veröffentlicht.")


def test_by_default_a_command_migrates_an_old_schema_itself(at_0003: Engine) -> None:
    run_nhr("export")
    assert current_revision(at_0003) == head_revision()


def test_a_calendar_that_is_over_names_the_edition_and_the_two_ways_on(
    sessions: sessionmaker[Session], db_snapshot: Any
) -> None:
    db_snapshot("demo", import_demo)  # last published 01.04.2025: 01.10.2025 is collected
    check = check_schedule(ScheduleConfig(), datetime(2026, 12, 6, 9, tzinfo=UTC), sessions)
    assert check.status is Status.WARN
    assert check.detail == (
        "der Zeitplan der Ausgabe zum 01.10.2025 ist vorbei, nichts mehr geplant."
    )
    assert check.hint == (
        "nhr edition publish --edition 2025-10-01 oder nhr edition collect --edition 2027-04-01"
    )
    coming = check_schedule(ScheduleConfig(), datetime(2025, 6, 16, 8, tzinfo=UTC), sessions)
    assert coming.status is Status.OK and "Aufruf 01.10.2025" in coming.detail
