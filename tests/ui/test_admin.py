"""The Admin page (AppTest): accounts (role, unlock, disable) and everyone's files."""

from __future__ import annotations

import pytest

from core import uploads, users
from core.db import session_scope
from core.models import User
from tests.factories import PASSWORD, make_user
from tests.ui.auth_fixtures import app, sign_in, texts

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def admin_page(admin: User):
    at = sign_in(app("pages/admin.py"), admin).run()
    assert not at.exception
    return at


def choose(at, user: User):
    at.selectbox(key="admin_user").select(user.id).run()
    return at


def stored(user: User) -> User:
    with session_scope() as session:
        return session.get(User, user.id)


def test_the_users_table_lists_every_account_with_its_state(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    make_user("anna@example.com")
    for i in range(5):
        with pytest.raises(users.LoginFailed):
            users.sign_in(email="anna@example.com", password=f"wrong {i}")
    at = admin_page(admin)
    table = at.dataframe[0].value
    assert list(table["Email"]) == ["root@example.com", "anna@example.com"]
    assert list(table["Role"]) == ["admin", "user"]
    assert list(table["Status"]) == ["active", "locked (15 min)"]


def test_the_admin_makes_a_user_admin(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    at = choose(admin_page(admin), anna)
    at.selectbox(key="admin_role").select("admin").run()
    at.button(key="admin_save_role").click().run()
    assert not at.exception
    assert "anna@example.com is now admin." in texts(at)
    assert stored(anna).role == "admin"


def test_the_last_admin_cannot_demote_themselves(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    at = choose(admin_page(admin), admin)
    at.selectbox(key="admin_role").select("user").run()
    at.button(key="admin_save_role").click().run()
    assert "last active administrator" in at.error[0].value
    assert stored(admin).role == "admin"


def test_the_admin_unlocks_a_locked_account(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    for i in range(5):
        with pytest.raises(users.LoginFailed):
            users.sign_in(email="anna@example.com", password=f"wrong {i}")
    at = choose(admin_page(admin), anna)
    assert not at.button(key="admin_unlock").disabled
    at.button(key="admin_unlock").click().run()
    assert "anna@example.com can sign in again." in texts(at)
    assert stored(anna).locked_until is None
    assert users.sign_in(email="anna@example.com", password=PASSWORD).id == anna.id


def test_the_admin_disables_and_enables_an_account(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    annas_browser = sign_in(app(), anna).run()
    at = choose(admin_page(admin), anna)
    assert at.button(key="admin_toggle_active").label == "Disable"
    at.button(key="admin_toggle_active").click().run()
    assert "anna@example.com is disabled." in texts(at)
    assert stored(anna).is_active is False
    annas_browser.run()
    assert annas_browser.button(key="login_submit")  # signed out at her next click
    with pytest.raises(users.LoginFailed, match="disabled"):
        users.sign_in(email="anna@example.com", password=PASSWORD)

    at = choose(at, anna)
    assert at.button(key="admin_toggle_active").label == "Enable"
    at.button(key="admin_toggle_active").click().run()
    assert stored(anna).is_active is True


def test_the_admin_sees_every_users_files_with_their_owner(sqlite_db):
    admin = make_user("root@example.com", role="admin")
    anna, boris = make_user("anna@example.com"), make_user("boris@example.com")
    with session_scope() as session:
        uploads.create_upload(session, actor=anna, name="tiktok.csv", data=b"date,views\n2024-01-01,5\n")
        uploads.create_upload(session, actor=boris, name="youtube.csv", data=b"date,views\n2024-01-01,7\n")
    at = admin_page(admin)
    table = at.dataframe[1].value
    assert sorted(zip(table["File"], table["Owner"], strict=True)) == [
        ("tiktok.csv", "anna@example.com"),
        ("youtube.csv", "boris@example.com"),
    ]


def test_no_files_yet_says_what_to_do(sqlite_db):
    at = admin_page(make_user("root@example.com", role="admin"))
    assert "No files yet" in texts(at)


def test_a_user_gets_nothing_of_the_admin_page(sqlite_db):
    make_user("root@example.com", role="admin")
    at = sign_in(app("pages/admin.py"), make_user("anna@example.com")).run()
    assert [e.value for e in at.error] == ["You don't have access to this page."]
    assert not at.dataframe and not at.selectbox and not at.button
