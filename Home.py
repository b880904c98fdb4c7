"""The router: page config, the sign-in gate, first-run setup, and navigation by role.

The screens shown before anyone is signed in (setup, sign-in, registration) are in ui/account_forms.py.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.exc import OperationalError

from core import auth as rules
from core import users
from core.config import ConfigError, get_settings
from core.db import migrate, session_scope
from core.i18n import N_, _
from core.models import User
from ui import auth, language, warmup
from ui.account_forms import login_screen, setup_screen
from worker import dispatch

ROOT = Path(__file__).resolve().parent
# (file, title, icon, section, role needed). Order is the sidebar's order; missing files are skipped.
PAGES = (
    ("pages/dashboard.py", N_("Dashboard"), ":material/space_dashboard:", N_("Analytics"), "user"),
    ("pages/upload.py", N_("Upload"), ":material/upload_file:", N_("Analytics"), "user"),
    ("pages/explorer.py", N_("Explorer"), ":material/query_stats:", N_("Analytics"), "user"),
    ("pages/history.py", N_("History"), ":material/history:", N_("Analytics"), "user"),
    ("pages/accounts.py", N_("Accounts"), ":material/groups:", N_("Analytics"), "user"),
    ("pages/reports.py", N_("Reports"), ":material/summarize:", N_("Analytics"), "user"),
    ("pages/profile.py", N_("Profile"), ":material/person:", N_("Your account"), "user"),
    ("pages/admin.py", N_("Admin"), ":material/admin_panel_settings:", N_("Your account"), "admin"),
)


def navigation_for(user: User) -> dict[str, list[st.Page]]:
    """The pages `user` may open, by section; the first existing page is the default."""
    sections: dict[str, list[st.Page]] = {}
    for path, title, icon, section, role in PAGES:
        if (ROOT / path).is_file() and rules.has_role(user, role):
            first = not sections
            page = st.Page(path, title=_(title), icon=icon, default=first)
            sections.setdefault(_(section), []).append(page)
    return sections


def signed_out_navigation() -> st.navigation:
    """The sign-in screen, at whatever page address was opened: every page is listed (hidden), so a
    link to one (say /explorer?view=accounts&account=3) keeps its path and query parameters through
    the sign-in, and the run after it opens that page — or the default one when the role does not
    allow it. Only this app's own pages can be named, so nothing can send the browser elsewhere."""
    pages = [st.Page(login_screen, title=_("Sign in"), icon=":material/login:", default=True)]
    pages += [st.Page(path, title=_(title)) for path, title, *_rest in PAGES if (ROOT / path).is_file()]
    return st.navigation(pages, position="hidden")


def _start() -> bool:
    """Settings and schema; explains on screen (and returns False) when the app cannot start."""
    try:
        get_settings()
        migrate()
        dispatch.start()  # once per process: files a restart left queued or processing go again
        warmup.start()  # once per process: the Explorer's imports and first figures, in the background
        return True
    except ConfigError as exc:
        st.error(_("The app is not configured safely, so it will not start: {problem}").format(problem=exc))
    except OperationalError:
        st.error(_("The database cannot be reached. Check DATABASE_URL and that the database is running."))
    return False


_SET_UP = "sa_set_up"  # this session has seen an administrator: no need to ask the database on every run


def _needs_setup() -> bool:
    """Whether the first-run setup screen is due (asked once per session, until an admin exists)."""
    if st.session_state.get(_SET_UP):
        return False
    with session_scope() as session:
        setup = users.needs_setup(session)
    st.session_state[_SET_UP] = not setup
    return setup


def main() -> None:
    language.apply(None)  # the browser's, until we know who is signed in
    st.set_page_config(page_title=_("Social Analytics"), page_icon=":material/insights:", layout="wide")
    if not _start():
        st.stop()
    setup = _needs_setup()
    auth.apply_form_outcome()  # a sign-in or setup form submitted in this session
    auth.redeem_link_in_url()  # ?signin=… : a one-time sign-in link an admin issued
    user = None if setup else auth.current_user()
    auth.cookie_sync()
    language.apply(user)  # the profile's choice, when they made one
    if setup:
        page = st.navigation(
            [st.Page(setup_screen, title=_("Set up"), icon=":material/key:")], position="hidden"
        )
    elif user is None:
        signed_out_navigation()
        login_screen()  # never the page itself: it opens once signed in
        return
    else:
        auth.account_sidebar(user)
        page = st.navigation(navigation_for(user))
    page.run()


main()
