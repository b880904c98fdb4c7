"""Streamlit helpers shared by the analytics pages: labels, KPI cards, the file status list."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import streamlit as st

from core import files, metrics
from core.config import get_settings
from core.db import session_scope
from core.models import MEASURES, PENDING, FileStatus, SocialFile, User
from core.parsing import PLATFORMS
from worker import dispatch

PERIODS: tuple[int | None, ...] = (7, 30, 90, 365, None)  # None: all of the file's data
KPI_CODES = ("views", "engagements", "er_views", "er_followers", "subs_growth", "posts")
EMPTY_STATE = (
    "No files yet — upload a CSV export from YouTube, TikTok, Instagram, VK, Telegram, "
    "Facebook, X or LinkedIn."
)
PLATFORM_NAMES = {"auto": "Detect automatically", **PLATFORMS}
STATUS_BADGES = {  # status -> (label, colour, icon)
    FileStatus.UPLOADING: ("Uploading", "gray", ":material/cloud_upload:"),
    FileStatus.QUEUED: ("Queued", "gray", ":material/schedule:"),
    FileStatus.PROCESSING: ("Processing", "blue", ":material/autorenew:"),
    FileStatus.READY: ("Ready", "green", ":material/check_circle:"),
    FileStatus.ERROR: ("Error", "red", ":material/error:"),
}
CANONICAL_LABELS = {
    "date": "Date (required)",
    "views": "Views",
    "reach": "Reach",
    "impressions": "Impressions",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "saves": "Saves",
    "posts": "Posts (count per row)",
    "subscribers": "Subscribers (the count on that date)",
    "subscribers_gained": "Subscribers gained",
    "subscribers_lost": "Subscribers lost",
    "subscribers_net": "Subscribers, net change",
    "post_id": "Post id",
    "title": "Post title",
    "url": "Post link",
    "published_at": "Publication time",
}
UNSURE_BELOW = 0.6  # detection confidence under which we ask the user to check the columns
POLL = "2s"  # how often a live list reads the database while files are in progress


def platform_options() -> list[str]:
    """The "auto" choice first, then every platform the parser knows."""
    return ["auto", *(p for p in PLATFORMS if p != "auto")]


def platform_label(code: str | None) -> str:
    """A platform code as people write it."""
    if not code:
        return "—"
    return PLATFORM_NAMES.get(code, code.capitalize())


def period_label(days: int | None) -> str:
    """The period choice in words."""
    return "All data" if days is None else f"Last {days} days"


def range_label(start, end) -> str:
    """Two dates as a readable range."""
    if start is None or end is None:
        return "—"
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def file_label(file: SocialFile, *, show_owner: bool = False) -> str:
    """How a file is named in pickers: name, platform, period (and owner for an admin)."""
    parts = [file.original_name, platform_label(file.platform or file.platform_requested)]
    if file.period_start and file.period_end:
        parts.append(range_label(file.period_start, file.period_end))
    if show_owner and file.owner is not None:
        parts.append(file.owner.email)
    return " · ".join(parts)


def when(moment: datetime | None) -> str:
    """A timestamp in UTC, to the minute."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _signed(value: Decimal, places: int) -> str:
    shown = round(value, places)
    if shown == 0:
        return "±0"  # no "-0" for a change too small to show
    text = f"{shown:+,.{places}f}"
    return text.rstrip("0").rstrip(".") if places else text


def kpi_delta(*, code: str, current, previous) -> str | None:
    """The change against the previous period: "+1,234 (+5.2 %)"; rates in points: "+0.42 pp (+8.1 %)"."""
    delta, pct = metrics.change(code=code, current=current, previous=previous)
    if delta is None:
        return None
    is_rate = metrics.BY_CODE[code].kind == "pct"
    text = _signed(delta, 2) + " pp" if is_rate else _signed(delta, 0 if delta == int(delta) else 2)
    if pct is not None:
        text += f" ({_signed(pct, 1)} %)"
    return text


