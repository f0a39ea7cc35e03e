"""Where the real editions live (../shared/seeds beside the repository)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from support.unavailable import unavailable

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
SEED_2025 = SEEDS / "nachhaltigkeitsreport-2025-04-01.txt"
SEED_2023 = SEEDS / "nachhaltigkeitsreport-2023-10-01.txt"
CUTOFF_2025 = date(2025, 4, 1)
CUTOFF_2023 = date(2023, 10, 1)


def require_seed(path: Path) -> Path:
    """A seed edition from ../shared; fails under CI=true, skips locally without ../shared."""
    if not path.exists():
        unavailable(f"seed missing: {path}")
    return path
