"""Server-side report charts: matplotlib's object API on the Agg canvas (no pyplot state, thread-safe)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import matplotlib.dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.analytics import WEEKDAYS
from core.i18n import N_, _, locale
from core.reports.content import Point, ReportData

# Drawn at the size they are printed (92 × 62 mm), so 7 pt here is 7 pt on paper.
SIZE_IN = (92 / 25.4, 62 / 25.4)
DPI = 200
BLUE, ORANGE, GREEN, PURPLE, GREY = "#2563eb", "#f97316", "#059669", "#7c3aed", "#94a3b8"
# Weeks and months are drawn as daily averages: a short first or last bucket then looks like the rest.
GRAIN_LABEL = {
    "day": N_("per day"),
    "week": N_("per day, weekly average"),
    "month": N_("per day, monthly average"),
}
RATIO_GRAIN = {"day": N_("per day"), "week": N_("by week"), "month": N_("by month")}


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes


def _compact(value: float, _pos=None) -> str:
    """Axis labels that fit: 950, 12K, 3.4M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if value != int(value) else f"{int(value)}"


def _figure() -> tuple[Figure, object]:
    # Fixed margins that fit the compact tick labels, the legend above and a right-hand axis: a
    # constrained layout measured every label first and took half of each chart's drawing time.
    fig = Figure(figsize=SIZE_IN, dpi=DPI)
    fig.subplots_adjust(left=0.11, right=0.9, bottom=0.12, top=0.88)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#cbd5e1")
    ax.tick_params(labelsize=6.5, colors="#334155", length=2)
    ax.grid(axis="y", color="#e2e8f0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(FuncFormatter(_compact))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    return fig, ax


def _dates(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No "Software" stamp: the same data gives the same bytes on every matplotlib build.
    FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def _per_day(points: list[Point], name: str) -> list[float | None]:
    """The bucket's value divided by its days (the value itself for days)."""
    return [None if (v := getattr(p, name)) is None else v / p.days for p in points]


def _line(ax, points: list[Point], values: list, *, color: str, label: str, fill: bool = False) -> None:
    days = [p.day for p in points]
    ys = [float(v) if v is not None else float("nan") for v in values]
    marker = "o" if len(points) < 3 else None
    ax.plot(days, ys, color=color, linewidth=1.3, label=label, marker=marker, markersize=3)
    if fill:
        ax.fill_between(days, ys, color=color, alpha=0.08, linewidth=0)


def views_engagements(points: list[Point], grain: str) -> Chart | None:
    """Views (left axis) and engagements (right axis): their scales differ by orders of magnitude."""
    has_views = any(p.views is not None for p in points)
    has_eng = any(p.engagements is not None for p in points)
    if not points or not (has_views or has_eng):
        return None
    fig, ax = _figure()
    handles = []
    if has_views:
        _line(ax, points, _per_day(points, "views"), color=BLUE, label=_("Views"), fill=True)
        handles += ax.get_lines()[-1:]
    if has_eng:
        other = ax.twinx() if has_views else ax
        _line(other, points, _per_day(points, "engagements"), color=ORANGE, label=_("Engagements"))
        handles += other.get_lines()[-1:]
        if other is not ax:
            other.spines[["top", "left", "bottom"]].set_visible(False)
            other.spines["right"].set_color("#cbd5e1")
            other.tick_params(labelsize=6.5, colors=ORANGE, length=2)
            other.yaxis.set_major_formatter(FuncFormatter(_compact))
            other.yaxis.set_major_locator(MaxNLocator(nbins=5))
            other.set_ylim(bottom=0)
    ax.set_ylim(bottom=0)
    _dates(ax)
    # Above the plot, where it can never cover a line.
    ax.legend(
        handles=handles, fontsize=6.5, frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=2,
        borderaxespad=0.2, handlelength=1.5,
    )  # fmt: skip
    what = (
        N_("Views and engagements")
        if has_views and has_eng
        else N_("Views")
        if has_views
        else N_("Engagements")
    )
    return Chart(f"{_(what)} {_(GRAIN_LABEL[grain])}", _png(fig))


def engagement_rate(points: list[Point], grain: str) -> Chart | None:
    """ER by views over time, in %."""
    values = [p.er_views for p in points]
    if not any(v is not None for v in values):
        return None
    fig, ax = _figure()
    _line(ax, points, values, color=GREEN, label=_("ER by views"), fill=True)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.3g}%"))
    ax.set_ylim(bottom=0)
    _dates(ax)
    label = _(RATIO_GRAIN[grain])  # a ratio needs no averaging
    return Chart(_("Engagement rate by views, % {grain}").format(grain=label), _png(fig))


def subscribers(points: list[Point], grain: str) -> Chart | None:
    """The follower level where the file has one, else the net change as bars."""
    fig, ax = _figure()
    if any(p.subscribers is not None for p in points):
        _line(ax, points, [p.subscribers for p in points], color=PURPLE, label=_("Subscribers"))
        title = _("Subscribers (level)")
    elif any(p.subscribers_net is not None for p in points):
        net = [v or 0 for v in _per_day(points, "subscribers_net")]
        width = {"day": 0.8, "week": 5.6, "month": 24}[grain]
        ax.bar([p.day for p in points], net, width=width, color=[PURPLE if v >= 0 else ORANGE for v in net])
        ax.axhline(0, color="#64748b", linewidth=0.6)
        title = _("Subscribers gained − lost {grain}").format(grain=_(GRAIN_LABEL[grain]))
    else:
        return None
    _dates(ax)
    return Chart(title, _png(fig))


def weekdays(rows: list[tuple[str, Decimal | None]], row_kind: str | None) -> Chart | None:
    """Mean engagements per row on each weekday, the best one highlighted."""
    if not rows or all(v is None for _, v in rows):
        return None
    values = [float(v) if v is not None else 0.0 for _, v in rows]
    best = max(range(len(values)), key=lambda i: (values[i], -i))
    fig, ax = _figure()
    colors = [ORANGE if i == best else GREY for i in range(len(values))]
    short = locale().days["format"]["abbreviated"]
    labels = [short[WEEKDAYS.index(name)] if name in WEEKDAYS else name[:3] for name, _v in rows]
    ax.bar(labels, values, color=colors, width=0.65)
    ax.tick_params(axis="x", length=0)
    title = (
        N_("Mean engagements per day by weekday")
        if row_kind == "days"
        else N_("Mean engagements per post by weekday")
    )
    return Chart(_(title), _png(fig))


def by_hour(hours: list[tuple[int, Decimal | None]], online: list[tuple[int, float | None]]) -> Chart | None:
    """The hour chart: mean engagements per post by hour posted (bars, the best one highlighted) and,
    where a follower activity export is present, when the followers are online (a line)."""
    has_posts = any(v is not None for _, v in hours)
    has_online = any(v is not None for _, v in online)
    if not (has_posts or has_online):
        return None
    fig, ax = _figure()
    if has_posts:
        means = [float(v) if v is not None else 0.0 for _, v in hours]
        best = max(range(len(means)), key=lambda i: (means[i], -i))
        colors = [ORANGE if i == best else GREY for i in range(len(means))]
        ax.bar([h for h, _ in hours], means, color=colors, width=0.7, label=_("Mean engagements per post"))
    if has_online:
        other = ax.twinx() if has_posts else ax
        ys = [float(v) if v is not None else float("nan") for _, v in online]
        other.plot([h for h, _ in online], ys, color=PURPLE, linewidth=1.3, marker="o", markersize=2,
                   label=_("Followers online"))  # fmt: skip
        other.set_ylim(bottom=0)
        if other is not ax:
            other.spines[["top", "left", "bottom"]].set_visible(False)
            other.spines["right"].set_color("#cbd5e1")
            other.tick_params(labelsize=6.5, colors=PURPLE, length=2)
            other.yaxis.set_major_formatter(FuncFormatter(_compact))
            other.yaxis.set_major_locator(MaxNLocator(nbins=5))
            handles = ax.get_legend_handles_labels()[0] + other.get_legend_handles_labels()[0]
            ax.legend(handles=handles, fontsize=6.5, frameon=False, loc="lower left", bbox_to_anchor=(0, 1),
                      ncols=2, borderaxespad=0.2, handlelength=1.5)  # fmt: skip
    ax.set_xlim(-0.6, 23.6)
    ax.set_xticks(range(0, 24, 3))
    ax.tick_params(axis="x", length=0)
    ax.set_ylim(bottom=0)
    if has_posts and has_online:
        title = _("By hour of day: engagements per post and when your followers are online")
    elif has_online:
        title = _("When your followers are online (mean followers online by hour of day)")
    else:
        title = _("Mean engagements per post by hour posted")
    return Chart(title, _png(fig))


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
