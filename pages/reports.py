"""Reports: the user's report history (an admin sees everyone's) — file, format, created, size, download."""

from __future__ import annotations

import streamlit as st

from core import reports
from core.db import session_scope
from core.formatting import when
from ui.auth import require_user
from ui.reports import history_button

SHOWN = 100  # the newest ones; older reports stay on disk and in the table
WIDTHS = [4, 1, 2, 1, 1.4]


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1024:,.0f} KB" if size_bytes >= 1024 else f"{size_bytes} B"


def _row(entry: reports.ReportEntry, *, show_owner: bool, user) -> None:
    name, fmt, created, size, action = st.columns(WIDTHS, vertical_alignment="center")
    name.markdown(f"**{entry.file_name}**")
    if show_owner:
        name.caption(entry.owner_email)
    if not entry.current:
        name.caption(":material/history: Older data: the file was processed again since.")
    fmt.badge(entry.format.upper(), color="red" if entry.format == "pdf" else "green")
    created.write(when(entry.created_at))
    size.write(_size(entry.size_bytes))
    with action:
        history_button(entry, user)


def main() -> None:
    user = require_user()
    st.title("Reports")
    with session_scope() as session:
        entries = reports.list_reports(session, actor=user)
    if not entries:
        st.info(
            "No reports yet. Open a ready file in the Explorer or the History and press "
            "Download PDF or Download CSV.",
            icon=":material/summarize:",
        )
        st.page_link("pages/explorer.py", label="Open the Explorer", icon=":material/query_stats:")
        return
    if user.is_admin:
        st.caption("As an administrator you see the reports of every user's files.")
    st.caption(f"{len(entries)} report{'s' * (len(entries) != 1)}, newest first.")
    head = st.columns(WIDTHS)
    for col, title in zip(head, ("File", "Format", "Created", "Size", ""), strict=True):
        col.markdown(f"**{title}**" if title else "")
    for entry in entries[:SHOWN]:
        with st.container(border=True, key=f"reports_row_{entry.id}"):
            _row(entry, show_owner=user.is_admin, user=user)
    if len(entries) > SHOWN:
        st.caption(f"The {SHOWN} newest are shown.")


main()
