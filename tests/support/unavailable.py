"""The one rule for a test that needs something outside the project (a Debian program, the
PostgreSQL server, the real editions): skip locally with the reason, fail under ``CI=true``."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    """Skip the test with ``message``; under ``CI=true`` fail it instead (CI installs it all)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " – required in CI", pytrace=False)
    pytest.skip(message)
