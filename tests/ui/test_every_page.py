"""Smoke test: every page of the router renders for a user and for an administrator, with no exception."""

from __future__ import annotations

import re

import pytest

from core.db import session_scope
from core.models import User
from tests.factories import make_user
from tests.ui.auth_fixtures import page_paths
from tests.ui.pages_fixtures import days_csv, ingest, open_page, posts_csv

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


@pytest.fixture
def people():
    """The administrator and a user, each with a ready daily file and a ready posts file."""
    admin, user = make_user("root@example.com", role="admin"), make_user("anna@example.com")
    for person in (admin, user):
        ingest(person, days_csv(60), name=f"{person.id}-days.csv")
        ingest(person, posts_csv(), name=f"{person.id}-posts.csv")
    return {"admin": admin, "user": user}


@pytest.mark.parametrize(("role", "language"), [("user", None), ("admin", None), ("admin", "ru")])
def test_every_page_in_the_navigation_renders(people, role, language):
    with session_scope() as session:
        session.get(User, people[role].id).language = language
    at = open_page("pages/dashboard.py", people[role])
    pages = page_paths(at)
    assert "pages/dashboard.py" in pages and ("pages/admin.py" in pages) == (role == "admin")
    for page in pages:
        at = open_page(page, people[role])
        assert not at.exception, (page, [e.message for e in at.exception])
        assert at.title, f"{page} rendered no title"
        if language == "ru":
            assert re.search("[А-Яа-я]", at.title[0].value), (page, at.title[0].value)
