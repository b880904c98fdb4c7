"""Explorer: one file, or several side by side — charts by day, week or month, top posts, every metric.

The data comes from core.explore (through ui.explorer_data's session cache): at most one point per
bucket reaches the browser, whatever the size of the file.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from core import analytics, files, presets
from core.db import session_scope
from core.explore import View
from core.i18n import N_, _, get_language
from core.models import FileStatus, SocialFile, User
from ui import account_explorer, charts
from ui.address_picker import address_picker
from ui.auth import require_user
from ui.explorer_charts import DATE_INPUT, charts_section, grain_picker, top_label, top_posts_table
from ui.explorer_data import load_views
from ui.file_card import file_label
from ui.reports import report_buttons

PICK = "explorer_files"  # the file picker
ADDRESS = "file"  # ?file=<id>&file=<id>: the files on show, in the address
_ASKED = "explorer_asked"  # the address's files already applied to the picker
MAX_FILES = 4


def ready_files(user: User) -> list[SocialFile]:
    with session_scope() as session:
        return files.list_files(session, actor=user, status=FileStatus.READY)


def pick(user: User, ready: list[SocialFile]) -> list[str]:
    """The file picker; the address follows it, so a view can be bookmarked or shared."""
    labels = {str(f.id): file_label(f, show_owner=user.is_admin and not files.owns(user, f)) for f in ready}
    chosen = address_picker(
        _("Files"),
        labels,
        wanted=st.query_params.get_all(ADDRESS),  # ?file=<id>, as History's Open sends
        key=PICK,
        asked_key=_ASKED,
        limit=MAX_FILES,
        missing=_(
            "That file is not available: it may still be processing, have been deleted, or not be yours."
        ),
        help=_("Pick two or more to compare them side by side: two platforms, or two periods."),
    )
    st.query_params[ADDRESS] = chosen
    return chosen


def date_range(file: SocialFile, first: date, last: date, *, col) -> tuple[date, date]:
    """The file's date range picker; its default is the file's period."""
    default = (max(file.period_start or first, first), min(file.period_end or last, last))
    with col:
        picked = st.date_input(
            file.original_name,
            value=default,
            format=DATE_INPUT[get_language()],
            min_value=first,
            max_value=last,
            key=f"explorer_range_{file.id}",
        )
    if isinstance(picked, tuple) and len(picked) == 2:
        return picked
    return default  # the user has picked a start but not yet an end


def top_table(view: View) -> None:
    top_posts_table(view.top, key=f"explorer_top_{view.file.id}")


def top_section(views: list[View]) -> None:
    with_posts = [v for v in views if v.file.row_kind == "posts"]
    if not with_posts:
        return
    st.subheader(_("Top posts"))
    for view in with_posts:
        if len(with_posts) > 1:
            st.markdown(f"**{view.label}**")
        top_table(view)


MODES = {"accounts": N_("Accounts and brands"), "files": N_("Single files")}


def mode() -> str:
    """Accounts and brands, unless the address asks for files (?file=<id> from History, or ?view=files)."""
    asked = st.query_params.get("view") or ("files" if st.query_params.get_all(ADDRESS) else "accounts")
    if st.session_state.get("explorer_view_asked") != asked:
        st.session_state["explorer_view_asked"] = st.session_state["explorer_view"] = asked
    chosen = (
        st.segmented_control(_("Show"), list(MODES), format_func=lambda m: _(MODES[m]), key="explorer_view")
        or asked
    )
    st.query_params["view"] = chosen
    return chosen


def main() -> None:
    user = require_user()
    st.title(_("Explorer"))
    if mode() == "accounts":
        account_explorer.render(user)
        return
    ready = ready_files(user)
    if not ready:
        st.info(
            _("No file is ready to explore yet. Upload a CSV export first; it appears here once processed.")
        )
        st.page_link("pages/upload.py", label=_("Upload a file"), icon=":material/upload_file:")
        return
    chosen = pick(user, ready)
    if not chosen:
        st.info(_("Pick a file to explore."))
        return
    by_id = {str(f.id): f for f in ready}
    has_posts = any(by_id[file_id].row_kind == "posts" for file_id in chosen)
    grain_col, order_col, align_col = st.columns([2, 2, 2], vertical_alignment="bottom")
    order = "views"
    if has_posts:
        order = order_col.selectbox(
            _("Top posts by"), analytics.TOP_ORDERS, format_func=top_label, key="explorer_top_order"
        )
    align = len(chosen) > 1 and align_col.toggle(_("Align periods"), key="explorer_align",
                                                 help=_("Put the periods on top of each other: day 1, day 2, …"))  # fmt: skip
    spans = []
    for col, file_id in zip(st.columns(len(chosen)), chosen, strict=True):
        with session_scope() as session:
            file = files.get_file(session, actor=user, file_id=file_id)
            first, last = analytics.date_bounds(session, file=file)
        spans.append((file, *date_range(file, first, last, col=col)))
        with col:
            report_buttons(file, user, key="explorer_report")
    grain = grain_picker(grain_col, presets.grain_of_longest([(start, end) for _file, start, end in spans]))
    views = load_views(user, spans, grain=grain, order=order)
    per = "post" if all(v.file.row_kind == "posts" for v in views) else "day"
    charts_section(
        {v.label: v.series for v in views},
        {v.label: v.weekdays for v in views},
        per=per,
        grain=grain,
        align=align,
        partial={v.label: presets.partial_buckets(grain=grain, start=v.start, end=v.end) for v in views},
    )
    top_section(views)
    st.subheader(_("All metrics"))
    st.caption(_("Over each file's date range. Hover a metric's name for its definition."))
    st.html(charts.metric_table({v.label: v.values for v in views}))


main()
