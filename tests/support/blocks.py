"""Project blocks as text: from a seed edition, and from the rendered HTML, DOCX and PDF.

The fidelity tests hold every rendered block against the seed's block with the same number,
normalised only for whitespace, hyphenation and the seed's extraction noise (page numbers,
the status legend, footnote URLs: what the importer's line reader marks as noise).
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
from collections.abc import Iterable

from lxml import html as lxml_html  # type: ignore[import-untyped]

from core.importer.parse import _find_zones
from core.importer.parse_chapters import CHAPTER, GOAL, GROUP, PLACEHOLDER, PROJECT
from core.importer.parse_lines import Kind, mark_noise, split_lines

_NUMBER_HEAD = re.compile(r"^(\d\.\d+\.\d\.\d+)(?:\s|$)")
#: A break in a block's text: a paragraph or list item starts here. Blocks carry it on a line
#: of its own; :func:`squash` drops it, :func:`breaks` reads where it stands.
BREAK = "¶"
#: A place where a paragraph may start but need not: the top of a PDF page.
PAGE = "¦"
#: The end of a line of the seed (a rendered paragraph may start there, nowhere else).
LINE = "↵"
_MARKS = re.compile(f"[{BREAK}{PAGE}{LINE}]")
#: A list item of the seed: a line that starts with a bullet (not an en dash, which also
#: continues a sentence).
_SEED_BULLET = re.compile(r"^[-•▪◦]\s")
#: A web address in angle brackets: how the 2023 seed's extraction marks a link.
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^\s<>]+)>")
#: Block elements of the HTML: each starts a paragraph, list item or heading of its own.
_HTML_BLOCKS = frozenset(
    {
        "p",
        "li",
        "ul",
        "ol",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "section",
        "article",
        "blockquote",
    }
)
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
    """Number → the text of that project's block in a seed edition's chapters, with a
    :data:`BREAK` line where the seed starts a paragraph (a line of white space between two
    lines of text, no page break between them) or a list item (a line starting with a bullet).
    """
    raw = split_lines(text)
    zones = _find_zones(raw)
    lines, _ = mark_noise(raw, skip=range(zones.lists, zones.archive))
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    gap = page = False
    for line in lines[zones.chapters : zones.lists]:
        if line.kind is Kind.SPACE:
            gap = True
        if line.kind is Kind.NOISE:
            page = True
        if line.kind is not Kind.TEXT:
            continue
        starts = (gap and not page) or bool(_SEED_BULLET.match(line.text))
        gap = page = False
        if current and starts:
            current.append(BREAK)
        t = _AUTOLINK.sub(r"\1", line.text)
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
        parts: list[str] = []
        _html_text(article, parts)
        out[number] = " ".join(t.strip() for t in parts if t.strip())
    return out


def _html_text(el: object, out: list[str]) -> None:
    """The element's text in document order, a :data:`BREAK` where a block element starts."""
    tag = getattr(el, "tag", None)
    parent = el.getparent()  # type: ignore[attr-defined]
    # a dated entry's text (its first paragraph) is on the line of its date
    in_entry = "entry" in _html_classes(el) or (
        parent is not None
        and "entry" in _html_classes(parent)
        and next(iter(parent.iterchildren("*")), None) is el
    )
    if isinstance(tag, str) and tag in _HTML_BLOCKS and not in_entry:
        out.append(BREAK)
    out.append(getattr(el, "text", None) or "")
    for child in el:  # type: ignore[attr-defined]
        if isinstance(child.tag, str):
            _html_text(child, out)
        out.append(child.tail or "")


def _html_classes(el: object) -> list[str]:
    return str(el.get("class", "")).split()  # type: ignore[attr-defined]


