"""Reports: scheduled delivery (ui/schedules.py) and the history of built reports — a file's, an
account's or a brand's — to download again (an admin sees everyone's)."""

from __future__ import annotations

import streamlit as st

from core import reports
from core.db import session_scope
from core.formatting import platform_name
from core.i18n import _, fmt_date, fmt_decimal, ngettext
from ui.auth import require_user
from ui.reports import history_button
from ui.schedules import schedules_section, utc_moment

SHOWN = 100  # the newest ones; older reports stay on disk and in the table
WIDTHS = [4, 1, 2, 1, 1.4]


def _size(size_bytes: int) -> str:
    if size_bytes >= 1024:
        return _("{n} KB").format(n=fmt_decimal(round(size_bytes / 1024)))
    return _("{n} B").format(n=fmt_decimal(size_bytes))


def _title(entry: reports.ReportEntry) -> tuple[str, str | None]:
    """What the report is of, and (for an account or a brand) its range."""
    if entry.kind == "file":
        return entry.file_name, None
    if entry.kind == "brand":
        name = _("{name} (brand)").format(name=entry.file_name)
    else:
        name = _("{name} ({platform} account)").format(
            name=entry.file_name, platform=platform_name(entry.platform)
        )
    return name, f"{fmt_date(entry.range_start)} – {fmt_date(entry.range_end)}"


def _row(entry: reports.ReportEntry, *, show_owner: bool, user) -> None:
    name, fmt, created, size, action = st.columns(WIDTHS, vertical_alignment="center")
    title, span = _title(entry)
    name.markdown(f"**{title}**" + (f" · {span}" if span else ""))
    if show_owner:
        name.caption(entry.owner_email)
    if not entry.current:
        name.caption(":material/history: " + _("Older data: the file was processed again since."))
    fmt.badge(entry.format.upper(), color="red" if entry.format == "pdf" else "green")
    created.write(utc_moment(entry.created_at))
    size.write(_size(entry.size_bytes))
    with action:
        history_button(entry, user)


def history(user) -> None:
    st.subheader(_("Built reports"))
    with session_scope() as session:
        entries = reports.list_reports(session, actor=user)
    if not entries:
        st.info(
            _(
                "No reports yet. Open a file, an account or a brand in the Explorer and press Download PDF or Download CSV."
            ),
            icon=":material/summarize:",
        )
        st.page_link("pages/explorer.py", label=_("Open the Explorer"), icon=":material/query_stats:")
        return
    if user.is_admin:
        st.caption(_("As an administrator you see the reports of every user."))
    st.caption(
        ngettext("{n} report, newest first.", "{n} reports, newest first.", len(entries)).format(
            n=fmt_decimal(len(entries))
        )
    )
    head = st.columns(WIDTHS)
    for col, title in zip(head, (_("Report"), _("Format"), _("Created"), _("Size"), ""), strict=True):
        col.markdown(f"**{title}**" if title else "")
    for entry in entries[:SHOWN]:
        with st.container(border=True, key=f"reports_row_{entry.id}"):
            _row(entry, show_owner=user.is_admin, user=user)
    if len(entries) > SHOWN:
        st.caption(_("The {n} newest are shown.").format(n=SHOWN))


def main() -> None:
    user = require_user()
    st.title(_("Reports"))
    schedules_section(user)
    history(user)


main()
