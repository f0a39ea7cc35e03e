"""Reading the file an edition is imported from: text, and only text.

The importer wants the edition's extracted text. What an operator may hand it instead is
recognised before anything is parsed, with a German message that says what to do:

- an empty file, a PDF (starts with ``%PDF``), a Word or other ZIP file, or any other binary
  file (NUL bytes or control characters) is refused with a hint to extract the text first;
- UTF-8 (with or without a byte-order mark) is read as it is; UTF-16 with a byte-order mark
  (Windows' "Unicode") is read too;
- anything else that is not UTF-8 is read as Windows-1252 (a superset of Latin-1 for the
  letters a German text uses), with a note.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core import texts
from core.texts import os_reason

#: Larger files are no edition's text (the real ones are a few hundred kilobytes).
MAX_BYTES = 20 * 1024 * 1024
#: Share of control characters (other than tab, line and page breaks) above which a decoded
#: file is taken for binary data rather than text.
MAX_CONTROL_SHARE = 0.001

EXTRACT_HINT = texts.IMPORT_EXTRACT_HINT
CP1252_NOTE = texts.IMPORT_CP1252_NOTE

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


class ImportFileError(ValueError):
    """The file is not an edition's text (German message for the operator)."""


@dataclass(frozen=True)
class EditionText:
    """A file's text and the notes about how it was read."""

    text: str
    notes: list[str] = field(default_factory=list)


def read_edition_text(path: Path) -> EditionText:
    """The text of ``path``, or :class:`ImportFileError` if it holds none (see module doc)."""
    data = _read_bytes(path)
    if not data.strip():
        raise ImportFileError(texts.IMPORT_FILE_EMPTY.format(path=path))
    head = data.lstrip()[:8]
    if head.startswith(b"%PDF"):
        raise ImportFileError(texts.IMPORT_FILE_PDF.format(path=path, hint=EXTRACT_HINT))
    if head.startswith(b"PK\x03\x04"):
        raise ImportFileError(texts.IMPORT_FILE_ZIP.format(path=path))
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", path)
    elif b"\x00" in data:
        raise _binary(path)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode(data, "cp1252", path)
            notes.append(CP1252_NOTE)
    controls = sum(
        1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    if controls > max(1, len(text) * MAX_CONTROL_SHARE):
        raise _binary(path)
    return EditionText(text, notes)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError(texts.IMPORT_FILE_FOLDER.format(path=path))
        if path.stat().st_size > MAX_BYTES:
            raise ImportFileError(
                texts.IMPORT_FILE_TOO_LARGE.format(path=path, megabytes=MAX_BYTES // (1024 * 1024))
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(texts.IMPORT_FILE_NOT_FOUND.format(path=path)) from None
    except PermissionError:
        raise ImportFileError(texts.IMPORT_FILE_NO_PERMISSION.format(path=path)) from None
    except OSError as err:
        raise ImportFileError(
            texts.IMPORT_FILE_NOT_READABLE.format(path=path, reason=os_reason(err))
        ) from None


def _decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _binary(path) from None


def _binary(path: Path) -> ImportFileError:
    return ImportFileError(texts.IMPORT_FILE_BINARY.format(path=path, hint=EXTRACT_HINT))
