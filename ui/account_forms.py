"""The screens before sign-in: first-run setup of the administrator, sign-in, and registration."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from core import auth as rules
from core import users
from core.config import get_settings
from core.db import session_scope
from core.i18n import _
from core.models import User
from ui import auth


def password_help() -> str:
    return _(
        "{low} to {high} characters in any language; spaces and symbols are fine, nothing else is required."
    ).format(low=rules.MIN_PASSWORD_CHARS, high=rules.MAX_PASSWORD_CHARS)


def _narrow():
    """A centred column: forms read better than at full width."""
    return st.columns([1, 2, 1])[1]


def setup_screen() -> None:
    """First run: create the administrator, then sign in as them."""
    with _narrow():
        _setup_form()


def _setup_form() -> None:
    st.title(_("Welcome to Social Analytics"))
    st.write(_("There is no administrator yet. Create the administrator account to start."))
    _account_form("setup", _("Create administrator"), users.create_first_admin)


def _account_form(form: str, button: str, create: Callable[..., User]) -> None:
    """Name, email and the password twice; `create` makes the account and its owner is signed in."""
    with st.form(form):
        st.text_input(_("Your name"), key=f"{form}_name")
        st.text_input(_("Email"), key=f"{form}_email", placeholder="you@example.com")
        st.text_input(_("Password"), type="password", key=f"{form}_password", help=password_help())
        st.text_input(_("Repeat the password"), type="password", key=f"{form}_repeat")
        st.form_submit_button(
            button,
            key=f"{form}_submit",
            type="primary",
            on_click=auth.submit_form,
            args=(form, partial(_create_account, create, form)),
        )
    auth.form_error(form)


def _create_account(create: Callable[..., User], form: str) -> User:
    """The account the form describes (UserError when it is refused)."""
    values = st.session_state
    if values[f"{form}_password"] != values[f"{form}_repeat"]:
        raise users.UserError(_("The two passwords are different."))
    with session_scope() as session:
        return create(
            session,
            email=values[f"{form}_email"],
            password=values[f"{form}_password"],
            name=values[f"{form}_name"],
        )


def _sign_in() -> User:
    return users.sign_in(email=st.session_state["login_email"], password=st.session_state["login_password"])


def _login_form() -> None:
    with st.form("login"):
        st.text_input(_("Email"), key="login_email", placeholder="you@example.com")
        st.text_input(_("Password"), type="password", key="login_password")
        st.form_submit_button(
            _("Sign in"),
            key="login_submit",
            type="primary",
            on_click=auth.submit_form,
            args=("login", _sign_in),
        )
    auth.form_error("login")


def login_screen() -> None:
    """Signed out: sign in, or create an account where registration is open."""
    with _narrow():
        _sign_in_or_register()


def _sign_in_or_register() -> None:
    st.title(_("Social Analytics"))
    st.caption(_("Upload the CSV statistics of your social accounts and explore them in seconds."))
    if not get_settings().allow_registration:
        _login_form()
        return
    sign_in_tab, register_tab = st.tabs([_("Sign in"), _("Create an account")])
    with sign_in_tab:
        _login_form()
    with register_tab:
        _account_form("register", _("Create account"), users.register_user)
