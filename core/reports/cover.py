"""The PDF's letterhead: the cover block, the running header and the written summary, in the brand's colours."""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from core.i18n import _
from core.reports.content import fmt_period
from core.reports.page import ReportPage

NAVY, MUTED, INK = (15, 23, 42), (100, 116, 139), (30, 41, 59)
LOGO_BOX = (42, 16)  # mm: the most a logo takes on the cover (its aspect ratio kept)


def brand_colour(pdf: ReportPage) -> tuple[int, int, int]:
    head = pdf.data.letterhead
    return (head.rgb if head else None) or NAVY


def _light(rgb: tuple[int, int, int]) -> bool:
    """Whether dark text reads better than white on this colour (relative luminance, WCAG)."""
    r, g, b = (c / 255 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6


def title(pdf: ReportPage) -> str:
    """The document title: the account's or brand's name and the date range."""
    d = pdf.data
    return f"{d.heading} · {fmt_period(d.period_start, d.period_end)}"


def cover(pdf: ReportPage, *, clean, margin: float, generated: str) -> None:
    """The title block: brand and logo, the account's or brand's name (wrapped), platform, period."""
    d, head = pdf.data, pdf.data.letterhead
    logo = head.logo if head and head.logo and head.logo.is_file() else None
    width = pdf.w - 2 * margin - (LOGO_BOX[0] + 4 if logo else 0)
    pdf.set_font(pdf.FONT, "B", 17)
    lines = pdf.multi_cell(width, 8, clean(d.heading), dry_run=True, output="LINES")
    height = 30 + 8 * len(lines)
    fill = brand_colour(pdf)
    ink, soft = ((15, 23, 42), (51, 65, 85)) if _light(fill) else ((255, 255, 255), (226, 232, 240))
    pdf.set_fill_color(*fill)
    pdf.rect(0, 0, pdf.w, height, style="F")
    if logo:
        pdf.image(
            str(logo),
            x=pdf.w - margin - LOGO_BOX[0],
            y=8,
            w=LOGO_BOX[0],
            h=LOGO_BOX[1],
            keep_aspect_ratio=True,
        )
    pdf.set_xy(margin, 9)
    pdf.set_font(pdf.FONT, "B", 8)
    pdf.set_text_color(*soft)
    kicker = _("SOCIAL MEDIA PERFORMANCE REPORT")
    if head and head.name and head.name != d.heading:
        kicker = f"{clean(head.name).upper()} · {kicker}"
    pdf.cell(width, 4, kicker, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(pdf.FONT, "B", 17)
    pdf.set_text_color(*ink)
    pdf.multi_cell(width, 8, clean(d.heading), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    pdf.set_font(pdf.FONT, "", 9)
    pdf.set_text_color(*soft)
    previous = fmt_period(d.previous_start, d.previous_end)
    compared = _("compared with {period}").format(period=previous)
    period = fmt_period(d.period_start, d.period_end)
    pdf.cell(0, 5, f"{d.platform_name}  ·  {period}  ·  {compared}")
    pdf.set_xy(margin, height - 7)
    pdf.set_font(pdf.FONT, "", 7.5)
    pdf.cell(0, 4, _("Generated {time}").format(time=generated), align="R")
    pdf.set_y(height + 6)


def header(pdf: ReportPage, *, clean, margin: float) -> None:
    """Pages after the first: the name and range, over a rule in the brand's colour."""
    pdf.set_font(pdf.FONT, "", 7.5)
    pdf.set_text_color(*MUTED)
    d = pdf.data
    pdf.set_y(7)
    name = clean(d.heading, limit=90)
    pdf.cell(0, 4, f"{name} · {d.platform_name} · {fmt_period(d.period_start, d.period_end)}", align="L")
    pdf.set_draw_color(*brand_colour(pdf))
    pdf.set_line_width(0.5)
    pdf.line(margin, 12, pdf.w - margin, 12)
    pdf.set_line_width(0.2)
    pdf.set_y(16)


def summary(pdf: ReportPage, *, clean, margin: float) -> None:
    """The written summary, under the cover: a bar in the brand's colour and one line per sentence."""
    sentences = [clean(s) for s in pdf.data.summary if s]
    if not sentences:
        return
    top, width = pdf.get_y(), pdf.w - 2 * margin
    pdf.set_xy(margin + 4, top)
    pdf.set_font(pdf.FONT, "B", 10)
    pdf.set_text_color(*INK)
    pdf.cell(width - 4, 6, _("Summary"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf.FONT, "", 8.5)
    for sentence in sentences:
        pdf.set_x(margin + 4)
        pdf.multi_cell(width - 4, 4.6, sentence, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    pdf.set_fill_color(*brand_colour(pdf))
    pdf.rect(margin, top + 0.5, 1.2, bottom - top - 0.5, style="F")
    pdf.set_y(bottom + 5)
