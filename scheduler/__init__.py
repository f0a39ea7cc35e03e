"""Prompts, reminders and the cutoff draft: APScheduler triggers, the database decides."""
