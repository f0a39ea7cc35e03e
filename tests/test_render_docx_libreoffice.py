"""The DOCX as LibreOffice lays it out: converted to PDF once with ``soffice``, read with pdfminer.

Needs LibreOffice Writer (Debian: ``libreoffice-writer``). Without it the tests are skipped
locally and fail under ``CI=true``; ``.ci/run`` installs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from support.pdf_text import (
    CONTENTS_TARGETS,
    LEGEND,
    Page,
    broken_mid_word,
    contents_entries,
    first_page_with,
    printed_forms,
    read_pages,
)
from support.sample_edition import sample_edition
from support.unavailable import unavailable

from core.render import render_docx

pytestmark = pytest.mark.slow


def soffice() -> str:
    """The LibreOffice binary; fails under CI=true, skips locally when it is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer"
        unavailable(message)
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    """The sample edition's DOCX converted to PDF by LibreOffice (one conversion per module).

    A profile of its own keeps the conversion apart from any LibreOffice already running.
    """
    binary = soffice()
    work = tmp_path_factory.mktemp("soffice")
    source = work / "report.docx"
    render_docx(sample_edition(), source)
    result = subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    target = work / "report.pdf"
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return read_pages(target.read_bytes())


def list_pages(pages: list[Page]) -> list[Page]:
    lists = first_page_with(pages, CONTENTS_TARGETS["Projektlisten"], after=2)
    archive = first_page_with(pages, CONTENTS_TARGETS["Archiv"], after=lists)
    return pages[lists - 1 : archive - 1]


def test_contents_show_the_pages_where_the_chapters_start(pages: list[Page]) -> None:
    entries = contents_entries(pages)
    assert list(entries) == list(CONTENTS_TARGETS)
    contents_page = first_page_with(pages, "Inhaltsverzeichnis")
    for entry, heading in CONTENTS_TARGETS.items():
        assert entries[entry] == first_page_with(pages, heading, after=contents_page), entry


def test_project_lists_are_landscape_pages_with_legend_and_page_numbers(
    pages: list[Page],
) -> None:
    lists = list_pages(pages)
    assert len(lists) == 2  # one page per Themenfeld
    assert [page.number for page in pages if page.landscape] == [page.number for page in lists]
    archive = pages[lists[-1].number]
    assert CONTENTS_TARGETS["Archiv"] in archive.flat
    for page in pages[1:]:  # the cover has no page number
        assert re.search(rf"\bSeite {page.number}(?!\d)", page.flat), page.number
    assert "Seite" not in pages[0].flat


def test_list_headers_are_not_broken_mid_word(pages: list[Page]) -> None:
    text = "\n".join(page.text for page in list_pages(pages))
    for word in ("Textteil", "Ideenspeicher", "Planung", "Bearbeitung", "Umgesetzt"):
        assert len(printed_forms(text, word)) >= 2, word  # on each page (and in the legend)
        assert broken_mid_word(text, word) == [], word


def test_long_words_in_list_cells_break_at_a_syllable_with_a_hyphen(pages: list[Page]) -> None:
    text = "\n".join(page.text for page in list_pages(pages))
    # wider than the department column: "Kantinenaus-/schuss", as in the PDF, never "…schu/ss"
    forms = printed_forms(text, "Kantinenausschuss")
    assert len(forms) == 1
    assert "|" in forms[0]
    assert broken_mid_word(text, "Kantinenausschuss") == []
    assert broken_mid_word(text, "Energieberater") == []  # a Kommunen cell


def test_the_legend_heads_every_page_of_chapters_lists_and_archive(pages: list[Page]) -> None:
    first_chapter = first_page_with(pages, CONTENTS_TARGETS["1. Klima/Energie/Umwelt"], after=2)
    with_legend = [page.number for page in pages if LEGEND in page.flat]
    assert with_legend == list(range(first_chapter, len(pages) + 1))
    assert all(page.flat.count(LEGEND) == 1 for page in pages[first_chapter - 1 :])
