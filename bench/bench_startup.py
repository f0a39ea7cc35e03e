"""Benchmark: start-up of the ``nhr`` command as a process.

Measures the wall time of ``nhr --help`` and of ``nhr render --format html`` (on the demo
database that ``nhr demo`` leaves behind, made once in a temporary directory), each the best and
the median of ``--repeat`` runs, plus ``python -c pass`` as the interpreter's floor. Targets
(issue #12): ``--help`` ≤ 0.3 s, ``render --format html`` ≤ 1.0 s. Usage:
``python bench/bench_startup.py [--repeat 5] [--nhr .venv/bin/nhr]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--help": 0.3, "render --format html": 1.0}


def _time(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    default_nhr = Path(sys.executable).with_name("nhr")
    parser.add_argument(
        "--nhr", default=str(default_nhr) if default_nhr.exists() else shutil.which("nhr") or "nhr"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="nhr-bench-startup-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'nhr.sqlite3'}",
        "OUTPUT_DIR": str(work / "out"),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    try:
        subprocess.run(
            [args.nhr, "demo"],
            cwd=work,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        runs = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--help": [args.nhr, "--help"],
            "render --format html": [args.nhr, "render", "--format", "html", "--quiet"],
        }
        load = os.getloadavg()[0]
        print(f"load average (1 min): {load:.2f}; {args.repeat} runs each")
        for name, argv in runs.items():
            _time(argv, work, env)  # warm the file cache
            times = [_time(argv, work, env) for _ in range(args.repeat)]
            target = TARGETS.get(name)
            verdict = (
                ""
                if target is None
                else (f"  target ≤ {target:.1f} s: {'ok' if min(times) <= target else 'MISSED'}")
            )
            print(
                f"{name:<22} best {min(times):.3f} s  median {statistics.median(times):.3f} s"
                f"{verdict}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
