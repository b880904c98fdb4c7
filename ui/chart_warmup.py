"""The Explorer's opening chart and table, drawn off screen on the Dashboard (where a sign-in lands,
accounts or not) and on Upload while a file is processed: the browser loads, compiles and starts
plotly.js (a 4.7 MB chunk Streamlit fetches on a page's first plotly chart) and the table's grid
while the user reads the cards or waits for the file, instead of inside their first click on the
Explorer (~20 s of its first opening at load ~10 in headless Chromium; with ten sessions at once,
8 s p50 of each page's script time in that click). Drawing the Explorer's own kinds — its views
chart (two axes, hover, toolbar) and its top-posts table with the same columns — rather than a bare
one-point plot also takes the first run of their code paths out of that click (bench/explorer_browser.py
prints the page's main-thread time of a first opening and of later ones). Later openings reuse what
the browser compiled. The Explorer's kinds of widget are drawn too, disabled: the browser fetches
each widget's code the first time a page shows one, and until it has, the Explorer showed grey
placeholders where its pickers and download buttons go (eight of them, after the chart was drawn
and the app idle, in a first opening). Hidden from sight, pointer, keyboard and screen reader."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.i18n import get_language
from ui import charts
from ui.explorer_charts import show_chart, top_posts_table

KEY = "sa_plotly_warmup"
_STYLE = (
    f"<style>.st-key-{KEY}{{position:absolute;left:-10000px;top:0;width:640px;height:400px;"
    "overflow:hidden;pointer-events:none;visibility:hidden}</style>"
)
_DAYS = pd.DataFrame({"bucket": [date(2024, 1, 1), date(2024, 1, 2)], "views": [1, 2], "engagements": [1, 1]})
_POST = {"title": "—", "post_id": None, "url": None, "date": date(2024, 1, 1), "views": 1,
         "engagements": 1, "er": 100.0}  # fmt: skip
_figures: dict[str, object] = {}  # per language: its axes and legend are in the page's language


def plotly_warmup() -> None:
    """Draw the off-screen chart, table and widgets (once per page run; the browser keeps what it
    fetched and compiled for the tab's life)."""
    language = get_language()
    if language not in _figures:
        figure = charts.views_engagements({"": _DAYS}, grain="day")
        _figures[language] = figure.update_layout(title_text="")  # no page's chart is found by its title
    with st.container(key=KEY):
        st.html(_STYLE)
        show_chart(_figures[language], key=f"{KEY}_chart", missing="")
        top_posts_table([_POST], key=f"{KEY}_table")
        _widgets()


def _widgets() -> None:
    """One of each widget the Explorer opens with: its "Show" and "Group by" (segmented controls),
    its accounts and brands (multiselect), its dates and top-posts order (select boxes) and its
    Download PDF and CSV buttons."""
    hidden = {"disabled": True, "label_visibility": "collapsed"}
    st.segmented_control("—", ["—"], key=f"{KEY}_segmented", **hidden)
    st.multiselect("—", ["—"], key=f"{KEY}_multiselect", **hidden)
    st.selectbox("—", ["—"], key=f"{KEY}_selectbox", **hidden)
    st.download_button("—", b"", key=f"{KEY}_download", disabled=True)