def kpi_card(*, code: str, current, previous, previous_range: str) -> None:
    """One KPI as an st.metric: the value and its change against the previous period."""
    definition = metrics.BY_CODE[code]
    delta = kpi_delta(code=code, current=current, previous=previous)
    before = metrics.display(code=code, value=previous)
    st.metric(
        definition.name,
        metrics.display(code=code, value=current),
        delta=delta,
        delta_arrow="off" if delta and delta.startswith("±0 ") else "auto",
        help=f"{definition.definition} Previous period ({previous_range}): {before}.",
        border=True,
    )


def mapping_problem(choices: dict[str, str | None]) -> str | None:
    """Why a column assignment {canonical: source header} cannot be used, or None."""
    if not choices.get("date"):
        return "Choose the column that holds the date."
    if not any(choices.get(m) for m in MEASURES):
        return "Choose at least one column with numbers (views, likes, subscribers…)."
    used = [h for h in choices.values() if h]
    twice = sorted({h for h in used if used.count(h) > 1})
    if twice:
        return f'The column "{twice[0]}" is assigned twice; give each column one meaning.'
    return None


def is_unsure(file: SocialFile) -> bool:
    """Whether the user should check how the columns were read (an error, or a weak guess)."""
    if file.status == FileStatus.ERROR:
        return True
    detection = file.detection or {}
    return file.status == FileStatus.READY and float(detection.get("confidence", 1)) < UNSURE_BELOW


def status_badge(file: SocialFile) -> None:
    """The file's status as a coloured badge."""
    label, color, icon = STATUS_BADGES.get(file.status, (file.status, "gray", None))
    st.badge(label, color=color, icon=icon)


def is_stale(file: SocialFile, *, now: datetime | None = None) -> bool:
    """A pending file that has shown no sign of life for a while (its worker may be gone)."""
    if file.status not in PENDING:
        return False
    seen = file.heartbeat_at or file.created_at
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    # The same silence after which the worker's recovery queues the file again.
    return (now or datetime.now(UTC)) - seen > timedelta(seconds=get_settings().worker_stuck_after_s)


def file_facts(file: SocialFile, *, show_owner: bool) -> str:
    """One line of what is known about a file."""
    platform = file.platform or (None if file.platform_requested == "auto" else file.platform_requested)
    facts = [platform_label(platform)] if platform else []
    facts.append(period_label(file.period_days))
    if file.rows:
        facts.append(f"{file.rows:,} rows")
    if file.period_start and file.period_end:
        facts.append(range_label(file.period_start, file.period_end))
    facts.append(f"uploaded {when(file.created_at)}")
    if show_owner and file.owner is not None:
        facts.append(f"owner {file.owner.email}")
    return " · ".join(facts)


def _ask_delete(key: str) -> None:
    st.session_state[key] = True


def _cancel_delete(key: str) -> None:
    st.session_state.pop(key, None)


def _delete_buttons(user: User, file: SocialFile, *, key: str) -> None:
    """Delete in two steps: the button, then an explicit confirmation."""
    confirm = f"{key}_confirm_{file.id}"
    if not st.session_state.get(confirm):
        st.button(
            "Delete",
            key=f"{key}_delete_{file.id}",
            icon=":material/delete:",
            on_click=_ask_delete,
            args=(confirm,),
        )
        return
    st.button(
        "Delete for good",
        key=f"{key}_yes_{file.id}",
        type="primary",
        icon=":material/delete_forever:",
        help="Removes the file with its rows, metrics and reports.",
        on_click=delete,
        args=(user, file),
    )
    st.button("Keep it", key=f"{key}_no_{file.id}", on_click=_cancel_delete, args=(confirm,))


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
        st.caption(file_facts(file, show_owner=user.is_admin and not owns(user, file)))
        if file.status in PENDING:
            step = (
                "Reading and loading rows" if file.status == FileStatus.PROCESSING else "Waiting for a worker"
            )
            st.progress(min(max(file.progress, 0), 100) / 100, text=f"{step}… {file.progress} %")
        if file.status == FileStatus.ERROR and file.error_text:
            st.error(file.error_text, icon=":material/error:")
        elif file.status == FileStatus.PROCESSING and file.error_text:  # a transient fault, being retried
            st.warning(file.error_text, icon=":material/autorenew:")
        for warning in file.warnings or []:
            st.caption(f":material/warning: {warning}")
        if file.status == FileStatus.READY and file.detection:
            reading_details(file)
        buttons = st.container(horizontal=True, key=f"{key}_buttons_{file.id}")
        with buttons:
            if file.status == FileStatus.ERROR or is_stale(file):
                st.button(
                    "Retry",
                    key=f"{key}_retry_{file.id}",
                    icon=":material/replay:",
                    on_click=retry,
                    args=(user, file),
                )
            if extra is not None:
                extra(file)
            _delete_buttons(user, file, key=key)


