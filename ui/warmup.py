"""What a fresh server process does once, in the background, so that nobody's first Explorer waits on
it: import pandas, plotly and the Explorer's modules, and build one figure of each kind (plotly loads
its validators on first use). Measured cold at load ~10: 5 s of imports and ~0.2 s of first figures,
otherwise paid inside the first Explorer run. Not in AppTest (no runtime): tests import as they go."""

from __future__ import annotations

import importlib
import logging
import threading
from datetime import date, timedelta

from streamlit import runtime

log = logging.getLogger(__name__)
MODULES = (
    "pandas",
    "plotly.graph_objects",
    "plotly.subplots",
    "plotly.io",
    "ui.account_explorer",
    "core.explore",
)
_lock = threading.Lock()
_started = False


def served() -> bool:
    """Whether a real Streamlit server runs this process (AppTest installs a mock runtime)."""
    return runtime.exists() and type(runtime.Runtime.instance()) is runtime.Runtime


def start() -> None:
    """Start the warm-up once per process (no-op without a Streamlit server, as under AppTest)."""
    global _started
    with _lock:
        if _started or not served():
            return
        _started = True
    threading.Thread(target=_warm, name="explorer-warmup", daemon=True).start()


def _warm() -> None:
    try:
        for name in MODULES:
            importlib.import_module(name)
        _figures()
    except Exception:  # noqa: BLE001 — a warm-up that fails only leaves the work to the first run
        log.exception("Explorer warm-up failed")


def _figures() -> None:
    """One small figure of each kind the Explorer draws, serialised as st.plotly_chart does."""
    import pandas as pd
    import plotly.io

    from core.analytics import SERIES_COLUMNS
    from ui import charts
    from ui.chart_marks import mark_partial

    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(3)]
    frame = pd.DataFrame(
        {c: [1, 2, 3] for c in SERIES_COLUMNS} | {"bucket": days, "er_views": [0.5, 1.0, 1.5]}
    )
    frames = {"warm-up": frame}
    weekdays = pd.DataFrame(
        {"weekday": ["Monday"], "rows": [1], "engagements": [1], "mean_engagements": [1.0]}
    )
    hours = pd.DataFrame({"hour": [9], "engagements": [1], "posts": [1], "mean_engagements": [1.0]})
    built = [
        mark_partial(charts.views_engagements(frames, grain="week"), frames, {"warm-up": {days[0]}}, grain="week", align=False),
        charts.er_over_time(frames, grain="day"),
        charts.posts(frames, grain="day"),
        charts.subscribers(frames, grain="day", mode="net"),
        charts.weekdays({"warm-up": weekdays}),
        charts.best_hours({"warm-up": hours}),
    ]  # fmt: skip
    for fig in built:
        plotly.io.to_json(fig.to_dict(), validate=False)
