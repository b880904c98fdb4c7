"""Administration: accounts (role, unlock, disable, password, sign-in link, limits) and every user's files."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import auth as rules
from core import files, quotas, signin_links, users
from core.db import session_scope
from core.formatting import platform_name
from core.i18n import N_, _, fmt_datetime
from core.models import User, utcnow
from ui.auth import require_role
from ui.file_card import STATUS_BADGES

_FLASH = "admin_flash"
LIMIT_FIELDS = (  # core.quotas.Limits field (users.max_<field>), label, widget key
    ("uploads_per_day", N_("Uploads per 24 hours"), "admin_limit_day"),
    ("stored_mb", N_("Stored MB"), "admin_limit_stored"),
    ("files_in_flight", N_("Files processing at once"), "admin_limit_flight"),
)
_LINK = "admin_link"  # the one-time link just issued: shown once, on the next run

admin = require_role("admin")
st.title(_("Admin"))
if message := st.session_state.pop(_FLASH, None):
    st.success(message)
if link := st.session_state.pop(_LINK, None):
    st.info(_("Send this link to its owner; it signs in once and is shown only now."))
    st.code(link, language=None)


def _apply(change: Callable, done: str, **kwargs) -> None:
    """Run one account change as the signed-in admin; report the outcome."""
    try:
        with session_scope() as session:
            change(session, actor=admin, **kwargs)
    except users.UserError as exc:
        st.error(str(exc))
    else:
        st.session_state[_FLASH] = done
        st.rerun()


def _issue_link(session, *, actor: User, user_id: int) -> None:
    token = signin_links.issue_link(session, actor=actor, user_id=user_id)
    root = str(st.context.url or "").split("?", 1)[0].removesuffix("/admin")  # this page's address
    st.session_state[_LINK] = signin_links.link_url(root, token)


def _status(account: User, now) -> str:
    if not account.is_active:
        return _("disabled")
    minutes = rules.lock_minutes_left(account.locked_until, now=now)
    return _("locked ({n} min)").format(n=minutes) if minutes else _("active")


with session_scope() as session:
    accounts = users.list_users(session)
now = utcnow()

st.subheader(_("Users"))
st.dataframe(
    [
        {
            _("Email"): a.email,
            _("Name"): a.name,
            _("Role"): _(a.role),
            _("Status"): _status(a, now),
            _("Failed sign-ins"): a.failed_logins,
            _("Created"): fmt_datetime(rules.aware(a.created_at)),
        }
        for a in accounts
    ],
    hide_index=True,
    key="admin_users_table",
)

by_id = {a.id: a for a in accounts}
chosen = st.selectbox(
    _("Account"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].email} ({_(by_id[i].role)})",
    key="admin_user",
)
target = by_id[chosen]
role_col, unlock_col, active_col = st.columns(3)
with role_col:
    role = st.selectbox(
        _("Role"), rules.ROLES, index=rules.ROLES.index(target.role), format_func=_, key="admin_role"
    )
    if st.button(_("Save role"), key="admin_save_role", disabled=role == target.role):
        done = _("{email} is now {role}.").format(email=target.email, role=_(role))
        _apply(users.set_role, done, user_id=target.id, role=role)
with unlock_col:
    locked = rules.lock_minutes_left(target.locked_until, now=now) > 0
    if st.button(_("Unlock"), key="admin_unlock", disabled=not locked):
        _apply(users.unlock, _("{email} can sign in again.").format(email=target.email), user_id=target.id)
with active_col:
    label = _("Disable") if target.is_active else _("Enable")
    if st.button(label, key="admin_toggle_active"):
        done = (_("{email} is disabled.") if target.is_active else _("{email} is enabled again.")).format(
            email=target.email
        )
        _apply(users.set_active, done, user_id=target.id, active=not target.is_active)

password_col, link_col = st.columns(2)
with password_col:
    new_password = st.text_input(_("New password"), type="password", key="admin_new_password")
    if st.button(_("Reset password"), key="admin_reset_password", disabled=not new_password):
        done = _("{email} has a new password; their sessions have ended. Tell it to them.").format(
            email=target.email
        )
        _apply(users.reset_password, done, user_id=target.id, password=new_password)
with link_col:
    st.caption(_("A link that signs this account in once, within a day, and lifts its lock."))
    if st.button(_("Issue a one-time sign-in link"), key="admin_issue_link", disabled=not target.is_active):
        _apply(
            _issue_link,
            _("A sign-in link for {email} is ready.").format(email=target.email),
            user_id=target.id,
        )

defaults = quotas.limits_for(User())  # the settings' values: the user has none of their own
with st.form("admin_limits", border=True):
    st.caption(_("Limits of this account: leave a box empty for the default (shown), 0 for none."))
    limits = {}
    for column, (limit, label, key) in zip(st.columns(3), LIMIT_FIELDS, strict=True):
        own = getattr(target, f"max_{limit}")
        label = _("{limit} (default {value})").format(limit=_(label), value=getattr(defaults, limit))
        limits[limit] = column.number_input(label, min_value=0, step=1, value=own, key=key)
    if st.form_submit_button(_("Save limits"), key="admin_save_limits"):
        done = _("Limits of {email} saved.").format(email=target.email)
        _apply(users.set_limits, done, user_id=target.id, **limits)

st.subheader(_("All files"))
with session_scope() as session:
    rows = [
        {
            _("File"): f.original_name,
            _("Owner"): f.owner.email,
            _("Status"): _(STATUS_BADGES[f.status][0]) if f.status in STATUS_BADGES else f.status,
            _("Platform"): platform_name(f.platform or f.platform_requested),
            _("Rows"): f.rows,
            _("Uploaded"): fmt_datetime(rules.aware(f.created_at)),
        }
        for f in files.list_files(session, actor=admin)
    ]
if rows:
    st.dataframe(rows, hide_index=True, key="admin_files_table")
else:
    st.info(_("No files yet. Users upload CSV exports of their social accounts on the Upload page."))
