"""``nhr bot`` and ``nhr contacts``: run the bot, invite, list and revoke contacts.

:func:`register` adds the sub-commands to the ``nhr`` parser; handlers take ``(args, app)``
like those in :mod:`nhr.cli`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot import texts
from core.audit import Auditor
from core.config import Settings
from core.contacts import (
    INVITATION_DAYS,
    INVITATION_TTL,
    ContactError,
    DuplicateContact,
    create_invitation,
    find_contact,
    invitation_link,
    revoke_contact,
)
from core.dates import format_local
from core.db import unit_of_work
from core.models import Contact, Role
from nhr import clock
from nhr.console import AppLike
from nhr.console import err as _err
from nhr.console import say as _say

ACTOR = "cli"


# -- nhr bot ------------------------------------------------------------------------------------


def cmd_bot(args: argparse.Namespace, app: AppLike) -> int:
    """Run the bot: long polling, or ``--webhook``."""
    from bot.app import MAX_CONCURRENT_UPDATES, run
    from core.logs import configure_logging

    if not app.settings.telegram_bot_token:
        _err(texts.CLI_NO_TOKEN)
        return 2
    from contextlib import nullcontext

    from nhr.running import health_endpoint, single_instance

    configure_logging(app.settings.log_level, app.settings.log_format)
    app.upgrade()
    concurrency = args.concurrency or MAX_CONCURRENT_UPDATES
    with single_instance(app, "bot"), health_endpoint(app) if args.webhook else nullcontext():
        return run(
            app.settings, app.sessions, webhook=args.webhook, max_concurrent_updates=concurrency
        )


# -- nhr contacts -------------------------------------------------------------------------------


def bot_username(settings: Settings) -> str:
    """The bot's @username: asked from the Bot API when a token is set, else from settings."""
    from bot.common.logs import hide_token, keep_out_of_logs

    if not settings.telegram_bot_token:
        return settings.telegram_bot_username
    keep_out_of_logs(settings.telegram_bot_token)
    try:
        return asyncio.run(_fetch_username(settings))
    except Exception as err:  # any failure (network, token) falls back to the configured name
        _err(
            texts.CLI_USERNAME_FALLBACK.format(
                error=hide_token(str(err)), username=settings.telegram_bot_username
            )
        )
        return settings.telegram_bot_username


async def _fetch_username(settings: Settings) -> str:
    from telegram import Bot
    from telegram.request import HTTPXRequest

    assert settings.telegram_bot_token is not None
    base = settings.telegram_api_base_url or "https://api.telegram.org/bot"
    request = HTTPXRequest(connect_timeout=5.0, read_timeout=5.0)
    async with Bot(settings.telegram_bot_token, base_url=base.rstrip("/"), request=request) as bot:
        return bot.username


def _print_invitation(app: AppLike, contact: Contact, token: str, days: int) -> None:
    until = format_local(clock.now() + timedelta(days=days), app.settings.tz)
    _say(texts.CLI_INVITED.format(name=contact.name, id=contact.id, until=until))
    _say(invitation_link(bot_username(app.settings), token))


def cmd_invite(args: argparse.Namespace, app: AppLike) -> int:
    """Create a contact and a one-time invitation; print the t.me link."""
    app.upgrade()
    role = Role.COORDINATOR if args.coordinator else Role.CONTACT
    try:
        with unit_of_work(app.sessions) as session:
            now = clock.now()
            contact, token = create_invitation(
                session,
                name=args.name,
                department_codes=args.department,
                role=role,
                now=now,
                auditor=Auditor(session, actor=ACTOR, now=now),
                ttl=timedelta(days=args.days),
            )
    except DuplicateContact as err:
        _err(str(err))
        _err(texts.CLI_DUPLICATE_HINT.format(id=err.contact_id))
        return 2
    except ContactError as err:
        _err(str(err))
        return 2
    _print_invitation(app, contact, token, args.days)
    return 0


def cmd_reinvite(args: argparse.Namespace, app: AppLike) -> int:
    """A new invitation for an existing contact (lost or expired link); earlier links that
    were not used stop working."""
    app.upgrade()
    try:
        with unit_of_work(app.sessions) as session:
            now = clock.now()
            contact = find_contact(session, args.who)
            if not contact.active:
                raise ContactError(texts.CLI_INACTIVE.format(name=contact.name))
            contact, token = create_invitation(
                session,
                name=contact.name,
                department_codes=[],
                role=contact.role,
                now=now,
                auditor=Auditor(session, actor=ACTOR, now=now),
                ttl=timedelta(days=args.days),
                contact=contact,
            )
    except ContactError as err:
        _err(str(err))
        return 2
    _print_invitation(app, contact, token, args.days)
    return 0


