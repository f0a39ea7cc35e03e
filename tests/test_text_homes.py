"""German user text lives in one home per layer (plus ``templates/``).

The homes: ``core/texts.py``, ``chat/texts.py``, ``bot/texts.py``, ``scheduler/texts.py``,
``nhr/texts.py``. Every other module under ``core/``, ``chat/``, ``bot/``, ``scheduler/`` and
``nhr/`` is parsed with :mod:`ast`; a
string constant that reads as German user text (an umlaut or ß, or a common German word, in
something that is not an identifier) outside a home fails this test with its ``file:line``.
Docstrings are skipped (comments never reach the syntax tree); log messages are English.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "chat", "bot", "scheduler", "nhr")

#: The one texts module of each layer.
TEXT_HOMES = frozenset(
    {"core/texts.py", "chat/texts.py", "bot/texts.py", "scheduler/texts.py", "nhr/texts.py"}
)

#: Modules whose German literals are data, not text shown to users.
DATA_MODULES = frozenset(
    {
        # The grammar of the printed report that the importer reads: its headings, section names,
        # month and season words and committee names are patterns to match, not messages.
        *(
            f"core/importer/{name}.py"
            for name in (
                "parse",
                "parse_chapters",
                "parse_dated",
                "parse_lines",
                "parse_tables",
                "parse_text",
            )
        ),
        # German date words are the input format of fuzzy dates ("Frühjahr 2026", "bis Ende 2025").
        "core/fuzzydate_parse.py",
    }
)

_GERMAN_LETTER = re.compile(r"[äöüÄÖÜß]")
_GERMAN_WORD = re.compile(
    r"\b(?:Sie|bitte|Bitte|nicht|ist|sind|wird|werden|wurde|wurden|kein|keine|keinen|und|oder|"
    r"für|mit|der|die|das|den|dem|des|ein|eine|einen|Ausgabe|Projekt|Projekte|Stichtag|gibt|"
    r"noch|schon|bereits|nur|auch|von|bis|zum|zur)\b"
)
_LOGGER_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})


def looks_german(text: str) -> bool:
    """Whether ``text`` reads as German words for a person, not an identifier, key or pattern.

    An identifier or data key (``in_bearbeitung``, ``Projektstatus``) has no space; a German word
    with an umlaut counts on its own (``Änderungen``).
    """
    if len(text.strip()) < 3:  # a letter (ä → ae in a slug table) is no text
        return False
    if _GERMAN_LETTER.search(text):
        return True
    return " " in text.strip() and bool(_GERMAN_WORD.search(text))


def _skipped(tree: ast.Module) -> set[int]:
    """The ids of the constants this test does not read: docstrings and log messages."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOGGER_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger")
        ):
            skipped.update(id(sub) for arg in node.args for sub in ast.walk(arg))
    return skipped


def german_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each German string constant of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _skipped(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and looks_german(node.value)
        ):
            yield node.lineno, node.value


def checked_modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in TEXT_HOMES and name not in DATA_MODULES:
                yield name, path


@cache
def found() -> dict[str, list[tuple[int, str]]]:
    """The German literals of every checked module (parsed once for all tests)."""
    return {name: list(german_literals(path)) for name, path in checked_modules()}


@pytest.mark.slow
def test_german_user_text_lives_only_in_the_text_homes() -> None:
    stray = [
        f"{name}:{line}: {text!r}" for name, literals in found().items() for line, text in literals
    ]
    assert not stray, "German user text outside the text homes:\n" + "\n".join(stray)


def test_the_heuristic_tells_text_from_code() -> None:
    assert looks_german("Bitte geben Sie ein Datum an.")
    assert looks_german("Änderungen")
    assert looks_german("Die Ausgabe ist veröffentlicht")
    assert not looks_german("in_bearbeitung")
    assert not looks_german("SELECT id FROM project WHERE edition_id = :edition")
    assert not looks_german("%Y-%m-%d")
    assert not looks_german("the edition is not published")
    assert not looks_german("Projektstatus")
