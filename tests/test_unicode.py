"""Every character a phone can type prints: PDF, DOCX, HTML and the website.

A contact's texts go through the real services (draft, submit, approve) into a one-project
database and out through every renderer. Control characters are cleaned where text enters
(:func:`core.textnorm.clean_text`); a character that no installed font has is printed as U+FFFD
instead of stopping the PDF.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from datetime import date
from pathlib import Path

import docx
import lxml.html  # type: ignore[import-untyped]  # lxml ships no type information
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker
from support.fonts import require_print_fonts
from support.seeds import SEED_2025, require_seed
from support.typed_text import NOW, OCTOBER_2025, PUBLISHER, OneProject, typed_text

from core.admin import create_project, edit_project
from core.assembly import assemble_edition
from core.audit import Auditor
from core.changes import ChangeSet, NewConsultation, NewEntry
from core.db import make_engine, make_session_factory
from core.editions import get_or_create_edition, publish_edition
from core.fuzzydate_parse import parse_fuzzy_date
from core.importer.parse import parse_edition
from core.models import Project, utcnow
from core.render.docx import render_docx
from core.render.html import render_html
from core.render.pdf import html_to_pdf, render_pdf
from core.render.typst_markup import html_to_typst
from core.site.build import build_site
from core.textnorm import clean_text
from core.view import AssembledEdition
from migrations import upgrade

SAMPLES = {
    "emoji": "Läuft nach Plan 🌱👍",
    "zwj": "👩🏽\u200d💻",
    "hebrew": "שלום",
    "arabic": "مرحبا",
    "cjk": "中文",
    "korean": "한국어",
    "combining": "e\u0301",
    "symbols": "∑ → ✓",
}


def day(text: str) -> str:
    return parse_fuzzy_date(text).storage()


# -- reading every output back ------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def html_text(html: str) -> str:
    return str(lxml.html.document_fromstring(html).text_content())


def shows(text: str, words: str) -> bool:
    """Whether ``words`` are in ``text`` (NFC; right-to-left words in logical or visual order)."""
    text = unicodedata.normalize("NFC", text)
    return all(
        word in text or word[::-1] in text for word in unicodedata.normalize("NFC", words).split()
    )


def outputs(session: Session, tmp_path: Path) -> dict[str, str]:
    """The edition being collected as PDF, DOCX, HTML text, and the website's text."""
    require_print_fonts()
    edition: AssembledEdition = assemble_edition(session, OCTOBER_2025)
    pdf, word = io.BytesIO(), io.BytesIO()
    render_pdf(edition, pdf)
    render_docx(edition, word)
    site = tmp_path / "site"
    build_site(session, site, PUBLISHER, draft=True, documents=False)
    pages = sorted(site.rglob("*.html"))
    return {
        "pdf": pdf_text(pdf.getvalue()),
        "docx": docx_text(word.getvalue()),
        "html": html_text(render_html(edition)),
        "site": "\n".join(html_text(p.read_text(encoding="utf-8")) for p in pages),
    }


# -- the deterministic cases ----------------------------------------------------------------------


