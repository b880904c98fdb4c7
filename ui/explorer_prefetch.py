"""The Dashboard asks for the Explorer's opening view in the background (core.scope_view.opening_view),
once per session, and so does a live card whose file has just finished (ui.live): the aggregates a
first Explorer click would wait for (a cold account's merged timeline, top posts, catalogue and
summary: ~14 s at load 13 for 1M rows; 0.4-2 s for a 50k-row upload with ten sessions at once) are
read while the user reads the cards. One at a time per process, so many sessions queue instead of
crowding the database."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from core import scope_view
from core.db import session_scope
from core.i18n import get_language, use_language
from core.models import User
from ui.warmup import served

log = logging.getLogger(__name__)
_DONE = "explorer_prefetched"
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-prefetch")


def prefetch(user: User, *, again: bool = False) -> Future | None:
    """Queue the opening view of `user`'s Explorer, in the page's language (once per session, and
    `again` when one of the user's files has just finished: the view it changed; only under a server:
    AppTest runs no background reads)."""
    if (st.session_state.get(_DONE) and not again) or not served():
        return None
    st.session_state[_DONE] = True
    return _pool.submit(_opening, user, get_language())


def _opening(user: User, language: str) -> None:
    try:
        with use_language(language), session_scope() as session:
            scope_view.opening_view(session, actor=user)
    except Exception:  # noqa: BLE001 — a prefetch that fails leaves the work to the click
        log.exception("Explorer prefetch failed")
