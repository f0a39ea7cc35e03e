"""The HTML → Typst walk: text prints literally, and generic HTML (nested lists, dated items with
sub-items, tables with colspan/rowspan, links) comes through, so new template content needs no
change to the walk."""

from __future__ import annotations

import io
import re
import string

import pytest
import typst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTComponent, LTContainer
from pypdf import PdfReader

from core.render.pdf import html_to_pdf
from core.render.typst_markup import html_to_typst

#: Fragments that mean something in Typst markup or code.
TYPST_SYNTAX = [
    "#let x = 1",
    "$x^2$",
    "// no comment",
    "/* nor this */",
    "<label>",
    "@ref",
    "= not a heading",
    "- not a list",
    "+ nor this",
    "1. no enum",
    "Term: / nope",
    "back\\slash",
    '"straight" quotes',
    "it's",
    "dots...",
    "en--dash",
    "tilde~space",
    "http://example.org/a_b",
    "`raw`",
    "*strong* _emph_",
    "[content] {code} (args)",
    '#"string"',
    "#{1 + 1}",
    "\\u{41}",
    "a\\ b",
]


def page(body: str, title: str = "Probe") -> str:
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="Kreis Soest"></head><body class="report">'
        f'<section class="probe" id="probe">{body}</section></body></html>'
    )


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(pdf))).strip()


def test_typst_syntax_in_the_text_prints_literally() -> None:
    paragraphs = "".join(f"<p>{escape(fragment)}</p>" for fragment in TYPST_SYNTAX)
    text = pdf_text(html_to_pdf(page(paragraphs)))
    for fragment in TYPST_SYNTAX:
        assert fragment in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + string.punctuation + " äöüßÄÖÜ„“–",
        min_size=1,
        max_size=60,
    ).filter(lambda t: t.strip())
)
@pytest.mark.slow
def test_any_text_prints_as_itself(text: str) -> None:
    source = html_to_typst(page(f"<p>{escape(text)}</p>"))
    pdf = typst.compile(source.encode(), root=_templates(), pdf_standards=["ua-1"])
    printed = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert re.sub(r"\s+", "", printed) == re.sub(r"\s+", "", text)


def _templates() -> str:
    from core.render.environment import templates_root

    return str(templates_root())


def test_nested_lists_and_dated_items_with_sub_items_keep_their_text_in_order() -> None:
    body = """
      <ul class="bullets">
        <li>erstens<ul><li>erstens a</li><li>erstens b<ol start="3"><li>tief drei</li>
            <li>tief vier</li></ol></li></ul></li>
        <li>zweitens</li>
      </ul>
      <ul class="dated">
        <li class="new"><span class="date">2. Quartal 2025</span> <span class="entry">Ausschreibung
          <span class="badge badge-new">neu</span></span>
          <ul><li>Unterpunkt eins</li><li>Unterpunkt zwei</li></ul></li>
        <li><span class="date"></span> <span class="entry">ohne Datum</span></li>
      </ul>
      <p>mit <strong>fett</strong>, <em>kursiv</em>,<br>Umbruch und
         <a href="https://www.kreis-soest.de/aktionsplan">Verweis</a>
         und <a href="#probe">Anker</a> und <a href="#fehlt">totem Anker</a>.</p>
    """
    pdf = html_to_pdf(page(body))
    text = pdf_text(pdf)
    expected = [
        "erstens", "erstens a", "erstens b", "3.", "tief drei", "4.", "tief vier", "zweitens",
        "2. Quartal 2025", "Ausschreibung", "neu", "Unterpunkt eins", "Unterpunkt zwei",
        "ohne Datum", "mit fett, kursiv,", "Umbruch und Verweis und Anker und totem Anker.",
    ]  # fmt: skip
    position = 0
    for part in expected:
        found = text.find(part, position)
        assert found >= 0, (part, text[position:])
        position = found + len(part)
    links = [
        annot.get_object()
        for p in PdfReader(io.BytesIO(pdf)).pages
        for annot in p.get("/Annots", [])
    ]
    uris = [a["/A"].get("/URI") for a in links if "/A" in a]
    assert "https://www.kreis-soest.de/aktionsplan" in uris


def _printed_chars(pdf: bytes) -> tuple[str, list[LTChar]]:
    """The first page's characters in content order, and their text."""

    def chars(item: LTComponent) -> list[LTChar]:
        if isinstance(item, LTChar):
            return [item]
        if isinstance(item, LTContainer):
            return [char for child in item for char in chars(child)]
        return []

    printed = chars(next(iter(extract_pages(io.BytesIO(pdf)))))
    return "".join(char.get_text() for char in printed), printed


