"""The PDF, read back with pypdf and pdfminer.six: text, tags, outline, TOC pages."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import typst
from pdfminer.high_level import extract_pages
from pdfminer.high_level import extract_text as pdfminer_text
from pdfminer.layout import LTChar, LTComponent, LTContainer
from pypdf import PdfReader
from pypdf.generic import Destination
from support.pdf_text import (
    CONTENTS_TARGETS,
    LEGEND,
    Page,
    broken_mid_word,
    first_page_with,
    printed_forms,
    read_pages,
)
from support.sample_edition import HOSTILE_TITLE, sample_edition
from support.unavailable import unavailable

from core.render import render_pdf
from core.render.environment import templates_root
from core.render.pdf import PDF_STANDARD, typst_source

#: Table of contents entry -> the start of the heading it points to.
TOC_TARGETS = {
    "Einleitung": "Einleitung und Übersicht zum",
    "1. Klima/Energie/Umwelt": "1. KLIMA/ENERGIE/UMWELT",
    "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit": "2. GESELLSCHAFT/SOZIALE",
    "Projektlisten": "Projektlisten\nProjektliste „Klima/Energie/Umwelt“",
    "Archiv": "Archiv\nder Projekte, die nicht mehr im Report enthalten sind",
}


def squeeze(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace("\u00ad", "").replace("\u200b", ""))


@pytest.fixture(scope="module")
def pdf_bytes(rendered_sample: Callable[..., bytes]) -> bytes:
    return rendered_sample("pdf")


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def pages(reader: PdfReader) -> list[str]:
    return [squeeze(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def printed(pdf_bytes: bytes) -> list[Page]:
    """The pages as pdfminer.six lays them out, with their sizes."""
    return read_pages(pdf_bytes)


def list_and_archive_pages(printed: list[Page]) -> tuple[list[Page], list[Page]]:
    lists = first_page_with(printed, CONTENTS_TARGETS["Projektlisten"], after=2)
    archive = first_page_with(printed, CONTENTS_TARGETS["Archiv"], after=lists)
    return printed[lists - 1 : archive - 1], printed[archive - 1 :]


def assert_in_order(text: str, *parts: str) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)


def contents_entries(pages: list[str]) -> dict[str, int]:
    """The table of contents as printed: entry -> page number."""
    toc_page = next(text for text in pages if text.startswith("Inhaltsverzeichnis"))
    entries = {}
    for line in toc_page.splitlines():
        match = re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line)
        if match:
            entries[match.group(1)] = int(match.group(2))
    return entries


def test_pdf_is_a4_with_a_cover_without_page_number(reader: PdfReader, pages: list[str]) -> None:
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert_in_order(
        pages[0],
        "Nachhaltigkeitsreport\nKreis Soest",
        "Stand: 01.04.2025",
        "ZIELE FÜR NACHHALTIGE ENTWICKLUNG",
    )
    assert "Seite" not in pages[0]
    assert pages[1].rstrip().endswith("Seite 2")


def test_pdf_text_reads_in_report_order(pages: list[str]) -> None:
    assert_in_order(
        "\n".join(pages),
        "Inhaltsverzeichnis",
        "Einleitung und Übersicht zum",
        "1. KLIMA/ENERGIE/UMWELT",
        "1.1 Strategisches Ziel 1",
        "1.1.1 umgesetzte Projekte",
        "1.1.1.1 Energieberatung für kreiseigene Gebäude",
        "Projektstart/im Status „umgesetzte Projekte“ seit: 24.09.2024",
        "Projektbeschreibung:",
        "abgeschlossene Meilensteine (Datum des Abschlusses):",
        "31.12.2023",
        "Abschluss der Bestandsaufnahme an den Gebäuden",
        "Beratung/Information in politischen Gremien",
        "Bemerkung (optional):",
        "1.1.2 Projekte in Bearbeitung",
        "1.2.1 umgesetzte Projekte",
        "seit der letzten Überarbeitung zum 01.10.2024 keine Projekte abgeschlossen",
        "2. GESELLSCHAFT/SOZIALE",
        "Projektstart/im Status „umgesetzte Projekte“ seit: 07.06.2024/ 01.10.2024",
        "Projektlisten",
        "Projektliste „Klima/Energie/Umwelt“",
        "Archiv",
        "Umgesetzte Projekte",
        "Entfallene Projekte",
    )


def test_chapter_pages_carry_the_status_legend(pages: list[str]) -> None:
    legend = (
        "umgesetzt (innerhalb des letzten halben Jahres) in Bearbeitung in Planung Ideenspeicher"
    )
    chapter_pages = [text for text in pages if "Strategisches Ziel" in text]
    assert chapter_pages
    assert all(legend in text.replace("\n", " ") for text in chapter_pages)
    assert legend not in pages[2].replace("\n", " ")  # the Einleitung


def test_escaped_title_prints_literally(pages: list[str]) -> None:
    assert HOSTILE_TITLE.split(" <")[0] in "\n".join(pages)
    assert "<script>alert('x')</script>" in "".join(pages).replace("\n", "")


def test_contents_page_numbers_are_the_pages_of_the_headings(pages: list[str]) -> None:
    entries = contents_entries(pages)
    assert list(entries) == list(TOC_TARGETS)
    toc_index = next(i for i, text in enumerate(pages) if text.startswith("Inhaltsverzeichnis"))
    for entry, heading in TOC_TARGETS.items():
        actual = next(i for i, text in enumerate(pages) if i > toc_index and heading in text)
        assert entries[entry] == actual + 1, entry


def test_outline_lists_the_chapters_with_goals_below(reader: PdfReader) -> None:
    top = [item.title for item in reader.outline if isinstance(item, Destination)]
    assert top == [
        "Inhaltsverzeichnis",
        "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest",
        "1. KLIMA/ENERGIE/UMWELT",
        "2. GESELLSCHAFT/SOZIALE GERECHTIGKEIT/GESUNDHEIT",
        "Projektlisten",
        "Archiv",
    ]
    chapter_index = next(
        i
        for i, item in enumerate(reader.outline)
        if isinstance(item, Destination) and item.title == "1. KLIMA/ENERGIE/UMWELT"
    )
    goals = reader.outline[chapter_index + 1]
    assert isinstance(goals, list)
    assert goals[0].title == "1.1 Strategisches Ziel 1"
    projects = goals[1]
    assert isinstance(projects, list)
    assert projects[0].title == "1.1.1.1 Energieberatung für kreiseigene Gebäude"


def test_pdf_is_tagged_and_identifies_as_pdf_ua_1(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)
    assert "Nachhaltigkeitsreport Kreis Soest – Stand: 01.04.2025" in xmp


def test_document_information_has_title_and_author(reader: PdfReader) -> None:
    assert reader.metadata is not None
    assert reader.metadata.title == "Nachhaltigkeitsreport Kreis Soest – Stand: 01.04.2025"
    assert reader.metadata.author == "Kreis Soest"


def test_all_fonts_are_embedded(reader: PdfReader) -> None:
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            seen += 1
            if font["/Subtype"] == "/Type3":  # colour emoji: glyph programs inside the PDF
                assert font["/CharProcs"]
                continue
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
    assert seen


@pytest.mark.slow
def test_draft_pdf_says_entwurf_on_the_cover() -> None:
    buffer = io.BytesIO()
    render_pdf(sample_edition(draft=True), buffer)
    first = PdfReader(buffer).pages[0].extract_text()
    assert "ENTWURF" in first


@pytest.mark.slow
def test_pdf_can_be_written_to_a_path(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    render_pdf(sample_edition(), target)
    assert target.read_bytes().startswith(b"%PDF-1.7")


def test_a_second_reader_reads_the_same_order(pdf_bytes: bytes) -> None:
    """pdfminer.six (its own parser and layout analysis, unlike pypdf) reads the text in the
    report's order, as a screen reader or a copy-and-paste would."""
    text = pdfminer_text(io.BytesIO(pdf_bytes))
    assert_in_order(
        squeeze(text),
        "Inhaltsverzeichnis",
        "1. KLIMA/ENERGIE/UMWELT",
        "1.1.1.1 Energieberatung für kreiseigene Gebäude",
        "Projektstart/im Status „umgesetzte Projekte“ seit: 24.09.2024",
        "1.2.1 umgesetzte Projekte",
        "seit der letzten Überarbeitung zum 01.10.2024 keine Projekte abgeschlossen",
        "Projektliste „Klima/Energie/Umwelt“",
        "Entfallene Projekte",
    )


