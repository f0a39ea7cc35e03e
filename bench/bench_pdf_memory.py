"""Benchmark: where the PDF's memory goes, stage by stage, for one edition.

Runs the stages of :func:`core.render.pdf.render_pdf` one after the other in a fresh process
(the demo edition's stages after its import, or the synthetic edition ``--scale`` times the
demo's size) and prints after each stage the resident memory (VmRSS) and the peak so far
(VmHWM), both of the whole process: imports, the edition objects, the HTML string, the Typst
source (the HTML and its tree are gone by then), and Typst's compile with the PDF export.
The last line is the whole process's peak (``ru_maxrss``, as ``bench_render.py`` reports it).
Usage: ``python bench/bench_pdf_memory.py [--scale 10 | --demo]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.models import utcnow

REPO = Path(__file__).resolve().parents[1]


def _memory() -> tuple[int, int]:
    """VmRSS and VmHWM of this process in MiB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) // 1024
    return fields["VmRSS"], fields["VmHWM"]


def _stage(label: str, began: float) -> float:
    rss, hwm = _memory()
    now = time.perf_counter()
    print(f"{label:<44}{now - began:>8.2f}{rss:>9}{hwm:>9}", flush=True)
    return now


def _task(scale: int, demo: bool) -> None:
    """The measurement (runs inside the child process)."""
    sys.path.insert(0, str(REPO / "tests"))
    print(f"{'stage':<44}{'s':>8}{'RSS MiB':>9}{'HWM MiB':>9}")
    began = _stage("start", time.perf_counter())
    from core.render.html import render_html
    from core.render.pdf import source_to_pdf
    from core.render.typst_markup import TEMPLATE, html_to_typst

    began = _stage("imports (Jinja2, lxml, Typst)", began)
    if demo:
        from datetime import date

        from core.assembly import assemble_edition
        from core.db import make_engine, make_session_factory
        from core.importer import demo_edition, import_parsed
        from migrations import upgrade

        engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            import_parsed(session, demo_edition(), now=utcnow())
        with sessions() as session:
            edition = assemble_edition(session, date(2025, 4, 1))
    else:
        from support.sample_edition import synthetic_edition

        edition = synthetic_edition(scale)
    began = _stage(f"edition ({len(edition.projects())} projects)", began)
    html = render_html(edition)
    began = _stage(f"HTML ({len(html) / 1e6:.1f} MB)", began)
    source = html_to_typst(html, "/" + TEMPLATE)
    del html
    began = _stage(f"Typst source ({len(source) / 1e6:.1f} MB), HTML dropped", began)
    pdf = source_to_pdf(source)
    began = _stage(f"Typst compile and PDF export ({len(pdf) / 1e6:.1f} MB)", began)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"whole-process peak (ru_maxrss): {peak:.0f} MiB")


def main() -> int:
    """Run the stages in a fresh interpreter and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10, help="synthetic edition size (×98)")
    parser.add_argument("--demo", action="store_true", help="the 98-project demo edition")
    args = parser.parse_args()
    print(
        f"load average (1 min) before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    code = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); "
        f"from bench.bench_pdf_memory import _task; _task({args.scale}, {args.demo})"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
