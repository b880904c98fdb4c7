"""Helpers for AppTests of the signed-in app: accounts, signing a session in, routing like a server.

Use in a test module:  from tests.ui.auth_fixtures import app, sign_in  (accounts: tests.factories.make_user)
(the fixtures `routed` and `fast_bcrypt` are in tests/conftest.py and tests/ui/conftest.py)
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.models import User
from tests.conftest import ROOT
from ui.auth import SESSION_KEY, signed_in_state


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
