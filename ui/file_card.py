"""A file as the pages list it: status badge, facts, progress, error, how it was read, Retry and Delete."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from core import file_language, files
from core.formatting import date_range, period_label, platform_name, when
from core.i18n import N_, _, fmt_decimal, ngettext, render
from core.models import PENDING, FileStatus, SocialFile, User
from core.parsing import COLUMN_LABELS
from core.parsing.activity import LABELS as ACTIVITY_LABELS
from ui.file_actions import delete, retry
from ui.live import live_card

EMPTY_STATE = N_(
    "No files yet — upload a CSV export from YouTube, TikTok, Instagram, VK, Telegram, "
    "Facebook, X or LinkedIn."
)
STATUS_BADGES = {  # status -> (label, colour, icon)
    FileStatus.UPLOADING: (N_("Uploading"), "gray", ":material/cloud_upload:"),
    FileStatus.QUEUED: (N_("Queued"), "gray", ":material/schedule:"),
    FileStatus.PROCESSING: (N_("Processing"), "blue", ":material/autorenew:"),
    FileStatus.READY: (N_("Ready"), "green", ":material/check_circle:"),
    FileStatus.ERROR: (N_("Error"), "red", ":material/error:"),
}


def error_text(file: SocialFile) -> str | None:
    """The file's error (or retry note) in the viewer's language."""
    return file_language.error_shown(file)


def file_label(file: SocialFile, *, show_owner: bool = False) -> str:
    """How a file is named in pickers: name, platform, period (and owner for an admin)."""
    parts = [file.original_name, platform_name(file.platform or file.platform_requested)]
    if file.period_start and file.period_end:
        parts.append(date_range(file.period_start, file.period_end))
    if show_owner and file.owner is not None:
        parts.append(file.owner.email)
    return " · ".join(parts)


def file_facts(file: SocialFile, *, show_owner: bool) -> str:
    """One line of what is known about a file."""
    platform = file.platform or (None if file.platform_requested == "auto" else file.platform_requested)
    facts = [platform_name(platform)] if platform else []
    facts.append(period_label(file.period_days))
    if file.rows:
        facts.append(ngettext("{n} row", "{n} rows", file.rows).format(n=fmt_decimal(file.rows)))
    if file.period_start and file.period_end:
        facts.append(date_range(file.period_start, file.period_end))
    facts.append(_("uploaded {when}").format(when=when(file.created_at)))
    if file.account is not None:
        facts.append(_("account {name}").format(name=file.account.name))
    if show_owner and file.owner is not None:
        facts.append(_("owner {email}").format(email=file.owner.email))
    return " · ".join(facts)


def status_badge(file: SocialFile) -> None:
    """The file's status as a coloured badge."""
    label, color, icon = STATUS_BADGES.get(file.status, (file.status, "gray", None))
    st.badge(_(label), color=color, icon=icon)


def _ask_delete(key: str) -> None:
    st.session_state[key] = True


def _cancel_delete(key: str) -> None:
    st.session_state.pop(key, None)


def _delete_buttons(user: User, file: SocialFile, *, key: str) -> None:
    """Delete in two steps: the button, then an explicit confirmation."""
    confirm = f"{key}_confirm_{file.id}"
    if not st.session_state.get(confirm):
        st.button(
            _("Delete"),
            key=f"{key}_delete_{file.id}",
            icon=":material/delete:",
            on_click=_ask_delete,
            args=(confirm,),
        )
        return
    st.button(
        _("Delete for good"),
        key=f"{key}_yes_{file.id}",
        type="primary",
        icon=":material/delete_forever:",
        help=_("Removes the file with its rows, metrics and reports."),
        on_click=delete,
        args=(user, file),
    )
    st.button(_("Keep it"), key=f"{key}_no_{file.id}", on_click=_cancel_delete, args=(confirm,))


def file_card(
    file: SocialFile,
    *,
    user: User,
    key: str,
    extra: Callable[[SocialFile], None] | None = None,
) -> None:
    """A file with its status, progress, facts, full error text, warnings, Retry and Delete."""
    with st.container(border=True, key=f"{key}_card_{file.id}"):
        head, badge = st.columns([5, 1], vertical_alignment="center")
        head.markdown(f"**{file.original_name}**")
        with badge:
            status_badge(file)
        st.caption(file_facts(file, show_owner=user.is_admin and not files.owns(user, file)))
        if file.status in PENDING:
            step = (
                _("Reading and loading rows")
                if file.status == FileStatus.PROCESSING
                else _("Waiting for a worker")
            )
            st.progress(min(max(file.progress, 0), 100) / 100, text=f"{step}… {fmt_decimal(file.progress)} %")
        if file.status == FileStatus.ERROR and file.error_text:
            st.error(error_text(file), icon=":material/error:")
        elif file.status == FileStatus.PROCESSING and file.error_text:  # a transient fault, being retried
            st.warning(error_text(file), icon=":material/autorenew:")
        for warning in file.warnings or []:
            st.caption(f":material/warning: {render(warning)}")
        if file.status == FileStatus.READY and file.detection:
            reading_details(file)
        buttons = st.container(horizontal=True, key=f"{key}_buttons_{file.id}")
        with buttons:
            if file.status == FileStatus.ERROR or files.is_stale(file):
                st.button(
                    _("Retry"),
                    key=f"{key}_retry_{file.id}",
                    icon=":material/replay:",
                    on_click=retry,
                    args=(user, file),
                )
            if extra is not None:
                extra(file)
            _delete_buttons(user, file, key=key)


def file_cards(
    found: list[SocialFile], *, user: User, key: str, extra: Callable[[SocialFile], None] | None = None
) -> None:
    """Each file's card; a file in flight keeps its card live (ui.live) until it finishes."""
    for file in found:
        draw = partial(file_card, user=user, key=key, extra=extra)
        if file.status in PENDING:
            live_card(file, user=user, render=draw)
        else:
            draw(file)


def reading_details(file: SocialFile) -> None:
    """How the file was read: platform and confidence, rows as posts or days, each column's use."""
    found = file.detection or {}
    kind = _("one row per post") if file.row_kind == "posts" else _("one row per day")
    confidence = fmt_decimal(round(float(found.get("confidence", 0)) * 100))
    with st.expander(_("How this file was read"), icon=":material/table_view:"):
        st.caption(
            _("{platform} export ({confidence} % sure) · {kind} · {encoding} · delimiter {delimiter}").format(
                platform=platform_name(found.get("platform")),
                confidence=confidence,
                kind=kind,
                encoding=found.get("encoding", "?"),
                delimiter=repr(found.get("delimiter", "?")),
            )
        )
        formats = found.get("formats") or {}
        column, read_as, shape = _("Column in the file"), _("Read as"), _("Format")
        rows = [
            {
                column: source,
                read_as: _((COLUMN_LABELS | ACTIVITY_LABELS).get(target, target)),
                shape: render(formats.get(source, "")),
            }
            for source, target in (file.mapping or {}).items()
        ]
        rows += [{column: name, read_as: _("kept as is"), shape: ""} for name in found.get("unmapped") or []]
        st.dataframe(rows, hide_index=True, width="stretch", key=f"reading_{file.id}")
        for note in found.get("notes") or []:
            st.caption(render(note))