def reading_details(file: SocialFile) -> None:
    """How the file was read: platform and confidence, rows as posts or days, each column's use."""
    found = file.detection or {}
    kind = "one row per post" if file.row_kind == "posts" else "one row per day"
    confidence = float(found.get("confidence", 0))
    with st.expander("How this file was read", icon=":material/table_view:"):
        st.caption(
            f"{platform_label(found.get('platform'))} export ({confidence:.0%} sure) · {kind} · "
            f"{found.get('encoding', '?')} · delimiter {found.get('delimiter', '?')!r}"
        )
        formats = found.get("formats") or {}
        rows = [
            {
                "Column in the file": source,
                "Read as": CANONICAL_LABELS.get(target, target),
                "Format": formats.get(source, ""),
            }
            for source, target in (file.mapping or {}).items()
        ]
        rows += [
            {"Column in the file": name, "Read as": "kept as is", "Format": ""}
            for name in found.get("unmapped") or []
        ]
        st.dataframe(rows, hide_index=True, width="stretch", key=f"reading_{file.id}")
        for note in found.get("notes") or []:
            st.caption(note)


def kpi_grid(result: metrics.MetricResult) -> None:
    """The six KPI cards of the dashboard in a 3 × 2 grid."""
    previous_range = range_label(result.previous_start, result.previous_end)
    for row in (KPI_CODES[:3], KPI_CODES[3:]):
        for col, code in zip(st.columns(3), row, strict=True):
            with col:
                kpi_card(
                    code=code,
                    current=result.current.get(code),
                    previous=result.previous.get(code),
                    previous_range=previous_range,
                )
    if any(result.current.get(code) is None for code in KPI_CODES):
        st.caption("— : this export has no column for that figure (or no rows in the period).")


def live(body: Callable[..., bool], *, polling: bool) -> Callable[..., None]:
    """`body` as a fragment that rereads the database every 2 s while `polling` (files in progress).

    `body` returns whether files are still in progress; when none is left, the whole page runs
    again once, which stops the polling (and refreshes what depends on the finished files)."""

    @functools.wraps(body)  # the fragment's identity is its body's name
    def run(*args) -> None:
        if not body(*args) and polling:
            st.rerun()

    return st.fragment(run, run_every=POLL if polling else None)


def owns(user: User, file: SocialFile) -> bool:
    """Whether `user` uploaded `file` (an admin sees others' files, marked with their owner)."""
    return file.user_id == user.id


def hand_to_worker(*file_ids) -> None:
    """Enqueue each file; say so when the broker is unreachable (the file waits, queued, for recovery)."""
    unreachable = [fid for fid in file_ids if not dispatch.enqueue_file(fid)]
    if unreachable:
        st.warning(
            "The background worker cannot be reached right now. Your file is saved and queued; "
            "it will be processed as soon as the worker is back.",
            icon=":material/cloud_off:",
        )


def retry(user: User, file: SocialFile) -> None:
    """Queue the file again from scratch and hand it to the worker (after the commit)."""
    try:
        with session_scope() as session:
            files.retry_file(session, actor=user, file_id=file.id)
    except files.FileNotFound:
        st.toast("That file no longer exists.", icon=":material/error:")
        return
    hand_to_worker(file.id)
    st.toast(f"{file.original_name}: queued again.", icon=":material/autorenew:")


def delete(user: User, file: SocialFile) -> None:
    """Delete the file with its rows, metrics, reports and stored bytes."""
    try:
        with session_scope() as session:
            files.delete_file(session, actor=user, file_id=file.id)
    except files.FileNotFound:
        pass  # already gone: the list shows that on this rerun
    st.toast(f"{file.original_name}: deleted.", icon=":material/delete:")
