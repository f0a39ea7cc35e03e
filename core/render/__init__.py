"""Renderers of an assembled edition: HTML (the single content source), PDF and DOCX."""

from core.render.docx import render_docx
from core.render.html import render_html
from core.render.pdf import render_pdf

__all__ = ["render_docx", "render_html", "render_pdf"]
