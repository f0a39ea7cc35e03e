"""The collection calendar from environment variables (``SCHEDULE_*``), with the defaults of
:class:`core.schedule.ScheduleConfig`. It is part of :class:`core.config.Settings`
(``settings.schedule``), read once with them and handed to every part, so that the scheduler's
reminders, the bot's /stand and /erinnern and ``nhr schedule`` name the same deadline."""

from __future__ import annotations

from datetime import time, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.schedule import ScheduleConfig, parse_reminders


class ScheduleSettings(BaseSettings):
    """``SCHEDULE_WINDOW_WEEKS=6``, ``SCHEDULE_REMINDERS=3w,1w,2wd``, ``SCHEDULE_OFFICE_START=8``
    ... read from the environment or ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="SCHEDULE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    window_weeks: int = 6
    deadline_weeks: int = 2
    reminders: str = "3w,1w,2wd"
    office_start: time = time(8)
    office_end: time = time(17)
    send_time: time = time(9)
    timezone: str = "Europe/Berlin"
    due_check_seconds: int = 60

    def config(self) -> ScheduleConfig:
        """The pure configuration the planner uses."""
        return ScheduleConfig(
            window_before=timedelta(weeks=self.window_weeks),
            deadline_before=timedelta(weeks=self.deadline_weeks),
            reminders=parse_reminders(self.reminders),
            office_start=self.office_start,
            office_end=self.office_end,
            send_time=self.send_time,
            timezone=self.timezone,
        )
