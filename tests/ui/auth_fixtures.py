"""Helpers for AppTests of the signed-in app: accounts, signing a session in, routing like a server.

Use in a test module:  from tests.ui.auth_fixtures import app, make_user, routed, sign_in  # noqa: F401
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import auth, users
from core.db import session_scope
from core.models import User
from tests.conftest import ROOT
from ui.auth import SESSION_KEY, signed_in_state

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """Cheap hashes in tests (production uses auth.BCRYPT_ROUNDS = 12)."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def routed(monkeypatch):
    """Route like a running server. A `pages/` folder makes Streamlit start a process in the legacy
    multipage mode until the first st.navigation call switches it off for good; AppTest resets that
    before every run, so without this each run would open pages/*.py directly, bypassing Home.py."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def make_user(email: str = "anna@example.com", *, role: str = "user", password: str = PASSWORD) -> User:
    """A committed account."""
    with session_scope() as session:
        return users.create_user(session, email=email, password=password, role=role, name=email.split("@")[0])


def app(script: str = "Home.py") -> AppTest:
    """An AppTest of `script` (relative to the repository root), not yet run."""
    return AppTest.from_file(str(ROOT / script), default_timeout=30)


def sign_in(at: AppTest, user: User) -> AppTest:
    """Sign the AppTest session in as `user` (AppTest cannot carry the login cookie)."""
    at.session_state[SESSION_KEY] = signed_in_state(user)
    return at


def texts(at: AppTest) -> str:
    """Everything the page says, for assertions on messages."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption") for e in getattr(at, kind)]
    parts += [e.value for kind in ("error", "warning", "success", "info") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def page_paths(at: AppTest) -> list[str]:
    """The page files the last run put in the navigation, relative to the repository root."""
    found = [info.get("script_path") for info in at._registered_pages.values()]
    return sorted(str(p).removeprefix(str(ROOT) + "/") for p in found if p)
