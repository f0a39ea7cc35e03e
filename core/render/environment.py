"""The one Jinja environment of the report, with its Babel date filters.

Every output (HTML, PDF, DOCX) is rendered from the templates in ``templates/report/`` through
:func:`report_environment`. Dates become text only in the filters registered here, which use
:mod:`core.dates` (Babel, ``de_DE``, Europe/Berlin) and :meth:`FuzzyDate.format`.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import date, datetime
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from core import dates
from core.fuzzydate import FuzzyDate
from core.richtext import RichText
from core.texts import plural

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^[-–•]\s+")


def templates_root() -> Path:
    """The directory of the installed ``templates`` package."""
    root = files("templates")
    if not isinstance(root, Path):  # pragma: no cover - only for zipped installs
        raise RuntimeError(f"templates package is not on the file system: {root!r}")
    return root


def format_day(value: date | None) -> str:
    """A calendar day as the report prints it ("01.04.2025"); "" for None."""
    if value is None:
        return ""
    return dates.format_day(value)


@lru_cache(maxsize=4096)
def format_fuzzy(value: FuzzyDate | None) -> str:
    """A milestone date in the report's German display; "" for undated entries (cached: the
    same dates are formatted for every page and format)."""
    if value is None:
        return ""
    return value.format()


def format_moment(value: datetime | None) -> str:
    """An aware timestamp shown in Europe/Berlin ("01.04.2025, 14:30"); "" for None."""
    if value is None:
        return ""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime cannot be shown in local time: {value!r}")
    return dates.format_local(value)


def split_paragraphs(text: str | None) -> list[str]:
    """Split free text into paragraphs at blank lines, dropping empty ones."""
    if not text:
        return []
    parts = (part.strip() for part in _BLANK_LINE.split(text.replace("\r\n", "\n")))
    return [part for part in parts if part]


def bullet_items(paragraph: str) -> list[str]:
    """The items of a paragraph whose every line starts with a dash or bullet, else []."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if not lines or not all(_BULLET.match(line) for line in lines):
        return []
    return [_BULLET.sub("", line) for line in lines]


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”„]+[^\s<>\"“”„.,;:!?)]")


def linkify(text: str) -> Markup:
    """Escape text and turn web addresses into links (HTML, and so PDF and DOCX)."""
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        href = url if url.startswith("http") else f"https://{url}"
        out.append(escape(text[pos : match.start()]))
        out.append(Markup('<a href="{}">{}</a>').format(href, url))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def breakable(text: str) -> Markup:
    """Escape text and allow line breaks after slashes ("Gesellschaft/soziale Gerechtigkeit")."""
    return Markup("/<wbr>").join(escape(part) for part in text.split("/"))


def is_subheading(paragraph: str) -> bool:
    """True for a one-line paragraph that reads as a heading (short, no closing punctuation)."""
    return (
        "\n" not in paragraph
        and len(paragraph) <= 90
        and not paragraph.endswith((".", ":", ";", ",", "!", "?"))
        and not _BULLET.match(paragraph)
    )


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between processes: compiling the report's templates took a
    fifth of ``nhr render --format html``. Jinja stores each template's source checksum (and
    its own and Python's version) with it, so a changed template is compiled anew."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store the compiled template; a cache that cannot be written is no error."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> _TemplateCache | None:
    """``$XDG_CACHE_HOME/nachhaltigkeitsreport/jinja`` (default ``~/.cache/…``), or None if
    there is no writable place for it."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    directory = base / "nachhaltigkeitsreport" / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(str(directory))


@cache
def report_environment() -> Environment:
    """The report's Jinja environment (created once; autoescaping, strict undefined)."""
    env = Environment(
        loader=FileSystemLoader(templates_root()),
        bytecode_cache=_template_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters["date"] = format_day
    env.filters["fuzzy"] = format_fuzzy
    env.filters["datetime"] = format_moment
    env.filters["paragraphs"] = split_paragraphs
    env.filters["bullet_items"] = bullet_items
    env.filters["breakable"] = breakable
    env.filters["linkify"] = linkify
    env.filters["rich"] = RichText.from_plain
    env.filters["plural"] = plural
    env.tests["subheading"] = is_subheading
    return env


def template_source(name: str) -> str:
    """The raw text of a file under ``templates/`` (used to inline the stylesheets)."""
    env = report_environment()
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source
