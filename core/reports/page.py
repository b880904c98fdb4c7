"""The page the report draws on: A4 in DejaVu (bundled with matplotlib), the report's data attached.

Below both the PDF's sections (core.reports.pdf) and its letterhead (core.reports.cover).
"""

from __future__ import annotations

from fpdf import FPDF

from core.i18n import get_language
from core.reports.content import ReportData
from core.reports.text import FONT_DIR, clean  # noqa: F401  (re-exported: the PDF's sections read them here)

FONT = "DejaVu"
MARGIN = 12


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
