"""The Debian fonts the PDF falls back to for what people type (see templates/report/report.typ).

Without them Typst cannot print emoji, Arabic, Hebrew, CJK or Korean, and a test of those would
fail for a reason that is not the code's: locally it skips naming the packages, under ``CI=true``
it fails (``.ci/run`` installs them).
"""

from __future__ import annotations

from pathlib import Path

from support.unavailable import unavailable

#: One file per Debian package the PDF's font list needs.
PRINT_FONTS: dict[str, str] = {
    "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "fonts-noto-core": "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "fonts-noto-color-emoji": "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "fonts-droid-fallback": "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "fonts-nanum": "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
}


def require_print_fonts() -> None:
    """Skip (locally) or fail (CI) unless every fallback font of the PDF is installed."""
    missing = sorted(pkg for pkg, path in PRINT_FONTS.items() if not Path(path).is_file())
    if missing:
        unavailable("fonts for typed text missing (Debian packages: " + ", ".join(missing) + ")")
