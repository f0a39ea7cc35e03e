"""Structured free text: paragraphs (with line breaks) and nested bullet or numbered lists.

A project's description and remark are not strings with ``\\n`` in them but a
:class:`RichText`: a sequence of blocks, each a paragraph or a list whose items may carry a
list of their own ("1. Radweg an der K 5 …" with "- Ausschreibung ist in Vorbereitung"
below it). Stored as JSON (:meth:`RichText.to_json`); typed and edited as plain text in one
documented form (:meth:`RichText.from_plain` / :meth:`RichText.to_plain`)::

    A paragraph. A line break inside it
    stays a line break.

    - a bullet item
    - another one
       - a sub-item (indented)

    1. a numbered item
       - its sub-item
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-–•▪*])|(?P<num>\d{1,2})[.)])\s+(?P<text>\S.*)$"
)
_SPACES = re.compile(r"[ \t]+")

BlockKind = Literal["p", "ul", "ol"]


@dataclass(frozen=True)
class ListItem:
    """One list item; ``children`` is an optional nested list."""

    text: str
    children: Block | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph (``lines``, joined by line breaks) or a list (``items``)."""

    kind: BlockKind
    lines: tuple[str, ...] = ()
    items: tuple[ListItem, ...] = ()
    start: int = 1  # first number of an ordered list

    @property
    def is_list(self) -> bool:
        """True for bullet and numbered lists."""
        return self.kind != "p"


@dataclass(frozen=True)
class RichText:
    """Paragraphs and lists, in order. Empty text has no blocks."""

    blocks: tuple[Block, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.blocks)

    # -- plain text form -------------------------------------------------------------------
    @classmethod
    def from_plain(cls, text: str | None) -> RichText:
        """Read the plain text form (what a contact types, what the importer reads)."""
        if not text:
            return cls()
        blocks: list[Block] = []
        for para in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")):
            blocks.extend(_blocks_of(para))
        return cls(tuple(blocks))

    def to_plain(self) -> str:
        """The plain text form; ``from_plain(to_plain())`` gives the same structure back."""
        return "\n\n".join(_block_plain(b, "") for b in self.blocks)

    def words(self) -> str:
        """All text on one line (for search, similarity and short previews)."""
        return " ".join(_texts(self.blocks))

    # -- storage ---------------------------------------------------------------------------
    def to_data(self) -> list[dict[str, Any]]:
        """A JSON-serialisable form."""
        return [_block_data(b) for b in self.blocks]

    @classmethod
    def from_data(cls, data: list[dict[str, Any]] | None) -> RichText:
        """Inverse of :meth:`to_data`."""
        return cls(tuple(_block_from(d) for d in data or ()))

    def to_json(self) -> str:
        """The stored form: compact JSON of :meth:`to_data`."""
        return json.dumps(self.to_data(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> RichText:
        """Read the stored form; a value that is not JSON is read as plain text."""
        if not text:
            return cls()
        if text.startswith("["):
            try:
                return cls.from_data(json.loads(text))
            except (ValueError, TypeError, KeyError):
                pass
        return cls.from_plain(text)

    @classmethod
    def coerce(cls, value: RichText | str | None) -> RichText:
        """A RichText from a RichText, plain text or None."""
        if isinstance(value, RichText):
            return value
        return cls.from_plain(value)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _blocks_of(para: str) -> Iterator[Block]:
    """The blocks of one paragraph: runs of prose lines and runs of list items."""
    prose: list[str] = []
    items: list[tuple[int, str | None, int | None, str]] = []  # indent, bullet, number, text

    def flush_prose() -> Iterator[Block]:
        if prose:
            yield Block("p", lines=tuple(prose))
            prose.clear()

    def flush_items() -> Iterator[Block]:
        if items:
            yield from _lists(items)
            items.clear()

    for raw in para.split("\n"):
        if not raw.strip():
            continue
        match = _ITEM.match(raw)
        if match:
            yield from flush_prose()
            indent = len(match["indent"].expandtabs(4))
            num = int(match["num"]) if match["num"] else None
            items.append((indent, match["bullet"], num, _clean(match["text"])))
        elif items and raw[:1] in " \t":
            # an indented line under an item continues that item
            indent, bullet, num, text = items[-1]
            items[-1] = (indent, bullet, num, f"{text} {_clean(raw)}")
        else:
            yield from flush_items()
            prose.append(_clean(raw))
    yield from flush_prose()
    yield from flush_items()


def _lists(items: list[tuple[int, str | None, int | None, str]]) -> Iterator[Block]:
    """Nest items: deeper indentation, or bullets under a numbered item, are children."""
    top: list[tuple[int | None, str, list[tuple[int, str | None, int | None, str]]]] = []
    top_indent = items[0][0]
    ordered = items[0][2] is not None
    for indent, bullet, num, text in items:
        is_child = top and (indent > top_indent or (ordered and num is None))
        if is_child:
            top[-1][2].append((indent, bullet, num, text))
            continue
        if top and (num is not None) != ordered:
            yield _list_block(ordered, top)
            top = []
            ordered = num is not None
        top_indent = indent if not top else top_indent
        top.append((num, text, []))
    if top:
        yield _list_block(ordered, top)


def _list_block(
    ordered: bool,
    top: list[tuple[int | None, str, list[tuple[int, str | None, int | None, str]]]],
) -> Block:
    result: list[ListItem] = []
    for _num, text, children in top:
        nested = list(_lists(children)) if children else []
        if len(nested) > 1:  # mixed child kinds: keep the first as list, fold the rest in
            head, rest = nested[0], nested[1:]
            nested = [
                Block(
                    head.kind,
                    items=head.items + tuple(i for b in rest for i in b.items),
                    start=head.start,
                )
            ]
        result.append(ListItem(text, nested[0] if nested else None))
    start = top[0][0] if ordered and top[0][0] is not None else 1
    return Block("ol" if ordered else "ul", items=tuple(result), start=start)


def _block_plain(block: Block, indent: str) -> str:
    if block.kind == "p":
        return "\n".join(indent + line for line in block.lines)
    rows: list[str] = []
    for i, item in enumerate(block.items, start=block.start):
        marker = f"{i}." if block.kind == "ol" else "-"
        rows.append(f"{indent}{marker} {item.text}")
        if item.children is not None:
            rows.append(_block_plain(item.children, indent + "   "))
    return "\n".join(rows)


def _texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        yield from block.lines
        for item in block.items:
            yield item.text
            if item.children is not None:
                yield from _texts((item.children,))


def _block_data(block: Block) -> dict[str, Any]:
    if block.kind == "p":
        return {"p": list(block.lines)}
    data: dict[str, Any] = {
        block.kind: [
            {"text": i.text, **({"list": _block_data(i.children)} if i.children else {})}
            for i in block.items
        ]
    }
    if block.kind == "ol" and block.start != 1:
        data["start"] = block.start
    return data


def _block_from(data: dict[str, Any]) -> Block:
    if "p" in data:
        return Block("p", lines=tuple(str(line) for line in data["p"]))
    kind: BlockKind = "ol" if "ol" in data else "ul"
    items = tuple(
        ListItem(str(i["text"]), _block_from(i["list"]) if i.get("list") else None)
        for i in data[kind]
    )
    return Block(kind, items=items, start=int(data.get("start", 1)))
