"""Plotly figures for the explorer, built from core.analytics frames (one frame per compared file).

Each builder takes {label: frame} and returns a figure, or None when no file has the data (the
page then says which column is missing instead of drawing an empty chart).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from core import i18n, metrics
from core.i18n import N_, _

Frames = dict[str, pd.DataFrame]
COLORS = qualitative.Plotly
HEIGHT = 340
MARKERS_UP_TO = 120  # points per line drawn with markers; longer lines are drawn as lines only
# Words that depend on the grouping, whole (a translation may need to inflect them).
OF_THE_RANGE = {
    "day": N_("Day of the range"),
    "week": N_("Week of the range"),
    "month": N_("Month of the range"),
}
POSTS_PER = {"day": N_("Posts per day"), "week": N_("Posts per week"), "month": N_("Posts per month")}
NET_PER = {
    "day": N_("Subscribers gained (net) per day"),
    "week": N_("Subscribers gained (net) per week"),
    "month": N_("Subscribers gained (net) per month"),
}
DATE_TICKS = {"ru": "%d.%m.%Y"}  # plotly's own (English month names) elsewhere


def _separators() -> str:
    """Plotly's decimal mark and thousands separator in the current language ("., " · ", ")."""
    symbols = i18n.locale().number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]


def has_data(frames: Frames, column: str) -> bool:
    """Whether any file has a value in `column`."""
    return any(column in f and f[column].notna().any() for f in frames.values())


def values(frame: pd.DataFrame, column: str) -> list[Any]:
    """A column as plain Python values, missing ones as None (plotly leaves a gap); fractions to 4
    places, all a chart or its hover shows (17 digits each would only lengthen what the browser reads)."""
    return [
        None if pd.isna(v) else round(v, 4) if isinstance(v, float) else v for v in frame[column].tolist()
    ]


def x_values(frame: pd.DataFrame, *, align: bool) -> list[Any]:
    """Bucket dates, or 1, 2, 3… when periods are aligned for comparison."""
    return list(range(1, len(frame) + 1)) if align else frame["bucket"].tolist()


def _layout(fig: go.Figure, *, title: str, grain: str, align: bool, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=HEIGHT,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        # Below the plot: long file names wrap there instead of running over the title.
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "x": 0, "xanchor": "left"},
        hovermode="x unified",
        separators=_separators(),
    )
    fig.update_xaxes(title_text=_(OF_THE_RANGE.get(grain, OF_THE_RANGE["day"])) if align else None)
    if not align and (ticks := DATE_TICKS.get(i18n.get_language())):
        fig.update_xaxes(tickformat=ticks, hoverformat=ticks)
    fig.update_layout(yaxis={"title": {"text": y_title}, "rangemode": "tozero"})  # the left axis only
    return fig


def _name(label: str, measure: str, frames: Frames) -> str:
    return _(measure) if len(frames) == 1 else f"{label} · {_(measure)}"


def views_engagements(frames: Frames, *, grain: str, align: bool = False) -> go.Figure | None:
    """Views (left axis) and engagements (right axis) per bucket."""
    if not (has_data(frames, "views") or has_data(frames, "engagements")):
        return None
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for i, (label, frame) in enumerate(frames.items()):
        color = COLORS[i % len(COLORS)]
        x = x_values(frame, align=align)
        if frame["views"].notna().any():
            fig.add_trace(go.Scatter(x=x, y=values(frame, "views"), name=_name(label, "Views", frames),
                                     mode="lines", line={"color": color}), secondary_y=False)  # fmt: skip
        if frame["engagements"].notna().any():
            fig.add_trace(go.Scatter(x=x, y=values(frame, "engagements"), name=_name(label, "Engagements", frames),
                                     mode="lines", line={"color": color, "dash": "dot"}), secondary_y=True)  # fmt: skip
    # Its own round ticks (Streamlit's theme would align them with the views axis: 28, 56.1, 84.1…).
    fig.update_yaxes(
        title_text=_("Engagements"), rangemode="tozero", secondary_y=True, showgrid=False, tickmode="auto"
    )
    return _layout(fig, title=_("Views and engagements"), grain=grain, align=align, y_title=_("Views"))


