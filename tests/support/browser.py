"""Headless Chromium from Debian's ``chromium`` package, driven by Playwright (nothing is
downloaded: Playwright's own browser builds are never installed)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.unavailable import unavailable

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def system_chromium() -> Path | None:
    """The system's Chromium executable, if installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def require_chromium() -> Path:
    """The system Chromium; fails under CI=true, skips locally when it is missing."""
    path = system_chromium()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        unavailable(message)
    return path


#: Chromium as root (CI, containers) refuses to start without this.
LAUNCH_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]
