"""The router: page config, the sign-in gate, first-run setup, and navigation by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import OperationalError

from core import auth as rules
from core import users
from core.config import ConfigError, get_settings
from core.db import migrate, session_scope
from core.models import User
from ui import auth
from worker import dispatch

ROOT = Path(__file__).resolve().parent
# (file, title, icon, section, role needed). Order is the sidebar's order; missing files are skipped.
PAGES = (
    ("pages/dashboard.py", "Dashboard", ":material/space_dashboard:", "Analytics", "user"),
    ("pages/upload.py", "Upload", ":material/upload_file:", "Analytics", "user"),
    ("pages/explorer.py", "Explorer", ":material/query_stats:", "Analytics", "user"),
    ("pages/history.py", "History", ":material/history:", "Analytics", "user"),
    ("pages/reports.py", "Reports", ":material/summarize:", "Analytics", "user"),
    ("pages/profile.py", "Profile", ":material/person:", "Account", "user"),
    ("pages/admin.py", "Admin", ":material/admin_panel_settings:", "Account", "admin"),
)
PASSWORD_HELP = (
    f"{rules.MIN_PASSWORD_CHARS} to {rules.MAX_PASSWORD_CHARS} characters in any language; "
    "spaces and symbols are fine, nothing else is required."
)


def navigation_for(user: User) -> dict[str, list[st.Page]]:
    """The pages `user` may open, by section; the first existing page is the default."""
    sections: dict[str, list[st.Page]] = {}
    for path, title, icon, section, role in PAGES:
        if (ROOT / path).is_file() and rules.has_role(user, role):
            first = not sections
            sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=first))
    return sections


def _narrow():
    """A centred column: forms read better than at full width."""
    return st.columns([1, 2, 1])[1]


def setup_screen() -> None:
    """First run: create the administrator, then sign in as them."""
    with _narrow():
        _setup_form()


def _setup_form() -> None:
    st.title("Welcome to Social Analytics")
    st.write("There is no administrator yet. Create the administrator account to start.")
    _account_form("setup", "Create administrator", users.create_first_admin)


def _account_form(form: str, button: str, create: Callable[..., User]) -> None:
    """Name, email and the password twice; `create` makes the account and its owner is signed in."""
    with st.form(form):
        st.text_input("Your name", key=f"{form}_name")
        st.text_input("Email", key=f"{form}_email", placeholder="you@example.com")
        st.text_input("Password", type="password", key=f"{form}_password", help=PASSWORD_HELP)
        st.text_input("Repeat the password", type="password", key=f"{form}_repeat")
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
        raise users.UserError("The two passwords are different.")
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
        st.text_input("Email", key="login_email", placeholder="you@example.com")
        st.text_input("Password", type="password", key="login_password")
        st.form_submit_button(
            "Sign in", key="login_submit", type="primary", on_click=auth.submit_form, args=("login", _sign_in)
        )
    auth.form_error("login")


def login_screen() -> None:
    """Signed out: sign in, or create an account where registration is open."""
    with _narrow():
        _sign_in_or_register()


def _sign_in_or_register() -> None:
    st.title("Social Analytics")
    st.caption("Upload the CSV statistics of your social accounts and explore them in seconds.")
    if not get_settings().allow_registration:
        _login_form()
        return
    sign_in_tab, register_tab = st.tabs(["Sign in", "Create an account"])
    with sign_in_tab:
        _login_form()
    with register_tab:
        _account_form("register", "Create account", users.register_user)


def _start() -> bool:
    """Settings and schema; explains on screen (and returns False) when the app cannot start."""
    try:
        get_settings()
        migrate()
        dispatch.start()  # once per process: files a restart left queued or processing go again
        return True
    except ConfigError as exc:
        st.error(f"The app is not configured safely, so it will not start: {exc}")
    except OperationalError:
        st.error("The database cannot be reached. Check DATABASE_URL and that the database is running.")
    return False


def main() -> None:
    st.set_page_config(page_title="Social Analytics", page_icon=":material/insights:", layout="wide")
    if not _start():
        st.stop()
    with session_scope() as session:
        setup = users.needs_setup(session)
    auth.apply_form_outcome()  # a sign-in or setup form submitted in this session
    user = None if setup else auth.current_user()
    auth.cookie_sync(user)
    if setup:
        page = st.navigation(
            [st.Page(setup_screen, title="Set up", icon=":material/key:")], position="hidden"
        )
    elif user is None:
        page = st.navigation(
            [st.Page(login_screen, title="Sign in", icon=":material/login:")], position="hidden"
        )
    else:
        auth.account_sidebar(user)
        page = st.navigation(navigation_for(user))
    page.run()


main()
