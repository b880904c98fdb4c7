"""The page the report draws on: A4 in DejaVu (bundled with matplotlib), the report's data attached.

Below both the PDF's sections (core.reports.pdf) and its letterhead (core.reports.cover).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF

from core.i18n import get_language
from core.reports.content import ReportData

# DejaVu ships inside matplotlib's wheel and covers Cyrillic and ₽: no system font needed.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
MARGIN = 12


@lru_cache(maxsize=1)
def _font_cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_DIR / "DejaVuSans.ttf")["cmap"].getBestCmap())


def clean(text: str | None, *, limit: int | None = None) -> str:
    """Text the font can draw: control characters and glyphs DejaVu lacks (most emoji) dropped."""
    if not text:
        return ""
    cmap = _font_cmap()
    out = "".join(c for c in str(text) if (ord(c) in cmap and c.isprintable()) or c == " ").strip()
    out = " ".join(out.split())
    if limit and len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


class ReportPage(FPDF):
    """An A4 portrait page set up for the report: fonts, margins, creation date, language."""

    FONT = FONT

    def __init__(self, data: ReportData) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.data = data
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, 16, MARGIN)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_creation_date(data.generated_at)
        self.set_creator("Social Analytics")
        self.set_lang(get_language())
