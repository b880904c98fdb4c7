"""Your account: name, email and role, the language, a new password, and personal tokens for the REST API."""

from __future__ import annotations

import streamlit as st

from core import auth as rules
from core import tokens, users
from core.db import session_scope
from core.i18n import LANGUAGES, N_, _, fmt_date, fmt_datetime
from ui.auth import require_user, start_session

_FLASH = "profile_flash"
_NEW_TOKEN = "profile_new_api_token"  # shown once, on the rerun after it was made

user = require_user()
st.title(_("Profile"))
if flash := st.session_state.pop(_FLASH, None):  # (message id, its values): shown in this run's language
    st.success(_(flash[0]).format(**flash[1]))

left, right = st.columns(2)
left.text_input(_("Email"), value=user.email, disabled=True, key="profile_email")
role = _("admin") if user.role == "admin" else _("user")
right.text_input(_("Role"), value=role, disabled=True, key="profile_role")

with st.form("profile_name_form"):
    name = st.text_input(_("Name"), value=user.name, key="profile_name")
    if st.form_submit_button(_("Save name"), key="profile_name_submit"):
        try:
            with session_scope() as session:
                users.set_name(session, user_id=user.id, name=name)
        except users.UserError as exc:
            st.error(str(exc))
        else:
            st.session_state[_FLASH] = (N_("Name saved."), {})
            st.rerun()

with st.form("profile_language_form"):
    codes = list(LANGUAGES)
    current = user.language or st.session_state.get("sa_language") or codes[0]
    picked = st.selectbox(
        _("Language"),
        codes,
        index=codes.index(current) if current in codes else 0,
        format_func=LANGUAGES.get,
        key="profile_language",
        help=_("Every page, message and report is shown in this language."),
    )
    if st.form_submit_button(_("Save language"), key="profile_language_submit"):
        with session_scope() as session:
            users.set_language(session, user_id=user.id, language=picked)
        st.session_state[_FLASH] = (N_("Language saved."), {})
        st.rerun()  # the next run speaks it

st.subheader(_("Change password"))
with st.form("password_form", clear_on_submit=True):
    current = st.text_input(_("Current password"), type="password", key="pw_current")
    new = st.text_input(
        _("New password"),
        type="password",
        key="pw_new",
        help=_("{low} to {high} characters in any language.").format(
            low=rules.MIN_PASSWORD_CHARS, high=rules.MAX_PASSWORD_CHARS
        ),
    )
    repeat = st.text_input(_("Repeat the new password"), type="password", key="pw_repeat")
    submitted = st.form_submit_button(_("Change password"), key="pw_submit", type="primary")
if submitted:
    if new != repeat:
        st.error(_("The two new passwords are different."))
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
            st.session_state[_FLASH] = (N_("Password changed. Your other sessions were signed out."), {})
            st.rerun()

st.subheader(_("API tokens"))
st.caption(
    _(
        "For scripts that use the REST API (its interactive docs are at /docs on the API's port): "
        "send `Authorization: Bearer <token>`. A token works until you revoke it."
    )
)
if secret := st.session_state.pop(_NEW_TOKEN, None):
    st.success(_("Copy this token now: it is not shown again."))
    st.code(secret, language=None)
with st.form("api_token_form", clear_on_submit=True):
    token_name = st.text_input(_("Token name"), key="api_token_name", placeholder=_("nightly upload"))
    if st.form_submit_button(_("Create token"), key="api_token_create"):
        try:
            with session_scope() as session:
                _token, st.session_state[_NEW_TOKEN] = tokens.create_personal(
                    session, user=user, name=token_name
                )
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.rerun()
with session_scope() as session:
    mine = tokens.list_personal(session, user=user)
for token in mine:
    left, right = st.columns([5, 1], vertical_alignment="center")
    if token.last_used_at:
        used = _("last used {when} UTC").format(when=fmt_datetime(token.last_used_at))
    else:
        used = _("never used")
    created = _("created {day}").format(day=fmt_date(token.created_at))
    left.markdown(f"**{token.name}** · {created} · {used}")
    if right.button(_("Revoke"), key=f"api_token_revoke_{token.id}"):
        with session_scope() as session:
            tokens.revoke_personal(session, user=user, token_id=token.id)
        st.session_state[_FLASH] = (N_("Token “{name}” revoked: it no longer works."), {"name": token.name})
        st.rerun()
