"""Home: the user's accounts as cards grouped by brand (latest 28 days vs the 28 before), and files in progress."""

from __future__ import annotations

import streamlit as st

from core import files, overview
from core.db import session_scope
from core.formatting import date_range, platform_name
from core.i18n import _, fmt_decimal
from core.models import FileStatus, User
from ui.auth import require_user
from ui.chart_warmup import plotly_warmup
from ui.explorer_prefetch import prefetch
from ui.file_card import EMPTY_STATE, error_text
from ui.kpis import kpi_card
from ui.live import live_card


def _pending_files(user: User) -> list:
    with session_scope() as session:
        return files.pending_files(session, actor=user)


def _pending_card(file) -> None:
    with st.container(border=True, key=f"dash_pending_{file.id}"):
        st.markdown(f"**{file.original_name}** · {platform_name(file.platform_requested)}")
        text = (
            _("Reading and loading rows")
            if file.status == FileStatus.PROCESSING
            else _("Waiting for a worker")
        )
        st.progress(file.progress / 100, text=f"{text}… {fmt_decimal(file.progress)} %")
        if file.status == FileStatus.PROCESSING and file.error_text:  # a transient fault, being retried
            st.caption(f":material/autorenew: {error_text(file)}")


def processing(user: User) -> None:
    """Files still processing, each card live; the page (and its KPIs) is drawn again when one finishes."""
    pending = _pending_files(user)
    if pending:
        st.subheader(_("Processing"))
    for file in pending:
        live_card(file, user=user, render=_pending_card)


def _account_card(user: User, card: overview.Card, *, show_owner: bool) -> None:
    with st.container(border=True, key=f"dash_account_{card.account_id}"):
        owner = f" · {card.owner_email}" if show_owner and card.owner_email != user.email else ""
        st.markdown(f"**{card.name}** · {platform_name(card.platform)}{owner}")
        st.caption(card.provenance)
        result = card.result
        if result is None:
            st.caption(_("No ready export yet."))
            return
        span = date_range(result.period_start, result.period_end)
        st.caption(_("{range}, change vs the 28 days before").format(range=span))
        previous_range = date_range(result.previous_start, result.previous_end)
        for pair in (overview.CARD_KPIS[:2], overview.CARD_KPIS[2:]):
            for col, code in zip(st.columns(2), pair, strict=True):
                with col:
                    kpi_card(
                        code=code,
                        current=result.current.get(code),
                        previous=result.previous.get(code),
                        previous_range=previous_range,
                    )
        if len(card.spark) > 1:
            st.line_chart({_(card.spark_label): card.spark}, height=90, x_label=None, y_label=None)
        st.page_link(
            "pages/explorer.py",
            label=_("Explore this account"),
            icon=":material/query_stats:",
            query_params={"account": str(card.account_id)},
        )


def kpis(user: User, *, everyone: bool) -> bool:
    """The account cards grouped by brand; False when the user has no account yet."""
    with session_scope() as session:
        groups = overview.cards(session, actor=user, everyone=everyone)
    if not groups:
        return False
    for group in groups:
        st.subheader(group.name or (_("Accounts in no brand") if len(groups) > 1 else _("Accounts")))
        for col, card in zip(st.columns(3) * ((len(group.cards) + 2) // 3), group.cards, strict=False):
            with col:
                _account_card(user, card, show_owner=everyone)
    return True


def main() -> None:
    user = require_user()
    st.title(_("Dashboard"))
    everyone = user.is_admin and st.toggle(
        _("All users' accounts"),
        key="dash_everyone",
        help=_("Administrators: every user's accounts, each card naming its owner."),
    )
    shown = kpis(user, everyone=everyone)
    processing(user)
    # Off screen, with or without accounts yet (a sign-in lands here): the browser loads plotly.js
    # now, not inside the first click on the Explorer.
    plotly_warmup()
    if shown:
        prefetch(user)  # in the background: the Explorer's opening view, read while the cards are
        return
    with session_scope() as session:
        has_files = files.any_file(session, actor=user)
    if has_files:
        st.info(_("None of your files is ready yet. Processing files appear above; errors are in History."))
    else:
        st.info(_(EMPTY_STATE), icon=":material/upload_file:")
    st.page_link("pages/upload.py", label=_("Upload a file"), icon=":material/upload_file:")


main()
