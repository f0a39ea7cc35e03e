"""Project blocks as text: from a seed edition, and from the rendered HTML, DOCX and PDF.

The fidelity tests hold every rendered block against the seed's block with the same number,
normalised only for whitespace, hyphenation and the seed's extraction noise (page numbers,
the status legend, footnote URLs: what the importer's line reader marks as noise).
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable

from lxml import html as lxml_html

from core.importer.parse import _find_zones
from core.importer.parse_chapters import CHAPTER, GOAL, GROUP, PLACEHOLDER, PROJECT
from core.importer.parse_lines import Kind, mark_noise, split_lines

_NUMBER_HEAD = re.compile(r"^(\d\.\d+\.\d\.\d+)(?:\s|$)")
_SQUASH = re.compile(r"[\s\-–­•▪◦]+")  # spacing, hyphens, dashes and list bullets
_LEGEND_PART = re.compile(
    r"umgesetzt \(innerhalb des letzten halben Jahres\)|in Bearbeitung|in Planung|Ideenspeicher"
    r"|ENTWURF"
)
_LEGEND = re.compile(
    r"umgesetzt \(innerhalb des letzten halben Jahres\)\s*in Bearbeitung\s*in Planung\s*"
    r"Ideenspeicher"
)


def seed_blocks(text: str) -> dict[str, str]:
    """Number → the text of that project's block in a seed edition's chapters."""
    raw = split_lines(text)
    zones = _find_zones(raw)
    lines, _ = mark_noise(raw, skip=range(zones.lists, zones.archive))
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[zones.chapters : zones.lists]:
        if line.kind is not Kind.TEXT:
            continue
        t = line.text
        project = PROJECT.match(t)
        if project:
            number = ".".join(project.group("f", "g", "k", "n"))
            current = blocks.setdefault(number, [])
            current.append(t)
            continue
        if CHAPTER.match(t) or GOAL.match(t) or GROUP.match(t) or PLACEHOLDER.match(t):
            current = None
            continue
        if current is not None:
            current.append(t)
    return {n: "\n".join(b) for n, b in blocks.items()}


def html_blocks(document: str) -> dict[str, str]:
    """Number → text of each ``article.project`` of the rendered HTML report."""
    root = lxml_html.fromstring(document)
    for ol in root.iter("ol"):  # the numbers a browser shows
        start = int(ol.get("start", "1"))
        for i, li in enumerate(ol.findall("li")):
            li.text = f"{start + i}. {li.text or ''}"
    out: dict[str, str] = {}
    for article in root.xpath('//article[contains(@class, "project")]'):
        number = article.get("id", "").removeprefix("projekt-")
        out[number] = " ".join(t.strip() for t in article.itertext() if t.strip())
    return out


def docx_blocks(data: bytes) -> dict[str, str]:
    """Number → text of each project block of the rendered DOCX (chapters only)."""
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    paragraphs = [
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
    ]
    paragraphs = [p for p in paragraphs if not _LEGEND.fullmatch(p.strip())]
    return _split_at_numbers(paragraphs, stop="Projektlisten")


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text lines in reading order row by row: text boxes on one baseline (a
    date and its entry) are joined left to right, rows top to bottom, pages in order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    out: list[str] = []
    for page in extract_pages(io.BytesIO(data)):
        rows: list[tuple[float, float, str]] = []
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine) and line.get_text().strip():
                    rows.append((line.y0, line.x0, line.get_text().strip()))
        rows.sort(key=lambda r: (-round(r[0]), r[1]))
        merged: list[tuple[float, list[str]]] = []
        for y, _x, text in rows:
            if merged and abs(merged[-1][0] - y) < 3:
                merged[-1][1].append(text)
            else:
                merged.append((y, [text]))
        out.extend(" ".join(parts) for _, parts in merged)
    return out


def pdf_blocks(data: bytes) -> dict[str, str]:
    """Number → text of each project block of the rendered PDF (chapters only)."""
    page = re.compile(r"\s*(Seite\s+)?\d{1,3}\s*")
    lines = [
        line for line in pdf_lines(data)
        if not page.fullmatch(line) and not _LEGEND_PART.fullmatch(line)
        and not _LEGEND.fullmatch(line)
    ]
    return _split_at_numbers(lines, stop="Projektlisten")


def _split_at_numbers(lines: Iterable[str], *, stop: str) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    started = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if started and line == stop:
            break
        head = _NUMBER_HEAD.match(line)
        if head and (head.group(1) not in out):
            started = True
            current = out.setdefault(head.group(1), [])
        elif (
            GROUP.match(line) or GOAL.match(line) or CHAPTER.match(line.upper())
            or PLACEHOLDER.match(line)
        ):
            current = None
            continue
        if current is not None:
            current.append(line)
    return {n: "\n".join(b) for n, b in out.items()}


def squash(text: str) -> str:
    """The text without whitespace, hyphens, dashes and bullets (line breaks, hyphenation,
    list markers)."""
    return _SQUASH.sub("", text)


def word_diff(expected: str, actual: str) -> str:
    """A short word-level diff for a failure message."""
    a, b = expected.split(), actual.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op != "equal":
            out.append(f"{op}: seed {' '.join(a[i1:i2])!r} / rendered {' '.join(b[j1:j2])!r}")
    return "; ".join(out[:6])
