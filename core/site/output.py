"""Where a website build writes, and what it may remove.

One output folder holds every edition as a complete site of its own under
``ausgaben/<JJJJ-MM-TT>/`` and the newest published edition once more at the top. Each of these
*targets* carries a manifest (:data:`MANIFEST`) listing the files its last build wrote. A new
build of a target writes its files, then removes the files of the previous manifest that it did
not write again: stale pages never remain, and a file the builder never wrote is never removed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

MANIFEST = ".nhr-site.json"
EDITIONS_DIR = "ausgaben"
MANIFEST_VERSION = 1


def edition_prefix(cutoff: date) -> str:
    """The folder of an edition's own site, relative to the top of the output folder."""
    return f"{EDITIONS_DIR}/{cutoff.isoformat()}/"


@dataclass(frozen=True)
class Manifest:
    """What the last build of a target wrote."""

    edition: date
    draft: bool
    files: tuple[str, ...]  # relative to the target, "/"-separated
    redirects: tuple[str, ...] = ()  # those of ``files`` that only redirect
    pages: tuple[str, ...] = ()  # the HTML pages a search engine may index


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of the target in ``folder``; None if there is none (or it is unreadable)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            edition=date.fromisoformat(data["edition"]),
            draft=bool(data["draft"]),
            files=tuple(str(f) for f in data["files"]),
            redirects=tuple(str(f) for f in data.get("redirects", ())),
            pages=tuple(str(f) for f in data.get("pages", ())),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def built_editions(out: Path) -> dict[date, Manifest]:
    """The editions whose own site exists in ``out`` (``ausgaben/<date>/``)."""
    found: dict[date, Manifest] = {}
    folder = out / EDITIONS_DIR
    if not folder.is_dir():
        return found
    for sub in folder.iterdir():
        manifest = read_manifest(sub) if sub.is_dir() else None
        if manifest is not None and sub.name == manifest.edition.isoformat():
            found[manifest.edition] = manifest
    return found


@dataclass
class TargetFiles:
    """The files one build writes into one target, collected before anything is written."""

    texts: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)  # copied from a source file
    kept: set[str] = field(default_factory=set)  # already in place, left as they are
    redirects: set[str] = field(default_factory=set)
    pages: list[str] = field(default_factory=list)

    def names(self) -> set[str]:
        """Every file of the target after the build."""
        return set(self.texts) | set(self.copies) | self.kept


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def write_target(
    folder: Path, files: TargetFiles, *, edition: date, draft: bool, reserved: tuple[str, ...] = ()
) -> list[str]:
    """Write ``files`` into ``folder``, record them, remove what the previous build of this
    target wrote and this one did not; returns the removed names. Names under ``reserved``
    (other targets' folders) are never removed from here."""
    previous = read_manifest(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.texts.items():
        _write_if_changed(folder / name, text.encode("utf-8"))
    for name, source in files.copies.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if source.resolve() != path.resolve():
            shutil.copyfile(source, path)
    names = files.names()
    manifest = {
        "version": MANIFEST_VERSION,
        "edition": edition.isoformat(),
        "draft": draft,
        "files": sorted(names),
        "redirects": sorted(files.redirects),
        "pages": files.pages,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    removed: list[str] = []
    if previous is None:
        return removed
    for name in sorted(set(previous.files) - names):
        if not _safe(name) or any(name.startswith(r) for r in reserved):
            continue
        path = folder / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(name)
            _remove_empty_parents(path.parent, folder)
    return removed


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds it already (an unchanged page keeps its time, and
    a copy to the web server sends only what changed)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _remove_empty_parents(path: Path, stop: Path) -> None:
    while path != stop and path.is_relative_to(stop):
        try:
            path.rmdir()  # only when empty
        except OSError:
            return
        path = path.parent
