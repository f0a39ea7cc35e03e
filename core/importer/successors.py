"""Likely successors of a project that an edition no longer mentions.

A project rarely just vanishes: more often it continues under a new title (2023's "Smart
Country-Rahmenstrategie" is 2025's "Smart Country-Steuerungsmodell"). The importer cannot know
every rename, so it ranks the candidates for the coordinator: same Themenfeld, shared
responsible departments and similar words in title, description, remark and dated entries.

Words are compared by their first :data:`STEM` letters (a crude stem that lets
"Steuerungsmodell" meet "Steuerungsmodells") and weighted by how rare they are among all
projects (inverse document frequency), so "Kreis" and "Soest" count for little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STEM = 8
MIN_WORD = 4
# Weights of the three parts of the score (they add up to 1).
TEXT_WEIGHT = 0.5
TITLE_WEIGHT = 0.3
DEPARTMENT_WEIGHT = 0.2
# How many successors a report names at most, and the least score worth naming.
TOP = 3
MIN_SCORE = 0.05

_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> frozenset[str]:
    """The stems of the words of ``text`` that carry meaning (four letters or more)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return frozenset(w[:STEM] for w in _WORD.findall(folded) if len(w) >= MIN_WORD)


@dataclass(frozen=True)
class Profile:
    """What the comparison looks at in one project."""

    key: int  # the caller's handle (project id, or a negative number for a parsed item)
    field_number: int
    departments: frozenset[str]
    title_words: frozenset[str]
    text_words: frozenset[str]

    @classmethod
    def build(
        cls,
        key: int,
        field_number: int,
        departments: Iterable[str],
        titles: Iterable[str],
        texts: Iterable[str],
    ) -> Profile:
        title_words = words(" ".join(titles))
        return cls(
            key=key,
            field_number=field_number,
            departments=frozenset(d.casefold() for d in departments),
            title_words=title_words,
            text_words=title_words | words(" ".join(texts)),
        )


class Similarity:
    """Scores between project profiles, weighted by word rarity over ``corpus``."""

    def __init__(self, corpus: Sequence[Profile]) -> None:
        df: Counter[str] = Counter()
        for profile in corpus:
            df.update(profile.text_words)
        self._n = max(len(corpus), 1)
        self._df = df

    def _weight(self, word: str) -> float:
        return math.log((self._n + 1) / (self._df.get(word, 0) + 1)) + 1.0

    def _overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        union = a | b
        if not union:
            return 0.0
        return sum(self._weight(w) for w in a & b) / sum(self._weight(w) for w in union)

    def score(self, old: Profile, new: Profile) -> float:
        """0 (nothing in common) to 1 (same words, same departments)."""
        deps = old.departments | new.departments
        departments = len(old.departments & new.departments) / len(deps) if deps else 0.0
        return (
            TEXT_WEIGHT * self._overlap(old.text_words, new.text_words)
            + TITLE_WEIGHT * self._overlap(old.title_words, new.title_words)
            + DEPARTMENT_WEIGHT * departments
        )

    def rank(self, old: Profile, candidates: Iterable[Profile]) -> list[tuple[float, Profile]]:
        """Candidates of the same Themenfeld, best first (at most :data:`TOP`)."""
        scored = [
            (self.score(old, c), c)
            for c in candidates
            if c.field_number == old.field_number and c.key != old.key
        ]
        scored = [(s, c) for s, c in scored if s >= MIN_SCORE]
        scored.sort(key=lambda t: (-t[0], t[1].key))
        return scored[:TOP]
