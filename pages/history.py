"""History: every upload of the user (an admin sees everyone's, with the owner) — open, retry, delete."""

from __future__ import annotations

import streamlit as st

from core import files
from core.db import session_scope
from core.i18n import _, fmt_decimal, ngettext
from core.models import FileStatus, SocialFile, User
from ui.auth import require_user
from ui.file_card import EMPTY_STATE, STATUS_BADGES, file_cards
from ui.reports import report_buttons

STATUS_FILTER = ("all", *FileStatus)


def _extra(user: User):
    def buttons(file: SocialFile) -> None:
        if file.status != FileStatus.READY:
            return
        if st.button(_("Open"), key=f"history_open_{file.id}", icon=":material/query_stats:", type="primary"):
            # The explorer selects the files its address names.
            st.switch_page("pages/explorer.py", query_params={"file": str(file.id)})
        report_buttons(file, user, key="history_report")

    return buttons


def listed(user: User, status: str) -> list[SocialFile]:
    with session_scope() as session:
        return files.list_files(session, actor=user, status=None if status == "all" else status)


def history(user: User, status: str) -> None:
    """The file list as the database has it; the cards of files in progress stay live."""
    found = listed(user, status)
    if not found:
        st.caption(_("No file with this status."))
        return
    st.caption(ngettext("{n} file", "{n} files", len(found)).format(n=fmt_decimal(len(found))))
    file_cards(found, user=user, key="history", extra=_extra(user))


def main() -> None:
    user = require_user()
    st.title(_("History"))
    with session_scope() as session:
        anything = files.any_file(session, actor=user)
    if not anything:
        st.info(_(EMPTY_STATE), icon=":material/upload_file:")
        st.page_link("pages/upload.py", label=_("Upload a file"), icon=":material/upload_file:")
        return
    if user.is_admin:
        st.caption(_("As an administrator you see every user's files, with their owner."))
    status = st.segmented_control(
        _("Status"), STATUS_FILTER, default="all", key="history_status",
        format_func=lambda s: _("All") if s == "all" else _(STATUS_BADGES[s][0]),
    ) or "all"  # fmt: skip
    history(user, status)


main()
