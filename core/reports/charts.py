"""Report charts: what each chart shows and how, drawn as vector paths on the page (core.reports.plot).

A Chart carries its title and a `draw(pdf, x, y, w, h)` that draws it into that box; the box is
92 × 62 mm on the page, so 6.5 pt here is 6.5 pt on paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.analytics import WEEKDAYS
from core.i18n import N_, _, locale
from core.reports.content import Point, ReportData
from core.reports.plot import Plot, date_ticks, rgb

BLUE, ORANGE, GREEN, PURPLE, GREY = "#2563eb", "#f97316", "#059669", "#7c3aed", "#94a3b8"
# Weeks and months are drawn as daily averages: a short first or last bucket then looks like the rest.
GRAIN_LABEL = {
    "day": N_("per day"),
    "week": N_("per day, weekly average"),
    "month": N_("per day, monthly average"),
}
RATIO_GRAIN = {"day": N_("per day"), "week": N_("by week"), "month": N_("by month")}
Draw = Callable[[object, float, float, float, float], None]


@dataclass(frozen=True)
class Chart:
    title: str
    draw: Draw  # (pdf, x, y, w, h): the chart inside that box


def _per_day(points: list[Point], name: str) -> list[float | None]:
    """The bucket's value divided by its days (the value itself for days)."""
    return [None if (v := getattr(p, name)) is None else v / p.days for p in points]


def _floats(values) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def _over_dates(pdf, x, y, w, h, points: list[Point]) -> Plot:
    """A plot whose x axis is the points' dates, with a margin on either side, labelled below."""
    first, last = points[0].day, points[-1].day
    pad = max((last - first).days * 0.05, 0.5)
    plot = Plot(pdf, x, y, w, h, xlim=(first.toordinal() - pad, last.toordinal() + pad))
    lo, hi = first - timedelta(days=int(pad)), last + timedelta(days=int(pad))
    plot.x_labels([(d.toordinal(), text) for d, text in date_ticks(lo, hi)])
    return plot


def _days(points: list[Point]) -> list[int]:
    return [p.day.toordinal() for p in points]


def views_engagements(points: list[Point], grain: str) -> Chart | None:
    """Views (left axis) and engagements (right axis): their scales differ by orders of magnitude."""
    has_views = any(p.views is not None for p in points)
    has_eng = any(p.engagements is not None for p in points)
    if not points or not (has_views or has_eng):
        return None
    views, eng = _floats(_per_day(points, "views")), _floats(_per_day(points, "engagements"))
    labels = [(_("Views"), BLUE)] * has_views + [(_("Engagements"), ORANGE)] * has_eng
    marker = 0.35 if len(points) < 3 else 0

    def draw(pdf, x, y, w, h) -> None:
        plot = _over_dates(pdf, x, y, w, h, points)
        if has_views:
            plot.y_axis(views)
            plot.line(_days(points), views, colour=BLUE, fill=True, marker=marker)
        if has_eng:
            twin = has_views
            limits = plot.y_axis(eng, grid=not twin, right=twin, colour=rgb(ORANGE) if twin else None)
            plot.line(_days(points), eng, colour=ORANGE, ylim=limits, marker=marker)
        plot.frame(right=has_views and has_eng)
        plot.legend(labels)

    what = (
        N_("Views and engagements")
        if has_views and has_eng
        else N_("Views")
        if has_views
        else N_("Engagements")
    )
    return Chart(f"{_(what)} {_(GRAIN_LABEL[grain])}", draw)


def engagement_rate(points: list[Point], grain: str) -> Chart | None:
    """ER by views over time, in %."""
    values = _floats(p.er_views for p in points)
    if not any(v is not None for v in values):
        return None

    def draw(pdf, x, y, w, h) -> None:
        plot = _over_dates(pdf, x, y, w, h, points)
        plot.y_axis(values, fmt=lambda v: f"{v:.3g}%")
        plot.line(_days(points), values, colour=GREEN, fill=True, marker=0.35 if len(points) < 3 else 0)
        plot.frame()

    label = _(RATIO_GRAIN[grain])  # a ratio needs no averaging
    return Chart(_("Engagement rate by views, % {grain}").format(grain=label), draw)


