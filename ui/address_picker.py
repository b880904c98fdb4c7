"""A multiselect that follows the address: what a link names is picked, what is picked is kept.

The Explorer's file picker and its account/brand picker are both this: an address's choices are
applied once per request, choices that vanished (deleted, not the user's) are dropped with a
warning, and the first option is picked when nothing else is.
"""

from __future__ import annotations

import streamlit as st


def address_picker(
    label: str,
    options: dict[str, str],
    *,
    wanted: list[str],
    key: str,
    asked_key: str,
    limit: int,
    missing: str,
    help: str,
) -> list[str]:
    """The multiselect of `options` ({value: label}); `wanted` are the values the address names."""
    if any(w not in options for w in wanted):  # someone else's, deleted, or not ready: never shown
        st.warning(missing)
    if wanted and wanted != st.session_state.get(asked_key):
        st.session_state[asked_key] = wanted
        if valid := [w for w in wanted if w in options][:limit]:
            st.session_state[key] = valid
    if key not in st.session_state or not set(st.session_state[key]) <= set(options):
        kept = [k for k in st.session_state.get(key, []) if k in options]
        st.session_state[key] = kept or [next(iter(options))]
    chosen = st.multiselect(
        label, list(options), format_func=options.get, max_selections=limit, key=key, help=help
    )
    st.session_state[asked_key] = chosen
    return chosen