def cmd_revoke(args: argparse.Namespace, app: AppLike) -> int:
    """Take a contact's access away; their next message is refused."""
    app.upgrade()
    try:
        with unit_of_work(app.sessions) as session:
            contact = find_contact(session, args.who)
            revoke_contact(session, contact, Auditor(session, actor=ACTOR, now=clock.now()))
            name, contact_id = contact.name, contact.id
    except ContactError as err:
        _err(str(err))
        return 2
    _say(texts.CLI_REVOKED.format(name=name, id=contact_id))
    return 0


def cmd_list(args: argparse.Namespace, app: AppLike) -> int:
    """All contacts: role, whether bound to Telegram, active, departments."""
    app.upgrade()
    with unit_of_work(app.sessions) as session:
        contacts = session.scalars(select(Contact).order_by(Contact.id)).all()
        rows = [
            texts.CLI_LIST_ROW.format(
                id=c.id,
                name=c.name[:30],
                role=texts.CLI_ROLE[c.role.value],
                bound=texts.CLI_YES if c.telegram_user_id else texts.CLI_NO,
                active=texts.CLI_YES if c.active else texts.CLI_NO,
                departments=", ".join(d.code for d in c.departments) or "–",
            )
            for c in contacts
        ]
    if not rows:
        _say(texts.CLI_LIST_EMPTY)
        return 0
    _say(texts.CLI_LIST_ROW.format(**texts.CLI_LIST_COLUMNS).rstrip())
    for row in rows:
        _say(row.rstrip())
    return 0


# -- parser -------------------------------------------------------------------------------------


def days_arg(value: str) -> int:
    """An argparse ``type`` for ``--days``: a whole number of days an invitation is valid
    (:data:`core.contacts.INVITATION_DAYS`); anything else is a usage error."""
    try:
        days = int(value.strip())
    except ValueError:
        days = 0
    if days not in INVITATION_DAYS:
        raise argparse.ArgumentTypeError(texts.CLI_DAYS_RANGE.format(value=value))
    return days


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``bot`` and ``contacts`` to the ``nhr`` command line."""
    bot = subparsers.add_parser("bot", help=texts.CLI_BOT_HELP)
    bot.add_argument("--webhook", action="store_true", help=texts.CLI_WEBHOOK_HELP)
    bot.add_argument("--concurrency", type=int, default=None, help=texts.CLI_CONCURRENCY_HELP)
    bot.set_defaults(handler=cmd_bot)

    contacts = subparsers.add_parser("contacts", help=texts.CLI_CONTACTS_HELP)
    sub = contacts.add_subparsers(dest="contacts_command", required=True)
    days = INVITATION_TTL.days

    invite = sub.add_parser("invite", help=texts.CLI_INVITE_HELP)
    invite.add_argument("--name", required=True, help=texts.CLI_NAME_HELP)
    invite.add_argument("--department", action="append", default=[], help=texts.CLI_DEPARTMENT_HELP)
    invite.add_argument("--coordinator", action="store_true", help=texts.CLI_COORDINATOR_HELP)
    invite.add_argument("--days", type=days_arg, default=days, help=texts.CLI_DAYS_HELP)
    invite.set_defaults(handler=cmd_invite)

    reinvite = sub.add_parser("reinvite", help=texts.CLI_REINVITE_HELP)
    reinvite.add_argument("who", help=texts.CLI_WHO_HELP)
    reinvite.add_argument("--days", type=days_arg, default=days, help=texts.CLI_DAYS_HELP)
    reinvite.set_defaults(handler=cmd_reinvite)

    revoke = sub.add_parser("revoke", help=texts.CLI_REVOKE_HELP)
    revoke.add_argument("who", help=texts.CLI_WHO_HELP)
    revoke.set_defaults(handler=cmd_revoke)

    sub.add_parser("list", help=texts.CLI_LIST_HELP).set_defaults(handler=cmd_list)

    from nhr import cli_privacy  # export, erase, purge: personal data (DSGVO)

    cli_privacy.register(sub)
