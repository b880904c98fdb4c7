"""Live cards: a file in flight redraws itself when its status changes, and only then.

Only the cards of files queued or processing are live, each a fragment of its own with a small watcher
(ui/live.js) that asks the app's status route (serve.py: `core.live_status.watch`, which reads the
process's board — one query per half second for every session, none per card) every WATCH_MS whether
what the card shows has changed, and reruns the card's fragment only then: a file that waits in the
queue costs its page nothing, neither on the server nor in the browser. Finished cards are drawn by
the page's run and never again, so nothing heavy (their details, report buttons, the Dashboard's KPIs)
runs per refresh. When a file leaves flight its card reruns the whole page once, which draws it
finished and stops its watcher, and asks for the Explorer's opening view in the background
(ui.explorer_prefetch), which the file changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from core import live_status
from core.models import SocialFile, User
from ui import explorer_prefetch, language

# The status route (serve.py mounts it under server.baseUrlPath).
ROUTE = "/live/status"
# How often a watcher asks the route: the board it reads is at most FRESH_S (0.5 s) old.
WATCH_MS = 500
# Where the route does not answer (the app run from Home.py instead of serve.py), a watcher reruns its
# card this long after asking, as a timer would: a rerun costs ~12 ms on the server (bench/status_refresh.py)
# and ~60 ms in the browser, so a page with a file waiting in the queue pays that every 1.5 s.
POLL_MS = 1000

_watcher = st.components.v2.component(
    "social_analytics.live_watch", js=(Path(__file__).with_name("live.js")).read_text(encoding="utf-8")
)


def route_path() -> str:
    """The status route's path under the app's base URL path."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{ROUTE}" if base else ROUTE


def _watch(file: SocialFile, user: User, since: float) -> None:
    query = urlencode({"ticket": live_status.ticket(actor=user, file=file), "since": repr(since)})
    data = {
        "url": f"{route_path()}?{query}",  # new on every run (`since`): the watcher starts again
        "drawn": live_status.drawn(file),
        "every": WATCH_MS,
        "fallback": POLL_MS,
    }
    _watcher(key=f"live_watch_{file.id}", data=data, height=0, on_changed_change=_ignore)


def _ignore() -> None:
    """A watcher's trigger only reruns the card's fragment; it carries nothing to keep."""


def _card(file: SocialFile, user: User, since: float, render: Callable[[SocialFile], None]) -> None:
    language.restore()  # a fragment's own reruns skip the router
    fresh, status = live_status.board.look(actor=user, file_id=file.id, since=since)
    if not fresh:  # the board is older than what the page read: the page's row is the news
        shown = file
    elif status is None:  # it left flight (ready, error, deleted): the page draws it as it is now,
        explorer_prefetch.prefetch(user, again=True)  # and the Explorer's view it changed is read now
        st.rerun()
    else:
        shown = status.apply(file)
    render(shown)
    _watch(shown, user, live_status.board.now())


_live = st.fragment(_card)


def live_card(file: SocialFile, *, user: User, render: Callable[[SocialFile], None]) -> None:
    """`render(file)` now, and again with the file's latest status whenever what its card shows changes."""
    _live(file, user, live_status.board.now(), render)
