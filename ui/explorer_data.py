"""The Explorer's data in Streamlit: core.explore's cache kept in this session's state."""

from __future__ import annotations

import streamlit as st

from core import explore
from core.models import User

_CACHE = "explorer_cache"  # this session's recent aggregates: toggling a chart option costs no query


def load_views(user: User, spans: list[explore.Span], *, grain: str, order: str) -> list[explore.View]:
    """The views of the spans, through this session's cache (keyed per user and file version)."""
    cache: dict = st.session_state.setdefault(_CACHE, {})
    return explore.load(cache, user, spans, grain=grain, order=order)
