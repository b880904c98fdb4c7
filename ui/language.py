"""The language of this browser session's pages: the user's choice, else the browser's Accept-Language.

The router calls `apply(user)` at the top of every run, so `_()` everywhere in the run (pages, ui/, core)
speaks it; a fragment's own reruns and form callbacks call `restore()`, which reuses the run's choice.
"""

from __future__ import annotations

import json

import streamlit as st

from core import i18n
from core.models import User

_KEY = "sa_language"  # the language of this session's last full run


def browser_language() -> str:
    """What the browser asks for (its Accept-Language header), among the languages we have."""
    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # no request behind this run (AppTest without headers)
        header = None
    return i18n.from_accept_language(header)


def apply(user: User | None) -> str:
    """Make the language of `user` (or of the browser, when they have not picked one) current."""
    code = user.language if user is not None and user.language else browser_language()
    st.session_state[_KEY] = code
    return i18n.set_language(code)


def restore() -> str:
    """The language of this session's last full run, current again (a fragment or callback runs alone)."""
    code = st.session_state.get(_KEY)
    return i18n.set_language(code if code else browser_language())


def file_uploader_text() -> None:
    """Say the file uploader's own words (its button and size limit, fixed in English in Streamlit's
    frontend) in the current language: the English is hidden and the translation drawn in its place."""
    limit = st.get_option("server.maxUploadSize")
    button = json.dumps(i18n._("Choose files"), ensure_ascii=False)
    size = json.dumps(i18n._("Up to {n} MB per file").format(n=limit), ensure_ascii=False)
    zone = "[data-testid='stFileUploaderDropzone']"
    label, hint = (
        f"{zone} button [data-testid='stMarkdownContainer']",
        "[data-testid='stFileUploaderDropzoneInstructions'] div",
    )
    st.html(
        f"<style>{label} p,{hint} span{{display:none}}"
        f"{label}::after{{content:{button}}}{hint}::after{{content:{size};font-size:0.875rem}}</style>"
    )
