"""``nhr contacts`` and ``nhr bot`` (the commands of nhr/cli_bot.py)."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support import fixtures
from support.bot_seed import seed_small_report
from support.fake_bot_api import FakeBotApi

from bot import app as bot_app
from bot import texts
from core.config import Settings
from core.contacts import hash_token
from core.models import Contact, Invitation, Role
from nhr import cli_bot

api = fixtures.fake_bot_api


class StubApp:
    """What the commands need, on the test database."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.upgraded = 0

    def upgrade(self) -> None:
        self.upgraded += 1


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def nhr(app: StubApp, *argv: str) -> int:
    """Run ``nhr <argv>`` with the commands of cli_bot."""
    parser = argparse.ArgumentParser(prog="nhr")
    cli_bot.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, app))


@pytest.fixture
def app(sessions: sessionmaker[Session]) -> StubApp:
    with sessions.begin() as session:
        seed_small_report(session)
    return StubApp(settings(telegram_bot_username="kreis_soest_bot"), sessions)


def test_invite_prints_a_one_time_link_and_stores_only_the_tokens_hash(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    code = nhr(
        app,
        "contacts",
        "invite",
        "--name",
        "Anna Abt",
        "--department",
        "80.01",
        "--department",
        "61",
    )

    out = capsys.readouterr().out
    token = re.findall(r"https://t\.me/kreis_soest_bot\?start=([A-Za-z0-9_-]+)", out)
    assert code == 0 and len(token) == 1
    assert out.startswith("Einladung für Anna Abt (Nr. 1), gültig bis ")
    with app.sessions() as session:
        contact = session.scalars(select(Contact)).one()
        invitation = session.scalars(select(Invitation)).one()
        assert (contact.role, [d.code for d in contact.departments]) == (
            Role.CONTACT,
            ["61", "80.01"],
        )
        assert invitation.token_hash == hash_token(token[0]) != token[0]


def test_invite_as_coordinator_needs_no_department(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    assert nhr(app, "contacts", "invite", "--name", "Koordination", "--coordinator") == 0

    with app.sessions() as session:
        assert session.scalars(select(Contact.role)).one() is Role.COORDINATOR


def test_invite_with_an_unknown_department_names_the_known_ones(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    code = nhr(app, "contacts", "invite", "--name", "X", "--department", "99")

    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "Abteilung „99“ ist unbekannt. Bekannt: 61, 70.02, 80.01"
    )


async def test_with_a_token_the_link_uses_the_bots_name_from_get_me(
    api: FakeBotApi, app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    app.settings = settings(telegram_bot_token=api.token, telegram_api_base_url=api.base_url)

    code = await asyncio.to_thread(
        nhr, app, "contacts", "invite", "--name", "Anna", "--department", "61"
    )

    assert code == 0
    assert "https://t.me/nhr_test_bot?start=" in capsys.readouterr().out


def test_without_the_bot_api_the_configured_name_is_used_with_a_hint(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    app.settings = settings(
        telegram_bot_token="1:X",
        telegram_api_base_url="http://127.0.0.1:9/bot",
        telegram_bot_username="fallback_bot",
    )

    assert nhr(app, "contacts", "invite", "--name", "Anna", "--department", "61") == 0

    captured = capsys.readouterr()
    assert "https://t.me/fallback_bot?start=" in captured.out
    assert captured.err.startswith("Hinweis: Bot-Name nicht abrufbar")


def test_list_shows_role_binding_state_and_departments(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    nhr(app, "contacts", "invite", "--name", "Anna Abt", "--department", "80.01")
    nhr(app, "contacts", "invite", "--name", "Koordination", "--coordinator")
    capsys.readouterr()

    assert nhr(app, "contacts", "list") == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Nr.", "Name", "Rolle", "Telegram", "Aktiv", "Abteilungen"]
    assert lines[1].split() == ["1", "Anna", "Abt", "Ansprechp.", "nein", "ja", "80.01"]
    assert lines[2].split() == ["2", "Koordination", "Koordination", "nein", "ja", "–"]


def test_revoke_by_name_or_number_disables_the_contact_and_open_invitations(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    nhr(app, "contacts", "invite", "--name", "Anna Abt", "--department", "80.01")

    assert nhr(app, "contacts", "revoke", "Anna Abt") == 0
    assert nhr(app, "contacts", "revoke", "1") == 0
    assert nhr(app, "contacts", "revoke", "Niemand") == 2

    captured = capsys.readouterr()
    assert "Zugang von Anna Abt (Nr. 1) ist gesperrt." in captured.out
    assert "Keine Person „Niemand“ gefunden." in captured.err
    with app.sessions() as session:
        assert session.scalars(select(Contact.active)).one() is False
        assert session.scalars(select(Invitation.used_at)).one() is not None


def test_reinvite_gives_an_active_contact_a_new_link_but_not_a_revoked_one(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    nhr(app, "contacts", "invite", "--name", "Anna Abt", "--department", "80.01")

    assert nhr(app, "contacts", "reinvite", "Anna Abt", "--days", "3") == 0
    nhr(app, "contacts", "revoke", "Anna Abt")
    assert nhr(app, "contacts", "reinvite", "Anna Abt") == 2

    captured = capsys.readouterr()
    assert captured.out.count("https://t.me/kreis_soest_bot?start=") == 2
    assert "Anna Abt ist gesperrt." in captured.err
    with app.sessions() as session:
        assert len(session.scalars(select(Contact)).all()) == 1


def test_the_bot_does_not_start_without_a_token(
    app: StubApp, capsys: pytest.CaptureFixture[str]
) -> None:
    assert nhr(app, "bot") == 2
    assert capsys.readouterr().err.strip() == texts.CLI_NO_TOKEN


def test_webhook_mode_needs_a_url_and_the_webhook_server(
    app: StubApp, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    without_url = settings(telegram_bot_token="1:X")
    with_url = settings(telegram_bot_token="1:X", webhook_url="https://nhr.example/hook")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)

    assert bot_app.run(without_url, app.sessions, webhook=True) == 2
    assert bot_app.run(with_url, app.sessions, webhook=True) == 2

    assert capsys.readouterr().err.splitlines() == [texts.CLI_NO_WEBHOOK_URL, texts.CLI_NO_TORNADO]


def test_the_bot_reaches_a_self_hosted_bot_api_server_for_files_too(app: StubApp) -> None:
    application = bot_app.build_application(
        settings(telegram_bot_token="1:X", telegram_api_base_url="http://api.local:8081/bot/"),
        app.sessions,
    )

    assert application.bot.base_url == "http://api.local:8081/bot1:X"
    assert application.bot.base_file_url == "http://api.local:8081/file/bot1:X"
