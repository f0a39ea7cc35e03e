"""The Word document's page set-up, paragraph styles and settings (German, A4, report colours).

The colours are read from the custom properties of ``templates/report/report.css``, so the PDF
and the DOCX share one palette.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, Twips

from core.render import docx_ooxml as ox
from core.render.environment import template_source
from core.render.html import SCREEN_CSS

PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7
MARGINS_CM = {"top": 2.4, "bottom": 2.2, "left": 2.2, "right": 2.0}
#: The project lists' landscape pages (``@page lists`` in print.css).
LANDSCAPE_MARGINS_CM = {"top": 1.8, "bottom": 1.8, "left": 2.0, "right": 2.0}
CONTENT_WIDTH_DXA = round(
    (PAGE_WIDTH_CM - MARGINS_CM["left"] - MARGINS_CM["right"]) * ox.DXA_PER_CM
)
LANDSCAPE_CONTENT_WIDTH_DXA = round(
    (PAGE_HEIGHT_CM - LANDSCAPE_MARGINS_CM["left"] - LANDSCAPE_MARGINS_CM["right"]) * ox.DXA_PER_CM
)
DATED_INDENT_CM = 3.2
FONT = "Arial"  # metric-compatible with Liberation Sans, which LibreOffice substitutes
TOC_ENTRY_STYLE = "toc 1"  # Word's built-in name: a TOC that Word builds looks the same
_CSS_COLOR = re.compile(r"--([a-z-]+):\s*#([0-9a-fA-F]{6})\b")
#: Settings elements that must follow ``w:updateFields`` (schema order).
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


@dataclass(frozen=True)
class _StyleSpec:
    """A Word paragraph style of the report: font size, colour (a CSS colour name), spacing."""

    name: str
    size: float
    color: str = "text"
    bold: bool | None = None
    italic: bool | None = None
    before: float | None = None
    after: float | None = None
    keep_with_next: bool = False


STYLE_SPECS = (
    _StyleSpec("Normal", 10, after=4),
    _StyleSpec("Heading 1", 16, "accent", True, False, 0, 8, True),
    _StyleSpec("Heading 2", 13, "accent", True, False, 14, 6, True),
    _StyleSpec("Heading 3", 11, "accent", True, False, 10, 4, True),
    _StyleSpec("Heading 4", 10.5, "text", True, False, 10, 4, True),
    _StyleSpec("TOC Heading", 16, "accent", True, False, 0, 12, True),
    _StyleSpec(TOC_ENTRY_STYLE, 11, after=6),
    _StyleSpec("Title", 28, "accent", True, False, 110, 16),
    _StyleSpec("Subtitle", 13, "text", False, False, 0, 8),
    _StyleSpec("Cover Claim", 12, "accent", True, False, 150, 0),
    _StyleSpec("Draft Mark", 14, "change", True, False),
    _StyleSpec("Label", 10, "text", True, False, 6, 2, True),
    _StyleSpec("Status Line", 9, "muted", keep_with_next=True),
    _StyleSpec("Placeholder", 10, "muted", italic=True),
    _StyleSpec("Goal Text", 10.5, "text", True, keep_with_next=True),
    _StyleSpec("Legend", 8, "muted", after=8),
    _StyleSpec("Table Text", 8.5, before=1.5, after=1.5),
    _StyleSpec("Dated Entry", 10, after=2),
)


@cache
def palette() -> dict[str, str]:
    """The report colours (``RRGGBB``) by CSS custom property name, read from report.css."""
    return {name: value.upper() for name, value in _CSS_COLOR.findall(template_source(SCREEN_CSS))}


def new_document(colors: dict[str, str]) -> tuple[DocxDocument, dict[str, str]]:
    """An empty A4 document with the report's styles; also returns style ids by style name."""
    document = Document()
    _set_up_page(document)
    style_ids = _set_up_styles(document, colors)
    _set_up_settings(document)
    return document, style_ids


def _set_up_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    set_page(section, landscape=False)
    section.different_first_page_header_footer = True  # no footer on the cover


def set_page(section: Section, *, landscape: bool) -> None:
    """A4 portrait with the report's margins, or A4 landscape with the project lists' margins."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)
        margins = LANDSCAPE_MARGINS_CM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        margins = MARGINS_CM
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])


def _set_up_styles(document: DocxDocument, colors: dict[str, str]) -> dict[str, str]:
    styles = document.styles
    ox.set_document_language(styles, "de-DE")
    for spec in STYLE_SPECS:
        style = ox.paragraph_style(styles, spec.name)
        ox.set_font(
            style,
            FONT,
            spec.size,
            colors.get(spec.color, "1D1D1B"),
            bold=spec.bold,
            italic=spec.italic,
        )
        fmt = style.paragraph_format
        if spec.before is not None:
            fmt.space_before = Pt(spec.before)
        if spec.after is not None:
            fmt.space_after = Pt(spec.after)
        if spec.keep_with_next:
            fmt.keep_with_next = True
    styles["Normal"].paragraph_format.line_spacing = 1.15
    styles["Table Text"].paragraph_format.line_spacing = 1.0
    title_borders = styles["Title"].element.get_or_add_pPr().find(qn("w:pBdr"))
    if title_borders is not None:
        title_borders.getparent().remove(title_borders)
    dated = styles["Dated Entry"].paragraph_format
    dated.left_indent = Cm(DATED_INDENT_CM)
    dated.first_line_indent = Cm(-DATED_INDENT_CM)
    dated.tab_stops.add_tab_stop(Cm(DATED_INDENT_CM), WD_TAB_ALIGNMENT.LEFT)
    styles[TOC_ENTRY_STYLE].paragraph_format.tab_stops.add_tab_stop(
        Twips(CONTENT_WIDTH_DXA), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    return {style.name: style.style_id for style in styles if style.name}


def _set_up_settings(document: DocxDocument) -> None:
    """German number format and theme language; Word refreshes fields (TOC pages) on opening."""
    settings = document.settings.element
    for tag, value in (
        ("w:decimalSymbol", ","),
        ("w:listSeparator", ";"),
        ("w:themeFontLang", "de-DE"),
    ):
        found = settings.find(qn(tag))
        if found is not None:
            found.set(qn("w:val"), value)
    update = ox.element("w:updateFields", val="true")
    settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE_FIELDS)