def _lines(frames: Frames, column: str, *, kind: str = "line") -> go.Figure:
    fig = go.Figure()
    for i, (label, frame) in enumerate(frames.items()):
        color = COLORS[i % len(COLORS)]
        y = values(frame, column)
        if kind == "bar":
            fig.add_trace(go.Bar(x=frame["_x"], y=y, name=label, marker_color=color))
        else:
            mode = (
                "lines+markers" if len(frame) <= MARKERS_UP_TO else "lines"
            )  # a marker each: an SVG node each
            fig.add_trace(go.Scatter(x=frame["_x"], y=y, name=label, mode=mode, line={"color": color}))
    fig.update_layout(showlegend=len(frames) > 1, barmode="group")
    return fig


def _with_x(frames: Frames, *, align: bool) -> Frames:
    return {label: frame.assign(_x=x_values(frame, align=align)) for label, frame in frames.items()}


def er_over_time(frames: Frames, *, grain: str, align: bool = False) -> go.Figure | None:
    """Engagement rate by views, % per bucket."""
    if not has_data(frames, "er_views"):
        return None
    fig = _lines(_with_x(frames, align=align), "er_views")
    fig.update_yaxes(ticksuffix=" %")
    return _layout(fig, title=_("ER by views, %"), grain=grain, align=align, y_title=_("ER, %"))


def subscribers(frames: Frames, *, grain: str, mode: str = "level", align: bool = False) -> go.Figure | None:
    """The follower count at the end of each bucket ("level"), or its change per bucket ("net")."""
    column = "subscribers" if mode == "level" else "subscribers_net"
    if not has_data(frames, column):
        return None
    fig = _lines(_with_x(frames, align=align), column, kind="line" if mode == "level" else "bar")
    title = _("Subscribers") if mode == "level" else _(NET_PER.get(grain, NET_PER["day"]))
    return _layout(fig, title=title, grain=grain, align=align, y_title=_("Subscribers"))


def best_hours(frames: Frames) -> go.Figure | None:
    """Engagements by the hour of day (UTC) posts were published at, 0–23 (the mean in the hover)."""
    frames = {label: frame for label, frame in frames.items() if frame is not None}
    if not has_data(frames, "engagements"):
        return None
    fig = go.Figure()
    for i, (label, frame) in enumerate(frames.items()):
        fig.add_trace(
            go.Bar(
                x=frame["hour"].tolist(),
                y=values(frame, "engagements"),
                customdata=frame[["posts", "mean_engagements"]].fillna(0).to_numpy().tolist(),
                hovertemplate=_(
                    "%{x}:00 · %{y:,} engagements over %{customdata[0]:,} posts (%{customdata[1]:,.1f} on average)"
                ),
                name=label,
                marker_color=COLORS[i % len(COLORS)],
            )
        )
    fig.update_layout(showlegend=len(frames) > 1, barmode="group")
    fig = _layout(
        fig, title=_("Engagements by hour posted (UTC)"), grain="day", align=False, y_title=_("Engagements")
    )
    fig.update_xaxes(
        tickmode="linear",
        dtick=1,
        range=[-0.5, 23.5],
        title_text=_("Hour of day"),
        tickformat=None,
        hoverformat=None,
    )
    fig.update_layout(hovermode="closest")
    return fig


def followers_online(frames: Frames) -> go.Figure | None:
    """When your followers are online: the mean number of followers online at each hour 0–23
    (core.activity.by_hour, from the platform's follower activity export)."""
    frames = {label: frame for label, frame in frames.items() if frame is not None}
    if not has_data(frames, "followers"):
        return None
    fig = go.Figure()
    for i, (label, frame) in enumerate(frames.items()):
        fig.add_trace(
            go.Scatter(
                x=frame["hour"].tolist(),
                y=values(frame, "followers"),
                customdata=frame[["days"]].to_numpy().tolist(),
                hovertemplate=_("%{x}:00 · %{y:,.0f} followers online on average over %{customdata[0]} days"),
                name=label,
                mode="lines+markers",
                line={"color": COLORS[i % len(COLORS)], "shape": "spline"},
            )
        )
    fig.update_layout(showlegend=len(frames) > 1)
    fig = _layout(
        fig,
        title=_("When your followers are online"),
        grain="day",
        align=False,
        y_title=_("Followers online"),
    )
    fig.update_xaxes(
        tickmode="linear", dtick=1, range=[-0.5, 23.5], title_text=_("Hour of day"), tickformat=None,
        hoverformat=None,
    )  # fmt: skip
    fig.update_layout(hovermode="closest")
    return fig


