"""The report HTML as Typst markup, built by walking the rendered HTML once.

The HTML of :func:`core.render.html.render_html` is the only content source: every word of the
PDF comes from it, escaped so that Typst prints it literally. The walk knows no report wording
and almost no report structure: each HTML element becomes a call of a function of the Typst
template ``templates/report/report.typ`` with the element's classes (``#para(("label",))[…]``),
and the template decides how a class looks. Structure the walk does map itself:

* ``<head>`` → document metadata (title, language, author, description, keywords);
* the top-level ``<section>`` elements → page runs (``#page-section``), a ``.legend`` directly in
  such a section → that run's page header, ``.running-footer`` → the page footer (its
  ``.page-counter`` → the page number), ``.draft-watermark`` → the page background;
* ``h1``–``h6`` → headings (bookmarks), ``ul``/``ol`` (nested to any depth) → lists, a list item
  with a ``.date`` part → a row of a two-column dated list, ``table`` (``colgroup`` widths,
  ``thead``, ``colspan``/``rowspan``) → tables, ``nav.toc`` → the table of contents with page
  numbers, ``id`` attributes → link targets, ``a href="#…"`` → internal links.

Elements are appended in document order in constant time each: the walk is linear in the size
of the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type information

from core.textnorm import first_strong_direction

HtmlElement = Any  # lxml.html.HtmlElement, untyped

#: The Typst template (under ``templates/``) that every generated document imports.
TEMPLATE = "report/report.typ"

_SPACE = re.compile(r"[ \t\r\n\f]+")
#: ASCII punctuation: Typst markup (``*``, ``_``, ``#``, ``$``, ``=``, ``-``, ``/``, ``<``, ``@``,
#: ``[``, smart quotes, ``...``, ``1.`` list numbers) is made of it. A word containing any of it
#: is written as a string literal, which Typst prints literally.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_WORDS = re.compile(r"([ \t\r\n\f]+)")
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9.:-]")
_WIDTH_PERCENT = re.compile(r"width:\s*([\d.]+)%")

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SKIPPED_TAGS = frozenset({"head", "style", "script", "template", "colgroup", "col", "meta"})
INLINE_TAGS = frozenset(
    {"span", "a", "strong", "b", "em", "i", "br", "wbr", "small", "sup", "sub", "abbr", "time"}
)
#: Zero-width space: a line-break opportunity, as ``<wbr>`` is in HTML.
WORD_BREAK = "\u200b"


def escape(text: str) -> str:
    """Text as Typst markup that prints exactly this text (white space collapsed as in HTML).

    White space stays markup (Typst collapses it across elements as HTML does); a word with
    punctuation becomes ``#"word"``; other words stay as they are.
    """
    out = []
    for part in _WORDS.split(text):
        if not part:
            continue
        if part[0] in " \t\r\n\f":
            out.append(" ")
        elif _PUNCTUATION.search(part):
            out.append("#" + string(part))
        else:
            out.append(part)
    return "".join(out)


def string(text: str) -> str:
    """A Typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def label(html_id: str) -> str:
    """A Typst label for an HTML id: ``<projekt-1.2.3.4>``; any other character than a letter,
    digit, ``.``, ``:`` or ``-`` (``_`` too) as ``_<hex>_``, so different ids stay different."""
    return "<" + _LABEL_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", html_id) + ">"


def classes(el: HtmlElement) -> tuple[str, ...]:
    return tuple(str(el.get("class", "")).split())


def array(items: Iterable[str]) -> str:
    """A Typst array of expressions: ``(a, b)``, ``(a,)`` or ``()``."""
    listed = list(items)
    if len(listed) == 1:
        return f"({listed[0]},)"
    return "(" + ", ".join(listed) + ")"


def class_array(names: Iterable[str]) -> str:
    """A Typst array of strings: ``("a", "b")``, ``("a",)`` or ``()``."""
    return array(string(name) for name in names)


def _elements(el: HtmlElement) -> Iterator[HtmlElement]:
    for node in el:
        if isinstance(node.tag, str):
            yield node