def test_project_lists_are_landscape_and_they_and_the_archive_carry_the_legend(
    printed: list[Page],
) -> None:
    lists, archive = list_and_archive_pages(printed)
    assert len(lists) == 2  # one page per Themenfeld
    assert [page.number for page in printed if page.landscape] == [p.number for p in lists]
    assert archive
    for page in lists + archive:
        assert LEGEND in page.flat, page.number
    assert LEGEND not in printed[1].flat  # the contents


def test_project_list_words_break_only_at_syllables_with_a_hyphen(printed: list[Page]) -> None:
    lists, _ = list_and_archive_pages(printed)
    text = "\n".join(page.text for page in lists)
    # "Kantinenausschuss" in the department column: whole or hyphenated, never cut ("…schus s")
    for word in ("Kantinenausschuss", "Ideenspeicher", "Planung", "Bearbeitung", "Umgesetzt"):
        assert printed_forms(text, word), word
        assert broken_mid_word(text, word) == [], word


def test_text_is_set_in_dejavu_sans(reader: PdfReader) -> None:
    """The report's sans-serif font (Debian's fonts-dejavu-core, installed by .ci/run), not
    Typst's built-in serif fallback."""
    if "DejaVu Sans" not in typst.Fonts().families():
        message = "DejaVu Sans is not installed (apt-get install fonts-dejavu-core)"
        unavailable(message)
    names = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get_object().get("/Font", {}).values()
    }
    assert any("DejaVuSans" in name for name in names), names
    assert not any("Libertinus" in name for name in names), names


