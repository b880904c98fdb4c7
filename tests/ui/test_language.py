"""The language of the pages: the profile's choice (stored on the user), else the browser's Accept-Language."""

from __future__ import annotations

import pytest
from streamlit.runtime.context import ContextProxy

from core.db import session_scope
from core.models import User
from tests.factories import make_user
from tests.ui.auth_fixtures import app, texts
from tests.ui.pages_fixtures import open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed", "admin")


@pytest.fixture
def admin() -> User:
    """The setup is done (otherwise every address shows the first-run screen)."""
    return make_user("root@example.com", role="admin")


@pytest.fixture
def browser(monkeypatch):
    """Set the Accept-Language header the browser sends: browser("ru-RU,ru;q=0.9")."""

    def send(accept_language: str) -> None:
        headers = {"Accept-Language": accept_language, "Host": "localhost"}
        monkeypatch.setattr(ContextProxy, "headers", property(lambda self: headers))

    return send


def _saved_language(user: User) -> str | None:
    with session_scope() as session:
        return session.get(User, user.id).language


def test_the_profile_picker_stores_the_language_and_the_next_run_speaks_it():
    user = make_user("anna@example.com")
    at = open_page("pages/profile.py", user)
    assert at.title[0].value == "Profile"
    at.selectbox(key="profile_language").set_value("ru")
    at.button(key="profile_language_submit").click().run()
    assert not at.exception
    assert _saved_language(user) == "ru"
    assert at.title[0].value == "Профиль"
    assert "Язык сохранён." in texts(at)
    assert at.button(key="pw_submit").label == "Сменить пароль"
    at = open_page("pages/profile.py", user)  # a new session: the choice is the user's, not the session's
    assert at.title[0].value == "Профиль"


def test_a_saved_language_wins_over_the_browser(browser):
    browser("en-US,en;q=0.9")
    user = make_user("anna@example.com")
    with session_scope() as session:
        session.get(User, user.id).language = "ru"
    at = open_page("pages/profile.py", user)
    assert at.title[0].value == "Профиль"
    assert at.selectbox(key="profile_language").value == "ru"


def test_a_first_visit_follows_the_browser_language_from_the_sign_in_screen(browser):
    browser("ru-RU,ru;q=0.9,en;q=0.8")
    at = app("Home.py").run()
    assert not at.exception
    assert at.title[0].value == "Social Analytics"  # the product's name, in both
    assert "Загрузите CSV-статистику" in texts(at)
    assert at.button(key="login_submit").label == "Войти"
    assert [t.label for t in at.text_input][:2] == ["Email", "Пароль"]
    user = make_user("anna@example.com")
    at = open_page("pages/profile.py", user)  # signed in, nothing picked: still the browser's
    assert at.title[0].value == "Профиль"
    assert _saved_language(user) is None


def test_an_english_browser_sees_english():
    at = app("Home.py").run()
    assert at.title[0].value == "Social Analytics"
    assert at.button(key="login_submit").label == "Sign in"
