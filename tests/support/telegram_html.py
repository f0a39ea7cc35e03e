"""Telegram's HTML parse mode: text with tags in, plain text and message entities out.

A port of the rules of tdlib's ``parse_html`` (the parser behind the Bot API): the same
supported tags, the same entity decoding (``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` and numeric
references, the ``;`` optional) and the same error descriptions, so a bot that passes here
is not rejected by Telegram for its markup. One deliberate difference: tdlib keeps a bare
``&`` as text, while ``strict_ampersand`` (on by default) rejects it, because a bare ``&``
almost always means user input went into a message without ``html.escape``, and the next
user to type ``<`` would break that message in production.

Offsets and lengths of entities count UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

from dataclasses import dataclass

Entity = dict[str, object]

_SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v\f")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is the Bot API's reason."""


@dataclass(frozen=True)
class FormattedText:
    """Text as Telegram stores it: plain characters plus entities in UTF-16 units."""

    text: str
    entities: tuple[Entity, ...] = ()


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int
    char_start: int


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str, *, strict_ampersand: bool = True) -> FormattedText:
    """Parse Telegram HTML into plain text and entities; raise HtmlParseError if invalid."""
    return _HtmlParser(source, strict_ampersand).parse()


def trim(formatted: FormattedText) -> FormattedText:
    """Drop leading and trailing whitespace as Telegram does, shifting the entities."""
    text = formatted.text
    core = text.strip("".join(_SPACES))
    if core == text:
        return formatted
    left = utf16_len(text[: len(text) - len(text.lstrip("".join(_SPACES)))])
    core_len = utf16_len(core)
    entities: list[Entity] = []
    for entity in formatted.entities:
        offset, length = _span(entity)
        start = max(offset - left, 0)
        end = min(offset + length - left, core_len)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(core, tuple(entities))


def _span(entity: Entity) -> tuple[int, int]:
    offset, length = entity.get("offset"), entity.get("length")
    if not isinstance(offset, int) or not isinstance(length, int):
        raise HtmlParseError("entity offset and length must be integers")
    return offset, length


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def decode_entity(source: str, index: int) -> tuple[str, int] | None:
    """Decode the character reference at ``source[index] == "&"``: (character, next index)."""
    end = index + 1
    if source.startswith("#", end):
        end += 1
        hexadecimal = source.startswith("x", end)
        end += hexadecimal
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(source) and source[end] in digits:
            end += 1
        code = int(source[start:end], 16 if hexadecimal else 10) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - index >= 10:
            return None
        character = chr(code)
    else:
        start = end
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(source[start:end])
        if named is None:
            return None
        character = named
    if source.startswith(";", end):
        end += 1
    return character, end


