"""``nhr schedule`` and ``nhr run``: the scheduler's command line.

:func:`register` adds the sub-commands to the ``nhr`` parser; handlers take the parsed
arguments and the shared :class:`nhr.cli.App`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any

from core.clock import Clock, PacingClock
from core.db import unit_of_work
from core.schedule import ScheduleConfig
from nhr import clock as nhr_clock
from nhr import texts as nhr_texts
from nhr.console import cutoff_arg
from nhr.console import err as _err
from nhr.console import say as _say
from scheduler import texts

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.ext import Application

    from nhr.cli import App

SubParsers = argparse._SubParsersAction  # argparse has no public name for it


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``schedule`` and ``run`` to the ``nhr`` command line."""
    schedule = subparsers.add_parser("schedule", help=nhr_texts.HELP_SCHEDULE)
    schedule.add_argument("--edition", type=cutoff_arg, help=nhr_texts.HELP_SCHEDULE_EDITION)
    schedule.add_argument("--run-due", action="store_true", help=nhr_texts.HELP_RUN_DUE)
    schedule.set_defaults(handler=cmd_schedule)

    run = subparsers.add_parser("run", help=nhr_texts.HELP_RUN)
    run.set_defaults(handler=cmd_run)


def print_plan(app: App, cutoffs: list[date], config: ScheduleConfig) -> None:
    """Print each edition's plan with German dates and today's recipient counts."""
    from core.notifications import overview

    with unit_of_work(app.sessions) as session:
        for cutoff in cutoffs:
            cycle, items = overview(session, cutoff, config)
            _say(
                texts.SCHEDULE_HEADING.format(
                    cutoff=texts.format_day(cutoff), deadline=texts.day_with_weekday(cycle.deadline)
                )
            )
            for item in items:
                what = texts.KIND_LABELS[item.kind.value]
                if item.label:
                    what += f" {item.label.removeprefix('r')}"
                sent = texts.SENT_SUFFIX.format(count=item.sent) if item.sent else ""
                _say(
                    "  "
                    + texts.SCHEDULE_LINE.format(
                        when=texts.moment_short(item.at, config.tz),
                        what=what,
                        recipients=texts.recipients(item.kind.value, item.recipients),
                        sent=sent,
                    )
                )
    _say(
        texts.OFFICE_NOTE.format(
            start=config.office_start.hour, end=config.office_end.hour, tz=config.timezone
        )
    )


def cmd_schedule(args: argparse.Namespace, app: App) -> int:
    """Print the coming plan, or with ``--run-due`` send what is due now, once."""
    app.upgrade()
    config = app.settings.schedule.config()
    clock = nhr_clock.CLOCK
    if args.run_due:
        return asyncio.run(_run_due(app, config, clock))
    from core.editions import collecting_status

    with unit_of_work(app.sessions) as session:
        status = collecting_status(session, clock.now().astimezone(config.tz).date())
    try:
        print_plan(app, [args.edition or status.cutoff], config)
    except ValueError as err:
        _err(str(err))
        return 2
    notice = status.notice()
    if notice:
        _err(notice)
    return 0


def _bot(app: App) -> Bot | None:
    from telegram import Bot

    from bot.common.logs import keep_out_of_logs

    token = app.settings.telegram_bot_token
    if not token:
        _err(texts.NO_TOKEN)
        return None
    keep_out_of_logs(token)
    base_url = app.settings.telegram_api_base_url or "https://api.telegram.org/bot"
    return Bot(token, base_url=base_url)


async def _run_due(app: App, config: ScheduleConfig, clock: PacingClock) -> int:
    from core.schedule import is_working_time
    from scheduler.documents import RenderedDrafts
    from scheduler.jobs import DueCheck
    from scheduler.sender import Sender

    if not is_working_time(clock.now(), config):
        from core.schedule import working_time

        _say(
            texts.RUN_DUE_OUTSIDE.format(
                when=texts.moment_short(working_time(clock.now(), config), config.tz)
            )
        )
        return 0
    bot = _bot(app)
    if bot is None:
        return 2
    async with bot:
        drafts = RenderedDrafts(app.sessions, options=app.settings.render_options)
        sender = Sender(bot, app.sessions, clock, config, drafts)
        report = await DueCheck(app.sessions, sender, clock, config).run()
    d = report.delivery
    _say(
        texts.RUN_DUE_RESULT.format(
            created=len(report.created),
            sent=len(d.sent),
            failed=len(d.failed),
            unreachable=len(d.unreachable),
        )
    )
    return 0


def build_bot_application(app: App, clock: Clock) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot (``bot.app.build_application``) with the scheduler's clock."""
    from bot.app import build_application

    return build_application(app.settings, app.sessions, clock)


def cmd_run(args: argparse.Namespace, app: App) -> int:
    """Run the bot and the scheduler in one process until stopped (SIGINT/SIGTERM).

    Long polling; with ``WEBHOOK_URL`` set, the bot's own runner is needed for the webhook's
    secret and path, so the scheduler is attached through the same application, and
    ``GET /healthz`` answers on ``HEALTH_PORT``. Only one instance runs per database.
    """
    from contextlib import nullcontext
    from datetime import timedelta

    from bot.app import ALLOWED_UPDATES, run_webhook
    from core.logs import configure_logging
    from nhr.running import health_endpoint, single_instance
    from scheduler.backups import DailyBackups
    from scheduler.retention import RetentionJob
    from scheduler.runner import attach, build_runner
    from scheduler.watch import Watch

    if not app.settings.telegram_bot_token:
        _err(texts.NO_TOKEN)
        return 2
    configure_logging(app.settings.log_level, app.settings.log_format)
    app.upgrade()
    schedule = app.settings.schedule
    clock = nhr_clock.CLOCK
    from scheduler.documents import RenderedDrafts

    with single_instance(app, "run") as guard:
        application = build_bot_application(app, clock)
        drafts = RenderedDrafts(app.sessions, processes=application.bot_data.services.renders)
        interval = timedelta(seconds=schedule.due_check_seconds)
        previous = guard.previous
        watch = Watch(
            app.engine,
            app.sessions,
            clock,
            schedule.config(),
            down_since=previous.due_check_at if previous else None,
            interval=interval,
        )
        backups = DailyBackups(
            app.engine, app.settings.backup_dir, app.settings.backup_keep_days, clock
        )
        runner = build_runner(
            application.bot,
            app.sessions,
            clock,
            schedule.config(),
            drafts=drafts,
            interval=interval,
            after_due_check=watch,
            backups=backups,
            retention=RetentionJob(
                app.sessions, clock, schedule.config(), app.settings.retention_days_after_round
            ),
        )
        attach(application, runner)
        webhook = bool(app.settings.webhook_url)
        with health_endpoint(app) if webhook else nullcontext():
            if webhook:
                run_webhook(application, app.settings)
            else:
                application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    return 0
