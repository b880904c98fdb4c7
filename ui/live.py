"""Live lists: a fragment that rereads the database while files are in progress."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from ui import language

POLL = "2s"  # how often a live list reads the database while files are in progress


def live(body: Callable[..., bool], *, polling: bool) -> Callable[..., None]:
    """`body` as a fragment that rereads the database every 2 s while `polling` (files in progress).

    `body` returns whether files are still in progress; when none is left, the whole page runs
    again once, which stops the polling (and refreshes what depends on the finished files)."""

    @functools.wraps(body)  # the fragment's identity is its body's name
    def run(*args) -> None:
        language.restore()  # a fragment's own reruns skip the router
        if not body(*args) and polling:
            st.rerun()

    return st.fragment(run, run_every=POLL if polling else None)
