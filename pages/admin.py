"""Administration: accounts (role, unlock, disable, password, sign-in link, limits) and every user's files."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import auth as rules
from core import files, quotas, signin_links, users
from core.db import session_scope
from core.models import User, utcnow
from ui.auth import require_role

_FLASH = "admin_flash"
LIMIT_FIELDS = (  # core.quotas.Limits field (users.max_<field>), label, widget key
    ("uploads_per_day", "Uploads per 24 hours", "admin_limit_day"),
    ("stored_mb", "Stored MB", "admin_limit_stored"),
    ("files_in_flight", "Files processing at once", "admin_limit_flight"),
)
_LINK = "admin_link"  # the one-time link just issued: shown once, on the next run

admin = require_role("admin")
st.title("Admin")
if message := st.session_state.pop(_FLASH, None):
    st.success(message)
if link := st.session_state.pop(_LINK, None):
    st.info("Send this link to its owner; it signs in once and is shown only now.")
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
        return "disabled"
    minutes = rules.lock_minutes_left(account.locked_until, now=now)
    return f"locked ({minutes} min)" if minutes else "active"


with session_scope() as session:
    accounts = users.list_users(session)
now = utcnow()

st.subheader("Users")
st.dataframe(
    [
        {
            "Email": a.email,
            "Name": a.name,
            "Role": a.role,
            "Status": _status(a, now),
            "Failed sign-ins": a.failed_logins,
            "Created": rules.aware(a.created_at),
        }
        for a in accounts
    ],
    hide_index=True,
    key="admin_users_table",
)

by_id = {a.id: a for a in accounts}
chosen = st.selectbox(
    "Account", list(by_id), format_func=lambda i: f"{by_id[i].email} ({by_id[i].role})", key="admin_user"
)
target = by_id[chosen]
role_col, unlock_col, active_col = st.columns(3)
with role_col:
    role = st.selectbox("Role", rules.ROLES, index=rules.ROLES.index(target.role), key="admin_role")
    if st.button("Save role", key="admin_save_role", disabled=role == target.role):
        _apply(users.set_role, f"{target.email} is now {role}.", user_id=target.id, role=role)
with unlock_col:
    locked = rules.lock_minutes_left(target.locked_until, now=now) > 0
    if st.button("Unlock", key="admin_unlock", disabled=not locked):
        _apply(users.unlock, f"{target.email} can sign in again.", user_id=target.id)
with active_col:
    label = "Disable" if target.is_active else "Enable"
    if st.button(label, key="admin_toggle_active"):
        done = f"{target.email} is {'disabled' if target.is_active else 'enabled again'}."
        _apply(users.set_active, done, user_id=target.id, active=not target.is_active)

password_col, link_col = st.columns(2)
with password_col:
    new_password = st.text_input("New password", type="password", key="admin_new_password")
    if st.button("Reset password", key="admin_reset_password", disabled=not new_password):
        done = f"{target.email} has a new password; their sessions have ended. Tell it to them."
        _apply(users.reset_password, done, user_id=target.id, password=new_password)
with link_col:
    st.caption("A link that signs this account in once, within a day, and lifts its lock.")
    if st.button("Issue a one-time sign-in link", key="admin_issue_link", disabled=not target.is_active):
        _apply(_issue_link, f"A sign-in link for {target.email} is ready.", user_id=target.id)

defaults = quotas.limits_for(User())  # the settings' values: the user has none of their own
with st.form("admin_limits", border=True):
    st.caption("Limits of this account: leave a box empty for the default (shown), 0 for none.")
    limits = {}
    for column, (limit, label, key) in zip(st.columns(3), LIMIT_FIELDS, strict=True):
        own = getattr(target, f"max_{limit}")
        label = f"{label} (default {getattr(defaults, limit)})"
        limits[limit] = column.number_input(label, min_value=0, step=1, value=own, key=key)
    if st.form_submit_button("Save limits", key="admin_save_limits"):
        _apply(users.set_limits, f"Limits of {target.email} saved.", user_id=target.id, **limits)

st.subheader("All files")
with session_scope() as session:
    rows = [
        {
            "File": f.original_name,
            "Owner": f.owner.email,
            "Status": f.status,
            "Platform": f.platform or f.platform_requested,
            "Rows": f.rows,
            "Uploaded": rules.aware(f.created_at),
        }
        for f in files.list_files(session, actor=admin)
    ]
if rows:
    st.dataframe(rows, hide_index=True, key="admin_files_table")
else:
    st.info("No files yet. Users upload CSV exports of their social accounts on the Upload page.")
