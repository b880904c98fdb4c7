"""A one-point plotly chart drawn off screen on the Dashboard (where a sign-in lands, accounts or not)
and on Upload while a file is processed: the browser loads, compiles and starts plotly.js (a 4.7 MB
chunk Streamlit fetches on a page's first plotly chart) while the user reads the cards or waits for
the file, instead of inside their first click on the Explorer (~20 s of its first opening at load
~10 in headless Chromium; with ten sessions at once, 8 s p50 of each page's script time in that
click). Later openings reuse the loaded module. Nothing on screen, nothing to read."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

KEY = "sa_plotly_warmup"
_STYLE = (
    f"<style>.st-key-{KEY}{{position:absolute;left:-10000px;top:0;width:320px;height:40px;"
    "overflow:hidden;pointer-events:none}</style>"
)
_FIGURE = go.Figure(
    go.Scatter(x=[0], y=[0], mode="lines"), layout={"height": 40, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}}
)


def plotly_warmup() -> None:
    """Draw the off-screen chart (once per page run; the browser keeps the module for the tab's life)."""
    with st.container(key=KEY):
        st.html(_STYLE)
        st.plotly_chart(_FIGURE, key=f"{KEY}_chart", config={"staticPlot": True, "displayModeBar": False})
