"""Administration: accounts (role, unlock, disable) and every user's files."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import auth as rules
from core import files, users
from core.db import session_scope
from core.models import User, utcnow
from ui.auth import require_role

_FLASH = "admin_flash"

admin = require_role("admin")
st.title("Admin")
if message := st.session_state.pop(_FLASH, None):
    st.success(message)


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
