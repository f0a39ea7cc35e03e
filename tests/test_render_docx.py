"""The Word document, read back with python-docx: headings, tables, fields, badges, metadata."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.table import Table
from support.sample_edition import HOSTILE_TITLE, sample_edition

from core.render import render_docx
from core.view import AssembledEdition


def docx_bytes(edition: AssembledEdition) -> bytes:
    buffer = io.BytesIO()
    render_docx(edition, buffer)
    return buffer.getvalue()


def clean(text: str) -> str:
    """Cell or paragraph text without break hints and with single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u200b", "").replace("\u00ad", "")).strip()


@pytest.fixture(scope="module")
def data(rendered_sample: Callable[..., bytes]) -> bytes:
    return rendered_sample("docx")


@pytest.fixture(scope="module")
def document(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def headings(document: DocxDocument) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]


def table_rows(table: Table) -> list[list[str]]:
    return [[clean(cell.text) for cell in row.cells] for row in table.rows]


def test_headings_use_word_heading_styles_in_report_order(document: DocxDocument) -> None:
    found = headings(document)
    assert found[:8] == [
        ("Heading 1", "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest"),
        ("Heading 2", "Hintergrund"),
        ("Heading 2", "1. Klima/Energie/Umwelt"),
        ("Heading 2", "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit"),
        ("Heading 1", "1. KLIMA/ENERGIE/UMWELT"),
        ("Heading 2", "1.1 Strategisches Ziel 1"),
        ("Heading 3", "1.1.1 umgesetzte Projekte"),
        ("Heading 4", "1.1.1.1 Energieberatung für kreiseigene Gebäude"),
    ]
    level_1 = [text for style, text in found if style == "Heading 1"]
    assert level_1 == [
        "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest",
        "1. KLIMA/ENERGIE/UMWELT",
        "2. GESELLSCHAFT/SOZIALE GERECHTIGKEIT/GESUNDHEIT",
        "Projektlisten",
        "Archiv",
    ]
    assert ("Heading 2", "Projektliste „Klima/Energie/Umwelt“") in found


def test_cover_is_title_and_subtitles_before_the_contents(document: DocxDocument) -> None:
    first = [(p.style.name, p.text) for p in document.paragraphs[:4] if p.style is not None]
    assert first == [
        ("Title", "Nachhaltigkeitsreport\nKreis Soest"),
        ("Subtitle", "Stand: 01.04.2025"),
        ("Cover Claim", "ZIELE FÜR NACHHALTIGE ENTWICKLUNG"),
        ("TOC Heading", "Inhaltsverzeichnis"),
    ]


def test_contents_are_a_toc_field_word_can_update(document: DocxDocument, data: bytes) -> None:
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(re.fullmatch(r'\s*TOC \\o "1-1".*', text) for text in instructions)
    entries = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "toc 1"
    ]
    assert entries == [
        "Einleitung",
        "1. Klima/Energie/Umwelt",
        "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit",
        "Projektlisten",
        "Archiv",
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'updateFields w:val="true"' in package.read("word/settings.xml")


def test_chapters_start_on_a_new_page(document: DocxDocument) -> None:
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest" in breaks
    assert "Projektlisten" in breaks
    assert "Archiv" in breaks


def test_project_blocks_read_as_labelled_paragraphs_and_dated_entries(
    document: DocxDocument,
) -> None:
    texts = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    start = texts.index(("Heading 4", "1.1.2.1 Klimaschutzkonzept 2.0"))
    block = texts[start : start + 16]
    assert block[1] == ("Status Line", "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022")
    assert block[2] == ("Label", "Projektbeschreibung:")
    assert ("Label", "abgeschlossene Meilensteine (Datum des Abschlusses):") in block
    assert ("Dated Entry", "21.03.2024\tKreistag, Beschlussvorlage 029/2024") in block
    assert ("Dated Entry", "April 2025\tAbschluss der IST-Analyse im EEA") in block


def test_project_list_tables_have_header_rows_and_the_x_in_the_status_column(
    document: DocxDocument,
) -> None:
    climate = document.tables[0]
    rows = table_rows(climate)
    assert rows[0][:3] == ["Nr. Textteil", "Projekt", "Projektstatus"]
    assert rows[0][-1] == "Verantwortlichkeit Abteilung/Sachgebiet"
    assert rows[1][2:6] == ["Ideenspeicher", "Planung", "Bearbeitung", "Umgesetzt"]
    body = rows[2:]
    assert [row[0] for row in body] == [
        "1.1.1.1",
        "1.1.2.1",
        "1.1.3.1",
        "1.1.4.1",
        "1.1.4.2",
        "1.2.2.1",
        "1.2.3.1",
    ]
    columns = {"Ideenspeicher": 2, "Planung": 3, "Bearbeitung": 4, "Umgesetzt": 5}
    expected = [
        "Umgesetzt",
        "Bearbeitung",
        "Planung",
        "Ideenspeicher",
        "Ideenspeicher",
        "Bearbeitung",
        "Planung",
    ]
    for row, status in zip(body, expected, strict=True):
        marks = [row[i] for i in columns.values()]
        assert marks.count("x") == 1
        assert row[columns[status]] == "x"
    assert body[4][1] == HOSTILE_TITLE
    assert body[4][-1] == "80.01, wfg"
    assert body[1][6] == "Klimawerkstätten in allen 14 Städten und Gemeinden"
    header_rows = climate._tbl.findall(qn("w:tr"))[:2]
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in header_rows)


def test_archive_tables_follow_the_project_lists(document: DocxDocument) -> None:
    implemented, dropped = document.tables[2], document.tables[3]
    assert table_rows(implemented)[0] == ["Themenfelder", "Projekte", "Report", "Nummer"]
    assert table_rows(implemented)[1] == [
        "Klima/Energie/Umwelt",
        "10 Jahre Klimaschutzmanagement",
        "01.10.2022",
        "1.1.1 + 1.2.1",
    ]
    assert table_rows(dropped)[0] == ["Themenfeld", "Projekt", "Grund", "letzte Erwähnung"]
    assert table_rows(dropped)[1][2] == "ersetzt durch Projekt „Schwammwald“"


def test_footer_shows_seite_and_a_page_field(document: DocxDocument) -> None:
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Seite ")
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert section.different_first_page_header_footer  # the cover has no page number
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7


def test_core_properties_carry_title_and_language(document: DocxDocument) -> None:
    props = document.core_properties
    assert props.title == "Nachhaltigkeitsreport Kreis Soest – Stand: 01.04.2025"
    assert props.language == "de"
    assert props.author == "Kreis Soest"


def test_content_is_editable_text_without_text_boxes(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    assert b"txbxContent" not in xml
    assert b"<w:drawing" not in xml


def test_changes_view_shows_badges_as_highlighted_runs() -> None:
    document = Document(io.BytesIO(docx_bytes(sample_edition(show_changes=True))))
    highlighted = [
        run.text.strip()
        for p in document.paragraphs
        for run in p.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert "neues Projekt" in highlighted
    assert "Status geändert – bisher: in Bearbeitung" in highlighted
    assert highlighted.count("neu") == 2
    plain = Document(io.BytesIO(docx_bytes(sample_edition())))
    assert not [run for p in plain.paragraphs for run in p.runs if run.font.highlight_color]


def test_draft_is_marked_on_the_cover_and_in_the_header() -> None:
    document = Document(io.BytesIO(docx_bytes(sample_edition(draft=True))))
    assert document.paragraphs[0].text == "ENTWURF"
    assert document.sections[0].header.paragraphs[0].text == "ENTWURF"
