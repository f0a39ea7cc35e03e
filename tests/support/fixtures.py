"""Pytest fixtures for end-to-end tests against the fake Bot API.

Import them into a conftest with ``from support.fixtures import fake_bot_api``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .fake_bot_api import FakeBotApi


@pytest_asyncio.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """A started FakeBotApi on a free loopback port, closed after the test."""
    async with FakeBotApi() as api:
        yield api
