"""``nhr site`` on the command line: a clear German message and exit code 2 for bad input,
and never a file deleted outside ``--out``; the publisher profile reaches every output."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError
from support.site import crawl

from bot import texts as bot_texts
from core.config import get_settings
from core.db import make_engine, make_session_factory
from core.editions import get_or_create_edition
from core.frozen import edition_view
from core.importer import demo_edition, import_parsed
from core.importer.serialize import from_json
from core.models import utcnow
from core.render.html import render_html
from nhr import cli
from scheduler import texts as scheduler_texts

#: Each imports real editions or builds whole sites: seconds per test (fast lane skips them).
pytestmark = pytest.mark.slow


def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, unna: bool = False) -> str:
    url = f"sqlite:///{tmp_path / 'nhr.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    get_settings.cache_clear()
    assert cli.main(["db", "upgrade"]) == 0
    if unna:
        # The publisher's own data names the publisher; a Kreis Unna has data about Unna.
        raw = resources.files("core.demo").joinpath("edition-2025-04-01.json").read_text("utf-8")
        parsed = from_json(json.loads(raw.replace("Soest", "Unna")))
    else:
        parsed = demo_edition()
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        import_parsed(session, parsed, now=utcnow())
    engine.dispose()
    return url


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo edition (98 projects) in a fresh SQLite file."""
    yield _database(tmp_path, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def bystanders(tmp_path: Path) -> list[Path]:
    """Files next to and above the output folder that no run may touch."""
    files = [tmp_path / "daneben.txt", tmp_path / "keep" / "wichtig.txt"]
    for f in files:
        f.parent.mkdir(exist_ok=True)
        f.write_text("bleibt", encoding="utf-8")
    return files


def _untouched(files: list[Path]) -> bool:
    return all(f.read_text(encoding="utf-8") == "bleibt" for f in files)


def test_nhr_site_writes_the_newest_published_edition(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], bystanders: list[Path]
) -> None:
    out = tmp_path / "web"
    out.mkdir()
    (out / "eigene-datei.txt").write_text("bleibt", encoding="utf-8")
    assert cli.main(["site", "--out", str(out), "--no-documents"]) == 0
    assert "Website geschrieben" in capsys.readouterr().out
    assert (out / "index.html").is_file() and len(list((out / "projekte").glob("*.html"))) >= 98
    assert _untouched([*bystanders, out / "eigene-datei.txt"])
    assert not (out / ".nhr-site-schreibtest").exists()


def test_an_unknown_edition_is_refused_and_nothing_is_written(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], bystanders: list[Path]
) -> None:
    out = tmp_path / "web"
    assert cli.main(["site", "--edition", "2019-04-01", "--out", str(out)]) == 2
    assert "Eine Ausgabe zum Stand 01.04.2019 gibt es nicht." in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse: the console script exits with 2
        cli.main(["site", "--edition", "gestern", "--out", str(out)])
    assert usage.value.code == 2
    assert "„gestern“ ist kein Datum" in capsys.readouterr().err
    assert not out.exists() and _untouched(bystanders)


def test_an_unpublished_edition_needs_draft(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(database)
    with make_session_factory(engine).begin() as session:
        get_or_create_edition(session, date(2025, 10, 1))  # being collected
    engine.dispose()
    out = tmp_path / "web"
    assert cli.main(["site", "--edition", "2025-10-01", "--out", str(out)]) == 2
    assert "noch nicht veröffentlicht" in capsys.readouterr().err
    assert (
        cli.main(
            ["site", "--edition", "2025-10-01", "--draft", "--no-documents", "--out", str(out)]
        )
        == 0
    )
    # A draft is written as that edition's own site only, never at the top of the folder.
    draft_start = out / "ausgaben" / "2025-10-01" / "index.html"
    assert "Entwurf" in draft_start.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in draft_start.read_text(encoding="utf-8")
    assert not (out / "index.html").exists()


def test_an_out_that_is_a_file_is_refused_and_kept(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], bystanders: list[Path]
) -> None:
    target = tmp_path / "keep" / "wichtig.txt"
    assert cli.main(["site", "--out", str(target)]) == 2
    assert "ist eine Datei, kein Ordner" in capsys.readouterr().err
    assert _untouched(bystanders)


def _unwritable(tmp_path: Path) -> list[Path]:
    """Folders that cannot be written: below a file, and a read-only folder (or, for root,
    whom permissions do not stop, the kernel's read-only /sys)."""
    below_a_file = tmp_path / "keep" / "wichtig.txt" / "web"
    read_only = tmp_path / "nur-lesen"
    read_only.mkdir()
    read_only.chmod(0o555)
    if os.access(read_only, os.W_OK):
        read_only = Path("/sys/nhr-site-test")
    return [below_a_file, read_only]