def _holds_blocks(el: HtmlElement) -> bool:
    """Whether the element is, or contains, an element the walk sets as a block."""
    return any(
        isinstance(node.tag, str)
        and node.tag not in INLINE_TAGS
        and node.tag not in SKIPPED_TAGS
        and node.get("hidden") is None
        for node in el.iter()
    )


def _status(names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name.startswith("status-")), None)


@dataclass
class TypstDocument:
    """The walk's result: document metadata, page furniture and the body markup."""

    title: str = ""
    lang: str = "de"
    author: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    body_classes: tuple[str, ...] = ()
    footer: str | None = None
    watermark: str | None = None
    body: list[str] = field(default_factory=list)

    def source(self, template_path: str) -> str:
        """The complete Typst source: import the template, apply it, then the body."""
        head = [
            f"#import {string(template_path)}: *",
            "#show: report.with(",
            f"  title: {string(self.title)},",
            f"  lang: {string(self.lang)},",
            f"  author: {string(self.author)},",
            f"  description: {string(self.description)},",
            f"  keywords: {array(string(word) for word in self.keywords)},",
            f"  cls: {class_array(self.body_classes)},",
            f"  footer: {self.footer if self.footer is not None else 'none'},",
            f"  watermark: {self.watermark if self.watermark is not None else 'none'},",
            ")",
        ]
        return "\n".join(head) + "\n" + "\n".join(self.body) + "\n"


def html_to_typst(html: str, template_path: str = "/" + TEMPLATE) -> str:
    """Translate the report HTML into a Typst document that imports ``template_path``."""
    root = lxml.html.document_fromstring(html)
    return TypstWriter(root).write().source(template_path)


