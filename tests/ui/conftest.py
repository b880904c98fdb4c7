"""Fixtures of the page tests (AppTest): cheap password hashes, enqueues recorded instead of sent."""

from __future__ import annotations

import pytest

from core import auth


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """Cheap hashes in tests (production uses auth.BCRYPT_ROUNDS = 12)."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def enqueued(monkeypatch) -> list[str]:
    """The file ids the pages hand to the worker (recorded; the test runs the pipeline itself)."""
    from worker import dispatch

    calls: list[str] = []
    monkeypatch.setattr(dispatch, "enqueue_file", lambda file_id: calls.append(str(file_id)) or True)
    return calls
