"""A page opened by its address before Home.py ever ran is sent through the router.

A fresh Streamlit process with a `pages/` folder runs a deep link (say /admin) directly, with a
navigation listing every file, until Home.py first calls st.navigation. AppTest starts every run
in that state, so these tests do not use the `routed` fixture."""

from __future__ import annotations

import pytest

from tests.factories import make_user
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
