"""Who is signed in, for Streamlit pages.

How a page uses it — the first lines of every page file:

    from ui.auth import require_user, require_role

    user = require_user()            # any signed-in user; otherwise "Please sign in" and the page stops
    admin = require_role("admin")    # admins only; everyone else sees "no access" and the page stops

    # then pass the user to core, which scopes every query to it:
    with session_scope() as session:
        files = core.files.list_files(session, actor=user)

- `current_user() -> User | None` is our `core.models.User`, read fresh from the database on
  each call (detached: read its attributes, pass it as `actor=`). A role never comes from the
  browser or the cookie: a role change, a disabled account or a sign-out elsewhere takes effect
  on the next rerun.
- The guards also protect a page opened by its address: the router (Home.py) leaves pages out of
  the navigation of roles that may not open them, and the page itself refuses to render.
- AppTest: AppTest cannot carry cookies, so sign a test user in through Session State before
  `at.run()`: `at.session_state[SESSION_KEY] = signed_in_state(user)` (user from
  `core.users.create_user`, committed); `tests/ui/auth_fixtures.py` has `sign_in(at, user)`.
- Reserved Session State keys: SESSION_KEY, "sa_cookie_op", "sa_form_errors", and streamlit-authenticator's
  "name", "username", "email", "roles", "authentication_status", "logout" (mirrored, read-only).

streamlit-authenticator 0.4.2 gives the Session State names above; none of its code runs. Its login
and registration widgets strip passwords, verify raw bcrypt (so 72+ byte passwords fail), count
failures in a dict that locks forever, crash on an `alg=none` cookie, and never revoke one; its
cookie component (extra-streamlit-components' CookieManager) reran the page after every write (see
`cookie_script`). Passwords, lockout, the cookie's signature and revocation are `core.auth` /
`core.users`; the cookie is written by a script in the page.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import auth, signin_links, users
from core.config import get_settings
from core.db import session_scope
from core.i18n import _
from core.models import User
from ui import language

SESSION_KEY = "sa_auth"  # {"uid": user id, "iat": when this session began, "email": ...}
_COOKIE_OP = "sa_cookie_op"  # the cookie write the router renders: ("set", token, expires) | ("delete",)
# streamlit-authenticator's own Session State keys, mirrored for code written against it.
_LIBRARY_KEYS = ("name", "username", "email", "roles", "authentication_status")
_FORM_ERRORS = "sa_form_errors"  # {form: the message its last submission was refused with}
# What a sign-in form's callback decided, by browser session, until the router has applied it.
_outcomes: dict[str, tuple[str, User | None, str | None]] = {}
_outcomes_lock = threading.Lock()


def signed_in_state(user: User, *, issued_at: float | None = None) -> dict[str, Any]:
    """The Session State entry (under SESSION_KEY) of a session signed in as `user`."""
    return {"uid": user.id, "iat": time.time() if issued_at is None else issued_at, "email": user.email}


def _cookie_token() -> str | None:
    """The login cookie the browser sent when this session connected."""
    return st.context.cookies.get(auth.COOKIE_NAME)


def _cookie_state() -> dict[str, Any] | None:
    """The session a genuine login cookie describes; None for no cookie or any tampered one."""
    claims = auth.read_token(_cookie_token(), key=get_settings().auth_cookie_key)
    if claims is None:
        return None
    return {"uid": claims.user_id, "iat": claims.issued_at, "email": claims.email}


def current_user() -> User | None:
    """The signed-in user (fresh from the database), or None."""
    state = st.session_state.get(SESSION_KEY) or _cookie_state()
    if state is None:
        return None
    with session_scope() as session:
        user = users.session_user(session, user_id=state["uid"], issued_at=state["iat"], email=state["email"])
    if user is None:
        _forget()
        return None
    st.session_state[SESSION_KEY] = state
    _mirror(user)
    return user


def _through_the_router() -> None:
    """Send a page opened by its address before the router ever ran back to Home.py.

    Because pages live in `pages/`, a fresh Streamlit process runs a deep link such as /admin
    directly, with a navigation listing every file, until Home.py first calls st.navigation."""
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        st.switch_page("Home.py")


def require_user() -> User:
    """The signed-in user; otherwise the page says so and stops."""
    _through_the_router()
    user = current_user()
    if user is None:
        st.warning(_("Please sign in to see this page."))
        st.stop()
    return user


def require_role(role: str) -> User:
    """The signed-in user if their role allows `role`; otherwise the page refuses and stops."""
    user = require_user()
    if not auth.has_role(user, role):
        st.error(_("You don't have access to this page."))
        st.stop()
    return user


def start_session(user: User) -> None:
    """Sign `user` in for this browser session and, through the router, a signed cookie."""
    state = signed_in_state(user)
    token = auth.issue_token(
        user_id=user.id, email=user.email, key=get_settings().auth_cookie_key, now=state["iat"]
    )
    st.session_state[SESSION_KEY] = state
    expires = datetime.fromtimestamp(state["iat"], UTC) + timedelta(days=auth.COOKIE_DAYS)
    st.session_state[_COOKIE_OP] = ("set", token, expires)
    st.session_state["logout"] = None
    _mirror(user)


def submit_form(form: str, action: Callable[[], User]) -> None:
    """The on_click of a form that signs someone in: `action` returns the user or raises.

    Every read or write of Session State is a point where Streamlit stops a run for a rerun that
    the browser asked for meanwhile (another click, a live card's refresh). The click's outcome is therefore kept outside Session State first,
    and `apply_form_outcome` (the router, every run) applies it: a rerun cutting in cannot lose it.
    """
    language.restore()  # a callback runs before the router has set this run's language
    try:
        outcome = (form, action(), None)
    except (users.UserError, users.LoginFailed) as exc:
        outcome = (form, None, str(exc))
    with _outcomes_lock:
        _outcomes[_session_id()] = outcome


def apply_form_outcome() -> None:
    """Sign in, or keep the refusal for its form, as this session's last submitted form decided."""
    key = _session_id()
    with _outcomes_lock:
        outcome = _outcomes.get(key)
    if outcome is None:
        return
    form, user, message = outcome
    errors = st.session_state.setdefault(_FORM_ERRORS, {})
    if user is not None:
        errors.pop(form, None)
        start_session(user)
    else:
        errors[form] = message
    with _outcomes_lock:  # only once applied: a rerun may cut in above, and this run repeats it
        if _outcomes.get(key) is outcome:
            del _outcomes[key]


def redeem_link_in_url() -> None:
    """Sign in with the one-time link this page was opened with (it is spent), or say why not."""
    token = st.query_params.get(signin_links.QUERY_PARAM)
    if not token:
        return
    del st.query_params[signin_links.QUERY_PARAM]  # off the address bar and out of the history
    try:
        with session_scope() as session:
            user = signin_links.redeem_link(session, token=token)
    except users.LoginFailed as exc:
        st.session_state.setdefault(_FORM_ERRORS, {})["login"] = str(exc)
        return
    start_session(user)


def form_error(form: str) -> None:
    """The refusal of the form's last submission, under the form."""
    message = st.session_state.get(_FORM_ERRORS, {}).get(form)
    if message:
        st.error(message)


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def sign_out() -> None:
    """End the session on the server too: every copy of the cookie stops working."""
    state = st.session_state.get(SESSION_KEY)
    if state:
        with session_scope() as session:
            users.end_sessions(session, user_id=state["uid"])
    _forget()


def _forget() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[_COOKIE_OP] = ("delete",)
    st.session_state["logout"] = True
    for key in _LIBRARY_KEYS:
        st.session_state[key] = None


def _mirror(user: User) -> None:
    st.session_state.update(
        name=user.name or user.email,
        username=user.email,
        email=user.email,
        roles=[user.role],
        authentication_status=True,
    )


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_.-]+")  # a JWT: base64url parts joined by dots
_GONE = "Thu, 01 Jan 1970 00:00:00 GMT"


