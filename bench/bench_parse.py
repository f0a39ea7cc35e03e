"""Benchmark: parsing the two real editions (../shared/seeds) with the edition text parser.

Measures the wall time of parsing both seed texts once, the best and the median of
``--repeat`` runs. Target: both together well under a second (this was a timed test once;
timing belongs here, where a loaded machine makes a slow figure, not a failed test). Usage:
``python bench/bench_parse.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from core.importer.parse import parse_edition  # noqa: E402 - after the path set-up

SEEDS = ROOT.parent / "shared" / "seeds"
TEXTS = [SEEDS / f"nachhaltigkeitsreport-{day}.txt" for day in ("2025-04-01", "2023-10-01")]
TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    runs = []
    for _ in range(max(args.repeat, 1)):
        began = time.perf_counter()
        for text in texts:
            parse_edition(text)
        runs.append(time.perf_counter() - began)
    best, median = min(runs), statistics.median(runs)
    print(
        f"both editions parsed: best {best:.3f} s, median {median:.3f} s "
        f"(target < {TARGET_SECONDS:.1f} s, {len(runs)} runs)"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