class TypstWriter:
    """Walks the HTML tree once and emits the matching Typst template calls."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        self.doc = TypstDocument()
        #: Every id of the document: only links to these become internal links.
        self.ids = {str(el.get("id")) for el in root.iter() if el.get("id")}
        self._status: list[str | None] = [None]

    # --- the document ------------------------------------------------------------------------

    def write(self) -> TypstDocument:
        self._metadata()
        body = self.root.find("body")
        if body is None:
            return self.doc
        self.doc.body_classes = classes(body)
        if (body.text or "").strip():
            self.doc.body.append(escape(body.text))
        for el in body:  # elements, and comments (whose tail may be text)
            names = classes(el) if isinstance(el.tag, str) else ()
            if "running-footer" in names:
                self.doc.footer = self._content_block(el)
            elif "draft-watermark" in names:
                self.doc.watermark = self._content_block(el)
            elif el.tag == "section":
                self.doc.body.append(self._page_section(el))
            else:
                self.doc.body.append(self._node(el))  # "" for a comment
            if (el.tail or "").strip():
                self.doc.body.append(escape(el.tail))
        return self.doc

    def _metadata(self) -> None:
        self.doc.title = _SPACE.sub(" ", self.root.findtext("head/title") or "").strip()
        self.doc.lang = self.root.get("lang") or "de"
        for meta in self.root.iterfind("head/meta"):
            name, content = meta.get("name"), _SPACE.sub(" ", meta.get("content") or "").strip()
            if name == "author":
                self.doc.author = content
            elif name == "description":
                self.doc.description = content
            elif name == "keywords":
                self.doc.keywords = tuple(w.strip() for w in content.split(",") if w.strip())

    def _page_section(self, el: HtmlElement) -> str:
        """A top-level section: its own run of pages; a legend in it becomes the page header."""
        header = "none"
        parts = [self._anchor(el)]
        if el.text:
            parts.append(escape(el.text))
        with self._inherit(el):
            for child in el:
                is_legend = isinstance(child.tag, str) and "legend" in classes(child)
                if is_legend and header == "none":
                    header = self._content_block(child)
                else:
                    parts.append(self._node(child))
                if child.tail:
                    parts.append(escape(child.tail))
        return (
            f"#page-section({class_array(classes(el))}, header: {header})[" + "".join(parts) + "]"
        )

    # --- elements ----------------------------------------------------------------------------

    def _node(self, el: HtmlElement) -> str:
        """One element (block or inline) as markup; its tail is the caller's business."""
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIPPED_TAGS or el.get("hidden") is not None:
            return ""
        names = classes(el)
        with self._inherit(el):
            if tag in HEADINGS:
                if not el.text_content().strip():  # PDF/UA: a heading needs a title
                    return self._anchor(el)
                return (
                    f"#heading-el({HEADINGS[tag]}, {class_array(self._with_status(names))})"
                    + self._content_block(el)
                )
            if tag == "p":
                return f"#para({class_array(names)})" + self._directed(el)
            if tag in ("ul", "ol"):
                return self._list(el, names)
            if tag == "table":
                return self._table(el, names)
            if tag == "nav" and "toc" in names:
                return self._toc(el, names)
            if tag == "section":
                first = not any(
                    sibling.tag == "section" for sibling in el.itersiblings(preceding=True)
                )
                return (
                    f"#section-el({class_array(names)}, first: {'true' if first else 'false'})"
                    + self._content_block(el)
                )
            if tag in INLINE_TAGS:
                return self._inline(el, tag, names)
            return f"#division({string(tag)}, {class_array(names)})" + self._content_block(el)

    def _inline(self, el: HtmlElement, tag: str, names: tuple[str, ...]) -> str:
        if tag == "br":
            return "#linebreak()"
        if tag == "wbr":  # the HTML parser may nest what follows a <wbr> inside it
            return WORD_BREAK + self._content(el)
        if tag in ("strong", "b"):
            return "#strong" + self._content_block(el)
        if tag in ("em", "i"):
            return "#emph" + self._content_block(el)
        if tag == "a":
            href = str(el.get("href") or "")
            if href.startswith("#") and href[1:] in self.ids:
                return f"#link({label(href[1:])})" + self._content_block(el)
            if href.startswith(("http://", "https://", "mailto:")):
                return f"#link({string(href)})" + self._content_block(el)
            return self._content(el)
        if tag == "span" or names:
            return f"#span-el({class_array(self._with_status(names))})" + self._content_block(el)
        return self._content(el)

    def _content(self, el: HtmlElement) -> str:
        """The children of an element, text and elements, in document order."""
        parts = [self._anchor(el)]
        if el.text:
            parts.append(escape(el.text))
        for child in el:
            if isinstance(child.tag, str):
                parts.append(self._node(child))
            if child.tail:
                parts.append(escape(child.tail))
        return "".join(parts)

    def _content_block(self, el: HtmlElement) -> str:
        return "[" + self._content(el) + "]"

    def _directed(self, el: HtmlElement) -> str:
        """The content block of a paragraph or list item; with ``dir="auto"`` and a first letter
        that is right-to-left (Hebrew, Arabic), set right to left, as a browser does."""
        if el.get("dir") == "auto" and first_strong_direction(el.text_content()) == "rtl":
            return "[#text(dir: rtl)" + self._content_block(el) + "]"
        return self._content_block(el)

    def _anchor(self, el: HtmlElement) -> str:
        """A link target for an element with an id, placed where its content begins."""
        html_id = el.get("id")
        return f"#metadata(none){label(str(html_id))}" if html_id else ""

    # --- lists -------------------------------------------------------------------------------

    def _list(self, el: HtmlElement, names: tuple[str, ...]) -> str:
        items = [li for li in _elements(el) if li.tag == "li"]
        if any(self._date_part(li) is not None for li in items):
            return self._dated_list(el, names, items)
        rendered = []
        for li in items:
            with self._inherit(li):
                rendered.append(self._directed(li))
        start = el.get("start")
        start_arg = f", start: {_int(start)}" if start is not None else ""
        return f"#list-el({string(el.tag)}, {class_array(names)}{start_arg}, {array(rendered)})"

    @staticmethod
    def _date_part(li: HtmlElement) -> HtmlElement | None:
        return next((part for part in _elements(li) if "date" in classes(part)), None)

    def _dated_list(self, el: HtmlElement, names: tuple[str, ...], items: list[HtmlElement]) -> str:
        """A two-column list: date | everything else of the item (text, sub-lists).

        Each row also says whether that rest holds block content (a sub-list, a paragraph):
        the template sets a row of text alone more cheaply than one with blocks.
        """
        rows = []
        for li in items:
            date = self._date_part(li)
            with self._inherit(li):
                date_markup = self._content_block(date) if date is not None else "[]"
                rest = [self._anchor(li), escape(li.text or "")]
                blocks = False
                for child in li:
                    if child is not date and isinstance(child.tag, str):
                        rest.append(self._node(child))
                        blocks = blocks or _holds_blocks(child)
                    if child.tail:
                        rest.append(escape(child.tail))
                rows.append(
                    f"({class_array(classes(li))}, {date_markup}, [{''.join(rest).strip()}], "
                    f"{'true' if blocks else 'false'})"
                )
        return f"#dated-list({class_array(names)}, {array(rows)})"

    # --- tables ------------------------------------------------------------------------------

    def _table(self, table: HtmlElement, names: tuple[str, ...]) -> str:
        rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
        header_rows = [tr for tr in rows if tr.getparent().tag == "thead"]
        body_rows = [tr for tr in rows if tr.getparent().tag != "thead"]
        widths = self._column_widths(table, rows)
        columns = len(widths)
        header = array(
            self._cell(cell, tr, columns) for tr in header_rows for cell in self._cells(tr)
        )
        body = array(self._cell(cell, tr, columns) for tr in body_rows for cell in self._cells(tr))
        return (
            f"#table-el({class_array(names)}, columns: {array(widths)}, "
            f"header: {header}, body: {body})"
        )

    @staticmethod
    def _cells(tr: HtmlElement) -> Iterator[HtmlElement]:
        return (cell for cell in _elements(tr) if cell.tag in ("td", "th"))

    def _cell(self, cell: HtmlElement, tr: HtmlElement, columns: int) -> str:
        colspan = min(columns, max(1, _int(cell.get("colspan"))))
        rowspan = max(1, _int(cell.get("rowspan")))
        # Spans of 1 are the template's defaults: left out, they cost Typst nothing to parse.
        spans = (f", colspan: {colspan}" if colspan > 1 else "") + (
            f", rowspan: {rowspan}" if rowspan > 1 else ""
        )
        with self._inherit(tr), self._inherit(cell):
            names = classes(tr) + classes(cell)
            return (
                f"cell-el({string(cell.tag)}, {class_array(names)}{spans})"
                + self._content_block(cell)
            )

    @staticmethod
    def _column_widths(table: HtmlElement, rows: list[HtmlElement]) -> list[str]:
        """Column widths from ``<col style="width: N%">``; columns without a width share the
        rest (``1fr``). A row with more cells than that adds columns, as a browser does."""
        widths: list[str] = []
        for col in table.iter("col"):
            span = max(1, _int(col.get("span")))
            match = _WIDTH_PERCENT.search(col.get("style", ""))
            widths.extend([f"{float(match.group(1)):g}%" if match else "1fr"] * span)
        widest = max(
            (sum(max(1, _int(c.get("colspan"))) for c in TypstWriter._cells(tr)) for tr in rows),
            default=1,
        )
        return widths + ["1fr"] * max(0, widest - len(widths))

    # --- table of contents -------------------------------------------------------------------

    def _toc(self, nav: HtmlElement, names: tuple[str, ...]) -> str:
        entries = []
        for link in nav.iter("a"):
            href = str(link.get("href") or "")
            if href.startswith("#") and href[1:] in self.ids:
                entries.append(f"({label(href[1:])}, {self._content_block(link)})")
        return f"#toc-el({class_array(names)}, {array(entries)})"

    # --- inherited status --------------------------------------------------------------------

    def _with_status(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The element's classes plus the status class it inherits (for swatches and borders)."""
        inherited = self._status[-1]
        if inherited and _status(names) is None:
            return (*names, inherited)
        return names

    def _inherit(self, el: HtmlElement) -> _StatusScope:
        return _StatusScope(self._status, _status(classes(el)))


class _StatusScope:
    """Pushes an element's status class (or the inherited one) for the duration of a walk."""

    def __init__(self, stack: list[str | None], status: str | None) -> None:
        self.stack, self.status = stack, status

    def __enter__(self) -> None:
        self.stack.append(self.status or self.stack[-1])

    def __exit__(self, *exc: object) -> None:
        self.stack.pop()


def _int(value: str | None) -> int:
    try:
        return int(value or "1")
    except ValueError:
        return 1