def test_an_unwritable_out_is_refused(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], bystanders: list[Path]
) -> None:
    for out in _unwritable(tmp_path):
        assert cli.main(["site", "--out", str(out)]) == 2, out
        message = capsys.readouterr().err
        assert f"In den Ordner {out} kann nicht geschrieben werden" in message
    assert _untouched(bystanders)


# -- the publisher profile --------------------------------------------------------------------


def _text_of(path: Path) -> str:
    """A written file's text; a workbook's every cell and document property."""
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8")
    import openpyxl

    book = openpyxl.load_workbook(path)
    props = book.properties
    cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row]
    return "\n".join(
        [
            *cells,
            *(
                str(v)
                for v in (
                    props.title,
                    props.creator,
                    props.subject,
                    props.description,
                    props.keywords,
                )
            ),
        ]
    )


def test_with_another_publisher_no_output_says_soest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLISHER_NAME", "Kreis Unna")
    monkeypatch.setenv("PUBLISHER_GENITIVE", "des Kreises Unna")
    monkeypatch.setenv("PUBLISHER_URL", "https://www.kreis-unna.de")
    url = _database(tmp_path, monkeypatch, unna=True)
    try:
        out = tmp_path / "web"
        assert cli.main(["site", "--out", str(out), "--no-documents"]) == 0
        help_text = cli.build_parser().format_help()
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            report = render_html(
                edition_view(session, demo_edition().cutoff), get_settings().render_options
            )
        engine.dispose()
        publisher = get_settings().publisher
        refusal = bot_texts.refusal(publisher.genitive, publisher.contact)
    finally:
        get_settings.cache_clear()
    outputs = {str(p): _text_of(p) for p in out.rglob("*") if p.is_file()}
    assert len(outputs) > 100
    outputs["report"] = report
    outputs["help"] = help_text + capsys.readouterr().out
    outputs["refusal"] = refusal
    for module in (bot_texts, scheduler_texts):
        for name, value in vars(module).items():
            if isinstance(value, str) and name.isupper():
                outputs[f"{module.__name__}.{name}"] = value
    assert [name for name, text in outputs.items() if "Soest" in text] == []
    assert refusal == (
        "Dieser Bot ist nur für eingeladene Ansprechpersonen des Kreises Unna.\n"
        "Bitte wenden Sie sich an die Nachhaltigkeitskoordination des Kreises Unna."
    )
    assert "<title>Nachhaltigkeitsreport Kreis Unna – Stand: 01.04.2025</title>" in report
    assert "Nachhaltigkeitsreport Kreis Unna" in outputs[str(out / "index.html")]


def test_the_default_publisher_is_kreis_soest_as_before(database: str, tmp_path: Path) -> None:
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        report = render_html(
            edition_view(session, demo_edition().cutoff), get_settings().render_options
        )
    engine.dispose()
    assert "<title>Nachhaltigkeitsreport Kreis Soest – Stand: 01.04.2025</title>" in report
    assert '<meta name="author" content="Kreis Soest">' in report
    assert (
        '<meta name="description" content="Nachhaltigkeitsreport des Kreises Soest: '
        'strategische Ziele und Projekte, Stand 01.04.2025">'
    ) in report
    assert '<span class="line">Kreis Soest</span>' in report
    assert "<h1>Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest</h1>" in report
    publisher = get_settings().publisher
    assert bot_texts.refusal(publisher.genitive, publisher.contact) == (
        "Dieser Bot ist nur für eingeladene Ansprechpersonen des Kreises Soest.\n"
        "Bitte wenden Sie sich an die Nachhaltigkeitskoordination des Kreises Soest."
    )


def test_the_logo_and_accent_colour_of_the_profile_reach_every_page(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logo = tmp_path / "wappen.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "utf-8")
    monkeypatch.setenv("PUBLISHER_LOGO", str(logo))
    monkeypatch.setenv("PUBLISHER_ACCENT", "#123abc")
    get_settings.cache_clear()
    out = tmp_path / "web"
    assert cli.main(["site", "--out", str(out), "--no-documents"]) == 0
    assert (out / "assets" / "logo.svg").read_bytes() == logo.read_bytes()
    for page in (out / "index.html", next((out / "projekte").glob("*.html"))):
        html = page.read_text(encoding="utf-8")
        assert "logo.svg" in html and "--accent: #123abc;" in html
    assert crawl(out).broken == []


def test_an_accent_colour_that_is_not_a_colour_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PUBLISHER_ACCENT", "red; } body { display: none")
    get_settings.cache_clear()
    with pytest.raises(ValidationError):
        get_settings()
    get_settings.cache_clear()
