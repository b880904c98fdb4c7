"""Home: KPI cards of the newest ready file against the previous period, and files still processing."""

from __future__ import annotations

import streamlit as st

from core import files, metrics
from core.db import session_scope
from core.models import PENDING, FileStatus, User
from ui import widgets
from ui.auth import require_user

_SEEN = "dash_pending_ids"  # the pending files the last poll saw; one fewer means a file finished


def _pending_files(user: User) -> list:
    with session_scope() as session:
        return [f for f in files.list_files(session, actor=user) if f.status in PENDING]


def processing(user: User) -> bool:
    """Files still processing, with their progress; refreshes the cards when one finishes."""
    pending = _pending_files(user)
    ids = {f.id for f in pending}
    before = st.session_state.get(_SEEN)
    st.session_state[_SEEN] = ids
    if before is not None and before - ids:
        st.rerun()  # a file finished: its KPIs may now be the newest
    if not pending:
        return False
    st.subheader("Processing")
    for file in pending:
        with st.container(border=True, key=f"dash_pending_{file.id}"):
            st.markdown(f"**{file.original_name}** · {widgets.platform_label(file.platform_requested)}")
            text = (
                "Reading and loading rows" if file.status == FileStatus.PROCESSING else "Waiting for a worker"
            )
            st.progress(file.progress / 100, text=f"{text}… {file.progress} %")
            if file.status == FileStatus.PROCESSING and file.error_text:  # a transient fault, being retried
                st.caption(f":material/autorenew: {file.error_text}")
    return True


def kpis(user: User) -> bool:
    """The KPI cards of the newest ready file; False when there is none."""
    with session_scope() as session:
        file = files.latest_ready(session, actor=user)
        result = metrics.load(session, file=file) if file is not None else None
    if file is None or result is None:
        return False
    st.subheader(file.original_name)
    owner = "" if widgets.owns(user, file) else f" · uploaded by {file.owner.email}"
    st.caption(
        f"{widgets.platform_label(file.platform)} · {widgets.range_label(result.period_start, result.period_end)}"
        f", compared with {widgets.range_label(result.previous_start, result.previous_end)}{owner}"
    )
    widgets.kpi_grid(result)
    st.page_link(
        "pages/explorer.py",
        label="Explore this file",
        icon=":material/query_stats:",
        query_params={"file": str(file.id)},
    )
    return True


def main() -> None:
    user = require_user()
    st.title("Dashboard")
    shown = kpis(user)
    widgets.live(processing, polling=bool(_pending_files(user)))(user)
    if shown:
        return
    with session_scope() as session:
        has_files = bool(files.list_files(session, actor=user))
    if has_files:
        st.info("None of your files is ready yet. Processing files appear above; errors are in History.")
    else:
        st.info(widgets.EMPTY_STATE, icon=":material/upload_file:")
    st.page_link("pages/upload.py", label="Upload a file", icon=":material/upload_file:")


main()
