"""The Explorer's charts and top-posts table, shared by its file and its account/brand views."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts

TOP_LABELS = {
    "views": "Views",
    "impressions": "Impressions",
    "reach": "Reach",
    "engagements": "Engagements",
    "er": "ER by views",
}


def show_chart(fig, *, key: str, missing: str) -> None:
    if fig is None:
        st.caption(missing)
    else:
        st.plotly_chart(fig, key=key, config={"displaylogo": False})


def charts_section(
    frames: dict[str, pd.DataFrame], weekdays: dict[str, pd.DataFrame], *, per: str, grain: str, align: bool
) -> None:
    """The Explorer's charts of one or several series (files, accounts or brands) side by side."""
    show_chart(charts.views_engagements(frames, grain=grain, align=align), key="explorer_chart_views",
               missing="No views or engagements in these files.")  # fmt: skip
    left, right = st.columns(2)
    with left:
        show_chart(charts.er_over_time(frames, grain=grain, align=align), key="explorer_chart_er",
                   missing="ER by views needs views and likes, comments or shares.")  # fmt: skip
        show_chart(charts.posts(frames, grain=grain, align=align), key="explorer_chart_posts",
                   missing="No posts in these files.")  # fmt: skip
    with right:
        mode = "level"
        if charts.has_data(frames, "subscribers") or charts.has_data(frames, "subscribers_net"):
            mode = st.segmented_control("Subscribers", ["level", "net"], default="level", key="explorer_subs",
                                        format_func={"level": "Count", "net": "Net change"}.get)  # fmt: skip
        show_chart(charts.subscribers(frames, grain=grain, mode=mode or "level", align=align),
                   key="explorer_chart_subs", missing="No subscriber figures in these files.")  # fmt: skip
        show_chart(charts.weekdays(weekdays, per=per), key="explorer_chart_weekdays",
                   missing="No engagements in these files.")  # fmt: skip


def top_posts_table(top: list[dict], *, key: str) -> None:
    st.dataframe(
        charts.top_posts_frame(top),
        hide_index=True,
        key=key,
        column_config={
            "ER, %": st.column_config.NumberColumn(format="%.2f"),
            "Link": st.column_config.LinkColumn(display_text="open"),
        },
    )
