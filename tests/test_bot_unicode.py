"""The issue's case end to end: a department types "Läuft nach Plan 🌱👍" in the bot; after the
approval the edition being collected renders as PDF with the emoji, and what the bot stored is
cleaned of the control characters a phone's copy-and-paste brought along."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
import pytest_asyncio
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_harness import running_bot, say, tap
from support.bot_seed import FakeClock, SmallReport, add_contact, seed_small_report
from support.fake_bot_api import FakeBotApi
from support.fonts import require_print_fonts

from bot import texts
from bot.app import BotApplication
from core.approval import approve
from core.assembly import assemble_edition
from core.changes import ChangeSet, NewEntry
from core.models import Contact, Role, Submission
from core.render.pdf import render_pdf

api = fixtures.fake_bot_api

BEN = 1002


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> SmallReport:
    """The small report; Ben (70.02) is bound; a coordinator approves."""
    with sessions.begin() as session:
        seeded = seed_small_report(session)
        add_contact(session, "Ben Berg", ["70.02"], telegram_user_id=BEN)
        session.add(Contact(name="Kora Koordination", role=Role.COORDINATOR))
    return seeded


@pytest_asyncio.fixture
async def bot(
    api: FakeBotApi, sessions: sessionmaker[Session], report: SmallReport
) -> AsyncIterator[BotApplication]:
    """The bot polling the fake server, on 16 June 2025."""
    async with running_bot(api, sessions, FakeClock()) as application:
        yield application


@pytest.mark.slow
async def test_a_milestone_typed_with_emoji_is_stored_clean_and_prints_after_approval(
    api: FakeBotApi, sessions: sessionmaker[Session], bot: BotApplication
) -> None:
    require_print_fonts()
    ben = api.user(BEN, "Ben")
    await say(ben, "/projekte")
    await tap(ben, texts.BTN_START)
    await tap(ben, texts.BTN_EDIT)
    await tap(ben, texts.BTN_DONE)
    await say(ben, "15.3.25")
    menu = await say(ben, "\ufeffLäuft\x00 nach Plan 🌱👍\u202e 👩🏽\u200d💻")
    assert "+ Meilenstein 15.03.2025 – Läuft nach Plan 🌱👍 👩🏽\u200d💻" in menu.text
    await tap(ben, texts.BTN_SUMMARY)
    await tap(ben, texts.BTN_SUBMIT)

    with sessions.begin() as session:
        sub = session.scalars(select(Submission)).one()
        assert ChangeSet.from_json(sub.changes).milestones_done == [
            NewEntry("2025-03-15", "Läuft nach Plan 🌱👍 👩🏽\u200d💻")
        ]
        coordinator = session.scalars(select(Contact).where(Contact.role == Role.COORDINATOR))
        approve(session, sub.id, coordinator.one(), datetime(2025, 6, 17, 8, tzinfo=UTC))
    with sessions() as session:
        edition = assemble_edition(session, date(2025, 10, 1))
    pdf = io.BytesIO()
    render_pdf(edition, pdf)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "15.03.2025 Läuft nach Plan 🌱👍 👩🏽\u200d💻" in text
    assert ben.failed_calls == []
