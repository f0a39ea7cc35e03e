"""Benchmark: ``nhr site`` for the 98-project demo edition and a synthetic edition ten times its
size; screenshots of the start page and a project page at 1280 and 375 px into ``docs/``.

Usage: ``python bench/bench_site.py [--scale 10] [--repeat 3] [--no-screenshots]``.

* ``nhr site`` (demo): the command as a user runs it, in a subprocess (Python start-up, database,
  assembly, history, pages, JSON and CSV), with the edition's PDF and DOCX already in the folder
  (they are rendered once per published edition and kept; the first run's time is printed too).
* ``build`` (demo and synthetic ×N): :func:`core.site.build` in-process, pages, JSON and CSV. The
  synthetic edition has no database, so its history (two editions per project) is made up and
  assembly is not part of its time.

Targets: demo under 2 s, ×10 under 10 s. Screenshots need Debian's ``chromium``.
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
from dataclasses import replace
from datetime import date
from pathlib import Path

from core.models import utcnow

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

DOCS = REPO / "docs"
TARGET_DEMO_S = 2.0
TARGET_SCALED_S = 10.0


def _demo_database(folder: Path) -> str:
    from core.db import make_engine, make_session_factory
    from core.importer import demo_edition, import_parsed
    from migrations import upgrade

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        import_parsed(session, demo_edition(), now=utcnow())
    engine.dispose()
    return url


def _seeded_database(folder: Path) -> str | None:
    """Both real editions (../shared/seeds) in a database, if the seeds are there."""
    from support.seeds import SEED_2023, SEED_2025
    from support.site import seeded_sessions

    if not (SEED_2023.exists() and SEED_2025.exists()):
        return None
    sessions = seeded_sessions(folder / "seeds.sqlite3", [SEED_2023, SEED_2025])
    sessions.kw["bind"].dispose()
    return f"sqlite:///{folder / 'seeds.sqlite3'}"


def _nhr_site(url: str, out: Path, *extra: str) -> float:
    env = {**os.environ, "DATABASE_URL": url}
    nhr = Path(sys.executable).with_name("nhr")
    began = time.perf_counter()
    subprocess.run(
        [str(nhr), "site", "--out", str(out), *extra],
        check=True,
        env=env,
        capture_output=True,
        cwd=out.parent,
    )
    return time.perf_counter() - began


def _build_demo_in_process(url: str, out: Path) -> float:
    from core.config import get_settings
    from core.db import make_engine, make_session_factory
    from core.site.build import build_site

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    began = time.perf_counter()
    with sessions() as session:
        build_site(session, out, get_settings().publisher, documents=False)
    spent = time.perf_counter() - began
    engine.dispose()
    return spent


def _build_synthetic(scale: int, out: Path) -> tuple[float, int]:
    from support.sample_edition import synthetic_edition

    from core.config import get_settings
    from core.site.build import downloads_of, prepare_out, write_downloads, write_site
    from core.site.data import EditionRecord, build_site_data
    from core.status import Status

    edition = synthetic_edition(scale)
    first_id = max(p.project_id for p in edition.projects()) + 1
    edition = replace(
        edition,
        archive_implemented=tuple(
            replace(r, project_id=first_id + i) for i, r in enumerate(edition.archive_implemented)
        ),
        archive_dropped=tuple(
            replace(r, project_id=first_id + len(edition.archive_implemented) + i)
            for i, r in enumerate(edition.archive_dropped)
        ),
    )
    earlier = date(2024, 10, 1)
    editions = [EditionRecord(earlier, True, True), EditionRecord(edition.cutoff, True, True)]
    history = {
        p.project_id: [(earlier, p.number, Status.IN_PLANUNG), (edition.cutoff, p.number, p.status)]
        for p in edition.projects()
    }
    began = time.perf_counter()
    prepare_out(out)
    publisher = get_settings().publisher
    names, _ = write_downloads(edition, out, documents=False, publisher=publisher)
    site = build_site_data(
        edition,
        publisher,
        history,
        editions,
        {edition.cutoff: downloads_of(names, "")},
    )
    pages = write_site(site, out)
    return time.perf_counter() - began, pages


def _screenshots(site: Path) -> list[Path]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Screenshots übersprungen: Debian's chromium ist nicht installiert.")
        return []
    from playwright.sync_api import sync_playwright

    project = sorted(
        (p for p in (site / "projekte").glob("*.html") if p.stem.isdigit()),
        key=lambda p: int(p.stem),
    )
    target = next(
        (p for p in project if "Sanieren mit Zukunft" in p.read_text(encoding="utf-8")), project[0]
    )
    DOCS.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        for width, height in ((1280, 1000), (375, 812)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in (("start", site / "index.html"), ("projekt", target)):
                page.goto(path.as_uri())
                shot = DOCS / f"site-{name}-{width}.png"
                page.screenshot(path=str(shot))
                written.append(shot)
            page.close()
        browser.close()
    return written


def main() -> int:
    """Print the timings; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-screenshots", action="store_true")
    args = parser.parse_args()
    print(
        f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
        f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} cores"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = _demo_database(tmp)
        site = tmp / "site"
        first = _nhr_site(url, site)
        print(f"nhr site, demo 98 projects, first run incl. PDF and DOCX: {first:.2f} s")
        runs = [_nhr_site(url, site) for _ in range(args.repeat)]
        median = statistics.median(runs)
        ok &= median < TARGET_DEMO_S
        print(
            f"nhr site, demo 98 projects (PDF/DOCX kept): median {median:.2f} s "
            f"(runs {', '.join(f'{r:.2f}' for r in runs)}; target < {TARGET_DEMO_S} s)"
        )
        seeded = _seeded_database(tmp)
        if seeded is None:
            print("Beide echten Ausgaben: übersprungen (../shared/seeds fehlt).")
        else:
            both = tmp / "both"
            for edition in ("2023-10-01", "2025-04-01"):
                first_run = _nhr_site(seeded, both, "--edition", edition)
                timed = [_nhr_site(seeded, both, "--edition", edition) for _ in range(args.repeat)]
                e_median = statistics.median(timed)
                ok &= e_median < TARGET_DEMO_S
                print(
                    f"nhr site --edition {edition}, both real editions in one folder "
                    f"(PDF/DOCX kept; first run {first_run:.2f} s): median {e_median:.2f} s "
                    f"(runs {', '.join(f'{r:.2f}' for r in timed)}; "
                    f"target < {TARGET_DEMO_S} s)"
                )
        inproc = [_build_demo_in_process(url, tmp / f"inproc-{i}") for i in range(args.repeat)]
        print(f"build, demo 98 projects, in-process: median {statistics.median(inproc):.2f} s")
        scaled = [_build_synthetic(args.scale, tmp / f"scaled-{i}") for i in range(args.repeat)]
        s_median = statistics.median(t for t, _ in scaled)
        ok &= s_median < TARGET_SCALED_S
        print(
            f"build, synthetic ×{args.scale} ({98 * args.scale} projects, "
            f"{scaled[0][1]} pages): median {s_median:.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t, _ in scaled)}; target < {TARGET_SCALED_S} s)"
        )
        if not args.no_screenshots:
            for shot in _screenshots(site):
                print(f"screenshot: {shot.relative_to(REPO)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