def test_dated_items_set_their_text_and_sub_items_in_the_second_column() -> None:
    body = """
      <ul class="dated">
        <li><span class="date">2. Quartal 2025</span> <span class="entry">Ausschreibung
          <ul><li>Unterpunkt</li></ul></span></li>
        <li><span class="date">2026</span> <span class="entry">Vergabe an einen Anbieter mit
          einem langen Text, der in eine zweite Zeile umbricht und dort weiterläuft</span></li>
      </ul>
    """
    text, chars = _printed_chars(html_to_pdf(page(body)))
    x = {word: chars[text.index(word)].x0 for word in
         ("2. Quartal", "Ausschreibung", "Unterpunkt", "2026", "Vergabe")}  # fmt: skip
    assert x["2. Quartal"] == pytest.approx(x["2026"], abs=0.1)  # one date column
    assert x["Ausschreibung"] == pytest.approx(x["Vergabe"], abs=0.1)  # one text column
    assert x["Ausschreibung"] > x["2. Quartal"] + 60  # as wide as the longest date
    assert x["Unterpunkt"] > x["Ausschreibung"]  # the sub-list in the text column
    entry = chars[text.index("Vergabe") : text.index("weiterläuft")]
    second_line = [char for char in entry if char.y0 < entry[0].y0 - 5]
    assert second_line  # the entry wraps ...
    assert min(char.x0 for char in second_line) == pytest.approx(x["Vergabe"], abs=0.1)  # indented


def test_tables_with_colspan_and_rowspan_keep_every_cell() -> None:
    body = """
      <table class="project-list">
        <colgroup><col style="width: 20%"><col><col span="2" style="width: 15%"></colgroup>
        <thead>
          <tr><th rowspan="2">Nr.</th><th rowspan="2">Projekt</th><th colspan="2">Status</th></tr>
          <tr class="status-columns"><th>alt</th><th>neu</th></tr>
        </thead>
        <tbody>
          <tr><td rowspan="2">1.1</td><td>Erstes</td><td>x</td><td></td></tr>
          <tr><td>Zweites</td><td></td><td>x</td></tr>
          <tr><td colspan="4">Fußzeile über alles</td></tr>
        </tbody>
      </table>
    """
    text = pdf_text(html_to_pdf(page(body)))
    for part in ("Nr.", "Projekt", "Status", "alt", "neu", "1.1", "Erstes", "Zweites",
                 "Fußzeile über alles"):  # fmt: skip
        assert part in text


def test_metadata_comes_from_the_head() -> None:
    reader = PdfReader(io.BytesIO(html_to_pdf(page("<p>x</p>", title="Titel &amp; „Test“"))))
    assert reader.metadata is not None
    assert reader.metadata.title == "Titel & „Test“"
    assert reader.metadata.author == "Kreis Soest"
    assert reader.trailer["/Root"]["/Lang"] == "de"


@pytest.mark.parametrize("html_id", ["projekt-1.2.3.4", "a b/c", "ü", "1"])
def test_ids_become_link_targets(html_id: str) -> None:
    body = f'<p id="{html_id}">Ziel</p><p><a href="#{html_id}">hin</a></p>'
    assert "hin" in pdf_text(html_to_pdf(page(body)))


def test_ids_that_differ_only_in_unusual_characters_stay_apart() -> None:
    ids = ["a b", "a_b", "a/b", "a_20_b"]
    body = "".join(
        f'<p id="{i}">{n}</p><p><a href="#{i}">zu {n}</a></p>' for n, i in enumerate(ids)
    )
    assert "zu 3" in pdf_text(html_to_pdf(page(body)))  # no "label occurs multiple times"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('<table><tr><td colspan="9">breit</td></tr><tr><td>a</td><td>b</td></tr></table>',
         ["breit", "a", "b"]),
        ("<table><tr><td>a</td></tr><tr><td>b</td><td>c</td><td>d</td></tr></table>",
         ["a", "b", "c", "d"]),
        ('<table><tr><td rowspan="4">hoch</td><td>x</td></tr></table>', ["hoch", "x"]),
        ('<section id="s"><h2 id="leer"> </h2><p><a href="#leer">zum Leeren</a></p></section>',
         ["zum Leeren"]),
        ('<table></table><ul></ul><ol start="x"><li>eins</li></ol><p></p>', ["1.", "eins"]),
    ],
)  # fmt: skip
def test_lenient_html_still_typesets(body: str, words: list[str]) -> None:
    """HTML a browser forgives (spans past the table, empty headings) does not stop the PDF."""
    text = pdf_text(html_to_pdf(page(body)))
    assert all(word in text for word in words), text