def posts(frames: Frames, *, grain: str, align: bool = False) -> go.Figure | None:
    """Posts per bucket."""
    if not has_data(frames, "posts"):
        return None
    fig = _lines(_with_x(frames, align=align), "posts", kind="bar")
    title = _(POSTS_PER.get(grain, POSTS_PER["day"]))
    return _layout(fig, title=title, grain=grain, align=align, y_title=_("Posts"))


def weekdays(frames: Frames, *, per: str = "row") -> go.Figure | None:
    """Mean engagements per row by weekday, Monday first (the total is in the hover)."""
    if not has_data(frames, "mean_engagements"):
        return None
    fig = go.Figure()
    for i, (label, frame) in enumerate(frames.items()):
        fig.add_trace(
            go.Bar(
                x=[metrics.weekday_text(day) for day in frame["weekday"].tolist()],
                y=values(frame, "mean_engagements"),
                customdata=frame[["engagements", "rows"]].to_numpy().tolist(),
                hovertemplate=(
                    _("%{y:,.1f} on average · %{customdata[0]:,} in total over %{customdata[1]:,} posts")
                    if per == "post"
                    else _("%{y:,.1f} on average · %{customdata[0]:,} in total over %{customdata[1]:,} days")
                ),
                name=label,
                marker_color=COLORS[i % len(COLORS)],
            )
        )
    fig.update_layout(showlegend=len(frames) > 1, barmode="group")
    title = (
        _("Engagements by weekday (mean per post)")
        if per == "post"
        else _("Engagements by weekday (mean per day)")
    )
    fig = _layout(fig, title=title, grain="day", align=False, y_title=_("Engagements"))
    fig.update_xaxes(tickformat=None, hoverformat=None)
    fig.update_layout(hovermode="closest")
    return fig


_TABLE_STYLE = (
    "<style>.sa-metrics{border-collapse:collapse;width:100%}.sa-metrics th,.sa-metrics td{padding:4px 10px;"
    "border-bottom:1px solid rgba(128,128,128,.25);text-align:right}.sa-metrics th[scope=row]{text-align:left;"
    "font-weight:normal}.sa-metrics abbr{text-decoration:underline dotted;cursor:help}</style>"
)


def metric_table(columns: dict[str, dict]) -> str:
    """Every metric of the catalogue as an HTML table, a column per file ({label: values});
    each metric's name carries its definition, shown on hover."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns)
    rows = []
    for m in metrics.CATALOGUE:
        cells = "".join(
            f"<td>{html.escape(metrics.display(code=m.code, value=values.get(m.code)))}</td>"
            for values in columns.values()
        )
        name = f'<abbr title="{html.escape(m.definition)}">{html.escape(m.name)}</abbr>'
        rows.append(f'<tr data-code="{m.code}"><th scope="row">{name}</th>{cells}</tr>')
    body = "".join(rows)
    return f'{_TABLE_STYLE}<table class="sa-metrics"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>'


def top_posts_frame(top: list[dict]) -> pd.DataFrame:
    """core.analytics.top_posts rows as the table people read: post, date, views, engagements, ER, link."""
    return pd.DataFrame(
        {
            _("Post"): [r["title"] or r["post_id"] or r["url"] or "—" for r in top],
            _("Date"): [r["date"] for r in top],
            _("Views"): pd.array([r["views"] for r in top], dtype="Int64"),
            _("Engagements"): pd.array([r["engagements"] for r in top], dtype="Int64"),
            _("ER, %"): pd.array([None if r["er"] is None else float(r["er"]) for r in top], dtype="Float64"),
            _("Link"): [r["url"] for r in top],
        }
    )
