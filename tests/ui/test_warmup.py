"""The server's background warm-up builds every kind of Explorer figure, and stays out of AppTest."""

from __future__ import annotations

import logging
import sys
from types import SimpleNamespace

import pytest

from ui import explorer_prefetch, warmup


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


@pytest.mark.parametrize("under", ["no runtime", "AppTest's mock runtime"])
def test_no_background_work_without_a_server(monkeypatch, under):
    from unittest.mock import MagicMock

    from streamlit.runtime import Runtime

    if under != "no runtime":
        monkeypatch.setattr(Runtime, "_instance", MagicMock(spec=Runtime))  # as AppTest runs pages
    monkeypatch.setattr(warmup, "_started", False)
    started = []
    monkeypatch.setattr(warmup.threading, "Thread", lambda **kw: started.append(kw))
    warmup.start()
    assert started == [] and warmup._started is False
    assert explorer_prefetch.prefetch(SimpleNamespace(id=1)) is None


def test_a_server_starts_the_warm_up_once(monkeypatch):
    monkeypatch.setattr(warmup, "served", lambda: True)
    monkeypatch.setattr(warmup, "_started", False)
    started = []
    monkeypatch.setattr(
        warmup.threading, "Thread", lambda **kw: started.append(kw) or SimpleNamespace(start=lambda: None)
    )
    warmup.start()
    warmup.start()
    assert [kw["name"] for kw in started] == ["explorer-warmup"]