def subscribers(points: list[Point], grain: str) -> Chart | None:
    """The follower level where the file has one, else the net change as bars."""
    if any(p.subscribers is not None for p in points):
        level = _floats(p.subscribers for p in points)

        def draw(pdf, x, y, w, h) -> None:
            plot = _over_dates(pdf, x, y, w, h, points)
            present = [v for v in level if v is not None]
            plot.y_axis(level, floor=min(present) if present else 0)
            plot.line(_days(points), level, colour=PURPLE, marker=0.35 if len(points) < 3 else 0)
            plot.frame()

        return Chart(_("Subscribers (level)"), draw)
    if not any(p.subscribers_net is not None for p in points):
        return None
    net = [v or 0.0 for v in _floats(_per_day(points, "subscribers_net"))]
    width = {"day": 0.8, "week": 5.6, "month": 24}[grain]

    def bars(pdf, x, y, w, h) -> None:
        plot = _over_dates(pdf, x, y, w, h, points)
        plot.y_axis(net)
        plot.bars(_days(points), net, width=width, colours=[PURPLE if v >= 0 else ORANGE for v in net])
        pdf.set_draw_color(100, 116, 139)
        pdf.line(plot.x0, plot.py(0), plot.x1, plot.py(0))
        plot.frame()

    return Chart(_("Subscribers gained − lost {grain}").format(grain=_(GRAIN_LABEL[grain])), bars)


def _categories(pdf, x, y, w, h, labels: list[str], values, colours: list[str], width: float):
    """Bars over named categories (no bars when `values` is None: the caller draws on its own axis)."""
    plot = Plot(pdf, x, y, w, h, xlim=(-0.6, len(labels) - 0.4))
    if values is not None:
        plot.y_axis(values)
        plot.bars(range(len(values)), values, width=width, colours=colours)
    plot.x_labels([(i, label) for i, label in enumerate(labels) if label])
    return plot


def weekdays(rows: list[tuple[str, Decimal | None]], row_kind: str | None) -> Chart | None:
    """Mean engagements per row on each weekday, the best one highlighted."""
    if not rows or all(v is None for _, v in rows):
        return None
    values = [float(v) if v is not None else 0.0 for _, v in rows]
    best = max(range(len(values)), key=lambda i: (values[i], -i))
    colours = [ORANGE if i == best else GREY for i in range(len(values))]
    short = locale().days["format"]["abbreviated"]
    labels = [short[WEEKDAYS.index(name)] if name in WEEKDAYS else name[:3] for name, _v in rows]

    def draw(pdf, x, y, w, h) -> None:
        _categories(pdf, x, y, w, h, labels, values, colours, 0.65).frame()

    title = (
        N_("Mean engagements per day by weekday")
        if row_kind == "days"
        else N_("Mean engagements per post by weekday")
    )
    return Chart(_(title), draw)


def by_hour(hours: list[tuple[int, Decimal | None]], online: list[tuple[int, float | None]]) -> Chart | None:
    """The hour chart: mean engagements per post by hour posted (bars, the best one highlighted) and,
    where a follower activity export is present, when the followers are online (a line)."""
    has_posts = any(v is not None for _, v in hours)
    has_online = any(v is not None for _, v in online)
    if not (has_posts or has_online):
        return None
    means = [float(v) if v is not None else 0.0 for _, v in hours] if has_posts else [0.0] * 24
    best = max(range(len(means)), key=lambda i: (means[i], -i))
    colours = [ORANGE if i == best and has_posts else GREY for i in range(len(means))]
    ys = _floats(v for _, v in online)
    labels = [str(h) if h % 3 == 0 else "" for h in range(24)]

    def draw(pdf, x, y, w, h) -> None:
        plot = _categories(pdf, x, y, w, h, labels, means if has_posts else None, colours, 0.7)
        if has_online:
            limits = plot.y_axis(
                ys, grid=not has_posts, right=has_posts, colour=rgb(PURPLE) if has_posts else None
            )
            plot.line([hour for hour, _ in online], ys, colour=PURPLE, ylim=limits, marker=0.25)
        plot.frame(right=has_posts and has_online)
        if has_posts and has_online:
            plot.legend([(_("Mean engagements per post"), GREY), (_("Followers online"), PURPLE)])

    if has_posts and has_online:
        title = _("By hour of day: engagements per post and when your followers are online")
    elif has_online:
        title = _("When your followers are online (mean followers online by hour of day)")
    else:
        title = _("Mean engagements per post by hour posted")
    return Chart(title, draw)


CHARTS: tuple[Callable[[ReportData], Chart | None], ...] = (
    lambda d: views_engagements(d.chart_series, d.grain),
    lambda d: engagement_rate(d.chart_series, d.grain),
    lambda d: subscribers(d.chart_series, d.grain),
    lambda d: weekdays(d.weekdays, d.row_kind),
    lambda d: by_hour(d.hours, d.online),
)


def build_charts(data: ReportData) -> list[Chart]:
    """Every chart the data supports, in report order (absent inputs: no chart, never an empty one)."""
    return [chart for make in CHARTS if (chart := make(data)) is not None]
