"""The report as one self-contained HTML document (the single content source of all outputs)."""

from __future__ import annotations

from functools import cache

from markupsafe import Markup

from core.config import RenderOptions
from core.render.environment import report_environment, template_source
from core.view import AssembledEdition

REPORT_TEMPLATE = "report/report.html.j2"
SCREEN_CSS = "report/report.css"
PRINT_CSS = "report/print.css"


@cache
def _stylesheets() -> dict[str, Markup]:
    """The report's stylesheets, inlined into every document (no external resources)."""
    return {
        "screen": Markup(template_source(SCREEN_CSS)),
        "print": Markup(template_source(PRINT_CSS)),
    }


def render_html(edition: AssembledEdition, options: RenderOptions | None = None) -> str:
    """Render an edition as one HTML file: cover, contents, chapters, project lists, archive.

    ``options`` come from the caller's settings (``Settings.render_options``); without them the
    settings' defaults (tests, benches), never the environment.
    """
    template = report_environment().get_template(REPORT_TEMPLATE)
    return template.render(
        edition=edition,
        styles=_stylesheets(),
        publisher=(options or RenderOptions()).publisher,
    )
