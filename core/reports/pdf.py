"""The PDF report: one ReportPDF(ReportPage) with a header, a footer and one method per section."""

from __future__ import annotations

from collections.abc import Callable

from fpdf.enums import XPos, YPos

from core.i18n import N_, _, fmt_date, fmt_datetime, ngettext
from core.reports import cover
from core.reports.charts import Chart, build_charts
from core.reports.content import DASH, Kpi, Post, ReportData, fmt_change, fmt_number, fmt_value
from core.reports.page import FONT, MARGIN, ReportPage, clean
from core.reports.rows import Cell, table

NAVY, INK, MUTED, RULE = (15, 23, 42), (30, 41, 59), (100, 116, 139), (226, 232, 240)
UP, DOWN, ZEBRA = (5, 150, 105), (220, 38, 38), (248, 250, 252)
CARD_CODES = ("views", "engagements", "er_views", "subs_growth", "reach", "err", "posts", "likes")
TITLE_LIMIT = 95  # characters of a post title (two lines); the rest would only push the table apart
RANK_WIDTH = 8
TITLE_PT, TITLE_MIN_PT, TITLE_LINE = 8.5, 6.5, 4  # chart titles: sizes (pt), line height (mm)


class ReportPDF(ReportPage):
    """A4 portrait report with a running header and page numbers."""

    def __init__(self, data: ReportData) -> None:
        super().__init__(data)
        self.set_title(clean(cover.title(self)))

    # --- running parts -------------------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() > 1:  # the cover block is the first page's header
            cover.header(self, clean=clean, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, _("Social Analytics · generated {time}").format(time=self._generated()), align="L")
        self.set_x(MARGIN)
        self.cell(0, 4, _("Page {page} of {total}").format(page=self.page_no(), total="{nb}"), align="R")

    def _generated(self) -> str:
        return f"{fmt_datetime(self.data.generated_at)} UTC"

    # --- sections ------------------------------------------------------------------------------
    def cover(self) -> None:
        cover.cover(self, clean=clean, margin=MARGIN, generated=self._generated())
        cover.summary(self, clean=clean, margin=MARGIN)

    def summary_cards(self) -> None:
        """Four headline numbers with their change, the first thing a client reads."""
        kpis = [k for code in CARD_CODES if (k := self.data.kpi(code)) and k.value is not None][:4]
        if not kpis:
            return
        gap, width = 4, (self.w - 2 * MARGIN - 12) / 4
        top = self.get_y()
        for i, kpi in enumerate(kpis):
            x = MARGIN + i * (width + gap)
            self.set_fill_color(*ZEBRA)
            self.set_draw_color(*RULE)
            self.rect(x, top, width, 22, style="DF", round_corners=True, corner_radius=1.5)
            self.set_xy(x + 3, top + 3)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(width - 6, 4, kpi.name)
            self.set_xy(x + 3, top + 8)
            self.set_font(FONT, "B", 14)
            self.set_text_color(*INK)
            self.cell(width - 6, 7, fmt_value(kpi.kind, kpi.value))
            self.set_xy(x + 3, top + 15.5)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*_trend_colour(kpi))
            changed = kpi.change is not None
            vs = _("{change} vs previous").format(change=fmt_change(kpi))
            self.cell(width - 6, 4, vs if changed else _("no previous data"))
        self.set_y(top + 22 + 7)

    def heading(self, text: str, *, space: float = 10) -> None:
        if self.will_page_break(space + 14):
            self.add_page()
        self.set_font(FONT, "B", 11.5)
        self.set_text_color(*INK)
        self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def kpi_table(self) -> None:
        self.heading(_("Key metrics"))
        # A metric the export has no column for is noise to a client: name it once, below.
        shown = [k for k in self.data.kpis if k.value is not None or k.previous is not None]
        absent = [k.name for k in self.data.kpis if k not in shown]
        rows = [
            (kpi.name, fmt_value(kpi.kind, kpi.value), fmt_value(kpi.kind, kpi.previous),
             Cell(fmt_change(kpi), colour=_trend_colour(kpi)))
            for kpi in shown
        ]  # fmt: skip
        heading = (_("Metric"), _("This period"), _("Previous period"), _("Change"))
        table(self, widths=(74, 38, 38, 36), aligns=("LEFT", "RIGHT", "RIGHT", "RIGHT"), heading=heading,
              rows=rows, size=8.5, wrap=frozenset({0}))  # fmt: skip
        if absent:
            self.ln(1.5)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            absent_text = _("Not in this export: {metrics}.").format(metrics=", ".join(absent))
            self.multi_cell(0, 4, absent_text, new_x=XPos.LMARGIN)
        self.ln(5)

    def charts(self, charts: list[Chart]) -> None:
        """Charts two by two, each under its own title, flowing on from the KPIs when they fit."""
        if not charts:
            return
        width, height, gap = 92, 62, self.w - 2 * MARGIN - 2 * 92
        self.heading(_("Trends"), space=height + 8)
        for first in range(0, len(charts), 2):
            pair = charts[first : first + 2]
            titles = [self._chart_title(chart.title, width) for chart in pair]
            above = max(len(lines) for _size, lines in titles) * TITLE_LINE + 2  # 6 mm for one line
            if first and self.will_page_break(height + above + 4):
                self.add_page()
            row_top = self.get_y()
            for column, (chart, (size, lines)) in enumerate(zip(pair, titles, strict=True)):
                x = MARGIN + column * (width + gap)
                self.set_font(FONT, "B", size)
                self.set_text_color(*INK)
                for n, line in enumerate(lines):
                    self.set_xy(x, row_top + n * TITLE_LINE)
                    self.cell(width, TITLE_LINE, line)
                with self.local_context():  # the chart's colours and line widths stay inside it
                    chart.draw(self, x, row_top + above, width, height)
            self.set_xy(MARGIN, row_top + above + height + 6)

    def _chart_title(self, title: str, width: float) -> tuple[float, list[str]]:
        """The font size and lines a chart title fits its box in: two lines at most, smaller type
        only for a title two lines of the usual size cannot hold (long in some languages)."""
        size = TITLE_PT
        while True:
            self.set_font(FONT, "B", size)
            lines = self.multi_cell(width, TITLE_LINE, title, dry_run=True, output="LINES")
            if len(lines) <= 2 or size <= TITLE_MIN_PT:
                return size, lines
            size -= 0.5

    def top_posts(self, posts: list[Post], *, order: str) -> None:
        """The ten best posts; titles wrap (two lines at most) and link to the post; empty columns left out."""
        if not posts:
            return
        columns = _post_columns(posts)
        title_width = self.w - 2 * MARGIN - RANK_WIDTH - sum(width for _h, width, _a, _v in columns)
        self.set_font(FONT, "", 8)
        titles = [clean(p.title, limit=TITLE_LIMIT) or _("(untitled)") for p in posts]
        lines = sum(len(self.multi_cell(title_width - 3, 5, t, dry_run=True, output="LINES")) for t in titles)
        needed = 20 + 7 + lines * 5 + len(posts) * 2
        if self.will_page_break(needed) and needed < self.eph:
            self.add_page()  # the whole table on one page rather than a stray row on the next
        self.heading(_top_title(len(posts), order))
        widths = (RANK_WIDTH, title_width, *(w for _h, w, _a, _v in columns))
        aligns = ("RIGHT", "LEFT", *(a for _h, _w, a, _v in columns))
        rows = [
            (str(rank), Cell(title, link=_link(post)), *(value(post) for _h, _w, _a, value in columns))
            for rank, (post, title) in enumerate(zip(posts, titles, strict=True), start=1)
        ]
        heading = ("#", _("Post"), *(h for h, _w, _a, _v in columns))
        table(self, widths=widths, aligns=aligns, heading=heading, rows=rows, size=8, wrap=frozenset({1}))
        self.ln(5)

    def notes(self, warnings: list[str]) -> None:
        if not warnings:
            return
        self.heading(_("Notes on the data"))
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        for warning in warnings:
            self.multi_cell(0, 4.2, f"•  {clean(warning)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def appendix(self, kpis: list[Kpi]) -> None:
        self.add_page()
        self.heading(_("Appendix: how each metric is defined"))
        rows = [(Cell(kpi.name, bold=True), clean(kpi.definition)) for kpi in kpis]
        table(self, widths=(56, 130), aligns=("LEFT", "LEFT"), heading=(_("Metric"), _("Definition")),
              rows=rows, size=8, wrap=frozenset({0, 1}))  # fmt: skip


def _link(post: Post) -> str | None:
    return post.url if (post.url or "").startswith(("https://", "http://")) else None


def _post_columns(posts: list[Post]) -> list[tuple[str, float, str, Callable[[Post], str]]]:
    """(heading, width, alignment, value) of the columns after the title; a column with no data is left out."""
    columns = [(_("Date"), 22, "LEFT", lambda p: fmt_date(p.published) if p.published else DASH)]
    has_views = any(p.views is not None for p in posts)
    has_eng = any(p.engagements is not None for p in posts)
    if has_views:
        columns.append((_("Views"), 22, "RIGHT", lambda p: fmt_number(p.views)))
    if has_eng:
        columns.append((_("Engagements"), 28, "RIGHT", lambda p: fmt_number(p.engagements)))
    if has_views and has_eng:
        columns.append((_("ER"), 20, "RIGHT", lambda p: fmt_value("pct", p.er_views)))
    return columns


def _top_title(count: int, order: str) -> str:
    if count == 1:
        return _(N_("Top post by views") if order == "views" else N_("Top post by engagements"))
    if order == "views":
        return ngettext("Top {n} post by views", "Top {n} posts by views", count).format(n=count)
    return ngettext("Top {n} post by engagements", "Top {n} posts by engagements", count).format(n=count)


def _trend_colour(kpi: Kpi) -> tuple[int, int, int]:
    change = kpi.change
    if change is None or fmt_change(kpi).startswith("±"):
        return MUTED  # nothing shown to have moved, so neither good nor bad
    return UP if change > 0 else DOWN


def build_pdf(data: ReportData) -> bytes:
    """The whole report as PDF bytes; the same data (generated_at included) gives the same bytes."""
    pdf = ReportPDF(data)
    pdf.add_page()
    pdf.cover()
    pdf.summary_cards()
    pdf.kpi_table()
    pdf.notes(data.warnings)
    pdf.charts(build_charts(data))
    pdf.top_posts(data.top_posts, order=data.top_order)
    pdf.appendix(data.kpis)
    return bytes(pdf.output())
