"""Re-flowing extracted lines into paragraphs, and repairing words hyphenated at line ends.

Two layouts occur. In the *wrapped* layout (2025) the PDF's lines are kept: a paragraph runs
over several lines, a whitespace-only line separates paragraphs and an empty line is only a
gap inside one. In the *unwrapped* layout (2023) a line is a paragraph, and an empty line
separates paragraphs - unless a page break cut a paragraph, which shows as a long line that
stops mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.importer.parse_lines import Kind, Line

_SPACES = re.compile(r"\s+")
#: A web address in angle brackets: the 2023 text's extraction marks links so
#: ("<https://informierbar.de/>"); the edition printed the address alone.
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^\s<>]+)>")
_LIST_ITEM = re.compile(r"^(?:[-•▪]\s|\d{1,2}\.\s+[A-ZÄÖÜa-zäöü])")
_SENTENCE_END = re.compile(r"[.!?:;]['\"“”)]?$|[“\"]$")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Za-zÄÖÜäöü]\.|e\.V\.|bzw\.|ggf\.|usw\.|ca\.|Nr\.|Abt\.|Dr\.|Prof\.|"
    r"vgl\.|inkl\.|tlw\.|sog\.|rd\.|St\.|Dez\.)$"
)

#: Words joined to the previous line's hyphen with a space: "Bürger- und Akteurs-...".
_CONJUNCTIONS = frozenset({"und", "oder", "sowie", "bzw.", "als", "wie", "bis"})

#: Words that cannot end a list entry: a line ending with one of them continues on the next.
_FUNCTION_WORD_END = re.compile(
    r"(?:^|\s)(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|und|oder|sowie|"
    r"für|mit|von|vom|zu|zum|zur|im|in|ins|an|am|auf|aus|bei|beim|bis|über|unter|nach|vor|"
    r"durch|als|wie|ab|seit|gegen|um|ohne|sich|dass)$"
)

#: In the wrapped layout a prose line ending a sentence is a paragraph's last line if it is
#: this much shorter than a full line (lines wrap at about 80-95 characters).
SHORT_LINE = 75

#: In the unwrapped layout a line this long that stops mid-sentence was cut by a page break.
LONG_LINE = 150


def normalize_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def join_lines(left: str, right: str) -> str:
    """Join two wrapped lines, repairing a word hyphenated at the end of ``left``.

    "weiterzu-" + "entwickeln" gives "weiterzuentwickeln"; the hyphen stays before a
    capital or digit ("MINT-Themen", "E-Mobilität"), after a digit ("CO2-reduzierte"),
    between adjectives ("naturwissenschaftlich-technisch") and before a conjunction
    ("Bürger- und"); a lone dash joins its word ("und -anpassung").
    """
    left = left.rstrip()
    right = right.strip()
    if not left:
        return right
    if not right:
        return left
    if left.endswith("/"):
        return left + right
    if not left.endswith("-"):
        return f"{left} {right}"
    head = left[:-1]
    first = right.split()[0]
    if not head or head.endswith(" "):
        return left + right
    if first in _CONJUNCTIONS:
        return f"{left} {right}"
    if first[0].isupper() or first[0].isdigit() or not first[0].isalpha():
        return left + right
    last_word = head.split()[-1]
    if last_word[-1].isdigit() or last_word.endswith(("lich", "isch")):
        return left + right
    return head + right


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends with sentence punctuation (not an abbreviation like "z.")."""
    text = text.rstrip()
    return bool(_SENTENCE_END.search(text)) and not _ABBREVIATION.search(text)


def continues(text: str) -> bool:
    """True if a line ending like ``text`` must continue: hyphen, comma or a function word."""
    text = text.rstrip()
    if not text:
        return False
    return text[-1] in "-,(„" or bool(_FUNCTION_WORD_END.search(text))


def is_list_item(text: str) -> bool:
    """A bullet ("- ...") or numbered item ("1. Radweg ...")."""
    return bool(_LIST_ITEM.match(text.strip()))


@dataclass
class _Gap:
    empty: bool = False
    space: bool = False
    noise: bool = False

    def any(self) -> bool:
        return self.empty or self.space or self.noise


def reflow(lines: Sequence[Line], *, wrapped: bool) -> str:
    """Paragraphs from ``lines``: joined by a blank line; list items one per line."""
    paragraphs: list[list[str]] = []
    prev: Line | None = None
    gap = _Gap()
    for line in lines:
        if line.kind is Kind.EMPTY:
            gap.empty = True
            continue
        if line.kind is Kind.SPACE:
            gap.space = True
            continue
        if line.kind is Kind.NOISE:
            gap.noise = True
            continue
        text = _AUTOLINK.sub(r"\1", normalize_spaces(line.text))
        if prev is None or not paragraphs:
            paragraphs.append([text])
        else:
            rows = paragraphs[-1]
            how = _break(rows[-1], prev, line, gap, wrapped=wrapped)
            if how == "para":
                paragraphs.append([text])
            elif how == "line":
                rows.append(text)
            else:
                rows[-1] = join_lines(rows[-1], text)
        prev = line
        gap = _Gap()
    return "\n\n".join("\n".join(rows) for rows in paragraphs)


def _break(row: str, prev: Line, line: Line, gap: _Gap, *, wrapped: bool) -> str:
    """How ``line`` attaches to the paragraph: "para", "line" (new row) or "join"."""
    item = is_list_item(line.text)
    if gap.noise:
        if item:
            return "line" if is_list_item(row) else "para"
        return "para" if ends_sentence(row) else "join"
    if not wrapped:
        if not gap.any():
            return "line"
        if len(prev.text) > LONG_LINE and not ends_sentence(row) and not item:
            return "join"
        return "para"
    if gap.space:
        return "para"
    if item:
        return "line"
    if is_list_item(row):
        return "join" if line.indented or continues(row) else "para"
    short = len(prev.raw.rstrip()) < SHORT_LINE
    if short and ends_sentence(row) and not line.text[:1].islower():
        return "para"
    return "join"