class _HtmlParser:
    def __init__(self, source: str, strict_ampersand: bool) -> None:
        self._source = source
        self._strict_ampersand = strict_ampersand
        self._chars: list[str] = []
        self._utf16 = 0
        self._open: list[_OpenTag] = []
        self._entities: list[Entity] = []

    def parse(self) -> FormattedText:
        source, i = self._source, 0
        while i < len(source):
            character = source[i]
            if character == "&":
                decoded = decode_entity(source, i)
                if decoded is not None:
                    self._append(decoded[0])
                    i = decoded[1]
                    continue
                if self._strict_ampersand:
                    raise HtmlParseError(
                        'Character "&" must be escaped as "&amp;" at byte offset '
                        f"{_byte_offset(source, i)}"
                    )
            if character != "<":
                self._append(character)
                i += 1
            elif source.startswith("/", i + 1):
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self._open:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self._open[-1].name}"'
            )
        entities = sorted(self._entities, key=lambda e: (_span(e)[0], -_span(e)[1]))
        return FormattedText("".join(self._chars), tuple(entities))

    def _append(self, character: str) -> None:
        self._chars.append(character)
        self._utf16 += 2 if ord(character) > 0xFFFF else 1

    def _at(self, i: int) -> str:
        """The character at ``i``, or "" past the end (tdlib's terminating NUL)."""
        return self._source[i] if i < len(self._source) else ""

    def _is_space(self, i: int) -> bool:
        return i >= len(self._source) or self._source[i] in _SPACES

    def _start_tag(self, begin: int) -> int:
        source, i = self._source, begin + 1
        while not self._is_space(i) and source[i] != ">":
            i += 1
        if i >= len(source):
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        name = source[begin + 1 : i].lower()
        where = f"at byte offset {_byte_offset(source, begin)}"
        if name not in _SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" {where}')
        argument = ""
        while self._at(i) != ">":
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if self._at(i) == ">":
                break
            attribute_begin = i
            while not self._is_space(i) and source[i] not in "=>":
                i += 1
            attribute = source[attribute_begin:i]
            if not attribute:
                raise HtmlParseError(f'Empty attribute name in the tag "{name}" {where}')
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if self._at(i) != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "1"
                    continue
                raise HtmlParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"{where}"
                )
            i += 1
            while i < len(source) and source[i] in _SPACES:
                i += 1
            value, i = self._attribute_value(i)
            if i >= len(source):
                raise HtmlParseError(f"Unclosed start tag {where}")
            argument = _tag_argument(name, attribute, value, argument)
        if name == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {where}')
        self._open.append(_OpenTag(name, argument, self._utf16, len(self._chars)))
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        source = self._source
        quote = self._at(i)
        if quote not in ("'", '"'):
            begin = i
            while i < len(source) and (
                (source[i].isascii() and source[i].isalnum()) or source[i] in ".-"
            ):
                i += 1
            if not self._is_space(i) and source[i] != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(source, begin)}"
                )
            return source[begin:i].lower(), i
        i += 1
        value: list[str] = []
        while i < len(source) and source[i] != quote:
            decoded = decode_entity(source, i) if source[i] == "&" else None
            if decoded is not None:
                value.append(decoded[0])
                i = decoded[1]
            else:
                value.append(source[i])
                i += 1
        return "".join(value), i + 1 if i < len(source) else i

    def _end_tag(self, begin: int) -> int:
        source = self._source
        where = f"at byte offset {_byte_offset(source, begin)}"
        if not self._open:
            raise HtmlParseError(f"Unexpected end tag {where}")
        i = begin + 2
        while not self._is_space(i) and source[i] != ">":
            i += 1
        end_name = source[begin + 2 : i].lower()
        while i < len(source) and source[i] in _SPACES:
            i += 1
        if self._at(i) != ">":
            raise HtmlParseError(f"Unclosed end tag {where}")
        tag = self._open.pop()
        if end_name and end_name != tag.name:
            raise HtmlParseError(
                f'Unmatched end tag {where}, expected "</{tag.name}>", found "</{end_name}>"'
            )
        self._close(tag)
        return i + 1

    def _close(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_start, self._utf16 - tag.utf16_start
        if length == 0:
            return
        entity: Entity = {"offset": offset, "length": length}
        if tag.name in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[tag.name]
        elif tag.name == "a":
            url = tag.argument or "".join(self._chars[tag.char_start :])
            entity |= {"type": "text_link", "url": url}
        elif tag.name == "tg-emoji":
            entity |= {"type": "custom_emoji", "custom_emoji_id": tag.argument}
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        elif tag.name == "code":
            entity |= (
                {"type": "code", "language": tag.argument} if tag.argument else {"type": "code"}
            )
        else:  # pre: absorbs a <code class="language-..."> spanning exactly its content
            entity["type"] = "pre"
            last = self._entities[-1] if self._entities else None
            if last is not None and last["type"] == "code" and _span(last) == (offset, length):
                self._entities.pop()
                if "language" in last:
                    entity["language"] = last["language"]
        if entity.get("type") == "code" and "language" in entity and not self._inside("pre"):
            del entity["language"]
        self._entities.append(entity)

    def _inside(self, name: str) -> bool:
        return any(tag.name == name for tag in self._open)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return current
