"""The PDF says what the HTML says: every project block of the 98-project edition, read back from
the PDF with pdfminer.six, holds exactly the text of the same block of the HTML report.

The PDF is typeset from a translation of the HTML; this test keeps the two from drifting apart
(a dropped element, a lost word, an escaping mistake, text in the wrong order). Only white space
and hyphenation are normalised: the running header (status legend) and footer (page number) are
page furniture and left out by position. The report text is set without automatic hyphenation,
but a line may break after a hyphen of the text ("Gebraucht-|Immobilien" and "Bürger-| und" read
alike from a PDF), so white space after a hyphen is dropped on both sides.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

from core.db import make_engine, make_session_factory
from core.frozen import edition_view
from core.importer import demo_edition, import_parsed
from core.models import utcnow
from core.render import render_html, render_pdf
from migrations import upgrade

pytestmark = pytest.mark.slow

MM = 72 / 25.4
#: Portrait page margins of templates/report/report.typ: the header and footer live in them.
TOP_MARGIN, BOTTOM_MARGIN = 24 * MM, 22 * MM
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section"}
    | {"table", "thead", "tbody", "tr", "td", "th", "br", "nav"}
)
_SPACE = re.compile(r"\s+")
_AFTER_HYPHEN = re.compile(r"-\s+")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b")


@dataclass(frozen=True)
class Report:
    html: str
    pdf: bytes


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The shipped 01.04.2025 edition (98 projects) as HTML and PDF, rendered once."""
    path: Path = tmp_path_factory.mktemp("blocks") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        import_parsed(session, demo_edition(), now=utcnow())
    with sessions() as session:
        edition = edition_view(session, date(2025, 4, 1))
    engine.dispose()
    assert len(edition.projects()) == 98
    assert not edition.draft  # a draft's watermark would print across the text
    buffer = io.BytesIO()
    render_pdf(edition, buffer)
    return Report(html=render_html(edition), pdf=buffer.getvalue())


_BULLET = re.compile(r"(?:^|(?<=\s))[•◦‣▪](?=\s)")


def normalise(text: str) -> str:
    text = _BULLET.sub(" ", text)  # bullets are list markers, not text
    text = _AFTER_HYPHEN.sub("-", text.translate(_INVISIBLE))
    return _SPACE.sub(" ", text).strip()


def block_text(el: lxml_html.HtmlElement) -> str:
    """An element's text as a reader sees it: block elements separated by white space."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        block = node.tag in BLOCK_TAGS
        if block:
            parts.append(" ")
        parent = node.getparent()
        if node.tag == "li" and parent is not None and parent.tag == "ol":
            # the number a reader sees before a numbered item
            start = int(parent.get("start", "1"))
            parts.append(f"{start + parent.index(node)}. ")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append(" ")

    walk(el)
    return normalise("".join(parts))


def html_blocks(html: str) -> list[tuple[str, str]]:
    """(id, text) of every project block of the HTML report, in document order."""
    doc = lxml_html.document_fromstring(html)
    return [(str(article.get("id")), block_text(article)) for article in doc.find_class("project")]


def _lines(container: object) -> Iterator[LTTextLine]:
    if isinstance(container, LTTextLine):
        yield container
    elif isinstance(container, LTTextContainer) or hasattr(container, "__iter__"):
        for child in container:  # type: ignore[attr-defined]
            yield from _lines(child)


def pdf_body_text(pdf: bytes) -> str:
    """The text of every page's body area in reading order (top to bottom, left to right).

    Text on one baseline is one line however far apart (the date and text columns of a dated
    list); lines in the top and bottom margins (legend, page number) are left out.
    """
    params = LAParams(char_margin=200, line_margin=0.3, word_margin=0.1)
    out = []
    for page in extract_pages(io.BytesIO(pdf), laparams=params):
        height = page.height
        lines = [
            line
            for line in _lines(page)
            if BOTTOM_MARGIN < (line.y0 + line.y1) / 2 < height - TOP_MARGIN
        ]
        lines.sort(key=lambda line: (-round(line.y1, 0), line.x0))
        out.extend(line.get_text() for line in lines)
    return normalise(" ".join(out))


@pytest.fixture(scope="session")
def body_text(demo_report: Report) -> str:
    return pdf_body_text(demo_report.pdf)


def test_all_98_project_blocks_of_the_html_are_in_the_pdf_in_order(
    demo_report: Report, body_text: str
) -> None:
    blocks = html_blocks(demo_report.html)
    assert len(blocks) == 98
    position = 0
    for block_id, text in blocks:
        found = body_text.find(text, position)
        if found < 0:
            start = body_text.find(text[:40], position)
            near = body_text[start : start + len(text)] if start >= 0 else ""
            same = next(
                (i for i, (a, b) in enumerate(zip(text, near, strict=False)) if a != b),
                min(len(text), len(near)),
            )
            pytest.fail(
                f"{block_id}: the PDF does not hold the block's text\n"
                f"HTML: …{text[max(0, same - 60) : same + 60]}…\n"
                f"PDF:  …{near[max(0, same - 60) : same + 60]}…"
            )
        position = found + len(text)


def test_block_text_catches_a_changed_word(demo_report: Report, body_text: str) -> None:
    """The comparison is strict: one altered word of a block is not found."""
    _block_id, text = html_blocks(demo_report.html)[3]
    words = text.split(" ")
    middle = len(words) // 2
    altered = " ".join([*words[:middle], words[middle] + "x", *words[middle + 1 :]])
    assert text in body_text
    assert altered not in body_text
