"""Benchmark: our PDF against LibreOffice converting our own DOCX, whole processes, one run.

Loads the 98-project demo edition into a temporary SQLite database (``nhr demo``, which also
writes the DOCX), then times, as separate processes and alternately:

* ``nhr render --format pdf`` (start-up, assembly, HTML, Typst, writing the PDF);
* ``soffice --headless --convert-to pdf`` of the DOCX that ``nhr`` wrote for the same edition
  (with a warmed-up LibreOffice profile of its own, which favours LibreOffice).

Prints each run, the medians and the ratio (target: ≤ 1.0× LibreOffice). Without ``soffice``
on the PATH the comparison is skipped with a message and only our time is printed.
Usage: ``python bench/bench_pdf_vs_office.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.0


def _nhr() -> list[str]:
    """The ``nhr`` of this interpreter's environment (the installed entry point)."""
    script = Path(sys.executable).with_name("nhr")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nhr.cli"]


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, all threads) of one process."""
    cpu = _cpu_children()
    began = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=cwd, capture_output=True)
    return time.perf_counter() - began, _cpu_children() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) before the run: {load:.2f} on {os.cpu_count()} cores")

    work = Path(tempfile.mkdtemp(prefix="nhr-bench-pdf-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "OUTPUT_DIR": str(work / "demo"),
    }
    subprocess.run([*_nhr(), "demo"], check=True, env=env, cwd=work, capture_output=True)
    docx = next((work / "demo").glob("*.docx"))
    ours = [*_nhr(), "render", "--format", "pdf", "--out", str(work / "ours"), "--quiet"]

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    office: list[str] | None = None
    if soffice is None:
        print(
            "soffice not found: LibreOffice comparison skipped "
            "(apt-get install libreoffice-writer to run it); timing nhr alone"
        )
    else:
        profile = (work / "lo-profile").as_uri()
        office = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "office"),
            str(docx),
        ]

    # One untimed run of each: byte-code caches, LibreOffice's first-start profile set-up.
    _timed(ours, env, work)
    if office is not None:
        _timed(office, env, work)

    ours_s: list[float] = []
    office_s: list[float] = []
    for run in range(1, args.runs + 1):
        wall, cpu = _timed(ours, env, work)
        ours_s.append(wall)
        line = f"run {run}: nhr render --format pdf {wall:6.2f} s (CPU {cpu:5.2f} s)"
        if office is not None:
            wall, cpu = _timed(office, env, work)
            office_s.append(wall)
            line += f"   soffice --convert-to pdf (our DOCX) {wall:6.2f} s (CPU {cpu:5.2f} s)"
        print(line)

    ours_median = statistics.median(ours_s)
    print(
        f"median nhr render --format pdf: {ours_median:.2f} s "
        f"(min {min(ours_s):.2f} s, {len(list((work / 'ours').glob('*.pdf')))} PDF)"
    )
    ok = True
    if office_s:
        office_median = statistics.median(office_s)
        ratio = ours_median / office_median
        ok = ratio <= TARGET_RATIO
        print(f"median soffice --convert-to pdf: {office_median:.2f} s (min {min(office_s):.2f} s)")
        print(
            f"ratio nhr / LibreOffice: {ratio:.2f}× (target ≤ {TARGET_RATIO:.1f}×) "
            f"{'ok' if ok else 'MISSED'}"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
