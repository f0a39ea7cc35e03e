"""Benchmark: assembly and rendering time per format, and peak memory.

Runs on the 98-project demo edition (loaded into a temporary SQLite database) and on a
synthetic edition ten times its size. Usage: ``python bench/bench_render.py [--scale 10]``.
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) is per task.
Targets: render time of the demo edition per format; the ×10 edition at most ``SCALE_LIMIT``
times the ×1 time; the ×10 PDF at most ``PEAK_MIB["pdf"]`` MiB peak. The whole-process PDF
against LibreOffice is ``bench/bench_pdf_vs_office.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.models import utcnow

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"html": 0.5, "docx": 3.0, "pdf": 1.5}
SCALE_LIMIT = {"html": 12.0, "docx": 12.0, "pdf": 10.0}
PEAK_MIB = {"pdf": 400.0}


def _task(kind: str, scale: int, fmt: str) -> dict[str, float]:
    """One measurement (runs inside the child process)."""
    sys.path.insert(0, str(REPO / "tests"))
    from datetime import date

    from core.assembly import assemble_edition
    from core.db import make_engine, make_session_factory
    from core.importer import demo_edition, import_parsed
    from core.render import render_docx, render_html, render_pdf
    from migrations import upgrade

    out = Path(tempfile.mkdtemp())
    assemble_s = 0.0
    if kind == "demo":
        engine = make_engine(f"sqlite:///{out / 'bench.sqlite3'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            import_parsed(session, demo_edition(), now=utcnow())
        with sessions() as session:
            began = time.perf_counter()
            edition = assemble_edition(session, date(2025, 4, 1))
            assemble_s = time.perf_counter() - began
    else:
        from support.sample_edition import synthetic_edition

        edition = synthetic_edition(scale)
    began = time.perf_counter()
    if fmt == "html":
        (out / "r.html").write_text(render_html(edition), encoding="utf-8")
    elif fmt == "docx":
        render_docx(edition, out / "r.docx")
    else:
        render_pdf(edition, out / "r.pdf")
    render_s = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "assemble_s": assemble_s,
        "render_s": render_s,
        "peak_mib": peak_mib,
        "projects": len(edition.projects()),
    }


def _run(kind: str, scale: int, fmt: str) -> dict[str, float]:
    code = (
        f"import json, sys; sys.path.insert(0, {str(REPO)!r}); "
        f"from bench.bench_render import _task; "
        f"print(json.dumps(_task({kind!r}, {scale}, {fmt!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Print a table of timings and memory; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    ok = True
    load = os.getloadavg()[0]
    print(f"load average (1 min) before the run: {load:.2f} on {os.cpu_count()} cores")
    print(
        f"{'edition':<22}{'format':<7}{'projects':>9}{'assemble s':>12}{'render s':>10}"
        f"{'peak MiB':>10}  target"
    )
    base: dict[str, float] = {}
    for label, kind, scale in (
        ("demo 01.04.2025", "demo", 1),
        ("synthetic ×1", "synthetic", 1),
        (f"synthetic ×{args.scale}", "synthetic", args.scale),
    ):
        for fmt in ("html", "docx", "pdf"):
            r = _run(kind, scale, fmt)
            if kind == "demo":
                target = f"≤ {TARGETS[fmt]} s"
                ok &= r["render_s"] <= TARGETS[fmt]
            elif scale == 1:
                base[fmt] = r["render_s"]
                target = "(baseline)"
            else:
                ratio = r["render_s"] / base[fmt]
                target = f"{ratio:.1f}× of ×1 (≤ {SCALE_LIMIT[fmt]:g}×)"
                ok &= ratio <= SCALE_LIMIT[fmt]
                if fmt in PEAK_MIB:
                    target += f", peak ≤ {PEAK_MIB[fmt]:g} MiB"
                    ok &= r["peak_mib"] <= PEAK_MIB[fmt]
            print(
                f"{label:<22}{fmt:<7}{int(r['projects']):>9}{r['assemble_s']:>12.3f}"
                f"{r['render_s']:>10.2f}{r['peak_mib']:>10.0f}  {target}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
