"""The Explorer's charts and top-posts table, shared by its file and its account/brand views."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

import pandas as pd
import streamlit as st

from core import analytics
from core.i18n import N_, _, get_language
from ui import charts
from ui.chart_marks import mark_partial

TOP_LABELS = {  # message ids: translated where shown
    "views": N_("Views"),
    "impressions": N_("Impressions"),
    "reach": N_("Reach"),
    "engagements": N_("Engagements"),
    "er": N_("ER by views"),
}
DATE_COLUMN = {"ru": "DD.MM.YYYY", "en": "MMM D, YYYY"}  # as core.i18n.fmt_date writes them
DATE_INPUT = {"ru": "DD.MM.YYYY", "en": "YYYY/MM/DD"}  # st.date_input's own choice of formats


def top_label(order: str) -> str:
    return _(TOP_LABELS[order])


def show_chart(fig, *, key: str, missing: str) -> None:
    if fig is None:
        st.caption(missing)
    else:
        st.plotly_chart(fig, key=key, config={"displaylogo": False})


_FIGURES: OrderedDict[tuple, tuple] = OrderedDict()


def _figure(make, frames: dict[str, pd.DataFrame], *, partial: dict | None = None, **options):
    """`make(frames, **options)` with its incomplete buckets marked (ui.chart_marks), drawn once for
    the same frames (core.memo hands a rerun the very same ones): building a plotly figure is most of
    a rerun's time."""
    marks = tuple(sorted((label, tuple(sorted(b))) for label, b in (partial or {}).items()))
    key = (
        make.__name__,
        tuple((label, id(f)) for label, f in frames.items()),
        get_language(),
        marks,
        *options.items(),
    )
    if key not in _FIGURES:
        fig = make(frames, **options)
        if partial and "grain" in options:
            fig = mark_partial(
                fig, frames, partial, grain=options["grain"], align=options.get("align", False)
            )
        _FIGURES[key] = (list(frames.values()), fig)  # the frames kept: ids stay theirs
        while len(_FIGURES) > 64:
            _FIGURES.popitem(last=False)
    _FIGURES.move_to_end(key)
    return _FIGURES[key][1]


CHART_TABS = {  # message ids: a tab a chart, in this order
    "views": N_("Views and engagements"),
    "er": N_("ER"),
    "posts": N_("Posts"),
    "subscribers": N_("Subscribers"),
    "weekdays": N_("By weekday"),
    "hours": N_("By hour posted"),
    "online": N_("Followers online"),
}
MISSING = {  # what a chart without data says instead (one line under the tabs)
    "views": N_("No views or engagements in these files."),
    "er": N_("ER by views needs views and likes, comments or shares."),
    "posts": N_("No posts in these files."),
    "subscribers": N_("No subscriber figures in these files."),
    "weekdays": N_("No engagements in these files."),
}
CHART_TAB = "explorer_chart"  # the open tab (its label), kept while the page reruns


def charts_section(
    frames: dict[str, pd.DataFrame],
    weekdays: dict[str, pd.DataFrame],
    *,
    per: str,
    grain: str,
    align: bool,
    partial: dict[str, set[date]] | None = None,
    hours: dict[str, pd.DataFrame | None] | None = None,
    online: dict[str, pd.DataFrame | None] | None = None,
) -> None:
    """The Explorer's charts of one or several series (files, accounts or brands) side by side, a
    tab each for the charts these series have data for: only the open tab's chart is built and drawn
    (seven plotly charts at once were most of an Explorer opening in the browser), and switching
    tabs reruns this fragment only. `partial`: each series' incomplete buckets
    (core.presets.partial_buckets), shaded on the charts; `hours`, `online`: the best-hours and
    followers-online data of accounts (core.scope_view), a tab each where there is some."""
    over_time = {"grain": grain, "align": align, "partial": partial}
    hours = {label: f for label, f in (hours or {}).items() if f is not None}
    online = {label: f for label, f in (online or {}).items() if f is not None}
    has = charts.has_data
    draw = {
        "views": (has(frames, "views") or has(frames, "engagements"),
                  lambda: _chart(charts.views_engagements, frames, key="explorer_chart_views", **over_time)),
        "er": (has(frames, "er_views"),
               lambda: _chart(charts.er_over_time, frames, key="explorer_chart_er", **over_time)),
        "posts": (has(frames, "posts"),
                  lambda: _chart(charts.posts, frames, key="explorer_chart_posts", **over_time)),
        "subscribers": (has(frames, "subscribers") or has(frames, "subscribers_net"),
                        lambda: _subscribers(frames, over_time)),
        "weekdays": (has(weekdays, "mean_engagements"),
                     lambda: _chart(charts.weekdays, weekdays, key="explorer_chart_weekdays", per=per)),
        "hours": (has(hours, "engagements"),
                  lambda: _chart(charts.best_hours, hours, key="explorer_best_hours")),
        "online": (has(online, "followers"),
                   lambda: _chart(charts.followers_online, online, key="explorer_followers_online")),
    }  # fmt: skip
    _chart_tabs({code: make for code, (shown, make) in draw.items() if shown})
    if missing := [
        _(MISSING[code]) for code, (shown, _make) in draw.items() if not shown and code in MISSING
    ]:
        st.caption(" ".join(missing))


def _chart(make, frames: dict[str, pd.DataFrame], *, key: str, **options) -> None:
    show_chart(_figure(make, frames, **options), key=key, missing="")  # its tab is there: it has data


@st.fragment
def _chart_tabs(draw: dict) -> None:
    if not draw:
        return
    tabs = st.tabs([_(CHART_TABS[code]) for code in draw], key=CHART_TAB, on_change="rerun")
    for tab, make in zip(tabs, draw.values(), strict=True):
        if tab.open:
            with tab:
                make()


def _subscribers(frames: dict[str, pd.DataFrame], over_time: dict) -> None:
    """Subscribers as a count, or as their net change per bucket."""
    mode = st.segmented_control(_("Subscribers"), ["level", "net"], default="level", key="explorer_subs",
                                format_func={"level": _("Count"), "net": _("Net change")}.get)  # fmt: skip
    show_chart(_figure(charts.subscribers, frames, mode=mode or "level", **over_time),
               key="explorer_chart_subs", missing=_(MISSING["subscribers"]))  # fmt: skip


def top_posts_table(top: list[dict], *, key: str) -> None:
    st.dataframe(
        charts.top_posts_frame(top),
        hide_index=True,
        key=key,
        column_config={
            _("ER, %"): st.column_config.NumberColumn(format="%.2f"),
            _("Date"): st.column_config.DateColumn(format=DATE_COLUMN[get_language()]),
            _("Link"): st.column_config.LinkColumn(display_text=_("open")),
        },
    )


GRAIN_NAMES = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}


def grain_name(grain: str) -> str:
    return _(GRAIN_NAMES[grain])


GRAIN = "explorer_grain"
_GRAIN_PICKED = "explorer_grain_picked"


def _grain_picked() -> None:
    st.session_state[_GRAIN_PICKED] = True


def grain_picker(col, suggested: str) -> str:
    """ "Group by": the range's own grouping (core.presets.grain_for: weeks or months for long ranges,
    so a chart draws ~100 points, not a thousand) until the user picks one, which then stays."""
    if not st.session_state.get(_GRAIN_PICKED):
        st.session_state[GRAIN] = suggested
    picked = col.segmented_control(_("Group by"), analytics.GRAINS, key=GRAIN, format_func=grain_name,
                                   on_change=_grain_picked)  # fmt: skip
    return picked or suggested
