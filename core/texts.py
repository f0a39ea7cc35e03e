"""Core's user-facing German text: the messages its errors carry to users, and the plural rule.

The one home of German words in ``core/`` (report wording stays in ``templates/``). The bot
(``bot/texts.py``), the scheduler (``scheduler/texts.py``) and the command line
(``nhr/texts.py``) each have their own texts module and count with :func:`plural` from here;
templates use it as the ``plural`` filter.
"""

from __future__ import annotations


def plural(count: int, one: str, many: str) -> str:
    """``one`` for exactly one, else ``many`` (German: 0 Projekte, 1 Projekt, 2 Projekte)."""
    return one if count == 1 else many


def counted(count: int, one: str, many: str) -> str:
    """The count and its noun: ``1 Projekt``, ``5 Projekte``."""
    return f"{count} {plural(count, one, many)}"


def cutoffs_passed(passed: int) -> str:
    """``ist 1 Stichtag``, ``sind 3 Stichtage`` (vergangen) – for an edition left unpublished."""
    return f"{plural(passed, 'ist', 'sind')} {counted(passed, 'Stichtag', 'Stichtage')}"
