"""Renderers of an assembled edition: HTML (the single content source), PDF and DOCX.

The renderers are imported on first use (PEP 562): WeasyPrint and python-docx take a good
half second to import, and ``nhr render --format html`` needs neither.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.render.docx import render_docx
    from core.render.html import render_html
    from core.render.pdf import render_pdf

__all__ = ["render_docx", "render_html", "render_pdf"]

_MODULES = {"render_docx": "core.render.docx", "render_html": "core.render.html",
            "render_pdf": "core.render.pdf"}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
