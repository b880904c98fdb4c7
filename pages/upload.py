"""Upload: send CSV exports, watch them process live, and assign columns when detection is unsure.

The page stores each file and hands it to the worker; it never parses a file (the mapping screen
asks core.parsing for its guess from the header only).
"""

from __future__ import annotations

import streamlit as st

from core import accounts, files, quotas, uploads
from core.db import session_scope
from core.formatting import period_label, platform_name
from core.i18n import _, ngettext
from core.models import PENDING, FileStatus, SocialFile, User
from core.parsing import PLATFORMS
from ui import language
from ui.auth import require_user
from ui.chart_warmup import plotly_warmup
from ui.column_mapping import MAPPING, mapping_screen
from ui.file_actions import hand_to_worker
from ui.file_card import file_cards

SHOWN = 10  # the newest uploads the status list shows; History has them all
PLATFORM_CHOICES = ["auto", *PLATFORMS]  # "auto" first, then every platform the parser knows
PERIODS: tuple[int | None, ...] = (7, 30, 90, 365, None)  # None: all of the file's data


DETECT = "detect"  # the account picker's default: the account the export names, else the usual rules


def _account_options(user: User) -> dict[str, str]:
    """{choice: label} for the account picker: detection first, then the user's own accounts."""
    with session_scope() as session:
        mine = accounts.list_accounts(session, actor=user)
        options = {DETECT: _("The account the export names (or a new one)")}
        options |= {str(a.id): f"{a.name} · {platform_name(a.platform)}" for a in mine}
    return options


def submit(
    user: User, picked: list, *, platform: str, period_days: int | None, account: str, new_name: str
) -> None:
    """Store every upload, then hand each one to the worker once its row is committed."""
    queued = []
    target = {"account_name": new_name.strip()} if new_name.strip() else {}
    if not target and account != DETECT:
        target = {"account_id": int(account)}
    for upload in picked:
        try:
            with session_scope() as session:
                file = uploads.create_upload(
                    session,
                    actor=user,
                    name=upload.name,
                    data=upload,
                    platform=platform,
                    period_days=period_days,
                    **target,
                )
                queued.append(file.id)
        except uploads.DuplicateUpload as exc:
            st.warning(
                _("{name}: {problem} Nothing new was stored.").format(name=upload.name, problem=exc),
                icon=":material/content_copy:",
            )
            st.page_link(
                "pages/explorer.py",
                label=_("Open {name}").format(name=exc.duplicate.name),
                icon=":material/query_stats:",
                query_params={"file": str(exc.duplicate.file_id)},
            )
        except (
            uploads.UploadRejected,
            quotas.QuotaExceeded,
            accounts.AccountNotFound,
            accounts.AccountError,
        ) as exc:
            st.error(f"{upload.name}: {exc}", icon=":material/block:")
    hand_to_worker(*queued)
    if queued:
        text = ngettext("{n} file queued.", "{n} files queued.", len(queued)).format(n=len(queued))
        st.toast(text, icon=":material/upload_file:")


def upload_form(user: User) -> None:
    language.file_uploader_text()
    with st.form("upload_form", clear_on_submit=True, border=True):
        picked = st.file_uploader(
            _("CSV exports"),
            type=None,  # the parser names what a wrong file is ("a PDF document…"), better than a refusal
            accept_multiple_files=True,
            key="upload_files",
            help=_(
                "Export the statistics from YouTube Studio, TikTok, Instagram, VK, Telegram, Facebook, X or "
                "LinkedIn as CSV (or Excel .xlsx) and drop one or several files here."
            ),
        )
        left, right = st.columns(2)
        platform = left.selectbox(
            _("Platform"), PLATFORM_CHOICES, format_func=platform_name, key="upload_platform"
        )
        period = right.selectbox(
            _("Period"),
            PERIODS,
            index=1,
            format_func=period_label,
            key="upload_period",
            help=_(
                "Metrics cover the last days of the file's data, compared with the same number of days before."
            ),
        )
        options = _account_options(user)
        left, right = st.columns(2)
        account = left.selectbox(
            _("Account"),
            list(options),
            format_func=options.get,
            key="upload_account",
            help=_("The channel these exports are of. Exports of one account join into one timeline."),
        )
        new_name = right.text_input(
            _("Or a new account"),
            key="upload_new_account",
            placeholder=_("e.g. Acme on YouTube"),
            max_chars=200,
        )
        sent = st.form_submit_button(
            _("Upload files"), type="primary", icon=":material/upload:", key="upload_submit"
        )
    if sent and not picked:
        st.warning(_("Choose at least one file first."))
    elif sent:
        submit(user, picked, platform=platform, period_days=period, account=account, new_name=new_name)


def _map_button(file: SocialFile) -> None:
    if not files.is_unsure(file):
        return
    label = _("Assign columns") if file.status == FileStatus.ERROR else _("Check columns")
    if st.button(label, key=f"upload_map_{file.id}", icon=":material/table_edit:"):
        st.session_state[MAPPING] = str(file.id)
        st.rerun()  # the whole page: the mapping screen is outside this fragment


def my_uploads(user: User) -> list[SocialFile]:
    """The user's newest uploads (an admin's own too: everyone's are in History)."""
    with session_scope() as session:
        return files.recent_own(session, actor=user, limit=SHOWN)


def status_list(user: User) -> None:
    """The user's newest uploads as the database has them; the cards of those in progress stay live."""
    mine = my_uploads(user)
    if not mine:
        st.caption(_("Your uploads appear here as soon as you send them."))
        return
    st.subheader(_("Your uploads"))
    file_cards(mine, user=user, key="upload", extra=_map_button)
    if any(f.status in PENDING for f in mine):
        st.caption(_("Updates every second. You can leave this page: processing carries on."))
        plotly_warmup()  # off screen, while the file is processed: the Explorer finds plotly.js loaded


def main() -> None:
    user = require_user()
    st.title(_("Upload"))
    upload_form(user)
    if file_id := st.session_state.get(MAPPING):
        mapping_screen(user, file_id)
    status_list(user)


main()
