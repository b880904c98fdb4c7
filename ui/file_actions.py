"""What a user does to a file from its card: hand it to the worker, retry it, delete it (with a toast)."""

from __future__ import annotations

import streamlit as st

from core import files, live_status
from core.db import session_scope
from core.i18n import _
from core.models import SocialFile, User
from worker import dispatch


def hand_to_worker(*file_ids) -> None:
    """Enqueue each file; say so when the broker is unreachable (the file waits, queued, for recovery)."""
    unreachable = [fid for fid in file_ids if not dispatch.enqueue_file(fid)]
    if unreachable:
        st.warning(
            _(
                "The background worker cannot be reached right now. Your file is saved and queued; "
                "it will be processed as soon as the worker is back."
            ),
            icon=":material/cloud_off:",
        )


def retry(user: User, file: SocialFile) -> None:
    """Queue the file again from scratch and hand it to the worker (after the commit)."""
    try:
        with session_scope() as session:
            files.retry_file(session, actor=user, file_id=file.id)
    except files.FileNotFound:
        st.toast(_("That file no longer exists."), icon=":material/error:")
        return
    live_status.board.forget()  # a live card shows it queued at once
    hand_to_worker(file.id)
    st.toast(_("{name}: queued again.").format(name=file.original_name), icon=":material/autorenew:")


def delete(user: User, file: SocialFile) -> None:
    """Delete the file with its rows, metrics, reports and stored bytes."""
    try:
        with session_scope() as session:
            files.delete_file(session, actor=user, file_id=file.id)
    except files.FileNotFound:
        pass  # already gone: the list shows that on this rerun
    live_status.board.forget()  # a live card sees at once that its file has gone, and redraws the page
    st.toast(_("{name}: deleted.").format(name=file.original_name), icon=":material/delete:")