def cookie_script(op: tuple, *, secure: bool) -> str:
    """The HTML that writes (or deletes) the login cookie in the browser, in the page itself.

    A script in the page, not a component in an iframe: the iframe of streamlit-authenticator's
    CookieManager loaded 470 kB of JavaScript in each browser, for each of its two frames, before it
    wrote the cookie, and then reported back, which reran the page it had been drawn on (3-13 s
    after a sign-in under load) and so undid a navigation clicked meanwhile. This writes the cookie
    the moment the element is drawn and tells the server nothing: no rerun ever follows."""
    if op[0] == "set":
        token, expires = op[1], op[2]
        if not _TOKEN_CHARS.fullmatch(token):
            raise ValueError("a login token holds only base64url characters and dots")
        value, until = token, expires.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    else:
        value, until = "", _GONE
    cookie = f"{auth.COOKIE_NAME}={value}; expires={until}; path=/; SameSite=Strict"
    if secure:
        cookie += "; Secure"
    return (
        "<style>.stElementContainer:has(.sa-cookie-write){display:none}</style>"
        f'<span class="sa-cookie-write" hidden></span><script>document.cookie = "{cookie}";</script>'
    )


def cookie_sync() -> None:
    """Render the pending cookie write (the router calls this once per run, before the page).

    The write is rendered on every run until the next sign-in or sign-out, so the browser
    applies it even when a rerun cuts in at once; the same element redrawn does not run again."""
    op = st.session_state.get(_COOKIE_OP)
    if not op:
        return
    secure = str(st.context.url or "").startswith("https://")
    st.html(cookie_script(op, secure=secure), unsafe_allow_javascript=True)


def account_sidebar(user: User) -> None:
    """Who is signed in, and the sign-out button."""
    with st.sidebar:
        role = _("admin") if user.role == "admin" else _("user")
        st.caption(_("Signed in as {name} · {role}").format(name=user.name or user.email, role=role))
        st.button(_("Log out"), key="sa_logout", icon=":material/logout:", on_click=sign_out)
