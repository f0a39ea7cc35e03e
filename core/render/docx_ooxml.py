"""Low-level WordprocessingML pieces the DOCX walker needs and python-docx does not offer.

Everything here builds plain OOXML elements (fields, shading, borders, table cells); none of it
carries report wording, which always comes from the rendered HTML.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.styles.styles import Styles

#: The font of Chinese, Japanese and Korean text in the DOCX (``w:eastAsia``).
EAST_ASIAN_FONT = "Microsoft YaHei"
#: Twentieths of a point per centimetre (Word's "dxa" unit).
DXA_PER_CM = 567


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new ``w:`` element with ``w:`` attributes (``val="x"`` becomes ``w:val="x"``)."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def child(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    """Append and return a new child element."""
    el = element(tag, **attrs)
    parent.append(el)
    return el


def get_or_add(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The first child with ``tag``, appended when missing (for order-insensitive containers)."""
    found = parent.find(qn(tag))
    if found is None:
        return child(parent, tag)
    return found  # type: ignore[no-any-return]  # lxml's find is untyped


# --- fields ----------------------------------------------------------------------------------


def field_runs(instruction: str, cached: str = "") -> list[BaseOxmlElement]:
    """The runs of a complex field (``PAGE``, ``PAGEREF ...``) with an optional cached result."""
    begin = element("w:r")
    child(begin, "w:fldChar", fldCharType="begin", dirty="true")
    instr = element("w:r")
    text = child(instr, "w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    separate = element("w:r")
    child(separate, "w:fldChar", fldCharType="separate")
    runs = [begin, instr, separate]
    if cached:
        result = element("w:r")
        child(result, "w:t").text = cached
        runs.append(result)
    end = element("w:r")
    child(end, "w:fldChar", fldCharType="end")
    runs.append(end)
    return runs


# --- run and paragraph formatting ------------------------------------------------------------

#: Elements that must follow ``w:shd`` in run properties (schema order).
_RPR_AFTER_SHD = (
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
#: Elements that must follow ``w:pBdr`` in paragraph properties (schema order).
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def right_to_left(ppr: BaseOxmlElement) -> None:
    """Make a paragraph right to left (``w:bidi``): Word sets it from the right margin."""
    if ppr.find(qn("w:bidi")) is None:
        after = _PPR_AFTER_PBDR[_PPR_AFTER_PBDR.index("w:bidi") + 1 :]
        ppr.insert_element_before(element("w:bidi"), *after)


def shade_run(rpr: BaseOxmlElement, fill: str) -> None:
    """Give a run a solid background colour (``fill`` as ``RRGGBB``)."""
    shd = element("w:shd", val="clear", color="auto", fill=fill)
    rpr.insert_element_before(shd, *_RPR_AFTER_SHD)


def paragraph_border(ppr: BaseOxmlElement, side: str, color: str, eighths: int) -> None:
    """A single border line on one side of a paragraph (width in eighths of a point)."""
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = element("w:pBdr")
        ppr.insert_element_before(borders, *_PPR_AFTER_PBDR)
    child(borders, f"w:{side}", val="single", sz=str(eighths), space="6", color=color)


# --- styles ----------------------------------------------------------------------------------


def set_font(
    style: ParagraphStyle,
    name: str,
    size: float,
    color: str | None = None,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    """Set a style's font, dropping the theme fonts and colours the template may carry."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    style.font.name = name
    # Right-to-left and East Asian text take their own font slots: the report's font for Arabic
    # and Hebrew (Arial has both; LibreOffice's fallback fills what Liberation Sans lacks), and
    # a CJK font that Windows ships (Word and LibreOffice substitute it where it is missing).
    style_fonts = rpr.find(qn("w:rFonts"))
    if style_fonts is not None:
        style_fonts.set(qn("w:cs"), name)
        style_fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    style.font.size = Pt(size)
    if color is not None:
        theme_color = rpr.find(qn("w:color"))
        if theme_color is not None:
            rpr.remove(theme_color)
        style.font.color.rgb = RGBColor.from_string(color)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def paragraph_style(styles: Styles, name: str, base: str = "Normal") -> ParagraphStyle:
    """An existing paragraph style, or a new one based on ``base``."""
    try:
        existing = styles[name]
    except KeyError:
        # python-docx leaves add_style unannotated
        created = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[no-untyped-call]
        assert isinstance(created, ParagraphStyle)
        created.base_style = styles[base]
        created.quick_style = True
        return created
    assert isinstance(existing, ParagraphStyle)
    return existing


def set_document_language(styles: Styles, lang: str) -> None:
    """Default proofing language of every run (``de-DE``)."""
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = get_or_add(get_or_add(defaults, "w:rPrDefault"), "w:rPr")
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = child(rpr, "w:lang")
    language.set(qn("w:val"), lang)
    language.set(qn("w:eastAsia"), lang)


# --- tables ----------------------------------------------------------------------------------


def new_table(widths_dxa: list[int], style_id: str, rule_color: str) -> BaseOxmlElement:
    """An empty ``w:tbl`` with a fixed grid of the given column widths and thin rules."""
    tbl = element("w:tbl")
    tbl_pr = child(tbl, "w:tblPr")
    child(tbl_pr, "w:tblStyle", val=style_id)
    child(tbl_pr, "w:tblW", w=str(sum(widths_dxa)), type="dxa")
    borders = child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        child(borders, f"w:{side}", val="single", sz="4", space="0", color=rule_color)
    child(tbl_pr, "w:tblLayout", type="fixed")
    margins = child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        child(margins, f"w:{side}", w="70", type="dxa")
    child(
        tbl_pr,
        "w:tblLook",
        val="04A0",
        firstRow="1",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="1",
        noVBand="1",
    )
    grid = child(tbl, "w:tblGrid")
    for width in widths_dxa:
        child(grid, "w:gridCol", w=str(width))
    return tbl


def new_row(tbl: BaseOxmlElement, *, header: bool) -> BaseOxmlElement:
    """Append a row; header rows repeat on every page and never split."""
    tr = child(tbl, "w:tr")
    tr_pr = child(tr, "w:trPr")
    child(tr_pr, "w:cantSplit")
    if header:
        child(tr_pr, "w:tblHeader")
    return tr


def new_cell(
    tr: BaseOxmlElement,
    width_dxa: int,
    *,
    span: int = 1,
    vmerge: str | None = None,
    fill: str | None = None,
) -> BaseOxmlElement:
    """Append a cell (``vmerge`` is "restart" or "continue" for row spans); returns the ``w:tc``."""
    tc = child(tr, "w:tc")
    tc_pr = child(tc, "w:tcPr")
    child(tc_pr, "w:tcW", w=str(width_dxa), type="dxa")
    if span > 1:
        child(tc_pr, "w:gridSpan", val=str(span))
    if vmerge == "restart":
        child(tc_pr, "w:vMerge", val="restart")
    elif vmerge == "continue":
        child(tc_pr, "w:vMerge")
    if fill:
        child(tc_pr, "w:shd", val="clear", color="auto", fill=fill)
    return tc
