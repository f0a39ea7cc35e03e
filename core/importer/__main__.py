"""Regenerate the shipped demo data: ``python -m core.importer SEED.txt``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.importer import DEMO_RESOURCE
from core.importer.parse import parse_edition
from core.importer.serialize import to_json


def main() -> int:
    """Parse the given edition text and write it as the package's demo data."""
    if len(sys.argv) != 2:
        print("usage: python -m core.importer nachhaltigkeitsreport-2025-04-01.txt")
        return 2
    parsed = parse_edition(Path(sys.argv[1]).read_text(encoding="utf-8"))
    target = Path(__file__).resolve().parents[1] / "demo" / DEMO_RESOURCE
    target.write_text(
        json.dumps(to_json(parsed), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"written: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
