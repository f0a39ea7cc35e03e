"""The typed context through which handlers reach the services (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CallbackContext, ContextTypes, ExtBot

from bot.common.roles import RoleCache
from bot.common.rounds import Rounds
from bot.common.sending import KeyboardDrops
from core.clock import Clock
from core.config import Settings
from core.models import Role
from core.render.job import RenderProcesses
from core.schedule import ScheduleConfig

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Services:
    """What the handlers need: the database, the time, the settings and the draft renders.

    ``schedule`` is the collection calendar the scheduler plans with (``settings.schedule``, the
    same settings object ``nhr`` hands to the scheduler), so /stand names its deadline."""

    sessions: sessionmaker[Session]
    clock: Clock
    settings: Settings
    renders: RenderProcesses
    roles: RoleCache = field(default_factory=RoleCache)
    drops: KeyboardDrops = field(default_factory=KeyboardDrops)
    rounds: Rounds = field(default_factory=Rounds)

    @cached_property
    def schedule(self) -> ScheduleConfig:
        """The collection calendar of :attr:`settings` (``SCHEDULE_*``)."""
        return self.settings.schedule.config()

    @property
    def tz(self) -> ZoneInfo:
        """The display time zone (Europe/Berlin): decides which day it is for the contact."""
        return self.settings.tz


class BotData:
    """The application's ``bot_data``: holds the services once they are bound."""

    def __init__(self) -> None:
        self._services: Services | None = None

    def bind(self, services: Services) -> None:
        """Attach the services (done once, in :func:`bot.app.build_application`)."""
        self._services = services

    @property
    def services(self) -> Services:
        """The bound services."""
        if self._services is None:
            raise RuntimeError("services are not bound; build the bot with build_application")
        return self._services


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The handlers' context: ``context.services``; ``context.role``, the role of the bound
    contact as the gate found it for this update (None: not bound)."""

    role: Role | None = None

    @property
    def services(self) -> Services:
        """Database sessions, clock and settings."""
        return self.bot_data.services


CONTEXT_TYPES: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    context=BotContext, bot_data=BotData
)
AnyHandler = BaseHandler[Update, BotContext, Any]  # a handler of this bot (any kind)
