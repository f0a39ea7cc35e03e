"""Test support: a fake Telegram Bot API server and the pytest fixtures around it."""
