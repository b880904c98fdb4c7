"""Upload: send CSV exports, watch them process live, and assign columns when detection is unsure.

The page stores each file and hands it to the worker; it never parses a file (the mapping screen
asks core.parsing for its guess from the header only).
"""

from __future__ import annotations

import streamlit as st

from core import accounts, files, quotas, storage
from core.db import session_scope
from core.formatting import period_label, platform_name
from core.models import PENDING, FileStatus, SocialFile, User
from core.parsing import COLUMN_LABELS, PLATFORMS, ReadOptions, mapping_problem
from core.parsing.preview import preview
from core.parsing.types import DATE_ORDERS, DECIMAL_NAMES, DELIMITER_NAMES, ENCODINGS
from ui.auth import require_user
from ui.file_actions import hand_to_worker
from ui.file_card import file_card
from ui.live import live

MAPPING = "upload_mapping_file"  # the file whose columns the user is assigning
SHOWN = 10  # the newest uploads the status list shows; History has them all
PLATFORM_CHOICES = ["auto", *PLATFORMS]  # "auto" first, then every platform the parser knows
PERIODS: tuple[int | None, ...] = (7, 30, 90, 365, None)  # None: all of the file's data


DETECT = "detect"  # the account picker's default: the account the export names, else the usual rules


def _account_options(user: User) -> dict[str, str]:
    """{choice: label} for the account picker: detection first, then the user's own accounts."""
    with session_scope() as session:
        mine = accounts.list_accounts(session, actor=user)
        options = {DETECT: "The account the export names (or a new one)"}
        options |= {str(a.id): f"{a.name} · {platform_name(a.platform)}" for a in mine}
    return options


def submit(
    user: User, uploads: list, *, platform: str, period_days: int | None, account: str, new_name: str
) -> None:
    """Store every upload, then hand each one to the worker once its row is committed."""
    queued = []
    target = {"account_name": new_name.strip()} if new_name.strip() else {}
    if not target and account != DETECT:
        target = {"account_id": int(account)}
    for upload in uploads:
        try:
            with session_scope() as session:
                file = files.create_upload(
                    session,
                    actor=user,
                    name=upload.name,
                    data=upload,
                    platform=platform,
                    period_days=period_days,
                    **target,
                )
                queued.append(file.id)
        except files.DuplicateUpload as exc:
            st.warning(f"{upload.name}: {exc} Nothing new was stored.", icon=":material/content_copy:")
            st.page_link(
                "pages/explorer.py",
                label=f"Open {exc.duplicate.name}",
                icon=":material/query_stats:",
                query_params={"file": str(exc.duplicate.file_id)},
            )
        except (
            files.UploadRejected,
            quotas.QuotaExceeded,
            accounts.AccountNotFound,
            accounts.AccountError,
        ) as exc:
            st.error(f"{upload.name}: {exc}", icon=":material/block:")
    hand_to_worker(*queued)
    if queued:
        st.toast(f"{len(queued)} file{'s' * (len(queued) > 1)} queued.", icon=":material/upload_file:")


def upload_form(user: User) -> None:
    with st.form("upload_form", clear_on_submit=True, border=True):
        uploads = st.file_uploader(
            "CSV exports",
            type=None,  # the parser names what a wrong file is ("a PDF document…"), better than a refusal
            accept_multiple_files=True,
            key="upload_files",
            help="Export the statistics from YouTube Studio, TikTok, Instagram, VK, Telegram, Facebook, X or "
            "LinkedIn as CSV (or Excel .xlsx) and drop one or several files here.",
        )
        left, right = st.columns(2)
        platform = left.selectbox(
            "Platform", PLATFORM_CHOICES, format_func=platform_name, key="upload_platform"
        )
        period = right.selectbox(
            "Period",
            PERIODS,
            index=1,
            format_func=period_label,
            key="upload_period",
            help="Metrics cover the last days of the file's data, compared with the same number of days before.",
        )
        options = _account_options(user)
        left, right = st.columns(2)
        account = left.selectbox(
            "Account",
            list(options),
            format_func=options.get,
            key="upload_account",
            help="The channel these exports are of. Exports of one account join into one timeline.",
        )
        new_name = right.text_input(
            "Or a new account", key="upload_new_account", placeholder="e.g. Acme on YouTube", max_chars=200
        )
        sent = st.form_submit_button("Upload", type="primary", icon=":material/upload:", key="upload_submit")
    if sent and not uploads:
        st.warning("Choose at least one file first.")
    elif sent:
        submit(user, uploads, platform=platform, period_days=period, account=account, new_name=new_name)


def _map_button(file: SocialFile) -> None:
    if not files.is_unsure(file):
        return
    label = "Assign columns" if file.status == FileStatus.ERROR else "Check columns"
    if st.button(label, key=f"upload_map_{file.id}", icon=":material/table_edit:"):
        st.session_state[MAPPING] = str(file.id)
        st.rerun()  # the whole page: the mapping screen is outside this fragment


def my_uploads(user: User) -> list[SocialFile]:
    """The user's newest uploads (an admin's own too: everyone's are in History)."""
    with session_scope() as session:
        return files.recent_own(session, actor=user, limit=SHOWN)


