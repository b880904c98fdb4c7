"""The server's background warm-up builds every kind of Explorer figure, and stays out of AppTest."""

from __future__ import annotations

import logging
import sys

from ui import warmup


def test_the_warm_up_builds_each_figure_kind_without_an_error(caplog, monkeypatch):
    built = []
    import plotly.io

    monkeypatch.setattr(plotly.io, "to_json", lambda fig, **kw: built.append(fig) or "{}")
    with caplog.at_level(logging.ERROR, logger=warmup.__name__):
        warmup._warm()
    assert not caplog.records
    assert all(name in sys.modules for name in warmup.MODULES)
    assert len(built) == 6
    [views] = [f for f in built if f["layout"]["title"]["text"] == "Views and engagements"]
    assert [a["text"] for a in views["layout"]["annotations"]] == ["incomplete week"]


def test_no_warm_up_thread_without_a_server(monkeypatch):
    monkeypatch.setattr(warmup, "_started", False)
    started = []
    monkeypatch.setattr(warmup.threading, "Thread", lambda **kw: started.append(kw))
    warmup.start()  # no Streamlit runtime in a test process
    assert started == [] and warmup._started is False