@pytest.mark.slow
def test_emoji_rtl_cjk_combining_marks_and_symbols_print_in_every_format(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as session:
        world = OneProject.create(session)
        world.submit_and_approve(
            session,
            ChangeSet(
                status="in_bearbeitung",
                milestones_done=[NewEntry(day("15.05.2025"), SAMPLES["emoji"])],
                planning_steps=[NewEntry(day("Mai 2025"), f"Programmierung {SAMPLES['zwj']}")],
                milestones_planned=[NewEntry(day("2026"), SAMPLES["hebrew"])],
                consultations=[
                    NewConsultation(
                        day("12.06.2025"),
                        f"Ausschuss {SAMPLES['arabic']}",
                        "Beschlussvorlage",
                        SAMPLES["cjk"],
                        SAMPLES["symbols"],
                    )
                ],
                remark=f"Caf{SAMPLES['combining']} geöffnet",
                description="\n".join(SAMPLES.values()),
            ),
        )
        printed = outputs(session, tmp_path)
        session.rollback()
    for fmt, text in printed.items():
        for name, sample in SAMPLES.items():
            assert shows(text, sample), (fmt, name, text[-600:])
        assert shows(text, "Café geöffnet"), fmt


@pytest.mark.slow
def test_a_drop_reason_with_emoji_and_hebrew_prints_in_the_archive(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    require_print_fonts()
    reason = "Förderung fehlt 😞 שלום"
    with sessions() as session:
        world = OneProject.create(session)
        get_or_create_edition(session, date(2025, 4, 1))  # the April edition, printed first
        auditor = Auditor(session, actor="Kora", now=utcnow())
        publish_edition(session, date(2025, 4, 1), auditor, NOW)
        world.submit_and_approve(session, ChangeSet(status="entfallen", drop_reason=reason))
        edition = assemble_edition(session, OCTOBER_2025)
        assert [row.reason for row in edition.archive_dropped] == [reason]
        pdf = io.BytesIO()
        render_pdf(edition, pdf)
        session.rollback()
    assert shows(pdf_text(pdf.getvalue()), reason)


# -- random text in every field a contact edits ---------------------------------------------------


@pytest.fixture(scope="module")
def one_project_db(tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    """A migrated SQLite database; each example builds its project and rolls it back."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('unicode') / 'db.sqlite3'}")
    upgrade(engine)
    return make_session_factory(engine)


def framed(index: int, text: str) -> str:
    """The text between two plain words, cleaned as the bot cleans what it receives."""
    return f"Anfang{index} {clean_text(text)} Ende{index}"


@pytest.mark.slow
@settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(texts=st.lists(typed_text(), min_size=10, max_size=10))
def test_random_text_in_every_field_a_contact_edits_prints_in_every_format(
    one_project_db: sessionmaker[Session],
    tmp_path_factory: pytest.TempPathFactory,
    texts: list[str],
) -> None:
    fields = [framed(i, text) for i, text in enumerate(texts)]
    changes = ChangeSet(
        status="in_bearbeitung",
        milestones_done=[NewEntry(day("15.05.2025"), fields[0])],
        planning_steps=[NewEntry(day("Mai 2025"), fields[1])],
        milestones_planned=[NewEntry(day("2026"), fields[2]), NewEntry(None, fields[3])],
        consultations=[
            NewConsultation(
                day("12.06.2025"),
                fields[4],
                "Informationsvorlage",
                clean_text(texts[5])[:40],
                fields[6],
            )
        ],
        remark=fields[7],
        description=f"{fields[8]}\n\n{fields[9]}",
    )
    with one_project_db() as session:
        OneProject.create(session).submit_and_approve(session, changes)
        printed = outputs(session, tmp_path_factory.mktemp("site"))
        session.rollback()
    for fmt, text in printed.items():
        for index in (0, 1, 2, 3, 4, 6, 7, 8, 9):
            assert f"Anfang{index}" in text and f"Ende{index}" in text, (fmt, index, texts)


# -- cleaning at the input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Läuft\x00 nach\x1b Plan 🌱👍", "Läuft nach Plan 🌱👍"),
        ("Zeile eins\r\nZeile zwei\rdrei\u2028vier", "Zeile eins\nZeile zwei\ndrei\nvier"),
        ("\ufeffStart\u200bklar\u202e!", "Startklar!"),
        ("Cafe\u0301", "Café"),
        ("kaputt \ud83c halb", "kaputt  halb"),
        ("Steuer\x85zeichen \x9b und \x7f", "Steuer\nzeichen  und "),
        ("nicht\U0010ffff\ufffe zeichen", "nicht zeichen"),
        ("\u2067נו\u2069 \u202aabc\u202c \uf8ff \U000f0001", "נו abc  "),
    ],
)
def test_control_characters_and_junk_are_cleaned_and_text_is_nfc(typed: str, stored: str) -> None:
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    "kept",
    [
        "👩🏽\u200d💻 👨\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 ❤️ 1\ufe0f\u20e3",
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "\u200fשלום\u200e abc \u061cمرحبا",
        "\U0001fae8 \U0001fa77",  # Unicode 15 emoji, unassigned in Python 3.11's tables
        "Silben\u00adtrennung, می\u200cخواهم, Tab\tund\nZeile",
        "中文 ∑ → ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    ],
)
def test_emoji_sequences_direction_marks_and_joiners_are_kept(kept: str) -> None:
    assert clean_text(kept) == kept


def test_one_line_fields_lose_line_breaks_and_tabs_the_importer_keeps_page_breaks() -> None:
    assert clean_text("a\tb\nc", keep="") == "a b c"
    assert clean_text("Seite 1\fSeite 2\x0b", keep="\n\t\f") == "Seite 1\fSeite 2"


# -- the PDF: fonts and the replacement of what no font has --------------------------------------


def _page_text(html: str) -> str:
    return (
        '<!DOCTYPE html><html lang="de"><head><title>Test</title></head><body>'
        f"<p>{html}</p></body></html>"
    )


def test_a_character_no_font_has_prints_as_replacement_character_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    require_print_fonts()
    with caplog.at_level(logging.WARNING, logger="core.render.pdf"):
        pdf = html_to_pdf(_page_text("vorher \U000f0001 x\u0378y 🌱 nachher"))
    text = pdf_text(pdf)
    assert "vorher \ufffd x\ufffdy 🌱 nachher" in text
    assert "U+0378" in caplog.text and "U+F0001" in caplog.text


def test_color_emoji_cjk_and_rtl_fonts_are_embedded_and_the_pdf_stays_pdf_ua() -> None:
    require_print_fonts()
    reader = PdfReader(io.BytesIO(html_to_pdf(_page_text("🌱👍 👩🏽\u200d💻 中文 שלום مرحبا ✓"))))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" in xmp
    names = set()
    for font in reader.pages[0]["/Resources"].get_object()["/Font"].values():
        font = font.get_object()
        if font["/Subtype"] == "/Type3":  # the colour emoji: glyph programs inside the PDF
            assert font["/CharProcs"] and "/ToUnicode" in font
            names.add(str(font["/Name"]))
            continue
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
        names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"/NotoColorEmoji", "DejaVuSans", "DroidSansFallback"} <= names, names


def test_a_right_to_left_paragraph_is_set_right_to_left_in_the_pdf() -> None:
    source = html_to_typst(
        _page_text('</p><p dir="auto">שלום עולם, 2025 ok</p><p dir="auto">Treffen mit שלום</p>')
    )
    assert source.count("#text(dir: rtl)") == 1
    assert "#text(dir: rtl)[שלום" in source


# -- DOCX and HTML: direction ---------------------------------------------------------------------


def test_docx_marks_right_to_left_runs_and_names_fonts_for_cjk_and_rtl(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        OneProject.create(session).submit_and_approve(
            session, ChangeSet(remark="Treffen mit שלום עליכם am Montag 中文\n\nמרחבא 2025")
        )
        edition = assemble_edition(session, OCTOBER_2025)
        session.rollback()
    buffer = io.BytesIO()
    render_docx(edition, buffer)
    document = docx.Document(buffer)
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert [run.text for run in runs if run.font.rtl] == ["שלום עליכם", "מרחבא"]
    assert any(run.text.startswith(" am Montag") and not run.font.rtl for run in runs)
    bidi = [p.text for p in document.paragraphs if p.paragraph_format.element.xpath("w:pPr/w:bidi")]
    assert bidi == ["מרחבא 2025"]
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:cs")) == "Arial"
    assert normal.get(qn("w:eastAsia")) == "Microsoft YaHei"


def test_html_takes_the_direction_of_typed_text_from_the_text(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        OneProject.create(session).submit_and_approve(
            session,
            ChangeSet(
                milestones_done=[NewEntry(day("15.05.2025"), "שלום")],
                remark="مرحبا",
            ),
        )
        html = render_html(assemble_edition(session, OCTOBER_2025))
        session.rollback()
    root = lxml.html.document_fromstring(html)
    assert [el.get("dir") for el in root.xpath("//*[text()='שלום']")] == ["auto"]
    assert [el.get("dir") for el in root.xpath("//*[text()='مرحبا']")] == ["auto"]


# -- cleaning where text enters: the CLI's project fields, the importer --------------------------


def test_a_project_created_with_control_characters_is_stored_clean(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        world = OneProject.create(session)
        auditor = Auditor(session, actor="Kora", now=NOW)
        project = create_project(
            session,
            auditor,
            field_number=1,
            goal_number="1.1",
            title="Radweg\x00 🚲\u202e ans Ziel",
            short_title="\ufeffRadweg",
            department_codes=["80.01"],
            today=NOW.date(),
            description="Cafe\u0301\r\n\x1bneu",
        )
        edit_project(session, auditor, world.project_id, municipalities="Soest\x07, Werl")
        session.flush()
        session.expire_all()
        stored = session.get_one(Project, project.id)
        assert (stored.title, stored.short_title) == ("Radweg 🚲 ans Ziel", "Radweg")
        assert stored.description.to_plain() == "Café\nneu"
        assert session.get_one(Project, world.project_id).municipalities == "Soest, Werl"
        session.rollback()


def test_the_importer_reads_a_text_with_control_characters_and_decomposed_umlauts() -> None:
    text = require_seed(SEED_2025).read_text(encoding="utf-8")
    title = "Energieberatung für kreiseigene Gebäude"
    assert title in text
    typed = "Energieberatung\x00 fu\u0308r kreiseigene\u200b Gebäude"
    dirty = "\ufeff" + text.replace(title, typed)
    titles = {p.title for p in parse_edition(dirty).projects()}
    assert title in titles
    assert titles == {p.title for p in parse_edition(text).projects()}
