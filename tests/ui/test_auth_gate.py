"""The sign-in gate in the running app (AppTest): setup, login, logout, lockout, registration, cookies."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select

from core import auth, users
from core.config import get_settings
from core.db import session_scope
from core.models import User
from tests.conftest import ROOT
from tests.factories import PASSWORD, make_user
from tests.ui.auth_fixtures import app, page_paths, sign_in, texts
from ui import auth as ui_auth

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def fill(at, **values):
    for key, value in values.items():
        at.text_input(key=key).input(value)
    return at


def log_in(at, email, password):
    fill(at, login_email=email, login_password=password)
    return at.button(key="login_submit").click().run()


def signed_in_as(at) -> str | None:
    captions = [c.value for c in at.sidebar.caption]
    return next((c for c in captions if c.startswith("Signed in as")), None)


def test_first_run_creates_the_admin_then_logout_and_login(sqlite_db):
    at = app().run()
    assert not at.exception
    assert "Create the administrator" in texts(at)
    fill(
        at,
        setup_name="Anna",
        setup_email="Anna@Example.com",
        setup_password="пароль-надёжный",
        setup_repeat="пароль-надёжный",
    )
    at.button(key="setup_submit").click().run()
    assert not at.exception
    assert signed_in_as(at) == "Signed in as Anna · admin"
    with session_scope() as session:
        admin = session.scalar(select(User))
        assert (admin.email, admin.role) == ("anna@example.com", "admin")
    assert "pages/admin.py" in page_paths(at)

    at.button(key="sa_logout").click().run()
    assert not at.exception and signed_in_as(at) is None
    assert at.button(key="login_submit")  # the login form is back
    with session_scope() as session:
        assert session.get(User, admin.id).sessions_valid_after is not None  # ended on the server

    log_in(at, "anna@example.com", "пароль-надёжный")
    assert not at.exception
    assert signed_in_as(at) == "Signed in as Anna · admin"


def test_setup_refuses_mismatched_or_weak_passwords(sqlite_db):
    at = app().run()
    fill(at, setup_email="a@example.com", setup_password="long enough", setup_repeat="long enougH")
    at.button(key="setup_submit").click().run()
    assert [e.value for e in at.error] == ["The two passwords are different."]
    fill(at, setup_password="short", setup_repeat="short")
    at.button(key="setup_submit").click().run()
    assert "too short" in at.error[0].value
    with session_scope() as session:
        assert users.count_users(session) == 0


def test_wrong_password_and_unknown_email_show_the_same_message(sqlite_db):
    make_user(role="admin")
    at = app().run()
    log_in(at, "anna@example.com", "not the password")
    wrong = [e.value for e in at.error]
    log_in(at, "nobody@example.com", PASSWORD)
    unknown = [e.value for e in at.error]
    assert wrong == unknown == [auth.attempts_left_message(4, lock_level=0)]
    assert signed_in_as(at) is None


def test_five_failures_lock_the_account(sqlite_db):
    make_user(role="admin")
    at = app().run()
    for i in range(4):
        log_in(at, "anna@example.com", f"wrong password {i}")
        assert [e.value for e in at.error] == [auth.attempts_left_message(4 - i, lock_level=0)]
    log_in(at, "anna@example.com", "wrong password 4")
    assert "locked, try again in 15 minutes" in at.error[0].value
    log_in(at, "anna@example.com", PASSWORD)  # even the right password waits
    assert "locked, try again in 15 minutes" in at.error[0].value
    assert signed_in_as(at) is None and not at.exception


def test_registration_creates_a_plain_user(sqlite_db):
    make_user("root@example.com", role="admin")
    at = app().run()
    assert [t.label for t in at.tabs] == ["Sign in", "Create an account"]
    fill(
        at,
        register_name="Boris",
        register_email="boris@example.com",
        register_password="длинный пароль",
        register_repeat="длинный пароль",
    )
    at.button(key="register_submit").click().run()
    assert not at.exception
    assert signed_in_as(at) == "Signed in as Boris · user"
    assert "pages/admin.py" not in page_paths(at)
    with session_scope() as session:
        assert users.get_user_by_email(session, email="boris@example.com").role == "user"


def test_registration_can_be_turned_off(sqlite_db, monkeypatch):
    make_user("root@example.com", role="admin")
    monkeypatch.setenv("ALLOW_REGISTRATION", "false")
    get_settings.cache_clear()
    at = app().run()
    assert not at.tabs
    assert [t.key for t in at.text_input] == ["login_email", "login_password"]
    assert [b.key for b in at.button] == ["login_submit"]


def test_a_user_does_not_see_admin_and_cannot_switch_to_it(sqlite_db):
    make_user("root@example.com", role="admin")
    at = sign_in(app(), make_user("anna@example.com")).run()
    assert not at.exception
    paths = page_paths(at)
    assert "pages/profile.py" in paths and "pages/admin.py" not in paths
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin.py")


def test_the_admin_sees_admin(sqlite_db):
    at = sign_in(app(), make_user("root@example.com", role="admin")).run()
    assert "pages/admin.py" in page_paths(at)
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Admin"]


def test_navigation_lists_pages_in_product_order(sqlite_db):
    at = sign_in(app(), make_user("root@example.com", role="admin")).run()
    order = ["dashboard", "upload", "explorer", "history", "accounts", "reports", "profile", "admin"]
    registered = [Path(info["script_path"]).stem for info in at._registered_pages.values()]
    existing = [name for name in order if (ROOT / "pages" / f"{name}.py").is_file()]
    assert registered == existing
    assert registered[-2:] == ["profile", "admin"]


def test_opening_the_admin_page_by_its_address_as_a_user_refuses(sqlite_db):
    make_user("root@example.com", role="admin")
    at = sign_in(app("pages/admin.py"), make_user("anna@example.com")).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["You don't have access to this page."]
    assert not at.title and not at.dataframe  # nothing of the page rendered


def test_opening_a_page_by_its_address_signed_out_asks_to_sign_in(sqlite_db):
    make_user("root@example.com", role="admin")
    for script in ("pages/admin.py", "pages/profile.py"):
        at = app(script).run()
        assert [w.value for w in at.warning] == ["Please sign in to see this page."]
        assert not at.title and not at.exception


def test_logging_out_ends_the_session_in_every_browser(sqlite_db):
    make_user("root@example.com", role="admin")
    user = make_user("anna@example.com")
    first, second = sign_in(app(), user).run(), sign_in(app(), user).run()
    assert signed_in_as(first) and signed_in_as(second)
    first.button(key="sa_logout").click().run()
    second.run()
    assert signed_in_as(second) is None and second.button(key="login_submit")


def test_a_disabled_account_is_signed_out_at_its_next_click(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    user = make_user("anna@example.com")
    at = sign_in(app(), user).run()
    with session_scope() as session:
        users.set_active(session, actor=admin, user_id=user.id, active=False)
    at.run()
    assert signed_in_as(at) is None


def test_a_role_change_applies_at_the_next_click(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    user = make_user("anna@example.com")
    at = sign_in(app(), user).run()
    assert "pages/admin.py" not in page_paths(at)
    with session_scope() as session:
        users.set_role(session, actor=admin, user_id=user.id, role="admin")
    at.run()
    assert "pages/admin.py" in page_paths(at)


def _with_cookie(monkeypatch, token):
    monkeypatch.setattr(ui_auth, "_cookie_token", lambda: token)


def test_a_genuine_cookie_restores_the_session(sqlite_db, monkeypatch):
    make_user("root@example.com", role="admin")
    user = make_user("anna@example.com")
    key = get_settings().auth_cookie_key
    _with_cookie(monkeypatch, auth.issue_token(user_id=user.id, email=user.email, key=key))
    at = app().run()
    assert signed_in_as(at) == "Signed in as anna · user"


@pytest.mark.parametrize("kind", ["wrong key", "alg none", "expired", "revoked", "garbage"])
def test_a_tampered_cookie_means_signed_out_without_an_error(sqlite_db, monkeypatch, kind):
    admin = make_user("root@example.com", role="admin")
    key = get_settings().auth_cookie_key
    claims = {"sub": str(admin.id), "email": admin.email, "iat": time.time(), "exp": int(time.time()) + 3600}
    tokens = {
        "wrong key": lambda: jwt.encode(claims, "some_key" * 5, algorithm="HS256"),
        "alg none": lambda: jwt.encode(claims, None, algorithm="none"),
        "expired": lambda: auth.issue_token(
            user_id=admin.id, email=admin.email, key=key, now=time.time() - 8 * 86400
        ),
        "revoked": lambda: _revoked(admin, key),
        "garbage": lambda: "not.a.token",
    }
    _with_cookie(monkeypatch, tokens[kind]())
    at = app().run()
    assert not at.exception
    assert signed_in_as(at) is None and at.button(key="login_submit")
    assert not at.error


def _revoked(user: User, key: str) -> str:
    token = auth.issue_token(user_id=user.id, email=user.email, key=key, now=time.time() - 5)
    with session_scope() as session:
        users.end_sessions(session, user_id=user.id)
    return token


def test_sign_in_hands_the_browser_a_genuine_cookie(sqlite_db):
    make_user("root@example.com", role="admin")
    at = app().run()
    log_in(at, "root@example.com", PASSWORD)
    op = at.session_state["sa_cookie_op"]
    assert op[0] == "set"
    claims = auth.read_token(op[1], key=get_settings().auth_cookie_key)
    assert claims is not None and claims.email == "root@example.com"
    # Written by a script in the page itself (no component iframe, no report back, no rerun).
    assert f'document.cookie = "sa_session={op[1]}; expires=' in _cookie_writes(at)[0]
    assert "; path=/; SameSite=Strict" in _cookie_writes(at)[0]
    at.button(key="sa_logout").click().run()
    assert at.session_state["sa_cookie_op"] == ("delete",)
    assert 'document.cookie = "sa_session=; expires=Thu, 01 Jan 1970 00:00:00 GMT;' in _cookie_writes(at)[0]


def _cookie_writes(at) -> list[str]:
    return [el.proto.body for el in at.get("html") if "document.cookie" in el.proto.body]


def test_a_cookie_write_takes_only_a_token_and_marks_https_cookies_secure():
    expires = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    script = ui_auth.cookie_script(("set", "aa.bb-_.cc", expires), secure=True)
    assert 'document.cookie = "sa_session=aa.bb-_.cc; expires=Wed, 02 Jan 2030 03:04:05 GMT;' in script
    assert script.endswith('SameSite=Strict; Secure";</script>')
    with pytest.raises(ValueError):
        ui_auth.cookie_script(("set", 'x";alert(1);"', expires), secure=False)


def test_a_sample_cookie_key_stops_the_app_with_an_explanation(sqlite_db, monkeypatch):
    monkeypatch.setenv("AUTH_COOKIE_KEY", "some_key")
    get_settings.cache_clear()
    at = app().run()
    assert not at.exception
    assert "AUTH_COOKIE_KEY" in at.error[0].value
    assert not at.text_input  # no login form, no setup form
