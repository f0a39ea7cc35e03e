"""Reading rendered PDFs back with pdfminer.six: page sizes, text, contents, word breaks."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

#: The status legend as one line of text (spaces and line breaks collapsed).
LEGEND = "umgesetzt (innerhalb des letzten halben Jahres) in Bearbeitung in Planung Ideenspeicher"
#: Table of contents entry -> the start of the heading it points to (white space collapsed).
CONTENTS_TARGETS = {
    "Einleitung": "Einleitung und Übersicht zum Nachhaltigkeitsreport",
    "1. Klima/Energie/Umwelt": "1. KLIMA/ENERGIE/UMWELT",
    "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit": "2. GESELLSCHAFT/SOZIALE",
    "Projektlisten": "Projektlisten Projektliste „Klima/Energie/Umwelt“",
    "Archiv": "Archiv der Projekte, die nicht mehr im Report enthalten sind",
}
_HYPHENS = "-\u2010\u00ad"


@dataclass(frozen=True)
class Page:
    """One printed page: size in points and its text as pdfminer lays it out."""

    number: int
    width: float
    height: float
    text: str

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def flat(self) -> str:
        """The text with all white space (line breaks included) collapsed to single spaces."""
        return " ".join(self.text.replace("\u200b", "").split())


def read_pages(data: bytes) -> list[Page]:
    """Every page of a PDF with its size and text."""
    pages = []
    for number, layout in enumerate(extract_pages(io.BytesIO(data)), start=1):
        text = "".join(el.get_text() for el in layout if isinstance(el, LTTextContainer))
        pages.append(Page(number, layout.width, layout.height, text))
    return pages


def contents_entries(pages: list[Page]) -> dict[str, int]:
    """The printed table of contents: entry -> page number."""
    toc = next(page for page in pages if page.text.lstrip().startswith("Inhaltsverzeichnis"))
    entries = {}
    for line in toc.text.splitlines():
        match = re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line)
        if match:
            entries[match.group(1)] = int(match.group(2))
    return entries


def first_page_with(pages: list[Page], text: str, *, after: int = 0) -> int:
    """The number of the first page after page ``after`` whose text contains ``text``."""
    return next(page.number for page in pages if page.number > after and text in page.flat)


def printed_forms(text: str, word: str) -> list[str]:
    """How ``word`` is printed in ``text``: whole ("Planung") or across a line break, with the
    break shown as "|" after what ends the first line ("Bearbei-|tung", "Planu|ng")."""
    between = rf"(?:[{_HYPHENS}]?[ \t]*\n[ \t]*)?"
    pattern = between.join(re.escape(char) for char in word)
    forms = []
    for match in re.finditer(pattern, text):
        forms.append(re.sub(r"[ \t]*\n[ \t]*", "|", match.group()))
    return forms


def broken_mid_word(text: str, word: str) -> list[str]:
    """The places where ``word`` is broken across lines without a hyphen."""
    return [
        form
        for form in printed_forms(text, word)
        if "|" in form and form[form.index("|") - 1] not in _HYPHENS
    ]