def status_list(user: User) -> bool:
    """The user's newest uploads as the database has them; True while some are in progress."""
    mine = my_uploads(user)
    if not mine:
        st.caption("Your uploads appear here as soon as you send them.")
        return False
    st.subheader("Your uploads")
    for file in mine:
        file_card(file, user=user, key="upload", extra=_map_button)
    pending = any(f.status in PENDING for f in mine)
    if pending:
        st.caption("Updates every 2 seconds. You can leave this page: processing carries on.")
    return pending


def _close_mapping() -> None:
    st.session_state.pop(MAPPING, None)


def _read_options(file: SocialFile) -> ReadOptions:
    """Delimiter, decimal mark, encoding and date order: detected unless the user picks one."""
    saved = file.read_options or {}
    choices = (
        ("delimiter", "Delimiter", DELIMITER_NAMES),
        ("decimal", "Decimal mark", DECIMAL_NAMES),
        ("encoding", "Encoding", ENCODINGS),
        ("date_order", "Date order", DATE_ORDERS),
    )
    cols = st.columns(4)
    picked = {
        name: cols[i].selectbox(
            label,
            [None, *names],
            index=[None, *names].index(saved.get(name)) if saved.get(name) in names else 0,
            format_func=lambda v, names=names: "Detected" if v is None else names[v],
            key=f"upload_read_{file.id}_{name}",
        )
        for i, (name, label, names) in enumerate(choices)
    }
    return ReadOptions.from_dict(picked)


def _suggestion(user: User, file_id: str):
    """(file, options, preview) for the mapping screen; shows why and returns None when it can't be made."""
    try:
        with session_scope() as session:
            file = files.get_file(session, actor=user, file_id=file_id)
    except files.FileNotFound:
        _close_mapping()
        return None
    st.subheader(f"Assign the columns of {file.original_name}")
    options = _read_options(file)
    try:
        with storage.get_store().local_path(file.path) as path:
            shown = preview(
                path,
                platform=file.platform_requested or "auto",
                mapping=file.mapping_override,
                options=options,
            )
    except OSError:
        shown = None
        st.error(f"{file.original_name}: the stored file is missing; upload it again.")
    if shown is not None and shown.detection is not None:
        return file, options, shown
    if shown is not None:
        st.error(f"{file.original_name}: {shown.problem}")
    st.button("Close", key="upload_map_close", on_click=_close_mapping)
    return None


def _preview(shown) -> None:
    """The first rows as they will be read with these choices, or why they cannot be."""
    if shown.problem:
        st.warning(shown.problem, icon=":material/preview:")
    elif shown.rows:
        st.caption("The first rows as they will be read:")
        table = [{k: str(v) for k, v in row.items()} for row in shown.rows]
        st.dataframe(table, hide_index=True, key="upload_map_preview")
    for warning in shown.warnings:
        st.caption(warning)


def mapping_screen(user: User, file_id: str) -> None:
    """Which column of the file holds the date, the views, …: the user decides, the worker reads again."""
    found = _suggestion(user, file_id)
    if found is None:
        return
    file, options, shown = found
    detection = shown.detection
    _preview(shown)
    headers = list(dict.fromkeys([*detection.mapping, *detection.unmapped]))
    by_canonical = {c: h for h, c in {**detection.mapping, **(file.mapping_override or {})}.items()}
    st.caption(
        f"We read it as {platform_name(detection.platform)} (confidence {detection.confidence:.0%}). "
        "Pick the column of your file that holds each figure; leave the rest empty. Other columns are kept."
    )
    with st.form("upload_mapping_form", border=True):
        cols = st.columns(3)
        choices = {
            canonical: cols[i % 3].selectbox(
                label,
                [None, *headers],
                index=headers.index(by_canonical[canonical]) + 1
                if by_canonical.get(canonical) in headers
                else 0,
                format_func=lambda h: "— none —" if h is None else h,
                key=f"upload_map_{file.id}_{canonical}",
            )
            for i, (canonical, label) in enumerate(COLUMN_LABELS.items())
        }
        go, cancel = st.columns([1, 5])
        done = go.form_submit_button("Process again", type="primary", key="upload_map_submit")
        stop = cancel.form_submit_button("Cancel", key="upload_map_cancel")
    if stop:
        _close_mapping()
        st.rerun()
    if done:
        apply_mapping(user, file, choices, options)


def apply_mapping(
    user: User, file: SocialFile, choices: dict[str, str | None], options: ReadOptions | None = None
) -> None:
    problem = mapping_problem(choices)
    if problem:
        st.error(problem)
        return
    mapping = {header: canonical for canonical, header in choices.items() if header}
    try:
        with session_scope() as session:
            files.set_mapping(
                session,
                actor=user,
                file_id=file.id,
                mapping=mapping,
                read_options=options.as_dict() if options else None,
            )
    except files.FileNotFound:
        st.error("That file no longer exists.")
    else:
        hand_to_worker(file.id)
        st.toast(f"{file.original_name}: processing again with your columns.", icon=":material/autorenew:")
    _close_mapping()
    st.rerun()


def main() -> None:
    user = require_user()
    st.title("Upload")
    upload_form(user)
    if file_id := st.session_state.get(MAPPING):
        mapping_screen(user, file_id)
    polling = any(f.status in PENDING for f in my_uploads(user))
    live(status_list, polling=polling)(user)  # the live status: polls while files are in progress


main()
