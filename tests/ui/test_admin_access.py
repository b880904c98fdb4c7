"""The Admin page's way back in for users (AppTest): a password reset, a one-time sign-in link that
works once from the address bar, and per-user limits."""

from __future__ import annotations

import pytest

from core import quotas, users
from core.db import session_scope
from core.models import User
from tests.factories import make_user
from tests.ui.auth_fixtures import app, sign_in, texts

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
NEW_PASSWORD = "a brand new passphrase"


def admin_page(admin: User, target: User):
    at = sign_in(app("pages/admin.py"), admin).run()
    at.selectbox(key="admin_user").select(target.id).run()
    assert not at.exception
    return at


def lock(email: str) -> None:
    for i in range(5):
        with pytest.raises(users.LoginFailed):
            users.sign_in(email=email, password=f"wrong {i}")


def test_the_admin_resets_a_password_and_refuses_a_common_one():
    admin, anna = make_user("root@example.com", role="admin"), make_user("anna@example.com")
    lock("anna@example.com")
    at = admin_page(admin, anna)
    at.text_input(key="admin_new_password").input("Password123").run()
    at.button(key="admin_reset_password").click().run()
    assert "most common" in at.error[0].value
    at.text_input(key="admin_new_password").input(NEW_PASSWORD).run()
    at.button(key="admin_reset_password").click().run()
    assert "anna@example.com has a new password" in texts(at)
    assert users.sign_in(email="anna@example.com", password=NEW_PASSWORD).id == anna.id


def test_a_one_time_link_from_the_admin_page_signs_in_once():
    admin, anna = make_user("root@example.com", role="admin"), make_user("anna@example.com")
    lock("anna@example.com")
    at = admin_page(admin, anna)
    at.button(key="admin_issue_link").click().run()
    assert not at.exception
    link = at.code[0].value
    assert "?signin=" in link
    token = link.split("?signin=", 1)[1]

    first = app()
    first.query_params["signin"] = token
    first.run()
    assert not first.exception
    assert any(c.value.startswith("Signed in as anna") for c in first.sidebar.caption)

    again = app()
    again.query_params["signin"] = token
    again.run()
    assert not any(c.value.startswith("Signed in as") for c in again.sidebar.caption)
    assert "used already" in " ".join(e.value for e in again.error)


def test_the_admin_sets_an_accounts_limits_and_empty_means_the_default():
    admin, anna = make_user("root@example.com", role="admin"), make_user("anna@example.com")
    at = admin_page(admin, anna)
    at.number_input(key="admin_limit_day").set_value(3)
    at.number_input(key="admin_limit_flight").set_value(0)
    at.button(key="admin_save_limits").click().run()
    assert "Limits of anna@example.com saved." in texts(at)
    with session_scope() as session:
        limits = quotas.limits_for(session.get(User, anna.id))
    default = quotas.limits_for(User())
    assert (limits.uploads_per_day, limits.files_in_flight) == (3, 0)
    assert limits.stored_mb == default.stored_mb