def _chars(item: LTComponent) -> list[LTChar]:
    if isinstance(item, LTChar):
        return [item]
    if isinstance(item, LTContainer):
        return [char for child in item for char in _chars(child)]
    return []


def test_project_list_links_lead_to_the_pages_of_their_projects(
    pdf_bytes: bytes, reader: PdfReader, printed: list[Page]
) -> None:
    """Typst sets the project lists from its second layout pass on (their links resolve only
    then); every link still leads to the page that prints its project: the page of the link
    target carries the number printed left of the link, in the first column of its row."""
    lists, _ = list_and_archive_pages(printed)
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    layouts = extract_pages(io.BytesIO(pdf_bytes), page_numbers=[p.number - 1 for p in lists])
    checked = 0
    for page, layout in zip(lists, layouts, strict=True):
        chars = _chars(layout)
        for annotation in reader.pages[page.number - 1].get("/Annots", []):
            annotation = annotation.get_object()
            if "/Dest" not in annotation:
                continue
            x0, y0, _, y1 = (float(v) for v in annotation["/Rect"])
            number = "".join(
                c.get_text() for c in chars if c.x1 < x0 and y0 <= (c.y0 + c.y1) / 2 <= y1
            ).strip()
            assert re.fullmatch(r"\d+(\.\d+){3}", number), number
            target = printed[page_index[annotation["/Dest"].get_object()[0].idnum]]
            assert f"{number} " in target.flat, (number, target.number)
            checked += 1
    assert checked == len(sample_edition().projects())


def test_typst_sets_the_report_without_warnings() -> None:
    """The deferred tables need a third layout pass; Typst warns when its layout does not settle
    within five. The report sets without any warning."""
    compiler = typst.Compiler(root=str(templates_root()))
    source = typst_source(sample_edition(show_changes=True))
    _, warnings = compiler.compile_with_warnings(source.encode(), pdf_standards=[PDF_STANDARD])
    assert warnings == []


def test_project_lists_are_on_landscape_pages(reader: PdfReader, pages: list[str]) -> None:
    for page, text in zip(reader.pages, pages, strict=True):
        box = page.mediabox
        landscape = float(box.width) > float(box.height)
        assert landscape == ("Projektliste „" in text), text[:80]


def test_draft_watermark_is_on_every_page() -> None:
    buffer = io.BytesIO()
    render_pdf(sample_edition(draft=True), buffer)
    reader = PdfReader(buffer)
    assert len(reader.pages) > 3
    assert all("ENTWURF" in page.extract_text() for page in reader.pages)


def test_changes_view_prints_its_badges() -> None:
    buffer = io.BytesIO()
    render_pdf(sample_edition(show_changes=True), buffer)
    text = squeeze(pdfminer_text(io.BytesIO(buffer.getvalue()))).replace("\n", " ")
    assert_in_order(
        text,
        "1.1.1.1 Energieberatung für kreiseigene Gebäude",
        "Status geändert – bisher: in Bearbeitung",
        "bisherige Nr. 1.1.2.2",
        "neues Projekt",
    )
    assert "neu" in text.split("Informationsvorlage 282/2024")[1][:20]
