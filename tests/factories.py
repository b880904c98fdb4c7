"""Test data every suite shares: accounts made as the app makes them."""

from __future__ import annotations

import uuid

from core import users
from core.db import session_scope
from core.models import User

PASSWORD = "correct horse battery"


def make_user(email: str | None = None, *, role: str = "user", password: str = PASSWORD) -> User:
    """A committed account (users.create_user) that can sign in with `password`; a fresh email unless given."""
    email = email or f"{uuid.uuid4().hex[:10]}@example.com"
    with session_scope() as session:
        return users.create_user(session, email=email, password=password, role=role, name=email.split("@")[0])
