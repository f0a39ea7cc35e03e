"""One file-name rule and one render entry point for every document of an edition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.sample_edition import sample_edition

from core.config import RenderOptions
from core.documents import FORMATS, document_name, render_documents

CUTOFF = date(2026, 4, 1)


def test_a_published_edition_is_named_by_its_cutoff() -> None:
    assert document_name(CUTOFF, "pdf", draft=False) == "nachhaltigkeitsreport-2026-04-01.pdf"


def test_a_draft_says_entwurf_before_the_extension() -> None:
    assert document_name(CUTOFF, "docx", draft=True) == (
        "nachhaltigkeitsreport-2026-04-01-entwurf.docx"
    )


def test_the_changes_view_says_aenderungen() -> None:
    assert document_name(CUTOFF, "pdf", draft=True, changes=True) == (
        "nachhaltigkeitsreport-2026-04-01-aenderungen.pdf"
    )


def test_rendering_writes_each_format_under_its_document_name(tmp_path: Path) -> None:
    edition = sample_edition(draft=True)
    done: list[Path] = []

    paths = render_documents(
        edition, tmp_path / "out", ["html"], options=RenderOptions(), on_done=done.append
    )

    name = document_name(edition.cutoff, "html", draft=True)
    assert paths == done == [tmp_path / "out" / name]
    assert paths[0].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unknown_format_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'odt'"):
        render_documents(sample_edition(), tmp_path, ["odt"], options=RenderOptions())
    assert "odt" not in FORMATS
