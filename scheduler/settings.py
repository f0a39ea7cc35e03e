"""The collection calendar from ``SCHEDULE_*`` settings: defined in :mod:`core.schedule_settings`
(part of :class:`core.config.Settings` as ``settings.schedule``), importable from here as before."""

from core.schedule_settings import ScheduleSettings

__all__ = ["ScheduleSettings"]
