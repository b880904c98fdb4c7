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
from core.models import User
from ui import auth
from ui.account_forms import login_screen, setup_screen
from worker import dispatch

ROOT = Path(__file__).resolve().parent
# (file, title, icon, section, role needed). Order is the sidebar's order; missing files are skipped.
PAGES = (
    ("pages/dashboard.py", "Dashboard", ":material/space_dashboard:", "Analytics", "user"),
    ("pages/upload.py", "Upload", ":material/upload_file:", "Analytics", "user"),
    ("pages/explorer.py", "Explorer", ":material/query_stats:", "Analytics", "user"),
    ("pages/history.py", "History", ":material/history:", "Analytics", "user"),
    ("pages/accounts.py", "Accounts", ":material/groups:", "Analytics", "user"),
    ("pages/reports.py", "Reports", ":material/summarize:", "Analytics", "user"),
    ("pages/profile.py", "Profile", ":material/person:", "Account", "user"),
    ("pages/admin.py", "Admin", ":material/admin_panel_settings:", "Account", "admin"),
)


def navigation_for(user: User) -> dict[str, list[st.Page]]:
    """The pages `user` may open, by section; the first existing page is the default."""
    sections: dict[str, list[st.Page]] = {}
    for path, title, icon, section, role in PAGES:
        if (ROOT / path).is_file() and rules.has_role(user, role):
            first = not sections
            sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=first))
    return sections


def signed_out_navigation() -> st.navigation:
    """The sign-in screen, at whatever page address was opened: every page is listed (hidden), so a
    link to one (say /explorer?view=accounts&account=3) keeps its path and query parameters through
    the sign-in, and the run after it opens that page — or the default one when the role does not
    allow it. Only this app's own pages can be named, so nothing can send the browser elsewhere."""
    pages = [st.Page(login_screen, title="Sign in", icon=":material/login:", default=True)]
    pages += [st.Page(path, title=title) for path, title, *_ in PAGES if (ROOT / path).is_file()]
    return st.navigation(pages, position="hidden")


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
    auth.redeem_link_in_url()  # ?signin=… : a one-time sign-in link an admin issued
    user = None if setup else auth.current_user()
    auth.cookie_sync(user)
    if setup:
        page = st.navigation(
            [st.Page(setup_screen, title="Set up", icon=":material/key:")], position="hidden"
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
