"""Live cards: a file in flight redraws itself from the process's status board while it is processed.

Only the cards of files queued or processing are live, each a fragment of its own that reruns every
POLL and reads `core.live_status.board` (one query per half second for every session of the process,
none per card): finished cards are drawn by the page's run and never again by a timer, so nothing
heavy (their details, report buttons, the Dashboard's KPIs) runs per refresh. When a file leaves
flight its card reruns the whole page once, which draws it finished and stops its timer, and asks
for the Explorer's opening view in the background (ui.explorer_prefetch), which the file changed.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import live_status
from core.models import SocialFile, User
from ui import explorer_prefetch, language

# How often a live card looks at the board. With the board read at most every FRESH_S (core.live_status:
# 0.5 s) a status reaches the screen within ~1.5 s; at 2 s it was 1.9 / 3.3 s p50 / p95 with 10 sessions.
# A look costs no query and ~12 ms (bench/status_refresh.py).
POLL = "1s"


def _tick(file: SocialFile, user: User, since: float, render: Callable[[SocialFile], None]) -> None:
    language.restore()  # a fragment's own reruns skip the router
    fresh, status = live_status.board.look(actor=user, file_id=file.id, since=since)
    if not fresh:  # the board is older than what the page read: the page's row is the news
        render(file)
    elif status is None:  # it left flight (ready, error, deleted): the page draws it as it is now,
        explorer_prefetch.prefetch(user, again=True)  # and the Explorer's view it changed is read now
        st.rerun()
    else:
        render(status.apply(file))


_live = st.fragment(_tick, run_every=POLL)


def live_card(file: SocialFile, *, user: User, render: Callable[[SocialFile], None]) -> None:
    """`render(file)` now, and again every POLL with the file's latest status while it is in flight."""
    _live(file, user, live_status.board.now(), render)
