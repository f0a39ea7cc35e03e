"""Text as people type it, made safe to store and print; titles normalised for matching.

:func:`clean_text` is applied where text enters the system (the bot's typed answers, the CLI's
project fields, an imported report's text); :func:`normalize_title` and :func:`squash_title`
compare titles across editions.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that only break storing or printing text, or change its meaning unseen. Dropped:
#: C0 and C1 controls (but the kept white space), lone surrogates, private use characters (no
#: meaning outside the sender's device), non-characters, the byte order mark / zero width
#: no-break space, the zero width space, the interlinear annotation marks, and the explicit
#: direction embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (unbalanced, they
#: turn the text after them around). Kept: the zero width joiner and non-joiner (emoji
#: sequences like 👩🏽‍💻, Persian words), variation selectors (❤️), tag characters (subdivision
#: flags), the soft hyphen, the direction marks LRM, RLM and ALM, and characters that are
#: unassigned in Python's Unicode version (the newest emoji).
_JUNK = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff"
    "\ufeff\u200b\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 15))
    + "]"
)
#: Line ends of every kind (CR LF, CR, NEL, the Unicode line and paragraph separators).
_LINE_END = re.compile("\r\n?|[\x85\u2028\u2029]")


def clean_text(text: str, *, keep: str = "\n\t") -> str:
    """Text as typed, without the characters that break storing or printing it, in NFC.

    Line ends become ``"\\n"``; of the C0 controls only those in ``keep`` stay (newline and tab
    by default; the importer keeps the form feed of its page breaks). Emoji sequences, direction
    marks and combining marks stay; "e" plus a combining acute becomes "é". Tabs and newlines
    that are not kept become spaces.
    """
    text = _LINE_END.sub("\n", text)
    text = _JUNK.sub(lambda m: m.group() if m.group() in keep else "", text)
    for char in "\n\t":
        if char not in keep:
            text = text.replace(char, " ")
    return unicodedata.normalize("NFC", text)


def first_strong_direction(text: str) -> str | None:
    """ "ltr" or "rtl" after the first letter with a strong direction, as HTML's ``dir="auto"``
    decides (Hebrew and Arabic letters are right to left); None for text without letters."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


_QUOTES = re.compile(r"[\"'„“”‚‘’«»]")
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[-–—]\s*")


def normalize_title(title: str) -> str:
    """Case-, quote-, dash- and whitespace-insensitive form of a project title."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _QUOTES.sub("", text)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip(" .")


_NON_ALNUM = re.compile(r"[\W_]+")


def squash_title(title: str) -> str:
    """Only letters and digits: "Treibhausgas-Speicher" and "Treibhausgasspeicher" agree."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())