def docx_blocks(data: bytes) -> dict[str, str]:
    """Number → text of each project block of the rendered DOCX (chapters only)."""
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    paragraphs = [p for p in paragraphs if not _LEGEND.fullmatch(p.strip())]
    return _split_at_numbers(paragraphs, stop="Projektlisten", breaks=True)


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text lines in reading order row by row: text boxes on one baseline (a
    date and its entry) are joined left to right, rows top to bottom, pages in order."""
    return [text for text, _ in pdf_rows(data)]


def pdf_rows(data: bytes) -> list[tuple[str, str]]:
    """:func:`pdf_lines`, each with :data:`BREAK` if a paragraph, list item or heading starts
    there (a line not in the font of the one above, or further below it than that font's
    line pitch, the commonest distance of two of its lines: paragraphs and list items are set
    further apart than a paragraph's lines), :data:`PAGE` at the top of a page (where one may
    start) or ""."""
    from collections import Counter

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    Font = tuple[float, str]  # size (the line's height) and name
    # per page, each row: baseline, the font it starts in, the font of its rightmost part
    # (which a next line continues), its texts
    pages: list[list[tuple[float, Font, Font, list[str]]]] = []
    for page in extract_pages(io.BytesIO(data)):
        rows: list[tuple[float, float, Font, str]] = []
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine) and line.get_text().strip():
                    char = next((c for c in line if isinstance(c, LTChar)), None)
                    font = (round(line.height, 1), char.fontname if char else "")
                    rows.append((line.y0, line.x0, font, line.get_text().strip()))
        rows.sort(key=lambda r: (-round(r[0]), r[1]))
        merged: list[tuple[float, Font, Font, list[str]]] = []
        for y, _x, font, text in rows:
            if merged and abs(merged[-1][0] - y) < 3:
                y0, first, _last, texts = merged[-1]
                merged[-1] = (y0, first, font, [*texts, text])
            else:
                merged.append((y, font, font, [text]))
        pages.append(merged)
    # the line pitch of each font: the commonest distance between two of its lines
    gaps: dict[Font, Counter[float]] = {}
    for merged in pages:
        for above, below in itertools.pairwise(merged):
            if above[2] == below[1]:
                gaps.setdefault(below[1], Counter())[round(above[0] - below[0], 1)] += 1
    pitch = {font: counts.most_common(1)[0][0] for font, counts in gaps.items()}
    out: list[tuple[str, str]] = []
    for merged in pages:
        for i, (y, font, _last, parts) in enumerate(merged):
            starts = i > 0 and (
                merged[i - 1][2] != font or merged[i - 1][0] - y > pitch.get(font, 0.0) + 0.5
            )
            out.append((" ".join(parts), BREAK if starts else PAGE if i == 0 else ""))
    return out


def pdf_blocks(data: bytes) -> dict[str, str]:
    """Number → text of each project block of the rendered PDF (chapters only)."""
    page = re.compile(r"\s*(Seite\s+)?\d{1,3}\s*")
    lines: list[str] = []
    top = False  # the page's first line of text is yet to come (after its running header)
    for line, mark in pdf_rows(data):
        top = top or mark == PAGE
        if page.fullmatch(line) or _LEGEND_PART.fullmatch(line) or _LEGEND.fullmatch(line):
            continue
        if top:
            mark, top = PAGE, False
        lines.extend((mark, line) if mark else (line,))
    return _split_at_numbers(lines, stop="Projektlisten")


def _split_at_numbers(lines: Iterable[str], *, stop: str, breaks: bool = False) -> dict[str, str]:
    """Lines (paragraphs if ``breaks``: each starts a paragraph) split into project blocks."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    started = False
    pending = ""  # the mark before the next line
    for raw in lines:
        line = raw.strip()
        if line in (BREAK, PAGE):
            pending = line
            continue
        if not line:
            continue
        if breaks or pending:
            if current:
                current.append(BREAK if breaks else pending)
            pending = ""
        if started and line == stop:
            break
        head = _NUMBER_HEAD.match(line)
        if head and (head.group(1) not in out):
            started = True
            current = out.setdefault(head.group(1), [])
        elif (
            GROUP.match(line)
            or GOAL.match(line)
            or CHAPTER.match(line.upper())
            or PLACEHOLDER.match(line)
        ):
            current = None
            continue
        if current is not None:
            current.append(line)
    return {n: "\n".join(b) for n, b in out.items()}


def squash(text: str) -> str:
    """The text without whitespace, hyphens, dashes and bullets (line breaks, hyphenation,
    list markers) and without marks (:data:`BREAK`, :data:`PAGE`, :data:`LINE`)."""
    return _SQUASH.sub("", _MARKS.sub(" ", text))


def marks(text: str, *kinds: str) -> set[int]:
    """Where the text's marks of the given kinds stand, as offsets into its :func:`squash`
    (not at its start or end)."""
    out: set[int] = set()
    at = 0
    for piece in re.split(f"([{BREAK}{PAGE}{LINE}])", text):
        if piece in kinds:
            out.add(at)
        elif piece not in (BREAK, PAGE, LINE):
            at += len(_SQUASH.sub("", piece))
    out.discard(at)
    out.discard(0)
    return out


def structure_diff(expected: str, actual: str) -> str:
    """How the structure of ``actual`` differs from the seed's (``expected``), each place
    shown with the words around it; "" if not at all. Both texts must be equal but for
    marks (:func:`squash`).

    Where the seed starts a paragraph or list item (:data:`BREAK`), ``actual`` starts one (or
    a PDF page, :data:`PAGE`); ``actual`` starts one only where a line of the seed starts
    (:data:`LINE`), not in the middle of one."""
    flat = squash(expected)
    lost = sorted(marks(expected, BREAK) - marks(actual, BREAK, PAGE))
    extra = sorted(marks(actual, BREAK) - marks(expected, BREAK, LINE))
    found = [
        f"no break before {flat[i : i + 30]!r} (after {flat[max(0, i - 20) : i]!r})" for i in lost
    ]
    found += [
        f"a break inside the line {flat[max(0, i - 20) : i]!r} | {flat[i : i + 20]!r}"
        for i in extra
    ]
    return "; ".join(found[:6])


def word_diff(expected: str, actual: str) -> str:
    """A short word-level diff for a failure message."""
    a = _MARKS.sub(" ", expected).split()
    b = _MARKS.sub(" ", actual).split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op != "equal":
            out.append(f"{op}: seed {' '.join(a[i1:i2])!r} / rendered {' '.join(b[j1:j2])!r}")
    return "; ".join(out[:6])
