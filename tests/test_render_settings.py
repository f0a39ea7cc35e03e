"""The publisher of the settings object handed down (not of the environment) reaches the
rendered report: ``nhr render``, the render child process and the bot's /entwurf (issue #17).

Every test gives the publisher "Kreis Unna" only in the ``Settings`` object and makes sure the
environment names none, so a renderer that read the environment would print "Kreis Soest".
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import bot_settings, eventually
from support.bot_seed import CUTOFF, NOW, FakeClock, add_contact, seed_small_report
from support.fake_bot_api import FakeBotApi
from support.ptb_polling import polling

from bot import texts as bot_texts
from bot.app import BotApplication, announce, build_application
from core.config import Settings
from core.models import Role
from core.render.job import RenderJob, RenderProcesses, engine_url
from nhr import cli
from nhr import clock as nhr_clock

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # the renderers' input, not the DB

api = fixtures.fake_bot_api

KORA, STRANGER = 3001, 4004
UNNA = {"publisher_name": "Kreis Unna", "publisher_genitive": "des Kreises Unna"}
TITLE = "<title>Nachhaltigkeitsreport Kreis Unna – Stand: 01.10.2025 (Entwurf)</title>"


@pytest.fixture(autouse=True)
def no_publisher_in_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The environment (and a stray .env) name no publisher: only the Settings object does."""
    for name in ("PUBLISHER_NAME", "PUBLISHER_GENITIVE", "FONT_DIRS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> None:
    """The small report (edition "Stand 01.10.2025" being collected) and coordinator Kora."""
    with sessions.begin() as session:
        seed_small_report(session)
        add_contact(session, "Kora Koordination", [], telegram_user_id=KORA, role=Role.COORDINATOR)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def docx_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.mark.slow
def test_nhr_render_prints_the_publisher_of_the_settings_it_is_handed(
    engine: Engine, seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setattr(nhr_clock, "CLOCK", FakeClock(NOW))  # the edition being collected
    settings = Settings(_env_file=None, database_url=str(engine.url), **UNNA)  # type: ignore[call-arg, arg-type]
    out = tmp_path / "out"
    argv = ["render", "--draft", "--quiet", "--out", str(out), "--format=html", "--format=pdf"]
    args = cli.build_parser(argv).parse_args(argv)

    assert args.handler(args, cli.App(settings)) == 0

    html = (out / "nachhaltigkeitsreport-2025-10-01-entwurf.html").read_text(encoding="utf-8")
    pdf = pdf_text((out / "nachhaltigkeitsreport-2025-10-01-entwurf.pdf").read_bytes())
    assert TITLE in html
    assert "Soest" not in html
    assert "Kreis Unna" in pdf and "Soest" not in pdf


@pytest.mark.slow
async def test_the_render_child_process_prints_the_publisher_it_is_handed(
    engine: Engine, seeded: None, backend: str
) -> None:
    options = Settings(_env_file=None, **UNNA).render_options  # type: ignore[call-arg, arg-type]
    renders = RenderProcesses(engine_url(engine), options=options)

    [document] = await renders.render(RenderJob(CUTOFF, ("html",)))

    html = document.content.decode("utf-8")
    assert TITLE in html
    assert "Soest" not in html


@pytest_asyncio.fixture
async def unna_bot(
    api: FakeBotApi, sessions: sessionmaker[Session], seeded: None
) -> AsyncIterator[BotApplication]:
    """The bot, with the publisher "Kreis Unna" in the settings it is built with."""
    settings = bot_settings(api).model_copy(update=UNNA)
    application = build_application(settings, sessions, FakeClock())
    async with polling(application):
        await announce(application)
        yield application


@pytest.mark.slow
async def test_the_bots_entwurf_and_refusal_name_the_publisher_of_its_settings(
    api: FakeBotApi, unna_bot: BotApplication, backend: str
) -> None:
    kora, stranger = api.user(KORA, "Kora"), api.user(STRANGER, "Mallory")

    await stranger.send("/start")
    refusal = await stranger.wait_for_message()
    await kora.send("/entwurf")
    await eventually(lambda: len(kora.documents) == 2, timeout=120)

    assert refusal.text == bot_texts.refusal("des Kreises Unna", "")
    assert refusal.text.startswith(
        "Dieser Bot ist nur für eingeladene Ansprechpersonen des Kreises Unna."
    )
    pdf, docx = kora.documents
    assert pdf.filename == "nachhaltigkeitsreport-2025-10-01-entwurf.pdf"
    assert "Kreis Unna" in pdf_text(pdf.content) and "Soest" not in pdf_text(pdf.content)
    assert "Kreis Unna" in docx_xml(docx.content) and "Soest" not in docx_xml(docx.content)
