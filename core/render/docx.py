"""The report as an editable Word document, built by walking the rendered HTML once.

The HTML of :func:`core.render.html.render_html` is the only content source: every word in the
DOCX comes from it. The walk maps ``h1``–``h4`` to Word's "Heading 1..4" (so the navigation pane
and Word's outline work), paragraphs to styled paragraphs, lists to list paragraphs (dated lists
as "date <tab> text" with a hanging indent), tables to real Word tables with repeating header
rows, change badges to highlighted runs, the running footer to a footer with a ``PAGE`` field, and
the table of contents to entries that link to the chapters and show their page with a
``PAGEREF`` field (see :meth:`_DocxWriter._toc`). The project lists get a landscape section of
their own, and the status legend, which runs along the chapter, project list and archive pages
of the PDF, is the page header of their sections. Elements are appended in document order in
constant time each, so the walk is linear in the size of the HTML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import replace
from typing import IO, Any

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type information
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from core.config import RenderOptions
from core.render import docx_ooxml as ox
from core.render.docx_runs import WORD_BREAK, Piece, collapse_space, hyphenate, write_runs
from core.render.docx_styles import (
    CONTENT_WIDTH_DXA,
    DATED_INDENT_CM,
    LANDSCAPE_CONTENT_WIDTH_DXA,
    TOC_ENTRY_STYLE,
    new_document,
    palette,
    set_page,
)
from core.render.html import render_html
from core.textnorm import first_strong_direction
from core.view import AssembledEdition

HtmlElement = Any  # lxml.html.HtmlElement, untyped

#: Table cells that ``report.css`` hyphenates (``hyphens: auto``).
HYPHENATED_CELLS = frozenset({"municipalities", "departments"})
#: Top-level sections printed on landscape pages (``page: lists`` in print.css).
LANDSCAPE_SECTIONS = frozenset({"project-lists"})
HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
#: Paragraph classes of the HTML and the Word styles they become.
PARAGRAPH_STYLES = {
    "cover-title": "Title",
    "cover-date": "Subtitle",
    "cover-claim": "Cover Claim",
    "draft-mark": "Draft Mark",
    "archive-subtitle": "Subtitle",
    "label": "Label",
    "status-line": "Status Line",
    "placeholder": "Placeholder",
    "goal-text": "Goal Text",
    "toc-heading": "TOC Heading",
}
SKIPPED_TAGS = frozenset({"head", "style", "script", "template", "colgroup", "col"})
_WIDTH_PERCENT = re.compile(r"width:\s*([\d.]+)%")
_GREY = "8A8D91"
#: A bullet's hanging indent in a list set in a dated entry's column (as Word's list styles).
_BULLET_HANG_CM = 0.63


def render_docx(
    edition: AssembledEdition,
    target: str | os.PathLike[str] | IO[bytes],
    options: RenderOptions | None = None,
) -> None:
    """Write the edition as DOCX to a path or binary file object, from the rendered HTML;
    ``options`` (the publisher) from the caller's settings, else the settings' defaults."""
    root = lxml.html.document_fromstring(render_html(edition, options))
    writer = _DocxWriter(palette())
    writer.write(root)
    writer.document.save(target)  # type: ignore[arg-type]  # python-docx accepts path or IO


def _classes(el: HtmlElement) -> tuple[str, ...]:
    return tuple(str(el.get("class", "")).split())


def _status_class(classes: tuple[str, ...]) -> str | None:
    for name in classes:
        if name.startswith("status-"):
            return name.removeprefix("status-").replace("_", "-")
    return None


def _bookmark_name(html_id: str) -> str:
    """A hidden Word bookmark name for an HTML id (letters, digits and "_", at most 40)."""
    return ("_Ref_" + re.sub(r"\W", "_", html_id))[:40]


class _DocxWriter:
    """Walks the HTML tree once and appends the matching Word elements."""

    def __init__(self, colors: dict[str, str]) -> None:
        self.colors = colors
        self.document: DocxDocument
        self.document, self._style_ids = new_document(colors)
        self._sect_pr = self.document.element.body.get_or_add_sectPr()
        self._parent = self.document._body  # python-docx proxy parent of body paragraphs
        self._sections_seen = 0
        self._lang = "de"
        self._draft: list[Piece] = []
        self._legend_running = False
        self._landscape = False
        self._content_width = CONTENT_WIDTH_DXA
        self._page_break_pending = False
        self._bookmark_pending: str | None = None
        self._bookmark_count = 0
        self._status: list[str | None] = []
        self._changed_depth = 0

    # --- the walk ----------------------------------------------------------------------------

    def write(self, root: HtmlElement) -> None:
        """Write the document: metadata from ``<head>``, content from ``<body>``."""
        self._metadata(root)
        body = root.find("body")
        for el in self._elements(body):
            self._block(el, top_level=True)

    def _metadata(self, root: HtmlElement) -> None:
        props = self.document.core_properties
        props.title = collapse_space(root.findtext("head/title") or "")
        self._lang = root.get("lang", "de")
        props.language = self._lang
        for meta in root.iterfind("head/meta"):
            name, content = meta.get("name"), meta.get("content") or ""
            if name == "author":
                props.author = content
                props.last_modified_by = content
            elif name == "description":
                props.subject = content
            elif name == "keywords":
                props.keywords = content

    @staticmethod
    def _elements(el: HtmlElement) -> Iterator[HtmlElement]:
        for node in el:
            if isinstance(node.tag, str):
                yield node

    def _block(self, el: HtmlElement, *, top_level: bool = False) -> None:
        tag, classes = el.tag, _classes(el)
        if tag in SKIPPED_TAGS or el.get("hidden") is not None:
            return
        if self._page_furniture(el, classes):
            return
        if top_level and tag == "section":
            self._top_section(el, classes)
        elif tag == "section" and "project-list" in classes:
            # each Themenfeld's list on a page of its own, but the first below the heading
            self._page_break_pending = el.getprevious() is not None and el.getprevious().tag == tag
        status = _status_class(classes)
        self._status.append(status or (self._status[-1] if self._status else None))
        changed = "changed" in classes
        self._changed_depth += changed
        try:
            self._dispatch(el, tag, classes)
        finally:
            self._status.pop()
            self._changed_depth -= changed

    def _page_furniture(self, el: HtmlElement, classes: tuple[str, ...]) -> bool:
        """Footer, draft watermark and running legend go into the page's header and footer,
        not the body; True if ``el`` was one of them."""
        if "running-footer" in classes:
            self._footer(el)
            return True
        if "draft-watermark" in classes:
            self._draft_header(el)
            return True
        # the running legend is in the page header of its section (see _top_section)
        return "legend" in classes and self._is_running_legend(el)

    def _top_section(self, el: HtmlElement, classes: tuple[str, ...]) -> None:
        """A top-level section starts a new page, or a new Word section when its orientation
        or its running legend (the page header) differs from the one before."""
        landscape = not LANDSCAPE_SECTIONS.isdisjoint(classes)
        legend = next((c for c in self._elements(el) if self._is_running_legend(c)), None)
        new_header = (legend is not None) != self._legend_running
        if self._sections_seen and (new_header or landscape != self._landscape):
            self._section_break(landscape=landscape)
        elif self._sections_seen:
            self._page_break_pending = True
        if new_header:
            self._header(legend)
        self._sections_seen += 1
        if el.get("id"):
            self._bookmark_pending = _bookmark_name(el.get("id"))

    def _dispatch(self, el: HtmlElement, tag: str, classes: tuple[str, ...]) -> None:
        if tag == "nav" and "toc" in classes:
            self._toc(el)
        elif tag in HEADING_STYLES:
            self._heading(el, tag, classes)
        elif tag == "p":
            self._text_paragraph(el, classes)
        elif tag in ("ul", "ol"):
            self._list(el, classes)
        elif tag == "table":
            self._table(el)
        elif "legend" in classes:
            self._paragraph("Legend", self._inline(el))
        else:
            self._container(el)

    def _heading(self, el: HtmlElement, tag: str, classes: tuple[str, ...]) -> None:
        """A heading in its style; a status colour swatch in it becomes a coloured rule."""
        style = next(
            (PARAGRAPH_STYLES[c] for c in classes if c in PARAGRAPH_STYLES), HEADING_STYLES[tag]
        )
        pieces = self._inline(el)
        # A colour swatch would end up in the navigation pane; a coloured rule replaces it.
        marked = tag == "h4" or any(piece.fill for piece in pieces)
        para = self._paragraph(style, [piece for piece in pieces if not piece.fill])
        if marked and self._status[-1]:
            ox.paragraph_border(
                para._p.get_or_add_pPr(),
                "left",
                self.colors.get(self._status[-1], _GREY),
                24,
            )

    def _text_paragraph(self, el: HtmlElement, classes: tuple[str, ...]) -> None:
        """A ``p`` in the style its class names; right to left if its text is."""
        style = next((PARAGRAPH_STYLES[c] for c in classes if c in PARAGRAPH_STYLES), "Normal")
        para = self._paragraph(style, self._inline(el))
        if el.get("dir") == "auto" and first_strong_direction(el.text_content()) == "rtl":
            ox.right_to_left(para._p.get_or_add_pPr())

    def _container(self, el: HtmlElement) -> None:
        """Any other element: its loose text as paragraphs, its children as blocks."""
        if (el.text or "").strip():
            self._paragraph("Normal", [Piece(el.text)])
        for node in self._elements(el):
            self._block(node)
            if (node.tail or "").strip():
                self._paragraph("Normal", [Piece(node.tail)])

    @staticmethod
    def _is_running_legend(el: HtmlElement) -> bool:
        """The status legend at the top of a chapter, the project lists or the archive: a
        running element of the PDF's pages, the page header of a Word section here."""
        parent = el.getparent()
        return (
            "legend" in _classes(el)
            and parent is not None
            and parent.tag == "section"
            and parent.getparent() is not None
            and parent.getparent().tag == "body"
        )

    def _section_break(self, *, landscape: bool) -> None:
        """End the current Word section here; what follows is portrait or landscape.

        Word keeps a section's page set-up in a ``w:sectPr`` on its last paragraph and the last
        section's in the body. The body's properties (header, footer and the cover's title page
        included) move to the section that ends; the new one inherits header and footer unless
        it gets a header of its own (:meth:`_header`).
        """
        last = self._sect_pr.getprevious()
        if last is None or last.tag != qn("w:p"):
            last = self._new_p()._p
        last.get_or_add_pPr().insert_element_before(deepcopy(self._sect_pr), "w:pPrChange")
        for tag in ("w:headerReference", "w:footerReference", "w:titlePg"):
            for found in self._sect_pr.findall(qn(tag)):
                self._sect_pr.remove(found)
        set_page(Section(self._sect_pr, self.document.part), landscape=landscape)
        self._landscape = landscape
        self._content_width = LANDSCAPE_CONTENT_WIDTH_DXA if landscape else CONTENT_WIDTH_DXA

    # --- paragraphs and runs -----------------------------------------------------------------

    def _new_p(self, container: BaseOxmlElement | None = None) -> Paragraph:
        p = ox.element("w:p")
        if container is None:
            self._sect_pr.addprevious(p)
        else:
            container.append(p)
        return Paragraph(p, self._parent)

    def _paragraph(
        self, style: str, pieces: list[Piece], container: BaseOxmlElement | None = None
    ) -> Paragraph:
        """A new paragraph at the end of the body (or of a table cell) with the given runs."""
        para = self._new_p(container)
        # a new paragraph's first property is its style (as ``ppr.style = ...`` would put it)
        ppr = ox.child(para._p, "w:pPr")
        ox.child(ppr, "w:pStyle", val=self._style_ids.get(style, style.replace(" ", "")))
        bookmark = None
        if container is None:
            if self._page_break_pending:
                para.paragraph_format.page_break_before = True
                self._page_break_pending = False
            if self._changed_depth and style != "Heading 4":
                ox.paragraph_border(ppr, "left", self.colors.get("change", "C2410C"), 16)
            bookmark, self._bookmark_pending = self._bookmark_pending, None
        if bookmark:
            self._bookmark_count += 1
            bookmark_id = str(self._bookmark_count)
            para._p.append(ox.element("w:bookmarkStart", id=bookmark_id, name=bookmark))
        write_runs(para, pieces)
        if bookmark:
            para._p.append(ox.element("w:bookmarkEnd", id=bookmark_id))
        return para

    def _inline(self, el: HtmlElement, base: Piece | None = None) -> list[Piece]:
        """The inline content of an element as formatted pieces, in reading order."""
        fmt = base or Piece("")
        out: list[Piece] = []
        if el.text:
            out.append(replace(fmt, text=el.text))
        for node in el:
            if isinstance(node.tag, str):
                self._inline_child(node, fmt, out)
            if node.tail:
                out.append(replace(fmt, text=node.tail))
        return out

    def _inline_child(self, node: HtmlElement, fmt: Piece, out: list[Piece]) -> None:
        tag, classes = node.tag, _classes(node)
        status = _status_class(classes) or (self._status[-1] if self._status else None)
        if tag == "br":
            out.append(Piece("\n", raw=True))
        elif tag in SKIPPED_TAGS:
            return
        elif tag == "wbr":
            out.append(Piece(WORD_BREAK, raw=True))
            out.extend(self._inline(node, fmt))  # the HTML4 parser nests what follows a <wbr>
        elif "line" in classes and out:
            out.append(Piece("\n", raw=True))
            out.extend(self._inline(node, fmt))
        elif "swatch" in classes:
            color = self.colors.get(status or "", _GREY)
            out.append(Piece("\u00a0\u00a0", fill=color))
            out.append(Piece(" "))
        elif "page-counter" in classes:
            out.append(Piece("", field="PAGE"))
        elif "badge" in classes:
            out.append(Piece(" "))
            out.extend(self._inline(node, replace(fmt, badge=True)))
        elif tag in ("strong", "b", "th"):
            out.extend(self._inline(node, replace(fmt, bold=True)))
        elif tag in ("em", "i"):
            out.extend(self._inline(node, replace(fmt, italic=True)))
        elif "legend-item" in classes:
            self._status.append(status)
            out.extend(self._inline(node, fmt))
            self._status.pop()
            out.append(Piece("   "))
        else:
            out.extend(self._inline(node, fmt))

    # --- lists -------------------------------------------------------------------------------

    def _list(
        self, el: HtmlElement, classes: tuple[str, ...], level: int = 1, indent_cm: float = 0.0
    ) -> None:
        """A list's paragraphs; ``indent_cm``: a list inside a dated entry, set in the entry's
        column (``DATED_INDENT_CM``) instead of the list style's own indentation."""
        dated = "dated" in classes
        number = int(el.get("start", "1"))
        for li in self._elements(el):
            if li.tag != "li":
                continue
            nested = [n for n in li.iter("ul", "ol") if n is not li]
            if dated:
                nested = self._dated_item(li, nested, level)
            else:
                self._list_item(el, li, nested, level, indent_cm, number)
                if el.tag == "ol":
                    number += 1
            inner = DATED_INDENT_CM if dated else indent_cm + _BULLET_HANG_CM if indent_cm else 0.0
            for sub in nested:
                if sub.getparent() is not None and sub.getparent().tag in ("li", "span"):
                    self._list(sub, _classes(sub), level + 1, inner)

    def _dated_item(
        self, li: HtmlElement, nested: list[HtmlElement], level: int
    ) -> list[HtmlElement]:
        """A dated entry: date, tab, text on one line. An entry of paragraphs puts its first on
        that line and the others (and lists) below it, in the entry's column. Returns the
        nested lists still to be written after it."""
        pieces: list[Piece] = []
        blocks: list[HtmlElement] = []
        for part in self._elements(li):
            if "date" in _classes(part):
                pieces.extend(self._inline(part))
                pieces.append(Piece("\t", raw=True))
            elif any(child.tag == "p" for child in self._elements(part)):
                blocks = list(self._elements(part))
                pieces.extend(self._inline(blocks.pop(0)))
                nested = []
            else:
                pieces.extend(self._inline(_without(part, nested)))
        self._paragraph("Dated Entry", pieces)
        for block in blocks:
            if block.tag in ("ul", "ol"):
                self._list(block, _classes(block), level + 1, DATED_INDENT_CM)
            else:
                below = [Piece("\t", raw=True), *self._inline(block)]
                self._paragraph("Dated Entry", below)
        return nested

    def _list_item(
        self,
        el: HtmlElement,
        li: HtmlElement,
        nested: list[HtmlElement],
        level: int,
        indent_cm: float,
        number: int,
    ) -> None:
        """One item of a bulleted or numbered list (``number``: its number in an ``ol``)."""
        pieces = self._inline(_without(li, nested))
        if el.tag == "ol":  # the number as text: Word's numbering would not restart
            pieces = [Piece(f"{number}. "), *pieces]
        style = "List Bullet" if el.tag == "ul" else "List Paragraph"
        if level > 1:
            style = "List Bullet 2" if el.tag == "ul" else "List Paragraph"
        para = self._paragraph(style, pieces)
        if indent_cm:
            para.paragraph_format.left_indent = Cm(indent_cm + _BULLET_HANG_CM)
            para.paragraph_format.first_line_indent = Cm(-_BULLET_HANG_CM)

    # --- tables ------------------------------------------------------------------------------

    def _table(self, table: HtmlElement) -> None:
        rows = [(tr, tr.getparent().tag == "thead") for tr in table.iter("tr")]
        widths = self._column_widths(table, rows)
        tbl = ox.new_table(
            widths,
            self._style_ids.get("Table Grid", "TableGrid"),
            self.colors.get("rule", "C9CFCA"),
        )
        header_fill = self.colors.get("accent-light")
        spans_below: dict[int, tuple[int, int]] = {}  # column -> (rows still covered, colspan)
        for tr, header in rows:
            tr_el = ox.new_row(tbl, header=header)
            cells = iter(c for c in self._elements(tr) if c.tag in ("td", "th"))
            col = 0
            while col < len(widths):
                if col in spans_below:
                    remaining, span = spans_below.pop(col)
                    tc = ox.new_cell(
                        tr_el,
                        sum(widths[col : col + span]),
                        span=span,
                        vmerge="continue",
                        fill=header_fill if header else None,
                    )
                    self._new_p(tc)
                    if remaining > 1:
                        spans_below[col] = (remaining - 1, span)
                    col += span
                    continue
                cell = next(cells, None)
                if cell is None:
                    break
                span = max(1, int(cell.get("colspan", "1")))
                rowspan = max(1, int(cell.get("rowspan", "1")))
                tc = ox.new_cell(
                    tr_el,
                    sum(widths[col : col + span]),
                    span=span,
                    vmerge="restart" if rowspan > 1 else None,
                    fill=header_fill if header else None,
                )
                if rowspan > 1:
                    spans_below[col] = (rowspan - 1, span)
                self._cell(tc, cell)
                col += span
        self._sect_pr.addprevious(tbl)
        self._paragraph("Table Text", [])  # Word needs a paragraph between adjacent tables

    def _cell(self, tc: BaseOxmlElement, cell: HtmlElement) -> None:
        classes = _classes(cell)
        # The four narrow status columns: small, regular-weight, centred headings.
        narrow_heading = cell.getparent().get("class") == "status-columns"
        self._status.append(_status_class(classes))
        try:
            base = Piece(
                "", bold=cell.tag == "th" and not narrow_heading, italic="placeholder" in classes
            )
            pieces = self._inline(cell, base)
            if not HYPHENATED_CELLS.isdisjoint(classes):
                pieces = hyphenate(pieces, self._lang)
            para = self._paragraph("Table Text", pieces, container=tc)
        finally:
            self._status.pop()
        if "mark" in classes or narrow_heading:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if narrow_heading:
            for run in para.runs:
                run.font.size = Pt(6.5)

    def _column_widths(self, table: HtmlElement, rows: list[tuple[HtmlElement, bool]]) -> list[int]:
        """Column widths in dxa from the ``<col style="width: N%">`` of the HTML."""
        percents: list[float | None] = []
        for col in table.iter("col"):
            match = _WIDTH_PERCENT.search(col.get("style", ""))
            percents.append(float(match.group(1)) if match else None)
        if not percents:
            first = rows[0][0] if rows else None
            count = sum(int(c.get("colspan", "1")) for c in first) if first is not None else 1
            percents = [None] * max(1, count)
        free = [i for i, p in enumerate(percents) if p is None]
        rest = max(0.0, 100.0 - sum(p for p in percents if p is not None))
        shares = [p if p is not None else rest / len(free) for p in percents]
        return [round(self._content_width * share / 100) for share in shares]

    # --- table of contents, header and footer ------------------------------------------------

    def _toc(self, nav: HtmlElement) -> None:
        """One paragraph per entry: a link to the chapter, a dotted tab and its page number.

        The page number is a ``PAGEREF`` field to the chapter's bookmark. LibreOffice computes
        such references from its own layout whenever it lays the document out (on screen, on
        printing and on PDF export); Word fills them in on opening (after asking once), because
        the settings ask it to update fields. Word's own ``TOC`` field is not used: LibreOffice
        would import it as a fixed index and show the numbers stored in the file, which no one
        can know before the document is laid out.
        """
        for link in nav.iter("a"):
            para = self._paragraph(TOC_ENTRY_STYLE, self._inline(link))
            bookmark = _bookmark_name(str(link.get("href", "")).removeprefix("#"))
            hyperlink = ox.element("w:hyperlink", anchor=bookmark, history="1")
            for run in para._p.findall(qn("w:r")):
                hyperlink.append(run)
            para._p.append(hyperlink)
            tab = ox.child(para._p, "w:r")
            ox.child(tab, "w:tab")
            for run in ox.field_runs(f"PAGEREF {bookmark} \\h"):
                para._p.append(run)

    def _footer(self, el: HtmlElement) -> None:
        footer = self.document.sections[0].footer
        para = footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.style = "Footer"
        write_runs(para, self._inline(el))
        for run in para.runs:
            run.font.size = Pt(8.5)
            run.font.color.rgb = RGBColor.from_string(self.colors.get("muted", "5B5B57"))

    def _draft_header(self, el: HtmlElement) -> None:
        self._draft = self._inline(el)
        self._draft_mark(self.document.sections[0].header.paragraphs[0])

    def _draft_mark(self, para: Paragraph) -> None:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        write_runs(para, self._draft)
        for run in para.runs:
            run.bold = True
            run.font.color.rgb = RGBColor.from_string(self.colors.get("change", "C2410C"))

    def _header(self, legend: HtmlElement | None) -> None:
        """A page header of the section just begun: the draft mark, if any, and the legend."""
        header = Section(self._sect_pr, self.document.part).header
        header.is_linked_to_previous = False
        para = header.paragraphs[0]
        if self._draft:
            self._draft_mark(para)
            para = header.add_paragraph()
        if legend is not None:
            para.style = self.document.styles["Legend"]
            write_runs(para, self._inline(legend))
        self._legend_running = legend is not None


def _without(el: HtmlElement, nested: list[HtmlElement]) -> HtmlElement:
    """A copy of ``el`` without the nested lists (they become paragraphs of their own)."""
    if not nested:
        return el
    copy = deepcopy(el)
    for sub in list(copy.iter("ul", "ol")):
        if sub is not copy and sub.getparent() is not None:
            tail = sub.tail
            parent = sub.getparent()
            parent.remove(sub)
            if tail:
                parent.text = (parent.text or "") + tail
    return copy
