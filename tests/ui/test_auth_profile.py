"""The Profile page (AppTest): who you are, your name, and a new password."""

from __future__ import annotations

import pytest

from core import auth, tokens, users
from core.config import get_settings
from core.db import session_scope
from core.models import User
from tests.factories import PASSWORD, make_user
from tests.ui.auth_fixtures import app, sign_in, texts

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def profile(user: User):
    at = sign_in(app("pages/profile.py"), user).run()
    assert not at.exception
    return at


def change(at, current: str, new: str, repeat: str | None = None):
    at.text_input(key="pw_current").input(current)
    at.text_input(key="pw_new").input(new)
    at.text_input(key="pw_repeat").input(new if repeat is None else repeat)
    return at.button(key="pw_submit").click().run()


def test_profile_shows_email_role_and_name(sqlite_db):
    at = profile(make_user("anna@example.com", role="admin"))
    assert at.text_input(key="profile_email").value == "anna@example.com"
    assert at.text_input(key="profile_role").value == "admin"
    assert at.text_input(key="profile_name").value == "anna"
    assert at.text_input(key="profile_email").disabled and at.text_input(key="profile_role").disabled


def test_the_name_can_be_changed(sqlite_db):
    user = make_user("anna@example.com")
    at = profile(user)
    at.text_input(key="profile_name").input("Анна Петрова")
    at.button(key="profile_name_submit").click().run()
    assert "Name saved." in texts(at)
    with session_scope() as session:
        assert session.get(User, user.id).name == "Анна Петрова"


def test_changing_the_password(sqlite_db):
    user = make_user("anna@example.com")
    other_browser = sign_in(app("pages/profile.py"), user).run()
    at = profile(user)
    change(at, PASSWORD, "новый пароль на кириллице")
    assert not at.exception
    assert "Password changed. Your other sessions were signed out." in texts(at)
    # This session continues, with a fresh cookie for the browser.
    assert at.text_input(key="profile_email").value == "anna@example.com"
    op = at.session_state["sa_cookie_op"]
    assert op[0] == "set" and auth.read_token(op[1], key=get_settings().auth_cookie_key).user_id == user.id
    # The old password is gone, the new one works, the other browser is signed out.
    with pytest.raises(users.LoginFailed):
        users.sign_in(email="anna@example.com", password=PASSWORD)
    assert users.sign_in(email="anna@example.com", password="новый пароль на кириллице").id == user.id
    other_browser.run()
    assert [w.value for w in other_browser.warning] == ["Please sign in to see this page."]


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("wrong password", "brand new password", None, "The current password is wrong."),
        (PASSWORD, "brand new password", "brand new passwort", "The two new passwords are different."),
        (PASSWORD, "short", None, "too short"),
        (PASSWORD, "x" * 129, None, "too long"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(sqlite_db, current, new, repeat, message):
    user = make_user("anna@example.com")
    at = change(profile(user), current, new, repeat)
    assert message in at.error[0].value
    assert users.sign_in(email="anna@example.com", password=PASSWORD).id == user.id


def test_api_tokens_are_created_shown_once_and_revoked(sqlite_db):
    user = make_user()
    at = profile(user)
    at.button(key="api_token_create").click().run()
    assert "Name the token" in texts(at)  # a nameless token is refused
    at.text_input(key="api_token_name").input("nightly upload")
    at.button(key="api_token_create").click().run()
    assert not at.exception
    (secret,) = [block.value for block in at.code]
    with session_scope() as session:
        assert tokens.authenticate(session, token=secret).user.id == user.id
        (row,) = tokens.list_personal(session, user=user)
    assert "nightly upload" in texts(at) and "never used" in texts(at)
    assert not at.run().code  # shown once: the next rerun no longer has it
    at.button(key=f"api_token_revoke_{row.id}").click().run()
    assert "Token “nightly upload” revoked" in texts(at)
    with session_scope() as session, pytest.raises(tokens.TokenInvalid):
        tokens.authenticate(session, token=secret)
