"""The Word document, read back with python-docx: headings, tables, fields, badges, metadata."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table, _Cell
from support.pdf_text import LEGEND
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


def test_contents_link_to_the_chapters_with_page_reference_fields(
    document: DocxDocument, data: bytes
) -> None:
    body = document.element.body
    entries = [p for p in document.paragraphs if p.style is not None and p.style.name == "toc 1"]
    assert [p.text for p in entries] == [
        "Einleitung\t",
        "1. Klima/Energie/Umwelt\t",
        "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit\t",
        "Projektlisten\t",
        "Archiv\t",
    ]
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    for entry in entries:
        anchors = [h.get(qn("w:anchor")) for h in entry._p.iter(qn("w:hyperlink"))]
        (instruction,) = [t.text.strip() for t in entry._p.iter(qn("w:instrText"))]
        target = instruction.split()[1]
        assert instruction == f"PAGEREF {target} \\h"
        assert anchors == [target]
        assert target in bookmarks
    # no TOC field: LibreOffice would show its stored (unknown) numbers instead of computing them
    assert not [t for t in body.iter(qn("w:instrText")) if t.text.strip().startswith("TOC")]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'updateFields w:val="true"' in package.read("word/settings.xml")


def test_project_lists_are_a_landscape_section_between_portrait_ones(
    document: DocxDocument,
) -> None:
    # cover to Einleitung | chapters | project lists | archive
    sections = document.sections
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
        WD_ORIENT.PORTRAIT,
    ]
    assert [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in sections] == [
        (21.0, 29.7),
        (21.0, 29.7),
        (29.7, 21.0),
        (21.0, 29.7),
    ]
    # the later sections inherit the footer and have no title page of their own
    assert all(not s.different_first_page_header_footer for s in sections[1:])
    assert all(s.footer.is_linked_to_previous for s in sections[1:])
    # the section of the lists starts with their heading and ends after the tables
    body = list(document.element.body)
    breaks = [i for i, el in enumerate(body) if el.find(f".//{qn('w:sectPr')}") is not None]
    lists = body[breaks[1] + 1 : breaks[2] + 1]
    texts = [" ".join("".join(t.text for t in el.iter(qn("w:t"))).split()) for el in lists]
    assert texts[0] == "Projektlisten"
    assert sum(el.tag == qn("w:tbl") for el in lists) == 2
    assert " ".join(texts[-1].split()) == ""  # the paragraph that ends the section
    # tables of the landscape pages use the landscape width
    grid = [int(c.get(qn("w:w"))) for c in document.tables[0]._tbl.iter(qn("w:gridCol"))]
    content = sections[2].page_width - sections[2].left_margin - sections[2].right_margin
    assert abs(sum(grid) - Length(content).twips) <= len(grid)


def test_the_legend_heads_the_pages_of_chapters_lists_and_archive(
    document: DocxDocument,
) -> None:
    sections = document.sections
    assert [p.text for p in sections[0].header.paragraphs if p.text.strip()] == []
    assert not sections[1].header.is_linked_to_previous
    (para,) = sections[1].header.paragraphs
    assert para.style is not None and para.style.name == "Legend"
    assert " ".join(para.text.split()) == LEGEND
    swatches = para._p.findall(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:shd')}")
    assert [s.get(qn("w:fill")) for s in swatches] == ["3E9B3A", "E3A21A", "2F72B8", "8A8D91"]
    assert sections[2].header.is_linked_to_previous
    assert sections[3].header.is_linked_to_previous
    # not also in the text: the header shows it on every page
    assert not [p for p in document.paragraphs if "innerhalb des letzten halben" in p.text]


def test_chapters_start_on_a_new_page(document: DocxDocument) -> None:
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    # section breaks start the first chapter, the project lists and the archive (see below)
    assert breaks == [
        "Inhaltsverzeichnis",
        "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest",
        "2. GESELLSCHAFT/SOZIALE GERECHTIGKEIT/GESUNDHEIT",
        "Projektliste „Gesellschaft/soziale Gerechtigkeit/Gesundheit“",
    ]


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
    chapters = document.sections[1].header.paragraphs
    assert chapters[0].text == "ENTWURF"
    assert chapters[1].text.split()[0] == "umgesetzt"


def cell_text_with_soft_hyphens(cell: _Cell) -> str:
    parts = []
    for el in cell._tc.iter(qn("w:t"), qn("w:softHyphen")):
        parts.append("\u00ad" if el.tag == qn("w:softHyphen") else el.text)
    return "".join(parts)


def test_department_and_kommunen_cells_get_hyphenation_points(document: DocxDocument) -> None:
    """``hyphens: auto`` of these columns: soft hyphens at syllables, as the PDF breaks them."""
    rows = document.tables[0].rows
    departments = cell_text_with_soft_hyphens(rows[5].cells[7])  # 1.1.4.1
    assert departments.replace("\u00ad", "") == "Kantinenausschuss"
    assert departments.endswith("n\u00adaus\u00adschuss")  # "Kantinen-", "Kantinenaus-"
    kommunen = cell_text_with_soft_hyphens(rows[5].cells[6])
    assert "\u00ad" in kommunen
    assert kommunen.replace("\u00ad", "") == (
        "Monatliche Initialberatungen durch Energieberater in den Rathäusern"
    )
    title = cell_text_with_soft_hyphens(rows[5].cells[1])
    assert "\u00ad" not in title  # titles are not hyphenated, as in the PDF
