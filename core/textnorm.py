"""Normalisation of titles for matching the same project across editions."""

from __future__ import annotations

import re
import unicodedata

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
