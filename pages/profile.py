"""Your account: name, email and role, a new password, and personal tokens for the REST API."""

from __future__ import annotations

import streamlit as st

from core import auth as rules
from core import tokens, users
from core.db import session_scope
from ui.auth import require_user, start_session

_FLASH = "profile_flash"
_NEW_TOKEN = "profile_new_api_token"  # shown once, on the rerun after it was made

user = require_user()
st.title("Profile")
if message := st.session_state.pop(_FLASH, None):
    st.success(message)

left, right = st.columns(2)
left.text_input("Email", value=user.email, disabled=True, key="profile_email")
right.text_input("Role", value=user.role, disabled=True, key="profile_role")

with st.form("profile_name_form"):
    name = st.text_input("Name", value=user.name, key="profile_name")
    if st.form_submit_button("Save name", key="profile_name_submit"):
        try:
            with session_scope() as session:
                users.set_name(session, user_id=user.id, name=name)
        except users.UserError as exc:
            st.error(str(exc))
        else:
            st.session_state[_FLASH] = "Name saved."
            st.rerun()

st.subheader("Change password")
with st.form("password_form", clear_on_submit=True):
    current = st.text_input("Current password", type="password", key="pw_current")
    new = st.text_input(
        "New password",
        type="password",
        key="pw_new",
        help=f"{rules.MIN_PASSWORD_CHARS} to {rules.MAX_PASSWORD_CHARS} characters in any language.",
    )
    repeat = st.text_input("Repeat the new password", type="password", key="pw_repeat")
    submitted = st.form_submit_button("Change password", key="pw_submit", type="primary")
if submitted:
    if new != repeat:
        st.error("The two new passwords are different.")
    else:
        try:
            with session_scope() as session:
                changed = users.change_password(
                    session, user_id=user.id, current_password=current, new_password=new
                )
        except users.UserError as exc:
            st.error(str(exc))
        else:
            start_session(changed)  # the change signed every session out; this one continues
            st.session_state[_FLASH] = "Password changed. Your other sessions were signed out."
            st.rerun()

st.subheader("API tokens")
st.caption(
    "For scripts that use the REST API (its interactive docs are at /docs on the API's port): "
    "send `Authorization: Bearer <token>`. A token works until you revoke it."
)
if secret := st.session_state.pop(_NEW_TOKEN, None):
    st.success("Copy this token now: it is not shown again.")
    st.code(secret, language=None)
with st.form("api_token_form", clear_on_submit=True):
    token_name = st.text_input("Token name", key="api_token_name", placeholder="nightly upload")
    if st.form_submit_button("Create token", key="api_token_create"):
        try:
            with session_scope() as session:
                _, st.session_state[_NEW_TOKEN] = tokens.create_personal(session, user=user, name=token_name)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.rerun()
with session_scope() as session:
    mine = tokens.list_personal(session, user=user)
for token in mine:
    left, right = st.columns([5, 1], vertical_alignment="center")
    used = f"last used {token.last_used_at:%Y-%m-%d %H:%M} UTC" if token.last_used_at else "never used"
    left.markdown(f"**{token.name}** · created {token.created_at:%Y-%m-%d} · {used}")
    if right.button("Revoke", key=f"api_token_revoke_{token.id}"):
        with session_scope() as session:
            tokens.revoke_personal(session, user=user, token_id=token.id)
        st.session_state[_FLASH] = f"Token “{token.name}” revoked: it no longer works."
        st.rerun()
