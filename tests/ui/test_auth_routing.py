"""A page opened by its address before Home.py ever ran is sent through the router.

A fresh Streamlit process with a `pages/` folder runs a deep link (say /admin) directly, with a
navigation listing every file, until Home.py first calls st.navigation. AppTest starts every run
in that state, so these tests do not use the `routed` fixture."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_user
from tests.ui.auth_fixtures import app, page_paths, sign_in

pytestmark = pytest.mark.usefixtures("sqlite_db")


def test_a_deep_link_in_a_fresh_process_lands_in_the_router(sqlite_db):
    make_user("root@example.com", role="admin")
    at = sign_in(app(), make_user("anna@example.com"))
    at.switch_page("pages/admin.py").run()  # before any run: the address /admin
    assert not at.exception
    assert not at.error  # the admin page did not even get to refuse: the router took over
    assert [c.value for c in at.sidebar.caption] == ["Signed in as anna · user"]
    assert "pages/admin.py" not in page_paths(at)


def test_a_deep_link_signed_out_shows_the_sign_in_form(sqlite_db):
    make_user("root@example.com", role="admin")
    at = app()
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    assert at.button(key="login_submit")


@pytest.mark.usefixtures("routed")
@pytest.mark.parametrize(
    ("page", "title", "params"),
    [
        ("pages/explorer.py", "Explorer", {"view": "accounts", "account": "3"}),
        ("pages/explorer.py", "Explorer", {"file": "12"}),
        ("pages/reports.py", "Reports", {"brand": "7"}),
    ],
)
def test_a_link_opened_signed_out_lands_on_its_page_after_signing_in(sqlite_db, page, title, params):
    make_user("root@example.com", role="admin")
    make_user("anna@example.com")
    at = app()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception
    assert at.button(key="login_submit")  # the sign-in screen, not the page
    assert not at.sidebar.caption and title not in [t.value for t in at.title]
    assert page in page_paths(at)  # the address is a known page, so the browser keeps it as it is
    at.text_input(key="login_email").input("anna@example.com")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert [c.value for c in at.sidebar.caption] == ["Signed in as anna · user"]
    assert "login_submit" not in [b.key for b in at.button]
    assert [t.value for t in at.title] == [title]  # that page, not the dashboard
    kept = {k: at.query_params[k] for k in params}
    assert {k: v if isinstance(v, str) else v[0] for k, v in kept.items()} == params


@pytest.mark.usefixtures("routed")
def test_a_link_to_a_page_the_role_may_not_open_lands_on_the_default_page(sqlite_db):
    make_user("root@example.com", role="admin")
    make_user("anna@example.com")
    at = app()
    at.switch_page("pages/admin.py").run()
    assert at.button(key="login_submit")
    at.text_input(key="login_email").input("anna@example.com")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Dashboard"]
