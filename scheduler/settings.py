"""The collection calendar from ``SCHEDULE_*`` settings: defined in :mod:`core.schedule_settings`
(the bot reads it too), importable from here as before."""

from core.schedule_settings import ScheduleSettings, schedule_config

__all__ = ["ScheduleSettings", "schedule_config"]
