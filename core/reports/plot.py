"""Report charts drawn straight onto the PDF page as vector paths: axes, ticks, lines, bars, a legend.

A chart is a few dozen lines and rectangles, so drawing it costs a few milliseconds where a
matplotlib figure rasterised to PNG took a few hundred (most of a report's render), and it prints
sharp at any size. The look follows the figures core.reports.charts drew before: fixed margins,
left and bottom axis lines, light horizontal grid, compact tick labels, legend above the plot.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from core.i18n import locale
from core.reports.page import FONT

TICK_TEXT, AXIS, GRID = (51, 65, 85), (203, 213, 225), (226, 232, 240)
PT = 25.4 / 72  # one point in mm
LABEL_PT = 6.5
LEGEND_MIN_PT = 5  # a legend too long for two rows of LABEL_PT is set smaller, down to this
# Where the plot sits inside its box (fractions of the box, as the figures' fixed margins were).
LEFT, RIGHT, BOTTOM, TOP = 0.11, 0.9, 0.12, 0.88


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def compact(value: float) -> str:
    """Axis labels that fit: 950, 12K, 3.4M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if value != int(value) else f"{int(value)}"


def nice_ticks(lo: float, hi: float, bins: int = 5) -> list[float]:
    """At most `bins` + 1 round ticks (steps of 1, 2, 2.5, 5 × 10^n) from ≤ lo to ≥ hi."""
    if not math.isfinite(hi - lo) or hi <= lo:
        hi = lo + (abs(lo) or 1)
    raw = (hi - lo) / bins
    scale = 10 ** math.floor(math.log10(raw))
    step = next(s * scale for s in (1, 2, 2.5, 5, 10) if s * scale >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < hi - 1e-9 * step:
        ticks.append(first + len(ticks) * step)
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """3–7 ticks on round dates (days, weeks or months), labelled concisely: a month's or year's
    name where it begins, else the day (month names in the report's language)."""
    months = locale().months["stand-alone"]["abbreviated"]
    span = (last - first).days
    if span <= 45:
        step = next((s for s in (1, 2, 3, 7, 14) if span / s <= 6), 14)
        days = [first + timedelta(days=i) for i in range(0, span + 1, step)]
        return [(d, f"{months[d.month]}" if d.day == 1 or i == 0 else str(d.day)) for i, d in enumerate(days)]
    total = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in (1, 2, 3, 4, 6, 12, 24, 60) if total / s <= 6), 120)
    ticks, year, month = [], first.year, first.month
    if first.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while (at := date(year, month, 1)) <= last:
        if (month - 1) % step == 0 if step <= 12 else month == 1 and year % (step // 12) == 0:
            ticks.append((at, str(year) if month == 1 else months[month]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


class Plot:
    """One chart's plotting area on the page: data coordinates mapped to mm, drawing calls on `pdf`."""

    def __init__(self, pdf, x: float, y: float, w: float, h: float, *, xlim: tuple[float, float]) -> None:
        self.pdf = pdf
        self.x0, self.x1 = x + w * LEFT, x + w * RIGHT
        self.y0, self.y1 = y + h * TOP, y + h * (1 - TOP)  # y0: the bottom of the plot (larger mm)
        self.top = y
        self.xlim = xlim
        self.ylim = (0.0, 1.0)

    def px(self, value: float) -> float:
        lo, hi = self.xlim
        return self.x0 + (value - lo) / ((hi - lo) or 1) * (self.x1 - self.x0)

    def py(self, value: float, ylim: tuple[float, float] | None = None) -> float:
        lo, hi = ylim or self.ylim
        return self.y0 - (value - lo) / ((hi - lo) or 1) * (self.y0 - self.y1)

    def _label(
        self, x: float, y: float, text: str, *, align: str, colour=TICK_TEXT, size: float = LABEL_PT
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        pdf.set_text_color(*colour)
        width = pdf.get_string_width(text)
        left = x - width if align == "R" else x - width / 2 if align == "C" else x
        pdf.text(left, y, text)

    def y_axis(
        self, values, *, fmt=compact, grid: bool = True, right: bool = False, colour=TICK_TEXT, floor=0
    ):
        """Round ticks from `floor` (or below, for negatives) to the highest value; returns the limits."""
        present = [v for v in values if v is not None and math.isfinite(v)]
        lo = min([*present, floor]) if floor is not None else min(present, default=0)
        ticks = nice_ticks(lo, max(present, default=1))
        limits = (ticks[0], ticks[-1])
        pdf, colour = self.pdf, colour or TICK_TEXT
        pdf.set_line_width(0.6 * PT)
        for tick in ticks:
            y = self.py(tick, limits)
            if grid:
                pdf.set_draw_color(*GRID)
                pdf.line(self.x0, y, self.x1, y)
            side = self.x1 + 1.2 if right else self.x0 - 1.2
            self._label(side, y + 0.8, fmt(tick), align="L" if right else "R", colour=colour)
        if not right:
            self.ylim = limits
        return limits

    def frame(self, *, right: bool = False) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*AXIS)
        pdf.set_line_width(0.8 * PT)
        pdf.line(self.x0, self.y0, self.x0, self.y1)
        pdf.line(self.x0, self.y0, self.x1, self.y0)
        if right:
            pdf.line(self.x1, self.y0, self.x1, self.y1)

    def x_labels(self, ticks: list[tuple[float, str]]) -> None:
        for value, text in ticks:
            self._label(self.px(value), self.y0 + 3.2, text, align="C")

    def line(self, xs, ys, *, colour: str, ylim=None, fill: bool = False, marker: float = 0) -> None:
        """A line through the points (a gap where a value is missing), filled down to 0 when `fill`."""
        pdf = self.pdf
        pdf.set_draw_color(*rgb(colour))
        pdf.set_fill_color(*rgb(colour))
        pdf.set_line_width(1.3 * PT)
        runs, run = [], []
        for x, y in zip(xs, ys, strict=True):
            if y is None or not math.isfinite(y):
                runs, run = runs + [run] if run else runs, []
            else:
                run.append((self.px(x), self.py(y, ylim)))
        runs += [run] if run else []
        base = self.py(max(0.0, (ylim or self.ylim)[0]), ylim)
        for points in runs:
            if fill and len(points) > 1:
                with pdf.local_context(fill_opacity=0.08):
                    pdf.polygon([(points[0][0], base), *points, (points[-1][0], base)], style="F")
            if len(points) > 1:
                pdf.polyline(points)
            if marker:
                for x, y in points:
                    pdf.circle(x, y, marker, style="F")

    def bars(self, xs, heights, *, width: float, colours: list[str], ylim=None) -> None:
        """Bars centred on xs, `width` in data units, from 0 up (or down) to each height."""
        pdf = self.pdf
        zero = self.py(0.0, ylim)
        half = abs(self.px(width) - self.px(0)) / 2
        for x, h, colour in zip(xs, heights, colours, strict=True):
            top = self.py(h, ylim)
            pdf.set_fill_color(*rgb(colour))
            pdf.rect(self.px(x) - half, min(top, zero), 2 * half, abs(zero - top), style="F")

    def legend(self, entries: list[tuple[str, str]]) -> None:
        """(label, colour) entries in a row above the plot, as wide as the plot: a second row above
        the first when they do not fit one, smaller type when they do not fit two."""
        pdf, size = self.pdf, LABEL_PT
        while True:
            pdf.set_font(FONT, "", size)
            rows = self._legend_rows(entries)
            if len(rows) <= 2 and all(self._legend_width(row) <= self.x1 - self.x0 for row in rows):
                break
            if size <= LEGEND_MIN_PT:
                break
            size -= 0.5
        for n, row in enumerate(rows):
            x, y = self.x0, self.y1 - 2.2 - (len(rows) - 1 - n) * size * PT * 1.3  # the first row on top
            for label, colour in row:
                pdf.set_draw_color(*rgb(colour))
                pdf.set_line_width(1.3 * PT)
                pdf.line(x, y - 0.8, x + 4, y - 0.8)
                self._label(x + 5, y, label, align="L", size=size)
                x += 5 + pdf.get_string_width(label) + 4

    def _legend_width(self, row: list[tuple[str, str]]) -> float:
        """mm of a legend row at the current font: each entry a 4 mm line, its label and a gap."""
        return sum(5 + self.pdf.get_string_width(label) + 4 for label, _colour in row) - 4

    def _legend_rows(self, entries: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        rows: list[list[tuple[str, str]]] = [[]]
        for entry in entries:
            if rows[-1] and self._legend_width([*rows[-1], entry]) > self.x1 - self.x0:
                rows.append([])
            rows[-1].append(entry)
        return rows
